"""AUTH307 for Python: authenticated Django, DRF, FastAPI and Flask handlers that load, change or delete an object
by a request id with no condition tying it to the signed-in user, tenant or role."""

from __future__ import annotations

import inspect
import re
from typing import ClassVar

import libcst as cst

from scanner.engines.python.base import Example, FileContext, IndexCollector, PythonRule, index_of
from scanner.engines.python.frameworks import FRAMEWORKS
from scanner.engines.python.names import dotted, string_value, walk
from scanner.engines.python.object_access import role_gated, unscoped_accesses
from scanner.engines.python.object_sources import Access, model_owned
from scanner.engines.python.routes import Route, handler_node, routes_of
from scanner.knowledge import ownership as own

_METHODS = ("get", "post", "put", "patch", "delete", "retrieve", "update", "partial_update", "destroy")
#: Generic views whose ``get_object()`` loads by the URL's ``pk`` from ``queryset``/``model``.
_DETAIL_BASES = frozenset({"ModelViewSet", "ReadOnlyModelViewSet", "RetrieveAPIView", "RetrieveUpdateAPIView",
                           "RetrieveDestroyAPIView", "RetrieveUpdateDestroyAPIView", "UpdateAPIView",
                           "DestroyAPIView", "RetrieveModelMixin", "UpdateModelMixin", "DestroyModelMixin",
                           "DetailView", "UpdateView", "DeleteView"})
#: Stock permission classes that authenticate but check no object (any other class may check the owner).
_STOCK_PERMISSIONS = frozenset({"IsAuthenticated", "IsAuthenticatedOrReadOnly"})


def _code(text: str) -> str:
    return inspect.cleandoc(text) + "\n"


class UnscopedObjectAccess(PythonRule):
    """
    ## What it finds
    An authenticated route that takes an object id from the path, the query string or the body and loads,
    updates or deletes that object by the id alone: `Chat.objects.get(id=chat_id)`,
    `get_object_or_404(Chat, pk=pk)`, `session.get(Chat, chat_id)`, `Chat.query.get_or_404(chat_id)`,
    `db.query(Chat).filter(Chat.id == chat_id)`, a DRF viewset whose `queryset` is `Chat.objects.all()`. Not
    reported when the query also filters on an owner field (`user`, `owner_id`, `tenant_id`, `org_id`,
    `created_by`, ...) or reads through the user (`request.user.chats.get(...)`), when the handler checks the
    loaded object's owner (`if chat.user_id != user.id: raise HTTPException(403)`) or calls an access check with
    it, or when the route is for a role (admin decorator or dependency, `is_staff` test, `/admin` URL). Models
    whose class is in the project count only when it has an owner field or a foreign key to a per-user parent.

    ## Why it matters
    Signing in proves who the caller is, not what they may see. Ids are sequential numbers or UUIDs that leak
    through URLs, logs and shared links; any member can swap in another member's id and read, rewrite or delete
    their chats and documents (OWASP API1:2023, broken object level authorization).

    ## Example
    ```python
    @router.get("/api/chats/{chat_id}")
    def get_chat(chat_id: int, user: User = Depends(get_current_user), db: Session = Depends(get_db)):
        return db.get(Chat, chat_id)
    ```

    ## Fix
    Put the owner in the query, so another member's id finds nothing:
    `db.query(Chat).filter(Chat.id == chat_id, Chat.user_id == user.id).first()`,
    `get_object_or_404(Chat, pk=pk, user=request.user)`, or in DRF
    `def get_queryset(self): return Chat.objects.filter(user=self.request.user)`. Answer 404 when nothing is found.
    """

    CODE = "AUTH307"
    COLLECTOR = IndexCollector
    VALID: ClassVar[list[Example]] = [
        Example(_code("""
            from django.contrib.auth.decorators import login_required
            from django.shortcuts import get_object_or_404

            @login_required
            def chat_detail(request, chat_id):
                chat = get_object_or_404(Chat, id=chat_id, user=request.user)
                return render(request, "chat.html", {"chat": chat})
            """), path="chat/views.py"),
        Example(_code("""
            from rest_framework import viewsets
            from rest_framework.permissions import IsAuthenticated

            class ConversationViewSet(viewsets.ModelViewSet):
                permission_classes = [IsAuthenticated]
                serializer_class = ConversationSerializer

                def get_queryset(self):
                    return Conversation.objects.filter(user=self.request.user)
            """), path="chat/views.py"),
        Example(_code("""
            from fastapi import APIRouter, Depends, HTTPException
            router = APIRouter()

            @router.get("/api/chats/{chat_id}")
            def get_chat(chat_id: int, user=Depends(get_current_user), db=Depends(get_db)):
                chat = db.get(Chat, chat_id)
                if chat is None or chat.user_id != user.id:
                    raise HTTPException(status_code=404)
                return chat
            """)),
        Example(_code("""
            from fastapi import APIRouter, Depends
            router = APIRouter()

            @router.delete("/conversations/{cid}")
            async def delete_conversation(cid: str, user=Depends(get_current_user), db=Depends(get_db)):
                convo = db.query(Conversation).filter(Conversation.id == cid, Conversation.owner_id == user.id)
                convo.delete()
            """)),
        Example(_code("""
            from flask import Blueprint, abort
            from flask_login import login_required, current_user
            bp = Blueprint("chats", __name__)

            @bp.get("/chats/<int:chat_id>")
            @login_required
            def show(chat_id):
                chat = Chat.query.filter_by(id=chat_id, user_id=current_user.id).first_or_404()
                return chat.to_dict()
            """)),
        Example(_code("""
            from fastapi import APIRouter, Depends
            router = APIRouter()

            @router.get("/admin/chats/{chat_id}")
            def admin_chat(chat_id: int, user=Depends(get_current_active_superuser), db=Depends(get_db)):
                return db.get(Chat, chat_id)
            """)),
        Example(_code("""
            from flask import Flask
            from flask_login import login_required
            app = Flask(__name__)

            @app.get("/plans/<int:plan_id>")
            @login_required
            def plan(plan_id):
                return Plan.query.get_or_404(plan_id).to_dict()
            """)),
        Example(_code("""
            from django.contrib.auth.decorators import login_required

            @login_required
            def messages(request, chat_id):
                chat = request.user.chats.get(pk=chat_id)
                return JsonResponse({"messages": list(chat.messages.values())})
            """), path="chat/views.py"),
        Example(_code("""
            from fastapi import APIRouter, Depends, HTTPException
            router = APIRouter()

            @router.delete("/api/prompts/{prompt_id}")
            def delete_prompt(prompt_id: int, user=Depends(get_current_user), db=Depends(get_db)):
                prompt = db.query(Prompt).filter(Prompt.id == prompt_id).first()
                project = db.query(Project).filter(Project.id == prompt.project_id).first()
                if project.owner_id != user.id:
                    raise HTTPException(status_code=403)
                db.delete(prompt)
            """), path="app/routes/prompts.py"),
        Example(_code("""
            from fastapi import APIRouter, Depends, HTTPException
            router = APIRouter()

            @router.post("/api/projects/{project_id}/send")
            def send(project_id: int, prompt_id: int, user=Depends(get_current_user), db=Depends(get_db)):
                project = db.query(Project).filter(Project.id == project_id).first()
                if project is None or project.owner_id != user.id:
                    raise HTTPException(status_code=404)
                prompt = db.query(Prompt).filter(Prompt.id == prompt_id, Prompt.project_id == project.id).first()
                return run(prompt)
            """), path="app/routes/prompts.py"),
    ]
    INVALID: ClassVar[list[Example]] = [
        Example(_code("""
            from fastapi import APIRouter, Depends, HTTPException
            router = APIRouter()

            @router.put("/api/prompts/{prompt_id}")
            def update_prompt(prompt_id: int, body: PromptIn, user=Depends(get_current_user), db=Depends(get_db)):
                prompt = db.query(Prompt).filter(Prompt.id == prompt_id).first()
                project = db.query(Project).filter(Project.id == body.project_id).first()
                if project.owner_id != user.id:
                    raise HTTPException(status_code=403)
                prompt.text = body.text
                db.commit()
            """), path="app/routes/prompts.py", line=6),
        Example(_code("""
            from django.contrib.auth.decorators import login_required
            from django.shortcuts import get_object_or_404

            @login_required
            def chat_detail(request, chat_id):
                chat = get_object_or_404(Chat, id=chat_id)
                return render(request, "chat.html", {"chat": chat})
            """), path="chat/views.py", line=6),
        Example(_code("""
            from rest_framework import viewsets
            from rest_framework.permissions import IsAuthenticated

            class ConversationViewSet(viewsets.ModelViewSet):
                permission_classes = [IsAuthenticated]
                queryset = Conversation.objects.all()
                serializer_class = ConversationSerializer
            """), path="chat/views.py", line=6),
        Example(_code("""
            from fastapi import APIRouter, Depends
            router = APIRouter()

            @router.get("/api/chats/{chat_id}")
            def get_chat(chat_id: int, user=Depends(get_current_user), db=Depends(get_db)):
                return db.query(Chat).filter(Chat.id == chat_id).first()
            """), line=6),
        Example(_code("""
            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession
            router = APIRouter()

            @router.delete("/conversations/{conversation_id}")
            async def delete_conversation(conversation_id: str, user=Depends(get_current_user),
                                          session: AsyncSession = Depends(get_session)):
                convo = await session.get(Conversation, conversation_id)
                await session.delete(convo)
                await session.commit()
            """), line=8),
        Example(_code("""
            from flask import Blueprint, request, jsonify
            from flask_jwt_extended import jwt_required
            bp = Blueprint("docs", __name__)

            @bp.post("/documents/delete")
            @jwt_required()
            def delete_document():
                doc_id = request.json.get("document_id")
                Document.query.filter_by(id=doc_id).delete()
                db.session.commit()
                return jsonify(ok=True)
            """), line=9),
        Example(_code("""
            from django.contrib.auth.mixins import LoginRequiredMixin
            from django.views import View

            class ChatHistory(LoginRequiredMixin, View):
                def get(self, request, pk):
                    messages = Message.objects.filter(conversation_id=pk).order_by("created")
                    return JsonResponse({"messages": list(messages.values())})
            """), path="chat/views.py", line=6,
            files=(("chat/models.py", _code("""
                from django.db import models

                class Message(models.Model):
                    conversation = models.ForeignKey("Conversation", on_delete=models.CASCADE)
                    content = models.TextField()
                """)),)),
        Example(_code("""
            from flask import Flask
            from flask_login import login_required
            app = Flask(__name__)

            @app.route("/notes/<int:note_id>", methods=["PUT"])
            @login_required
            def rename(note_id):
                note = Note.query.get_or_404(note_id)
                note.title = request.json["title"]
                db.session.commit()
                return note.to_dict()
            """), line=8),
        Example(_code("""
            from typing import Annotated
            from fastapi import APIRouter, Depends
            router = APIRouter()

            @router.delete("/conversation/{conversation_id}")
            async def delete_conversation(conversation_id: int,
                                          current_user: Annotated[User, Depends(get_current_active_user)]):
                with DatabaseSessionManager() as dsm:
                    dsm.utils.conversation.delete_by_id(conversation_id)
                    return {"status": "success"}
            """), line=9),
    ]

    def leave_Module(self, original_node: cst.Module) -> None:
        for route in routes_of(self.ctx):
            if route.authed and not route.public:
                reported: set[str] = set()
                for access in self._accesses(route):
                    if access.id_name not in reported:  # one finding per handler and request id: one fix
                        reported.add(access.id_name)
                        self._report(route, access)
                node = handler_node(self.ctx, route)
                if not reported and isinstance(node, cst.FunctionDef):
                    self._member_id(route, node)

    def _member_id(self, route: Route, func: cst.FunctionDef) -> None:
        """A signed-in handler that takes a member's own id from its URL (``/users/{user_id}/chats``) and hands
        it to a call while it never reads who is signed in (the user dependency unused, no ``request.user``,
        ``current_user`` or ``get_jwt_identity()``): any member gets any member's data by changing the id."""
        members = [p.name.value for p in func.params.params if _MEMBER_ID.match(p.name.value)
                   and re.search(rf"[{{<:]{p.name.value}[}}>]", route.url)]
        if not members or role_gated(self.ctx, func, route.url):
            return
        body = self.ctx.code_of(func.body)
        auth_params = [p.name.value for p in func.params.params
                       if any(part is not None and re.search(r"\b(?:Depends|Security)\(", self.ctx.code_of(part))
                              for part in (p.default, p.annotation.annotation if p.annotation else None))]
        if _SESSION_READ.search(body) or \
                any(re.search(rf"\b{re.escape(a)}\b", body) for a in auth_params if not _DB_PARAM.match(a)):
            return
        for call in (n for n in walk(func.body) if isinstance(n, cst.Call)):
            name = next((a.value.value for a in call.args if isinstance(a.value, cst.Name)
                         and a.value.value in members), None)
            if name is not None:
                label = FRAMEWORKS[route.framework].label
                prefix = f"{label} " if label and not route.label.startswith(label) else ""
                message = (f"{prefix}{route.label} takes the member id {name} from the path and passes it on without "
                           f"reading who is signed in (handler {route.name}): any member can read or change another "
                           "member's data by changing the id")
                self.report(call, route.context, message, f"{route.label} {route.name} member-id {name}")
                return

    def _accesses(self, route: Route) -> list[Access]:
        node = handler_node(self.ctx, route)
        if isinstance(node, cst.FunctionDef):
            return unscoped_accesses(self.ctx, node, route.url, route.framework)
        if not isinstance(node, cst.ClassDef):
            return []
        out = []
        for stmt in node.body.body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value in _METHODS:
                out += unscoped_accesses(self.ctx, stmt, route.url, route.framework)
        generic = _generic_view(self, node, route.url)
        return out + ([generic] if generic else [])

    def _report(self, route: Route, access: Access) -> None:
        label = FRAMEWORKS[route.framework].label
        prefix = f"{label} " if label and not route.label.startswith(label) else ""
        via = f" through {access.via}()" if access.via else ""
        message = (f"{prefix}{route.label} {access.verb} {access.model} by {access.id_name} from the "
                   f"{access.source}{via} with no check that it belongs to the signed-in user (handler {route.name})")
        self.report(access.node, route.context, message,
                    f"{route.label} {route.name} {access.model} {self.ctx.code_of(access.node)}")


#: A path parameter that names a member: the user whose data the handler serves.
_MEMBER_ID = re.compile(r"(?i)^(?:user|owner|member|customer|account|profile)_?id$|^uid$")
#: Reads of who is signed in (``ownership.SESSION_USER`` without ``user_id``, which is the URL's parameter here).
_SESSION_READ = re.compile(r"\brequest\.user\b|\bcurrent_user\b|\bget_jwt_identity\s*\(|\bg\.user\b|\bsession\s*\[|"
                           r"\bsession\.user\b|\bauth\.uid\b|\bclaims\b|\bprincipal\b|\bidentity\b")
#: Dependency parameters that are a database session, not a user (``db=Depends(get_db)``).
_DB_PARAM = re.compile(r"(?i)^(?:db|session|database|conn|connection|client|redis|settings|config)$")


def _generic_view(rule: UnscopedObjectAccess, cls: cst.ClassDef, url: str) -> Access | None:
    """A DRF generic view or Django ``DetailView``/``UpdateView``/``DeleteView`` whose ``get_object()`` loads by
    the URL's ``pk`` from an unscoped ``queryset``/``model`` (no ``get_queryset``/``get_object`` that filters by
    the user, no custom permission class that may check the object)."""
    ctx = rule.ctx
    bases = {(dotted(b.value) or "").rsplit(".", 1)[-1] for b in cls.bases}
    attrs = _class_attrs(cls)
    methods = {s.name.value: s for s in cls.body.body if isinstance(s, cst.FunctionDef)}
    if not bases & _DETAIL_BASES or "get_object" in methods or _mixin_lookup(ctx, cls):
        return None
    permissions = attrs.get("permission_classes")
    names = set(re.findall(r"\w+", ctx.code_of(permissions.value))) - {"permissions"} if permissions else set()
    if names - _STOCK_PERMISSIONS or "dispatch" in methods:
        return None
    source = methods.get("get_queryset") or attrs.get("queryset") or attrs.get("model")
    if source is None:
        return None
    text = ctx.code_of(source)
    if own.SESSION_USER.search(text) or own.ROLE_CHECK.search(text) or _owner_kw(text) or \
            (isinstance(source, cst.FunctionDef) and role_gated(ctx, source, url)):
        return None
    found = re.search(r"\b([A-Za-z]\w*)\.objects\b", text) or re.search(r"model\s*=\s*([A-Za-z]\w*)", text)
    if found is None or not model_owned(ctx, found.group(1)):
        return None
    lookup = attrs.get("lookup_field")
    key = (string_value(lookup.value) if isinstance(lookup, cst.Assign) else None) or "pk"
    anchor = source.name if isinstance(source, cst.FunctionDef) else source
    return Access(anchor, found.group(1), key, "path", "loads")


def _mixin_lookup(ctx: FileContext, cls: cst.ClassDef) -> bool:
    """True when a project base class of ``cls`` (a mixin: ``class SessionRetrieveAPIView(SessionQuerySetMixin,
    RetrieveAPIView)``) defines ``get_object`` or ``get_queryset``: the lookup is its, not the ``queryset``
    attribute's (set 21 medigenie: ``Session.objects.get(user=user, id=session_id)`` in the mixin)."""
    for base in cls.bases:
        name = ctx.imports.qualify(base.value) or dotted(base.value) or ""
        if not name or name.rsplit(".", 1)[-1] in _DETAIL_BASES:
            continue
        found = ctx.project.definition(name, ctx.path)
        if found is None:
            continue
        node = found[1]
        if isinstance(node, cst.ClassDef) and any(
                isinstance(s, cst.FunctionDef) and s.name.value in ("get_object", "get_queryset")
                for s in node.body.body):
            return True
    return False


def _owner_kw(text: str) -> bool:
    return any(own.is_owner_field(k) for k in re.findall(r"(\w+)\s*=(?!=)", text))


def _class_attrs(cls: cst.ClassDef) -> dict[str, cst.Assign]:
    out = {}
    for stmt in cls.body.body:
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign):
            out[dotted(stmt.body[0].targets[0].target) or ""] = stmt.body[0]
    return out


RULES: tuple[type[PythonRule], ...] = (UnscopedObjectAccess,)
