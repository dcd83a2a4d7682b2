"""Rule scope for consumer questions (issue 12, false escalation): a long-standing or long-past
sign is not an acute report, exemplar matches need the words their category is about. Each
change has a case that must still escalate and one that must not."""

from __future__ import annotations

import numpy as np
import pytest

from painguide.safety.router import SafetyRouter, long_standing


@pytest.fixture(scope="module")
def router() -> SafetyRouter:
    return SafetyRouter(embeddings=None, risk_model=None)


@pytest.mark.parametrize(
    "text",
    [
        "I suffer with panic and anxiety disorder, chest pains for 4 years?",
        "I've had chest pain for 2 years",
        "Been getting chest pains for years, what could it be?",
        "For 2-3 years I have had blood in my stools?",
        "I had a car accident last year and hurt my back",
        "My son gets nose bleeds and has been bleeding heavily since he was little",
    ],
)
def test_long_standing_sign_is_not_an_acute_report(router: SafetyRouter, text: str) -> None:
    got = router.route(text).decision
    assert got.route not in {"emergency", "urgent"}, f"{text!r} -> {got.route} ({got.rule})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I have chest pain", "emergency"),
        ("chest pains for years and now a crushing chest pain", "emergency"),
        ("I've had chest pain for 2 years but today it is much worse", "emergency"),
        ("I've had back pain for years and my face is drooping", "emergency"),
        ("Ive had back pain for years and chest pain", "emergency"),
        ("I was in a car accident an hour ago and my back hurts", "emergency"),
        ("I have had blood in my stool for 2 years and since yesterday a lot more", "urgent"),
        # cauda equina and bladder signs are never dropped as long-standing
        ("I've had numbness between my legs for 2 months", "emergency"),
        ("I have been incontinent for months and my back hurts", "emergency"),
    ],
)
def test_current_or_new_red_flag_still_escalates(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


def test_long_standing_reads_the_clause_and_the_whole_message() -> None:
    assert long_standing("chest pains for 4 years", "chest pains for 4 years?")
    assert not long_standing("chest pains for 4 years", "chest pains for 4 years, worse today")
    assert not long_standing("chest pains for 4 days", "chest pains for 4 days")
    assert not long_standing("my chest hurts", "my back hurt for years. my chest hurts")


def _semantic_router(router: SafetyRouter, category: str) -> tuple[SafetyRouter, np.ndarray]:
    """A router whose exemplar vectors are one-hot, and a unit vector equal to the first
    exemplar of ``category`` (a perfect exemplar match, decided by the gates alone)."""
    texts = [(c.id, r) for c in router.data.categories for r in c.reports]
    fake = SafetyRouter(embeddings=None, risk_model=None)
    fake._report_cat = [c for c, _ in texts]
    fake._report_text = [r for _, r in texts]
    fake._report_vecs = np.eye(len(texts), dtype=np.float32)
    fake._ask_vecs = np.zeros((1, len(texts)), dtype=np.float32)
    j = fake._report_cat.index(category)
    return fake, fake._report_vecs[j : j + 1]


@pytest.mark.parametrize(
    ("unit", "fires"),
    [
        ("i have full body burning, tingling, numbness all over", False),
        ("my arms and legs went numb", False),
        ("i've gone numb between my legs", True),
        ("i can't feel my bum when i sit on the toilet", True),
    ],
)
def test_cauda_equina_exemplar_match_needs_a_saddle_word(
    router: SafetyRouter, unit: str, fires: bool
) -> None:
    fake, vec = _semantic_router(router, "cauda_equina")
    found = fake._semantic_findings([unit], vec, {"emergency"}, [unit])
    assert bool(found) == fires, f"{unit!r}: exemplar match {'missing' if fires else found}"


@pytest.mark.parametrize(
    ("unit", "fires"),
    [
        ("i have heavy bleeding from my fibroid for two or three weeks", False),
        ("i am bleeding after taking the contraceptive pill", False),
        ("i'm 20 weeks pregnant and bleeding", True),
        ("heavy bleeding and i'm expecting", True),
    ],
)
def test_pregnancy_exemplar_match_needs_a_pregnancy(
    router: SafetyRouter, unit: str, fires: bool
) -> None:
    fake, vec = _semantic_router(router, "pregnancy_problem")
    found = [f for f in fake._semantic_findings([unit], vec, {"emergency"}, [unit])]
    assert bool(found) == fires, f"{unit!r}: exemplar match {'missing' if fires else found}"


@pytest.mark.parametrize(
    ("text", "fracture"),
    [
        ("on long-term steroids, slid off the bed this morning and my back hurts", True),
        # no slide, fall or lift: not a possible fracture (long-term steroids with back pain
        # are still urgent, as a weakened immune system: the safety brief, safety25)
        ("on long-term steroids and my back is stiff in the mornings", False),
    ],
)
def test_possible_fracture_counts_a_slide_as_an_event(
    router: SafetyRouter, text: str, fracture: bool
) -> None:
    result = router.route(text)
    rules = {result.decision.rule, *(e.rule for e in result.escalations)}
    assert ("possible_fracture" in rules) is fracture, f"{text!r} -> {sorted(rules)}"
    assert result.decision.route == "urgent", f"{text!r} -> {result.decision}"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I cut my hand and now the wound is oozing pus", "urgent"),
        ("I'm not feeling good, I can't take my breath", "urgent"),
        ("I was kicked in the head playing football last night", "urgent"),
        ("I broke my ankle climbing today", "urgent"),
        ("I feel a pain on the left side of my chest, where my heart is", "emergency"),
        ("my heart hurts when I walk a lot", "emergency"),
        ("I sliced myself deeply with a knife while cooking", "emergency"),
        ("I can not stop the bleeding from my hand", "emergency"),
        # long past, or heartbreak, or a question about a test: not a report now
        ("twenty years ago I broke my ankle and it gives me trouble now and then", "answer"),
        ("My husband left me, my heart hurts so badly I can't eat", "answer"),
        ("what does a deep wound need, stitches or glue?", "answer"),
    ],
)
def test_symptom_families_from_crowd_phrases(router: SafetyRouter, text: str, route: str) -> None:
    got = router.route(text).decision
    esc = {"emergency", "urgent", "crisis"}
    ok = got.route == route if route in esc else got.route not in esc
    assert ok, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    ("text", "escalates"),
    [
        ("I'm not feeling good, I can't take my breath", True),
        ("not sure why, i have crushing chest pain", True),
        ("no, no chest pain", False),
        ("I don't have chest pain, I just feel tired", False),
        ("no chest pain or shortness of breath, just a stiff back", False),
    ],
)
def test_negation_stops_at_a_new_subject_after_a_comma(
    router: SafetyRouter, text: str, escalates: bool
) -> None:
    got = router.route(text).decision
    assert (got.route in {"emergency", "urgent"}) == escalates, f"{text!r} -> {got.route}"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I had breast cancer 4 years ago and now I have new back pain", "urgent"),
        ("I had non Hodgkin lymphoma and my neck has started to ache", "urgent"),
        ("I had prostate cancer and now a new pain in my hip", "urgent"),
        ("I had non Hodgkin lymphoma, what can help me manage the pain?", "answer"),
        ("I have breast cancer, is it normal to feel so tired?", "answer"),
        # "back" as in "came back", not the body part
        ("I'm HIV positive and my back hurts with sweats", "urgent"),
        ("my HIV test came back negative, can I still worry?", "answer"),
    ],
)
def test_cancer_and_infection_risk_factors_need_back_or_bone_pain(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    esc = {"emergency", "urgent", "crisis"}
    ok = got.route == route if route in esc else got.route not in esc
    assert ok, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Was suicidal for years, no hope, saw no future. My life turned out okay.", "answer"),
        ("I was in that situation a year ago, so glad I didn't commit suicide", "answer"),
        ("many years of battling suicidal thoughts, a good therapist changed my life", "answer"),
        ("I watched my friend commit suicide when we were at school", "answer"),
        ("I tried to kill myself a year ago and I want to do it again", "crisis"),
        ("I attempted suicide two years ago and tonight I have the pills ready", "crisis"),
        ("I was suicidal for years and lately the thoughts are back", "crisis"),
        ("I want to kill myself", "crisis"),
    ],
)
def test_past_suicidality_gets_a_note_and_current_risk_a_takeover(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"
    if route == "answer":
        assert got.rule == "crisis_history", f"{text!r}: no crisis-line note ({got.rule})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("even walking up my driveway I'm palpitating and short of breath", "urgent"),
        ("I have very severe abdominal pain on the right side", "urgent"),
        ("there is bright red blood from my anus when I go to the toilet", "urgent"),
        ("my husband has been coughing up phlegm with bright red blood", "urgent"),
        ("my calf is twice the size of the other one and very painful", "urgent"),
        ("I'm 8 weeks pregnant and now have a fever", "urgent"),
        ("my 4 month old baby has not passed stools and keeps vomiting", "urgent"),
        ("since yesterday my finger has become infected", "urgent"),
        ("I woke up numb and tingling from the waist down", "emergency"),
        ("she has numbness and pins and needles down one side of her body", "emergency"),
        ("I'm 33 weeks pregnant and I'm in a lot of pain", "emergency"),
        ("my 9 year old daughter suffered some sort of seizure yesterday", "emergency"),
        ("I fell down and cracked my head, my arms feel numb", "emergency"),
        ("I have a pain in the middle of my chest", "emergency"),
        ("vocal cords close up and I can't breath", "emergency"),
        # must not escalate: posture, a question, long-standing, about a test
        ("whenever I stand up too quickly I feel dizzy", "answer"),
        ("what are the signs of severe abdominal pain that needs a doctor?", "answer"),
        ("I've had severe stomach pain on and off for 3 years", "answer"),
        ("is my cut infected or just healing?", "answer"),
    ],
)
def test_more_symptom_families(router: SafetyRouter, text: str, route: str) -> None:
    got = router.route(text).decision
    esc = {"emergency", "urgent", "crisis"}
    ok = got.route == route if route in esc else got.route not in esc
    assert ok, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I'm hanging myself tomorrow, nothing helps anymore", "crisis"),
        ("I want to pour petrol on my body and set myself on fire", "crisis"),
        ("every night I put my gun in my mouth", "crisis"),
        ("I have a belt around my neck right now", "crisis"),
        ("what is the least painful way to go", "crisis"),
        ("how much benadryl will it take", "crisis"),
        ("I want to sleep and never wake up again", "crisis"),
        ("I wish I hadn't survived", "crisis"),
        ("I hope I catch the virus and die", "crisis"),
        ("I don't deserve to be alive", "crisis"),
        ("I'm thinking about dying a lot lately", "crisis"),
        ("I might jump off my balcony tonight", "crisis"),
        # must not: figures of speech, a pain wish, exercise dosing, someone's old history
        ("I shot myself in the foot at work by saying yes to everything", "answer"),
        ("I just want the pain to stop so I can sleep", "answer"),
        ("how much walking will it take to get fitter?", "answer"),
        ("I want to sleep forever after this long week", "answer"),
    ],
)
def test_crisis_wording_without_the_words_suicide_or_kill(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    ok = got.route == route if route == "crisis" else got.route != "crisis"
    assert ok, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    ("text", "escalates"),
    [
        ("just when i ca n't breathe good at night you know", True),
        ("this cut wo n't stop bleeding", True),
        ("i do n't know why i ca n't sleep", False),
        ("i do n't have any chest pain", False),
    ],
)
def test_split_contractions_in_transcripts(
    router: SafetyRouter, text: str, escalates: bool
) -> None:
    norm = router.normalise(text)
    assert " n't" not in norm, f"{text!r} -> {norm!r}"
    got = router.route(text).decision
    assert (got.route in {"emergency", "urgent"}) == escalates, f"{text!r} -> {got.route}"
