"""Scores from the database: loads what scoring needs as columns (never as ORM objects),
hands them to :mod:`forecasts.scoring`, and puts names back on the results.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from forecasts.errors import InvalidInput, NotFound
from forecasts.kinds import NO, YES, QuestionKind, backdated
from forecasts.scoring import (
    AGGREGATES,
    Calibration,
    ForecastColumns,
    GroupSummary,
    PairScores,
    QuestionColumns,
    calibration,
    changes,
    consensus,
    one_vs_rest,
    question_medians,
    question_scores,
    relative_brier,
    scoring_end,
    summarize,
)

NO_SOURCE = "(no source)"
UNNAMED_OUTLET = "(outlet not named)"
GROUPINGS = ("forecaster", "tag", "outlet")


@dataclass(frozen=True)
class ScoringData:
    """Everything scoring needs, as columns, with the names to put back on the results."""

    forecasts: ForecastColumns
    questions: QuestionColumns
    question_ids: np.ndarray
    forecaster_ids: np.ndarray
    forecaster_names: list[str]
    forecaster_kinds: list[str]
    forecast_outlet: np.ndarray  # index into outlets, per forecast (empty unless loaded)
    outlets: list[str]
    tag_question: np.ndarray  # (question index, tag index) pairs
    tag_index: np.ndarray
    tags: list[str]
    backdated: int = 0  # backdated forecasts left out (docs/scoring.md), 0 when kept
    steady: tuple[float, float] = (-np.inf, np.inf)
    """The span of moments (seconds since the epoch, the end excluded) in which these scores
    hold without a write: from the last scoring end of a resolved question already reached
    to the next one not yet reached (a question counts from its scoring end)."""


class _Reader:
    """Runs every query of one load in the caller's read transaction, so scores see one
    state of the database while other processes write; each answer becomes a numpy record
    array."""

    def __init__(self, connection: Any) -> None:
        self.cursor = connection.cursor()

    def rows(self, sql: str, dtype: list[tuple[str, str]]) -> np.ndarray:
        self.cursor.execute(sql)
        return np.fromiter(self.cursor, dtype=dtype)


def _exact(seconds: np.ndarray) -> np.ndarray:
    """Moments read through julianday, which is off by up to about 50 microseconds, put
    back on the millisecond: a forecast recorded, or a score read, in the same second as a
    resolution compares equal to it, not a hair before or after (moments are stored to
    the second, or to the microsecond from an imported record)."""
    return np.round(seconds, 3)


def _epoch(column: str) -> str:
    """A stored moment as seconds since the epoch, in SQL."""
    return f"(julianday({column}) - 2440587.5) * 86400.0"


NEVER = 1e300  # a publication time later than any forecast: no source, so not documented
LIVE = "forecast.id NOT IN (SELECT forecast_id FROM event WHERE kind = 'retracted')"
"""Forecasts not retracted: the only ones scored."""
FORECAST_ORDER = "forecast.question_id, forecast.forecaster_id, forecast.made_at, forecast.id"

QUESTIONS = f"""
SELECT id,
       CASE WHEN kind = '{QuestionKind.BINARY.value}' THEN 2
            ELSE (SELECT count(*) FROM question_option WHERE question_id = question.id) END,
       {_epoch("close_at")}, withdrawn
FROM question ORDER BY id
"""

RESOLUTIONS = f"""
SELECT resolution.question_id,
       CASE WHEN question.kind = '{QuestionKind.BINARY.value}' THEN
                CASE resolution.outcome WHEN '{YES}' THEN 0 WHEN '{NO}' THEN 1 ELSE -1 END
            ELSE coalesce((SELECT position FROM question_option
                           WHERE question_id = resolution.question_id
                             AND label = resolution.outcome), -1) END,
       {_epoch("resolution.resolved_at")}
FROM resolution JOIN question ON question.id = resolution.question_id
JOIN (SELECT question_id, max(sequence) AS sequence FROM resolution GROUP BY question_id)
  AS latest ON resolution.question_id = latest.question_id
           AND resolution.sequence = latest.sequence
"""
"""Each question's current resolution (the highest sequence, as in :data:`db.reads.QUESTIONS`): the
outcome's index (-1 for annulled) and when."""

FORECASTERS = "SELECT id, name, kind, coalesce(merged_into_id, id) FROM forecaster ORDER BY id"

FORECASTS = f"""
SELECT forecast.question_id, forecast.forecaster_id, {_epoch("forecast.made_at")},
       coalesce(forecast.probability, -1.0), {_epoch("forecast.recorded_at")},
       forecast.imported, forecast.quote IS NOT NULL,
       coalesce({_epoch("source.published_on")}, {NEVER!r})
FROM forecast LEFT OUTER JOIN source ON source.id = forecast.source_id
WHERE {LIVE} ORDER BY {FORECAST_ORDER}
"""

VECTORS = f"""
SELECT forecast_probability.position, forecast_probability.probability
FROM forecast JOIN forecast_probability ON forecast_probability.forecast_id = forecast.id
WHERE {LIVE} ORDER BY {FORECAST_ORDER}, forecast_probability.position
"""
"""The options' probabilities of multiple-choice forecasts, in the forecasts' order."""

CONDITIONS = "SELECT question_id, condition_id FROM question_condition"
"""Conditional questions and what they are conditional on (yes is outcome 0)."""

TAGS = "SELECT question_id, tag FROM question_tag"
SOURCES = "SELECT id, outlet FROM source ORDER BY id"
FORECAST_SOURCES = (
    f"SELECT coalesce(source_id, -1) FROM forecast WHERE {LIVE} ORDER BY {FORECAST_ORDER}"
)


def load(
    source: Any,
    *,
    now: datetime,
    with_outlets: bool = False,
    resolved: tuple[datetime | None, datetime | None] = (None, None),
    include_backdated: bool = False,
) -> ScoringData:
    """Read questions, resolutions, forecasts and tags as numpy columns, in one read
    transaction; the outlet of each forecast's source too with ``with_outlets`` (for the
    breakdown by outlet). With ``resolved`` (since, until), only questions resolved in that
    window are scored. Backdated forecasts are left out unless ``include_backdated``.

    ``source`` is an engine (a read transaction is begun and ended here) or a SQLite
    connection already in the caller's read transaction (the command line's light reader)."""
    options = {
        "now": now,
        "with_outlets": with_outlets,
        "window": resolved,
        "include_backdated": include_backdated,
    }
    if isinstance(source, sqlite3.Connection):
        return _load(_Reader(source), **options)
    if source.dialect.name != "sqlite":
        raise InvalidInput(
            "db", source.url.render_as_string(), "is not SQLite; scoring reads SQLite"
        )
    from db.engine import serial

    with serial(source):
        raw = source.raw_connection()
        try:
            raw.cursor().execute("BEGIN")
            return _load(_Reader(raw), **options)
        finally:
            try:
                raw.rollback()  # nothing was written: end the read transaction
            finally:
                raw.close()


def _load(
    reader: _Reader,
    *,
    now: datetime,
    with_outlets: bool,
    window: tuple[datetime | None, datetime | None],
    include_backdated: bool,
) -> ScoringData:
    questions = reader.rows(
        QUESTIONS, [("id", "i8"), ("k", "i8"), ("close", "f8"), ("withdrawn", "?")]
    )
    question_ids = questions["id"]
    m = question_ids.shape[0]
    resolved = reader.rows(RESOLUTIONS, [("question", "i8"), ("outcome", "i8"), ("at", "f8")])
    at = np.searchsorted(question_ids, resolved["question"])
    outcome = np.full(m, -1, dtype=np.int64)
    outcome[at] = resolved["outcome"]
    resolved_at = np.full(m, np.nan)
    resolved_at[at] = _exact(resolved["at"])
    end = scoring_end(_exact(questions["close"]), resolved_at)
    ends = end[outcome >= 0]
    steady = (
        float(ends[ends <= now.timestamp()].max(initial=-np.inf)),
        float(ends[ends > now.timestamp()].min(initial=np.inf)),
    )
    outcome[end > now.timestamp()] = -1  # not scored before its scoring end
    outcome[questions["withdrawn"]] = -1  # withdrawn: kept in the record, never scored
    conditional = reader.rows(CONDITIONS, [("q", "i8"), ("c", "i8")])
    if len(conditional):  # a conditional question counts only when its condition is yes
        unmet = outcome[np.searchsorted(question_ids, conditional["c"])] != 0
        outcome[np.searchsorted(question_ids, conditional["q"][unmet])] = -1
    since, until = window
    if since is not None:
        outcome[~(resolved_at >= since.timestamp())] = -1
    if until is not None:
        outcome[~(resolved_at <= until.timestamp())] = -1
    forecasters = reader.rows(
        FORECASTERS, [("id", "i8"), ("name", "O"), ("kind", "O"), ("counts_as", "i8")]
    )
    rows = reader.rows(
        FORECASTS,
        [
            ("q", "i8"),
            ("f", "i8"),
            ("t", "f8"),
            ("p", "f8"),
            ("recorded", "f8"),
            ("imported", "?"),
            ("quoted", "?"),
            ("published", "f8"),
        ],
    )
    rows["t"], rows["recorded"] = _exact(rows["t"]), _exact(rows["recorded"])
    k = questions["k"]
    q_index = np.searchsorted(question_ids, rows["q"])
    probs = _probabilities(reader, rows["p"], k[q_index], width=int(max(2, k.max())) if m else 2)
    outlets, forecast_outlet = _outlets(reader, len(rows)) if with_outlets else ([NO_SOURCE], None)
    flagged = backdated(
        rows["t"],
        rows["recorded"],
        np.nan_to_num(resolved_at, nan=np.inf)[q_index],
        imported=rows["imported"],
        quoted=rows["quoted"],
        published=rows["published"],
    )
    left_out = 0 if include_backdated else int(flagged.sum())
    if left_out:
        keep = np.flatnonzero(~flagged)
        rows, q_index, probs = rows[keep], q_index[keep], probs[keep]
        forecast_outlet = forecast_outlet[keep] if forecast_outlet is not None else None
    tag_rows = reader.rows(TAGS, [("q", "i8"), ("tag", "O")])
    tags = sorted(set(tag_rows["tag"]))
    return ScoringData(
        forecasts=ForecastColumns(
            q_index.astype(np.int64),
            # a merged forecaster's forecasts count as the one they were merged into
            np.searchsorted(
                forecasters["id"],
                forecasters["counts_as"][np.searchsorted(forecasters["id"], rows["f"])],
            ).astype(np.int64),
            rows["t"],
            probs,
        ),
        questions=QuestionColumns.build(k, outcome, end),
        question_ids=question_ids,
        forecaster_ids=forecasters["id"],
        forecaster_names=list(forecasters["name"]),
        forecaster_kinds=list(forecasters["kind"]),
        forecast_outlet=(
            forecast_outlet if forecast_outlet is not None else np.zeros(0, dtype=np.int64)
        ),
        outlets=outlets,
        tag_question=np.searchsorted(question_ids, tag_rows["q"]).astype(np.int64),
        tag_index=np.array([tags.index(t) for t in tag_rows["tag"]], dtype=np.int64),
        tags=tags,
        backdated=left_out,
        steady=steady,
    )


def _probabilities(reader: _Reader, p: np.ndarray, k: np.ndarray, *, width: int) -> np.ndarray:
    """Each forecast's probabilities over its question's outcomes, padded to ``width``: a
    binary forecast's stored probability of yes, or its options' rows."""
    probs = np.zeros((p.shape[0], width))
    is_binary = p >= 0
    probs[is_binary, 0] = p[is_binary]
    probs[is_binary, 1] = 1.0 - p[is_binary]
    if not is_binary.all():
        # the options' probabilities, in the same row order, one row per option
        vectors = reader.rows(VECTORS, [("position", "i8"), ("p", "f8")])
        multi = np.flatnonzero(~is_binary)
        owner = np.repeat(multi, k[multi])
        probs[owner, vectors["position"]] = vectors["p"]
    return probs


def _outlets(reader: _Reader, n: int) -> tuple[list[str], np.ndarray]:
    """The outlets, and the index of each forecast's source's outlet among them."""
    sources = reader.rows(SOURCES, [("id", "i8"), ("outlet", "O")])
    named = [o.strip() or UNNAMED_OUTLET for o in sources["outlet"]]
    outlets = sorted(set(named) | {NO_SOURCE})
    source_outlet = np.array([outlets.index(o) for o in named], dtype=np.int64)
    source = reader.rows(FORECAST_SOURCES, [("source", "i8")])["source"]
    forecast_outlet = np.full(n, outlets.index(NO_SOURCE), dtype=np.int64)
    has_source = source >= 0
    forecast_outlet[has_source] = source_outlet[np.searchsorted(sources["id"], source[has_source])]
    return outlets, forecast_outlet


MIN_QUESTIONS = 3
"""Fewer scored questions than this and a row is listed after the ranking, unranked."""


@dataclass(frozen=True)
class ScoreRow:
    """One line of the leaderboard: ``rank`` is None for a row listed unranked (fewer than
    the minimum of scored questions). ``questions`` and ``forecasters`` count distinct ones."""

    rank: int | None
    name: str
    kind: str
    questions: int
    forecasters: int
    forecasts: int
    brier: float
    brier_low: float
    brier_high: float
    relative: float | None
    skill: float
    log_score: float
    last_brier: float


@dataclass(frozen=True)
class _Grouped:
    """Question scores, each pair under one group (a pair may stand under several)."""

    pairs: PairScores
    group: np.ndarray
    relative: np.ndarray
    names: list[str]
    kinds: list[str]


def _distinct(group: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct values stand under each group."""
    if not len(group):
        return np.zeros(n_groups, dtype=np.int64)
    width = int(values.max()) + 2
    keys = np.sort(group * width + (values + 1))  # a sort: several times np.unique's speed
    unique = keys[np.r_[True, keys[1:] != keys[:-1]]]
    return np.bincount(unique // width, minlength=n_groups).astype(np.int64)


def _rows_of(summary: GroupSummary, grouped: _Grouped, min_questions: int) -> list[ScoreRow]:
    """Rows ranked by mean relative Brier where the group had peers, then by mean Brier (then
    name); those with fewer than ``min_questions`` scored questions after, unranked."""
    n = len(grouped.names)
    questions = _distinct(grouped.group, grouped.pairs.question, n)
    forecasters = _distinct(grouped.group, grouped.pairs.forecaster, n)
    present = np.flatnonzero(questions > 0)
    relative = summary.relative[present]
    order = present[
        np.lexsort(
            (
                np.array(grouped.names, dtype=object)[present],
                summary.brier[present],
                np.nan_to_num(relative, nan=0.0),
                np.isnan(relative),
                questions[present] < min_questions,
            )
        )
    ]
    rows = []
    rank = 0
    for i in order:
        ranked = bool(questions[i] >= min_questions)
        rank += ranked
        rows.append(
            ScoreRow(
                rank=rank if ranked else None,
                name=grouped.names[i],
                kind=grouped.kinds[i],
                questions=int(questions[i]),
                forecasters=int(forecasters[i]),
                forecasts=int(summary.forecasts[i]),
                brier=float(summary.brier[i]),
                brier_low=float(summary.brier_low[i]),
                brier_high=float(summary.brier_high[i]),
                relative=None if np.isnan(summary.relative[i]) else float(summary.relative[i]),
                skill=float(summary.skill[i]),
                log_score=float(summary.log_score[i]),
                last_brier=float(summary.last_brier[i]),
            )
        )
    return rows


def leaderboard(
    data: ScoringData,
    *,
    by: str = "forecaster",
    aggregates: bool = True,
    min_questions: int = MIN_QUESTIONS,
    resamples: int = 1000,
    seed: int = 20250509,
) -> list[ScoreRow]:
    """The score table grouped by forecaster, tag or outlet: ranked by mean relative Brier
    where there were peers, then by mean Brier; rows with fewer than ``min_questions`` scored
    questions follow, unranked.

    By forecaster, the consensus of the forecasts standing at each moment (median, mean,
    geometric mean of odds, extremized mean log-odds) is scored as pseudo-forecasters on the
    questions that at least two forecasters forecast, so the table shows whether the experts
    beat their own consensus. Relative Brier always compares with the real forecasters'
    median on each question.
    """
    if by not in GROUPINGS:
        raise InvalidInput("by", by, f"is not one of: {', '.join(GROUPINGS)}")
    pairs = question_scores(data.forecasts, data.questions)
    medians = question_medians(pairs)
    relative = relative_brier(pairs, medians)
    if by == "forecaster":
        grouped = _by_forecaster(data, pairs, relative, medians, aggregates)
    elif by == "tag":
        grouped = _by_tag(data, pairs, relative)
    else:
        grouped = _by_outlet(data, pairs, relative)
    summary = summarize(
        grouped.pairs,
        data.questions,
        grouped.group,
        len(grouped.names),
        resamples=resamples,
        seed=seed,
        relative=grouped.relative,
    )
    return _rows_of(summary, grouped, min_questions)


def _by_forecaster(data, pairs, relative, medians, aggregates: bool) -> _Grouped:
    names = list(data.forecaster_names)
    kinds = list(data.forecaster_kinds)
    all_pairs, groups, relatives = [pairs], [pairs.forecaster], [relative]
    if aggregates and len(pairs):
        combined = _consensus(data)
        for offset, method in enumerate(AGGREGATES):
            scores = question_scores(combined[method], data.questions)
            all_pairs.append(scores)
            groups.append(np.full(len(scores), len(data.forecaster_names) + offset))
            relatives.append(relative_brier(scores, medians))
            names.append(f"consensus: {method}")
            kinds.append("aggregate")
    return _Grouped(
        _concat(all_pairs), np.concatenate(groups), np.concatenate(relatives), names, kinds
    )


def _consensus(data: ScoringData) -> dict[str, ForecastColumns]:
    """Each consensus method's forecasts on the questions with at least two forecasters, one
    for each moment the consensus changed."""
    f = data.forecasts
    forecasters = _distinct(f.question, f.forecaster, len(data.questions))
    shared = f.take(np.flatnonzero(forecasters[f.question] >= 2))
    # numpy releases the GIL in its long loops: the median runs beside the rest
    with ThreadPoolExecutor(max_workers=2) as pool:
        median = pool.submit(consensus, shared, data.questions, ("median",))
        combined = consensus(shared, data.questions, tuple(a for a in AGGREGATES if a != "median"))
        combined.update(median.result())
    return {method: changes(columns) for method, columns in combined.items()}


def _by_tag(data: ScoringData, pairs: PairScores, relative: np.ndarray) -> _Grouped:
    """Each pair counts once under each tag of its question."""
    order = np.argsort(data.tag_question, kind="stable")
    tag_q = data.tag_question[order]
    tag_i = data.tag_index[order]
    first = np.searchsorted(tag_q, pairs.question, side="left")
    last = np.searchsorted(tag_q, pairs.question, side="right")
    repeat = last - first
    pair_rows = np.repeat(np.arange(len(pairs)), repeat)
    within = np.arange(pair_rows.shape[0]) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    group = tag_i[np.repeat(first, repeat) + within]
    return _Grouped(
        pairs.take(pair_rows), group, relative[pair_rows], list(data.tags), ["tag"] * len(data.tags)
    )


def _by_outlet(data: ScoringData, pairs: PairScores, relative: np.ndarray) -> _Grouped:
    """Each pair under the outlet of the forecast standing at the question's end."""
    if data.forecast_outlet.shape[0] != len(data.forecasts):
        raise ValueError("load the data with_outlets=True to group by outlet")
    outlets = list(data.outlets)
    return _Grouped(
        pairs, data.forecast_outlet[pairs.last_row], relative, outlets, ["outlet"] * len(outlets)
    )


def _concat(parts: list[PairScores]) -> PairScores:
    return PairScores(
        *(
            np.concatenate([getattr(p, name) for p in parts])
            for name in PairScores.__dataclass_fields__
        )
    )


def calibration_report(
    data: ScoringData, *, forecaster: str | None = None, tag: str | None = None
) -> Calibration:
    """Calibration of every forecast made before its question's scoring end on scored
    questions, for everyone or for one forecaster or one tag (multiple choice one-vs-rest)."""
    f = data.forecasts
    q = f.question
    keep = data.questions.scored[q] & (f.time <= data.questions.end[q])
    if forecaster is not None:
        wanted = forecaster.strip().casefold()
        matches = [i for i, name in enumerate(data.forecaster_names) if name.casefold() == wanted]
        if not matches:
            raise NotFound("forecaster", forecaster, "forecaster")
        keep &= f.forecaster == matches[0]
    if tag is not None:
        wanted = tag.strip().lower()
        if wanted not in data.tags:
            raise NotFound("tag", tag, "tag")
        tagged = np.zeros(len(data.questions), dtype=bool)
        tagged[data.tag_question[data.tag_index == data.tags.index(wanted)]] = True
        keep &= tagged[q]
    p, o = one_vs_rest(f, data.questions, np.flatnonzero(keep))
    return calibration(p, o)
