"""The engine factory and where the default database lives.

One engine per process, made here on demand and never at import time. SQLite connections
get foreign keys, a busy timeout and (for files) write-ahead logging.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

from forecasts.errors import InvalidInput

ENV_VAR = "FORECASTS_DB"
BUSY_TIMEOUT_MS = 5000


def default_db_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``FORECASTS_DB`` says otherwise."""
    return user_data_path("forecasts", appauthor=False) / "forecasts.db"


def resolve_db_url(db: str | None = None) -> str:
    """Turn ``--db``, else ``FORECASTS_DB``, else the default file, into a database URL.

    A value containing ``://`` is taken as a URL; anything else as a path to a SQLite file.
    """
    chosen = db or os.environ.get(ENV_VAR) or None
    if chosen is None:
        return f"sqlite:///{default_db_path()}"
    if "://" in chosen:
        try:
            make_url(chosen)
        except ArgumentError:
            raise InvalidInput("db", chosen, "is not a database URL") from None
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def is_memory(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def make_engine(url: str) -> Engine:
    """Create the process's engine for ``url``; a SQLite file's folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    if is_memory(url):
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not is_memory(url):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine
