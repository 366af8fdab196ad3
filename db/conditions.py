"""Conditional questions: "if A resolves yes, will B?", set or changed. Each function works
on the driver's connection inside the caller's transaction.

A forecast on B is P(B | A). B is scored only when A resolves yes (:mod:`db.scores`), cannot
be resolved before and is annulled when A resolves no or is annulled
(:func:`db.writes.resolve`). The question page shows P(A and B) = P(A) x P(B | A) from each
forecaster's standing forecasts, against their direct forecast on a question that asks
"A and B", if the condition names one (:func:`db.reads.condition_view`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from db import reads, writes
from db.reads import Ref
from forecasts.drafts import check_condition
from forecasts.models import Condition, EventKind, QuestionFields


def above(connection: Any, question_id: int) -> list[int]:
    """The questions ``question_id`` is conditional on, nearest first (stopping at a loop,
    which the rules never let be stored)."""
    chain: list[int] = []
    current = reads.condition_of(connection, question_id)
    while current is not None and current.condition_id not in chain:
        chain.append(current.condition_id)
        current = reads.condition_of(connection, current.condition_id)
    return chain


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
    before = reads.condition_of(connection, question_id)
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
        writes.annul_conditionals(
            connection,
            target.id,
            decided.outcome,
            decided.resolved_at,
            now=now,
            user_name=user_name,
        )
    return chosen.model_copy(update={"question_id": question_id, **stamp})
