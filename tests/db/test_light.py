"""The light way in: it reads exactly the file the repository would open, and only a
forecasts database already at the newest schema; anything else is left to the repository."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from db import light
from db.engine import resolve_db_url, sqlite_path
from db.repository import Repository


@pytest.mark.parametrize(
    "value",
    ["plain.db", "sub/dir.db", "~/home.db", "sqlite:///rel.db", "sqlite:///~/tilde.db", "x y.db"],
)
def test_the_light_way_names_the_file_the_repository_opens(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    full = sqlite_path(resolve_db_url(value))
    assert full is not None
    assert light.chosen_file(value) == Path(os.path.abspath(full)).resolve()


@pytest.mark.parametrize(
    "value", ["sqlite://", "sqlite:///x.db?mode=ro", "sqlite:///a%20b.db", "postgresql://h/d", ""]
)
def test_urls_it_does_not_read_are_left_to_the_repository(value: str) -> None:
    assert light.chosen_file(value) is None


def test_only_a_forecasts_database_at_the_newest_schema_is_read(tmp_path: Path) -> None:
    assert light.open_reader(str(tmp_path / "missing.db")) is None
    (tmp_path / "empty.db").touch()
    assert light.open_reader(str(tmp_path / "empty.db")) is None
    (tmp_path / "text.db").write_text("not a database")
    assert light.open_reader(str(tmp_path / "text.db")) is None
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    assert light.open_reader(str(other)) is None
    ours = tmp_path / "ours.db"
    Repository.open(f"sqlite:///{ours}").engine.dispose()
    reader = light.open_reader(str(ours))
    assert reader is not None
    reader.close()
    with sqlite3.connect(ours) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", [light.REVISIONS[-2]])
    connection.close()
    assert light.open_reader(str(ours)) is None  # an older schema: the repository upgrades it


def test_a_reader_writes_nothing(tmp_path: Path) -> None:
    ours = tmp_path / "ours.db"
    Repository.open(f"sqlite:///{ours}").engine.dispose()
    reader = light.open_reader(str(ours))
    assert reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.connection.execute("DELETE FROM question")
    reader.close()


def test_writes_store_values_as_the_tables_types_do(tmp_path: Path) -> None:
    """A forecast and a resolution written by db.writes hold, column by column, what
    SQLAlchemy's own types would have stored for the same values."""
    from datetime import UTC, datetime

    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from db import tables
    from tests.conftest import add_question, add_source, log, resolve

    path = tmp_path / "w.db"
    now = [datetime(2025, 5, 2, 12, 30, 15, 123456, tzinfo=UTC)]
    repository = Repository.open(f"sqlite:///{path}", clock=lambda: now[0])
    question = add_question(
        repository,
        title="Will it?",
        criteria="Yes if so.",
        close_at=datetime(2025, 6, 1, tzinfo=UTC),
    )
    source = add_source(
        repository,
        title="Herald",
        outlet="The Herald",
        published_on=datetime(2025, 5, 1).date(),
        text="Experts agree that the chances remain slim.",
    )
    forecast = log(
        repository,
        question=question.id,
        source=source.id,
        probability=0.2,
        made_at=datetime(2025, 5, 1, 9, tzinfo=UTC),
        quote="the chances remain slim",
        inferred=True,
    )
    now[0] = datetime(2025, 6, 2, 8, tzinfo=UTC)
    resolution = resolve(
        repository, question=question.id, outcome="no", resolved_at=datetime(2025, 6, 1, tzinfo=UTC)
    )
    dialect = sqlite_dialect.dialect()
    connection = sqlite3.connect(path)
    for table, ident, model in (
        (tables.ForecastRow, forecast.id, forecast),
        (tables.ResolutionRow, resolution.id, resolution),
    ):
        columns = table.__table__.columns
        row = connection.execute(f"SELECT * FROM {table.__tablename__} WHERE id = ?", [ident])
        stored = dict(zip([d[0] for d in row.description], row.fetchone(), strict=True))
        for column in columns:
            value = getattr(model, column.name, None)
            if column.name in ("id", "key", "sequence") or value is None:
                continue
            value = getattr(value, "value", value)  # an enum is stored as its text
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            expected = process(value) if process else value
            assert stored[column.name] == expected, column.name
    connection.close()


def test_stored_rows_become_the_objects_the_models_checks_would_make() -> None:
    """Reads build domain objects from stored rows without checking them again (db.reads's
    _construct); every object read from the seed corpus is what ``model_construct`` makes
    of the same values, field for field and in order, and what the model's own checks make
    of its dump."""
    from db.reads import _construct
    from db.seed import seed
    from forecasts.models import Question

    repository = Repository.open("sqlite://")
    seed(repository)
    summaries = repository.list_questions()
    objects: list = [*summaries, *(s.question for s in summaries)]
    objects += [s.question.resolution for s in summaries if s.question.resolution]
    for summary in summaries:
        objects += repository.forecasts(question=summary.question.id)
    objects += repository.list_forecasters() + repository.list_sources()
    kinds = {type(o).__name__ for o in objects}
    assert {"QuestionSummary", "Question", "Resolution", "Forecast", "Forecaster"} <= kinds
    for read in objects:
        model = type(read)
        values = dict(read.__dict__)
        built = _construct(model, values)
        reference = model.model_construct(**values)
        assert list(built.__dict__.items()) == list(reference.__dict__.items())
        assert built.model_fields_set == reference.model_fields_set
        assert (built.__pydantic_extra__, built.__pydantic_private__) == (None, None)
        checked = model.model_validate(read.model_dump(exclude=set(model.model_computed_fields)))
        assert built == reference == checked
    partial = {k: v for k, v in summaries[0].question.__dict__.items() if k != "title"}
    with pytest.raises(ValueError, match="Question needs title"):
        _construct(Question, partial)
