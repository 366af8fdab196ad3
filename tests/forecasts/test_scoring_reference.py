"""The engine against the straightforward per-row implementation, on random data with
binary and multiple-choice questions, updates, unresolved questions and late forecasts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecasts.scoring import (
    AGGREGATES,
    ForecastColumns,
    QuestionColumns,
    calibration,
    consensus,
    one_vs_rest,
    question_scores,
    relative_brier,
    summarize,
)
from tests import reference_scoring as ref


def random_world(
    seed: int,
    questions: int = 40,
    forecasters: int = 8,
    forecasts: int = 400,
    decimals: int | None = None,
):
    """Random questions and forecasts; moments rounded to ``decimals`` places of a second
    when given (3: whole milliseconds, as the database hands them over; 0: whole seconds,
    so that several forecasts share a moment)."""
    rng = np.random.default_rng(seed)
    k = rng.choice([2, 2, 3, 4], size=questions)
    outcome = np.array([rng.integers(0, kk) if rng.random() > 0.2 else -1 for kk in k])
    end = rng.uniform(50, 100, questions)
    rows = []
    width = int(k.max())
    p = np.zeros((forecasts, width))
    q = rng.integers(0, questions, forecasts)
    f = rng.integers(0, forecasters, forecasts)
    t = rng.uniform(0, 110, forecasts)  # some after the end
    if decimals is not None:
        t = np.round(t, decimals)
    for i in range(forecasts):
        raw = rng.random(k[q[i]]) + 0.01
        if k[q[i]] == 2:
            yes = round(float(raw[0] / raw.sum()), 2)
            vector = [yes, 1 - yes]
        else:
            vector = list(raw / raw.sum())
        p[i, : len(vector)] = vector
        rows.append((int(q[i]), int(f[i]), float(t[i]), vector))
    columns = ForecastColumns.build(q, f, t, p)
    question_columns = QuestionColumns.build(k, outcome, end)
    reference_questions = [(int(k[j]), int(outcome[j]), float(end[j])) for j in range(questions)]
    return columns, question_columns, rows, reference_questions


SEEDS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
def test_question_scores_and_leaderboard_match_the_reference(seed: int) -> None:
    columns, questions, rows, ref_questions = random_world(seed)
    pairs = question_scores(columns, questions)
    expected = ref.question_scores(rows, ref_questions)
    assert len(pairs) == len(expected)
    for i in range(len(pairs)):
        key = (int(pairs.question[i]), int(pairs.forecaster[i]))
        brier, last, log, n = expected[key]
        assert pairs.brier[i] == pytest.approx(brier, abs=1e-12)
        assert pairs.last_brier[i] == pytest.approx(last, abs=1e-12)
        assert pairs.log_score[i] == pytest.approx(log, abs=1e-12)
        assert pairs.forecasts[i] == n
    relative = relative_brier(pairs)
    expected_relative = ref.relative(expected)
    for i in range(len(pairs)):
        want = expected_relative[(int(pairs.question[i]), int(pairs.forecaster[i]))]
        assert (math.isnan(want) and math.isnan(relative[i])) or relative[i] == pytest.approx(want)
    summary = summarize(pairs, questions, pairs.forecaster, 8, resamples=50)
    for forecaster, values in ref.leaderboard(expected, ref_questions).items():
        brier, n_questions, n_forecasts, rel, skill, log = values
        assert summary.brier[forecaster] == pytest.approx(brier)
        assert summary.questions[forecaster] == n_questions
        assert summary.forecasts[forecaster] == n_forecasts
        assert summary.skill[forecaster] == pytest.approx(skill)
        assert summary.log_score[forecaster] == pytest.approx(log)
        if not math.isnan(rel):
            assert summary.relative[forecaster] == pytest.approx(rel)
        assert summary.brier_low[forecaster] <= brier <= summary.brier_high[forecaster]


@pytest.mark.parametrize("seed", SEEDS)
def test_calibration_matches_the_reference(seed: int) -> None:
    columns, questions, _, _ = random_world(seed, forecasts=800)
    scored = np.flatnonzero(questions.scored[columns.question])
    p, o = one_vs_rest(columns, questions, scored)
    ours = calibration(p, o)
    expected = ref.calibration(list(zip(p.tolist(), o.tolist(), strict=True)))
    assert ours.count.tolist() == expected["count"]
    for name in ("mean_score", "rel", "res", "unc", "mcb", "dsc"):
        assert getattr(ours, name) == pytest.approx(expected[name], abs=1e-12), name


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", AGGREGATES)
@pytest.mark.parametrize("decimals", [None, 3, 0], ids=["any moments", "milliseconds", "seconds"])
def test_consensus_matches_the_reference(seed: int, method: str, decimals: int | None) -> None:
    columns, questions, rows, _ = random_world(seed, forecasts=300, decimals=decimals)
    ours = consensus(columns, questions, (method,))[method]
    expected = ref.consensus(rows, method)
    assert ours.question.tolist() == [row[0] for row in expected]
    assert ours.time.tolist() == pytest.approx([row[1] for row in expected])
    for i, (_, _, vector) in enumerate(expected):
        assert ours.p[i, : len(vector)] == pytest.approx(vector, abs=1e-9)
        assert ours.p[i, len(vector) :].sum() == 0
