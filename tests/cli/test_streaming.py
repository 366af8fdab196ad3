"""Long lists print as they are read: ``question list`` reads its questions a batch at a time
and writes each as soon as it is read, in exactly the text a whole-list printing gives; a
reader that stops reading (``| head``) ends it quietly."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli import render
from db import reads
from db.repository import Repository
from db.seed import seed
from forecasts.models import QuestionStatus

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "seed.db"
    seed(Repository.open(f"sqlite:///{path}", clock=lambda: NOW))
    return path


@pytest.mark.parametrize(
    "items",
    [
        [],
        [1],
        [{"a": [1, {"b": "line\nbreak"}], "c": None}],
        [{"t": "Kim’s “visit”"}, [], {}, "x", {"n": [0.1, 2e-300]}],
    ],
)
def test_a_json_array_written_item_by_item_is_the_whole_document(items: list) -> None:
    assert "\n".join(render.json_array(iter(items))) == render.to_json(items)
    assert json.loads("\n".join(render.json_array(iter(items)))) == items


def test_the_table_is_the_whole_table_and_widens_only_after_the_first_thousand_rows(
    seeded: Path,
) -> None:
    repository = Repository.open(f"sqlite:///{seeded}", clock=lambda: NOW)
    summaries = repository.list_questions()
    lines = list(render.questions_lines(summaries, NOW))
    headers = ["ID", "STATUS", "CLOSES", "FORECASTS", "TITLE"]
    whole = render.table(headers, _cells(summaries), right=(0, 3))
    assert "\n".join(lines) == whole
    wide = summaries[0].question.model_copy(update={"id": 10**12})
    many = [summaries[1]] * 1000 + [summaries[0].model_copy(update={"question": wide})]
    lines = list(render.questions_lines(many, NOW))
    assert len(lines) == 1002
    assert {len(line.split("  ")[0]) for line in lines[:1001]} == {2}  # "ID" and one digit
    assert lines[-1].startswith(str(10**12) + "  ")
    assert list(render.questions_lines([], NOW)) == [render.NO_QUESTIONS]


def _cells(summaries) -> list[list[str]]:
    return [
        [
            str(s.question.id),
            render.status_label(s.question, NOW),
            s.question.close_at.strftime("%Y-%m-%d"),
            str(s.forecasts),
            render.one_line(s.question.title, 70),
        ]
        for s in summaries
    ]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": QuestionStatus.RESOLVED},
        {"status": QuestionStatus.OPEN},
        {"tag": "Russia"},
        {"withdrawn": True},
    ],
)
def test_batches_of_any_size_list_the_same_questions_in_the_same_order(
    seeded: Path, query: dict
) -> None:
    connection = sqlite3.connect(seeded)
    try:
        whole = reads.list_questions(connection, now=NOW, **query)
        for batch in (1, 2, 3, 7, 1000):
            assert reads.list_questions(connection, now=NOW, batch=batch, **query) == whole
    finally:
        connection.close()
    expected = Repository.open(f"sqlite:///{seeded}", clock=lambda: NOW).list_questions(**query)
    assert whole == expected
    closes = [(s.question.close_at, s.question.id) for s in whole]
    assert closes == sorted(closes)


def test_a_reader_that_stops_reading_ends_the_list_quietly(tmp_path: Path) -> None:
    """Two thousand questions print far more than a pipe holds, so the list is still being
    written when ``head`` stops reading."""
    db = tmp_path / "many.db"
    forecasts = [sys.executable, "-m", "cli", "--db", str(db)]
    made = ["demo", "generate", "--questions", "2000", "--forecasters", "5", "--forecasts", "10"]
    subprocess.run([*forecasts, *made], cwd=ROOT, capture_output=True, check=True)
    command = " ".join([*forecasts, "question", "list", "--json"]) + " | head -n 2"
    done = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.splitlines() == ["[", "  {"]
    assert done.stderr == ""
    script = f"set -o pipefail; {command}"
    assert subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True).returncode == 0
