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
