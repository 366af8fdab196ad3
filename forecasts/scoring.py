"""Scoring: arrays in, arrays out. Shapes are checked at the boundary; nothing here loops
over forecasts in Python. Definitions, with worked examples, are in docs/scoring.md.

Forecasts arrive as columns (:class:`ForecastColumns`): for each forecast the index of its
question and of its forecaster, the moment it was made (seconds) and its probabilities over
the question's outcomes, padded with zeros to the widest question (a binary question's
outcomes are yes, no). Questions arrive as :class:`QuestionColumns`: how many outcomes each
has, the index of the outcome that happened (-1 when the question is not scored: unresolved
or annulled) and its scoring end, the earlier of close and resolution.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from forecasts.models import Forecast, Question

LOG_CLAMP = (0.001, 0.999)
BUCKET_CENTRES = np.arange(11) / 10
BUCKET_EDGES = np.array([5, 15, 25, 35, 45, 55, 65, 75, 85, 95]) / 100
WILSON_LEVEL = 0.90
BOOTSTRAP_LEVEL = 0.95
EXTREMIZE = 2.5

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


def scoring_end(close: ArrayLike, resolved: ArrayLike) -> Floats:
    """When each question stops being scored: its close, or its resolution when that came
    first (seconds since the epoch; NaN for a question not resolved). The one definition of
    a scoring end, for the whole record and for one question's page alike."""
    return np.fmin(np.asarray(close, dtype=np.float64), np.asarray(resolved, dtype=np.float64))


# Single forecasts --------------------------------------------------------------------------


def _checked(p: ArrayLike, outcome: ArrayLike) -> tuple[Floats, NDArray[np.intp]]:
    probs = np.asarray(p, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(f"p must be 2-dimensional (forecasts, outcomes), not {probs.shape}")
    index = np.asarray(outcome)
    if index.shape != (probs.shape[0],):
        raise ValueError(f"outcome must have shape ({probs.shape[0]},), not {index.shape}")
    if probs.shape[0] and (index.min() < 0 or index.max() >= probs.shape[1]):
        raise ValueError("outcome holds an index outside the forecast's outcomes")
    return probs, index.astype(np.intp)


def brier(p: ArrayLike, outcome: ArrayLike) -> Floats:
    """Brier score in its original form (Brier 1950), per forecast: the sum over outcomes of
    the squared difference between the probability and what happened (1 or 0). Range 0..2;
    for a binary question it is 2 (p - o)^2, and always saying 50% scores 0.5."""
    return _brier_and_log(*_checked(p, outcome))[0]


def log_score(p: ArrayLike, outcome: ArrayLike) -> Floats:
    """ln of the probability given to what happened, clamped to [0.001, 0.999] first (for
    this score only) so that a confident miss costs ln 0.001, not minus infinity."""
    return _brier_and_log(*_checked(p, outcome))[1]


def _brier_and_log(
    probs: Floats, index: NDArray[np.intp], rows: NDArray[np.intp] | None = None
) -> tuple[Floats, Floats]:
    """Both scores per forecast, with the probability given to the outcome taken once; of
    ``probs[rows]`` when ``rows`` are given (the same numbers, without a copy of those rows:
    a million forecasts' rows are 40 MB at five outcomes)."""
    if index.shape[0] and (index.min() < 0 or index.max() >= probs.shape[1]):
        raise ValueError("outcome holds an index outside the forecast's outcomes")
    squares = np.einsum("ij,ij->i", probs, probs)
    if rows is None:
        rows = np.arange(probs.shape[0])
    else:
        squares = squares[rows]
    chosen = probs[rows, index]
    return squares - 2.0 * chosen + 1.0, np.log(np.clip(chosen, *LOG_CLAMP))


def binary(p_yes: ArrayLike) -> Floats:
    """Binary forecasts as (n, 2) rows over (yes, no)."""
    yes = np.asarray(p_yes, dtype=np.float64).reshape(-1)
    return np.column_stack([yes, 1.0 - yes])


def uniform_brier(n_options: ArrayLike) -> Floats:
    """The Brier score of the uniform forecast over K outcomes: (K - 1) / K."""
    k = np.asarray(n_options, dtype=np.float64)
    return (k - 1.0) / k


# Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastColumns:
    """Forecasts as columns; row i is one forecast."""

    question: Ints
    forecaster: Ints
    time: Floats
    p: Floats

    def __post_init__(self) -> None:
        n = self.question.shape[0]
        for name in ("question", "forecaster", "time"):
            column = getattr(self, name)
            if column.ndim != 1 or column.shape[0] != n:
                raise ValueError(f"{name} must have shape ({n},), not {column.shape}")
        if self.p.ndim != 2 or self.p.shape[0] != n:
            raise ValueError(f"p must have shape ({n}, K), not {self.p.shape}")

    @classmethod
    def build(
        cls, question: ArrayLike, forecaster: ArrayLike, time: ArrayLike, p: ArrayLike
    ) -> ForecastColumns:
        probs = np.asarray(p, dtype=np.float64)
        if probs.ndim == 1:
            probs = binary(probs)
        return cls(
            np.asarray(question, dtype=np.int64),
            np.asarray(forecaster, dtype=np.int64),
            np.asarray(time, dtype=np.float64),
            probs,
        )

    def __len__(self) -> int:
        return int(self.question.shape[0])

    def take(self, rows: ArrayLike) -> ForecastColumns:
        return ForecastColumns(
            self.question[rows], self.forecaster[rows], self.time[rows], self.p[rows]
        )


@dataclass(frozen=True)
class QuestionColumns:
    """Questions as columns; row j is question j."""

    n_options: Ints
    outcome: Ints
    end: Floats

    @classmethod
    def build(cls, n_options: ArrayLike, outcome: ArrayLike, end: ArrayLike) -> QuestionColumns:
        columns = cls(
            np.asarray(n_options, dtype=np.int64),
            np.asarray(outcome, dtype=np.int64),
            np.asarray(end, dtype=np.float64),
        )
        m = columns.n_options.shape[0]
        if columns.outcome.shape != (m,) or columns.end.shape != (m,):
            raise ValueError("n_options, outcome and end must have one entry per question")
        if np.any(columns.outcome >= columns.n_options):
            raise ValueError("an outcome index is outside its question's outcomes")
        return columns

    @property
    def scored(self) -> NDArray[np.bool_]:
        return self.outcome >= 0

    def __len__(self) -> int:
        return int(self.n_options.shape[0])


# Question scores -------------------------------------------------------------------------


@dataclass(frozen=True)
class PairScores:
    """One row per (scored question, forecaster): the forecaster's question score."""

    question: Ints
    forecaster: Ints
    brier: Floats  # time-weighted mean Brier of the standing forecast
    last_brier: Floats  # Brier of the forecast standing at scoring end
    log_score: Floats  # time-weighted mean log score
    forecasts: Ints  # forecasts made before scoring end
    last_row: Ints  # row (in the input columns) of the forecast standing at scoring end

    def __len__(self) -> int:
        return int(self.question.shape[0])

    def take(self, rows: ArrayLike) -> PairScores:
        return PairScores(
            *(getattr(self, name)[rows] for name in self.__dataclass_fields__)  # type: ignore[arg-type]
        )


def question_scores(forecasts: ForecastColumns, questions: QuestionColumns) -> PairScores:
    """Each forecaster's score on each scored question.

    The forecast made at t stands until the same forecaster's next forecast on the question,
    or until the scoring end. The question score is the time-weighted mean Brier of the
    standing forecast from the first forecast to the scoring end; the last-forecast score is
    the Brier of the forecast standing at the end. A forecast made at the very end (no time
    to stand) counts as the last forecast alone. Forecasts after the end are ignored, and so
    are unscored questions.
    """
    q = forecasts.question
    if len(q) and (q.min() < 0 or q.max() >= len(questions)):
        raise ValueError("a forecast names a question index outside the questions")
    end = questions.end[q]
    keep = questions.scored[q] & (forecasts.time <= end)
    rows = np.flatnonzero(keep)
    order = rows[_pair_time_order(q[rows], forecasts.forecaster[rows], forecasts.time[rows])]
    q_sorted = q[order]
    f_sorted = forecasts.forecaster[order]
    t_sorted = forecasts.time[order]
    end_sorted = end[order]
    n = order.shape[0]
    if n == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_f = np.zeros(0, dtype=np.float64)
        return PairScores(empty_i, empty_i, empty_f, empty_f, empty_f, empty_i, empty_i)
    new_pair = np.ones(n, dtype=bool)
    new_pair[1:] = (q_sorted[1:] != q_sorted[:-1]) | (f_sorted[1:] != f_sorted[:-1])
    starts = np.flatnonzero(new_pair)
    last_of_pair = np.append(starts[1:], n) - 1
    following = np.empty(n, dtype=np.float64)
    following[:-1] = t_sorted[1:]
    following[last_of_pair] = end_sorted[last_of_pair]
    duration = np.minimum(following, end_sorted) - t_sorted
    outcome = questions.outcome[q_sorted]
    scores, logs = _brier_and_log(forecasts.p, outcome, order)
    weight_sum = np.add.reduceat(duration, starts)
    weighted = np.add.reduceat(scores * duration, starts)
    weighted_log = np.add.reduceat(logs * duration, starts)
    no_time = weight_sum <= 0
    safe = np.where(no_time, 1.0, weight_sum)
    tw_brier = np.where(no_time, scores[last_of_pair], weighted / safe)
    tw_log = np.where(no_time, logs[last_of_pair], weighted_log / safe)
    return PairScores(
        question=q_sorted[starts],
        forecaster=f_sorted[starts],
        brier=tw_brier,
        last_brier=scores[last_of_pair],
        log_score=tw_log,
        forecasts=np.diff(np.append(starts, n)).astype(np.int64),
        last_row=order[last_of_pair].astype(np.int64),
    )


def _pair_time_order(q: Ints, f: Ints, t: Floats) -> NDArray[np.intp]:
    """The order that sorts rows by question, forecaster and time. Columns that arrive in
    that order already (as the database layer hands them over) are not sorted again."""
    if q.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    key = q * (int(f.max() - f.min()) + 1) + (f - f.min())
    step = np.diff(key)
    if np.all((step > 0) | ((step == 0) & (np.diff(t) >= 0))):
        return np.arange(q.shape[0])
    by_time = np.argsort(t, kind="stable")
    return by_time[np.argsort(key[by_time], kind="stable")]


@dataclass(frozen=True)
class QuestionMedians:
    """Per question (sorted), the median question score and the number of forecasters."""

    question: Ints
    median: Floats
    count: Ints


def question_medians(pairs: PairScores) -> QuestionMedians:
    """The median question score of the forecasters on each question."""
    if len(pairs) == 0:
        return QuestionMedians(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64))
    question, values = pairs.question, pairs.brier
    if np.any(question[1:] < question[:-1]):  # question_scores hands them over in order
        order = np.argsort(question, kind="stable")
        question, values = question[order], values[order]
    starts = np.flatnonzero(np.r_[True, question[1:] != question[:-1]])
    counts = np.diff(np.append(starts, question.shape[0]))
    return QuestionMedians(question[starts], _segment_medians(values, starts, counts), counts)


def _segment_medians(values: Floats, starts: Ints, counts: Ints) -> Floats:
    """The median of each segment of ``values`` (``counts[i]`` values from ``starts[i]``).
    Segments of similar length are sorted together as the rows of one matrix, padded with
    infinity: many short sorts at once instead of one long sort of everything."""
    medians = np.empty(starts.shape[0])
    low = 0
    for high in (2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096, 1 << 62):
        chosen = np.flatnonzero((counts > low) & (counts <= high))
        low = high
        if chosen.shape[0] == 0:
            continue
        count = counts[chosen]
        width = np.arange(int(count.max()))
        inside = width < count[:, None]
        at = np.where(inside, starts[chosen][:, None] + width, 0)
        block = np.where(inside, values[at], np.inf)
        block.sort(axis=1)
        rows = np.arange(chosen.shape[0])
        medians[chosen] = (block[rows, (count - 1) // 2] + block[rows, count // 2]) / 2.0
    return medians


def relative_brier(pairs: PairScores, peers: PairScores | QuestionMedians | None = None) -> Floats:
    """Each pair's question score minus the median question score of the forecasters on
    that question (``peers``, by default the pairs themselves); NaN where the question has
    fewer than 2 of them."""
    if len(pairs) == 0:
        return np.zeros(0)
    medians = peers if isinstance(peers, QuestionMedians) else question_medians(peers or pairs)
    if medians.question.shape[0] == 0:
        return np.full(len(pairs), np.nan)
    q = pairs.question
    if peers is None and not np.any(q[1:] < q[:-1]):
        at = np.cumsum(np.r_[0, q[1:] != q[:-1]])  # their own medians, in their own order
    else:
        at = np.minimum(np.searchsorted(medians.question, q), medians.question.shape[0] - 1)
    found = (medians.question[at] == pairs.question) & (medians.count[at] >= 2)
    return np.where(found, pairs.brier - medians.median[at], np.nan)


def skill(pairs: PairScores, questions: QuestionColumns) -> Floats:
    """Skill against chance per pair: 1 - BS / BS_uniform, with BS_uniform = (K - 1) / K."""
    return 1.0 - pairs.brier / uniform_brier(questions.n_options[pairs.question])


# Summaries by group ----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """Per group (forecaster, tag, outlet): counts, mean scores and the bootstrap interval."""

    questions: Ints
    forecasts: Ints
    brier: Floats
    brier_low: Floats
    brier_high: Floats
    relative: Floats
    skill: Floats
    log_score: Floats
    last_brier: Floats


def _group_order(group: Ints, n_groups: int) -> NDArray[np.intp]:
    """A stable order by group; small group codes are sorted by radix (16-bit keys)."""
    if n_groups <= np.iinfo(np.uint16).max:
        return np.argsort(group.astype(np.uint16), kind="stable")
    return np.argsort(group, kind="stable")


def _group_means(values: Floats, group: Ints, n_groups: int) -> tuple[Floats, Ints]:
    present = ~np.isnan(values)
    if not present.all():  # leave out the missing values (most columns have none)
        values, group = values[present], group[present]
    counts = np.bincount(group, minlength=n_groups)
    sums = np.bincount(group, weights=values, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan), counts


EXACT_BOOTSTRAP_LIMIT = 500


def bootstrap_interval(
    values: ArrayLike,
    group: ArrayLike,
    n_groups: int,
    *,
    resamples: int = 1000,
    seed: int = 20250509,
    level: float = BOOTSTRAP_LEVEL,
    exact_limit: int = EXACT_BOOTSTRAP_LIMIT,
    budget: int = 8_000_000,
) -> tuple[Floats, Floats]:
    """Percentile bootstrap interval of each group's mean: within each group its values
    (one per question) are resampled with replacement ``resamples`` times. Seeded, so the
    same data give the same interval; a group of one value has the interval of that value.

    A group of more than ``exact_limit`` values gets the bootstrap's normal limit instead:
    mean +/- z * sigma / sqrt(n), with sigma^2 the plug-in variance (dividing by n), which is
    exactly the variance of the bootstrap distribution of the mean. At that size the two
    intervals agree to the third decimal, and drawing millions of resamples would not.
    """
    x = np.asarray(values, dtype=np.float64)
    g = np.asarray(group, dtype=np.int64)
    low = np.full(n_groups, np.nan)
    high = np.full(n_groups, np.nan)
    if x.shape[0] == 0:
        return low, high
    counts = np.bincount(g, minlength=n_groups)
    sums = np.bincount(g, weights=x, minlength=n_groups)
    squares = np.bincount(g, weights=x * x, minlength=n_groups)
    large = counts > exact_limit
    if large.any():
        mean = sums[large] / counts[large]
        variance = np.maximum(squares[large] / counts[large] - mean * mean, 0.0)
        z = NormalDist().inv_cdf(0.5 + level / 2.0)
        half = z * np.sqrt(variance / counts[large])
        low[large], high[large] = mean - half, mean + half
    small_rows = np.flatnonzero(~large[g])
    if small_rows.shape[0] == 0:
        return low, high
    order = small_rows[_group_order(g[small_rows], n_groups)]
    x_sorted = x[order]
    g_sorted = g[order]
    small_counts = np.bincount(g_sorted, minlength=n_groups)
    offsets = np.concatenate([[0], np.cumsum(small_counts)[:-1]])
    present = np.flatnonzero(small_counts)
    starts = offsets[present]
    row_offset = offsets[g_sorted]
    row_count = small_counts[g_sorted].astype(np.float64)
    rng = np.random.default_rng(seed)
    n = x_sorted.shape[0]
    chunk = max(1, budget // n)
    means = np.empty((resamples, present.shape[0]))
    done = 0
    while done < resamples:
        b = min(chunk, resamples - done)
        index = row_offset + (rng.random((b, n)) * row_count).astype(np.int64)
        means[done : done + b] = (
            np.add.reduceat(x_sorted[index], starts, axis=1) / small_counts[present]
        )
        done += b
    tail = (1.0 - level) / 2.0 * 100.0
    low[present], high[present] = np.percentile(means, [tail, 100.0 - tail], axis=0)
    return low, high


def summarize(
    pairs: PairScores,
    questions: QuestionColumns,
    group: ArrayLike,
    n_groups: int,
    *,
    resamples: int = 1000,
    seed: int = 20250509,
    relative: Floats | None = None,
) -> GroupSummary:
    """Mean question scores of each group, with a 95% bootstrap interval of the mean Brier.

    ``group`` gives each pair's group (a pair may be counted in several groups by passing
    repeated pairs, as for tags)."""
    g = np.asarray(group, dtype=np.int64)
    if g.shape != (len(pairs),):
        raise ValueError(f"group must have shape ({len(pairs)},), not {g.shape}")
    rel = relative_brier(pairs) if relative is None else relative
    mean_brier, n_questions = _group_means(pairs.brier, g, n_groups)
    low, high = bootstrap_interval(pairs.brier, g, n_groups, resamples=resamples, seed=seed)
    return GroupSummary(
        questions=n_questions.astype(np.int64),
        forecasts=np.bincount(g, weights=pairs.forecasts, minlength=n_groups).astype(np.int64),
        brier=mean_brier,
        brier_low=low,
        brier_high=high,
        relative=_group_means(rel, g, n_groups)[0],
        skill=_group_means(skill(pairs, questions), g, n_groups)[0],
        log_score=_group_means(pairs.log_score, g, n_groups)[0],
        last_brier=_group_means(pairs.last_brier, g, n_groups)[0],
    )


# Calibration -----------------------------------------------------------------------------


def one_vs_rest(
    forecasts: ForecastColumns, questions: QuestionColumns, rows: ArrayLike | None = None
) -> tuple[Floats, Floats]:
    """Binary (probability, outcome) pairs for calibration: a binary forecast gives its
    probability of yes; a multiple-choice forecast gives one pair per option."""
    chosen = np.arange(len(forecasts)) if rows is None else np.asarray(rows, dtype=np.int64)
    q = forecasts.question[chosen]
    k = questions.n_options[q]
    outcome = questions.outcome[q]
    is_binary = k == 2
    p_binary = forecasts.p[chosen[is_binary], 0]
    o_binary = (outcome[is_binary] == 0).astype(np.float64)
    multi = np.flatnonzero(~is_binary)
    if multi.shape[0] == 0:
        return p_binary, o_binary
    width = forecasts.p.shape[1]
    option = np.arange(width)
    valid = option[None, :] < k[multi][:, None]
    p_multi = forecasts.p[chosen[multi]][valid]
    o_multi = (option[None, :] == outcome[multi][:, None])[valid].astype(np.float64)
    return np.concatenate([p_binary, p_multi]), np.concatenate([o_binary, o_multi])


def wilson_interval(
    hits: ArrayLike, n: ArrayLike, level: float = WILSON_LEVEL
) -> tuple[Floats, Floats]:
    """Wilson score interval for a proportion of ``hits`` in ``n`` (NaN where n = 0)."""
    k = np.asarray(hits, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        phat = k / total
        denominator = 1.0 + z * z / total
        centre = (phat + z * z / (2.0 * total)) / denominator
        half = (
            z / denominator * np.sqrt(phat * (1.0 - phat) / total + z * z / (4.0 * total * total))
        )
    return centre - half, centre + half


@dataclass(frozen=True)
class Calibration:
    """Calibration of binary probability forecasts: buckets, the Murphy decomposition (with
    the two within-bucket terms that make it exact) and the CORP decomposition."""

    count: Ints
    mean_forecast: Floats
    observed: Floats
    observed_low: Floats
    observed_high: Floats
    n: int
    mean_score: float  # mean binary Brier (p - o)^2, range 0..1
    base_rate: float
    rel: float
    res: float
    unc: float
    within_variance: float
    within_covariance: float
    corp_x: Floats
    corp_y: Floats
    mcb: float
    dsc: float
    corp_unc: float


def bucket_of(p: ArrayLike) -> NDArray[np.intp]:
    """The bucket (0..10) of each probability: centres 0%, 10%, ..., 100%, edges at 5%,
    15%, ..., 95%, each edge belonging to the bucket above it."""
    return np.searchsorted(BUCKET_EDGES, np.asarray(p, dtype=np.float64), side="right")


def corp(p: ArrayLike, o: ArrayLike) -> tuple[Floats, Floats, Floats]:
    """The CORP reliability curve: isotonic regression of outcomes on forecasts, with equal
    forecasts pooled first. Returns the distinct forecast values, their recalibrated
    probabilities, and each input forecast's recalibrated probability."""
    probs = np.asarray(p, dtype=np.float64)
    outcome = np.asarray(o, dtype=np.float64)
    values, inverse, counts = np.unique(probs, return_inverse=True, return_counts=True)
    hits = np.bincount(inverse, weights=outcome, minlength=values.shape[0])
    fitted = isotonic(hits / counts, counts.astype(np.float64))
    return values, fitted, fitted[inverse]


PAVA_IN_PYTHON = 20_000
"""Up to this many distinct forecast values, isotonic regression runs here; beyond it, in
SciPy's compiled kernel (forecasts usually take a few hundred distinct values)."""
PAVA_MODULE = "scipy.optimize._pava_pybind"


def _scipy_pava() -> Callable[..., tuple] | None:
    """SciPy's pool-adjacent-violators kernel (what ``scipy.optimize.isotonic_regression``
    calls), loaded on its own: importing ``scipy.optimize`` takes about 0.75 s, the kernel
    alone 0.03 s. None when this SciPy keeps it elsewhere (then the public function)."""
    import importlib.machinery
    import importlib.util
    import sys

    if PAVA_MODULE in sys.modules:
        return getattr(sys.modules[PAVA_MODULE], "pava", None)
    try:
        scipy = importlib.util.find_spec("scipy")
        folder = Path(scipy.origin).parent / "optimize" if scipy and scipy.origin else None
        suffixes = importlib.machinery.EXTENSION_SUFFIXES
        files = [folder / f"_pava_pybind{suffix}" for suffix in suffixes] if folder else []
        found = next((file for file in files if file.is_file()), None)
        if found is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(PAVA_MODULE, str(found))
        spec = importlib.util.spec_from_file_location(PAVA_MODULE, found, loader=loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
    except (ImportError, OSError):
        return None
    sys.modules[PAVA_MODULE] = module  # scipy.optimize, if imported later, takes this one
    return getattr(module, "pava", None)


def _isotonic_in_scipy(y: Floats, w: Floats) -> Floats:
    pava = _scipy_pava()
    if pava is not None:
        try:  # as scipy.optimize.isotonic_regression calls it
            fitted, *_ = pava(
                np.array(y, dtype=np.float64, copy=True),
                np.array(w, dtype=np.float64, copy=True),
                np.full(y.shape[0] + 1, -1, dtype=np.intp),
            )
            return fitted
        except (TypeError, ValueError):  # another SciPy's kernel: the public function
            pass
    from scipy.optimize import isotonic_regression

    return isotonic_regression(y, weights=w, increasing=True).x


def isotonic(y: Floats, w: Floats) -> Floats:
    """The increasing isotonic regression of ``y`` with weights ``w``: the pool adjacent
    violators algorithm, each pool's value its weighted mean."""
    if y.shape[0] > PAVA_IN_PYTHON:
        return _isotonic_in_scipy(y, w)
    sums: list[float] = []  # per pool: sum of w * y, sum of w, size
    weights: list[float] = []
    sizes: list[int] = []
    for value, weight in zip(y.tolist(), w.tolist(), strict=True):
        total, mass, size = value * weight, weight, 1
        while sums and sums[-1] * mass > total * weights[-1]:  # the pool before is higher
            total += sums.pop()
            mass += weights.pop()
            size += sizes.pop()
        sums.append(total)
        weights.append(mass)
        sizes.append(size)
    return np.repeat(np.array(sums) / np.array(weights), sizes)


def calibration(p: ArrayLike, o: ArrayLike) -> Calibration:
    """Buckets, Murphy and CORP figures for binary forecasts ``p`` of outcomes ``o`` (0/1).

    Murphy: mean score = REL - RES + UNC + WBV - WBC, where WBV and WBC are the within-bucket
    variance and covariance terms (Stephenson, Coelho & Jolliffe 2008); with one value per
    bucket they vanish. CORP: mean score = MCB - DSC + UNC (Dimitriadis, Gneiting & Jordan
    2021), from the isotonic recalibration.
    """
    probs = np.asarray(p, dtype=np.float64)
    outcome = np.asarray(o, dtype=np.float64)
    if probs.ndim != 1 or outcome.shape != probs.shape:
        raise ValueError("p and o must be 1-dimensional and of the same length")
    n = probs.shape[0]
    bucket = bucket_of(probs)
    count = np.bincount(bucket, minlength=11)
    sum_p = np.bincount(bucket, weights=probs, minlength=11)
    hits = np.bincount(bucket, weights=outcome, minlength=11)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = sum_p / count
        observed = hits / count
    low, high = wilson_interval(hits, count)
    if n == 0:
        nan = float("nan")
        empty = np.zeros(0)
        return Calibration(
            count, mean_p, observed, low, high, 0, nan, nan, nan, nan, nan, nan, nan,
            empty, empty, nan, nan, nan,
        )  # fmt: skip
    base = float(outcome.mean())
    mean_score = float(np.mean((probs - outcome) ** 2))
    filled = count > 0
    rel = float(np.sum(count[filled] * (mean_p[filled] - observed[filled]) ** 2) / n)
    res = float(np.sum(count[filled] * (observed[filled] - base) ** 2) / n)
    unc = base * (1.0 - base)
    dev_p = probs - mean_p[bucket]
    wbv = float(np.sum(dev_p**2) / n)
    wbc = float(2.0 * np.sum((outcome - observed[bucket]) * dev_p) / n)
    corp_x, corp_y, recalibrated = corp(probs, outcome)
    score_c = float(np.mean((recalibrated - outcome) ** 2))
    mcb = mean_score - score_c
    dsc = unc - score_c
    return Calibration(
        count=count.astype(np.int64),
        mean_forecast=mean_p,
        observed=observed,
        observed_low=low,
        observed_high=high,
        n=n,
        mean_score=mean_score,
        base_rate=base,
        rel=rel,
        res=res,
        unc=unc,
        within_variance=wbv,
        within_covariance=wbc,
        corp_x=corp_x,
        corp_y=corp_y,
        mcb=mcb,
        dsc=dsc,
        corp_unc=unc,
    )


# Aggregates ------------------------------------------------------------------------------

AGGREGATES = ("median", "mean", "geometric mean of odds", "extremized mean log-odds")


def _clamp(p: Floats) -> Floats:
    return np.clip(p, *LOG_CLAMP)


def aggregate(
    forecasts: ForecastColumns,
    questions: QuestionColumns,
    method: str,
    *,
    factor: float = EXTREMIZE,
) -> ForecastColumns:
    """One consensus pseudo-forecaster; see :func:`consensus`."""
    return consensus(forecasts, questions, (method,), factor=factor)[method]


def changes(columns: ForecastColumns) -> ForecastColumns:
    """A pseudo-forecaster's forecasts (in question and time order) kept only where they
    change: of several at one moment on a question the last, and none that repeats the one
    standing before it. Scores are the same; the count is the moments it changed."""
    if len(columns) == 0:
        return columns
    q, t, p = columns.question, columns.time, columns.p
    rows = np.flatnonzero(np.r_[(q[1:] != q[:-1]) | (t[1:] != t[:-1]), True])
    q_kept = q[rows]
    first = np.r_[True, q_kept[1:] != q_kept[:-1]]
    changed = np.ones(rows.shape[0], dtype=bool)
    changed[1:] = False
    for k in range(p.shape[1]):  # an outcome at a time: no copy of every kept row
        column = p[rows, k]
        changed[1:] |= column[1:] != column[:-1]
    return columns.take(rows[first | changed])


def consensus(
    forecasts: ForecastColumns,
    questions: QuestionColumns,
    methods: tuple[str, ...] = AGGREGATES,
    *,
    factor: float = EXTREMIZE,
) -> dict[str, ForecastColumns]:
    """The consensus as pseudo-forecasters: at each moment a forecast is made on a
    question, the forecasts then standing on it (each forecaster's latest) are combined.

    Methods: ``median``, ``mean``, ``geometric mean of odds`` and ``extremized mean
    log-odds`` (mean log-odds times ``factor``); odds and log-odds use probabilities clamped
    to [0.001, 0.999]. Each outcome is combined on its own and the result renormalised to
    sum to 1; for a binary question this is the same as combining the probability of yes.
    Each result has one row per input forecast, in question and time order, with forecaster
    index -1.
    """
    for method in methods:
        if method not in AGGREGATES:
            raise ValueError(f"unknown aggregate {method!r}; choose from {', '.join(AGGREGATES)}")
    n = len(forecasts)
    if n == 0:
        return dict.fromkeys(methods, forecasts)
    # the same forecaster's previous forecast on the question, found in pair order
    by_pair = _pair_time_order(forecasts.question, forecasts.forecaster, forecasts.time)
    q_pair = forecasts.question[by_pair]
    f_pair = forecasts.forecaster[by_pair]
    same = np.r_[False, (q_pair[1:] == q_pair[:-1]) & (f_pair[1:] == f_pair[:-1])]
    previous_original = np.full(n, -1, dtype=np.int64)
    previous_original[by_pair[same]] = by_pair[np.flatnonzero(same) - 1]
    # each (question, forecaster) pair's rank among the pairs, found in pair order too
    pair_rank = np.empty(n, dtype=np.int64)
    pair_rank[by_pair] = np.cumsum(~same) - 1
    del by_pair, q_pair, f_pair, same  # a million rows are 8 MB a column: let go early
    # then everything in question and time order
    order = _question_time_order(forecasts.question, forecasts.time)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    had = previous_original[order] >= 0
    previous = np.where(had, position[np.maximum(previous_original[order], 0)], -1)
    del position, previous_original
    q = forecasts.question[order]
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
    if "median" in methods:
        group_start = np.repeat(starts, np.diff(np.append(starts, n)))
        blocks = _standing_rows(pair_rank[order], starts, group_start)
        del group_start
    else:
        blocks = []
    del pair_rank
    probs = forecasts.p[order]
    k_row = questions.n_options[q]
    new_forecaster = (~had).astype(np.float64)
    count = _segment_cumsum(new_forecaster, starts)
    binary_rows = k_row == 2
    # every combination here is symmetric, so a binary question's "no" is 1 - "yes": the
    # other outcomes are combined on the rows of multiple-choice questions with that many
    # options alone (whole questions, so each keeps its running sums)
    outcomes = [_Rows(slice(None), had, previous, starts, count)]
    for k in range(1, probs.shape[1]):
        rows = np.flatnonzero((k_row > k) & ~binary_rows)
        if rows.shape[0]:
            outcomes.append(_Rows.subset(rows, had, previous, q, count))
    results: dict[str, ForecastColumns] = {}
    time, nobody = forecasts.time[order], np.full(n, -1, dtype=np.int64)
    means: dict[tuple[bool, int], Floats] = {}  # the two odds methods share the mean log-odds
    for method in methods:
        combined = np.zeros(probs.shape)
        for k, part in enumerate(outcomes):
            if method == "median":
                needed = np.zeros(n, dtype=bool)
                needed[part.rows] = True
                value = _standing_median(probs[:, k], blocks, needed)[part.rows]
            else:
                odds = method != "mean"
                if (odds, k) not in means:
                    means[odds, k] = _running_mean(probs[part.rows, k], part, odds=odds)
                value = means[odds, k]
                if odds:
                    scale = factor if method == "extremized mean log-odds" else 1.0
                    value = 1.0 / (1.0 + np.exp(-scale * value))
            combined[part.rows, k] = value
            if k == 0:  # a binary question's "no"; the other questions' comes next, at k = 1
                np.subtract(1.0, combined[:, 0], out=combined[:, 1])
        totals = combined.sum(axis=1, keepdims=True)
        np.divide(combined, np.where(totals > 0, totals, 1.0), out=combined)
        results[method] = ForecastColumns(question=q, forecaster=nobody, time=time, p=combined)
    return results


def question_signatures(
    forecasts: ForecastColumns,
    questions: QuestionColumns,
    question_ids: Ints,
    forecaster_ids: Ints,
) -> NDArray[np.uint64]:
    """Per question, a 64-bit digest of everything its consensus scores are worked out
    from: the question's id, outcomes, outcome and scoring end, and each of its forecasts'
    forecaster (by id), moment, probabilities and place among them; 0 for a question with no
    forecasts. Two different inputs share a digest with odds of about 1 in 2**64, so scores
    kept beside the digest are used only while the digest is what it was."""
    m = len(questions)
    digest = np.zeros(m, dtype=np.uint64)
    n = len(forecasts)
    if n == 0:
        return digest
    if np.any(forecasts.question[1:] < forecasts.question[:-1]):  # handed over in order
        forecasts = forecasts.take(np.argsort(forecasts.question, kind="stable"))
    q_sorted = forecasts.question
    starts = np.flatnonzero(np.r_[True, q_sorted[1:] != q_sorted[:-1]])
    counts = np.diff(np.append(starts, n))
    place = np.arange(n) - np.repeat(starts, counts)
    row = _mixed(forecaster_ids[forecasts.forecaster].astype(np.uint64))
    row = _mixed(row + np.ascontiguousarray(forecasts.time).view(np.uint64))
    for k in range(forecasts.p.shape[1]):
        row = _mixed(row + np.ascontiguousarray(forecasts.p[:, k]).view(np.uint64))
    row = _mixed(row + place.astype(np.uint64))
    summed = np.add.reduceat(row, starts)
    at = q_sorted[starts]
    whole = _mixed(question_ids[at].astype(np.uint64))
    for part in (questions.n_options[at], questions.outcome[at], counts):
        whole = _mixed(whole + part.astype(np.int64).view(np.uint64))
    whole = _mixed(whole + np.ascontiguousarray(questions.end[at]).view(np.uint64))
    digest[at] = _mixed(whole + summed) | np.uint64(1)  # never 0: that is "no forecasts"
    return digest


def _mixed(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """SplitMix64's finaliser: each output bit depends on every input bit."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _running_mean(column: Floats, part: _Rows, *, odds: bool) -> Floats:
    """At each row, the mean over the forecasts standing on its question of ``column``
    (of its log-odds with ``odds``), kept up to date with one running sum."""
    if odds:
        clamped = _clamp(column)
        level = np.log(clamped) - np.log1p(-clamped)
    else:
        level = column
    change = level - np.where(part.had, level[np.maximum(part.previous, 0)], 0.0)
    return _segment_cumsum(change, part.starts) / part.count


class _Rows(NamedTuple):
    """Rows of whole questions, in question and time order, with what a running
    combination needs of them: whether each forecaster had a forecast standing before, its
    row (among these rows), where each question starts, and how many forecasters stand."""

    rows: slice | Ints
    had: NDArray[np.bool_]
    previous: Ints
    starts: Ints
    count: Floats

    @classmethod
    def subset(cls, rows: Ints, had: NDArray[np.bool_], previous: Ints, q: Ints, count: Floats):
        position = np.full(q.shape[0], -1, dtype=np.int64)
        position[rows] = np.arange(rows.shape[0])
        sub_q = q[rows]
        return cls(
            rows,
            had[rows],
            np.where(had[rows], position[np.maximum(previous[rows], 0)], -1),
            np.flatnonzero(np.r_[True, sub_q[1:] != sub_q[:-1]]),
            count[rows],
        )


def _segment_cumsum(values: Floats, starts: Ints) -> Floats:
    """Running sums restarted at each segment start, each segment's summed on its own
    (as ``np.cumsum`` of the segment alone would), so a question's running sums do not
    depend on the questions before it and a question worked out alone gives the same bits.

    Rows at the same place in their segments are added at once, one place at a time, for
    segments of up to :data:`LONG_SEGMENT` rows; a longer segment is summed alone."""
    n = values.shape[0]
    out = np.array(values, dtype=np.float64)
    if n == 0:
        return out
    lengths = np.diff(np.append(starts, n))
    longest_first = np.argsort(-lengths, kind="stable")
    ordered_starts, ordered_lengths = starts[longest_first], lengths[longest_first]
    long = int(np.count_nonzero(ordered_lengths > LONG_SEGMENT))
    for start, length in zip(ordered_starts[:long], ordered_lengths[:long], strict=True):
        segment = out[start : start + length]
        np.cumsum(segment, out=segment)
    short_starts, short_lengths = ordered_starts[long:], ordered_lengths[long:]
    longer = np.searchsorted(-short_lengths, -np.arange(LONG_SEGMENT + 1), side="left")
    for place in range(1, int(short_lengths[0]) if short_lengths.shape[0] else 0):
        rows = short_starts[: longer[place]] + place  # the segments longer than ``place``
        out[rows] += out[rows - 1]
    return out


LONG_SEGMENT = 256
"""Segments longer than this are summed one at a time (:func:`_segment_cumsum`)."""


def _question_time_order(q: Ints, t: Floats) -> NDArray[np.intp]:
    """The stable order by question, then time. Moments in whole milliseconds (as the
    database layer hands them over) sort as one integer key, which the stable sort takes
    in a few runs when the rows come in question order (about 20 times as fast); any
    other moments sort by time, then by question."""
    if q.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    ms = np.rint(t * 1000.0)
    if np.isfinite(ms).all() and np.array_equal(ms / 1000.0, t):
        low, high = ms.min(), ms.max()
        first = int(q.min())
        if (int(q.max()) - first + 1) * (int(high - low) + 1) < 2**62:
            key = (q - first) * (int(high - low) + 1) + (ms - low).astype(np.int64)
            return np.argsort(key, kind="stable")
    by_time = np.argsort(t, kind="stable")
    return by_time[np.argsort(q[by_time], kind="stable")]


def _standing_rows(pair_rank: Ints, starts: Ints, group_start: Ints) -> list[tuple[Ints, Ints]]:
    """For each row, the rows of the forecasts standing on its question, in blocks of
    questions with similar numbers of forecasters: (rows, standing[rows, slot] or -1).
    ``pair_rank`` is each row's (question, forecaster) pair's rank among all pairs, so a
    question's pairs are consecutive ranks and each has a slot."""
    n = pair_rank.shape[0]
    first_pair = np.minimum.reduceat(pair_rank, starts)
    width_q = np.maximum.reduceat(pair_rank, starts) - first_pair + 1
    question_index = np.repeat(np.arange(starts.shape[0]), np.diff(np.append(starts, n)))
    slot = pair_rank - first_pair[question_index]
    width_row = width_q[question_index]
    blocks = []
    low = 0
    for high in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1 << 62):
        rows = np.flatnonzero((width_row > low) & (width_row <= high))
        low = high
        if rows.shape[0] == 0:
            continue
        width = int(width_row[rows].max())
        latest = np.full((rows.shape[0], width), -1, dtype=np.int32)
        latest[np.arange(rows.shape[0]), slot[rows]] = rows
        np.maximum.accumulate(latest, axis=0, out=latest)  # in place: one matrix, not three
        latest[latest < group_start[rows][:, None]] = -1
        blocks.append((rows, latest))
        if low >= n:
            break
    return blocks


def _standing_median(
    column: Floats, blocks: list[tuple[Ints, Ints]], needed: NDArray[np.bool_]
) -> Floats:
    out = np.zeros(column.shape[0])
    padded = np.append(column, np.inf)  # a slot with no forecast (-1) reads the last: inf
    for block_rows, block_latest in blocks:
        # a chunk of rows at a time: the sorted copy of a large block would take as much
        # memory again as the block
        for start in range(0, block_rows.shape[0], MEDIAN_CHUNK):
            rows = block_rows[start : start + MEDIAN_CHUNK]
            standing = block_latest[start : start + MEDIAN_CHUNK]
            wanted = needed[rows]
            if not wanted.all():
                if not wanted.any():
                    continue
                rows, standing = rows[wanted], standing[wanted]
            values = padded[standing]
            values.sort(axis=1)
            count = (standing >= 0).sum(axis=1)
            picks = np.arange(values.shape[0])
            out[rows] = (values[picks, (count - 1) // 2] + values[picks, count // 2]) / 2.0
    return out


MEDIAN_CHUNK = 1 << 16
"""Rows of standing forecasts sorted at once for the median consensus."""


class QuestionScore(NamedTuple):
    """One forecaster's scores on one resolved question."""

    brier: float  # time-weighted, 0..2
    last_brier: float  # the last forecast before the scoring end
    log_score: float


def question_score_table(
    question: Question, forecasts: Sequence[Forecast]
) -> dict[int, QuestionScore]:
    """Each forecaster's scores on one resolved question, keyed by forecaster id; empty when
    the question is not scored (unresolved, annulled or without forecasts)."""
    resolution = question.resolution
    if resolution is None or resolution.annulled or not forecasts:
        return {}
    end = scoring_end(question.close_at.timestamp(), resolution.resolved_at.timestamp())
    columns = ForecastColumns.build(
        question=[0] * len(forecasts),
        forecaster=[f.forecaster_id for f in forecasts],
        time=[f.made_at.timestamp() for f in forecasts],
        p=[f.vector(question) for f in forecasts],
    )
    outcome = question.outcomes.index(resolution.outcome)
    pairs = question_scores(
        columns, QuestionColumns.build([len(question.outcomes)], [outcome], [end])
    )
    return {
        int(pairs.forecaster[i]): QuestionScore(
            float(pairs.brier[i]), float(pairs.last_brier[i]), float(pairs.log_score[i])
        )
        for i in range(len(pairs))
    }
