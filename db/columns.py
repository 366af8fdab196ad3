"""Many rows read as numpy columns, fast.

Python's sqlite3 builds a tuple of Python objects for every row: about 0.4 s for a million
rows of one integer, more for each further column. SQLite itself concatenates a column of a
million integers into one text in about 0.1 s (``group_concat``), and numpy parses such a
text in a few milliseconds. So a query's answer is read here as one row of texts, one per
column, each column as integers, which are exact:

- ``INT``: an integer (booleans too).
- ``MOMENT``: a stored moment as milliseconds since the epoch, read through julianday as the
  scores have always read moments (to the millisecond); numpy gets seconds.
- ``PROBABILITY``: a probability times 2**62, an integer exactly when the probability is at
  least 2**-10 (or is 0 or -1). The rare smaller ones are read again as SQLite quotes them
  (15 significant digits when they read back as the same number, else 21).

The order of ``group_concat`` over an ordered subquery is the subquery's in SQLite, though
not promised: callers check what they rely on and read rows the plain way if it ever fails.

Several queries of one load may run at once, on a second connection to the same file (two
cores, and sqlite3 lets go of the GIL while SQLite works). That connection must see the
same state of the database as the caller's read transaction: the database's revision token
(migration 0014, replaced on every write) is read on both, and if they differ, or the
database is not a file, every query runs on the caller's connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import quote as url_quote

import numpy as np

INT = "int"
MOMENT = "moment"
PROBABILITY = "probability"

_SCALE = 4611686018427387904.0  # 2**62
_SMALLEST = 0.0009765625  # 2**-10: from here up, p * 2**62 is a whole number below 2**63
_INEXACT = -1  # never p * 2**62 for a p read exactly (-1 is read as -2**62)


class ColumnsUnreadable(Exception):
    """A column's text did not parse into as many numbers as the query had rows, or would
    be longer than SQLite's longest text (a billion bytes by default: some 50 million
    rows); the caller reads the rows the plain way."""


Column = tuple[str, str]  # (SQL expression over the subquery's row, kind)


def _sql(expression: str, kind: str) -> str:
    if kind == MOMENT:
        return f"CAST(round((julianday({expression}) - 2440587.5) * 86400000.0) AS INTEGER)"
    if kind == PROBABILITY:
        return (
            f"CASE WHEN ({expression} BETWEEN {_SMALLEST!r} AND 1.0) OR {expression} IN (0.0, -1.0)"
            f" THEN CAST({expression} * {_SCALE!r} AS INTEGER) ELSE {_INEXACT} END"
        )
    return expression


def query(source: str, columns: Sequence[Column]) -> str:
    """One row: the number of rows of ``source`` (a SELECT, ordered if order matters), then
    each column's values joined by commas. Expressions name ``source``'s columns and must
    never be NULL."""
    parts = ", ".join(f"group_concat({_sql(e, kind)})" for e, kind in columns)
    return f"SELECT count(*), {parts} FROM ({source})"


def _parse(text: str | None, count: int) -> np.ndarray:
    values = np.fromstring(text or "", dtype=np.int64, sep=",")
    if values.shape[0] != count:
        raise ColumnsUnreadable(f"{values.shape[0]} values where {count} rows")
    return values


def read(cursor: Any, source: str, columns: Sequence[Column]) -> list[np.ndarray]:
    """``columns`` of ``source``'s rows read on ``cursor``: int64 for ``INT``, float64
    seconds for ``MOMENT`` and float64 for ``PROBABILITY``."""
    try:
        cursor.execute(query(source, columns))
        row = cursor.fetchone()
    except sqlite3.DataError as error:  # a text longer than SQLite's limit: read by rows
        raise ColumnsUnreadable(str(error)) from error
    count = int(row[0])
    out = []
    for i, (expression, kind) in enumerate(columns):
        values = _parse(row[i + 1], count)
        if kind == MOMENT:
            out.append(values / 1000.0)
        elif kind == PROBABILITY:
            out.append(_probabilities(cursor, source, expression, values))
        else:
            out.append(values)
    return out


def _probabilities(cursor: Any, source: str, expression: str, scaled: np.ndarray) -> np.ndarray:
    p = scaled.astype(np.float64) / _SCALE
    inexact = np.flatnonzero(scaled == _INEXACT)
    if inexact.shape[0]:
        # SQLite quotes a real with 15 significant digits when they read back as the same
        # number, else with 21
        cursor.execute(
            f"SELECT group_concat(CASE WHEN {_sql(expression, PROBABILITY)} = {_INEXACT}"
            f" THEN quote({expression}) ELSE '' END) FROM ({source})"
        )
        texts = cursor.fetchone()[0].split(",")
        if len(texts) != scaled.shape[0]:
            raise ColumnsUnreadable(f"{len(texts)} values where {scaled.shape[0]} rows")
        p[inexact] = [float(texts[i]) for i in inexact]
    return p


def read_rows(cursor: Any, source: str, columns: Sequence[Column]) -> list[np.ndarray]:
    """The same columns as :func:`read`, read the plain way, a tuple per row (slower, and
    in the rows' order without relying on ``group_concat``'s)."""
    exprs = []
    for expression, kind in columns:
        if kind == MOMENT:
            exprs.append(f"(julianday({expression}) - 2440587.5) * 86400.0")
        else:
            exprs.append(expression)
    dtype = [(f"c{i}", "f8" if kind != INT else "i8") for i, (_, kind) in enumerate(columns)]
    cursor.execute(f"SELECT {', '.join(exprs)} FROM ({source})")
    rows = np.fromiter(cursor, dtype=dtype)
    return [
        np.round(rows[f"c{i}"], 3) if kind == MOMENT else np.ascontiguousarray(rows[f"c{i}"])
        for i, (_, kind) in enumerate(columns)
    ]


Job = tuple[str, Sequence[Column]]  # (source, columns)


def read_all(connection: sqlite3.Connection, jobs: Sequence[Job], beside: Sequence[Job]) -> tuple:
    """Every job's columns: ``jobs`` on ``connection`` (in the caller's read transaction),
    ``beside`` at the same time on a second connection that sees the same state of the
    database, or after them on ``connection`` when there can be none."""
    helper = _second_connection(connection) if beside else None
    if helper is None:
        return tuple(read(connection.cursor(), *job) for job in (*jobs, *beside))
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="forecasts-columns") as pool:
            theirs = pool.submit(lambda: [read(helper.cursor(), *job) for job in beside])
            own = [read(connection.cursor(), *job) for job in jobs]
            try:
                answers = theirs.result()
            except sqlite3.Error:  # e.g. the file went away: read them here
                answers = [read(connection.cursor(), *job) for job in beside]
    finally:
        helper.close()  # the pool has waited for its thread
    return (*own, *answers)


def _revision(connection: sqlite3.Connection) -> bytes | None:
    row = connection.execute("SELECT token FROM data_revision").fetchone()
    return row[0] if row is not None else None


def _second_connection(connection: sqlite3.Connection) -> sqlite3.Connection | None:
    """A read-only connection to ``connection``'s file in a read transaction that sees
    the same state of the database, or None."""
    try:
        files = {name: file for _, name, file in connection.execute("PRAGMA database_list")}
        path = files.get("main")
        token = _revision(connection)
    except sqlite3.Error:
        return None
    if not path or token is None:
        return None
    try:
        helper = sqlite3.connect(
            f"file:{url_quote(path)}?mode=ro",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=5.0,
        )
    except sqlite3.Error:
        return None
    try:
        helper.execute("BEGIN")
        if _revision(helper) == token:
            return helper
    except sqlite3.Error:
        pass
    helper.close()
    return None


def index_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of ``wanted`` is in ``ids`` (sorted, distinct); ValueError for one that
    is not there. Ids without gaps are their own positions."""
    n = ids.shape[0]
    if n and int(ids[-1]) - int(ids[0]) == n - 1:
        at = wanted - ids[0]
    else:
        at = np.searchsorted(ids, wanted)
    if at.shape[0] and (
        int(at.min()) < 0 or int(at.max()) >= n or not np.array_equal(ids[at], wanted)
    ):
        raise ValueError("a forecast wanted is not among those read")
    return at
