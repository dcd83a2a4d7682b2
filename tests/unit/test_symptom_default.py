"""Issue 12 item 6: a first-person symptom report the library does not cover gets a safe
default, never only 'no content'; a past or family crisis history gets a kind note."""

from __future__ import annotations

from typing import Any

import pytest

from painguide.config import Settings
from painguide.pipeline import PainGuide
from painguide.retrieval import RetrievalResult
from painguide.safety.router import RouterResult
from painguide.types import RouteDecision


class FakeRouter:
    """Returns a fixed routing result; health_related/normalise as the pipeline needs."""

    def __init__(self, result: RouterResult) -> None:
        self.result = result

    def route(self, message: str, history: Any = ()) -> RouterResult:
        return self.result

    def health_related(self, text: str) -> bool:
        return True

    def normalise(self, text: str) -> str:
        return text.lower()


class FakeRetriever:
    """Finds nothing relevant."""

    def search(self, query: str, **kwargs: Any) -> RetrievalResult:
        return RetrievalResult((), 0.05, None, {"dense_ms": 0.1}, 0.0)


class FakeKB:
    def __init__(self) -> None:
        self.chunks: list[object] = []  # an empty library: every subject is one it lacks
        self.extras: dict[str, dict[str, object]] = {}
        self.derived: dict[str, object] = {}

    def topics(self) -> dict[str, list[str]]:
        return {"pain": ["How pain works"], "activity": ["Pacing"]}

    def docs_quoted_in(self, text: str) -> frozenset[str]:
        return frozenset()

    def docs_restated_in(self, text: str) -> frozenset[str]:
        return frozenset()


def _guide(result: RouterResult) -> PainGuide:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    return PainGuide(settings, FakeKB(), FakeRouter(result), FakeRetriever())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "message", ["my wrist went purple and puffy overnight", "I keep getting a funny rash"]
)
def test_symptom_report_without_content_gets_the_safe_default(message: str) -> None:
    guide = _guide(
        RouterResult(RouteDecision("answer", "no_flag"), message, True, symptom_report=True)
    )
    ans = guide.ask(message)
    assert ans.route == "no_content", f"{message!r} -> {ans.route}"
    assert ans.answer.startswith("I can't assess symptoms."), f"{message!r}: {ans.answer}"
    assert guide.settings.emergency_number in ans.answer, ans.answer
    assert "GP or pharmacist today" in ans.answer, ans.answer


def test_a_question_without_a_symptom_report_keeps_plain_no_content() -> None:
    message = "what is the history of the printing press"
    guide = _guide(RouterResult(RouteDecision("answer", "no_flag"), message, True))
    ans = guide.ask(message)
    assert ans.route == "no_content", ans.route
    assert "I can't assess symptoms" not in ans.answer, f"{message!r}: {ans.answer}"
    assert "no content" in ans.answer, ans.answer
    # a question (not a symptom report) about a subject the library lacks: named plainly
    named = _guide(RouterResult(RouteDecision("answer", "no_flag"), "acupuncture?", True))
    text = named.ask("what is the history of acupuncture").answer
    assert "no page on acupuncture" in text and "I can't assess symptoms" not in text, text


def test_crisis_history_answer_carries_a_kind_note_not_a_takeover() -> None:
    message = "my dad died by suicide when I was young, does grief change pain?"
    decision = RouteDecision("answer", "crisis_history", message, category="crisis_history")
    guide = _guide(RouterResult(decision, message, True))
    ans = guide.ask(message)
    assert ans.route != "crisis", f"{message!r} was taken over as a crisis"
    assert guide.settings.crisis_line in ans.answer, f"{message!r}: no crisis line in {ans.answer}"


def test_a_missing_treatment_beside_a_covered_symptom_gets_no_emergency_default() -> None:
    """Before (lead28 read-through): 'my back hurts by the end of the day, would a standing
    desk help?' opened with 'I can't assess symptoms ... call 999 now'. The library lacks the
    treatment, not the symptom; an uncovered condition still gets the default."""
    message = (
        "i have a desk job and my back hurts by the end of the day, would a standing desk help?"
    )
    guide = _guide(
        RouterResult(RouteDecision("answer", "no_flag"), message, True, symptom_report=True)
    )
    ans = guide.ask(message)
    assert "no page on standing desks" in ans.answer, ans.answer
    assert "I can't assess symptoms" not in ans.answer, ans.answer
    condition = "I've got endometriosis and my back hurts every month"
    guide = _guide(
        RouterResult(RouteDecision("answer", "no_flag"), condition, True, symptom_report=True)
    )
    text = guide.ask(condition).answer
    assert "no page on endometriosis" in text and text.startswith("I can't assess symptoms"), text
