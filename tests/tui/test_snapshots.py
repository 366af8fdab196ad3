"""Snapshots of every screen at 120x40 on the seed corpus with a frozen clock. Review the SVGs
in tests/tui/__snapshots__ when they change (pytest --snapshot-update writes them)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Input

from db.repository import Repository
from db.seed import seed
from tests.conftest import add_question
from tests.tui.conftest import TODAY
from tui.app import ForecastApp

SIZE = (120, 40)


def make_app() -> ForecastApp:
    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    seed(repository)
    add_question(
        repository,
        title="Will Kim Jong Un visit Moscow in 2027?",
        criteria="Yes if Kim is in Moscow at any time in 2027, per state media.",
        close_at=datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC),
        tags=["north-korea", "russia", "summit"],
        created_at=TODAY,
    )
    return ForecastApp(repository, clock=lambda: TODAY)


async def settle(pilot) -> None:
    app = pilot.app
    for _ in range(4):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    for box in app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause(0.1)


def steps(*keys: str, then=None):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return run_before


def test_questions_screen(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps())


def test_questions_due_for_resolution(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("d"))


def test_question_detail(snap_compare) -> None:
    async def open_kim(pilot) -> None:
        pilot.app.open_question(1)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(then=open_kim))


def test_log_forecast_dialog(snap_compare) -> None:
    async def fill(pilot) -> None:
        pilot.app.log_forecast(question=19)
        await settle(pilot)
        box = pilot.app.screen.query_one("#log-probability", Input)
        box.focus()
        await pilot.press(*"very unlikely")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(then=fill))


def test_resolve_dialog(snap_compare) -> None:
    async def resolve(pilot) -> None:
        pilot.app.resolve_question(8)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps(then=resolve))


def test_new_question_dialog(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("a"))


def test_leaderboard(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("l"))


def test_calibration(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("c"))


def test_sources_reader(snap_compare) -> None:
    async def herald(pilot) -> None:
        screen = pilot.app.screen
        row = [s.key for s in screen.sources].index("herald-deployment-formalised-2025-04-28")
        screen.query_one("#sources-list").move_cursor(row=row)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("s", then=herald))


def test_keys_panel(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=steps("question_mark"))


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
def test_questions_at_other_sizes(snap_compare, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steps())
