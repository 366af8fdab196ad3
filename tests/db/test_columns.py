"""Scores read their million rows as columns (db/columns.py): every number exactly as the
plain per-row read gives it, in the same order, and a second connection helps only when it
sees the same state of the database as the caller's read transaction."""

from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import columns, kept_columns, scores
from db.columns import INT, MOMENT, PROBABILITY
from db.demo import write_demo
from db.repository import Repository
from forecasts.drafts import Merge, Retract
from tests.conftest import add_forecaster, add_source, log

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _table(values: list[tuple], kind: str) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, v {kind})")
    connection.executemany("INSERT INTO t (v) VALUES (?)", values)
    return connection


probabilities = st.one_of(
    st.floats(0.0, 1.0),
    st.floats(0.0, 2.0**-10),  # too small to read as p * 2**62
    st.sampled_from([0.0, 1.0, -1.0, 2.0**-10, 5e-324, 0.1, 1 / 3, 0.07]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(probabilities, max_size=40))
def test_probabilities_come_back_bit_for_bit(values: list[float]) -> None:
    connection = _table([(v,) for v in values], "REAL")
    (read,) = columns.read(connection.cursor(), "SELECT v FROM t ORDER BY id", [("v", PROBABILITY)])
    assert read.dtype == np.float64
    assert read.tobytes() == np.array(values, dtype=np.float64).tobytes()


moments = st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1))


@settings(max_examples=200, deadline=None)
@given(st.lists(moments, max_size=30))
def test_moments_are_the_plain_reads_to_the_millisecond(values: list[datetime]) -> None:
    stored = [(moment.strftime("%Y-%m-%d %H:%M:%S.%f"),) for moment in values]
    connection = _table(stored, "DATETIME")
    source = "SELECT v FROM t ORDER BY id"
    (fast,) = columns.read(connection.cursor(), source, [("v", MOMENT)])
    (plain,) = columns.read_rows(connection.cursor(), source, [("v", MOMENT)])
    assert fast.tobytes() == plain.tobytes()
    # by hand: seconds since the epoch, to the millisecond (the half rounds up, as SQLite's)
    for moment, seconds in zip(values, fast.tolist(), strict=True):
        exact = (moment - datetime(1970, 1, 1)) / timedelta(microseconds=1)
        assert seconds * 1000 == pytest.approx(exact / 1000, abs=0.5 + 1e-6)


def test_integers_and_an_empty_answer() -> None:
    connection = _table([(-(2**62),), (0,), (2**62,)], "INTEGER")
    (read,) = columns.read(connection.cursor(), "SELECT v FROM t ORDER BY id", [("v", INT)])
    assert read.tolist() == [-(2**62), 0, 2**62]
    (empty,) = columns.read(connection.cursor(), "SELECT v FROM t WHERE 0", [("v", INT)])
    assert empty.dtype == np.int64 and empty.shape == (0,)


def _file_with_token(path: Path) -> sqlite3.Connection:
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE data_revision (token BLOB)")
    setup.execute("INSERT INTO data_revision VALUES (randomblob(16))")
    setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    setup.executemany("INSERT INTO t (v) VALUES (?)", [(i,) for i in range(100)])
    setup.close()
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()  # the read transaction's state
    return reader


def _write(path: Path) -> None:
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t (v) VALUES (1000)")
    writer.execute("UPDATE data_revision SET token = randomblob(16)")
    writer.execute("COMMIT")
    writer.close()


JOB = ("SELECT v FROM t ORDER BY id", [("v", INT)])


def test_a_second_connection_helps_while_nothing_was_written(tmp_path: Path) -> None:
    reader = _file_with_token(tmp_path / "a.db")
    helper = columns._second_connection(reader)
    assert helper is not None
    helper.close()
    mine, beside = columns.read_all(reader, [JOB], [JOB])
    assert mine[0].tolist() == beside[0].tolist() == list(range(100))


def test_after_a_write_every_query_reads_the_callers_state(tmp_path: Path) -> None:
    reader = _file_with_token(tmp_path / "a.db")
    _write(tmp_path / "a.db")  # committed after the reader's state was taken
    assert columns._second_connection(reader) is None
    mine, beside = columns.read_all(reader, [JOB], [JOB])
    assert mine[0].tolist() == beside[0].tolist() == list(range(100))  # not the new row
    reader.rollback()
    reader.execute("BEGIN")
    (now_read,) = columns.read_all(reader, [], [JOB])
    assert now_read[0].tolist() == [*range(100), 1000]


def test_an_in_memory_database_reads_on_its_one_connection() -> None:
    connection = _table([(1,), (2,)], "INTEGER")
    assert columns._second_connection(connection) is None
    mine, beside = columns.read_all(connection, [JOB], [JOB])
    assert mine[0].tolist() == beside[0].tolist() == [1, 2]


def _varied(path: Path) -> Repository:
    """A generated record, then what a generated one lacks: a retraction, a merge, a tiny
    probability, a quoted source, two forecasts in the same millisecond."""
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    write_demo(repo, questions=300, forecasters=12, forecasts=4000, seed=3)
    source = add_source(
        repo, text="Analysts say it is unlikely.", title="Herald", published_on=date(2025, 1, 2)
    )
    experts = add_forecaster(repo, name="Herald analysts", kind="group")
    with sqlite3.connect(path) as connection:
        binary = connection.execute(
            "SELECT id, created_at FROM question WHERE kind = 'binary' LIMIT 3"
        ).fetchall()
    first = [
        datetime.fromisoformat(created).replace(microsecond=100, tzinfo=UTC) + timedelta(seconds=1)
        for _, created in binary
    ]
    for question, p, made_at in [
        (binary[0][0], 0.0001, first[0]),
        (binary[0][0], 1e-7, first[0] + timedelta(microseconds=300)),  # the same millisecond
        (binary[1][0], 0.3, first[1]),
        (binary[2][0], 0.999, first[2]),
    ]:
        log(
            repo,
            question=question,
            source=source.id,
            forecaster=experts.id,
            probability=p,
            made_at=made_at,
            quote="it is unlikely",
        )
    repo.retract(Retract(forecast_id=5, reason="a slip"))
    repo.retract(Retract(forecast_id=4003, reason="a slip"))
    repo.merge_forecasters(Merge(source=3, target=2, reason="the same person"))
    return repo


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise columns.ColumnsUnreadable("read the plain way")

    monkeypatch.setattr(columns, "read_all", refuse)


def _same(fast: scores.ScoringData, plain: scores.ScoringData) -> None:
    for name in ("question", "forecaster", "time", "p"):
        a, b = getattr(fast.forecasts, name), getattr(plain.forecasts, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
    for name in (f.name for f in fields(fast.questions)):
        assert np.array_equal(getattr(fast.questions, name), getattr(plain.questions, name), True)
    for name in ("question_ids", "forecaster_ids", "forecast_outlet", "tag_question", "tag_index"):
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name
    for name in ("forecaster_names", "outlets", "tags", "backdated", "steady"):
        assert getattr(fast, name) == getattr(plain, name), name


@pytest.mark.parametrize("through", ["light connection", "engine"])
def test_the_fast_read_is_the_plain_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, through: str
) -> None:
    path = tmp_path / "varied.db"
    repo = _varied(path)

    def load(**options):
        if through == "engine":
            return scores.load(repo.engine, now=NOW, with_outlets=True, **options)
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN")
        try:
            return scores.load(connection, now=NOW, with_outlets=True, **options)
        finally:
            connection.close()

    fast = [load(), load(include_backdated=True)]
    assert len(fast[1].forecasts) == 4000 + 4 - 2  # less the two retracted
    assert fast[1].forecasts.p.shape[1] > 2  # multiple choice among them
    assert 1e-7 in fast[1].forecasts.p[:, 0] and 0.0001 in fast[1].forecasts.p[:, 0]
    with monkeypatch.context() as patch:
        _plain(patch)
        plain = [load(), load(include_backdated=True)]
    for a, b in zip(fast, plain, strict=True):
        _same(a, b)


def test_rows_out_of_order_are_read_again_the_plain_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should SQLite ever hand group_concat the rows in another order than the subquery's
    ORDER BY, the check sees it and the rows are read the plain way."""
    path = tmp_path / "varied.db"
    repo = _varied(path)
    expected = scores.load(repo.engine, now=NOW)
    real = columns.read_all

    def shuffled(connection, mine, beside):
        answers = real(connection, mine, beside)
        return [[column[::-1] for column in answer] for answer in answers]

    monkeypatch.setattr(columns, "read_all", shuffled)
    _same(scores.load(repo.engine, now=NOW), expected)


def test_a_column_longer_than_sqlites_longest_text_is_read_by_rows(tmp_path: Path) -> None:
    """SQLite refuses a text over its length limit (a billion bytes by default, some 50
    million rows): the scores then read the rows the plain way, to the same numbers."""
    path = tmp_path / "varied.db"
    repo = _varied(path)
    expected = scores.load(repo.engine, now=NOW)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 5000)  # 4,000 forecasts' ids are longer
    connection.execute("BEGIN")
    with pytest.raises(columns.ColumnsUnreadable):
        columns.read(connection.cursor(), kept_columns.ORDERED, kept_columns.ORDERED_COLUMNS)
    _same(scores.load(connection, now=NOW), expected)
    connection.close()


@pytest.mark.parametrize(
    "ids", [[4, 5, 6, 7], [3, 9, 40, 41], [41, 3, 40, 9]], ids=["no gaps", "gaps", "unsorted"]
)
def test_values_read_beside_are_put_in_the_forecasts_order(ids: list[int]) -> None:
    """The forecasts read in the scores' order and their values read by id (in no order)
    meet in id order, with the scores' order kept beside them."""
    wanted = sorted(ids)[::-1]  # the order the scores take them in
    ordered = [np.array(wanted), np.array(wanted) * 2, np.array(wanted) * 3, np.array(wanted) / 4]
    values = [np.array(ids), *(np.array(ids) * k for k in (10, 20, 30, 40))]
    vectors = [np.zeros(0, dtype=np.int64)] * 2 + [np.zeros(0)]
    got = kept_columns.from_reads(ordered, values, vectors)
    assert got.id.tolist() == sorted(ids)
    assert got.id[got.order].tolist() == wanted
    assert got.p[got.order].tolist() == [i * 10 for i in wanted]
    assert got.q[got.order].tolist() == [i * 2 for i in wanted]
    with pytest.raises(ValueError, match="not among"):
        kept_columns.from_reads([np.array([max(ids) + 1] * 4), *ordered[1:]], values, vectors)


def test_ids_are_found_with_gaps_or_without() -> None:
    assert columns.index_of(np.array([3, 4, 5]), np.array([5, 3])).tolist() == [2, 0]
    assert columns.index_of(np.array([3, 7, 9]), np.array([9, 3])).tolist() == [2, 0]
    for missing in ([6], [2], [10]):
        with pytest.raises(ValueError, match="not among"):
            columns.index_of(np.array([3, 7, 9]), np.array(missing))
        with pytest.raises(ValueError, match="not among"):
            columns.index_of(np.array([3, 4, 5]), np.array(missing))
