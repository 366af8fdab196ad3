"""Conditional questions: "if A resolves yes, will B?". Each function works on the driver's
connection inside the caller's transaction.

A forecast on B is P(B | A). B is scored only when A resolves yes (:mod:`db.scores`) and is
annulled when A resolves no or is annulled (:func:`db.writes.resolve`). The question page
shows P(A and B) = P(A) x P(B | A) from each forecaster's standing forecasts, against their
direct forecast on a question that asks "A and B", if the condition names one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db import reads, writes
from db.reads import Ref
from forecasts.coherence import incoherence, joint
from forecasts.drafts import check_condition
from forecasts.errors import InvalidInput
from forecasts.models import YES, Condition, EventKind, Question, QuestionFields


def _to_condition(row: Any) -> Condition:
    return Condition(
        question_id=row["question_id"],
        condition_id=row["condition_id"],
        joint_id=row["joint_id"],
        recorded_at=reads.moment_of(row["recorded_at"]),
        recorded_by=row["recorded_by"],
    )


def condition_of(connection: Any, question_id: int) -> Condition | None:
    """The condition of a question, or None when it is not conditional."""
    row = reads.select_one(
        connection, "SELECT * FROM question_condition WHERE question_id = ?", [question_id]
    )
    return _to_condition(row) if row is not None else None


def above(connection: Any, question_id: int) -> list[int]:
    """The questions ``question_id`` is conditional on, nearest first (stopping at a loop,
    which the rules never let be stored)."""
    chain: list[int] = []
    current = condition_of(connection, question_id)
    while current is not None and current.condition_id not in chain:
        chain.append(current.condition_id)
        current = condition_of(connection, current.condition_id)
    return chain


def conditionals_on(connection: Any, condition_id: int) -> list[int]:
    """The questions conditional on ``condition_id``."""
    rows = connection.execute(
        "SELECT question_id FROM question_condition WHERE condition_id = ? ORDER BY question_id",
        [condition_id],
    ).fetchall()
    return [row[0] for row in rows]


def set_condition(
    connection: Any,
    question: QuestionFields,
    question_id: int,
    condition: Ref,
    joint: Ref | None,
    *,
    now: datetime,
    user_name: str,
    reason: str = "",
    new: bool = False,
) -> Condition:
    """Make the stored question conditional on ``condition`` (or change its condition),
    the change kept in its history with ``reason`` unless the question is ``new``."""
    target = reads.load_question(connection, reads.question_id(connection, condition))
    asks_both = (
        reads.load_question(connection, reads.question_id(connection, joint))
        if joint is not None
        else None
    )
    chosen = check_condition(
        question,
        target,
        asks_both,
        question_id=question_id,
        above=above(connection, target.id),  # type: ignore[arg-type]
    )
    before = condition_of(connection, question_id)
    fields = {"condition_id": chosen.condition_id, "joint_id": chosen.joint_id}
    was = {"condition_id": None, "joint_id": None}
    if before is not None:
        was = {"condition_id": before.condition_id, "joint_id": before.joint_id}
        if was == fields:
            return before
        connection.execute("DELETE FROM question_condition WHERE question_id = ?", [question_id])
    if not new:
        writes.insert(
            connection,
            "event",
            {
                "kind": EventKind.EDITED.value,
                "question_id": question_id,
                "reason": reason.strip(),
                "detail": json.dumps({"before": was, "after": fields}),
                "recorded_by": user_name,
                "recorded_at": now,
            },
        )
    condition_row = {"question_id": question_id, **fields}
    stamp = {"recorded_at": now, "recorded_by": user_name}
    writes.insert(connection, "question_condition", condition_row | stamp)
    decided = target.resolution
    if decided is not None:  # the condition resolved already: no annuls the question now
        write = {"now": now, "user_name": user_name}
        annul_conditionals(connection, target.id, decided.outcome, decided.resolved_at, **write)
    return chosen.model_copy(update={"question_id": question_id, **stamp})


@dataclass(frozen=True)
class Coherence:
    """One forecaster's standing forecasts on a condition A, the conditional B | A and, if
    they made one, the question asking "A and B" directly."""

    forecaster: str
    p_a: float
    p_b_given_a: float
    p_a_and_b: float
    """P(A) x P(B | A)."""
    direct: float | None
    """Their standing forecast on the question that asks "A and B", if any."""
    gap: float | None
    """How far ``direct`` is from ``p_a_and_b`` when more than the tolerance, else None."""


def coherence(connection: Any, condition: Condition) -> list[Coherence]:
    """For each forecaster with a standing forecast on both A and B | A, by name."""
    wanted = [condition.condition_id, condition.question_id]
    if condition.joint_id is not None:
        wanted.append(condition.joint_id)
    standing = reads.standing_vectors(connection, wanted)
    on_a = standing.get(condition.condition_id, {})
    on_b = standing.get(condition.question_id, {})
    on_both = standing.get(condition.joint_id, {}) if condition.joint_id is not None else {}
    rows = []
    for who in sorted(set(on_a) & set(on_b)):
        p_a, p_b = on_a[who][0], on_b[who][0]
        direct = on_both[who][0] if who in on_both else None
        rows.append(
            Coherence(
                forecaster=reads.forecaster_row(connection, who)["name"],
                p_a=p_a,
                p_b_given_a=p_b,
                p_a_and_b=joint(p_a, p_b),
                direct=direct,
                gap=incoherence(p_a, p_b, direct) if direct is not None else None,
            )
        )
    return sorted(rows, key=lambda row: row.forecaster.casefold())


def annul_conditionals(
    connection: Any, condition_id: int, outcome: str, resolved_at: datetime, **write: Any
) -> None:
    """Annul each question conditional on ``condition_id`` when it resolved other than
    yes (and, through them, the questions conditional on those)."""
    if outcome == YES:
        return
    from forecasts.drafts import ResolutionDraft

    for ident in conditionals_on(connection, condition_id):
        current = reads.load_question(connection, ident).resolution
        if current is not None and current.annulled:
            continue
        writes.resolve(
            connection,
            ResolutionDraft(
                question_id=ident,
                outcome="annulled",
                resolved_at=resolved_at,
                evidence=f"Its condition, question {condition_id}, resolved {outcome}.",
                resolved_by="forecasts",
            ),
            **write,
        )


def refuse_unmet_condition(connection: Any, question_id: int) -> None:
    """Refuse to resolve a conditional question yes or no before its condition resolved
    yes: it is scored only then (annulling it is always allowed)."""
    condition = condition_of(connection, question_id)
    if condition is None:
        return
    decided = reads.load_question(connection, condition.condition_id).resolution
    if decided is not None and decided.outcome == YES:
        return
    state = "is open" if decided is None else f"resolved {decided.outcome}"
    raise InvalidInput(
        "question",
        question_id,
        f"is conditional on question {condition.condition_id} resolving yes, which "
        f"{state}; it can be resolved only once that resolves yes",
    )


@dataclass(frozen=True)
class ConditionView:
    """What a conditional question's page shows of its condition: the condition, the
    question it is conditional on and the one asking both (with their resolutions), and
    each forecaster's coherence."""

    condition: Condition
    on: Question
    joint: Question | None
    coherence: tuple[Coherence, ...]

    @property
    def state(self) -> str:
        """waiting (the condition is unresolved), met (it resolved yes) or not met."""
        decided = self.on.resolution
        if decided is None:
            return "waiting"
        return "met" if decided.outcome == YES else "not met"


def condition_view(connection: Any, question_id: int) -> ConditionView | None:
    condition = condition_of(connection, question_id)
    if condition is None:
        return None
    return ConditionView(
        condition=condition,
        on=reads.load_question(connection, condition.condition_id),
        joint=(
            reads.load_question(connection, condition.joint_id)
            if condition.joint_id is not None
            else None
        ),
        coherence=tuple(coherence(connection, condition)),
    )
