"""How the repository scales: listing questions and logging a forecast on a database with
10,000 questions and 100,000 forecasts. Run with ``make bench``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import insert

from db.repository import Repository
from db.tables import ForecasterRow, ForecastRow, QuestionRow, QuestionTagRow
from forecasts.models import name_key
from tests.conftest import log

QUESTIONS = 10_000
FORECASTS = 100_000
FORECASTERS = 200
START = datetime(2024, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    path: Path = tmp_path_factory.mktemp("bench") / "big.db"
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: datetime(2025, 6, 1, tzinfo=UTC))
    rng = np.random.default_rng(7)
    closes = START + np.array([timedelta(days=int(d)) for d in rng.integers(30, 700, QUESTIONS)])
    with repo.engine.begin() as connection:
        connection.execute(
            insert(QuestionRow),
            [
                {
                    "id": i + 1,
                    "title": f"Question {i + 1}",
                    "criteria": "Resolves by rule.",
                    "kind": "binary",
                    "created_at": START,
                    "close_at": closes[i],
                    "description": "",
                }
                for i in range(QUESTIONS)
            ],
        )
        connection.execute(
            insert(QuestionTagRow),
            [{"question_id": i + 1, "tag": f"tag{i % 20}"} for i in range(QUESTIONS)],
        )
        connection.execute(
            insert(ForecasterRow),
            [
                {
                    "id": i + 1,
                    "name": f"F{i + 1}",
                    "name_key": name_key(f"F{i + 1}"),
                    "kind": "person",
                    "affiliation": "",
                }
                for i in range(FORECASTERS)
            ],
        )
        questions = rng.integers(1, QUESTIONS + 1, FORECASTS)
        who = rng.integers(1, FORECASTERS + 1, FORECASTS)
        p = rng.random(FORECASTS)
        connection.execute(
            insert(ForecastRow),
            [
                {
                    "question_id": int(questions[i]),
                    "forecaster_id": int(who[i]),
                    "made_at": START,
                    "made_at_precision": "day",
                    "probability": float(p[i]),
                    "inferred": False,
                    "rationale": "",
                    "recorded_at": START,
                }
                for i in range(FORECASTS)
            ],
        )
    return repo


def test_bench_list_questions(benchmark, big_repo: Repository) -> None:
    summaries = benchmark(big_repo.list_questions)
    assert len(summaries) == QUESTIONS
    assert sum(s.forecasts for s in summaries) == FORECASTS


def test_bench_list_questions_by_tag(benchmark, big_repo: Repository) -> None:
    summaries = benchmark(big_repo.list_questions, tag="tag3")
    assert len(summaries) == QUESTIONS // 20


def test_bench_log_forecast(benchmark, big_repo: Repository) -> None:
    question = big_repo.list_questions(status="open")[0].question
    forecast = benchmark(
        log,
        big_repo,
        question=question.id,
        forecaster="F1",
        probability=0.3,
        made_at=datetime(2025, 5, 1, tzinfo=UTC),
    )
    assert forecast.id is not None
