"""Scenario sets from the command line: the seed corpus's meeting-place question told as
scenarios, narratives told and taken back with their history, kept through option edits,
export and import; and every mistake refused in one line."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MEETING = "next-kim-putin-meeting-place-2025"


def seed_entry() -> dict:
    questions = tomllib.loads((SEEDS / "questions.toml").read_text(encoding="utf-8"))["question"]
    return next(q for q in questions if q["key"] == MEETING)


def test_the_seed_meeting_place_question_is_a_scenario_set(run) -> None:
    run("seed")
    shown = json.loads(run("scenario", "show", MEETING, "--json").stdout)
    entry = seed_entry()
    assert [s["label"] for s in shown["scenarios"]] == entry["options"]
    assert [s["narrative"] for s in shown["scenarios"]] == [
        " ".join(story.split()) for story in entry["narratives"]
    ]
    (doo,) = shown["standing"]
    assert doo["forecaster"]["name"] == "Doo Jin-ho"
    # one standing forecast: the median is that forecast
    assert [s["median"] for s in shown["scenarios"]] == doo["probabilities"]
    text = run("scenario", "show", MEETING).stdout
    assert "Kim skips the Victory Day crowd" in text and "Median of 1 standing forecast" in text


def test_a_narrative_is_told_kept_in_history_and_taken_back(run) -> None:
    run("seed")
    said = run("scenario", "narrate", MEETING, "Elsewhere", "A summit in Vladivostok.").stdout
    assert said.startswith("Question 6: narratives now told for 5 of 5")
    question = json.loads(run("question", "show", MEETING, "--json").stdout)
    assert question["narratives"][3] == "A summit in Vladivostok."
    history = json.loads(run("history", MEETING, "--json").stdout)
    edited = [entry for entry in history if entry["kind"] == "edited"]
    assert edited[-1]["reason"] == "Told the narrative of Elsewhere."
    assert edited[-1]["detail"]["before"]["narratives"][3] != "A summit in Vladivostok."
    assert edited[-1]["detail"]["after"]["narratives"][3] == "A summit in Vladivostok."
    run("scenario", "narrate", MEETING, "4", "", "--reason", "Too speculative.")
    question = json.loads(run("question", "show", MEETING, "--json").stdout)
    assert question["narratives"][3] == ""


def test_narratives_follow_their_options_through_an_edit_and_the_record(run, tmp_path) -> None:
    run("question", "add", "Which?", "--criteria", "As reported.", "--close", "2030-01-01",
        "--kind", "multiple_choice", "--option", "A", "--option", "B", "--option", "C",
        "--narrative", "story a", "--narrative", "", "--narrative", "story c")  # fmt: skip
    run("question", "edit", "1", "--option", "C", "--option", "A", "--option", "D",
        "--reason", "Reordered.")  # fmt: skip
    question = json.loads(run("question", "show", "1", "--json").stdout)
    assert (question["options"], question["narratives"]) == (
        ["C", "A", "D"],
        ["story c", "story a", ""],
    )
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    (record,) = json.loads(out.read_text(encoding="utf-8"))["questions"]
    assert record["narratives"] == ["story c", "story a", ""]
    run("import", str(out), db="copy.db")
    copied = json.loads(run("question", "show", "1", "--json", db="copy.db").stdout)
    assert copied["narratives"] == ["story c", "story a", ""]


def test_mistakes_are_one_line_and_write_nothing(run) -> None:
    run("seed")
    before = run("export").stdout
    for args, words in [
        (("scenario", "narrate", "1", "1", "x"), "question: 1 is a yes-or-no question"),
        (("scenario", "narrate", MEETING, "9", "x"), "option: '9' is not an option"),
        (("scenario", "show", "1"), "is a yes-or-no question, not a set of scenarios"),
        (
            ("scenario", "narrate", MEETING, "2", seed_entry()["narratives"][1]),
            "is what the option tells already",
        ),
        (
            (
                "question",
                "add",
                "W?",
                "--criteria",
                "c",
                "--close",
                "2030-01-01",
                "--kind",
                "multiple_choice",
                "--option",
                "A",
                "--option",
                "B",
                "--narrative",
                "one",
            ),
            "narratives: 1 must be one per option (2)",
        ),
        (
            (
                "question",
                "add",
                "Y?",
                "--criteria",
                "c",
                "--close",
                "2030-01-01",
                "--narrative",
                "one",
            ),
            "narratives: 1 given for a binary question",
        ),
    ]:
        said = run(*args, code=2).stderr.strip().splitlines()
        assert len(said) == 1 and words in said[0], (args, said)
    assert run("export").stdout == before
