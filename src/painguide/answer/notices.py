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
        f"For advice about {subject}, please ask {s.clinic_contact}. "
        f"Topics Pain Guide does cover include: {'; '.join(topics[:5])}."
    )
    return "\n\n".join(parts)
