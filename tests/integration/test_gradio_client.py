"""Drive the running Gradio app with gradio_client: a three-turn conversation keeps context."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


def test_three_turn_conversation_through_gradio_client(live_server: Any) -> None:
    from gradio_client import Client

    client = Client(live_server.url + "/", verbose=False)
    history: list[dict[str, Any]] = []
    turns = [
        "Why does exercise reduce pain?",
        "how long does that last?",
        "what if it hurts while I do it?",
    ]
    replies = []
    for message in turns:
        # gr.State is not part of the API: the client sends the message and the history
        history, sources, _box, _status = client.predict(message, history, api_name="/chat")
        reply = history[-1]["content"]
        if isinstance(reply, list):  # Gradio 6 returns message content as typed parts
            reply = " ".join(p.get("text", "") for p in reply if isinstance(p, dict))
        replies.append(str(reply))
        assert "[1]" in replies[-1], f"{message!r} got no cited answer: {replies[-1]!r}"
        assert "Full references" in sources, f"{message!r}: sources panel {sources!r}"
    assert len(history) == 6
    assert "30 minutes" in replies[1] or "half an hour" in replies[1], replies[1]
