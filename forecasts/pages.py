"""Saved web pages: the article's main text and what the page says of it (title, outlet,
author, publication date), extracted with trafilatura and htmldate.

The page is read from its bytes as saved; nothing is fetched. Navigation, headers, footers,
cookie banners and lists of other headlines outside the article are left behind; what page
furniture remains inside the article's text is marked when the source is stored, as for a
text file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from forecasts.errors import InvalidInput

MIN_WORDS = 25
"""Fewer words than this is not an article (a login page, an index of headlines)."""

_HTML_START = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


@dataclass(frozen=True)
class Page:
    """What a saved page gives a source: the article's text, and each piece of metadata the
    page states (empty or None where it states none)."""

    text: str
    title: str
    outlet: str
    author: str
    published_on: date | None
    url: str | None
    original_sha256: str


def is_page(name: str, head: bytes) -> bool:
    """Whether a file is a web page: named .html or .htm, or opening as HTML does."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(head))


def extract(content: bytes, where: str) -> Page:
    """The article in a saved page; a page with no article text is refused naming
    ``where`` (the file)."""
    import trafilatura  # loaded by the one command that reads pages

    found = trafilatura.bare_extraction(
        content,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = "" if found is None else _paragraphs(found.text or "")
    if len(text.split()) < MIN_WORDS:
        raise InvalidInput(
            "FILE", where, "holds no article text that could be extracted from the page"
        )
    return Page(
        text=text,
        title=_line(found.title),
        outlet=_line(found.sitename),
        author=_line(found.author),
        published_on=_day(found.date),
        url=found.url or None,
        original_sha256=hashlib.sha256(content).hexdigest(),
    )


def _paragraphs(text: str) -> str:
    """One paragraph per line, a blank line between them, as a saved text reads."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line) + "\n"


def _line(value: str | None) -> str:
    return " ".join((value or "").split())


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
