"""Undo in the app: the last change made since it was opened, undone by appending its
opposite through the repository (never by erasing), with a line saying what was undone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forecasts.drafts import EDITABLE, QuestionEdit, ResolutionDraft, Retract, Withdraw
from forecasts.models import Forecast, Question, Resolution

if TYPE_CHECKING:
    from db.repository import Repository

UNDONE = "undone in the app (ctrl+z)"


@dataclass(frozen=True)
class Change:
    """What was changed: ``kind`` is forecast, resolution, question or edit; ``before`` is
    the question as it was, for an edit."""

    kind: str
    value: Any
    before: Any = None


def undo(repository: Repository, change: Change) -> str:
    """Append the opposite of ``change``; return the notice saying what was undone."""
    if change.kind == "forecast":
        forecast: Forecast = change.value
        repository.retract(Retract(forecast_id=forecast.id or 0, reason=UNDONE))
        return f"Undone: forecast {forecast.id} is retracted (it stays in the record)."
    if change.kind == "edit":
        before: Question = change.before
        edited: Question = change.value
        changes = {
            field: getattr(before, field)
            for field in EDITABLE
            if getattr(before, field) != getattr(edited, field)
        }
        repository.edit_question(
            QuestionEdit(
                question_id=before.id or 0, changes=changes, reason=UNDONE, retroactive=True
            )
        )
        return f"Undone: question {before.id} is back as it was (a new revision says so)."
    if change.kind == "question":
        question: Question = change.value
        repository.withdraw(Withdraw(question_id=question.id or 0, reason=UNDONE))
        return f"Undone: question {question.id} is withdrawn (it stays in the record)."
    resolution: Resolution = change.value
    history = repository.resolutions(question=resolution.question_id or 0)
    earlier = [r for r in history if r.id != resolution.id]
    if not earlier:
        return (
            f"A first resolution cannot be taken back: re-resolve or annul question "
            f"{resolution.question_id} instead."
        )
    previous = earlier[-1]
    repository.resolve(
        ResolutionDraft(
            question_id=resolution.question_id or 0,
            outcome=previous.outcome,
            resolved_at=previous.resolved_at,
            evidence=previous.evidence,
            source_id=previous.source_id,
            resolved_by=UNDONE,
            retroactive=True,
        )
    )
    return f"Undone: question {resolution.question_id} is resolved {previous.outcome} again."
