"""``painguide`` command line: thin commands over the pipeline.

Examples::

    painguide ingest [--rebuild]
    painguide ask "Why does exercise reduce pain?" --json
    painguide serve --port 7860
    painguide corpus lint
    painguide eval --check
    painguide safety check "I can't feel my bum and I've wet myself"
    painguide safety train
    painguide safety loso
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from typing import Any

from painguide.errors import PainGuideError


def _settings() -> Any:
    from painguide.config import get_settings

    return get_settings()


def _quiet_env() -> None:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def cmd_ingest(args: argparse.Namespace) -> int:
    from painguide.ingest import ingest

    report = ingest(_settings(), rebuild=args.rebuild)
    print(report.summary())
    return 0


def _format_answer(ans: Any) -> str:
    lines = [f"[route: {ans.route}]", "", ans.answer]
    if ans.citations:
        lines += ["", "Sources:"]
        for c in ans.citations:
            refs = "; ".join(f"{s['title']} ({s['publisher']}, {s['year']})" for s in c.sources)
            lines.append(f"  [{c.n}] {c.title} - {c.section}. {refs}")
    if ans.notice:
        lines += ["", ans.notice]
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from painguide.pipeline import PainGuide

    guide = PainGuide.from_settings(_settings())
    history = json.loads(args.history) if args.history else []
    ans = guide.ask(args.question, history)
    print(json.dumps(ans.to_dict(), indent=2) if args.json else _format_answer(ans))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from painguide.server import serve

    serve(_settings(), host=args.host, port=args.port, ensure_index=args.ensure_index)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    from painguide.lint import lint_corpus

    s = _settings()
    report = lint_corpus(s.corpus_dir, chunk_max_words=s.chunk_max_words, today=args.as_of)
    print(report.table())
    for warning in report.warnings:
        print(f"WARN {warning}", file=sys.stderr)
    for problem in report.problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if report.failed(strict=args.strict) else 0


def _iso_date(text: str) -> dt.date:
    """argparse type for --as-of."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-12-02") from exc


def cmd_eval(args: argparse.Namespace) -> int:
    from painguide.evals.runner import main as eval_main

    return eval_main(args)


def cmd_safety(args: argparse.Namespace) -> int:
    from painguide.embeddings import load_embeddings
    from painguide.safety.router import SafetyRouter

    router = SafetyRouter(load_embeddings(_settings().embedding_model, _settings().torch_threads))
    result = router.route(args.text)
    d = result.decision
    print(
        json.dumps(
            {
                "route": d.route,
                "rule": d.rule,
                "evidence": d.evidence,
                "escalations": [e.rule for e in result.escalations],
            },
            indent=2,
        )
    )
    return 0


def _safety_router(risk_model: Any = None) -> Any:
    from painguide.embeddings import load_embeddings
    from painguide.safety.router import SafetyRouter

    s = _settings()
    emb = load_embeddings(s.embedding_model, s.torch_threads)
    return SafetyRouter(emb, cache_dir=s.index_dir.parent / "cache", risk_model=risk_model), s


def cmd_safety_train(args: argparse.Namespace) -> int:
    from painguide.safety.risk_train import format_table, train

    router, s = _safety_router()
    model, result = train(router, args.devset, s.index_dir.parent / "cache", args.out)
    print(result["note"])
    if result["table"]:
        print(format_table(result["table"], model.thresholds))
        print(
            "targets met on the worst source"
            if result["targets_met"]
            else "TARGETS NOT MET on the worst source: best trade-off chosen"
        )
    print(
        f"wrote {args.out or 'src/painguide/safety/data/risk_model.json'} "
        f"(training data {model.meta['training']['training_data'][:12]})"
    )
    return 0


def cmd_safety_loso(args: argparse.Namespace) -> int:
    from painguide.safety.risk_train import format_table, loso

    router, s = _safety_router()
    result = loso(router, args.devset, s.index_dir.parent / "cache")
    print(result["note"])
    if not result["table"]:
        print("no development-set sources: nothing to hold out")
        return 1
    print(format_table(result["rules_only"], {}, "rules and exemplars alone (no classifier)"))
    print()
    print(format_table(result["table"], result["thresholds"]))
    print("targets met on the worst source" if result["targets_met"] else "TARGETS NOT MET")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests)."""
    p = argparse.ArgumentParser(prog="painguide", description="Pain Guide command line.")
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("ingest", help="validate the corpus and sync the index")
    s.add_argument("--rebuild", action="store_true", help="drop and rebuild the index")
    s.set_defaults(func=cmd_ingest)
    s = sub.add_parser("ask", help="ask one question")
    s.add_argument("question")
    s.add_argument("--json", action="store_true", help="print the answer contract as JSON")
    s.add_argument("--history", help='earlier turns as JSON: [{"role":"user","content":"..."}]')
    s.set_defaults(func=cmd_ask)
    s = sub.add_parser("serve", help="serve the chat UI and HTTP API")
    s.add_argument("--host", default=None)
    s.add_argument("--port", type=int, default=None)
    s.add_argument("--ensure-index", action="store_true", help="ingest first if stale")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("corpus", help="corpus tools")
    csub = s.add_subparsers(dest="corpus_command", required=True)
    c = csub.add_parser("lint", help="check every corpus document")
    c.add_argument(
        "--as-of",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="date the 24-month review check is measured from (default: today)",
    )
    c.add_argument("--strict", action="store_true", help="warnings (review due) fail too")
    c.set_defaults(func=cmd_lint)
    s = sub.add_parser("eval", help="run offline evaluations")
    from painguide.evals.runner import add_arguments

    add_arguments(s)
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("safety", help="safety tools")
    ssub = s.add_subparsers(dest="safety_command", required=True)
    c = ssub.add_parser("check", help="show how a message is routed")
    c.add_argument("text")
    c.set_defaults(func=cmd_safety)
    from pathlib import Path

    c = ssub.add_parser("train", help="fit the risk classifier (thresholds by held-out source)")
    c.add_argument("--devset", type=Path, help="development-set text cache (JSONL)")
    c.add_argument("--out", type=Path, help="artefact path (default: the packaged one)")
    c.set_defaults(func=cmd_safety_train)
    c = ssub.add_parser("loso", help="leave-one-source-out table on the development set")
    c.add_argument("--devset", type=Path, help="development-set text cache (JSONL)")
    c.set_defaults(func=cmd_safety_loso)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``painguide`` console script."""
    _quiet_env()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except PainGuideError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
