"""The one-process-per-file test runner: a crashing test is one failure, the rest still run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import isolated

CRASHY = """
import os, signal
import pytest

pytestmark = pytest.mark.crashy

def test_passes_first():
    assert True

def test_dies():
    os.kill(os.getpid(), signal.SIGSEGV)

def test_runs_after_the_crash():
    assert True

def test_fails():
    assert 1 == 2
"""


def test_a_crash_is_one_failed_test_and_the_rest_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test_crashy.py").write_text(CRASHY, "utf-8")
    code = isolated.main(["-m", "crashy", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "CRASHED" in out and "test_dies: pytest died with signal SIGSEGV" in out, out
    assert out.rstrip().splitlines()[-1] == "isolated: 2 passed, 2 failed", out
    assert "FAILED: " in out and "test_fails" in out, out


def test_all_passing_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "test_fine.py").write_text(
        "import pytest\n\n@pytest.mark.crashy\ndef test_ok():\n    assert True\n", "utf-8"
    )
    code = isolated.main(["-m", "crashy", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.rstrip().splitlines()[-1] == "isolated: 1 passed, 0 failed", out


def test_no_matching_test_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "test_other.py").write_text("def test_ok():\n    assert True\n", "utf-8")
    assert isolated.main(["-m", "crashy", str(tmp_path)]) == 1, capsys.readouterr().out


def test_exit_text() -> None:
    assert isolated.exit_text(-11) == "signal SIGSEGV"
    assert isolated.exit_text(139) == "signal SIGSEGV"
    assert isolated.exit_text(1) == "exit code 1"
