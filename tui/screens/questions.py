"""The questions screen (home): every question with its status, close date, your latest
forecast, the consensus and the number of forecasts. Filtered, searched and sorted in the
database; rows are loaded a window at a time as the cursor moves down."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from db.reads import QuestionListRow, QuestionPage, QuestionQuery
from forecasts.models import QuestionStatus
from forecasts.text import NO_QUESTIONS, one_line
from tui.errors import ReportsWorkerErrors
from tui.format import day, status_text, vector_text
from tui.keys import keys
from tui.messages import DataChanged
from tui.screens.base import ShowsQuestion
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable

PAGE = 80
"""Rows read at a time: two screens of a 40-line terminal (more on a taller one), the next
read when the cursor comes within 20 rows of the end. Fewer rows to lay out is most of what
makes a filter, a sort or a letter of search quick on a large record."""
STATUS_CYCLE: tuple[QuestionStatus | None, ...] = (
    None,
    QuestionStatus.OPEN,
    QuestionStatus.CLOSED,
    QuestionStatus.RESOLVED,
    QuestionStatus.ANNULLED,
)
SORT_CYCLE = ("close", "id", "title", "status", "forecasts")
STATUS_NAMES = {
    None: "all",
    QuestionStatus.OPEN: "open",
    QuestionStatus.CLOSED: "due for resolution",
    QuestionStatus.RESOLVED: "resolved",
    QuestionStatus.ANNULLED: "annulled",
}
# (label, width) for wide terminals, and for narrow ones (under 110 columns), where the title
# keeps its room and "Mine" and "N" give way.
COLUMNS = (("ID", 4), ("Status", 19), ("Closes", 10), ("Mine", 7), ("Consensus", 13), ("N", 4))
NARROW = (("ID", 4), ("Status", 10), ("Closes", 10), ("Crowd", 8))
SHORT_STATUS = {
    QuestionStatus.OPEN: "open",
    QuestionStatus.CLOSED: "due",
    QuestionStatus.ANNULLED: "annulled",
}


@dataclass(frozen=True)
class View(QuestionQuery):
    """What the table is showing: filters, search and order, and how to say so."""

    def describe(self, total: int, due: int) -> str:
        parts = [f"{total} question{'s' if total != 1 else ''}"]
        if due:
            parts.append(f"{due} awaiting resolution (d)")
        parts.append(f"status: {STATUS_NAMES[self.status]}")
        if self.tag:
            parts.append(f"tag: {self.tag}")
        if self.search:
            parts.append(f"search: {self.search!r}")
        parts.append(f"sorted by {self.sort} {'↓' if self.descending else '↑'}")
        return " · ".join(parts)


class QuestionsScreen(ShowsQuestion, ReportsWorkerErrors, Screen[None]):
    """Home: the table of questions."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("questions")
    AUTO_FOCUS = "#questions-table"  # keys typed while the app starts are commands, not search

    class Loaded(Message):
        """A window of questions arrived from the database."""

        def __init__(self, page: QuestionPage, view: View, append: bool) -> None:
            super().__init__()
            self.page = page
            self.view = view
            self.append = append

    def __init__(self) -> None:
        super().__init__()
        self.view = View()
        self.total = 0
        self.loaded = 0
        self._loading = False
        self._narrow = False
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ search titles as you type", id="questions-search")
        yield Static("Loading questions…", id="questions-status")
        yield RowTable(id="questions-table", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.load()

    # Loading -------------------------------------------------------------------------------

    def load(self, *, append: bool = False) -> None:
        self._loading = True
        size = max(PAGE, 2 * (self.size.height or self.app.size.height))
        self._fetch(self.view, self.loaded if append else 0, append, size)

    @work(thread=True, exclusive=True, exit_on_error=False, group="questions")
    def _fetch(self, view: View, offset: int, append: bool, size: int) -> None:
        page = self.app.question_page(view, offset=offset, limit=size)
        self.post_message(self.Loaded(page, view, append))

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        self._loading = False
        if message.view != self.view:
            return  # an answer to a view the user has already left
        table = self.query_one(DataTable)
        keep = None if message.append else self._lay_out(table, message.page.largest_id)
        for row in message.page.rows:
            table.add_row(*self._cells(row), key=str(row.id))
        self.loaded += len(message.page.rows)
        self.total = message.page.total
        if keep is not None and table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        status = self.query_one("#questions-status", Static)
        if self.total == 0 and self.view == View():
            status.update(Text(NO_QUESTIONS + "  (or press a)"))
        else:
            shown = f" · showing {self.loaded}" if self.loaded < self.total else ""
            status.update(Text(self.view.describe(self.total, message.page.due) + shown))

    def _lay_out(self, table: DataTable, largest_id: int = 0) -> int:
        """Empty the table and set its columns for the terminal's width, the id column as
        wide as the largest id (an id is never cut); return the row the cursor was on, to
        keep it there."""
        keep = table.cursor_row if table.row_count else 0
        self._narrow = self.size.width < 110
        id_width = max(4, len(str(largest_id)))
        columns = tuple(
            (label, id_width if label == "ID" else width)
            for label, width in (NARROW if self._narrow else COLUMNS)
        )
        table.clear(columns=True)
        fixed = sum(width for _, width in columns) + 2 * (len(columns) + 1)
        for label, width in columns:
            table.add_column(label, width=width, key=label.lower())
        table.add_column("Title", width=max(20, self.size.width - fixed - 2), key="title")
        self.loaded = 0
        return keep

    def _cells(self, row: QuestionListRow) -> list[Text]:
        due = row.status is QuestionStatus.CLOSED
        status = status_text(row.status, row.outcome)
        if self._narrow:
            status.plain = SHORT_STATUS.get(row.status, row.outcome or "resolved")
        cells = [
            Text(str(row.id), justify="right", style="bold yellow" if due else ""),
            status,
            Text(day(row.close_at), style="bold yellow" if due else ""),
            vector_text(row.mine, row.kind, row.options),
            vector_text(row.consensus, row.kind, row.options),
            Text(str(row.forecasts), justify="right"),
            Text(one_line(row.title), no_wrap=True, overflow="ellipsis"),
        ]
        if self._narrow:
            cells = [cells[0], cells[1], cells[2], cells[4], cells[6]]
        return cells

    def on_resize(self) -> None:
        # column widths follow the terminal: lay the table out again when it changes
        if self._width and abs(self.size.width - self._width) > 0:
            self.load()
        self._width = self.size.width

    @on(DataTable.RowHighlighted)
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None  # None: an empty table
        if key is not None:
            self.app.prefetch_question(int(key))
        near_end = event.cursor_row >= self.loaded - 20
        if near_end and self.loaded < self.total and not self._loading:
            self.load(append=True)

    @on(DataChanged)
    def _data_changed(self) -> None:
        self.load()

    def set_view(self, view: View) -> None:
        self.view = view
        self.load()

    # Actions -------------------------------------------------------------------------------

    def current_question(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        question = self.current_question()
        if question is not None:
            self.app.open_question(question)

    def action_search(self) -> None:
        # focus now, not after the keys already typed: "/kim" must all land in the box
        self.set_focus(self.query_one("#questions-search", Input))

    @on(Input.Changed, "#questions-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.set_view(replace(self.view, search=event.value.strip()))

    @on(Input.Submitted, "#questions-search")
    def _search_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_clear(self) -> None:
        self.query_one("#questions-search", Input).value = ""
        self.query_one(DataTable).focus()
        if self.view != View():
            self.set_view(View())

    def action_cycle_status(self) -> None:
        index = STATUS_CYCLE.index(self.view.status)
        self.set_view(replace(self.view, status=STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)]))

    def action_due(self) -> None:
        due = QuestionStatus.CLOSED
        self.set_view(replace(self.view, status=None if self.view.status is due else due))

    def action_cycle_sort(self) -> None:
        index = SORT_CYCLE.index(self.view.sort)
        self.set_view(replace(self.view, sort=SORT_CYCLE[(index + 1) % len(SORT_CYCLE)]))

    def action_reverse(self) -> None:
        self.set_view(replace(self.view, descending=not self.view.descending))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = {
            "id": "id",
            "status": "status",
            "closes": "close",
            "n": "forecasts",
            "title": "title",
        }
        chosen = column.get(str(event.column_key.value))
        if chosen is None:
            return
        if chosen == self.view.sort:
            self.action_reverse()
        else:
            self.set_view(replace(self.view, sort=chosen, descending=False))

    def action_pick_tag(self) -> None:
        self.app.pick_tag(self.view.tag, lambda tag: self.set_view(replace(self.view, tag=tag)))

    def action_reload(self) -> None:
        self.load()
