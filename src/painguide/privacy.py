"""Redaction of contact details before anything is logged or stored."""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# phone-like runs: 7+ digits with optional separators and a leading +
_PHONE = re.compile(r"(?<![\w(])(?:\+|\()?\d[\d\s().-]{6,}\d(?![\w])")
_YEAR_RANGE = re.compile(r"^(19|20)\d\d\s*[-–]\s*(19|20)\d\d$")


def redact(text: str) -> str:
    """Replace emails and phone numbers with placeholders."""
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(lambda m: m.group(0) if _YEAR_RANGE.match(m.group(0)) else "[phone]", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts contact details in every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with contact details redacted."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record still gets logged, unredacted args dropped
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        return True


def install_log_redaction() -> None:
    """Attach the redacting filter to every root handler (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
