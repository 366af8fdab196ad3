"""Scores kept between commands. At 1,000,000 forecasts ``score`` and ``calibration`` take
seconds to work out; asked again with nothing written in between, they print what they
printed before, from a file in the user's cache folder.

What they print can never be stale. The database holds a revision token that triggers
replace with a new random one on every insert, update or delete in any of its tables
(migration 0014), whichever program writes; the token is read in the command's own read
transaction, with the data when they are worked out. A kept output is used only when the
token, the database file, the command with every option and forecasts' code are all the
same, and the clock is still inside the span in which the scores cannot change by
themselves (until the next resolved question reaches the end of its scoring, and not before
the last one did). Anything wrong with the file (missing, unreadable, from another version,
half written by a crash) only means working the scores out again. The folder keeps at most
200 files and 1 GiB: the least recently used go first.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db import kept_files

FORMAT = 1
MOST_FILES = 200
MOST_BYTES = 1 << 30
"""The kept files stay within these: after each one is written, the least recently used
go first (a kept output printed again counts as used)."""


def code_fingerprint() -> str:
    """A digest of forecasts' own code (every module of ``cli``, ``db`` and ``forecasts``,
    migrations included) and the kept files' format: new code never reads old scores."""
    code = kept_files.fingerprint("cli", "db", "forecasts")
    return hashlib.sha256(f"format {FORMAT} {code}".encode()).hexdigest()


def revision(connection: sqlite3.Connection) -> str | None:
    """The database's revision token, read in the caller's read transaction."""
    try:
        row = connection.execute("SELECT token FROM data_revision").fetchone()
    except sqlite3.Error:
        return None
    return row[0].hex() if row is not None and isinstance(row[0], bytes) else None


class Kept:
    """One kept output: of one command with its options, on one database file. The file
    holds a line of JSON (the revision token, the code's fingerprint and the span in which
    the output holds), then the output as it was printed."""

    def __init__(self, database: Path, command: str, options: dict[str, Any]) -> None:
        from platformdirs import user_cache_path

        key = json.dumps([str(database), command, options], sort_keys=True, default=str)
        name = hashlib.sha256(key.encode()).hexdigest()[:40]
        self.file = user_cache_path("forecasts", appauthor=False) / "scores" / f"{name}.txt"
        self.key = key

    def get(self, token: str, now: float) -> str | None:
        """The output kept at revision ``token`` if it still holds at ``now`` (seconds since
        the epoch); None otherwise."""
        try:
            with self.file.open(encoding="utf-8", newline="") as kept:
                header = json.loads(kept.readline())
                output = kept.read()
        except (OSError, ValueError):
            return None
        if not isinstance(header, dict) or [
            header.get(name) for name in ("key", "token", "code")
        ] != [self.key, token, code_fingerprint()]:
            return None
        since, until = header.get("since"), header.get("until")
        if (since is not None and now < since) or (until is not None and now >= until):
            return None
        kept_files.used(self.file)
        return output

    def put(self, token: str, output: str, span: tuple[float, float]) -> None:
        """Keep ``output`` at revision ``token``, holding from ``span[0]`` until before
        ``span[1]`` (infinite ends stand for no limit); written whole or not at all."""
        since, until = span
        header = {
            "key": self.key,
            "token": token,
            "code": code_fingerprint(),
            "since": since if since != float("-inf") else None,
            "until": until if until != float("inf") else None,
        }
        text = (json.dumps(header) + "\n" + output).encode("utf-8")
        if kept_files.write_whole(self.file, lambda out: out.write(text)):
            prune(self.file.parent)
        # else a cache folder that cannot be written: the scores are worked out each time


def prune(folder: Path, *, most_files: int | None = None, most_bytes: int | None = None) -> None:
    """Remove the least recently used kept outputs beyond ``most_files`` or ``most_bytes``
    (:func:`db.kept_files.prune`)."""
    kept_files.prune(
        folder,
        suffix=".txt",
        most_files=MOST_FILES if most_files is None else most_files,
        most_bytes=MOST_BYTES if most_bytes is None else most_bytes,
    )


def kept_output(
    reader: Any,
    command: str,
    options: dict[str, Any],
    work_out: Callable[[], tuple[str, tuple[float, float]]],
) -> str:
    """What ``command`` with ``options`` prints: kept from an earlier run when it still
    holds, else ``work_out()`` (the output and the span in which it holds), then kept. Only
    a database read the light way (a file at the newest schema) keeps its scores."""
    connection = getattr(reader, "connection", None)
    path = getattr(reader, "path", None)
    token = revision(connection) if connection is not None and path is not None else None
    try:
        code_fingerprint()
    except OSError:  # the code's files cannot be read (an unusual install): keep nothing
        token = None
    if token is None:
        return work_out()[0]
    kept = Kept(path, command, options)
    found = kept.get(token, reader.clock().timestamp())
    if found is not None:
        return found
    output, span = work_out()
    kept.put(token, output, span)
    return output
