"""Safety routing latency and decisions, on its own (no retrieval, no answer).

Routes every message of the committed evaluation datasets, in the order `painguide eval` asks
them, with one SafetyRouter built as the pipeline builds it (same embedding model, torch threads
from the settings, exemplar vectors from ``.painguide/cache``). Conversations are routed with
their history; ``--prefixes`` also routes every earlier user turn of each conversation with the
turns before it, as a chat would send them.

    python benchmarks/route_bench.py                          # p50/p95 of SafetyRouter.route
    python benchmarks/route_bench.py --out /tmp/after.json    # + every decision, for a diff
    python benchmarks/route_bench.py --diff /tmp/before.json /tmp/after.json
    python benchmarks/route_bench.py --profile 40             # cProfile, 40 heaviest functions

Run from the repository root. The decisions file holds, per message, the route, the rule and
the rest of the router's result, so two versions of the router can be compared exactly.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATASETS = {  # the order `painguide eval` uses (evals/runner.py DEFAULT_DATASETS)
    "golden": "evals/datasets/questions.jsonl",
    "holdout": "evals/datasets/questions_holdout.jsonl",
    "safety": "evals/datasets/safety.jsonl",
    "conversations": "evals/datasets/conversations.jsonl",
    "off_subject": "evals/datasets/off_subject.jsonl",
}
EXTERNAL = Path("../shared/external-eval")
WARMUP = 5


def percentile(vals: list[float], q: float) -> float:
    """Nearest-rank percentile (the same for every run of this script)."""
    ordered = sorted(vals)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def messages(prefixes: bool, external: bool) -> Iterator[tuple[str, str, list[dict[str, str]]]]:
    """(id, message, history) for every item; with ``prefixes`` also each earlier user turn."""
    from painguide.evals.datasets import load_dataset

    sets = {n: load_dataset(Path(p), n) for n, p in DATASETS.items() if Path(p).exists()}
    if external and EXTERNAL.is_dir():
        from painguide.evals.external import load_external

        sets.update(load_external(EXTERNAL))
    for name, items in sets.items():
        for item in items:
            history = [dict(h) for h in item.history]
            if prefixes:
                for i, turn in enumerate(history):
                    if turn["role"] == "user":
                        yield f"{name}:{item.id}:turn{i}", turn["content"], history[:i]
            yield f"{name}:{item.id}", item.message, history


def build_router() -> Any:
    from painguide.config import get_settings
    from painguide.embeddings import load_embeddings
    from painguide.safety.router import SafetyRouter

    settings = get_settings()
    emb = load_embeddings(settings.embedding_model, settings.torch_threads)
    return SafetyRouter(emb, cache_dir=settings.index_dir.parent / "cache")


class EncodeCounter:
    """Counts model calls and texts per routed message (wraps SentenceEmbeddings.encode and
    encode_unpadded; a call of the second that falls back on the first counts once)."""

    def __init__(self, emb: Any) -> None:
        self.calls = 0
        self.texts = 0
        self._inside = False
        emb.encode = self._wrap(emb.encode)
        if hasattr(emb, "encode_unpadded"):
            emb.encode_unpadded = self._wrap(emb.encode_unpadded)

    def _wrap(self, call: Any) -> Any:
        def counted(texts: list[str]) -> Any:
            if self._inside:
                return call(texts)
            self.calls += 1
            self.texts += len(texts)
            self._inside = True
            try:
                return call(texts)
            finally:
                self._inside = False

        return counted


def record(result: Any) -> dict[str, Any]:
    d = result.decision
    return {
        "route": d.route,
        "rule": d.rule,
        "category": d.category,
        "evidence": d.evidence,
        "turn": d.turn,
        "score": None if d.score is None else round(float(d.score), 5),
        "query": result.query,
        "health_related": result.health_related,
        "symptom_report": result.symptom_report,
        "escalations": sorted(f"{e.route}|{e.rule}|{e.turn}" for e in result.escalations),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from painguide.conversation import normalise_history

    router = build_router()
    counter = EncodeCounter(router.embeddings)
    items = list(messages(args.prefixes, args.external))
    for _, msg, hist in items[:WARMUP]:  # model warm-up, as the eval's first items are
        router.route(msg, normalise_history(hist))
    router = build_router()  # a fresh router (empty caches) for the timed pass
    counter = EncodeCounter(router.embeddings)
    out: dict[str, Any] = {}
    times: list[float] = []
    cpu: list[float] = []  # process CPU time: less sensitive to other workers than wall time
    calls: list[int] = []
    texts: list[int] = []
    for key, msg, hist in items:
        turns = normalise_history(hist)
        c0, t0 = counter.calls, counter.texts
        start, cpu_start = time.perf_counter(), time.process_time()
        result = router.route(msg, turns)
        ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.process_time() - cpu_start) * 1000
        row = record(result)
        row["ms"] = round(ms, 3)
        row["cpu_ms"] = round(cpu_ms, 3)
        row["encode_calls"] = counter.calls - c0
        row["encode_texts"] = counter.texts - t0
        out[key] = row
        times.append(ms)
        cpu.append(cpu_ms)
        calls.append(row["encode_calls"])
        texts.append(row["encode_texts"])
    summary = {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "max_ms": round(max(times), 2),
        "cpu_p50_ms": round(percentile(cpu, 50), 2),
        "cpu_p95_ms": round(percentile(cpu, 95), 2),
        "cpu_mean_ms": round(statistics.fmean(cpu), 2),
        "encode_calls_mean": round(statistics.fmean(calls), 3),
        "encode_calls_max": max(calls),
        "encode_texts_mean": round(statistics.fmean(texts), 2),
        "encode_texts_max": max(texts),
    }
    return {"summary": summary, "items": out}


def diff(before: Path, after: Path) -> int:
    """Print every message whose route or rule differs (and, apart, other fields); 1 if any."""
    a = json.loads(before.read_text())["items"]
    b = json.loads(after.read_text())["items"]
    missing = sorted(set(a) ^ set(b))
    decision = [
        k for k in a if k in b and (a[k]["route"], a[k]["rule"]) != (b[k]["route"], b[k]["rule"])
    ]
    measured = {"ms", "cpu_ms", "encode_calls", "encode_texts"}
    fields = [f for f in next(iter(a.values())) if f not in measured]
    other = [k for k in a if k in b and any(a[k][f] != b[k][f] for f in fields)]
    for k in decision:
        print(f"DECISION {k}: {a[k]['route']}/{a[k]['rule']} -> {b[k]['route']}/{b[k]['rule']}")
    for k in other:
        if k not in decision:
            changed = [f for f in fields if a[k][f] != b[k][f]]
            print(f"FIELD {k}: {changed}")
    print(
        f"compared {len(set(a) & set(b))} messages: {len(decision)} (route, rule) differences, "
        f"{len(other)} with any field different, {len(missing)} present in only one file"
    )
    return 1 if decision or missing else 0


def profile(args: argparse.Namespace) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    run(args)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", type=Path, help="write every decision and timing here (JSON)")
    p.add_argument("--diff", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    p.add_argument("--prefixes", action="store_true", help="also route earlier conversation turns")
    p.add_argument("--external", action="store_true", help="also route ../shared/external-eval")
    p.add_argument("--profile", type=int, metavar="N", help="cProfile; print the N heaviest")
    args = p.parse_args(argv)
    if args.diff:
        return diff(*args.diff)
    if args.profile:
        profile(args)
        return 0
    report = run(args)
    print(json.dumps(report["summary"]))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
