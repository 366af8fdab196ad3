"""Read models: what the screens and the command line's lists show, read in one session.

Every read lives in :mod:`db.reads`, plain SQLite; here each runs on the connection of the
caller's unit of work (:func:`db.mapping.raw`), so a read that spans tables sees one state of
the database. Each function returns frozen values, never rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from db import reads
from db.mapping import Ref, raw
from db.reads import (
    SORTS,
    Event,
    HistoryEntry,
    QuestionDetail,
    QuestionListRow,
    QuestionPage,
    QuestionQuery,
    TrackRecordRow,
)
from forecasts.models import EventKind, QuestionSummary

__all__ = [
    "SORTS",
    "Event",
    "HistoryEntry",
    "QuestionDetail",
    "QuestionListRow",
    "QuestionPage",
    "QuestionQuery",
    "TrackRecordRow",
]


def list_questions(session: Session, **query: Any) -> list[QuestionSummary]:
    """Questions, soonest close date first (see :func:`db.reads.iter_questions`)."""
    return reads.list_questions(raw(session), **query)


def question_page(
    session: Session, query: QuestionQuery, *, now: datetime, offset: int = 0, limit: int = 200
) -> QuestionPage:
    """One window of the questions, filtered and sorted (see :func:`db.reads.question_page`)."""
    return reads.question_page(raw(session), query, now=now, offset=offset, limit=limit)


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
