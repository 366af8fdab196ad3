"""Text both interfaces show: data made safe to print, probabilities as percentages,
forecasts as values, and the messages an empty list shows. Plain strings only, no markup."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from forecasts.kinds import DatePrecision

if TYPE_CHECKING:
    from datetime import date

    from forecasts.models import Forecast, Question

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)

NO_QUESTIONS = (
    "No questions yet. Add one with: forecasts question add TITLE --criteria ... --close YYYY-MM-DD"
)
NO_SOURCES = (
    "No sources yet. Add one with: forecasts source add FILE --title ... --published YYYY-MM-DD"
)
NO_FORECASTERS = "No forecasters yet."
NO_SCORES = "Nothing to score yet: scores need resolved questions with forecasts."
RAISED_BY_INTENTION = "No judgment to log: a stated intention raised this question"
"""What accepting a draft says when it made a question from a stated intention alone."""


def safe(text: str | None) -> str:
    """``text`` with every control character (escape sequences included) shown as ``\\xNN``
    and every bidirectional control as ``\\uNNNN``.

    Newlines and tabs stay; nothing else from data can move the cursor, change colours or
    reorder what the reader sees.
    """
    if not text:
        return ""
    return _CONTROL.sub(_visible, text)


_UNSAFE_IN_JSON = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_escaped(text: str) -> str:
    """JSON text (control characters below 0x20 escaped already) with DEL, C1 controls, line
    and paragraph separators and bidirectional overrides written as \\u escapes too: the
    same JSON value, which printing can neither use to drive a terminal nor to reorder what
    a reader sees."""
    if text.isascii() and "\x7f" not in text:  # most text: nothing to escape, found at once
        return text
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str | None, width: int | None = None) -> str:
    """``text`` made safe, its white space folded to single spaces, cut to ``width``."""
    folded = " ".join(safe(text).split())
    if width is not None and len(folded) > width:
        return folded[: max(width - 1, 0)] + "…"
    return folded


def percent(value: float | None) -> str:
    """A probability as a percentage with at most one decimal: 0.325 -> '32.5%'."""
    if value is None:
        return "-"
    rounded = round(value * 100, 1) + 0.0  # + 0.0: a tiny negative shows as 0%, not -0%
    shown = f"{rounded:.1f}".rstrip("0").rstrip(".")
    return f"{shown}%"


def forecast_value(
    forecast: Forecast,
    question: Question,
    *,
    label_width: int | None = 20,
    separator: str = ", ",
) -> str:
    """A forecast as text: '15%', or each option (its label cut to ``label_width``) with its
    probability."""
    if forecast.probability is not None:
        return percent(forecast.probability)
    assert forecast.probabilities is not None
    return separator.join(
        f"{one_line(label, label_width)} {percent(p)}"
        for label, p in zip(question.options, forecast.probabilities, strict=True)
    )


def dated(day: date, precision: DatePrecision) -> str:
    """A date as YYYY-MM-DD, marked '~' when it is only an estimate."""
    mark = "~" if precision is DatePrecision.APPROXIMATE else ""
    return f"{mark}{day:%Y-%m-%d}"
