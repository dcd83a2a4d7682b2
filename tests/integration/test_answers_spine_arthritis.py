"""Arthritis in the spine (spondylosis) has its own page (corpus28; real model, index, corpus).

Before: every question naming arthritis in the spine, back or neck got "Pain Guide has no page
on arthritis of the spine (spondylosis)", and "wear and tear in my lower back what helps" got
the page on preventing back pain coming back.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

PAGE = "arthritis-in-the-spine"


def _lead(answer: str) -> str:
    return " ".join(answer.split(". ")[:2]).lower()


@pytest.mark.parametrize(
    "question",
    [
        "i been told i have arthritis in my spine, will excercise make it worse",
        "arthritis in my neck can i do yoga",
        "wear and tear in my lower back what helps",
        "what does spondylosis mean",
        "is the arthritis in my back why my back hurts",
        "will my spinal arthritis just keep getting worse",
        "am i going to end up in a wheelchair because of arthritis in my spine",
        "should i get an mri scan for spinal arthritis",
        "i have facet joint arthritis in my lower back, can i still go to the gym",
        "when do i need to see my gp about arthritis in my neck",
        "my doctor says i have cervical spondylosis, what are the symptoms",
        "osteoarthritis in my spine, is swimming ok",
        "my dad has arthritis in his spine, will he end up in a wheelchair",
        "can wear and tear in my neck cause headaches",
    ],
)
def test_spinal_arthritis_is_answered_from_its_own_page(guide: Any, question: str) -> None:
    ans = guide.ask(question)
    assert ans.route == "answer", (ans.route, ans.answer)
    assert ans.citations[0].doc_id == PAGE, ans.answer
    assert "no page on" not in ans.answer.lower(), ans.answer
    assert "rheumatoid" not in ans.answer.lower(), ans.answer


def test_will_exercise_make_it_worse_gets_a_clear_no(guide: Any) -> None:
    ans = guide.ask("ive got arthritis in my back, will exercising make it worse")
    assert ans.answer.startswith("No, for most people exercise does not make"), ans.answer


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("should i get an mri scan for spinal arthritis", ["do not need a scan"]),
        ("will my spinal arthritis just keep getting worse", ["comes and goes"]),
        ("when do i need to see my gp about arthritis in my neck", ["gp"]),
        ("my doctor says i have cervical spondylosis, what are the symptoms", ["stiffness"]),
    ],
)
def test_the_lead_carries_the_answer(guide: Any, question: str, words: list[str]) -> None:
    lead = _lead(guide.ask(question).answer)
    assert all(w in lead for w in words), lead


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("can i exercise with a slipped disc", "slipped-disc"),
        ("does a slipped disc heal on its own", "slipped-disc"),
        ("do i need an mri for my back pain", "scans-for-back-pain"),
        ("what does degeneration on a back scan mean", "scans-for-back-pain"),
        (
            "i have rheumatoid arthritis in my hands will exercise help",
            "rheumatoid-arthritis-and-exercise",
        ),
        ("is exercise safe with rheumatoid arthritis", "rheumatoid-arthritis-and-exercise"),
        ("is exercise safe with knee arthritis", "knee-and-hip-osteoarthritis"),
        ("is arthritis just wear and tear", "knee-and-hip-osteoarthritis"),
        ("arthritis in my knee can i do yoga", "knee-and-hip-osteoarthritis"),
        ("what helps a stiff neck", "neck-pain"),
        ("what is spinal stenosis", "spinal-stenosis"),
        ("i have ankylosing spondylitis can i exercise", "inflammatory-back-pain"),
    ],
)
def test_neighbouring_questions_keep_their_own_pages(guide: Any, question: str, doc: str) -> None:
    ans = guide.ask(question)
    assert ans.citations and ans.citations[0].doc_id == doc, ans.answer


def test_rheumatoid_arthritis_in_the_spine_is_rheumatoid_arthritis(guide: Any) -> None:
    """'arthritis in my spine' inside 'rheumatoid arthritis in my spine' is not spondylosis."""
    ans = guide.ask("rheumatoid arthritis in my spine, is exercise safe")
    assert ans.citations[0].doc_id == "rheumatoid-arthritis-and-exercise", ans.answer
    assert "rheumatoid arthritis" in _lead(ans.answer), ans.answer


def test_psoriatic_arthritis_in_the_spine_still_has_no_page(guide: Any) -> None:
    ans = guide.ask("i have psoriatic arthritis in my spine, what exercise can i do")
    assert "no page on psoriatic arthritis" in ans.answer.lower(), ans.answer
    assert not any(c.doc_id == PAGE for c in ans.citations), ans.answer


def test_one_headache_sentence_does_not_make_headaches_covered(guide: Any) -> None:
    """The page names headaches once, as a symptom of neck arthritis: headaches in general
    still have no page."""
    ans = guide.ask("i get headaches, will exercise help")
    assert "no page on headaches" in ans.answer.lower(), ans.answer
