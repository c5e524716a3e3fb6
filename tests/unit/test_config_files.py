"""The config-file engine: `.env*` client exposure and any-origin CORS in hosting config files."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from scanner.config import Config
from scanner.engines.base import ScanContext
from scanner.engines.config_files import ConfigEngine
from scanner.engines.config_files.exposure import public_env_secret, secret_looking_name
from scanner.engines.config_files.headers import ConfigParseError, headers_file, netlify_toml, vercel_json
from scanner.model import ScanFile


def _scan(*files: ScanFile) -> list[tuple[str, str, int, str]]:
    out = ConfigEngine().scan(ScanContext(root=Path("."), files=files, config=Config()))
    return sorted((f.rule_id, f.location.path, f.location.line, f.message) for f in out.findings)


@pytest.mark.parametrize(
    "name",
    [
        "NEXT_PUBLIC_OPENAI_API_KEY",
        "VITE_SUPABASE_SERVICE_ROLE_KEY",
        "REACT_APP_GITHUB_TOKEN",
        "EXPO_PUBLIC_ANTHROPIC_API_KEY",
        "PUBLIC_STRIPE_SECRET_KEY",
        "NUXT_PUBLIC_DATABASE_URL",
        "GATSBY_DB_PASSWORD",
    ],
)
def test_secret_names_behind_public_prefixes(name: str) -> None:
    assert public_env_secret(name) == "secret-looking name"


@pytest.mark.parametrize(
    "name",
    [
        "NEXT_PUBLIC_SUPABASE_ANON_KEY",
        "NEXT_PUBLIC_SUPABASE_URL",
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
        "NEXT_PUBLIC_FIREBASE_API_KEY",
        "NEXT_PUBLIC_GA_MEASUREMENT_ID",
        "NEXT_PUBLIC_POSTHOG_KEY",
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY",
        "OPENAI_API_KEY",
        "VITE_APP_TITLE",
    ],
)
def test_public_by_design_or_server_only_names_are_silent(name: str) -> None:
    assert public_env_secret(name) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEXT_PUBLIC_MAX_TOKENS", "1024"),
        ("NEXT_PUBLIC_TOKEN_REFRESH_INTERVAL", "300"),
        ("NEXT_PUBLIC_PASSWORD_MIN_LENGTH", "12"),
        ("VITE_PASSWORD_LOGIN", "true"),
    ],
)
def test_settings_about_secrets_are_not_secrets(name: str, value: str) -> None:
    assert public_env_secret(name, value) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [("VITE_ADMIN_PASSWORD", "hunter2hunter2"), ("NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY", "eyJhbGciOi.x.y")],
)
def test_secret_names_with_string_values_are_found(name: str, value: str) -> None:
    assert public_env_secret(name, value) == "secret-looking name"


def test_server_secret_names() -> None:
    assert secret_looking_name("OPENAI_API_KEY") and secret_looking_name("DATABASE_URL")
    assert not secret_looking_name("NEXT_PUBLIC_APP_URL") and not secret_looking_name("PORT")


def test_switches_named_for_a_secret_are_not_secrets() -> None:
    """Set 18 MERN-AI-ChatBot: ``VITE_API_USE_CREDENTIALS=true`` turns on axios ``withCredentials``."""
    assert [n for n in ("VITE_API_USE_CREDENTIALS", "NEXT_PUBLIC_ENABLE_TOKEN_REFRESH", "VITE_PASSWORD_REQUIRED",
                        "VITE_CLIENT_SECRET", "VITE_USER_TOKEN", "NEXT_PUBLIC_AUTH_SECRET")
            if secret_looking_name(n)] == ["VITE_CLIENT_SECRET", "VITE_USER_TOKEN", "NEXT_PUBLIC_AUTH_SECRET"]


ENV = (
    "# public config\n"
    "NEXT_PUBLIC_SUPABASE_URL=https://abc.supabase.co\n"
    "\n"
    'NEXT_PUBLIC_OPENAI_API_KEY="${OPENAI_API_KEY}"\n'
    "export VITE_GITHUB_TOKEN=abc123\n"
    "OPENAI_API_KEY=sk-not-public\n"
    "NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJabc\n"
)


def test_env_file_lines_and_no_interpolation() -> None:
    got = _scan(ScanFile(".env", ENV))
    assert [(r, p, line) for r, p, line, _ in got] == [("EXP201", ".env", 4), ("EXP201", ".env", 5)]
    assert all("local file" not in m for *_, m in got)


def test_ignored_env_is_marked_local_and_never_prints_the_value() -> None:
    value = "ghp_" + "A1b2C3d4" * 4
    out = ConfigEngine().scan(
        ScanContext(
            root=Path("."),
            config=Config(),
            files=(ScanFile("web/.env.local", f"VITE_GITHUB_TOKEN={value}\n", origin="ignored-env"),),
        )
    )
    (finding,) = out.findings
    assert (finding.rule_id, finding.location.line) == ("EXP201", 1)
    assert "local file, not committed" in finding.message
    assert value not in finding.snippet and value not in finding.message and value not in finding.match_key


def test_non_env_files_and_bundles_are_not_read_as_env() -> None:
    assert (
        _scan(
            ScanFile("docs/env.md", "NEXT_PUBLIC_OPENAI_API_KEY=x\n"),
            ScanFile(".env", "NEXT_PUBLIC_OPENAI_API_KEY=x\n", origin="bundle"),
        )
        == []
    )


VERCEL = """{
  "headers": [
    {
      "source": "/api/(.*)",
      "headers": [
        { "key": "Access-Control-Allow-Credentials", "value": "true" },
        { "key": "Access-Control-Allow-Origin", "value": "*" }
      ]
    },
    {
      "source": "/public/(.*)",
      "headers": [{ "key": "Access-Control-Allow-Origin", "value": "*" }]
    },
    {
      "source": "/app/(.*)",
      "headers": [{ "key": "Access-Control-Allow-Origin", "value": "https://app.example.com" }]
    }
  ]
}
"""
NETLIFY = """[build]
  publish = "dist"

[[headers]]
  for = "/api/*"
  [headers.values]
    Access-Control-Allow-Origin = "*"
"""
HEADERS = """/*
  X-Frame-Options: DENY
/api/*
  Access-Control-Allow-Origin: *
  Access-Control-Allow-Credentials: true
/static/*
  Access-Control-Allow-Origin: https://example.com
"""


def test_hosting_config_cors() -> None:
    got = [
        (r, p, line)
        for r, p, line, _ in _scan(
            ScanFile("vercel.json", VERCEL),
            ScanFile("site/netlify.toml", NETLIFY),
            ScanFile("public/_headers", HEADERS),
        )
    ]
    assert got == [
        ("CORS501", "site/netlify.toml", 7),
        ("CORS501", "vercel.json", 12),
        ("CORS504", "public/_headers", 4),
        ("CORS504", "vercel.json", 7),
    ]


def test_parsers_directly() -> None:
    assert [h.line for h in vercel_json('{"headers": []}')] == []
    assert [h.line for h in netlify_toml("")] == []
    assert [(h.line, h.credentials) for h in headers_file("/x\n  Access-Control-Allow-Origin: *\n")] == [
        (2, False)
    ]


def test_documentation_text_is_not_a_finding() -> None:
    text = "Set `Access-Control-Allow-Origin: *` only for public assets.\n"
    assert _scan(ScanFile("README.md", text), ScanFile("docs/_headers.md", text)) == []


@pytest.mark.parametrize(
    ("name", "text"),
    [("vercel.json", "{ not json"), ("netlify.toml", "[[headers]\n"), ("vercel.json", "[" * 5000)],
)
def test_bad_config_is_a_note(name: str, text: str) -> None:
    out = ConfigEngine().scan(ScanContext(root=Path("."), files=(ScanFile(name, text),), config=Config()))
    assert out.findings == ()
    assert [(n.level, n.path, n.kind) for n in out.notifications] == [("note", name, "parse-error")]


def test_depth_guard() -> None:
    with pytest.raises(ConfigParseError):
        list(vercel_json("[" * 100 + "]" * 100))


def test_a_real_key_value_behind_a_neutral_public_name_is_found() -> None:
    pytest.importorskip("scanner.engines.secrets.engine")
    value = "ghp_" + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(36))
    got = _scan(ScanFile(".env.production", f"NEXT_PUBLIC_GH={value}\nNEXT_PUBLIC_THEME=dark\n"))
    assert [(r, p, line) for r, p, line, _ in got] == [("EXP201", ".env.production", 1)]
    assert "github-token" in got[0][3] and value not in got[0][3]


def test_firebase_web_key_is_public_by_design_but_the_same_key_for_gemini_is_not() -> None:
    pytest.importorskip("scanner.engines.secrets.engine")
    value = "AIza" + "".join(random.choice(string.ascii_letters + string.digits) for _ in range(35))
    text = f"NEXT_PUBLIC_FIREBASE_API_KEY={value}\nNEXT_PUBLIC_GEMINI_API_KEY={value}\n"
    got = _scan(ScanFile(".env", text))
    assert [(r, line) for r, _, line, _ in got] == [("EXP201", 2)]


# ---- a prefix is public only to the build tool of the app that holds the file ----

_NEXT = '{"dependencies": {"next": "15.1.0", "react": "19.0.0"}}'
_EXPO = '{"dependencies": {"expo": "~51.0.0", "react-native": "0.74.1"}}'
_VITE = '{"devDependencies": {"vite": "^5.2.0"}}'
_KIT = '{"devDependencies": {"@sveltejs/kit": "^2.0.0", "vite": "^5.0.0"}}'
_ENV = "EXPO_PUBLIC_OPENAI_API_KEY=x\nNEXT_PUBLIC_OPENAI_API_KEY=x\nVITE_OPENAI_API_KEY=x\nPUBLIC_OPENAI_API_KEY=x\n"


@pytest.mark.parametrize(("manifest", "lines"), [
    (_NEXT, [2]),
    (_EXPO, [1]),
    (_VITE, [3]),
    (_KIT, [3, 4]),
])
def test_only_the_apps_own_prefixes_are_inlined(manifest: str, lines: list[int]) -> None:
    found = _scan(ScanFile("web/package.json", manifest), ScanFile("web/.env", _ENV))
    assert [(rule, path, line) for rule, path, line, _ in found] == [("EXP201", "web/.env", n) for n in lines]


@pytest.mark.parametrize("files", [
    (ScanFile("backend/.env", _ENV),),  # no package.json up the tree: a monorepo root may feed any app
    (ScanFile("package.json", '{"dependencies": {"webpack": "5.0.0"}}'), ScanFile("backend/.env", _ENV)),
    (ScanFile("package.json", "{not json"), ScanFile("backend/.env", _ENV)),
])
def test_every_prefix_counts_when_the_build_tool_is_unknown(files: tuple[ScanFile, ...]) -> None:
    assert [line for _, _, line, _ in _scan(*files)] == [1, 2, 3, 4]


def test_the_nearest_package_json_decides() -> None:
    found = _scan(ScanFile("package.json", _NEXT), ScanFile("apps/mobile/package.json", _EXPO),
                  ScanFile("apps/mobile/config/.env", _ENV), ScanFile(".env", _ENV))
    assert [(path, line) for _, path, line, _ in found] == [(".env", 2), ("apps/mobile/config/.env", 1)]


def test_inlined_prefixes_reads_no_further_than_the_repository_root() -> None:
    from scanner.engines.config_files.bundlers import inlined_prefixes

    seen: list[str] = []

    def read(rel: str) -> str | None:
        seen.append(rel)
        return None

    assert inlined_prefixes("a/b/.env", read) is None
    assert seen == ["a/b/package.json", "a/package.json", "package.json"]
