"""Safety routing: every message is routed before any answer is composed."""

from __future__ import annotations

from painguide.safety.router import SafetyRouter, Turn

__all__ = ["SafetyRouter", "Turn"]
