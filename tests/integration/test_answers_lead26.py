"""A condition named with a verb ("I slipped a disc") is the condition the person asked about
(real model, index and corpus)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "question",
    [
        "i slipped a disc 2 yrs ago and it still hurts sometimes, will it ever go away",
        "the doctor thinks i have a disc bulge, can i still go to the gym",
    ],
)
def test_a_disc_named_with_a_verb_is_not_called_unmentioned(guide: Any, question: str) -> None:
    """Before: 'Note: this answer comes from Pain Guide's page on slipped or herniated disc,
    which your question did not mention' after 'i slipped a disc ...'."""
    answer = guide.ask(question)
    assert answer.citations[0].doc_id == "slipped-disc", answer.answer
    assert "did not mention" not in answer.answer, answer.answer
