"""Repository round trips: what goes in comes back as frozen domain objects, and a refused
write leaves the database exactly as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db.repository import Repository
from forecasts.errors import Conflict, ForecastsError, InvalidInput, NotFound
from forecasts.models import ForecasterKind, QuestionKind, QuestionStatus
from tests.conftest import NOW, add_forecaster, add_question, add_source, annul, dump, log, resolve

ARTICLE = (
    "However, experts agree that the chances of Kim attending Russia’s May 9 Victory Day "
    "celebrations remain slim."
)
CLOSE = datetime(2025, 5, 9, 23, 59, 59, tzinfo=UTC)


def add_binary(repo: Repository, **changes):
    data = {
        "title": "Will Kim Jong Un attend the 9 May 2025 Moscow Victory Day parade?",
        "criteria": "Yes if Kim is reported present at the parade in Moscow on 9 May 2025.",
        "close_at": CLOSE,
        "tags": ["north-korea", "russia"],
        "created_at": datetime(2025, 4, 1, tzinfo=UTC),
    }
    data.update(changes)
    return add_question(repo, **data)


def add_scenarios(repo: Repository):
    return add_question(
        repo,
        title="Where do Kim and Putin next meet in person?",
        criteria="The place of their next in-person meeting, as reported by state media.",
        close_at=datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
        kind=QuestionKind.MULTIPLE_CHOICE,
        options=["Russia", "North Korea", "China", "Elsewhere"],
        created_at=datetime(2025, 4, 1, tzinfo=UTC),
    )


def test_question_round_trip(repo: Repository) -> None:
    added = add_binary(repo, description="Background", key="kim-moscow")
    loaded = repo.question(ref=added.id)
    assert loaded == added
    assert repo.question(ref="kim-moscow") == added
    assert loaded.tags == ("north-korea", "russia")
    assert loaded.close_at == CLOSE
    scenario = add_scenarios(repo)
    assert repo.question(ref=str(scenario.id)).options == (
        "Russia",
        "North Korea",
        "China",
        "Elsewhere",
    )


def test_list_questions_filters_by_status_and_tag(repo: Repository) -> None:
    past = add_binary(repo)
    future = add_binary(repo, title="Later", close_at=NOW + timedelta(days=30), tags=["china"])
    resolved = add_binary(repo, title="Resolved one")
    resolve(repo, question=resolved.id, outcome="no", resolved_at=CLOSE)
    assert [s.question.id for s in repo.list_questions()] == [past.id, resolved.id, future.id]
    assert [s.question.id for s in repo.list_questions(status="closed")] == [past.id]
    assert [s.question.id for s in repo.list_questions(status=QuestionStatus.OPEN)] == [future.id]
    assert [s.question.id for s in repo.list_questions(status="resolved")] == [resolved.id]
    assert [s.question.id for s in repo.list_questions(tag="China")] == [future.id]
    assert repo.list_questions(tag="nothing") == []


def test_forecasts_are_appended_and_supersede(repo: Repository) -> None:
    question = add_binary(repo)
    cha = add_forecaster(
        repo, name="Cha Du-hyeogn", affiliation="Asan Institute for Policy Studies"
    )
    first = log(
        repo,
        question=question.id,
        forecaster="cha du-hyeogn",
        probability=0.2,
        made_at=datetime(2025, 4, 28, tzinfo=UTC),
    )
    second = log(
        repo,
        question=question.id,
        forecaster=cha.id,
        probability=0.1,
        made_at=datetime(2025, 5, 2, tzinfo=UTC),
    )
    mine = log(repo, question=question.id, probability=0.05, made_at=CLOSE)
    stored = repo.forecasts(question=question.id)
    assert [f.id for f in stored] == [first.id, second.id, mine.id]
    assert [f.probability for f in stored] == [0.2, 0.1, 0.05]
    assert stored[2].forecaster_id == repo.user_forecaster().id
    assert repo.user_forecaster().kind is ForecasterKind.USER
    summary = repo.list_questions()[0]
    assert (summary.forecasts, summary.forecasters) == (3, 2)


def test_multiple_choice_forecast_round_trip(repo: Repository) -> None:
    question = add_scenarios(repo)
    logged = log(
        repo,
        question=question.id,
        probabilities=[0.5, 0.2, 0.25, 0.05],
        made_at=datetime(2025, 5, 1, tzinfo=UTC),
    )
    assert repo.forecasts(question=question.id) == [logged]


def test_quoted_forecast_keeps_span_and_source(repo: Repository) -> None:
    question = add_binary(repo)
    source = add_source(
        repo,
        text=ARTICLE,
        title="North Korea formalises troop deployment",
        outlet="The Korea Herald",
        published_on=date(2025, 4, 28),
    )
    group = add_forecaster(repo, name="Experts cited by The Korea Herald", kind="group")
    logged = log(
        repo,
        question=question.id,
        forecaster=group.id,
        probability=0.1,
        source=source.id,
        quote="chances of Kim attending Russia's May 9 Victory Day celebrations remain slim",
        phrase="chances remain slim",
        scale="ICD 203",
        scale_probability=0.1,
        made_at=datetime(2025, 4, 28, tzinfo=UTC),
    )
    assert ARTICLE[logged.quote_start : logged.quote_end] == logged.quote
    assert "Russia’s" in logged.quote  # the source's own characters are stored
    detail = repo.question_detail(ref=question.id)
    assert detail.forecasts == (logged,)
    assert detail.sources[source.id].sha256 == source.sha256
    assert detail.forecasters[group.id].name == "Experts cited by The Korea Herald"


def test_resolution_history_is_kept(repo: Repository) -> None:
    question = add_binary(repo)
    first = resolve(repo, question=question.id, outcome="YES", resolved_at=CLOSE, evidence="x")
    second = resolve(
        repo, question=question.id, outcome="no", resolved_at=CLOSE, evidence="Kim did not attend."
    )
    assert first.outcome == "yes"
    assert repo.resolutions(question=question.id) == [first, second]
    assert repo.question(ref=question.id).resolution == second
    third = annul(repo, question=question.id, evidence="criteria ambiguous")
    assert repo.question(ref=question.id).status(NOW) is QuestionStatus.ANNULLED
    assert [r.outcome for r in repo.resolutions(question=question.id)] == ["yes", "no", "annulled"]
    assert third.resolved_at == NOW


def test_duplicates_are_refused(repo: Repository) -> None:
    add_forecaster(repo, name="Doo Jin-ho")
    with pytest.raises(Conflict, match="name: 'DOO JIN-HO' is already a forecaster"):
        add_forecaster(repo, name="DOO JIN-HO")
    add_source(repo, text=ARTICLE, title="One", published_on=date(2025, 4, 28))
    with pytest.raises(Conflict, match="already stored as source 1"):
        add_source(repo, text=ARTICLE, title="Two", published_on=date(2025, 4, 28))


def test_unknown_references_name_the_field(repo: Repository) -> None:
    with pytest.raises(NotFound, match="question: no question matches '99'"):
        repo.question(ref="99")
    question = add_binary(repo)
    with pytest.raises(NotFound, match="forecaster: no forecaster matches 'Nobody'"):
        log(repo, question=question.id, forecaster="Nobody", probability=0.5)
    with pytest.raises(NotFound, match="source: no source matches 3"):
        log(repo, question=question.id, probability=0.5, source=3, quote="x")


@pytest.mark.parametrize(
    "bad",
    [
        {"probability": 1.5},
        {"probability": float("nan")},
        {"probabilities": [0.5, 0.5]},
        {"probability": 0.5, "made_at": CLOSE + timedelta(seconds=1)},
        {"probability": 0.5, "made_at": NOW + timedelta(days=1)},
        {"probability": 0.5, "source": 1, "quote": "Kim will go"},
        {"probability": 0.5, "forecaster": "nobody"},
    ],
)
def test_refused_forecasts_write_nothing(repo: Repository, bad: dict) -> None:
    question = add_binary(repo)
    add_source(repo, text=ARTICLE, title="One", published_on=date(2025, 4, 28))
    before = dump(repo.engine)
    with pytest.raises(ForecastsError):
        log(repo, question=question.id, **bad)
    assert dump(repo.engine) == before  # not even the user's forecaster row


def test_refused_resolutions_write_nothing(repo: Repository) -> None:
    question = add_scenarios(repo)
    before = dump(repo.engine)
    with pytest.raises(InvalidInput, match="outcome: 'Mars' is not an outcome"):
        resolve(repo, question=question.id, outcome="Mars")
    with pytest.raises(InvalidInput, match="resolved_at"):
        resolve(repo, question=question.id, outcome="China", resolved_at=NOW + timedelta(hours=1))
    assert dump(repo.engine) == before


def test_refused_questions_write_nothing(repo: Repository) -> None:
    before = dump(repo.engine)
    with pytest.raises(InvalidInput, match="criteria"):
        add_binary(repo, criteria=" ")
    with pytest.raises(InvalidInput, match="options"):
        add_question(
            repo, title="t", criteria="c", close_at=CLOSE, kind="multiple_choice", options=["one"]
        )
    add_binary(repo, key="k")
    after_one = dump(repo.engine)
    with pytest.raises(Conflict):
        add_binary(repo, key="k")
    assert dump(repo.engine) == after_one != before


def test_names_are_unique_under_unicode_case_folding(repo: Repository) -> None:
    first = add_forecaster(repo, name="Ölmann")
    with pytest.raises(Conflict, match="name: 'ÖLMANN' is already a forecaster"):
        add_forecaster(repo, name="ÖLMANN")
    assert repo.forecaster(ref="ölmann") == first
    assert repo.forecaster(ref="  ÖLMANN ") == first
    add_forecaster(repo, name="Straße")
    with pytest.raises(Conflict):
        add_forecaster(repo, name="STRASSE")  # full case folding, not lower()


def test_resolutions_against_the_record(repo: Repository) -> None:
    question = add_binary(repo, close_at=datetime(2025, 5, 30, tzinfo=UTC))
    cha = add_forecaster(repo, name="Cha Du-hyeogn")
    log(repo, question=question.id, forecaster=cha.id, probability=0.9, made_at=CLOSE)
    before = dump(repo.engine)
    with pytest.raises(InvalidInput, match=r"before 1 forecast already on the question by Cha"):
        resolve(repo, question=question.id, outcome="yes", resolved_at=CLOSE - timedelta(days=1))
    assert dump(repo.engine) == before
    first = resolve(repo, question=question.id, outcome="no", resolved_at=CLOSE)
    assert resolve(repo, question=question.id, outcome="no", resolved_at=CLOSE) == first
    assert resolve(repo, question=question.id, outcome="no") == first  # no date: the same
    assert len(repo.resolutions(question=question.id)) == 1
    moved = resolve(
        repo,
        question=question.id,
        outcome="no",
        resolved_at=CLOSE - timedelta(days=2),
        retroactive=True,
    )
    assert repo.resolutions(question=question.id) == [first, moved]
    annulled = annul(repo, question=question.id)
    assert annul(repo, question=question.id, resolved_at=CLOSE) == annulled
    assert len(repo.resolutions(question=question.id)) == 3


def test_the_questions_page_takes_each_questions_current_resolution() -> None:
    """Status, outcome, filters, the due count and the sort by status follow the latest
    resolution of each question, as the domain model reads it; so does the score loader."""
    from db.read_models import QuestionQuery
    from db.scores import load

    repo = Repository.open("sqlite://", clock=lambda: NOW)
    closed = datetime(2025, 3, 1, tzinfo=UTC)
    histories = {
        "open": [],
        "due": [],
        "yes": ["yes"],
        "yes then no": ["yes", "no"],
        "yes then annulled": ["yes", None],
        "annulled then yes": [None, "yes"],
    }
    for title, history in histories.items():
        close = datetime(2025, 12, 31, tzinfo=UTC) if title == "open" else closed
        question = add_question(repo, title=title, criteria="Yes if so.", close_at=close)
        for day, outcome in enumerate(history, start=2):
            when = datetime(2025, 3, day, tzinfo=UTC)
            if outcome is None:
                annul(repo, question=question.id, resolved_at=when)
            else:
                resolve(repo, question=question.id, outcome=outcome, resolved_at=when)
    expected = {}
    for title in histories:
        question = next(q for q in repo.list_questions() if q.question.title == title).question
        outcome = question.resolution.outcome if question.resolution else None
        expected[title] = (question.status(NOW), outcome)
    page = repo.question_page()
    assert {row.title: (row.status, row.outcome) for row in page.rows} == expected
    assert expected["yes then annulled"][0] is QuestionStatus.ANNULLED
    assert expected["annulled then yes"] == (QuestionStatus.RESOLVED, "yes")
    assert page.due == 1
    for status in QuestionStatus:
        wanted_titles = sorted(t for t, (wanted, _) in expected.items() if wanted is status)
        for sort in ("close", "status", "forecasts"):
            found = repo.question_page(QuestionQuery(status=status, sort=sort))
            assert sorted(row.title for row in found.rows) == wanted_titles
            assert found.total == len(wanted_titles) and found.due == 1
            past_the_end = repo.question_page(QuestionQuery(status=status, sort=sort), offset=9)
            assert (past_the_end.rows, past_the_end.total) == ((), len(wanted_titles))
    by_status = repo.question_page(QuestionQuery(sort="status")).rows
    assert [row.status.value for row in by_status] == sorted(row.status.value for row in by_status)
    data = load(repo.engine, now=NOW)
    scored = {
        row.title: ["yes", "no"][data.questions.outcome[list(data.question_ids).index(row.id)]]
        for row in page.rows
        if data.questions.outcome[list(data.question_ids).index(row.id)] >= 0
    }
    assert scored == {
        title: outcome
        for title, (status, outcome) in expected.items()
        if status is QuestionStatus.RESOLVED
    }
