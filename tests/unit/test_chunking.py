"""Tests for ``painguide.chunking``: sentence splitting and heading-aware chunking."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painguide.chunking import chunk_corpus, chunk_document, slugify, split_sentences
from painguide.types import Document, Section, Source


def make_doc(
    sections: Sequence[tuple[str, str]], doc_id: str = "test-doc", title: str = "Test doc"
) -> Document:
    """A Document built directly from (heading, text) pairs."""
    secs = tuple(Section(heading=h, text=t) for h, t in sections)
    return Document(
        id=doc_id,
        title=title,
        topic="understanding-pain",
        summary="A test document.",
        audience="general",
        reading_level_max=8.0,
        last_reviewed="2026-06-01",
        sources=(Source("A source", "A publisher", 2020),),
        sections=secs,
        path=f"corpus/{doc_id}.md",
        body="\n\n".join(f"## {h}\n\n{t}" for h, t in sections),
    )


def para(n: int, word: str = "word") -> str:
    """A paragraph of exactly ``n`` words ending in a full stop."""
    return " ".join([word.capitalize()] + [word] * (n - 1)) + "."


def plain(section: Section) -> str:
    """A section's plain text as chunks render it: its sentences joined by spaces."""
    return " ".join(split_sentences(section.text))


# --- split_sentences --------------------------------------------------------------------


def test_list_items_become_sentences() -> None:
    text = "- Walk every day\n- Rest when needed\n* Keep going\n1. Start low\n2) Go slow"
    got = split_sentences(text)
    want = ["Walk every day", "Rest when needed", "Keep going", "Start low", "Go slow"]
    assert got == want, f"split_sentences({text!r}) = {got}"


def test_list_item_continuation_lines_join_their_item() -> None:
    text = "- First item runs on\n  onto a second line\n- Second item"
    got = split_sentences(text)
    assert got == ["First item runs on onto a second line", "Second item"], f"{text!r}: {got}"


def test_prose_and_list_blocks_split_separately() -> None:
    text = "Intro sentence. Another one!\n\n- Item one\n- Item two\n\nIs it over? Yes."
    got = split_sentences(text)
    want = ["Intro sentence.", "Another one!", "Item one", "Item two", "Is it over?", "Yes."]
    assert got == want, f"split_sentences({text!r}) = {got}"


@pytest.mark.parametrize(
    "text",
    [
        "Try gentle moves, e.g. walking or swimming, most days.",
        "Smith et al. found that walking helps back pain.",
        "Pick one, i.e. the easiest, and start there.",
        "Walking vs. Running is a common question.",
        "Ask Dr. Jones about it before you start.",
        "See Fig. 2 in the guide for the exercises.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    got = split_sentences(text)
    assert got == [text], f"split_sentences({text!r}) = {got}"


def test_abbreviation_inside_a_longer_passage() -> None:
    text = "Some people, e.g. runners, feel better. Smith et al. agree. Rest is fine."
    got = split_sentences(text)
    want = ["Some people, e.g. runners, feel better.", "Smith et al. agree.", "Rest is fine."]
    assert got == want, f"split_sentences({text!r}) = {got}"


def test_markdown_links_keep_their_words() -> None:
    text = "Read [the pacing guide](pacing.md) first. Then see [NICE](https://nice.org.uk/ng59)."
    got = split_sentences(text)
    assert got == ["Read the pacing guide first.", "Then see NICE."], f"{text!r}: {got}"


def test_emphasis_marks_are_removed_and_whitespace_collapsed() -> None:
    text = "This is **really** `important`.\nAnd   this line\tjoins on."
    got = split_sentences(text)
    assert got == ["This is really important.", "And this line joins on."], f"{text!r}: {got}"


def test_split_sentences_of_empty_text() -> None:
    assert split_sentences("") == [], "split_sentences('') should be empty"
    assert split_sentences("\n\n  \n") == [], "split_sentences of blank lines should be empty"


def test_slugify() -> None:
    assert slugify("Key points") == "key-points"
    assert slugify("What's the 'boom-and-bust' cycle?") == "what-s-the-boom-and-bust-cycle"
    assert slugify("!!!") == "section", "a heading without letters still gets a slug"
    assert len(slugify("word " * 40)) <= 48, "slugs are capped at 48 characters"


# --- chunk_document ---------------------------------------------------------------------


SECTIONS = [
    ("Key points", "- Pain is a protector\n- Moving helps\n- Hurt is not harm"),
    ("Why it helps", f"{para(30, 'alpha')}\n\n{para(30, 'beta')}\n\n{para(30, 'gamma')}"),
    ("What to try", f"{para(20, 'delta')}\n\n{para(25, 'epsilon')}"),
]


def test_a_chunk_never_spans_two_sections() -> None:
    doc = make_doc(SECTIONS)
    chunks = chunk_document(doc, max_words=40)
    assert len(chunks) > len(SECTIONS), "max_words=40 should split the long section"
    for chunk in chunks:
        homes = [s for s in doc.sections if chunk.text in plain(s)]
        assert len(homes) == 1, f"chunk {chunk.id} text found in {len(homes)} sections"
        assert homes[0].heading == chunk.section, f"chunk {chunk.id} labelled {chunk.section!r}"
        assert chunk.doc_id == doc.id and chunk.title == doc.title, chunk
        assert chunk.text == " ".join(chunk.sentences), chunk
    assert [c.position for c in chunks] == list(range(len(chunks))), "positions run 0..n-1"


def test_chunk_ids_are_stable_unique_and_readable() -> None:
    first = chunk_document(make_doc(SECTIONS), max_words=40)
    second = chunk_document(make_doc(SECTIONS), max_words=40)  # a separately built equal doc
    assert [c.id for c in first] == [c.id for c in second], "ids differ between runs"
    assert [c.content_hash for c in first] == [c.content_hash for c in second], "hashes differ"
    ids = [c.id for c in first]
    assert len(ids) == len(set(ids)), f"duplicate chunk ids: {ids}"
    assert ids[0] == "test-doc#key-points", ids
    assert ids[1:4] == [
        "test-doc#why-it-helps-1",
        "test-doc#why-it-helps-2",
        "test-doc#why-it-helps-3",
    ], ids
    assert ids[4] == "test-doc#what-to-try-1", ids


def test_content_hash_changes_only_for_the_edited_section() -> None:
    before = {c.id: c.content_hash for c in chunk_document(make_doc(SECTIONS), max_words=500)}
    edited = list(SECTIONS)
    edited[2] = ("What to try", edited[2][1].replace("delta", "zeta"))
    after = {c.id: c.content_hash for c in chunk_document(make_doc(edited), max_words=500)}
    assert before.keys() == after.keys(), "editing text must not change chunk ids"
    changed = {cid for cid in before if before[cid] != after[cid]}
    assert changed == {"test-doc#what-to-try"}, f"hash changed for {sorted(changed)}"


def test_content_hash_depends_on_title_and_heading() -> None:
    base = chunk_document(make_doc(SECTIONS[:1]))[0].content_hash
    retitled = chunk_document(make_doc(SECTIONS[:1], title="Other title"))[0].content_hash
    reheaded = chunk_document(make_doc([("Main points", SECTIONS[0][1])]))[0].content_hash
    assert base != retitled, "title is part of the embedded text, so of the hash"
    assert base != reheaded, "heading is part of the embedded text, so of the hash"


def test_whitespace_only_edits_do_not_change_the_hash() -> None:
    base = chunk_document(make_doc([("A", "One two three.  Four five.")]))[0].content_hash
    same = chunk_document(make_doc([("A", "One two three.\nFour   five.")]))[0].content_hash
    assert base == same, "hash is computed on the normalised sentences"


@pytest.mark.parametrize("max_words", [10, 25, 40, 60, 1000])
def test_no_chunk_exceeds_max_words_unless_one_paragraph_is_longer(max_words: int) -> None:
    sizes = [8, 12, 30, 5, 5, 5, 45, 3]
    text = "\n\n".join(para(n, f"w{i}") for i, n in enumerate(sizes))
    chunks = chunk_document(make_doc([("Only", text)]), max_words=max_words)
    for chunk in chunks:
        n = len(chunk.text.split())
        if n > max_words:
            paragraphs = {s.split()[0].lower() for s in chunk.sentences}
            assert len(paragraphs) == 1, (
                f"max_words={max_words}: chunk {chunk.id} has {n} words over several paragraphs"
            )
    words_out = " ".join(c.text for c in chunks).split()
    assert words_out == text.split(), f"max_words={max_words}: words lost or reordered"


def test_greedy_grouping_of_paragraphs() -> None:
    text = "\n\n".join(para(n, f"w{i}") for i, n in enumerate([10, 10, 10, 25, 5]))
    chunks = chunk_document(make_doc([("Only", text)]), max_words=20)
    sizes = [len(c.text.split()) for c in chunks]
    assert sizes == [20, 10, 25, 5], f"paragraph sizes 10,10,10,25,5 with max 20 -> {sizes}"


def test_chunk_corpus_makes_duplicate_headings_unique() -> None:
    doc = make_doc([("Tips", "One tip here."), ("Tips", "Another tip here.")])
    raw = [c.id for c in chunk_document(doc)]
    assert raw == ["test-doc#tips", "test-doc#tips"], raw
    ids = [c.id for c in chunk_corpus([doc, make_doc(SECTIONS, doc_id="other")])]
    assert len(ids) == len(set(ids)), f"chunk_corpus ids not unique: {ids}"
    assert ids[:2] == ["test-doc#tips", "test-doc#tips~2"], ids


# --- property: chunks cover every word of every section, in order -----------------------

WORDS = st.sampled_from(
    [
        "pain",
        "moves",
        "walk",
        "rest",
        "nerves",
        "e.g.",
        "et",
        "al.",
        "Dr.",
        "etc.",
        "brain",
        "calm",
        "strong",
        "back",
        "slowly",
        "often",
        "i.e.",
        "vs.",
        "body",
        "a",
    ]
)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    ws = draw(st.lists(WORDS, min_size=1, max_size=12))
    ws[0] = ws[0][:1].upper() + ws[0][1:]
    return " ".join(ws) + draw(st.sampled_from([".", "!", "?"]))


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    sents = draw(st.lists(sentences(), min_size=1, max_size=5))
    sep = draw(st.sampled_from([" ", "\n"]))
    return sep.join(sents)


HEADINGS = st.lists(
    st.from_regex(r"[A-Z][a-z]{0,9}( [a-z]{1,8}){0,2}", fullmatch=True),
    min_size=1,
    max_size=6,
    unique_by=slugify,
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    heads = draw(HEADINGS)
    secs = []
    for head in heads:
        paras = draw(st.lists(paragraphs(), min_size=1, max_size=6))
        secs.append((head, "\n\n".join(paras)))
    return make_doc(secs)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(doc=documents(), max_words=st.integers(min_value=3, max_value=80))
def test_chunks_cover_every_section_in_order(doc: Document, max_words: int) -> None:
    chunks = chunk_document(doc, max_words=max_words)
    for sec in doc.sections:
        mine = [c for c in chunks if c.section == sec.heading]
        assert mine, f"section {sec.heading!r} produced no chunk"
        joined = " ".join(c.text for c in mine)
        assert joined == plain(sec), f"section {sec.heading!r}: chunks != sentences joined"
        assert joined.split() == sec.text.split(), f"section {sec.heading!r}: words lost"
        for c in mine:
            n = len(c.text.split())
            assert n <= max_words or "\n\n" not in _raw_of(sec.text, c.text), (
                f"chunk {c.id} has {n} > {max_words} words over several paragraphs"
            )
    # order: chunks of each section are contiguous, in section order
    order = [c.section for c in chunks]
    collapsed = [h for i, h in enumerate(order) if i == 0 or order[i - 1] != h]
    assert collapsed == [s.heading for s in doc.sections], f"chunk order {order}"
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), f"duplicate ids {ids}"
    again = chunk_document(doc, max_words=max_words)
    assert [(c.id, c.content_hash) for c in again] == [(c.id, c.content_hash) for c in chunks], (
        "chunking is not deterministic"
    )


def _raw_of(section_text: str, chunk_text: str) -> str:
    """The run of raw paragraphs whose words make up ``chunk_text`` (for the size check)."""
    paras = [p.strip() for p in section_text.split("\n\n") if p.strip()]
    target = chunk_text.split()
    for start in range(len(paras)):
        acc: list[str] = []
        for end in range(start, len(paras)):
            acc.extend(paras[end].split())
            if acc == target:
                return "\n\n".join(paras[start : end + 1])
            if len(acc) >= len(target):
                break
    raise AssertionError(f"chunk text {chunk_text!r} is not a run of whole paragraphs")


@settings(max_examples=30, deadline=None, derandomize=True)
@given(docs=st.lists(documents(), min_size=1, max_size=3), max_words=st.integers(3, 80))
def test_chunk_corpus_ids_unique_even_with_repeated_documents(
    docs: list[Document], max_words: int
) -> None:
    # the same doc id twice models duplicate headings across a corpus at its worst
    ids = [c.id for c in chunk_corpus(docs, max_words)]
    assert len(ids) == len(set(ids)), f"duplicate ids from chunk_corpus: {ids}"
    assert ids == [c.id for c in chunk_corpus(docs, max_words)], "chunk_corpus not deterministic"
