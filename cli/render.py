"""What the command line prints: JSON documents (their shape is documented in the README)
and plain-text tables. Text from data goes through :func:`forecasts.text.safe`."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cli.plain import line as _line
from cli.plain import table, to_json
from db.reads import (
    ConditionView,
    Event,
    HistoryEntry,
    ListedQuestion,
    QuestionDetail,
    TrackRecordRow,
)
from db.scenario_view import ASSUMPTION
from forecasts import models
from forecasts.coherence import COHERENCE_TOLERANCE
from forecasts.detect import Detection, quote_span
from forecasts.models import after_resolution, standing_forecasts
from forecasts.text import (
    NO_FORECASTERS,
    NO_QUESTIONS,
    NO_SOURCES,
    RAISED_BY_INTENTION,
    dated,
    forecast_value,
    one_line,
    percent,
    safe,
)
from forecasts.verbal import Scale

if TYPE_CHECKING:  # loaded by the commands that suggest questions, not by every read
    from db.scenario_view import HistoryRow, ScenarioView, Signpost
    from db.suggestions import Accepted
    from forecasts.leads import Lead
    from forecasts.suggest import Draft, Judgment


def moment(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def json_array(items: Iterable[Any], *, chunk: int = 500) -> Iterator[str]:
    """A JSON array a chunk of items at a time, as lines of text: joined by newlines, the
    same text as :func:`to_json` of the whole list, so a long list starts printing before it
    is all read (each chunk is laid out as the middle of a list, in one call)."""
    items = iter(items)
    pending = None
    while part := list(itertools.islice(items, chunk)):
        yield "[" if pending is None else pending + ","
        pending = to_json(part)[2:-2]  # the items, without the list's brackets
    if pending is None:
        yield "[]"
    else:
        yield pending
        yield "]"


def question_json(question: models.Question, now: datetime) -> dict[str, Any]:
    return {
        "id": question.id,
        "key": question.key,
        "title": question.title,
        "description": question.description,
        "criteria": question.criteria,
        "kind": question.kind.value,
        "options": list(question.options),
        "narratives": list(question.narratives),
        "tags": list(question.tags),
        "created_at": moment(question.created_at),
        "close_at": moment(question.close_at),
        "resolve_by": moment(question.resolve_by),
        "status": question.status(now).value,
        "resolution": resolution_json(question.resolution) if question.resolution else None,
        "withdrawn": question.withdrawn,
        "recorded_by": question.recorded_by,
    }


def resolution_json(resolution: models.Resolution) -> dict[str, Any]:
    return {
        "id": resolution.id,
        "outcome": resolution.outcome,
        "resolved_at": moment(resolution.resolved_at),
        "evidence": resolution.evidence,
        "source_id": resolution.source_id,
        "resolved_by": resolution.resolved_by,
        "recorded_at": moment(resolution.recorded_at),
        "recorded_by": resolution.recorded_by,
    }


def forecaster_json(forecaster: models.Forecaster) -> dict[str, Any]:
    return {
        "id": forecaster.id,
        "name": forecaster.name,
        "kind": forecaster.kind.value,
        "affiliation": forecaster.affiliation,
    }


def source_json(source: models.Source, *, text: bool = False) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "id": source.id,
        "key": source.key,
        "title": source.title,
        "outlet": source.outlet,
        "url": source.url,
        "published_on": source.published_on.isoformat(),
        "date_precision": source.date_precision.value,
        "date_note": source.date_note,
        "author": source.author,
        "sha256": source.sha256,
        "original_sha256": source.original_sha256,
        "length": len(source.text),
    }
    if text:
        shape["text"] = source.text
        shape["furniture"] = [
            {"start": span.start, "end": span.end, "kind": span.kind} for span in source.furniture
        ]
    return shape


def scale_json(scale: Scale) -> dict[str, Any]:
    return {
        "name": scale.name,
        "title": scale.title,
        "citation": scale.citation,
        "terms": [
            {
                "label": t.label,
                "aliases": list(t.aliases),
                "low": t.low,
                "high": t.high,
                "point": t.point,
            }
            for t in scale.terms
        ],
    }


def scale_text(scale: Scale) -> str:
    rows = [
        [
            t.label,
            f"{percent(t.low)}-{percent(t.high)}" if t.low != t.high else percent(t.low),
            percent(t.point),
            ", ".join(t.aliases),
        ]
        for t in scale.terms
    ]
    head = f"{scale.name}: {scale.title}\nSource: {scale.citation}\n\n"
    return head + table(["TERM", "RANGE", "POINT", "ALSO"], rows)


def detection_json(source: models.Source, detection: Detection, detections) -> dict[str, Any]:
    start, end = quote_span(detection, detections)
    reading = detection.reading
    return {
        "sentence": detection.sentence,
        "sentence_span": [detection.sentence_start, detection.sentence_end],
        "phrase": detection.phrase,
        "phrase_span": [detection.phrase_start, detection.phrase_end],
        "quote_span": [start, end],
        "from_span": f"{source.id}:{start}-{end}",
        "attribution": detection.attribution,
        "event": detection.event,
        "negated": detection.negated,
        "scale": reading.scale,
        "term": reading.term,
        "probability": reading.probability,
        "range": [reading.low, reading.high],
    }


def scan_json(source: models.Source, scale: str, detections: Sequence[Detection]) -> dict[str, Any]:
    return {
        "source": source_json(source),
        "scale": scale,
        "detections": [detection_json(source, d, detections) for d in detections],
    }


def scan_text(source: models.Source, scale: str, detections: Sequence[Detection]) -> str:
    lines = [
        f"#{source.id}  {one_line(source.title)}",
        f"{len(detections)} estimative spans on the {scale} scale"
        f" ({len(source.furniture)} furniture spans skipped)",
    ]
    for detection in detections:
        start, end = quote_span(detection, detections)
        reading = detection.reading
        band = _band(reading.low, reading.high)
        negated = ", negated" if detection.negated else ""
        lines.append("")
        lines.append(
            f"{source.id}:{start}-{end}  {one_line(detection.phrase, 60)!r} -> "
            f"{reading.term} {percent(reading.probability)} ({band}{negated})"
        )
        lines.append(f"    by:    {one_line(detection.attribution) or '-'}")
        lines.append(f"    about: {one_line(detection.event, 100)}")
        lines.append(f"    “{one_line(detection.sentence, 200)}”")
    return "\n".join(lines)


def _signpost_json(post: Signpost) -> dict[str, Any]:
    indicator, question = post.indicator, post.question
    return {
        "id": indicator.id,
        "question": {"id": question.id, "key": question.key, "title": question.title},
        "outcome": post.outcome,
        "likelihoods": list(indicator.likelihoods),
        "phrases": list(indicator.phrases),
        "scale": indicator.scale,
        "judged_by": post.judged_by,
        "rationale": indicator.rationale,
        "diagnosticity": post.diagnosticity,
        "information_gain": post.information_gain,
    }


def _history_json(row: HistoryRow) -> dict[str, Any]:
    return update_json(row.update) | {
        "forecaster": row.forecaster,
        "indicator_question": {"id": row.question.id, "title": row.question.title},
        "stale": row.stale,
    }


def scenarios_json(view: ScenarioView) -> dict[str, Any]:
    question, median = view.question, view.median
    return {
        "question": {"id": question.id, "key": question.key, "title": question.title},
        "scenarios": [
            {
                "number": number,
                "label": label,
                "narrative": question.narrative(label),
                "median": median[number - 1] if median else None,
            }
            for number, label in enumerate(question.options, start=1)
        ],
        "standing": [
            {
                "forecaster": forecaster_json(who),
                "forecast_id": forecast.id,
                "made_at": moment(forecast.made_at),
                "probabilities": list(forecast.vector(question)),
            }
            for who, forecast in view.standing
        ],
        "indicators": [_signpost_json(post) for post in view.signposts],
        "ranked_on": view.ranked_on,
        "updates": [_history_json(row) for row in view.history],
        "assumption": ASSUMPTION,
    }


def scenarios_text(view: ScenarioView) -> str:
    """``scenario show``: each scenario with its narrative and the crowd's median as a bar,
    each forecaster's standing forecast, the indicators worth watching most first, and the
    updates."""
    question, median, standing = view.question, view.median, view.standing
    lines = [f"#{question.id}  {one_line(question.title)}", ""]
    width = max(len(one_line(label, 40)) for label in question.options)
    for number, label in enumerate(question.options, start=1):
        share = median[number - 1] if median else None
        bar = "█" * round(share * 30) if share is not None else ""
        shown = percent(share) if share is not None else "-"
        lines.append(f"{number}. {one_line(label, 40):<{width}}  {shown:>6} {bar}")
        if question.narrative(label):
            lines.append(f"   {one_line(question.narrative(label), 300)}")
    lines.append("")
    if not standing:
        lines.append("No standing forecasts yet.")
    else:
        lines.append(
            f"Median of {len(standing)} standing forecast{'' if len(standing) == 1 else 's'}; each:"
        )
        for who, forecast in standing:
            values = ", ".join(percent(p) for p in forecast.vector(question))
            lines.append(f"  {one_line(who.name, 40)}: {values} ({forecast.made_at:%Y-%m-%d})")
    if view.signposts:
        lines += _signpost_lines(view)
    if view.history:
        lines += _history_lines(view)
    if view.signposts:
        lines += ["", ASSUMPTION]
    return "\n".join(lines)


def _history_lines(view: ScenarioView) -> list[str]:
    lines = ["", "Updates, oldest first:"]
    options = view.question.options
    for row in view.history:
        update = row.update
        known = (
            f"source {update.source_id} reports it {'happened' if update.observed else 'did not'}"
            if update.source_id is not None
            else f"resolved {'yes' if update.observed else 'no'}"
        )
        logged = (
            f"logged as forecast {update.forecast_id}"
            if update.forecast_id is not None
            else "not logged"
        )
        lines.append(
            f"  {update.id}. {update.updated_at:%Y-%m-%d} {one_line(row.forecaster, 40)}: "
            f"#{row.question.id} {one_line(row.question.title, 60)} ({known}); {logged}"
            + ("; its indicator's resolution has changed since" if row.stale else "")
        )
        lines.append(
            "     "
            + ", ".join(
                f"{one_line(label, 20)} {percent(a)} -> {percent(b)}"
                for label, a, b in zip(options, update.prior, update.posterior, strict=True)
            )
        )
    return lines


def _signpost_lines(view: ScenarioView) -> list[str]:
    lines = ["", f"Indicators, the most worth watching first (ranked on {view.ranked_on}):"]
    for post in view.signposts:
        status = f"resolved {post.outcome}" if post.outcome else "open"
        lines.append(f"  #{post.question.id} {one_line(post.question.title, 70)} ({status})")
        likely = ", ".join(
            f"{one_line(label, 20)} {percent(p)}"
            for label, p in zip(view.question.options, post.indicator.likelihoods, strict=True)
        )
        lines.append(f"     if: {likely}")
        lines.append(
            f"     diagnosticity {post.diagnosticity:.2f}; expected information gain "
            f"{post.information_gain:.3f} bits"
        )
    return lines


def update_json(update: models.ScenarioUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "set_id": update.set_id,
        "indicator_id": update.indicator_id,
        "forecaster_id": update.forecaster_id,
        "observed": update.observed,
        "resolution_id": update.resolution_id,
        "source_id": update.source_id,
        "prior_forecast_id": update.prior_forecast_id,
        "prior": list(update.prior),
        "likelihoods": list(update.likelihoods),
        "posterior": list(update.posterior),
        "forecast_id": update.forecast_id,
        "updated_at": moment(update.updated_at),
        "recorded_at": moment(update.recorded_at),
        "recorded_by": update.recorded_by,
    }


def update_lines(update: models.ScenarioUpdate, question: models.Question) -> list[str]:
    """Each scenario's probability before and after an update, with the after as a bar."""
    width = max(len(one_line(label, 40)) for label in question.options)
    return [
        f"  {one_line(label, 40):<{width}}  {percent(before):>6} -> {percent(after):>6} "
        f"{'█' * round(after * 30)}"
        for label, before, after in zip(
            question.options, update.prior, update.posterior, strict=True
        )
    ]


def update_text(
    update: models.ScenarioUpdate, question: models.Question, forecaster: models.Forecaster
) -> str:
    """``scenario update``: what was observed, and the scenarios before and after."""
    known = (
        f"reported by source {update.source_id}"
        if update.source_id is not None
        else f"resolved {'yes' if update.observed else 'no'}"
    )
    if update.source_id is not None and not update.observed:
        known = f"reported not to have happened by source {update.source_id}"
    lines = [
        f"Update {update.id}: {one_line(forecaster.name, 60)}'s scenarios on question "
        f"{question.id}, from forecast {update.prior_forecast_id}, on indicator "
        f"{update.indicator_id} ({known}):",
        *update_lines(update, question),
    ]
    if update.forecast_id is not None:
        lines.append(f"Logged as forecast {update.forecast_id}.")
    else:
        lines.append(
            f"Not logged as a forecast; 'forecasts scenario log {update.id}' logs the posterior."
        )
    return "\n".join(lines)


def indicator_json(indicator: models.Indicator) -> dict[str, Any]:
    return {
        "id": indicator.id,
        "set_id": indicator.set_id,
        "question_id": indicator.question_id,
        "likelihoods": list(indicator.likelihoods),
        "phrases": list(indicator.phrases),
        "scale": indicator.scale,
        "judged_by_id": indicator.judged_by_id,
        "rationale": indicator.rationale,
        "recorded_at": moment(indicator.recorded_at),
        "recorded_by": indicator.recorded_by,
    }


def _band(low: float, high: float) -> str:
    return f"{percent(low)}-{percent(high)}" if low != high else percent(low)


def judgment_json(source: models.Source, number: int, judgment: Judgment) -> dict[str, Any]:
    detection, reading = judgment.detection, judgment.detection.reading
    end = judgment.quote_start + len(judgment.quote)
    return {
        "number": number,
        "phrase": detection.phrase,
        "phrase_span": [detection.phrase_start, detection.phrase_end],
        "quote": judgment.quote,
        "quote_span": [judgment.quote_start, end],
        "from_span": f"{source.id}:{judgment.quote_start}-{end}",
        "attribution": detection.attribution,
        "forecaster": judgment.forecaster,
        "forecaster_known": judgment.known,
        "forecaster_kind": judgment.kind.value,
        "negated": reading.negated,
        "scale": reading.scale,
        "term": reading.term,
        "probability": reading.probability,
        "range": [reading.low, reading.high],
    }


def draft_json(source: models.Source, draft: Draft, titles: dict[int, str]) -> dict[str, Any]:
    return {
        "number": draft.number,
        "title": draft.title,
        "event": draft.event,
        "close_on": draft.close_on.isoformat() if draft.close_on else None,
        "close_words": draft.close_words,
        "criteria": draft.criteria,
        "tags": list(draft.tags),
        "matches": [
            {"question_id": ident, "title": titles[ident], "likeness": score}
            for ident, score in draft.matches
        ],
        "judgments": [
            judgment_json(source, number, judgment)
            for number, judgment in enumerate(draft.judgments, start=1)
        ],
        "leads": [lead_json(source, lead) for lead in draft.leads],
    }


def lead_json(source: models.Source, lead: Lead) -> dict[str, Any]:
    start, end = lead.sentence_start, lead.sentence_end
    return {
        "phrase": lead.phrase,
        "phrase_span": [lead.phrase_start, lead.phrase_end],
        "quote": lead.sentence,
        "quote_span": [start, end],
        "from_span": f"{source.id}:{start}-{end}",
        "who": lead.who,
        "intends": lead.event,
    }


def drafts_text(source: models.Source, drafts: Sequence[Draft], titles: dict[int, str]) -> str:
    """``source suggest``: each draft with its deadline, criteria, the stored questions that
    may already ask it, its judgments, and the command that accepts it."""
    judged = sum(len(d.judgments) for d in drafts)
    intended = sum(len(d.leads) for d in drafts)
    lines = [
        f"#{source.id}  {one_line(source.title)}",
        f"{len(drafts)} question drafts from {judged} judgments"
        + (f" and {intended} stated intentions" if intended else ""),
    ]
    for draft in drafts:
        close = (
            f"{draft.close_on} (from {one_line(draft.close_words)!r})"
            if draft.close_on
            else "- (no deadline in the text: give --close)"
        )
        lines += [
            "",
            f"Draft {draft.number}: {one_line(draft.title)}",
            f"  closes:   {close}",
            f"  criteria: {one_line(draft.criteria, 200)}",
            f"  tags:     {', '.join(draft.tags) or '-'}",
        ]
        for ident, score in draft.matches:
            lines.append(
                f"  asked already? question {ident}: {one_line(titles[ident], 90)} "
                f"(likeness {score:.2f})"
            )
        for number, judgment in enumerate(draft.judgments, start=1):
            reading = judgment.detection.reading
            new = "" if judgment.known else " (new)"
            lines.append(
                f"  {number}. {percent(reading.probability):>6} {reading.term} "
                f"({_band(reading.low, reading.high)}) by {one_line(judgment.forecaster)}{new}: "
                f"“{one_line(judgment.quote, 120)}”"
            )
        for lead in draft.leads:
            lines.append(f"  raised by {one_line(lead.phrase)!r}: “{one_line(lead.sentence, 120)}”")
        how = (
            f"--to {draft.matches[0][0]}  (or --new)"
            if draft.matches and draft.judgments
            else "--new"
            if draft.matches
            else "(a new question)"
        )
        lines.append(f"  accept:   forecasts source accept {source.id} {draft.number} {how}")
    return "\n".join(lines)


def accepted_text(accepted: Accepted) -> str:
    question = accepted.question
    made = "Created" if accepted.created else "On"
    lines = [f"{made} question {question.id}: {one_line(question.title)}"]
    if accepted.raised_by_intention:
        lines.append(RAISED_BY_INTENTION)
        return "\n".join(lines)
    lines.append(
        f"Logged {len(accepted.logged)} judgment{'s' if len(accepted.logged) != 1 else ''}"
        + (f"; {len(accepted.skipped)} already logged" if accepted.skipped else "")
    )
    return "\n".join(lines)


def forecast_json(
    forecast: models.Forecast,
    question: models.Question,
    forecaster: models.Forecaster,
    *,
    superseded: bool,
    backdated: bool = False,
) -> dict[str, Any]:
    return {
        "id": forecast.id,
        "forecaster": forecaster_json(forecaster),
        "made_at": moment(forecast.made_at),
        "made_at_precision": forecast.made_at_precision.value,
        "probability": forecast.probability,
        "probabilities": (
            dict(zip(question.options, forecast.probabilities, strict=True))
            if forecast.probabilities is not None
            else None
        ),
        "source_id": forecast.source_id,
        "quote": forecast.quote,
        "quote_span": (
            [forecast.quote_start, forecast.quote_end] if forecast.quote is not None else None
        ),
        "phrase": forecast.phrase,
        "scale": forecast.scale,
        "scale_probability": forecast.scale_probability,
        "inferred": forecast.inferred,
        "rationale": forecast.rationale,
        "recorded_at": moment(forecast.recorded_at),
        "superseded": superseded,
        "after_resolution": after_resolution(forecast, question.resolution),
        "imported": forecast.imported,
        "backdated": backdated,
        "recorded_by": forecast.recorded_by,
        "retracted": (
            {
                "reason": forecast.retraction.reason,
                "recorded_by": forecast.retraction.recorded_by,
                "recorded_at": moment(forecast.retraction.recorded_at),
            }
            if forecast.retraction is not None
            else None
        ),
    }


def superseded_ids(forecasts: Sequence[models.Forecast]) -> set[int | None]:
    """Ids of forecasts that a later one by the same forecaster replaced."""
    standing = {forecast.id for forecast in standing_forecasts(forecasts).values()}
    return {f.id for f in forecasts if f.retraction is None} - standing


def detail_json(detail: QuestionDetail, now: datetime) -> dict[str, Any]:
    replaced = superseded_ids(detail.forecasts)
    shape = question_json(detail.question, now)
    shape["forecasts"] = [
        forecast_json(
            forecast,
            detail.question,
            detail.forecasters[forecast.forecaster_id],
            superseded=forecast.id in replaced,
            backdated=forecast.id in detail.backdated,
        )
        for forecast in detail.forecasts
    ]
    shape["backdated_left_out"] = len(detail.backdated)
    shape["revisions"] = [event_json(event) for event in detail.revisions]
    shape["sources"] = [source_json(source) for source in detail.sources.values()]
    shape["resolutions"] = [resolution_json(resolution) for resolution in detail.resolutions]
    shape["condition"] = condition_json(detail.condition) if detail.condition else None
    shape["conditionals"] = [{"id": ident, "title": title} for ident, title in detail.conditionals]
    return shape


def _asked(question: models.Question) -> dict[str, Any]:
    resolution = question.resolution
    return {
        "id": question.id,
        "key": question.key,
        "title": question.title,
        "outcome": resolution.outcome if resolution else None,
    }


def condition_json(view: ConditionView) -> dict[str, Any]:
    """What a conditional question is conditional on, and each forecaster's coherence."""
    return {
        "if": _asked(view.on),
        "state": view.state,
        "joint": _asked(view.joint) if view.joint is not None else None,
        "coherence": [
            {
                "forecaster": row.forecaster,
                "p_a": row.p_a,
                "p_b_given_a": row.p_b_given_a,
                "p_a_and_b": row.p_a_and_b,
                "direct": row.direct,
                "gap": row.gap,
            }
            for row in view.coherence
        ],
        "tolerance": COHERENCE_TOLERANCE,
        "recorded_at": moment(view.condition.recorded_at),
        "recorded_by": view.condition.recorded_by,
    }


def condition_lines(view: ConditionView) -> list[str]:
    """``question show``'s account of a conditional question."""
    on = view.on
    state = {
        "waiting": f"question {on.id} is not resolved yet: not scored until it resolves yes",
        "met": f"question {on.id} resolved yes: scored",
        "not met": f"question {on.id} resolved {on.resolution.outcome if on.resolution else ''}"
        ": annulled",
    }[view.state]
    lines = [
        f"Condition: if #{on.id} {one_line(on.title, 80)} resolves yes",
        f"           {state}",
        "Forecasts here are P(this | the condition). P(both) = P(condition) x P(this | condition):",
    ]
    if view.joint is not None:
        lines.append(f"  asked directly by #{view.joint.id} {one_line(view.joint.title, 70)}")
    if not view.coherence:
        lines.append("  no forecaster has a standing forecast on both yet")
    for row in view.coherence:
        direct = f"; direct {percent(row.direct)}" if row.direct is not None else ""
        warning = (
            f"  ! incoherent: {percent(row.gap)} apart (over {percent(COHERENCE_TOLERANCE)})"
            if row.gap is not None
            else ""
        )
        lines.append(
            f"  {one_line(row.forecaster, 40)}: {percent(row.p_a)} x {percent(row.p_b_given_a)}"
            f" = {percent(row.p_a_and_b)}{direct}{warning}"
        )
    return lines


def summary_json(summary: models.QuestionSummary, now: datetime) -> dict[str, Any]:
    shape = question_json(summary.question, now)
    shape["forecasts"] = summary.forecasts
    shape["forecasters"] = summary.forecasters
    return shape


# Plain text ------------------------------------------------------------------------------


def added_source_text(source: models.Source) -> str:
    """The line ``source add`` prints."""
    return (
        f"Added source {source.id}: {one_line(source.title)} "
        f"({len(source.text)} characters, sha256 {source.sha256[:12]}…)"
    )


def resolution_text(resolution: models.Resolution, *, changed: bool = True) -> str:
    """The line ``resolve`` and ``annul`` print."""
    said = (
        f"Question {resolution.question_id}: {one_line(resolution.outcome)} "
        f"as of {resolution.resolved_at:%Y-%m-%d}"
    )
    return said if changed else f"{said} already; nothing changed"


def logged_text(forecast: models.Forecast, question: models.Question) -> str:
    """The line ``forecast add`` prints, with the scale's reading when a phrase gave it."""
    line = (
        f"Logged forecast {forecast.id} on question {question.id}: "
        f"{forecast_value(forecast, question)}"
    )
    read = forecast.scale_probability
    if read is not None and forecast.probability != read:
        line += f" (overrides {forecast.scale}: {percent(read)})"
    elif read is not None:
        line += f" ({forecast.scale}: {one_line(forecast.phrase)})"
    return line


def status_label(question: models.Question, now: datetime) -> str:
    """A question's status as the command line prints it."""
    outcome = question.resolution.outcome if question.resolution is not None else None
    return status_text(question.status(now), outcome)


def status_text(status: models.QuestionStatus, outcome: str | None) -> str:
    """A status and current outcome as the command line prints them."""
    if status is models.QuestionStatus.CLOSED:
        return "awaiting resolution"
    if outcome is not None and status is models.QuestionStatus.RESOLVED:
        return f"resolved: {one_line(outcome, 24)}"
    return status.value


def questions_lines(listed: Iterable[ListedQuestion]) -> Iterator[str]:
    """``question list`` as a table, a line at a time. Columns are as wide as their widest
    cell in the first thousand rows; a later, wider cell widens its column from there on."""
    rows = (
        [
            str(q.id),
            status_text(q.status, q.outcome),
            q.close_at.strftime("%Y-%m-%d"),
            str(q.forecasts),
            one_line(q.title, 70),
        ]
        for q in listed
    )
    first = list(itertools.islice(rows, 1000))
    if not first:
        yield NO_QUESTIONS
        return
    headers = ["ID", "STATUS", "CLOSES", "FORECASTS", "TITLE"]
    widths = [max(len(cell) for cell in column) for column in zip(headers, *first, strict=True)]
    for row in itertools.chain([headers], first, rows):
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
        yield _line(row, widths, right=(0, 3))


def detail_text(detail: QuestionDetail, now: datetime) -> str:
    """``question show``: the question, its forecasts (oldest first) and its resolutions."""
    lines = _question_lines(detail.question, now)
    moved = [r for r in detail.revisions if r.detail.get("forecasts")]
    if moved:
        lines.append(
            f"Edited {len(moved)} time{'s' if len(moved) != 1 else ''} after forecasts were "
            f"made (see: forecasts history {detail.question.id})"
        )
    if detail.condition is not None:
        lines.extend(condition_lines(detail.condition))
    if detail.conditionals:
        lines.append("Conditional on this one: " + ", ".join(
            f"#{ident} {one_line(title, 60)}" for ident, title in detail.conditionals
        ))  # fmt: skip
    lines.append("")
    lines.append(f"Forecasts ({len(detail.forecasts)}):")
    if not detail.forecasts:
        lines.append("  none yet")
    replaced = superseded_ids(detail.forecasts)
    for forecast in detail.forecasts:
        lines.extend(_forecast_lines(detail, forecast, superseded=forecast.id in replaced))
    if detail.resolutions:
        lines.append("")
        lines.append("Resolution history (current last):")
        for resolution in detail.resolutions:
            evidence = f"  {one_line(resolution.evidence, 80)}" if resolution.evidence else ""
            lines.append(
                f"  {resolution.resolved_at:%Y-%m-%d}  {one_line(resolution.outcome)}{evidence}"
            )
    return "\n".join(lines)


def _question_lines(q: models.Question, now: datetime) -> list[str]:
    lines = [f"#{q.id}  {one_line(q.title)}"]
    if q.key:
        lines.append(f"Key:       {safe(q.key)}")
    lines.append(f"Status:    {status_label(q, now)}")
    kind = "binary (yes / no)" if q.kind is models.QuestionKind.BINARY else "multiple choice"
    lines.append(f"Kind:      {kind}")
    for index, label in enumerate(q.options, 1):
        lines.append(f"  {index}. {one_line(label)}")
        if q.narrative(label):
            lines.append(f"     {one_line(q.narrative(label), 200)}")
    lines.append(f"Closes:    {q.close_at:%Y-%m-%d %H:%M} UTC")
    if q.resolve_by:
        lines.append(f"Resolve by: {q.resolve_by:%Y-%m-%d %H:%M} UTC")
    if q.tags:
        lines.append(f"Tags:      {', '.join(q.tags)}")
    lines.append("Criteria:")
    lines.extend(f"  {safe(line)}" for line in q.criteria.splitlines())
    if q.description:
        lines.append("Description:")
        lines.extend(f"  {safe(line)}" for line in q.description.splitlines())
    return lines


def _forecast_lines(
    detail: QuestionDetail, forecast: models.Forecast, *, superseded: bool
) -> list[str]:
    who = detail.forecasters[forecast.forecaster_id]
    mark = " (superseded)" if superseded else ""
    if after_resolution(forecast, detail.question.resolution):
        mark += " (after the resolution: not scored)"
    elif forecast.id in detail.backdated:
        mark += " (backdated: not scored)"
    if forecast.retraction is not None:
        mark += f" (RETRACTED: {one_line(forecast.retraction.reason)})"
    lines = [
        f"  {dated(forecast.made_at, forecast.made_at_precision)}  {one_line(who.name, 32)}  "
        f"{forecast_value(forecast, detail.question)}{mark}"
    ]
    if forecast.phrase:
        scale = f" ({safe(forecast.scale)})" if forecast.scale else ""
        lines.append(f"      phrase: {one_line(forecast.phrase)}{scale}")
    if forecast.quote:
        source = detail.sources.get(forecast.source_id)
        where = f" (source {source.id}: {one_line(source.title, 50)})" if source else ""
        lines.append(f"      “{one_line(forecast.quote)}”{where}")
    if forecast.rationale:
        lines.append(f"      rationale: {one_line(forecast.rationale)}")
    return lines


def event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "question_id": event.question_id,
        "forecast_id": event.forecast_id,
        "forecaster_id": event.forecaster_id,
        "reason": event.reason,
        "detail": event.detail,
        "recorded_by": event.recorded_by,
        "recorded_at": moment(event.recorded_at),
    }


def history_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "recorded_at": moment(entry.recorded_at),
        "recorded_by": entry.recorded_by,
        "summary": entry.summary,
        "reason": entry.reason,
        "detail": entry.detail,
    }


def history_text(entries: Sequence[HistoryEntry]) -> str:
    rows = [
        [
            f"{entry.recorded_at:%Y-%m-%d %H:%M}",
            entry.kind,
            one_line(entry.recorded_by, 20) or "-",
            one_line(entry.summary, 70)
            + (f" ({one_line(entry.reason, 50)})" if entry.reason else ""),
        ]
        for entry in entries
    ]
    return table(["RECORDED", "WHAT", "BY", "DETAIL"], rows)


def track_record_json(row: TrackRecordRow) -> dict[str, Any]:
    shape = forecast_json(
        row.forecast,
        row.question,
        row.forecaster,
        superseded=row.superseded,
        backdated=row.backdated,
    )
    shape["question"] = {
        "id": row.question.id,
        "key": row.question.key,
        "title": row.question.title,
        "resolution": resolution_json(row.question.resolution) if row.question.resolution else None,
    }
    return shape


def track_record_text(rows: Sequence[TrackRecordRow]) -> str:
    if not rows:
        return "No forecasts match."
    table_rows = []
    for row in rows:
        marks = [
            mark
            for mark, shown in (
                ("superseded", row.superseded),
                ("backdated", row.backdated),
                ("after resolution", after_resolution(row.forecast, row.question.resolution)),
            )
            if shown
        ]
        outcome = row.question.resolution.outcome if row.question.resolution else "-"
        table_rows.append(
            [
                str(row.forecast.id),
                dated(row.forecast.made_at, row.forecast.made_at_precision),
                one_line(row.forecaster.name, 24),
                str(row.question.id),
                one_line(forecast_value(row.forecast, row.question, label_width=12), 30),
                one_line(outcome, 12),
                ", ".join(marks),
                one_line(row.question.title, 50),
            ]
        )
    headers = ["ID", "MADE", "FORECASTER", "Q", "FORECAST", "OUTCOME", "NOTE", "QUESTION"]
    return table(headers, table_rows, right=(0, 3))


def forecasters_text(forecasters: Sequence[models.Forecaster]) -> str:
    if not forecasters:
        return NO_FORECASTERS
    rows = [
        [str(f.id), f.kind.value, one_line(f.name, 40), one_line(f.affiliation, 60)]
        for f in forecasters
    ]
    return table(["ID", "KIND", "NAME", "AFFILIATION"], rows, right=(0,))


def sources_text(sources: Sequence[models.Source]) -> str:
    if not sources:
        return NO_SOURCES
    rows = [
        [
            str(s.id),
            dated(s.published_on, s.date_precision),
            one_line(s.outlet, 24) or "-",
            one_line(s.title, 70),
        ]
        for s in sources
    ]
    return table(["ID", "PUBLISHED", "OUTLET", "TITLE"], rows, right=(0,))


def import_text(report) -> str:
    """What an import (a :class:`db.importer.ImportReport`) added, updated and skipped."""
    verb = "Would import" if report.dry_run else "Imported"
    lines = [f"{verb} {safe(report.path)} ({report.format}):"]
    for section, counts in report.counts.items():
        if any(counts.values()):
            said = ", ".join(f"{count} {what}" for what, count in counts.items())
            lines.append(f"  {section}: {said}")
    if len(lines) == 1:
        lines.append("  nothing: the file holds no records")
    if report.kept:
        shown = ", ".join(report.kept[:5]) + (" ..." if len(report.kept) > 5 else "")
        lines.append(
            f"  {len(report.kept)} questions differ from the stored ones they match and were "
            f"kept as stored: {safe(shown)}"
        )
    if report.dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines)
