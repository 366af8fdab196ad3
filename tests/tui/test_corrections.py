"""Corrections in the app, driven with Pilot: e edits a question (kept as a revision), x
retracts the highlighted forecast, and ctrl+z undoes the last change by appending its
opposite, with a notice saying what was undone."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable, TextArea

from forecasts.models import EventKind, standing_forecasts
from tests.conftest import log, resolve
from tests.tui.conftest import TODAY
from tests.tui.test_flows import (
    highlight_row,
    leaderboard_at,
    open_question,
    press,
    running,
    settle,
    type_into,
)
from tui.app import ForecastApp
from tui.dialogs.edit_question import EditQuestionDialog
from tui.dialogs.retract import RetractDialog
from tui.screens.question_detail import QuestionDetailScreen


async def test_edit_retract_and_undo(seeded) -> None:
    question = open_question(seeded)
    first = log(seeded, question=question.id, probability=0.2, made_at=TODAY)
    async with running(seeded) as (app, pilot):
        app.open_question(question.id)
        await settle(app, pilot)
        assert isinstance(app.screen, QuestionDetailScreen)
        await press(app, pilot, "e")
        assert isinstance(app.screen, EditQuestionDialog)
        app.screen.query_one("#edit-criteria", TextArea).text = "Yes if Kim is in Moscow in 2027."
        await press(app, pilot, "ctrl+s")
        assert "must say why" in str(app.screen.query_one("#err-reason").render())
        await type_into(app, pilot, "#edit-reason", "narrower")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, QuestionDetailScreen)
        assert seeded.question(ref=question.id).criteria == "Yes if Kim is in Moscow in 2027."
        await press(app, pilot, "ctrl+z")  # the edit is reverted by a new revision
        assert seeded.question(ref=question.id).criteria == question.criteria
        revisions = seeded.question_detail(ref=question.id).revisions
        assert [r.reason for r in revisions] == ["narrower", "undone in the app (ctrl+z)"]
        await press(app, pilot, "ctrl+z")
        assert "Nothing to undo" in " ".join(str(n.message) for n in app._notifications)

        app.screen.query_one("#detail-forecasts", DataTable).focus()
        await press(app, pilot, "x")
        assert isinstance(app.screen, RetractDialog)
        await type_into(app, pilot, "#retract-reason", "wrong question")
        await press(app, pilot, "ctrl+s")
        (stored,) = seeded.forecasts(question=question.id)
        assert stored.id == first.id and stored.retraction.reason == "wrong question"

        app.log_forecast(question=question.id)
        await settle(app, pilot)
        await type_into(app, pilot, "#log-probability", "40%")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, QuestionDetailScreen)
        logged = max(seeded.forecasts(question=question.id), key=lambda f: f.id)
        assert logged.retraction is None and logged.probability == 0.4
        await press(app, pilot, "ctrl+z")  # the logged forecast is retracted
        undone = max(seeded.forecasts(question=question.id), key=lambda f: f.id)
        assert undone.id == logged.id and undone.retraction is not None
        assert standing_forecasts(seeded.forecasts(question=question.id)) == {}
    kinds = [event.kind for event in seeded.events()]
    assert kinds == [EventKind.EDITED, EventKind.EDITED, EventKind.RETRACTED, EventKind.RETRACTED]


async def resolve_in_the_dialog(app, pilot, question: int, outcome: str, *date: str) -> None:
    """Resolve through the dialog, confirming it."""
    app.resolve_question(question)
    await settle(app, pilot)
    app.screen.query_one("#resolve-outcome").value = outcome
    for typed in date:
        await type_into(app, pilot, "#resolve-date", typed)
    await press(app, pilot, "ctrl+s")
    await press(app, pilot, "y")


async def test_undoing_a_re_resolution_restores_the_one_before(seeded) -> None:
    due = seeded.question(ref="nk-combat-on-ukrainian-territory-2025")
    resolve(seeded, question=due.id, outcome="no", resolved_at=datetime(2026, 1, 2, tzinfo=UTC))
    async with running(seeded) as (app, pilot):
        await resolve_in_the_dialog(app, pilot, due.id, "yes", "2026-02-01")
        assert seeded.question(ref=due.id).resolution.outcome == "yes"
        await press(app, pilot, "ctrl+z")
        assert seeded.question(ref=due.id).resolution.outcome == "no"
        outcomes = [r.outcome for r in seeded.resolutions(question=due.id)]
        assert outcomes == ["no", "yes", "no"]  # nothing erased


async def test_a_first_resolution_is_not_undone_but_explained(seeded) -> None:
    question = open_question(seeded, close_at=datetime(2026, 1, 1, tzinfo=UTC))
    async with running(seeded) as (app, pilot):
        await resolve_in_the_dialog(app, pilot, question.id, "no")
        await press(app, pilot, "ctrl+z")
        said = " ".join(str(n.message) for n in app._notifications)
        assert "A first resolution cannot be taken back" in said
        assert len(seeded.resolutions(question=question.id)) == 1


async def test_the_question_page_shows_its_history(seeded) -> None:
    question = open_question(seeded)
    log(seeded, question=question.id, probability=0.2, made_at=TODAY)
    from forecasts.drafts import QuestionEdit

    seeded.edit_question(
        QuestionEdit.parse(
            question, now=TODAY, title="Will Kim visit Moscow in 2027?", reason="short"
        )
    )
    async with running(seeded) as (app, pilot):
        app.open_question(question.id)
        await settle(app, pilot)
        shown = str(app.screen.query_one("#detail-history").render())
    assert "edited 1 time after forecasts were made" in shown
    for kind in ("created", "forecast", "edited"):
        assert kind in shown
    assert "(short)" in shown


async def test_a_new_name_that_nearly_matches_is_pointed_out(seeded) -> None:
    question = open_question(seeded)
    async with running(seeded) as (app, pilot):
        app.log_forecast(question=question.id)
        await settle(app, pilot)
        await type_into(app, pilot, "#log-forecaster", "experts")
        hint = app.screen.query_one("#log-similar")
        assert "hidden" not in hint.classes
        assert "Did you mean 'Experts cited by The Korea Herald'" in str(hint.render())
        await type_into(app, pilot, "#log-forecaster", "Experts cited by The Korea Herald")
        assert "hidden" in hint.classes


async def test_rename_and_merge_from_the_leaderboard(seeded) -> None:
    from tui.dialogs.forecaster import MergeDialog, RenameDialog
    from tui.screens.leaderboard import LeaderboardScreen

    app = ForecastApp(seeded, clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await leaderboard_at(app, pilot, "Cha Du-hyeogn")
        await press(app, pilot, "R")
        assert isinstance(app.screen, RenameDialog)
        await type_into(app, pilot, "#forecaster-name", "Cha Du-hyeong")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, LeaderboardScreen)
        assert seeded.forecaster(ref="Cha Du-hyeong").name == "Cha Du-hyeong"
        await highlight_row(app, "Other experts cited by The Korea Herald")
        await press(app, pilot, "m")
        assert isinstance(app.screen, MergeDialog)
        await type_into(app, pilot, "#forecaster-name", "Nobody at all")
        await press(app, pilot, "ctrl+s")
        assert "no forecaster matches 'Nobody at all'" in str(
            app.screen.query_one("#err-name").render()
        )
        await type_into(app, pilot, "#forecaster-name", "Experts cited by The Korea Herald")
        await type_into(app, pilot, "#forecaster-reason", "one group")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, LeaderboardScreen)
        names = [row.name for row in app.screen.rows]
        assert "Other experts cited by The Korea Herald" not in names
    kinds = [event.kind for event in seeded.events()]
    assert kinds == [EventKind.RENAMED, EventKind.MERGED]


async def test_undoing_a_new_question_withdraws_it(seeded) -> None:
    from textual.widgets import TextArea as Area

    async with running(seeded) as (app, pilot):
        await press(app, pilot, "a")
        await type_into(app, pilot, "#question-title", "Will Kim visit Seoul in 2027?")
        app.screen.query_one("#question-criteria", Area).text = "Yes if he does."
        await type_into(app, pilot, "#question-close", "2027-12-31")
        await press(app, pilot, "ctrl+s")
        (added,) = [s.question for s in seeded.list_questions() if "Seoul" in s.question.title]
        await press(app, pilot, "ctrl+z")
        said = " ".join(str(n.message) for n in app._notifications)
        assert f"question {added.id} is withdrawn" in said
    assert added.id in [s.question.id for s in seeded.list_questions(withdrawn=True)]
