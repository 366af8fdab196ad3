"""The scoring engine, cross-checked against scikit-learn and against small cases worked out
by hand, with hypothesis properties for bounds, propriety and exact decompositions."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import brier_score_loss

from forecasts.scoring import (
    ForecastColumns,
    QuestionColumns,
    aggregate,
    binary,
    bootstrap_interval,
    brier,
    bucket_of,
    calibration,
    corp,
    log_score,
    one_vs_rest,
    question_scores,
    relative_brier,
    skill,
    summarize,
    wilson_interval,
)

RNG = np.random.default_rng(12345)


# Brier and log score ---------------------------------------------------------------------


def test_binary_brier_is_twice_sklearns() -> None:
    p = RNG.random(5000)
    y = (RNG.random(5000) < p).astype(int)
    ours = brier(binary(p), 1 - y)  # outcome index 0 is "yes"
    assert ours.mean() == pytest.approx(2 * brier_score_loss(y, p), abs=1e-12)


def test_brier_by_hand() -> None:
    assert brier(binary([0.5]), [0])[0] == 0.5  # always 50% scores 0.5
    assert brier(binary([0.1]), [1])[0] == pytest.approx(2 * 0.1**2)
    # (0.5, 0.3, 0.2), the second happened: 0.5^2 + 0.7^2 + 0.2^2 = 0.25 + 0.49 + 0.04
    assert brier([[0.5, 0.3, 0.2]], [1])[0] == pytest.approx(0.78)
    assert brier([[1.0, 0.0, 0.0]], [2])[0] == pytest.approx(2.0)


def test_log_score_is_clamped() -> None:
    assert log_score(binary([0.0]), [0])[0] == pytest.approx(math.log(0.001))
    assert log_score(binary([1.0]), [0])[0] == pytest.approx(math.log(0.999))
    assert log_score([[0.2, 0.5, 0.3]], [1])[0] == pytest.approx(math.log(0.5))


def test_shapes_are_checked() -> None:
    with pytest.raises(ValueError, match="2-dimensional"):
        brier([0.5, 0.5], [0])
    with pytest.raises(ValueError, match="shape"):
        brier([[0.5, 0.5]], [0, 1])
    with pytest.raises(ValueError, match="outside"):
        brier([[0.5, 0.5]], [2])


@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(0, 1)), st.data())
def test_scores_stay_within_bounds(p, data) -> None:
    outcome = np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(p), max_size=len(p))))
    scores = brier(binary(p), outcome)
    assert np.all((scores >= 0) & (scores <= 2 + 1e-12))
    logs = log_score(binary(p), outcome)
    assert np.all((logs >= math.log(0.001) - 1e-12) & (logs <= 0))


@given(st.floats(0, 1), st.floats(0, 1))
def test_brier_is_proper(truth: float, other: float) -> None:
    """Under a true probability p, forecasting p minimises the expected Brier score."""

    def expected(q: float) -> float:
        hit, miss = brier(binary([q, q]), [0, 1])
        return truth * hit + (1 - truth) * miss

    assert expected(truth) <= expected(other) + 1e-12


@given(
    arrays(np.float64, 3, elements=st.floats(0.01, 1)).map(lambda v: v / v.sum()),
    arrays(np.float64, 3, elements=st.floats(0.01, 1)).map(lambda v: v / v.sum()),
)
def test_multiple_choice_brier_is_proper(truth, other) -> None:
    def expected(q) -> float:
        rows = np.tile(q, (3, 1))
        return float(truth @ brier(rows, [0, 1, 2]))

    assert expected(truth) <= expected(other) + 1e-12


# Question scores -------------------------------------------------------------------------


def two_questions() -> tuple[ForecastColumns, QuestionColumns]:
    # question 0 resolved yes (index 0) with scoring end t = 10; question 1 unresolved
    forecasts = ForecastColumns.build(
        question=[0, 0, 0, 0, 1],
        forecaster=[7, 7, 3, 7, 7],
        time=[0, 4, 8, 12, 1],
        p=[0.2, 0.6, 0.9, 0.99, 0.5],
    )
    questions = QuestionColumns.build(n_options=[2, 2], outcome=[0, -1], end=[10, 20])
    return forecasts, questions


def test_time_weighted_question_score_by_hand() -> None:
    forecasts, questions = two_questions()
    pairs = question_scores(forecasts, questions)
    by_forecaster = {int(f): i for i, f in enumerate(pairs.forecaster)}
    seven = by_forecaster[7]
    # 0.2 stands 4 units (Brier 2 * 0.8^2 = 1.28), then 0.6 stands 6 (2 * 0.4^2 = 0.32):
    # (1.28 * 4 + 0.32 * 6) / 10 = 0.704; the forecast at t = 12 comes after the end.
    assert pairs.brier[seven] == pytest.approx(0.704)
    assert pairs.last_brier[seven] == pytest.approx(0.32)
    assert pairs.forecasts[seven] == 2
    three = by_forecaster[3]
    assert pairs.brier[three] == pytest.approx(2 * 0.1**2)  # 0.9 from t = 8 to 10
    # time-weighted log score: (4 ln 0.2 + 6 ln 0.6) / 10
    assert pairs.log_score[seven] == pytest.approx((4 * math.log(0.2) + 6 * math.log(0.6)) / 10)
    assert set(pairs.question.tolist()) == {0}  # the unresolved question is not scored


def test_a_forecast_at_the_very_end_counts_alone() -> None:
    forecasts = ForecastColumns.build([0], [1], [10], [0.3])
    pairs = question_scores(forecasts, QuestionColumns.build([2], [1], [10]))
    assert pairs.brier[0] == pytest.approx(2 * 0.3**2)


def test_relative_brier_against_the_median_by_hand() -> None:
    forecasts = ForecastColumns.build(
        question=[0, 0, 0, 1],
        forecaster=[0, 1, 2, 0],
        time=[0, 0, 0, 0],
        p=[np.sqrt(0.05), np.sqrt(0.25), np.sqrt(0.15), 0.5],
    )
    questions = QuestionColumns.build([2, 2], [1, 0], [1, 1])
    pairs = question_scores(forecasts, questions)
    # question 0: scores 2p^2 = 0.1, 0.5, 0.3 (outcome no); median 0.3
    keys = zip(pairs.question.tolist(), pairs.forecaster.tolist(), strict=True)
    rel = dict(zip(keys, relative_brier(pairs), strict=True))
    assert rel[(0, 0)] == pytest.approx(-0.2)
    assert rel[(0, 1)] == pytest.approx(0.2)
    assert rel[(0, 2)] == pytest.approx(0.0)
    assert math.isnan(rel[(1, 0)])  # a lone forecaster has no peers


def test_relative_brier_with_an_even_count_uses_the_middle_two() -> None:
    forecasts = ForecastColumns.build([0] * 4, [0, 1, 2, 3], [0] * 4, np.sqrt([0, 0.1, 0.2, 0.4]))
    pairs = question_scores(forecasts, QuestionColumns.build([2], [1], [1]))
    # scores 0, 0.2, 0.4, 0.8: median (0.2 + 0.4) / 2 = 0.3
    assert sorted(relative_brier(pairs)) == pytest.approx([-0.3, -0.1, 0.1, 0.5])


@pytest.mark.parametrize("shuffled", [False, True])
def test_question_medians_agree_with_numpy_for_every_crowd_size(shuffled: bool) -> None:
    """Crowds of 1 to 5,000 forecasters (every block of sizes the medians sort together),
    handed over in question order or shuffled, against numpy's median of each question."""
    from forecasts.scoring import PairScores, question_medians

    sizes = np.array([1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100, 257, 1025, 5000])
    question = np.repeat(np.arange(sizes.shape[0]) * 3, sizes)  # ids with gaps
    brier_scores = np.round(RNG.random(question.shape[0]) * 2, 3)  # ties within questions
    order = RNG.permutation(question.shape[0]) if shuffled else np.arange(question.shape[0])
    n = question.shape[0]
    pairs = PairScores(
        question[order],
        np.arange(n),
        brier_scores[order],
        np.zeros(n),
        np.zeros(n),
        np.ones(n, dtype=np.int64),
        np.arange(n),
    )
    medians = question_medians(pairs)
    assert medians.question.tolist() == sorted(set(question.tolist()))
    assert medians.count.tolist() == sizes.tolist()
    expected = [np.median(brier_scores[question == q]) for q in medians.question]
    assert medians.median.tolist() == expected
    relative = relative_brier(pairs)
    at = np.searchsorted(medians.question, pairs.question)
    peers = medians.count[at] >= 2
    assert np.array_equal(relative[peers], pairs.brier[peers] - medians.median[at][peers])
    assert np.isnan(relative[~peers]).all()


def test_skill_against_chance_by_hand() -> None:
    forecasts = ForecastColumns(
        question=np.array([0, 1]),
        forecaster=np.array([0, 0]),
        time=np.array([0.0, 0.0]),
        p=np.array([[0.5, 0.5, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0]]),
    )
    questions = QuestionColumns.build([2, 4], [0, 0], [1, 1])
    pairs = question_scores(forecasts, questions)
    # binary: BS 0.5 against (2-1)/2 = 0.5: skill 0; four options: BS 0.5 against 3/4: 1/3
    assert skill(pairs, questions) == pytest.approx([0.0, 1 / 3])


def test_summary_and_reproducible_bootstrap() -> None:
    values = np.r_[np.zeros(200), np.ones(200)]
    group = np.zeros(400, dtype=np.int64)
    low, high = bootstrap_interval(values, group, 1)
    again = bootstrap_interval(values, group, 1)
    assert (low[0], high[0]) == (again[0][0], again[1][0])
    # the mean of 400 fair coins: 0.5 +/- 1.96 * 0.025
    assert low[0] == pytest.approx(0.451, abs=0.01)
    assert high[0] == pytest.approx(0.549, abs=0.01)
    single_low, single_high = bootstrap_interval([0.3], [0], 2)
    assert single_low[0] == single_high[0] == pytest.approx(0.3)
    assert math.isnan(single_low[1])


def test_summarize_per_forecaster() -> None:
    forecasts, questions = two_questions()
    pairs = question_scores(forecasts, questions)
    summary = summarize(pairs, questions, pairs.forecaster, 8)
    assert summary.questions[7] == 1 and summary.forecasts[7] == 2
    assert summary.brier[7] == pytest.approx(0.704)
    assert summary.brier_low[7] == summary.brier_high[7] == pytest.approx(0.704)
    assert summary.relative[7] == pytest.approx(0.704 - (0.704 + 0.02) / 2)
    assert math.isnan(summary.brier[0])


# Calibration -----------------------------------------------------------------------------


def test_buckets_have_inclusive_lower_edges() -> None:
    assert bucket_of([0.0, 0.0499, 0.05, 0.15, 0.5, 0.9499, 0.95, 1.0]).tolist() == [
        0,
        0,
        1,
        2,
        5,
        9,
        10,
        10,
    ]


def test_calibration_buckets_match_sklearn_on_the_same_edges() -> None:
    p = RNG.random(20000)
    y = (RNG.random(20000) < p**1.3).astype(float)
    ours = calibration(p, y)
    # Shifting p by 5% and scaling by 1/1.1 puts our edges (5%, 15%, ..., 95%) on sklearn's
    # 11 uniform bins (1/11, 2/11, ...).
    frac, mean_pred = calibration_curve(y, (p + 0.05) / 1.1, n_bins=11, strategy="uniform")
    filled = ours.count > 0
    assert ours.observed[filled] == pytest.approx(frac, abs=1e-12)
    assert ours.mean_forecast[filled] == pytest.approx(mean_pred * 1.1 - 0.05, abs=1e-12)


def test_wilson_interval_worked_by_hand() -> None:
    # 5 of 10 at 90%: z = 1.644854, z^2 = 2.705543, denominator 1 + z^2 / 10 = 1.270554,
    # centre (0.5 + z^2 / 20) / 1.270554 = 0.5, half-width 1.644854 / 1.270554 *
    # sqrt(0.25 / 10 + z^2 / 400) = 1.294594 * 0.178224 = 0.230728
    low, high = wilson_interval([5], [10])
    assert (low[0], high[0]) == pytest.approx((0.269272, 0.730728), abs=2e-6)
    low, high = wilson_interval([0], [4])
    assert low[0] == pytest.approx(0.0, abs=1e-12) and 0 < high[0] < 1


@pytest.mark.parametrize("in_python", [20_000, 0], ids=["pava-here", "pava-in-scipy"])
@pytest.mark.parametrize("n, digits", [(3000, 2), (3000, 3), (40, 1), (1, 2), (25_000, 6)])
def test_corp_curve_matches_sklearn_isotonic(
    n: int, digits: int, in_python: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of fitting (here, for the usual few distinct values; SciPy, beyond) agree
    with scikit-learn, with many ties, few, and more distinct values than the cut-over."""
    monkeypatch.setattr("forecasts.scoring.PAVA_IN_PYTHON", in_python)
    p = np.round(RNG.random(n), digits)
    y = (RNG.random(n) < p).astype(float)
    x_values, fitted, each = corp(p, y)
    reference = IsotonicRegression(increasing=True, out_of_bounds="clip").fit(p, y)
    assert reference.predict(x_values) == pytest.approx(fitted, abs=1e-12)
    assert reference.predict(p) == pytest.approx(each, abs=1e-12)
    assert np.all(np.diff(fitted) >= 0)


def test_scipys_kernel_is_loaded_alone_and_fits_as_its_public_function() -> None:
    """Beyond the cut-over the fit runs in SciPy's compiled kernel, loaded without the rest
    of scipy.optimize (three quarters of a second to import), to the same numbers."""
    program = (
        "import sys, numpy as np\n"
        "from forecasts.scoring import _isotonic_in_scipy\n"
        "rng = np.random.default_rng(5)\n"
        "y, w = rng.random(30_000), rng.integers(1, 4, 30_000).astype(float)\n"
        "fitted = _isotonic_in_scipy(y, w)\n"
        "alone = 'scipy.optimize' not in sys.modules\n"
        "from scipy.optimize import isotonic_regression\n"
        "same = np.array_equal(fitted, isotonic_regression(y, weights=w).x)\n"
        "print(alone, same)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_without_scipys_kernel_the_public_function_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    from scipy.optimize import isotonic_regression

    from forecasts import scoring

    y, w = RNG.random(500), RNG.integers(1, 4, 500).astype(float)
    monkeypatch.setattr(scoring, "_scipy_pava", lambda: None)
    assert np.array_equal(scoring._isotonic_in_scipy(y, w), isotonic_regression(y, weights=w).x)

    def another_kernel(*_args):
        raise TypeError("pava(): incompatible function arguments")

    monkeypatch.setattr(scoring, "_scipy_pava", lambda: another_kernel)
    assert np.array_equal(scoring._isotonic_in_scipy(y, w), isotonic_regression(y, weights=w).x)


def test_isotonic_pools_violators_into_their_weighted_mean() -> None:
    """Worked by hand: 3 then 1 (weights 1 and 3) pool to 1.5; 2 after it stays above."""
    from forecasts.scoring import isotonic

    fitted = isotonic(np.array([3.0, 1.0, 2.0]), np.array([1.0, 3.0, 1.0]))
    assert fitted.tolist() == [1.5, 1.5, 2.0]
    fitted = isotonic(np.array([4.0, 3.0, 2.0, 1.0]), np.ones(4))
    assert fitted.tolist() == [2.5, 2.5, 2.5, 2.5]
    assert isotonic(np.array([0.2, 0.5]), np.array([7.0, 1.0])).tolist() == [0.2, 0.5]


def test_decompositions_by_hand() -> None:
    # Two forecasts of 20% (one hit) and two of 80% (both hits), all in distinct buckets
    # pairs: bucket 2: mean 0.2, observed 0.5; bucket 8: mean 0.8, observed 1.0; base 0.75
    cal = calibration([0.2, 0.2, 0.8, 0.8], [1, 0, 1, 1])
    assert cal.mean_score == pytest.approx((0.64 + 0.04 + 0.04 + 0.04) / 4)
    assert cal.rel == pytest.approx((2 * 0.3**2 + 2 * 0.2**2) / 4)
    assert cal.res == pytest.approx((2 * 0.25**2 + 2 * 0.25**2) / 4)
    assert cal.unc == pytest.approx(0.75 * 0.25)
    assert cal.within_variance == cal.within_covariance == 0
    # isotonic fit: 0.5 at 20%, 1.0 at 80%; recalibrated score (0.25 * 2 + 0 + 0) / 4
    assert cal.corp_y == pytest.approx([0.5, 1.0])
    assert cal.mcb == pytest.approx(0.19 - 0.125)
    assert cal.dsc == pytest.approx(0.1875 - 0.125)


@settings(max_examples=200)
@given(
    arrays(np.float64, st.integers(1, 200), elements=st.floats(0, 1)),
    st.integers(0, 2**32 - 1),
)
def test_both_decompositions_add_up_exactly(p, seed) -> None:
    y = (np.random.default_rng(seed).random(p.shape[0]) < 0.5).astype(float)
    cal = calibration(p, y)
    murphy = cal.rel - cal.res + cal.unc + cal.within_variance - cal.within_covariance
    assert murphy == pytest.approx(cal.mean_score, abs=1e-12)
    assert cal.mcb - cal.dsc + cal.corp_unc == pytest.approx(cal.mean_score, abs=1e-12)
    assert cal.mcb >= -1e-12 and cal.dsc >= -1e-12  # isotonic recalibration never hurts


def test_one_vs_rest_splits_multiple_choice() -> None:
    forecasts = ForecastColumns(
        question=np.array([0, 1]),
        forecaster=np.array([0, 0]),
        time=np.zeros(2),
        p=np.array([[0.7, 0.3, 0.0], [0.2, 0.5, 0.3]]),
    )
    questions = QuestionColumns.build([2, 3], [1, 2], [1, 1])
    p, o = one_vs_rest(forecasts, questions)
    assert p.tolist() == [0.7, 0.2, 0.5, 0.3]
    assert o.tolist() == [0.0, 0.0, 0.0, 1.0]


# Aggregates ------------------------------------------------------------------------------


def test_aggregates_of_standing_forecasts_by_hand() -> None:
    forecasts = ForecastColumns.build(
        question=[0, 0, 0], forecaster=[1, 2, 1], time=[0, 1, 2], p=[0.2, 0.6, 0.4]
    )
    questions = QuestionColumns.build([2], [0], [3])
    median = aggregate(forecasts, questions, "median").p[:, 0]
    # standing: {0.2}; {0.2, 0.6}; {0.4 (A updated), 0.6}
    assert median == pytest.approx([0.2, 0.4, 0.5])
    assert aggregate(forecasts, questions, "mean").p[:, 0] == pytest.approx([0.2, 0.4, 0.5])
    geo = aggregate(forecasts, questions, "geometric mean of odds").p[:, 0]
    # odds 0.25 and 1.5: geometric mean sqrt(0.375) = 0.612372, p = 0.612372 / 1.612372
    assert geo[1] == pytest.approx(0.379796, abs=1e-6)
    extreme = aggregate(forecasts, questions, "extremized mean log-odds").p[:, 0]
    # mean log-odds (ln 0.25 + ln 1.5) / 2 = -0.490415, times 2.5 = -1.226037
    assert extreme[1] == pytest.approx(1 / (1 + math.exp(1.226037)), abs=1e-6)
    assert extreme[0] == pytest.approx(1 / (1 + math.exp(-2.5 * math.log(0.25))), abs=1e-9)
    assert np.all(aggregate(forecasts, questions, "median").forecaster == -1)


def test_multiple_choice_aggregate_renormalises_over_real_options() -> None:
    forecasts = ForecastColumns(
        question=np.array([0, 0, 1]),
        forecaster=np.array([1, 2, 1]),
        time=np.array([0.0, 1.0, 0.0]),
        p=np.array([[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.9, 0.1, 0.0]]),
    )
    questions = QuestionColumns.build([3, 2], [0, 0], [5, 5])
    result = aggregate(forecasts, questions, "geometric mean of odds")
    assert result.p.sum(axis=1) == pytest.approx([1, 1, 1])
    binary_row = result.p[result.question == 1][0]
    assert binary_row[2] == 0 and binary_row[0] == pytest.approx(0.9)


def test_empty_inputs_give_empty_results() -> None:
    forecasts = ForecastColumns.build([], [], [], np.zeros((0, 2)))
    questions = QuestionColumns.build([], [], [])
    pairs = question_scores(forecasts, questions)
    assert len(pairs) == 0
    assert relative_brier(pairs).shape == (0,)
    summary = summarize(pairs, questions, pairs.forecaster, 3)
    assert np.isnan(summary.brier).all() and (summary.questions == 0).all()
    assert calibration([], []).n == 0
    assert len(aggregate(forecasts, questions, "median")) == 0
