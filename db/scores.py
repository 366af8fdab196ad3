"""Scores from the database: loads what scoring needs as columns (never as ORM objects),
hands them to :mod:`forecasts.scoring`, and puts names back on the results.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Engine

from forecasts.errors import InvalidInput, NotFound
from forecasts.scoring import (
    AGGREGATES,
    Calibration,
    ForecastColumns,
    GroupSummary,
    PairScores,
    QuestionColumns,
    calibration,
    consensus,
    one_vs_rest,
    question_medians,
    question_scores,
    relative_brier,
    summarize,
)

NO_SOURCE = "(no source)"
UNNAMED_OUTLET = "(outlet not named)"
GROUPINGS = ("forecaster", "tag", "outlet")
EPOCH_SQL = "((julianday({0}) - 2440587.5) * 86400.0)"


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


def _rows(engine: Engine, sql: str, dtype: list[tuple[str, str]]) -> np.ndarray:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        return np.fromiter(cursor, dtype=dtype)
    finally:
        raw.close()


def _epoch(column: str) -> str:
    return EPOCH_SQL.format(column)


def load(engine: Engine, *, now: datetime, with_outlets: bool = False) -> ScoringData:
    """Read questions, resolutions, forecasts and tags as numpy columns; the outlet of each
    forecast's source too with ``with_outlets`` (for the breakdown by outlet)."""
    if engine.dialect.name != "sqlite":
        raise InvalidInput(
            "db", engine.url.render_as_string(), "is not SQLite; scoring reads SQLite"
        )
    questions = _rows(
        engine,
        f"SELECT q.id, CASE q.kind WHEN 'binary' THEN 2 ELSE "
        f"(SELECT COUNT(*) FROM question_option o WHERE o.question_id = q.id) END, "
        f"{_epoch('q.close_at')} FROM question q ORDER BY q.id",
        [("id", "i8"), ("k", "i8"), ("close", "f8")],
    )
    question_ids = questions["id"]
    m = question_ids.shape[0]
    outcome = np.full(m, -1, dtype=np.int64)
    end = questions["close"].copy()
    resolved = _rows(
        engine,
        f"""SELECT r.question_id,
                   CASE WHEN q.kind = 'binary' THEN
                        CASE r.outcome WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE -1 END
                   ELSE COALESCE((SELECT o.position FROM question_option o
                                  WHERE o.question_id = r.question_id AND o.label = r.outcome), -1)
                   END,
                   {_epoch("r.resolved_at")}
            FROM resolution r
            JOIN question q ON q.id = r.question_id
            JOIN (SELECT question_id, MAX(sequence) AS latest
                  FROM resolution GROUP BY question_id) c
              ON c.question_id = r.question_id AND c.latest = r.sequence""",
        [("question", "i8"), ("outcome", "i8"), ("at", "f8")],
    )
    at = np.searchsorted(question_ids, resolved["question"])
    outcome[at] = resolved["outcome"]
    end[at] = np.minimum(end[at], resolved["at"])
    now_seconds = now.timestamp()
    outcome[end > now_seconds] = -1  # resolved in the future cannot happen; be safe
    forecasters = _rows(
        engine,
        "SELECT id, name, kind FROM forecaster ORDER BY id",
        [("id", "i8"), ("name", "O"), ("kind", "O")],
    )
    sources = _rows(
        engine, "SELECT id, outlet FROM source ORDER BY id", [("id", "i8"), ("outlet", "O")]
    )
    named = [o.strip() or UNNAMED_OUTLET for o in sources["outlet"]]
    outlets = sorted(set(named) | {NO_SOURCE})
    source_outlet = np.array([outlets.index(o) for o in named], dtype=np.int64)
    order_by = "ORDER BY f.question_id, f.forecaster_id, f.made_at, f.id"
    rows = _rows(
        engine,
        f"SELECT f.question_id, f.forecaster_id, {_epoch('f.made_at')}, "
        f"COALESCE(f.probability, -1.0) FROM forecast f {order_by}",
        [("q", "i8"), ("f", "i8"), ("t", "f8"), ("p", "f8")],
    )
    n = rows.shape[0]
    k = questions["k"]
    width = int(max(2, k.max())) if m else 2
    q_index = np.searchsorted(question_ids, rows["q"])
    probs = np.zeros((n, width))
    is_binary = rows["p"] >= 0
    probs[is_binary, 0] = rows["p"][is_binary]
    probs[is_binary, 1] = 1.0 - rows["p"][is_binary]
    if not is_binary.all():
        # the options' probabilities, in the same row order, one row per option
        vectors = _rows(
            engine,
            "SELECT v.position, v.probability FROM forecast f "
            f"JOIN forecast_probability v ON v.forecast_id = f.id {order_by}, v.position",
            [("position", "i8"), ("p", "f8")],
        )
        multi = np.flatnonzero(~is_binary)
        owner = np.repeat(multi, k[q_index[multi]])
        probs[owner, vectors["position"]] = vectors["p"]
    if with_outlets:
        source = _rows(
            engine,
            f"SELECT COALESCE(f.source_id, -1) FROM forecast f {order_by}",
            [("source", "i8")],
        )["source"]
        source_index = np.searchsorted(sources["id"], source)
        has_source = source >= 0
        forecast_outlet = np.full(n, outlets.index(NO_SOURCE), dtype=np.int64)
        forecast_outlet[has_source] = source_outlet[source_index[has_source]]
    else:
        forecast_outlet = np.zeros(0, dtype=np.int64)
    tag_rows = _rows(
        engine, "SELECT question_id, tag FROM question_tag", [("q", "i8"), ("tag", "O")]
    )
    tags = sorted(set(tag_rows["tag"]))
    return ScoringData(
        forecasts=ForecastColumns(
            q_index.astype(np.int64),
            np.searchsorted(forecasters["id"], rows["f"]).astype(np.int64),
            rows["t"],
            probs,
        ),
        questions=QuestionColumns.build(k, outcome, end),
        question_ids=question_ids,
        forecaster_ids=forecasters["id"],
        forecaster_names=list(forecasters["name"]),
        forecaster_kinds=list(forecasters["kind"]),
        forecast_outlet=forecast_outlet,
        outlets=outlets,
        tag_question=np.searchsorted(question_ids, tag_rows["q"]).astype(np.int64),
        tag_index=np.array([tags.index(t) for t in tag_rows["tag"]], dtype=np.int64),
        tags=tags,
    )


@dataclass(frozen=True)
class ScoreRow:
    """One line of the leaderboard."""

    rank: int
    name: str
    kind: str
    questions: int
    forecasts: int
    brier: float
    brier_low: float
    brier_high: float
    relative: float | None
    skill: float
    log_score: float
    last_brier: float


def _rows_of(summary: GroupSummary, names: list[str], kinds: list[str]) -> list[ScoreRow]:
    present = np.flatnonzero(summary.questions > 0)
    ranked = present[np.lexsort((np.array(names, dtype=object)[present], summary.brier[present]))]
    return [
        ScoreRow(
            rank=rank,
            name=names[i],
            kind=kinds[i],
            questions=int(summary.questions[i]),
            forecasts=int(summary.forecasts[i]),
            brier=float(summary.brier[i]),
            brier_low=float(summary.brier_low[i]),
            brier_high=float(summary.brier_high[i]),
            relative=None if np.isnan(summary.relative[i]) else float(summary.relative[i]),
            skill=float(summary.skill[i]),
            log_score=float(summary.log_score[i]),
            last_brier=float(summary.last_brier[i]),
        )
        for rank, i in enumerate(ranked, start=1)
    ]


def leaderboard(
    data: ScoringData,
    *,
    by: str = "forecaster",
    aggregates: bool = True,
    resamples: int = 1000,
    seed: int = 20250509,
) -> list[ScoreRow]:
    """The score table, best mean Brier first, grouped by forecaster, tag or outlet.

    By forecaster, the consensus of the forecasts standing at each moment (median, mean,
    geometric mean of odds, extremized mean log-odds) is scored as pseudo-forecasters, so the
    table shows whether the experts beat their own consensus. Relative Brier always compares
    with the real forecasters' median on each question.
    """
    if by not in GROUPINGS:
        raise InvalidInput("by", by, f"is not one of: {', '.join(GROUPINGS)}")
    pairs = question_scores(data.forecasts, data.questions)
    medians = question_medians(pairs)
    relative = relative_brier(pairs, medians)
    if by == "forecaster":
        names = list(data.forecaster_names)
        kinds = list(data.forecaster_kinds)
        groups = [pairs.forecaster]
        all_pairs = [pairs]
        relatives = [relative]
        if aggregates and len(pairs):
            # numpy releases the GIL in its long loops: the median runs beside the rest
            with ThreadPoolExecutor(max_workers=2) as pool:
                median = pool.submit(consensus, data.forecasts, data.questions, ("median",))
                combined = consensus(
                    data.forecasts, data.questions, tuple(a for a in AGGREGATES if a != "median")
                )
                combined.update(median.result())
            for offset, method in enumerate(AGGREGATES):
                scores = question_scores(combined[method], data.questions)
                code = len(data.forecaster_names) + offset
                all_pairs.append(scores)
                groups.append(np.full(len(scores), code, dtype=np.int64))
                relatives.append(relative_brier(scores, medians))
                names.append(f"consensus: {method}")
                kinds.append("aggregate")
        merged = _concat(all_pairs)
        summary = summarize(
            merged,
            data.questions,
            np.concatenate(groups),
            len(names),
            resamples=resamples,
            seed=seed,
            relative=np.concatenate(relatives),
        )
        return _rows_of(summary, names, kinds)
    if by == "tag":
        # a pair counts once under each tag of its question
        order = np.argsort(data.tag_question, kind="stable")
        tag_q = data.tag_question[order]
        tag_i = data.tag_index[order]
        first = np.searchsorted(tag_q, pairs.question, side="left")
        last = np.searchsorted(tag_q, pairs.question, side="right")
        repeat = last - first
        pair_rows = np.repeat(np.arange(len(pairs)), repeat)
        within = np.arange(pair_rows.shape[0]) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        group = tag_i[np.repeat(first, repeat) + within]
        summary = summarize(
            pairs.take(pair_rows),
            data.questions,
            group,
            len(data.tags),
            resamples=resamples,
            seed=seed,
            relative=relative[pair_rows],
        )
        return _rows_of(summary, list(data.tags), ["tag"] * len(data.tags))
    if data.forecast_outlet.shape[0] != len(data.forecasts):
        raise ValueError("load the data with_outlets=True to group by outlet")
    group = data.forecast_outlet[pairs.last_row]
    summary = summarize(
        pairs,
        data.questions,
        group,
        len(data.outlets),
        resamples=resamples,
        seed=seed,
        relative=relative,
    )
    return _rows_of(summary, list(data.outlets), ["outlet"] * len(data.outlets))


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


def question_score_table(detail) -> dict[int, tuple[float, float, float]]:
    """Each forecaster's (question score, last-forecast score, log score) on one resolved
    question, keyed by forecaster id; empty when the question is not scored."""
    question = detail.question
    resolution = question.resolution
    if resolution is None or resolution.annulled or not detail.forecasts:
        return {}
    outcome = question.outcomes.index(resolution.outcome)
    end = min(question.close_at, resolution.resolved_at).timestamp()
    forecasts = ForecastColumns.build(
        question=[0] * len(detail.forecasts),
        forecaster=[f.forecaster_id for f in detail.forecasts],
        time=[f.made_at.timestamp() for f in detail.forecasts],
        p=[f.vector(question) for f in detail.forecasts],
    )
    questions = QuestionColumns.build([len(question.outcomes)], [outcome], [end])
    pairs = question_scores(forecasts, questions)
    return {
        int(pairs.forecaster[i]): (
            float(pairs.brier[i]),
            float(pairs.last_brier[i]),
            float(pairs.log_score[i]),
        )
        for i in range(len(pairs))
    }
