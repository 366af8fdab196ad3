"""Domain models: frozen pydantic objects carrying every validation rule of forecasts.

Rules that need two objects at once (a forecast against its question, a quote against its
source) live in functions here too, so the storage layer and the interfaces share one
definition of what is valid.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from forecasts.errors import InvalidInput, raise_problems
from forecasts.furniture import Span, in_furniture
from forecasts.kinds import (
    ANNULLED,
    DAY,
    NO,
    YES,
    DatePrecision,
    EventKind,
    ForecasterKind,
    QuestionKind,
    QuestionStatus,
    backdated,
)
from forecasts.parsing import as_utc, check_probability, start_of_day

__all__ = [
    "ANNULLED",
    "DAY",
    "NO",
    "YES",
    "DatePrecision",
    "EventKind",
    "ForecasterKind",
    "QuestionKind",
    "QuestionStatus",
    "backdated",
]

SUM_TOLERANCE = 1e-9


def check_sum(vector: tuple[float, ...]) -> tuple[float, ...]:
    """Refuse probabilities over a question's options that do not sum to 1; nothing is ever
    normalised behind the user's back."""
    total = math.fsum(vector)
    if abs(total - 1.0) > SUM_TOLERANCE:
        shown = ", ".join(f"{p:g}" for p in vector)
        percent = f"{total * 100:.1f}".rstrip("0").rstrip(".")
        raise InvalidInput(
            "probabilities",
            shown,
            f"sum to {total:.10g} ({percent}%), not 1; nothing is normalised",
        )
    return vector


def _utc(value: datetime) -> datetime:
    return as_utc(value)


def _nonblank(value: str, info: ValidationInfo) -> str:
    stripped = value.strip()
    if not stripped:
        raise InvalidInput(info.field_name or "value", value, "must not be blank")
    return stripped


NonBlank = Annotated[str, AfterValidator(_nonblank)]
"""Text that must say something: stripped, and refused when blank, naming its field."""

UTCDateTime = Annotated[datetime, AfterValidator(_utc)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Resolution(_Frozen):
    """How a question turned out: yes, no, one option's label, or annulled."""

    id: int | None = None
    question_id: int | None = None
    outcome: NonBlank
    resolved_at: UTCDateTime
    evidence: str = ""
    source_id: int | None = None
    resolved_by: str = ""
    recorded_at: UTCDateTime | None = None
    recorded_by: str = ""

    @property
    def annulled(self) -> bool:
        return self.outcome == ANNULLED


class QuestionFields(_Frozen):
    """What a question asks and how it resolves, with every rule on them; shared by a stored
    question and a draft of one."""

    key: str | None = None
    title: NonBlank
    description: str = ""
    criteria: NonBlank
    kind: QuestionKind = QuestionKind.BINARY
    options: tuple[str, ...] = ()
    close_at: UTCDateTime
    resolve_by: UTCDateTime | None = None
    tags: tuple[str, ...] = ()
    narratives: tuple[str, ...] = ()
    """A scenario set's story of each option (its future as the analyst tells it), in the
    options' order; empty when none is told."""

    @field_validator("options")
    @classmethod
    def _options(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(label.strip() for label in value)

    @field_validator("narratives")
    @classmethod
    def _narratives(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        told = tuple(" ".join(story.split()) for story in value)
        return told if any(told) else ()

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        tags: list[str] = []
        for tag in value:
            clean = tag.strip().lower()
            if not clean or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", clean):
                raise InvalidInput("tags", tag, "is not a tag; use letters, digits, - _ or .")
            if clean not in tags:
                tags.append(clean)
        return tuple(sorted(tags))

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.kind is QuestionKind.BINARY:
            if self.options:
                raise InvalidInput(
                    "options", ", ".join(self.options), "given for a binary question"
                )
        else:
            labels = list(self.options)
            if len(labels) < 2:
                raise InvalidInput(
                    "options", ", ".join(self.options), "needs at least 2 for multiple choice"
                )
            seen: set[str] = set()
            for label in labels:
                if not label:
                    raise InvalidInput("options", label, "must not be blank")
                if label.casefold() == ANNULLED:
                    raise InvalidInput("options", label, "is reserved for annulled questions")
                if label.casefold() in seen:
                    raise InvalidInput("options", label, "appears twice; options must differ")
                seen.add(label.casefold())
        if self.narratives and self.kind is QuestionKind.BINARY:
            raise InvalidInput(
                "narratives", len(self.narratives), "given for a binary question (scenarios only)"
            )
        if self.narratives and len(self.narratives) != len(self.options):
            raise InvalidInput(
                "narratives",
                len(self.narratives),
                f"must be one per option ({len(self.options)}), in the options' order",
            )
        if self.resolve_by is not None and self.resolve_by < self.close_at:
            raise InvalidInput("resolve_by", self.resolve_by.isoformat(), "is before close_at")
        return self

    def narrative(self, option: str) -> str:
        """The story told of ``option`` ("" when none is)."""
        if not self.narratives or option not in self.options:
            return ""
        return self.narratives[self.options.index(option)]

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcomes a resolution may name (annulled aside)."""
        return (YES, NO) if self.kind is QuestionKind.BINARY else self.options


class Question(QuestionFields):
    """A question with resolution criteria precise enough that two people resolve it alike."""

    id: int | None = None
    created_at: UTCDateTime
    resolution: Resolution | None = None
    recorded_by: str = ""
    withdrawn: bool = False
    """Created by mistake and withdrawn: kept in the record, hidden from lists and scores."""

    @model_validator(mode="after")
    def _resolved_as_asked(self) -> Self:
        if self.resolution is not None:
            check_outcome(self, self.resolution.outcome)
        return self

    def status(self, now: datetime) -> QuestionStatus:
        """Open, closed (awaiting resolution), resolved or annulled, as of ``now``."""
        if self.resolution is not None:
            if self.resolution.annulled:
                return QuestionStatus.ANNULLED
            return QuestionStatus.RESOLVED
        if as_utc(now) >= self.close_at:
            return QuestionStatus.CLOSED
        return QuestionStatus.OPEN


def check_outcome(question: QuestionFields, outcome: str) -> str:
    """Return the canonical outcome for ``outcome`` on ``question``, or refuse it."""
    typed = outcome.strip()
    if typed.casefold() == ANNULLED:
        return ANNULLED
    for candidate in question.outcomes:
        if candidate.casefold() == typed.casefold():
            return candidate
    if question.kind is QuestionKind.MULTIPLE_CHOICE and typed.isdigit():
        index = int(typed)
        if 1 <= index <= len(question.options):
            return question.options[index - 1]
    allowed = ", ".join(question.outcomes)
    raise InvalidInput("outcome", outcome, f"is not an outcome of this question ({allowed})")


def name_key(name: str) -> str:
    """A name as uniqueness sees it: NFKC-normalised, case-folded, white space folded, so
    'Ölmann', 'ÖLMANN' and 'ölmann' name one forecaster."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class Forecaster(_Frozen):
    """A person, an organisation, a group of cited experts, or the user."""

    id: int | None = None
    name: NonBlank
    kind: ForecasterKind = ForecasterKind.PERSON
    affiliation: str = ""
    merged_into_id: int | None = None
    """Set once merged into another forecaster, whose forecasts these now count as."""


def text_sha256(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Source(_Frozen):
    """A document judgments come from, with its full text and that text's SHA-256."""

    id: int | None = None
    key: str | None = None
    title: NonBlank
    outlet: str = ""
    url: str | None = None
    published_on: date
    date_precision: DatePrecision = DatePrecision.DAY
    date_note: str = ""
    author: str = ""
    text: str
    furniture: tuple[Span, ...] = ()
    """Marked page furniture (cookie notices, headline lists): kept in the text, never quoted."""
    original_sha256: str | None = None
    """The SHA-256 of the file the text was extracted from (a saved web page), when it was."""

    @field_validator("original_sha256")
    @classmethod
    def _original(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise InvalidInput("original_sha256", value, "is not a SHA-256 in lowercase hex")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise InvalidInput("text", value, "is empty; a source needs its full text")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", value.strip()):
            raise InvalidInput("url", value, "is not a URL")
        return value.strip()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _folded(text: str) -> tuple[str, list[int]]:
    """Fold typographic quotes and runs of white space; map each folded index to the original."""
    out: list[str] = []
    index: list[int] = []
    previous_space = False
    for position, char in enumerate(text.translate(_QUOTE_FOLD)):
        if char.isspace():
            if previous_space:
                continue
            out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
        index.append(position)
    return "".join(out), index


def locate_quote(text: str, quote: str, *, start: int | None = None) -> tuple[int, int]:
    """Find ``quote`` in ``text`` and return its character span ``(start, end)``.

    The match tolerates straight for typographic quotes and differences in white space, as
    a quote typed at a keyboard would have, but the span always points at the source's own
    characters. With ``start`` the quote must begin there.
    """
    wanted = quote.strip()
    if not wanted:
        raise InvalidInput("quote", quote, "is empty")
    if start is not None:
        end = start + len(wanted)
        if text[start:end] == wanted:
            return start, end
        raise InvalidInput("quote", quote, f"is not the source text at character {start}")
    exact = text.find(wanted)
    if exact >= 0:
        return exact, exact + len(wanted)
    folded_text, index = _folded(text)
    folded_quote, _ = _folded(wanted)
    found = folded_text.find(folded_quote)
    if found < 0:
        raise InvalidInput("quote", quote, "does not occur in the source text")
    begin = index[found]
    end = index[found + len(folded_quote) - 1] + 1
    return begin, end


class ForecastValues(_Frozen):
    """What a forecast says and rests on, shared by a stored forecast and a draft: the
    probability (binary) or probabilities (multiple choice), how exactly its date is known,
    and the source, quote, phrase and scale it came from."""

    made_at_precision: DatePrecision = DatePrecision.DAY
    probability: float | None = None
    probabilities: tuple[float, ...] | None = None
    source_id: int | None = None
    quote: str | None = None
    quote_start: int | None = None
    phrase: str | None = None
    scale: str | None = None
    scale_probability: float | None = None
    inferred: bool = False
    rationale: str = ""
    imported: bool = False
    """Brought in from another tool's record, with that record's own timestamps."""

    @field_validator("probability", "scale_probability", mode="before")
    @classmethod
    def _probability(cls, value: object, info) -> object:
        if value is None:
            return None
        if isinstance(value, bool):
            raise InvalidInput(info.field_name, value, "is not a number")
        return check_probability(value, info.field_name)

    @field_validator("probabilities", mode="before")
    @classmethod
    def _probabilities(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise InvalidInput("probabilities", value, "is not a list of probabilities")
        return check_sum(tuple(check_probability(p, "probabilities") for p in value))


class Retraction(_Frozen):
    """Why and by whom a forecast was taken back."""

    reason: NonBlank
    recorded_by: str = ""
    recorded_at: UTCDateTime | None = None


class Forecast(ForecastValues):
    """One forecast: a probability of yes (binary) or one per option (multiple choice).

    Forecasts are append-only; a later one by the same forecaster on the same question
    supersedes the earlier, which stays in the record.
    """

    id: int | None = None
    question_id: int
    forecaster_id: int
    made_at: UTCDateTime
    quote_end: int | None = None
    recorded_at: UTCDateTime | None = None
    recorded_by: str = ""
    retraction: Retraction | None = None
    """Set when the forecast was retracted: it stays in the record, out of scores."""

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if (self.probability is None) == (self.probabilities is None):
            raise InvalidInput(
                "probability",
                self.probability,
                "needs exactly one of probability (binary) or probabilities (multiple choice)",
            )
        if self.quote is not None and self.source_id is None:
            raise InvalidInput("quote", self.quote, "needs a source to quote from")
        if self.scale_probability is not None and self.scale is None:
            raise InvalidInput("scale", None, "must be named when a scale value is given")
        return self

    def vector(self, question: Question) -> tuple[float, ...]:
        """The probabilities over the question's outcomes (yes, no for binary)."""
        if self.probability is not None:
            return (self.probability, 1.0 - self.probability)
        assert self.probabilities is not None
        return self.probabilities


def check_shape(question: Question, forecast: Forecast) -> None:
    """Refuse a probability shape that does not fit the question."""
    if question.kind is QuestionKind.BINARY:
        if forecast.probability is None:
            raise InvalidInput(
                "probability", forecast.probabilities, "must be one number for a binary question"
            )
        return
    if forecast.probabilities is None:
        raise InvalidInput(
            "probabilities",
            forecast.probability,
            f"needs one probability for each of the {len(question.options)} options",
        )
    if len(forecast.probabilities) != len(question.options):
        raise InvalidInput(
            "probabilities",
            ", ".join(f"{p:g}" for p in forecast.probabilities),
            f"gives {len(forecast.probabilities)} "
            f"value{'s' if len(forecast.probabilities) != 1 else ''} for "
            f"{len(question.options)} options ({', '.join(question.options)})",
        )


def check_published(published_on: date, *, now: datetime) -> None:
    """Refuse a source published after today: today somewhere on Earth, which is at most a
    day ahead of UTC (a paper dated this morning in Seoul is still dated yesterday in UTC)."""
    today = as_utc(now).date()
    if published_on > today + timedelta(days=1):
        raise InvalidInput(
            "published_on",
            published_on.isoformat(),
            f"is in the future (today is {today.isoformat()}, UTC)",
        )


def check_made_at(question: Question, made_at: datetime, *, now: datetime) -> None:
    """Refuse a forecast dated in the future, after the question closed or after it was
    resolved."""
    if made_at > as_utc(now):
        raise InvalidInput("made_at", made_at.isoformat(), "is in the future")
    if made_at > question.close_at:
        raise InvalidInput(
            "made_at",
            made_at.isoformat(),
            f"is after the question closed ({question.close_at.isoformat()})",
        )
    resolution = question.resolution
    if resolution is not None and made_at > resolution.resolved_at:
        raise InvalidInput(
            "made_at",
            made_at.isoformat(),
            f"is after the question was resolved ({resolution.resolved_at.isoformat()})",
        )


def check_quote(source: Source | None, quote: str, *, start: int | None = None) -> tuple[int, int]:
    """The span of ``quote`` in the source's text; refused when it is not there, or when it
    lies in page furniture."""
    if source is None:
        raise InvalidInput("source", None, "is needed to check the quote")
    begin, end = locate_quote(source.text, quote, start=start)
    if (mark := in_furniture(source.furniture, begin, end)) is not None:
        raise InvalidInput("quote", quote, f"lies in page furniture ({mark.kind}), not the article")
    return begin, end


def check_forecast(
    question: Question,
    forecast: Forecast,
    *,
    now: datetime,
    source: Source | None = None,
) -> Forecast:
    """Check ``forecast`` against its question (and source); return it with the quote's span.

    Refuses: a probability shape that does not fit the question, a forecast made after the
    question closed or after its resolution, one dated in the future, and a quote that does
    not occur in its source. Every problem is reported, the first one first.
    """
    problems: list[InvalidInput] = []
    span: tuple[int, int] | None = None
    for rule in (
        lambda: check_shape(question, forecast),
        lambda: check_made_at(question, forecast.made_at, now=now),
    ):
        try:
            rule()
        except InvalidInput as exc:
            problems.append(exc)
    if forecast.quote is not None:
        try:
            if source is not None and source.id != forecast.source_id:
                raise InvalidInput("source", forecast.source_id, "is needed to check the quote")
            span = check_quote(source, forecast.quote, start=forecast.quote_start)
        except InvalidInput as exc:
            problems.append(exc)
    raise_problems(problems)
    if span is None:
        return forecast
    begin, end = span
    assert source is not None
    return forecast.model_copy(
        update={"quote": source.text[begin:end], "quote_start": begin, "quote_end": end}
    )


def check_resolution(question: Question, resolution: Resolution, *, now: datetime) -> Resolution:
    """Check ``resolution`` against its question; return it with the canonical outcome."""
    outcome = check_outcome(question, resolution.outcome)
    if resolution.resolved_at > as_utc(now):
        raise InvalidInput("resolved_at", resolution.resolved_at.isoformat(), "is in the future")
    return resolution.model_copy(update={"outcome": outcome})


def repeats(current: Resolution, new: Resolution, *, dated: datetime | None) -> bool:
    """Whether ``new`` says again what ``current`` says: an annulment of an annulled
    question, or the same outcome on the same date (or with no date given)."""
    if new.annulled and current.annulled:
        return True
    same_date = dated is None or new.resolved_at == current.resolved_at
    return new.outcome == current.outcome and same_date


def is_backdated(forecast: Forecast, question: Question, source: Source | None) -> bool:
    """:func:`backdated` for one stored forecast on its question, quoting ``source``."""
    if forecast.recorded_at is None:
        return False
    resolution = question.resolution
    published = start_of_day(source.published_on).timestamp() if source is not None else math.nan
    return bool(
        backdated(
            forecast.made_at.timestamp(),
            forecast.recorded_at.timestamp(),
            resolution.resolved_at.timestamp() if resolution else math.inf,
            imported=forecast.imported,
            quoted=forecast.quote is not None,
            published=published,
        )
    )


def after_resolution(forecast: Forecast, resolution: Resolution | None) -> bool:
    """Whether a forecast was made after its question's (current) resolution: it stands in
    the record but is never scored."""
    return resolution is not None and forecast.made_at > resolution.resolved_at


def refuse_stranding(
    resolution: Resolution, forecasts: Sequence[Forecast], names: dict[int, str]
) -> None:
    """Refuse a resolution dated before forecasts already on its question, naming how many
    by whom: they would stand after the resolution, unscored."""
    stranded = [f for f in forecasts if after_resolution(f, resolution)]
    if not stranded:
        return
    by: dict[str, int] = {}
    for forecast in stranded:
        name = names.get(forecast.forecaster_id, f"#{forecast.forecaster_id}")
        by[name] = by.get(name, 0) + 1
    who = ", ".join(f"{name} ({count})" for name, count in sorted(by.items()))
    count = len(stranded)
    raise InvalidInput(
        "resolved_at",
        resolution.resolved_at.isoformat(),
        f"is before {count} forecast{'s' if count != 1 else ''} already on the question "
        f"by {who}; give --retroactive to resolve it so (they will not be scored)",
    )


def refuse_edit(edit, edited: Question, forecasts: Sequence[Forecast]) -> None:
    """Refuse an edit (a :class:`forecasts.drafts.QuestionEdit`) that changes the options of
    a question already forecast, or moves its close before forecasts already made (unless
    the edit is retroactive)."""
    if "options" in edit.changes and forecasts:
        raise InvalidInput(
            "options",
            ", ".join(edit.changes["options"]),
            f"cannot change: the question has {len(forecasts)} forecasts on its options",
        )
    if "close_at" in edit.changes and not edit.retroactive:
        late = [f for f in forecasts if f.made_at > edited.close_at]
        if late:
            raise InvalidInput(
                "close_at",
                edited.close_at.isoformat(),
                f"is before {len(late)} forecasts already on the question; give "
                "--retroactive to move it so (they will not be scored)",
            )


class Indicator(_Frozen):
    """A yes-or-no question linked to a scenario set, with its likelihood under each
    scenario, P(indicator | scenario), in the set's options' order."""

    id: int | None = None
    set_id: int
    question_id: int
    likelihoods: tuple[float, ...]
    phrases: tuple[str, ...] = ()
    scale: str | None = None
    judged_by_id: int | None = None
    rationale: str = ""
    recorded_at: UTCDateTime | None = None
    recorded_by: str = ""


class Condition(_Frozen):
    """A conditional question: "if ``condition_id`` resolves yes, will ``question_id``?",
    with ``joint_id`` the question that asks "both" directly, if there is one."""

    question_id: int
    condition_id: int
    joint_id: int | None = None
    recorded_at: UTCDateTime | None = None
    recorded_by: str = ""


class ScenarioUpdate(_Frozen):
    """One Bayes update of a forecaster's scenario set on an indicator: from the standing
    forecast ``prior_forecast_id`` (``prior``), with P(indicator | scenario) ``likelihoods``,
    the indicator ``observed`` (True) or not (False) as its resolution ``resolution_id`` or
    the source ``source_id`` says, to ``posterior``; ``forecast_id`` is the forecast that
    logged the posterior, once logged."""

    id: int | None = None
    set_id: int
    indicator_id: int
    forecaster_id: int
    observed: bool
    resolution_id: int | None = None
    source_id: int | None = None
    prior_forecast_id: int
    prior: tuple[float, ...]
    likelihoods: tuple[float, ...]
    posterior: tuple[float, ...]
    forecast_id: int | None = None
    updated_at: UTCDateTime
    recorded_at: UTCDateTime | None = None
    recorded_by: str = ""


class QuestionSummary(_Frozen):
    """A question with the counts a list of questions shows beside it."""

    question: Question
    forecasts: int = 0
    forecasters: int = 0


def standing_forecasts(forecasts: list[Forecast] | tuple[Forecast, ...]) -> dict[int, Forecast]:
    """Each forecaster's latest forecast that was not retracted (by made_at, then by id),
    keyed by forecaster id: retracting a forecast lets the one before it stand again."""
    latest: dict[int, Forecast] = {}
    for forecast in sorted(forecasts, key=lambda f: (f.made_at, f.id or 0)):
        if forecast.retraction is None:
            latest[forecast.forecaster_id] = forecast
    return latest


def median_vector(vectors: list[tuple[float, ...]]) -> tuple[float, ...] | None:
    """The consensus of standing forecasts: the median of each outcome's probability,
    renormalised to sum to 1 (for a binary question, the median probability of yes)."""
    if not vectors:
        return None
    columns = list(zip(*vectors, strict=True))
    medians = []
    for column in columns:
        ordered = sorted(column)
        middle = len(ordered) // 2
        medians.append(
            ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        )
    total = math.fsum(medians)
    return tuple(m / total for m in medians) if total > 0 else None
