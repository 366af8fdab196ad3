"""Page furniture in captured articles: cookie notices, advertisement markers, "Read More"
links, photo credits, datelines and lists of unrelated headlines.

Furniture stays in a source's stored text, so offsets and the SHA-256 stay true to the
capture, but it is marked: detection skips it and quotes may not come from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A marked stretch ``text[start:end]`` of a source, with what kind of furniture it is."""

    start: int
    end: int
    kind: str

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


# Whole lines that are furniture, with their kind.
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("cookie notice", r".*\b(?:uses?|using)\s+cookies\b.*"),
        ("cookie notice", r".*\bcookie\s+(?:policy|settings|preferences)\b.*"),
        ("advertisement", r"(?:advertisement|advertising|sponsored(?:\s+content)?|ad)"),
        (
            "link",
            r"(?:read\s+more|read\s+the\s+full\s+article(?:\s+here)?|continue\s+reading|"
            r"click\s+here.*|subscribe.*|sign\s+up.*|share\s+this.*|accept|follow\s+us\b.*|"
            r"(?:more|related|see\s+also|also\s+read|read\s+also|recommended)\s*:.*)",
        ),
        (
            "comments",
            r"comments?\s+(?:are\s+)?closed\b.*|(?:\d+|no)\s+comments?:?|"
            r"(?:\d+|no)\s+comments?\s+on\s+[\"“‘'].{1,200}|"  # "4 comments on “Headline”"
            r"(?:leave|post)\s+a\s+(?:comment|reply)|"
            r"note:\s+only\s+a\s+member\s+of\s+this\s+blog\s+may\s+post\s+a\s+comment\.?",
        ),
        (
            "dateline",
            r"published\s+(?:at|on)\s*:?.*|updated\s*:.*|[A-Z]{2,}[A-Z/]*//|[A-Z]{2,}DESK//?",
        ),
        (
            "credit",
            r".{3,160}\s\|\s*(?:AP|AFP|Reuters|Getty(?:\s+Images)?|EPA|Yonhap|"
            r"Xinhua|KCNA|[A-Z][A-Za-z]+\s+Photo)\s*",
        ),
        ("stray", r"(?:\d{1,3}|x|us|uk|menu|close|share|print|home)"),
    )
)

_HEADLINE_TEASER = re.compile(r".{20,}(?:…|\.\.\.)\s*$")


def find_furniture(text: str) -> tuple[Span, ...]:
    """Mark the furniture lines of ``text``; offsets are character positions in ``text``."""
    spans: list[Span] = []
    lines = list(_lines(text))
    teasers: list[tuple[int, int]] = []
    for start, end in lines:
        line = text[start:end].strip()
        if not line:
            continue
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        last = first + len(line)
        if _HEADLINE_TEASER.fullmatch(line):
            teasers.append((first, last))
            continue
        for kind, rule in _LINE_RULES:
            if rule.fullmatch(line):
                spans.append(Span(first, last, kind))
                break
        else:
            cookie = re.search(r"this\s+(?:web)?site\s+uses\s+cookies", line, re.IGNORECASE)
            if cookie:  # a cookie notice glued to the end of a line
                spans.append(
                    Span(start + text[start:end].find(cookie.group()), last, "cookie notice")
                )
    # Two or more headline teasers in a row are a list of other articles.
    run: list[tuple[int, int]] = []
    for teaser in [*teasers, (-1, -1)]:
        if run and (teaser[0] < 0 or not _adjacent(text, run[-1][1], teaser[0])):
            if len(run) >= 2:
                spans.extend(Span(a, b, "other headlines") for a, b in run)
            run = []
        if teaser[0] >= 0:
            run.append(teaser)
    return tuple(sorted(spans))


def _lines(text: str):
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        yield position, position + len(stripped)
        position += len(line)


def _adjacent(text: str, end: int, start: int) -> bool:
    return not text[end:start].strip()


def in_furniture(spans: tuple[Span, ...], start: int, end: int) -> Span | None:
    """The furniture span that ``text[start:end]`` overlaps, if any."""
    for span in spans:
        if span.overlaps(start, end):
            return span
    return None
