"""Crisis and exemplar scope for other people's words (issue 12, false escalation on the
mental-health sources): crisis words in a denial, a topic, a reply that speaks to "you", a
bereavement or the writer's own past story do not take over; loose exemplar matches inside a
long post need a clause that reports something now. Each gate has cases that must still
escalate."""

from __future__ import annotations

import numpy as np
import pytest

from painguide.safety.router import SafetyRouter, present_report


@pytest.fixture(scope="module")
def router() -> SafetyRouter:
    return SafetyRouter(embeddings=None, risk_model=None)


@pytest.mark.parametrize(
    "text",
    [
        "I never made any suicide threats.",
        "I haven't been thinking of ending it",
        "Today I lost a family member to suicide.",
        "What is the best way to cope with the loss of someone to suicide?",
        "He was in rehab, he overdosed and was found dead. Can I sue the home?",
        "I was going to kill myself but something held me back.",
        "I've tried killing myself several times in the past, and I'm so glad it didn't work.",
        "I've been there. No-one will blame you for wanting to end it, but it gets better.",
        "I wear an orange ribbon for suicide prevention month",
    ],
)
def test_crisis_words_not_about_the_writer_now_do_not_take_over(
    router: SafetyRouter, text: str
) -> None:
    got = router.route(text).decision
    assert got.route != "crisis", f"{text!r} -> crisis ({got.rule}: {got.evidence!r})"


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I don't know if I want to die",
        "no way out but suicide",
        "I don't want to attempt suicide again but I can't cope",
        "I haven't stopped thinking about suicide",
        "I called the suicide hotline last night because I want to die",
        "My friend committed suicide last week and I want to join her",
        "I was going to kill myself tonight",
        "I tried to kill myself yesterday",
        "If you're suicidal like me you might as well kill yourself",
        "I just overdosed",
    ],
)
def test_current_crisis_still_takes_over(router: SafetyRouter, text: str) -> None:
    got = router.route(text).decision
    assert got.route == "crisis", f"{text!r} -> {got.route} ({got.rule}), expected crisis"


@pytest.mark.parametrize(
    ("unit", "route", "report"),
    [
        ("my dad has collapsed and isn't breathing", "emergency", True),
        ("i can't feel my legs right now", "emergency", True),
        ("i had an accident four weeks back", "emergency", False),
        ("what could cause numbness in my legs?", "emergency", False),
        ("i'm worried that it might be a blood clot", "urgent", False),
        ("if i get chest pain should i call someone", "emergency", False),
        ("i'm scared of what i might do to myself", "crisis", True),
        ("what if i fail my exams", "crisis", False),
    ],
)
def test_present_report(unit: str, route: str, report: bool) -> None:
    assert present_report(unit, route) == report, f"{unit!r}: present report should be {report}"


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


LONG_POST = ["hi doctor.", "i am 40 years old.", "please help."]


@pytest.mark.parametrize(
    ("unit", "fires"),
    [
        ("i had an accident four weeks back", False),
        ("could i have hurt my back in the accident?", False),
        ("i fell off the roof and i can't move my legs", True),
    ],
)
def test_exemplar_match_in_a_long_post_needs_a_report_of_now(
    router: SafetyRouter, unit: str, fires: bool
) -> None:
    fake, vec = _semantic_router(router, "major_trauma")
    found = fake._semantic_findings([unit], vec, {"emergency"}, [*LONG_POST, unit])
    assert bool(found) == fires, f"{unit!r} in a long post: exemplar match {found or 'missing'}"


@pytest.mark.parametrize(
    ("unit", "fires"),
    [
        ("i am scared.", False),
        ("i'm scared i'll trip and make a fool of myself", False),
        ("i've been abused emotionally all of my life", False),
        ("i'm scared of what he will do when he gets home", True),
        ("i don't feel safe at home", True),
        ("my partner hits me", True),
    ],
)
def test_feeling_unsafe_exemplar_match_needs_a_danger(
    router: SafetyRouter, unit: str, fires: bool
) -> None:
    fake, vec = _semantic_router(router, "feeling_unsafe")
    found = fake._semantic_findings([unit], vec, {"crisis"}, [unit])
    assert bool(found) == fires, f"{unit!r}: exemplar match {found or 'missing'}"


@pytest.mark.parametrize(
    "text",
    [
        "I am having frequent left chest pain, echo, stress test and ECG all normal?",
        "Stabbing chest pains, had several cardiac tests, all OK?",
        "Minor chest pains and feeling light headed, went to ER all ok, what can this be?",
        "I was told my ongoing chest pain is not cardiac related, need second opinion?",
    ],
)
def test_a_sign_already_checked_is_not_a_new_report(router: SafetyRouter, text: str) -> None:
    got = router.route(text).decision
    assert got.route not in {"emergency", "urgent"}, f"{text!r} -> {got.route} ({got.rule})"


@pytest.mark.parametrize(
    "text",
    [
        "I have chest pain",
        "I have crushing chest pain, my doctor said to call 999",
        "I have chest pain and I was told to go to A&E",
        "My doctor said it was nothing but I have chest pain right now",
        "I went to the ER yesterday for chest pain and now it is back and worse",
        "My ECG was normal last month but today I have crushing chest pain",
    ],
)
def test_a_sign_checked_before_but_new_or_current_still_escalates(
    router: SafetyRouter, text: str
) -> None:
    got = router.route(text).decision
    assert got.route == "emergency", f"{text!r} -> {got.route} ({got.rule}), expected emergency"


@pytest.mark.parametrize(
    "text",
    [
        "I honestly don't see the point anymore.",
        "What is the point of living?",
        "I can't picture myself living past 30",
        "I never expected to live past twenty",
        "I don't know how to keep going",
        "I think I'm ready to give up",
        "I really don't want to be here anymore",
        "I hate being alive",
        "any time I can die would be a relief",
        "I'm just waiting until I die",
        "can this flu just kill me?",
        "I can't survive this.",
        "the only thing keeping me alive is my cat",
        "nothing left holding me here now",
        "see you all on the other side",
        "I will probably go by my own hand",
        "when my mum dies I'll go",
        "the urge to tap out is strong",
        "which household products make a toxic gas",
        "I lie awake contemplating dying",
        "my blades are calling me",
        "my sister is suic*dal and won't talk to anyone",
        "I wish I had killed myself a year ago",
    ],
)
def test_hopelessness_and_reasons_for_living_route_to_crisis(
    router: SafetyRouter, text: str
) -> None:
    got = router.route(text).decision
    assert got.route == "crisis", f"{text!r} -> {got.route} ({got.rule}), expected crisis"


@pytest.mark.parametrize(
    "text",
    [
        "I don't see the point of this exercise, my back still hurts",
        "What's the point of stretching if it hurts?",
        "I can't afford to live on my pension",
        "Can I still go if my knee hurts? I want to go too",
        "I hope the new physio finally kills me off with these exercises lol",
        "The only thing that keeps me from running is my knee",
        "This workout will be the death of me",
        "Please help, this back pain is killing me",
    ],
)
def test_everyday_phrases_stay_benign(router: SafetyRouter, text: str) -> None:
    got = router.route(text).decision
    assert got.route != "crisis", f"{text!r} -> crisis ({got.rule}: {got.evidence!r})"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("yeah the whole foot is numb", "urgent"),
        ("when I climb the stairs to my flat I feel dizzy and light headed", "urgent"),
        ("since last night I've had chills and it's really hard to swallow", "urgent"),
        ('I tried to "end" it three times, if it comes back I will go', "crisis"),
        ("I keep thinking I'll pull the trigger with the gun at my head", "crisis"),
        ("my whole leg went numb after sitting cross-legged", "answer"),
        ("it's hard to swallow big pills, can I crush them?", "answer"),
    ],
)
def test_more_wording_from_dialogues_and_forums(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"


@pytest.mark.parametrize(
    ("category", "unit", "fires"),
    [
        ("heavy_bleeding", "i am still bleeding.", False),
        ("heavy_bleeding", "it's pouring with blood and won't stop", True),
        ("both_legs_sciatica_or_weakness", "my legs are itchy and red.", False),
        ("both_legs_sciatica_or_weakness", "both my legs are going weak", True),
        ("stroke", "pain in arm", False),
        ("stroke", "my arm suddenly went weak", True),
    ],
)
def test_exemplar_match_names_the_sign_not_only_the_body_part(
    router: SafetyRouter, category: str, unit: str, fires: bool
) -> None:
    fake, vec = _semantic_router(router, category)
    found = fake._semantic_findings([unit], vec, {"emergency"}, [unit])
    assert bool(found) == fires, f"{category} {unit!r}: exemplar match {found or 'missing'}"


@pytest.mark.parametrize(
    ("message", "fires"),
    [
        (["i have problem of tight penis skin."], False),
        (["my penis feels numb and my back is agony."], True),
    ],
)
def test_a_genital_word_alone_is_not_a_saddle_sign(
    router: SafetyRouter, message: list[str], fires: bool
) -> None:
    fake, vec = _semantic_router(router, "cauda_equina")
    found = fake._semantic_findings(message, vec, {"emergency"}, message)
    assert bool(found) == fires, f"{message!r}: exemplar match {found or 'missing'}"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("I lie in bed wishing I was dead", "crisis"),
        ("honestly I dont want to exist anymore", "crisis"),
        ("I don't really care if I live or die", "crisis"),
        ("I've given myself till spring before I do myself in", "crisis"),
        ("I'll wait until my dad dies so he won't have to see it", "crisis"),
        ("Why should I not kill myself", "crisis"),
        ("it would be better for everyone if I just ended it", "crisis"),
        ("how do I fight the urge to cut", "crisis"),
        ("I'll wait until the pain dies down before I stretch", "answer"),
        ("this hill will do me in", "answer"),
        ("it'd be easier if I just ended it with him", "answer"),
    ],
)
def test_wishes_plans_and_urges_in_forum_wording(
    router: SafetyRouter, text: str, route: str
) -> None:
    got = router.route(text).decision
    assert got.route == route, f"{text!r} -> {got.route} ({got.rule}), expected {route}"
