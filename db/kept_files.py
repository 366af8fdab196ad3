"""Files kept in the user's cache folder between commands (scores as printed, forecasts'
columns): each written whole or not at all, and the folder within a number of files and
bytes, the least recently used going first. Only the standard library, so that printing
kept scores loads nothing more."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


@functools.cache
def fingerprint(*packages: str) -> str:
    """A digest of the code of ``packages`` (every module, by its path in the package and
    its bytes): what kept results were worked out by, so new code never reads old ones. The
    files are read, not imported (a few milliseconds)."""
    digest = hashlib.sha256()
    for package in packages:
        root = Path(importlib.import_module(package).__path__[0])
        for module in sorted(root.rglob("*.py")):
            digest.update(module.relative_to(root).as_posix().encode())
            digest.update(module.read_bytes())
    return digest.hexdigest()


def write_whole(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """``write`` into a new file that then replaces ``path`` at once (a crash leaves a
    ``.part`` file beside it, which :func:`prune` removes later); False when the folder
    cannot be written, which only means nothing is kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def used(path: Path) -> None:
    """Mark a kept file as just used: the last to go when its folder is pruned."""
    with contextlib.suppress(OSError):
        os.utime(path)


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
