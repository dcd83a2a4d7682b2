"""Rules that fire only on what they are about: a red-flag word inside another word, a question
about why pain varies, a training-load question, a past stroke in rehabilitation, an injury
question, asking who can help, and how long a crisis in an earlier turn takes over."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import CRISIS_CARRY_TURNS, Turn

CRISIS_TURN = "I feel so low with the pain, I've thought about ending my life."
CRISIS_REPLY = "I'm really sorry you're feeling this way. Please contact a crisis line now."


@pytest.mark.parametrize(
    "text",
    [
        "back pain not getting better after 3 weeks what now",  # 'wee' inside 'weeks'
        "why does stress and worry make my pain worse",
        "my pain gets a bit worse each week when i train, what does that mean",
        "my knee gets worse every day after i run, should i rest it",
        "who should i ask about my pain medication",
        "where can i get help with my pain medicines",
        "it's an odd feeling in my knee when i squat",
        "I may have overdone it with the weightlifting",
        "I was painting the ceiling and now my neck is stiff",
        "can hiv cause a sore throat?",
        "every time it rains I get hives on my belly",
        "I had glandular fever as a teenager, can it cause tiredness now?",
    ],
)
def test_passing_mentions_are_answered(router: Any, text: str) -> None:
    d = router.route(text).decision
    assert d.route == "answer", f"{text!r} -> {d.route} ({d.rule}: {d.evidence})"


@pytest.mark.parametrize(
    "text",
    [
        "restless legs keep me up at night, what helps",
        "how can i help my mum get her arm moving again after her stroke",
        "what exercises help my dad since his heart attack last year?",
        # a resting position named is not pain that rest does not ease (NICE CKS night pain)
        "i cant get out of bed my back is so bad, anything i can do while lying down",
        "my back is so sore, are there stretches i can do in bed",
        # night ache in an arthritic hip or knee is common in osteoarthritis: the NICE CKS
        # night-pain red flag is spinal
        "i have osteoarthritis in my hip and the pain wakes me at night sometimes",
        "my knee arthritis aches at night sometimes, is that normal",
    ],
)
def test_not_red_flags_are_not_escalated(router: Any, text: str) -> None:
    d = router.route(text).decision
    assert d.route not in {"emergency", "urgent", "crisis"}, f"{text!r} -> {d.route} ({d.rule})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("my back pain keeps me awake every night and painkillers don't help", "urgent"),
        ("my back pain is getting worse every week and it wakes me at night", "urgent"),
        ("the ache in my back never stops and is getting worse every day", "urgent"),
        ("lying in bed makes no difference, my back pain never eases", "urgent"),
        ("my back and hip pain wakes me every night", "urgent"),
        # an older adult's fall is a possible fracture, not the young-child rule
        ("my 80 year old mum fell last week and has had back pain since", "urgent"),
        ("my 2 year old fell off the sofa and hit her head", "emergency"),
        ("my 18 month old fell off the bed", "emergency"),
        ("I sleep in a chair because lying down makes my back worse", "urgent"),
        ("my mum can't lift her arm and her face is drooping since this morning", "emergency"),
        ("I can't pee and my back is agony, it started 3 weeks ago", "emergency"),
        ("I'm on chemo and my back has started hurting", "urgent"),
        ("my back hurts and I've got a fever", "urgent"),
        ("I hurt myself when I'm upset", "crisis"),
        ("i'm going to od tonight", "crisis"),
        ("I fell off a ladder and my back is agony", "emergency"),
        ("swallowed a large bottle of tylenol, what now?", "crisis"),
        ("I've been suicidal for the past two years", "crisis"),
    ],
)
def test_reports_still_escalate(router: Any, text: str, route: str) -> None:
    d = router.route(text).decision
    assert d.route == route, f"{text!r} -> {d.route} ({d.rule}: {d.evidence})"


def test_real_words_are_not_corrected_into_red_flags(router: Any) -> None:
    for text, word in [
        ("I fell off a ladder", "ladder"),
        ("painting the fence", "painting"),
        ("I overdone it", "overdone"),
        ("my subconscious mind", "subconscious"),
    ]:
        assert word in router.normalise(text).split(), f"{text!r} -> {router.normalise(text)!r}"


def test_injury_question_in_an_earlier_turn_is_not_self_harm(router: Any) -> None:
    history = [
        Turn("user", "what is DOMS?"),
        Turn("assistant", "Delayed-onset muscle soreness is the achy feeling after exercise."),
        Turn("user", "does it mean I hurt myself?"),
        Turn("assistant", "No, it's a normal sign that muscles are adapting."),
    ]
    d = router.route("how is it different from a flare-up?", history).decision
    assert d.route == "answer", f"follow-up after an injury question -> {d.route} ({d.rule})"


def _after_crisis(gap: int) -> list[Turn]:
    turns = [Turn("user", CRISIS_TURN), Turn("assistant", CRISIS_REPLY)]
    for i in range(gap):
        turns += [Turn("user", f"is walking good for back pain, question {i}?")]
        turns += [Turn("assistant", "Walking is a good start.")]
    return turns


@pytest.mark.parametrize("text", ["ok", "Thanks. Anyway, what's the best stretch for my back?"])
def test_crisis_takes_over_the_next_turns(router: Any, text: str) -> None:
    for gap in range(CRISIS_CARRY_TURNS):
        d = router.route(text, _after_crisis(gap)).decision
        assert d.route == "crisis", f"{text!r} {gap} turns after a crisis -> {d.route}"


def test_old_crisis_gets_an_answer_with_the_note(router: Any) -> None:
    text = "what's the best stretch for my lower back?"
    d = router.route(text, _after_crisis(CRISIS_CARRY_TURNS)).decision
    assert d.route == "answer", f"{text!r} long after a crisis -> {d.route} ({d.rule})"
    assert d.category == "crisis_history", f"{text!r}: the kind crisis-line note is missing"
    d = router.route("I still want to die", _after_crisis(CRISIS_CARRY_TURNS)).decision
    assert d.route == "crisis", "a new crisis message must always take over"


@pytest.mark.parametrize(
    "text",
    [
        "I was suicidal for years but I'm fine now, does exercise help mood?",
        "I lost a friend to suicide last year, how do I cope with my back pain?",
    ],
)
def test_past_or_family_history_gets_an_answer_with_the_note(router: Any, text: str) -> None:
    d = router.route(text).decision
    assert (d.route, d.category) == ("answer", "crisis_history"), (
        f"{text!r} -> {d.route} ({d.rule})"
    )


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("this morning I tripped over the dog and now my legs feel numb", "emergency"),
        ("both his legs went weak an hour ago", "emergency"),
        ("my legs feel weak after the gym", "answer"),
        ("my legs feel numb after sitting cross legged", "answer"),
        ("no, my legs are not numb", "answer"),
    ],
)
def test_numb_or_weak_legs(router: Any, text: str, route: str) -> None:
    """Numb or weak legs (both) are an emergency; tired legs after sitting or training are not."""
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("my shoulder clicks and hurts when i lift my arm above my head", "answer"),
        ("it hurts when i lift my arm", "answer"),
        ("i cant lift my arm above my head because of shoulder pain", "answer"),
        ("i can't lift my arm", "emergency"),
        ("my dad suddenly can't lift his arm and his face looks droopy", "emergency"),
        ("my arm is weak and i cant lift it", "emergency"),
    ],
)
def test_a_painful_shoulder_is_not_a_stroke(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I can't keep anything down and I've been vomiting since yesterday", "urgent"),
        ("The area around my heart doesn't feel good.", "urgent"),
        ("I feel a strange and powerful pain inside my rib cage", "urgent"),
        ("his lips are turning blue", "emergency"),
        ("i have a pain in my rib cage when i cough after a cold", "answer"),
        ("I put my heart into my training", "answer"),
        ("does exercise help my heart", "answer"),
    ],
)
def test_fluids_heart_area_and_blue_lips(router: Any, text: str, route: str) -> None:
    got = router.route(text, []).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule})"
