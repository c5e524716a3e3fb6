"""The demo app live: its FastAPI back end runs on 127.0.0.1 with its OpenAI client pointed at a loopback stub, and
`launch-ready probe --routes fixtures/demo-app --allow-writes` finds the planted unauthenticated model route and
the credentialed CORS reflection."""

from __future__ import annotations

import importlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.probe.servers import Reply, Seen, serve

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo-app"
COMPLETION = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
              "choices": [{"index": 0, "finish_reason": "stop",
                           "message": {"role": "assistant", "content": "Step 1: 2 + 2 = 4."}}],
              "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16}}


def _model_stub(seen: Seen) -> Reply:
    if seen.method == "POST" and seen.path.endswith("/chat/completions"):
        return Reply(200, {"Content-Type": "application/json"}, json.dumps(COMPLETION).encode())
    return Reply(404)


@pytest.fixture
def demo_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[Seen]]]:
    """The demo back end on 127.0.0.1 (uvicorn in a thread), its model calls going to a loopback stub."""
    uvicorn = pytest.importorskip("uvicorn")
    for name in ("fastapi", "openai", "pydantic"):
        pytest.importorskip(name)
    with serve(_model_stub) as stub:
        monkeypatch.setenv("OPENAI_BASE_URL", stub.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-" + "0" * 20)  # fake: the stub ignores it
        monkeypatch.syspath_prepend(str(DEMO))
        _forget_backend()
        try:
            app = importlib.import_module("backend.main").app
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error",
                                                   lifespan="off"))
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            yield f"http://127.0.0.1:{_port_of(server)}", stub.seen
            server.should_exit = True
            thread.join(10)
        finally:
            _forget_backend()


def _port_of(server: Any) -> int:
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise TimeoutError("uvicorn did not start")
        time.sleep(0.05)
    return int(server.servers[0].sockets[0].getsockname()[1])


def _forget_backend() -> None:
    for name in [m for m in sys.modules if m == "backend" or m.startswith("backend.")]:
        del sys.modules[name]


def test_demo_app_live(demo_backend: tuple[str, list[Seen]]) -> None:
    url, model_calls = demo_backend
    result = CliRunner().invoke(main, ["probe", url, "--routes", str(DEMO), "--allow-writes", "--burst", "5",
                                       "--format", "json"], catch_exceptions=False)
    doc = json.loads(result.stdout)
    backend = sorted((f["rule_id"], f["path"], f["line"]) for f in doc["findings"] if f["path"].startswith("backend/"))
    assert backend == [("AUTH308", "backend/main.py", 38), ("CORS507", "backend/main.py", 38),
                       ("LR606", "backend/main.py", 38)]
    assert [f["rule_id"] for f in doc["findings"] if not f["path"].startswith(("backend/", "frontend/"))] == [
        "EDGE701"]
    assert ("GET", "/api/me", "backend/main.py", 54) in {(r["method"], r["path"], r["file"], r["line"])
                                                          for r in doc["routes"]}
    assert doc["stats"]["auth_pass"] >= 1  # GET /api/me answered 401
    assert len(model_calls) >= 6  # the auth check and the burst reached the model stub, nothing else did
    assert result.exit_code == 1
