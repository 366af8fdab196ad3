"""Corrections through the repository: every one appended to the event log with who made
it, nothing rewritten, and every read following them (standing forecasts, lists, names)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.repository import Repository
from forecasts.drafts import Merge, QuestionEdit, Rename, Retract, Withdraw
from forecasts.errors import Conflict, InvalidInput
from forecasts.models import EventKind, standing_forecasts
from tests.conftest import NOW, add_forecaster, add_question, add_source, log

THEN = datetime(2025, 5, 1, tzinfo=UTC)


@pytest.fixture
def repo() -> Repository:
    repository = Repository.open("sqlite://", clock=lambda: NOW, user_name="Analyst One")
    add_question(
        repository,
        title="Will Kim go?",
        criteria="Yes if he goes.",
        close_at=datetime(2025, 12, 31, tzinfo=UTC),
        tags=["russia"],
    )
    return repository


def test_writes_record_who_made_them(repo: Repository) -> None:
    forecast = log(repo, question=1, probability=0.3, made_at=NOW)
    assert forecast.recorded_by == "Analyst One"
    assert repo.question(ref=1).recorded_by == "Analyst One"
    assert repo.forecasts(question=1)[0].recorded_by == "Analyst One"


def test_an_edit_keeps_what_the_question_said(repo: Repository) -> None:
    question = repo.question(ref=1)
    edit = QuestionEdit.parse(
        question, now=NOW, criteria="Yes if he visits.", tags="russia, summit", reason="clearer"
    )
    assert set(edit.changes) == {"criteria", "tags"}
    edited = repo.edit_question(edit)
    assert edited.criteria == "Yes if he visits." and edited.tags == ("russia", "summit")
    assert repo.question(ref=1) == edited
    (revision,) = repo.question_detail(ref=1).revisions
    assert revision.detail["before"] == {"criteria": "Yes if he goes.", "tags": ["russia"]}
    assert (revision.reason, revision.recorded_by) == ("clearer", "Analyst One")
    with pytest.raises(InvalidInput, match="changes nothing"):
        QuestionEdit.parse(edited, now=NOW, criteria="Yes if he visits.")


def test_a_retraction_lets_the_previous_forecast_stand(repo: Repository) -> None:
    first = log(repo, question=1, probability=0.3, made_at=THEN)
    second = log(repo, question=1, probability=0.9, made_at=NOW)
    retracted = repo.retract(Retract(forecast_id=second.id, reason="slip"))
    assert retracted.retraction is not None and retracted.retraction.reason == "slip"
    standing = standing_forecasts(repo.forecasts(question=1))
    assert [f.id for f in standing.values()] == [first.id]
    with pytest.raises(Conflict, match="already retracted"):
        repo.retract(Retract(forecast_id=second.id, reason="again"))


def test_withdraw_and_restore(repo: Repository) -> None:
    repo.withdraw(Withdraw(question_id=1, reason="by mistake"))
    assert repo.list_questions() == []
    assert [s.question.id for s in repo.list_questions(withdrawn=True)] == [1]
    assert repo.question_page().total == 0
    with pytest.raises(Conflict, match="withdrawn already"):
        repo.withdraw(Withdraw(question_id=1))
    repo.withdraw(Withdraw(question_id=1, restore=True))
    assert [s.question.id for s in repo.list_questions()] == [1]


def test_rename_and_merge_follow_every_read(repo: Repository) -> None:
    experts = add_forecaster(repo, name="Experts cited by The Korea Herald", kind="group")
    loose = add_forecaster(repo, name="experts")
    log(repo, question=1, forecaster=loose.id, probability=0.2, made_at=THEN)
    into = repo.merge_forecasters(Merge(source="experts", target=experts.id, reason="same"))
    assert into.id == experts.id
    assert [f.forecaster_id for f in repo.forecasts(question=1)] == [experts.id]
    assert [f.name for f in repo.list_forecasters()] == ["Experts cited by The Korea Herald"]
    assert repo.forecaster(ref="experts").merged_into_id == experts.id
    renamed = repo.rename_forecaster(Rename(forecaster=experts.id, name="Herald experts"))
    assert renamed.name == "Herald experts"
    assert repo.forecaster(ref="herald EXPERTS").id == experts.id
    kinds = [event.kind for event in repo.events()]
    assert kinds == [EventKind.MERGED, EventKind.RENAMED]
    with pytest.raises(InvalidInput, match="the same forecaster"):
        repo.merge_forecasters(Merge(source="experts", target="Herald experts"))


def test_the_forecasters_quoting_a_source_follow_merges(repo: Repository) -> None:
    source = add_source(
        repo,
        text="Experts say a visit is unlikely. Lim says it is likely.",
        title="Wire",
        published_on=THEN.date(),
    )
    other = add_source(
        repo, text="Hong says a visit is possible.", title="Other", published_on=THEN.date()
    )
    experts = add_forecaster(repo, name="Experts cited by The Korea Herald", kind="group")
    loose = add_forecaster(repo, name="experts")
    for name, quote, on in (
        ("experts", "a visit is unlikely", source),
        ("Lim", "it is likely", source),
        ("Hong", "a visit is possible", other),
    ):
        found = loose if name == "experts" else add_forecaster(repo, name=name)
        log(
            repo,
            question=1,
            forecaster=found.id,
            source=on.id,
            quote=quote,
            made_at=THEN,
            probability=0.3,
        )
    assert repo.forecasters_quoting(source=source.id) == {"experts", "Lim"}
    repo.merge_forecasters(Merge(source=loose.id, target=experts.id, reason="same"))
    assert repo.forecasters_quoting(source=source.id) == {experts.name, "Lim"}
    assert repo.forecasters_quoting(source=other.id) == {"Hong"}
