"""Tests needing a system binary fail in milliseconds with the install command when it is absent."""

from __future__ import annotations

import time

import pytest

from tests.conftest import require_binary


def test_missing_binary_fails_at_once_with_the_install_command() -> None:
    t = time.monotonic()
    with pytest.raises(pytest.fail.Exception) as info:
        require_binary("/nonexistent/bin/nginx-missing-for-test", "nginx")
    took = time.monotonic() - t
    text = str(info.value)
    assert took < 1.0, f"took {took:.1f}s to report a missing binary"
    assert "apt-get install -y -qq nginx" in text, f"no install command in {text!r}"


def test_present_binary_is_returned() -> None:
    assert require_binary("/bin/sh", "dash").endswith("sh")
