"""The safety router's memory of texts it has seen (embeddings and negation-masked forms) and
the length grouping of model calls, on a fake embedding model that counts what it is asked."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import numpy as np
import pytest

from painguide.safety.vectors import TextMemo, VectorCache, length_groups, token_estimate

DIM = 8


class CountingEmbeddings:
    """Deterministic unit vectors from a hash of the text; records every call."""

    dimension = DIM

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for t in texts:
            seed = int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)

    def sent(self) -> list[str]:
        return [t for call in self.calls for t in call]


class UnpaddedEmbeddings(CountingEmbeddings):
    """Also offers encode_unpadded (as SentenceEmbeddings does for BERT); records its calls."""

    def __init__(self) -> None:
        super().__init__()
        self.unpadded_calls: list[list[str]] = []

    def encode_unpadded(self, texts: list[str]) -> np.ndarray:
        self.unpadded_calls.append(list(texts))
        return CountingEmbeddings().encode(texts)


def _cache(size: int = 16) -> tuple[VectorCache, CountingEmbeddings]:
    emb = CountingEmbeddings()
    return VectorCache(emb, size=size), emb  # type: ignore[arg-type]


def test_a_cache_hit_returns_the_same_vector_without_a_model_call() -> None:
    cache, emb = _cache()
    texts = ["my back hurts", "i fell off a ladder yesterday"]
    first = cache.encode(texts)
    calls = len(emb.calls)
    again = cache.encode(list(reversed(texts)))
    assert len(emb.calls) == calls, f"{texts!r} were embedded again: {emb.calls!r}"
    assert np.array_equal(again, first[::-1]), f"cached vectors of {texts!r} differ"


def test_only_new_texts_reach_the_model_each_once() -> None:
    cache, emb = _cache()
    cache.encode(["earlier turn one", "earlier turn two"])
    emb.calls.clear()
    got = cache.encode(["earlier turn one", "a new message", "earlier turn two", "a new message"])
    assert emb.sent() == ["a new message"], f"model was sent {emb.sent()!r}"
    assert got.shape == (4, DIM), got.shape
    assert np.array_equal(got[1], got[3]), "the repeated text got two different vectors"


def test_vectors_match_a_direct_model_call() -> None:
    cache, _ = _cache()
    texts = ["no chest pain", "my leg went numb this morning and i can't lift my foot"]
    direct = CountingEmbeddings().encode(texts)
    assert np.array_equal(cache.encode(texts), direct), f"{texts!r}: cache changed the vectors"


def test_the_cache_is_bounded_and_drops_the_least_recently_used() -> None:
    cache, emb = _cache(size=3)
    for t in ["a one", "b two", "c three"]:
        cache.encode([t])
    cache.encode(["a one"])  # used again: now the most recent
    cache.encode(["d four"])  # evicts "b two", the least recently used
    assert len(cache) == 3, f"cache of size 3 holds {len(cache)}"
    emb.calls.clear()
    cache.encode(["a one", "c three", "d four"])
    assert emb.calls == [], f"recent texts were dropped: {emb.calls!r}"
    cache.encode(["b two"])
    assert emb.sent() == ["b two"], f"'b two' should have been evicted: {emb.sent()!r}"


def test_a_returned_array_cannot_change_the_cache() -> None:
    cache, _ = _cache()
    first = cache.encode(["my arm is weak"])
    first[0, :] = 0.0
    again = cache.encode(["my arm is weak"])
    assert float(np.abs(again).sum()) > 0.0, "writing to a returned array changed the cache"


def test_empty_input_gives_an_empty_array_and_no_call() -> None:
    cache, emb = _cache()
    got = cache.encode([])
    assert got.shape == (0, DIM) and emb.calls == [], (got.shape, emb.calls)


def test_text_memo_computes_once_per_text_and_stays_bounded() -> None:
    seen: list[str] = []

    def upper(t: str) -> str:
        seen.append(t)
        return t.upper()

    memo = TextMemo(upper, size=2)
    assert memo("no fever") == "NO FEVER"
    assert memo("no fever") == "NO FEVER"
    assert seen == ["no fever"], f"computed {seen!r}"
    memo("b")
    memo("c")
    assert len(memo) == 2, f"memo of size 2 holds {len(memo)}"
    memo("no fever")
    assert seen.count("no fever") == 2, f"'no fever' should have been evicted: {seen!r}"


def test_a_cache_needs_room_for_one_text() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        TextMemo(str.upper, size=0)


def test_length_groups_keep_every_text_once() -> None:
    texts = ["short one", "another short", "x " * 60, "mid length clause here", "tiny"]
    groups = length_groups(texts)
    flat = [t for g in groups for t in g]
    assert sorted(flat) == sorted(texts), f"{texts!r} -> {groups!r}"
    assert length_groups([]) == [], "no texts should give no calls"


def test_a_long_text_is_embedded_apart_from_short_clauses() -> None:
    long = " ".join(["word"] * 120)
    short = [f"my leg is numb {i}" for i in range(6)]
    groups = length_groups([*short, long])
    assert [long] in groups, f"long text padded with the clauses: {groups!r}"


def test_texts_of_similar_length_share_one_call() -> None:
    texts = ["my back hurts today", "i fell off my bike", "my leg feels weak now"]
    assert len(length_groups(texts)) == 1, f"{texts!r} -> {length_groups(texts)!r}"


def test_token_estimate_counts_words_and_punctuation() -> None:
    assert token_estimate("no, no chest pain.") == 8, token_estimate("no, no chest pain.")


def test_the_router_cache_follows_a_swapped_embedding_model() -> None:
    """Training swaps in a table of precomputed vectors for a while: routing must use it."""
    from painguide.safety.router import SafetyRouter

    router = SafetyRouter(embeddings=None, risk_model=None)
    first, table = CountingEmbeddings(), CountingEmbeddings()
    router.embeddings = first  # type: ignore[assignment]
    router.route("my back hurts after gardening")
    router.embeddings = table  # type: ignore[assignment]
    router.route("my knee hurts after running")
    assert first.sent() == ["my back hurts after gardening"], f"first model got {first.sent()!r}"
    assert table.sent() == ["my knee hurts after running"], f"swapped model got {table.sent()!r}"


def test_router_hands_retrieval_a_vector_only_for_the_persons_own_words() -> None:
    """The router embeds its normalised text ('stomach' becomes 'belly' for the red-flag
    lexicon); retrieval must embed what the person wrote, so that vector is not reused."""
    from painguide.safety.router import _same_words

    assert _same_words("is it bad to sleep on my stomach?", "Is it bad to sleep on my stomach?")
    assert _same_words("don't  stop", "Don\u2019t stop")
    assert not _same_words("is it bad to sleep on my belly", "is it bad to sleep on my stomach")


def test_an_unpadded_model_gets_texts_of_any_length_in_one_call() -> None:
    emb = UnpaddedEmbeddings()
    cache = VectorCache(emb, size=16)  # type: ignore[arg-type]
    texts = [" ".join(["word"] * 120), *[f"my leg is numb {i}" for i in range(6)]]
    got = cache.encode(texts)
    assert emb.unpadded_calls == [texts], f"{texts!r} -> calls {emb.unpadded_calls!r}"
    assert emb.calls == [], f"padded encode was used too: {emb.calls!r}"
    assert cache.model_calls == 1, f"{texts!r}: {cache.model_calls} model calls"
    assert np.array_equal(got, CountingEmbeddings().encode(texts)), f"{texts!r}: vectors changed"


def test_an_unpadded_model_gets_only_new_texts_and_hits_are_kept() -> None:
    emb = UnpaddedEmbeddings()
    cache = VectorCache(emb, size=16)  # type: ignore[arg-type]
    first = cache.encode(["i fell off a ladder", "my back hurts"])
    again = cache.encode(["my back hurts", "now my foot is numb", "i fell off a ladder"])
    assert emb.unpadded_calls[1:] == [["now my foot is numb"]], f"calls {emb.unpadded_calls!r}"
    assert np.array_equal(again[0], first[1]) and np.array_equal(again[2], first[0]), (
        "a cached vector changed between messages"
    )


def test_different_texts_get_different_vectors() -> None:
    cache, _ = _cache()
    texts = ["no chest pain", "chest pain", "No chest pain"]
    got = cache.encode(texts)
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            assert not np.array_equal(got[i], got[j]), (
                f"{texts[i]!r} and {texts[j]!r} share a vector"
            )


def test_supports_refuses_a_model_it_cannot_run_without_padding() -> None:
    from painguide.unpadded import supports

    class OneModule:
        def __iter__(self) -> Iterator[object]:
            return iter([object()])

    assert not supports(OneModule()), "a one-module model was taken for a mean-pooled BERT"
    assert not supports(object()), "an object that is not a model was accepted"


class _SilentRisk:
    """A classifier stand-in that never fires (probability 0 for every class)."""

    def __init__(self) -> None:
        self.calls = 0
        self.thresholds: dict[str, float] = {}

    def probabilities(self, masked: np.ndarray, raw: np.ndarray) -> np.ndarray:
        from painguide.safety.risk import CLASSES

        self.calls += 1
        return np.zeros((len(raw), len(CLASSES)))


def _router_with_classifier() -> tuple[object, CountingEmbeddings, _SilentRisk]:
    from painguide.safety.router import SafetyRouter

    router = SafetyRouter(embeddings=None, risk_model=None)
    emb, risk = CountingEmbeddings(), _SilentRisk()
    router.embeddings = emb  # type: ignore[assignment]
    router.risk = risk  # type: ignore[assignment]
    return router, emb, risk


def test_masked_clauses_are_not_embedded_after_a_rule_emergency() -> None:
    """A rule's emergency stands, so the classifier never reads the message's masked
    clauses: they cost no model time (one call, only the clauses and the message)."""
    router, emb, risk = _router_with_classifier()
    message = "i have no fever but i can't feel the seat when i sit on the toilet"
    result = router.route(message)  # type: ignore[attr-defined]
    assert result.decision.route == "emergency", f"{message!r} -> {result.decision}"
    masked = router.mask_negated("i have no fever")  # type: ignore[attr-defined]
    assert masked not in emb.sent(), f"{masked!r} embedded for {message!r}: {emb.sent()!r}"
    assert risk.calls == 0, f"the classifier ran on {message!r}"


def test_masked_clauses_are_embedded_when_the_classifier_reads_them() -> None:
    router, emb, risk = _router_with_classifier()
    message = "i have no fever but my knee aches after running"
    result = router.route(message)  # type: ignore[attr-defined]
    assert result.decision.route not in ("emergency", "crisis"), f"{message!r} -> {result}"
    masked = router.mask_negated("i have no fever")  # type: ignore[attr-defined]
    assert risk.calls >= 1, f"the classifier did not run on {message!r}"
    assert masked in emb.sent(), f"{masked!r} not embedded for {message!r}: {emb.sent()!r}"
    assert len(emb.calls) == 1, f"{message!r}: {len(emb.calls)} model calls, want 1"
