"""A real `chroma run` server: same pipeline, shared index, and recovery after an outage."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from painguide.ingest import ingest
from tests.conftest import SERVER_COLLECTION, LiveServer, free_port, make_settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server_settings(chroma_server: Any) -> Any:
    s = make_settings(
        chroma_host="127.0.0.1", chroma_port=chroma_server.port, collection=SERVER_COLLECTION
    )
    report = ingest(s)
    assert report.added > 100, report
    return s


def test_server_mode_answers_like_embedded(server_settings: Any, guide: Any) -> None:
    from painguide.pipeline import PainGuide

    remote = PainGuide.from_settings(server_settings)
    q = "Why does exercise help my back pain?"
    a, b = remote.ask(q), guide.ask(q)
    assert a.route == b.route == "answer"
    assert [c.chunk_id for c in a.citations] == [c.chunk_id for c in b.citations]
    assert ingest(server_settings).unchanged > 100, "re-sync against the server re-embedded"


def test_two_app_instances_share_one_index(server_settings: Any) -> None:
    from painguide.pipeline import PainGuide

    first, second = (
        PainGuide.from_settings(server_settings),
        PainGuide.from_settings(server_settings),
    )
    assert first.health()["chunks"] == second.health()["chunks"] > 100


def test_outage_gives_a_clear_503_and_recovers_without_restart(
    server_settings: Any, chroma_server: Any
) -> None:
    from painguide.server import create_app

    port = free_port()
    live = LiveServer(create_app(server_settings, mount_ui=False), port).start()
    try:
        url = f"{live.url}/api/v1/ask"
        ok = httpx.post(url, json={"message": "what is pacing?"}, timeout=60)
        assert ok.status_code == 200 and ok.json()["route"] == "answer", ok.text
        chroma_server.stop()
        down = httpx.post(url, json={"message": "what is pacing?"}, timeout=60)
        assert down.status_code == 503, down.text
        body = down.json()
        assert body["error"] == "temporarily_unavailable" and "Traceback" not in down.text
        emergency = httpx.post(
            url, json={"message": "I can't pee and my groin is numb"}, timeout=60
        )
        assert emergency.json()["route"] == "emergency", "safety must work without the index"
        chroma_server.start_on_same_port()
        deadline = time.monotonic() + 60
        while True:
            back = httpx.post(url, json={"message": "what is pacing?"}, timeout=60)
            if back.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert back.status_code == 200 and back.json()["route"] == "answer", back.text
    finally:
        live.stop()
