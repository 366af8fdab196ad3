"""Flows through the app with Pilot, each checked against what landed in the database."""

from __future__ import annotations

import html
import math
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Select, Static, TextArea

from db.repository import Repository
from forecasts.models import QuestionKind, QuestionStatus
from tests.conftest import add_question, add_source, log
from tests.tui.conftest import TODAY
from tui.app import ForecastApp
from tui.dialogs.common import ConfirmDialog
from tui.dialogs.log_forecast import LogForecastDialog
from tui.dialogs.new_question import NewQuestionDialog
from tui.dialogs.resolve import ResolveDialog
from tui.screens.calibration import CalibrationScreen
from tui.screens.forecaster import ForecasterScreen
from tui.screens.leaderboard import LeaderboardScreen
from tui.screens.question_detail import QuestionDetailScreen
from tui.screens.questions import QuestionsScreen
from tui.screens.sources import SourcesScreen


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    await pilot.pause(0.05)


@asynccontextmanager
async def running(repository: Repository, size: tuple[int, int] = (120, 40)):
    """The app on ``repository`` at ``size``, its clock on TODAY, settled after start."""
    app = ForecastApp(repository, clock=lambda: TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        yield app, pilot


async def press(app, pilot, *keys: str) -> None:
    """Press the keys, then wait until the app has settled."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def find(app, pilot, words: str) -> None:
    """Search the questions screen and put the cursor on the first match."""
    await press(app, pilot, "slash", *words)
    await press(app, pilot, "enter")


async def open_log_dialog(app, pilot, question: int):
    """Start the app and open the log-forecast dialog on ``question``; return the dialog."""
    await settle(app, pilot)
    app.log_forecast(question=question)
    await settle(app, pilot)
    return app.screen


async def leaderboard_at(app, pilot, name: str) -> None:
    """Open the leaderboard, its cursor on the row named ``name``."""
    await settle(app, pilot)
    await press(app, pilot, "l")
    await highlight_row(app, name)


async def highlight_row(app, name: str) -> None:
    """Put the leaderboard's cursor on the row named ``name``."""
    assert isinstance(app.screen, LeaderboardScreen)
    names = [row.name for row in app.screen.rows]
    app.screen.query_one(DataTable).move_cursor(row=names.index(name))


def open_question(repo: Repository, **changes):
    data = {
        "title": "Will Kim Jong Un visit Moscow in 2027?",
        "criteria": "Yes if Kim is in Moscow at any time in 2027, per state media.",
        "close_at": datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC),
        "tags": ["north-korea", "russia"],
    }
    data.update(changes)
    return add_question(repo, **data)


async def type_into(app, pilot, selector: str, text: str) -> None:
    widget = app.screen.query_one(selector)
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause(0.05)


@pytest.mark.parametrize(
    ("typed", "expected", "phrase"),
    [
        ("0.15", 0.15, None),
        ("15%", 0.15, None),
        ("1:6", 1 / 7, None),
        ("very unlikely", 0.125, "very unlikely"),
    ],
)
async def test_log_a_binary_forecast(seeded: Repository, typed, expected, phrase) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        await find(app, pilot, "visit Moscow")
        await press(app, pilot, "n")
        assert isinstance(app.screen, LogForecastDialog)
        await type_into(app, pilot, "#log-probability", typed)
        reading = str(app.screen.query_one("#log-reading", Static).render())
        assert reading.startswith("= ")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, QuestionsScreen)
    (logged,) = seeded.forecasts(question=question.id)
    assert logged.probability == pytest.approx(expected)
    assert logged.forecaster_id == seeded.user_forecaster().id
    assert logged.phrase == phrase
    assert (logged.scale == "ICD 203") is (phrase is not None)
    assert logged.made_at == datetime(2026, 11, 22, tzinfo=UTC)


async def test_bad_probability_is_shown_beside_the_field_and_save_refused(seeded) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        app.log_forecast(question=question.id)
        await settle(app, pilot)
        await type_into(app, pilot, "#log-probability", "1.5")
        error = str(app.screen.query_one("#err-probability", Static).render())
        assert "not between 0 and 1" in error
        assert app.screen.query_one("#log-save").disabled
        await type_into(app, pilot, "#log-date", "2030-01-01")
        assert "is in the future" in str(app.screen.query_one("#err-date", Static).render())
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, LogForecastDialog)  # still open, nothing written
        await press(app, pilot, "escape")
    assert seeded.forecasts(question=question.id) == []


async def test_new_forecaster_created_inline_with_a_quote(seeded) -> None:
    question = open_question(seeded)
    herald = seeded.source(ref="herald-deployment-formalised-2025-04-28")
    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_log_dialog(app, pilot, question.id)
        await type_into(app, pilot, "#log-forecaster", "Hong Min II")
        assert "hidden" not in dialog.query_one("#log-new").classes
        await type_into(app, pilot, "#log-probability", "30%")
        dialog.query_one("#log-source", Select).value = herald.id
        await settle(app, pilot)
        await type_into(app, pilot, "#log-quote", "Kim will surely go")
        assert "does not occur" in str(dialog.query_one("#err-quote", Static).render())
        await type_into(app, pilot, "#log-quote", "remain slim")
        assert str(dialog.query_one("#err-quote", Static).render()) == ""
        await press(app, pilot, "ctrl+s")
    (logged,) = seeded.forecasts(question=question.id)
    assert seeded.forecaster(ref=logged.forecaster_id).name == "Hong Min II"
    assert herald.text[logged.quote_start : logged.quote_end] == "remain slim"


def where_they_meet(repository: Repository, *options: str):
    """An open multiple-choice question with ``options``."""
    return add_question(
        repository,
        title="Where will Kim and Putin meet in 2027?",
        criteria="The country of their first in-person meeting in 2027.",
        close_at=datetime(2027, 12, 31, tzinfo=UTC),
        kind=QuestionKind.MULTIPLE_CHOICE,
        options=list(options),
    )


async def test_log_a_multiple_choice_forecast(seeded) -> None:
    question = where_they_meet(seeded, "Russia", "North Korea", "Elsewhere")
    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_log_dialog(app, pilot, question.id)
        await type_into(app, pilot, "#log-option-0", "50%")
        await type_into(app, pilot, "#log-option-1", "30%")
        await type_into(app, pilot, "#log-option-2", "10%")
        assert "sum to 0.9 (90%)" in str(dialog.query_one("#err-probability", Static).render())
        assert dialog.query_one("#log-save").disabled
        await type_into(app, pilot, "#log-option-2", "0.2")
        assert "Sum: 100%" in str(dialog.query_one("#log-reading", Static).render())
        await press(app, pilot, "ctrl+s")
    (logged,) = seeded.forecasts(question=question.id)
    assert logged.probabilities == pytest.approx((0.5, 0.3, 0.2))


async def test_the_multiple_choice_form_shows_every_option_and_spreads_the_rest(seeded) -> None:
    question = where_they_meet(seeded, "Russia", "North Korea", "China", "Elsewhere")
    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_log_dialog(app, pilot, question.id)
        assert app.focused is dialog.query_one("#log-option-0")
        fields = [dialog.query_one(f"#log-option-{index}", Input) for index in range(4)]
        for field in fields:  # each is drawn: it has a size and lies inside the dialog
            dialog.query_one(VerticalScroll).scroll_to_widget(field, animate=False)
            await pilot.pause()
            assert field.region.height == 3
            assert field.region.width > 20
            assert field.region in dialog.query_one(VerticalScroll).region
        await type_into(app, pilot, "#log-option-1", "many")
        error = dialog.query_one("#err-option-1", Static)
        assert str(error.render()) == "is not a probability; give 0.15, 15% or odds 1:6"
        assert str(dialog.query_one("#err-option-2", Static).render()) == ""
        await type_into(app, pilot, "#log-option-1", "")
        await type_into(app, pilot, "#log-option-0", "10%")
        reading = str(dialog.query_one("#log-reading", Static).render())
        assert reading.startswith("Sum: 10% · 90% left; ^r spreads it")
        await press(app, pilot, "ctrl+r")
        assert [field.value for field in fields] == ["10%", "30%", "30%", "30%"]
        await type_into(app, pilot, "#log-option-0", "")
        await type_into(app, pilot, "#log-option-1", "")
        await press(app, pilot, "ctrl+r")  # 30% + 30% typed; the rest is 40% over two
        assert [field.value for field in fields] == ["20%", "20%", "30%", "30%"]
        await type_into(app, pilot, "#log-option-0", "")
        await type_into(app, pilot, "#log-option-1", "")
        await type_into(app, pilot, "#log-option-2", "")
        await press(app, pilot, "ctrl+r")  # thirds of the 70% left: 23.4 + 23.3 + 23.3
        assert [field.value for field in fields] == ["23.4%", "23.3%", "23.3%", "30%"]
        assert "complete" in str(dialog.query_one("#log-reading", Static).render())
        await press(app, pilot, "ctrl+s")
    (logged,) = seeded.forecasts(question=question.id)
    assert logged.probabilities == pytest.approx((0.234, 0.233, 0.233, 0.3))
    assert math.fsum(logged.probabilities) == pytest.approx(1.0, abs=1e-12)


async def choose(app, pilot, selector: str, value) -> None:
    app.screen.query_one(selector, Select).value = value
    await pilot.pause(0.05)


async def test_resolve_re_resolve_and_annul_keep_history(seeded) -> None:
    due = seeded.question(ref="nk-combat-on-ukrainian-territory-2025")
    async with running(seeded) as (app, pilot):
        await find(app, pilot, "Ukraine's internationally")
        await press(app, pilot, "r")
        assert isinstance(app.screen, ResolveDialog)
        await choose(app, pilot, "#resolve-outcome", "no")
        await type_into(app, pilot, "#resolve-date", "2026-01-02")
        app.screen.query_one(
            "#resolve-evidence", TextArea
        ).text = "No confirmation by [bold]31 Dec[/bold]."
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(app, pilot, "y")
        assert isinstance(app.screen, QuestionsScreen)
        # re-resolve from the detail screen, then annul
        await press(app, pilot, "enter")
        assert isinstance(app.screen, QuestionDetailScreen)
        for outcome in ("yes", "annulled"):
            await press(app, pilot, "r")
            history = str(app.screen.query_one("#resolve-history", Static).render())
            assert "Resolved before" in history
            await choose(app, pilot, "#resolve-outcome", outcome)
            await press(app, pilot, "ctrl+s")
            await press(app, pilot, "y")
        shown = str(app.screen.query_one("#detail-resolution", Static).render())
        assert "History" in shown and "[bold]31 Dec[/bold]" in shown
    history = seeded.resolutions(question=due.id)
    assert [r.outcome for r in history] == ["no", "yes", "annulled"]
    assert history[0].evidence == "No confirmation by [bold]31 Dec[/bold]."
    assert seeded.question(ref=due.id).status(TODAY) is QuestionStatus.ANNULLED


async def test_new_question(seeded) -> None:
    async with running(seeded) as (app, pilot):
        await press(app, pilot, "a")
        assert isinstance(app.screen, NewQuestionDialog)
        await pilot.press("ctrl+s")  # all empty: errors beside the fields
        await pilot.pause(0.05)
        assert "must not be blank" in str(app.screen.query_one("#err-title", Static).render())
        await type_into(app, pilot, "#question-title", "Will Lee and Kim meet in 2027?")
        app.screen.query_one("#question-criteria", TextArea).text = "Yes if they meet in person."
        await choose(app, pilot, "#question-kind", "multiple_choice")
        app.screen.query_one(
            "#question-options", TextArea
        ).text = "Panmunjom\nPyongyang\nSeoul\nNo meeting"
        await type_into(app, pilot, "#question-close", "2027-12-31")
        await type_into(app, pilot, "#question-tags", "South-Korea, summit")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, QuestionsScreen)
    (summary,) = [
        s for s in seeded.list_questions() if s.question.title.startswith("Will Lee and Kim")
    ]
    assert summary.question.options == ("Panmunjom", "Pyongyang", "Seoul", "No meeting")
    assert summary.question.tags == ("south-korea", "summit")
    assert summary.question.close_at == datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC)


async def test_filter_search_and_sort(seeded) -> None:
    async with running(seeded) as (app, pilot):
        table = app.screen.query_one(DataTable)
        assert table.row_count == 22
        await press(app, pilot, "d")  # due for resolution
        assert table.row_count == 5
        status = [table.get_row_at(i)[1].plain for i in range(table.row_count)]
        assert set(status) == {"awaiting resolution"}
        await press(app, pilot, "d", "slash", *"Beijing")
        titles = [table.get_row_at(i)[6].plain for i in range(table.row_count)]
        assert len(titles) == 4 and all("Beijing" in t for t in titles)
        await press(app, pilot, "escape")
        assert table.row_count == 22
        await press(app, pilot, "f")  # status: open: the four questions on 2027
        assert table.row_count == 4
        await press(app, pilot, "f")  # due
        assert table.row_count == 5
        await press(app, pilot, "escape", "o")  # sort by id
        ids = [int(table.get_row_at(i)[0].plain) for i in range(table.row_count)]
        assert ids == sorted(ids)
        await press(app, pilot, "O")
        assert int(table.get_row_at(0)[0].plain) == max(ids)
        app.screen.set_view(app.screen.view.__class__(tag="parade"))
        await settle(app, pilot)
        assert table.row_count == 7


async def test_leaderboard_to_a_forecaster_page_and_calibration(seeded) -> None:
    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await leaderboard_at(app, pilot, "Doo Jin-ho")
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ForecasterScreen)
        record = app.screen.record
        assert record is not None and record.forecaster.name == "Doo Jin-ho"
        scored = sorted(line.score.brier for line in record.lines if line.score)
        assert scored == pytest.approx(sorted([0.21125, 0.5, 1.40125, 0.21125]), abs=1e-12)
        assert app.screen.query_one(DataTable).row_count == len(record.lines) == 6
        summary = str(app.screen.query_one("#forecaster-summary", Static).render())
        assert summary.startswith("6 questions, mean Brier 0.581 over 4 scored")
        await press(app, pilot, "c")
        assert isinstance(app.screen, CalibrationScreen)
        assert app.screen.forecaster == "Doo Jin-ho"
        figures = str(app.screen.query_one("#calibration-figures", Static).render())
        assert figures.startswith("8 forecasts")
        await press(app, pilot, "escape")
        await press(app, pilot, "enter")  # the first row: a question page
        assert isinstance(app.screen, QuestionDetailScreen)
        await press(app, pilot, "escape", "escape", "b")
        assert app.screen.by == "tag"
        assert "north-korea" in [row.name for row in app.screen.rows]


async def test_sources_to_log_forecast_with_quote(seeded) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        await press(app, pilot, "s")
        assert isinstance(app.screen, SourcesScreen)
        listing = app.screen.query_one("#sources-list", DataTable)
        herald = [s.key for s in app.screen.sources].index(
            "herald-deployment-formalised-2025-04-28"
        )
        listing.move_cursor(row=herald)
        await settle(app, pilot)
        phrases = app.screen.query_one("#sources-phrases", DataTable)
        phrases.focus()
        await press(app, pilot, "enter")  # the first judgment: "chances ... remain slim"
        dialog = app.screen
        assert isinstance(dialog, LogForecastDialog)
        # "experts" in a Korea Herald article is the stored group, not a new person
        forecaster = dialog.query_one("#log-forecaster", Input).value
        assert forecaster == "Experts cited by The Korea Herald"
        assert "hidden" in dialog.query_one("#log-new").classes
        assert dialog.query_one("#log-quote", Input).value.startswith("However, experts agree")
        await choose(app, pilot, "#log-question", question.id)
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s")
    (logged,) = seeded.forecasts(question=question.id)
    assert logged.probability == 0.125 and logged.scale == "ICD 203"
    assert logged.quote.startswith("However, experts agree")
    assert logged.made_at == datetime(2025, 4, 28, tzinfo=UTC)
    assert seeded.forecaster(ref=logged.forecaster_id).name == forecaster


async def test_a_judgment_goes_on_the_question_it_is_about_and_the_reader_stays(seeded) -> None:
    """Every question still open when the article came out is offered, resolved ones too,
    the one most like the sentence first; after saving, the reader is where it was."""
    herald = seeded.source(ref="herald-deployment-formalised-2025-04-28")
    async with running(seeded) as (app, pilot):
        await press(app, pilot, "s")
        screen = app.screen
        listing = screen.query_one("#sources-list", DataTable)
        listing.move_cursor(row=[s.id for s in screen.sources].index(herald.id))
        await settle(app, pilot)
        phrases = screen.query_one("#sources-phrases", DataTable)
        others = next(
            index
            for index, found in enumerate(screen.detections)
            if found.attribution == "Others"
            and "attendance" in herald.text[found.phrase_end :][:30]
        )
        phrases.focus()
        phrases.move_cursor(row=others)
        await press(app, pilot, "enter")
        dialog = app.screen
        value = dialog.query_one("#log-forecaster", Input).value
        assert value == "Other experts cited by The Korea Herald"
        victory_day = seeded.question(ref=1)
        assert victory_day.resolution is not None  # resolved since, and still offered first
        assert dialog.offered[0] == victory_day.id
        closes = {row.question.id: row.question.close_at for row in seeded.list_questions()}
        published = herald.published_on
        assert sorted(dialog.offered) == sorted(
            qid for qid, close in closes.items() if close.date() >= published
        )
        assert len(dialog.offered) < len(closes)  # one closed before the article
        await choose(app, pilot, "#log-question", victory_day.id)
        await settle(app, pilot)
        await press(app, pilot, "ctrl+s")
        assert app.screen is screen
        await settle(app, pilot)
        assert screen.source.id == herald.id
        assert listing.cursor_row == [s.id for s in screen.sources].index(herald.id)
        assert phrases.cursor_row == others
        assert screen.current is screen.detections[others]
    logged = seeded.forecasts(question=victory_day.id)[-1]
    assert seeded.forecaster(ref=logged.forecaster_id).name == value
    assert "attendance" in logged.quote


async def test_data_is_shown_literally(seeded) -> None:
    question = open_question(seeded, title="Will [bold]Kim[/bold] go? [link=x]here[/link]")
    source = add_source(
        seeded,
        text="Analysts say a [bold]visit[/bold] is likely. [link=x]More[/link]",
        title="[red]Wire[/red]",
        published_on=datetime(2026, 1, 1).date(),
    )
    log(
        seeded,
        question=question.id,
        probability=0.6,
        source=source.id,
        quote="a [bold]visit[/bold] is likely",
        made_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    async with running(seeded) as (app, pilot):
        app.open_question(question.id)
        await settle(app, pilot)
        title = str(app.screen.query_one("#detail-title", Static).render())
        assert "[bold]Kim[/bold]" in title and "[link=x]here[/link]" in title
        table = app.screen.query_one("#detail-forecasts", DataTable)
        judgment = table.get_row_at(0)[3].plain
        assert "a [bold]visit[/bold] is likely" in judgment
        assert "source: [red]Wire[/red]" in judgment


async def test_a_failing_worker_shows_an_error_and_the_app_goes_on(seeded) -> None:
    async with running(seeded) as (app, pilot):
        app.open_question(99999)  # no such question: the worker fails
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("question: no question matches 99999" in m for m in messages)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, QuestionsScreen)


async def test_a_read_ahead_question_is_read_again_after_a_write(seeded) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        await find(app, pilot, "visit Moscow")  # the row is highlighted: its detail is read ahead
        assert question.id in app._prefetched
        await press(app, pilot, "n")
        await type_into(app, pilot, "#log-probability", "40%")
        await press(app, pilot, "ctrl+s")
        # the write dropped what was read before it; the reloaded row was read again
        kept = app._prefetched.get(question.id)
        assert kept is None or len(kept[0].forecasts) == 1
        await press(app, pilot, "enter")
        assert isinstance(app.screen, QuestionDetailScreen)
        consensus = str(app.screen.query_one("#detail-consensus", Static).render())
        assert "40% yes" in consensus and "1 forecaster," in consensus


async def test_paging_an_empty_filtered_table_does_not_crash(seeded) -> None:
    async with running(seeded) as (app, pilot):
        await press(app, pilot, "f", "slash", "x", "y", "z")  # open, and matching nothing
        assert app.screen.query_one(DataTable).row_count == 0
        await press(app, pilot, "pagedown", "down", "tab", "pagedown", "up", "enter")
        assert isinstance(app.screen, QuestionsScreen)
        assert not app.unexpected_errors
    assert app.return_code is None


async def test_n_then_a_probability_logs_your_forecast_at_once(seeded: Repository) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        await find(app, pilot, "visit Moscow")
        await press(app, pilot, "n", *"20%")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, QuestionsScreen)
    (logged,) = seeded.forecasts(question=question.id)
    assert logged.probability == pytest.approx(0.2)
    assert logged.forecaster_id == seeded.user_forecaster().id


def screen_text(app) -> str:
    """What the terminal shows, as plain text, one line a row."""
    lines: dict[float, list[tuple[float, str]]] = {}
    svg = app.export_screenshot()
    for found in re.finditer(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg
    ):
        x, y, text = float(found[1]), float(found[2]), html.unescape(found[3])
        lines.setdefault(y, []).append((x, text.replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(lines[y])) for y in sorted(lines))


@pytest.mark.parametrize("size", [(80, 24), (160, 40)])
async def test_the_question_page_shows_whole_quotes_rationales_and_values(seeded, size) -> None:
    question = where_they_meet(
        seeded, "Russia, at the Victory Day parade", "North Korea", "China, at the Beijing parade"
    )
    quote = (
        "Doo Jin-ho expects the next summit to take place in Russia, most likely around the "
        "treaty's anniversary, rather than in Pyongyang"
    )
    source = add_source(
        seeded, text=f"In an interview, {quote}.", title="Interview", published_on=TODAY.date()
    )
    log(
        seeded,
        question=question.id,
        probabilities=(0.6, 0.3, 0.1),
        source=source.id,
        quote=quote,
        made_at=TODAY,
        rationale="Russia has hosted the last two meetings; Kim rarely travels to China twice.",
    )
    async with running(seeded, size=size) as (app, pilot):
        app.open_question(question.id)
        await settle(app, pilot)
        table = app.screen.query_one("#detail-forecasts", DataTable)
        table.focus()
        await settle(app, pilot)
        shown = " ".join(screen_text(app).split())
    words = " ".join(quote.split()).split()
    for word in words:  # every word of the quote is on the screen, the last one included
        assert word in shown
    assert "rationale:" in shown and "twice." in shown
    for value in ("60%", "30%", "10%"):
        assert value in shown
    assert (
        "Consensus (median of standing forecasts): Russia, at the Victory Day parade 60%" in shown
    )
    assert "…" not in shown.split("Consensus", 1)[1].split("Not resolved", 1)[0]


def fits(table: DataTable) -> bool:
    """Every column of ``table`` is on screen: none is pushed past its right edge."""
    used = sum(column.get_render_width(table) for column in table.columns.values())
    return used <= table.scrollable_content_region.width


async def test_at_80x24_the_leaderboard_keeps_its_scores_and_whole_names(seeded) -> None:
    async with running(seeded, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "l")
        table = app.screen.query_one("#board-table", DataTable)
        labels = [column.label.plain for column in table.columns.values()]
        assert labels[:2] == ["#", "Forecaster"]
        assert {"Questions", "Brier", "Relative", "Skill", "Log"} <= set(labels)
        assert fits(table)
        width = list(table.columns.values())[1].width
        for index, row in enumerate(app.screen.rows):  # a long name wraps, it is never cut
            height = table.rows[table.coordinate_to_cell_key((index, 0)).row_key].height
            assert len(Text(row.name).wrap(app.console, width)) <= height
        assert any(len(row.name) > width for row in app.screen.rows)


async def test_at_80x24_the_reader_has_room_and_the_lists_fit(seeded) -> None:
    async with running(seeded, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "s")
        screen = app.screen
        assert screen.query_one("#sources-reader").size.width >= 40
        for name in ("#sources-list", "#sources-phrases"):
            assert fits(screen.query_one(name, DataTable))
        await pilot.resize_terminal(140, 40)
        await settle(app, pilot)
        listing = screen.query_one("#sources-list", DataTable)
        assert [c.label.plain for c in listing.columns.values()] == ["Published", "Source"]
        assert fits(listing) and fits(screen.query_one("#sources-phrases", DataTable))


async def test_the_key_bar_names_the_screens_keys_and_a_click_presses_one(seeded) -> None:
    from tui.widgets.keybar import KeyBar

    async with running(seeded) as (app, pilot):
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        assert line.startswith(" n Forecast  r Resolve ")
        assert line.rstrip().endswith("^p palette")
        assert len(line) == bar.size.width
        await press(app, pilot, "l")
        line = str(app.screen.query_one(KeyBar).render())
        assert line.startswith(" esc Back  b By… ") and "Forecast" not in line
        await press(app, pilot, "escape")
        await pilot.click(KeyBar, offset=(2, 0))  # on " n Forecast "
        await settle(app, pilot)
        assert isinstance(app.screen, LogForecastDialog)


async def test_the_forecast_form_on_an_empty_database_says_how_to_add_a_question() -> None:
    empty = Repository.open("sqlite://", clock=lambda: TODAY)
    async with running(empty, size=(80, 24)) as (app, pilot):
        await press(app, pilot, "n")
        error = str(app.screen.query_one("#err-question", Static).render())
        assert error == "No question to forecast yet: escape, then a adds one."
        await press(app, pilot, "escape", "a")
        assert isinstance(app.screen, NewQuestionDialog)


async def test_the_forecast_form_opened_again_forgets_the_last_use(seeded) -> None:
    """The app keeps the form between uses; each opening starts from its own prefill."""
    meet = where_they_meet(seeded, "Russia", "North Korea", "Elsewhere")
    binary = open_question(seeded)
    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await open_log_dialog(app, pilot, meet.id)
        await type_into(app, pilot, "#log-option-0", "50%")
        await type_into(app, pilot, "#log-forecaster", "Somebody New")
        await type_into(app, pilot, "#log-rationale", "a reason")
        await press(app, pilot, "escape")
        second = await open_log_dialog(app, pilot, binary.id)
        assert second is first  # the same dialog, opened again
        assert not second.query("#log-option-0")
        assert "hidden" not in second.query_one("#log-probability").classes
        assert second.query_one("#log-forecaster", Input).value == "me"
        assert second.query_one("#log-rationale", Input).value == ""
        assert "hidden" in second.query_one("#log-new").classes
        assert app.focused is second.query_one("#log-probability")
        await press(app, pilot, "2", "0", "%")
        await press(app, pilot, "ctrl+s")
        third = await open_log_dialog(app, pilot, meet.id)
        assert third.query_one("#log-option-2", Input).value == ""
        assert third.query_one("#log-probability", Input).value == ""
        assert app.focused is third.query_one("#log-option-0")
    (logged,) = seeded.forecasts(question=binary.id)
    assert logged.probability == 0.2 and not logged.rationale
    assert seeded.forecasts(question=meet.id) == []


async def test_the_resolve_and_new_question_dialogs_opened_again_start_empty(seeded) -> None:
    first, second = open_question(seeded, title="First?"), open_question(seeded, title="Second?")
    async with running(seeded) as (app, pilot):
        app.resolve_question(first.id)
        await settle(app, pilot)
        dialog = app.screen
        await choose(app, pilot, "#resolve-outcome", "yes")
        await type_into(app, pilot, "#resolve-evidence", "It happened.")
        await press(app, pilot, "escape")
        app.resolve_question(second.id)
        await settle(app, pilot)
        assert app.screen is dialog
        heading = str(dialog.query_one("#resolve-heading", Static).render())
        assert heading == f"Resolve #{second.id}: Second?"
        assert dialog.query_one("#resolve-outcome", Select).is_blank()
        assert dialog.query_one("#resolve-evidence", TextArea).text == ""
        assert dialog.question_id == second.id
        await press(app, pilot, "escape", "a")
        new = app.screen
        await type_into(app, pilot, "#question-title", "Will it?")
        await choose(app, pilot, "#question-kind", "multiple_choice")
        await type_into(app, pilot, "#question-options", "A")
        await press(app, pilot, "ctrl+s")  # refused: criteria and close are missing
        assert str(new.query_one("#err-criteria", Static).render())
        await press(app, pilot, "escape", "a")
        assert app.screen is new
        assert new.query_one("#question-title", Input).value == ""
        assert new.query_one("#question-options", TextArea).text == ""
        assert "hidden" in new.query_one("#question-options").classes
        assert str(new.query_one("#err-criteria", Static).render()) == ""
        assert app.focused is new.query_one("#question-title")
    assert seeded.question(ref=first.id).resolution is None


async def test_a_long_list_is_read_a_window_at_a_time_as_the_cursor_goes_down() -> None:
    repo = Repository.open("sqlite://", clock=lambda: TODAY)
    for number in range(1, 201):
        open_question(
            repo, title=f"Question {number:03}?", close_at=datetime(2027, 1, 1, tzinfo=UTC)
        )
    async with running(repo) as (app, pilot):
        table = app.screen.query_one(DataTable)
        assert table.row_count == 80  # two screens of a 40-line terminal, not all 200
        assert "200 questions" in str(app.screen.query_one("#questions-status", Static).render())
        for _ in range(6):
            await press(app, pilot, "ctrl+end")  # the last row read: the next window comes
        assert table.row_count == 200
        last = table.get_row_at(table.cursor_row)
        assert "Question 200?" in last[-1].plain


async def test_home_and_end_go_to_the_first_and_last_row(seeded) -> None:
    async with running(seeded) as (app, pilot):
        table = app.screen.query_one(DataTable)
        await press(app, pilot, "end")
        assert table.cursor_row == table.row_count - 1 > 0
        await press(app, pilot, "home")
        assert table.cursor_row == 0
        await press(app, pilot, "l", "end")
        board = app.screen.query_one(DataTable)
        assert board.cursor_row == board.row_count - 1 > 0


@pytest.mark.parametrize(
    ("typed", "spread_to"),
    [
        (["", "", ""], ["33.4%", "33.3%", "33.3%"]),
        ([""] * 7, ["14.3%"] * 6 + ["14.2%"]),
        (["12.345%", "", ""], ["12.345%", "43.8%", "43.855%"]),
        (["1", "", ""], ["1", "0%", "0%"]),
        (["0.6", "0.6", ""], None),  # already over 100%
        (["20%", "80%"], None),  # nothing empty
        (["lots", ""], None),  # a value that is not a probability
    ],
)
def test_spreading_the_rest_gives_tenths_that_sum_to_exactly_one(typed, spread_to) -> None:
    from forecasts.parsing import parse_probability
    from tui.dialogs.log_forecast import spread

    assert spread(typed) == spread_to
    if spread_to is not None:
        assert math.fsum(parse_probability(text) for text in spread_to) == pytest.approx(
            1, abs=1e-12
        )
