"""Four processes racing on the same row: each ends as cleanly as if it had come a second
later (a clean "already" line, or the existing row reused), never a traceback, never a lost
write; and a write that waits past the busy timeout says so in one line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from db.repository import Repository
from db.seed import load_corpus, seed
from tests.conftest import resolve

ROOT = Path(__file__).resolve().parents[2]
RACERS = 4


def race(tmp_path: Path, db: Path, *args: str, env: dict[str, str] | None = None):
    """Start four ``forecasts --db DB ARGS`` together; return (exit code, stdout, stderr)
    of each."""
    go = tmp_path / f"go-{time.monotonic_ns()}"
    environment = {**os.environ, "FORECASTS_TEST_GO": str(go), **(env or {})}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.workers", "cli", f"sqlite:///{db}", *args],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(RACERS)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert "Traceback" not in err, err
        results.append((child.returncode, out, err))
    return results


def test_four_processes_open_a_new_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    results = race(tmp_path, db, "question", "list", "--json")
    assert [code for code, _, _ in results] == [0] * RACERS, [err for _, _, err in results]
    assert all(json.loads(out) == [] for _, out, _ in results)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_same_forecaster_added_at_once(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    Repository.open(f"sqlite:///{db}").engine.dispose()
    results = race(tmp_path, db, "forecaster", "add", "Cha Du-hyeogn")
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2, 2, 2]
    for code, _, err in results:
        if code == 2:
            assert err == "forecasts: error: name: 'Cha Du-hyeogn' is already a forecaster\n"
    names = [f.name for f in Repository.open(f"sqlite:///{db}").list_forecasters()]
    assert names == ["Cha Du-hyeogn"]


def test_seeding_at_once_adds_the_corpus_once(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    results = race(tmp_path, db, "seed", "--json")
    assert [code for code, _, _ in results] == [0] * RACERS, [err for _, _, err in results]
    added = [json.loads(out) for _, out, _ in results]
    assert sum(a["judgments"] for a in added) == len(load_corpus().judgments)
    repository = Repository.open(f"sqlite:///{db}")
    assert len(repository.list_questions()) == len(load_corpus().questions)


def test_first_forecasts_as_me_at_once_are_all_kept(tmp_path: Path) -> None:
    db = tmp_path / "me.db"
    repository = Repository.open(f"sqlite:///{db}")
    seed(repository)
    question = next(
        s.question.id for s in repository.list_questions(status="closed") if not s.question.options
    )
    repository.engine.dispose()
    results = race(tmp_path, db, "forecast", "add", str(question), "30%", "--at", "2025-01-01")
    assert [code for code, _, _ in results] == [0] * RACERS
    repository = Repository.open(f"sqlite:///{db}")
    mine = [
        f
        for f in repository.forecasts(question=question)
        if f.forecaster_id == repository.user_forecaster().id
    ]
    assert len(mine) == RACERS
    assert [f.name for f in repository.list_forecasters()].count("me") == 1


def test_resolving_at_once_keeps_one_history(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    repository = Repository.open(f"sqlite:///{db}")
    seed(repository)
    due = repository.list_questions(status="closed")[0].question
    repository.engine.dispose()
    results = race(tmp_path, db, "resolve", str(due.id), "no", "--at", "2025-12-01")
    assert [code for code, _, _ in results] == [0] * RACERS
    history = Repository.open(f"sqlite:///{db}").resolutions(question=due.id)
    assert 1 <= len(history) <= RACERS
    assert {r.outcome for r in history} == {"no"}


def held_up(db: Path, *args: str) -> str:
    """Run ``forecasts --db DB ARGS`` while another program holds the write lock; check
    that it ends on exit 1 with one line, and return that line."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = CliRunner().invoke(app, ["--db", str(db), *args], catch_exceptions=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    return line


def test_a_write_held_up_past_the_busy_timeout_says_so_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    Repository.open(f"sqlite:///{db}").engine.dispose()
    line = held_up(db, "forecaster", "add", "Doo Jin-ho")
    assert line.startswith("forecasts: error: db: 'busy' another process held")
    assert "try again" in line


@pytest.mark.parametrize("waits", [0.5])
def test_a_short_wait_for_the_lock_just_waits(tmp_path: Path, waits: float) -> None:
    db = tmp_path / "wait.db"
    Repository.open(f"sqlite:///{db}").engine.dispose()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(waits, lambda: holder.execute("ROLLBACK"))
    release.start()
    result = CliRunner().invoke(app, ["--db", str(db), "forecaster", "add", "Doo Jin-ho"])
    release.join()
    holder.close()
    assert result.exit_code == 0, result.stderr


def test_a_forecast_held_up_past_the_busy_timeout_says_so_in_one_line(tmp_path: Path) -> None:
    """The same through the light writer that ``forecast add`` uses, and nothing written."""
    from datetime import UTC, datetime

    from tests.conftest import add_question

    db = tmp_path / "busy-forecast.db"
    repository = Repository.open(f"sqlite:///{db}")
    add_question(
        repository,
        title="Will it?",
        criteria="Yes if so.",
        close_at=datetime(2030, 1, 1, tzinfo=UTC),
    )
    repository.engine.dispose()
    line = held_up(db, "forecast", "add", "1", "30%")
    assert line.startswith("forecasts: error: db: 'busy' another process held")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM forecast").fetchone() == (0,)
    connection.close()


def test_scores_asked_at_once_agree_before_and_after_a_write(tmp_path: Path) -> None:
    """Four ``score --json`` at once, all working the scores out and keeping them in one
    file: the same output, the one nothing kept gives; after a resolution, four more agree
    on the new scores."""
    db = tmp_path / "s.db"
    repository = Repository.open(f"sqlite:///{db}")
    seed(repository)
    due = repository.list_questions(status="closed")[0].question
    repository.engine.dispose()

    def worked_out() -> str:
        cache = tmp_path / "nothing-kept"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
        command = [sys.executable, "-m", "cli", "--db", str(db), "score", "--json"]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True).stdout

    def agreed() -> str:
        results = race(tmp_path, db, "score", "--json")
        assert [code for code, _, _ in results] == [0] * RACERS
        assert len({out for _, out, _ in results}) == 1
        assert results[0][1] == worked_out()
        assert json.loads(results[0][1])["rows"]
        return results[0][1]

    before = agreed()
    resolve(Repository.open(f"sqlite:///{db}"), question=due.id, outcome="yes",
            resolved_at=due.close_at)  # fmt: skip
    assert agreed() != before


def test_scores_asked_while_forecasts_are_written_read_what_was_kept_rightly(
    tmp_path: Path,
) -> None:
    """Four ``score --json`` at once, each keeping the forecasts' columns it read in one
    file, while another process logs forecasts: every one answers, and the scores read
    afterwards with whatever file was left are the scores read with nothing kept."""
    db = tmp_path / "w.db"
    repository = Repository.open(f"sqlite:///{db}")
    seed(repository)
    due = repository.list_questions(status="resolved")[0].question
    repository.engine.dispose()
    env = {**os.environ}

    def forecasts(*args: str, cache: str | None = None) -> subprocess.CompletedProcess:
        environment = {**env, "XDG_CACHE_HOME": cache} if cache else env
        command = [sys.executable, "-m", "cli", "--db", str(db), *args]
        return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)

    written: list[subprocess.CompletedProcess] = []

    def write() -> None:
        made = (due.resolution.resolved_at - timedelta(days=1)).date().isoformat()
        for i in range(4):
            written.append(
                forecasts("forecast", "add", str(due.id), f"{31 + i}%", "--forecaster",
                          f"Writer {i}", "--create", "--at", made)
            )  # fmt: skip

    writer = threading.Thread(target=write)
    writer.start()
    results = race(tmp_path, db, "score", "--json")
    writer.join()
    assert [done.returncode for done in written] == [0] * 4, [done.stderr for done in written]
    assert [code for code, _, _ in results] == [0] * RACERS
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "forecasts" / "columns"
    assert len(list(folder.glob("*.columns"))) == 1  # one of the racers' is what is left
    kept = forecasts("score", "--json", "--include-backdated")
    fresh = forecasts("score", "--json", "--include-backdated", cache=str(tmp_path / "fresh"))
    assert kept.returncode == fresh.returncode == 0
    assert json.loads(kept.stdout) == json.loads(fresh.stdout)
    names = {row["name"] for row in json.loads(kept.stdout)["rows"]}
    assert {f"Writer {i}" for i in range(4)} <= names
