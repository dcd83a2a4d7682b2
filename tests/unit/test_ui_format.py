"""What the chat UIs show: linked [n] markers, one source line per [n], full references once
per document with review records when present, and an autoescaped /embed page."""

from __future__ import annotations

import dataclasses
from typing import Any

from painguide.types import Answer, Citation
from painguide.ui import (
    _plain,
    format_reply,
    format_sources,
    link_markers,
    render_embed_page,
    review_line,
    status_html,
)
from tests.conftest import make_settings

REF = {
    "title": "Low back pain guideline",
    "publisher": "NICE",
    "year": 2020,
    "url": "https://x.org/a",
}
REVIEW = {"reviewed_by": "Pain Guide content editor", "date": "2026-12-02", "checked": "wording"}


def _cite(n: int, doc: str, section: str, **extra: Any) -> Any:
    """A citation; ``reviews=`` gives it review records, as the answer contract does."""
    base = Citation(n, doc, f"Title {doc}", section, f"{doc}#{n}", (REF,))
    return dataclasses.replace(base, **extra) if extra else base


def _answer(*cites: Any, text: str = "Move a little. [1] Walk daily. [2] See [9].") -> Answer:
    passages = tuple(
        {"n": c.n, "title": c.title, "section": c.section, "text": f"passage {c.n}"} for c in cites
    )
    return Answer(route="answer", answer=text, citations=tuple(cites), passages=passages)


def test_markers_link_to_the_reply_source_entries_and_unknown_markers_stay_text() -> None:
    out = link_markers("A <b> & B. [1] C. [2] D. [9]", "pg-a3-s", {1, 2})
    assert '<a class="pg-cite" href="#pg-a3-s1">[1]</a>' in out, out
    assert '<a class="pg-cite" href="#pg-a3-s2">[2]</a>' in out, out
    assert "[9]" in out and "pg-a3-s9" not in out, out
    assert "&lt;b&gt; &amp; B" in out, out


def test_reply_lists_title_and_section_once_per_marker_without_references() -> None:
    answer = _answer(_cite(1, "walk", "Key points"), _cite(2, "walk", "How far?"))
    reply = format_reply(answer, reply_no=2)
    assert reply.count("<li ") == 2, reply
    assert 'id="pg-a2-s1"' in reply and "Title walk: Key points" in reply, reply
    assert 'id="pg-a2-s2"' in reply and "Title walk: How far?" in reply, reply
    assert "NICE" not in reply and "https://x.org/a" not in reply, reply
    assert _plain(reply) == answer.answer, _plain(reply)


def test_full_references_once_per_document_with_reviews_only_when_present() -> None:
    plain = format_sources(_answer(_cite(1, "walk", "Key points"), _cite(2, "walk", "How far?")))
    assert plain.count("Low back pain guideline") == 1, plain
    assert "(cited as [1], [2])" in plain, plain
    assert "Reviewed" not in plain, plain

    reviewed = _cite(1, "walk", "Key points", reviews=[REVIEW])
    empty = _cite(2, "rest", "Why?", reviews=None)
    text = format_sources(_answer(reviewed, empty))
    expected = "Reviewed 2026-12-02 by Pain Guide content editor: checked wording"
    assert text.count(expected) == 1, text
    assert review_line({"date": "2026-01-05"}) == "Reviewed 2026-01-05", review_line({})


def test_status_for_screen_readers_drops_markers_and_escapes() -> None:
    html = status_html("done", "k1", "Pain Guide answered: Walk <daily>. [1] Rest. [2]")
    assert 'data-pg-state="done"' in html and 'data-pg-key="k1"' in html, html
    assert "Walk &lt;daily&gt;. Rest." in html and "[1]" not in html, html


def test_embed_page_escapes_every_clinic_value() -> None:
    evil = '<script>alert("x")</script>'
    page = render_embed_page(
        make_settings(
            clinic_name=evil,
            intro_text=evil,
            accent_color="red;}</style><script>x()</script>",
            clinic_contact_url='https://c.org/" onmouseover="x()',
        )
    )
    assert "<script>alert" not in page and "</style><script>x()" not in page, page[:800]
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page, page[:800]
    assert 'href="https://c.org/&#34; onmouseover=&#34;x()"' in page, page[-3000:]
    assert "<main>" in page and 'aria-label="Conversation"' in page, page[:2000]
    assert 'role="status"' in page and '<label for="q"' in page, page[:2000]
