"""The Chroma index: embedded by default, a Chroma server when configured; incremental sync.

Two collections hold the index: ``<name>`` (one record per chunk, embedded with its title and
heading) and ``<name>__sentences`` (one record per sentence, used by the answer composer).
A manifest in the chunk collection's metadata records the model, chunking settings and corpus
hash; a model or chunking mismatch forces a rebuild instead of silently wrong results.

Example::

    index = ChromaIndex.from_settings(settings)
    report = index.sync(chunks, embeddings, corpus_hash="...")
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from painguide.chunking import CHUNKING_VERSION
from painguide.errors import ChromaUnreachableError, IndexMissingError, IndexUnavailableError
from painguide.types import Chunk

if TYPE_CHECKING:
    import numpy as np

    from painguide.config import Settings
    from painguide.embeddings import SentenceEmbeddings

log = logging.getLogger(__name__)

# A few thousand vectors: a wide HNSW search is near-exact and still takes a few ms, so the
# passages found do not depend on the order the index was built or updated in (with Chroma's
# defaults a freshly built index and an incrementally synced one ranked some queries apart).
HNSW = {"space": "cosine", "ef_construction": 400, "ef_search": 400, "max_neighbors": 32}
SCHEMA_VERSION = "3"  # bump when record layout or index build changes (2: also_asked,
# reviews; 3: near-exact HNSW settings)
ALSO_ASKED_SEP = "; "  # Chroma metadata values are scalars: the wordings are joined
WRITE_BATCH = 256  # records per Chroma write; keeps server request bodies small
READ_PAGE = 5_000  # records per Chroma read; one unpaged get() hits SQLite's variable limit
SENTENCE_SUFFIX = "__sentences"


@dataclass(frozen=True)
class SyncReport:
    """What an ingest changed."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        """One line for the CLI."""
        what = "rebuilt" if self.rebuilt else "synced"
        return (
            f"Index {what} in {self.seconds:.2f}s: {self.added} added, {self.updated} updated, "
            f"{self.deleted} deleted, {self.unchanged} unchanged."
        )


def make_client(settings: Settings) -> Any:
    """A Chroma client: HttpClient when a server is configured, else PersistentClient."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as exc:  # connection errors come in several types
            raise ChromaUnreachableError(
                f"chroma server {settings.chroma_host}:{settings.chroma_port}", exc
            ) from exc
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


def manifest_for(embeddings: SentenceEmbeddings, chunk_max_words: int) -> dict[str, Any]:
    """The settings that, when changed, make the existing index wrong."""
    return {
        "pg_schema": SCHEMA_VERSION,
        "pg_model": embeddings.model_name,
        "pg_dimension": embeddings.dimension,
        "pg_chunking": f"v{CHUNKING_VERSION}/max{chunk_max_words}",
    }


def get_all(coll: Any, include: list[str]) -> dict[str, list[Any]]:
    """Every record of a collection, read in pages (large corpora break one unpaged get())."""
    out: dict[str, list[Any]] = {"ids": [], **{k: [] for k in include}}
    offset = 0
    while True:
        page = coll.get(include=include, limit=READ_PAGE, offset=offset)
        ids = page["ids"]
        out["ids"].extend(ids)
        for key in include:
            values = page.get(key)
            out[key].extend(list(values) if values is not None else [None] * len(ids))
        if len(ids) < READ_PAGE:
            return out
        offset += READ_PAGE


def chunk_metadata(chunk: Chunk, extra: dict[str, Any]) -> dict[str, Any]:
    """Flat Chroma metadata for a chunk record."""
    return {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": chunk.section,
        "content_hash": chunk.content_hash,
        "position": chunk.position,
        "sentences": json.dumps(list(chunk.sentences)),
        "also_asked": ALSO_ASKED_SEP.join(chunk.also_asked),
        **extra,
    }


def chunk_from_record(cid: str, text: str, meta: dict[str, Any]) -> Chunk:
    """Rebuild a Chunk from a Chroma record."""
    return Chunk(
        id=cid,
        doc_id=str(meta["doc_id"]),
        title=str(meta["title"]),
        section=str(meta["section"]),
        text=text,
        sentences=tuple(json.loads(str(meta["sentences"]))),
        content_hash=str(meta["content_hash"]),
        position=int(meta["position"]),
        also_asked=tuple(p for p in str(meta.get("also_asked") or "").split(ALSO_ASKED_SEP) if p),
    )


class ChromaIndex:
    """Chunk and sentence collections in one Chroma database (embedded or server)."""

    def __init__(self, client: Any, name: str, where: str) -> None:
        self.client = client
        self.name = name
        self.where = where
        self._query_colls: dict[str, Any] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> ChromaIndex:
        """Open the index named by the settings (does not create collections)."""
        where = (
            f"chroma server {settings.chroma_host}:{settings.chroma_port}"
            if settings.chroma_host
            else str(settings.index_dir)
        )
        return cls(make_client(settings), settings.collection, where)

    @property
    def remote(self) -> bool:
        """True when the index lives on a Chroma server."""
        return self.where.startswith("chroma server")

    def _read_error(self, exc: Exception) -> IndexUnavailableError:
        """The error for a failed read: the server is unreachable, or the local index broken."""
        if self.remote or _is_connection_error(exc):
            return ChromaUnreachableError(self.where, exc)
        return IndexUnavailableError(self.where, exc)

    # --- collections -------------------------------------------------------------------
    def _get_or_create(self, name: str, metadata: dict[str, Any] | None = None) -> Any:
        return self.client.get_or_create_collection(
            name=name,
            configuration={"hnsw": HNSW},
            metadata=metadata,
            embedding_function=None,
        )

    def chunks_collection(self) -> Any:
        """The existing chunk collection, or IndexMissingError."""
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except Exception as exc:
            if _is_connection_error(exc):
                raise ChromaUnreachableError(self.where, exc) from exc
            raise IndexMissingError(self.where) from exc

    def sentences_collection(self) -> Any:
        """The existing sentence collection, or IndexMissingError."""
        try:
            return self.client.get_collection(self.name + SENTENCE_SUFFIX, embedding_function=None)
        except Exception as exc:
            if _is_connection_error(exc):
                raise ChromaUnreachableError(self.where, exc) from exc
            raise IndexMissingError(self.where) from exc

    def manifest(self) -> dict[str, Any] | None:
        """The stored manifest, or None when there is no index."""
        try:
            coll = self.chunks_collection()
        except IndexMissingError:
            return None
        return dict(coll.metadata or {})

    def count(self) -> int:
        """Number of chunk records."""
        return int(self.chunks_collection().count())

    def drop(self) -> None:
        """Delete both collections (used by rebuilds and tests)."""
        self._query_colls.clear()
        for name in (self.name, self.name + SENTENCE_SUFFIX):
            try:
                self.client.delete_collection(name)
            except Exception as exc:  # absent collection: nothing to drop
                log.debug("drop %s: %s", name, exc)

    # --- sync --------------------------------------------------------------------------
    def sync(
        self,
        chunks: list[Chunk],
        embeddings: SentenceEmbeddings,
        *,
        corpus_hash: str,
        chunk_max_words: int,
        rebuild: bool = False,
        chunk_extra: dict[str, dict[str, Any]] | None = None,
    ) -> SyncReport:
        """Bring the index in line with ``chunks``: embed only new or changed chunks."""
        start = time.perf_counter()
        wanted = manifest_for(embeddings, chunk_max_words)
        current = self.manifest()
        reasons: list[str] = []
        if rebuild:
            reasons.append("rebuild requested")
        elif current is not None:
            for key, value in wanted.items():
                if current.get(key) != value:
                    reasons.append(f"{key} changed ({current.get(key)!r} -> {value!r})")
        rebuilt = bool(reasons) or current is None
        if reasons:
            log.info("rebuilding index: %s", "; ".join(reasons))
            self.drop()
        chunk_extra = chunk_extra or {}
        coll = self._get_or_create(self.name, {**wanted, "pg_corpus_hash": "building"})
        sent_coll = self._get_or_create(self.name + SENTENCE_SUFFIX)
        existing = get_all(coll, ["metadatas"])
        have = {
            cid: str((meta or {}).get("content_hash"))
            for cid, meta in zip(existing["ids"], existing["metadatas"] or [], strict=False)
        }
        by_id = {c.id: c for c in chunks}
        stale = [cid for cid in have if cid not in by_id]
        changed = [c for c in chunks if have.get(c.id) != c.content_hash]
        n_updated = sum(1 for c in changed if c.id in have)
        for cid in stale + [c.id for c in changed if c.id in have]:
            sent_coll.delete(where={"chunk_id": cid})
        if stale:
            coll.delete(ids=stale)
        for i in range(0, len(changed), WRITE_BATCH):
            batch = changed[i : i + WRITE_BATCH]
            vecs = embeddings.encode([c.embed_text() for c in batch])
            coll.upsert(
                ids=[c.id for c in batch],
                embeddings=vecs,
                documents=[c.text for c in batch],
                metadatas=[chunk_metadata(c, chunk_extra.get(c.doc_id, {})) for c in batch],
            )
            sent_ids, sent_texts, sent_meta = [], [], []
            for c in batch:
                for j, s in enumerate(c.sentences):
                    sent_ids.append(f"{c.id}::{j}")
                    sent_texts.append(s)
                    sent_meta.append({"chunk_id": c.id, "i": j})
            svecs = embeddings.encode(sent_texts)
            for k in range(0, len(sent_ids), WRITE_BATCH * 4):
                sent_coll.upsert(
                    ids=sent_ids[k : k + WRITE_BATCH * 4],
                    embeddings=svecs[k : k + WRITE_BATCH * 4],
                    documents=sent_texts[k : k + WRITE_BATCH * 4],
                    metadatas=sent_meta[k : k + WRITE_BATCH * 4],
                )
        if current is None or current.get("pg_corpus_hash") != corpus_hash or changed or stale:
            coll.modify(
                metadata={
                    **wanted,
                    "pg_corpus_hash": corpus_hash,
                    "pg_built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
            )
        report = SyncReport(
            added=len(changed) - n_updated,
            updated=n_updated,
            deleted=len(stale),
            unchanged=len(chunks) - len(changed),
            rebuilt=rebuilt,
            seconds=time.perf_counter() - start,
            reasons=tuple(reasons),
        )
        log.info("%s", report.summary())
        return report

    # --- reading -----------------------------------------------------------------------
    def load_chunks(self) -> tuple[list[Chunk], dict[str, dict[str, Any]]]:
        """All chunks with their extra metadata (for BM25 and citations)."""
        coll = self.chunks_collection()
        try:
            data = get_all(coll, ["documents", "metadatas"])
        except Exception as exc:
            raise self._read_error(exc) from exc
        chunks, extras = [], {}
        for cid, text, meta in zip(
            data["ids"], data["documents"] or [], data["metadatas"] or [], strict=False
        ):
            chunk = chunk_from_record(cid, text or "", dict(meta or {}))
            chunks.append(chunk)
            extras[cid] = dict(meta or {})
        chunks.sort(key=lambda c: (c.doc_id, c.position))
        return chunks, extras

    def load_sentence_vectors(self) -> dict[str, np.ndarray]:
        """Sentence embeddings grouped by chunk id, rows in sentence order."""
        import numpy as np

        coll = self.sentences_collection()
        try:
            data = get_all(coll, ["embeddings", "metadatas"])
        except Exception as exc:
            raise self._read_error(exc) from exc
        grouped: dict[str, list[tuple[int, Any]]] = {}
        for vec, meta in zip(data["embeddings"], data["metadatas"] or [], strict=False):
            grouped.setdefault(str(meta["chunk_id"]), []).append((int(meta["i"]), vec))
        return {
            cid: np.asarray([v for _, v in sorted(rows, key=lambda r: r[0])], dtype=np.float32)
            for cid, rows in grouped.items()
        }

    def query(self, vector: np.ndarray, k: int, sentences: bool = False) -> list[tuple[str, float]]:
        """Nearest chunks (or sentences) as (id, cosine similarity), best first."""
        key = "sentences" if sentences else "chunks"
        coll = self._query_colls.get(key)
        try:
            if coll is None:
                coll = self.sentences_collection() if sentences else self.chunks_collection()
                self._query_colls[key] = coll
            res = coll.query(query_embeddings=[vector], n_results=k, include=["distances"])
        except IndexMissingError:
            raise
        except Exception as exc:
            self._query_colls.clear()  # reconnect on the next call (server restarted, say)
            raise self._read_error(exc) from exc
        ids = res["ids"][0]
        dists = res["distances"][0] if res.get("distances") else [1.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=False)]


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("connect", "timeout", "unavailable", "refused"))
