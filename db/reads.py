"""Reading the record with SQLite alone: questions, their forecasts and history, and track
records, as the domain's frozen values.

This is the one implementation of these reads. The repository calls it on the connection
of its unit of work (:func:`db.read_models.raw`); the command line's read commands call it
on a read-only connection (:mod:`db.light`) without loading SQLAlchemy. Either way every
function runs inside the caller's transaction, so a read that spans tables sees one state
of the database. Nothing here writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from forecasts.errors import NotFound
from forecasts.models import (
    EventKind,
    Forecast,
    Forecaster,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionSummary,
    Resolution,
    Retraction,
    Source,
    is_backdated,
    name_key,
    standing_forecasts,
)
from forecasts.parsing import as_utc
from forecasts.text import forecast_value

Ref = int | str
USER_NAME = "me"
MAX_ID = 2**63 - 1  # SQLite's largest integer
BATCH = 500
"""Questions read per step of a listing: bounded memory per step, and well under SQLite's
limit on the values one statement may bind."""

CURRENT_RESOLUTIONS = """
SELECT resolution.* FROM resolution
JOIN (SELECT question_id, max(sequence) AS sequence FROM resolution
      WHERE question_id IN ({ids}) GROUP BY question_id) AS latest
  ON resolution.question_id = latest.question_id AND resolution.sequence = latest.sequence
"""
"""Each question's current resolution: the one with the highest sequence (the same rule as
:func:`db.mapping.current_resolution_query`, which the questions screen sorts with)."""

_DATETIMES = frozenset(
    {"created_at", "close_at", "resolve_by", "made_at", "recorded_at", "resolved_at", "added_at"}
)
_BOOLEANS = frozenset({"withdrawn", "inferred", "imported"})


def as_id(ref: Ref, *, digits_are_ids: bool = True) -> int | None:
    """The id a reference names (``#5``, or ``5`` where digits are ids), None when it is a
    key or a name. Only ASCII digits make an id; an id out of SQLite's range matches nothing."""
    if isinstance(ref, int):
        return ref if 0 < ref <= MAX_ID else 0
    text = ref.strip()
    if text.startswith("#"):
        text = text[1:]
    elif not digits_are_ids:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else 0


# Rows --------------------------------------------------------------------------------------


def _value(name: str, value: Any) -> Any:
    """A stored value as the domain takes it: moments and dates parsed, flags as booleans."""
    if value is None:
        return None
    if name in _DATETIMES:
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if name in _BOOLEANS:
        return bool(value)
    if name == "published_on" and isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _fields(row: sqlite3.Row, model: type, *, besides: tuple[str, ...] = ()) -> dict[str, Any]:
    """The row's values for every field of the domain model that the table stores."""
    stored = row.keys()
    return {
        name: _value(name, row[name])
        for name in model.model_fields  # type: ignore[attr-defined]
        if name not in besides and name in stored
    }


def _select(connection: Any, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row
    try:
        return cursor.execute(sql, tuple(params)).fetchall()
    finally:
        cursor.close()


def _in(ids: Iterable[Any]) -> tuple[str, list[Any]]:
    """Placeholders for ``IN (...)`` and the values they bind."""
    values = list(ids)
    return ", ".join("?" * len(values)) or "NULL", values


def _grouped(rows: Iterable[sqlite3.Row], key: str, value: str) -> dict[int, tuple[Any, ...]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row[key], []).append(row[value])
    return {k: tuple(v) for k, v in found.items()}


# Finding rows ----------------------------------------------------------------------------


def question_id(connection: Any, ref: Ref) -> int:
    """The id of the question with id (``5``, ``#5``) or key ``ref``."""
    ident = as_id(ref)
    if ident is not None:
        found = _select(connection, "SELECT id FROM question WHERE id = ?", [ident])
    else:
        found = _select(connection, "SELECT id FROM question WHERE key = ?", [ref])
    if not found:
        raise NotFound("question", ref, "question")
    return found[0]["id"]


def forecaster_row(connection: Any, ref: Ref) -> sqlite3.Row:
    """The forecaster with id ``ref`` (an int, or ``#5``) or with name ``ref`` (under Unicode
    case folding): a name made only of digits is a name."""
    ident = as_id(ref, digits_are_ids=False)
    if ident is not None:
        found = _select(connection, "SELECT * FROM forecaster WHERE id = ?", [ident])
    else:
        found = _select(
            connection, "SELECT * FROM forecaster WHERE name_key = ?", [name_key(str(ref))]
        )
    if not found:
        raise NotFound("forecaster", ref, "forecaster")
    return found[0]


def effective_forecaster_id(connection: Any, ref: Ref) -> int:
    """The id of the forecaster ``ref`` names, or of the one it was merged into."""
    row = forecaster_row(connection, ref)
    return row["merged_into_id"] or row["id"]


def merged_ids(connection: Any) -> dict[int, int]:
    """Each merged forecaster's id to the id of the forecaster it now counts as."""
    rows = _select(
        connection, "SELECT id, merged_into_id FROM forecaster WHERE merged_into_id IS NOT NULL"
    )
    return {row["id"]: row["merged_into_id"] for row in rows}


# Loading objects -------------------------------------------------------------------------


def options_of(connection: Any, ids: Sequence[int | None]) -> dict[int, tuple[str, ...]]:
    marks, values = _in(ids)
    rows = _select(
        connection,
        f"SELECT question_id, label FROM question_option WHERE question_id IN ({marks}) "
        "ORDER BY question_id, position",
        values,
    )
    return _grouped(rows, "question_id", "label")


def tags_of(connection: Any, ids: Sequence[int | None]) -> dict[int, tuple[str, ...]]:
    marks, values = _in(ids)
    rows = _select(
        connection,
        f"SELECT question_id, tag FROM question_tag WHERE question_id IN ({marks}) "
        "ORDER BY question_id, tag",
        values,
    )
    return _grouped(rows, "question_id", "tag")


def to_resolution(row: sqlite3.Row) -> Resolution:
    return Resolution(**_fields(row, Resolution))


def current_resolutions(connection: Any, ids: Sequence[int | None]) -> dict[int, Resolution]:
    marks, values = _in(ids)
    rows = _select(connection, CURRENT_RESOLUTIONS.format(ids=marks), values)
    return {row["question_id"]: to_resolution(row) for row in rows}


def to_question(
    row: sqlite3.Row,
    options: tuple[str, ...],
    tags: tuple[str, ...],
    resolution: Resolution | None,
) -> Question:
    fields = _fields(row, Question, besides=("options", "tags", "resolution"))
    return Question(**fields, options=options, tags=tags, resolution=resolution)


def _questions(connection: Any, rows: Sequence[sqlite3.Row]) -> list[Question]:
    """Questions from their rows, with their options, tags and current resolutions."""
    ids = [row["id"] for row in rows]
    options = options_of(connection, ids)
    tags = tags_of(connection, ids)
    resolutions = current_resolutions(connection, ids)
    return [
        to_question(
            row, options.get(row["id"], ()), tags.get(row["id"], ()), resolutions.get(row["id"])
        )
        for row in rows
    ]


def load_question(connection: Any, ident: int | None) -> Question:
    """The question with id ``ident``, with its options, tags and current resolution."""
    rows = _select(connection, "SELECT * FROM question WHERE id = ?", [ident])
    if not rows:
        raise NotFound("question", ident, "question")
    return _questions(connection, rows)[0]


def resolutions_of(connection: Any, ident: int | None) -> list[Resolution]:
    """Every resolution of a question, oldest first (the current one last)."""
    rows = _select(
        connection, "SELECT * FROM resolution WHERE question_id = ? ORDER BY sequence", [ident]
    )
    return [to_resolution(row) for row in rows]


def retractions_of(connection: Any, ids: Sequence[int | None]) -> dict[int, Retraction]:
    """The retraction of each retracted forecast among ``ids``."""
    marks, values = _in(ids)
    rows = _select(
        connection,
        f"SELECT forecast_id, reason, recorded_by, recorded_at FROM event "
        f"WHERE kind = ? AND forecast_id IN ({marks})",
        [EventKind.RETRACTED.value, *values],
    )
    return {
        row["forecast_id"]: Retraction(**_fields(row, Retraction))
        for row in rows
        if row["forecast_id"] is not None
    }


def forecasts_of(connection: Any, question: Question) -> list[Forecast]:
    """A question's forecasts, oldest first; a merged forecaster's under the forecaster it
    was merged into, a retracted one with its retraction."""
    rows = _select(
        connection,
        "SELECT * FROM forecast WHERE question_id = ? ORDER BY made_at, id",
        [question.id],
    )
    ids = [row["id"] for row in rows]
    vectors: dict[int, tuple[float, ...]] = {}
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        marks, values = _in(ids)
        vectors = _grouped(
            _select(
                connection,
                f"SELECT forecast_id, probability FROM forecast_probability "
                f"WHERE forecast_id IN ({marks}) ORDER BY forecast_id, position",
                values,
            ),
            "forecast_id",
            "probability",
        )
    retracted = retractions_of(connection, ids)
    merged = merged_ids(connection)
    forecasts = []
    for row in rows:
        fields = _fields(row, Forecast, besides=("probabilities",))
        fields["forecaster_id"] = merged.get(row["forecaster_id"], row["forecaster_id"])
        forecast = Forecast(**fields, probabilities=vectors.get(row["id"]))
        retraction = retracted.get(row["id"])
        forecasts.append(
            forecast.model_copy(update={"retraction": retraction}) if retraction else forecast
        )
    return forecasts


def to_forecaster(row: sqlite3.Row) -> Forecaster:
    return Forecaster(**_fields(row, Forecaster))


def to_source(row: sqlite3.Row) -> Source:
    return Source(**_fields(row, Source, besides=("furniture", "sha256")))


# Questions -------------------------------------------------------------------------------


def iter_questions(
    connection: Any,
    *,
    now: datetime,
    status: QuestionStatus | None = None,
    tag: str | None = None,
    withdrawn: bool = False,
    batch: int = BATCH,
) -> Iterator[QuestionSummary]:
    """Questions, soonest close date first, with how many forecasts and forecasters each
    has; withdrawn questions only with ``withdrawn``, the others otherwise. Read a batch at a
    time, so a long list starts at once and takes the memory of one batch."""
    where, params = "withdrawn = ?", [int(withdrawn)]
    if tag is not None:
        where += " AND id IN (SELECT question_id FROM question_tag WHERE tag = ?)"
        params.append(tag.strip().lower())
    last: tuple[str, int] | None = None
    while True:
        after = " AND (close_at, id) > (?, ?)" if last is not None else ""
        rows = _select(
            connection,
            f"SELECT * FROM question WHERE {where}{after} ORDER BY close_at, id LIMIT ?",
            [*params, *(last or ()), batch],
        )
        if not rows:
            return
        last = (rows[-1]["close_at"], rows[-1]["id"])
        marks, ids = _in(row["id"] for row in rows)
        counts = {
            row["question_id"]: (row["n"], row["m"])
            for row in _select(
                connection,
                "SELECT question_id, count(id) AS n, count(DISTINCT forecaster_id) AS m "
                f"FROM forecast WHERE question_id IN ({marks}) GROUP BY question_id",
                ids,
            )
        }
        for question in _questions(connection, rows):
            if status is not None and question.status(now) is not status:
                continue
            n, m = counts.get(question.id or 0, (0, 0))
            yield QuestionSummary(question=question, forecasts=n, forecasters=m)


def list_questions(connection: Any, **query: Any) -> list[QuestionSummary]:
    """Every question :func:`iter_questions` yields, as a list."""
    return list(iter_questions(connection, **query))


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


def to_event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"] or 0,
        kind=EventKind(row["kind"]),
        question_id=row["question_id"],
        forecast_id=row["forecast_id"],
        forecaster_id=row["forecaster_id"],
        reason=row["reason"],
        detail=json.loads(row["detail"] or "{}"),
        recorded_by=row["recorded_by"],
        recorded_at=as_utc(_value("recorded_at", row["recorded_at"])),
    )


def events(connection: Any, *, kind: EventKind | None = None) -> list[Event]:
    """The event log, oldest first."""
    if kind is None:
        rows = _select(connection, "SELECT * FROM event ORDER BY id")
    else:
        rows = _select(connection, "SELECT * FROM event WHERE kind = ? ORDER BY id", [kind.value])
    return [to_event(row) for row in rows]


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


def question_detail(connection: Any, ref: Ref) -> QuestionDetail:
    """The question with its forecasts, forecasters, sources and resolution history."""
    question = load_question(connection, question_id(connection, ref))
    forecasts = forecasts_of(connection, question)
    marks, values = _in({f.forecaster_id for f in forecasts})
    forecasters = {
        row["id"]: to_forecaster(row)
        for row in _select(connection, f"SELECT * FROM forecaster WHERE id IN ({marks})", values)
    }
    resolutions = resolutions_of(connection, question.id)
    source_ids = {f.source_id for f in forecasts} | {r.source_id for r in resolutions}
    source_ids.discard(None)
    marks, values = _in(source_ids)
    sources = {
        row["id"]: to_source(row)
        for row in _select(connection, f"SELECT * FROM source WHERE id IN ({marks})", values)
    }
    rows = _select(
        connection, "SELECT * FROM event WHERE question_id = ? ORDER BY id", [question.id]
    )
    return QuestionDetail(
        question=question,
        forecasts=tuple(forecasts),
        forecasters=forecasters,
        sources=sources,
        resolutions=tuple(resolutions),
        events=tuple(map(to_event, rows)),
    )


# Track records ---------------------------------------------------------------------------


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
    connection: Any,
    *,
    now: datetime,
    forecaster: Ref | None = None,
    question: Ref | None = None,
    open_only: bool = False,
) -> list[TrackRecordRow]:
    """Forecasts, newest first: one forecaster's, one question's, or all; with ``open_only``
    only those on questions still open."""
    where, params = [], []
    who = None
    if forecaster is not None:
        who = effective_forecaster_id(connection, forecaster)
        theirs = [who, *(i for i, into in merged_ids(connection).items() if into == who)]
        marks, values = _in(theirs)
        where.append(f"forecaster_id IN ({marks})")
        params.extend(values)
    if question is not None:
        where.append("question_id = ?")
        params.append(question_id(connection, question))
    sql = "SELECT DISTINCT question_id FROM forecast"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows: list[TrackRecordRow] = []
    for found in _select(connection, sql, params):
        detail = question_detail(connection, found["question_id"])
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
            if who is None or f.forecaster_id == who
        )
    rows.sort(key=lambda row: (row.forecast.made_at, row.forecast.id or 0), reverse=True)
    return rows


# History ---------------------------------------------------------------------------------


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


def history(connection: Any, ref: Ref) -> list[HistoryEntry]:
    """Every event on a question, in the order it was recorded."""
    return history_entries(question_detail(connection, ref))


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
