"""``forecasts source suggest`` and ``source accept`` on the seed corpus: drafts offer the
stored questions an article raises, a draft that may already be asked is not made a second
question unless the user says so, and accepting writes its question and judgments whole or
not at all."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
HERALD = "herald-deployment-formalised-2025-04-28"


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seed.db"
    result = CliRunner().invoke(app, ["--db", str(path), "seed"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def run(seeded_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "copy.db"
    with sqlite3.connect(seeded_file) as seeded, sqlite3.connect(path) as copy:
        seeded.backup(copy)  # the seeded database as committed, its write-ahead log included
    monkeypatch.setenv("FORECASTS_CONFIG", str(tmp_path / "no-config.toml"))
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):
        result = runner.invoke(app, ["--db", str(path), *args], catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    invoke.path = path
    return invoke


def counts(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as connection:
        return tuple(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("question", "forecast", "forecaster")
        )


def test_the_drafts_offer_the_stored_questions_the_articles_raise(run) -> None:
    """Each seed judgment links an article to a question it raises; a draft from that
    article offers the question (17 of the 18 links today: the judgment read into "Kim was
    determined to make the combat sub-units ... participate in the war" is of further troops,
    and no word of it is a word of that question's, docs/estimative-language.md)."""
    judgments = tomllib.loads((SEEDS / "judgments.toml").read_text(encoding="utf-8"))
    raised: dict[str, set[str]] = {}
    for judgment in judgments["judgment"]:
        raised.setdefault(judgment["source"], set()).add(judgment["question"])
    keys = {q["id"]: q["key"] for q in json.loads(run("question", "list", "--json").stdout)}
    covered = total = 0
    offered_by_source = {}
    for source, questions in raised.items():
        drafts = json.loads(run("source", "suggest", source, "--json").stdout)["drafts"]
        offered = {keys[m["question_id"]] for d in drafts for m in d["matches"]}
        offered_by_source[source] = offered
        covered += len(questions & offered)
        total += len(questions)
    print(f"\nseed questions offered by the drafts of their articles: {covered}/{total}")
    assert covered / total >= 17 / 18
    assert {
        "kim-moscow-victory-day-2025",
        "russia-nk-tech-transfer-2025",
        "kim-bilateral-russia-visit-by-2025-06-19",
    } <= offered_by_source[HERALD]
    assert "kim-beijing-parade-2025" in offered_by_source["kim-beijing-parade-report-2025-08-28"]
    # raised by no judgment: Trump "has also expressed interest in meeting Kim"
    assert (
        "trump-kim-meeting-apec-2025" in offered_by_source["kim-beijing-parade-report-2025-08-28"]
    )
    # Donetsk lies in Ukraine: offered once the questions asked after the article stand aside
    assert "nk-combat-on-ukrainian-territory-2025" in offered_by_source[HERALD]


def test_the_json_names_every_field_a_program_needs(run) -> None:
    said = json.loads(run("source", "suggest", HERALD, "--json").stdout)
    assert said["source"]["key"] == HERALD
    first = said["drafts"][0]
    assert set(first) == {
        "number", "title", "event", "close_on", "close_words", "criteria", "tags", "matches",
        "judgments", "leads",
    }  # fmt: skip
    assert (first["close_on"], first["close_words"]) == ("2025-05-09", "May 9")
    slim = first["judgments"][0]
    assert slim["phrase"].endswith("remain slim") and slim["probability"] == 0.125
    assert (slim["forecaster"], slim["forecaster_known"]) == (
        "Experts cited by The Korea Herald",
        True,
    )
    shown = json.loads(run("source", "show", HERALD, "--json").stdout)["text"]
    start, end = slim["quote_span"]
    assert shown[start:end] == slim["quote"]
    assert slim["from_span"] == f"{said['source']['id']}:{start}-{end}"
    text = run("source", "suggest", HERALD).stdout
    assert "Draft 1: Will Kim Jong-un attend Russia’s May 9 Victory Day celebrations?" in text
    assert f"forecasts source accept {said['source']['id']} 1 --to 1" in text


def test_a_draft_already_asked_is_attached_not_asked_twice(run) -> None:
    before = counts(run.path)
    said = run("source", "accept", HERALD, "1", code=2).stderr
    assert said.strip().splitlines() == [
        "forecasts: error: draft: 1 may already be asked by question 1 ('Will Kim Jong Un "
        "attend the 9 May 2025 Victory Day parade in Moscow?'); attach its judgments there "
        "with --to 1, or make a new question with --new"
    ]
    assert counts(run.path) == before
    # the seed corpus logged these three judgments on question 1 already
    attached = run("source", "accept", HERALD, "1", "--to", "1").stdout
    assert "Logged 0 judgments; 3 already logged" in attached
    assert counts(run.path) == before


def test_accepting_a_new_question_logs_its_judgments_with_their_quotes(run) -> None:
    drafts = json.loads(run("source", "suggest", HERALD, "--json").stdout)["drafts"]
    draft = next(d for d in drafts if d["close_on"] is None)
    number = str(draft["number"])
    said = run("source", "accept", HERALD, number, "--new", code=2).stderr
    assert "close: is needed" in said
    said = run("source", "accept", HERALD, number, "--new", "--close", "2025-12-31", code=2).stderr
    assert "criteria:" in said and "[brackets] to complete" in said
    before = counts(run.path)
    accepted = json.loads(
        run("source", "accept", HERALD, number, "--new", "--close", "2025-12-31", "--criteria",
            "Yes if a government of the region says so by the close date.", "--tag", "nk",
            "--json").stdout
    )  # fmt: skip
    assert accepted["created"] and accepted["skipped"] == []
    question = accepted["question"]
    assert (question["title"], question["tags"]) == (draft["title"], ["nk"])
    assert question["close_at"].startswith("2025-12-31")
    logged = json.loads(run("forecast", "list", "--question", str(question["id"]), "--json").stdout)
    assert len(logged) == len(draft["judgments"]) == len(accepted["logged"])
    for row, judgment in zip(
        sorted(logged, key=lambda f: judgment_start(f["quote"], draft)),
        sorted(draft["judgments"], key=lambda j: j["quote_span"][0]),
        strict=True,
    ):
        assert row["quote"] == judgment["quote"]
        assert row["probability"] == judgment["probability"]
        assert row["phrase"] == judgment["phrase"]
        assert row["made_at"].startswith("2025-04-28")
    assert counts(run.path)[:2] == (before[0] + 1, before[1] + len(logged))


def judgment_start(quote: str, draft: dict) -> int:
    return next(j["quote_span"][0] for j in draft["judgments"] if j["quote"] == quote)


def test_accepting_is_one_transaction(run) -> None:
    """A question closing before the article was published takes none of its judgments:
    the refusal of the first judgment leaves no question behind either."""
    drafts = json.loads(run("source", "suggest", HERALD, "--json").stdout)["drafts"]
    number = str(next(d for d in drafts if d["close_on"] is None)["number"])
    before = counts(run.path)
    said = run("source", "accept", HERALD, number, "--new", "--close", "2025-01-01",
               "--criteria", "Yes if it happens.", code=2).stderr  # fmt: skip
    assert said.strip().splitlines()[0].startswith("forecasts: error: made_at:")
    assert "is after the question closed" in said
    assert counts(run.path) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("99",), "draft: 99 is not a draft of this source"),
        (("1", "--to", "1", "--judgment", "9"), "judgment: 9 is not a judgment of draft 1"),
        (("1", "--to", "1", "--new"), "new: True contradicts --to"),
        (("1", "--to", "999"), "question"),
    ],
)
def test_a_mistake_in_accepting_is_one_line_and_writes_nothing(run, args, words) -> None:
    before = counts(run.path)
    said = run("source", "accept", HERALD, *args, code=2).stderr.strip().splitlines()
    assert len(said) == 1 and words in said[0]
    assert counts(run.path) == before


def test_a_stated_intention_raises_a_question_with_nothing_to_log(run) -> None:
    """The Beijing report has Trump "expressed interest in meeting Kim" twice and judges no
    chance of it: one draft, raised by both sentences, offers the stored APEC question, and
    can only be made a new question."""
    beijing = "kim-beijing-parade-report-2025-08-28"
    said = json.loads(run("source", "suggest", beijing, "--json").stdout)
    draft = next(d for d in said["drafts"] if "Trump" in d["title"])
    assert draft["title"] == "Will President Donald Trump meet Kim?"
    assert draft["judgments"] == []
    assert [lead["phrase"] for lead in draft["leads"]] == ["expressed interest in"] * 2
    first = draft["leads"][0]
    assert (first["who"], first["intends"]) == ("President Donald Trump", "meeting Kim")
    shown = json.loads(run("source", "show", beijing, "--json").stdout)["text"]
    assert shown[slice(*first["quote_span"])] == first["quote"]
    assert shown[slice(*first["phrase_span"])] == "expressed interest in"
    apec = next(m for m in draft["matches"] if "APEC" in m["title"])
    number, before = str(draft["number"]), counts(run.path)
    text = run("source", "suggest", beijing).stdout
    assert f"forecasts source accept {said['source']['id']} {number} --new" in text
    assert "raised by 'expressed interest in': “The announcement comes days after" in text
    refused = run("source", "accept", beijing, number, "--to", str(apec["question_id"]), code=2)
    assert refused.stderr.strip() == (
        f"forecasts: error: to: '{apec['question_id']}' has nothing to attach: draft {number} "
        "only raises a question"
    )
    asked = run("source", "accept", beijing, number, code=2).stderr
    assert "may already be asked by question" in asked and "--to" not in asked
    assert counts(run.path) == before
    made = run(
        "source", "accept", beijing, number, "--new", "--close", "2025-10-31",
        "--criteria", "Yes if they meet in person by 31 October 2025.",
    ).stdout  # fmt: skip
    assert made.splitlines() == [
        f"Created question {before[0] + 1}: Will President Donald Trump meet Kim?",
        "No judgment to log: a stated intention raised this question",
    ]
    assert counts(run.path) == (before[0] + 1, before[1], before[2])
