"""The app on a real database through Textual's Pilot: the questions screen shows what is
stored, loaded in a worker, with text from data shown literally."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, Static

from db.repository import Repository
from tests.conftest import NOW, add_question, log
from tui.app import ForecastApp
from tui.dialogs.log_forecast import LogForecastDialog
from tui.screens.questions import QuestionsScreen


async def test_questions_screen_shows_stored_questions(repo: Repository) -> None:
    open_q = add_question(
        repo,
        title="Will Lee Jae Myung attend the [bold]Beijing[/bold] parade?",
        criteria="Yes if Lee attends the 3 September 2025 parade in Beijing.",
        close_at=datetime(2025, 9, 3, 23, 59, 59, tzinfo=UTC),
    )
    due = add_question(
        repo,
        title="Will Kim attend the Moscow parade?",
        criteria="Yes if Kim attends on 9 May 2025.",
        close_at=datetime(2025, 5, 9, 23, 59, 59, tzinfo=UTC),
    )
    log(repo, question=due.id, probability=0.1, made_at=datetime(2025, 5, 1, tzinfo=UTC))
    app = ForecastApp(repo, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, QuestionsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        first = [cell.plain for cell in table.get_row(str(due.id))]
        # ID, status, closes, mine, consensus, forecasts, title
        assert first == [
            str(due.id),
            "awaiting resolution",
            "2025-05-09",
            "10%",
            "10%",
            "1",
            due.title,
        ]
        second = [cell.plain for cell in table.get_row(str(open_q.id))]
        assert second[1] == "open"
        assert second[6] == open_q.title  # the markup is text, not style
        status = app.screen.query_one("#questions-status", Static)
        assert "2 questions · 1 awaiting resolution" in str(status.render())  # a due one
        await pilot.press("q")
    assert app.return_code == 0


async def test_empty_database_says_how_to_start(repo: Repository) -> None:
    app = ForecastApp(repo, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#questions-status", Static)
        assert "No questions yet" in str(status.render())


async def test_first_launch_notice_is_shown_as_plain_text(repo: Repository) -> None:
    notice = "First launch: created [bold]x[/bold] and added the sample corpus."
    app = ForecastApp(repo, clock=lambda: NOW, notice=notice)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = list(app._notifications)
        assert [n.message for n in shown] == [notice]
        assert not shown[0].markup
        await pilot.press("n")  # a dialog opened on an 80x24 screen needs the notice's room
        await pilot.pause(0.2)
        assert isinstance(app.screen, LogForecastDialog)
        assert app.screen.query_one("#log-question").is_mounted
        assert not list(app._notifications)


async def test_every_key_is_in_the_command_palette_once(repo: Repository) -> None:
    app = ForecastApp(repo, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        assert isinstance(app.screen, QuestionsScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for shown in ("Log a forecast", "Resolve the question", "Sort by the next column"):
            assert shown in titles
        assert "Add a question" in titles and "Scores of everyone" in titles
        assert titles.count("Keys") == 1
        assert len(titles) == len(set(titles))
        (add_command,) = [
            c for c in app.get_system_commands(app.screen) if c.title == "Add a question"
        ]
        add_command.callback()
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "NewQuestionDialog"


def test_the_reader_shows_a_negated_phrase_as_negated() -> None:
    from forecasts.detect import scan
    from tui.screens.sources import _shown_phrase

    found = scan("Kim is not expected to attend. Kim will likely go.")
    assert [(_shown_phrase(d), d.reading.term) for d in found] == [
        ("not: expected to", "unlikely"),
        ("will likely", "likely"),
    ]
