"""Loading only the catalogue rules a text can match: the necessary-literal analysis of a rule's regular
expression (never drops a rule that can match), the rule index, and scans equal to the whole catalogue's."""

from __future__ import annotations

import random
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

from scanner.config import Config
from scanner.engines.secrets import catalogue_hits, scan_fragments
from scanner.keys import anchors, catalogue, subset
from scanner.model import Fragment
from tests.rules.secrets.test_catalogue import catalogue_keys

# --- the analysis --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(dop_v1_[a-f0-9]{64})(?:['\"\x60]|$)", [{"dop_v1_"}]),
    (r"(?i)\b(csk-[a-z0-9]{48})", [{"csk-"}]),
    (r"(?:ghp|gho)_[A-Za-z0-9]{36}", [{"ghp_", "gho_"}]),
    (r"(?:(?:[Ss])(?:[Kk])\-(?:[0-9A-Fa-f]){32})", [{"sk-"}]),
    (r"(?x) \b AWS [_-]? TOKEN  # a comment\n [a-z]{16}", [{"aws_token", "aws-token", "awstoken"}]),
    (r"hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9+/]{43}",
     [{"hooks.slack.com/services/", "hooks.slack.com/workflows/"}]),
    (r"(?i:(?:(?-i:[Mm]eraki|MERAKI))(?:[ \t\w.-]{0,20}))=([0-9a-f]{40})", [{"meraki"}, {"="}]),
    (r"\x{41}PI_[[:alnum:]]{4}", [{"api_"}]),
])
def test_necessary_literals_of_key_shapes(pattern: str, expected: list[set[str]]) -> None:
    """VALID: the fixed parts of a pattern (multiplied out over small alternations and classes, case-folded)
    become the literals every match contains."""
    assert [set(s) for s in anchors.necessary(pattern)] == expected


@pytest.mark.parametrize("pattern", [
    r"[a-f0-9]{32}",                      # no fixed text at all
    r"(?:key)?[A-Za-z0-9]{40}",           # the only literal is optional
    r"(?:key|[a-z]{8})=\d+",              # one branch has no literal; "=" still needed
    r"(?:abc)*xyz|q",                     # a starred literal; one branch of one character
    r"\w{20}",
])
def test_no_literal_claimed_where_a_match_can_lack_it(pattern: str) -> None:
    """INVALID: optional, starred or one-sided literals are never required (the rule would be dropped from a
    text it matches)."""
    rx = re.compile(pattern)
    for sample in ("a" * 40, "0123456789abcdef" * 3, "key=1", "xyz", "q", "b" * 8 + "=12"):
        match = rx.search(sample)
        if match is not None:
            assert anchors.satisfied(anchors.necessary(pattern), match.group(0).casefold()), (pattern, sample)


@pytest.mark.parametrize("pattern", [r"(?=lookahead)x", r"\Q", r"a{x}", r"(?#c)"])
def test_unknown_syntax_raises(pattern: str) -> None:
    """Unknown syntax is reported, and the index then loads that rule for every text."""
    with pytest.raises((anchors.Unsupported, ValueError)):
        anchors.necessary(pattern)


def _details() -> list[dict[str, Any]]:
    rules = catalogue._full_scanner().rules
    return [rules.detail(m["id"]) for m in rules.metadata()]


def test_literals_hold_on_random_matches_of_every_rule() -> None:
    """Property: for every catalogue rule Python's ``re`` can compile, random strings its pattern matches
    contain one literal of each needed set (samples generated from the parsed pattern, kept when they match)."""
    import re._constants as C  # noqa: N812
    import re._parser as P  # noqa: N812

    rng = random.Random(11)
    chars = [chr(c) for c in range(32, 127)] + ["\n", "\t", "é", "ſ", "K"]

    def pick(items: list[tuple[Any, Any]], icase: bool) -> str:
        pool: list[str] = []
        for op, av in items:
            if op == C.LITERAL:
                pool.append(chr(av))
            elif op == C.RANGE:
                pool += [chr(rng.randint(av[0], av[1])) for _ in range(3)]
            elif op == C.CATEGORY:
                pool += list("aZ09_ -.:/\"'=\t")
        if items and items[0][0] == C.NEGATE:
            pool = [c for c in chars if c not in pool]
        char = rng.choice(pool or chars)
        return char.swapcase() if icase and rng.random() < 0.5 else char

    def gen(tree: Any, icase: bool) -> str:
        out = []
        for op, av in tree:
            if op == C.LITERAL:
                out.append(chr(av).swapcase() if icase and rng.random() < 0.5 else chr(av))
            elif op in (C.NOT_LITERAL, C.ANY):
                out.append(rng.choice(chars))
            elif op == C.IN:
                out.append(pick(av, icase))
            elif op == C.BRANCH:
                out.append(gen(rng.choice(av[1]), icase))
            elif op == C.SUBPATTERN:
                flags_on, flags_off = av[1], av[2]
                out.append(gen(av[3], (icase or bool(flags_on & re.I)) and not flags_off & re.I))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                low, high = av[0], av[1]
                top = low + 4 if high == C.MAXREPEAT else high
                count = rng.randint(low, max(low, min(top, low + rng.choice([0, 1, 3, 8]))))
                out.append("".join(gen(av[2], icase) for _ in range(count)))
            elif op == C.CATEGORY:
                out.append(rng.choice("aZ09_ "))
        return "".join(out)

    checked = 0
    for detail in _details():
        regex = detail["detection_regex"].replace(r"\z", r"\Z")
        flags = 0
        for head, flag in (("(?i)", re.I), ("(?x)", re.X)):
            if regex.startswith(head):
                regex, flags = regex[len(head):], flags | flag
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compiled, tree = re.compile(regex, flags), P.parse(regex, flags)
        except (re.error, OverflowError):
            continue  # Rust-only syntax (mid-pattern flags)
        needs = anchors.necessary(detail["detection_regex"])
        checked += 1
        for _ in range(40):
            match = compiled.search(" " + gen(tree, bool(flags & re.I)) + " ")
            if match is not None:
                assert anchors.satisfied(needs, match.group(0).casefold()), (detail["id"], match.group(0))
    assert checked > 400


# --- the index and the scans ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index() -> subset.Index:
    idx = subset.index()
    assert idx is not None
    return idx


def test_index_leaves_out_path_scoped_rules_and_they_never_fire_on_text(index: subset.Index) -> None:
    """Path-scoped rules (a Kubernetes Secret in ``*.yaml``) are not indexed: a text scan gives no path, and
    the whole catalogue never runs them then (checked here, so a kingfisher upgrade that changes this fails)."""
    scoped = {d["id"] for d in _details() if d.get("path")}
    assert "betterleaks.kubernetes-secret-yaml" in scoped
    assert scoped.isdisjoint(index.by_id)
    manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\ndata:\n  password: c2VjcmV0cGFzc3dvcmQxMjM=\n"
    assert [f.rule_id for f in catalogue._full_scanner().scan(manifest)] == []


def test_index_needs_and_dependencies(index: subset.Index) -> None:
    """A DigitalOcean token needs its rules only; a rule that depends on another brings it along."""
    token = "dop_v1_" + "a1" * 32
    needed = index.needed(f'DO_TOKEN = "{token}"'.casefold())
    assert "betterleaks.digitalocean-pat" in needed
    assert len(needed) < 20
    dependent = next(r for r in index.rules if r.deps and r.needs)
    text = " ".join(sorted(need)[0] for need in dependent.needs)
    needed = index.needed(text.casefold())
    assert dependent.rule_id in needed
    assert set(dependent.deps) <= needed
    assert index.needed("plain words only".casefold()) <= {r.rule_id for r in index.rules if not r.needs}


def test_present_finds_exactly_the_literals_that_occur(index: subset.Index) -> None:
    """One RE2 set pass gives the literals ``in`` finds, one by one, on every text of the corpus, on all of it
    joined, and on text with non-ASCII characters next to literals."""
    texts = [*_corpus(), "\n".join(_corpus()), "ключ=aws_секрет ghp_ü", ""]
    for text in texts:
        folded = text.casefold()
        assert index.present(folded) == {s for s in index.strings if s in folded}
    assert index.present("plain words only") == set()


def _corpus() -> list[str]:
    keys = catalogue_keys()
    lines = [f'{name} = "{value}"' for name, value in keys.items()]
    fixtures = Path(__file__).resolve().parents[2] / "cases"
    texts = ["\n".join(lines)] + lines
    for path in sorted(fixtures.rglob("*"))[:400]:
        if path.is_file() and path.stat().st_size < 200_000:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return texts


def test_subset_scans_equal_the_whole_catalogue() -> None:
    """Every visible match of a rule we report (not owned by our detectors) is the same with the rules the
    text needs as with the whole catalogue: rule, secret and place."""
    full = catalogue._full_scanner()
    owned = catalogue_hits.OWNED
    compared = 0
    for text in _corpus():
        ours = subset.scanner_for([text], owned)
        got = set() if ours is None else {(f.rule_id, f.secret, str(f.location)) for f in ours.scan(text)
                                          if f.visible}
        want = {(f.rule_id, f.secret, str(f.location)) for f in full.scan(text) if f.visible
                and not catalogue_hits._NAMESPACE.sub("", f.rule_id).startswith(owned)}
        assert got >= want, text[:200]
        compared += len(want)
    assert compared >= 5


def test_a_batch_loads_the_rules_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fragments scanned together load one rule set (the union of what they need), not one per fragment."""
    import kingfisher_sdk

    loads: list[int] = []
    real = kingfisher_sdk.Rules

    def counting(*args: Any, **kwargs: Any) -> Any:
        rules = real(*args, **kwargs)
        loads.append(len(rules))
        return rules

    monkeypatch.setattr(kingfisher_sdk, "Rules", counting)
    monkeypatch.setattr(subset._Loaded, "ids", frozenset())
    keys = catalogue_keys()
    fragments = [Fragment(f"app/m{i}.py", ((1, f'{name} = "{value}"'),))
                 for i, (name, value) in enumerate(keys.items())]
    findings, _ = scan_fragments(fragments, Config())
    assert len(loads) == 1
    assert sorted(f.location.path for f in findings) == [f"app/m{i}.py" for i in range(len(keys))]


def test_a_text_no_rule_can_match_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key-shaped token with no literal of any rule around it never loads kingfisher's rules."""
    idx = subset.index()
    assert idx is not None
    assert idx.needed("q1w2e3r4t5y6u7i8o9p0") == frozenset(r.rule_id for r in idx.rules if not r.needs)
    if not any(not r.needs for r in idx.rules):
        monkeypatch.setattr(subset._Loaded, "ids", frozenset())
        assert subset.scanner_for(["q1w2e3r4t5y6u7i8o9p0"], catalogue_hits.OWNED) is None


def _old_wants(text: str) -> bool:
    """The previous implementation of the token test (a loop over regex matches), kept as the reference."""
    two_digits = re.compile(r"(?<![\w+/=.~-])(?=[\w+/=.~-]{14})[A-Za-z_+/=.~-]*\d[A-Za-z_+/=.~-]*\d")
    token = re.compile(r"[\w+/=.~-]*")
    for match in two_digits.finditer(text):
        found = token.match(text, match.start())
        if found is not None and sum(c.isalpha() for c in found.group()) >= 2:
            return True
    return re.search(r"-----BEGIN|://[^\s/@]{1,200}@", text) is not None


def test_wants_accepts_whatever_the_old_loop_accepted() -> None:
    """Property: the one-regex prefilter says yes wherever the previous loop did (it may say yes more often
    for non-ASCII letters; never less)."""
    rng = random.Random(5)
    alphabet = "ab09_+/=.~- \n\"'éK" + "xyz123"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        if _old_wants(text):
            assert catalogue.wants("a.py", text), repr(text)
    assert not catalogue.wants("a.py", "handler_1_23 = value")
    assert catalogue.wants("a.py", 'token = "dop_v1_' + "ab12" * 16 + '"')
    assert not catalogue.wants("package-lock.json", 'x = "dop_v1_' + "ab12" * 16 + '"')
