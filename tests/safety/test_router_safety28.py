"""Red flags written in other styles (safety28, issue 12): a triage or ward note in shorthand,
a guideline or pathway checklist item, a third-person symptom-checker vignette, a red flag
beside a medicine, and a screening question answered "yes". Each idea escalates in several
wordings, and its look-alikes (an educational question, a negated or normal finding, the
past, an inhaled steroid, a leg that was always shorter) stay benign. Through the real router.
"""

from __future__ import annotations

from typing import Any

import pytest

from painguide.safety.router import accidental_child_ingestion, clinical_note
from tests.safety.own_cases import ESCALATED, assert_routed, cases_with_prefix

CASES = cases_with_prefix("s-safety28-")


def test_cases_present() -> None:
    assert len(CASES) >= 300
    assert sum(c["expected_route"] in ESCALATED for c in CASES) >= 200
    assert sum(c["expected_route"] not in ESCALATED for c in CASES) >= 60
    assert all(c.get("train") is False for c in CASES if c["expected_route"] in ESCALATED)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_own_cases_route(router: Any, case: dict[str, Any]) -> None:
    assert_routed(router, case)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # a severe asthma attack or breathing failure in a note
        ("Acute asthma, can't complete sentences, peak flow low", "emergency"),
        ("COPD, centrally cyanosed, drowsy", "emergency"),
        ("Wheeze, sats 85%, tired", "emergency"),
        # a fit that does not stop
        ("Known epileptic, fitting for over 5 minutes", "emergency"),
        ("my brother has had fits back to back this morning", "emergency"),
        # vomiting blood, a heavy bleed from the bottom, in clinical words
        ("Haematemesis, on NSAIDs", "emergency"),
        ("Heavy PR bleed, pale", "emergency"),
        # diabetic ketoacidosis, a severe hypo
        ("Type 1, ?DKA, drowsy", "emergency"),
        ("insulin user, hypo and now unresponsive", "emergency"),
        # a baby or toddler drowsy, floppy or not feeding; a child hardly weeing
        ("Infant 8 weeks, floppy, not feeding", "emergency"),
        ("toddler very drowsy after two days of vomiting", "emergency"),
        ("my 3-year-old has barely had a wee since yesterday", "urgent"),
        # a knock to the head on blood thinners, or vomiting after a head injury
        ("Elderly, on apixaban, fell and struck head", "emergency"),
        ("she hit her head on the kerb and has been sick since", "emergency"),
        # the face lopsided; stiff neck with light hurting
        ("his face looks droopy and he can't speak properly", "emergency"),
        ("neck stiff, can't look at the lights, temperature", "emergency"),
        # an eye injury with sight changed; a hip fracture after a fall
        ("got punched in the eye and my vision is blurry now", "emergency"),
        ("Fall, unable to weight bear, shortened externally rotated leg", "emergency"),
        # peeling or blistering skin with mouth sores; too much paracetamol by mistake
        ("new antibiotics, skin blistering, ulcers in mouth", "emergency"),
        ("she has been taking too many paracetamol for toothache and now feels sick", "emergency"),
        # mastitis; appendicitis pain that moved; sepsis in a note
        ("Breastfeeding, breast hot and swollen, fever", "urgent"),
        ("pain began near my belly button and now it's moved to the lower right", "urgent"),
        ("UTI, temp 39.2, new confusion", "emergency"),
        # spinal items as a checklist or pathway card words them
        ("Back pain, drug misuse, fevers", "urgent"),
        ("LBP; prolonged oral steroid use", "urgent"),
        ("can't tell when my bladder is full and my back is bad", "emergency"),
        ("finding it harder and harder to pee since my back went", "emergency"),
        ("numb around the back passage since this morning, back pain", "emergency"),
        ("back pain that is constant, at night as well, and getting worse", "urgent"),
        ("I'm over 60 and my back pain started out of the blue", "urgent"),
        # "back pain + a sign" as a checklist line
        ("Back pain after a minor fall in someone aged over 75", "urgent"),
        ("back pain, over 55 and it's the first time", "urgent"),
        ("my spine is deformed and sore", "urgent"),
        ("20 weeks pregnant, back ache and bleeding", "emergency"),
        # a screening question answered yes
        ("Do you have any numbness around your bottom? Yes", "emergency"),
        ("Have you lost any weight without trying? Yes, a stone. Back pain for a month.", "urgent"),
    ],
)
def test_new_wordings_escalate(router: Any, text: str, route: str) -> None:
    decision = router.route(text).decision
    assert decision.route == route, (text, decision.route, decision.rule)


@pytest.mark.parametrize(
    "text",
    [
        "what does it mean when someone can't complete sentences in an asthma attack?",
        "what is status epilepticus?",
        "what does haematemesis mean?",
        "Had DKA once as a teenager, fine for years now, back aches after gardening",
        "what are the signs of dehydration in a toddler?",
        "my dad is on blood thinners and wants to start walking more for his back",
        "my face looks tired and my back aches",
        "my neck is stiff from sleeping on it funny, no fever",
        "one leg is shorter than the other since childhood, does that cause back pain?",
        "what is the maximum dose of paracetamol per day?",
        "what are the symptoms of mastitis?",
        "Temp 37.2, HR 78, BP 124/80, alert",
        "Drug abuse prevention programmes in schools",
        "regular steroid inhaler for asthma, mild back stiffness after sitting",
        "long-term steroids and exercise for bone health",
        "the pain between my shoulder blades went away after stretching",
        "Reduced range of motion in lumbar spine, no neuro deficit",
        "Do you have numbness around your bottom? No",
        "what causes back pain after a fall in older people?",
        "over 60 and going to the gym for the first time, back pain advice?",
        "what does a deformed spine look like?",
        "does bleeding in pregnancy cause back pain?",
        "on the morning after pill, now bleeding, back ache",
        "Do you have any exercises for sciatica? Yes please",
        "Are you able to walk? Yes, a mile, back a bit stiff",
    ],
)
def test_look_alikes_not_escalated(router: Any, text: str) -> None:
    decision = router.route(text).decision
    assert decision.route not in ESCALATED, (text, decision.rule)


def test_screening_yes_is_a_statement(router: Any) -> None:
    assert router.normalise("Do you have numbness around your genitals? Yes") == (
        "i have numbness around my genitals."
    )
    assert router.normalise("Have you had cancer? Yes, bowel") == "i have had cancer. bowel"
    assert "?" in router.normalise("Do you have numbness? No")
    assert "?" in router.normalise("Do you do home visits? Yes please")


def test_reduced_reads_as_a_finding_in_a_note() -> None:
    assert clinical_note("reduced sexual sensation")
    assert clinical_note("reduced anal tone, bilateral leg weakness")
    assert not clinical_note("how to reduce back pain")


def test_child_of_school_age_into_an_adults_medicine() -> None:
    assert accidental_child_ingestion("a 7-year-old swallowed some of her grandmother's tablets")
    assert accidental_child_ingestion("my 9 year old ate some of his dad's pills")
    assert not accidental_child_ingestion("my 15 year old swallowed her mum's tablets")
    assert not accidental_child_ingestion(
        "a 7-year-old swallowed her grandmother's tablets on purpose"
    )
