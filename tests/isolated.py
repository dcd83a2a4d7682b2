"""Run selected tests one file per pytest process, so a crash in native code fails one test.

``python -m tests.isolated -m llm tests/integration`` collects the matching tests, then runs each
file's tests in a fresh ``python -m pytest`` process. When a process dies (SIGSEGV in llama.cpp,
say), the test that was running is reported as crashed with the signal, and the file's remaining
tests run in a new process. The last line is the overall count ("isolated: N passed, M failed");
the exit status is 0 only when every test passed and at least one ran.

Loaded into each child as a pytest plugin (``-p tests.isolated``), this module writes a line per
test start and result to the file named by ``PAINGUIDE_TEST_EVENTS``; that is how the runner
knows which test was running when the process died.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

EVENTS_ENV = "PAINGUIDE_TEST_EVENTS"
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]


# --- the plugin side (inside each pytest process) --------------------------------------------
def _event(*fields: str) -> None:
    path = os.environ.get(EVENTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write("\t".join(fields) + "\n")


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    """Record that a test started (flushed before it runs)."""
    del location
    _event("start", nodeid)


def pytest_collection_finish(session: Any) -> None:
    """Record the collected node ids and the root directory they are relative to."""
    for item in session.items:
        _event("item", item.nodeid, str(session.config.rootpath))


def pytest_runtest_logreport(report: Any) -> None:
    """Record each phase's outcome (setup, call, teardown)."""
    _event("report", report.nodeid, report.when, report.outcome)


# --- the runner side --------------------------------------------------------------------------
def collect(marker: str, paths: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(node id, absolute node id) of each matching test, grouped by file."""
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.tsv"
        env = {**os.environ, EVENTS_ENV: str(events)}
        cmd = [*PYTEST, "-p", "tests.isolated", "--collect-only", "-q", "-m", marker, *paths]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        lines = events.read_text(encoding="utf-8").splitlines() if events.exists() else []
    if out.returncode not in (0, 5):
        sys.stdout.write(out.stdout + out.stderr)
        raise SystemExit(f"isolated: collecting {paths} failed ({exit_text(out.returncode)})")
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in lines:
        kind, nodeid, root = line.split("\t")
        if kind == "item":
            groups[nodeid.split("::", 1)[0]].append((nodeid, f"{root}/{nodeid}"))
    return dict(groups)


def read_outcomes(events: Path) -> tuple[dict[str, str], str | None]:
    """(outcome per finished test, the test started but never finished or None)."""
    outcomes: dict[str, str] = {}
    running: str | None = None
    lines = events.read_text(encoding="utf-8").splitlines() if events.exists() else []
    for line in lines:
        kind, nodeid, *phase = line.split("\t")
        if kind == "start":
            running = nodeid
        if kind != "report":
            continue
        when, outcome = phase
        if outcome == "failed":
            outcomes[nodeid] = "failed"
        elif outcome == "skipped" and outcomes.get(nodeid) != "failed":
            outcomes[nodeid] = "skipped"
        else:
            outcomes.setdefault(nodeid, "passed")
        if when == "teardown":
            running = None
    return outcomes, running


def exit_text(code: int) -> str:
    """'signal SIGSEGV' for a process killed by a signal, else 'exit code N'."""
    signum = -code if code < 0 else code - 128 if code > 128 else 0
    if signum:
        try:
            return f"signal {signal.Signals(signum).name}"
        except ValueError:
            return f"signal {signum}"
    return f"exit code {code}"


def run_file(marker: str, tests: list[tuple[str, str]], extra: list[str]) -> dict[str, str]:
    """Run one file's tests, restarting after a crash; outcome per node id."""
    results: dict[str, str] = {}
    while len(results) < len(tests):
        todo = [n for n, _ in tests if n not in results]
        args = [a for n, a in tests if n not in results]
        with tempfile.TemporaryDirectory() as tmp:
            events = Path(tmp) / "events.tsv"
            env = {**os.environ, EVENTS_ENV: str(events)}
            cmd = [*PYTEST, "-p", "tests.isolated", "-q", "-m", marker, *extra, *args]
            print(f"\nisolated: {' '.join(cmd[2:])}", flush=True)
            code = subprocess.run(cmd, env=env, check=False).returncode
            outcomes, running = read_outcomes(events)
        results.update({n: o for n, o in outcomes.items() if n in todo})
        if code in (0, 1) and running is None:
            for n in todo:
                results.setdefault(n, "failed")  # not reported: count it as failed
            continue
        crashed = running or next(n for n in todo if n not in results)
        results[crashed] = f"crashed ({exit_text(code)})"
        print(f"isolated: CRASHED {crashed}: pytest died with {exit_text(code)}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.isolated -m MARK PATH... [-- PYTEST_ARGS...]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-m", "--marker", required=True, help="pytest -m expression")
    parser.add_argument("paths", nargs="+", help="test files or directories")
    args, extra = parser.parse_known_args(argv)
    groups = collect(args.marker, args.paths)
    results: dict[str, str] = {}
    for tests in groups.values():
        results.update(run_file(args.marker, tests, extra))
    counts: dict[str, int] = defaultdict(int)
    print("\nisolated: results")
    for nodeid, outcome in results.items():
        kind = outcome if outcome in {"passed", "skipped"} else "failed"
        counts[kind] += 1
        if kind != "passed":
            print(f"  {outcome.upper()}: {nodeid}")
    line = f"isolated: {counts['passed']} passed, {counts['failed']} failed"
    print(line + (f", {counts['skipped']} skipped" if counts["skipped"] else ""))
    return 0 if results and counts["passed"] == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
