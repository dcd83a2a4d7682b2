"""A bounded load test on loopback: 50 concurrent conversations of 10 turns (500 requests)
against the live server, checking that every reply answers its own conversation."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.integration

CONVERSATIONS = 50
TURNS = 10
TOTAL_REQUESTS = CONVERSATIONS * TURNS
LOAD_TIMEOUT_S = 300.0  # the whole concurrent phase must finish within this
REQUEST_TIMEOUT_S = 60.0

QUESTIONS: tuple[str, ...] = (
    "Why does exercise help my back pain?",
    "How do I start exercising when everything hurts?",
    "Is it OK to exercise if it hurts a bit?",
    "What should I do during a flare-up?",
    "Do I need a scan for my back pain?",
    "What is pacing?",
    "Does bad posture cause back pain?",
    "Is walking good for back pain?",
    "Why do my muscles ache a day or two after exercise?",
    "Can poor sleep make pain worse?",
    "What is fibromyalgia?",
    "Should I stay in bed when my back hurts?",
    "What is sciatica?",
    "Is yoga good for back pain?",
)
FOLLOW_UPS: tuple[str, ...] = (
    "how long does that last?",
    "why is that?",
    "what if it hurts?",
    "how often should I do that?",
    "does that work for everyone?",
    "can you explain that more simply?",
    "and how do I start?",
    "is there any evidence for that?",
    "what else helps?",
)
MARKER = re.compile(r"\bc(\d{2})\b")


def marker(conv: int) -> str:
    """A token unique to one conversation; the contract's ``query`` echoes it back."""
    return f"#c{conv:02d}"


def message(conv: int, turn: int) -> str:
    """Turn ``turn`` of conversation ``conv``: its own question, then real follow-ups."""
    if turn == 0:
        return f"{QUESTIONS[conv % len(QUESTIONS)]} {marker(conv)}"
    return f"{FOLLOW_UPS[(conv + turn - 1) % len(FOLLOW_UPS)]} {marker(conv)}"


@dataclass
class Result:
    """One request of the load run."""

    conv: int
    turn: int
    message: str
    history: list[dict[str, str]]
    status: int | None = None
    latency_s: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass
class Run:
    """Everything the concurrent phase observed."""

    results: list[Result] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0


async def post(client: httpx.AsyncClient, run: Run, res: Result) -> Result:
    """Send one /api/v1/ask request, recording status, latency and transport errors."""
    run.in_flight += 1
    run.max_in_flight = max(run.max_in_flight, run.in_flight)
    t = time.perf_counter()
    try:
        r = await client.post("/api/v1/ask", json={"message": res.message, "history": res.history})
        res.status = r.status_code
        try:
            res.data = r.json()
        except ValueError:
            res.error = f"non-JSON body: {r.text[:200]!r}"
    except httpx.TransportError as exc:
        res.error = f"{type(exc).__name__}: {exc}"
    finally:
        res.latency_s = time.perf_counter() - t
        run.in_flight -= 1
        run.results.append(res)
    return res


async def conversation(client: httpx.AsyncClient, run: Run, conv: int, go: asyncio.Event) -> None:
    """Ten turns, each sending the conversation so far as ``history``."""
    history: list[dict[str, str]] = []
    await go.wait()
    for turn in range(TURNS):
        res = await post(client, run, Result(conv, turn, message(conv, turn), list(history)))
        if res.status != 200 or res.error:
            return  # reported by the assertions; no reply to continue from
        history += [
            {"role": "user", "content": res.message},
            {"role": "assistant", "content": res.data["answer"]},
        ]


async def load(base_url: str) -> tuple[dict[int, dict[str, Any]], Run, float]:
    """Baselines (each opening asked alone, one at a time), then the concurrent run."""
    limits = httpx.Limits(max_connections=CONVERSATIONS, max_keepalive_connections=CONVERSATIONS)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=httpx.Timeout(REQUEST_TIMEOUT_S)
    ) as client:
        baselines: dict[int, dict[str, Any]] = {}
        for conv in range(CONVERSATIONS):
            r = await client.post("/api/v1/ask", json={"message": message(conv, 0)})
            assert r.status_code == 200, f"baseline {message(conv, 0)!r}: HTTP {r.status_code}"
            baselines[conv] = r.json()
        run = Run()
        go = asyncio.Event()
        tasks = [
            asyncio.create_task(conversation(client, run, c, go)) for c in range(CONVERSATIONS)
        ]
        t0 = time.perf_counter()
        go.set()
        await asyncio.wait_for(asyncio.gather(*tasks), LOAD_TIMEOUT_S)
        return baselines, run, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@pytest.mark.timeout(LOAD_TIMEOUT_S + 120)
def test_fifty_concurrent_conversations(live_server: Any, output_dir: Path) -> None:
    from painguide.conversation import resolve_followup

    assert live_server.settings.max_concurrent >= CONVERSATIONS, live_server.settings
    baselines, run, wall_s = asyncio.run(load(live_server.url))
    results = sorted(run.results, key=lambda r: (r.conv, r.turn))

    transport = [f"c{r.conv} t{r.turn}: {r.error}" for r in results if r.error]
    server_errors = [
        f"c{r.conv} t{r.turn} {r.message!r}: HTTP {r.status} {r.data}"
        for r in results
        if r.status is not None and r.status >= 500
    ]
    other = [
        f"c{r.conv} t{r.turn} {r.message!r}: HTTP {r.status} {r.data}"
        for r in results
        if r.status is not None and r.status != 200 and r.status < 500
    ]
    assert not transport, f"{len(transport)} transport errors: {transport[:5]}"
    assert not server_errors, f"{len(server_errors)} 5xx responses: {server_errors[:5]}"
    assert not other, f"{len(other)} non-200 responses: {other[:5]}"
    assert len(results) == TOTAL_REQUESTS, f"{len(results)} requests, expected {TOTAL_REQUESTS}"
    assert run.max_in_flight >= CONVERSATIONS * 0.8, f"only {run.max_in_flight} in flight at once"

    mismatches: list[str] = []
    for r in results:
        d = r.data
        if not d.get("answer", "").strip():
            mismatches.append(f"c{r.conv} t{r.turn} {r.message!r}: empty answer {d}")
            continue
        query = d.get("query", "")
        # the reply is for this message: the retrieval query is the message (with its own
        # marker) plus, for follow-ups, words borrowed from this conversation's history only
        expected = {
            resolve_followup(r.message, r.history),
            resolve_followup(r.message, r.history, force=True),
            # asked again with earlier subjects named in full when the words find nothing
            resolve_followup(r.message, r.history, name_subjects=True),
        }
        if query not in expected:
            mismatches.append(
                f"c{r.conv} t{r.turn} {r.message!r}: query {query!r}, "
                f"expected one of {sorted(expected)}"
            )
        foreign = {m for m in MARKER.findall(query) if int(m) != r.conv}
        if foreign:
            mismatches.append(
                f"c{r.conv} t{r.turn} {r.message!r}: other conversations' "
                f"markers {sorted(foreign)} in query {query!r}"
            )
        if r.turn == 0:
            base = baselines[r.conv]
            got = (d["route"], [c["chunk_id"] for c in d["citations"]], d["answer"])
            want = (base["route"], [c["chunk_id"] for c in base["citations"]], base["answer"])
            if got != want:
                mismatches.append(
                    f"c{r.conv} {r.message!r} under load: {got[:2]}, asked alone: {want[:2]}"
                )
            if d["route"] != "answer" or not d["citations"]:
                mismatches.append(f"c{r.conv} {r.message!r}: route {d['route']} without cites")
    assert not mismatches, f"{len(mismatches)} replies do not match their question: " + "\n".join(
        mismatches[:10]
    )

    latencies = [r.latency_s * 1000 for r in results]
    routes = Counter(r.data["route"] for r in results)
    report = {
        "conversations": CONVERSATIONS,
        "turns": TURNS,
        "requests": len(results),
        "wall_s": round(wall_s, 2),
        "throughput_rps": round(len(results) / wall_s, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p95": round(percentile(latencies, 95), 1),
            "max": round(max(latencies), 1),
            "mean": round(statistics.fmean(latencies), 1),
        },
        "max_in_flight": run.max_in_flight,
        "routes": dict(routes),
        "status_5xx": len(server_errors),
        "transport_errors": len(transport),
    }
    (output_dir / "load.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(
        f"\nload: {len(results)} requests in {wall_s:.1f}s, "
        f"p50 {report['latency_ms']['p50']} ms, p95 {report['latency_ms']['p95']} ms, "
        f"routes {dict(routes)}"
    )
    assert wall_s < LOAD_TIMEOUT_S, f"load run took {wall_s:.1f}s"
