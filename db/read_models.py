"""Read models: what the screens and the command line's lists show, read in one session.

Each function takes the session of the caller's unit of work (so a read that spans tables
sees one state of the database) and returns frozen values, never rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from db.mapping import (
    Ref,
    current_outcome_expression,
    current_resolutions,
    effective_forecaster_row,
    find_user_row,
    forecasts_of,
    load_question,
    merged_ids,
    options_of,
    question_row,
    resolutions_of,
    tags_of,
    to_forecaster,
    to_question,
    to_source,
)
from db.tables import (
    EventRow,
    ForecasterRow,
    ForecastProbabilityRow,
    ForecastRow,
    QuestionRow,
    QuestionTagRow,
    SourceRow,
)
from forecasts.errors import InvalidInput
from forecasts.models import (
    ANNULLED,
    EventKind,
    Forecast,
    Forecaster,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionSummary,
    Resolution,
    Source,
    is_backdated,
    median_vector,
    standing_forecasts,
)
from forecasts.parsing import as_utc
from forecasts.text import forecast_value

SORTS = ("close", "id", "title", "status", "forecasts")


@dataclass(frozen=True, eq=False)
class QuestionDetail:
    """Everything stored about one question: its forecasts (oldest first), the forecasters
    and sources they name, and every resolution ever made (oldest first, current last)."""

    question: Question
    forecasts: tuple[Forecast, ...]
    forecasters: dict[int, Forecaster]
    sources: dict[int, Source]
    resolutions: tuple[Resolution, ...]
    events: tuple[Event, ...] = ()
    """Every correction on the question (edits, retractions, withdrawals), oldest first."""

    @property
    def revisions(self) -> tuple[Event, ...]:
        """Every edit of the question, oldest first, with what it said before and after."""
        return tuple(event for event in self.events if event.kind is EventKind.EDITED)

    @cached_property
    def backdated(self) -> frozenset[int | None]:
        """Ids of the forecasts the backdating rule leaves out of scores."""
        return frozenset(
            f.id
            for f in self.forecasts
            if is_backdated(f, self.question, self.sources.get(f.source_id or 0))
        )

    def scored_forecasts(self) -> list[Forecast]:
        """The forecasts scores count: all but the backdated and the retracted (made after
        the resolution they are never scored anyway)."""
        return [f for f in self.forecasts if f.id not in self.backdated and f.retraction is None]


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


def list_questions(
    session: Session,
    *,
    now: datetime,
    status: QuestionStatus | None,
    tag: str | None,
    withdrawn: bool = False,
) -> list[QuestionSummary]:
    """Questions, soonest close date first, with how many forecasts each has; withdrawn
    questions only with ``withdrawn``, the others otherwise."""
    query = (
        select(QuestionRow)
        .where(QuestionRow.withdrawn == withdrawn)
        .order_by(col(QuestionRow.close_at), col(QuestionRow.id))
    )
    if tag is not None:
        query = query.join(QuestionTagRow).where(QuestionTagRow.tag == tag.strip().lower())
    rows = list(session.exec(query))
    ids = [row.id for row in rows]
    options = options_of(session, ids)
    tags = tags_of(session, ids)
    resolutions = current_resolutions(session, ids)
    counts = {
        question_id: (n, m)
        for question_id, n, m in session.exec(
            select(
                ForecastRow.question_id,
                func.count(col(ForecastRow.id)),
                func.count(func.distinct(ForecastRow.forecaster_id)),
            ).group_by(col(ForecastRow.question_id))
        )
    }
    summaries = []
    for row in rows:
        question = to_question(
            row, options.get(row.id, ()), tags.get(row.id, ()), resolutions.get(row.id)
        )
        if status is not None and question.status(now) is not status:
            continue
        n, m = counts.get(row.id, (0, 0))
        summaries.append(QuestionSummary(question=question, forecasts=n, forecasters=m))
    return summaries


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
    question = load_question(session, question_row(session, ref))
    forecasts = forecasts_of(session, question)
    forecaster_ids = {f.forecaster_id for f in forecasts}
    forecasters = {
        row.id: to_forecaster(row)
        for row in session.exec(
            select(ForecasterRow).where(col(ForecasterRow.id).in_(forecaster_ids))
        )
    }
    resolutions = resolutions_of(session, question.id)
    source_ids = {f.source_id for f in forecasts} | {r.source_id for r in resolutions}
    source_ids.discard(None)
    sources = {
        row.id: to_source(row)
        for row in session.exec(select(SourceRow).where(col(SourceRow.id).in_(source_ids)))
    }
    events = session.exec(
        select(EventRow).where(EventRow.question_id == question.id).order_by(col(EventRow.id))
    )
    return QuestionDetail(
        question=question,
        forecasts=tuple(forecasts),
        forecasters=forecasters,
        sources=sources,
        resolutions=tuple(resolutions),
        events=tuple(map(_to_event, events)),
    )


@dataclass(frozen=True)
class TrackRecordRow:
    """One forecast in a track record, with its question, its forecaster and whether it
    still stands, scores, or is left out."""

    forecast: Forecast
    question: Question
    forecaster: Forecaster
    superseded: bool
    backdated: bool
    scored: bool
    """Counted in scores (:meth:`QuestionDetail.scored_forecasts`)."""


def track_record(
    session: Session,
    *,
    now: datetime,
    forecaster: Ref | None = None,
    question: Ref | None = None,
    open_only: bool = False,
) -> list[TrackRecordRow]:
    """Forecasts, newest first: one forecaster's, one question's, or all; with ``open_only``
    only those on questions still open."""
    query = select(ForecastRow.question_id).distinct()
    if forecaster is not None:
        who = effective_forecaster_row(session, forecaster)
        theirs = [who.id, *(i for i, into in merged_ids(session).items() if into == who.id)]
        query = query.where(col(ForecastRow.forecaster_id).in_(theirs))
    if question is not None:
        query = query.where(ForecastRow.question_id == question_row(session, question).id)
    rows: list[TrackRecordRow] = []
    for question_id in session.exec(query):
        detail = question_detail(session, question_id)
        if open_only and detail.question.status(now) is not QuestionStatus.OPEN:
            continue
        standing = {f.id for f in standing_forecasts(detail.forecasts).values()}
        scored = {f.id for f in detail.scored_forecasts()}
        rows.extend(
            TrackRecordRow(
                forecast=f,
                question=detail.question,
                forecaster=detail.forecasters[f.forecaster_id],
                superseded=f.id not in standing,
                backdated=f.id in detail.backdated,
                scored=f.id in scored,
            )
            for f in detail.forecasts
            if forecaster is None or f.forecaster_id == who.id
        )
    rows.sort(key=lambda row: (row.forecast.made_at, row.forecast.id or 0), reverse=True)
    return rows


@dataclass(frozen=True)
class Event:
    """One correction or change of state from the event log."""

    id: int
    kind: EventKind
    question_id: int | None
    forecast_id: int | None
    forecaster_id: int | None
    reason: str
    detail: dict
    recorded_by: str
    recorded_at: datetime


def _to_event(row: EventRow) -> Event:
    return Event(
        id=row.id or 0,
        kind=EventKind(row.kind),
        question_id=row.question_id,
        forecast_id=row.forecast_id,
        forecaster_id=row.forecaster_id,
        reason=row.reason,
        detail=json.loads(row.detail or "{}"),
        recorded_by=row.recorded_by,
        recorded_at=as_utc(row.recorded_at),
    )


def events(session: Session, *, kind: EventKind | None = None) -> list[Event]:
    """The event log, oldest first."""
    query = select(EventRow).order_by(col(EventRow.id))
    if kind is not None:
        query = query.where(EventRow.kind == kind.value)
    return [_to_event(row) for row in session.exec(query)]


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a question: what, when it was recorded, by whom. ``kind``
    is created, edited, forecast, retracted, resolved, re-resolved, annulled, withdrawn or
    restored."""

    kind: str
    recorded_at: datetime
    recorded_by: str
    summary: str
    reason: str = ""
    detail: dict | None = None


def history(session: Session, ref: Ref) -> list[HistoryEntry]:
    """Every event on a question, in the order it was recorded."""
    return history_entries(question_detail(session, ref))


def history_entries(detail: QuestionDetail) -> list[HistoryEntry]:
    """Every event in a question's detail, in the order it was recorded."""
    question = detail.question
    entries = [
        HistoryEntry(
            "created",
            question.created_at,
            question.recorded_by,
            f"question {question.id} created: {question.title}",
        )
    ]
    for forecast in detail.forecasts:
        who = detail.forecasters[forecast.forecaster_id].name
        entries.append(
            HistoryEntry(
                "forecast",
                forecast.recorded_at or forecast.made_at,
                forecast.recorded_by,
                f"forecast {forecast.id} by {who}: {forecast_value(forecast, question)} "
                f"(made {forecast.made_at:%Y-%m-%d})",
            )
        )
    for index, resolution in enumerate(detail.resolutions):
        kind = "annulled" if resolution.annulled else ("re-resolved" if index else "resolved")
        entries.append(
            HistoryEntry(
                kind,
                resolution.recorded_at or resolution.resolved_at,
                resolution.recorded_by,
                f"{kind} as {resolution.outcome} as of {resolution.resolved_at:%Y-%m-%d}",
                resolution.evidence,
            )
        )
    for event in detail.events:
        what = {
            EventKind.EDITED: "edited: " + ", ".join(event.detail.get("after", {})),
            EventKind.RETRACTED: f"forecast {event.forecast_id} retracted",
        }.get(event.kind, f"question {event.kind.value}")
        entries.append(
            HistoryEntry(
                event.kind.value,
                event.recorded_at,
                event.recorded_by,
                what,
                event.reason,
                event.detail or None,
            )
        )
    entries.sort(key=lambda entry: entry.recorded_at)
    return entries
