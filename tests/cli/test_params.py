"""Parameters read without Pydantic (cli/params.py) reach the commands as Typer's own
adapters would give them: plain values as they are, anything else to the adapter, which
accepts or refuses it in its own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from db.repository import Repository
from db.seed import seed

runner = CliRunner()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("params") / "seed.db"
    seed(Repository.open(f"sqlite:///{path}"))
    return path


def minimum(db: Path, value: str) -> int:
    result = runner.invoke(app, ["--db", str(db), "score", "--json", "--min-questions", value])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["min_questions"]


@pytest.mark.parametrize(("typed", "taken"), [("3", 3), ("05", 5), ("+2", 2), (" 4", 4)])
def test_whole_numbers_are_taken_as_the_adapter_takes_them(
    seeded: Path, typed: str, taken: int
) -> None:
    assert minimum(seeded, typed) == taken


@pytest.mark.parametrize("typed", ["0", "-1", "abc", "1.5", "1e3", ""])
def test_refused_numbers_get_the_adapter_s_one_line(seeded: Path, typed: str) -> None:
    result = runner.invoke(app, ["--db", str(seeded), "score", "--min-questions", typed])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("forecasts: error: ") and "min-questions" in line


@pytest.mark.parametrize("text", ["russia", "  russia  ", "-", "ünïcode", "a b"])
def test_any_text_is_taken_without_the_adapter(seeded: Path, text: str) -> None:
    result = runner.invoke(app, ["--db", str(seeded), "question", "list", "--tag", text, "--json"])
    assert result.exit_code == 0, result.stderr
    expected = Repository.open(f"sqlite:///{seeded}").list_questions(tag=text)
    assert [q["id"] for q in json.loads(result.stdout)] == [s.question.id for s in expected]
