"""Scores from the database: loads what scoring needs as columns (never as ORM objects),
hands them to :mod:`forecasts.scoring`, and puts names back on the results.
"""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from db import columns, kept_columns, kept_consensus
from db.columns import INT, MOMENT
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
    consensus_file: Path | None = None
    """Where the consensus's question scores are kept between loads (:mod:`db.kept_consensus`),
    None when they are not."""


class _Unordered(Exception):
    """Columns came back in another order than their query's ORDER BY."""


class _Reader:
    """Runs every query of one load in the caller's read transaction (and, beside it, on a
    second connection that sees the same state: :mod:`db.columns`), so scores see one
    state of the database while other processes write."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.cursor = connection.cursor()

    def rows(self, sql: str, dtype: list[tuple[str, str]]) -> np.ndarray:
        self.cursor.execute(sql)
        return np.fromiter(self.cursor, dtype=dtype)


def _epoch(column: str) -> str:
    """A stored moment as seconds since the epoch, in SQL."""
    return f"(julianday({column}) - 2440587.5) * 86400.0"


NEVER = 1e300  # a publication time later than any forecast: no source, so not documented
RETRACTED = "SELECT forecast_id FROM event WHERE kind = 'retracted' AND forecast_id IS NOT NULL"
"""The forecasts retracted: every other is scored."""

QUESTIONS = f"""
SELECT id,
       CASE WHEN kind = '{QuestionKind.BINARY.value}' THEN 2
            ELSE (SELECT count(*) FROM question_option WHERE question_id = question.id) END
         AS k,
       close_at, withdrawn
FROM question ORDER BY id
"""
QUESTION_COLUMNS = [("id", INT), ("k", INT), ("close_at", MOMENT), ("withdrawn", INT)]

RESOLUTIONS = f"""
SELECT resolution.question_id AS question_id,
       CASE WHEN question.kind = '{QuestionKind.BINARY.value}' THEN
                CASE resolution.outcome WHEN '{YES}' THEN 0 WHEN '{NO}' THEN 1 ELSE -1 END
            ELSE coalesce((SELECT position FROM question_option
                           WHERE question_id = resolution.question_id
                             AND label = resolution.outcome), -1) END AS outcome,
       resolution.resolved_at AS resolved_at
FROM resolution JOIN question ON question.id = resolution.question_id
JOIN (SELECT question_id, max(sequence) AS sequence FROM resolution GROUP BY question_id)
  AS latest ON resolution.question_id = latest.question_id
           AND resolution.sequence = latest.sequence
"""
"""Each question's current resolution (the highest sequence, as in :data:`db.reads.QUESTIONS`): the
outcome's index (-1 for annulled) and when."""
RESOLUTION_COLUMNS = [("question_id", INT), ("outcome", INT), ("resolved_at", MOMENT)]

FORECASTERS = "SELECT id, name, kind, coalesce(merged_into_id, id) FROM forecaster ORDER BY id"

CONDITIONS = "SELECT question_id, condition_id FROM question_condition"
"""Conditional questions and what they are conditional on (yes is outcome 0)."""

TAG_NAMES = "SELECT DISTINCT tag FROM question_tag ORDER BY tag"
TAGS = """
SELECT question_tag.question_id AS q, names.i AS i
FROM question_tag JOIN (SELECT tag, row_number() OVER (ORDER BY tag) - 1 AS i
                        FROM (SELECT DISTINCT tag FROM question_tag)) AS names
  ON names.tag = question_tag.tag
ORDER BY question_tag.question_id, names.i
"""
"""Each tag of each question, as the tag's index in :data:`TAG_NAMES`."""
TAG_COLUMNS = [("q", INT), ("i", INT)]
SOURCES = f"SELECT id, outlet, {_epoch('published_on')} FROM source ORDER BY id"


def load(
    source: Any,
    *,
    now: datetime,
    with_outlets: bool = False,
    resolved: tuple[datetime | None, datetime | None] = (None, None),
    include_backdated: bool = False,
    keep: Path | None = None,
) -> ScoringData:
    """Read questions, resolutions, forecasts and tags as numpy columns, in one read
    transaction; the outlet of each forecast's source too with ``with_outlets`` (for the
    breakdown by outlet). With ``resolved`` (since, until), only questions resolved in that
    window are scored. Backdated forecasts are left out unless ``include_backdated``.

    ``source`` is an engine (a read transaction is begun and ended here) or a SQLite
    connection already in the caller's read transaction (the command line's light reader).
    With ``keep`` (a folder), the forecasts' columns are kept there between loads, and only
    the forecasts added since are read (:mod:`db.kept_columns`)."""
    options = {
        "now": now,
        "with_outlets": with_outlets,
        "window": resolved,
        "include_backdated": include_backdated,
        "keep": keep,
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
            return _load(_Reader(raw.driver_connection), **options)
        finally:
            try:
                raw.rollback()  # nothing was written: end the read transaction
            finally:
                raw.close()


@dataclass(frozen=True)
class _Columns:
    """What the big queries return, as columns."""

    questions: list[np.ndarray]  # id, k, close, withdrawn
    resolutions: list[np.ndarray]  # question id, outcome index, resolved at
    order: list[np.ndarray]  # id, question id, forecaster id, made at (of forecasts scored)
    values: list[np.ndarray]  # id, p, recorded at, flags, source id (in the order's order)
    vectors: list[np.ndarray]  # forecast id, position, p
    tags: list[np.ndarray]  # question id, tag index


def _jobs(kept: kept_columns.Forecasts | None) -> tuple[dict, dict]:
    """The queries, by name, on the caller's connection and beside it: the questions,
    resolutions and tags; every forecast, or only those after the last one kept (then
    little else runs beside the questions)."""
    questions = (QUESTIONS, QUESTION_COLUMNS)
    resolutions, tags = (RESOLUTIONS, RESOLUTION_COLUMNS), (TAGS, TAG_COLUMNS)
    if kept is None:
        ordered = (kept_columns.ORDERED, kept_columns.ORDERED_COLUMNS)
        mine = {"questions": questions, "resolutions": resolutions, "tags": tags}
        beside = {
            "values": (kept_columns.VALUES, kept_columns.VALUE_COLUMNS),
            "vectors": (kept_columns.VECTORS, kept_columns.VECTOR_COLUMNS),
        }
        return mine | {"ordered": ordered}, beside
    after = int(kept.id[-1])
    mine = {
        "questions": questions,
        "tags": tags,
        "added": (kept_columns.ADDED.format(after=after), kept_columns.ADDED_COLUMNS),
        "vectors": (kept_columns.ADDED_VECTORS.format(after=after), kept_columns.VECTOR_COLUMNS),
    }
    return mine, {"resolutions": resolutions}


def _forecasts(
    connection: Any,
    kept: kept_columns.Forecasts | None,
    got: dict[str, list[np.ndarray]],
    *,
    by_rows: bool = False,
) -> kept_columns.Forecasts:
    """Every forecast, from the forecasts' answers (read by rows: in SQLite's order as it
    is, even where the stored moments' texts do not sort as the moments do)."""
    if kept is None:
        if not by_rows:
            _check_order(got["ordered"])
        return kept_columns.from_reads(got["ordered"], got["values"], got["vectors"])
    added, vectors = got["added"], got["vectors"]
    if np.any(np.diff(added[0]) <= 0):
        raise _Unordered
    pairs = np.fromiter(
        (
            row[0]
            for row in connection.execute(kept_columns.PAIRS_ORDERED.format(after=kept.id[-1]))
        ),
        dtype=np.int64,
    )
    return kept_columns.extend(kept, added, vectors, pairs)


def _read_columns(reader: _Reader, keep: Path | None) -> _Columns:
    """The big queries' columns, read fast (:mod:`db.columns`), or the plain way should
    their order not be the queries' ORDER BY; the forecasts kept in ``keep`` and only those
    added since read (:mod:`db.kept_columns`)."""
    connection = reader.connection
    kept = kept_columns.load(connection, keep) if keep is not None else None
    mine, beside = _jobs(kept)
    jobs = mine | beside
    try:
        answers = columns.read_all(connection, [*mine.values()], [*beside.values()])
        got = dict(zip(jobs, answers, strict=True))
        forecasts = _forecasts(connection, kept, got)
    except (_Unordered, columns.ColumnsUnreadable):
        cursor = connection.cursor()
        got = {name: columns.read_rows(cursor, *job) for name, job in jobs.items()}
        forecasts = _forecasts(connection, kept, got, by_rows=True)
    if keep is not None and kept_columns.worth_saving(kept, forecasts):
        kept_columns.save(connection, keep, forecasts)
    retracted = np.fromiter((row[0] for row in connection.execute(RETRACTED)), dtype=np.int64)
    order = forecasts.order
    if retracted.shape[0]:
        order = order[~np.isin(forecasts.id[order], retracted)]
    ids = forecasts.id[order]
    values = [forecasts.p, forecasts.recorded, forecasts.flags, forecasts.source]
    return _Columns(
        got["questions"],
        got["resolutions"],
        [ids, forecasts.q[order], forecasts.f[order], forecasts.made[order]],
        [ids, *(column[order] for column in values)],
        [forecasts.vector_id, forecasts.vector_position, forecasts.vector_p],
        got["tags"],
    )


def _check_order(order: list[np.ndarray]) -> None:
    """The forecasts in question, forecaster and time order."""
    q, f, t = order[1], order[2], order[3]
    dq, df, dt = np.diff(q), np.diff(f), np.diff(t)
    if np.any((dq < 0) | ((dq == 0) & ((df < 0) | ((df == 0) & (dt < 0))))):
        raise _Unordered


def _load(
    reader: _Reader,
    *,
    keep: Path | None,
    now: datetime,
    with_outlets: bool,
    window: tuple[datetime | None, datetime | None],
    include_backdated: bool,
) -> ScoringData:
    read = _read_columns(reader, keep)
    consensus_file = (
        kept_columns.kept_file(reader.connection, keep, kept_consensus.SUFFIX)
        if keep is not None
        else None
    )
    question_ids, k, close, withdrawn = read.questions
    m = question_ids.shape[0]
    resolved_question, resolved_outcome, resolved_when = read.resolutions
    at = np.searchsorted(question_ids, resolved_question)
    outcome = np.full(m, -1, dtype=np.int64)
    outcome[at] = resolved_outcome
    resolved_at = np.full(m, np.nan)
    resolved_at[at] = resolved_when
    end = scoring_end(close, resolved_at)
    ends = end[outcome >= 0]
    steady = (
        float(ends[ends <= now.timestamp()].max(initial=-np.inf)),
        float(ends[ends > now.timestamp()].min(initial=np.inf)),
    )
    outcome[end > now.timestamp()] = -1  # not scored before its scoring end
    outcome[withdrawn.astype(bool)] = -1  # withdrawn: kept in the record, never scored
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
    sources = reader.rows(SOURCES, [("id", "i8"), ("outlet", "O"), ("published", "f8")])
    ids, q, f, t = read.order
    _, p, recorded, flags, source = read.values
    q_index = columns.index_of(question_ids, q)
    probs = _probabilities(ids, p, k[q_index], read.vectors, width=int(max(2, k.max())) if m else 2)
    has_source = source >= 0
    source_row = np.searchsorted(sources["id"], source[has_source])
    published = np.full(len(q), NEVER)
    published[has_source] = sources["published"][source_row]
    flagged = backdated(
        t,
        recorded,
        np.nan_to_num(resolved_at, nan=np.inf)[q_index],
        imported=(flags & 2) > 0,
        quoted=(flags & 1) > 0,
        published=published,
    )
    outlets, forecast_outlet = (
        _outlets(sources, has_source, source_row) if with_outlets else ([NO_SOURCE], None)
    )
    left_out = 0 if include_backdated else int(flagged.sum())
    if left_out:
        keep = np.flatnonzero(~flagged)
        q_index, f, t, probs = q_index[keep], f[keep], t[keep], probs[keep]
        forecast_outlet = forecast_outlet[keep] if forecast_outlet is not None else None
    tag_names = [row[0] for row in reader.connection.execute(TAG_NAMES)]
    return ScoringData(
        forecasts=ForecastColumns(
            q_index.astype(np.int64),
            # a merged forecaster's forecasts count as the one they were merged into
            columns.index_of(
                forecasters["id"], forecasters["counts_as"][columns.index_of(forecasters["id"], f)]
            ).astype(np.int64),
            t,
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
        tag_question=np.searchsorted(question_ids, read.tags[0]).astype(np.int64),
        tag_index=read.tags[1],
        tags=tag_names,
        backdated=left_out,
        steady=steady,
        consensus_file=consensus_file,
    )


def _probabilities(
    ids: np.ndarray, p: np.ndarray, k: np.ndarray, vectors: list[np.ndarray], *, width: int
) -> np.ndarray:
    """Each forecast's probabilities over its question's outcomes, padded to ``width``: a
    binary forecast's stored probability of yes, or its options' (``vectors``: forecast id,
    position, probability)."""
    probs = np.zeros((p.shape[0], width))
    is_binary = p >= 0
    probs[is_binary, 0] = p[is_binary]
    probs[is_binary, 1] = 1.0 - p[is_binary]
    if not is_binary.all():
        multi = np.flatnonzero(~is_binary)
        owner = np.repeat(multi, k[multi])
        position = np.arange(owner.shape[0]) - np.repeat(np.cumsum(k[multi]) - k[multi], k[multi])
        probs[owner, position] = _options(ids[owner], position, *vectors)
    return probs


def _options(
    wanted_id: np.ndarray,
    wanted_position: np.ndarray,
    forecast_id: np.ndarray,
    position: np.ndarray,
    p: np.ndarray,
) -> np.ndarray:
    """The probability of each wanted (forecast id, position), among the options' rows."""
    order = np.lexsort((position, forecast_id))
    forecast_id, position, p = forecast_id[order], position[order], p[order]
    start = np.searchsorted(forecast_id, wanted_id)
    at = np.minimum(start + wanted_position, max(len(p) - 1, 0))
    if len(p) == 0 or not (
        np.array_equal(forecast_id[at], wanted_id) and np.array_equal(position[at], wanted_position)
    ):
        raise ValueError("a multiple-choice forecast's probabilities do not match its options")
    return p[at]


def _outlets(
    sources: np.ndarray, has_source: np.ndarray, source_row: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The outlets, and the index of each forecast's source's outlet among them."""
    named = [o.strip() or UNNAMED_OUTLET for o in sources["outlet"]]
    outlets = sorted(set(named) | {NO_SOURCE})
    source_outlet = np.array([outlets.index(o) for o in named], dtype=np.int64)
    forecast_outlet = np.full(has_source.shape[0], outlets.index(NO_SOURCE), dtype=np.int64)
    forecast_outlet[has_source] = source_outlet[source_row]
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
        combined = _consensus_scores(data) if aggregates and len(pairs) else None
        grouped = _by_forecaster(data, pairs, relative, medians, combined)
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


def _by_forecaster(
    data, pairs, relative, medians, combined: dict[str, PairScores] | None
) -> _Grouped:
    """Each pair under its forecaster, then the consensus methods' pairs (``combined``,
    None when left out) each under its own row."""
    names = list(data.forecaster_names)
    kinds = list(data.forecaster_kinds)
    all_pairs, groups, relatives = [pairs], [pairs.forecaster], [relative]
    if combined is not None:
        for offset, method in enumerate(AGGREGATES):
            scores = combined[method]
            all_pairs.append(scores)
            groups.append(np.full(len(scores), len(data.forecaster_names) + offset))
            relatives.append(relative_brier(scores, medians))
            names.append(f"consensus: {method}")
            kinds.append("aggregate")
    return _Grouped(
        _concat(all_pairs), np.concatenate(groups), np.concatenate(relatives), names, kinds
    )


def _consensus_scores(data: ScoringData) -> dict[str, PairScores]:
    """Each consensus method's question scores, from its forecasts on the questions with at
    least two forecasters (one for each moment the consensus changed); those of questions
    unchanged since they were kept are taken as kept (:mod:`db.kept_consensus`)."""
    f = data.forecasts
    forecasters = _distinct(f.question, f.forecaster, len(data.questions))
    rows = np.flatnonzero(forecasters[f.question] >= 2)
    shared = f if rows.shape[0] == len(f) else f.take(rows)

    def work_out(chosen: ForecastColumns) -> dict[str, PairScores]:
        def scored(methods: tuple[str, ...]) -> dict[str, PairScores]:
            combined = consensus(chosen, data.questions, methods)
            return {m: question_scores(changes(c), data.questions) for m, c in combined.items()}

        # numpy lets go of the GIL in its long loops: the median (the slowest) runs beside
        # the rest
        with ThreadPoolExecutor(max_workers=1) as pool:
            median = pool.submit(scored, ("median",))
            scores = scored(tuple(a for a in AGGREGATES if a != "median"))
            scores.update(median.result())
        return scores

    return kept_consensus.consensus_scores(
        shared,
        data.questions,
        data.question_ids,
        data.forecaster_ids,
        data.consensus_file,
        work_out,
    )


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
