"""`scan` opens no socket: an audit hook fails any connect while `api.scan` runs on the demo app, and semgrep (a
separate process the hook cannot see) is started with its offline flags."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from scanner import api
from scanner.config import Config
from scanner.engines.semgrep.runner import find_semgrep
from tests.probe.conftest import no_socket

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-app"


def test_scan_of_the_demo_app_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[list[str], dict[str, str] | None]] = []
    real_run = subprocess.run

    def recording(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        started.append((list(cmd), kwargs.get("env")))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording)
    with no_socket():
        result = api.scan(DEMO, Config(), api.ScanOptions(jobs=1))
    assert not result.incomplete, result.notifications
    assert ("AUTH301", "backend/main.py", 38) in {(f.rule_id, f.location.path, f.location.line)
                                                  for f in result.findings}
    if find_semgrep() is None:
        pytest.skip("semgrep is not installed: its command line cannot be checked")
    [(cmd, env)] = [(c, e) for c, e in started if Path(c[0]).name.startswith("semgrep")]
    assert "--metrics=off" in cmd and "--disable-version-check" in cmd
    assert env is not None and env["SEMGREP_ENABLE_VERSION_CHECK"] == "0" and env["SEMGREP_SEND_METRICS"] == "off"


def test_the_no_socket_guard_works() -> None:
    import socket

    with no_socket(), pytest.raises(RuntimeError, match="no-network"), \
            socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.connect(("127.0.0.1", 9))
