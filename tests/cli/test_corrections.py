"""Correcting mistakes without losing history, through the command line: question edits kept
as revisions, retractions, withdrawals, renames and merges, each in the history with who
recorded it; scores before and after a retraction and a merge worked out by hand; and no
row of the forecast, resolution or event tables ever rewritten by any command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()
APPEND_ONLY = ("forecast", "forecast_probability", "resolution", "event")


def cli(db: Path, *args: str, code: int = 0):
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        found = {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in APPEND_ONLY
        }
    connection.close()
    return found


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two resolved questions, both yes; A says 90% on both, B 60% on both, C 50% on the
    first; "a" is a second name for A, with one forecast of 80% on the second question."""
    path = tmp_path / "c.db"
    for index in (1, 2):
        cli(
            path, "question", "add", f"Question {index}", "--criteria", "c", "--close", "2025-05-01"
        )
    for name in ("A", "B", "C", "a."):
        cli(path, "forecaster", "add", name)
    at = ("--at", "2025-04-01")
    for name, p, questions in (("A", "90%", "12"), ("B", "60%", "12"), ("C", "50%", "1")):
        for question in questions:
            cli(path, "forecast", "add", question, p, "-f", name, *at)
    cli(path, "forecast", "add", "2", "80%", "-f", "a.", *at)
    for question in ("1", "2"):
        cli(path, "resolve", question, "yes", "--at", "2025-05-01")
    return path


def board(db: Path) -> dict[str, dict]:
    shown = json.loads(
        cli(
            db, "score", "--json", "--include-backdated", "--min-questions", "1", "--no-consensus"
        ).stdout
    )
    return {row["name"]: row for row in shown["rows"]}


def test_scores_after_a_retraction_and_a_merge(db: Path) -> None:
    before = board(db)  # question scores 2(1 - p)^2: A 0.02, B 0.32, C 0.5, "a." 0.08
    assert before["A"]["brier"] == pytest.approx(0.02)
    assert before["a."]["brier"] == pytest.approx(0.08)
    assert before["C"]["brier"] == pytest.approx(0.5)
    c_forecast = json.loads(cli(db, "forecast", "list", "-f", "C", "--json").stdout)[0]["id"]
    cli(db, "forecast", "retract", str(c_forecast), "--reason", "logged on the wrong question")
    after = board(db)
    assert "C" not in after  # C's only forecast is out of scores
    # question 1's median is now of A and B alone: (0.02 + 0.32) / 2 = 0.17
    assert after["A"]["relative_brier"] == pytest.approx(((0.02 - 0.17) + (0.02 - 0.08)) / 2)
    cli(db, "forecaster", "merge", "a.", "A", "--reason", "the same person")
    merged = board(db)
    assert "a." not in merged
    # A's forecast on question 2 is now "a."'s later 80%: (0.02 + 0.08) / 2
    assert merged["A"]["brier"] == pytest.approx((0.02 + 0.08) / 2)
    assert merged["A"]["questions"] == 2


def test_edits_are_kept_as_revisions_and_marked_after_forecasts(db: Path) -> None:
    cli(db, "question", "edit", "1", "--criteria", "Yes if it happens.", "--reason", "clearer")
    shown = json.loads(cli(db, "question", "show", "1", "--json").stdout)
    assert shown["criteria"] == "Yes if it happens."
    (revision,) = shown["revisions"]
    assert revision["detail"]["before"] == {"criteria": "c"}
    assert revision["detail"]["after"] == {"criteria": "Yes if it happens."}
    assert revision["detail"]["forecasts"] == 3  # the criteria moved under 3 forecasts
    assert revision["reason"] == "clearer" and revision["recorded_by"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("question", "edit", "1", "--reason", "x"), "edit: 1 changes nothing"),
        (("question", "edit", "1", "--title", "T", "--reason", " "), "reason: ' ' must say why"),
        (("question", "edit", "1", "--title", " ", "--reason", "x"), "title: ' ' must not be"),
        (
            ("question", "edit", "1", "--close", "2025-03-01", "--reason", "x"),
            "close_at: '2025-03-01T23:59:59+00:00' is before 3 forecasts",
        ),
        (("forecaster", "merge", "A", "nobody"), "forecaster: no forecaster matches 'nobody'"),
        (("forecaster", "merge", "A", "A"), "target: 'A' is the same forecaster"),
        (("forecaster", "rename", "A", "b"), "name: 'b' is already a forecaster"),
        (("forecast", "retract", "99", "--reason", "x"), "forecast: no forecast matches 99"),
        (("question", "restore", "1"), "question: 1 is not withdrawn already"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(db: Path, args, said: str) -> None:
    before = rows(db)
    refused = cli(db, *args, code=2)
    assert said in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert rows(db) == before


def test_options_cannot_change_once_forecast(tmp_path: Path) -> None:
    path = tmp_path / "mc.db"
    options = ("--option", "Russia", "--option", "China")
    cli(path, "question", "add", "Where?", "--criteria", "c", "--close", "2030-01-01",
        "--kind", "multiple_choice", *options)  # fmt: skip
    cli(path, "question", "edit", "1", "--option", "Russia", "--option", "Beijing",
        "--reason", "typo")  # fmt: skip
    cli(path, "forecast", "add", "1", "Russia=30%,Beijing=70%")
    refused = cli(path, "question", "edit", "1", "--option", "A", "--option", "B",
                  "--reason", "x", code=2)  # fmt: skip
    assert "options: 'A, B' cannot change: the question has 1 forecasts" in refused.stderr


def test_retracting_lets_the_previous_forecast_stand_and_twice_is_refused(db: Path) -> None:
    cli(db, "forecast", "add", "1", "99%", "-f", "A", "--at", "2025-04-02")
    latest = json.loads(cli(db, "forecast", "list", "-f", "A", "-q", "1", "--json").stdout)[0]
    assert latest["probability"] == 0.99
    cli(db, "forecast", "retract", str(latest["id"]), "--reason", "meant 9%")
    again = cli(db, "forecast", "retract", str(latest["id"]), "--reason", "x", code=2)
    assert "is already retracted (meant 9%)" in again.stderr
    shown = json.loads(cli(db, "question", "show", "1", "--json").stdout)
    mine = [f for f in shown["forecasts"] if f["forecaster"]["name"] == "A"]
    assert [f["retracted"] is not None for f in mine] == [False, True]
    assert [f["superseded"] for f in mine] == [False, False]  # the 90% stands again
    assert "(RETRACTED: meant 9%)" in cli(db, "question", "show", "1").stdout


def test_withdrawn_questions_leave_lists_and_scores_and_come_back(db: Path) -> None:
    cli(db, "question", "withdraw", "2", "--reason", "a duplicate")
    listed = json.loads(cli(db, "question", "list", "--json").stdout)
    assert [q["id"] for q in listed] == [1]
    hidden = json.loads(cli(db, "question", "list", "--withdrawn", "--json").stdout)
    assert [(q["id"], q["withdrawn"]) for q in hidden] == [(2, True)]
    assert board(db)["A"]["questions"] == 1
    cli(db, "question", "restore", "2", "--reason", "not a duplicate after all")
    assert board(db)["A"]["questions"] == 2


def test_history_lists_every_event_with_who_and_when(db: Path) -> None:
    cli(db, "question", "edit", "1", "--title", "Question one", "--reason", "clearer")
    forecast = json.loads(cli(db, "forecast", "list", "-q", "1", "--json").stdout)[0]["id"]
    cli(db, "forecast", "retract", str(forecast), "--reason", "wrong question")
    cli(db, "resolve", "1", "no", "--at", "2025-05-01")
    cli(db, "annul", "1", "--evidence", "ambiguous")
    cli(db, "question", "withdraw", "1", "--reason", "test")
    entries = json.loads(cli(db, "history", "1", "--json").stdout)
    kinds = [entry["kind"] for entry in entries]
    assert kinds[0] == "created"
    assert kinds.count("forecast") == 3
    for kind in ("edited", "retracted", "resolved", "re-resolved", "annulled", "withdrawn"):
        assert kind in kinds
    assert kinds.index("resolved") < kinds.index("re-resolved") < kinds.index("annulled")
    assert all(entry["recorded_by"] for entry in entries)
    assert "wrong question" in cli(db, "history", "1").stdout


def test_no_command_rewrites_a_row_of_the_record(db: Path) -> None:
    """Each command may only add rows to the forecast, resolution and event tables."""
    commands = [
        ("question", "edit", "1", "--title", "Q1", "--reason", "r"),
        ("forecast", "add", "1", "70%", "-f", "B", "--at", "2025-04-03"),
        ("forecast", "retract", "1", "--reason", "r"),
        ("resolve", "1", "no", "--at", "2025-05-01"),
        ("annul", "2"),
        ("question", "withdraw", "2", "--reason", "r"),
        ("question", "restore", "2"),
        ("forecaster", "rename", "B", "Bee"),
        ("forecaster", "merge", "Bee", "C"),
        ("seed",),
    ]
    for command in commands:
        before = rows(db)
        cli(db, *command)
        after = rows(db)
        for table in APPEND_ONLY:
            assert after[table][: len(before[table])] == before[table], (command, table)
