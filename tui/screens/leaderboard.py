"""The leaderboard: the score table by forecaster, tag or outlet, with intervals. Enter on a
row opens that forecaster's (or tag's) calibration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from db.kept_columns import default_folder
from db.scores import MIN_QUESTIONS, ScoreRow, leaderboard, load
from forecasts.text import one_line
from tui.dialogs.forecaster import MergeDialog, RenameDialog
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.screens.forecaster import ForecasterScreen
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable

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
        yield RowTable(id="board-table", zebra_stripes=True)
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
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "leaderboard"
        self.query_one(DataTable).focus()
        self.score()

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def score(self) -> None:
        repository = self.app.repository
        data = load(
            repository.engine,
            now=repository.clock(),
            with_outlets=self.by == "outlet",
            keep=default_folder(),
        )
        self.post_message(self.Scored(leaderboard(data, by=self.by), self.by, data.backdated))

    @on(DataChanged)
    def _changed(self) -> None:
        self.score()

    @on(Scored)
    def _show(self, message: Scored) -> None:
        if message.by != self.by:
            return
        self.rows = message.rows
        self._fill()
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
            status.update(Text(f"By {self.by} · {len(message.rows)} rows{listed}"))

    def on_resize(self) -> None:
        if self.rows:
            row = self.query_one(DataTable).cursor_row
            self._fill()
            self.query_one(DataTable).move_cursor(row=row, animate=False)

    def _fill(self) -> None:
        """The rows, with the columns that fit the screen: on a narrow one the interval and
        the count of forecasts go first, then the log score and skill; the rank, the name,
        the Brier score and the relative Brier always stay."""
        columns = board_columns(self.by, self.size.width or self.app.size.width, self.rows)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for column in columns:
            table.add_column(column.label, width=column.width)
        for index, row in enumerate(self.rows):
            table.add_row(*(column.cell(row) for column in columns), key=str(index), height=None)

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


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    cell: Callable[[ScoreRow], Text]
    keep: int  # the lower, the longer it stays as the screen narrows


def board_columns(by: str, screen: int, rows: list[ScoreRow]) -> list[Column]:
    """The leaderboard's columns for a screen ``screen`` cells wide: the name as wide as the
    longest (within 16..60) once the columns that fit are placed; a longer name wraps."""

    def right(text: Callable[[ScoreRow], str], style: str = "") -> Callable[[ScoreRow], Text]:
        return lambda row: Text(text(row), justify="right", style=style)

    fixed = [
        Column("#", 4, right(lambda r: "-" if r.rank is None else str(r.rank)), 0),
        Column("Questions", 9, right(lambda r: str(r.questions)), 2),
        *(
            []
            if by == "forecaster"
            else [Column("People", 6, right(lambda r: str(r.forecasters)), 5)]
        ),
        Column("Forecasts", 9, right(lambda r: str(r.forecasts)), 7),
        Column("Brier", 7, right(lambda r: f"{r.brier:.3f}", "bold"), 0),
        Column("95% interval", 14, lambda r: Text(f"[{r.brier_low:.3f}, {r.brier_high:.3f}]"), 6),
        Column(
            "Relative", 9, right(lambda r: "-" if r.relative is None else f"{r.relative:+.3f}"), 1
        ),
        Column("Skill", 7, right(lambda r: f"{r.skill:+.2f}"), 3),
        Column("Log", 7, right(lambda r: f"{r.log_score:.3f}"), 4),
    ]
    room = screen - 2  # the scroll bar
    longest = max((len(one_line(row.name)) for row in rows), default=10)
    name_width = max(16, min(60, longest))
    kept = list(fixed)
    while kept and sum(c.width + 2 for c in kept) + 16 + 2 > room:
        dropped = max(kept, key=lambda c: c.keep)
        if dropped.keep == 0:
            break
        kept.remove(dropped)
    name_width = max(16, min(name_width, room - sum(c.width + 2 for c in kept) - 2))

    def name(row: ScoreRow) -> Text:
        style = "italic" if row.kind == "aggregate" else ""
        return Text(one_line(row.name), style=style)  # wrapped in a taller row, never cut

    kept.insert(1, Column(by.capitalize(), name_width, name, 0))
    return kept
