"""The deadline a sentence sets, resolved against the day its article was published: "May
9" is 9 May of the year the article looks ahead to, "by year's end" is 31 December, "next
month" is the last day of the month after publication.

A deadline is the last day on which the event still counts, so a month ("by June", "in June")
is its last day and a year ("in 2027") is 31 December. A day already past at
publication is taken in the next year ("January 20" in a December article is next January)
unless it is recent (see :data:`RECENT`); so is a month already past ("in February" in an
April article).
Only expressions of a deadline are read; a date the sentence reports as past ("on April 26
Gerasimov reported") is the writer's, and a judgment is about what is still to come.

Written for this job rather than taken from a general date parser: those find dates in
free text too eagerly ("May" the modal verb, "March" the verb) and give a day for "by June"
rather than the month's end a deadline needs.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from forecasts.verbal import _compiled

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NUMBERS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(_NUMBERS) + r")"
_UNIT = r"(?P<unit>day|week|month|year)s?"

_RULES: tuple[tuple[str, str], ...] = (
    # "9 May 2025", "May 9, 2025", "May 9", "9 May"
    ("day", rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"),
    ("day", rf"{_MONTH}\s+{_DAY}(?![\d:])(?:,?\s+{_YEAR})?"),
    # "by the end of the year", "by year's end", "this year", "later this year"
    ("year_end", r"(?:the\s+)?end\s+of\s+(?:the|this)\s+year|(?:the\s+)?year[’']s\s+end|"
     r"year-end|this\s+year|later\s+this\s+year|the\s+rest\s+of\s+the\s+year"),
    ("next_year", r"next\s+year"),
    ("month_end", r"(?:the\s+)?end\s+of\s+(?:the|this)\s+month|this\s+month"),
    ("next_month", r"next\s+month"),
    ("next_week", r"next\s+week"),
    ("within", rf"(?:within|in)\s+(?:the\s+next\s+)?{_COUNT}\s+{_UNIT}"),
    ("within", rf"(?:the\s+)?(?:next|coming)\s+{_COUNT}\s+{_UNIT}"),
    # "in June 2025", "by June", "by the end of June"
    ("month", rf"(?:by|in|before|until|through|during|of|end\s+of)\s+{_MONTH}"
     rf"(?!\s+[0-3]?\d(?!\d))(?:\s+{_YEAR})?"),
    # "by 2027", "in 2027"
    ("year", rf"(?:by|in|before|until|through|during)\s+(?:the\s+end\s+of\s+)?{_YEAR}"),
)  # fmt: skip
_COMPILED = tuple((kind, _compiled(pattern)) for kind, pattern in _RULES)
"""The rules matched as the lexicon's phrases are: case-insensitive, on word boundaries (each
whole pattern, its alternatives included)."""


_BEFORE = re.compile(
    r"\bbefore\s+(?:(?:the\s+)?(?:[\w’'.-]+\s+){0,4}(?:on|of)\s+|the\s+)?$", re.IGNORECASE
)
"""A deadline named after "before" ("before 20 January", "before the US inauguration of
20 January"): the day before it is the last that counts."""


@dataclass(frozen=True)
class Deadline:
    """A deadline found in a sentence: the day, and the words that gave it."""

    day: date
    words: str
    start: int
    end: int


def deadlines(sentence: str, published: date) -> list[Deadline]:
    """Every deadline ``sentence`` names, resolved against ``published``, in reading order;
    where two readings overlap the longer is kept."""
    found = []
    for kind, rule in _COMPILED:
        for match in rule.finditer(sentence):
            month = match.groupdict().get("month")
            if month is not None and not month[0].isupper():
                continue  # "may 9": the verb; months are written with a capital
            day = _resolve(kind, match, published)
            if day is None:
                continue
            if _BEFORE.search(sentence[: match.start()]) or (
                match.group().lower().startswith("before")
            ):
                # "before 20 January", "before June", "before 2027": the day before it starts
                starts = {"month": day.replace(day=1), "year": date(day.year, 1, 1)}
                day = starts.get(kind, day) - timedelta(days=1)
            found.append(Deadline(day, match.group(), match.start(), match.end()))
    found.sort(key=lambda d: (-(d.end - d.start), d.start))
    kept: list[Deadline] = []
    for item in found:
        if all(item.end <= other.start or item.start >= other.end for other in kept):
            kept.append(item)
    return sorted(kept, key=lambda d: d.start)


def deadline(sentence: str, published: date) -> Deadline | None:
    """The latest deadline ``sentence`` names on or after ``published`` (the one the event
    must happen by), or None."""
    ahead = [d for d in deadlines(sentence, published) if d.day >= published]
    return max(ahead, key=lambda d: d.day) if ahead else None


def _resolve(kind: str, match: re.Match[str], published: date) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind == "day":
        return _day(_MONTHS[groups["month"].lower()], int(groups["day"]), year, published)
    if kind == "month":
        month = _MONTHS[groups["month"].lower()]
        if match.group().split()[0].lower() == "of":
            return None  # "the end of May" is read as a month by "end of"; "of May" alone is not
        if year is None:
            year = published.year + (month < published.month)
        return _month_end(year, month)
    if kind == "year":
        return date(year or published.year, 12, 31)
    if kind == "within":
        return _after(published, _count(groups["count"]), groups["unit"].lower())
    return _relative(kind, published)


def _relative(kind: str, published: date) -> date:
    if kind == "year_end":
        return date(published.year, 12, 31)
    if kind == "next_year":
        return date(published.year + 1, 12, 31)
    if kind == "month_end":
        return _month_end(published.year, published.month)
    if kind == "next_month":
        year, month = divmod(published.year * 12 + published.month, 12)
        return _month_end(year, month + 1)
    assert kind == "next_week"
    # the end of next week: the Sunday after the coming Monday
    return published + timedelta(days=7 - published.weekday() + 6)


RECENT = 92
"""Days before publication within which a day named without its year is the one just past
("on April 27" in an article of 28 April); further back it is next year's ("January 20" in
a December article)."""


def _day(month: int, day: int, year: int | None, published: date) -> date | None:
    if year is None:
        year = published.year
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        if (published - date(year, month, day)).days > RECENT:
            year += 1
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _count(words: str) -> int:
    return int(words) if words.isdigit() else _NUMBERS[words.lower()]


def _after(published: date, count: int, unit: str) -> date:
    if unit == "day":
        return published + timedelta(days=count)
    if unit == "week":
        return published + timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(published.year * 12 + published.month - 1 + months, 12)
    month += 1
    return date(year, month, min(published.day, calendar.monthrange(year, month)[1]))
