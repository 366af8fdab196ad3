"""A source from a file, the one way the command line and the app take one in: a saved web
page (its article and what the page says of it) or a UTF-8 text file, read within limits,
with what the user gave winning over what the file says.
"""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forecasts.errors import InvalidInput, from_validation_error
from forecasts.models import DatePrecision, Source
from forecasts.pages import extract, is_page
from forecasts.parsing import parse_date

MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""The largest source file forecasts reads (10 MiB: a long report, many times over)."""

GIVEN = ("title", "published", "outlet", "author", "url", "date_note")
"""What a user may give beside the file; each wins over what the file says."""


ASK = {"title": "--title", "published": "--published YYYY-MM-DD"}
"""How the command line asks for a title or date the file does not give."""


def source_from_file(
    path: Path,
    given: dict[str, str | None],
    *,
    approximate: bool = False,
    ask: dict[str, str] = ASK,
) -> Source:
    """The source a file holds, with the fields ``given`` (None, or a blank title or date:
    take the file's); the date is approximate with ``approximate``. A title or date that
    neither gives is asked for as ``ask`` says; every field refused is reported naming it."""
    content = read_source_file(path)
    if is_page(path.name, content[:1024]):
        page = extract(content, str(path))
        found: dict[str, Any] = {
            "text": page.text,
            "title": page.title,
            "outlet": page.outlet,
            "author": page.author,
            "url": page.url,
            "published": page.published_on,
            "date_note": "Read from the saved page." if page.published_on else "",
            "original_sha256": page.original_sha256,
        }
    else:
        found = {"text": _utf8(content, path)}
    for name in GIVEN:
        value = given.get(name)
        if value is not None and (value.strip() or name not in ("title", "published")):
            found[name] = value
    for name in ("title", "published"):
        if not found.get(name):
            raise InvalidInput(name, str(path), f"is not in the file; give {ask[name]}")
    day = found.pop("published")
    found["published_on"] = day if isinstance(day, date) else parse_date(day, "published")
    found["date_precision"] = DatePrecision.APPROXIMATE if approximate else DatePrecision.DAY
    try:
        return Source(**found)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def dropped_path(text: str) -> Path:
    """The file a path typed or dropped into a terminal names: terminals paste a dropped
    file quoted ('/a/My page.html'), with its spaces escaped (/a/My\\ page.html) or as a
    file:// address; a leading ~ is the home folder."""
    words = text.strip()
    if len(words) >= 2 and words[0] == words[-1] and words[0] in "'\"":
        words = words[1:-1]
    elif words.startswith("file://"):
        from urllib.parse import unquote, urlparse

        words = unquote(urlparse(words).path)
    else:
        words = re.sub(r"\\(.)", r"\1", words)
    return Path(words).expanduser()


def read_source_file(path: Path) -> bytes:
    """A regular file's bytes; a folder, device or pipe (which could block or never end)
    or a file over :data:`MAX_SOURCE_BYTES` is refused first."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InvalidInput("FILE", str(path), f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput("FILE", str(path), "is not a regular file (a folder, device or pipe)")
    if info.st_size > MAX_SOURCE_BYTES:
        raise InvalidInput(
            "FILE", str(path), f"is {info.st_size} bytes; sources are limited to 10 MiB"
        )
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput("FILE", str(path), f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise InvalidInput("FILE", str(path), "grew past 10 MiB while it was read")
    return data


def _utf8(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("FILE", str(path), "is not UTF-8 text") from None
