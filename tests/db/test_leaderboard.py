"""The leaderboard's rules on a record small enough to work out by hand: ranked by relative
Brier where there were peers, then Brier; too few questions listed unranked; distinct counts
by tag; the consensus only where there is a crowd, counted by the moments it changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.repository import Repository
from db.scores import leaderboard, load
from tests.conftest import add_forecaster, add_question, log, resolve

THEN = datetime(2025, 4, 1, tzinfo=UTC)
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture
def record() -> Repository:
    """Three questions resolved yes; A says 90% on all three, B 60% on all three, C 50% on
    the first only, all at one moment and recorded then."""
    then = Repository.open("sqlite://", clock=lambda: THEN)
    for index, tag in enumerate(("x", "x", "y"), start=1):
        add_question(
            then,
            title=f"Question {index}",
            criteria="Resolves yes or no.",
            close_at=datetime(2025, 5, 1, tzinfo=UTC),
            tags=[tag],
        )
    for name, p, questions in (("A", 0.9, (1, 2, 3)), ("B", 0.6, (1, 2, 3)), ("C", 0.5, (1,))):
        who = add_forecaster(then, name=name)
        for question in questions:
            log(then, question=question, forecaster=who.id, probability=p, made_at=THEN)
    now = Repository(then.engine, clock=lambda: NOW)
    for question in (1, 2, 3):
        resolve(now, question=question, outcome="yes", resolved_at=datetime(2025, 5, 1, tzinfo=UTC))
    return now


def test_ranking_by_relative_brier_then_unranked(record: Repository) -> None:
    rows = leaderboard(load(record.engine, now=NOW), aggregates=False, resamples=20)
    # question scores 2(1 - p)^2: A 0.02, B 0.32, C 0.5; medians 0.32 (Q1), 0.17 (Q2, Q3)
    by_name = {row.name: row for row in rows}
    assert [(row.name, row.rank) for row in rows] == [("A", 1), ("B", 2), ("C", None)]
    assert by_name["A"].relative == pytest.approx((0.02 - 0.32 + 0.02 - 0.17 + 0.02 - 0.17) / 3)
    assert by_name["B"].relative == pytest.approx((0.0 + 0.15 + 0.15) / 3)
    assert by_name["C"].relative == pytest.approx(0.5 - 0.32)
    assert by_name["C"].brier == pytest.approx(0.5)
    everyone = leaderboard(load(record.engine, now=NOW), aggregates=False, min_questions=1)
    # with a minimum of one, C is ranked too: relative -0.2 (A), +0.1 (B), +0.18 (C)
    assert [(row.name, row.rank) for row in everyone] == [("A", 1), ("B", 2), ("C", 3)]


def test_tag_rows_count_distinct_questions_and_forecasters(record: Repository) -> None:
    rows = {row.name: row for row in leaderboard(load(record.engine, now=NOW), by="tag")}
    assert (rows["x"].questions, rows["x"].forecasters, rows["x"].forecasts) == (2, 3, 5)
    assert (rows["y"].questions, rows["y"].forecasters, rows["y"].forecasts) == (1, 2, 2)
    # the tag's Brier is the mean over its forecaster-question pairs
    assert rows["x"].brier == pytest.approx((0.02 + 0.32 + 0.5 + 0.02 + 0.32) / 5)


def test_the_consensus_counts_the_moments_it_changed(record: Repository) -> None:
    rows = {row.name: row for row in leaderboard(load(record.engine, now=NOW))}
    median = rows["consensus: median"]
    assert median.questions == 3  # every question had two forecasters or more
    assert median.forecasts == 3  # all forecasts came at one moment: one change each
    # the median of 90%, 60%, 50% is 60% on Q1; of 90%, 60%, 75% on Q2 and Q3
    assert median.brier == pytest.approx((2 * 0.4**2 + 2 * 0.25**2 * 2) / 3)


def test_a_window_of_resolution_dates(record: Repository) -> None:
    may_first = datetime(2025, 5, 1, tzinfo=UTC)
    inside = load(record.engine, now=NOW, resolved=(may_first, datetime(2025, 5, 2, tzinfo=UTC)))
    assert [row.name for row in leaderboard(inside, aggregates=False)] == ["A", "B", "C"]
    after = load(record.engine, now=NOW, resolved=(datetime(2025, 5, 2, tzinfo=UTC), None))
    assert leaderboard(after) == []
    before = load(record.engine, now=NOW, resolved=(None, datetime(2025, 4, 30, tzinfo=UTC)))
    assert leaderboard(before) == []


def test_a_score_read_in_the_second_of_a_resolution_counts_it() -> None:
    """julianday reads a stored moment some microseconds off; read the scores in the very
    second a question resolved (19:50:45, a moment that came out 6 microseconds late) and
    the question still counts, as it does a second later."""
    made = datetime(2026, 11, 21, tzinfo=UTC)
    resolved = datetime(2026, 11, 22, 19, 50, 45, tzinfo=UTC)
    repository = Repository.open("sqlite://", clock=lambda: resolved)
    add_question(
        repository, title="Q", criteria="Yes or no.", close_at=datetime(2030, 1, 1, tzinfo=UTC)
    )
    who = add_forecaster(repository, name="Ana")
    log(repository, question=1, forecaster=who.id, probability=0.8, made_at=made)
    resolve(repository, question=1, outcome="yes", resolved_at=resolved)
    for now in (resolved, datetime(2026, 11, 22, 19, 50, 46, tzinfo=UTC)):
        (row,) = leaderboard(load(repository.engine, now=now), aggregates=False, min_questions=1)
        # one forecast held throughout: 2 x (1 - 0.8)^2
        assert (row.questions, row.brier) == (1, pytest.approx(0.08, abs=1e-12))
