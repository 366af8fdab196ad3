"""Read models: what the screens and the command line's lists show, read in one session.

The questions screen's pages are queried here with SQLAlchemy (filters, sorts and a search
built per request); the other reads live in :mod:`db.reads`, plain SQLite, and run here on
the connection of the caller's unit of work, so a read that spans tables sees one state of
the database. Each function returns frozen values, never rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from db import reads
from db.mapping import Ref, current_outcome_expression, find_user_row, options_of, raw
from db.reads import Event, HistoryEntry, QuestionDetail, TrackRecordRow
from db.tables import (
    EventRow,
    ForecasterRow,
    ForecastProbabilityRow,
    ForecastRow,
    QuestionRow,
    QuestionTagRow,
)
from forecasts.errors import InvalidInput
from forecasts.models import (
    ANNULLED,
    EventKind,
    QuestionKind,
    QuestionStatus,
    QuestionSummary,
    median_vector,
)
from forecasts.parsing import as_utc

__all__ = ["Event", "HistoryEntry", "QuestionDetail", "TrackRecordRow"]

SORTS = ("close", "id", "title", "status", "forecasts")


@dataclass(frozen=True)
class QuestionListRow:
    """One line of the questions screen: what the table shows, nothing more."""

    id: int
    key: str | None
    title: str
    kind: QuestionKind
    options: tuple[str, ...]
    status: QuestionStatus
    close_at: datetime
    outcome: str | None
    forecasts: int
    mine: tuple[float, ...] | None  # the user's standing forecast (yes, no / per option)
    consensus: tuple[float, ...] | None  # median of the standing forecasts


@dataclass(frozen=True)
class QuestionQuery:
    """Which questions a page shows and in what order: filters, a search and a sort."""

    status: QuestionStatus | None = None
    tag: str | None = None
    search: str = ""
    sort: str = "close"
    descending: bool = False


@dataclass(frozen=True)
class QuestionPage:
    """A window of the filtered, sorted questions, and how many match in all."""

    rows: tuple[QuestionListRow, ...]
    total: int
    offset: int
    due: int  # questions past close and unresolved, whatever the filters
    largest_id: int = 0
    """The largest question id stored: how wide an id column must be for any row."""


def list_questions(session: Session, **query: Any) -> list[QuestionSummary]:
    """Questions, soonest close date first (see :func:`db.reads.iter_questions`)."""
    return reads.list_questions(raw(session), **query)


def _status_expression(outcome, now: datetime):
    return case(
        (outcome == ANNULLED, QuestionStatus.ANNULLED.value),
        (outcome.is_not(None), QuestionStatus.RESOLVED.value),
        (col(QuestionRow.close_at) <= now, QuestionStatus.CLOSED.value),
        else_=QuestionStatus.OPEN.value,
    )


def _page_conditions(status_expr, query: QuestionQuery):
    conditions = [QuestionRow.withdrawn == False]  # noqa: E712  (SQL, not Python)
    if query.status is not None:
        conditions.append(status_expr == query.status.value)
    if query.tag:
        conditions.append(
            select(QuestionTagRow.question_id)
            .where(
                (QuestionTagRow.question_id == QuestionRow.id)
                & (QuestionTagRow.tag == query.tag.strip().lower())
            )
            .exists()
        )
    if query.search.strip():
        pattern = f"%{query.search.strip()}%"
        conditions.append(
            col(QuestionRow.title).ilike(pattern) | col(QuestionRow.key).ilike(pattern)
        )
    return conditions


def question_page(
    session: Session, query: QuestionQuery, *, now: datetime, offset: int = 0, limit: int = 200
) -> QuestionPage:
    """One window of the questions, filtered and sorted in the database, with the user's
    standing forecast and the consensus of each question in the window."""
    if query.sort not in SORTS:
        raise InvalidInput("sort", query.sort, f"is not one of: {', '.join(SORTS)}")
    outcome = current_outcome_expression()
    status_expr = _status_expression(outcome, now)
    count_expr = (
        select(func.count(col(ForecastRow.id)))
        .where(ForecastRow.question_id == QuestionRow.id)
        .scalar_subquery()
    )
    page = select(
        QuestionRow.id,
        QuestionRow.key,
        QuestionRow.title,
        QuestionRow.kind,
        QuestionRow.close_at,
        outcome.label("outcome"),
        status_expr.label("status"),
        count_expr.label("forecasts"),
    )
    for condition in _page_conditions(status_expr, query):
        page = page.where(condition)
    order = {
        "close": col(QuestionRow.close_at),
        "id": col(QuestionRow.id),
        "title": func.lower(QuestionRow.title),
        "status": status_expr,
        "forecasts": count_expr,
    }[query.sort]
    page = page.order_by(order.desc() if query.descending else order, col(QuestionRow.id))
    total = session.exec(select(func.count()).select_from(page.order_by(None).subquery())).one()
    due = session.exec(
        select(func.count())
        .select_from(QuestionRow)
        .where(status_expr == QuestionStatus.CLOSED.value)
    ).one()
    found = list(session.exec(page.offset(offset).limit(limit)))
    ids = [row.id for row in found]
    options = options_of(session, ids)
    user = find_user_row(session) if found else None
    standing = standing_vectors(session, ids)
    rows = []
    for row in found:
        by_forecaster = standing.get(row.id, {})
        rows.append(
            QuestionListRow(
                id=row.id,
                key=row.key,
                title=row.title,
                kind=QuestionKind(row.kind),
                options=options.get(row.id, ()),
                status=QuestionStatus(row.status),
                close_at=as_utc(row.close_at),
                outcome=row.outcome,
                forecasts=row.forecasts,
                mine=by_forecaster.get(user.id) if user is not None else None,
                consensus=median_vector(list(by_forecaster.values())),
            )
        )
    largest = session.exec(select(func.max(QuestionRow.id))).one() or 0
    return QuestionPage(rows=tuple(rows), total=total, offset=offset, due=due, largest_id=largest)


def standing_vectors(session: Session, ids: list[int]) -> dict[int, dict[int, tuple[float, ...]]]:
    """For each question, each forecaster's standing forecast as a vector."""
    if not ids:
        return {}
    retracted = select(EventRow.forecast_id).where(EventRow.kind == EventKind.RETRACTED.value)
    rows = session.exec(
        select(
            ForecastRow.id,
            ForecastRow.question_id,
            func.coalesce(ForecasterRow.merged_into_id, ForecastRow.forecaster_id).label(
                "forecaster_id"
            ),
            ForecastRow.probability,
        )
        .join(ForecasterRow, ForecasterRow.id == ForecastRow.forecaster_id)
        .where(col(ForecastRow.question_id).in_(ids))
        .where(col(ForecastRow.id).not_in(retracted))
        .order_by(col(ForecastRow.made_at), col(ForecastRow.id))
    ).all()
    multi_ids = [row.id for row in rows if row.probability is None]
    vectors: dict[int, list[float]] = {}
    if multi_ids:
        for value in session.exec(
            select(ForecastProbabilityRow)
            .where(col(ForecastProbabilityRow.forecast_id).in_(multi_ids))
            .order_by(col(ForecastProbabilityRow.forecast_id), col(ForecastProbabilityRow.position))
        ):
            vectors.setdefault(value.forecast_id, []).append(value.probability)
    standing: dict[int, dict[int, tuple[float, ...]]] = {}
    for row in rows:  # oldest first: later forecasts overwrite
        if row.probability is not None:
            vector = (row.probability, 1.0 - row.probability)
        else:
            vector = tuple(vectors.get(row.id, ()))
        standing.setdefault(row.question_id, {})[row.forecaster_id] = vector
    return standing


def question_detail(session: Session, ref: Ref) -> QuestionDetail:
    """The question with its forecasts, forecasters, sources and resolution history."""
    return reads.question_detail(raw(session), ref)


def track_record(session: Session, **query: Any) -> list[TrackRecordRow]:
    """Forecasts, newest first (see :func:`db.reads.track_record`)."""
    return reads.track_record(raw(session), **query)


def events(session: Session, *, kind: EventKind | None = None) -> list[Event]:
    """The event log, oldest first."""
    return reads.events(raw(session), kind=kind)


def history(session: Session, ref: Ref) -> list[HistoryEntry]:
    """Every event on a question, in the order it was recorded."""
    return reads.history(raw(session), ref)
