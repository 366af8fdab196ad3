"""A question's consensus is its own: worked out on that question's forecasts alone it has
the very bits it has among every question's (so kept scores of unchanged questions can
stand beside fresh ones, db/kept_consensus.py), and the digest of what it is worked out
from changes with any of it and with nothing of another question."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasts.scoring import (
    AGGREGATES,
    ForecastColumns,
    QuestionColumns,
    _segment_cumsum,
    changes,
    consensus,
    question_scores,
    question_signatures,
)
from tests.forecasts.test_scoring_reference import random_world


def _bits(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array).tobytes()


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 600), min_size=1, max_size=30),
    seed=st.integers(0, 2**32 - 1),
)
def test_running_sums_restart_at_each_segment_and_sum_it_alone(lengths, seed) -> None:
    rng = np.random.default_rng(seed)
    values = rng.normal(size=sum(lengths)) * 10.0 ** rng.integers(-8, 9, size=sum(lengths))
    starts = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
    alone = [np.cumsum(values[s : s + n]) for s, n in zip(starts, lengths, strict=True)]
    assert _bits(_segment_cumsum(values, starts)) == _bits(np.concatenate(alone))


def test_running_sums_by_hand() -> None:
    values = np.array([0.1, 0.2, 0.3, 1e16, 1.0, -1e16])
    summed = _segment_cumsum(values, np.array([0, 3]))
    # the second question's sums start from its own first value: 1e16 + 1.0 is 1e16, less
    # 1e16 is 0.0 (summed after the first question's 0.6, it would not be)
    assert summed.tolist() == [0.1, 0.1 + 0.2, 0.1 + 0.2 + 0.3, 1e16, 1e16, 0.0]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("decimals", [None, 3, 0], ids=["any moments", "milliseconds", "seconds"])
def test_a_question_worked_out_alone_has_the_bits_it_has_among_all(seed, decimals) -> None:
    columns, questions, _, _ = random_world(seed, forecasts=600, decimals=decimals)
    everything = consensus(columns, questions)
    whole = {m: question_scores(changes(c), questions) for m, c in everything.items()}
    rng = np.random.default_rng(seed)
    chosen = np.flatnonzero(rng.random(len(questions)) < 0.3)
    rows = np.flatnonzero(np.isin(columns.question, chosen))
    part = consensus(columns.take(rows), questions)
    for method in AGGREGATES:
        mine = np.isin(everything[method].question, chosen)
        for name in ("question", "time", "p"):
            got = getattr(part[method], name)
            assert _bits(got) == _bits(getattr(everything[method], name)[mine]), (method, name)
        scored = question_scores(changes(part[method]), questions)
        kept = np.isin(whole[method].question, chosen)
        for name in ("question", "brier", "last_brier", "log_score", "forecasts"):
            got = getattr(scored, name)
            assert _bits(got) == _bits(getattr(whole[method], name)[kept]), (method, name)


def _world():
    columns, questions, _, _ = random_world(11, questions=6, forecasts=60, decimals=3)
    order = np.argsort(columns.question, kind="stable")
    return columns.take(order), questions


def _digests(columns, questions, question_ids=None, forecaster_ids=None):
    return question_signatures(
        columns,
        questions,
        np.arange(len(questions)) + 100 if question_ids is None else question_ids,
        np.arange(8) + 7 if forecaster_ids is None else forecaster_ids,
    )


def test_a_digest_changes_with_what_its_question_is_worked_out_from_and_nothing_else() -> None:
    columns, questions = _world()
    before = _digests(columns, questions)
    assert np.all(before[np.unique(columns.question)] != 0)
    target = int(columns.question[0])
    row = 0
    p = columns.p.copy()
    p[row, 0] = np.nextafter(p[row, 0], 1.0)  # one bit of one probability
    time = columns.time.copy()
    time[row] += 0.001
    forecaster = columns.forecaster.copy()
    forecaster[row] = (forecaster[row] + 1) % 8
    swapped = np.arange(len(columns))
    swapped[[0, 1]] = [1, 0]  # the same forecasts of the question, in another order
    assert columns.question[1] == target and not np.array_equal(columns.p[0], columns.p[1])
    changed_columns = [
        dataclasses.replace(columns, p=p),
        dataclasses.replace(columns, time=time),
        dataclasses.replace(columns, forecaster=forecaster),
        columns.take(swapped),
        columns.take(np.arange(1, len(columns))),  # one forecast fewer
    ]
    for changed in changed_columns:
        after = _digests(changed, questions)
        assert after[target] != before[target]
        others = np.arange(len(questions)) != target
        assert np.array_equal(after[others], before[others])
    for field, value in [("outcome", -1), ("end", 1.5), ("n_options", 4)]:
        column = getattr(questions, field).copy()
        column[target] = value if column[target] != value else 0
        edited = dataclasses.replace(questions, **{field: column})
        after = _digests(columns, edited)
        assert after[target] != before[target], field
        assert np.array_equal(np.delete(after, target), np.delete(before, target)), field
    renamed = _digests(columns, questions, question_ids=np.arange(len(questions)) + 200)
    assert np.all(renamed[before != 0] != before[before != 0])
    merged_ids = np.arange(8) + 7
    merged_ids[int(columns.forecaster[0])] = 999  # the forecaster counts as another now
    merged = _digests(columns, questions, forecaster_ids=merged_ids)
    assert merged[target] != before[target]


def test_a_question_without_forecasts_has_no_digest() -> None:
    columns = ForecastColumns.build([2, 2], [0, 1], [1.0, 2.0], [0.3, 0.4])
    questions = QuestionColumns.build([2, 2, 2], [-1, -1, 0], [5.0, 5.0, 5.0])
    digests = _digests(columns, questions)
    assert digests[0] == digests[1] == 0 and digests[2] != 0
    empty = ForecastColumns.build([], [], [], np.zeros((0, 2)))
    assert _digests(empty, questions).tolist() == [0, 0, 0]
