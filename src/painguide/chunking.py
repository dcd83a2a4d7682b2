"""Heading-aware chunking: a chunk never spans two ``##`` sections; ids and hashes are stable.

Example::

    chunks = chunk_document(doc, max_words=180)
"""

from __future__ import annotations

import hashlib
import re

from painguide.types import Chunk, Document

CHUNKING_VERSION = "3"  # bump when the rules change: the index manifest then forces a rebuild
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "etc.", "vs.", "Dr.", "approx.", "Approx.", "Fig.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def slugify(text: str) -> str:
    """Lower-case, hyphenated form of a heading, used in chunk ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "section"


def strip_markdown(text: str) -> str:
    """Plain text of inline Markdown: links keep their words, emphasis marks go."""
    text = _MD_LINK.sub(r"\1", text)
    return text.replace("**", "").replace("__", "").replace("`", "")


def split_sentences(text: str) -> list[str]:
    """Split Markdown prose into sentences; each list item is its own sentence."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if lines and all(_LIST_ITEM.match(ln) or ln.startswith("  ") for ln in lines):
            items: list[str] = []
            for ln in lines:
                if _LIST_ITEM.match(ln):
                    items.append(_LIST_ITEM.sub("", ln).strip())
                elif items:
                    items[-1] += " " + ln.strip()
            for item in items:
                out.extend(_split_prose(strip_markdown(item)))
        else:
            out.extend(_split_prose(strip_markdown(" ".join(ln.strip() for ln in lines))))
    return [s for s in out if s]


def _split_prose(text: str) -> list[str]:
    protected = text
    for i, abbr in enumerate(ABBREVIATIONS):
        protected = protected.replace(abbr, abbr.replace(".", f"\x00{i}\x00"))
    parts = _SENTENCE_END.split(protected)
    result = []
    for part in parts:
        for i, abbr in enumerate(ABBREVIATIONS):
            part = part.replace(abbr.replace(".", f"\x00{i}\x00"), abbr)
        part = re.sub(r"\s+", " ", part).strip()
        if part:
            result.append(part)
    return result


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def chunk_digest(doc: Document, heading: str, text: str, also_asked: tuple[str, ...]) -> str:
    """Content hash of a chunk record: its text, heading, other wordings and the document's
    whole front matter (``meta_hash``), since the record's metadata carries sources, topic,
    summary, reviews and dates; a change to any of them re-writes the record on sync."""
    parts = (doc.title, doc.meta_hash, heading, "; ".join(also_asked), text)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def chunk_document(doc: Document, max_words: int = 180) -> list[Chunk]:
    """Chunk one document: each section alone, long sections split at paragraph boundaries."""
    chunks: list[Chunk] = []
    for sec in doc.sections:
        groups: list[list[str]] = [[]]
        words = 0
        for para in _paragraphs(sec.text):
            n = len(para.split())
            if groups[-1] and words + n > max_words:
                groups.append([])
                words = 0
            groups[-1].append(para)
            words += n
        slug = slugify(sec.heading)
        for part, paras in enumerate(groups):
            raw = "\n\n".join(paras)
            sentences = tuple(split_sentences(raw))
            text = " ".join(sentences)
            digest = chunk_digest(doc, sec.heading, text, sec.also_asked)
            chunk_id = f"{doc.id}#{slug}" + (f"-{part + 1}" if len(groups) > 1 else "")
            chunks.append(
                Chunk(
                    id=chunk_id,
                    doc_id=doc.id,
                    title=doc.title,
                    section=sec.heading,
                    text=text,
                    sentences=sentences,
                    content_hash=digest,
                    position=len(chunks),
                    also_asked=sec.also_asked,
                )
            )
    return chunks


def chunk_corpus(docs: list[Document], max_words: int = 180) -> list[Chunk]:
    """Chunk every document; chunk ids are unique across the corpus."""
    out: list[Chunk] = []
    seen: set[str] = set()
    for doc in docs:
        for chunk in chunk_document(doc, max_words):
            cid = chunk.id
            k = 2
            while cid in seen:  # two sections with the same heading in one document
                cid = f"{chunk.id}~{k}"
                k += 1
            seen.add(cid)
            out.append(chunk if cid == chunk.id else _with_id(chunk, cid))
    return out


def _with_id(chunk: Chunk, new_id: str) -> Chunk:
    from dataclasses import replace

    return replace(chunk, id=new_id)
