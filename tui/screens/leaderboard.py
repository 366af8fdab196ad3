"""The leaderboard: the score table by forecaster, tag or outlet, with intervals. Enter on a
row opens that forecaster's (or tag's) calibration."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from db.scores import MIN_QUESTIONS, ScoreRow, leaderboard, load
from forecasts.text import one_line
from tui.dialogs.forecaster import MergeDialog, RenameDialog
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.screens.forecaster import ForecasterScreen

GROUPS = ("forecaster", "tag", "outlet")


class LeaderboardScreen(ReportsWorkerErrors, Screen[None]):
    """Who forecasts best: mean Brier with its 95% interval, relative Brier, skill, log score."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("board")

    class Scored(Message):
        def __init__(self, rows: list[ScoreRow], by: str, backdated: int) -> None:
            super().__init__()
            self.rows = rows
            self.by = by
            self.backdated = backdated

    def __init__(self, by: str = "forecaster") -> None:
        super().__init__()
        self.by = by
        self.rows: list[ScoreRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Scoring…", id="board-status")
        yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            Text(
                "Ranked by relative Brier where there were peers, then by Brier. Brier 0..2, "
                "lower is better (always 50% scores 0.5), time-weighted over each question. "
                "Relative: against the median forecaster on the same questions. "
                "Skill: 1 - Brier / chance. Log: mean ln p(outcome).",
                style="dim",
            ),
            id="board-legend",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "leaderboard"
        self.query_one(DataTable).focus()
        self.score()

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def score(self) -> None:
        repository = self.app.repository
        data = load(repository.engine, now=repository.clock(), with_outlets=self.by == "outlet")
        self.post_message(self.Scored(leaderboard(data, by=self.by), self.by, data.backdated))

    @on(DataChanged)
    def _changed(self) -> None:
        self.score()

    @on(Scored)
    def _show(self, message: Scored) -> None:
        if message.by != self.by:
            return
        self.rows = message.rows
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("#", width=4)
        table.add_column(self.by.capitalize(), width=max(24, min(60, self.size.width - 84)))
        counts = [("Questions", 9)] + ([] if self.by == "forecaster" else [("People", 6)])
        for label, width in (
            *counts,
            ("Forecasts", 9),
            ("Brier", 7),
            ("95% interval", 14),
            ("Relative", 9),
            ("Skill", 7),
            ("Log", 7),
        ):
            table.add_column(label, width=width)
        for index, row in enumerate(message.rows):
            aggregate = row.kind == "aggregate"
            people = (
                [] if self.by == "forecaster" else [Text(str(row.forecasters), justify="right")]
            )
            table.add_row(
                Text("-" if row.rank is None else str(row.rank), justify="right"),
                Text(
                    one_line(row.name),
                    style="italic" if aggregate else "",
                    no_wrap=True,
                    overflow="ellipsis",
                ),
                Text(str(row.questions), justify="right"),
                *people,
                Text(str(row.forecasts), justify="right"),
                Text(f"{row.brier:.3f}", justify="right", style="bold"),
                Text(f"[{row.brier_low:.3f}, {row.brier_high:.3f}]"),
                Text("-" if row.relative is None else f"{row.relative:+.3f}", justify="right"),
                Text(f"{row.skill:+.2f}", justify="right"),
                Text(f"{row.log_score:.3f}", justify="right"),
                key=str(index),
            )
        status = self.query_one("#board-status", Static)
        if not message.rows:
            status.update(
                Text("Nothing to score yet: scores need resolved questions with forecasts.")
            )
        else:
            unranked = sum(row.rank is None for row in message.rows)
            listed = f" ({unranked} unranked: under {MIN_QUESTIONS} questions)" if unranked else ""
            if message.backdated:
                listed += f" · {message.backdated} backdated left out"
            status.update(
                Text(
                    f"By {self.by} · {len(message.rows)} rows{listed} · "
                    "b: group by · enter: open · c: calibration"
                )
            )

    def action_cycle_by(self) -> None:
        self.by = GROUPS[(GROUPS.index(self.by) + 1) % len(GROUPS)]
        self.query_one("#board-status", Static).update("Scoring…")
        self.score()

    def _row(self) -> ScoreRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        """A forecaster's row opens their page; a tag's, its calibration."""
        row = self._row()
        if row is None:
            return
        if self.by == "forecaster" and row.kind != "aggregate":
            self.app.push_screen(ForecasterScreen(row.name))
        else:
            self.action_calibration()

    def _names(self) -> list[str]:
        return [row.name for row in self.rows if row.kind != "aggregate"]

    def _forecaster_row(self) -> ScoreRow | None:
        row = self._row()
        if row is None or self.by != "forecaster" or row.kind == "aggregate":
            self.notify("Choose a forecaster's row (by forecaster).", severity="warning")
            return None
        return row

    def action_merge(self) -> None:
        row = self._forecaster_row()
        if row is not None:
            self.app.change_forecaster(MergeDialog, row.name, self._names())

    def action_rename(self) -> None:
        row = self._forecaster_row()
        if row is not None:
            self.app.change_forecaster(RenameDialog, row.name, self._names())

    def action_calibration(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.kind == "aggregate" or self.by == "outlet":
            self.notify("Calibration is kept for forecasters and tags.", severity="warning")
            return
        if self.by == "tag":
            self.app.open_calibration(tag=row.name)
        else:
            self.app.open_calibration(forecaster=row.name)
