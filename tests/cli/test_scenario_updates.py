"""Scenario updates from the command line: Bayes' rule on a forecaster's standing forecast
when an indicator resolves or a source reports it, kept in the set's history, the posterior
logged as a normal forecast on request; the seed corpus's worked example replayed; every
mistake one line with nothing written; and four processes racing on one update."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from pathlib import Path

import pytest

from db.repository import Repository
from db.seed import load_corpus
from tests.cli.test_races import race

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MEETING = "next-kim-putin-meeting-place-2025"
EXAMPLE = "Worked example (seed corpus)"


def bayes(prior: list[float], likelihoods: list[float], observed: bool) -> list[float]:
    """Bayes' rule written out, independent of the engine."""
    chances = likelihoods if observed else [1 - p for p in likelihoods]
    joint = [p * c for p, c in zip(prior, chances, strict=True)]
    return [j / sum(joint) for j in joint]


def futures(run) -> None:
    """Two scenarios, Ana's forecast of 60% and 40% on them, an indicator that is likely in a
    thaw (0.9) and unlikely in a freeze (0.3), and a second, 0.2 and 0.6."""
    run("question", "add", "Which future?", "--criteria", "As reported.", "--close",
        "2030-01-01", "--kind", "multiple_choice", "--option", "Thaw",
        "--option", "Freeze")  # fmt: skip
    run("forecast", "add", "1", "Thaw=60%,Freeze=40%", "--forecaster", "Ana", "--create")
    for title in ("Will the leaders meet?", "Will the border close?"):
        run("question", "add", title, "--criteria", "As reported.", "--close", "2030-01-01")
    run("scenario", "indicator", "add", "1", "2", "0.9, 0.3", "--by", "Ana")
    run("scenario", "indicator", "add", "1", "3", "0.2, 0.6", "--by", "Ana")


def test_a_resolved_indicator_updates_the_standing_forecast_by_bayes_rule(run) -> None:
    futures(run)
    run("resolve", "2", "yes", "--at", "2026-01-01")
    update = json.loads(run("scenario", "update", "1", "2", "-f", "Ana", "--json").stdout)
    # by hand: 0.6 x 0.9 = 0.54 and 0.4 x 0.3 = 0.12, so 0.54 / 0.66 and 0.12 / 0.66
    assert update["posterior"] == pytest.approx([0.54 / 0.66, 0.12 / 0.66], abs=1e-15)
    assert (update["prior"], update["likelihoods"]) == ([0.6, 0.4], [0.9, 0.3])
    assert (update["observed"], update["source_id"], update["forecast_id"]) == (True, None, None)
    assert update["resolution_id"] is not None
    # not logged: Ana's standing forecast is still the prior
    shown = json.loads(run("scenario", "show", "1", "--json").stdout)
    (ana,) = shown["standing"]
    assert ana["probabilities"] == [0.6, 0.4] and ana["forecast_id"] == update["prior_forecast_id"]
    (kept,) = shown["updates"]
    assert kept["id"] == update["id"] and kept["forecaster"] == "Ana"
    assert kept["indicator_question"]["id"] == 2 and kept["stale"] is False
    assert shown["assumption"].startswith("Updates assume the indicators are independent")


def test_a_no_updates_with_the_complements_and_the_posterior_is_logged(run) -> None:
    futures(run)
    run("resolve", "2", "no", "--at", "2026-01-01")
    update = json.loads(run("scenario", "update", "1", "2", "-f", "Ana", "--log", "--json").stdout)
    # by hand: 0.6 x 0.1 = 0.06 and 0.4 x 0.7 = 0.28
    assert update["posterior"] == pytest.approx([0.06 / 0.34, 0.28 / 0.34], abs=1e-15)
    assert update["forecast_id"] is not None
    shown = json.loads(run("question", "show", "1", "--json").stdout)
    logged = next(f for f in shown["forecasts"] if f["id"] == update["forecast_id"])
    assert logged["forecaster"]["name"] == "Ana" and logged["superseded"] is False
    assert list(logged["probabilities"].values()) == update["posterior"]
    rationale = logged["rationale"]
    assert rationale.startswith("Bayes update on indicator #2 'Will the leaders meet?'")
    assert "resolved no" in rationale and "Thaw 60% -> 17.6%" in rationale
    assert "independent of each other given the scenario" in rationale
    # the next indicator starts from the posterior: the updates chain
    run("resolve", "3", "yes", "--at", "2026-01-02")
    second = json.loads(run("scenario", "update", "1", "3", "-f", "Ana", "--json").stdout)
    assert second["prior"] == update["posterior"]
    expected = bayes(bayes([0.6, 0.4], [0.9, 0.3], False), [0.2, 0.6], True)
    assert second["posterior"] == pytest.approx(expected, abs=1e-15)
    text = run("scenario", "show", "1").stdout
    assert "Updates, oldest first:" in text
    assert f"logged as forecast {update['forecast_id']}" in text and "not logged" in text


def test_a_source_reports_an_indicator_before_it_resolves(run, tmp_path: Path) -> None:
    futures(run)
    article = tmp_path / "report.txt"
    article.write_text("The border closed overnight, officials said.\n", encoding="utf-8")
    run("source", "add", str(article), "--title", "Border report", "--published", "2026-02-01")
    said = run("scenario", "update", "1", "3", "-f", "Ana", "--source", "1").stdout
    assert said.startswith("Update 1: Ana's scenarios on question 1, from forecast 1")
    assert "(reported by source 1)" in said and "Thaw" in said and "-> " in said
    assert "'forecasts scenario log 1' logs the posterior" in said
    update = json.loads(run("scenario", "show", "1", "--json").stdout)["updates"][0]
    assert update["posterior"] == pytest.approx(bayes([0.6, 0.4], [0.2, 0.6], True), abs=1e-15)
    assert (update["source_id"], update["resolution_id"]) == (1, None)
    # a source may report that it did not happen: the complements
    args = ("1", "2", "-f", "Ana", "--source", "1", "--not", "--json")
    reported = json.loads(run("scenario", "update", *args).stdout)
    assert reported["observed"] is False
    assert reported["posterior"] == pytest.approx(bayes([0.6, 0.4], [0.9, 0.3], False))
    # the kept update is logged later, once
    logged = json.loads(run("scenario", "log", "1", "--json").stdout)
    assert list(logged["probabilities"].values()) == update["posterior"]
    assert "reported by source 1, 'Border report' (2026-02-01)" in logged["rationale"]
    again = run("scenario", "log", "1", code=2).stderr
    assert again == f"forecasts: error: update: 1 is logged already, as forecast {logged['id']}\n"


def test_update_mistakes_are_one_line_and_write_nothing(run, tmp_path: Path) -> None:
    futures(run)
    run("question", "add", "Annulled?", "--criteria", "As reported.", "--close", "2030-01-01")
    run("scenario", "indicator", "add", "1", "4", "0.5, 0.6")
    run("annul", "4", "--at", "2026-01-01")
    run("resolve", "2", "yes", "--at", "2026-01-01")
    run("scenario", "update", "1", "2", "-f", "Ana")
    late = tmp_path / "late.txt"
    late.write_text("A report from the future about the border.\n", encoding="utf-8")
    run("source", "add", str(late), "--title", "Later", "--published", "2026-01-01")
    # dated after the update: as an imported older record may be (`source add` refuses a
    # date after today)
    with sqlite3.connect(tmp_path / "main.db") as connection:
        connection.execute("UPDATE source SET published_on = '2031-01-01' WHERE id = 1")
    before = run("export").stdout
    for args, words in [
        (("1", "3", "-f", "Ana"), "indicator: '3' question 3 is not resolved; resolve it, or"),
        (("1", "4", "-f", "Ana"), "question 4 was annulled, so it tells the scenarios nothing"),
        (("1", "2", "-f", "Ana"), "indicator: '2' has updated Ana's scenarios already (update 1)"),
        (("1", "2"), "forecaster: 'me' has no standing forecast on question 1 to update"),
        (("2", "3", "-f", "Ana"), "question: '2' is a yes-or-no question, not a set of scenarios"),
        (("1", "1", "-f", "Ana"), "indicator: '1' is not an indicator of question 1"),
        (("1", "99", "-f", "Ana"), "question"),
        (("1", "3", "-f", "Nobody"), "forecaster"),
        (("1", "3", "-f", "Ana", "--not"), "not: '--not' needs the --source that reports it"),
        (("1", "3", "-f", "Ana", "--source", "1"), "is published on 2031-01-01, after the update"),
        (("1", "3", "-f", "Ana", "--source", "9"), "source"),
    ]:
        said = run("scenario", "update", *args, code=2).stderr.strip().splitlines()
        assert len(said) == 1 and words in said[0], (args, said)
    for args, words in [(("7",), "update: 7 is not a scenario update")]:
        said = run("scenario", "log", *args, code=2).stderr.strip().splitlines()
        assert len(said) == 1 and words in said[0], (args, said)
    assert run("export").stdout == before


def test_updates_travel_through_export_and_import(run, tmp_path: Path) -> None:
    futures(run)
    run("resolve", "2", "yes", "--at", "2026-01-01")
    run("scenario", "update", "1", "2", "-f", "Ana", "--log")
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    run("import", str(out), db="copy.db")
    original = json.loads(run("scenario", "show", "1", "--json").stdout)
    copied = json.loads(run("scenario", "show", "1", "--json", db="copy.db").stdout)
    assert copied["updates"] == original["updates"] and len(original["updates"]) == 1
    assert (
        "scenario_updates: 0 added, 0 updated, 1 skipped"
        in run("import", str(out), db="copy.db").stdout
    )
    record = json.loads(out.read_text(encoding="utf-8"))
    record["scenario_updates"][0]["prior_forecast_id"] = 99
    out.write_text(json.dumps(record), encoding="utf-8")
    said = run("import", str(out), db="third.db", code=2).stderr
    assert "scenario_updates[0].prior_forecast_id: 99 is not a forecast in the file" in said


def test_the_seed_replay_updates_the_worked_example_by_its_real_signposts(run) -> None:
    run("seed")
    data = tomllib.loads((SEEDS / "scenarios.toml").read_text(encoding="utf-8"))
    corpus = load_corpus()
    options = corpus.questions[MEETING].options
    shown = json.loads(run("scenario", "show", MEETING, "--json").stdout)
    # the likelihoods are the worked example's, never a quoted expert's
    quoted = {judgment.forecaster for judgment in corpus.judgments}
    assert EXAMPLE not in quoted
    assert {row["judged_by"] for row in shown["indicators"]} == {EXAMPLE}
    assert {row["forecaster"] for row in shown["updates"]} == {EXAMPLE}
    # replayed in the order the signposts were known, each from the one before
    by_question = {entry["question"]: entry for entry in data["indicator"]}
    current = [data["example"]["prior"]["probabilities"][label] for label in options]
    outcomes = {r.question: r.outcome for r in corpus.resolutions}
    updates = shown["updates"]
    assert [u["updated_at"][:10] for u in updates] == ["2025-06-17", "2025-06-20", "2025-08-28"]
    for update, step in zip(updates, data["update"], strict=True):
        question = corpus.questions[step["indicator"]]
        assert update["indicator_question"]["title"] == question.title
        likelihoods = [by_question[step["indicator"]]["likelihoods"][label] for label in options]
        # resolved "no" or reported by the 28 August source, as the seed files say
        observed = "source" in step or outcomes[step["indicator"]] == "yes"
        assert update["observed"] is observed
        assert update["prior"] == pytest.approx(current, abs=1e-15)
        current = bayes(current, likelihoods, observed)
        assert update["posterior"] == pytest.approx(current, abs=1e-15)
        assert update["forecast_id"] is not None
    # the visit to Russia resolved no; China, where they met, rose from 10% to about 55%
    assert updates[1]["observed"] is False and updates[2]["source_id"] is not None
    example = next(s for s in shown["standing"] if s["forecaster"]["name"] == EXAMPLE)
    assert example["probabilities"] == pytest.approx(current, abs=1e-15)
    assert options[max(range(len(options)), key=lambda i: current[i])] == "China"
    # a replay dated when each signpost was known is left out of scores, not scored
    board = json.loads(run("score", "--json", "--min-questions", "1").stdout)
    assert EXAMPLE not in {row["name"] for row in board["rows"]}
    text = run("scenario", "show", MEETING).stdout
    assert "(source 3 reports it happened)" in text and "China 12.4% -> 54.9%" in text


def test_four_processes_update_the_same_scenarios_once(tmp_path: Path, run) -> None:
    futures(run)
    run("resolve", "2", "yes", "--at", "2026-01-01")
    db = tmp_path / "main.db"
    results = race(tmp_path, db, "scenario", "update", "1", "2", "-f", "Ana", "--log")
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2, 2, 2]
    for code, _, err in results:
        if code == 2:
            assert err.startswith("forecasts: error: indicator: '2' has updated Ana's scenarios")
            assert len(err.splitlines()) == 1
    repository = Repository.open(f"sqlite:///{db}")
    assert len(repository.scenario_updates(question=1)) == 1
    assert len(repository.forecasts(question=1)) == 2  # the prior and one posterior
