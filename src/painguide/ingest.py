"""Ingest: validate the whole corpus first, then sync the index (nothing changes on error).

Example::

    report = ingest(settings)            # incremental
    report = ingest(settings, rebuild=True)
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from painguide.chunking import chunk_corpus
from painguide.corpus import corpus_hash, load_corpus
from painguide.embeddings import load_embeddings
from painguide.index import ChromaIndex, SyncReport

if TYPE_CHECKING:
    from painguide.config import Settings
    from painguide.types import Document

log = logging.getLogger(__name__)


def doc_extras(docs: list[Document]) -> dict[str, dict[str, Any]]:
    """Per-document metadata stored with each chunk (topic, sources, reviews) for citations."""
    return {
        d.id: {
            "topic": d.topic,
            "summary": d.summary,
            "last_reviewed": d.last_reviewed,
            "sources": json.dumps(
                [{k: v for k, v in vars(src).items() if v is not None} for src in d.sources]
            ),
            "reviews": json.dumps([r.as_dict() for r in d.reviews]),
        }
        for d in docs
    }


def ingest(settings: Settings, rebuild: bool = False) -> SyncReport:
    """Load and validate every document (raising CorpusError), then sync the index."""
    import os
    import time

    start = time.perf_counter()
    docs = load_corpus(settings.corpus_dir)  # raises before the index is touched
    chunks = chunk_corpus(docs, settings.chunk_max_words)
    index = ChromaIndex.from_settings(settings)
    if not rebuild and _unchanged(index, settings, corpus_hash(docs)):
        # nothing to do: skip loading the model (most of a no-change run's time)
        return SyncReport(unchanged=len(chunks), seconds=time.perf_counter() - start)
    embeddings = load_embeddings(settings.embedding_model, settings.torch_threads)
    import torch

    torch.set_num_threads(os.cpu_count() or 1)  # batch encoding uses every core ...
    try:
        return index.sync(
            chunks,
            embeddings,
            corpus_hash=corpus_hash(docs),
            chunk_max_words=settings.chunk_max_words,
            rebuild=rebuild,
            chunk_extra=doc_extras(docs),
        )
    finally:
        torch.set_num_threads(settings.torch_threads)  # ... answering uses Settings'


def _unchanged(index: ChromaIndex, settings: Settings, digest: str) -> bool:
    """The stored manifest matches this corpus, model and chunking exactly."""
    from painguide.chunking import CHUNKING_VERSION
    from painguide.index import SCHEMA_VERSION

    manifest = index.manifest()
    return bool(
        manifest
        and manifest.get("pg_corpus_hash") == digest
        and manifest.get("pg_model") == settings.embedding_model
        and manifest.get("pg_schema") == SCHEMA_VERSION
        and manifest.get("pg_chunking") == f"v{CHUNKING_VERSION}/max{settings.chunk_max_words}"
    )


def index_is_current(settings: Settings) -> bool:
    """True when an index exists and matches the corpus on disk (cheap: no model load)."""
    try:
        index = ChromaIndex.from_settings(settings)
        docs = load_corpus(settings.corpus_dir)
        return _unchanged(index, settings, corpus_hash(docs))
    except Exception as exc:  # any failure means "not current"; ingest will explain it
        log.info("index check failed: %s", exc)
        return False
