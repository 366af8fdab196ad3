"""The app draws its first screen before the repository is open: the first page of questions
comes from the light reader, the repository opens in a thread behind the first frame, and
what needs it waits for it; a repository that cannot open is shown as an error, not a hang."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import DataTable

from db import light
from db.repository import Repository
from db.seed import seed
from tests.conftest import NOW
from tui.app import ForecastApp
from tui.opening import Opening
from tui.screens.question_detail import QuestionDetailScreen


def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "seed.db"
    seed(Repository.open(f"sqlite:///{path}", clock=lambda: datetime(2026, 11, 22, tzinfo=UTC)))
    return path


async def test_the_first_page_is_read_before_the_repository_opens(tmp_path: Path) -> None:
    path = seeded(tmp_path)
    release = threading.Event()
    pages: list[int] = []

    def open_repository() -> Repository:
        release.wait(10)
        return Repository.open(f"sqlite:///{path}", clock=lambda: NOW)

    def first_page(query, **window):
        page = light.read_page(str(path), query, **window)
        pages.append(len(page.rows))
        return page

    opening = Opening(open_repository)
    app = ForecastApp(opening, clock=lambda: NOW, first_page=first_page)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(100):  # the first page arrives while the repository is held back
            if app.screen.query_one(DataTable).row_count:
                break
            await pilot.pause(0.02)
        table = app.screen.query_one(DataTable)
        assert not opening.ready
        assert pages and table.row_count == pages[0] > 0
        release.set()
        await pilot.press("enter")  # opening a question needs the repository: it waits
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, QuestionDetailScreen) and opening.ready
        await pilot.press("escape", "q")
    assert app.unexpected_errors == []


async def test_a_repository_that_cannot_open_is_reported(tmp_path: Path) -> None:
    path = seeded(tmp_path)

    def cannot_open() -> Repository:
        raise OSError("the disk went away")

    app = ForecastApp(
        Opening(cannot_open),
        clock=lambda: NOW,
        first_page=lambda query, **window: light.read_page(str(path), query, **window),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count > 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = " ".join(str(n.message) for n in app._notifications)
        assert "the disk went away" in shown
        assert not isinstance(app.screen, QuestionDetailScreen)
        await pilot.press("q")
