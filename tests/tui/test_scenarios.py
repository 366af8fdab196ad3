"""The scenario view in the app, driven with Pilot: v on a scenario set opens it; the seed's
worked example shows its signposts and replayed updates with before and after as bars; u
updates a forecaster's scenarios on the highlighted indicator (refusals beside their field),
p logs the posterior as their forecast; and a conditional question's page shows its
condition and the coherence of P(A) x P(B | A)."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console
from rich.text import Text
from textual.widgets import Checkbox, DataTable, Static

from forecasts.drafts import IndicatorDraft
from forecasts.models import QuestionKind, standing_forecasts
from forecasts.verbal import DEFAULT_SCALE
from tests.conftest import add_question, log, resolve
from tests.tui.conftest import TODAY
from tests.tui.test_flows import open_question, press, running, settle, where_they_meet
from tui.dialogs.update_scenarios import UpdateScenariosDialog
from tui.screens.question_detail import QuestionDetailScreen
from tui.screens.scenarios import ScenarioScreen, bar

MEETING = "next-kim-putin-meeting-place-2025"


def shown(app, selector: str) -> str:
    """What a Static shows, as plain text (a table drawn as the terminal would)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=120, record=True, color_system=None)
    console.print(content)
    return console.export_text()


def rows(app, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def test_a_bar_is_drawn_in_eighths_of_a_cell() -> None:
    assert bar(0.0, 10) == "" and bar(1.0, 10) == "█" * 10
    assert bar(0.5, 10) == "█" * 5
    assert bar(0.55, 10) == "█" * 5 + "▌"  # 5.5 cells: five and a half
    assert bar(0.0125, 10) == "▏"  # an eighth of a cell
    assert bar(1.7, 4) == "████" and bar(-0.2, 4) == ""


async def test_the_worked_example_in_the_scenario_view(seeded) -> None:
    meeting = seeded.question(ref=MEETING)
    async with running(seeded) as (app, pilot):
        app.open_question(meeting.id)
        await settle(app, pilot)
        await press(app, pilot, "v")
        assert isinstance(app.screen, ScenarioScreen)
        bars = shown(app, "#scenario-bars")
        for label in meeting.options:
            assert label in bars
        assert "Kim skips the Victory Day crowd" in bars
        signposts = rows(app, "#scenario-indicators")
        # all three resolved; ranked by what observing them would have told
        assert [row[1] for row in signposts] == ["resolved yes", "resolved no", "resolved yes"]
        assert signposts[0][0].startswith("#14 Will Kim Jong Un attend the 3 September")
        history = rows(app, "#scenario-history")
        assert [row[1] for row in history] == ["2025-06-17", "2025-06-20", "2025-08-28"]
        assert all(row[2] == "Worked example (seed corpus)" for row in history)
        assert history[2][4] == "source 3"
        # the highlighted update, before and after
        app.screen.query_one("#scenario-history", DataTable).move_cursor(row=2)
        await settle(app, pilot)
        panel = shown(app, "#scenario-update")
        assert "Update 3: Worked example (seed corpus), before and after" in panel
        assert "12.4%" in panel and "54.9%" in panel
        assert "independent of each other given the scenario" in shown(app, "#scenario-assumption")
        await press(app, pilot, "escape")
        assert isinstance(app.screen, QuestionDetailScreen)
        # a yes-or-no question is not a scenario set
        app.open_question(seeded.question(ref="kim-moscow-victory-day-2025").id)
        await settle(app, pilot)
        await press(app, pilot, "v")
        assert isinstance(app.screen, QuestionDetailScreen)
        assert any("Only a multiple-choice" in str(n.message) for n in app._notifications)
    assert not app.unexpected_errors


def futures(repository):
    """A two-scenario set open until 2027, Ana's 60/40 forecast on it, and an indicator
    likely in a thaw and unlikely in a freeze, resolved yes today."""
    scenario_set = where_they_meet(repository, "Thaw", "Freeze")
    signpost = open_question(repository, title="Will the leaders meet?")
    log(repository, question=scenario_set.id, forecaster="Ana", new_forecaster_kind="person",
        probabilities=(0.6, 0.4), made_at=TODAY)  # fmt: skip
    repository.add_indicator(
        IndicatorDraft.parse(scenario_set, signpost, "0.9, 0.3", scale=DEFAULT_SCALE)
    )
    return scenario_set, signpost


async def test_update_and_log_the_posterior_with_two_keys(seeded) -> None:
    scenario_set, signpost = futures(seeded)
    async with running(seeded) as (app, pilot):
        app.push_screen(ScenarioScreen(scenario_set.id))
        await settle(app, pilot)
        await press(app, pilot, "u")
        dialog = app.screen
        assert isinstance(dialog, UpdateScenariosDialog)
        await press(app, pilot, "ctrl+s")  # the indicator is not resolved: refused
        assert isinstance(app.screen, UpdateScenariosDialog)
        assert "is not resolved; resolve it, or name a source" in shown(app, "#err-save")
        app.screen.query_one("#update-not", Checkbox).value = True
        await press(app, pilot, "ctrl+s")  # "did not happen" needs a source
        assert shown(app, "#err-source") == "needs the source that reports it"
        await press(app, pilot, "escape")
        assert seeded.scenario_updates(question=scenario_set.id) == []
        resolve(seeded, question=signpost.id, outcome="yes", resolved_at=TODAY)
        app.data_changed()
        await settle(app, pilot)
        await press(app, pilot, "u")
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, ScenarioScreen)
        (update,) = seeded.scenario_updates(question=scenario_set.id)
        # by hand: 0.6 x 0.9 = 0.54 and 0.4 x 0.3 = 0.12 of 0.66
        assert update.posterior == (0.54 / 0.66, 0.12 / 0.66)
        assert rows(app, "#scenario-history")[0][5] == "not yet"
        assert "81.8%" in shown(app, "#scenario-update")
        await press(app, pilot, "p")
        logged = standing_forecasts(seeded.forecasts(question=scenario_set.id))
        (ana,) = logged.values()
        assert ana.probabilities == update.posterior
        assert ana.rationale.startswith("Bayes update on indicator")
        assert rows(app, "#scenario-history")[0][5] == f"forecast {ana.id}"
        await press(app, pilot, "p")  # once only
        assert any("logged already" in str(n.message) for n in app._notifications)
    assert not app.unexpected_errors


async def test_a_conditional_questions_page_shows_its_condition(seeded) -> None:
    meet = open_question(seeded, title="Will they meet in 2027?")
    sign = add_question(
        seeded,
        title="If they meet, will they sign?",
        criteria="Yes if a treaty is signed at the meeting.",
        close_at=datetime(2027, 12, 31, tzinfo=UTC),
        kind=QuestionKind.BINARY,
    )
    both = open_question(seeded, title="Will they meet and sign in 2027?")
    seeded.set_condition(question=sign.id, condition=meet.id, joint=both.id)
    for question, p in ((meet, 0.6), (sign, 0.5), (both, 0.4)):
        log(seeded, question=question.id, forecaster="Ana", new_forecaster_kind="person",
            probability=p, made_at=TODAY)  # fmt: skip
    async with running(seeded) as (app, pilot):
        app.open_question(sign.id)
        await settle(app, pilot)
        text = shown(app, "#detail-condition")
        assert f"asked if #{meet.id} Will they meet in 2027? resolves yes" in text
        assert "not resolved yet: not scored until it resolves yes" in text
        assert "Ana: 60% x 50% = 30%; direct 40%  incoherent: 10% apart" in text
        app.open_question(meet.id)
        await settle(app, pilot)
        assert f"Conditional on this one: #{sign.id}" in shown(app, "#detail-condition")
    assert not app.unexpected_errors
