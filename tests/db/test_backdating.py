"""The backdating rule (docs/scoring.md): an own entry dated before the day before it was
recorded, or recorded after its question's resolution, is kept, shown, and left out of
scores unless it is documented (it quotes a source published by then) or imported."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from db.repository import Repository
from db.scores import leaderboard, load
from forecasts.models import DAY, backdated, is_backdated
from tests.conftest import add_forecaster, add_question, add_source, log, resolve

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
ARTICLE = "Experts agree that the chances of Kim attending remain slim."


def repository() -> Repository:
    repo = Repository.open("sqlite://", clock=lambda: NOW)
    add_question(
        repo,
        title="Will Kim attend?",
        criteria="Yes if he attends.",
        close_at=datetime(2025, 5, 9, 23, 59, tzinfo=UTC),
    )
    return repo


def test_the_rule_by_hand() -> None:
    day = 86_400.0
    never = float("inf")
    nan = float("nan")
    # an own entry may be dated any time on the day before it was recorded, not earlier
    recorded = 10 * day + 3600.0  # 01:00 on day 10
    assert not backdated(9 * day, recorded, never, imported=False, quoted=False, published=nan)
    assert backdated(9 * day - 1, recorded, never, imported=False, quoted=False, published=nan)
    assert not backdated(recorded, recorded, never, imported=False, quoted=False, published=nan)
    # recorded after the resolution: hindsight, however close to when it was made
    assert backdated(10.0, 20.0, 15.0, imported=False, quoted=False, published=float("nan"))
    # documented (quotes a source published by then) or imported: never backdated
    assert not backdated(5 * day, 99 * day, 9 * day, imported=False, quoted=True, published=day)
    assert backdated(5 * day, 99 * day, 9 * day, imported=False, quoted=True, published=6 * day)
    assert not backdated(0.0, 99 * day, 9 * day, imported=True, quoted=False, published=0.0)
    assert day == DAY


def test_stored_forecasts_are_judged_by_the_rule() -> None:
    repo = repository()
    source = add_source(repo, text=ARTICLE, title="Herald", published_on=date(2025, 4, 28))
    experts = add_forecaster(repo, name="Experts", kind="group")
    resolve(repo, question=1, outcome="no", resolved_at=datetime(2025, 5, 9, tzinfo=UTC))
    question = repo.question(ref=1)
    late = log(repo, question=1, probability=0.15, made_at=datetime(2025, 5, 1, tzinfo=UTC))
    quoted = log(
        repo,
        question=1,
        forecaster=experts.id,
        probability=0.1,
        made_at=datetime(2025, 4, 28, tzinfo=UTC),
        source=source.id,
        quote="the chances of Kim attending remain slim",
    )
    assert is_backdated(late, question, None)
    assert not is_backdated(quoted, question, repo.source(ref=source.id))
    data = load(repo.engine, now=NOW)
    assert data.backdated == 1 and len(data.forecasts) == 1
    assert len(load(repo.engine, now=NOW, include_backdated=True).forecasts) == 2
    detail = repo.question_detail(ref=1)
    assert detail.backdated == {late.id}
    assert [f.id for f in detail.scored_forecasts()] == [quoted.id]


@settings(max_examples=25)
@given(
    probability=st.floats(0, 1),
    days_before=st.integers(min_value=2, max_value=400),
    others=st.lists(st.floats(0, 1), min_size=1, max_size=4),
)
def test_a_backdated_own_entry_never_changes_a_default_score(
    probability: float, days_before: int, others: list[float]
) -> None:
    repo = repository()
    for index, p in enumerate(others):  # forecasters who logged in time (recorded then)
        clock_then = datetime(2025, 4, 1, tzinfo=UTC) + timedelta(days=index)
        person = add_forecaster(repo, name=f"Forecaster {index}")
        then = Repository(repo.engine, clock=lambda moment=clock_then: moment)
        log(then, question=1, forecaster=person.id, probability=p, made_at=clock_then)
    resolve(repo, question=1, outcome="no", resolved_at=datetime(2025, 5, 9, tzinfo=UTC))
    before = leaderboard(load(repo.engine, now=NOW), resamples=50, min_questions=1)
    made = datetime(2025, 5, 9, tzinfo=UTC) - timedelta(days=days_before)
    log(repo, question=1, probability=probability, made_at=made)  # recorded on NOW
    data = load(repo.engine, now=NOW)
    assert data.backdated == 1
    assert leaderboard(data, resamples=50, min_questions=1) == before
