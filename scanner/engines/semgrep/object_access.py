"""AUTH307 for JS/TS: authenticated route handlers and server actions that load, change or delete one object by
a request id with no condition tying it to the signed-in user, tenant or role.

Lookups are the ``lookup`` facts of ``js-object-lookup.yaml`` (Prisma, Mongoose, supabase-js, Drizzle, Knex)
plus calls of project helpers named ``get<Thing>ById`` / ``delete<Thing>ById`` given only the id. Request ids are
``params.id``, ``req.params|query|body.x``, ``searchParams.get("x")``, fields of ``await req.json()`` and
``formData``, destructured or assigned names of those, and every argument of a server action. A lookup is scoped
when its conditions include an owner key (``userId``, ``ownerId``, ``user: { id }``, ``.eq("user_id", ...)``,
``eq(chat.userId, ...)``) whose value is not a request id, or mention the session user; when a test in the handler
compares an object loaded by the same id (or the id itself) with the session user or an owner field, or passes it
to an access-check helper; or when the handler checks a role. Supabase queries count only on a service-role
client: a client made from the user's session (``createServerClient``, ``createRouteHandlerClient``) runs under
row-level security, which the database enforces per row (a table without RLS is out of this rule's sight).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.jstext import balanced_end, byte_offset, split_args, strip_js
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import KIND_LABEL, Route, body_index
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import ownership as own
from scanner.model import Finding, Location
from scanner.redact import snippet_of
from scanner.rulebook import rule

_REQUEST_FIELD = re.compile(
    r"\b(?:req|request|ctx\.request|c\.req)\.(params|query|body)(?:\.(\w+)|\[\s*[\"'](\w+)[\"']\s*\])|"
    r"(?:\bparams|\(await\s+params\)|\(await\s+\w+\.params\))(?:\.|\?\.)(\w+)|"
    r"\b(?:searchParams|query)\.get\(\s*[\"'](\w+)[\"']|\bc\.req\.(param|query)\(\s*[\"'](\w+)[\"']|"
    r"\b\w*[fF]orm[dD]ata\.get\(\s*[\"'](\w+)[\"']"
)
_KIND = {"params": "path", "query": "query string", "body": "request body", "param": "path"}
#: A segment cut from the request's own path (``new URL(request.url).pathname.split("/").pop()``,
#: ``req.nextUrl.pathname.split("/").at(-1)``): a route handler reading its dynamic segment by hand (set 25 inquiro).
_PATH_SEGMENT = re.compile(r"\.pathname\.split\(\s*[\"'`]/[\"'`]\s*\)\s*(?:\.pop\(\s*\)|\.at\(\s*-\d+\s*\)|\[)")
#: NestJS parameter decorators with a name: ``@Param('chatId') chatId: string``.
_NEST_PARAM = re.compile(r"@(Param|Query|Body)\(\s*[\"'](\w+)[\"']\s*\)\s*(\w+)")
_NEST_KIND = {"Param": "path", "Query": "query string", "Body": "request body"}
#: A TypeScript annotation between a declared name and ``=``: a type name or an inline object type, which may
#: hold ``;`` (``const { prompt, roomId }: { prompt: string; roomId: string } = await req.json()``).
_ANNOTATION = r"(?::\s*(?:\{[^{}]*\}|[^=;{]+))?"
_DESTRUCTURE = re.compile(r"\b(?:const|let|var)\s*\{([^{}]*)\}\s*" + _ANNOTATION + r"\s*=\s*([^;\n]+)")
_ASSIGN = re.compile(r"\b(?:const|let|var)\s+(\w+)\s*" + _ANNOTATION + r"\s*=\s*([^;\n]+)|"
                     r"(?:^|[;{}\n])[ \t]*([A-Za-z_$][\w$]*)[ \t]*=(?![=>])[ \t]*([^;\n]+)")
_BODY_VALUE = re.compile(r"^\s*(?:await\s+)?(?:req|request|ctx\.request|c\.req)\.(?:json|formData|body)\b")
_HELPER = re.compile(r"\b((?:get|find|fetch|load|read|delete|remove|update|edit)(\w+?)By\w*?(?:Id|ID|Uuid))\s*\(")
#: ``conversationService.getById(id)``, ``chatRepo.deleteById(id)``: the receiver names the model.
_RECEIVER_BY_ID = re.compile(r"\b([a-z][\w$]*)\.((?:get|find|fetch|load|delete|remove|update)By(?:Id|ID))\s*\(")
_RECEIVER_NOISE = re.compile(r"(?i)service|repo(?:sitory)?|store|dao|model|api|client|crud")
_TARGET = re.compile(r"(?:const|let|var)\s+(\{[^{}]*\}|\[[^\]]*\]|\w+)\s*(?::[^=;]+)?=\s*(?:await\s+)?$")
_PAIR = re.compile(r"(?:^|[{,\s])([\w$]+)\s*(?::\s*([^,{}]+(?:\{[^{}]*\})?)|(?=\s*[,}]))")
_EQ = re.compile(r"\.eq\(\s*[\"'`](\w+)[\"'`]\s*,\s*([^)]*)\)|\beq\(\s*\w+\.(\w+)\s*,\s*([^)]*)\)")
_CALLEE = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(")
_ROLE_JS = re.compile(r"isAdmin|requireAdmin|hasRole|checkRole|isSuperuser|roles\.includes|"
                      r"\b(?:user|session\??\.user|req\.user|currentUser)\??\.role\s*[!=]==?")
_SERVICE_ROLE = re.compile(r"service_?role|SERVICE_ROLE|supabaseAdmin|createAdminClient|createServiceClient")
#: Calls that are no owner-taking project helper: control flow and query-builder methods.
_NOT_OWNER_CALL = re.compile(r"(?:if|while|for|switch|return|find\w*|update\w*|delete\w*|create\w*|insert\w*|upsert|"
                             r"count\w*|aggregate|groupBy|where|eq|and|or|select|from|values|set|json|parse)$")
#: A write that adds a row: ``prisma.message.create({ data: ... })``, Mongoose ``Message.create({...})``.
_CREATE = re.compile(r"\s*[\w$.]+\.(?:create|createMany|insertOne|insertMany)\s*\(")
#: A query over a parent's child rows by the parent's id: ``prisma.message.findMany({ where: { chatId } })``.
_CHILD = re.compile(r"\s*[\w$.]+\.(findMany|deleteMany|updateMany|count|countDocuments|create|createMany|find)\s*\(")
_MODEL = re.compile(r"\.(\w+)\.(?:find\w*|update\w*|delete\w*|upsert|create|count)\(|"
                    r"\b([A-Z]\w*)\.(?:find|update|delete|create|count)\w*\(|\.from\(\s*[\"'`](\w+)|\beq\(\s*(\w+)\.|"
                    r"\b([a-z]\w*?)_?Model\.(?:find|update|delete|create|count)\w*\(")


@dataclass(frozen=True)
class _Lookup:
    line: int
    column: int
    model: str
    id_name: str
    source: str
    #: The names the lookup's result is bound to (``chat``; ``data, error`` of ``const { data, error } = ...``).
    targets: tuple[str, ...]
    text: str
    #: Character index of the lookup in its document (for "an ownership check precedes it").
    at: int = 0
    #: The statement itself conditions on the owner or the session user.
    scoped: bool = False
    #: The key the request id is given for (``chatId`` of ``where: { chatId: id }``).
    field: str = ""


def unscoped_findings(routes: Iterable[Route], project: Project, docs: Mapping[str, Doc]) -> list[Finding]:
    """AUTH307 findings for the authenticated, non-public routes ``routes``."""
    out: list[Finding] = []
    authored = authored_models(docs)
    for route in routes:
        if re.search(r"(?:^|/)admin(?:/|$)", route.url) or own.ROLE_CHECK.search(route.body) or \
                _ROLE_JS.search(route.body + route.chain):
            continue
        doc = docs.get(route.span[0])
        if doc is None:
            continue
        ids = request_ids(route)
        found = _lookups(route, project.inside(route.span, "lookup"), doc, ids)
        lookups = [lk for lk in found if not lk.scoped]
        checks = _checks(route.body)
        verified = {lk.id_name for lk in lookups if _checked(lk, route.body, ids, checks)}
        # an owner-scoped load (or an owner-taking helper) whose miss is refused clears what comes after it
        owned = [(lk.at, lk.id_name) for lk in found if lk.scoped and _guarded(lk, checks) and _uses_id(lk, ids)]
        owned += _owner_calls(route.body, body_index(doc, route), ids)
        before = len(out)
        # an unscoped load whose row only answers "does it exist?" before a write scoped to the owner by the same
        # id (``findUnique({ id })``; ``if (!chat) return 400``; ``update({ where: { userId, id } })``) reads nothing
        scoped_later = [(lk.at, lk.id_name) for lk in found if lk.scoped and _uses_id(lk, ids)]
        for lk in lookups:
            if any(at < lk.at and name == lk.id_name for at, name in owned):
                continue
            if any(at > lk.at and name == lk.id_name for at, name in scoped_later) and \
                    _existence_only(lk, route.body):
                continue
            if lk.id_name not in verified and (own.per_user_model(lk.model) or _member_write(lk) or
                                               _authored_write(lk, authored)):
                verified.add(lk.id_name)  # one finding per handler and request id: one fix
                out.append(_finding(route, doc, lk))
        if len(out) == before:
            out += _through_helpers(route, project, doc, ids, verified, owned)
        if len(out) == before:
            out += _member_id_findings(route, doc, ids)
    return out


#: Project functions followed from a handler to the query a request id reaches (a controller's service, then
#: its repository).
_HELPER_HOPS = 2


def _through_helpers(route: Route, project: Project, doc: Doc, ids: Mapping[str, tuple[str, str]],
                     done: set[str], owned: Sequence[tuple[int, str]] = ()) -> list[Finding]:
    """AUTH307 for a request id the handler hands to a project function (``handleFindConversationService(
    conversationId)``) whose own code, or a function it hands it on to (:data:`_HELPER_HOPS` in all), loads the
    object by that id alone. Reported on the handler's call, naming the function. Not when the same call also
    receives the signed-in user (the function can scope by it), when the function checks the owner of what it
    loaded, when the handler checks the owner of what the call returns, or when an owner-scoped load by the same
    id whose miss is refused comes first (``owned``: ``findFirst({ where: { id, userId } })``, ``if (!document)
    return 404``, then ``reprocessDocument(id)``)."""
    out: list[Finding] = []
    checks = _checks(route.body)
    offset = body_index(doc, route)
    for expr, at, inner, target, handed in _handed_calls(route, project, ids, done):
        id_name, source = next(iter(handed.values()))
        if any(where < offset + at and name == id_name for where, name in owned):
            continue
        behind = _unscoped_behind(inner, project, target, handed, _HELPER_HOPS - 1)
        if behind is None:
            continue
        bound = _TARGET.search(route.body[max(0, at - 200):at])
        names = tuple(n.split(":")[-1].strip() for n in re.findall(r"[\w$]+(?:\s*:\s*[\w$]+)?", bound.group(1))) \
            if bound else ()
        if _checked(replace(behind, targets=names, id_name=id_name), route.body, ids, checks):
            continue  # ``const chat = await getChat(id); if (chat.userId !== session.user.id) ...``
        done.add(id_name)
        line = doc.line_of(byte_offset(doc.text, body_index(doc, route) + at))
        url = "" if route.kind == "action" else f" ({route.url})"
        message = (f"{KIND_LABEL[route.kind]} {route.name}{url} loads {behind.model} by {id_name} from the {source} "
                   f"through {expr}() with no check that it belongs to the signed-in user")
        out.append(Finding(rule("AUTH307"), Location(doc.path, line), message, snippet_of(doc.line(line)),
                           context=f"{route.kind}:{route.name}:{route.url}", match_key=f"helper:{expr}:{id_name}"))
    return out


def _handed_calls(route: Route, project: Project, ids: Mapping[str, tuple[str, str]], done: set[str]) -> \
        Iterator[tuple[str, int, Route, Doc, dict[str, tuple[str, str]]]]:
    """``(call expression, character index of the call in route.body, the callee as a route, its document, its
    parameters that receive a request id -> (id name, source))`` for each project function ``route`` calls with a
    request id (not yet reported: ``done``) and without the signed-in user."""
    for expr, (target, start, end) in project.calls(route.body, route.span[0]):
        dotted = r"\s*\??\.\s*".join(re.escape(part) for part in expr.split("."))
        call = re.search(rf"(?<![\w$.]){dotted}\s*\(", route.body)
        close = balanced_end(route.body, call.end() - 1) if call is not None else -1
        if call is None or close < 0:
            continue
        args = split_args(route.body[call.end():close - 1])
        if not args or any(own.SESSION_USER.search(_plain(a, ids)) for a in args):
            continue
        params = _param_names(target.text[start:end])
        handed = {params[i]: ids[a.strip()] for i, a in enumerate(args)
                  if i < len(params) and a.strip() in ids and ids[a.strip()][0] not in done}
        if handed:
            inner = Route(route.match, route.kind, route.name, route.url, target.text[start:end],
                          body_path=target.path, body_start=byte_offset(target.text, start),
                          body_end=byte_offset(target.text, end))
            yield expr, call.start(), inner, target, handed


def _unscoped_behind(inner: Route, project: Project, doc: Doc, handed: Mapping[str, tuple[str, str]],
                     depth: int) -> _Lookup | None:
    """The first lookup of per-user data in function ``inner`` (or, ``depth`` more calls on, in a function it
    hands the id to) keyed by a handed id alone and not checked there; None when there is none."""
    checks = _checks(inner.body)
    for lk in _lookups(inner, project.inside(inner.span, "lookup"), doc, handed):
        if not lk.scoped and own.per_user_model(lk.model) and not _checked(lk, inner.body, handed, checks):
            return lk
    if depth <= 0:
        return None
    for _expr, _at, deeper, target, passed in _handed_calls(inner, project, handed, set()):
        found = _unscoped_behind(deeper, project, target, passed, depth - 1)
        if found is not None:
            return found
    return None


def _existence_only(lookup: _Lookup, body: str) -> bool:
    """True when every name the lookup's row is bound to is used only as ``!name`` (an existence test) after its
    declaration: the row's data goes nowhere."""
    if not lookup.targets:
        return False
    for target in lookup.targets:
        uses = list(re.finditer(rf"(?<![\w$.]){re.escape(target)}(?![\w$])", body))
        rest = [m for m in uses
                if not re.search(r"(?:const|let|var)\s*\{?[^;=]*$", body[max(0, m.start() - 80):m.start()])]
        if not rest or any(not re.search(r"!\s*$", body[max(0, m.start() - 8):m.start()]) or
                           re.match(r"\s*[.?\[]", body[m.end():m.end() + 4]) for m in rest):
            return False
    return True


#: A Mongoose schema field that references the member model (``createdBy: { type: ObjectId, ref: "User" }``).
_MEMBER_REF = re.compile(r"""\b(\w+)\s*:\s*\{[^{}]*?\bref\s*:\s*["'](?:User|Users|Member|Account|Profile)["']""")
#: ``mongoose.model("Article", articleSchema)``; Sequelize ``Article.belongsTo(User)``.
_MONGOOSE_MODEL = re.compile(r"""\bmodel\s*\(\s*["'](\w+)["']""")
_BELONGS_TO_MEMBER = re.compile(r"\b(\w+)\.belongsTo\(\s*(?:models\.)?(?:User|Member|Account|Profile)\b")
#: An update or delete (``findByIdAndUpdate``, ``deleteOne``, ``destroy``).
_WRITE_CALL = re.compile(r"(?i)update|delete|remove|destroy|upsert|replace")


def authored_models(docs: Mapping[str, Doc]) -> frozenset[str]:
    """Lower-cased names of the models whose rows record the member who wrote them: a Mongoose schema with an
    owner field referencing the member model (``createdBy: { ref: "User" }``), or a Sequelize model that
    ``belongsTo(User)``. Shapes: ``{"article", "story"}``."""
    out: set[str] = set()
    for doc in docs.values():
        text = doc.text
        if "belongsTo" in text:
            out.update(m.group(1).lower() for m in _BELONGS_TO_MEMBER.finditer(text))
        if "ref" not in text or "model" not in text:
            continue
        names = [m.group(1) for m in _MONGOOSE_MODEL.finditer(text)]
        if len(names) == 1 and any(own.is_owner_field(m.group(1)) for m in _MEMBER_REF.finditer(text)):
            out.add(names[0].lower())
    return frozenset(out)


def _authored_write(lookup: _Lookup, authored: frozenset[str]) -> bool:
    """True for an update or delete by id of a row its author owns though no word of the model says so (an
    ``Article`` with ``createdBy: { ref: "User" }``): in a signed-in handler that never compares the author with
    the caller, any member rewrites or deletes another's (set 27 InnerGlow-Backend). Reading such a row is left
    alone: an article is usually public."""
    return bool(_WRITE_CALL.search(lookup.text.split("(")[0])) and lookup.model.lower() in authored


#: A member table (``prisma.user``, ``User``, ``accounts``).
_MEMBER_MODEL = re.compile(r"(?i)^(?:user|users|account|accounts|member|members|profile|profiles)$")


def _member_write(lookup: _Lookup) -> bool:
    """True for an update or delete of a member row by a member id the client sent (``prisma.user.delete({ where:
    { id: userId } })`` with ``userId`` from the body) in a signed-in handler: any member can change or delete
    another member's account. Reading a member by id (a profile page) is left to the member-id rule."""
    head = lookup.text.split("(")[0]
    return bool(_MEMBER_MODEL.match(lookup.model) and re.search(r"(?i)delete|remove|update|upsert", head)
                and (_MEMBER_ID.match(lookup.id_name) or _MEMBER_ID.match(lookup.field)))


#: A request value that names a member: the user whose data the handler is about to read or change.
_MEMBER_ID = re.compile(r"(?i)^(?:user|owner|member|customer|account|profile)_?id$|^uid$")
#: Anything in a handler that reads who is signed in: the request's user or session, an auth helper, a NestJS
#: user or request decorator, a framework context user.
_SESSION_USER = re.compile(
    r"\b(?:req|request|ctx\.state|res\.locals|c\.var|ctx)\s*\??\.\s*(?:user|auth|session|userId)\b|"
    r"\bsession\b|\bcurrentUser\b|\bviewer\b|\bgetUser\w*\s*\(|\bauth\s*\(\s*\)|\bgetServerSession\b|\bgetAuth\b|"
    r"@(?:Req|Request|CurrentUser|User|AuthUser|GetUser)\s*\(|\bc\.get\(\s*[\"']user|"
    r"\bjwt\.verify\b|\bverifyToken\b")


def _member_id_findings(route: Route, doc: Doc, ids: Mapping[str, tuple[str, str]]) -> list[Finding]:
    """AUTH307 for a signed-in handler that takes a member's id from the request (``GET /chat/messages/:userID``,
    a server action's ``userId`` argument) and hands it to a query or a helper while it never reads who is signed
    in: whatever id a caller sends is served, so any member reads or changes another member's data. One finding,
    on the first line that uses the id."""
    body = route.body
    if _SESSION_USER.search(body):
        return []
    members = {local: src for local, src in ids.items() if _MEMBER_ID.match(local) or _MEMBER_ID.match(src[0])}
    start = body_index(doc, route)
    for local, (field, source) in members.items():
        name = re.escape(local)
        if re.search(rf"(?<![\w$.]){name}\s*[!=]==?|[!=]==?\s*{name}(?![\w$])", body):
            continue  # compared with something first (``if (userId !== authenticatedUserId) return 403``)
        use = next((m for m in re.finditer(rf"[(,{{]\s*(?:\w+\s*:\s*)?{name}\s*[,)}}]", body)
                    if not (route.kind == "action" and m.start() < body.find(")")) and _in_call(body, m.start())
                    and body[max(0, m.start() - 1):m.start() + 1] != "${"),  # a template literal's text
                   None)
        if use is None:
            continue  # never handed to a call (``return { userID }``), or only the action's own parameter list
        line = doc.text.count("\n", 0, start + use.start()) + 1
        url = "" if route.kind == "action" else f" ({route.url})"
        message = (f"{KIND_LABEL[route.kind]} {route.name}{url} takes the member id {field} from the {source} and "
                   "passes it on without reading who is signed in: any member can read or change another "
                   "member's data by sending their id")
        return [Finding(rule("AUTH307"), Location(doc.path, line), message, snippet_of(doc.line(line)),
                        context=f"{route.kind}:{route.name}:{route.url}", match_key=f"member-id:{field}")]
    return []


def _uses_id(lookup: _Lookup, ids: Mapping[str, tuple[str, str]]) -> bool:
    """True when the lookup's statement uses a request id as a value (``where: { id, userId }``), not only as a
    key name beside the session user's id (``where: { id: session.user.id }`` loads the caller, not the object)."""
    if any(_field_name(found) == lookup.id_name and not re.match(r"\s*:", lookup.text[found.end():])
           for found in _REQUEST_FIELD.finditer(lookup.text)):
        return True  # read inline: ``_id: req.params.id``
    return any(re.search(rf"(?<![\w.$]){re.escape(local)}\b(?!\s*:)", lookup.text)
               for local, (name, _source) in ids.items() if name == lookup.id_name or local == lookup.id_name)


def _field_name(found: re.Match[str]) -> str | None:
    """The field a ``_REQUEST_FIELD`` match reads (``id`` of ``req.params.id``, ``chatId`` of
    ``searchParams.get("chatId")``), or None for a whole ``req.body``."""
    groups = found.groups()
    return next((groups[i] for i in (1, 2, 3, 4, 6, 7) if groups[i]), None)


def _in_call(body: str, at: int) -> bool:
    """True when the statement holding index ``at`` calls something before it (``db.find({ where: { userId`` or
    ``service.list(userId``), not a bare object or return value."""
    params = body.find("(")
    after = balanced_end(body, params) if params >= 0 else 0
    begin = max(body.rfind(";", 0, at), body.rfind("\n\n", 0, at), after, 0)
    return bool(re.search(r"[\w$\]]\s*\(", body[begin:at + 1]))


def _guarded(lookup: _Lookup, checks: list[str]) -> bool:
    """True when a scoped load's miss stops the handler: ``findFirstOrThrow``, or a test of what it loaded
    (``if (!chat) return notFound()``)."""
    if re.search(r"OrThrow\s*\(|\.orFail\(", lookup.text):
        return True
    return any(re.search(rf"(?<![\w.$]){re.escape(t)}\b", text) for t in lookup.targets if t for text in checks)


def _owner_calls(body: str, offset: int, ids: Mapping[str, tuple[str, str]]) -> list[tuple[int, str]]:
    """(document index, id name) of calls given both a request id and the session user (``await
    getOwnedChat(chatId, session.user.id)``, ``assertChatAccess(user.id, chatId)``): the helper scopes the id to
    the caller."""
    out = []
    for call in _CALLEE.finditer(body):
        close = balanced_end(body, call.end() - 1)
        if close < 0 or _NOT_OWNER_CALL.match(call.group(1)):
            continue  # a query's own conditions are judged as a lookup, not as a helper
        args = body[call.end():close - 1]
        if not own.SESSION_USER.search(_plain(args, ids)):
            continue
        for holder, (name, _) in ids.items():
            if re.search(rf"(?<![\w.$]){re.escape(holder)}\b", args):
                out.append((offset + call.start(), name))
    return out


def request_ids(route: Route) -> dict[str, tuple[str, str]]:
    """Local names in the handler that hold a request id -> (id name, source); server-action arguments count."""
    body = route.body
    ids: dict[str, tuple[str, str]] = {}
    if route.kind == "action":
        for name in _param_names(body):
            ids[name] = (name, "action arguments")
    # NestJS handler parameters bound by a decorator: ``@Param('chatId') chatId``, ``@Query('userID') uid``
    for kind, field, local in _NEST_PARAM.findall(body):
        if own.is_id_name(field) or _MEMBER_ID.match(field):
            ids[local] = (field, _NEST_KIND[kind])
    bodies: set[str] = set()
    for _ in range(2):  # a second pass follows names assigned from names found in the first
        for fields, value in _DESTRUCTURE.findall(body):
            kind = _value_source(value, ids, bodies)
            for field in fields.split(","):
                key, _, local = field.partition(":")
                name = (local or key).split("=")[0].strip()
                if kind and re.fullmatch(r"\w+", name) and own.is_id_name(key.strip()):
                    ids[name] = (key.strip(), kind[1])
        for declared, first, assigned, later in _ASSIGN.findall(body):
            name, value = declared or assigned, first or later  # ``let chatId`` ... ``chatId = rawId``
            if _BODY_VALUE.match(value) or re.sub(r"\s+as\s+.*", "", value).strip() in bodies:
                bodies.add(name)
            elif _PATH_SEGMENT.search(value) and own.is_id_name(name):
                ids[name] = (name, "path")  # ``const messageId = url.pathname.split("/").pop()``
            elif (found := _value_source(value, ids, bodies)) is not None:
                ids[name] = found
    # the request body held whole (``const reqBody = await req.json()``): its id fields read in place
    # (``Chat.findById(reqBody.chatId)``) are request ids too
    ids.update({f"{name}.": ("body", "request body") for name in bodies})
    return ids


def _param_names(body: str) -> list[str]:
    """Parameter names of a function text (destructured names included, types dropped)."""
    start = body.find("(")
    end = balanced_end(body, start) if start >= 0 else -1
    if end < 0:
        return []
    params = re.sub(r":\s*[^,{}()]+(?:\{[^{}]*\})?", "", body[start + 1:end - 1])
    return [n for n in re.findall(r"[A-Za-z_$][\w$]*", params) if n not in ("string", "number", "async")]


def _value_source(value: str, ids: Mapping[str, tuple[str, str]], bodies: set[str]) -> tuple[str, str] | None:
    """(id name, source) when the expression ``value`` is a request id (or a request object to destructure);
    a conversion keeps it one (``chatSessionId.toString()``: set 27 Wanderlust)."""
    value = re.sub(r"\.(?:toString|trim|valueOf|toLowerCase)\(\s*\)", "", value)
    field = _REQUEST_FIELD.search(value)
    if field:
        g = field.groups()
        if g[0]:
            return g[1] or g[2] or g[0], _KIND[g[0]]
        if g[3]:
            return g[3], "path"
        if g[4]:
            return g[4], "query string"
        if g[7]:
            return g[7], "request body"
        return g[6], _KIND[g[5]]
    whole = re.match(r"\s*(?:await\s+)?(?:(?:req|request|ctx\.request)\.(params|query)|(?:\w+\.)?params)\b", value)
    if whole:
        return "params", _KIND[whole.group(1)] if whole.group(1) else "path"
    if _BODY_VALUE.match(value) or (re.match(r"\s*(\w+)\b(?!\s*[.\[(])", value) or [None, ""])[1] in bodies:
        return "body", "request body"
    for name in re.findall(r"[A-Za-z_$][\w$]*(?:\.[\w$]+)?", value):
        head, _, attr = name.partition(".")
        if head in ids and not attr:
            return ids[head]
        if f"{head}." in ids and attr and own.is_id_name(attr):
            return attr, ids[f"{head}."][1]
        if head in bodies and (attr and own.is_id_name(attr)):
            return attr, "request body"
    return None


def _lookups(route: Route, facts: list[Match], doc: Doc, ids: Mapping[str, tuple[str, str]]) -> list[_Lookup]:
    """The lookups in the handler keyed by a request id with no owner condition in their own statement."""
    out, seen = [], set()
    spans = [(m.start, m.end) for m in facts]
    body_start = len(doc.text[: body_index(doc, route)].encode("utf-8", "surrogateescape"))
    for helper in [*_HELPER.finditer(route.body), *_RECEIVER_BY_ID.finditer(route.body)]:
        close = balanced_end(route.body, helper.end() - 1)
        if close > 0:
            at = body_start + len(route.body[: helper.start()].encode("utf-8", "surrogateescape"))
            spans.append((at, at + len(route.body[helper.start():close].encode("utf-8", "surrogateescape"))))
    for start, end in sorted(spans):
        statement = _statement(doc, start, end)
        before = doc.slice(max(0, start - 200), start)
        target = _TARGET.search(before)
        key = (statement[:200], before[-40:])
        if key in seen:
            continue
        seen.add(key)
        found = _keyed_by_request(statement, ids, doc)
        if found is not None:
            line = doc.line_of(start)
            column = len(doc.data[doc.data.rfind(b"\n", 0, start) + 1:start].decode("utf-8", "ignore")) + 1
            bound = target.group(1) if target else ""
            names = tuple(n.split(":")[-1].strip() for n in re.findall(r"[\w$]+(?:\s*:\s*[\w$]+)?", bound))
            at = len(doc.data[:start].decode("utf-8", "ignore"))
            out.append(_Lookup(line, column, found[0], found[1][0], found[1][1], names, statement, at,
                               _scoped(statement, ids), found[2]))
    return out


def _statement(doc: Doc, start: int, end: int) -> str:
    """The lookup call with the rest of its method chain (``.eq("user_id", ...)`` after ``.eq("id", ...)``)."""
    text = doc.slice(start, end)
    tail = doc.slice(end, end + 4000)
    i = 0
    while (step := re.match(r"\s*\??\.\s*[\w$]+\s*(?=\()", tail[i:])) is not None:
        close = balanced_end(tail, i + step.end())
        if close < 0:
            break
        i = close
    return text + tail[:i]


def _conditions(statement: str) -> list[tuple[str, str]]:
    """(field, value text) pairs a lookup selects by: object keys of ``where``/``findOne``, ``findById(x)``,
    ``.eq(col, x)``, ``eq(t.col, x)``, a helper's arguments."""
    pairs = [(a or c, (b or d).strip()) for a, b, c, d in _EQ.findall(statement)]
    by_id = re.search(r"\.findById\w*\(\s*([^,)]+)", statement)
    if by_id:
        pairs.append(("_id", by_id.group(1)))
    helper = _HELPER.match(statement) or _RECEIVER_BY_ID.match(statement)
    if helper and "{" not in statement[: statement.find("(") + 3]:
        args = statement[statement.find("(") + 1:].split(",")
        pairs.append(("id", args[0].strip(" )")))
    for obj in re.finditer(r"\{", statement):
        close = balanced_end(statement, obj.start())
        if close > 0:
            inner = statement[obj.start() + 1:close - 1]
            pairs += [(k, (v or k).strip()) for k, v in _PAIR.findall(_flat(inner) + ",")]
    return pairs


def _service_client(statement: str, doc: Doc) -> bool:
    """True when a supabase-js query runs on a service-role client: the client it is called on was built by a
    service-role call (``createAdminClient()``, a ``SERVICE_ROLE`` key); a client from a cookie-bound helper
    (``const supabase = await createServerSupabaseClient()``) carries the member's session, and row-level
    security scopes its rows even in a module that also imports an admin client (set 17). Unknown clients are
    judged by the module's text."""
    receiver = re.search(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\.\s*from\(", statement)
    if receiver is not None:
        name = re.escape(receiver.group(1))
        built = list(re.finditer(rf"\b(?:const|let|var)\s+{name}\s*(?::[^=;]+)?=\s*(?:await\s+)?([^;\n]+)", doc.text))
        if built:
            return _SERVICE_ROLE.search(built[-1].group(1)) is not None
    return _SERVICE_ROLE.search(doc.text) is not None


def _flat(inner: str) -> str:
    """Top-level text of an object literal, nested objects kept whole (``user: { id: x }``)."""
    return re.sub(r"\s+", " ", inner)


def _keyed_by_request(statement: str, ids: Mapping[str, tuple[str, str]], doc: Doc) -> \
        tuple[str, tuple[str, str], str] | None:
    """(model, (id name, source), key) when an id-like condition of the statement holds a request id."""
    if re.search(r"\.from\(\s*[\"'`]", statement) and not _service_client(statement, doc):
        return None  # supabase-js on the user's own client: row-level security scopes the rows
    create = bool(_CREATE.match(statement))
    conditions = _conditions(statement)
    # a new row whose owner is the caller: a request id there joins it to a parent only when it names per-user
    # data (``message.create({ chatId, userId })``); ``chat.create({ roomId, userId })`` is the caller's own row
    authored = create and any(own.is_owner_field(f) and _value_source(v, ids, set()) is None for f, v in conditions)
    for field, value in conditions:
        if create and (field in ("id", "_id") or own.is_owner_field(field)):
            continue  # a new row's own id, or its author: not a parent the caller must own
        if authored and not own.per_user_model(re.sub(r"_?(?:id|Id|ID)$", "", field)):
            continue
        # a Mongoose ref named after its parent holds the parent's id: ``Prompt.find({ chat: chatId })``
        parent_ref = own.per_user_model(field) and not own.is_owner_field(field) and \
            own.is_id_name(value.split(".")[-1])
        if own.is_id_name(field) or field == "_id" or parent_ref:
            found = _value_source(value, ids, set())
            if found is not None:
                return _model_of(statement), found, field
    return None


def _model_of(statement: str) -> str:
    helper = _HELPER.match(statement)
    if helper:
        return own.helper_model(helper.group(2))
    receiver = _RECEIVER_BY_ID.match(statement)
    if receiver:
        return _RECEIVER_NOISE.sub("", receiver.group(1))
    found = _MODEL.search(statement)
    return next((g for g in found.groups() if g), "") if found else ""


def _scoped(statement: str, ids: Mapping[str, tuple[str, str]]) -> bool:
    """True when the statement also conditions on an owner (whose value is not a request id) or the session; a
    create's owner field names the author of the new row, not the owner of its parent."""
    if _CREATE.match(statement):
        return False
    selector = _where(statement)
    for field, value in _conditions(selector):
        if own.is_owner_field(field) and _value_source(value, ids, set()) is None:
            return True
    return bool(own.SESSION_USER.search(_plain(selector, ids)))


def _where(statement: str) -> str:
    """What selects the rows of an update or delete: its ``where: { ... }`` object and the method chain after
    the call, when it has one (the ``data`` it writes, ``messages: { create: { userId } }``, scopes nothing);
    else the whole statement."""
    found = re.search(r"\bwhere\s*:\s*\{", statement)
    if found is None:
        return statement
    close = balanced_end(statement, found.end() - 1)
    call_end = balanced_end(statement, statement.find("("))
    if close < 0 or call_end < 0:
        return statement
    return statement[found.start():close] + " " + statement[call_end:]


def _plain(text: str, ids: Mapping[str, tuple[str, str]]) -> str:
    text = strip_js(text, '""')
    for name in ids:
        text = re.sub(rf"(?<![\w.$]){re.escape(name)}\b", "_", text)
    return text


def _checks(body: str) -> list[str]:
    """Texts of the handler's ``if`` tests, comparisons and access-check calls."""
    out = []
    for test in re.finditer(r"\bif\s*\(", body):
        close = balanced_end(body, test.end() - 1)
        if close > 0:
            out.append(body[test.end():close - 1])
    out += [line for line in body.split("\n") if re.search(r"[!=]==?|\.equals\(", line)]
    out += ["check:" + body[c.start():c.start() + 200] for c in _CALLEE.finditer(body)
            if own.ACCESS_CHECK_CALL.search(c.group(1))]
    return out


def _aliases(body: str, targets: tuple[str, ...]) -> set[str]:
    """``targets`` and the names bound from them: ``const [doc] = documents``, ``const first = rows[0]``."""
    names = set(targets)
    for _ in range(2):
        for name in list(names):
            for a, b in re.findall(rf"(?:const|let|var)\s*(?:\[\s*(\w+)[^\]]*\]|(\w+))\s*(?::[^=;]+)?=\s*"
                                   rf"(?:await\s+)?{re.escape(name)}\b", body):
                names.add(a or b)
    return names


def _checked(lookup: _Lookup, body: str, ids: Mapping[str, tuple[str, str]], checks: list[str]) -> bool:
    """True when a test or access check looks at the owner of what the lookup loaded (or ties the id itself to
    the session user)."""
    holders = [n for n, (name, _) in ids.items() if name == lookup.id_name]
    targets = _aliases(body, lookup.targets)
    for text in checks:
        plain = _plain(text, ids)
        session = text.startswith("check:") or bool(own.SESSION_USER.search(plain))
        for target in (t for t in targets if re.search(rf"(?<![\w.$]){re.escape(t)}\b", text)):
            fields = re.findall(rf"(?<![\w.$]){re.escape(target)}\??\.([\w$]+)", text)
            if session or any(own.is_owner_field(f) for f in fields):
                return True
        if session and any(re.search(rf"(?<![\w.$]){re.escape(h)}\b", text) for h in holders):
            return True
    return False


def _finding(route: Route, doc: Doc, lookup: _Lookup) -> Finding:
    url = "" if route.kind == "action" else f" ({route.url})"
    head = lookup.text.split("(")[0]
    child = _CHILD.match(lookup.text)
    parent = re.sub(r"_?(?:id|Id|ID|uuid|Uuid)$", "", lookup.field)
    if child and parent:
        verb = {"create": "writes", "createMany": "writes", "deleteMany": "deletes", "updateMany": "updates"}.get(
            child.group(1), "reads")
        message = (f"{KIND_LABEL[route.kind]} {route.name}{url} {verb} {lookup.model} rows of the {parent} given "
                   f"by {lookup.id_name} from the {lookup.source} with no check that the {parent} belongs to the "
                   f"signed-in user")
    else:
        verb = "deletes" if re.search(r"(?i)delete|remove", head) else \
            "updates" if re.search(r"(?i)update|upsert", head) else "loads"
        whose = "is the signed-in user: any member can change or delete another member's account" \
            if _member_write(lookup) else "belongs to the signed-in user"
        message = (f"{KIND_LABEL[route.kind]} {route.name}{url} {verb} {lookup.model} by {lookup.id_name} from the "
                   f"{lookup.source} with no check that it {whose}")
    return Finding(rule("AUTH307"), Location(doc.path, lookup.line, lookup.column), message,
                   snippet_of(doc.line(lookup.line)), context=f"{route.kind}:{route.name}:{route.url}",
                   match_key=" ".join(lookup.text.split())[:200])
