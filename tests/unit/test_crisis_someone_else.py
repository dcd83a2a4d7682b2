"""The crisis message speaks to the helper when the message is about someone else."""

from __future__ import annotations

import pytest

from painguide.config import Settings
from painguide.safety import templates
from painguide.types import RouteDecision


@pytest.mark.parametrize(
    ("message", "other"),
    [
        ("my friend cuts herself, how can i help her", True),
        ("my son said he wants to kill himself", True),
        ("im worried my daughter wants to end her life", True),
        ("i want to kill myself", False),
        ("my wife left me and i want to die", False),
        ("my brother tried to kill himself and now i feel suicidal too", False),
    ],
)
def test_about_someone_else(message: str, other: bool) -> None:
    assert templates.about_someone_else(message) is other, message


def test_the_helper_message_names_both_numbers_and_no_first_person_sorrow() -> None:
    s = Settings()
    text = templates.crisis_someone_else(RouteDecision("crisis", "self_harm"), s)
    assert s.emergency_number in text and s.crisis_line in text, text
    assert "feeling this way" not in text, text
