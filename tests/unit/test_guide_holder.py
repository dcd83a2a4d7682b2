"""GuideHolder keeps each start-up failure's own type and retries after a pause."""

from __future__ import annotations

from typing import Any

import pytest

from painguide import server
from painguide.errors import ChromaUnreachableError, ModelLoadError, PipelineLoadError
from painguide.pipeline import PainGuide


def _holder(monkeypatch: pytest.MonkeyPatch, error: Exception) -> tuple[Any, list[int]]:
    calls: list[int] = []

    def fail(_settings: Any) -> Any:
        calls.append(1)
        raise error

    monkeypatch.setattr(PainGuide, "from_settings", classmethod(lambda cls, s: fail(s)))
    return server.GuideHolder(settings=None), calls  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ModelLoadError("Could not load embedding model 'x'"), "model_load_failed"),
        (ChromaUnreachableError("chroma server 127.0.0.1:9", "refused"), "chroma_unreachable"),
    ],
)
def test_failure_keeps_its_own_type(
    monkeypatch: pytest.MonkeyPatch, error: Exception, reason: str
) -> None:
    holder, calls = _holder(monkeypatch, error)
    with pytest.raises(type(error)) as info:
        holder.get()
    assert info.value.reason == reason, f"{error!r} reported as {info.value.reason}"
    with pytest.raises(type(error)):
        holder.get()  # within the retry pause: the same failure, no new attempt
    assert len(calls) == 1, f"{error!r}: {len(calls)} load attempts inside the retry pause"
    monkeypatch.setattr(server, "GUIDE_RETRY_S", 0.0)
    with pytest.raises(type(error)):
        holder.get()
    assert len(calls) == 2, f"{error!r}: no new attempt after the retry pause"


def test_unexpected_failure_is_not_blamed_on_the_index(monkeypatch: pytest.MonkeyPatch) -> None:
    holder, _ = _holder(monkeypatch, RuntimeError("out of memory"))
    with pytest.raises(PipelineLoadError) as info:
        holder.get()
    text = str(info.value)
    assert info.value.reason == "load_failed", info.value.reason
    assert "RuntimeError: out of memory" in text and "index" not in text, text
    assert holder.error == text, holder.error


def test_chroma_message_names_the_server_and_the_next_step() -> None:
    text = str(ChromaUnreachableError("chroma server 10.0.0.5:8000", "Connection refused"))
    assert "10.0.0.5:8000" in text and "Connection refused" in text, text
    assert "chroma run" in text and "PAINGUIDE_CHROMA_HOST" in text, text
