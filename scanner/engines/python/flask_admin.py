"""Flask-Admin views nobody guards: ``admin.add_view(ModelView(User, db.session))`` serves list, create, edit and
delete pages for the model's rows at ``/admin/<model>/`` to anyone, unless the view class (or a project base of
it) defines ``is_accessible``. A guarded ``index_view`` protects only the index page (set 17 IQSheets: seven
views of users, OAuth tokens, prompts and Stripe customers were open). Stock ``ModelView``/``BaseView`` allow
everyone (Flask-Admin's docs, "Authorization & Permissions")."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from scanner.engines.python.base import FileContext, index_of
from scanner.engines.python.names import dotted

#: How deep project base classes are followed looking for ``is_accessible``.
_MAX_BASES = 4
#: Methods that guard a Flask-Admin view.
_GUARDS = frozenset({"is_accessible", "_handle_view", "inaccessible_callback"})


@dataclass(frozen=True)
class OpenAdminView:
    """An ``add_view`` call whose view no ``is_accessible`` guards: the call, and the view as the message names
    it (``ModelView(User)``, ``FineTuneModelView``)."""

    call: cst.Call
    label: str
    #: A model view (list, create, edit and delete pages of a model's rows), not a custom ``BaseView`` page.
    model: bool


def open_admin_views(ctx: FileContext) -> list[OpenAdminView]:
    """The ``add_view(...)`` calls of the module whose Flask-Admin view is unguarded (see the module docstring);
    views whose class cannot be found are not judged."""
    if "add_view" not in ctx.project.texts.get(ctx.path, ""):
        return []
    out: list[OpenAdminView] = []
    for call in index_of(ctx).calls:
        if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "add_view" and call.args and
                isinstance(call.args[0].value, cst.Call)):
            continue
        view = call.args[0].value
        name = ctx.imports.qualify(view.func) or ""
        verdict = _guarded(ctx, ctx.path, name, 0)
        if verdict is False:
            model = dotted(view.args[0].value) if view.args and view.args[0].keyword is None else None
            last = name.rsplit(".", 1)[-1]
            rows = bool(model) and "ModelView" in last
            out.append(OpenAdminView(call, f"{last}({model})" if rows else last, rows))
    return out


def _guarded(ctx: FileContext, path: str, name: str, depth: int) -> bool | None:
    """True when view class ``name`` (as seen from ``path``) or a project base defines a guard; False when it
    reaches Flask-Admin's own classes without one; None when unknown."""
    if name.startswith("flask_admin"):
        return False
    if depth > _MAX_BASES or not name:
        return None
    module = ctx.project.module(path)
    local = ctx.project.local_definition(module, name) if module is not None and "." not in name else None
    found = (path, local) if local is not None else (ctx.project.definition(name, path) if "." in name else None)
    if found is None or not isinstance(found[1], cst.ClassDef):
        return None
    cls_path, cls = found[0], found[1]
    if any(isinstance(s, cst.FunctionDef) and s.name.value in _GUARDS for s in cls.body.body):
        return True
    imports = ctx.project.imports(cls_path)
    verdicts = [_guarded(ctx, cls_path, imports.qualify(b.value) or "", depth + 1) for b in cls.bases]
    if any(v is True for v in verdicts):
        return True
    return False if verdicts and all(v is False for v in verdicts) else None
