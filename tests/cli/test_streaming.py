"""Long lists print as they are read: ``question list`` reads its questions a batch at a time
and writes each as soon as it is read, in exactly the text a whole-list printing gives; a
reader that stops reading (``| head``) ends it quietly."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import render
from db import reads
from db.repository import Repository
from db.seed import seed
from forecasts.drafts import Withdraw
from forecasts.errors import ForecastsError
from forecasts.models import QuestionKind, QuestionStatus
from tests.conftest import add_forecaster, add_question, add_source, annul, log, resolve

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
    """The lines read from the rows alone print what the domain's questions say: status
    (with the outcome), close date, forecast count and title."""
    repository = Repository.open(f"sqlite:///{seeded}", clock=lambda: NOW)
    summaries = repository.list_questions()
    listed = list(repository.iter_listed())
    lines = list(render.questions_lines(listed))
    headers = ["ID", "STATUS", "CLOSES", "FORECASTS", "TITLE"]
    whole = render.table(headers, _cells(summaries), right=(0, 3))
    assert "\n".join(lines) == whole
    assert any(line.split("  ")[1].startswith("resolved: ") for line in lines)
    wide = dataclasses.replace(listed[0], id=10**12)
    lines = list(render.questions_lines([listed[1]] * 1000 + [wide]))
    assert len(lines) == 1002
    assert {len(line.split("  ")[0]) for line in lines[:1001]} == {2}  # "ID" and one digit
    assert lines[-1].startswith(str(10**12) + "  ")
    assert list(render.questions_lines([])) == [render.NO_QUESTIONS]


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
        {"status": QuestionStatus.CLOSED},
        {"status": QuestionStatus.ANNULLED},
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
        listed = list(reads.iter_listed(connection, now=NOW, **query))
        for batch in (1, 3, 1000):
            assert list(reads.iter_listed(connection, now=NOW, batch=batch, **query)) == listed
    finally:
        connection.close()
    expected = Repository.open(f"sqlite:///{seeded}", clock=lambda: NOW).list_questions(**query)
    assert whole == expected
    assert [(q.id, q.status, q.outcome, q.close_at, q.forecasts, q.title) for q in listed] == [
        (
            s.question.id,
            s.question.status(NOW),
            s.question.resolution.outcome if s.question.resolution else None,
            s.question.close_at,
            s.forecasts,
            s.question.title,
        )
        for s in whole
    ]
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


def _both_ways(repository: Repository, **query) -> tuple[list, list]:
    """``question list --json``'s items as SQLite writes them, and as the domain's
    questions, read whole, give them."""
    now = repository.clock()
    written = [orjson.loads(item) for item in repository.iter_question_json(**query)]
    whole = [render.summary_json(s, now) for s in repository.iter_questions(**query)]
    return written, whole


def test_the_json_sqlite_writes_is_the_json_of_the_questions_read_whole(tmp_path: Path) -> None:
    """Every kind of question and state: keys or none, multiple choice with and without
    narratives, tags, a resolve-by date, moments to the microsecond, resolved (with a source
    and evidence), re-resolved, annulled, withdrawn, closed and open; text that JSON must
    escape. Compared under every filter, and as the printed text."""
    repository = Repository.open(f"sqlite:///{tmp_path / 'kinds.db'}", clock=lambda: NOW)
    source = add_source(
        repository, title="Report", outlet="Outlet", url="https://example.org/r",
        published_on=date(2025, 1, 2), text="Kim went.",
    )  # fmt: skip
    close = datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    made = [
        add_question(
            repository, title='Quotes " and \\ back\\slash, tab\tand “curly” ✓?',
            criteria="Yes if\nso.", description="DEL \x7f, line sep \u2028, RLO \u202e.",
            close_at=close, key="tricky", tags=["b-tag", "a-tag"],
            resolve_by=datetime(2025, 4, 1, tzinfo=UTC),
            created_at=datetime(2025, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        ),
        add_question(
            repository, title="Where?", criteria="As reported.", close_at=close,
            kind=QuestionKind.MULTIPLE_CHOICE, options=["Russia", "China", "Elsewhere"],
            narratives=["A visit.", "", "Neither."], tags=["russia"],
        ),
        add_question(
            repository, title="Which?", criteria="As reported.", close_at=close,
            kind=QuestionKind.MULTIPLE_CHOICE, options=["A", "B"],
        ),
        add_question(repository, title="Annulled?", criteria="Yes if so.", close_at=close),
        add_question(repository, title="Withdrawn?", criteria="Yes if so.", close_at=close),
        add_question(repository, title="Closed?", criteria="Yes if so.", close_at=close),
        add_question(
            repository, title="Open?", criteria="Yes if so.",
            close_at=datetime(2027, 1, 1, tzinfo=UTC),
        ),
    ]  # fmt: skip
    add_forecaster(repository, name="Ann")
    log(repository, question=made[0].id, forecaster="Ann", probability=0.25, made_at=close)
    log(repository, question=made[0].id, forecaster="Ann", probability=0.5, made_at=close)
    resolve(
        repository, question=made[0].id, outcome="yes", source=source.id,
        evidence="Seen: “there” \u2029 end.",
        resolved_at=datetime(2025, 3, 2, 1, 2, 3, 4, tzinfo=UTC),
    )  # fmt: skip
    resolve(repository, question=made[1].id, outcome="Russia", resolved_at=close)
    resolve(repository, question=made[1].id, outcome="China", resolved_at=close, retroactive=True)
    resolve(repository, question=made[3].id, outcome="no", resolved_at=close)
    annul(repository, question=made[3].id, resolved_at=close)
    repository.withdraw(Withdraw(question_id=made[4].id, reason="asked twice"))
    queries = [{}, {"withdrawn": True}, {"tag": "russia"}, *({"status": s} for s in QuestionStatus)]
    for query in queries:
        written, whole = _both_ways(repository, **query)
        assert written == whole, query
        assert render.to_json(written) == render.to_json(whole)
    everything = _both_ways(repository)[0] + _both_ways(repository, withdrawn=True)[0]
    assert {item["status"] for item in everything} == {s.value for s in QuestionStatus}
    assert any(item["narratives"] for item in everything)
    assert any(item["resolution"] and item["resolution"]["source_id"] for item in everything)


@given(
    title=st.text(min_size=1, max_size=40),
    criteria=st.text(min_size=1, max_size=40),
    evidence=st.text(max_size=40),
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_written_as_the_domain_writes_it(
    shared_repository: Repository, title: str, criteria: str, evidence: str
) -> None:
    try:
        question = add_question(
            shared_repository, title=title, criteria=criteria,
            close_at=datetime(2025, 3, 1, tzinfo=UTC),
        )  # fmt: skip
        resolve(shared_repository, question=question.id, outcome="yes", evidence=evidence)
    except ForecastsError:
        return  # refused as typed: nothing to list
    written, whole = _both_ways(shared_repository)
    assert written == whole
    assert render.to_json(written) == render.to_json(whole)


@pytest.fixture(scope="module")
def shared_repository(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    path = tmp_path_factory.mktemp("text") / "text.db"
    return Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
