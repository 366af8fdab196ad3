"""A scenario set as its views show it (``scenario show`` and the app's scenario screen),
read in one transaction: the scenarios with the median of the standing forecasts, each
forecaster's standing forecast, the indicators ranked by what observing them would tell,
and the history of updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db import reads
from db.reads import QuestionDetail, Ref
from forecasts.errors import InvalidInput
from forecasts.models import (
    YES,
    Forecast,
    Forecaster,
    Indicator,
    Question,
    QuestionKind,
    ScenarioUpdate,
    median_vector,
    standing_forecasts,
)

ASSUMPTION = "Updates assume the indicators are independent of each other given the scenario."


@dataclass(frozen=True)
class Signpost:
    """An indicator with its question, who judged its likelihoods, and what observing it
    would tell: its diagnosticity and expected information gain on the view's prior."""

    indicator: Indicator
    question: Question
    judged_by: str | None
    diagnosticity: float
    information_gain: float

    @property
    def outcome(self) -> str | None:
        resolution = self.question.resolution
        return resolution.outcome if resolution else None


@dataclass(frozen=True)
class HistoryRow:
    """An update of the set with whose it was, its indicator's question, and whether that
    question's resolution still says what the update used (``stale`` when not)."""

    update: ScenarioUpdate
    forecaster: str
    question: Question
    stale: bool


@dataclass(frozen=True)
class ScenarioView:
    detail: QuestionDetail
    standing: tuple[tuple[Forecaster, Forecast], ...]
    """Each forecaster's standing forecast, by name."""
    median: tuple[float, ...] | None
    prior: tuple[float, ...]
    """What the ranking starts from: the median, or even odds when nothing stands."""
    ranked_on: str
    signposts: tuple[Signpost, ...]
    """Open indicators first, the most informative first."""
    history: tuple[HistoryRow, ...]
    """Oldest first."""

    @property
    def question(self) -> Question:
        return self.detail.question


def _names(connection: Any, ids: set[int | None]) -> dict[int, str]:
    known = {ident for ident in ids if ident is not None}
    return {ident: reads.forecaster_row(connection, ident)["name"] for ident in known}


def _stale(update: ScenarioUpdate, question: Question) -> bool:
    current = question.resolution
    return update.resolution_id is not None and (
        current is None or current.annulled or (current.outcome == YES) != update.observed
    )


def scenario_view(connection: Any, ref: Ref) -> ScenarioView:
    """The scenario set ``ref`` (a multiple-choice question) as its views show it."""
    from forecasts import scenarios  # numpy: loaded by the scenario views only

    detail = reads.question_detail(connection, ref)
    question = detail.question
    if question.kind is not QuestionKind.MULTIPLE_CHOICE:
        raise InvalidInput("question", ref, "is a yes-or-no question, not a set of scenarios")
    standing = tuple(
        sorted(
            (
                (detail.forecasters[who], forecast)
                for who, forecast in standing_forecasts(list(detail.forecasts)).items()
            ),
            key=lambda pair: pair[0].name.casefold(),
        )
    )
    median = median_vector([forecast.vector(question) for _, forecast in standing])
    if median:
        prior, basis = tuple(median), "the median of the standing forecasts"
    else:
        count = len(question.options)
        prior, basis = tuple(1 / count for _ in range(count)), "even odds (no forecast stands yet)"
    indicators = reads.indicators_of(connection, question.id)  # type: ignore[arg-type]
    updates = reads.updates_of(connection, question.id)  # type: ignore[arg-type]
    names = _names(
        connection,
        {i.judged_by_id for i in indicators} | {u.forecaster_id for u in updates},
    )
    questions = {i.id: reads.load_question(connection, i.question_id) for i in indicators}
    signposts = sorted(
        (
            Signpost(
                indicator,
                questions[indicator.id],
                names.get(indicator.judged_by_id) if indicator.judged_by_id else None,  # type: ignore[arg-type]
                scenarios.diagnosticity(indicator.likelihoods),
                scenarios.information_gain(prior, indicator.likelihoods),
            )
            for indicator in indicators
        ),
        key=lambda post: (post.outcome is not None, -post.information_gain),
    )
    history = tuple(
        HistoryRow(
            update,
            names[update.forecaster_id],
            questions[update.indicator_id],
            _stale(update, questions[update.indicator_id]),
        )
        for update in updates
    )
    return ScenarioView(detail, standing, median, prior, basis, tuple(signposts), history)
