"""Random walks of keys through every screen and dialog: on an empty and on a seeded
database, at 120x40 and at 60x20, no key may end in an unexpected error.

The walks are seeded, so a failure names a walk that replays exactly. Keys are drawn from
every binding of the keymap, the keys a form is typed with, and movement; quitting is left
out (it ends the walk, not the app's troubles)."""

from __future__ import annotations

import random

import pytest

from db.repository import Repository
from db.seed import seed
from tests.tui.conftest import TODAY
from tests.tui.test_flows import settle
from tui.app import ForecastApp
from tui.keys import KEYMAP

BOUND = sorted({row[0] for rows in KEYMAP.values() for row in rows} - {"q", "ctrl+c"})
TYPING = ["a", "b", "x", "1", "0", "5", "percent", "full_stop", "minus", "space", "backspace"]
MOVING = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab",
          "shift+tab", "enter", "escape", "escape"]  # fmt: skip
KEYS = BOUND + TYPING + MOVING

PRESSES = 500
"""Presses in each walk: four walks (two databases, two sizes) make 2,000."""


def _database(kind: str) -> Repository:
    repository = Repository.open("sqlite://", clock=lambda: TODAY, user_name="walker")
    if kind == "seeded":
        seed(repository)
    return repository


@pytest.mark.parametrize("size", [(120, 40), (60, 20)], ids=["120x40", "60x20"])
@pytest.mark.parametrize("kind", ["empty", "seeded"])
async def test_a_random_walk_of_keys_never_breaks_the_app(kind: str, size) -> None:
    rng = random.Random(f"{kind}-{size}")
    app = ForecastApp(_database(kind), clock=lambda: TODAY)
    pressed: list[str] = []
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for count in range(0, PRESSES, 5):
            keys = [rng.choice(KEYS) for _ in range(5)]
            pressed.extend(keys)
            await pilot.press(*keys)
            if count % 25 == 20:
                await settle(app, pilot)
            assert not app.unexpected_errors, (pressed[-30:], app.unexpected_errors)
            assert app.is_running, pressed[-30:]
        await settle(app, pilot)
    assert not app.unexpected_errors, (pressed[-30:], app.unexpected_errors)
    assert app.return_code in (None, 0), pressed[-30:]


async def test_an_unexpected_error_is_shown_and_the_app_carries_on(monkeypatch) -> None:
    from tui.screens.questions import QuestionsScreen

    def broken(self) -> None:
        raise RuntimeError("a bug in a handler")

    monkeypatch.setattr(QuestionsScreen, "action_cycle_status", broken)
    app = ForecastApp(_database("seeded"), clock=lambda: TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert [str(error) for error in app.unexpected_errors] == ["a bug in a handler"]
        shown = [n.message for n in app._notifications]
        assert any("RuntimeError: a bug in a handler" in message for message in shown)
        await pilot.press("d")  # the screen still answers
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, QuestionsScreen)
    assert app.return_code in (None, 0)


async def test_five_digit_ids_are_shown_whole() -> None:
    from textual.widgets import DataTable

    from db.demo import write_demo

    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    write_demo(repository, questions=42_430, forecasters=2, forecasts=10, seed=1)
    app = ForecastApp(repository, clock=lambda: TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        ids = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert max(len(ident) for ident in ids) == 5
        assert table.columns["id"].width >= 5  # the column fits the widest id stored
