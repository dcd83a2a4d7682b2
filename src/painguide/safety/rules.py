"""Load the clinician-readable safety data (rules, lexicon, exemplars) from ``safety/data``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from painguide.errors import PainGuideError

SEVERITY: dict[str, int] = {"emergency": 4, "crisis": 4, "urgent": 3, "out_of_scope": 2}


@dataclass(frozen=True)
class Rule:
    """A named set of report patterns for one route."""

    id: str
    route: str
    patterns: tuple[re.Pattern[str], ...]
    anchors: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None
    acute: bool = False  # a sign that matters only when current: long-standing use is not a report
    # (safety25) an added wording of a category: its `requires` gates its own patterns only and
    # leaves how the category's exemplar matches are gated as it was
    rule_only: bool = False
    # (safety26) read only in a clinician's note or checklist: a message of findings written
    # as noun phrases, with no person, no question and no request (see ``clinical_note``)
    note_only: bool = False


@dataclass(frozen=True)
class Category:
    """Exemplar reports for one category, with the plain reason shown to the person."""

    id: str
    route: str
    reason: str
    reports: tuple[str, ...]


@dataclass(frozen=True)
class SafetyData:
    """Everything the router reads from data files."""

    rules: tuple[Rule, ...]
    categories: tuple[Category, ...]
    asking: tuple[str, ...]
    lexicon: dict[str, Any]


def _load_yaml(name: str) -> Any:
    import yaml

    text = resources.files("painguide.safety").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _at_word_start(pattern: str) -> str:
    """A rule matches from the start of a word, never inside one ("bend it" is not "end it")."""
    return f"(?<![a-z0-9])(?:{pattern})"


def load_safety_data() -> SafetyData:
    """Parse and compile the safety data files (once per process)."""
    raw_rules = _load_yaml("rules.yaml")
    rules = []
    for item in raw_rules["rules"]:
        try:
            pats = tuple(re.compile(_at_word_start(p)) for p in item["patterns"])
            # anchors are word starts too: "wee" is not in "weeks", "arm" not in "harm"
            anchors = re.compile(_at_word_start(item["anchors"])) if item.get("anchors") else None
            requires = re.compile(item["requires"]) if item.get("requires") else None
        except re.error as exc:
            raise PainGuideError(
                f"safety/data/rules.yaml: rule '{item.get('id')}' has a bad pattern ({exc}); "
                "fix the regular expression."
            ) from exc
        rules.append(
            Rule(
                item["id"],
                item["route"],
                pats,
                anchors,
                requires,
                bool(item.get("acute")),
                bool(item.get("rule_only")),
                bool(item.get("note_only")),
            )
        )
    ex = _load_yaml("exemplars.yaml")
    cats = tuple(
        Category(c["id"], c["route"], c["reason"].strip(), tuple(c["reports"]))
        for c in ex["categories"]
    )
    known = {c.id for c in cats}
    for rule in rules:
        if rule.id not in known:
            raise PainGuideError(
                f"safety/data/rules.yaml: rule '{rule.id}' has no category with that id in "
                "exemplars.yaml; add one (with its reason) or rename the rule."
            )
    return SafetyData(tuple(rules), cats, tuple(ex["asking"]), _load_yaml("lexicon.yaml"))
