"""``forecasts db check``: is the database sound? SQLite's own integrity and foreign-key
checks, then the invariants forecasts relies on, all read in one read transaction."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from db import derived
from db.engine import APPLICATION_ID, serial
from db.migrate import HEAD, _revision
from forecasts.models import ANNULLED, NO, SUM_TOLERANCE, YES, name_key

APPEND_ONLY = ("forecast", "forecast_probability", "resolution")


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it passed, and what was found."""

    check: str
    ok: bool
    detail: str


def check_database(engine: Engine) -> list[Finding]:
    """Every check, in order; the database is sound when every finding is ok."""
    with serial(engine), engine.connect() as connection, connection.begin():
        return [check(connection) for check in CHECKS]


def _integrity(connection: Connection) -> Finding:
    rows = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
    ok = rows == ["ok"]
    return Finding("integrity", ok, "SQLite finds no damage" if ok else "; ".join(rows[:5]))


def _foreign_keys(connection: Connection) -> Finding:
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Finding("foreign keys", True, "every reference points at a stored record")
    shown = "; ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in rows[:5])
    return Finding("foreign keys", False, f"{len(rows)} broken: {shown}")


def _schema(connection: Connection) -> Finding:
    revision = _revision(connection)
    marked = connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
    ok = revision == HEAD and marked
    detail = f"schema {revision}" + ("" if marked else ", not marked as a forecasts database")
    return Finding("schema", ok, detail if not ok else f"schema {revision}, the newest")


def _names_of(connection: Connection, kind: str) -> set[str]:
    """The names of the schema's objects of ``kind`` (SQLite's own tables left out)."""
    return {
        name
        for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite\\_%' "
            "ESCAPE '\\'",
            (kind,),
        )
    }


def _append_only(connection: Connection) -> Finding:
    found = _names_of(connection, "trigger")
    wanted = {f"{t}_append_only_{a}" for t in APPEND_ONLY for a in ("update", "delete")}
    missing = sorted(wanted - found)
    if missing:
        return Finding("append-only", False, f"triggers missing: {', '.join(missing)}")
    return Finding("append-only", True, "forecasts and resolutions cannot be rewritten")


def _kept_state(connection: Connection) -> Finding:
    """The triggers that keep each question's outcome and counts and the revision token are
    all there, and every question's kept values are what the record says."""
    found = _names_of(connection, "trigger")
    tables = _names_of(connection, "table") - set(derived.UNTRACKED)
    actions = ("insert", "update", "delete")
    wanted = set(derived.KEPT_TRIGGERS) | {
        f"{table}_revision_{action}" for table in tables for action in actions
    }
    missing = sorted(wanted - found)
    if missing:
        return Finding("kept state", False, f"triggers missing: {', '.join(missing[:5])}")
    wrong = [ident for (ident,) in connection.exec_driver_sql(derived.OUT_OF_STEP)]
    if wrong:
        shown = ", ".join(str(ident) for ident in wrong[:5])
        whose = f"{len(wrong)} question{'s' if len(wrong) != 1 else ''}"
        return Finding(
            "kept state",
            False,
            f"kept outcome or counts disagree with the record for {whose}: {shown}",
        )
    return Finding("kept state", True, "each question's outcome and counts agree with the record")


def _marks(connection: Connection) -> Finding:
    """Every forecast has the mark its insert trigger gives it (migration 0015), which kept
    forecasts' columns are checked against (db/kept_columns.py)."""
    unmarked = [
        ident
        for (ident,) in connection.exec_driver_sql(
            "SELECT id FROM forecast WHERE id NOT IN (SELECT forecast_id FROM forecast_mark) "
            "ORDER BY id"
        )
    ]
    if unmarked:
        shown = ", ".join(str(ident) for ident in unmarked[:5])
        count = f"{len(unmarked)} forecast{'s' if len(unmarked) != 1 else ''}"
        return Finding("marks", False, f"{count} without a mark: {shown}")
    return Finding("marks", True, "every forecast has its mark")


def _probabilities(connection: Connection) -> Finding:
    """Binary forecasts hold one probability in [0, 1]; multiple-choice ones one per option,
    summing to 1."""
    problems = []
    for forecast, p in connection.exec_driver_sql(
        "SELECT f.id, f.probability FROM forecast f JOIN question q ON q.id = f.question_id "
        "WHERE q.kind = 'binary' AND (f.probability IS NULL OR f.probability < 0 "
        "OR f.probability > 1)"
    ):
        problems.append(f"forecast {forecast} has probability {p}")
    rows = connection.exec_driver_sql(
        "SELECT f.id, (SELECT COUNT(*) FROM question_option o WHERE o.question_id = q.id), "
        "COUNT(v.position), GROUP_CONCAT(v.probability) FROM forecast f "
        "JOIN question q ON q.id = f.question_id "
        "LEFT JOIN forecast_probability v ON v.forecast_id = f.id "
        "WHERE q.kind = 'multiple_choice' GROUP BY f.id"
    )
    for forecast, options, given, values in rows:
        numbers = [float(v) for v in (values or "").split(",") if v]
        if given != options:
            problems.append(f"forecast {forecast} gives {given} values for {options} options")
        elif abs(math.fsum(numbers) - 1.0) > SUM_TOLERANCE:
            problems.append(f"forecast {forecast} sums to {math.fsum(numbers):.10g}")
    if problems:
        return Finding("probabilities", False, f"{len(problems)}: " + "; ".join(problems[:5]))
    return Finding("probabilities", True, "every forecast is a probability or sums to 1")


def _resolutions(connection: Connection) -> Finding:
    """Each resolution names an outcome of its question; each history counts 1, 2, 3, ..."""
    problems = []
    for question, outcome in connection.exec_driver_sql(
        "SELECT r.question_id, r.outcome FROM resolution r JOIN question q "
        "ON q.id = r.question_id WHERE r.outcome != :annulled AND CASE q.kind "
        "WHEN 'binary' THEN r.outcome NOT IN (:yes, :no) ELSE NOT EXISTS (SELECT 1 FROM "
        "question_option o WHERE o.question_id = q.id AND o.label = r.outcome) END",
        {"annulled": ANNULLED, "yes": YES, "no": NO},
    ):
        problems.append(f"question {question} resolved as {outcome!r}")
    for question, count, top in connection.exec_driver_sql(
        "SELECT question_id, COUNT(*), MAX(sequence) FROM resolution GROUP BY question_id "
        "HAVING COUNT(*) != MAX(sequence)"
    ):
        problems.append(f"question {question} has {count} resolutions numbered up to {top}")
    if problems:
        return Finding("resolutions", False, f"{len(problems)}: " + "; ".join(problems[:5]))
    return Finding("resolutions", True, "every resolution names an outcome of its question")


def _names(connection: Connection) -> Finding:
    """Each forecaster's folded name is the one uniqueness is enforced on."""
    wrong = [
        f"{ident} ({name!r})"
        for ident, name, key in connection.exec_driver_sql(
            "SELECT id, name, name_key FROM forecaster"
        )
        if key != name_key(name) and not key.startswith(f"{name_key(name)}#")
    ]
    if wrong:
        return Finding("names", False, "folded names out of step: " + ", ".join(wrong[:5]))
    return Finding("names", True, "forecaster names are unique under case folding")


CHECKS = (
    _integrity,
    _foreign_keys,
    _schema,
    _append_only,
    _kept_state,
    _marks,
    _probabilities,
    _resolutions,
    _names,
)
