"""NestJS: ``@Controller(prefix)`` classes whose ``@Get/@Post/...`` methods are routes, guards
(``@UseGuards`` on the method or class, a global ``APP_GUARD`` / ``useGlobalGuards``), ``@Public()`` opt-outs,
and CORS set by ``enableCors``, ``NestFactory.create(..., {cors: true})`` or ``@Header``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks.shared import CorsHit
from scanner.engines.semgrep.jstext import balanced_end
from scanner.engines.semgrep.project import Project
from scanner.engines.semgrep.routes import Route, anchor, join_url
from scanner.engines.semgrep.runner import Match
from scanner.knowledge import js

_DECLARES = re.compile(r"[\"']@nestjs/(?:common|core)[\"']")
_CONTROLLER = re.compile(r"@Controller\(\s*(?:([\"'`])([^\"'`]*)\1|\{[^}]*path\s*:\s*[\"'`]([^\"'`]*)[\"'`][^}]*\})?"
                         r"[^)]*\)((?:\s*@\w+\([^\n]*\))*)\s*export\s+(?:default\s+)?class\s+\w+[^{]*\{")
_METHOD = re.compile(r"@(Get|Post|Put|Patch|Delete|All)\(\s*(?:([\"'`])([^\"'`]*)\2)?\s*\)")
_DECORATOR = re.compile(r"\s*@[\w$.]+")
_MEMBER_HEAD = re.compile(r"\s*(?:(?:public|private|protected|async|static|override)\s+)*(\w+)\s*(?:<[^>]*>\s*)?\(")
_GLOBAL_GUARD = re.compile(r"APP_GUARD[\s\S]{0,200}useClass\s*:\s*(\w+)|useGlobalGuards\(([^)]*)\)")
_ENABLE_CORS = re.compile(r"\.enableCors\(\s*\)|NestFactory\.create\w*\([^;]*\bcors\s*:\s*true")
#: ``consumer.apply(AuthMiddleware).exclude(...).forRoutes('*')`` in a module's ``configure``.
_CONSUMER = re.compile(r"\.apply\(([^()]*)\)\s*((?:\.exclude\((?:[^()]|\([^()]*\))*\)\s*)*)"
                       r"\.forRoutes\(((?:[^()]|\([^()]*\))*)\)")
_HEADER_STAR = re.compile(r"@Header\(\s*[\"'`]access-control-allow-origin[\"'`]\s*,\s*[\"'`]\*[\"'`]\s*\)", re.I)


class NestJs:
    """The NestJS framework module."""

    name = "nestjs"

    def declares(self, doc: Doc) -> bool:
        """A module importing ``@nestjs/common`` or ``@nestjs/core`` (``main.ts`` builds the app with
        ``NestFactory``)."""
        return bool(_DECLARES.search(doc.text))

    def routes(self, doc: Doc, matches: Sequence[Match], project: Project) -> list[Route]:
        """One route per decorated method of each ``@Controller`` class."""
        out = []
        for ctrl in _CONTROLLER.finditer(doc.text):
            close = balanced_end(doc.text, ctrl.end() - 1)
            if close > 0:
                prefix = ctrl.group(2) or ctrl.group(3) or ""
                out += self._methods(doc, ctrl.end(), close, prefix, ctrl.group(4) or "")
        return out

    def _methods(self, doc: Doc, start: int, end: int, prefix: str, class_decorators: str) -> list[Route]:
        out = []
        for verb in _METHOD.finditer(doc.text, start, end):
            member = _member(doc.text, verb.end(), end)
            if member is None:
                continue
            name, member_start, body_open = member
            body_end = balanced_end(doc.text, body_open)
            if body_end < 0:
                continue
            before = max(doc.text.rfind("}", start, verb.start()), doc.text.rfind(";", start, verb.start()), start)
            decorators = doc.text[before:member_start]
            method = verb.group(1).upper().replace("ALL", "*")
            url = join_url("/" + prefix.strip("/"), verb.group(3) or "")
            m = anchor("js-nestjs-route", doc, verb.start(), body_end)
            out.append(Route(m, "nestjs", name, url, doc.text[member_start:body_end],
                             class_decorators + "\n" + decorators, "", "nestjs", method))
        return out

    def authenticated(self, route: Route, project: Project) -> bool:
        """A guard on the method or class that authenticates (by name, or a project guard whose
        ``canActivate`` reads a credential and refuses), or a global guard."""
        for guards in re.findall(r"@UseGuards\(([^)]*)\)", route.chain):
            if js.NEST_AUTH_GUARD.search("UseGuards(" + guards) or project.authenticates(guards, route.match.path):
                return True
        if any(self._global_guard(doc) for doc in project.docs.values() if _DECLARES.search(doc.text)):
            return True
        return any(c.covers(route) for c in _consumers(project))

    @staticmethod
    def _global_guard(doc: Doc) -> bool:
        return any(re.search(r"(?i)auth|jwt|session|clerk|token", "".join(g))
                   for g in _GLOBAL_GUARD.findall(doc.text))

    def cors(self, doc: Doc) -> list[CorsHit]:
        """``app.enableCors()`` without options and ``{cors: true}`` reflect or allow every origin (NestJS
        passes them to the ``cors`` package: origin ``*``); ``@Header('Access-Control-Allow-Origin', '*')``."""
        hits = [CorsHit("CORS501", doc.text.count("\n", 0, m.start()) + 1,
                        "NestJS enables CORS with its defaults: every origin is allowed ('*')")
                for m in _ENABLE_CORS.finditer(doc.text)]
        hits += [CorsHit("CORS501", doc.text.count("\n", 0, m.start()) + 1,
                         "@Header sets Access-Control-Allow-Origin to '*'")
                 for m in _HEADER_STAR.finditer(doc.text)]
        return hits


def _member(text: str, pos: int, end: int) -> tuple[str, int, int] | None:
    """``(name, start, index of the body's "{")`` of the method a verb decorator at ``pos`` decorates: later
    decorators (``@UseGuards(...)``) are skipped, parameters may hold object types (``@Body() b: { p: string }``)
    and the return type generics (``Promise<{ reply: string }>``)."""
    while (deco := _DECORATOR.match(text, pos)) is not None and deco.end() < end:
        pos = deco.end()
        if text.startswith("(", pos):
            pos = balanced_end(text, pos)
            if pos < 0:
                return None
    head = _MEMBER_HEAD.match(text, pos)
    if head is None:
        return None
    close = balanced_end(text, head.end() - 1)
    if close < 0:
        return None
    depth, i = 0, close
    while i < min(end, close + 400):
        ch = text[i]
        if ch == "<":
            depth += 1
        elif ch == ">" and not text.startswith("=>", i - 1):
            depth -= 1
        elif ch == "{" and depth <= 0:
            return head.group(1), head.start(1), i
        elif ch == "{":
            i = balanced_end(text, i) - 1
            if i < 0:
                return None
        elif ch in ";}":
            return None
        i += 1
    return None


@dataclass(frozen=True)
class _Consumer:
    """Authenticating middleware applied by a NestJS module: the routes it covers (``*`` patterns and
    prefixes, controller files) minus its exclusions."""

    everything: bool
    prefixes: tuple[str, ...]
    controller_files: frozenset[str]
    excluded: tuple[str, ...]

    def covers(self, route: Route) -> bool:
        """True when this middleware runs for ``route``: not excluded, and applied to every route, to the
        route's controller file, or to a prefix of its URL."""
        url = route.url.strip("/")
        if any(_path_matches(e, url) for e in self.excluded):
            return False
        return self.everything or route.match.path in self.controller_files or \
            any(_path_matches(p, url) or url.startswith(p.strip("/") + "/") for p in self.prefixes)


def _path_matches(pattern: str, url: str) -> bool:
    """NestJS route-path pattern (``admin``, ``/admin/*``, ``users/(.*)``, ``:id``) against a URL without slashes
    at its ends."""
    text = re.escape(pattern.strip("/")).replace(r"\(\.\*\)", ".*").replace(r"\*", ".*")
    text = re.sub(r":\w+", "[^/]+", text.replace("\\:", ":"))
    return re.fullmatch(text, url) is not None


def _consumers(project: Project) -> list[_Consumer]:
    """Every ``consumer.apply(...).forRoutes(...)`` whose middleware authenticates (by name, or a class whose
    ``use`` reads a credential and refuses), computed once per scan."""
    cached = project.cache.get("nestjs-consumers")
    if isinstance(cached, list):
        return cached
    out: list[_Consumer] = []
    for path, doc in project.docs.items():
        if ".forRoutes(" not in doc.text:
            continue
        for found in _CONSUMER.finditer(doc.text):
            names = re.findall(r"[A-Za-z_$][\w$]*", found.group(1))
            if not any(_authenticates(n, path, project) for n in names):
                continue
            excluded = [m[1:-1] for m in re.findall(r"\"[^\"]*\"|'[^']*'|`[^`]*`", found.group(2))]
            for spread in re.findall(r"\.\.\.\s*([A-Za-z_$][\w$]*)", found.group(2)):
                excluded += project.constant_strings(spread, path)
            targets = found.group(3)
            strings = [m[1:-1] for m in re.findall(r"\"[^\"]*\"|'[^']*'|`[^`]*`", targets)]
            everything = any(s.strip("/") in ("*", "(.*)", "") for s in strings)
            classes = [c for c in re.findall(r"\b([A-Z]\w*Controller)\b", targets)]
            files = frozenset(p for p, d in project.docs.items()
                              for c in classes if re.search(rf"class\s+{c}\b", d.text))
            out.append(_Consumer(everything, tuple(s for s in strings if s.strip("/") not in ("*", "(.*)", "")),
                                 files, tuple(excluded)))
    project.cache["nestjs-consumers"] = out
    return out


def _authenticates(name: str, path: str, project: Project) -> bool:
    if js.NEST_AUTH_MIDDLEWARE.search(name):
        return True
    found = project.class_method(f"{name}#use", path)
    if found is None:
        return project.authenticates(name, path)
    doc, start, end = found
    body = doc.text[start:end]
    return bool(js.REJECTS.search(body) and js.READS_CREDENTIAL.search(body))
