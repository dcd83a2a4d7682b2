"""Kind, clear response templates for every route (clinic numbers come from settings)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from painguide.config import Settings
    from painguide.types import RouteDecision

# Messages the HTTP API and the chat UI share (no clinic settings in them).
UNAVAILABLE_MESSAGE = (
    "Pain Guide is temporarily unavailable. Please try again in a minute. If you have severe "
    "or worrying symptoms, do not wait: call your local emergency number."
)
BUSY_MESSAGE = "Pain Guide is busy right now. Please try again in a few seconds."
RATE_LIMITED_MESSAGE = "You're sending messages very quickly. Please wait a minute and try again."
TOO_LARGE_MESSAGE = (
    "That request is too large. Please send a shorter message (and fewer earlier turns)."
)

EDUCATION_NOTE = (
    "Pain Guide gives general education, not medical advice. It cannot examine you or diagnose you."
)


def emergency(decision: RouteDecision, s: Settings) -> str:
    """Emergency: get help now, the reason, nothing else."""
    reason = decision.reason or "What you describe can be a sign of a serious problem."
    return (
        f"Please get emergency help now: call {s.emergency_number}, or go to the nearest "
        f"emergency department. {reason} This needs to be checked by a doctor straight away, "
        "not managed with exercise. If you are not sure, it is always right to call."
    )


def urgent(decision: RouteDecision, s: Settings) -> str:
    """Urgent: contact a doctor today, with the reason."""
    reason = decision.reason or "What you describe needs a doctor to check it soon."
    return (
        f"Please contact a doctor today (for example {s.clinic_contact}, or an urgent care "
        f"service). {reason} If things get suddenly worse, call {s.emergency_number}."
    )


def crisis(decision: RouteDecision, s: Settings) -> str:
    """Crisis: warm, direct, the crisis line and emergency number, nothing else."""
    return (
        "I'm really sorry you're feeling this way, and I'm glad you said it. You deserve support "
        f"right now from a person who can help. Please reach out to {s.crisis_line}. If you are "
        f"in danger or might act on these thoughts, call {s.emergency_number} now. If you can, "
        "tell someone you trust how you are feeling and stay with them."
    )


# The crisis message speaks to the person at risk ("I'm sorry you're feeling this way"); when
# the message is about someone else ("my friend cuts herself, how can I help her?"), the person
# writing is a helper: the message tells them what to do for the other person (988 and
# Samaritans advice for someone worried about another person).
_OTHER_PERSON = re.compile(
    r"\b(my|our|a|his|her|their) (friend|mate|son|daughter|child|kid|mum|mom|mother|dad|"
    r"father|brother|sister|partner|husband|wife|boyfriend|girlfriend|teen\w*|colleague|"
    r"flatmate|roommate|classmate|student|patient|client|neighbou?r|gran\w*|grand\w*)\b|"
    r"\b(he|she|they)('s| is| are|'re| has| have| said| says| wants?| keeps?| cuts?| tried)\b|"
    r"\b(himself|herself|themselves|themself)\b",
    re.I,
)
_OWN_RISK = re.compile(
    r"\bmyself\b|\bmy (own )?life\b|\bkill me\b|\bi (want|wanna|wish|need) to (die|end|"
    r"kill|hurt|cut|disappear)|\bi('m| am| feel) (suicidal|hopeless|worthless|a burden)",
    re.I,
)


def about_someone_else(message: str) -> bool:
    """Whether a crisis message is about another person, with nothing about the writer's own
    risk (then the writer is asking how to help)."""
    return bool(_OTHER_PERSON.search(message)) and not _OWN_RISK.search(message)


def crisis_someone_else(decision: RouteDecision, s: Settings) -> str:
    """Crisis about another person: what to do now, where to get advice, and self-care."""
    return (
        "It sounds like someone you care about may be at risk, and it's good that you want to "
        f"help. If they might act on it now, or have already hurt themselves, call "
        f"{s.emergency_number} now and stay with them if it is safe. For advice on how to "
        f"support them, you can contact {s.crisis_line}. Encourage them to talk to a doctor "
        "or someone they trust, and look after yourself too."
    )


OUT_OF_SCOPE_WHY: dict[str, str] = {
    "personal_diagnosis": "I can't tell what is causing your symptoms; only a clinician who "
    "can examine you can do that.",
    "medicine_dose": "I can't give medicine doses or say what is safe for you to take.",
    "medicine_start_stop": "I can't tell you to start, stop or change a medicine.",
    "read_my_results": "I can't read or explain your own scan or test results.",
    "surgery_decision": "I can't help you decide about surgery or other procedures for you.",
}
OUT_OF_SCOPE_WHO: dict[str, str] = {
    "personal_diagnosis": "a GP, doctor or physiotherapist",
    "medicine_dose": "a pharmacist or your doctor",
    "medicine_start_stop": "the doctor who prescribed it, or a pharmacist",
    "read_my_results": "the doctor or clinician who ordered the test",
    "surgery_decision": "your surgeon, GP or physiotherapist",
}


def out_of_scope(decision: RouteDecision, s: Settings) -> str:
    """Polite decline naming who can help (general education may follow)."""
    why = OUT_OF_SCOPE_WHY.get(decision.category, "That needs personal medical advice.")
    who = OUT_OF_SCOPE_WHO.get(decision.category, s.clinic_contact)
    return f"{why} Please ask {who}; they know your situation and can advise you safely."


def off_topic(decision: RouteDecision, s: Settings) -> str:
    """Redirect to what Pain Guide can help with; instructions never change."""
    if decision.rule == "empty_input":
        return "Please type a question about pain or moving safely with pain, and I'll help."
    return (
        "I can only help with questions about pain and moving safely with it: how pain works, "
        "why exercise helps, how to start and pace activity, back pain, and when to see a "
        "doctor. What would you like to know about those?"
    )


def nothing_asked(topics: list[str]) -> str:
    """For a message that only says what is not happening ("no, no chest pain")."""
    listed = "; ".join(topics[:4])
    return (
        "Thanks for letting me know. What would you like to ask? I can help with questions "
        f"about pain and moving safely with it, such as: {listed}."
    )


def no_content(topics: list[str], s: Settings) -> str:
    """Honest 'no content' with topics that are covered."""
    listed = "; ".join(topics[:6])
    return (
        "I'm sorry, Pain Guide has no content on that, so I can't answer it reliably. "
        f"For questions outside pain and movement, please ask {s.clinic_contact}. "
        f"Topics I can help with include: {listed}."
    )


def symptom_default(topics: list[str], s: Settings, no_content: bool = True) -> str:
    """A first-person report of current symptoms the library does not cover: never only
    'no content'. ``no_content=False`` gives the safety line alone (the caller has already
    said what the library lacks)."""
    line = (
        "I can't assess symptoms. If this is severe, sudden or getting worse, call "
        f"{s.emergency_number} now; otherwise see a GP or pharmacist today."
    )
    if not no_content:
        return line
    listed = "; ".join(topics[:4])
    tail = f" Topics I can help with include: {listed}." if listed else ""
    return f"{line} Pain Guide has no content on this, so I can't say more about it.{tail}"


def crisis_note(s: Settings) -> str:
    """A short, kind note added to a normal answer when someone mentions a past or family
    history of suicide or self-harm (not a takeover)."""
    return (
        "Thank you for sharing that; it can be a lot to carry. If it ever feels heavy, or "
        f"thoughts of harming yourself come back, you can talk to {s.crisis_line} at any time. "
        f"In an emergency, call {s.emergency_number}."
    )


def support_note(s: Settings) -> str:
    """A kind note added to a normal answer when someone says pain is wearing them down."""
    return (
        "Living with pain that will not ease is exhausting, and feeling worn down by it is "
        "common and nothing to be ashamed of. If you ever have thoughts of harming yourself, "
        f"please reach out to {s.crisis_line}. They are there to listen at any time of day or "
        "night."
    )


def safety_failure(s: Settings) -> str:
    """The safe generic response used when any safety step fails (fail closed)."""
    return (
        "Sorry, I can't answer that safely right now. If you have severe or worrying symptoms, "
        f"call {s.emergency_number} or contact {s.clinic_contact}. Please try your question "
        "again in a moment."
    )
