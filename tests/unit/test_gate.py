"""The release gate fails closed: a missing or unreadable thresholds file is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from painguide.cli import main
from painguide.errors import ThresholdsError
from painguide.evals.runner import apply_gate, load_thresholds


def _report() -> dict:
    return {"datasets": {"golden": {}}, "metrics": {"golden.retrieval.hit@3": 1.0}}


def test_check_with_missing_thresholds_fails_before_evaluating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "thresholds.toml"
    code = main(["eval", "--check", "--thresholds", str(missing), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, f"--check with missing {missing} exited {code}, stderr: {err!r}"
    assert str(missing) in err, f"error does not name {missing}: {err!r}"
    assert not (tmp_path / "o").exists(), "evaluation ran although the gate cannot be checked"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read"),  # a directory where the file should be
        (b"[min\n", "not valid TOML"),
        (b"\xff\xfe[min]", "cannot be read"),
        (b"# only a comment\n", "no [min] or [max]"),
    ],
)
def test_unreadable_thresholds_name_the_file(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / "thresholds.toml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(ThresholdsError) as info:
        load_thresholds(path)
    assert str(path) in str(info.value), f"{content!r}: message lacks the path: {info.value}"
    assert problem in str(info.value), f"{content!r}: expected {problem!r} in {info.value}"
    with pytest.raises(ThresholdsError):
        apply_gate(_report(), path)


def test_readable_thresholds_gate_the_report(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.toml"
    path.write_text('[min]\n"golden.retrieval.hit@3" = 0.95\n"holdout.x" = 1\n', encoding="utf-8")
    assert apply_gate(_report(), path)["passed"] is True
    path.write_text('[min]\n"golden.retrieval.hit@3" = 1.01\n', encoding="utf-8")
    gate = apply_gate(_report(), path)
    assert gate["passed"] is False, f"hit@3 1.0 < 1.01 passed: {gate}"


def test_committed_thresholds_file_loads() -> None:
    tables = load_thresholds(Path("evals/thresholds.toml"))
    assert tables.get("min"), f"evals/thresholds.toml has no [min] entries: {tables}"
