"""Shared fixtures: a fresh in-memory database per test, with a frozen clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from pydantic import ValidationError
from sqlalchemy import Engine, inspect, text

from db.repository import Repository
from forecasts.drafts import ForecastDraft, QuestionDraft, ResolutionDraft
from forecasts.errors import from_validation_error
from forecasts.models import ANNULLED, Forecast, Forecaster, Question, Resolution, Source

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

# No per-example deadline: a first example that imports scipy, or a busy CI machine, is slow
# for reasons that have nothing to do with the property under test.
settings.register_profile("forecasts", deadline=None)
settings.load_profile("forecasts")


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def repo() -> Repository:
    """A repository on a new in-memory SQLite database, migrated to head, clock frozen."""
    return Repository.open("sqlite://", clock=lambda: NOW)


def triggers(path: Path) -> list[tuple[str, str]]:
    """The database file's triggers, each with the statement that made it, by name."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused command wrote nothing."""
    with engine.connect() as connection:
        return {
            table: sorted(
                tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
            for table in inspect(connection).get_table_names()
        }


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """No test reads or writes the real user's database or configuration."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FORECASTS_DB", raising=False)
    monkeypatch.delenv("FORECASTS_CONFIG", raising=False)


# The repository takes one draft per write; these build the draft from keyword arguments, as
# a test reads best. ``question``, ``forecaster`` and ``source`` name records by id or key.


def made(model, **fields):
    """``model(**fields)``; a refusal comes as the domain's one-line error, as users see it."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def add_question(repo: Repository, **fields) -> Question:
    return repo.add_question(made(QuestionDraft, **fields))


def add_forecaster(repo: Repository, **fields) -> Forecaster:
    return repo.add_forecaster(made(Forecaster, **fields))


def add_source(repo: Repository, **fields) -> Source:
    return repo.add_source(made(Source, **fields))


def log(repo: Repository, *, question, source=None, **fields) -> Forecast:
    question_id = repo.question(ref=question).id
    source_id = repo.source(ref=source).id if source is not None else None
    draft = made(ForecastDraft, question_id=question_id, source_id=source_id, **fields)
    return repo.log_forecast(draft)


def resolve(repo: Repository, *, question, source=None, **fields) -> Resolution:
    question_id = repo.question(ref=question).id
    source_id = repo.source(ref=source).id if source is not None else None
    return repo.resolve(ResolutionDraft(question_id=question_id, source_id=source_id, **fields))


def annul(repo: Repository, *, question, **fields) -> Resolution:
    return resolve(repo, question=question, outcome=ANNULLED, **fields)
