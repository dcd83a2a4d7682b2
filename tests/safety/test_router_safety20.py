"""False escalations narrowed from guidance concepts (safety20 rules), through the real router:
each change both ways. Numb or weak legs brought on by standing or walking and eased by sitting
are neurogenic claudication (NHS "Spinal stenosis": see a GP), not a cauda equina sign, unless
the message also names a bladder, bowel, saddle, sudden, worsening or injury feature. A
negative pregnancy test or contraception is not a pregnancy. A seizure told with a brain or
nerve test already normal is an assessed event, not a report of one happening now."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import legs_on_standing


@pytest.mark.parametrize(
    "text",
    [
        "my legs go numb when I stand in a queue for ten minutes, which exercises help?",
        "both my legs go weak and tingly when I walk more than a few hundred yards, sitting "
        "down helps. what stretches are good for that?",
        "my legs feel numb and heavy when I have been standing at work, my lower back aches too",
        "when I walk to the shops both legs get heavy and numb, bending over a trolley eases "
        "it. is cycling ok?",
        "I took the pill to prevent unwanted pregnancy and now I'm bleeding a bit, is that normal?",
        "my pregnancy tests were negative and my period came heavy with some clots, can I "
        "still go running?",
        "my son had a seizure, his EEG showed no abnormality and the neurologist was happy, "
        "can he go back to football?",
        "he had a fit at school, the EEG was normal, is swimming safe for him?",
    ],
)
def test_safety20_look_alikes_do_not_escalate(router: Any, text: str) -> None:
    assert router.route(text).decision.route not in {"emergency", "urgent", "crisis"}, text


@pytest.mark.parametrize(
    "text",
    [
        "both legs went numb suddenly when I was walking and they keep giving way",
        "both legs go numb when I stand and I've started leaking urine",
        "both my legs go numb when I walk and now I can't feel the toilet seat",
        "my legs are getting weaker by the hour when I try to walk",
        "both legs went numb after I stood up this morning and my back is agony",
        "my legs have gone numb and weak since yesterday and my back is killing me",
        "I'm 8 weeks pregnant and bleeding heavily with cramps",
        "positive pregnancy test last week and now bleeding with bad pain on one side",
        "I'm pregnant and bleeding, my pregnancy test was positive",
        "my son is having a seizure and his EEG was normal last month",
        "my son had a seizure, can he go back to football?",
    ],
)
def test_safety20_signs_still_reach_emergency(router: Any, text: str) -> None:
    assert router.route(text).decision.route == "emergency", text


def test_legs_on_standing_needs_the_whole_message_clear() -> None:
    unit = "both legs go numb when i stand"
    assert legs_on_standing(unit, unit)
    assert not legs_on_standing(unit, unit + " and i wet myself")
    assert not legs_on_standing(unit, unit + ", it started suddenly today")
    assert not legs_on_standing("both legs went numb", "both legs went numb")
