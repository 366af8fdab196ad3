"""The engine factory, where the default database lives, and what a database file must be
before forecasts touches it.

One engine per process, made here on demand and never at import time. SQLite connections
get foreign keys, a busy timeout and (for files) write-ahead logging. Every unit of work is a
real SQLite transaction: reads begin with BEGIN, so a read that spans tables sees one state of
the database; writes begin with BEGIN IMMEDIATE, so a check and the insert it guards run
under the write lock, and a second writer waits for the first (up to the busy timeout).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

from db.light import APPLICATION_ID, BUSY_TIMEOUT_MS, ENV_VAR, SQLITE_HEADER, default_db_path
from forecasts.errors import InvalidInput, StorageError

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_MS", "ENV_VAR", "default_db_path"]

WRITE = "forecasts_write"
"""Execution option that makes a connection's transactions begin with BEGIN IMMEDIATE."""


def our_tables() -> set[str]:
    """Every table a forecasts database may hold, Alembic's version table included."""
    import db.tables  # noqa: F401  (registers the tables on the metadata)

    return set(SQLModel.metadata.tables) | {"alembic_version"}


def resolve_db_url(db: str | None = None) -> str:
    """Turn ``--db``, else ``FORECASTS_DB``, else the default file, into a database URL.

    A value containing ``://`` is taken as a URL; anything else as a path to a SQLite file.
    """
    if db is not None and not db.strip():
        raise InvalidInput("db", db, "is empty; give a file path or a database URL")
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


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, None for memory or another database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or is_memory(url):
        return None
    return Path(parsed.database)


def check_database_file(path: Path) -> None:
    """Refuse, before anything is written, a path that is not a forecasts database: a folder,
    a device or pipe, a file that is not SQLite, or the SQLite database of another program
    (tables of its own, none of ours). A missing or empty file is a new database."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StorageError("db", str(path), f"cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput("db", str(path), "is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput("db", str(path), "is not a regular file (a device or a pipe?)")
    if info.st_size == 0:
        return
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError("db", str(path), f"cannot be read: {exc.strerror}") from None
    if header != SQLITE_HEADER:
        raise InvalidInput("db", str(path), "is not a SQLite database; forecasts leaves it alone")
    application_id, tables = _inspect_read_only(path)
    if application_id == APPLICATION_ID:
        return
    theirs = {t for t in tables if t not in our_tables() and not t.startswith("_alembic_tmp_")}
    if application_id != 0 or theirs:
        shown = ", ".join(sorted(theirs)[:5]) + (", …" if len(theirs) > 5 else "")
        raise InvalidInput(
            "db",
            str(path),
            f"is the SQLite database of another program (tables: {shown}); "
            "forecasts leaves it alone",
        )


def _inspect_read_only(path: Path) -> tuple[int, set[str]]:
    """The file's application id and table names, read without writing a byte to it.

    A read-only connection comes first; when it cannot open the file (a write-ahead log
    being set up by another process at that moment, say), a connection that may open the
    log's shared memory but is told to make no change (``query_only``) reads it instead."""
    try:
        return _inspect(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True))
    except sqlite3.OperationalError:
        pass
    except sqlite3.DatabaseError as exc:  # the bytes: not a database after all
        raise InvalidInput("db", str(path), f"cannot be read as SQLite: {exc}") from None
    try:
        return _inspect(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000), query_only=True)
    except sqlite3.OperationalError as exc:  # the file or its folder: the environment
        raise StorageError("db", str(path), f"cannot be opened: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise InvalidInput("db", str(path), f"cannot be read as SQLite: {exc}") from None


def _inspect(connection: sqlite3.Connection, *, query_only: bool = False) -> tuple[int, set[str]]:
    try:
        if query_only:
            connection.execute("PRAGMA query_only=1")
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        connection.close()
    return application_id, tables


def _create_private(path: Path, *, default: bool) -> None:
    """Create a new database file readable by its owner only (its folder too, for the
    default database), so SQLite opens it rather than creating it with the umask's mode."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700 if default else 0o777)
        except OSError as exc:
            raise StorageError("db", str(folder), f"cannot be created: {exc.strerror}") from None
    if path.exists():
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process created it first: theirs is as good
    except OSError as exc:
        raise StorageError("db", str(path), f"cannot be created: {exc.strerror}") from None


_SERIAL: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def serial(engine: Engine) -> AbstractContextManager[object]:
    """Held around every transaction: an in-memory database is one connection shared by all
    threads, so its transactions take turns; a file's connections need no such turn."""
    lock = _SERIAL.get(engine)
    return lock if lock is not None else nullcontext()


def make_engine(url: str) -> Engine:
    """Create the process's engine for ``url``; a new SQLite file is created private to its
    owner (and the default database's folder too)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    memory = is_memory(url)
    if memory:
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
        _SERIAL[engine] = threading.RLock()
    else:
        path = Path(parsed.database)
        _create_private(path, default=path == default_db_path())
        engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions begin where _begin says
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
