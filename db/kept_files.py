"""Files kept in the user's cache folder between commands (scores as printed, forecasts'
columns): the folder stays within a number of files and bytes. Only the standard library,
so that printing kept scores loads nothing more."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path


def prune(folder: Path, *, suffix: str, most_files: int, most_bytes: int) -> None:
    """Remove the least recently used ``suffix`` files of ``folder`` beyond ``most_files``
    or ``most_bytes``, and what a crash left half written (``.part``) an hour ago or more.
    Another process pruning or writing at the same time only means a file is already
    gone."""
    files = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            continue
        if entry.name.endswith(".part"):
            if now - stat.st_mtime > 3600:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        elif entry.name.endswith(suffix):
            files.append((stat.st_mtime, stat.st_size, entry.path))
    files.sort(reverse=True)  # the most recently used first
    kept_bytes = 0
    for count, (_, size, path) in enumerate(files, start=1):
        kept_bytes += size
        if count > most_files or kept_bytes > most_bytes:
            with contextlib.suppress(OSError):
                os.unlink(path)
