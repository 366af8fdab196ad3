"""Scores kept between commands (cli/score_cache.py): printed again while nothing changed,
worked out again after any write, when the clock passes a scoring end, with new scoring
code, from a damaged file, and never shared between two database files."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import score_cache
from cli.app import app
from db import scores as db_scores
from db.light import open_reader
from db.repository import Repository
from tests.conftest import add_question, log, resolve

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
runner = CliRunner()


def printed(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def record(tmp_path: Path):
    db = tmp_path / "kept.db"
    clock = [T0]
    repository = Repository.open(f"sqlite:///{db}", clock=lambda: clock[0])
    for title in ("First?", "Second?"):
        add_question(repository, title=title, criteria="Yes if so.", close_at=T0 + 10 * DAY)
    log(repository, question=1, probability=0.8, made_at=T0, forecaster="Ann",
        new_forecaster_kind="person")  # fmt: skip
    clock[0] = T0 + 10 * DAY
    resolve(repository, question=1, outcome="yes", resolved_at=T0 + 10 * DAY)
    return db, repository, clock


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the scores were worked out (loaded from the database)."""
    calls: list[int] = []
    real = db_scores.load

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(db_scores, "load", counted)
    return calls


COMMANDS = [
    ("score", "--json", "--min-questions", "1"),
    ("score", "--by", "tag"),
    ("calibration", "--json"),
    ("calibration",),
]


@pytest.mark.parametrize("command", COMMANDS)
def test_asked_again_the_same_output_is_printed_without_working_it_out(
    record, loads, command
) -> None:
    db, repository, clock = record
    first = printed(db, *command)
    assert printed(db, *command) == first
    assert len(loads) == 1
    clock[0] = T0 + DAY  # recorded when it was made: not backdated
    log(repository, question=1, probability=0.6, made_at=T0 + DAY, forecaster="Ann")
    again = printed(db, *command)
    assert len(loads) == 2 and printed(db, *command) == again
    if command[0] == "score" and "--json" in command:
        rows = json.loads(again)["rows"]
        # Ann: 0.8 (score 0.08) for one day, then 0.6 (score 0.32) for nine
        assert rows[0]["brier"] == pytest.approx((0.08 + 9 * 0.32) / 10)


def test_each_option_keeps_its_own_output(record, loads) -> None:
    db, _, _ = record
    outputs = {command: printed(db, *command) for command in COMMANDS}
    assert len(set(outputs.values())) == len(COMMANDS) and len(loads) == len(COMMANDS)
    assert {command: printed(db, *command) for command in COMMANDS} == outputs
    assert len(loads) == len(COMMANDS)


def test_the_clock_passing_a_scoring_end_works_the_scores_out_again(record) -> None:
    """Question 2 resolved on day 20, read by a reader whose clock stands at day 15 (a
    clock set back): not scored until day 20, so what is kept at day 15 holds until then."""
    db, repository, clock = record
    log(repository, question=2, probability=0.4, made_at=T0, forecaster="Ann")
    clock[0] = T0 + 20 * DAY
    resolve(repository, question=2, outcome="no", resolved_at=T0 + 9 * DAY)
    worked: list[tuple[float, float]] = []

    def scores_at(moment: datetime) -> str:
        reader = open_reader(str(db), clock=lambda: moment)
        assert reader is not None
        try:

            def work_out():
                data = db_scores.load(reader.connection, now=moment)
                worked.append(data.steady)
                return str(sorted(data.questions.outcome.tolist())), data.steady

            return score_cache.kept_output(reader, "test", {}, work_out)
        finally:
            reader.close()

    assert scores_at(T0 + 9 * DAY + timedelta(hours=1)) == "[-1, 1]"  # question 1 not yet
    end = (T0 + 9 * DAY).timestamp()
    assert worked == [(end, (T0 + 10 * DAY).timestamp())]
    assert scores_at(T0 + 9 * DAY + timedelta(hours=2)) == "[-1, 1]"
    assert len(worked) == 1  # kept: nothing reaches its end in between
    assert scores_at(T0 + 10 * DAY) == "[0, 1]"  # question 1's end reached: worked out
    assert len(worked) == 2
    assert scores_at(T0 + 9 * DAY + timedelta(hours=1)) == "[-1, 1]"  # the clock set back
    assert len(worked) == 3


def test_new_code_a_damaged_file_or_one_that_cannot_be_written_works_them_out(
    record, loads, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db, _, _ = record
    command = ("score", "--json", "--min-questions", "1")
    first = printed(db, *command)
    files = list(score_cache.Kept(db.resolve(), "score", {}).file.parent.glob("*.txt"))
    assert len(files) == 1 and len(loads) == 1
    monkeypatch.setattr(score_cache, "code_fingerprint", lambda: "other code")
    assert printed(db, *command) == first and len(loads) == 2
    for damaged in ("", "{}\n", "not json\nrest", files[0].read_text(encoding="utf-8")[:40]):
        files[0].write_text(damaged, encoding="utf-8")
        assert printed(db, *command) == first
    assert len(loads) == 6
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert printed(db, *command) == first and printed(db, *command) == first
    assert len(loads) == 8


def test_a_copy_of_the_database_keeps_scores_of_its_own(record, loads, tmp_path: Path) -> None:
    db, _, _ = record
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as original, sqlite3.connect(copy) as copied:
        original.backup(copied)  # the same data and the same revision token
    command = ("score", "--json", "--min-questions", "1")
    first = printed(db, *command)
    assert printed(copy, *command) == first and len(loads) == 2
    moved = Repository.open(f"sqlite:///{copy}", clock=lambda: T0 + 10 * DAY)
    log(moved, question=1, probability=0.1, made_at=T0 + DAY, forecaster="Ann")
    assert printed(copy, *command) != first
    assert printed(db, *command) == first and len(loads) == 3


def _kept_files() -> list[Path]:
    from platformdirs import user_cache_path

    return sorted((user_cache_path("forecasts", appauthor=False) / "scores").glob("*.txt"))


def test_the_kept_files_stay_few_the_least_recently_used_going_first(
    record, loads, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _, _ = record
    monkeypatch.setattr(score_cache, "MOST_FILES", 3)
    an_hour_ago = time.time() - 3600
    first = ("score", "--json", "--min-questions", "1")
    for n, command in enumerate(
        [first, *(("score", "--json", "--min-questions", m) for m in "23")]
    ):
        before = set(_kept_files())
        printed(db, *command)
        (written,) = set(_kept_files()) - before
        os.utime(written, (an_hour_ago + n, an_hour_ago + n))  # used in the order written
    assert len(_kept_files()) == 3 and len(loads) == 3
    printed(db, *first)  # printed again from what was kept: now the most recently used
    assert len(loads) == 3
    printed(db, "score", "--min-questions", "1")  # a fourth: one must go, not the first
    assert len(_kept_files()) == 3 and len(loads) == 4
    printed(db, *first)
    assert len(loads) == 4  # still kept
    printed(db, "score", "--json", "--min-questions", "2")
    assert len(loads) == 5  # the least recently used went


def test_pruning_keeps_the_most_recent_within_files_and_bytes(tmp_path: Path) -> None:
    now = time.time()
    for i, size in enumerate([10, 20, 30, 40, 50]):
        path = tmp_path / f"{i}.txt"
        path.write_bytes(b"x" * size)
        os.utime(path, (now - 100 * i, now - 100 * i))  # 0.txt the most recent
    old_part, new_part = tmp_path / "a.part", tmp_path / "b.part"
    for path, age in ((old_part, 7200), (new_part, 10)):
        path.write_text("half written")
        os.utime(path, (now - age, now - age))
    score_cache.prune(tmp_path, most_files=4, most_bytes=10**6)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "0.txt",
        "1.txt",
        "2.txt",
        "3.txt",
        "b.part",
    ]
    score_cache.prune(tmp_path, most_files=4, most_bytes=60)  # 10 + 20 + 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt", "b.part"]
    score_cache.prune(tmp_path / "missing")  # nothing to prune: nothing happens
