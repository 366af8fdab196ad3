"""SIGKILL at random moments in the middle of writes: a first migration, an upgrade of a
database holding data, seeding, a loop of forecasts and an import. After every kill the
database passes SQLite's integrity check, opens, and holds every write that was reported as
committed (and an import is there whole or not at all).

These are the slow set (about two minutes): 76 kills in all, at moments drawn from a fixed
seed; 20 of them while a 20,000-forecast file is imported.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.derived import OUT_OF_STEP
from db.engine import make_engine
from db.migrate import HEAD, current_revision, upgrade
from db.repository import Repository
from db.seed import load_corpus, seed
from tests.conftest import add_question, triggers

ROOT = Path(__file__).resolve().parents[2]
RANDOM = random.Random(20250509)


def _start(job: str, db: Path, *args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.workers", job, f"sqlite:///{db}", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    return child


def _kill_after(child: subprocess.Popen[str], seconds: float) -> list[str]:
    """SIGKILL the child after ``seconds`` (unless it finished); return what it printed."""
    time.sleep(seconds)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    return out.split()


def _integrity(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as connection:
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in ("question", "forecaster", "source", "forecast", "resolution")
        }


@pytest.mark.parametrize("trial", range(14))
def test_kill_during_a_first_migration(tmp_path: Path, trial: int) -> None:
    db = tmp_path / "new.db"
    child = _start("open", db)
    _kill_after(child, RANDOM.uniform(0.0, 0.06))
    _integrity(db)
    repository = Repository.open(f"sqlite:///{db}")
    assert current_revision(repository.engine) == HEAD
    assert repository.list_questions() == []


@pytest.fixture(scope="module")
def old_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at schema 0003 holding the seed corpus, as an older forecasts left it."""
    db = tmp_path_factory.mktemp("old") / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0003")
    engine.dispose()
    connection = sqlite3.connect(db)
    with connection:
        connection.execute(
            "INSERT INTO forecaster (id, name, kind, affiliation) VALUES (1, 'Doo Jin-ho', "
            "'person', 'KIDA'), (2, 'DOO JIN-HO', 'person', '')"
        )
        connection.execute(
            "INSERT INTO question (id, title, description, criteria, kind, created_at, "
            "close_at) VALUES (1, 'Will Kim visit Moscow?', '', 'Yes if he does.', 'binary', "
            "'2025-01-01 00:00:00.000000', '2025-12-31 23:59:59.000000')"
        )
        connection.executemany(
            "INSERT INTO forecast (question_id, forecaster_id, made_at, made_at_precision, "
            "probability, inferred, rationale, recorded_at) VALUES (1, 1, ?, 'day', ?, 0, '', ?)",
            [
                (f"2025-02-{day:02d} 00:00:00.000000", day / 100, "2025-03-01 00:00:00.000000")
                for day in range(1, 28)
            ],
        )
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file to copy
    connection.close()
    return db


@pytest.mark.parametrize("trial", range(14))
def test_kill_during_an_upgrade(tmp_path: Path, old_database: Path, trial: int) -> None:
    db = tmp_path / "old.db"
    shutil.copy(old_database, db)
    before = _counts(db)
    child = _start("upgrade", db)
    printed = _kill_after(child, RANDOM.uniform(0.0, 0.045))
    _integrity(db)
    with sqlite3.connect(db) as connection:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        leftovers = connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp_%'"
        ).fetchall()
    assert revision in ("0003", HEAD)  # the old schema or the new one, never a third
    assert leftovers == []
    if "upgraded" in printed:
        assert revision == HEAD
    assert _counts(db) == before
    repository = Repository.open(f"sqlite:///{db}")
    assert current_revision(repository.engine) == HEAD
    assert len(repository.forecasts(question=1)) == 27
    assert repository.forecaster(ref="doo jin-ho").affiliation == "KIDA"


@pytest.mark.parametrize("trial", range(12))
def test_kill_during_seeding(tmp_path: Path, trial: int) -> None:
    db = tmp_path / "seed.db"
    Repository.open(f"sqlite:///{db}").engine.dispose()
    child = _start("seed", db)
    printed = _kill_after(child, RANDOM.uniform(0.0, 0.4))
    _integrity(db)
    counts = _counts(db)
    corpus = load_corpus()
    example = corpus.example
    assert example is not None
    whole = {
        "question": len(corpus.questions),
        "forecaster": len(corpus.forecasters) + 1,  # and the worked example's
        "source": len(corpus.sources),
        # the worked example's prior and each posterior its replay logs
        "forecast": len(corpus.judgments) + 1 + len(example.updates),
        "resolution": len(corpus.resolutions),
    }
    assert counts in (dict.fromkeys(whole, 0), whole)  # all of it, or none
    if "seeded" in printed:
        assert counts == whole
    seed(Repository.open(f"sqlite:///{db}"), corpus)
    assert _counts(db) == whole


@pytest.fixture(scope="module")
def open_questions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("loop") / "loop.db"
    repository = Repository.open(f"sqlite:///{db}")
    for index in range(3):
        add_question(
            repository,
            title=f"Open question {index}",
            criteria="Resolves by a public statement.",
            close_at=datetime(2030, 1, 1, tzinfo=UTC),
        )
    add_question(
        repository,
        title="Where do Kim and Putin meet next?",
        criteria="The place of their next meeting.",
        close_at=datetime(2030, 1, 1, tzinfo=UTC),
        kind="multiple_choice",
        options=("Russia", "North Korea", "China"),
    )
    repository.engine.dispose()
    return db


@pytest.mark.parametrize("trial", range(16))
def test_kill_during_a_forecast_loop(tmp_path: Path, open_questions: Path, trial: int) -> None:
    db = tmp_path / "loop.db"
    shutil.copy(open_questions, db)
    child = _start("forecasts", db, "100000")
    printed = _kill_after(child, RANDOM.uniform(0.05, 0.5))
    reported = {int(word) for word in printed if word.isdigit()}
    assert reported, "the loop committed nothing before the kill; draw later moments"
    _integrity(db)
    repository = Repository.open(f"sqlite:///{db}")
    stored = {f.id for q in range(1, 5) for f in repository.forecasts(question=q)}
    assert reported <= stored  # every write reported as committed is there
    assert len(stored - reported) <= 1  # at most the one committed as the kill came


@pytest.fixture(scope="module")
def record_to_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A 20,000-forecast export to import, a small database to import it into, and that
    database's own export (what a killed import must leave)."""
    import io

    from db.demo import write_demo
    from db.export import write_json

    folder = tmp_path_factory.mktemp("import")
    source = Repository.open(f"sqlite:///{folder / 'source.db'}")
    write_demo(source, questions=2_000, forecasters=50, forecasts=20_000, seed=3)
    record = folder / "record.json"
    with record.open("w", encoding="utf-8") as out:
        write_json(source, out)
    target = folder / "target.db"
    repository = Repository.open(f"sqlite:///{target}")
    add_question(repository, title="Already here?", criteria="c", close_at="2026-01-01")
    before = io.StringIO()
    write_json(repository, before)
    repository.engine.dispose()
    return record, target, before.getvalue()


@pytest.mark.parametrize("trial", range(20))
def test_kill_during_an_import(tmp_path: Path, record_to_import, trial: int) -> None:
    import io

    from db.export import write_json

    record, original, before = record_to_import
    db = tmp_path / "target.db"
    shutil.copy(original, db)
    child = _start("import", db, str(record))
    said = _kill_after(child, RANDOM.uniform(0.0, 1.4))  # the import takes about 1 s
    _integrity(db)
    # the triggers a bulk write sets aside are back, and the state they keep is in step
    assert triggers(db) == triggers(original)
    with sqlite3.connect(db) as connection:
        assert connection.execute(OUT_OF_STEP).fetchall() == []
    after = io.StringIO()
    write_json(Repository.open(f"sqlite:///{db}"), after)
    complete = _counts(db)["forecast"] == 20_000
    if "imported" in said:
        assert complete
    else:  # all or nothing: nothing, or (killed after the commit, before saying so) all
        assert complete or after.getvalue() == before
