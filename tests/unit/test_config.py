"""Config loading: files, precedence, lookup up to the git top level, warnings and errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scanner.config import Config, ConfigError, SecretPattern, load_config


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _git_init(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def test_defaults_without_files(tmp_path: Path) -> None:
    assert load_config(tmp_path) == Config()


def test_pyproject_table(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.launch-ready]\nfail-on = "HIGH"\n'
           'exclude = ["vendor/"]\nseverity = { SEC101 = "medium" }\nauth-decorators = ["my_auth"]\n')
    config = load_config(tmp_path)
    assert (config.fail_on, config.exclude) == ("high", ("vendor/",))
    assert config.severity == (("SEC101", "medium"),)
    assert config.auth_decorators == ("my_auth",)
    assert config.source == "pyproject.toml"


def test_own_file_beats_pyproject_key_by_key(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.launch-ready]\nfail-on = "high"\nignore = ["LOG401"]\n')
    _write(tmp_path / ".launch-ready.toml", 'fail-on = "critical"\n')
    config = load_config(tmp_path)
    assert (config.fail_on, config.ignore) == ("critical", ("LOG401",))
    assert config.source == "pyproject.toml, .launch-ready.toml"


def test_explicit_file_beats_both(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", 'fail-on = "critical"\nselect = ["SEC"]\n')
    mine = _write(tmp_path / "elsewhere" / "audit.toml", 'fail-on = "info"\n')
    config = load_config(tmp_path, mine)
    assert (config.fail_on, config.select) == ("info", ("SEC",))


def test_explicit_pyproject_uses_its_tool_table(tmp_path: Path) -> None:
    mine = _write(tmp_path / "pyproject.toml", '[tool.launch-ready]\npublic-routes = ["/health"]\n')
    assert load_config(tmp_path / "nowhere", mine).public_routes == ("/health",)


def test_lookup_up_to_git_top_level(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _git_init(repo)
    _write(tmp_path / ".launch-ready.toml", 'fail-on = "critical"\n')  # above the repository: not read
    _write(repo / "pyproject.toml", '[tool.launch-ready]\nsensitive-names = ["ssn"]\n')
    _write(repo / "pkg" / "pyproject.toml", '[project]\nname = "inner"\n')  # no table: keep looking
    _write(repo / "pkg" / ".launch-ready.toml", 'fail-on = "medium"\n')
    (repo / "pkg" / "sub").mkdir()
    config = load_config(repo / "pkg" / "sub")
    assert (config.fail_on, config.sensitive_names) == ("medium", ("ssn",))


def test_outside_git_only_the_root(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", 'fail-on = "critical"\n')
    (tmp_path / "sub").mkdir()
    assert load_config(tmp_path / "sub").fail_on == "low"


def test_no_config_skips_repository_files_but_not_explicit(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", 'ignore = ["SEC"]\n')
    mine = _write(tmp_path / "mine.toml", 'fail-on = "high"\n')
    config = load_config(tmp_path, mine, no_config=True)
    assert (config.ignore, config.fail_on, config.no_config) == ((), "high", True)
    assert config.source == "mine.toml (--no-config)".replace("mine.toml", str(mine))


def test_unknown_keys_warn_and_snake_case_is_accepted(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", 'fail_on = "high"\nbogus = 1\n'
           '[[patterns]]\nname = "n"\nregex = "x"\ncolour = "red"\n')
    config = load_config(tmp_path)
    assert config.fail_on == "high"
    assert config.warnings == (
        ".launch-ready.toml: unknown config key 'bogus' ignored",
        ".launch-ready.toml: patterns[0]: unknown pattern key 'colour' ignored",
    )


def test_patterns(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", '[[patterns]]\nname = " acme "\nregex = "acme_[a-z]{8}"\n'
           '[[patterns]]\nname = "b"\nregex = "b_(\\\\d+)"\nseverity = "Low"\n')
    assert load_config(tmp_path).patterns == (
        SecretPattern("acme", "acme_[a-z]{8}", "high"), SecretPattern("b", "b_(\\d+)", "low"))


@pytest.mark.parametrize("toml, message", [
    ('exclude = "vendor/"', ".launch-ready.toml: exclude: expected an array of strings, got a string"),
    ("select = [1, 2]", ".launch-ready.toml: select: expected an array of strings, got an array"),
    ("fail-on = 3", ".launch-ready.toml: fail-on: expected a severity name, got an integer"),
    ('fail-on = "urgent"', ".launch-ready.toml: fail-on: unknown severity 'urgent' (expected one of: "
                           "critical, high, medium, low, info)"),
    ('severity = ["x"]', ".launch-ready.toml: severity: expected a table of rule = severity, got an array"),
    ('severity = { SEC101 = true }', ".launch-ready.toml: severity.SEC101: expected a severity name, "
                                     "got a boolean"),
    ('patterns = "x"', ".launch-ready.toml: patterns: expected an array of tables ([[patterns]]), "
                       "got a string"),
    ('[[patterns]]\nname = "n"', ".launch-ready.toml: patterns[0]: 'regex' must be a non-empty string"),
    ('[[patterns]]\nregex = "x"', ".launch-ready.toml: patterns[0]: 'name' must be a non-empty string"),
    ('[[patterns]]\nname = "n"\nregex = "(?=x)"',
     ".launch-ready.toml: patterns[0]: regex not supported by RE2 (linear-time engine): "
     "invalid perl operator: (?="),
])
def test_wrong_types_are_one_line_errors(tmp_path: Path, toml: str, message: str) -> None:
    _write(tmp_path / ".launch-ready.toml", toml + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(info.value) == message
    assert "\n" not in str(info.value)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", "fail-on = \n")
    with pytest.raises(ConfigError, match=r"invalid TOML"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, tmp_path / "missing.toml", no_config=True)


def test_symlinked_config_is_refused(tmp_path: Path) -> None:
    outside = _write(tmp_path / "outside.toml", 'fail-on = "info"\n')
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / ".launch-ready.toml").symlink_to(outside)
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "root")


def test_explicit_config_may_be_a_symlink(tmp_path: Path) -> None:
    target = _write(tmp_path / "dotfiles" / "lr.toml", 'fail-on = "info"\n')
    (tmp_path / "link.toml").symlink_to(target)
    assert load_config(tmp_path / "nowhere", tmp_path / "link.toml", no_config=True).fail_on == "info"


def test_broken_foreign_pyproject_warns_but_ours_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project\nname = 1\n")
    assert load_config(tmp_path).warnings == (
        "pyproject.toml: not valid TOML; skipped (it has no launch-ready settings)",)
    _write(tmp_path / "pyproject.toml", "[tool.launch-ready\nfail-on = 1\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)


def test_deeply_nested_toml_is_a_config_error(tmp_path: Path) -> None:
    _write(tmp_path / ".launch-ready.toml", "a = " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tmp_path)
