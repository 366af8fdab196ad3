"""The seed corpus's worked example of a scenario set (``seeds/scenarios.toml``): a prior on
the meeting-place question under a forecaster of its own, the indicators the articles raise
with their likelihoods, and a replay of the updates their real outcomes give.

:func:`load_example` validates it against the rest of the corpus; :func:`seed_example`
writes what is missing inside the seeding transaction, each update through the same
repository call as ``forecasts scenario update --log``, dated when its signpost was known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from db.updates import UpdateRequest
from forecasts.drafts import ForecastDraft, IndicatorDraft
from forecasts.errors import InvalidInput, NotFound, from_validation_error
from forecasts.models import Forecaster, Question, QuestionKind
from forecasts.parsing import parse_moment, start_of_day
from forecasts.verbal import DEFAULT_SCALE

if TYPE_CHECKING:
    from db.repository import Repository
    from db.seed import Corpus, SeedReport


@dataclass(frozen=True)
class SeedIndicator:
    question: str
    likelihoods: str
    """As ``scenario indicator add`` takes them: label=value pairs."""
    rationale: str


@dataclass(frozen=True)
class SeedUpdate:
    indicator: str
    source: str | None


@dataclass(frozen=True)
class WorkedExample:
    set: str
    forecaster: Forecaster
    prior_key: str
    prior_made: datetime
    prior: tuple[float, ...]
    prior_rationale: str
    indicators: tuple[SeedIndicator, ...]
    updates: tuple[SeedUpdate, ...]


def _refused(what: str, exc: Exception) -> InvalidInput:
    error = from_validation_error(exc) if isinstance(exc, ValidationError) else exc
    return InvalidInput("seeds", f"scenarios.toml [{what}]", f"is refused: {error}")


def _pairs(values: dict[str, Any], question: Question) -> str:
    if set(values) != set(question.options):
        raise InvalidInput("likelihoods", ", ".join(values), "must name each scenario once")
    return ", ".join(f"{label}={values[label]}" for label in question.options)


def _check_indicator(entry: SeedIndicator, scenario_set: Question, corpus: Corpus) -> None:
    question = corpus.questions.get(entry.question)
    if question is None:
        raise InvalidInput("question", entry.question, "is not a seed question")
    IndicatorDraft.parse(
        scenario_set.model_copy(update={"id": 1}),
        question.model_copy(update={"id": 2}),
        entry.likelihoods,
        scale=DEFAULT_SCALE,
    )


def load_example(data: dict[str, Any], corpus: Corpus) -> WorkedExample | None:
    """The worked example in ``data`` (scenarios.toml), checked against ``corpus``."""
    if not data:
        return None
    try:
        head = data["example"]
        scenario_set = corpus.questions[head["set"]]
        if scenario_set.kind is not QuestionKind.MULTIPLE_CHOICE:
            raise InvalidInput("set", head["set"], "is not a scenario set")
        prior = head["prior"]
        _pairs(prior["probabilities"], scenario_set)
        vector = tuple(float(prior["probabilities"][label]) for label in scenario_set.options)
        example = WorkedExample(
            set=head["set"],
            forecaster=Forecaster(
                name=head["forecaster"], kind=head["kind"], affiliation=head["affiliation"]
            ),
            prior_key=prior["key"],
            prior_made=parse_moment(prior["made"], "made"),
            prior=vector,
            prior_rationale=prior["rationale"],
            indicators=tuple(
                SeedIndicator(
                    entry["question"],
                    _pairs(entry["likelihoods"], scenario_set),
                    entry["rationale"],
                )
                for entry in data.get("indicator", [])
            ),
            updates=tuple(
                SeedUpdate(entry["indicator"], entry.get("source"))
                for entry in data.get("update", [])
            ),
        )
    except (KeyError, TypeError, ValueError, ValidationError, InvalidInput) as exc:
        raise _refused("example", exc) from None
    linked = {entry.question for entry in example.indicators}
    for entry in example.indicators:
        try:
            _check_indicator(entry, scenario_set, corpus)
        except (ValidationError, InvalidInput) as exc:
            raise _refused(entry.question, exc) from None
    for update in example.updates:
        problem = None
        if update.indicator not in linked:
            problem = InvalidInput("indicator", update.indicator, "is not an example indicator")
        elif update.source is not None and update.source not in corpus.sources:
            problem = InvalidInput("source", update.source, "is not a seed source")
        if problem is not None:
            raise _refused(update.indicator, problem)
    return example


def _forecaster_id(repository: Repository, example: WorkedExample, report: SeedReport) -> int:
    try:
        return repository.forecaster(ref=example.forecaster.name).id  # type: ignore[return-value]
    except NotFound:
        report.added["forecasters"] += 1
        return repository.add_forecaster(example.forecaster).id  # type: ignore[return-value]


def _when_known(repository: Repository, update: SeedUpdate) -> datetime:
    """When the signpost became known: the source's publication day, or the indicator's
    resolution."""
    if update.source is not None:
        return start_of_day(repository.source(ref=update.source).published_on)
    resolution = repository.question(ref=update.indicator).resolution
    if resolution is None:
        raise InvalidInput("indicator", update.indicator, "has no resolution to replay")
    return resolution.resolved_at


def seed_example(
    repository: Repository, example: WorkedExample, keys: set[str], report: SeedReport
) -> None:
    """Write what the database lacks of the worked example, then replay its updates."""
    who = _forecaster_id(repository, example, report)
    scenario_set = repository.question(ref=example.set)
    if example.prior_key not in keys:
        repository.log_forecast(
            ForecastDraft(
                key=example.prior_key,
                question_id=scenario_set.id,  # type: ignore[arg-type]
                forecaster=who,
                made_at=example.prior_made,
                probabilities=example.prior,
                rationale=example.prior_rationale,
            )
        )
        report.added["example priors"] += 1
    linked = {i.question_id for i in repository.indicators(question=example.set)}
    for entry in example.indicators:
        question = repository.question(ref=entry.question)
        if question.id in linked:
            continue
        draft = IndicatorDraft.parse(
            scenario_set,
            question,
            entry.likelihoods,
            scale=DEFAULT_SCALE,
            judged_by=who,
            rationale=entry.rationale,
        )
        repository.add_indicator(draft)
        report.added["indicators"] += 1
    _replay(repository, example, who, report)


def _replay(repository: Repository, example: WorkedExample, who: int, report: SeedReport):
    indicators = {i.question_id: i.id for i in repository.indicators(question=example.set)}
    done = {
        u.indicator_id for u in repository.scenario_updates(question=example.set)
        if u.forecaster_id == who
    }  # fmt: skip
    for update in example.updates:
        question = repository.question(ref=update.indicator)
        if indicators[question.id] in done:
            continue
        repository.update_scenarios(
            UpdateRequest(
                set_ref=example.set,
                indicator_ref=update.indicator,
                forecaster=who,
                source=update.source,
                at=_when_known(repository, update),
                log=True,
            )
        )
        report.added["updates"] += 1
