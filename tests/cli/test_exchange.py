"""Export and import from the command line, and the commands bulk users lean on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.engine import make_engine
from tests.conftest import dump

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_published_schema_is_the_one_the_export_follows(run) -> None:
    published = json.loads((DOCS / "export.schema.json").read_text(encoding="utf-8"))
    assert json.loads(run("export", "--schema").stdout) == published


def test_the_seed_corpus_goes_out_and_back_in(run, tmp_path: Path) -> None:
    run("seed")
    out = tmp_path / "record.json"
    said = run("export", "-o", str(out)).stderr
    # 27 judgments, and the worked example's prior and the three posteriors its replay logs
    assert "31 forecasts" in said and "3 scenario_updates" in said
    result = run("import", str(out), db="copy.db")
    assert "forecasts: 31 added, 0 updated, 0 skipped" in result.stdout
    assert "scenario_updates: 3 added, 0 updated, 0 skipped" in result.stdout
    assert run("export", db="copy.db").stdout == out.read_text(encoding="utf-8")
    again = json.loads(run("import", str(out), "--json", db="copy.db").stdout)
    assert again["counts"]["forecasts"] == {"added": 0, "updated": 0, "skipped": 31}
    assert again["counts"]["scenario_updates"] == {"added": 0, "updated": 0, "skipped": 3}
    assert again["format"] == "json" and again["dry_run"] is False


def test_a_bad_file_is_refused_record_by_record_and_nothing_is_written(run, tmp_path) -> None:
    run("seed")
    document = json.loads(run("export").stdout)
    document["forecasts"][0]["probability"] = 2
    document["forecasts"][3]["forecaster_id"] = 999
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    run("export", db="target.db")  # creates the target, empty
    before = dump(make_engine(f"sqlite:///{tmp_path / 'target.db'}"))
    result = run("import", str(bad), code=2, db="target.db")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("forecasts: forecasts[0].probability: 2 ")
    assert lines[1] == (
        "forecasts: forecasts[3].forecaster_id: 999 is not a forecaster in the file"
    )
    assert lines[-1].endswith("2 records refused (nothing was written)")
    assert dump(make_engine(f"sqlite:///{tmp_path / 'target.db'}")) == before


def test_a_dry_run_says_what_would_happen(run, tmp_path: Path) -> None:
    run("seed")
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    result = run("import", str(out), "--dry-run", db="dry.db")
    assert result.stdout.startswith("Would import")
    assert "questions: 22 added" in result.stdout
    assert "Nothing was written" in result.stdout
    assert json.loads(run("export", db="dry.db").stdout)["questions"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "missing.json"), "cannot be read"),
        (("import", "{tmp}/notes.txt"), "cannot be told from the file's start"),
        (("export", "--format", "xml"), "format: 'xml' is not one of: json, csv, fatebook-csv"),
        (("import", "{tmp}/notes.txt", "--format", "yaml"), "format: 'yaml' is not one of"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(run, tmp_path: Path, args, message) -> None:
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    result = run(*(arg.replace("{tmp}", str(tmp_path)) for arg in args), code=2)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_export_to_a_file_is_whole_or_not_there(run, tmp_path: Path) -> None:
    run("seed")
    result = run("export", "-o", str(tmp_path / "no-such-folder" / "x.json"), code=2)
    assert "cannot be written" in result.stderr
    assert not (tmp_path / "no-such-folder").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bulk_users_name_questions_by_key_and_create_forecasters(run) -> None:
    run("question", "add", "-5% GDP in 2026?", "--criteria", "ONS.", "--close", "2026-12-31",
        "--key", "gdp-2026")  # fmt: skip
    shown = json.loads(run("question", "show", "gdp-2026", "--json").stdout)
    assert shown["title"] == "-5% GDP in 2026?" and shown["key"] == "gdp-2026"
    run("question", "add", "--criteria", "c", "--close", "2026-12-31", "--", "--double dash?")
    assert json.loads(run("question", "show", "2", "--json").stdout)["title"] == "--double dash?"
    run("forecast", "add", "gdp-2026", "0.3", "--forecaster", "Nobody Yet", code=2)
    run("forecast", "add", "gdp-2026", "0.3", "--forecaster", "Nobody Yet", "--create")
    run("forecast", "add", "gdp-2026", "0.4", "--forecaster", "NOBODY YET", "--create")
    people = json.loads(run("forecaster", "list", "--json").stdout)
    assert [p["name"] for p in people] == ["Nobody Yet"]
    refused = run("question", "add", "T", "--criteria", "c", "--close", "2026-12-31",
                  "--key", "42", code=2)  # fmt: skip
    assert refused.stderr.startswith("forecasts: error: key: '42' is not a key")
