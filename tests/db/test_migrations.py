"""The schema changes only through migrations: an empty file upgrades to head, the tables
and the migrations agree, and SQLite runs with the settings the app relies on."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, text

from db.engine import default_db_path, make_engine, resolve_db_url
from db.migrate import current_revision, head_revision, pending_changes, upgrade
from db.repository import Repository
from forecasts.errors import ForecastsError, InvalidInput


def test_empty_file_upgrades_to_head_with_no_pending_changes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert pending_changes(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert {"question", "forecast", "forecaster", "source", "resolution"} <= tables
    upgrade(engine)  # a second upgrade is a no-op
    assert current_revision(engine) == head_revision()


def test_indexes_exist_for_the_queries_the_app_runs(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade(engine)
    forecast_indexes = {tuple(i["column_names"]) for i in inspect(engine).get_indexes("forecast")}
    assert ("question_id", "forecaster_id", "made_at") in forecast_indexes
    assert ("forecaster_id",) in forecast_indexes
    assert ("tag",) in {
        tuple(i["column_names"]) for i in inspect(engine).get_indexes("question_tag")
    }


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    repo = Repository.open(f"sqlite:///{tmp_path / 'fk.db'}")
    with repo.engine.begin() as connection, pytest.raises(Exception, match="FOREIGN KEY"):
        connection.execute(
            text("INSERT INTO question_tag (question_id, tag) VALUES (42, 'orphan')")
        )


def test_database_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FORECASTS_DB", raising=False)
    assert resolve_db_url(None) == f"sqlite:///{default_db_path()}"
    assert default_db_path().name == "forecasts.db"
    monkeypatch.setenv("FORECASTS_DB", str(tmp_path / "env.db"))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_db_url(str(tmp_path / "flag.db")) == f"sqlite:///{tmp_path / 'flag.db'}"
    assert resolve_db_url("sqlite://") == "sqlite://"
    with pytest.raises(InvalidInput, match="db"):
        resolve_db_url("no such scheme://x")


def test_the_head_constant_is_alembics_head() -> None:
    from db.migrate import HEAD

    assert head_revision() == HEAD  # a new migration must move HEAD with it


def test_names_that_clash_under_case_folding_are_reported_and_kept(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0003")
    with engine.begin() as connection:
        for name in ("Ölmann", "ÖLMANN", "Doo Jin-ho"):
            connection.execute(
                text("INSERT INTO forecaster (name, kind, affiliation) VALUES (:n, 'person', '')"),
                {"n": name},
            )
    upgrade(engine)
    err = capfd.readouterr().err
    assert "forecaster 2 ('ÖLMANN') has the same name as forecaster 1 ('Ölmann')" in err
    assert "Doo" not in err
    repository = Repository(engine)
    assert [f.name for f in repository.list_forecasters()] == ["Doo Jin-ho", "Ölmann", "ÖLMANN"]
    assert repository.forecaster(ref="ölmann").id == 1  # the oldest keeps the name


class _Crash(Exception):
    pass


def _crash_at(engine, statement: int) -> list[int]:
    """Make the ``statement``-th SQL statement from now on fail, as a crash there would."""
    seen = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args) -> None:
        seen[0] += 1
        if seen[0] == statement:
            raise _Crash(statement)

    return seen


def _schema(path: Path) -> tuple[str | None, list[str]]:
    with sqlite3.connect(path) as connection:
        names = sorted(
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            )
        )
        version = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in names
            else None
        )
    return (version[0] if version else None), names


@pytest.mark.parametrize("start", [None, "0003"])
def test_an_upgrade_failing_at_any_statement_leaves_the_old_schema(
    tmp_path: Path, start: str | None
) -> None:
    """All or nothing: an upgrade stopped at each of its statements in turn leaves the
    database exactly at the schema it started from (nothing, or 0003 with its data)."""
    template = tmp_path / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    if start is not None:
        upgrade(engine, start)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO forecaster (name, kind, affiliation) VALUES ('Doo', 'person', '')"
                )
            )
    engine.dispose()
    before = _schema(template)
    probe = tmp_path / "probe.db"
    shutil.copy(template, probe)
    engine = make_engine(f"sqlite:///{probe}")
    total = _crash_at(engine, 10**9)
    upgrade(engine)
    engine.dispose()
    statements = total[0]
    assert statements > 10
    for statement in range(1, statements + 1, max(1, statements // 40)):
        db = tmp_path / f"at-{statement}.db"
        shutil.copy(template, db)
        engine = make_engine(f"sqlite:///{db}")
        _crash_at(engine, statement)
        with pytest.raises(_Crash):
            upgrade(engine)
        engine.dispose()
        assert _schema(db) == before, f"stopped at statement {statement} of {statements}"
        Repository.open(f"sqlite:///{db}")  # and it opens, upgraded, afterwards
        assert _schema(db)[0] == head_revision()


def test_an_unfinished_batch_copy_left_by_an_older_version_is_dropped(tmp_path: Path) -> None:
    db = tmp_path / "left.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0002")
    with engine.begin() as connection:  # as a kill in 0002 -> 0003 left it
        connection.exec_driver_sql(
            "CREATE TABLE _alembic_tmp_forecast AS SELECT * FROM forecast WHERE 0"
        )
    engine.dispose()
    repository = Repository.open(f"sqlite:///{db}")
    assert repository.upgraded is not None
    assert "dropped the unfinished copy _alembic_tmp_forecast" in (
        repository.upgraded.repaired or ""
    )
    assert current_revision(repository.engine) == head_revision()


def test_an_empty_half_created_database_is_created_again(tmp_path: Path) -> None:
    db = tmp_path / "half.db"
    with sqlite3.connect(db) as connection:  # the first tables of 0001, no version stamped
        connection.execute("CREATE TABLE forecaster (id INTEGER PRIMARY KEY, name VARCHAR)")
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.close()
    repository = Repository.open(f"sqlite:///{db}")
    assert "unfinished first migration" in (repository.upgraded.repaired or "")
    assert current_revision(repository.engine) == head_revision()


def test_a_half_created_database_with_data_is_explained_not_touched(tmp_path: Path) -> None:
    db = tmp_path / "half.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE forecaster (id INTEGER PRIMARY KEY, name VARCHAR)")
        connection.execute("INSERT INTO forecaster (name) VALUES ('Doo')")
    connection.close()
    with pytest.raises(ForecastsError, match=r"no schema version .* restore it from a backup"):
        Repository.open(f"sqlite:///{db}")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT name FROM forecaster").fetchall() == [("Doo",)]
    connection.close()


def test_sources_stored_before_pages_keep_everything_and_gain_no_author(tmp_path: Path) -> None:
    """0008 adds the author and the saved page's SHA-256 in place; older sources read back
    whole, with no author and no page."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (title, outlet, published_on, date_precision, date_note, "
                "text, sha256, added_at) VALUES ('Herald', 'The Korea Herald', '2025-04-28', "
                "'day', '', 'Experts agree the chances remain slim.', 'abc', "
                "'2025-04-28 00:00:00.000000')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT title, outlet, text, sha256, author, original_sha256 FROM source")
        ).one()
    assert tuple(row) == (
        "Herald",
        "The Korea Herald",
        "Experts agree the chances remain slim.",
        "abc",
        "",
        None,
    )


def test_options_stored_before_narratives_keep_their_labels_and_tell_nothing(
    tmp_path: Path,
) -> None:
    """0009 adds each option's narrative in place; options stored before read back whole
    with none, so their question is no scenario set until one is told."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0008")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO question (id, title, description, criteria, kind, created_at, "
                "close_at, recorded_by, withdrawn) VALUES (1, 'Where?', '', 'As reported.', "
                "'multiple_choice', '2025-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', "
                "'', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO question_option (question_id, position, label) VALUES "
                "(1, 0, 'Russia'), (1, 1, 'China')"
            )
        )
    upgrade(engine)
    question = Repository(engine).question(ref=1)
    assert (question.options, question.narratives) == (("Russia", "China"), ())


def test_opening_waits_for_another_process_creating_the_database_past_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four processes opening a new database at once: one creates it, holding the write
    lock for as long as its migrations take (seconds on a busy machine, more than the busy
    timeout); the others wait for it and open what it made, as a process one second later
    would, rather than failing on a lock held past the busy timeout."""
    import threading
    import time

    import db.engine

    monkeypatch.setattr(db.engine, "BUSY_TIMEOUT_MS", 200)  # every other wait gives up soon
    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode=WAL")  # as the creator's engine sets it first
    holder.execute("BEGIN IMMEDIATE")  # the creator's lock, held for longer than that
    released = threading.Timer(1.0, lambda: holder.execute("COMMIT"))
    released.start()
    started = time.monotonic()
    try:
        repo = Repository.open(f"sqlite:///{path}")
    finally:
        released.join()
        holder.close()
    assert time.monotonic() - started >= 1.0  # it waited for the lock, then upgraded
    assert current_revision(repo.engine) == head_revision()
    assert repo.list_questions() == []
