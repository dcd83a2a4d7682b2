"""Bounded memory of what the safety router has already computed for a text.

A conversation sends every earlier user turn again with each new message, and the router reads
each turn's sentences and clauses (and their negation-masked forms) every time. ``VectorCache``
keeps their embeddings (least recently used dropped first), so only new text reaches the model,
in one call per message (without padding when the model allows: painguide.unpadded);
``TextMemo`` does the same for cheap-but-repeated text work.

Example::

    cache = VectorCache(embeddings, size=4096)
    vecs = cache.encode(["my back hurts", "i fell"])   # one model call
    vecs = cache.encode(["i fell", "now my leg is numb"])   # one call, for the new text only
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    import numpy as np

    from painguide.embeddings import SentenceEmbeddings

T = TypeVar("T")
VECTOR_CACHE_SIZE = 4_096  # texts (384 floats each: about 6 MB when full)
MEMO_SIZE = 4_096
# For a model without unpadded encoding (painguide.unpadded), padded batches are grouped by
# length. A model call costs about as much as this many extra tokens of padding (measured on
# the 2-core CPU with one torch thread: ~6.5 ms per call, ~0.27 ms per padded token); texts of
# very different lengths go in separate calls when that saves more padding than it costs.
CALL_COST_TOKENS = 24
_PIECE = re.compile(r"\w+|[^\w\s]")


def token_estimate(text: str) -> int:
    """Roughly the word pieces the model reads (words and punctuation, plus [CLS]/[SEP])."""
    return len(_PIECE.findall(text)) + 2


def length_groups(texts: list[str], call_cost: int = CALL_COST_TOKENS) -> list[list[str]]:
    """Split texts into model calls so that padding plus per-call cost is least.

    A batch is padded to its longest text, so one call with a long whole message and a few
    short clauses pays for the long length on every row. Sorted longest first, the best
    split into consecutive groups is found exactly (n is at most a few dozen).
    """
    order = sorted(texts, key=token_estimate, reverse=True)
    lengths = [token_estimate(t) for t in order]
    n = len(order)
    best = [0.0] + [float("inf")] * n
    start = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j):
            cost = best[i] + call_cost + (j - i) * lengths[i]
            if cost < best[j]:
                best[j], start[j] = cost, i
    groups: list[list[str]] = []
    j = n
    while j > 0:
        groups.append(order[start[j] : j])
        j = start[j]
    return groups[::-1]


class TextMemo(Generic[T]):
    """A least-recently-used map from text to a computed value (thread safe, bounded)."""

    def __init__(self, compute: Callable[[str], T], size: int = MEMO_SIZE) -> None:
        if size < 1:
            raise ValueError(f"cache size must be at least 1, not {size}")
        self._compute = compute
        self.size = size
        self._items: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything (the next call computes again)."""
        with self._lock:
            self._items.clear()

    def __call__(self, text: str) -> T:
        with self._lock:
            if text in self._items:
                self._items.move_to_end(text)
                return self._items[text]
        value = self._compute(text)
        self._put({text: value})
        return value

    def _put(self, values: dict[str, T]) -> None:
        with self._lock:
            for text, value in values.items():
                self._items[text] = value
                self._items.move_to_end(text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class VectorCache(TextMemo["np.ndarray"]):
    """Embeddings by text: ``encode`` sends only unseen texts to the model, in one call."""

    def __init__(self, embeddings: SentenceEmbeddings, size: int = VECTOR_CACHE_SIZE) -> None:
        super().__init__(lambda t: self.encode([t])[0], size)
        self.embeddings = embeddings
        self.model_calls = 0  # how many times the model was asked (for tests and profiling)

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) unit vectors, in the order given."""
        import numpy as np

        found: dict[str, np.ndarray] = {}
        with self._lock:
            for t in texts:
                if t in self._items:
                    self._items.move_to_end(t)
                    found[t] = self._items[t]
        new = [t for t in dict.fromkeys(texts) if t not in found]
        fresh = {}
        for group, vecs in self._embed(new):
            for t, v in zip(group, vecs, strict=True):
                v.setflags(write=False)  # shared between messages: nobody may change it
                fresh[t] = v
        if fresh:
            found.update(fresh)
            self._put(fresh)
        if not texts:
            return np.zeros((0, self.embeddings.dimension), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    def _embed(self, texts: list[str]) -> list[tuple[list[str], np.ndarray]]:
        """Vectors of ``texts`` by model call: one call without padding when the model can
        (SentenceEmbeddings.encode_unpadded), else padded calls of similar lengths."""
        if not texts:
            return []
        unpadded = getattr(self.embeddings, "encode_unpadded", None)
        groups = [texts] if unpadded is not None else length_groups(texts)
        out = []
        for group in groups:
            self.model_calls += 1
            vecs = unpadded(group) if unpadded is not None else self.embeddings.encode(group)
            out.append((group, vecs))
        return out
