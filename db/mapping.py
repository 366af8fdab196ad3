"""Rows to domain objects: finding a row by id, key or name, and loading a question, source
or forecast with everything that belongs to it, inside a session the caller holds.

The repository and the read models call these; nothing here opens a session or commits.
"""

from __future__ import annotations

import sqlite3
from typing import TypeVar

from pydantic import BaseModel
from sqlmodel import Session, SQLModel, col, select

from db import reads
from db.reads import MAX_ID, USER_NAME, Ref, as_id
from db.tables import (
    ForecasterRow,
    QuestionRow,
    SourceFurnitureRow,
    SourceRow,
)
from forecasts.errors import NotFound
from forecasts.furniture import Span
from forecasts.models import (
    Forecast,
    Forecaster,
    ForecasterKind,
    Question,
    Resolution,
    Retraction,
    Source,
    name_key,
)

R = TypeVar("R", QuestionRow, SourceRow)


__all__ = ["MAX_ID", "USER_NAME", "Ref", "as_id"]


def raw(session: Session) -> sqlite3.Connection:
    """The SQLite connection under ``session``, inside its transaction, with everything the
    session holds written to it first, for :mod:`db.reads`."""
    session.flush()
    return session.connection().connection.driver_connection  # type: ignore[return-value]


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
    return reads.merged_ids(raw(session))


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
    return reads.options_of(raw(session), ids)


def load_question(session: Session, row: QuestionRow) -> Question:
    return reads.load_question(raw(session), row.id)


def resolutions_of(session: Session, question_id: int | None) -> list[Resolution]:
    return reads.resolutions_of(raw(session), question_id)


def forecasts_of(session: Session, question: Question) -> list[Forecast]:
    return reads.forecasts_of(raw(session), question)


def retractions_of(session: Session, ids: list[int | None]) -> dict[int, Retraction]:
    """The retraction of each retracted forecast among ``ids``."""
    return reads.retractions_of(raw(session), ids)


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


def to_forecaster(row: ForecasterRow) -> Forecaster:
    return Forecaster(**_columns(row, Forecaster))


def to_source(row: SourceRow) -> Source:
    return Source(**_columns(row, Source, besides=("furniture", "sha256")))
