"""Logging a forecast and resolving a question with SQLite alone: the one implementation of
these two writes. The repository runs them on the connection of its write unit (begun with
BEGIN IMMEDIATE, so a check and the insert it guards run under the write lock); the command
line's light way runs them on a connection of its own, in the same kind of transaction.

Values are stored exactly as the tables' SQLAlchemy types store them (moments as UTC
``YYYY-MM-DD HH:MM:SS.ffffff``, dates as ``YYYY-MM-DD``, flags as 0 or 1, choices as their
text); a test compares them with SQLAlchemy's own bind processors.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import ValidationError

from db import reads
from db.light import BUSY_TIMEOUT_MS
from forecasts.drafts import ForecastDraft, ResolutionDraft
from forecasts.errors import Conflict, InvalidInput, StorageError, from_validation_error
from forecasts.models import (
    ANNULLED,
    YES,
    Forecast,
    Forecaster,
    ForecasterKind,
    Resolution,
    check_forecast,
    check_resolution,
    name_key,
    refuse_stranding,
    repeats,
)
from forecasts.parsing import as_utc


def default_user_name() -> str:
    """Who writes are recorded by when the configuration does not say: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@contextmanager
def storage_errors(
    integrity: tuple[type[BaseException], ...] = (sqlite3.IntegrityError,),
    operational: tuple[type[BaseException], ...] = (sqlite3.OperationalError,),
) -> Iterator[None]:
    """A lost race on a unique constraint, and a database that stays locked, as one line;
    ``integrity`` and ``operational`` name the errors that mean each (the driver's, and the
    repository adds SQLAlchemy's, which wrap them)."""
    try:
        yield
    except integrity as exc:
        constraint = str(getattr(exc, "orig", exc)).removeprefix("UNIQUE constraint failed: ")
        raise Conflict(
            "record", constraint, "was written by another process at the same time; try again"
        ) from None
    except operational as exc:
        cause = str(getattr(exc, "orig", exc))
        if "locked" in cause or "busy" in cause:
            raise StorageError(
                "db",
                "busy",
                f"another process held the database's write lock for more than "
                f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished",
            ) from None
        raise


def stored(value: Any) -> Any:
    """A value as the tables store it."""
    if isinstance(value, datetime):
        return as_utc(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


def insert(connection: Any, table: str, fields: dict[str, Any]) -> int:
    """Insert one row; its id."""
    columns = ", ".join(f'"{name}"' for name in fields)
    marks = ", ".join("?" * len(fields))
    cursor = connection.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", [stored(v) for v in fields.values()]
    )
    return cursor.lastrowid


def refuse_taken_key(connection: Any, table: str, key: str | None, what: str) -> None:
    """Refuse a stable key that another record of the table already has."""
    if (
        key is not None
        and connection.execute(f"SELECT 1 FROM {table} WHERE key = ?", [key]).fetchone()
    ):
        raise Conflict("key", key, f"is already the key of another {what}")


def insert_forecaster(connection: Any, forecaster: Forecaster) -> int:
    """Store a new forecaster; names are unique under Unicode case folding."""
    key = name_key(forecaster.name)
    if connection.execute("SELECT 1 FROM forecaster WHERE name_key = ?", [key]).fetchone():
        raise Conflict("name", forecaster.name, "is already a forecaster")
    return insert(
        connection,
        "forecaster",
        {
            "name": forecaster.name,
            "name_key": key,
            "kind": forecaster.kind,
            "affiliation": forecaster.affiliation.strip(),
        },
    )


def user_forecaster_id(connection: Any) -> int:
    """The user of this database as a forecaster, created on their first forecast."""
    found = reads.find_user_id(connection)
    if found is not None:
        return found
    return insert_forecaster(connection, Forecaster(name=reads.USER_NAME, kind=ForecasterKind.USER))


def forecaster_for(connection: Any, draft: ForecastDraft) -> int:
    """Whom a forecast is by: the user, a known forecaster, or one the draft asks to create."""
    if draft.forecaster is None:
        return user_forecaster_id(connection)
    if draft.new_forecaster_kind is not None:
        rows = connection.execute(
            "SELECT id FROM forecaster WHERE name_key = ?", [name_key(str(draft.forecaster))]
        ).fetchall()
        if rows:
            return rows[0][0]
        try:
            new = Forecaster(name=str(draft.forecaster), kind=draft.new_forecaster_kind)
        except ValidationError as exc:
            raise from_validation_error(exc) from None
        return insert_forecaster(connection, new)
    return reads.forecaster_row(connection, draft.forecaster)["id"]


def log_forecast(
    connection: Any, draft: ForecastDraft, *, now: datetime, user_name: str
) -> Forecast:
    """Append a forecast (the user's when the draft names no forecaster); it supersedes any
    earlier one by the same forecaster on the same question. A forecaster the draft asks to
    create is created in the same transaction."""
    question = reads.load_question(connection, reads.question_id(connection, draft.question_id))
    who = forecaster_for(connection, draft)
    source = (
        reads.load_source(connection, reads.source_id(connection, draft.source_id))
        if draft.source_id is not None
        else None
    )
    forecast = check_forecast(
        question, draft.forecast(forecaster_id=who, now=now), now=now, source=source
    )
    refuse_taken_key(connection, "forecast", draft.key, "forecast")
    forecast = forecast.model_copy(update={"recorded_by": user_name})
    fields = forecast.model_dump(exclude={"id", "probabilities", "retraction"})
    ident = insert(connection, "forecast", fields | {"key": draft.key})
    for position, value in enumerate(forecast.probabilities or ()):
        insert(
            connection,
            "forecast_probability",
            {"forecast_id": ident, "position": position, "probability": value},
        )
    return forecast.model_copy(update={"id": ident})


def resolve(
    connection: Any, draft: ResolutionDraft, *, now: datetime, user_name: str
) -> Resolution:
    """Resolve the question, or annul it; a different outcome or date is a re-resolution,
    the earlier ones kept as history, while the same resolution again changes nothing and
    returns the current one. A resolution dated before forecasts already on the question
    is refused unless the draft is retroactive (those forecasts are then not scored)."""
    ident = reads.question_id(connection, draft.question_id)
    question = reads.load_question(connection, ident)
    if draft.source_id is not None:
        reads.source_id(connection, draft.source_id)
    resolution = check_resolution(question, draft.resolution(now=now), now=now)
    current = question.resolution
    if current is not None and repeats(current, resolution, dated=draft.resolved_at):
        return current  # the same resolution again: nothing changes
    if not resolution.annulled:
        refuse_unmet_condition(connection, ident)
    if not (draft.retroactive or resolution.annulled):  # an annulment scores nothing
        forecasts = reads.forecasts_of(connection, question)
        names = {
            who: reads.forecaster_row(connection, who)["name"]
            for who in {f.forecaster_id for f in forecasts}
        }
        refuse_stranding(resolution, forecasts, names)
    (previous,) = connection.execute(
        "SELECT max(sequence) FROM resolution WHERE question_id = ?", [ident]
    ).fetchone()
    resolution = resolution.model_copy(update={"recorded_by": user_name})
    new = insert(
        connection,
        "resolution",
        resolution.model_dump(exclude={"id"}) | {"sequence": (previous or 0) + 1},
    )
    annul_conditionals(
        connection, ident, resolution.outcome, resolution.resolved_at, now=now, user_name=user_name
    )
    return resolution.model_copy(update={"id": new})


def refuse_unmet_condition(connection: Any, question_id: int) -> None:
    """Refuse to resolve a conditional question yes or no before its condition resolved
    yes: it is scored only then (annulling it is always allowed)."""
    condition = reads.condition_of(connection, question_id)
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


def annul_conditionals(
    connection: Any, condition_id: int, outcome: str, resolved_at: datetime, **write: Any
) -> None:
    """Annul each question conditional on ``condition_id`` when it resolved other than
    yes (and, through them, the questions conditional on those)."""
    if outcome == YES:
        return
    for ident in reads.conditionals_on(connection, condition_id):
        current = reads.load_question(connection, ident).resolution
        if current is not None and current.annulled:
            continue
        resolve(
            connection,
            ResolutionDraft(
                question_id=ident,
                outcome=ANNULLED,
                resolved_at=resolved_at,
                evidence=f"Its condition, question {condition_id}, resolved {outcome}.",
                resolved_by="forecasts",
            ),
            **write,
        )
