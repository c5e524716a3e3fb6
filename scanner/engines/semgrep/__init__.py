"""The semgrep engine: one offline semgrep run over the JS/TS files, mapped to shared rulebook rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from scanner.engines.base import EngineOutput, ScanContext
from scanner.engines.config_files.bundlers import inlined_here, manifest_reader
from scanner.engines.config_files.exposure import public_env_secret, secret_looking_name
from scanner.engines.semgrep.auth import AuthAnalysis
from scanner.engines.semgrep.doc import Doc
from scanner.engines.semgrep.frameworks import FRAMEWORKS
from scanner.engines.semgrep.imports import PATH_ALIASES, path_aliases
from scanner.engines.semgrep.jstext import balanced_end, has_directive, split_args
from scanner.engines.semgrep.launch_messages import MESSAGES as LAUNCH_MESSAGES
from scanner.engines.semgrep.launch_messages import one_per_signing_literal
from scanner.engines.semgrep.logflow import request_value_logging
from scanner.engines.semgrep.nextmw import middleware_texts
from scanner.engines.semgrep.prefilter import select
from scanner.engines.semgrep.prompt_messages import PROMPT_RULES, one_per_route, prompt_message
from scanner.engines.semgrep.runner import Match, SemgrepError, is_js, is_minified, rules_dir, run
from scanner.engines.semgrep.server_props import server_secret_props
from scanner.knowledge import js
from scanner.model import Finding, Location, Notification, Rule
from scanner.redact import snippet_of
from scanner.rulebook import RULES, rule
from scanner.sources.reading import read_file

_CODE = re.compile(r"^\s+code:\s*([A-Z]+\d+)\s*$", re.M)
_CONFIG_FILE = re.compile(r"(?:^|/)(?:next|vite|nuxt)\.config\.[cm]?[jt]s$")
#: Build configs whose entries replace an expression where code writes it (Next.js ``env``, Vite ``define``: webpack's
#: and esbuild's define): a name no source file uses ships nowhere. Nuxt's ``runtimeConfig.public`` is serialized into
#: every page whether code reads it or not.
_REPLACED_ON_USE = re.compile(r"(?:^|/)(?:next|vite)\.config\.[cm]?[jt]s$")
_CLIENT_ENV = re.compile(r"\b(?:VITE|REACT_APP|EXPO_PUBLIC|GATSBY)_\w+|import\.meta\.env\b")
_SERVER_DIR = re.compile(r"(?:^|/)(?:server|api|backend|functions|supabase|scripts|lib/server)/")
_ENV_NAME = re.compile(
    r"(?:process\.env|env)\.(\w+)|[\"'](?:process\.env\.|import\.meta\.env\.)?([A-Z][A-Z0-9_]+)[\"']"
)


class SemgrepEngine:
    """JS/TS rules from ``rules/semgrep`` (shipped as ``scanner.rules_data``); semgrep starts only when the
    scan has JS/TS files. Rules are the shared ``scanner.rulebook`` rules named by each YAML's ``code``."""

    name = "semgrep"

    def rules(self) -> tuple[Rule, ...]:
        """The rulebook rules our YAML files report (their ``metadata.code``) plus AUTH301-303, AUTH305."""
        try:
            folder = rules_dir()
        except SemgrepError:
            return ()
        codes = {c for p in folder.glob("*.yaml") for c in _CODE.findall(p.read_text(encoding="utf-8"))}
        codes |= {"AUTH301", "AUTH302", "AUTH303", "AUTH305", "LR601"}
        return tuple(RULES[c] for c in sorted(codes) if c in RULES)

    def scan(self, ctx: ScanContext) -> EngineOutput:
        """Run semgrep once over ``ctx.files`` that are JS/TS sources (minified bundles are noted, not
        scanned); semgrep missing or failing is an error notification (an incomplete scan). Imports resolve
        through the path aliases of the scan's ``tsconfig.json``/``jsconfig.json`` files."""
        configs = {f.path: f.text for f in ctx.files
                   if f.path.rsplit("/", 1)[-1] in ("tsconfig.json", "jsconfig.json") and "node_modules/" not in f.path}
        token = PATH_ALIASES.set(path_aliases(configs))
        try:
            return self._scan(ctx)
        finally:
            PATH_ALIASES.reset(token)

    def _scan(self, ctx: ScanContext) -> EngineOutput:
        wanted = {"client-exposure", "auth", "logging", "cors", "launch"} & set(ctx.families)
        files = [f for f in ctx.files if is_js(f.path) and f.origin in ("source", "staged")]
        if not wanted or not files:
            return EngineOutput()
        minified = {f.path for f in files if is_minified(f)}
        notes = [Notification("note", "minified file not analysed by the JS/TS rules", f.path, "skipped")
                 for f in files if f.path in minified]
        targets = [f for f in files if f.path not in minified]
        if not targets:
            return EngineOutput((), tuple(notes))
        groups = select({f.path: f.text for f in targets})
        wanted_paths = {p for paths in groups.values() for p in paths}
        chosen = [f for f in targets if f.path in wanted_paths]
        try:
            matches, file_notes = run(ctx.root, chosen, ctx.mode == "tree", ctx.jobs, groups) \
                if chosen else ([], [])
        except SemgrepError as exc:
            message = f"JS/TS rules did not run on {len(chosen)} file(s): {exc}"
            return EngineOutput((), (*notes, Notification("error", message, None, "engine-error")))
        docs = {f.path: Doc.of(f.path, f.text) for f in targets}
        context = {} if ctx.mode == "tree" else middleware_texts(lambda rel: read_file(ctx.root, rel).text)
        read = manifest_reader(ctx.root, ctx.files)
        auth = AuthAnalysis(matches, docs, ctx.config, context, read)
        findings = one_per_signing_literal(one_per_route(self._direct(matches, docs, read, ctx.mode == "tree"))) + \
            auth.findings(matches)
        findings += framework_cors(docs.values())
        findings += configured_name_logging(docs.values(), ctx.config.sensitive_names)
        if "logging" in wanted:
            findings += request_value_logging(docs.values(), matches)
        if "client-exposure" in wanted:
            findings += server_secret_props(docs)
        return EngineOutput(tuple(most_severe(findings)), (*notes, *file_notes), tuple(auth.inventory))

    def _direct(self, matches: Sequence[Match], docs: dict[str, Doc], read: Callable[[str], str | None],
                complete: bool) -> list[Finding]:
        """Findings of the matches that are findings by themselves; ``complete`` when ``docs`` hold every JS/TS
        source of the project (a tree scan, not staged files)."""
        out = []
        for m in matches:
            if m.role or m.code not in RULES or m.path not in docs:
                continue
            doc = docs[m.path]
            text = doc.slice(m.start, m.end)
            message = _message(m, text, doc, docs, read, complete)
            if message is not None:
                loc = Location(m.path, m.line, doc.column(m.line, m.column))
                out.append(Finding(rule(m.code), loc, message, snippet_of(doc.line(m.line)),
                                   context=m.rule_id, match_key=" ".join(text.split())[:200]))
        return out


def _message(m: Match, text: str, doc: Doc, docs: dict[str, Doc], read: Callable[[str], str | None],
             complete: bool) -> str | None:
    """The finding message, or None when the engine's own judgement drops the match."""
    if m.rule_id in LAUNCH_MESSAGES:  # issue 13: AUTH306, LR604
        return LAUNCH_MESSAGES[m.rule_id]
    if m.rule_id in PROMPT_RULES:  # issue 13: LR602, LR603
        return prompt_message(m.rule_id, text, doc, m.start)
    if m.rule_id == "js-public-env-secret":
        reason = public_env_secret(text)
        if reason is not None and not inlined_here(_bare_env_name(text), m.path, read):
            return None
        return None if reason is None else f"{text} is inlined into the browser bundle ({reason})"
    if m.rule_id == "js-bundle-inlines-server-secret":
        names = [a or b for a, b in _ENV_NAME.findall(text)]
        secret = [n for n in names if secret_looking_name(n)]
        if complete and _REPLACED_ON_USE.search(m.path):
            secret = [n for n in secret if _referenced_elsewhere(n, m.path, docs)]
        if not _CONFIG_FILE.search(m.path) or not secret:
            return None
        return f"build config inlines {secret[0]} into every client chunk"
    if m.rule_id.startswith("js-log-") and "console." in doc.line(m.line) and not is_server_code(doc):
        return None
    if m.rule_id.startswith("js-log-") and _logger_wrapper_parameter(m, text, doc):
        return None
    if m.rule_id == "js-log-prompt" and _error_text(text, doc, m.start):
        return None
    if m.rule_id == "js-browser-model-fetch":
        if not is_browser_code(doc, docs) or not _model_url(text, doc):
            return None
        return "browser code calls a model API directly with a key header; the key ships to every visitor"
    if m.rule_id == "js-cors-origin-prefix" and _closed_prefixes(text, doc):
        return None
    if m.rule_id in _CORS_CHECK_MESSAGES:
        return _CORS_CHECK_MESSAGES[m.rule_id].format(text=" ".join(text.split())[:80])
    short = RULES[m.code].short.rstrip(".")
    if m.rule_id.startswith("js-log-") and _EXPRESSION.fullmatch(text):
        return f"{short}: {text}"
    return short


def _referenced_elsewhere(name: str, config: str, docs: dict[str, Doc]) -> bool:
    """True when a JS/TS source other than the build configs names ``name`` (``process.env.JWT_SECRET``,
    ``import.meta.env.JWT_SECRET``, ``env["JWT_SECRET"]``)."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(path != config and not _CONFIG_FILE.search(path) and name in doc.text and word.search(doc.text)
               for path, doc in docs.items())


#: CORS502 origin checks that let foreign origins through, by what they get wrong.
_CORS_CHECK_MESSAGES = {
    "js-cors-origin-prefix": "CORS accepts any origin that starts with an allowed one (`{text}`): "
                             "https://app.example.com.attacker.tld passes; compare whole origins",
    "js-cors-shared-host-suffix": "CORS accepts every origin on a shared hosting domain (`{text}`): anyone can deploy "
                                  "a site there and read the API's answers",
}
#: A logging utility module (``utils/logger.ts``, ``lib/log.js``, ``logging/index.ts``).
_LOGGER_MODULE = re.compile(r"(?:^|/)(?:(?:loggers?|logging)/[\w.-]+|(?:loggers?|logging|log)\.[cm]?[jt]s)$")
#: A function's head: ``name: (params) =>``, ``name = async function (params) {``, ``function name(params) {``,
#: ``name(params) {`` (its name in group 1, 2 or 3, its parameters in group 4).
_FUNCTION_HEAD = re.compile(r"(?:\b([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s*)?(?:function\s*)?|"
                            r"\bfunction\s+([A-Za-z_$][\w$]*)\s*|\b([A-Za-z_$][\w$]*)\s*)"
                            r"\(([^()]*)\)\s*(?::\s*[^={};]+)?\s*(?:=>|\{)")
#: A logging method's name (``info: (message) => ...``, ``function warn(msg)``).
_LOG_METHOD = re.compile(r"(?i)^(?:log|info|warn|warning|error|debug|trace|fatal|verbose|silly|success|notice|"
                         r"critical|http|db|auth|security|request|child)$")


#: ``origin.startsWith(p)``: the prefix variable.
_PREFIX_ARG = re.compile(r"startsWith\(\s*([A-Za-z_$][\w$]*)\s*\)")


def _closed_prefixes(text: str, doc: Doc) -> bool:
    """True when the prefix of an ``origin.startsWith(p)`` check is an element of an array literal of this module
    (``ALLOWED.some((p) => origin.startsWith(p))``, ``for (const p of ALLOWED)``) whose every entry is a string
    ending in ``:`` or ``/`` (``"http://localhost:"``, ``"https://app.example.com/"``): no other host can start
    with one (a browser's Origin has no path)."""
    prefix = _PREFIX_ARG.search(text)
    if prefix is None:
        return False
    name = re.escape(prefix.group(1))
    bound = re.search(rf"([A-Za-z_$][\w$.]*)\s*\.\s*(?:some|every|find|findIndex|filter)\s*\(\s*(?:async\s*)?"
                      rf"\(?\s*{name}\s*(?::[^)=]*)?\)?\s*=>|\bfor\s*\(\s*(?:const|let|var)\s+{name}\s+of\s+"
                      rf"([A-Za-z_$][\w$.]*)\s*\)", doc.text)
    if bound is None:
        return False
    array = re.escape((bound.group(1) or bound.group(2)).rsplit(".", 1)[-1])
    declared = re.search(rf"\b(?:const|let|var)\s+{array}\s*(?::[^=;]+)?=\s*\[|\b{array}\s*:\s*\[", doc.text)
    if declared is None:
        return False
    close = balanced_end(doc.text, declared.end() - 1)
    if close < 0:
        return False
    entries = [e.strip() for e in split_args(doc.text[declared.end():close - 1]) if e.strip()]
    return bool(entries) and all(re.fullmatch(r"([\"'`])[^\"'`$]*[:/]\1", e) for e in entries)


def _logger_wrapper_parameter(m: Match, text: str, doc: Doc) -> bool:
    """True when the logged value is a parameter of a logging utility's own function (``info: (message: string)
    => { console.log(`[INFO] ${message}`) }`` in ``utils/logger.ts``): what it writes is whatever callers pass,
    and the callers' log calls are the ones judged (set 16: six findings on one logger wrapper)."""
    if not _LOGGER_MODULE.search(m.path):
        return False
    name = text.strip().split(".")[0]
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return False
    before = doc.text[max(0, m.start - 400):m.start]
    heads = list(_FUNCTION_HEAD.finditer(before))
    if not heads:
        return False
    head = heads[-1]
    method = head.group(1) or head.group(2) or head.group(3) or ""
    # a logging method (``info``, ``warn``), not a helper with a name of its own (``recordPrompt(prompt)``, whose
    # callers are no log calls)
    return _LOG_METHOD.match(method) is not None and \
        re.search(rf"(?<![\w$]){re.escape(name)}\b", head.group(4)) is not None


def _error_text(text: str, doc: Doc, at: int) -> bool:
    """True when a bare name logged as a message was last assigned an error's text (``const msg = error
    instanceof Error ? error.message : String(error)``): a failure, not a member's message."""
    name = text.strip()
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return False
    window = doc.text[max(0, at - 1500):at]
    assigned = list(re.finditer(rf"\b(?:const|let|var)\s+{re.escape(name)}\s*(?::[^=;]+)?=\s*([^;\n]+)", window))
    if not assigned:
        return False
    # a later binding of the name (``const { message } = req.body`` in the next handler) is no error's text
    later = window[assigned[-1].end():]
    bound = re.escape(name)
    if re.search(rf"\{{[^{{}}]*(?<![\w$]){bound}\b[^{{}}]*\}}\s*(?::[^=;]+)?=|\(\s*[^()]*\b{bound}\b[^()]*\)\s*=>",
                 later):
        return False
    return re.search(r"(?<![\w$.])(?:err|error|e|ex|exc|exception)\s*(?:\??\.\s*(?:message|toString|stack)\b|"
                     r"\s+instanceof\b)|\bString\(\s*(?:err|error|e|ex|exc|exception)\s*\)",
                     assigned[-1].group(1)) is not None


_MODEL_HOST_TEXT = re.compile("|".join(re.escape(h) for h in js.MODEL_HOSTS_JS))


def _model_url(text: str, doc: Doc) -> bool:
    """True when the fetched URL names a model API's host, or is a constant (``CHAT_URL``, ``API_URL``) that the
    module sets to one; a constant holding the app's own backend (``const API_URL =
    import.meta.env.VITE_API_URL``) is not (set 16 QanoonAI: the app's own ``/tts`` route)."""
    call = text.split("headers", 1)[0]  # the URL and what precedes the options' headers
    if _MODEL_HOST_TEXT.search(call):
        return True
    for name in re.findall(r"\b([A-Z][A-Z0-9_]*URL)\b", call):
        assigned = re.search(rf"\b(?:const|let|var)\s+{name}\s*(?::[^=]+)?=\s*([^;\n]+)", doc.text)
        if assigned is not None and _MODEL_HOST_TEXT.search(assigned.group(1)):
            return True
    return False


def _bare_env_name(text: str) -> str:
    """``NAME`` of ``process.env.NAME`` / ``import.meta.env.NAME`` / ``NAME``."""
    return text.rsplit(".", 1)[-1].strip()


_EXPRESSION = re.compile(r"(?:await\s+)?[\w$.?\[\]'\"()]{1,80}")
_LOG_CALL = re.compile(
    r"\b(console|\w*logger|log|pino|winston|bunyan)\.(?:log|info|warn|error|debug|trace|fatal)\s*\("
)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def configured_name_logging(docs: Iterable[Doc], names: Sequence[str]) -> list[Finding]:
    """LOG403 for log calls whose arguments name one of the project's ``sensitive_names`` (config), e.g.
    ``patientId``; string literals do not count, and ``console.*`` only in server code."""
    if not names:
        return []
    wanted = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    out = []
    for doc in docs:
        for number, line in enumerate(doc.lines, 1):
            call = _LOG_CALL.search(line)
            if call and wanted.search(_QUOTED.sub("", line[call.end():])) and \
                    (call.group(1) != "console" or is_server_code(doc)):
                loc = Location(doc.path, number, call.start() + 1)
                out.append(Finding(rule("LOG403"), loc, "log call carries a configured sensitive name",
                                   snippet_of(line), context="sensitive_names", match_key=line.strip()[:200]))
    return out


def framework_cors(docs: Iterable[Doc]) -> list[Finding]:
    """CORS findings only a framework module can see (NestJS ``enableCors()``, ``hono/cors`` defaults)."""
    out = []
    for doc in docs:
        for framework in FRAMEWORKS.values():
            if framework.declares(doc):
                for hit in framework.cors(doc):
                    line = doc.line(hit.line)
                    out.append(Finding(rule(hit.code), Location(doc.path, hit.line), hit.message, snippet_of(line),
                                       context=f"{framework.name}-cors", match_key=line.strip()[:200]))
    return out


def is_server_code(doc: Doc) -> bool:
    """True for code whose ``console.*`` output lands in a server log: route handlers, server actions, Express
    and friends, serverless functions. ``console.log`` in a CLI script or a browser component prints to the
    user's own terminal or devtools, which is not a log system."""
    return js.server_module(doc.path, doc.text)


def is_browser_code(doc: Doc, docs: dict[str, Doc]) -> bool:
    """A ``'use client'`` module, or a module that reads a client-only env prefix (Vite, CRA, Expo, Gatsby)
    outside server folders, or any non-server module of a Vite/Expo/CRA project."""
    if has_directive(doc.text, "use client"):
        return True
    if _SERVER_DIR.search(doc.path):
        return False
    if _CLIENT_ENV.search(doc.text):
        return True
    return any(p.rsplit("/", 1)[-1].startswith("vite.config.") for p in docs)


def most_severe(findings: list[Finding]) -> list[Finding]:
    """One finding per (path, line, family): the most severe, then the lowest code (one log call carrying a
    token and an email is one LOG404 finding)."""
    best: dict[tuple[str, int, str], Finding] = {}
    for f in findings:
        key = (f.location.path, f.location.line, f.family)
        old = best.get(key)
        if old is None or (-f.severity.rank, f.rule_id) < (-old.severity.rank, old.rule_id):
            best[key] = f
    return list(best.values())
