"""One intake: the same mistake typed at the command line and into the app's forecast form is
refused by the same rule, naming the same field with the same words."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static
from typer.testing import CliRunner

from cli.app import app as cli_app
from db.repository import Repository
from tests.conftest import add_question
from tests.tui.test_flows import settle, type_into
from tui.app import ForecastApp

TODAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
QUESTION = {
    "title": "Will Kim Jong Un visit Moscow in 2027?",
    "criteria": "Yes if Kim is in Moscow at any time in 2027, per state media.",
    "close_at": datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC),
}

# (what the form's field is given, the same as command-line arguments, the form's error
# line, the field the command line names)
MISTAKES = [
    ({"#log-probability": "1.5"}, ["1.5"], "probability", "probability"),
    ({"#log-probability": "120%"}, ["120%"], "probability", "probability"),
    ({"#log-probability": "likely-ish"}, ["likely-ish"], "probability", "probability"),
    ({"#log-probability": "nan"}, ["nan"], "probability", "probability"),
    (
        {"#log-probability": "0.3", "#log-date": "2030-01-01"},
        ["0.3", "--at", "2030-01-01"],
        "date",
        "made_at",
    ),
    (
        {"#log-probability": "0.3", "#log-date": "9 May"},
        ["0.3", "--at", "9 May"],
        "date",
        "made_at",
    ),
]


def _cli_line(tmp_path: Path, args: list[str]) -> str:
    runner = CliRunner()
    db = ["--db", str(tmp_path / "intake.db")]
    added = runner.invoke(
        cli_app,
        [
            *db,
            "question",
            "add",
            QUESTION["title"],
            "--criteria",
            QUESTION["criteria"],
            "--close",
            "2027-12-31",
        ],
    )
    assert added.exit_code == 0, added.stderr
    result = runner.invoke(cli_app, [*db, "forecast", "add", "1", *args])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    return line


async def _form_error(typed: dict[str, str], line: str) -> str:
    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    question = add_question(repository, **QUESTION)
    app = ForecastApp(repository, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.log_forecast(question=question.id)
        await settle(app, pilot)
        for selector, text in typed.items():
            await type_into(app, pilot, selector, text)
        shown = str(app.screen.query_one(f"#err-{line}", Static).render())
        assert app.screen.query_one("#log-save").disabled
    assert repository.forecasts(question=question.id) == []
    return shown


@pytest.mark.parametrize(("typed", "args", "line", "field"), MISTAKES)
async def test_the_cli_and_the_form_refuse_alike(
    tmp_path: Path, typed: dict[str, str], args: list[str], line: str, field: str
) -> None:
    said = _cli_line(tmp_path, args)
    shown = await _form_error(typed, line)
    assert shown, "the form shows the problem beside its field"
    assert said.startswith(f"forecasts: error: {field}: ")
    assert said.endswith(shown)
