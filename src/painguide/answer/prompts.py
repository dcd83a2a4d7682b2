"""The versioned LLM prompt (local file, no hub). Changing it changes PROMPT_VERSION."""

from __future__ import annotations

from importlib import resources

PROMPT_VERSION = "1"
PROMPT_FINGERPRINT = "You are Pain Guide's answer writer"  # first words; a leak if echoed


def system_prompt() -> str:
    """The system prompt text shipped with the package."""
    return (
        resources.files("painguide.answer")
        .joinpath("prompt_files", "answer_v1.txt")
        .read_text("utf-8")
    )
