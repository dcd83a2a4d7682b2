"""Pain Guide: a grounded, cited chat assistant about pain and moving safely with it."""

from __future__ import annotations

__version__ = "0.1.0"
