"""Metric functions (pure, no model calls): retrieval, routing, latency, gate checks."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from painguide.types import ROUTES


def retrieval_scores(ranked_docs: Sequence[str], expected: Iterable[str]) -> dict[str, float]:
    """hit@1/3/5, reciprocal rank and nDCG@5 of one ranked list of document ids."""
    want = set(expected)
    ranks = [i for i, d in enumerate(ranked_docs) if d in want]
    first = ranks[0] if ranks else None
    dcg = sum(1.0 / math.log2(i + 2) for i in ranks if i < 5)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(want), 5)))
    return {
        "hit@1": float(first is not None and first < 1),
        "hit@3": float(first is not None and first < 3),
        "hit@5": float(first is not None and first < 5),
        "mrr": 1.0 / (first + 1) if first is not None else 0.0,
        "ndcg@5": dcg / ideal if ideal else 0.0,
    }


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean (0 for no values)."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation (0 for no values)."""
    vals = sorted(values)
    if not vals:
        return 0.0
    pos = (len(vals) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def routing_report(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Confusion matrix (rows expected, columns predicted) and per-route precision/recall."""
    labels = [r for r in ROUTES if any(r in p for p in pairs)]
    index = {r: i for i, r in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for expected, got in pairs:
        matrix[index[expected]][index[got]] += 1
    per_route = {}
    exp_counts = Counter(e for e, _ in pairs)
    got_counts = Counter(g for _, g in pairs)
    for r in labels:
        tp = matrix[index[r]][index[r]]
        per_route[r] = {
            "precision": tp / got_counts[r] if got_counts[r] else 0.0,
            "recall": tp / exp_counts[r] if exp_counts[r] else 0.0,
            "support": exp_counts[r],
        }
    accuracy = sum(matrix[i][i] for i in range(len(labels))) / len(pairs) if pairs else 0.0
    return {
        "labels": labels,
        "matrix": matrix,
        "per_route": per_route,
        "accuracy": accuracy,
    }


def check_thresholds(
    metrics: dict[str, float], thresholds: dict[str, dict[str, float]]
) -> list[dict[str, Any]]:
    """Every metric outside its bound: ``{"min": {...}, "max": {...}}`` keyed by metric name."""
    failures = []
    for kind, table in thresholds.items():
        for name, bound in table.items():
            value = metrics.get(name)
            if value is None:
                failures.append(
                    {
                        "metric": name,
                        "value": None,
                        "threshold": bound,
                        "kind": kind,
                        "problem": "metric missing from this run",
                    }
                )
            elif (kind == "min" and value < bound) or (kind == "max" and value > bound):
                failures.append({"metric": name, "value": value, "threshold": bound, "kind": kind})
    return failures


def compare(current: dict[str, float], baseline: dict[str, float]) -> dict[str, dict[str, float]]:
    """Change of every metric present in both reports."""
    return {
        k: {"baseline": baseline[k], "current": v, "delta": v - baseline[k]}
        for k, v in current.items()
        if isinstance(baseline.get(k), int | float) and isinstance(v, int | float)
    }
