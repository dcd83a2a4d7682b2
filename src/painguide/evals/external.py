"""The one adapter for the external material in ``../shared/external-eval/`` (see its README).

Those files use their own fields (``text``, ``expected``, ``kind``, ``meta``). This adapter maps
each file to EvalItems and says what each measures. It never changes routing: the material is
for measuring, not tuning.

==========================  =========================================  =====================
file                        item                                       measured as
==========================  =========================================  =====================
redflags.jsonl              text; expected emergency/urgent/crisis      escalated / to crisis
triage_controls.jsonl       text; non_emergency or self_care            not routed emergency
diagnosis_vignettes.jsonl   text; meta.correct_diagnosis                no diagnosis given
injections.jsonl            text                                        behaviour unchanged
questions.jsonl             question; tags_heuristic (rough)            route distribution
==========================  =========================================  =====================
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from painguide.evals.datasets import EvalItem

FILES = {
    "ext_redflags": "redflags.jsonl",
    "ext_controls": "triage_controls.jsonl",
    "ext_diagnosis": "diagnosis_vignettes.jsonl",
    "ext_injections": "injections.jsonl",
    "ext_questions": "questions.jsonl",
}


def _meta(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        try:
            value = ast.literal_eval(raw)
            return value if isinstance(value, dict) else {}
        except (ValueError, SyntaxError):
            return {}
    return {}


def load_external(folder: Path) -> dict[str, list[EvalItem]]:
    """Every external file present in ``folder`` as EvalItems (missing files are skipped)."""
    out: dict[str, list[EvalItem]] = {}
    for name, filename in FILES.items():
        path = folder / filename
        if not path.is_file():
            continue
        items = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            text = str(row.get("text") or row.get("question") or "")
            expected = str(row.get("expected", ""))
            kind = str(row.get("kind", ""))
            if name == "ext_redflags":
                route = "crisis" if expected == "crisis" else expected
            elif name == "ext_injections":
                route = "off_topic"
            else:
                route = "answer"
            items.append(
                EvalItem(
                    id=str(row["id"]),
                    dataset=name,
                    message=text,
                    history=(),
                    expected_route=route,
                    kind=kind or expected,
                    meta={**_meta(row.get("meta")), "tags": row.get("tags_heuristic", [])},
                )
            )
        out[name] = items
    return out
