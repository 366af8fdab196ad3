"""Conditional questions from the command line: "if A resolves yes, will B?" is scored only
when A resolves yes and annulled when A resolves no (down a chain of conditions too); the
question page shows P(A and B) = P(A) x P(B | A) and warns when a direct forecast of both
disagrees by more than 0.05; every mistake is one line with nothing written; and conditions
go out and back in with export and import."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
"""Forecasts dated yesterday (not backdated, by the rule) stand well before a resolution now,
whose moment the scores read to the second."""


def scored(run) -> dict[str, int]:
    """How many questions each forecaster is scored on."""
    board = json.loads(run("score", "--json", "--min-questions", "1", "--no-consensus").stdout)
    return {row["name"]: row["questions"] for row in board["rows"]}


def questions(run, *extra: str) -> None:
    """A: will they meet?; B: if they meet, will they sign?; C: will they meet and sign?"""
    for title in ("Will they meet?", "If they meet, will they sign?", "Will they meet and sign?"):
        args = ("--if", "1") if title.startswith("If") else ()
        run("question", "add", title, "--criteria", "As reported.", "--close", "2030-01-01",
            *args, *extra)  # fmt: skip


def test_a_conditional_is_scored_only_when_its_condition_resolves_yes(run) -> None:
    questions(run)
    run("forecast", "add", "1", "0.6", "--forecaster", "Ana", "--create", "--at", YESTERDAY)
    run("forecast", "add", "2", "0.8", "--forecaster", "Ana", "--at", YESTERDAY)
    # B cannot be resolved while A is open: it is scored only once A resolves yes
    said = run("resolve", "2", "yes", code=2).stderr
    assert said == (
        "forecasts: error: question: 2 is conditional on question 1 resolving yes, which is "
        "open; it can be resolved only once that resolves yes\n"
    )
    run("resolve", "1", "yes")
    run("resolve", "2", "yes")
    shown = json.loads(run("question", "show", "2", "--json").stdout)
    assert shown["status"] == "resolved" and shown["condition"]["state"] == "met"
    assert scored(run) == {"Ana": 2}
    # a correction of A to no annuls B, and B's score goes with it
    args = ("resolve", "1", "no", "--evidence", "They did not meet after all.", "--json")
    assert json.loads(run(*args).stdout)["annulled_conditionals"] == [2]
    shown = json.loads(run("question", "show", "2", "--json").stdout)
    assert shown["status"] == "annulled" and shown["condition"]["state"] == "not met"
    assert shown["resolutions"][-1]["evidence"] == "Its condition, question 1, resolved no."
    assert scored(run) == {"Ana": 1}


def test_no_annuls_the_conditional_and_the_ones_conditional_on_it(run) -> None:
    questions(run)
    run("question", "add", "If they sign, will it be ratified?", "--criteria", "As reported.",
        "--close", "2030-01-01", "--if", "2")  # fmt: skip
    run("forecast", "add", "2", "0.7", "--forecaster", "Ana", "--create")
    said = run("resolve", "1", "no").stdout
    assert said.endswith("Annulled with it, as conditional on it: question 2\n")
    for ident in ("2", "4"):
        shown = json.loads(run("question", "show", ident, "--json").stdout)
        assert shown["status"] == "annulled", ident
    assert json.loads(run("question", "show", "3", "--json").stdout)["status"] == "open"
    text = run("question", "show", "2").stdout
    assert "Condition: if #1 Will they meet? resolves yes" in text
    assert "question 1 resolved no: annulled" in text
    assert (
        "Conditional on this one: #2 If they meet, will they sign?"
        in run("question", "show", "1").stdout
    )
    assert scored(run) == {}
    # a question made conditional on one that resolved no is annulled at once
    run("question", "add", "Late?", "--criteria", "As reported.", "--close", "2030-01-01",
        "--if", "1")  # fmt: skip
    assert json.loads(run("question", "show", "5", "--json").stdout)["status"] == "annulled"


@pytest.mark.parametrize(
    ("direct", "gap"),
    [("0.4", 0.10000000000000003), ("0.32", None), ("0.25", None), ("0.24", 0.06)],
)
def test_the_joint_probability_and_the_coherence_warning(run, direct, gap) -> None:
    questions(run)
    run("question", "condition", "2", "--if", "1", "--joint", "3", "--reason", "Both asked.")
    run("forecast", "add", "1", "0.6", "--forecaster", "Ana", "--create")
    run("forecast", "add", "2", "0.5", "--forecaster", "Ana")
    run("forecast", "add", "3", direct, "--forecaster", "Ana")
    run("forecast", "add", "1", "0.9", "--forecaster", "Bo", "--create")
    run("forecast", "add", "2", "0.1", "--forecaster", "Bo")
    condition = json.loads(run("question", "show", "2", "--json").stdout)["condition"]
    assert condition["joint"]["id"] == 3 and condition["tolerance"] == 0.05
    ana, bo = condition["coherence"]
    # by hand: 0.6 x 0.5 = 0.3, against the direct forecast; Bo made none of "both"
    assert (ana["forecaster"], ana["p_a"], ana["p_b_given_a"]) == ("Ana", 0.6, 0.5)
    assert ana["p_a_and_b"] == pytest.approx(0.3, abs=1e-15)
    assert ana["direct"] == float(direct)
    assert ana["gap"] == (pytest.approx(gap, abs=1e-12) if gap is not None else None)
    assert (bo["p_a_and_b"], bo["direct"], bo["gap"]) == (pytest.approx(0.09), None, None)
    text = run("question", "show", "2").stdout
    assert "Ana: 60% x 50% = 30%" in text and "Bo: 90% x 10% = 9%" in text
    assert ("! incoherent" in text) is (gap is not None)
    history = json.loads(run("history", "2", "--json").stdout)
    edited = [entry for entry in history if entry["kind"] == "edited"]
    assert edited[-1]["detail"] == {
        "before": {"condition_id": 1, "joint_id": None},
        "after": {"condition_id": 1, "joint_id": 3},
    }
    assert edited[-1]["reason"] == "Both asked."


def test_condition_mistakes_are_one_line_and_write_nothing(run) -> None:
    questions(run)
    run("question", "add", "Where?", "--criteria", "As reported.", "--close", "2030-01-01",
        "--kind", "multiple_choice", "--option", "Here", "--option", "There")  # fmt: skip
    before = run("export").stdout
    for args, words in [
        (("question", "condition", "2", "--if", "2"),
         "if: 2 would make a question conditional on itself (#2 if #2)"),
        (("question", "condition", "1", "--if", "2"),
         "if: 2 would make a question conditional on itself (#1 if #2 if #1)"),
        (("question", "condition", "3", "--if", "4"), "if: 4 is not a yes-or-no question"),
        (("question", "condition", "4", "--if", "1"), "kind: 'multiple_choice' cannot be"),
        (("question", "condition", "3", "--if", "1", "--joint", "1"), "joint: 1 must ask both"),
        (("question", "condition", "3", "--if", "1", "--joint", "4"),
         "joint: 4 is not a yes-or-no question"),
        (("question", "condition", "3", "--if", "99"), "question"),
        (("question", "add", "X?", "--criteria", "c", "--close", "2030-01-01", "--joint", "3"),
         "joint: '3' needs --if"),
        (("question", "add", "X?", "--criteria", "c", "--close", "2030-01-01", "--kind",
          "multiple_choice", "--option", "a", "--option", "b", "--if", "1"),
         "cannot be conditional"),
        (("resolve", "2", "no"), "question: 2 is conditional on question 1 resolving yes"),
    ]:  # fmt: skip
        said = run(*args, code=2).stderr.strip().splitlines()
        assert len(said) == 1 and words in said[0], (args, said)
    assert run("export").stdout == before


def test_conditions_travel_through_export_and_import(run, tmp_path: Path) -> None:
    questions(run)
    run("question", "condition", "2", "--if", "1", "--joint", "3")
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    run("import", str(out), db="copy.db")
    copied = json.loads(run("question", "show", "2", "--json", db="copy.db").stdout)
    assert (copied["condition"]["if"]["id"], copied["condition"]["joint"]["id"]) == (1, 3)
    assert run("export", db="copy.db").stdout == out.read_text(encoding="utf-8")
    # a file whose conditions loop is refused whole
    record = json.loads(out.read_text(encoding="utf-8"))
    record["questions"][0]["condition_id"] = 2
    out.write_text(json.dumps(record), encoding="utf-8")
    said = run("import", str(out), db="third.db", code=2).stderr
    # the second link of the loop is the one refused
    assert "questions[1].condition_id: 1 makes a question conditional on itself" in said
    assert json.loads(run("export", db="third.db").stdout)["questions"] == []


def test_a_conditional_resolved_in_an_imported_record_waits_for_its_condition(
    run, tmp_path: Path
) -> None:
    """Another record may hold B resolved while A is open: B is kept, and not scored."""
    questions(run)
    run("forecast", "add", "2", "0.8", "--forecaster", "Ana", "--create")
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    record = json.loads(out.read_text(encoding="utf-8"))
    forecast = record["forecasts"][0]
    record["questions"][1]["resolutions"] = [
        {"outcome": "yes", "resolved_at": forecast["recorded_at"], "resolved_by": "elsewhere"}
    ]
    out.write_text(json.dumps(record), encoding="utf-8")
    run("import", str(out), db="other.db")
    shown = json.loads(run("question", "show", "2", "--json", db="other.db").stdout)
    assert shown["status"] == "resolved" and shown["condition"]["state"] == "waiting"
    board = json.loads(run("score", "--json", "--min-questions", "1", db="other.db").stdout)
    assert board["rows"] == []


def test_making_a_question_conditional_later_is_in_its_history(run) -> None:
    questions(run)  # question 3 is asked plainly at first
    run("question", "condition", "3", "--if", "1", "--reason", "Only if they meet.")
    (edited,) = [
        e for e in json.loads(run("history", "3", "--json").stdout) if e["kind"] == "edited"
    ]
    assert edited["reason"] == "Only if they meet."
    assert edited["detail"] == {
        "before": {"condition_id": None, "joint_id": None},
        "after": {"condition_id": 1, "joint_id": None},
    }
    # asked with --if from the start, question 2 has no edit to show
    assert [
        e for e in json.loads(run("history", "2", "--json").stdout) if e["kind"] == "edited"
    ] == []
