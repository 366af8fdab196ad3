"""Forecasts' columns kept between commands, so that scores read only what was added since.

At 1,000,000 forecasts, reading every forecast's columns is most of what ``score`` and
``calibration`` take. Forecasts are append-only (migration 0005): a forecast once written
never changes, and a retraction is an event of its own. So the columns read once are kept
in a file in the user's cache folder, and the next read takes from the database only the
forecasts after the last one kept.

They can never be served stale. The database says whether they are still its first
forecasts (migration 0015):

- each forecast has a random mark, given by a trigger as it is inserted; the file names
  the id and the mark of its last forecast, and is used only where that forecast has that
  mark (not on a copy that went its own way, a backup put back, or another file);
- the lineage token is replaced by any write that does more than append forecasts after
  the last one (a forecast inserted below the highest id, a multiple-choice forecast's
  probabilities inserted after a later forecast, any bulk write); the file names the
  lineage it was read at;
- the file names how many forecasts, and options' probabilities, it holds, counted again
  in the database each time;
- the file names the schema's revision and its own format.

The last forecast read is never kept: its probabilities might still come in a later
transaction without changing the lineage. Retractions, questions, resolutions, forecasters
and sources are read afresh every time. Anything wrong with the file (missing, unreadable,
half written, another format) only means reading every forecast again.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from db.columns import INT, MOMENT, PROBABILITY, index_of
from db.kept_files import prune, used, write_whole

FORMAT = 1
MOST_FILES = 8
MOST_BYTES = 1 << 30
"""The folder keeps at most this many files and bytes; the least recently used go first."""
REWRITE_AFTER = 10_000
"""Forecasts added since the file was written that make it worth writing again."""

ORDERED = """
SELECT id, question_id AS q, forecaster_id AS f, made_at FROM forecast
ORDER BY question_id, forecaster_id, made_at, id
"""
"""Every forecast (retracted ones too) in the order the scores take them: SQLite's order
of (question, forecaster, made_at, id), ties in the stored moment's text included."""
ORDERED_COLUMNS = [("id", INT), ("q", INT), ("f", INT), ("made_at", MOMENT)]

VALUES = """
SELECT id, coalesce(probability, -1.0) AS p, recorded_at AS recorded,
       imported * 2 + (quote IS NOT NULL) AS flags, coalesce(source_id, -1) AS source
FROM forecast
"""
"""Every forecast's probability of yes (-1 for multiple choice), when it was recorded,
whether it was imported (2) and quotes a source (1), and its source (-1 for none), in no
order: put in id order here."""
VALUE_COLUMNS = [("id", INT), ("p", PROBABILITY), ("recorded", MOMENT), ("flags", INT)]
VALUE_COLUMNS.append(("source", INT))

VECTORS = "SELECT forecast_id, position, probability AS p FROM forecast_probability"
"""The options' probabilities of multiple-choice forecasts, in no order."""
VECTOR_COLUMNS = [("forecast_id", INT), ("position", INT), ("p", PROBABILITY)]

ADDED = """
SELECT id, question_id AS q, forecaster_id AS f, made_at, coalesce(probability, -1.0) AS p,
       recorded_at AS recorded, imported * 2 + (quote IS NOT NULL) AS flags,
       coalesce(source_id, -1) AS source
FROM forecast WHERE id > {after} ORDER BY id
"""
"""The forecasts after the last one kept, in id order."""
ADDED_COLUMNS = [*ORDERED_COLUMNS, *VALUE_COLUMNS[1:]]
ADDED_VECTORS = VECTORS + " WHERE forecast_id > {after}"
PAIRS_ORDERED = """
SELECT forecast.id
FROM (SELECT DISTINCT question_id, forecaster_id FROM forecast NOT INDEXED WHERE id > {after})
  AS added
CROSS JOIN forecast
  ON forecast.question_id = added.question_id AND forecast.forecaster_id = added.forecaster_id
ORDER BY forecast.question_id, forecast.forecaster_id, forecast.made_at, forecast.id
"""
"""Every forecast of the (question, forecaster) pairs that forecasts after the last one
kept belong to, in the scores' order: what is spliced into the kept order. The forecasts
added are found by id (NOT INDEXED), and each pair's in the pairs' index (CROSS JOIN keeps
that order of the loops): a few milliseconds, where SQLite's own plan scans every forecast."""

LINEAGE = "SELECT lineage FROM data_revision"
MARK = "SELECT mark FROM forecast_mark WHERE forecast_id = ?"
SCHEMA = "SELECT version_num FROM alembic_version"
COUNTS = """
SELECT (SELECT count(*) FROM forecast) - (SELECT count(*) FROM forecast WHERE id > :last),
       (SELECT count(*) FROM forecast_probability)
       - (SELECT count(*) FROM forecast_probability WHERE forecast_id > :last)
"""
"""How many forecasts, and options' probabilities, up to the last kept: all of them (SQLite
counts a whole table from its pages) less those after (a few): about 10 ms at a million
forecasts, where counting up to the last takes 0.1 s."""


@dataclass(frozen=True)
class Forecasts:
    """Every forecast (retracted ones too) as columns in id order, the options'
    probabilities of the multiple-choice ones, and ``order``: the rows in the scores'
    order (question, forecaster, made_at, id, as SQLite orders them)."""

    id: np.ndarray
    q: np.ndarray
    f: np.ndarray
    made: np.ndarray  # seconds since the epoch, to the millisecond
    p: np.ndarray  # probability of yes; -1 for multiple choice
    recorded: np.ndarray
    flags: np.ndarray  # imported * 2 + quotes a source
    source: np.ndarray  # -1 for none
    vector_id: np.ndarray
    vector_position: np.ndarray
    vector_p: np.ndarray
    order: np.ndarray

    def __len__(self) -> int:
        return int(self.id.shape[0])


ROW_COLUMNS = ("id", "q", "f", "made", "p", "recorded", "flags", "source")
VECTOR_NAMES = ("vector_id", "vector_position", "vector_p")
NAMES = (*ROW_COLUMNS, *VECTOR_NAMES, "order")
"""The arrays of a kept file, in the order they follow its header (each as numpy's .npy
format: the file is the header's JSON as bytes, then these)."""


def from_reads(
    ordered: list[np.ndarray], values: list[np.ndarray], vectors: list[np.ndarray]
) -> Forecasts:
    """Every forecast from :data:`ORDERED`, :data:`VALUES` and :data:`VECTORS`."""
    by_id = np.argsort(values[0], kind="stable") if np.any(np.diff(values[0]) <= 0) else None
    if by_id is not None:
        values = [column[by_id] for column in values]
    ids = values[0]
    if ordered[0].shape != ids.shape:
        raise ValueError("the forecasts read in order are not the forecasts read by id")
    at = index_of(ids, ordered[0])
    q = np.empty_like(ordered[1])
    f = np.empty_like(ordered[2])
    made = np.empty_like(ordered[3])
    q[at], f[at], made[at] = ordered[1], ordered[2], ordered[3]
    _, p, recorded, flags, source = values
    return Forecasts(ids, q, f, made, p, recorded, flags, source, *vectors, order=at)


def extend(kept: Forecasts, added: list[np.ndarray], vectors: list[np.ndarray], pairs: np.ndarray):
    """``kept`` with the forecasts ``added`` after its last (:data:`ADDED`, in id order)
    and their options' probabilities; ``pairs`` is :data:`PAIRS_ORDERED`'s answer."""
    if added[0].shape[0] == 0:
        return kept
    if np.any(np.diff(added[0]) <= 0) or (len(kept) and added[0][0] <= kept.id[-1]):
        raise ValueError("the forecasts added do not follow the kept ones in id order")
    rows = {
        name: np.concatenate([getattr(kept, name), column])
        for name, column in zip(ROW_COLUMNS, added, strict=True)
    }
    columns = {
        name: np.concatenate([getattr(kept, name), column])
        for name, column in zip(VECTOR_NAMES, vectors, strict=True)
    }
    q, f, ids = rows["q"], rows["f"], rows["id"]
    low = int(f.min())
    span = int(f.max()) - low + 1
    if int(q.max()) >= (1 << 62) // span or int(q.min()) < 0:
        raise ValueError("question and forecaster ids too large to key their pairs")
    pair = q * span + (f - low)  # increases with (question, forecaster)
    spliced = index_of(ids, pairs)
    untouched = kept.order[~np.isin(pair[kept.order], pair[spliced])]
    at = np.searchsorted(pair[untouched], pair[spliced])  # pair order: kept order's too
    order = np.insert(untouched, at, spliced)
    if order.shape[0] != ids.shape[0]:
        raise ValueError("the forecasts added were not all put in order")
    return Forecasts(**rows, **columns, order=order)


def kept_file(
    connection: sqlite3.Connection, folder: Path, suffix: str = ".columns"
) -> Path | None:
    """The kept file (of ``suffix``) of ``connection``'s database, or None for a database
    not in a file."""
    try:
        files = {name: file for _, name, file in connection.execute("PRAGMA database_list")}
    except sqlite3.Error:
        return None
    path = files.get("main")
    if not path:
        return None
    name = hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:40]
    return folder / f"{name}{suffix}"


def _state(connection: sqlite3.Connection, last: int | None) -> dict[str, Any] | None:
    """What the database says now of kept columns ending at forecast ``last``: its
    schema, lineage and ``last``'s mark, in the caller's read transaction."""
    if not isinstance(last, int):
        return None
    try:
        lineage = connection.execute(LINEAGE).fetchone()
        schema = connection.execute(SCHEMA).fetchone()
        mark = connection.execute(MARK, (last,)).fetchone()
        forecasts, vectors = connection.execute(COUNTS, {"last": last}).fetchone()
    except sqlite3.Error:  # an older schema, without marks: nothing is kept
        return None
    if lineage is None or not isinstance(lineage[0], bytes) or schema is None or mark is None:
        return None
    return {
        "format": FORMAT,
        "schema": schema[0],
        "lineage": lineage[0].hex(),
        "last": last,
        "mark": mark[0],
        "forecasts": forecasts,
        "vectors": vectors,
    }


def load(connection: sqlite3.Connection, folder: Path) -> Forecasts | None:
    """The kept forecasts of ``connection``'s database, if they are still its first
    forecasts (in the caller's read transaction), else None."""
    path = kept_file(connection, folder)
    if path is None:
        return None
    try:
        forecasts, header = _read(path, connection)
    except Exception:  # a kept file is only a shortcut: anything wrong, read the database
        return None
    if forecasts is None or not _whole(forecasts, header):
        return None
    used(path)
    return forecasts


def _read(path: Path, connection: sqlite3.Connection) -> tuple[Forecasts | None, dict]:
    """The kept file's forecasts, if its header is what the database says now (read
    first: a file of no use is not read further), and its header."""
    with path.open("rb") as kept:
        header = json.loads(bytes(np.load(kept, allow_pickle=False)).decode())
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return None, {}
        if _state(connection, header.get("last")) != header:
            return None, header
        arrays = {name: np.load(kept, allow_pickle=False) for name in NAMES}
        if kept.read(1):
            return None, header
    return Forecasts(**arrays), header


def _whole(forecasts: Forecasts, header: dict) -> bool:
    """The arrays are as many as the header says, and the order is of these rows."""
    n = len(forecasts)
    return not (
        any(getattr(forecasts, name).shape != (n,) for name in ROW_COLUMNS)
        or n != header["forecasts"]
        or any(getattr(forecasts, name).shape != (header["vectors"],) for name in VECTOR_NAMES)
        or forecasts.order.shape != (n,)
        or n == 0
        or int(forecasts.id[-1]) != header["last"]
        or int(forecasts.order.min()) < 0
        or int(forecasts.order.max()) >= n
    )


def save(connection: sqlite3.Connection, folder: Path, forecasts: Forecasts) -> None:
    """Keep ``forecasts`` but the last (read in the caller's read transaction) for the next
    read; written whole or not at all, and nothing when it cannot be."""
    path = kept_file(connection, folder)
    if path is None or len(forecasts) < 2:
        return
    last = int(forecasts.id[-2])
    state = _state(connection, last)
    n = len(forecasts) - 1
    held = forecasts.vector_id <= last
    if state is None or state["forecasts"] != n or state["vectors"] != int(held.sum()):
        return  # not what this transaction reads: keep nothing
    arrays = {name: getattr(forecasts, name)[:n] for name in ROW_COLUMNS}
    arrays |= {name: getattr(forecasts, name)[held] for name in VECTOR_NAMES}
    arrays["order"] = forecasts.order[forecasts.order != n]

    def write(out: BinaryIO) -> None:
        np.save(out, np.frombuffer(json.dumps(state).encode(), dtype=np.uint8))
        for name in NAMES:
            np.save(out, arrays[name], allow_pickle=False)

    if write_whole(path, write):
        prune(folder, suffix=".columns", most_files=MOST_FILES, most_bytes=MOST_BYTES)
    # else a cache folder that cannot be written: every forecast is read each time


def worth_saving(kept: Forecasts | None, forecasts: Forecasts) -> bool:
    """Nothing was kept, or enough was added since to write the file again."""
    return kept is None or len(forecasts) - len(kept) >= REWRITE_AFTER


def default_folder() -> Path:
    """Where forecasts' columns are kept: the user's cache folder."""
    from platformdirs import user_cache_path

    return user_cache_path("forecasts", appauthor=False) / "columns"
