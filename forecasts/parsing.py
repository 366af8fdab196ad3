"""Parsing what people type: probabilities (0.15, 15%, 1:6 odds) and dates or moments."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time

from forecasts.errors import InvalidInput

_ODDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$")


def check_probability(value: float, field: str = "probability") -> float:
    """Return ``value`` as a float if it is a finite probability in [0, 1]; refuse it otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(field, value, "is not a number") from None
    if not math.isfinite(number):
        raise InvalidInput(field, value, "is not a finite number")
    if not 0.0 <= number <= 1.0:
        raise InvalidInput(field, value, "is not between 0 and 1")
    return number


def parse_probability(text: str, field: str = "probability") -> float:
    """Read a probability typed as ``0.15``, ``15%`` or odds ``1:6`` (1 for, 6 against).

    >>> parse_probability("15%")
    0.15
    >>> round(parse_probability("1:6"), 4)
    0.1429
    """
    raw = text.strip() if isinstance(text, str) else text
    if not isinstance(raw, str) or not raw:
        raise InvalidInput(field, text, "is empty; give 0.15, 15% or odds 1:6")
    if not raw.isascii():
        raise InvalidInput(field, text, "is not a probability; write it with ASCII digits")
    odds = _ODDS.match(raw)
    if odds:
        favour, against = float(odds.group(1)), float(odds.group(2))
        if favour + against == 0:
            raise InvalidInput(field, text, "is not valid odds: both sides are 0")
        return favour / (favour + against)
    percent = raw.endswith("%")
    number_text = raw[:-1].strip() if percent else raw
    try:
        number = float(number_text)
    except ValueError:
        raise InvalidInput(
            field, text, "is not a probability; give 0.15, 15% or odds 1:6"
        ) from None
    if not math.isfinite(number):
        raise InvalidInput(field, text, "is not a finite number")
    if percent:
        if not 0.0 <= number <= 100.0:
            raise InvalidInput(field, text, "is not between 0% and 100%")
        return number / 100.0
    if 1.0 < number <= 100.0:
        raise InvalidInput(field, text, f"is not between 0 and 1 (for a percentage write {raw}%)")
    if not 0.0 <= number <= 1.0:
        raise InvalidInput(field, text, "is not between 0 and 1")
    return number


def parse_date(text: str, field: str) -> date:
    """Read a calendar date written ``YYYY-MM-DD``."""
    try:
        if not text.isascii():
            raise ValueError("not ASCII")
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InvalidInput(field, text, "is not a date; write YYYY-MM-DD") from None


def parse_moment(text: str, field: str, *, end_of_day: bool = False) -> datetime:
    """Read a moment as ``YYYY-MM-DD`` or ISO 8601 date and time; the result is aware, in UTC.

    A bare date means the start of that day in UTC, or its last second with ``end_of_day``
    (a question that closes on 9 May stays open through 9 May). A time without an offset is UTC.
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not raw:
        raise InvalidInput(field, text, "is empty; write YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    if not raw.isascii():
        raise InvalidInput(field, text, "is not a date; write YYYY-MM-DD with ASCII digits")
    if len(raw) == 10:
        day = parse_date(raw, field)
        if end_of_day:
            return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        return start_of_day(day)
    try:
        return as_utc(datetime.fromisoformat(raw))
    except ValueError:
        raise InvalidInput(
            field, text, "is not a date or time; write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    except OverflowError:
        raise InvalidInput(
            field, text, "is out of range: in UTC it falls outside years 1-9999"
        ) from None


def start_of_day(day: date) -> datetime:
    """The first moment of ``day`` in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def utc_now() -> datetime:
    """The current moment, aware, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)
