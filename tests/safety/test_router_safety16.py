"""Emergency and urgent signs on the consumer-question sources, and false escalations of old
or ordinary events (safety16), through the real router: each change both ways, the report
escalates and its everyday look-alike does not."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import SafetyRouter

ESCALATED = {"emergency", "urgent", "crisis"}


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # NHS limping in children: walking that has suddenly become hard
        ("my 8 year old suddenly can't walk properly and is limping", "urgent"),
        ("all of a sudden my mum has trouble walking and feels shaky", "urgent"),
        # NHS numbness and tingling with weakness: a hand that cannot grip
        ("my hand is numb and tingly and gripping is almost impossible", "urgent"),
        ("my fingers have gone weak and I can't grip anything", "urgent"),
        # NHS oedema: the whole body, or the face with the feet, swelling
        ("my whole body is swelling up, my legs and belly too", "urgent"),
        ("his face and feet are suddenly swollen", "urgent"),
        # NHS cauda equina: trouble passing urine told noun first, with back pain
        ("severe low back pain and urination problems since this morning", "emergency"),
        # NHS kidney infection: side pain that is worst on peeing
        ("a stabbing pain in my side, worst when I pee", "urgent"),
        # NHS vertigo: a spinning feeling so bad the person cannot stand
        ("I can't stand up, it feels like my brain is spinning inside my head", "urgent"),
        # a fall from height still counts; "fell" for "feel" keeps a saddle sign
        ("I fell three floors from a balcony and my back is agony", "emergency"),
        ("i fell a numbness between my legs since this morning", "emergency"),
        # a crash now still counts when the ache is told as constant
        ("I came off my motorbike an hour ago and my back is constantly aching", "emergency"),
        ("sudden tearing pain in my back, I think it's an aortic aneurysm", "emergency"),
    ],
)
def test_safety16_reports_escalate(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    "text",
    [
        # an ordinary fall at home is not a high-energy mechanism
        "I have back pain since I fell on the floor",
        "I slipped on the kitchen floor and my lower back is sore, what helps?",
        # an old fall or crash told across sentences, nothing new
        "I have had a back problem for about 12 months now. I injured it by falling off a horse",
        "My neck has been stiff for two years. I hurt it in a car crash.",
        # "fell" typed for "feel"
        "I fell a stiffness in my elbows and shoulders",
        # a collapsed lung is not a person collapsing; faints spread over years
        "my lung collapsed years ago and I've been fine since, can I run?",
        "I've fainted 3 times in a 3 year span, can dehydration cause that?",
        # everyday look-alikes of the new urgent signs
        "I can't walk as far as I used to because of my knee arthritis",
        "my hands are stiff in the morning and gripping the kettle is hard",
        "my feet swell a little on long flights, does walking help?",
        "no numbness and I can grip fine, just a sore wrist after typing",
        "I've had urination problems since my prostate operation, what exercises help?",
        "my back is fine and I have no urination problems",
        "it stings a bit when I pee but there's no pain in my side",
        "can a kidney infection cause pain in the side when you pee?",
        "my head is spinning with all this information about back pain",
        # an old stroke (hours of sleep are not a time since onset), a repaired aneurysm, an
        # old accident told as the person's usual state
        "Had a stroke in 2012, it is 2016 and I get no more than 5 hours of sleep a day",
        "my dad had an aortic aneurysm repair last year, is walking good for him?",
        "I had a snowboarding accident, I'm always either in pain or achy",
    ],
)
def test_safety16_look_alikes_do_not(router: Any, text: str) -> None:
    got = router.route(text, []).decision
    assert got.route not in ESCALATED, f"{text!r} escalated {got.route} ({got.rule})"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I fell a stiffness in my elbows", "i feel a stiffness in my elbows"),
        ("i fell numb in my legs", "i feel numb in my legs"),
        ("I fell off a ladder", "i fell off a ladder"),
        ("I fell a few times last week", "i fell a few times last week"),
        ("I fell down the stairs", "i fell down the stairs"),
        ("I fell asleep on the sofa", "i fell asleep on the sofa"),
        ("I fell an hour ago", "i fell an hour ago"),
    ],
)
def test_fell_typed_for_feel(raw: str, expected: str) -> None:
    router = SafetyRouter(None, risk_model=None)
    assert router.normalise(raw) == expected
