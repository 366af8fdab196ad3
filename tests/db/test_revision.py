"""The revision token (migration 0014): every write to the record replaces it, whichever
program makes it, and nothing else does; a bulk write replaces it once and leaves the
database's triggers exactly as they were, refused or not."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.check import check_database
from db.derived import UNTRACKED
from db.export import write_json
from db.importer import import_file
from db.repository import Repository
from forecasts.drafts import Merge, QuestionEdit, Retract, Withdraw
from forecasts.errors import InvalidInput
from tests.conftest import (
    NOW,
    add_forecaster,
    add_question,
    add_source,
    annul,
    log,
    resolve,
    triggers,
)

CLOSE = datetime(2025, 3, 1, tzinfo=UTC)


def _token(path: Path) -> bytes:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT token FROM data_revision").fetchone()[0]


def test_every_table_of_the_record_replaces_the_token_on_every_kind_of_write(
    tmp_path: Path,
) -> None:
    """A later migration that adds a table must give it the three triggers too."""
    path = tmp_path / "tables.db"
    Repository.open(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        tables = {
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    names = {name for name, _ in triggers(path)}
    assert len(tables - set(UNTRACKED)) >= 13
    for table in tables - set(UNTRACKED):
        for action in ("insert", "update", "delete"):
            assert f"{table}_revision_{action}" in names, table
    assert len(_token(path)) == 16


def test_each_write_makes_a_new_token_and_a_read_does_not(tmp_path: Path) -> None:
    path = tmp_path / "writes.db"
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    seen = [_token(path)]

    def changed() -> bool:
        seen.append(_token(path))
        return seen[-1] not in seen[:-1]

    question = add_question(repo, title="Q?", criteria="Yes if so.", close_at=CLOSE, tags=["a"])
    assert changed()
    add_forecaster(repo, name="Ann")
    assert changed()
    forecast = log(repo, question=question.id, forecaster="Ann", probability=0.3, made_at=CLOSE)
    assert changed()
    resolve(repo, question=question.id, outcome="yes", resolved_at=CLOSE)
    assert changed()
    annul(repo, question=question.id, resolved_at=CLOSE)
    assert changed()
    repo.retract(Retract(forecast_id=forecast.id, reason="slip"))
    assert changed()
    repo.edit_question(QuestionEdit.parse(repo.question(ref=question.id), now=NOW, tags="b"))
    assert changed()
    add_source(repo, title="Report", outlet="Outlet", text="Kim went.", published_on=CLOSE.date())
    assert changed()
    add_forecaster(repo, name="Bo")
    repo.merge_forecasters(Merge(source="Bo", target="Ann", reason="the same person"))
    assert changed()
    repo.withdraw(Withdraw(question_id=question.id, reason="asked twice"))
    assert changed()
    repo.list_questions(withdrawn=True)
    repo.question_detail(ref=question.id)
    assert not changed()  # reads write nothing
    with sqlite3.connect(path) as connection:  # a script writing SQL, around the repository
        connection.execute("UPDATE forecaster SET affiliation = 'x' WHERE name = 'Ann'")
    assert changed()


def test_a_bulk_write_makes_one_new_token_and_leaves_the_triggers_as_they_were(
    tmp_path: Path,
) -> None:
    source = Repository.open(f"sqlite:///{tmp_path / 'from.db'}", clock=lambda: NOW)
    question = add_question(source, title="Q?", criteria="Yes if so.", close_at=CLOSE)
    log(source, question=question.id, forecaster="Ann", probability=0.3, made_at=CLOSE,
        new_forecaster_kind="person")  # fmt: skip
    resolve(source, question=question.id, outcome="no", resolved_at=CLOSE)
    record = tmp_path / "record.json"
    with record.open("w", encoding="utf-8") as out:
        write_json(source, out)

    path = tmp_path / "into.db"
    into = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    made, before = triggers(path), _token(path)
    import_file(into, record)
    assert triggers(path) == made
    assert _token(path) != before
    with sqlite3.connect(path) as connection:
        kept = connection.execute(
            "SELECT outcome, forecast_count, forecaster_count FROM question"
        ).fetchall()
    assert kept == [("no", 1, 1)]

    after = _token(path)
    broken = tmp_path / "broken.json"  # fails while its forecasts are read, after its questions
    broken.write_text(record.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    other = Repository.open(f"sqlite:///{tmp_path / 'other.db'}", clock=lambda: NOW)
    with pytest.raises(InvalidInput, match="not valid JSON"):
        import_file(other, broken)
    assert triggers(tmp_path / "other.db") == made
    assert other.list_questions() == []
    with pytest.raises(InvalidInput, match="not valid JSON"):
        import_file(into, broken)
    assert (triggers(path), _token(path)) == (made, after)


def test_db_check_finds_kept_state_written_around_or_triggers_gone(tmp_path: Path) -> None:
    path = tmp_path / "checked.db"
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    question = add_question(repo, title="Q?", criteria="Yes if so.", close_at=CLOSE)
    log(repo, question=question.id, forecaster="Ann", probability=0.3, made_at=CLOSE,
        new_forecaster_kind="person")  # fmt: skip

    def kept_state() -> tuple[bool, str]:
        found = next(f for f in check_database(repo.engine) if f.check == "kept state")
        return found.ok, found.detail

    assert kept_state()[0]
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE question SET forecast_count = 7")
    assert kept_state() == (
        False,
        f"kept outcome or counts disagree with the record for 1 question: {question.id}",
    )
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE question SET forecast_count = 1")
        connection.execute("DROP TRIGGER source_revision_update")
    assert kept_state() == (False, "triggers missing: source_revision_update")


def test_db_check_finds_a_forecast_without_its_mark(tmp_path: Path) -> None:
    path = tmp_path / "checked.db"
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    question = add_question(repo, title="Q?", criteria="Yes if so.", close_at=CLOSE)
    for p in (0.3, 0.4):
        log(repo, question=question.id, forecaster="Ann", probability=p, made_at=CLOSE,
            new_forecaster_kind="person")  # fmt: skip

    def marks() -> tuple[bool, str]:
        found = next(f for f in check_database(repo.engine) if f.check == "marks")
        return found.ok, found.detail

    assert marks() == (True, "every forecast has its mark")
    with sqlite3.connect(path) as connection:
        first = connection.execute("SELECT min(forecast_id) FROM forecast_mark").fetchone()[0]
        connection.execute("DELETE FROM forecast_mark WHERE forecast_id = ?", (first,))
    assert marks() == (False, f"1 forecast without a mark: {first}")
