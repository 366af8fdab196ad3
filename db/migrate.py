"""Schema migrations through Alembic, configured in code (no alembic.ini to find).

An upgrade is all or nothing: it runs in one SQLite transaction begun with BEGIN IMMEDIATE,
which is also the lock that keeps two processes opening the same new database from both
migrating it (the second waits, then finds the schema current). SQLite's DDL is
transactional, so a crash at any moment leaves the old schema or the new one, never a third.
Before a database holding data is upgraded, a copy is made with SQLite's online backup API.
A database left half-migrated by an older forecasts is repaired where that is safe, and
explained in one line where it is not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

import db.tables  # noqa: F401  (registers the tables on the metadata)
from db.engine import APPLICATION_ID, WRITE, serial, sqlite_path
from db.light import BUSY_TIMEOUT_MS, HEAD, REVISIONS
from forecasts.errors import StorageError

if TYPE_CHECKING:  # Alembic loads only when the schema must change (it is slow to import)
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
__all__ = ["HEAD", "REVISIONS"]


@dataclass(frozen=True)
class Upgrade:
    """What an upgrade did: from which revision (None for a new database) to which, and
    where the copy of the old database was kept (None when there was nothing to keep)."""

    from_revision: str | None
    to_revision: str
    backup: Path | None
    repaired: str | None = None

    def summary(self, where: str) -> str:
        if self.from_revision is None:
            return f"created a new database at {where}"
        kept = f"; the old database is kept at {self.backup}" if self.backup else ""
        return (
            f"upgraded the database at {where} from schema {self.from_revision} to "
            f"{self.to_revision}{kept}"
        )


def alembic_config(url: str | None = None) -> Config:
    """An Alembic configuration pointing at this package's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration's revision id, as Alembic reads the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return _revision(connection)


def upgrade(engine: Engine, revision: str = "head") -> Upgrade | None:
    """Upgrade the database to ``revision`` (the newest by default), all or nothing; None
    when it was there already.

    On SQLite, foreign-key enforcement is off while tables are rebuilt in batch mode (a
    rebuilt parent would otherwise cascade deletes into its children) and checked after.
    """
    target = HEAD if revision == "head" else revision
    if current_revision(engine) == target:
        return None
    with serial(engine), engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # pragmas that work only outside a transaction: on the driver's connection
            cursor = connection.connection.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute(f"PRAGMA busy_timeout={UPGRADE_WAIT_MS}")
        try:
            with connection.execution_options(**{WRITE: True}).begin():
                done = _upgrade_locked(connection, engine, target)
        finally:
            if sqlite:
                cursor = connection.connection.cursor()
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return done


UPGRADE_WAIT_MS = 120_000
"""How long an upgrade waits for the write lock: another process may be creating or
upgrading the same database, which holds the lock throughout (seconds for a large record,
more on a busy machine), and the upgrade this one would do is then done already."""


def _upgrade_locked(connection: Connection, engine: Engine, target: str) -> Upgrade | None:
    """Inside the upgrade's transaction, which holds the write lock."""
    from alembic import command

    current = _revision(connection)
    if current == target:
        return None  # another process upgraded it while this one waited for the lock
    where = engine.url.render_as_string(hide_password=True)
    if current is not None and current not in REVISIONS:
        raise StorageError(
            "db",
            where,
            f"was written by a newer forecasts (schema {current}; this one knows up to "
            f"{HEAD}); upgrade forecasts to open it",
        )
    repaired = _repair(connection, where, current)
    backup = _backup(engine, connection) if current is not None else None
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, target)
    if engine.dialect.name == "sqlite":
        problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
        if problems:
            raise StorageError("db", where, f"upgrade would break foreign keys: {problems[:5]}")
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    return Upgrade(current, target, backup, repaired)


def _repair(connection: Connection, where: str, current: str | None) -> str | None:
    """Undo what an older forecasts left when a migration was killed halfway: an unfinished
    batch copy (``_alembic_tmp_*`` beside its table) is dropped; tables created by an
    unfinished first migration are dropped when they hold nothing. Anything else is
    explained, and nothing is touched."""
    names = set(inspect(connection).get_table_names())
    repaired = []
    for name in sorted(names):
        if not name.startswith("_alembic_tmp_"):
            continue
        if name.removeprefix("_alembic_tmp_") not in names:
            raise StorageError(
                "db",
                where,
                f"was left half-upgraded by an older forecasts ({name} without its table); "
                "restore it from a backup",
            )
        connection.exec_driver_sql(f'DROP TABLE "{name}"')
        repaired.append(f"dropped the unfinished copy {name}")
    ours = (names & set(SQLModel.metadata.tables)) - {"alembic_version"}
    if current is None and ours:
        rows = sum(
            connection.exec_driver_sql(f'SELECT COUNT(*) FROM "{name}"').scalar() or 0
            for name in ours
        )
        if rows:
            raise StorageError(
                "db",
                where,
                "holds forecasts tables with data but no schema version (left half-created "
                "by an older forecasts); restore it from a backup",
            )
        for name in ours:
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        repaired.append("removed the empty tables of an unfinished first migration")
    return "; ".join(repaired) or None


def _backup(engine: Engine, connection: Connection) -> Path | None:
    """Copy a database that holds data before its schema changes, with SQLite's online
    backup API, beside it; return the copy's path."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        return None
    held = connection.exec_driver_sql(
        "SELECT (SELECT COUNT(*) FROM question) + (SELECT COUNT(*) FROM forecaster)"
    ).scalar()
    if not held:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for attempt in range(1, 1000):
        suffix = "" if attempt == 1 else f"-{attempt}"
        copy = path.with_name(f"{path.name}.{stamp}{suffix}.backup")
        if not copy.exists():
            break
    partial = copy.with_name(copy.name + ".partial")
    partial.unlink(missing_ok=True)
    backup_to(path, partial)
    partial.rename(copy)  # a copy under the backup's name is always whole
    return copy


def backup_to(path: Path, copy: Path) -> None:
    """Copy the SQLite database at ``path`` to ``copy`` (a new file, private to its owner)
    with the online backup API: a consistent copy even while others write."""
    try:
        copy.touch(mode=0o600, exist_ok=False)
    except FileExistsError:
        raise StorageError("file", str(copy), "exists already; choose another name") from None
    except OSError as exc:
        raise StorageError("file", str(copy), f"cannot be written: {exc.strerror}") from None
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        target.close()
        copy.unlink(missing_ok=True)
        raise StorageError("file", str(copy), f"could not be written: {exc}") from None
    finally:
        source.close()
        target.close()


def pending_changes(engine: Engine) -> list:
    """What autogenerate would add to make the database match the tables (empty when in step)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, SQLModel.metadata)
