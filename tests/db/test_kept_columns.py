"""Forecasts' columns kept between loads (db/kept_columns.py): whatever was written since,
and however the file came to be where it is, a load with the kept columns gives exactly
what reading every forecast afresh gives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from db import kept_columns, scores
from forecasts.drafts import Merge, QuestionEdit, Retract
from tests.conftest import NOW as CLOCK
from tests.conftest import add_forecaster, add_question, log, resolve
from tests.db.test_columns import NOW, _same, _varied

COPY_ROW = """
INSERT INTO forecast (id, question_id, forecaster_id, made_at, made_at_precision, probability,
                      inferred, rationale, recorded_at)
SELECT ?, question_id, forecaster_id, made_at, made_at_precision, ?, inferred, rationale,
       recorded_at
FROM forecast WHERE id = ?
"""
"""A forecast written by another program, with the id it chooses: a copy of one binary
forecast with another probability."""


def _load(path: Path, keep: Path | None, **options) -> scores.ScoringData:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    try:
        return scores.load(connection, keep=keep, **{"now": NOW, "with_outlets": True} | options)
    finally:
        connection.close()


def _checked(path: Path, keep: Path) -> scores.ScoringData:
    """The load with kept columns, checked against a fresh read of every forecast."""
    kept = _load(path, keep)
    _same(kept, _load(path, None))
    return kept


def _kept_file(keep: Path) -> Path:
    files = list(keep.glob("*.columns"))
    assert len(files) == 1, files
    return files[0]


@pytest.fixture
def always_rewrite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Write the kept file again on every load, so that each test's later writes are
    checked against a file that holds the forecasts before them."""
    monkeypatch.setattr(kept_columns, "REWRITE_AFTER", 0)


def _binary(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT forecast.id FROM forecast JOIN question ON question.id = question_id "
            "WHERE question.kind = 'binary' ORDER BY forecast.id LIMIT 1"
        ).fetchone()[0]


def _write(path: Path, statements: list[tuple[str, tuple]]) -> None:
    with sqlite3.connect(path, isolation_level=None) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("BEGIN IMMEDIATE")
        for sql, parameters in statements:
            connection.execute(sql, parameters)
        connection.execute("COMMIT")


def _multiple_choice(path: Path) -> tuple[int, int]:
    """A multiple-choice question with its number of options, and a forecast on it."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT forecast.id, count(*) FROM forecast "
            "JOIN forecast_probability ON forecast_id = forecast.id "
            "GROUP BY forecast.id ORDER BY forecast.id LIMIT 1"
        ).fetchone()


def test_the_first_load_keeps_the_forecasts_but_the_last_and_the_next_reads_only_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    _checked(path, keep)
    kept = kept_columns.load(sqlite3.connect(path), keep)
    assert kept is not None
    with sqlite3.connect(path) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM forecast ORDER BY id")]
    assert kept.id.tolist() == ids[:-1]  # the last one's options might still come
    seen = []
    real = kept_columns.extend

    def extend(kept, added, *rest):
        seen.append(added)
        return real(kept, added, *rest)

    monkeypatch.setattr(kept_columns, "extend", extend)
    _checked(path, keep)
    assert [added[0].tolist() for added in seen] == [[ids[-1]]]


@pytest.mark.usefixtures("always_rewrite")
def test_every_kind_of_write_is_seen(tmp_path: Path) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    before = _checked(path, keep)
    made = datetime(2025, 6, 1, tzinfo=UTC)
    question = add_question(
        repo, title="Kept?", criteria="Yes if so.", close_at=made + timedelta(days=30)
    ).id
    add_forecaster(repo, name="Zed")
    add_forecaster(repo, name="Ann")
    writes: list[Callable[[], object]] = [
        lambda: log(repo, question=question, forecaster="Zed", probability=0.41, made_at=made),
        lambda: log(repo, question=question, forecaster="Ann", probability=0.7, made_at=made),
        lambda: log(repo, question=question, forecaster="Zed", probability=0.43, made_at=made),
        lambda: repo.retract(Retract(forecast_id=7, reason="a slip")),
        lambda: resolve(repo, question=question, outcome="yes", resolved_at=made + timedelta(1)),
        lambda: repo.edit_question(
            QuestionEdit.parse(repo.question(ref=question), now=CLOCK, tags="kept")
        ),
        lambda: repo.merge_forecasters(Merge(source=4, target=5, reason="one person")),
    ]
    for write in writes:
        write()
        _checked(path, keep)
    after = _load(path, keep)
    seen = len(after.forecasts) + after.backdated
    assert seen == len(before.forecasts) + before.backdated + 3 - 1  # 3 written, 1 retracted
    assert int(after.questions.outcome[-1]) == 0  # the new question, resolved yes


@pytest.mark.usefixtures("always_rewrite")
def test_a_forecast_written_below_the_last_id_changes_the_lineage(tmp_path: Path) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    with sqlite3.connect(path) as connection:
        last = connection.execute("SELECT max(id) FROM forecast").fetchone()[0]
    binary = _binary(path)
    ids_skipped = [(COPY_ROW, (last + 100, 0.2, binary)), (COPY_ROW, (last + 101, 0.3, binary))]
    _write(path, ids_skipped)
    _checked(path, keep)
    kept = kept_columns.load(sqlite3.connect(path), keep)
    assert kept is not None and kept.id[-1] == last + 100
    lineage = _lineage(path)
    _write(path, [(COPY_ROW, (last + 50, 0.8, binary))])  # into the gap, below the last kept
    assert _lineage(path) != lineage
    assert kept_columns.load(sqlite3.connect(path), keep) is None
    data = _checked(path, keep)
    assert 0.8 in data.forecasts.p[:, 0]


def _lineage(path: Path) -> bytes:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT lineage FROM data_revision").fetchone()[0]


def test_options_written_for_a_kept_forecast_change_the_lineage(tmp_path: Path) -> None:
    """The options' probabilities of a forecast that is not the last one come after it:
    written by another program, or by a repository that writes several forecasts at once.
    (A load fails while a multiple-choice forecast lacks them, so only the last forecast,
    never kept, can be without them when columns are kept.)"""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    forecast, options = _multiple_choice(path)
    _checked(path, keep)
    lineage = _lineage(path)
    add = "INSERT INTO forecast_probability (forecast_id, position, probability) VALUES (?, ?, ?)"
    _write(path, [(add, (forecast, options, 0.0))])  # one more than its question has
    assert _lineage(path) != lineage
    assert kept_columns.load(sqlite3.connect(path), keep) is None
    _checked(path, keep)


def test_options_written_with_their_forecast_keep_the_lineage(tmp_path: Path) -> None:
    path = tmp_path / "varied.db"
    repo = _varied(path)
    lineage = _lineage(path)
    with sqlite3.connect(path) as connection:
        question, created = connection.execute(
            "SELECT question.id, created_at FROM question_option "
            "JOIN question ON question.id = question_id GROUP BY question_id LIMIT 1"
        ).fetchone()
        labels = [
            label
            for (label,) in connection.execute(
                "SELECT label FROM question_option WHERE question_id = ? ORDER BY position",
                (question,),
            )
        ]
    shares = [0.5] + [0.5 / (len(labels) - 1)] * (len(labels) - 1)
    made = datetime.fromisoformat(created).replace(tzinfo=UTC) + timedelta(seconds=1)
    log(repo, question=question, forecaster=1, probabilities=shares, made_at=made)
    assert _lineage(path) == lineage


def _copy(source: Path, target: Path) -> None:
    """The whole database, as SQLite's backup copies it (a file copy, with the log)."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


@pytest.mark.usefixtures("always_rewrite")
@pytest.mark.parametrize("how", ["a copy that went its own way", "a backup put back"])
def test_another_file_at_the_same_place_does_not_get_the_kept_columns(
    tmp_path: Path, how: str
) -> None:
    """The same forecast ids, the same lineage, the same numbers of forecasts and options:
    only the last kept forecast's mark tells the two files apart."""
    path, keep, other = tmp_path / "varied.db", tmp_path / "kept", tmp_path / "other.db"
    _varied(path)
    _copy(path, other)
    binary = _binary(path)
    with sqlite3.connect(path) as connection:
        last = connection.execute("SELECT max(id) FROM forecast").fetchone()[0]
    ids = range(last + 1, last + 4)
    _write(path, [(COPY_ROW, (i, 0.25, binary)) for i in ids])
    if how == "a copy that went its own way":
        _write(other, [(COPY_ROW, (i, 0.75, binary)) for i in ids])
    _checked(path, keep)
    assert kept_columns.load(sqlite3.connect(path), keep) is not None
    _copy(other, path)
    if how == "a backup put back":  # then as many forecasts written again
        _write(path, [(COPY_ROW, (i, 0.75, binary)) for i in ids])
    assert kept_columns.load(sqlite3.connect(path), keep) is None
    _checked(path, keep)
    with sqlite3.connect(path) as connection:
        written = connection.execute(
            "SELECT group_concat(probability) FROM forecast WHERE id > ?", (last,)
        ).fetchone()[0]
    assert written == "0.75,0.75,0.75"


def test_a_bulk_write_changes_the_lineage_and_marks_what_it_wrote(tmp_path: Path) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    _checked(path, keep)
    assert kept_columns.load(sqlite3.connect(path), keep) is not None
    binary = _binary(path)
    with sqlite3.connect(path) as connection:
        last = connection.execute("SELECT max(id) FROM forecast").fetchone()[0]
    with repo.raw_transaction() as cursor:  # the importers' and generators' way
        cursor.execute(COPY_ROW, (last + 1, 0.6, binary))
    assert kept_columns.load(sqlite3.connect(path), keep) is None
    with sqlite3.connect(path) as connection:
        unmarked = connection.execute(
            "SELECT count(*) FROM forecast WHERE id NOT IN (SELECT forecast_id FROM forecast_mark)"
        ).fetchone()[0]
    assert unmarked == 0
    _checked(path, keep)
    assert kept_columns.load(sqlite3.connect(path), keep) is not None


DAMAGES = pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"",
        lambda data: data + b"more",
        lambda data: data[:200] + bytes(len(data) - 200),
        lambda data: b"\x93NUMPY" + data[6:100],
    ],
    ids=["cut in half", "empty", "trailing bytes", "zeroed", "a broken header"],
)
"""What a kept file may come to: half written, emptied, added to, zeroed, its header broken."""


@DAMAGES
def test_a_damaged_kept_file_means_reading_every_forecast_again(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    _checked(path, keep)
    file = _kept_file(keep)
    file.write_bytes(damage(file.read_bytes()))
    _checked(path, keep)
    assert kept_columns.load(sqlite3.connect(path), keep) is not None  # written again


def test_a_folder_that_cannot_be_written_keeps_nothing(tmp_path: Path) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    keep.write_text("a file where the folder would be")
    _checked(path, keep)
    assert keep.read_text() == "a file where the folder would be"


def test_the_folder_keeps_the_most_recently_used_files(tmp_path: Path) -> None:
    keep = tmp_path / "kept"
    keep.mkdir()
    for i in range(12):
        (keep / f"{i}.columns").write_bytes(bytes(10))
        stamp = 1_700_000_000 + i
        os.utime(keep / f"{i}.columns", (stamp, stamp))
    (keep / "left.part").write_bytes(b"")
    os.utime(keep / "left.part", (1_700_000_000, 1_700_000_000))
    kept_columns.prune(keep, suffix=".columns", most_files=8, most_bytes=1 << 30)
    assert sorted(p.name for p in keep.iterdir()) == sorted(f"{i}.columns" for i in range(4, 12))
    kept_columns.prune(keep, suffix=".columns", most_files=8, most_bytes=35)
    assert sorted(p.name for p in keep.iterdir()) == ["10.columns", "11.columns", "9.columns"]


def test_an_in_memory_database_keeps_nothing(tmp_path: Path) -> None:
    connection = sqlite3.connect(":memory:")
    assert kept_columns.load(connection, tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_pairs_are_spliced_into_the_kept_order() -> None:
    """Two kept forecasts of (question 1, forecaster 2), one of (1, 3); the added ones go
    to (1, 2) between the kept two, to a new pair (1, 1) before all, and to (2, 1) after."""

    def forecasts(ids, q, f, made):
        n = len(ids)
        zeros = np.zeros(n)
        return kept_columns.Forecasts(
            np.array(ids), np.array(q), np.array(f), np.array(made, dtype=float), zeros,
            zeros, np.zeros(n, dtype=np.int64), np.full(n, -1), np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64), np.zeros(0), order=np.array([0, 2, 1][:n]),
        )  # fmt: skip

    kept = forecasts([1, 2, 3], [1, 1, 1], [2, 3, 2], [10.0, 5.0, 30.0])
    added = [np.array([4, 5, 6]), np.array([1, 1, 2]), np.array([2, 1, 1])]
    added += [np.array([20.0, 1.0, 1.0]), np.zeros(3), np.zeros(3)]
    added += [np.zeros(3, dtype=np.int64), np.full(3, -1)]
    pairs = np.array([5, 1, 4, 3, 6])  # (1, 1); (1, 2) in time order; (2, 1)
    vectors = [np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)]
    extended = kept_columns.extend(kept, added, vectors, pairs)
    assert extended.id[extended.order].tolist() == [5, 1, 4, 3, 2, 6]


def test_a_kept_forecast_never_outlives_a_new_day(tmp_path: Path) -> None:
    """What the columns hold does not depend on the clock: a load on a later day with the
    same kept file scores what a fresh read scores."""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    _checked(path, keep)
    later = NOW + timedelta(days=400)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    with_kept = scores.load(connection, now=later, keep=keep)
    fresh = scores.load(connection, now=later)
    connection.close()
    _same(with_kept, fresh)


@pytest.mark.usefixtures("always_rewrite")
def test_moments_stored_in_another_form_are_read_by_rows(tmp_path: Path) -> None:
    """Another program stores a forecast's moment with a "T": its text sorts after a later
    moment's (" " < "T"), so SQLite's order is not the moments' order. The rows are then
    read one by one in SQLite's order, first and after a write (the scores sort by time)."""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    binary = _binary(path)
    with sqlite3.connect(path) as connection:
        last = connection.execute("SELECT max(id) FROM forecast").fetchone()[0]
        made = connection.execute("SELECT made_at FROM forecast WHERE id = ?", (binary,))
        moment = datetime.fromisoformat(made.fetchone()[0])
    later = (moment + timedelta(hours=2)).isoformat(sep=" ", timespec="microseconds")
    earlier = (moment + timedelta(hours=1)).isoformat(sep="T", timespec="seconds")
    at = COPY_ROW.replace(
        "SELECT ?, question_id, forecaster_id, made_at,", "SELECT ?, question_id, forecaster_id, ?,"
    )
    _write(
        path, [(at, (last + 1, later, 0.6101, binary)), (at, (last + 2, earlier, 0.6202, binary))]
    )
    _checked(path, keep)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    data = scores.load(connection, now=NOW, include_backdated=True, keep=keep)
    connection.close()
    first, second = (np.flatnonzero(data.forecasts.p[:, 0] == p)[0] for p in (0.6101, 0.6202))
    assert first < second  # SQLite's order: the texts'
    assert data.forecasts.time[second] < data.forecasts.time[first]  # the moments' order
    _write(path, [(at, (last + 3, later, 0.6303, binary))])
    _checked(path, keep)


KILLED_WHILE_SAVING = """
import os, signal, sqlite3, sys
from datetime import datetime, UTC
from pathlib import Path
import numpy as np
from db import kept_columns, scores

real = np.save
arrays = []

def dying(file, array, **options):
    arrays.append(array)
    if len(arrays) == 6:  # the header and four columns written: killed there
        os.kill(os.getpid(), signal.SIGKILL)
    real(file, array, **options)

kept_columns.REWRITE_AFTER = 0
kept_columns.np.save = dying
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN")
scores.load(connection, now=datetime(2026, 11, 23, tzinfo=UTC), keep=Path(sys.argv[2]))
"""


@pytest.mark.parametrize("kept_before", [False, True], ids=["first", "rewriting"])
def test_a_process_killed_while_it_keeps_the_columns_leaves_a_usable_folder(
    tmp_path: Path, kept_before: bool
) -> None:
    """SIGKILL halfway through writing the file: a half-written part is left beside what
    was kept before (if anything), and the next load reads rightly."""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    if kept_before:
        _checked(path, keep)
        _write(path, [(COPY_ROW, (10_000, 0.5, _binary(path)))])
    done = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_SAVING, str(path), str(keep)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(list(keep.glob("*.part"))) == 1
    assert len(list(keep.glob("*.columns"))) == (1 if kept_before else 0)
    _checked(path, keep)
    assert kept_columns.load(sqlite3.connect(path), keep) is not None
