"""Scenario sets from the command line: the seed corpus's meeting-place question told as
scenarios, narratives told and taken back with their history, kept through option edits,
export and import; and every mistake refused in one line."""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

import pytest

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
    doo, example = shown["standing"]
    assert doo["forecaster"]["name"] == "Doo Jin-ho"
    assert example["forecaster"]["name"] == "Worked example (seed corpus)"
    # two standing forecasts: the median of each scenario is their mean, renormalised
    pairs = zip(doo["probabilities"], example["probabilities"], strict=True)
    means = [(a + b) / 2 for a, b in pairs]
    medians = [s["median"] for s in shown["scenarios"]]
    assert medians == pytest.approx([m / sum(means) for m in means], abs=1e-12)
    text = run("scenario", "show", MEETING).stdout
    assert "Kim skips the Victory Day crowd" in text and "Median of 2 standing forecasts" in text


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


def two_futures(run) -> None:
    """A set of two scenarios, an even forecast on it, and two yes-or-no questions."""
    run("question", "add", "Which future?", "--criteria", "As reported.", "--close",
        "2030-01-01", "--kind", "multiple_choice", "--option", "Thaw",
        "--option", "Freeze")  # fmt: skip
    run("forecast", "add", "1", "Thaw=50%,Freeze=50%", "--forecaster", "Ana", "--create")
    for title in ("Will the leaders meet?", "Will it rain in Seoul?"):
        run("question", "add", title, "--criteria", "As reported.", "--close", "2030-01-01")


def test_indicators_are_ranked_by_what_observing_them_would_tell(run) -> None:
    two_futures(run)
    # a meeting happens only in a thaw: one whole bit; rain is as likely either way: none
    run("scenario", "indicator", "add", "1", "2", "Thaw=almost certain, Freeze=0%",
        "--scale", "PHIA", "--by", "Ana", "--rationale", "Summits follow thaws.")  # fmt: skip
    run("scenario", "indicator", "add", "1", "3", "0.3, 0.3")
    shown = json.loads(run("scenario", "show", "1", "--json").stdout)
    assert shown["ranked_on"] == "the median of the standing forecasts"
    meet, rain = shown["indicators"]
    assert meet["question"]["id"] == 2 and rain["question"]["id"] == 3
    # PHIA's "almost certain" is 95-100%, point 97.5%; the other is 0
    assert meet["likelihoods"] == [0.975, 0.0]
    assert (meet["phrases"], meet["scale"]) == (["almost certain", ""], "PHIA")
    assert (meet["judged_by"], meet["rationale"]) == ("Ana", "Summits follow thaws.")
    assert meet["diagnosticity"] == pytest.approx(0.975, abs=1e-12)
    # by hand: P(yes) = 0.4875, after yes the set is certain (entropy 0); after no it is
    # 0.0125 / 0.5125 and 0.5 / 0.5125
    p_no = 0.5125
    after_no = [0.0125 / p_no, 0.5 / p_no]
    left = -sum(p * math.log2(p) for p in after_no)
    assert meet["information_gain"] == pytest.approx(1 - p_no * left, abs=1e-12)
    assert (rain["diagnosticity"], rain["information_gain"]) == (0.0, pytest.approx(0, abs=1e-12))
    text = run("scenario", "show", "1").stdout
    assert "Indicators, the most worth watching first" in text
    assert text.index("Will the leaders meet?") < text.index("Will it rain in Seoul?")


def test_a_resolved_indicator_drops_below_the_open_ones(run) -> None:
    two_futures(run)
    run("scenario", "indicator", "add", "1", "2", "1, 0")
    run("scenario", "indicator", "add", "1", "3", "0.6, 0.4")
    run("resolve", "2", "yes", "--at", "2026-01-01")
    first, second = json.loads(run("scenario", "show", "1", "--json").stdout)["indicators"]
    assert (first["question"]["id"], first["outcome"]) == (3, None)
    assert (second["question"]["id"], second["outcome"]) == (2, "yes")


def test_indicator_mistakes_are_one_line_and_write_nothing(run) -> None:
    two_futures(run)
    run("scenario", "indicator", "add", "1", "2", "0.9, 0.1")
    before = json.loads(run("scenario", "show", "1", "--json").stdout)["indicators"]
    for args, words in [
        (("1", "2", "0.5, 0.5"), "indicator: 2 is an indicator of question 1 already"),
        (("1", "1", "0.5, 0.5"), "indicator: 1 must be a yes-or-no question"),
        (("2", "3", "0.5"), "question: 2 is not a scenario set"),
        (("1", "3", "0.5, 1.5"), "likelihoods[Freeze]: '1.5' is not between 0 and 1"),
        (("1", "3", "Thaw=-0.1, Freeze=0.5"), "likelihoods[Thaw]"),
        (("1", "3", "0.5"), "needs one value per scenario (Thaw, Freeze)"),
        (("1", "3", "Thaw=0.5, Spring=0.5"), "likelihoods: 'Spring' is not a scenario"),
        (("1", "3", "Thaw=0.5"), "gives none for Freeze"),
        (("1", "3", "0.5, maybe-ish"), "likelihoods[Freeze]: 'maybe-ish' is not a probability"),
        (("1", "3", "0.5, 0.5", "--by", "Nobody"), "forecaster"),
        (("1", "99", "0.5, 0.5"), "question"),
    ]:
        said = run("scenario", "indicator", "add", *args, code=2).stderr.strip().splitlines()
        assert len(said) == 1 and words in said[0], (args, said)
    assert json.loads(run("scenario", "show", "1", "--json").stdout)["indicators"] == before


def test_indicators_travel_through_export_and_import(run, tmp_path) -> None:
    two_futures(run)
    run("scenario", "indicator", "add", "1", "2", "Thaw=likely, Freeze=10%", "--by", "Ana",
        "--rationale", "Summits follow thaws.")  # fmt: skip
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    run("import", str(out), db="copy.db")
    original = json.loads(run("scenario", "show", "1", "--json").stdout)["indicators"]
    copied = json.loads(run("scenario", "show", "1", "--json", db="copy.db").stdout)["indicators"]
    assert copied == original and original[0]["judged_by"] == "Ana"
    again = run("import", str(out), db="copy.db").stdout
    assert "indicators: 0 added, 0 updated, 1 skipped" in again
    record = json.loads(out.read_text(encoding="utf-8"))
    record["indicators"][0]["likelihoods"] = [0.5]
    out.write_text(json.dumps(record), encoding="utf-8")
    said = run("import", str(out), db="third.db", code=2).stderr
    assert "likelihoods" in said and "must be one per scenario (2)" in said


def test_likelihoods_may_name_one_scenario_and_give_the_rest_at_once(run) -> None:
    """Likelihoods as analysts say them ("very likely if Kim goes to Moscow, unlikely
    otherwise"), as the command takes them."""
    run("question", "add", "Where?", "--criteria", "As reported.", "--close", "2030-01-01",
        "--kind", "multiple_choice", "--option", "Moscow", "--option", "Beijing",
        "--option", "Others")  # fmt: skip
    for title in ("Visit?", "Parade?", "More?"):
        run("question", "add", title, "--criteria", "As reported.", "--close", "2030-01-01")
    typed = ("1", "2", "Moscow=very likely, otherwise=unlikely", "--scale", "ICD 203")
    added = json.loads(run("scenario", "indicator", "add", *typed, "--json").stdout)
    # ICD 203: "very likely" 80-95% (87.5%), "unlikely" 20-45% (32.5%)
    assert added["likelihoods"] == [0.875, 0.325, 0.325]
    assert added["phrases"] == ["very likely", "unlikely", "unlikely"]
    # a scenario called "Others" is that scenario, not the rest
    typed = ("1", "3", "Moscow=0.1, Beijing=0.9, Others=0.2")
    added = json.loads(run("scenario", "indicator", "add", *typed, "--json").stdout)
    assert added["likelihoods"] == [0.1, 0.9, 0.2]
    for given, words in [
        ("Moscow=0.5, otherwise=0.1, else=0.2", "says otherwise= more than once"),
        ("Moscow=0.5, Beijing=0.5, Others=0.5, otherwise=0.1", "otherwise= is left over"),
    ]:
        said = run("scenario", "indicator", "add", "1", "4", given, code=2).stderr
        assert words in said and len(said.splitlines()) == 1
