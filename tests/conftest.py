"""Shared fixtures: a fresh in-memory database per test, with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import settings
from sqlalchemy import Engine, inspect, text

from db.repository import Repository

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
    monkeypatch.delenv("FORECASTS_DB", raising=False)
    monkeypatch.delenv("FORECASTS_CONFIG", raising=False)
