"""Drafts: what a user typed, parsed and checked, ready for the repository to store.

Every way in (a command, a dialog, the seed loader, an importer) turns its input into one of
these drafts with the same ``parse`` and the same rules, and hands the repository the draft,
never loose keyword arguments. A rule changed here changes for every entry path. ``parse``
reports every field it refuses at once (:class:`forecasts.errors.InvalidInputs`), so a form
can show each problem beside its own field while the command line prints the first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ConfigDict, Field, ValidationError

from forecasts.errors import InvalidInput, from_validation_error, problems_of, raise_problems
from forecasts.models import (
    ANNULLED,
    Condition,
    DatePrecision,
    Forecast,
    ForecasterKind,
    ForecastValues,
    NonBlank,
    Question,
    QuestionFields,
    QuestionKind,
    Resolution,
    ScenarioUpdate,
    Source,
    UTCDateTime,
    _Frozen,
    check_forecast,
    check_made_at,
    check_outcome,
    check_quote,
    check_resolution,
    check_sum,
)
from forecasts.parsing import (
    as_utc,
    check_probability,
    parse_moment,
    parse_probability,
    start_of_day,
)
from forecasts.verbal import Reading, Scale, Settings, parse_judgment

E = TypeVar("E", bound=StrEnum)

Ref = int | str
"""A stored record named by its id or by its key (or, for forecasters, their name)."""


def parse_choice(enum: type[E], value: str | E, field: str) -> E:
    """``value`` as a member of ``enum``, ignoring case and surrounding space."""
    if isinstance(value, enum):
        return value
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidInput(field, value, f"is not one of: {allowed}") from None


class _Collect:
    """Runs each step of a parse, keeping every refusal instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[InvalidInput] = []

    def __call__(self, step: Callable[[], Any], default: Any = None) -> Any:
        try:
            return step()
        except ValidationError as exc:
            self.problems.extend(problems_of(from_validation_error(exc)))
        except InvalidInput as exc:
            self.problems.extend(problems_of(exc))
        return default

    def done(self) -> None:
        raise_problems(self.problems)


def _moment(value: str | datetime | date | None, field: str, **kwargs: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return as_utc(value) if value is not None else None
    if isinstance(value, date):
        return start_of_day(value)
    return parse_moment(value, field, **kwargs)


# Questions -------------------------------------------------------------------------------


class QuestionDraft(QuestionFields):
    """A new question as the user gave it, checked by every rule of a question; stored with
    the moment it was created (now, unless the draft says)."""

    created_at: UTCDateTime | None = None

    def question(self, *, created_at: datetime) -> Question:
        """The question this draft stores, validated by every rule of :class:`Question`."""
        fields = self.model_dump(exclude={"created_at"})
        return Question(**fields, created_at=self.created_at or created_at)

    @classmethod
    def parse(
        cls,
        *,
        title: str,
        criteria: str,
        close: str | datetime,
        kind: str | QuestionKind = QuestionKind.BINARY,
        options: Sequence[str] = (),
        narratives: Sequence[str] = (),
        description: str = "",
        resolve_by: str | datetime | None = None,
        tags: Sequence[str] | str = (),
        key: str | None = None,
        created_at: datetime | None = None,
        now: datetime,
    ) -> QuestionDraft:
        """Read a question as typed: dates as YYYY-MM-DD (open through that day, UTC), tags
        as a list or separated by commas. Every refused field is reported."""
        check = _Collect()
        chosen = check(lambda: parse_choice(QuestionKind, kind, "kind"), QuestionKind.BINARY)
        close_at = check(lambda: _moment(close, "close_at", end_of_day=True))
        by = check(lambda: _moment(resolve_by or None, "resolve_by", end_of_day=True))
        if isinstance(tags, str):
            tags = [tag for tag in tags.split(",") if tag.strip()]
        fields = {
            "key": key,
            "title": title,
            "description": description.strip(),
            "criteria": criteria,
            "kind": chosen,
            "options": tuple(o for o in options if o.strip()),
            "narratives": tuple(narratives),
            "close_at": close_at or as_utc(now),  # a refused date is reported above
            "resolve_by": by,
            "tags": tuple(tags),
            "created_at": created_at,
        }
        draft = check(lambda: cls(**fields))
        check.done()
        return draft


# Forecasts -------------------------------------------------------------------------------


class ForecastDraft(ForecastValues):
    """A forecast to log: on which question, by whom (the user when ``forecaster`` is None),
    when (now when ``made_at`` is None), and what it says (:class:`ForecastValues`).

    ``new_forecaster_kind`` asks the repository to create a forecaster of that kind when the
    name is new (in the same transaction as the forecast).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    question_id: int
    forecaster: Ref | None = None
    new_forecaster_kind: ForecasterKind | None = None
    made_at: UTCDateTime | None = None
    key: str | None = None
    reading: Reading | None = Field(default=None, exclude=True)
    """How a verbal phrase was read on its scale (for showing the range); not stored."""

    def forecast(self, *, forecaster_id: int, now: datetime) -> Forecast:
        """The forecast this draft stores (made now unless dated), not yet checked against
        its question."""
        values = self.model_dump(include=set(ForecastValues.model_fields))
        values["phrase"] = (self.phrase or "").strip() or None
        values["scale"] = (self.scale or "").strip() or None
        values["rationale"] = self.rationale.strip()
        return Forecast(
            **values,
            question_id=self.question_id,
            forecaster_id=forecaster_id,
            made_at=self.made_at or now,
            recorded_at=now,
        )

    def check(
        self, question: Question, *, now: datetime, source: Source | None = None
    ) -> ForecastDraft:
        """Apply every rule of a forecast against its question and source; return the draft
        with the quote's exact span in the source."""
        check = _Collect()
        forecast = check(lambda: self.forecast(forecaster_id=0, now=as_utc(now)))
        if forecast is not None:
            forecast = check(lambda: check_forecast(question, forecast, now=now, source=source))
        check.done()
        assert forecast is not None
        return self.model_copy(
            update={"quote": forecast.quote, "quote_start": forecast.quote_start}
        )

    @classmethod
    def parse(
        cls,
        question: Question,
        value: str | float | Sequence[str | float] | None,
        *,
        now: datetime,
        settings: Settings | None = None,
        scale: Scale | None = None,
        reading: Reading | None = None,
        forecaster: Ref | None = None,
        new_forecaster_kind: ForecasterKind | None = None,
        made_at: str | datetime | date | None = None,
        approximate: bool = False,
        source: Source | None = None,
        quote: str | None = None,
        quote_start: int | None = None,
        phrase: str | None = None,
        inferred: bool = False,
        rationale: str = "",
        key: str | None = None,
    ) -> ForecastDraft:
        """Read a forecast as typed against ``question``.

        ``value`` is, for a binary question, 0.15, 15%, odds 1:6 or a phrase of ``scale``
        (the settings' scale by default); for multiple choice, one text with a value per
        option in order or as label=value separated by commas, or one text per option.
        With ``reading`` (a phrase already read from a source) ``value`` may be left out, and
        a value given overrides the scale's. Every refused field is reported.
        """
        settings = settings or Settings()
        chosen_scale = scale or settings.scale
        check = _Collect()
        values = check(
            lambda: _forecast_values(question, value, chosen_scale, settings, reading), {}
        )
        typed_phrase = values.pop("phrase", None)
        if phrase or typed_phrase:
            values.setdefault("scale", scale.name if scale is not None else None)
        fields = {
            "question_id": question.id,
            "forecaster": forecaster,
            "new_forecaster_kind": new_forecaster_kind,
            "made_at": check(lambda: _moment(made_at, "made_at")),
            "made_at_precision": DatePrecision.APPROXIMATE if approximate else DatePrecision.DAY,
            "source_id": source.id if source is not None else None,
            "quote": (quote or "").strip() or None,
            "quote_start": quote_start,
            "phrase": phrase or typed_phrase,
            "inferred": inferred,
            "rationale": rationale,
            "key": key,
        } | values
        # the rules that need no probability, so a form shows them while one is still wrong
        if fields["made_at"] is not None:
            check(lambda: check_made_at(question, fields["made_at"], now=now))
        if fields["quote"] is not None:
            check(lambda: check_quote(source, fields["quote"], start=quote_start))
        draft = check(lambda: cls(**fields))
        check.done()
        return draft.check(question, now=now, source=source)


def _forecast_values(
    question: Question,
    value: str | float | Sequence[str | float] | None,
    scale: Scale,
    settings: Settings,
    reading: Reading | None,
) -> dict[str, Any]:
    """The probability fields a typed value gives: probability or probabilities, and the
    phrase, scale and scale's value when it was read from words."""
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        if reading is not None:
            raise InvalidInput(
                "probability",
                reading.term,
                "reads one probability; the question is multiple choice",
            )
        return {"probabilities": parse_vector(value, question.options)}
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 1:
            raise InvalidInput("probability", value, "must be one number for a binary question")
        value = value[0]
    if reading is not None:
        chosen = reading.probability if value is None else _probability(value, "probability")
        return {
            "probability": chosen,
            "reading": reading,
            "scale": reading.scale,
            "scale_probability": reading.probability,
        }
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput("probability", value, "is needed: give 0.15, 15%, odds 1:6 or a phrase")
    if not isinstance(value, str):
        return {"probability": _probability(value, "probability")}
    probability, read = parse_judgment(value, scale, settings)
    if read is None:
        return {"probability": probability}
    return {
        "probability": probability,
        "reading": read,
        "phrase": value.strip(),
        "scale": read.scale,
        "scale_probability": read.probability,
    }


def _probability(value: str | float, field: str) -> float:
    if isinstance(value, str):
        return parse_probability(value, field)
    if isinstance(value, bool):
        raise InvalidInput(field, value, "is not a number")
    return check_probability(value, field)


def parse_vector(
    value: str | float | Sequence[str | float] | None, options: tuple[str, ...]
) -> tuple[float, ...]:
    """One probability per option, from one text ('20%, 80%' or 'A=20%, B=80%') or one
    value per option; they must sum to 1 (nothing is normalised)."""
    if value is None:
        raise InvalidInput("probabilities", None, f"needs a value for each of {', '.join(options)}")
    if isinstance(value, str):
        vector = _vector_from_text(value, options)
    elif isinstance(value, Sequence):
        if len(value) != len(options):
            raise InvalidInput(
                "probabilities",
                value,
                f"gives {len(value)} values for {len(options)} options ({', '.join(options)})",
            )
        check = _Collect()
        vector = [
            check(lambda v=v, label=label: _probability(v, f"probabilities[{label}]"))
            for label, v in zip(options, value, strict=True)
        ]
        check.done()
    else:
        raise InvalidInput("probabilities", value, "needs one value per option")
    return check_sum(tuple(vector))


def _vector_from_text(text: str, options: tuple[str, ...]) -> list[float]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    labelled = [part for part in parts if "=" in part]
    if labelled and len(labelled) != len(parts):
        raise InvalidInput("probabilities", text, "mixes label=value and bare values")
    if labelled:
        return _labelled_vector(text, parts, options)
    if len(parts) != len(options):
        raise InvalidInput(
            "probabilities",
            text,
            f"gives {len(parts)} values for {len(options)} options ({', '.join(options)})",
        )
    return [parse_probability(part, "probabilities") for part in parts]


def _labelled_vector(text: str, parts: list[str], options: tuple[str, ...]) -> list[float]:
    """Values given as label=value, in any order; labels match ignoring case."""
    by_label: dict[str, float] = {}
    folded = {label.casefold(): label for label in options}
    for part in parts:
        label, _, number = part.partition("=")
        canonical = folded.get(label.strip().casefold())
        if canonical is None:
            raise InvalidInput("probabilities", label.strip(), "is not an option of this question")
        if canonical in by_label:
            raise InvalidInput("probabilities", label.strip(), "is given twice")
        by_label[canonical] = parse_probability(number, f"probabilities[{canonical}]")
    missing = [label for label in options if label not in by_label]
    if missing:
        raise InvalidInput("probabilities", text, f"has no value for {', '.join(missing)}")
    return [by_label[label] for label in options]


# Resolutions -----------------------------------------------------------------------------


class ResolutionDraft(_Frozen):
    """A resolution to record: the outcome (an option, yes, no or annulled), when it was
    decided, on what evidence, and by whom."""

    question_id: int
    outcome: str
    resolved_at: UTCDateTime | None = None
    evidence: str = ""
    source_id: int | None = None
    resolved_by: str = ""
    retroactive: bool = False
    """Resolve even if forecasts on the question were made after ``resolved_at`` (they stay
    in the record, unscored)."""

    def resolution(self, *, now: datetime) -> Resolution:
        """The resolution this draft records (decided now unless dated), not yet checked."""
        return Resolution(
            question_id=self.question_id,
            outcome=self.outcome,
            resolved_at=self.resolved_at or now,
            evidence=self.evidence.strip(),
            source_id=self.source_id,
            resolved_by=self.resolved_by.strip(),
            recorded_at=now,
        )

    @classmethod
    def parse(
        cls,
        question: Question,
        outcome: str | None,
        *,
        now: datetime,
        resolved_at: str | datetime | None = None,
        evidence: str = "",
        source_id: int | None = None,
        resolved_by: str = "",
        retroactive: bool = False,
    ) -> ResolutionDraft:
        """Read a resolution as typed: the outcome by label, yes/no, an option's number or
        'annulled'; the date as YYYY-MM-DD (now by default). Every refused field is reported."""
        check = _Collect()
        when = check(lambda: _moment(resolved_at, "resolved_at"))
        if outcome is None or not outcome.strip():
            allowed = ", ".join((*question.outcomes, ANNULLED))
            check.problems.insert(
                0, InvalidInput("outcome", outcome, f"is needed: choose one of {allowed}")
            )
            check.done()
        draft = cls(
            question_id=question.id,
            outcome=outcome,
            resolved_at=when,
            evidence=evidence,
            source_id=source_id,
            resolved_by=resolved_by,
            retroactive=retroactive,
        )
        checked = check(lambda: check_resolution(question, draft.resolution(now=now), now=now))
        check.done()
        return draft.model_copy(update={"outcome": checked.outcome})


# Corrections -----------------------------------------------------------------------------

EDITABLE = ("title", "description", "criteria", "close_at", "resolve_by", "tags", "options")
"""The fields of a question an edit may change."""


class QuestionEdit(_Frozen):
    """A change to a question's wording, dates, tags or options, with why it was made. Only
    the fields that change are in ``changes``; the rest stay as they are."""

    question_id: int
    changes: dict[str, Any]
    reason: str = ""
    retroactive: bool = False
    """Move the close date before forecasts already on the question (they go unscored)."""

    def apply(self, question: Question) -> Question:
        """The question as the edit leaves it, checked by every rule of a question."""
        return Question(**(question.model_dump(exclude={"resolution"}) | self.changes)).model_copy(
            update={"resolution": question.resolution}
        )

    @classmethod
    def parse(
        cls,
        question: Question,
        *,
        now: datetime,
        title: str | None = None,
        description: str | None = None,
        criteria: str | None = None,
        close: str | datetime | None = None,
        resolve_by: str | datetime | None = None,
        tags: Sequence[str] | str | None = None,
        options: Sequence[str] | None = None,
        narratives: Sequence[str] | None = None,
        reason: str = "",
        retroactive: bool = False,
    ) -> QuestionEdit:
        """Read an edit as typed (dates as YYYY-MM-DD, open through that day); refuse one that
        changes nothing or breaks a rule of a question. Every refused field is reported.
        Options that are kept keep their narratives unless ``narratives`` are given."""
        check = _Collect()
        given: dict[str, Any] = {
            "title": title,
            "description": description,
            "criteria": criteria,
            "close_at": check(lambda: _moment(close, "close_at", end_of_day=True)),
            "resolve_by": check(lambda: _moment(resolve_by, "resolve_by", end_of_day=True)),
            "tags": _tags(tags),
            "options": tuple(o.strip() for o in options if o.strip()) if options else None,
            "narratives": _narratives(question, options, narratives),
        }
        check.done()
        proposed = {field: value for field, value in given.items() if value is not None}
        edited = check(lambda: Question(**(question.model_dump(exclude={"resolution"}) | proposed)))
        check.done()
        assert edited is not None
        changes = {
            field: getattr(edited, field)
            for field in proposed
            if getattr(edited, field) != getattr(question, field)
        }
        if not changes:
            raise InvalidInput("edit", question.id, "changes nothing: give a new value")
        return cls(
            question_id=question.id, changes=changes, reason=reason.strip(), retroactive=retroactive
        )


def narrate(
    question: Question, option: str, story: str, *, now: datetime, reason: str = ""
) -> QuestionEdit:
    """Tell (or, with an empty ``story``, take back) the narrative of one option of a
    scenario set, the option named by its label or number."""
    if question.kind is not QuestionKind.MULTIPLE_CHOICE:
        raise InvalidInput(
            "question", question.id, "is a yes-or-no question; narratives tell scenarios apart"
        )
    try:
        label = check_outcome(question, option)
    except InvalidInput:
        label = ""
    if label not in question.options:
        raise InvalidInput("option", option, f"is not an option ({', '.join(question.options)})")
    stories = list(question.narratives or ("",) * len(question.options))
    stories[question.options.index(label)] = story
    why = reason.strip() or f"Told the narrative of {label}."
    try:
        return QuestionEdit.parse(question, now=now, narratives=stories, reason=why)
    except InvalidInput as exc:
        if exc.field == "edit":
            raise InvalidInput("narrative", story, "is what the option tells already") from None
        raise


def _narratives(
    question: Question, options: Sequence[str] | None, narratives: Sequence[str] | None
) -> tuple[str, ...] | None:
    """The narratives an edit gives: those typed; or, when only the options change, each
    kept option's own (None when neither changes)."""
    if narratives is not None:
        return tuple(narratives)
    if not options or not question.narratives:
        return None
    kept = tuple(question.narrative(label.strip()) for label in options if label.strip())
    return kept if any(kept) else ()


class IndicatorDraft(_Frozen):
    """An indicator of a scenario set: a yes-or-no question, and how likely it is to come
    true under each scenario, P(indicator | scenario), with who judged it and why."""

    set_id: int
    question_id: int
    likelihoods: tuple[float, ...]
    phrases: tuple[str, ...]
    """The phrase each likelihood was read from ("" for a number)."""
    scale: str | None = None
    judged_by: Ref | None = None
    rationale: str = ""

    @classmethod
    def parse(
        cls,
        scenario_set: Question,
        indicator: Question,
        likelihoods: str,
        *,
        scale: Scale,
        settings: Settings | None = None,
        judged_by: Ref | None = None,
        rationale: str = "",
    ) -> IndicatorDraft:
        """Read the likelihoods as typed: one per scenario in order, or label=value pairs,
        each a number (0.8, 80%, 4:1) or a phrase of ``scale`` ("very likely")."""
        if scenario_set.kind is not QuestionKind.MULTIPLE_CHOICE:
            raise InvalidInput(
                "question", scenario_set.id, "is not a scenario set (a multiple-choice question)"
            )
        if indicator.kind is not QuestionKind.BINARY:
            raise InvalidInput("indicator", indicator.id, "must be a yes-or-no question")
        if indicator.id == scenario_set.id:
            raise InvalidInput("indicator", indicator.id, "is the scenario set itself")
        values, phrases = _likelihoods(likelihoods, scenario_set.options, scale, settings)
        return cls(
            set_id=scenario_set.id,
            question_id=indicator.id,
            likelihoods=values,
            phrases=phrases,
            scale=scale.name if any(phrases) else None,
            judged_by=judged_by,
            rationale=rationale.strip(),
        )


def _likelihoods(
    text: str, options: tuple[str, ...], scale: Scale, settings: Settings | None
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    typed = _typed_likelihoods(text, options)
    values, phrases = [], []
    for label in options:
        value, reading = parse_judgment(typed[label], scale, settings, f"likelihoods[{label}]")
        values.append(value)
        phrases.append(typed[label] if reading is not None else "")
    return tuple(values), tuple(phrases)


def _typed_likelihoods(text: str, options: tuple[str, ...]) -> dict[str, str]:
    """What was typed for each scenario: label=value pairs, or values in the options' order."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    ordered = _in_order(text, parts, options)
    if ordered is not None:
        return ordered
    rest = [part for part in parts if _is_otherwise(part.partition("=")[0], options)]
    typed = dict(_labelled_likelihood(part, options) for part in parts if part not in rest)
    typed |= _the_rest(text, rest, [label for label in options if label not in typed])
    return {label: typed[label] for label in options}


def _in_order(text: str, parts: list[str], options: tuple[str, ...]) -> dict[str, str] | None:
    """Values typed in the options' order, or None when they are label=value pairs."""
    labelled = [part for part in parts if "=" in part]
    if parts and not labelled and len(parts) == len(options):
        return dict(zip(options, parts, strict=True))
    if not parts or len(labelled) != len(parts):
        raise InvalidInput(
            "likelihoods",
            text,
            f"needs one value per scenario ({', '.join(options)}), in order or as label=value "
            "(otherwise=value for the rest)",
        )
    return None


def _the_rest(text: str, rest: list[str], missing: list[str]) -> dict[str, str]:
    """The value otherwise= gives each scenario not named (``rest``: the otherwise= parts
    typed); with none, every scenario must be named."""
    if len(rest) > 1:
        raise InvalidInput("likelihoods", text, "says otherwise= more than once")
    if not rest:
        if missing:
            raise InvalidInput("likelihoods", text, f"gives none for {', '.join(missing)}")
        return {}
    if not missing:
        raise InvalidInput("likelihoods", text, "names every scenario; otherwise= is left over")
    return dict.fromkeys(missing, rest[0].partition("=")[2].strip())


OTHERWISE = ("otherwise", "others", "else")
"""Words that give one value to every scenario not named: "Russia=very likely,
otherwise=unlikely"."""


def _is_otherwise(label: str, options: tuple[str, ...]) -> bool:
    """Whether ``label`` means the scenarios not named (a scenario called so is itself)."""
    word = label.strip().casefold()
    return word in OTHERWISE and all(option.casefold() != word for option in options)


def _labelled_likelihood(part: str, options: tuple[str, ...]) -> tuple[str, str]:
    label, _, value = part.partition("=")
    for option in options:
        if option.casefold() == label.strip().casefold():
            return option, value.strip()
    raise InvalidInput("likelihoods", label.strip(), f"is not a scenario ({', '.join(options)})")


def _tags(tags: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if tags is None:
        return None
    if isinstance(tags, str):
        tags = [tag for tag in tags.split(",") if tag.strip()]
    return tuple(tags)


class Retract(_Frozen):
    """Take back a forecast: it stays in the record, struck through, out of scores."""

    forecast_id: int
    reason: NonBlank


class Withdraw(_Frozen):
    """Withdraw a question created by mistake (``restore`` brings it back)."""

    question_id: int
    reason: str = ""
    restore: bool = False


class Rename(_Frozen):
    """Give a forecaster a new name."""

    forecaster: Ref
    name: NonBlank
    reason: str = ""


class Merge(_Frozen):
    """Merge one forecaster into another: every forecast of ``source`` counts as ``target``'s."""

    source: Ref
    target: Ref
    reason: str = ""


def update_rationale(
    scenario_set: Question,
    indicator: Question,
    update: ScenarioUpdate,
    source: Source | None = None,
) -> str:
    """The rationale of a forecast that logs a scenario update's posterior: what was
    observed and how it is known, the likelihoods used, the forecast it started from, and
    the assumption it rests on."""
    from forecasts.text import percent

    if source is not None:
        said = "reported" if update.observed else "reported not to have happened"
        known = f"{said} by source {source.id}, {source.title!r} ({source.published_on})"
    else:
        known = f"resolved {'yes' if update.observed else 'no'}"
    changes = "; ".join(
        f"{label} {percent(before)} -> {percent(after)}"
        for label, before, after in zip(
            scenario_set.options, update.prior, update.posterior, strict=True
        )
    )
    chances = ", ".join(
        f"{label} {percent(p)}"
        for label, p in zip(scenario_set.options, update.likelihoods, strict=True)
    )
    return (
        f"Bayes update on indicator #{indicator.id} {indicator.title!r}, {known}. "
        f"P(indicator | scenario): {chances}"
        f"{' (the complements used, as it did not happen)' if not update.observed else ''}. "
        f"From forecast #{update.prior_forecast_id}: {changes}. Indicators are taken as "
        "independent of each other given the scenario."
    )


def check_condition(
    question: QuestionFields,
    condition: Question,
    joint: Question | None = None,
    *,
    question_id: int | None = None,
    above: Sequence[int] = (),
) -> Condition:
    """Make ``question`` (stored as ``question_id``, or new when None) conditional on
    ``condition`` resolving yes, with ``joint`` asking "both" directly. ``above`` are the
    questions the condition is itself conditional on, nearest first: a question may not be
    conditional on itself, directly or through them."""
    if question.kind is not QuestionKind.BINARY:
        raise InvalidInput(
            "kind", question.kind.value, "cannot be conditional: a conditional is yes-or-no"
        )
    if condition.kind is not QuestionKind.BINARY:
        raise InvalidInput("if", condition.id, "is not a yes-or-no question")
    if question_id is not None and (condition.id == question_id or question_id in above):
        links = [question_id, condition.id, *above]
        loop = links[: links.index(question_id, 1) + 1]
        cycle = " if ".join(f"#{ident}" for ident in loop)
        raise InvalidInput(
            "if", condition.id, f"would make a question conditional on itself ({cycle})"
        )
    if joint is not None:
        if joint.kind is not QuestionKind.BINARY:
            raise InvalidInput("joint", joint.id, "is not a yes-or-no question")
        if joint.id in (condition.id, question_id):
            raise InvalidInput("joint", joint.id, "must ask both at once, not one of them")
    return Condition(
        question_id=question_id or 0,
        condition_id=condition.id,  # type: ignore[arg-type]
        joint_id=joint.id if joint is not None else None,
    )
