"""Unpadded embedding (painguide.unpadded) on the real packaged model: every text gets the
vector SentenceTransformer.encode gives it, whatever the other texts in the call, and the
safety router decides the same with it as with padded batches."""

from __future__ import annotations

from typing import Any

import numpy as np

from painguide.unpadded import encode_unpadded, supports

MIXED = [
    "no chest pain",
    "hi",
    "since thursday i keep leaking urine without realising, and i can't really feel the seat "
    "when i sit on the toilet. i wanted to ask whether swimming or cycling would be better?",
    "my leg went numb this morning",
    "no chest pain",  # a repeat gets the same vector
    "what can i take to stop the pain in my lower back at night when i try to sleep on my side",
]


def test_the_packaged_model_is_supported(embeddings: Any) -> None:
    assert supports(embeddings._model), "the default model should run without padding"


def test_vectors_match_encode_for_texts_of_mixed_length(embeddings: Any) -> None:
    got = encode_unpadded(embeddings._model, MIXED)
    alone = np.stack([embeddings.encode([t])[0] for t in MIXED])
    padded = embeddings.encode(MIXED)
    assert got.shape == (len(MIXED), embeddings.dimension), got.shape
    assert got.dtype == np.float32, got.dtype
    for i, text in enumerate(MIXED):
        worst = max(float(np.abs(got[i] - alone[i]).max()), float(np.abs(got[i] - padded[i]).max()))
        assert worst < 1e-5, f"{text!r}: unpadded vector differs by {worst}"
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5), "vectors are not unit length"


def test_a_text_longer_than_the_model_reads_is_cut_as_encode_cuts_it(embeddings: Any) -> None:
    long = " ".join(["my back hurts when i walk"] * 80)  # well over 256 word pieces
    got = encode_unpadded(embeddings._model, [long, "my back hurts"])
    want = embeddings.encode([long, "my back hurts"])
    worst = float(np.abs(got - want).max())
    assert worst < 1e-5, f"a {len(long)}-character text differs by {worst}"


def test_no_texts_give_an_empty_array(embeddings: Any) -> None:
    got = embeddings.encode_unpadded([])
    assert got.shape == (0, embeddings.dimension), got.shape


def test_router_decides_the_same_with_padded_batches(router: Any) -> None:
    """Same route and rule whether the router's cache embeds without padding or not."""
    from painguide.safety.vectors import VectorCache

    messages = [
        "Since Thursday I keep leaking urine and can't feel the seat. Is swimming better?",
        "no, no chest pain",
        "how do I stop my back hurting after gardening",
        "I don't want to be here anymore",
    ]
    unpadded = [router.route(m).decision for m in messages]
    padded_model = _Padded(router.embeddings)
    router.clear_caches()
    router._vectors = VectorCache(padded_model)  # type: ignore[arg-type]
    old, router.embeddings = router.embeddings, padded_model
    try:
        padded = [router.route(m).decision for m in messages]
        assert padded_model.calls > 0, "the padded model was never asked"
    finally:
        router.embeddings = old
        router.clear_caches()
        router._vectors = VectorCache(old)
    for m, a, b in zip(messages, unpadded, padded, strict=True):
        assert (a.route, a.rule) == (b.route, b.rule), (
            f"{m!r}: {a.route}/{a.rule} vs {b.route}/{b.rule}"
        )


class _Padded:
    """The real model offering only padded ``encode`` (no encode_unpadded)."""

    def __init__(self, emb: Any) -> None:
        self._emb = emb
        self.dimension = emb.dimension
        self.model_name = emb.model_name
        self.calls = 0

    def encode(self, texts: list[str]) -> Any:
        self.calls += 1
        return self._emb.encode(texts)
