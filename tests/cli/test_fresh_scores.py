"""Scores are never served stale (they are kept between commands, cli/score_cache.py): after
a forecast, a resolution, a retraction and an edit, each written by another connection, the
next ``forecasts score`` shows the change. Every expected Brier score is worked out by hand
here (binary Brier 0..2: 2 (p - o)^2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from db.repository import Repository
from forecasts.drafts import QuestionEdit, Retract
from tests.conftest import add_question, log, resolve

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
runner = CliRunner()


def board(db: Path, *args: str) -> dict[str, float]:
    result = runner.invoke(
        app, ["--db", str(db), "score", "--json", "--min-questions", "1", "--no-consensus", *args]
    )
    assert result.exit_code == 0, result.stderr
    return {row["name"]: row["brier"] for row in json.loads(result.stdout)["rows"]}


@pytest.fixture
def record(tmp_path: Path):
    db = tmp_path / "fresh.db"
    clock = [T0]
    repository = Repository.open(f"sqlite:///{db}", clock=lambda: clock[0])
    for title in ("Baseline?", "Moving?"):
        add_question(
            repository, title=title, criteria="Yes if so.", close_at=T0 + 10 * DAY, tags=["alpha"]
        )
    log(
        repository,
        question=1,
        probability=0.8,
        made_at=T0,
        forecaster="Ann",
        new_forecaster_kind="person",
    )
    clock[0] = T0 + 10 * DAY + timedelta(hours=1)
    resolve(repository, question=1, outcome="yes", resolved_at=T0 + 10 * DAY)
    return db, repository, clock


def test_each_write_shows_in_the_next_scores(record) -> None:
    db, repository, clock = record
    assert board(db) == {"Ann": pytest.approx(2 * 0.2**2)}

    clock[0] = T0
    log(
        repository,
        question=2,
        probability=0.5,
        made_at=T0,
        forecaster="Bob",
        new_forecaster_kind="person",
    )
    clock[0] = T0 + 5 * DAY
    later = log(repository, question=2, probability=0.9, made_at=T0 + 5 * DAY, forecaster="Bob")
    assert board(db) == {"Ann": pytest.approx(0.08)}  # question 2 is not resolved yet

    clock[0] = T0 + 10 * DAY + timedelta(hours=1)
    resolve(repository, question=2, outcome="yes", resolved_at=T0 + 10 * DAY)
    # Bob: 0.5 (score 0.5) for five days, then 0.9 (score 0.02) for five
    assert board(db) == {"Ann": pytest.approx(0.08), "Bob": pytest.approx(0.26)}

    repository.retract(Retract(forecast_id=later.id, reason="entered on the wrong question"))
    assert board(db) == {"Ann": pytest.approx(0.08), "Bob": pytest.approx(0.5)}

    assert set(board(db, "--by", "tag")) == {"alpha"}  # both questions, until the edit
    question = repository.question(ref=2)
    repository.edit_question(QuestionEdit.parse(question, now=clock[0], tags="beta"))
    # by tag: question 1 (Ann 0.08) under alpha; question 2 (Bob 0.5) now under beta
    assert board(db, "--by", "tag") == {"alpha": pytest.approx(0.08), "beta": pytest.approx(0.5)}
