"""A review sheet for clinicians: sampled questions and answers with empty rating columns.

``painguide eval --review N`` writes ``review.md``, ``review.html`` and ``review.csv`` (the same
N sampled question/answer pairs with their sources and empty columns correct / clear / safe /
comment). A clinician fills the Markdown tables or the CSV in a spreadsheet; ``painguide eval
--ratings FILE`` reads the filled sheet back and adds a ``review`` section to the report: share
rated correct, clear and safe, every "not safe" item, and ratings whose answer has changed since
the sheet was written (stale: the answer must be reviewed again).

Example::

    painguide eval --review 40 --out evals/reports/release-1.4
    painguide eval --ratings evals/reports/release-1.4/review.csv
"""

from __future__ import annotations

import csv
import hashlib
import html
import random
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from painguide.errors import PainGuideError

RATINGS = ("correct", "clear", "safe")
REVIEW_SEED = 20261202  # the same report always gives the same sample
REVIEWED_DATASETS_FIRST = ("golden", "holdout", "conversations", "off_subject", "ext_questions")
_YES = {"y", "yes", "1", "true", "x", "✓", "ok"}
_NO = {"n", "no", "0", "false"}
_ITEM_HEADING = re.compile(r"^##\s+(R\d+)\s+·\s+(\S+)\s+·\s+(\S+)\s+·\s+answer\s+([0-9a-f]{12})")
_TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")
FIELDS = ("review_id", "dataset", "id", "answer_hash", "question", "route", "answer", "sources")


class RatingsError(PainGuideError):
    """A filled review sheet could not be read."""


def answer_hash(answer: str) -> str:
    """Short hash of an answer's text (a rating applies to exactly this text)."""
    return hashlib.sha256(answer.encode("utf-8")).hexdigest()[:12]


def sample_items(report: dict[str, Any], n: int, seed: int = REVIEW_SEED) -> list[dict[str, Any]]:
    """``n`` items from the report's answered questions, spread over datasets and routes."""
    items = [
        r
        for r in report.get("items", [])
        if r.get("answer") and r.get("dataset") in REVIEWED_DATASETS_FIRST
    ] or [r for r in report.get("items", []) if r.get("answer")]
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in sorted(items, key=lambda r: (r["dataset"], r["id"])):
        groups.setdefault((r["dataset"], r["route"]), []).append(r)
    for group in groups.values():
        rng.shuffle(group)
    picked: list[dict[str, Any]] = []
    keys = sorted(groups)
    while len(picked) < n and any(groups.values()):
        for key in keys:
            if groups[key] and len(picked) < n:
                picked.append(groups[key].pop())
    return picked


def _sources_line(row: dict[str, Any]) -> str:
    return "; ".join(f"[{c['n']}] {c['title']} - {c['section']}" for c in row.get("citations", []))


def sheet_rows(items: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """The sheet's rows: what the reviewer reads, plus the keys needed to read ratings back."""
    out = []
    for i, r in enumerate(items, 1):
        out.append(
            {
                "review_id": f"R{i:02d}",
                "dataset": str(r["dataset"]),
                "id": str(r["id"]),
                "answer_hash": answer_hash(str(r["answer"])),
                "question": str(r.get("question", "")),
                "route": str(r.get("route", "")),
                "answer": str(r["answer"]),
                "sources": _sources_line(r),
            }
        )
    return out


def write_review_sheet(
    report: dict[str, Any], out_dir: Path, n: int, seed: int = REVIEW_SEED
) -> list[Path]:
    """Write review.md, review.html and review.csv for ``n`` sampled items; return the paths."""
    rows = sheet_rows(sample_items(report, n, seed))
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = report.get("meta", {})
    header = (
        f"Pain Guide {meta.get('version', '')} review sheet, corpus {meta.get('corpus_hash', '')}, "
        f"{len(rows)} answers. Rate each answer: correct (y/n), clear (y/n), safe (y/n), comment."
    )
    md = [f"# Review sheet\n\n{header}\n"]
    for row in rows:
        md.append(
            f"## {row['review_id']} · {row['dataset']} · {row['id']} · answer {row['answer_hash']}"
            f"\n\n**Question:** {row['question']}\n\n**Route:** {row['route']}\n\n"
            f"**Answer:**\n\n{_quote(row['answer'])}\n\n**Sources:** {row['sources'] or 'none'}\n\n"
            "| correct | clear | safe | comment |\n|---|---|---|---|\n|  |  |  |  |\n"
        )
    paths = [out_dir / "review.md", out_dir / "review.html", out_dir / "review.csv"]
    paths[0].write_text("\n".join(md), encoding="utf-8")
    paths[1].write_text(_html_sheet(header, rows), encoding="utf-8")
    with paths[2].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*FIELDS, *RATINGS, "comment"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "correct": "", "clear": "", "safe": "", "comment": ""})
    return paths


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _html_sheet(header: str, rows: list[dict[str, str]]) -> str:
    esc = html.escape
    body = []
    for row in rows:
        answer = "<br>".join(esc(line) for line in row["answer"].splitlines())
        body.append(
            f"<section><h2>{esc(row['review_id'])} <small>{esc(row['dataset'])} · "
            f"{esc(row['id'])} · answer {esc(row['answer_hash'])}</small></h2>"
            f"<p><b>Question:</b> {esc(row['question'])}</p><p><b>Route:</b> {esc(row['route'])}"
            f"</p><blockquote>{answer}</blockquote><p><b>Sources:</b> "
            f"{esc(row['sources'] or 'none')}</p><table><tr><th>correct</th><th>clear</th>"
            "<th>safe</th><th>comment</th></tr><tr><td></td><td></td><td></td><td></td></tr>"
            "</table></section>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pain Guide review '
        "sheet</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem "
        "auto;color:#1a1a1a}blockquote{border-left:4px solid #555;margin:0;padding:.5rem 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{border:1px solid #555;padding:.4rem;"
        "height:1.6rem}section{break-inside:avoid;margin-bottom:2rem}</style></head><body>"
        f"<h1>Review sheet</h1><p>{esc(header)}</p>{''.join(body)}</body></html>"
    )


def _flag(value: str, where: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in _YES:
        return True
    if v in _NO:
        return False
    raise RatingsError(f"{where}: rating {value!r} is not y or n; write y, n, or leave it empty")


def read_ratings(path: Path) -> list[dict[str, Any]]:
    """Ratings from a filled review.csv or review.md: one dict per rated item."""
    if not path.is_file():
        raise RatingsError(f"No ratings file at {path}; pass the filled review.csv or review.md")
    text = path.read_text(encoding="utf-8")
    return _read_csv(path, text) if path.suffix.lower() == ".csv" else _read_md(path, text)


def _read_csv(path: Path, text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(text.splitlines())
    missing = {"dataset", "id", "answer_hash", *RATINGS} - set(reader.fieldnames or [])
    if missing:
        raise RatingsError(f"{path}: missing column(s) {sorted(missing)}; use the written sheet")
    out = []
    for line, row in enumerate(reader, 2):
        where = f"{path}:{line}"
        flags = {k: _flag(row.get(k) or "", where) for k in RATINGS}
        if all(v is None for v in flags.values()) and not (row.get("comment") or "").strip():
            continue
        out.append(
            {
                "dataset": row["dataset"],
                "id": row["id"],
                "answer_hash": row["answer_hash"],
                **flags,
                "comment": (row.get("comment") or "").strip(),
            }
        )
    return out


def _read_md(path: Path, text: str) -> list[dict[str, Any]]:
    out = []
    current: dict[str, Any] | None = None
    table_rows = 0
    for line_no, line in enumerate(text.splitlines(), 1):
        head = _ITEM_HEADING.match(line)
        if head:
            current = {"dataset": head.group(2), "id": head.group(3), "answer_hash": head.group(4)}
            table_rows = 0
            continue
        cells = _TABLE_ROW.match(line.strip())
        if current is None or not cells:
            continue
        table_rows += 1
        if table_rows < 3:  # the header row and the |---| row
            continue
        parts = [c.strip() for c in cells.group(1).split("|")]
        parts += [""] * (4 - len(parts))
        where = f"{path}:{line_no}"
        flags = {k: _flag(parts[i], where) for i, k in enumerate(RATINGS)}
        comment = " | ".join(parts[3:]).strip(" |")
        if any(v is not None for v in flags.values()) or comment:
            out.append({**current, **flags, "comment": comment})
        current = None
    return out


def ratings_summary(ratings: list[dict[str, Any]], report: dict[str, Any]) -> dict[str, Any]:
    """Fold ratings into figures; ratings of answers that have changed since are stale."""
    current = {(r["dataset"], r["id"]): answer_hash(str(r["answer"])) for r in report["items"]}
    fresh: list[dict[str, Any]] = []
    stale: list[dict[str, Any]] = []
    for r in ratings:
        now = current.get((r["dataset"], r["id"]))
        (fresh if now == r["answer_hash"] else stale).append(r)
    summary: dict[str, Any] = {
        "rated": len(fresh),
        "stale": [f"{r['dataset']}:{r['id']}" for r in stale],
    }
    for key in RATINGS:
        values = [r[key] for r in fresh if r[key] is not None]
        summary[f"{key}_rate"] = sum(values) / len(values) if values else None
    summary["not_safe"] = [
        {"item": f"{r['dataset']}:{r['id']}", "comment": r["comment"]}
        for r in fresh
        if r["safe"] is False
    ]
    summary["comments"] = [
        {"item": f"{r['dataset']}:{r['id']}", "comment": r["comment"]}
        for r in fresh
        if r["comment"]
    ]
    return summary
