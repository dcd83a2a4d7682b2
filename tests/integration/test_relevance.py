"""Questions the library answers in a section heading or an "Also asked" wording pass the
relevance floor however little their words overlap with the text; two words typed as one are
split; off-library questions still get no_content."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("where does your information come from", "about-pain-guide"),
        ("are you a real doctor", "about-pain-guide"),
        ("corestability myth", "core-stability-myth"),
        ("i overdo it on good days and then crash for days, what can I do", "pacing"),
    ],
)
def test_heading_matches_are_answered(guide: Any, question: str, doc: str) -> None:
    ans = guide.ask(question)
    assert ans.route == "answer", f"{question!r} -> {ans.route} ({ans.decision.rule})"
    cited = {c.doc_id for c in ans.citations}
    assert doc in cited, f"{question!r} cited {sorted(cited)}, expected {doc}"


@pytest.mark.parametrize("question", ["what causes gallstones", "do bunion correctors work"])
def test_off_library_questions_are_still_declined(guide: Any, question: str) -> None:
    ans = guide.ask(question)
    assert ans.route in {"no_content", "off_topic"}, f"{question!r} -> {ans.route}"
