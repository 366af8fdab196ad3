"""The command line, driven through Typer's CliRunner as a user would type it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from db.engine import make_engine
from db.migrate import head_revision
from tests.conftest import dump

ARTICLE = (
    "North Korea formalises troop deployment, signals deeper alliance with Russia\n\n"
    "However, experts agree that the chances of Kim attending Russia’s May 9 Victory Day "
    "celebrations remain slim.\n\n"
    "This website uses cookies to improve your experience.\n"
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run ``forecasts ARGS`` on a database file of this test's own; return the result."""
    db = tmp_path / "cli.db"
    monkeypatch.setenv("FORECASTS_DB", str(db))
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    run.db = db
    return run


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "herald.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def add_kim_question(cli) -> None:
    cli(
        "question",
        "add",
        "Will Kim Jong Un attend the 9 May 2025 Moscow Victory Day parade?",
        "--criteria",
        "Yes if Kim is reported present at the Moscow parade on 9 May 2025.",
        "--close",
        "2025-05-09",
        "--tag",
        "north-korea",
        "--tag",
        "russia",
    )


def test_question_forecast_with_quote_and_resolution_from_the_cli(cli, article: Path) -> None:
    add_kim_question(cli)
    out = cli(
        "source",
        "add",
        str(article),
        "--title",
        "North Korea formalises troop deployment",
        "--outlet",
        "The Korea Herald",
        "--published",
        "2025-04-28",
    ).stdout
    assert "Added source 1" in out
    cli("forecaster", "add", "Experts cited by The Korea Herald", "--kind", "group")
    cli(
        "forecast",
        "add",
        "1",
        "1:9",
        "--forecaster",
        "experts cited by the korea herald",
        "--at",
        "2025-04-28",
        "--source",
        "1",
        "--quote",
        "the chances of Kim attending Russia's May 9 Victory Day celebrations remain slim",
        "--phrase",
        "chances remain slim",
    )
    cli("forecast", "add", "1", "15%", "--at", "2025-05-01")
    cli("forecast", "add", "1", "0.05", "--at", "2025-05-08")
    cli(
        "resolve",
        "1",
        "no",
        "--at",
        "2025-05-09",
        "--evidence",
        "The parade took place with Xi Jinping attending; Kim did not attend.",
    )
    shown = json.loads(cli("question", "show", "1", "--json").stdout)
    assert shown["status"] == "resolved"
    assert shown["resolution"]["outcome"] == "no"
    assert shown["resolution"]["resolved_at"] == "2025-05-09T00:00:00Z"
    assert shown["tags"] == ["north-korea", "russia"]
    assert shown["close_at"] == "2025-05-09T23:59:59Z"
    experts, mine_old, mine_new = shown["forecasts"]
    assert experts["probability"] == pytest.approx(0.1)
    assert experts["forecaster"]["kind"] == "group"
    start, end = experts["quote_span"]
    assert ARTICLE[start:end] == experts["quote"]
    assert experts["quote"].endswith("remain slim") and "Russia’s" in experts["quote"]
    assert experts["phrase"] == "chances remain slim"
    assert (mine_old["probability"], mine_old["superseded"]) == (0.15, True)
    assert (mine_new["probability"], mine_new["superseded"]) == (0.05, False)
    assert mine_new["forecaster"]["kind"] == "user"
    assert [s["outlet"] for s in shown["sources"]] == ["The Korea Herald"]
    text = cli("question", "show", "1").stdout
    assert "resolved: no" in text and "(superseded)" in text and "remain slim" in text


def test_multiple_choice_from_the_cli(cli) -> None:
    cli(
        "question",
        "add",
        "Where do Kim and Putin next meet in person?",
        "--criteria",
        "Location of the next in-person meeting reported by state media.",
        "--close",
        "2025-12-31",
        "--kind",
        "multiple_choice",
        "--option",
        "Russia",
        "--option",
        "North Korea",
        "--option",
        "China",
        "--option",
        "Elsewhere",
    )
    cli(
        "forecast",
        "add",
        "1",
        "China=50%,Russia=0.3,north korea=15%,Elsewhere=5%",
        "--at",
        "2025-08-28",
    )
    cli("forecast", "add", "1", "0.25,0.25,0.25,0.25", "--at", "2025-08-29")
    cli("resolve", "1", "3", "--at", "2025-09-03", "--evidence", "Met in Beijing.")
    shown = json.loads(cli("question", "show", "1", "--json").stdout)
    assert shown["options"] == ["Russia", "North Korea", "China", "Elsewhere"]
    assert shown["forecasts"][0]["probabilities"] == {
        "Russia": 0.3,
        "North Korea": 0.15,
        "China": 0.5,
        "Elsewhere": 0.05,
    }
    assert shown["resolution"]["outcome"] == "China"


def test_re_resolving_and_annulling_keep_history(cli) -> None:
    add_kim_question(cli)
    cli("resolve", "1", "yes", "--at", "2025-05-09")
    cli("resolve", "1", "no", "--at", "2025-05-09", "--evidence", "Corrected.")
    cli("annul", "1", "--evidence", "Criteria disputed.")
    shown = json.loads(cli("question", "show", "1", "--json").stdout)
    assert [r["outcome"] for r in shown["resolutions"]] == ["yes", "no", "annulled"]
    assert shown["status"] == "annulled"


def test_read_commands_speak_json(cli, article: Path) -> None:
    add_kim_question(cli)
    cli("forecaster", "add", "Doo Jin-ho", "--affiliation", "Korea Institute for Defense Analyses")
    cli(
        "source",
        "add",
        str(article),
        "--title",
        "Herald",
        "--published",
        "2025-04-28",
        "--approximate",
        "--date-note",
        "Monday of the statement",
    )
    listed = json.loads(cli("question", "list", "--json").stdout)
    assert [(q["id"], q["status"], q["forecasts"]) for q in listed] == [(1, "closed", 0)]
    assert json.loads(cli("question", "list", "--status", "open", "--json").stdout) == []
    assert json.loads(cli("question", "list", "--tag", "china", "--json").stdout) == []
    people = json.loads(cli("forecaster", "list", "--json").stdout)
    assert people == [
        {
            "id": 1,
            "name": "Doo Jin-ho",
            "kind": "person",
            "affiliation": "Korea Institute for Defense Analyses",
        }
    ]
    sources = json.loads(cli("source", "list", "--json").stdout)
    assert sources[0]["date_precision"] == "approximate"
    assert sources[0]["length"] == len(ARTICLE)
    full = json.loads(cli("source", "show", "1", "--json").stdout)
    assert full["text"] == ARTICLE
    assert "awaiting resolution" in cli("question", "list").stdout


def test_db_commands(cli) -> None:
    assert cli("db", "path").stdout.strip() == f"sqlite:///{cli.db}"
    assert f"revision {head_revision()}" in cli("db", "upgrade").stdout
    assert cli("--db", "sqlite://", "db", "path").stdout.strip() == "sqlite://"


SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"

MISTAKES = [
    (("forecast", "add", "1", "1.5"), "probability: '1.5' is not between 0 and 1"),
    (("forecast", "add", "1", "-0.1"), "probability: '-0.1' is not between 0 and 1"),
    (("forecast", "add", "1", "nan"), "probability: 'nan' is not a finite number"),
    (("forecast", "add", "1", "abc"), "probability: 'abc' is not a probability"),
    (("forecast", "add", "2", "0.3,0.3,0.3"), "probabilities: '0.3, 0.3, 0.3' sum to 0.9"),
    (("forecast", "add", "2", "A=0.5,B=0.5,Q=0"), "probabilities: 'Q' is not an option"),
    (
        (
            "forecast",
            "add",
            "1",
            "0.1",
            "--at",
            "2025-04-28",
            "--source",
            "1",
            "--quote",
            "Kim will surely attend",
        ),
        "quote: 'Kim will surely attend' does not occur in the source text",
    ),
    (
        ("forecast", "add", "1", "0.1", "--at", "2025-05-10"),
        "made_at: '2025-05-10T00:00:00+00:00' is after the question closed",
    ),
    (("forecast", "add", "1", "0.1", "--at", "2025-05-32"), "made_at: '2025-05-32' is not a date"),
    (
        ("forecast", "add", "1", "0.1", "--forecaster", "Nobody"),
        "forecaster: no forecaster matches 'Nobody'",
    ),
    (("forecast", "add", "99", "0.1"), "question: no question matches '99'"),
    (("resolve", "2", "D"), "outcome: 'D' is not an outcome of this question (A, B, C)"),
    (("resolve", "1", "maybe"), "outcome: 'maybe' is not an outcome of this question (yes, no)"),
    (("resolve", "1", "yes", "--at", "9 May"), "resolved_at: '9 May' is not a date"),
    (("resolve", "99", "yes"), "question: no question matches '99'"),
    (("question", "add", "T", "--criteria", " ", "--close", "2025-01-01"), "criteria: ' '"),
    (("question", "add", "T", "--criteria", "c", "--close", "soon"), "close_at: 'soon'"),
    (
        ("question", "add", "T", "--criteria", "c", "--close", "2025-01-01", "--kind", "scalar"),
        "kind: 'scalar' is not one of: binary, multiple_choice",
    ),
    (("question", "add", "T", "--criteria", "c"), "Missing option '--close'"),
    (("question", "show", "nope"), "question: no question matches 'nope'"),
    (("question", "list", "--status", "pending"), "status: 'pending' is not one of"),
    (
        ("source", "add", "/no/such/file.txt", "--title", "t", "--published", "2025-01-01"),
        "FILE: '/no/such/file.txt' cannot be read",
    ),
    (
        (
            "source",
            "add",
            str(SEEDS / "001_58a7cbc6ed29d5f2.txt"),
            "--title",
            "Herald",
            "--published",
            "2099-01-01",
        ),
        "published_on: '2099-01-01' is in the future",
    ),
    (("forecaster", "add", "Doo Jin-ho", "--kind", "robot"), "kind: 'robot'"),
    (("nope",), "No such command 'nope'"),
]


@pytest.mark.parametrize(("args", "message"), MISTAKES, ids=[" ".join(a) for a, _ in MISTAKES])
def test_a_mistake_gets_one_line_exit_2_and_writes_nothing(
    cli, article: Path, args: tuple[str, ...], message: str
) -> None:
    add_kim_question(cli)
    cli(
        "question",
        "add",
        "Which?",
        "--criteria",
        "One of three.",
        "--close",
        "2026-12-31",
        "--kind",
        "multiple_choice",
        "--option",
        "A",
        "--option",
        "B",
        "--option",
        "C",
    )
    cli("source", "add", str(article), "--title", "Herald", "--published", "2025-04-28")
    cli("forecaster", "add", "Doo Jin-ho")
    engine = make_engine(f"sqlite:///{cli.db}")
    before = dump(engine)
    result = cli(*args, code=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("forecasts: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert dump(engine) == before


def test_data_is_never_taken_as_markup_or_escapes(cli) -> None:
    title = "Kim [bold]attends[/bold] \x1b[31mred\x1b[0m [link=x]?"
    cli("question", "add", title, "--criteria", "c", "--close", "2025-01-01")
    out = cli("question", "list").stdout
    assert "[bold]attends[/bold]" in out and "[link=x]" in out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    assert json.loads(cli("question", "show", "1", "--json").stdout)["title"] == title


def add_herald(cli) -> None:
    cli(
        "source",
        "add",
        str(SEEDS / "001_58a7cbc6ed29d5f2.txt"),
        "--title",
        "North Korea formalises troop deployment, signals deeper alliance with Russia",
        "--outlet",
        "The Korea Herald",
        "--published",
        "2025-04-28",
    )


def test_source_scan_lists_estimative_spans(cli) -> None:
    add_herald(cli)
    scanned = json.loads(cli("source", "scan", "1", "--json").stdout)
    assert scanned["scale"] == "ICD 203"
    first = scanned["detections"][0]
    assert first["attribution"] == "experts"
    assert first["term"] == "very unlikely"
    assert first["range"] == [0.05, 0.2]
    text = (SEEDS / "001_58a7cbc6ed29d5f2.txt").read_text(encoding="utf-8")
    start, end = first["phrase_span"]
    assert text[start:end] == first["phrase"]
    start, end = first["quote_span"]
    assert text[start:end].startswith("However, experts agree")
    on_phia = json.loads(cli("source", "scan", "1", "--scale", "PHIA", "--json").stdout)
    assert on_phia["detections"][0]["term"] == "highly unlikely"
    shown = cli("source", "scan", "1").stdout
    assert "1:" in shown and "very unlikely 12.5%" in shown and "by:    Doo Jin-ho" in shown
    full = json.loads(cli("source", "show", "1", "--json").stdout)
    assert {"start", "end", "kind"} <= set(full["furniture"][0])


def test_forecast_from_span_fills_quote_phrase_scale_and_date(cli) -> None:
    add_herald(cli)
    add_kim_question(cli)
    cli("forecaster", "add", "Experts cited by The Korea Herald", "--kind", "group")
    span = json.loads(cli("source", "scan", "1", "--json").stdout)["detections"][0]["from_span"]
    cli(
        "forecast",
        "add",
        "--from-span",
        span,
        "--question",
        "1",
        "--forecaster",
        "Experts cited by The Korea Herald",
    )
    logged = json.loads(cli("question", "show", "1", "--json").stdout)["forecasts"][0]
    assert logged["probability"] == 0.125
    assert logged["scale_probability"] == 0.125
    assert logged["scale"] == "ICD 203"
    assert logged["phrase"].endswith("remain slim")
    assert logged["quote"].startswith("However, experts agree")
    assert logged["made_at"] == "2025-04-28T00:00:00Z"
    assert logged["source_id"] == 1


def test_from_span_override_is_recorded_beside_the_scale_value(cli) -> None:
    add_herald(cli)
    add_kim_question(cli)
    cli("forecaster", "add", "Doo Jin-ho", "--affiliation", "Korea Institute for Defense Analyses")
    detections = json.loads(cli("source", "scan", "1", "--json").stdout)["detections"]
    doo = next(d for d in detections if d["phrase"] == "would likely")
    out = cli("forecast", "add", "1", "80%", "--from-span", doo["from_span"]).stdout
    assert "overrides ICD 203: 67.5%" in out  # the forecaster came from "Doo told ..."
    logged = json.loads(cli("question", "show", "1", "--json").stdout)["forecasts"][0]
    assert (logged["probability"], logged["scale_probability"]) == (0.8, 0.675)
    assert logged["forecaster"]["name"] == "Doo Jin-ho"


def test_verbal_probability_is_read_on_the_scale(cli) -> None:
    add_kim_question(cli)
    cli("forecast", "add", "1", "highly unlikely", "--scale", "PHIA", "--at", "2025-05-01")
    logged = json.loads(cli("question", "show", "1", "--json").stdout)["forecasts"][0]
    assert (logged["probability"], logged["scale"], logged["phrase"]) == (
        0.15,
        "PHIA",
        "highly unlikely",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("forecast", "add", "--from-span", "1:0-40", "-q", "1", "-f", "Doo Jin-ho"),
            "span: '0-40' holds no estimative phrase",
        ),
        (
            ("forecast", "add", "--from-span", "1:9000-9268", "-q", "1", "-f", "Doo Jin-ho"),
            "lies in page furniture",
        ),
        (
            ("forecast", "add", "--from-span", "1-2", "-q", "1"),
            "from-span: '1-2' is not SOURCE:START-END",
        ),
        (("forecast", "add", "--from-span", "7:1-2", "-q", "1"), "source: no source matches '7'"),
        (
            ("forecast", "add", "--from-span", "1:793-902", "-q", "1"),
            "forecaster: is needed with --from-span 1:793-902 "
            "(the text attributes it to 'experts')",
        ),
        (
            (
                "forecast",
                "add",
                "1",
                "0.2",
                "--at",
                "2025-05-01",
                "--source",
                "1",
                "--quote",
                "Comments are closed.",
            ),
            "quote: 'Comments are closed.' lies in page furniture (comments)",
        ),
        (("source", "scan", "1", "--scale", "NATO"), "scale: 'NATO' is not a known scale"),
        (("forecast", "add", "1", "sorta likely-ish"), "is not a probability"),
    ],
)
def test_span_mistakes_get_one_line(cli, args, message) -> None:
    add_herald(cli)
    add_kim_question(cli)
    cli("forecaster", "add", "Doo Jin-ho")
    engine = make_engine(f"sqlite:///{cli.db}")
    before = dump(engine)
    result = cli(*args, code=2)
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert dump(engine) == before


def test_config_file(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FORECASTS_CONFIG", str(config))
    assert cli("config", "path").stdout.strip() == str(config)
    assert json.loads(cli("config", "show", "--json").stdout)["scale"] == "ICD 203"
    cli("config", "init")
    assert "[phrases]" in config.read_text()
    config.write_text('scale = "PHIA"\n[phrases]\n"a long shot" = "highly unlikely"\n')
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["scale"] == "PHIA" and shown["phrases"]["a long shot"]["probability"] == 0.15
    add_kim_question(cli)
    cli("forecast", "add", "1", "a long shot", "--at", "2025-05-01")
    assert (
        json.loads(cli("question", "show", "1", "--json").stdout)["forecasts"][0]["probability"]
        == 0.15
    )
    config.write_text('scale = "PHIA"\n[phrases]\n"fat chance" = "zero-ish"\n')
    result = cli("config", "show", code=2)
    assert result.stderr.startswith(f"forecasts: error: config: '{config}, line 3' phrase")
    assert result.stderr.count("\n") == 1


def test_scales_are_listed_and_shown(cli) -> None:
    names = [s["name"] for s in json.loads(cli("scale", "list", "--json").stdout)]
    assert names == ["ICD 203", "PHIA", "Kent", "Survey"]
    kent = json.loads(cli("scale", "show", "kent", "--json").stdout)
    assert kent["terms"][1] == {
        "label": "almost certain",
        "aliases": [],
        "low": 0.87,
        "high": 0.99,
        "point": 0.93,
    }
    assert "realistic possibility  40%-50%" in cli("scale", "show", "PHIA").stdout


def test_first_launch_seeds_the_default_database_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORECASTS_DB", raising=False)
    runner = CliRunner()
    first = runner.invoke(app, ["question", "list", "--json"])
    assert first.exit_code == 0
    assert first.stderr.startswith("forecasts: First launch: created ")
    assert "Use --no-seed to start empty." in first.stderr
    questions = json.loads(first.stdout)
    assert len(questions) >= 14
    assert any(
        q["key"] == "kim-moscow-victory-day-2025" and q["status"] == "resolved" for q in questions
    )
    again = runner.invoke(app, ["question", "list", "--json"])
    assert again.stderr == ""
    assert json.loads(again.stdout) == questions
    assert "added nothing new" in runner.invoke(app, ["seed"]).stdout


def test_no_seed_starts_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORECASTS_DB", raising=False)
    result = CliRunner().invoke(app, ["--no-seed", "question", "list", "--json"])
    assert (result.exit_code, result.stderr, json.loads(result.stdout)) == (0, "", [])


def test_seed_command_on_a_chosen_database(cli) -> None:
    assert cli("question", "list", "--json").stdout.strip() == "[]"  # --db: never seeded
    added = json.loads(cli("seed", "--json").stdout)
    assert added["judgments"] >= 25 and added["questions"] >= 14
    assert json.loads(cli("seed", "--json").stdout) == dict.fromkeys(added, 0)
    shown = json.loads(cli("question", "show", "kim-moscow-victory-day-2025", "--json").stdout)
    names = {f["forecaster"]["name"] for f in shown["forecasts"]}
    assert {"Experts cited by The Korea Herald", "Cha Du-hyeogn", "Doo Jin-ho"} <= names
    assert shown["resolution"]["evidence"].startswith("9 May 2025: the Moscow Victory Day parade")


def test_score_and_calibration_on_the_seed_corpus(cli) -> None:
    cli("seed")
    board = json.loads(cli("score", "--json").stdout)
    assert board["by"] == "forecaster"
    rows = {row["name"]: row for row in board["rows"]}
    doo = rows["Doo Jin-ho"]
    # worked out by hand in tests/db/test_seed.py and docs/scoring.md
    assert doo["brier"] == pytest.approx((0.21125 * 2 + 0.5 + 1.40125) / 4, abs=1e-12)
    assert doo["brier_one_sided"] == doo["brier"] / 2
    assert doo["questions"] == 4
    low, high = doo["brier_interval"]
    assert low <= doo["brier"] <= high
    assert rows["Experts cited by The Korea Herald"]["brier"] == pytest.approx(0.2656, abs=1e-4)
    assert {"consensus: median", "consensus: extremized mean log-odds"} <= set(rows)
    ranked = [row for row in board["rows"] if row["ranked"]]
    assert [row["rank"] for row in ranked] == list(range(1, len(ranked) + 1))
    assert all(row["questions"] >= 3 for row in ranked)
    assert all(row["rank"] is None and row["questions"] < 3 for row in board["rows"][len(ranked) :])
    tags = {row["name"] for row in json.loads(cli("score", "--by", "tag", "--json").stdout)["rows"]}
    assert {"north-korea", "russia", "parade"} <= tags
    outlets = json.loads(cli("score", "--by", "outlet", "--json").stdout)["rows"]
    assert "The Korea Herald" in {row["name"] for row in outlets}
    text = cli("score").stdout
    assert "Doo Jin-ho" in text and "95% INTERVAL" in text
    cal = json.loads(cli("calibration", "--json").stdout)
    assert len(cal["buckets"]) == 11 and cal["forecasts"] > 0
    murphy, corp = cal["murphy"], cal["corp"]
    assert murphy["reliability"] - murphy["resolution"] + murphy["uncertainty"] + murphy[
        "within_bucket_variance"
    ] - murphy["within_bucket_covariance"] == pytest.approx(cal["mean_score"], abs=1e-5)
    assert corp["miscalibration"] - corp["discrimination"] + corp["uncertainty"] == pytest.approx(
        cal["mean_score"], abs=1e-5
    )
    curve = corp["curve"]  # (forecast, recalibrated) pairs: distinct forecasts, isotonic fit
    assert curve and all(len(point) == 2 for point in curve)
    xs, ys = [x for x, _ in curve], [y for _, y in curve]
    assert xs == sorted(set(xs)) and ys == sorted(ys) and 0 <= ys[0] <= ys[-1] <= 1
    doo_cal = json.loads(cli("calibration", "--forecaster", "doo jin-ho", "--json").stdout)
    assert doo_cal["forecasts"] == 8  # 3 binary + one five-option forecast, one-vs-rest
    assert "Murphy:" in cli("calibration", "--tag", "parade").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "--by", "colour"), "by: 'colour' is not one of: forecaster, tag, outlet"),
        (("calibration", "--forecaster", "Nobody"), "forecaster: no forecaster matches 'Nobody'"),
        (("calibration", "--tag", "mars"), "tag: no tag matches 'mars'"),
    ],
)
def test_score_mistakes(cli, args, message) -> None:
    cli("seed")
    assert message in cli(*args, code=2).stderr


def test_empty_database_scores_nothing(cli) -> None:
    assert json.loads(cli("score", "--json").stdout)["rows"] == []
    assert "Nothing to score yet" in cli("score").stdout
    assert "No forecasts to calibrate" in cli("calibration").stdout


def test_demo_generate_fills_an_empty_database(cli) -> None:
    out = cli(
        "demo", "generate", "--questions", "300", "--forecasters", "20", "--forecasts", "3000"
    ).stdout
    assert "Generated 300 questions, 20 forecasters and 3000 forecasts" in out
    board = json.loads(cli("score", "--json", "--no-consensus").stdout)
    assert len(board["rows"]) == 20
    assert sum(row["forecasts"] for row in board["rows"]) <= 3000
    listed = json.loads(cli("question", "list", "--json").stdout)
    assert len(listed) == 300
    result = cli("demo", "generate", "--questions", "5", code=2)
    assert "db: '300 questions' are stored already" in result.stderr
