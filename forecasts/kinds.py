"""The domain's names and the one rule scoring applies per forecast, without Pydantic: the
kinds of questions, statuses, forecasters and events, the outcomes every question knows,
and the backdating rule. :mod:`forecasts.models` builds on these; the score loader and the
command line's light paths use them alone, so they start without loading the models."""

from __future__ import annotations

from enum import StrEnum

ANNULLED = "annulled"
YES = "yes"
NO = "no"


class QuestionKind(StrEnum):
    """What a question asks for: one probability of yes, or one per scenario."""

    BINARY = "binary"
    MULTIPLE_CHOICE = "multiple_choice"


class QuestionStatus(StrEnum):
    """Derived from the close date and the current resolution, never set by hand."""

    OPEN = "open"
    CLOSED = "closed"  # past close_at, awaiting resolution
    RESOLVED = "resolved"
    ANNULLED = "annulled"


class ForecasterKind(StrEnum):
    """Who stands behind a forecast."""

    PERSON = "person"
    ORGANISATION = "organisation"
    GROUP = "group"
    USER = "user"


class EventKind(StrEnum):
    """What a correction or change of state did, as the event log records it."""

    EDITED = "edited"
    RETRACTED = "retracted"
    WITHDRAWN = "withdrawn"
    RESTORED = "restored"
    RENAMED = "renamed"
    MERGED = "merged"


class DatePrecision(StrEnum):
    """How exactly a date is known: to the day, or only approximately (an estimate)."""

    DAY = "day"
    APPROXIMATE = "approximate"


DAY = 86_400.0
"""Seconds in a day: an own entry may say it was made on the day before it was recorded (UTC),
at any time of that day, for "I wrote this down yesterday"."""


def backdated(made_at, recorded_at, resolved_at, *, imported, quoted, published):
    """The backdating rule (docs/scoring.md), on moments in seconds since the epoch, for one
    forecast (numbers and bools) or many (numpy arrays) alike.

    A forecast is *documented* when it quotes a source published on or before it was made
    (``published`` is the start of the publication day, NaN without a source); *imported*
    when it came from another tool's record. Anything else is the forecaster's own entry, and
    it is backdated when it says it was made before the day before it was recorded (UTC), or
    when it was recorded after its question's resolution (``resolved_at``; infinity when
    there is none). A backdated forecast is kept and shown, and left out of scores by
    default."""
    documented = quoted & (published <= made_at)
    own = (imported ^ True) & (documented ^ True)
    yesterday = (recorded_at // DAY - 1) * DAY  # the start of the day before it was recorded
    return own & ((made_at < yesterday) | (recorded_at > resolved_at))
