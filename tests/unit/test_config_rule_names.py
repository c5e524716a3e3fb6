"""Rule names typed by the user: exact full codes, prefixes, slugs, families, and the closest-match hint."""

from __future__ import annotations

import pytest

from scanner.errors import UsageError
from scanner.model import Rule, Severity
from scanner.registry import check_names, matches, selected, unknown_names


def _rule(code: str, slug: str, family: str = "secrets") -> Rule:
    return Rule(code, slug, family, Severity.HIGH, "s", "d", "f")


#: A synthetic registry with a catalogue range (SEC1000+) next to our own codes.
RULES = (_rule("SEC100", "openai-api-key"), _rule("SEC101", "anthropic-api-key"),
         _rule("SEC1000", "catalogue-aws"), _rule("SEC1001", "catalogue-gcp"),
         _rule("AUTH301", "unauthenticated-model-route", "auth"))


def _ids(select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[str]:
    return [r.id for r in selected(RULES, select, ignore)]


def test_a_full_code_matches_exactly() -> None:
    assert _ids(ignore=("SEC100",)) == ["SEC101", "SEC1000", "SEC1001", "AUTH301"]
    assert _ids(select=("sec1000",)) == ["SEC1000"]
    assert not matches(RULES[2], ["SEC100"])


def test_prefixes_slugs_and_families() -> None:
    assert _ids(select=("SEC10",)) == ["SEC100", "SEC101", "SEC1000", "SEC1001"]
    assert _ids(select=("SEC1",)) == ["SEC100", "SEC101", "SEC1000", "SEC1001"]
    assert _ids(select=("AUTH",)) == ["AUTH301"]
    assert _ids(select=("anthropic-api-key", "auth")) == ["SEC101", "AUTH301"]
    assert _ids(ignore=("secrets",)) == ["AUTH301"]


@pytest.mark.parametrize(("name", "close"), [
    ("SEC1OO", "SEC100"), ("secret", "secrets"), ("AUHT301", "AUTH301"), ("openai-key", "openai-api-key"),
    ("SEC102", "SEC101"), ("zzz", None),
])
def test_unknown_names_and_the_closest(name: str, close: str | None) -> None:
    assert unknown_names([name], RULES) == [(name, close)]


def test_check_names_is_one_line() -> None:
    with pytest.raises(UsageError) as info:
        check_names(["SEC100", "SEC1OO", "nope"], "--select", RULES)
    assert str(info.value) == "--select: unknown rule, family or prefix 'SEC1OO' (did you mean SEC100?) (and 1 more)"
    check_names(["SEC1", "auth", "catalogue-gcp"], "--ignore", RULES)
