"""Scores a forecaster can trust, through the command line: the ranking rule, honest
counts, a consensus only where there is a crowd, exact numbers, and a window of resolution
dates. Every expected value is worked out here from the stored forecasts, not by the engine."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from db.repository import Repository
from db.seed import seed

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("scores") / "seed.db"
    seed(Repository.open(f"sqlite:///{db}"))
    return db


def board(db: Path, *args: str) -> dict:
    result = runner.invoke(app, ["--db", str(db), "score", "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def scored_questions(db: Path) -> dict[int, set[int]]:
    """Each scored (resolved, not annulled) question's forecasters, from the record: the
    backdated forecasts (the seed's worked example of a scenario update) left out."""
    repository = Repository.open(f"sqlite:///{db}")
    found = {}
    for summary in repository.list_questions(status="resolved"):
        question = summary.question
        detail = repository.question_detail(ref=question.id)
        end = min(question.close_at, question.resolution.resolved_at)
        found[question.id] = {
            f.forecaster_id
            for f in detail.forecasts
            if f.made_at <= end and f.id not in detail.backdated
        }
    return {q: people for q, people in found.items() if people}


def test_ranked_by_relative_brier_with_peers_then_brier(seeded: Path) -> None:
    rows = board(seeded)["rows"]
    ranked = [row for row in rows if row["ranked"]]
    keys = [
        (row["relative_brier"] is None, row["relative_brier"] or 0.0, row["brier"])
        for row in ranked
    ]
    assert keys == sorted(keys)
    everyone = board(seeded, "--min-questions", "1")["rows"]
    assert all(row["ranked"] for row in everyone)
    assert [row["rank"] for row in everyone] == list(range(1, len(everyone) + 1))


def test_a_consensus_only_where_there_is_a_crowd(seeded: Path) -> None:
    crowd = [q for q, people in scored_questions(seeded).items() if len(people) >= 2]
    rows = {row["name"]: row for row in board(seeded)["rows"]}
    for method in ("median", "mean", "geometric mean of odds", "extremized mean log-odds"):
        row = rows[f"consensus: {method}"]
        assert row["questions"] == len(crowd)
        assert row["forecasts"] <= sum(len(scored_questions(seeded)[q]) for q in crowd)
    assert len(crowd) == 4  # Kim in Moscow, the meeting place, Kim and Putin in Beijing...


def test_tag_rows_count_distinct_questions_and_forecasters(seeded: Path) -> None:
    repository = Repository.open(f"sqlite:///{seeded}")
    scored = scored_questions(seeded)
    parade = [q for q in scored if "parade" in repository.question(ref=q).tags]
    rows = {row["name"]: row for row in board(seeded, "--by", "tag")["rows"]}
    assert rows["parade"]["questions"] == len(parade)
    assert rows["parade"]["forecasters"] == len(set().union(*(scored[q] for q in parade)))


def test_numbers_are_exact_in_json(seeded: Path) -> None:
    rows = {row["name"]: row for row in board(seeded)["rows"]}
    herald = rows["Experts cited by The Korea Herald"]
    assert herald["brier_one_sided"] * 2 == herald["brier"]
    digits = [len(repr(row["brier"]).split(".")[1]) for row in rows.values() if row["brier"]]
    assert max(digits) > 4  # not rounded to four places
    expected = (0.21125 * 2 + 0.5 + 1.40125) / 4  # docs/scoring.md, worked by hand
    assert math.isclose(rows["Doo Jin-ho"]["brier"], expected, rel_tol=0, abs_tol=1e-15)


def test_a_window_of_resolution_dates(seeded: Path) -> None:
    repository = Repository.open(f"sqlite:///{seeded}")
    scored = scored_questions(seeded)
    in_june = [
        q
        for q in scored
        if "2025-06-01"
        <= repository.question(ref=q).resolution.resolved_at.date().isoformat()
        <= "2025-06-30"
    ]
    rows = board(seeded, "--since", "2025-06-01", "--until", "2025-06-30", "--min-questions", "1")
    assert sum(row["questions"] for row in rows["rows"] if row["kind"] != "aggregate") == sum(
        len(scored[q]) for q in in_june
    )
    assert in_june  # the window holds some of the corpus's resolutions, not all
    assert len(in_june) < len(scored)
    result = runner.invoke(
        app, ["--db", str(seeded), "score", "--since", "2025-07-01", "--until", "2025-06-01"]
    )
    assert result.exit_code == 2
    assert "until: '2025-06-01' is before --since 2025-07-01" in result.stderr


def cli(db: Path, *args: str, code: int = 0):
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def one_question(tmp_path: Path) -> Path:
    db = tmp_path / "q.db"
    cli(db, "question", "add", "Will Kim go?", "--criteria", "If he goes.", "--close", "2025-12-31")
    cli(db, "forecaster", "add", "Cha Du-hyeogn")
    cli(db, "forecast", "add", "1", "90%", "--at", "2025-06-01", "-f", "Cha Du-hyeogn")
    cli(db, "forecast", "add", "1", "20%", "--at", "2025-06-02")
    return db


def test_a_resolution_before_forecasts_is_refused_unless_retroactive(one_question: Path) -> None:
    refused = cli(one_question, "resolve", "1", "yes", "--at", "2025-05-01", code=2)
    assert refused.stderr == (
        "forecasts: error: resolved_at: '2025-05-01T00:00:00+00:00' is before 2 forecasts "
        "already on the question by Cha Du-hyeogn (1), me (1); give --retroactive to resolve "
        "it so (they will not be scored)\n"
    )
    assert (
        json.loads(cli(one_question, "question", "show", "1", "--json").stdout)["resolutions"] == []
    )
    cli(one_question, "resolve", "1", "yes", "--at", "2025-05-01", "--retroactive")
    shown = json.loads(cli(one_question, "question", "show", "1", "--json").stdout)
    assert [f["after_resolution"] for f in shown["forecasts"]] == [True, True]
    assert "after the resolution: not scored" in cli(one_question, "question", "show", "1").stdout
    assert board(one_question, "--min-questions", "1")["rows"] == []  # nobody is scored


def test_resolving_again_the_same_way_changes_nothing(one_question: Path) -> None:
    first = cli(one_question, "resolve", "1", "no", "--at", "2025-07-01", "--json")
    assert json.loads(first.stdout)["changed"] is True
    again = cli(one_question, "resolve", "1", "NO", "--at", "2025-07-01")
    assert again.stdout == "Question 1: no as of 2025-07-01 already; nothing changed\n"
    assert json.loads(cli(one_question, "resolve", "1", "no", "--json").stdout)["changed"] is False
    moved = cli(one_question, "resolve", "1", "no", "--at", "2025-07-02", "--json")
    assert json.loads(moved.stdout)["changed"] is True  # a new date is a re-resolution
    cli(one_question, "annul", "1", "--evidence", "ambiguous")
    assert "nothing changed" in cli(one_question, "annul", "1").stdout
    history = json.loads(cli(one_question, "question", "show", "1", "--json").stdout)
    assert [(r["outcome"], r["resolved_at"][:10]) for r in history["resolutions"]] == [
        ("no", "2025-07-01"),
        ("no", "2025-07-02"),
        ("annulled", history["resolutions"][2]["resolved_at"][:10]),
    ]


def test_hindsight_is_kept_shown_and_left_out_of_scores(tmp_path: Path) -> None:
    db = tmp_path / "hindsight.db"
    seed(Repository.open(f"sqlite:///{db}"))
    kim = "kim-moscow-victory-day-2025"  # resolved "no" on 9 May 2025, long before today
    before = board(db)
    seeded = before["backdated_left_out"]  # the worked example's replay (seeds/scenarios.toml)
    assert seeded == 4
    logged = cli(db, "forecast", "add", kim, "1:6", "--at", "2025-05-01")
    assert "backdated" in logged.stderr and "left out of scores" in logged.stderr
    after = board(db)
    assert after["backdated_left_out"] == seeded + 1
    assert after["rows"] == before["rows"]  # the hindsight changed no score
    assert "5 backdated forecasts left out" in cli(db, "score").stdout
    shown = json.loads(cli(db, "question", "show", kim, "--json").stdout)
    mine = [f for f in shown["forecasts"] if f["forecaster"]["name"] == "me"]
    assert [f["backdated"] for f in mine] == [True]
    assert shown["backdated_left_out"] == 1
    assert all(not f["backdated"] for f in shown["forecasts"] if f["forecaster"]["name"] != "me")
    assert "(backdated: not scored)" in cli(db, "question", "show", kim).stdout
    counted = board(db, "--include-backdated", "--min-questions", "1")
    assert counted["backdated_left_out"] == 0
    assert "me" in {row["name"] for row in counted["rows"]}
    calibrated = json.loads(cli(db, "calibration", "--json").stdout)
    assert calibrated["backdated_left_out"] == seeded + 1


def test_the_seed_leaderboard_as_docs_scoring_md_works_it_out(seeded: Path) -> None:
    rows = board(seeded)["rows"]
    ranked = [(row["name"], row["questions"]) for row in rows if row["ranked"]]
    assert [name for name, _ in ranked[:4]] == [
        "consensus: extremized mean log-odds",
        "consensus: geometric mean of odds",
        "consensus: mean",
        "consensus: median",
    ]
    assert ranked[4:] == [("Doo Jin-ho", 4), ("Author of the Beijing parade report", 3)]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Doo Jin-ho"]["relative_brier"] == 0.0
    herald = by_name["Experts cited by The Korea Herald"]
    assert herald["relative_brier"] == pytest.approx((0.03125 - 0.21125 + 0.5 - 0.5) / 2, abs=1e-15)
    assert herald["rank"] is None
    assert sum(not row["ranked"] for row in rows) == 8


def test_a_track_record(seeded: Path) -> None:
    repository = Repository.open(f"sqlite:///{seeded}")
    doo = repository.forecaster(ref="Doo Jin-ho")
    listed = json.loads(cli(seeded, "forecast", "list", "-f", "doo jin-ho", "--json").stdout)
    stored = [
        f.id
        for s in repository.list_questions()
        for f in repository.forecasts(question=s.question.id)
        if f.forecaster_id == doo.id
    ]
    assert sorted(row["id"] for row in listed) == sorted(stored)
    assert all(row["forecaster"]["name"] == "Doo Jin-ho" for row in listed)
    made = [row["made_at"] for row in listed]
    assert made == sorted(made, reverse=True)  # newest first
    one = json.loads(cli(seeded, "forecast", "list", "-q", "1", "--json").stdout)
    assert {row["question"]["id"] for row in one} == {1}
    assert len(one) == len(repository.forecasts(question=1))
    assert one[0]["question"]["resolution"]["outcome"] == "no"
    open_ones = json.loads(cli(seeded, "forecast", "list", "--open", "--json").stdout)
    assert open_ones == []  # every seed question had closed by 22 November 2026
    text = cli(seeded, "forecast", "list", "-f", "Doo Jin-ho").stdout
    assert text.splitlines()[0].split() == [
        "ID",
        "MADE",
        "FORECASTER",
        "Q",
        "FORECAST",
        "OUTCOME",
        "NOTE",
        "QUESTION",
    ]
    assert (
        "no forecaster matches 'Nobody'"
        in cli(seeded, "forecast", "list", "-f", "Nobody", code=2).stderr
    )
