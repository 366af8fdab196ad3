"""The light way into a database for commands that only read: Python's own sqlite3, no
SQLAlchemy, no Alembic, so ``forecasts question list`` answers in a fraction of the time
that loading the full database layer takes.

It is taken only when there is nothing for the full way to do first: the file exists, is a
SQLite database marked as forecasts' own, and its schema is at the newest revision. Anything
else (a new or empty file, an older or newer schema, a URL, a file of another program, a
lock that does not clear) answers None, and the command opens the repository as before,
which creates, upgrades, repairs or refuses with its one clear line.

A reader holds one read transaction from opening to closing, so everything a command reads
comes from one state of the database while other processes write.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forecasts.parsing import utc_now

if TYPE_CHECKING:  # the models load with the first read of them, not for scores
    from db import reads

ENV_VAR = "FORECASTS_DB"
BUSY_TIMEOUT_MS = 5000
APPLICATION_ID = 0x46435354  # "FCST" in the SQLite header: this file is a forecasts database
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_URL = "sqlite:///"
REVISIONS = tuple(f"{number:04d}" for number in range(1, 16))
"""Every migration, oldest first; a test checks them against Alembic's reading of the
scripts."""
HEAD = REVISIONS[-1]


def default_db_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``FORECASTS_DB`` says otherwise."""
    from platformdirs import user_data_path

    return user_data_path("forecasts", appauthor=False) / "forecasts.db"


def chosen_file(db: str | None) -> Path | None:
    """The SQLite file ``--db``, else ``FORECASTS_DB``, else the default names (a plain
    ``sqlite:///`` URL names a file too); None for any other URL (or nothing usable), which
    only the full way reads."""
    chosen = db if db is not None else os.environ.get(ENV_VAR) or None
    if chosen is None:
        return default_db_path()
    url = chosen.startswith(SQLITE_URL) and not any(c in chosen for c in "?%#")
    if url:
        chosen = chosen[len(SQLITE_URL) :]  # sqlite:///relative.db, sqlite:////absolute.db
    if not chosen.strip() or "://" in chosen:
        return None
    try:
        path = Path(chosen)
        return (path if url else path.expanduser()).resolve()  # a URL's "~" is a name
    except (OSError, RuntimeError):
        return None


class Reader:
    """Reads for one command, in one read transaction on its own connection."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        clock: Callable[[], datetime] = utc_now,
        path: Path | None = None,
    ) -> None:
        self.connection = connection
        self.clock = clock
        self.path = path  # the database file, resolved

    def iter_questions(self, **query: Any) -> Iterator[reads.QuestionSummary]:
        from db import reads

        return reads.iter_questions(self.connection, now=self.clock(), **query)

    def iter_listed(self, **query: Any) -> Iterator[reads.ListedQuestion]:
        from db import reads

        return reads.iter_listed(self.connection, now=self.clock(), **query)

    def iter_question_json(self, **query: Any) -> Iterator[str]:
        from db import reads

        return reads.iter_question_json(self.connection, now=self.clock(), **query)

    def question_detail(self, *, ref: reads.Ref) -> reads.QuestionDetail:
        from db import reads

        return reads.question_detail(self.connection, ref)

    def track_record(self, **query: Any) -> list[reads.TrackRecordRow]:
        from db import reads

        return reads.track_record(self.connection, now=self.clock(), **query)

    def close(self) -> None:
        try:
            self.connection.rollback()  # nothing was written: end the read transaction
        finally:
            self.connection.close()


class Writer(Reader):
    """For a command that logs a forecast or resolves a question: reads as it goes, each on
    its own, and the write in one transaction begun with BEGIN IMMEDIATE (the check and the
    insert it guards under the write lock), committed at once, or rolled back whole."""

    def __init__(self, connection: sqlite3.Connection, *, user_name: str, **options: Any) -> None:
        super().__init__(connection, **options)
        self.user_name = user_name

    def question(self, *, ref: Any) -> Any:
        from db import reads

        return reads.load_question(self.connection, reads.question_id(self.connection, ref))

    def source(self, *, ref: Any) -> Any:
        from db import reads

        return reads.load_source(self.connection, reads.source_id(self.connection, ref))

    def forecaster(self, *, ref: Any) -> Any:
        from db import reads

        return reads.to_forecaster(reads.forecaster_row(self.connection, ref))

    def log_forecast(self, draft: Any) -> Any:
        from db import writes

        return self._write(writes.log_forecast, draft)

    def resolve(self, draft: Any) -> Any:
        from db import writes

        return self._write(writes.resolve, draft)

    def _write(self, write: Callable[..., Any], draft: Any) -> Any:
        from db import writes

        now = self.clock()
        with writes.storage_errors():
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                done = write(self.connection, draft, now=now, user_name=self.user_name)
            except BaseException:
                self.connection.rollback()
                raise
            self.connection.commit()
        return done

    def close(self) -> None:
        self.connection.close()


def open_writer(db: str | None, *, user_name: str | None) -> Writer | None:
    """A writer on the database ``db`` names when the light way can take it, else None;
    writes are recorded as made by ``user_name``, else by the OS user."""
    from db.writes import default_user_name

    reader = open_reader(db)
    if reader is None:
        return None
    connection = reader.connection
    connection.rollback()  # the reader's read transaction: a writer begins its own
    connection.execute("PRAGMA query_only=0")
    connection.execute("PRAGMA foreign_keys=ON")
    return Writer(connection, user_name=user_name if user_name is not None else default_user_name())


def read_page(db: str | None, query: Any, *, now: datetime, offset: int, limit: int) -> Any:
    """A page of the questions screen (:func:`db.reads.question_page`) read the light way, on
    a connection of its own, opened and closed here; None when the light way cannot read
    the database."""
    from db import reads

    reader = open_reader(db)
    if reader is None:
        return None
    try:
        return reads.question_page(reader.connection, query, now=now, offset=offset, limit=limit)
    finally:
        reader.close()


def open_reader(db: str | None, **options: Any) -> Reader | None:
    """A reader on the database ``db`` names when the light way can take it, else None."""
    path = chosen_file(db)
    if path is None:
        return None
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error):
        return None
    try:
        connection.execute("PRAGMA query_only=1")
        connection.execute("BEGIN")
        if connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise LookupError
        if connection.execute("SELECT version_num FROM alembic_version").fetchall() != [(HEAD,)]:
            raise LookupError
    except (LookupError, sqlite3.Error):
        connection.close()
        return None
    return Reader(connection, path=path, **options)
