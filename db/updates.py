"""Scenario updates: a forecaster's scenario set updated by Bayes' rule when an indicator is
observed, kept in the set's history, and the posterior logged as a forecast on request.

Each function works on the driver's connection inside the caller's write transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db import reads, writes
from db.reads import Ref
from forecasts.drafts import ForecastDraft, update_rationale
from forecasts.errors import Conflict, InvalidInput
from forecasts.models import (
    YES,
    Forecast,
    QuestionKind,
    ScenarioUpdate,
    standing_forecasts,
)
from forecasts.parsing import as_utc


@dataclass(frozen=True)
class UpdateRequest:
    """Update ``forecaster``'s (the user's when None) standing forecast on the scenario set
    ``set_ref`` on the indicator whose question is ``indicator_ref``: as the indicator's
    resolution says, or as the source ``source`` reports it (``observed``: it happened, or
    not). ``at`` is when the update is made (now when None); ``log`` also logs the posterior
    as the forecaster's new forecast."""

    set_ref: Ref
    indicator_ref: Ref
    forecaster: Ref | None = None
    source: Ref | None = None
    observed: bool = True
    at: datetime | None = None
    log: bool = False


def _indicator(connection: Any, set_id: int, request: UpdateRequest) -> Any:
    question_id = reads.question_id(connection, request.indicator_ref)
    row = reads.select_one(
        connection,
        "SELECT * FROM indicator WHERE set_id = ? AND question_id = ?",
        [set_id, question_id],
    )
    if row is None:
        raise InvalidInput(
            "indicator",
            request.indicator_ref,
            f"is not an indicator of question {set_id} (link it with scenario indicator add)",
        )
    return reads.to_indicator(row)


def _forecaster_id(connection: Any, ref: Ref | None, set_id: int) -> int:
    if ref is not None:
        return reads.forecaster_row(connection, ref)["id"]
    found = reads.find_user_id(connection)
    if found is None:
        raise InvalidInput(
            "forecaster",
            reads.USER_NAME,
            f"has no standing forecast on question {set_id} to update",
        )
    return found


def _observation(connection: Any, request: UpdateRequest, indicator, at: datetime):
    """(observed, resolution id, source id) for the update."""
    question = reads.load_question(connection, indicator.question_id)
    if request.source is not None:
        source = reads.load_source(connection, reads.source_id(connection, request.source))
        if source.published_on is not None and source.published_on > at.date():
            raise InvalidInput(
                "source",
                request.source,
                f"is published on {source.published_on}, after the update ({at:%Y-%m-%d})",
            )
        return request.observed, None, source.id
    resolution = question.resolution
    if resolution is None or resolution.resolved_at > at:
        raise InvalidInput(
            "indicator",
            request.indicator_ref,
            f"question {question.id} is not resolved; resolve it, or name a source that reports it",
        )
    if resolution.annulled:
        raise InvalidInput(
            "indicator",
            request.indicator_ref,
            f"question {question.id} was annulled, so it tells the scenarios nothing",
        )
    observed = resolution.outcome == YES
    return observed, resolution.id, None


def _prior(connection: Any, scenario_set, forecaster_id: int, at: datetime) -> Forecast:
    made = [f for f in reads.forecasts_of(connection, scenario_set) if f.made_at <= at]
    prior = standing_forecasts(made).get(forecaster_id)
    if prior is None:
        name = reads.forecaster_row(connection, forecaster_id)["name"]
        raise InvalidInput(
            "forecaster",
            name,
            f"has no standing forecast on question {scenario_set.id} to update",
        )
    return prior


def record_update(
    connection: Any, request: UpdateRequest, *, now: datetime, user_name: str
) -> ScenarioUpdate:
    """Update the forecaster's standing forecast on the set by Bayes' rule and keep the
    update in the set's history (logging the posterior too when the request asks). An
    indicator updates a forecaster's scenarios once."""
    from forecasts import scenarios  # numpy: loaded by scenario updates only

    at = as_utc(request.at) if request.at is not None else now
    set_id = reads.question_id(connection, request.set_ref)
    scenario_set = reads.load_question(connection, set_id)
    if scenario_set.kind is not QuestionKind.MULTIPLE_CHOICE:
        raise InvalidInput(
            "question", request.set_ref, "is a yes-or-no question, not a set of scenarios"
        )
    indicator = _indicator(connection, set_id, request)
    forecaster_id = _forecaster_id(connection, request.forecaster, set_id)
    observed, resolution_id, source_id = _observation(connection, request, indicator, at)
    earlier = reads.select_one(
        connection,
        "SELECT id FROM scenario_update WHERE indicator_id = ? AND forecaster_id = ?",
        [indicator.id, forecaster_id],
    )
    if earlier is not None:
        name = reads.forecaster_row(connection, forecaster_id)["name"]
        raise Conflict(
            "indicator",
            request.indicator_ref,
            f"has updated {name}'s scenarios already (update {earlier['id']})",
        )
    prior = _prior(connection, scenario_set, forecaster_id, at)
    prior_vector = prior.vector(scenario_set)
    posterior = tuple(
        float(p) for p in scenarios.update(prior_vector, indicator.likelihoods, observed)
    )
    update = ScenarioUpdate(
        set_id=set_id,
        indicator_id=indicator.id,
        forecaster_id=forecaster_id,
        observed=observed,
        resolution_id=resolution_id,
        source_id=source_id,
        prior_forecast_id=prior.id,
        prior=prior_vector,
        likelihoods=indicator.likelihoods,
        posterior=posterior,
        updated_at=at,
        recorded_at=now,
        recorded_by=user_name,
    )
    fields = update.model_dump(exclude={"id"})
    for name in ("prior", "likelihoods", "posterior"):
        fields[name] = json.dumps(list(fields[name]))
    update = update.model_copy(update={"id": writes.insert(connection, "scenario_update", fields)})
    if request.log:
        forecast = log_posterior(connection, update.id, now=now, user_name=user_name, at=at)
        update = update.model_copy(update={"forecast_id": forecast.id})
    return update


def load_update(connection: Any, ident: int) -> ScenarioUpdate:
    row = reads.select_one(connection, "SELECT * FROM scenario_update WHERE id = ?", [ident])
    if row is None:
        raise InvalidInput("update", ident, "is not a scenario update")
    return reads.to_scenario_update(row)


def log_posterior(
    connection: Any, ident: int, *, now: datetime, user_name: str, at: datetime | None = None
) -> Forecast:
    """Log an update's posterior as its forecaster's new forecast on the set (made ``at``,
    now when None), with the update as its rationale."""
    update = load_update(connection, ident)
    if update.forecast_id is not None:
        raise Conflict("update", ident, f"is logged already, as forecast {update.forecast_id}")
    scenario_set = reads.load_question(connection, update.set_id)
    indicator = reads.to_indicator(
        reads.select_one(connection, "SELECT * FROM indicator WHERE id = ?", [update.indicator_id])
    )
    signpost = reads.load_question(connection, indicator.question_id)
    source = (
        reads.load_source(connection, update.source_id) if update.source_id is not None else None
    )
    draft = ForecastDraft(
        question_id=update.set_id,
        forecaster=update.forecaster_id,
        made_at=at or now,
        probabilities=update.posterior,
        rationale=update_rationale(scenario_set, signpost, update, source),
    )
    forecast = writes.log_forecast(connection, draft, now=now, user_name=user_name)
    connection.execute(
        "UPDATE scenario_update SET forecast_id = ? WHERE id = ?", [forecast.id, ident]
    )
    return forecast
