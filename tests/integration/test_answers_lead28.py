"""Answers read as a patient would read them (real model, index and corpus; lead28)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "question",
    [
        "does a herniated disc mean pain for life",
        "will my slipped disc never get better",
        "my doctor said i have a bulging disc, does that mean i will always have pain",
    ],
)
def test_a_question_about_lasting_harm_gets_no_yes_written_for_healing(
    guide: Any, question: str
) -> None:
    """Before: 'does a herniated disc mean pain for life' was answered 'Yes, most slipped
    discs get better on their own': the 'Yes' was written for 'does it heal?' and said the
    opposite of the answer to this question."""
    ans = guide.ask(question)
    assert ans.citations[0].doc_id == "slipped-disc", ans.answer
    assert not ans.answer.lower().startswith(("yes", "no,")), ans.answer
    assert "get better" in ans.answer.split(". ")[0], ans.answer


def test_the_yes_stays_for_the_question_it_was_written_for(guide: Any) -> None:
    ans = guide.ask("does a slipped disc heal on its own")
    assert ans.answer.startswith("Yes, most slipped discs get better"), ans.answer


def test_walk_or_rest_is_answered_as_the_choice_it_is(guide: Any) -> None:
    """Before: a three-day-old back ache 'ok to go for a walk or should i rest' got the
    walking page's opener and never said that rest is not advised."""
    ans = guide.ask(
        "my lower back has been killing me for 3 days after gardening, is it ok to go for "
        "a walk or should i rest"
    )
    lead = " ".join(ans.answer.split(". ")[:2]).lower()
    assert "rest" in lead and ("active" in lead or "moving" in lead), ans.answer


@pytest.mark.parametrize("question", ["how do i know if im overdoing it", "am i overdoing it"])
def test_overdoing_it_is_a_pacing_question_not_off_topic(guide: Any, question: str) -> None:
    """Before: both fell below the relevance floor and got the off-topic reply."""
    ans = guide.ask(question)
    assert ans.route == "answer", ans.answer
    assert "too much" in ans.answer, ans.answer


def test_back_pain_with_an_upset_stomach_is_not_the_weak_core_myth(guide: Any) -> None:
    """Before: 'can back pain cause stomach problems' got 'No, research does not support the
    idea that a weak core ...', matched on 'tummy'."""
    ans = guide.ask("can back pain cause stomach problems")
    assert "core" not in ans.answer.lower(), ans.answer
    assert "GP" in ans.answer, ans.answer


def test_heel_pain_worst_in_the_morning_explains_the_morning(guide: Any) -> None:
    """Before: 'my plantar fasciitis is really bad in the morning' got advice on running."""
    ans = guide.ask("my plantar fasciitis is really bad in the morning")
    assert "first steps" in ans.answer.split(". ")[0], ans.answer


def test_a_gardening_ache_at_70_gets_pacing_advice_not_a_fracture_warning(guide: Any) -> None:
    """Before: routed urgent (possible fracture) on the age and 'after'; then, with the rule
    fixed, 'I can't assess symptoms ... call 999' below the relevance floor."""
    ans = guide.ask(
        "I'm 70 and my back aches after gardening every time. Should I give up gardening?"
    )
    assert ans.route == "answer", ans.answer
    assert "gardening" in ans.answer.split(". ")[0], ans.answer


@pytest.mark.parametrize(
    ("question", "doc", "phrase"),
    [
        ("how long until i feel the benefits of exercise", "exercise-and-neuroplasticity", "weeks"),
        ("does sitting up straight matter for back pain", "posture-myths", "no single correct"),
        ("what helps with sciatica pain at night", "sciatica", "position"),
    ],
)
def test_read_through_questions_reach_the_section_that_answers_them(
    guide: Any, question: str, doc: str, phrase: str
) -> None:
    """Before: the benefits of exercise got the 30-minute effect of one session; sitting up
    straight got whether sitting causes back pain; sciatica at night got general advice."""
    ans = guide.ask(question)
    assert ans.citations[0].doc_id == doc, ans.answer
    assert phrase in ans.answer.split(". ")[0], ans.answer


def test_crohns_is_named_as_not_covered_not_answered_with_the_core_myth(guide: Any) -> None:
    """Before: 'does crohns cause back pain' got 'No, research does not support the idea that
    a weak core is the main cause of back pain'."""
    ans = guide.ask("does crohns cause back pain")
    assert "no page on inflammatory bowel disease" in ans.answer, ans.answer
    assert "core" not in ans.answer.lower(), ans.answer


def test_frozen_shoulder_exercises_get_what_helps_not_the_definition(guide: Any) -> None:
    """Before: 'i have a frozen shoulder what exercises help' got what a frozen shoulder is."""
    ans = guide.ask("i have a frozen shoulder what exercises help")
    assert "exercises" in ans.answer.split(". ")[0], ans.answer


def test_ankylosing_spondylitis_is_answered_from_its_own_page(guide: Any) -> None:
    """After the spinal-arthritis page landed, 'i have ankylosing spondylitis, is swimming good'
    was answered from it with a note that the question did not mention that condition; the
    inflammatory back pain page covers ankylosing spondylitis."""
    ans = guide.ask("i have ankylosing spondylitis, is swimming good")
    assert ans.citations[0].doc_id == "inflammatory-back-pain", ans.answer
    assert "did not mention" not in ans.answer, ans.answer
