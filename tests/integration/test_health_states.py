"""Start-up failures each have their own error, message and /healthz state (real components)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import free_port, make_settings

pytestmark = pytest.mark.integration


def _health(settings: Any) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """GET /healthz and POST /api/v1/ask on an API-only app built from these settings."""
    from painguide.server import create_app

    with TestClient(create_app(settings, mount_ui=False)) as client:
        health = client.get("/healthz")
        ask = client.post("/api/v1/ask", json={"message": "what is pacing?"})
    assert ask.status_code == 503, f"ask with a broken start-up: HTTP {ask.status_code} {ask.text}"
    return health.status_code, health.json(), ask.json()


def test_model_that_fails_to_load_is_reported_as_such(tmp_path: Path) -> None:
    bad_model = tmp_path / "no-such-model"
    bad_model.mkdir()
    status, body, ask = _health(
        make_settings(index_dir=tmp_path / "i", embedding_model=str(bad_model))
    )
    assert status == 503, f"/healthz with model {bad_model}: {status} {body}"
    assert body["status"] == "unavailable" and body["reason"] == "model_load_failed", body
    assert "embedding model" in body["error"] and str(bad_model) in body["error"], body
    assert "index" not in body["error"].split("(")[0], f"blames the index: {body['error']}"
    assert ask["reason"] == "model_load_failed" and "Traceback" not in str(ask), ask


def test_missing_index_is_reported_with_the_command_to_build_it(tmp_path: Path) -> None:
    status, body, ask = _health(make_settings(index_dir=tmp_path / "empty-index"))
    assert status == 503 and body["reason"] == "index_missing", body
    assert "painguide ingest" in body["error"], f"no next step in {body['error']!r}"
    assert ask["reason"] == "index_missing", ask


def test_unreachable_chroma_server_is_reported_with_its_address(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    s = make_settings(index_dir=tmp_path / "i", chroma_host="127.0.0.1", chroma_port=port)
    status, body, ask = _health(s)
    assert status == 503 and body["reason"] == "chroma_unreachable", body
    assert f"127.0.0.1:{port}" in body["error"], f"address missing from {body['error']!r}"
    assert "chroma run" in body["error"], f"no next step in {body['error']!r}"
    assert ask["reason"] == "chroma_unreachable", ask
