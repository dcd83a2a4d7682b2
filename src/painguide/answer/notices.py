"""Answer text for subjects the library does not cover (honest, then only labelled general help)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from painguide.config import Settings

NO_PAGE = "Pain Guide has no page on {subject}."
OTHER_CONDITION = (
    "Note: this answer comes from Pain Guide's page on {condition}, which your question did not "
    "mention. If you have not been told you have {condition}, ask a GP or physiotherapist "
    "whether it applies to you."
)
# a treatment asked about for a body part or condition its page never names ("can TENS help my
# knee?"): the page's content is general, and the person is told that it is
NOT_SPECIFIC = (
    "Note: Pain Guide has no page on {pair} in particular, so this answer gives what it says "
    "in general."
)

# Who helps with a subject the clinic's usual contacts (a GP, physio or pharmacist) do not
# cover well: bleeding gums are a dentist's question, exercise after a heart attack a question
# for the heart team that runs cardiac rehabilitation
WHO_TO_ASK = {
    "gum problems": "a dentist, or your GP",
    "tooth pain": "a dentist, or your GP",
    "teeth grinding": "a dentist, or your GP",
    "heart disease": "your doctor or your cardiac rehabilitation (heart rehab) team",
}


def not_covered(
    subject: str, general: str, topics: list[str], s: Settings, safety_line: str = ""
) -> str:
    """Say plainly that a subject is not covered; add general content only when given, labelled
    as general, and name who can help and what the library does cover. ``safety_line`` (for a
    report of current symptoms: who to call and when) comes first."""
    parts = [safety_line] if safety_line else []  # for a symptom report, safety comes first
    parts.append(NO_PAGE.format(subject=subject))
    if general:
        parts.append(f"In general terms, not specific to {subject}: {general}")
    parts.append(
        f"For advice about {subject}, please ask {WHO_TO_ASK.get(subject, s.clinic_contact)}. "
        f"Topics Pain Guide does cover include: {'; '.join(topics[:5])}."
    )
    return "\n\n".join(parts)
