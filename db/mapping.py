"""Rows to domain objects: finding a row by id, key or name, and loading a question, source
or forecast with everything that belongs to it, inside a session the caller holds.

The repository and the read models call these; nothing here opens a session or commits.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from db.tables import (
    EventRow,
    ForecasterRow,
    ForecastProbabilityRow,
    ForecastRow,
    QuestionOptionRow,
    QuestionRow,
    QuestionTagRow,
    ResolutionRow,
    SourceFurnitureRow,
    SourceRow,
)
from forecasts.errors import NotFound
from forecasts.furniture import Span
from forecasts.models import (
    EventKind,
    Forecast,
    Forecaster,
    ForecasterKind,
    Question,
    QuestionKind,
    Resolution,
    Retraction,
    Source,
    name_key,
)

USER_NAME = "me"

R = TypeVar("R", QuestionRow, SourceRow)

Ref = int | str


MAX_ID = 2**63 - 1  # SQLite's largest integer


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


def current_resolution_query(query, ids: list[int | None] | None = None):
    """``query`` (a select from the resolution table) kept to each question's current
    resolution, the one with the highest sequence; optionally for some questions only.

    This is the one definition of a question's current resolution: the repository, the
    questions page and the score loader all use it."""
    latest = select(ResolutionRow.question_id, func.max(ResolutionRow.sequence).label("sequence"))
    if ids is not None:
        latest = latest.where(col(ResolutionRow.question_id).in_(ids))
    latest = latest.group_by(col(ResolutionRow.question_id)).subquery()
    return query.join(
        latest,
        (ResolutionRow.question_id == latest.c.question_id)
        & (ResolutionRow.sequence == latest.c.sequence),
    )


def current_outcome_expression():
    """A question's current outcome (None while unresolved) as a correlated subquery on the
    question table: the outcome of its resolution with the highest sequence, the same one
    :func:`current_resolution_query` keeps. One index lookup per question, so a query that
    must compute it for every question (to sort or filter on status) stays fast."""
    return (
        select(ResolutionRow.outcome)
        .where(ResolutionRow.question_id == QuestionRow.id)
        .order_by(col(ResolutionRow.sequence).desc())
        .limit(1)
        .scalar_subquery()
    )


# Finding rows ----------------------------------------------------------------------------


def _by_id_or_key(session: Session, table: type[R], ref: Ref, what: str) -> R:
    ident = as_id(ref)
    row = (
        session.get(table, ident)
        if ident is not None
        else session.exec(select(table).where(table.key == ref)).first()  # type: ignore[attr-defined]
    )
    if row is None:
        raise NotFound(what, ref, what)
    return row


def question_row(session: Session, ref: Ref) -> QuestionRow:
    """The question with id (``5``, ``#5``) or key ``ref``."""
    return _by_id_or_key(session, QuestionRow, ref, "question")


def source_row(session: Session, ref: Ref) -> SourceRow:
    """The source with id or key ``ref``."""
    return _by_id_or_key(session, SourceRow, ref, "source")


def forecaster_by_name(session: Session, name: str) -> ForecasterRow | None:
    """The forecaster whose name matches ``name`` under Unicode case folding."""
    return session.exec(
        select(ForecasterRow).where(ForecasterRow.name_key == name_key(name))
    ).first()


def forecaster_row(session: Session, ref: Ref) -> ForecasterRow:
    """The forecaster with id ``ref`` (an int, or ``#5``) or with name ``ref``: a name made
    only of digits is a name."""
    ident = as_id(ref, digits_are_ids=False)
    row = (
        session.get(ForecasterRow, ident)
        if ident is not None
        else forecaster_by_name(session, str(ref))
    )
    if row is None:
        raise NotFound("forecaster", ref, "forecaster")
    return row


def effective_forecaster_row(session: Session, ref: Ref) -> ForecasterRow:
    """The forecaster ``ref`` names, or the one it was merged into."""
    row = forecaster_row(session, ref)
    return session.get(ForecasterRow, row.merged_into_id) if row.merged_into_id else row


def merged_ids(session: Session) -> dict[int, int]:
    """Each merged forecaster's id to the id of the forecaster it now counts as."""
    query = select(ForecasterRow.id, ForecasterRow.merged_into_id).where(
        col(ForecasterRow.merged_into_id).is_not(None)
    )
    return {ident: into for ident, into in session.exec(query)}


def find_user_row(session: Session) -> ForecasterRow | None:
    """The user of this database as a forecaster: the first of kind user, else one named
    'me'; None before their first forecast."""
    row = session.exec(
        select(ForecasterRow)
        .where(ForecasterRow.kind == ForecasterKind.USER.value)
        .order_by(col(ForecasterRow.id))
    ).first()
    return row if row is not None else forecaster_by_name(session, USER_NAME)


# Loading objects -------------------------------------------------------------------------


def options_of(session: Session, ids: list[int | None]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    query = (
        select(QuestionOptionRow)
        .where(col(QuestionOptionRow.question_id).in_(ids))
        .order_by(col(QuestionOptionRow.question_id), col(QuestionOptionRow.position))
    )
    for option in session.exec(query):
        found.setdefault(option.question_id, []).append(option.label)
    return {key: tuple(value) for key, value in found.items()}


def tags_of(session: Session, ids: list[int | None]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for tag in session.exec(select(QuestionTagRow).where(col(QuestionTagRow.question_id).in_(ids))):
        found.setdefault(tag.question_id, []).append(tag.tag)
    return {key: tuple(value) for key, value in found.items()}


def current_resolutions(session: Session, ids: list[int | None]) -> dict[int, Resolution]:
    query = current_resolution_query(select(ResolutionRow), ids)
    return {row.question_id: to_resolution(row) for row in session.exec(query)}


def load_question(session: Session, row: QuestionRow) -> Question:
    return to_question(
        row,
        options_of(session, [row.id]).get(row.id, ()),
        tags_of(session, [row.id]).get(row.id, ()),
        current_resolutions(session, [row.id]).get(row.id),
    )


def resolutions_of(session: Session, question_id: int | None) -> list[Resolution]:
    query = (
        select(ResolutionRow)
        .where(ResolutionRow.question_id == question_id)
        .order_by(col(ResolutionRow.sequence))
    )
    return [to_resolution(row) for row in session.exec(query)]


def forecasts_of(session: Session, question: Question) -> list[Forecast]:
    rows = list(
        session.exec(
            select(ForecastRow)
            .where(ForecastRow.question_id == question.id)
            .order_by(col(ForecastRow.made_at), col(ForecastRow.id))
        )
    )
    vectors: dict[int, list[float]] = {}
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        query = (
            select(ForecastProbabilityRow)
            .where(col(ForecastProbabilityRow.forecast_id).in_([row.id for row in rows]))
            .order_by(col(ForecastProbabilityRow.forecast_id), col(ForecastProbabilityRow.position))
        )
        for value in session.exec(query):
            vectors.setdefault(value.forecast_id, []).append(value.probability)
    retracted = retractions_of(session, [row.id for row in rows])
    merged = merged_ids(session)
    forecasts = []
    for row in rows:
        forecast = to_forecast(row, vectors.get(row.id))
        update: dict[str, object] = {"retraction": retracted.get(row.id)}
        if row.forecaster_id in merged:
            update["forecaster_id"] = merged[row.forecaster_id]
        forecasts.append(forecast.model_copy(update=update))
    return forecasts


def retractions_of(session: Session, ids: list[int | None]) -> dict[int, Retraction]:
    """The retraction of each retracted forecast among ``ids``."""
    query = select(EventRow).where(
        (EventRow.kind == EventKind.RETRACTED.value) & col(EventRow.forecast_id).in_(ids)
    )
    return {
        event.forecast_id: Retraction(
            reason=event.reason, recorded_by=event.recorded_by, recorded_at=event.recorded_at
        )
        for event in session.exec(query)
        if event.forecast_id is not None
    }


def load_source(session: Session, row: SourceRow) -> Source:
    spans = session.exec(
        select(SourceFurnitureRow)
        .where(SourceFurnitureRow.source_id == row.id)
        .order_by(col(SourceFurnitureRow.start))
    )
    marks = tuple(Span(span.start, span.end, span.kind) for span in spans)
    return to_source(row).model_copy(update={"furniture": marks})


# Rows to objects -------------------------------------------------------------------------


def _columns(row: SQLModel, model: type[BaseModel], *, besides: tuple[str, ...] = ()) -> dict:
    """The row's values for every field of the domain model that the table stores."""
    return {
        name: getattr(row, name)
        for name in model.model_fields
        if name not in besides and hasattr(row, name)
    }


def to_question(
    row: QuestionRow,
    options: tuple[str, ...],
    tags: tuple[str, ...],
    resolution: Resolution | None,
) -> Question:
    fields = _columns(row, Question, besides=("options", "tags", "resolution"))
    return Question(**fields, options=options, tags=tags, resolution=resolution)


def to_forecaster(row: ForecasterRow) -> Forecaster:
    return Forecaster(**_columns(row, Forecaster))


def to_source(row: SourceRow) -> Source:
    return Source(**_columns(row, Source, besides=("furniture", "sha256")))


def to_resolution(row: ResolutionRow) -> Resolution:
    return Resolution(**_columns(row, Resolution))


def to_forecast(row: ForecastRow, vector: list[float] | None) -> Forecast:
    probabilities = tuple(vector) if vector is not None else None
    return Forecast(
        **_columns(row, Forecast, besides=("probabilities",)), probabilities=probabilities
    )
