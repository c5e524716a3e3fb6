"""Read-only listings of public site content: a view that only reads Django ORM rows nobody owns, or published ones.

A blog's ``PostList(ListView)`` with ``queryset = Post.objects.filter(status=1)`` or a ``videos_list`` view that
renders ``Video.objects.all()`` shows every visitor the same rows: no member's data, nothing written. A view is such
a listing when every database call of it is a Django ``Model.objects`` read chain with no argument taken from the
request (no view parameter, no ``request.*``, no ``self.kwargs``); when the view reads no posted data, does not
look at the session or signed-in user (a page that does is a member page) and has no write verb; and when each
model is a class the project defines (so that its fields can be checked) that is neither member data by name
(``Chat``, ``Message``, ``Profile``, ``User``), nor owned (an owner field or a foreign key to a per-user parent),
nor a log of what visitors typed or were told (fields named like a prompt, a model answer or PII: ``question``,
``answer``). A query that keeps only published rows (``status=1``, ``published=True``, ``is_public=True``) is
public for any such model but private kinds (chats, messages, payments, profiles: ``_PRIVATE_WORDS``), whose
status publishes nothing.

A public landing page (``public_page``) may also save a form bound to the posted data (a contact form: a new row,
nothing existing changed) and read or create one site-wide row picked by literals only (``users.objects.get(
name="public")``, a counters or settings row every visitor shares), as long as that row's text fields hold nothing
visitors typed.
"""

from __future__ import annotations

import re

import libcst as cst

from scanner.engines.python.base import FileContext
from scanner.engines.python.names import dotted, walk
from scanner.engines.python.object_sources import model_field_defs, model_fields, model_owned
from scanner.engines.python.sensitive import name_kinds
from scanner.knowledge import words
from scanner.knowledge.ownership import MEMBER_DATA_WORDS, per_user_model

#: Class-based views that only answer GET (Django generic display views, DRF read-only views).
READ_ONLY_VIEWS = frozenset({
    "ListView", "DetailView", "TemplateView", "ArchiveIndexView", "YearArchiveView", "MonthArchiveView",
    "DayArchiveView", "ListAPIView", "RetrieveAPIView", "ReadOnlyModelViewSet",
})
#: Django queryset methods that only read.
_READS = frozenset({
    "all", "filter", "exclude", "order_by", "values", "values_list", "count", "first", "last", "exists",
    "select_related", "prefetch_related", "only", "defer", "distinct", "annotate", "reverse", "none", "latest",
    "earliest", "get", "iterator", "objects",
})
#: Keyword filters that keep only rows meant for every visitor.
_PUBLISHED = re.compile(r"(?i)^(?:is_)?(?:status|published|public|visible|live|approved|featured|visibility)"
                        r"(?:__\w+)?$")
#: Signs that the view reads posted data or changes something.
_INPUT_OR_WRITE = re.compile(r"request\.(?:POST|data|body|FILES|method|session|user)|\bsession\b|current_user|"
                             r"\.(?:save|create|update|delete|get_or_create|update_or_create|bulk_create)\(|"
                             r"\b(?:POST|PUT|PATCH|DELETE)\b")
_MEMBER_WORDS = MEMBER_DATA_WORDS | {"profile", "profiles"}
#: Rows that stay private whatever their status (a chat, a message, a payment): a status filter does not
#: publish them.
_PRIVATE_WORDS = (MEMBER_DATA_WORDS | {"profile", "profiles"}) - {
    "post", "posts", "comment", "comments", "entry", "entries", "item", "items", "card", "cards", "project",
    "projects", "prompt", "prompts", "bot", "bots", "agent", "agents", "character", "characters", "preset",
    "presets", "collection", "collections", "dataset", "datasets", "report", "reports", "workflow", "workflows",
}
_NOT_REQUEST = frozenset({"self", "cls", "request"})
#: Signs that a page acts for a signed-in member or changes rows it did not create.
_MEMBER_OR_CHANGE = re.compile(r"request\.(?:session|user)|\bsession\b|current_user|"
                               r"\.(?:delete|update|update_or_create|bulk_create|bulk_update)\(")
#: Calls on one site-wide row: read it, or create it when it is missing.
_SITE_ROW_CALLS = _READS | {"create", "get_or_create"}
#: Calls that return (or make) one row.
_ONE_ROW = frozenset({"get", "get_or_create", "create", "first", "last", "latest", "earliest"})
#: Field definitions that hold no text (a counter, a flag, a date).
_NO_TEXT_FIELD = re.compile(r"(?:Integer|Float|Decimal|Boolean|Date|Time|Duration|Auto)\w*Field|"
                            r"Mapped\[(?:int|float|bool|datetime)")


def public_listing(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef, db_calls: list[cst.Call]) -> bool:
    """True when ``node`` (a view function or class) only lists public content or is a public landing page (see
    the module docstring)."""
    return _listing(ctx, node, db_calls) or public_page(ctx, node, db_calls)


def _listing(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef, db_calls: list[cst.Call]) -> bool:
    if not db_calls or _INPUT_OR_WRITE.search(ctx.code_of(node)):
        return False
    if isinstance(node, cst.ClassDef):
        bases = {(dotted(b.value) or "").rsplit(".", 1)[-1] for b in node.bases}
        if not bases or not bases <= READ_ONLY_VIEWS:
            return False
        params: set[str] = set()
    else:
        params = {p.name.value for p in (*node.params.params, *node.params.kwonly_params)} - _NOT_REQUEST
    return all(_public_read(ctx, call, params) for call in db_calls)


def public_page(ctx: FileContext, node: cst.FunctionDef | cst.ClassDef, db_calls: list[cst.Call]) -> bool:
    """True when the function view ``node`` is a public landing page (see the module docstring): each database
    call reads public rows or one site-wide row picked by literals, the only saves are of a form bound to the
    posted data without ``instance=`` or of such a site-wide row, and it reads no session or signed-in user."""
    if not isinstance(node, cst.FunctionDef) or not db_calls or _MEMBER_OR_CHANGE.search(ctx.code_of(node)):
        return False
    params = {p.name.value for p in (*node.params.params, *node.params.kwonly_params)} - _NOT_REQUEST
    if not all(_public_read(ctx, call, params) or _site_row(ctx, call) for call in db_calls):
        return False
    sources: dict[str, cst.BaseExpression] = {}
    for stmt in walk(node.body):
        if isinstance(stmt, cst.Assign):
            for target in stmt.targets:  # ``stats, _ = Model.objects.get_or_create(...)``: the row is the first
                first = target.target.elements[0].value if isinstance(target.target, cst.Tuple) else target.target
                if isinstance(first, cst.Name):
                    sources[first.value] = stmt.value
    for call in walk(node.body):
        func = call.func if isinstance(call, cst.Call) else None
        if isinstance(func, cst.Attribute) and func.attr.value == "save":
            source = sources.get(func.value.value) if isinstance(func.value, cst.Name) else None
            if not (isinstance(source, cst.Call) and (_new_form(ctx, source) or _site_row(ctx, source))):
                return False
    return True


def _new_form(ctx: FileContext, call: cst.Call) -> bool:
    """``forms.ContactForm(request.POST)``: a form bound to the posted data that makes a new row (no
    ``instance=``)."""
    name = dotted(call.func) or ""
    posted = any(re.match(r"request\.(?:POST|FILES)\b", ctx.code_of(a.value)) for a in call.args)
    return posted and "form" in name.lower() and not any(
        a.keyword is not None and a.keyword.value == "instance" for a in call.args)


def _site_row(ctx: FileContext, call: cst.Call) -> bool:
    """``users.objects.get(name="public")`` / ``.create(name="public", chats=0)`` / ``SiteStats.objects.first()``:
    one row every visitor shares, picked and filled by literals only, of a project model that nobody owns and
    whose text fields hold nothing visitors typed."""
    chain = _chain(call, _SITE_ROW_CALLS)
    if chain is None:
        return False
    model, calls = chain
    last = calls[0].func.attr.value if isinstance(calls[0].func, cst.Attribute) else ""
    one_row = last in _ONE_ROW and (bool(calls[0].args) or last not in ("get", "get_or_create", "create"))
    if not one_row or not all(_literal(a.value) for c in calls for a in c.args) or model_owned(ctx, model):
        return False
    fields = model_field_defs(ctx, model)
    return fields is not None and not any(name_kinds(name) for name, definition in fields
                                          if not _NO_TEXT_FIELD.search(definition))


def _literal(expr: cst.BaseExpression) -> bool:
    """A number, a string without placeholders, ``True``/``False``/``None``."""
    if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(expr, cst.UnaryOperation):
        return _literal(expr.expression)
    return isinstance(expr, cst.Name) and expr.value in ("True", "False", "None")


def _public_read(ctx: FileContext, call: cst.Call, params: set[str]) -> bool:
    """One ``Model.objects...`` chain that reads public rows with no request value."""
    chain = _chain(call, _READS)
    if chain is None:
        return False
    model, calls = chain
    names = {n.value for c in calls for a in c.args for n in walk(a.value) if isinstance(n, cst.Name)}
    texts = [ctx.code_of(a.value) for c in calls for a in c.args]
    if names & params or any(t.startswith(("request.", "self.")) or "request." in t for t in texts):
        return False
    parts = set(words(model))
    if model_fields(ctx, model) is None:  # a model the project does not define: its fields cannot be checked
        return False
    if any(a.keyword is not None and _PUBLISHED.match(a.keyword.value) for c in calls for a in c.args):
        return not parts & _PRIVATE_WORDS
    return not (parts & _MEMBER_WORDS or per_user_model(model) or model_owned(ctx, model) or
                _holds_member_text(ctx, model))


def _holds_member_text(ctx: FileContext, model: str) -> bool:
    """True when the model's fields hold what visitors typed or were told (a ``question``/``answer`` log of a
    chatbot, ``prompt``, ``email``): a list of those rows is other visitors' conversations, whatever the model is
    called."""
    return any(name_kinds(name) for name in model_fields(ctx, model) or ())


def _chain(call: cst.Call, methods: frozenset[str]) -> tuple[str, list[cst.Call]] | None:
    """``Post.objects.filter(status=1).order_by("-id")`` -> ("Post", [its calls]); None for any other shape."""
    calls: list[cst.Call] = []
    expr: cst.BaseExpression = call
    while True:
        if isinstance(expr, cst.Call):
            calls.append(expr)
            expr = expr.func
        elif isinstance(expr, cst.Attribute) and expr.attr.value == "objects" and isinstance(expr.value, cst.Name):
            model = expr.value.value
            return model, calls  # callers require a class the project defines
        elif isinstance(expr, cst.Attribute) and expr.attr.value in methods:
            expr = expr.value
        else:
            return None
