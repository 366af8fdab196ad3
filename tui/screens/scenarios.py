"""A scenario set: the scenarios as bars (the median of the standing forecasts) with their
narratives, each forecaster's standing forecast, the indicators with their status,
likelihoods and what observing them would tell (the signposts worth watching first), and the
history of updates, the highlighted one's before and after as bars. ``u`` updates a
forecaster's scenarios on the highlighted indicator; ``p`` logs the highlighted update's
posterior as their forecast."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from db.scenario_view import ASSUMPTION, HistoryRow, ScenarioView
from forecasts.models import Question
from forecasts.text import one_line, percent, safe
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.screens.base import ShowsQuestion
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable

BAR = 24
"""The width of a bar at 100%."""


def bar(share: float, width: int = BAR) -> str:
    """A horizontal bar of ``share`` (0..1) in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[part]


class ScenarioScreen(ShowsQuestion, ReportsWorkerErrors, Screen[None]):
    """A scenario set, its signposts and its updates."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("scenarios")

    class Loaded(Message):
        def __init__(self, view: ScenarioView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.view: ScenarioView | None = None
        self.select_update: int | None = None
        """The update to highlight once the view is read again (one just made)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="scenario-body"):
            yield Static("Loading…", id="scenario-title")
            yield Static(id="scenario-bars")
            yield Static(id="scenario-standing")
            yield Label("Indicators, the most worth watching first", classes="heading")
            yield Static(id="scenario-ranked", classes="hint")
            yield RowTable(id="scenario-indicators", zebra_stripes=True)
            yield Label("Updates, oldest first", classes="heading")
            yield RowTable(id="scenario-history", zebra_stripes=True)
            yield Static(id="scenario-update")
            yield Static(Text(ASSUMPTION, style="italic"), id="scenario-assumption")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"scenarios of question {self.question_id}"
        self.query_one("#scenario-indicators").focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="scenarios")
    def load(self) -> None:
        view = self.app.repository.scenario_view(question=self.question_id)
        self.post_message(self.Loaded(view))

    @on(DataChanged)
    def _changed(self) -> None:
        self.load()

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        view = self.view = message.view
        question = view.question
        self.query_one("#scenario-title", Static).update(
            Text(f"#{question.id}  {one_line(question.title)}", style="bold")
        )
        self.query_one("#scenario-bars", Static).update(_bars(view))
        self.query_one("#scenario-standing", Static).update(_standing(view))
        self.query_one("#scenario-ranked", Static).update(
            Text(f"Expected information gain, in bits, on {view.ranked_on}.")
        )
        self._fill_indicators(view)
        self._fill_history(view)

    def _fill_indicators(self, view: ScenarioView) -> None:
        table = self.query_one("#scenario-indicators", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Indicator", width=34)
        table.add_column("Status", width=12)
        for label in view.question.options:
            table.add_column(one_line(label, 9), width=max(6, min(9, len(label))))
        table.add_column("Diag.", width=5)
        table.add_column("Gain", width=6)
        for post in view.signposts:
            table.add_row(
                Text(f"#{post.question.id} {one_line(post.question.title)}"),
                Text(f"resolved {post.outcome}" if post.outcome else "open"),
                *(Text(percent(p), justify="right") for p in post.indicator.likelihoods),
                Text(f"{post.diagnosticity:.2f}", justify="right"),
                Text(f"{post.information_gain:.3f}", justify="right"),
                key=str(post.question.id),
            )
        if not view.signposts:
            table.add_row(Text("No indicators yet: forecasts scenario indicator add", style="dim"))
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)), animate=False)

    def _fill_history(self, view: ScenarioView) -> None:
        table = self.query_one("#scenario-history", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for title, width in (
            ("#", 3),
            ("Date", 10),
            ("Whose", 20),
            ("Indicator", 28),
            ("Known by", 14),
            ("Logged", 12),
        ):
            table.add_column(title, width=width)
        for entry in view.history:
            update = entry.update
            known = (
                f"source {update.source_id}"
                if update.source_id is not None
                else f"resolved {'yes' if update.observed else 'no'}"
            )
            if entry.stale:
                known += " (changed)"
            table.add_row(
                Text(str(update.id)),
                Text(f"{update.updated_at:%Y-%m-%d}"),
                Text(one_line(entry.forecaster)),
                Text(f"#{entry.question.id} {one_line(entry.question.title)}"),
                Text(known),
                Text(f"forecast {update.forecast_id}" if update.forecast_id else "not yet"),
                key=str(update.id),
            )
        if not view.history:
            table.add_row(Text("None yet: u updates on the highlighted indicator", style="dim"))
        chosen = self._row_of(view, self.select_update)
        self.select_update = None
        target = chosen if chosen is not None else min(row, max(table.row_count - 1, 0))
        table.move_cursor(row=target, animate=False)
        self._show_update()
        if chosen is not None:  # one just made: show it, before and after
            table.focus()
            self.call_after_refresh(self.query_one("#scenario-update").scroll_visible)

    @staticmethod
    def _row_of(view: ScenarioView, update_id: int | None) -> int | None:
        for index, entry in enumerate(view.history):
            if entry.update.id == update_id:
                return index
        return None

    def highlighted_update(self) -> HistoryRow | None:
        table = self.query_one("#scenario-history", DataTable)
        if self.view is None or not self.view.history or not table.row_count:
            return None
        return self.view.history[min(table.cursor_row, len(self.view.history) - 1)]

    @on(DataTable.RowHighlighted, "#scenario-history")
    def _show_update(self) -> None:
        entry = self.highlighted_update()
        shown = self.query_one("#scenario-update", Static)
        if entry is None or self.view is None:
            shown.update("")
            return
        shown.update(_before_after(self.view.question, entry))

    def highlighted_indicator(self) -> int | None:
        table = self.query_one("#scenario-indicators", DataTable)
        if self.view is None or not self.view.signposts or not table.row_count:
            return None
        return self.view.signposts[min(table.cursor_row, len(self.view.signposts) - 1)].question.id

    def action_update(self) -> None:
        indicator = self.highlighted_indicator()
        if self.view is None or indicator is None:
            self.notify("There is no indicator to update on.", severity="warning")
            return
        self.app.update_scenarios(self.view, indicator, then=self._updated)

    def _updated(self, update_id: int) -> None:
        self.select_update = update_id

    def action_log(self) -> None:
        entry = self.highlighted_update()
        if entry is None:
            self.notify("There is no update to log; u makes one.", severity="warning")
            return
        if entry.update.forecast_id is not None:
            self.notify(
                f"Update {entry.update.id} is logged already, as forecast "
                f"{entry.update.forecast_id}.",
                severity="warning",
            )
            return
        self.app.log_posterior(entry.update.id)  # type: ignore[arg-type]

    def action_open(self) -> None:
        """Open the highlighted indicator's question (or, from the history, the update's)."""
        if self.focused is self.query_one("#scenario-history"):
            entry = self.highlighted_update()
            target = entry.question.id if entry is not None else None
        else:
            target = self.highlighted_indicator()
        if target is not None:
            self.app.open_question(target)

    def current_question(self) -> int | None:
        return self.question_id


def _bars(view: ScenarioView) -> Table:
    """Each scenario: its number, label and narrative, the median as a bar and a number."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(justify="right", width=3)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", width=6)
    grid.add_column(width=BAR + 1)
    question, median = view.question, view.median
    for index, label in enumerate(question.options):
        cell = Text(one_line(label), style="bold")
        if question.narrative(label):
            cell.append("\n" + safe(question.narrative(label)), style="italic")
        share = median[index] if median else None
        grid.add_row(
            Text(f"{index + 1}."),
            cell,
            Text(percent(share) if share is not None else "-"),
            Text(bar(share) if share is not None else "", style="cyan"),
        )
    return grid


def _standing(view: ScenarioView) -> Text:
    text = Text()
    count = len(view.standing)
    if not count:
        return Text("No standing forecasts yet: n logs one.", style="dim")
    text.append(f"Median of {count} standing forecast{'' if count == 1 else 's'}:", style="bold")
    for who, forecast in view.standing:
        values = ", ".join(percent(p) for p in forecast.vector(view.question))
        text.append(f"\n  {one_line(who.name, 40)}: {values} ({forecast.made_at:%Y-%m-%d})")
    return text


def _before_after(question: Question, entry: HistoryRow) -> Table:
    """The highlighted update's scenarios before and after, as bars."""
    update = entry.update
    grid = Table.grid(padding=(0, 1))
    grid.add_column(min_width=12, max_width=30)
    grid.add_column(justify="right", width=6)
    grid.add_column(width=BAR + 1)
    grid.add_column(justify="right", width=6)
    grid.add_column(width=BAR + 1)
    grid.title = f"Update {update.id}: {one_line(entry.forecaster, 40)}, before and after"
    grid.add_row(Text(""), Text("before", style="dim"), Text(""), Text("after", style="dim"))
    for label, before, after in zip(question.options, update.prior, update.posterior, strict=True):
        grid.add_row(
            Text(one_line(label, 30)),
            Text(percent(before)),
            Text(bar(before), style="dim"),
            Text(percent(after)),
            Text(bar(after), style="cyan" if after >= before else "magenta"),
        )
    return grid
