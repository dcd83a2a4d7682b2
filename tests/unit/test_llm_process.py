"""The LLM worker process with a fake backend: a crash, a hang or an error in the child never
takes the caller down, and the next request gets a new child."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from painguide.answer.generate import EXTRACTIVE, LLMGenerator
from painguide.answer.llm_process import (
    LLMWorker,
    LLMWorkerDied,
    LLMWorkerError,
    ProcessChatModel,
    describe_exit,
)
from painguide.errors import ProviderMissingError
from tests.unit.test_generate import (
    GOOD_1,
    GOOD_2,
    FakeKB,
    HashEmbeddings,
    make_draft,
    state_for,
)


def echo_backend(delay_s: float = 0.0, reply: str = "") -> tuple[Any, dict[str, Any]]:
    """Runs in the child: echoes the last message word by word, or a fixed reply.

    Special prompts: 'crash' (SIGSEGV), 'hang' (sleeps), 'fail' (raises).
    """

    def stream(messages: Sequence[tuple[str, str]]) -> Iterator[str]:
        text = messages[-1][1]
        if text == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        if text == "hang":
            time.sleep(600)
        if text == "fail":
            raise ValueError("the backend refused")
        for word in (reply or text).split():
            time.sleep(delay_s)
            yield word + " "

    return stream, {"chat_format": "gemma", "pid": os.getpid()}


def broken_backend() -> tuple[Any, dict[str, Any]]:
    """Runs in the child: the model cannot be loaded."""
    raise ProviderMissingError("No GGUF model here; check the path.")


@pytest.fixture()
def worker() -> Iterator[LLMWorker]:
    w = LLMWorker(echo_backend, {})
    w.start()
    yield w
    w.close()


def test_streams_text_from_the_child(worker: LLMWorker) -> None:
    pieces = list(worker.stream([("system", "be brief"), ("human", "pain is a signal")], 30))
    assert pieces == ["pain ", "is ", "a ", "signal "], pieces
    assert worker.info["chat_format"] == "gemma"
    assert worker.info["pid"] == worker.pid != os.getpid()


def test_a_crash_fails_one_request_and_the_next_gets_a_new_child(worker: LLMWorker) -> None:
    first_pid = worker.pid
    with pytest.raises(LLMWorkerDied, match="SIGSEGV"):
        list(worker.stream([("human", "crash")], 30))
    assert worker.pid is None
    assert list(worker.stream([("human", "still here")], 30)) == ["still ", "here "]
    assert worker.starts == 2 and worker.pid not in {None, first_pid}, (worker.pid, first_pid)
    assert worker.deaths == ["during a request: signal SIGSEGV"], worker.deaths


def test_a_backend_error_keeps_the_child(worker: LLMWorker) -> None:
    pid = worker.pid
    with pytest.raises(LLMWorkerError, match="refused"):
        list(worker.stream([("human", "fail")], 30))
    assert list(worker.stream([("human", "ok")], 30)) == ["ok "]
    assert worker.pid == pid and worker.starts == 1 and not worker.deaths


def test_a_silent_child_is_killed_and_replaced(worker: LLMWorker) -> None:
    t = time.monotonic()
    with pytest.raises(LLMWorkerDied, match="without output"):
        list(worker.stream([("human", "hang")], 1.0))
    assert time.monotonic() - t < 15
    assert list(worker.stream([("human", "back")], 30)) == ["back "]
    assert worker.starts == 2 and "SIGKILL" in worker.deaths[0], worker.deaths


def test_closing_a_stream_early_cancels_it_in_the_child() -> None:
    worker = LLMWorker(echo_backend, {"delay_s": 0.05})
    try:
        pieces = worker.stream([("human", " ".join(["word"] * 200))], 30)
        assert next(pieces) == "word "
        pieces.close()  # cancel after one piece
        t = time.monotonic()
        assert list(worker.stream([("human", "next one")], 30)) == ["next ", "one "]
        assert time.monotonic() - t < 5, "the cancelled request ran on"
        assert worker.starts == 1
    finally:
        worker.close()


def test_a_model_that_cannot_load_is_a_provider_error() -> None:
    worker = LLMWorker(broken_backend, {})
    with pytest.raises(ProviderMissingError, match="check the path"):
        worker.start()
    assert worker.pid is None


def test_describe_exit() -> None:
    assert describe_exit(-signal.SIGSEGV) == "signal SIGSEGV"
    assert describe_exit(1) == "exit code 1"
    assert describe_exit(None) == "still running"


def test_chat_model_invoke_and_stream_use_the_child() -> None:
    model = ProcessChatModel.start(echo_backend, {}, timeout_s=30)
    try:
        assert model.chat_format == "gemma"
        messages = [SystemMessage(content="rules"), HumanMessage(content="calm nerves")]
        assert model.invoke(messages).content == "calm nerves "
        pieces = [c.content for c in model.stream(messages) if c.content]
        assert pieces == ["calm ", "nerves "], pieces
    finally:
        model.worker.close()


def test_answer_engine_serves_the_draft_when_the_child_dies_mid_answer() -> None:
    """SIGKILL the child while it writes: the draft is served, the next answer uses a new child."""
    reply = f"{GOOD_1} {GOOD_2}"
    model = ProcessChatModel.start(echo_backend, {"delay_s": 0.3, "reply": reply}, timeout_s=60)
    gen = LLMGenerator(model, HashEmbeddings(), spec="llamacpp:/m/fake.gguf", timeout_s=60)
    assert gen.fold_system and gen._lock is not None  # gemma format and one call at a time
    draft = make_draft()
    kb = FakeKB.build({p["chunk_id"]: p["text"] for p in draft.passages})
    try:
        first_pid = model.worker.pid
        assert first_pid is not None
        killer = threading.Timer(1.0, os.kill, (first_pid, signal.SIGKILL))
        killer.start()
        t = time.monotonic()
        engine, text, removed = gen.answer(state_for(), draft, None, kb)
        killer.join()
        assert (engine, text, removed) == (EXTRACTIVE, draft.text, ()), engine
        assert time.monotonic() - t < 8, "the caller waited for the whole reply"
        assert model.worker.deaths == ["during a request: signal SIGKILL"], model.worker.deaths

        engine, text, _ = gen.answer(state_for(), draft, None, kb)
        assert engine == gen.engine, (engine, text)
        assert model.worker.starts == 2 and model.worker.pid not in {None, first_pid}
    finally:
        model.worker.close()
