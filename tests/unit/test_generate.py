"""The optional LLM engine with fake chat models: prompt contents, verification, fallbacks."""

from __future__ import annotations

import itertools
import sys
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from painguide.answer.compose import Draft
from painguide.answer.generate import (
    LLMGenerator,
    build_messages,
    engine_label,
    make_chat_model,
    verify_answer,
)
from painguide.answer.prompts import PROMPT_VERSION
from painguide.answer.verify import split_answer_sentences, strip_citations, support
from painguide.config import Settings
from painguide.errors import ProviderMissingError
from painguide.safety.router import Turn
from painguide.text import content_terms
from painguide.types import Answer, Citation

DIM = 512


class HashEmbeddings:
    """Deterministic bag-of-words embedding: stemmed content words hashed into DIM buckets."""

    model_name = "hash-bow"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in content_terms(text):
                out[i, zlib.crc32(term.encode()) % DIM] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


P1 = (
    "Regular exercise calms the nervous system and lowers pain sensitivity over time. "
    "Walking is a gentle way to start moving again after a flare-up."
)
P2 = (
    "Pacing means doing a little more activity each week without big flare-ups. "
    "Staying in bed for long periods often makes back pain last longer."
)
QUESTION = "Why does exercise help my back pain?"
GOOD_1 = "Regular exercise calms the nervous system and lowers pain sensitivity over time [1]."
GOOD_2 = "Pacing means doing a little more activity each week without big flare-ups [2]."
INVENTED = "Exercise cures cancer in 3 days [1]."


@dataclass
class FakeKB:
    """Just what the verifier reads: sentence vectors per chunk and the embedding model."""

    embeddings: HashEmbeddings = field(default_factory=HashEmbeddings)
    sentence_vectors: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, passages: dict[str, str]) -> FakeKB:
        kb = cls()
        for chunk_id, text in passages.items():
            kb.sentence_vectors[chunk_id] = kb.embeddings.encode(split_answer_sentences(text))
        return kb


def make_draft() -> Draft:
    passages = (
        {
            "n": 1,
            "chunk_id": "c1",
            "doc_id": "d1",
            "title": "Exercise and pain",
            "section": "Why it helps",
            "text": P1,
            "score": 0.9,
        },
        {
            "n": 2,
            "chunk_id": "c2",
            "doc_id": "d2",
            "title": "Pacing",
            "section": "Key points",
            "text": P2,
            "score": 0.8,
        },
    )
    citations = tuple(
        Citation(
            n=p["n"],
            doc_id=p["doc_id"],
            title=p["title"],
            section=p["section"],
            chunk_id=p["chunk_id"],
            sources=(),
        )
        for p in passages
    )
    s1 = "Regular exercise calms the nervous system and lowers pain sensitivity over time."
    s2 = "Pacing means doing a little more activity each week without big flare-ups."
    return Draft(f"{s1} [1] {s2} [2]", ((s1, 1), (s2, 2)), citations, passages)


@pytest.fixture()
def kb() -> FakeKB:
    return FakeKB.build({"c1": P1, "c2": P2})


@pytest.fixture()
def draft() -> Draft:
    return make_draft()


def state_for(question: str = QUESTION) -> dict[str, Any]:
    return {
        "message": question,
        "resolved": question,
        "history": [
            Turn("user", "My back hurts after gardening."),
            Turn("assistant", "Back pain is common and usually settles [1]."),
        ],
    }


def generator(model: Any, **kw: Any) -> LLMGenerator:
    kw.setdefault("timeout_s", 5.0)
    return LLMGenerator(model, HashEmbeddings(), spec="openai:fake", **kw)


def fake(*replies: str) -> FakeListChatModel:
    return FakeListChatModel(responses=list(replies))


# --- the prompt -----------------------------------------------------------------------------------
def test_prompt_has_passages_question_and_recent_turns_but_no_settings(draft: Draft) -> None:
    settings = Settings(
        _env_file=None,
        llm="openai:secret-model-name",
        llm_base_url="http://10.9.8.7:1234/v1",
        llm_api_key="sk-very-secret-key",
        clinic_name="Zebra Clinic",
        clinic_contact="Dr Quokka on 0123 456",
        emergency_number="dial 5550199",
    )
    gen = generator(fake("x"))
    messages = gen.messages(state_for(), draft)
    assert [m.type for m in messages] == ["system", "human"]
    assert messages[0].content.startswith("You are Pain Guide's answer writer")
    human = messages[1].content
    assert "[1] Exercise and pain" in human and "[2] Pacing" in human
    assert P1 in human and P2 in human
    assert QUESTION in human
    assert "My back hurts after gardening." in human
    assert "[1]." not in human.split("Passages:")[0]  # earlier citation markers are stripped
    whole = "\n".join(str(m.content) for m in messages)
    for value in (
        settings.llm,
        settings.llm_base_url,
        settings.llm_api_key,
        settings.clinic_name,
        settings.clinic_contact,
        settings.emergency_number,
        "secret",
    ):
        assert value not in whole


def test_prompt_keeps_only_the_last_four_turns_bounded() -> None:
    history = [Turn("user", f"turn number {i} " + "word " * 500) for i in range(10)]
    human = build_messages("q?", history, [{"n": 1, "text": "t"}])[1].content
    assert "turn number 5" not in human
    for i in range(6, 10):
        assert f"turn number {i}" in human
    assert len(human) < 4 * 450 + 500


def test_prompt_uses_the_resolved_question(draft: Draft) -> None:
    state = {**state_for("how long does that last?"), "resolved": "how long does that last? back"}
    human = generator(fake("x")).messages(state, draft)[1].content
    assert "Question: how long does that last? back" in human


def test_engine_label_records_prompt_version() -> None:
    assert engine_label("openai:gemma") == f"llm:openai:gemma:prompt-v{PROMPT_VERSION}"
    assert engine_label("llamacpp:/models/x/tiny.gguf") == "llm:llamacpp:tiny.gguf:prompt-v1"


# --- verification ---------------------------------------------------------------------------------
def test_invented_sentence_is_removed_and_reported(draft: Draft, kb: FakeKB) -> None:
    gen = generator(fake(f"{GOOD_1} {GOOD_2} {INVENTED}"))
    engine, text, removed = gen.answer(state_for(), draft, None, kb)
    assert engine == f"llm:openai:fake:prompt-v{PROMPT_VERSION}"
    assert removed == (INVENTED,)
    assert "cancer" not in text
    assert "Regular exercise calms" in text and "Pacing means" in text
    assert_supported(text, draft, kb)


def test_citation_of_a_missing_passage_is_removed(draft: Draft, kb: FakeKB) -> None:
    bogus = "Regular exercise calms the nervous system [9]."
    engine, text, removed = generator(fake(f"{GOOD_1} {GOOD_2} {bogus}")).answer(
        state_for(), draft, None, kb
    )
    assert engine.startswith("llm:")
    assert removed == (bogus,)
    assert "[9]" not in text
    assert_supported(text, draft, kb)


def test_uncited_sentence_is_removed(draft: Draft, kb: FakeKB) -> None:
    uncited = "Regular exercise calms the nervous system."
    _, text, removed = generator(fake(f"{GOOD_1} {uncited} {GOOD_2}")).answer(
        state_for(), draft, None, kb
    )
    assert removed == (uncited,)
    assert_supported(text, draft, kb)


def test_only_supporting_citations_are_kept_on_a_sentence(draft: Draft, kb: FakeKB) -> None:
    both = "Regular exercise calms the nervous system and lowers pain sensitivity [1][2]."
    result = verify_answer(f"{both} {GOOD_2}", draft.passages, kb, kb.embeddings, QUESTION)
    assert result.kept[0].endswith("[1]") and "[2]" not in result.kept[0]
    assert result.removed == ()


def test_comma_citations_are_understood(draft: Draft, kb: FakeKB) -> None:
    result = verify_answer(
        "Regular exercise calms the nervous system and lowers pain sensitivity [1, 2]. " + GOOD_2,
        draft.passages,
        kb,
        kb.embeddings,
        QUESTION,
    )
    assert len(result.kept) == 2 and result.removed == ()


def test_too_few_verified_sentences_fall_back(draft: Draft, kb: FakeKB) -> None:
    engine, text, removed = generator(fake(f"{GOOD_1} {INVENTED}")).answer(
        state_for(), draft, None, kb
    )
    assert (engine, text) == ("extractive", draft.text)
    assert removed == (INVENTED,)


def test_less_than_half_verified_falls_back(draft: Draft, kb: FakeKB) -> None:
    junk = " ".join(f"Bananas grow on tall purple hills number {i} [1]." for i in range(3))
    engine, text, removed = generator(fake(f"{GOOD_1} {GOOD_2} {junk}")).answer(
        state_for(), draft, None, kb
    )
    assert (engine, text) == ("extractive", draft.text)
    assert len(removed) == 3


def test_no_answer_falls_back(draft: Draft, kb: FakeKB) -> None:
    assert generator(fake("NO_ANSWER")).answer(state_for(), draft, None, kb) == (
        "extractive",
        draft.text,
        (),
    )


def test_no_answer_with_other_text_falls_back_and_reports_it(draft: Draft, kb: FakeKB) -> None:
    engine, text, removed = generator(fake(f"{GOOD_1} {INVENTED} NO_ANSWER")).answer(
        state_for(), draft, None, kb
    )
    assert (engine, text) == ("extractive", draft.text)
    assert removed == (INVENTED,)


def test_prompt_leak_falls_back(draft: Draft, kb: FakeKB) -> None:
    leak = f"You are Pain Guide's answer writer [1]. {GOOD_1} {GOOD_2}"
    engine, text, removed = generator(fake(leak)).answer(state_for(), draft, None, kb)
    assert (engine, text, removed) == ("extractive", draft.text, ())  # no prompt text leaves


# --- failures: timeout, errors, missing providers -------------------------------------------------
def test_model_past_the_timeout_serves_extractive(draft: Draft, kb: FakeKB) -> None:
    import time

    slow = FakeListChatModel(responses=[f"{GOOD_1} {GOOD_2}"], sleep=3.0)
    t = time.perf_counter()
    result = generator(slow, timeout_s=0.3).answer(state_for(), draft, None, kb)
    assert result == ("extractive", draft.text, ())
    assert time.perf_counter() - t < 2.0


def test_a_call_queued_behind_a_timed_out_one_never_starts(draft: Draft, kb: FakeKB) -> None:
    import time

    calls: list[float] = []

    class CountingModel(FakeListChatModel):
        def _call(self, *args: Any, **kwargs: Any) -> str:
            calls.append(time.monotonic())
            return super()._call(*args, **kwargs)

    model = CountingModel(responses=[f"{GOOD_1} {GOOD_2}"], sleep=1.0)
    gen = generator(model, timeout_s=0.2, serialize=True)
    for _ in range(3):  # the first holds the lock for 1 s; the next two give up while queued
        assert gen.answer(state_for(), draft, None, kb)[0] == "extractive"
    time.sleep(1.5)
    assert len(calls) == 1


class BrokenModel(GenericFakeChatModel):
    """A chat model whose every call fails."""

    def _generate(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("connection refused")

    def _stream(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("connection refused")


def test_model_error_serves_extractive(
    draft: Draft, kb: FakeKB, caplog: pytest.LogCaptureFixture
) -> None:
    gen = generator(BrokenModel(messages=iter([])))
    with caplog.at_level("INFO", logger="painguide"):
        assert gen.answer(state_for(), draft, None, kb) == ("extractive", draft.text, ())
    assert "RuntimeError" in caplog.text
    assert QUESTION not in caplog.text and "gardening" not in caplog.text


def test_logs_never_contain_message_text(
    draft: Draft, kb: FakeKB, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="painguide"):
        generator(fake(f"{GOOD_1} {GOOD_2} {INVENTED}")).answer(state_for(), draft, None, kb)
    assert caplog.records
    for text in (QUESTION, "cancer", "Regular exercise", "gardening"):
        assert text not in caplog.text


def test_unknown_provider_names_the_install_commands() -> None:
    with pytest.raises(ProviderMissingError) as err:
        make_chat_model("bogus:model", None, None, 5)
    assert "pip install 'painguide[ollama]'" in str(err.value)
    with pytest.raises(ProviderMissingError):
        make_chat_model("openai:", None, None, 5)


@pytest.mark.parametrize(
    ("spec", "module", "extra"),
    [
        ("ollama:llama3.2", "langchain_ollama", "ollama"),
        ("openai:gpt-4o-mini", "langchain_openai", "openai"),
        ("llamacpp:/tmp/model.gguf", "langchain_community", "llamacpp"),
        ("llamacpp:/tmp/model.gguf", "llama_cpp", "llamacpp"),
    ],
)
def test_missing_extra_gives_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, spec: str, module: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails, find_spec finds nothing
    with pytest.raises(ProviderMissingError) as err:
        make_chat_model(spec, None, None, 5)
    assert f"pip install 'painguide[{extra}]'" in str(err.value)
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_from_settings_reports_missing_provider() -> None:
    with pytest.raises(ProviderMissingError):
        LLMGenerator.from_settings(Settings(_env_file=None, llm="nope:x"))


# --- streaming ------------------------------------------------------------------------------------
class FakeChain:
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.calls: list[dict[str, Any]] = []

    def invoke(self, inputs: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(inputs)
        return self.state


class FakeGuide:
    def __init__(self, state: dict[str, Any], kb: FakeKB) -> None:
        self.chain = FakeChain(state)
        self.kb = kb


def answer_state(draft: Draft, route: str = "answer") -> dict[str, Any]:
    answer = Answer(
        route=route,
        answer=draft.text,
        citations=draft.citations,  # type: ignore[arg-type]
        passages=draft.passages,
        timings_ms={"total_ms": 5.0},
        query=QUESTION,
    )
    return {**state_for(), "answer": answer, "draft": draft}


def test_stream_yields_growing_text_then_verified_answer(draft: Draft, kb: FakeKB) -> None:
    reply = f"{GOOD_1} {GOOD_2} {INVENTED}"
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    guide = FakeGuide(answer_state(draft), kb)
    out = list(generator(model).stream(guide, QUESTION, [{"role": "user", "content": "hi"}]))
    assert guide.chain.calls[0]["skip_generation"] is True
    assert guide.chain.calls[0]["history"] == [{"role": "user", "content": "hi"}]
    texts, final = out[:-1], out[-1]
    # one update per verified sentence; the invented sentence is never shown, not even briefly
    assert len(texts) == 2 and all(isinstance(t, str) for t in texts), texts
    assert all(b.startswith(a) for a, b in itertools.pairwise(texts))
    assert not any("cancer" in t for t in texts), texts
    assert isinstance(final, Answer)
    assert final.engine.startswith("llm:openai:fake:prompt-v")
    assert final.removed == (INVENTED,)
    assert "cancer" not in final.answer
    assert final.citations == draft.citations and "generate_ms" in final.timings_ms
    assert_supported(final.answer, draft, kb)


def test_stream_non_answer_route_never_calls_the_model(draft: Draft, kb: FakeKB) -> None:
    state = answer_state(draft, route="emergency")
    state["answer"] = Answer(route="emergency", answer="Call 911 now.")
    del state["draft"]
    out = list(generator(BrokenModel(messages=iter([]))).stream(FakeGuide(state, kb), "x"))
    assert out == ["Call 911 now.", state["answer"]]


def test_stream_timeout_falls_back(draft: Draft, kb: FakeKB) -> None:
    slow = FakeListChatModel(responses=[f"{GOOD_1} {GOOD_2}"], sleep=0.05)
    out = list(generator(slow, timeout_s=0.5).stream(FakeGuide(answer_state(draft), kb), "q"))
    final = out[-1]
    assert isinstance(final, Answer)
    assert (final.engine, final.answer) == ("extractive", draft.text)
    assert all(isinstance(t, str) for t in out[:-1])


def test_stream_never_shows_an_echoed_prompt(draft: Draft, kb: FakeKB) -> None:
    from painguide.answer.prompts import system_prompt

    model = GenericFakeChatModel(messages=iter([AIMessage(content=system_prompt())]))
    out = list(generator(model).stream(FakeGuide(answer_state(draft), kb), "q"))
    assert not any("answer writer" in t or "You are" in t for t in out[:-1])
    assert isinstance(out[-1], Answer)
    assert (out[-1].engine, out[-1].answer, out[-1].removed) == ("extractive", draft.text, ())


def test_stream_error_and_no_answer_fall_back(draft: Draft, kb: FakeKB) -> None:
    for model in (BrokenModel(messages=iter([])), fake("NO_ANSWER")):
        out = list(generator(model).stream(FakeGuide(answer_state(draft), kb), "q"))
        assert not any("NO_ANSWER" in t for t in out[:-1])
        assert isinstance(out[-1], Answer)
        assert (out[-1].engine, out[-1].answer) == ("extractive", draft.text)


# --- helpers --------------------------------------------------------------------------------------
def assert_supported(text: str, draft: Draft, kb: FakeKB) -> None:
    by_n = {p["n"]: p for p in draft.passages}
    sentences = split_answer_sentences(text)
    assert sentences
    for sentence in sentences:
        body, nums = strip_citations(sentence)
        assert nums and all(n in by_n for n in nums), sentence
        for n in nums:
            p = by_n[n]
            check = support(
                body, p["text"], kb.sentence_vectors[p["chunk_id"]], kb.embeddings, QUESTION
            )
            assert check.supported, (sentence, check)
