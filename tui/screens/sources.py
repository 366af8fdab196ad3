"""Sources: the stored articles, read with their estimative phrases highlighted and page
furniture dimmed. Enter on a phrase opens Log forecast with the source and quote filled in."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from forecasts.detect import Detection, quote_span, scan
from forecasts.models import DatePrecision, Source
from forecasts.text import RAISED_BY_INTENTION, dated, one_line, percent, safe
from tui.dialogs.log_forecast import Prefill
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable


class SourcesScreen(ReportsWorkerErrors, Screen[None]):
    """The article reader."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("sources")

    class Listed(Message):
        def __init__(self, sources: list[Source]) -> None:
            super().__init__()
            self.sources = sources

    class Scanned(Message):
        def __init__(self, source: Source, detections: list[Detection]) -> None:
            super().__init__()
            self.source = source
            self.detections = detections

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[Source] = []
        self.source: Source | None = None
        self.detections: list[Detection] = []
        self.paragraphs: list[tuple[int, int, Static]] = []
        self.current: Detection | None = None
        self.added: int | None = None  # a source just added: read it once the list has it

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sources-body"):
            with Vertical(id="sources-left"):
                yield RowTable(id="sources-list")
                yield RowTable(id="sources-phrases", zebra_stripes=True)
            yield VerticalScroll(id="sources-reader")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "sources"
        self.query_one("#sources-list", DataTable).focus()
        self.list_sources()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sources")
    def list_sources(self) -> None:
        self.post_message(self.Listed(self.app.repository.list_sources()))

    @on(DataChanged)
    def _changed(self) -> None:
        self.list_sources()

    @on(Listed)
    async def _listed(self, message: Listed) -> None:
        self.sources = message.sources
        self._fill_list()
        if not message.sources:
            reader = self.query_one("#sources-reader", VerticalScroll)
            await reader.remove_children()
            await reader.mount(
                Static(Text("No sources yet: press a to add a saved web page or a text file."))
            )

    def _fill_list(self) -> None:
        """The sources, the cursor staying on the one being read (the list is read again
        after every change, and filled again when the screen's width changes)."""
        table = self.query_one("#sources-list", DataTable)
        reading = self.source.id if self.source is not None else None
        if self.added is not None and any(s.id == self.added for s in self.sources):
            reading, self.added = self.added, None
            self._scan(reading)
        table.clear(columns=True)
        panel = self._panel()
        dated_too = panel >= 44  # on a narrow screen the reader's header has the date
        if dated_too:
            table.add_column("Published", width=11)
        table.add_column("Source", width=panel - (17 if dated_too else 4))
        for source in self.sources:
            title = Text(one_line(source.title), no_wrap=True, overflow="ellipsis")
            published = Text(dated(source.published_on, source.date_precision))
            cells = (published, title) if dated_too else (title,)
            table.add_row(*cells, key=str(source.id))
        kept = [index for index, source in enumerate(self.sources) if source.id == reading]
        if kept:
            table.move_cursor(row=kept[0], animate=False)

    def _fill_phrases(self, row: int = 0) -> None:
        """The detected phrases, with their reading and attribution; the cursor on ``row``."""
        table = self.query_one("#sources-phrases", DataTable)
        table.clear(columns=True)
        room = self._panel() - 7 - 8  # the reading's column, and a cell either side of three
        table.add_column("Phrase", width=max(room * 3 // 5, 10))
        table.add_column("Reading", width=7)
        table.add_column("By", width=max(room - room * 3 // 5, 8))
        for detection in self.detections:
            table.add_row(
                Text(_shown_phrase(detection), no_wrap=True, overflow="ellipsis"),
                Text(percent(detection.reading.probability), justify="right"),
                Text(one_line(detection.attribution) or "-", no_wrap=True, overflow="ellipsis"),
            )
        if row:
            table.move_cursor(row=row, animate=False)

    def on_resize(self) -> None:
        if self.sources:
            self._fill_list()
        if self.detections:
            self._fill_phrases(self.query_one("#sources-phrases", DataTable).cursor_row)

    def _panel(self) -> int:
        """The width of the lists' panel: 45% of the screen within 34..52 (as styled)."""
        width = self.size.width or self.app.size.width
        return max(34, min(52, width * 45 // 100))

    @on(DataTable.RowHighlighted, "#sources-list")
    def _pick_source(self, event: DataTable.RowHighlighted) -> None:
        """Read the highlighted source, unless it is the one being read (the list is read
        again after every change) or the cursor has moved on since."""
        if event.cursor_row != event.data_table.cursor_row:
            return
        if 0 <= event.cursor_row < len(self.sources):
            chosen = self.sources[event.cursor_row]
            if self.source is None or chosen.id != self.source.id:
                self._scan(chosen.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="scan")
    def _scan(self, source_id: int) -> None:
        source = self.app.repository.source(ref=source_id)
        settings = self.app.settings
        found = scan(source.text, source.furniture, scale=settings.scale, settings=settings)
        self.post_message(self.Scanned(source, found))

    @on(Scanned)
    async def _scanned(self, message: Scanned) -> None:
        self.source = message.source
        self.detections = message.detections
        self._fill_phrases()
        await self._render_reader(current=None)
        if self.detections:  # the first phrase is marked whether or not its row event came first
            self._highlight(self.detections[0])

    async def _render_reader(self, current: Detection | None) -> None:
        """Mount the source's paragraphs (once per source), highlighted."""
        source = self.source
        if source is None:
            return
        reader = self.query_one("#sources-reader", VerticalScroll)
        await reader.remove_children()
        header = Text(one_line(source.title), style="bold")
        header.append(f"\n{one_line(source.outlet) or 'outlet not named'} · {source.published_on}")
        if source.date_precision is DatePrecision.APPROXIMATE:
            header.append(" (approximate)")
        header.append(
            f"\n{len(self.detections)} estimative phrases highlighted; page furniture dimmed.",
            style="dim",
        )
        widgets: list[Static] = [Static(header, classes="reader-header")]
        self.paragraphs = []
        position = 0
        for line in source.text.splitlines(keepends=True):
            start, end = position, position + len(line.rstrip("\r\n"))
            position += len(line)
            if start == end:
                continue
            paragraph = Static(self._paragraph(start, end, current), classes="reader-paragraph")
            self.paragraphs.append((start, end, paragraph))
            widgets.append(paragraph)
        await reader.mount_all(widgets)
        self.current = current

    def _paragraph(self, start: int, end: int, current: Detection | None) -> Text:
        assert self.source is not None
        piece = Text(safe(self.source.text[start:end]))
        for span in self.source.furniture:
            if span.start < end and start < span.end:
                piece.stylize(
                    "dim strike", max(span.start, start) - start, min(span.end, end) - start
                )
        for detection in self.detections:
            if detection.phrase_start < end and start < detection.phrase_end:
                piece.stylize(
                    "bold black on yellow" if detection is current else "bold yellow",
                    max(detection.phrase_start, start) - start,
                    min(detection.phrase_end, end) - start,
                )
        return piece

    def _highlight(self, current: Detection) -> None:
        """Mark ``current`` in the reader and scroll to it; only two paragraphs change."""
        previous = getattr(self, "current", None)
        target = None
        for start, end, paragraph in self.paragraphs:
            touched = [
                d for d in (previous, current) if d is not None and start <= d.phrase_start < end
            ]
            if touched:
                paragraph.update(self._paragraph(start, end, current))
            if start <= current.phrase_start < end:
                target = paragraph
        self.current = current
        if target is not None:
            reader = self.query_one("#sources-reader", VerticalScroll)
            self.call_after_refresh(reader.scroll_to_center, target, animate=False)

    @on(DataTable.RowHighlighted, "#sources-phrases")
    def _phrase(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.detections) and self.paragraphs:
            chosen = self.detections[event.cursor_row]
            if chosen is not self.current:
                self._highlight(chosen)

    @on(DataTable.RowSelected, "#sources-phrases")
    def _phrase_chosen(self) -> None:
        self.action_log_from_span()

    def action_add_source(self) -> None:
        from tui.dialogs.add_source import AddSourceDialog  # trafilatura loads only when used

        def added(source: Source | None) -> None:
            if source is None:
                return
            self.notify(f"Added source {source.id}: {one_line(source.title)}")
            self.added = source.id
            self.app.data_changed()

        self.app.push_screen(AddSourceDialog(), added)

    def action_suggest(self) -> None:
        if self.source is None:
            self.notify("Choose a source first.", severity="warning")
            return
        self._drafts(self.source.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="drafts")
    def _drafts(self, source_id: int) -> None:
        from db.suggestions import drafts_for

        source, drafts, titles = drafts_for(self.app.repository, source_id, self.app.settings)
        self.app.call_from_thread(self._pick_draft, source, drafts, titles)

    def _pick_draft(self, source: Source, drafts: list, titles: dict[int, str]) -> None:
        from tui.dialogs.drafts import AcceptDraftDialog, DraftPicker

        if not drafts:
            self.notify("No judgments here make a question.", severity="warning")
            return

        def accepted(result) -> None:
            if result is None:
                return
            question = result.question
            said = (
                RAISED_BY_INTENTION
                if result.raised_by_intention
                else f"logged {len(result.logged)}, {len(result.skipped)} already logged"
            )
            self.notify(f"{'Created' if result.created else 'On'} question {question.id}: {said}")
            self.app.data_changed()

        def chosen(number: int | None) -> None:
            if number is not None:
                draft = drafts[number - 1]
                self.app.push_screen(AcceptDraftDialog(source, draft, titles), accepted)

        self.app.push_screen(DraftPicker(drafts), chosen)

    def action_log_from_span(self) -> None:
        table = self.query_one("#sources-phrases", DataTable)
        if self.source is None or not self.detections or not table.row_count:
            self.notify(
                "Choose a highlighted phrase first (tab to the phrase list).", severity="warning"
            )
            return
        detection = self.detections[table.cursor_row]
        start, end = quote_span(detection, self.detections)
        quote = self.source.text[start:end]
        self.app.log_forecast(
            prefill=Prefill(
                forecaster=detection.attribution,
                probability=detection.phrase,
                source=self.source.id,
                quote=quote.strip(),
                quote_start=start + len(quote) - len(quote.lstrip()),
                made_at=self.source.published_on.isoformat(),
            )
        )


def _shown_phrase(detection) -> str:
    """The phrase as the list shows it: a negated one says so ("not: expected to" for "not
    expected to", "not: the possibility of" for "skepticism about the possibility of"), since
    its reading is the negation's."""
    phrase = one_line(detection.phrase)
    return f"not: {phrase}" if detection.negated else phrase
