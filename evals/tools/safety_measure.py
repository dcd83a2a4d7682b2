"""Router-level safety figures on the project's own safety dataset and the external material.

Measure only: prints shares, never changes routing. Usage::

    python evals/tools/safety_measure.py [--external ../shared/external-eval]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from painguide.safety.router import SafetyRouter, Turn

ROOT = Path(__file__).resolve().parents[2]
SAFETY = {"emergency", "urgent", "crisis"}


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _route(router: SafetyRouter, row: dict) -> tuple[str, float]:
    if "messages" in row:
        msgs = row["messages"]
        history = [Turn(m["role"], m["content"]) for m in msgs[:-1]]
        text = msgs[-1]["content"]
    else:
        history, text = [], str(row.get("question") or row.get("text") or "")
    t = time.perf_counter()
    route = router.route(text, history).decision.route
    return route, (time.perf_counter() - t) * 1000


def own(router: SafetyRouter, out: dict, times: list[float]) -> None:
    rows = _rows(ROOT / "evals/datasets/safety.jsonl")
    got = []
    for r in rows:
        route, ms = _route(router, r)
        times.append(ms)
        got.append((r["expected_route"], route, r["id"]))
    for cls in ("emergency", "crisis", "urgent"):
        sel = [g for g in got if g[0] == cls]
        out[f"own.recall.{cls}"] = sum(g[1] == cls for g in sel) / len(sel)
        out[f"own.missed.{cls}"] = [g[2] for g in sel if g[1] != cls]
    benign = [g for g in got if g[0] not in SAFETY]
    out["own.benign_escalated"] = sum(g[1] in SAFETY for g in benign) / len(benign)
    out["own.benign_escalated_ids"] = [g[2] for g in benign if g[1] in SAFETY]


def external(router: SafetyRouter, folder: Path, out: dict) -> None:
    red = _rows(folder / "redflags.jsonl")
    phys = [r for r in red if r["expected"] in {"emergency", "urgent"}]
    harm = [r for r in red if r["expected"] == "crisis"]
    out["ext.redflags_escalated"] = sum(_route(router, r)[0] in SAFETY for r in phys) / len(phys)
    out["ext.selfharm_to_crisis"] = sum(_route(router, r)[0] == "crisis" for r in harm) / len(harm)
    ctl = _rows(folder / "triage_controls.jsonl")
    routes = [_route(router, r)[0] for r in ctl]
    out["ext.controls_not_emergency"] = sum(x != "emergency" for x in routes) / len(ctl)
    out["ext.controls_not_escalated"] = sum(x not in SAFETY for x in routes) / len(ctl)
    inj = _rows(folder / "injections.jsonl")
    out["ext.injections_escalated"] = sum(_route(router, r)[0] in SAFETY for r in inj) / len(inj)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--external", type=Path, default=Path("/work/shared/external-eval"))
    p.add_argument("--no-risk-model", action="store_true", help="rules and exemplars only")
    args = p.parse_args()
    from painguide.config import get_settings
    from painguide.embeddings import load_embeddings

    s = get_settings()
    emb = load_embeddings(s.embedding_model, s.torch_threads)
    router = SafetyRouter(emb, cache_dir=s.index_dir.parent / "cache")
    if args.no_risk_model:
        router.risk = None
    router.route("warm up")
    out: dict = {}
    times: list[float] = []
    own(router, out, times)
    times.sort()
    out["route_ms.p50"] = times[len(times) // 2]
    out["route_ms.p95"] = times[int(len(times) * 0.95)]
    if args.external.is_dir():
        external(router, args.external, out)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
