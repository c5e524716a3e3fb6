"""The output scrubber redacts key-shaped runs it was not told about, and leaves file paths and commit ids."""

from __future__ import annotations

import pytest

from scanner.scrub import scrub_text
from tests.rules.secrets.keys import ALNUM, rand


@pytest.mark.parametrize("text", [
    "warning: generated/prisma/libquery_engine-darwin-arm64.dylib.node: blob at commit 2c2bdfb73c8d",
    "could not read /tmp/pytest-of-root/pytest-12/test_history_damage0/repo/src/app.py",
    "node_modules/.pnpm/@types+react-dom@18.2.7/node_modules/@types/react-dom/index.d.ts",
    "commit 0123456789abcdef0123456789abcdef01234567 added it",
    # an environment variable's name is no key (set 15: EXP201 named ``NEXT…EY``, which nobody can act on)
    "secretAccessKey: process.env.NEXT_PUBLIC_S3_SECRET_ACCESS_KEY,",
    "OPENAI_API_KEY_FOR_PRODUCTION_2 is inlined into the browser bundle",
])
def test_paths_and_commit_ids_stay(text: str) -> None:
    assert scrub_text(text) == text


def test_a_base64_secret_with_slashes_is_redacted() -> None:
    secret = f"{rand(ALNUM, 12)}/{rand(ALNUM, 14)}+{rand(ALNUM, 12)}"
    out = scrub_text(f"aws said: {secret}")
    assert secret not in out and out.startswith("aws said: " + secret[:4])


def test_a_key_shaped_run_is_redacted() -> None:
    run = rand(ALNUM, 40)
    assert run not in scrub_text(f"token {run} in message")


def test_upper_case_key_groups_joined_by_underscores_are_redacted() -> None:
    groups = "_".join(rand("ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + rand("0123456789", 2) for _ in range(7))
    assert groups not in scrub_text(f"license {groups}")


def test_a_snake_case_secret_with_a_random_piece_is_redacted() -> None:
    """An environment name stays whole, a value shaped like one with key material in it does not (an attack
    from the README: ``"ACME_PROD_SESSION_SIGNING_KEY_X9F4K2M7Q1"`` as a Flask ``SECRET_KEY``)."""
    secret = "ACME_PROD_SESSION_SIGNING_KEY_" + rand("ABCDEFGHJKLMNPQRSTUVWXYZ", 5) + rand("0123456789", 5)
    assert secret not in scrub_text(f'app.config["SECRET_KEY"] = "{secret}"')
