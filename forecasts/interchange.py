"""The interchange format: forecasts' records as one JSON file, and the flat CSV shapes.

One record model per kind of record, each naming its fields and their rules; the JSON
Schema (``forecasts export --schema``, docs/export.schema.json) is generated from them, and
the importer validates every record of a file with them. Records refer to each other by
the ids they have in the file (``question_id``, ``forecaster_id``, ``source_id``), which are
the exporting database's ids; an importer maps them to its own.

Times are ISO 8601 in UTC with a ``Z``; numbers keep their full precision; a field left
out has its default (null, empty, false), so an exported record names only what it holds.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from forecasts.errors import InvalidInput, show
from forecasts.models import (
    SUM_TOLERANCE,
    DatePrecision,
    EventKind,
    ForecasterKind,
    QuestionKind,
    check_sum,
)
from forecasts.parsing import check_probability

FORMAT_VERSION = 1
"""The version of the JSON interchange format this release writes and reads."""

FORMATS = ("json", "csv", "fatebook-csv")


def stamp(moment: datetime) -> str:
    """A moment as the files write it: ISO 8601 in UTC with a Z, microseconds when it has
    any (``2025-05-09T00:00:00Z``, ``2025-05-09T10:31:07.250000Z``)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{moment.microsecond:06d}Z" if moment.microsecond else f"{text}Z"


def _moment(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise InvalidInput("time", value, "is not a time; write ISO 8601, 2025-05-09T10:31:00Z")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            "time", value, "is not a time; write ISO 8601, 2025-05-09T10:31:00Z"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _day(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput("date", value, "is not a date; write YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("date", value, "is not a date; write YYYY-MM-DD") from None


def _number(value: Any) -> Any:
    """A JSON number: never a string, never true or false."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput("number", value, "is not a number")
    return value


Moment = Annotated[
    datetime,
    BeforeValidator(_moment),
    PlainSerializer(stamp, return_type=str),
    Field(json_schema_extra={"type": "string", "format": "date-time"}),
]
Day = Annotated[date, BeforeValidator(_day)]
Id = Annotated[StrictInt, Field(ge=1)]
Offset = Annotated[StrictInt, Field(ge=0)]
Probability = Annotated[float, BeforeValidator(_number), Field(ge=0.0, le=1.0)]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class ForecasterRecord(_Record):
    """A forecaster, named uniquely (names match under Unicode case folding)."""

    id: Id
    name: StrictStr
    kind: ForecasterKind = ForecasterKind.PERSON
    affiliation: StrictStr = ""
    merged_into: Id | None = None
    """The id of the forecaster this one was merged into, whose forecasts these count as."""


class FurnitureRecord(_Record):
    """A marked stretch of page furniture, ``text[start:end]``."""

    start: Offset
    end: Offset
    kind: StrictStr


class SourceRecord(_Record):
    """A document judgments are quoted from, with its full text (matched by its SHA-256)."""

    id: Id
    key: StrictStr | None = None
    title: StrictStr
    outlet: StrictStr = ""
    url: StrictStr | None = None
    published_on: Day
    date_precision: DatePrecision = DatePrecision.DAY
    date_note: StrictStr = ""
    author: StrictStr = ""
    text: StrictStr
    sha256: StrictStr | None = None
    """The SHA-256 of the text as UTF-8, in hex; checked against the text when given."""
    original_sha256: StrictStr | None = None
    """The SHA-256 of the saved page the text was extracted from, when it was."""
    added_at: Moment | None = None
    furniture: tuple[FurnitureRecord, ...] = ()


class ResolutionRecord(_Record):
    """One resolution of a question; the last in a question's list is its current one."""

    outcome: StrictStr
    """yes or no (binary), an option's label (multiple choice), or annulled."""
    resolved_at: Moment
    evidence: StrictStr = ""
    source_id: Id | None = None
    resolved_by: StrictStr = ""
    recorded_at: Moment | None = None
    recorded_by: StrictStr = ""


class QuestionRecord(_Record):
    """A question with its options, tags and every resolution it has had, oldest first."""

    id: Id
    key: StrictStr | None = None
    title: StrictStr
    description: StrictStr = ""
    criteria: StrictStr
    kind: QuestionKind = QuestionKind.BINARY
    options: tuple[StrictStr, ...] = ()
    narratives: tuple[StrictStr, ...] = ()
    """A scenario set's narrative of each option, in the options' order (empty when none)."""
    tags: tuple[StrictStr, ...] = ()
    created_at: Moment | None = None
    """When the question was written; when absent, it is created now and matched to a stored
    question (without a key) by its title."""
    close_at: Moment
    resolve_by: Moment | None = None
    recorded_by: StrictStr = ""
    withdrawn: StrictBool = False
    resolutions: tuple[ResolutionRecord, ...] = ()
    condition_id: Id | None = None
    """A conditional question: the question in this file it is asked on the condition of
    (forecasts are P(this | that), scored only when that resolves yes)."""
    joint_id: Id | None = None
    """With ``condition_id``: the question in this file that asks both at once."""


class ForecastRecord(_Record):
    """A forecast: ``probability`` of yes (binary) or ``probabilities`` over the options in
    their order (multiple choice), with what it rests on and both of its times."""

    id: Id
    key: StrictStr | None = None
    question_id: Id | None = None
    """The question in this file; or give ``question_key`` for one stored already."""
    question_key: StrictStr | None = None
    forecaster_id: Id
    made_at: Moment
    made_at_precision: DatePrecision = DatePrecision.DAY
    probability: Probability | None = None
    probabilities: tuple[Probability, ...] | None = None
    source_id: Id | None = None
    source_key: StrictStr | None = None
    """A source stored already, by its key, SHA-256 or URL, instead of ``source_id``."""
    quote: StrictStr | None = None
    quote_start: Offset | None = None
    quote_end: Offset | None = None
    phrase: StrictStr | None = None
    scale: StrictStr | None = None
    scale_probability: Probability | None = None
    inferred: StrictBool = False
    rationale: StrictStr = ""
    recorded_at: Moment | None = None
    """When it was written into a database; the importing moment when not given."""
    recorded_by: StrictStr = ""
    imported: StrictBool = False

    @model_validator(mode="after")
    def _values(self) -> ForecastRecord:
        if (self.probability is None) == (self.probabilities is None):
            raise InvalidInput(
                "probability",
                self.probability,
                "needs exactly one of probability (binary) or probabilities (multiple choice)",
            )
        if self.probabilities is not None:
            check_sum(tuple(check_probability(p, "probabilities") for p in self.probabilities))
        if (self.question_id is None) == (self.question_key is None):
            raise InvalidInput(
                "question_id", self.question_id, "needs exactly one of question_id, question_key"
            )
        if self.source_id is not None and self.source_key is not None:
            raise InvalidInput("source_key", self.source_key, "is given with source_id; give one")
        if self.quote is not None and self.source_id is None and self.source_key is None:
            raise InvalidInput("quote", self.quote, "needs a source to quote from")
        return self


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?Z")
_MOMENTS = {"made_at", "recorded_at"}
_NULLABLE = {"key", "question_id", "question_key", "probability", "probabilities", "source_id",
             "source_key", "quote", "quote_start", "quote_end", "phrase", "scale",
             "scale_probability", "recorded_at"}  # fmt: skip
_REFUSED = (False, None)


def _count_from(least: int):
    def check(value: Any) -> tuple[bool, Any]:
        return type(value) is int and value >= least, value

    return check


def _of_type(kind: type):
    def check(value: Any) -> tuple[bool, Any]:
        return type(value) is kind, value

    return check


def _fast_moment(value: Any) -> tuple[bool, Any]:
    if type(value) is not str or not _STAMP.fullmatch(value):
        return _REFUSED
    try:
        return True, datetime.fromisoformat(value)
    except ValueError:
        return _REFUSED


def _fast_probability(value: Any) -> tuple[bool, Any]:
    if type(value) is not float and type(value) is not int:
        return _REFUSED
    return 0.0 <= value <= 1.0, float(value)


def _fast_precision(value: Any) -> tuple[bool, Any]:
    if value in ("day", "approximate"):
        return True, DatePrecision(value)
    return _REFUSED


def _fast_vector(value: Any) -> tuple[bool, Any]:
    if type(value) is not list or not value:
        return _REFUSED
    if not all(type(p) is float and 0.0 <= p <= 1.0 for p in value):
        return _REFUSED
    return abs(math.fsum(value) - 1.0) <= SUM_TOLERANCE, tuple(value)


_FAST_CHECKS = {
    **{name: _count_from(1) for name in ("id", "question_id", "forecaster_id", "source_id")},
    **{name: _count_from(0) for name in ("quote_start", "quote_end")},
    **{
        name: _of_type(str)
        for name in (
            "key",
            "question_key",
            "source_key",
            "quote",
            "phrase",
            "scale",
            "rationale",
            "recorded_by",
        )
    },
    **{name: _of_type(bool) for name in ("inferred", "imported")},
    **{name: _fast_moment for name in _MOMENTS},
    **{name: _fast_probability for name in ("probability", "scale_probability")},
    "made_at_precision": _fast_precision,
    "probabilities": _fast_vector,
}
"""Each forecast field's check on the fast path: (ok, the value as the model holds it)."""


def _shaped(fields: dict[str, Any]) -> bool:
    """The model's rules across fields: what is required, and what goes with what."""
    return (
        "id" in fields
        and "forecaster_id" in fields
        and "made_at" in fields
        and ("question_id" in fields) != ("question_key" in fields)
        and ("probability" in fields) != ("probabilities" in fields)
        and not ("source_id" in fields and "source_key" in fields)
        and ("quote" not in fields or "source_id" in fields or "source_key" in fields)
    )


class FastForecast:
    """A forecast record :func:`fast_forecast` checked: the fields of
    :class:`ForecastRecord` as plain attributes (building a model costs more than the rest
    of importing a forecast)."""

    def __init__(self, fields: dict[str, Any], texts: dict[str, str]) -> None:
        self.__dict__ = _FORECAST_DEFAULTS | fields
        self._texts = texts

    def fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_texts"}

    def db_time(self, name: str) -> str | None:
        """A moment as SQLite holds it ('YYYY-MM-DD HH:MM:SS.ffffff'), turned round from
        the file's own text (``2025-05-09T10:00:00Z``), which the fast path checked."""
        text = self._texts.get(name)
        if text is None:
            return None
        fraction = text[19:-1] or ".000000"
        return f"{text[:10]} {text[11:19]}{fraction}"


_FORECAST_DEFAULTS = {
    name: info.default
    for name, info in ForecastRecord.model_fields.items()
    if not info.is_required()
}


def fast_forecast(item: Any) -> FastForecast | None:
    """The record of a forecast in the shapes an export writes, checked without pydantic's
    machinery (a million of them are imported at once); None for anything else, which the
    model then validates, with its own messages. A test holds the two to the same answer."""
    if type(item) is not dict:
        return None
    fields: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for name, value in item.items():
        if value is None:
            if name not in _NULLABLE:
                return None
            continue
        check = _FAST_CHECKS.get(name)
        if check is None:
            return None
        ok, fields[name] = check(value)
        if not ok:
            return None
        if name in _MOMENTS:
            texts[name] = value
    return FastForecast(fields, texts) if _shaped(fields) else None


class EventRecord(_Record):
    """A correction or change of state, as the event log keeps it: a question edited,
    withdrawn or restored, a forecast retracted, a forecaster renamed or merged."""

    id: Id
    kind: EventKind
    question_id: Id | None = None
    forecast_id: Id | None = None
    forecaster_id: Id | None = None
    reason: StrictStr = ""
    detail: dict[str, Any] = Field(default_factory=dict)
    """What changed, from what to what; kept as written."""
    recorded_by: StrictStr = ""
    recorded_at: Moment


class IndicatorRecord(_Record):
    """A yes-or-no question linked to a scenario set with its likelihood under each of the
    set's scenarios, in the set's options' order."""

    set_id: Id
    """The scenario set: a multiple-choice question in this file."""
    question_id: Id
    """The indicator: a binary question in this file."""
    likelihoods: tuple[Probability, ...]
    phrases: tuple[StrictStr, ...] = ()
    """The phrase each likelihood was read from ("" for a number)."""
    scale: StrictStr | None = None
    judged_by_id: Id | None = None
    rationale: StrictStr = ""
    recorded_at: Moment | None = None
    recorded_by: StrictStr = ""


class ScenarioUpdateRecord(_Record):
    """A Bayes update of a forecaster's standing forecast on a scenario set, on one of the
    set's indicators: the forecast it started from and the posterior it gave, in the set's
    options' order."""

    set_id: Id
    """The scenario set: a multiple-choice question in this file."""
    indicator_question_id: Id
    """The indicator's question; the indicator links it to the set in this file."""
    forecaster_id: Id
    observed: StrictBool
    """The indicator happened (true) or did not (false)."""
    resolved: StrictBool = False
    """Known from the indicator question's resolution (else from ``source_id``)."""
    source_id: Id | None = None
    """The source that reports it, when the update did not rest on the resolution."""
    prior_forecast_id: Id
    """The standing forecast the update started from: a forecast in this file."""
    prior: tuple[Probability, ...]
    likelihoods: tuple[Probability, ...]
    """P(indicator | scenario) as the update used them."""
    posterior: tuple[Probability, ...]
    forecast_id: Id | None = None
    """The forecast that logged the posterior, once logged."""
    updated_at: Moment
    recorded_at: Moment | None = None
    recorded_by: StrictStr = ""


class Interchange(_Record):
    """A whole forecasts record: what ``forecasts export`` writes and ``forecasts import``
    reads. Sections may come in any order; each is a list of records."""

    format_version: Literal[1]
    forecasters: tuple[ForecasterRecord, ...] = ()
    sources: tuple[SourceRecord, ...] = ()
    questions: tuple[QuestionRecord, ...] = ()
    indicators: tuple[IndicatorRecord, ...] = ()
    forecasts: tuple[ForecastRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    scenario_updates: tuple[ScenarioUpdateRecord, ...] = ()


SECTIONS: tuple[tuple[str, type[_Record]], ...] = (
    ("forecasters", ForecasterRecord),
    ("sources", SourceRecord),
    ("questions", QuestionRecord),
    ("indicators", IndicatorRecord),
    ("forecasts", ForecastRecord),
    ("events", EventRecord),
    ("scenario_updates", ScenarioUpdateRecord),
)
"""The file's sections in the order an importer reads them: each refers only to those
before it."""


def schema() -> dict[str, Any]:
    """The JSON Schema of the interchange file, generated from the record models."""
    generated = Interchange.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **generated,
    }


def record_json(record: _Record) -> str:
    """One record as compact JSON: fields at their defaults left out, times in UTC."""
    return record.model_dump_json(exclude_defaults=True)


# The flat CSV shape ----------------------------------------------------------------------

CSV_COLUMNS = (
    "question_key",
    "question_title",
    "criteria",
    "close_at",
    "tags",
    "option",
    "forecaster",
    "forecaster_kind",
    "probability",
    "made_at",
    "source",
    "quote",
    "rationale",
    "outcome",
    "resolved_at",
)

FATEBOOK_COLUMNS = (
    "Question title",
    "Multiple choice option",
    "Forecast created by",
    "Forecast (scale = 0-1)",
    "Forecast created at",
    "Question created by",
    "Question created at",
    "Question resolve by",
    "Resolution",
    "Resolved at",
    "Your Brier score for this question",
    "Your relative Brier score for this question",
    "Question notes",
    "Question shared with",
    "Question shared publicly",
    "Question comments",
    "Question tags",
)

FATEBOOK_OUTCOMES = {"YES": "yes", "NO": "no", "AMBIGUOUS": "annulled"}

_FATEBOOK_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$")


def fatebook_time(moment: datetime) -> str:
    """A moment as Fatebook's export writes it: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def parse_fatebook_time(text: str, field: str) -> datetime:
    """Read Fatebook's ``YYYY-MM-DD HH:MM:SS`` (UTC; single-digit parts, which its exports
    have written, are read too), or ISO 8601."""
    found = _FATEBOOK_TIME.match(text.strip())
    try:
        if found:
            parts = [int(part) for part in found.groups()]
            return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]
        return _moment(text)
    except (ValueError, InvalidInput):
        raise InvalidInput(field, text, "is not a time; write YYYY-MM-DD HH:MM:SS") from None


class Problem(NamedTuple):
    """One refused record in a file: where it is, which field, the value, and why."""

    location: str
    field: str
    value: Any
    reason: str

    def line(self) -> str:
        shown = "" if self.value is None else f"{show(self.value)} "
        where = f"{self.location}.{self.field}" if self.field else self.location
        return f"{where}: {shown}{self.reason}"


def problems_in(location: str, exc: ValidationError) -> list[Problem]:
    """A record's validation errors as problems, each at its field's path."""
    problems = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(part) for part in err["loc"])
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInput):
            problems.append(Problem(location, field or cause.field, cause.value, cause.problem))
            continue
        message = err["msg"]
        message = message[0].lower() + message[1:] if message else message
        problems.append(Problem(location, field, err.get("input"), f"is refused: {message}"))
    return problems


def number_text(value: float | None) -> str:
    """A number for a CSV cell at full precision (the shortest text that reads back the same)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))
