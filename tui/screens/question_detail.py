"""One question: its criteria and options, the timeline of standing forecasts, every forecast
with its phrase, quote and source, the consensus, the resolution with its history, and once
resolved each forecaster's score on it."""

from __future__ import annotations

from datetime import UTC, datetime
from math import nan
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from db.reads import QuestionDetail, history_entries
from forecasts.models import (
    Forecast,
    Question,
    QuestionKind,
    QuestionStatus,
    Source,
    after_resolution,
    median_vector,
    standing_forecasts,
)
from forecasts.text import dated, forecast_value, one_line, percent, safe
from tui.errors import ReportsWorkerErrors
from tui.format import day, status_text
from tui.keys import keys
from tui.messages import DataChanged
from tui.screens.base import ShowsQuestion
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable
from tui.widgets.timeline import Timeline


class QuestionDetailScreen(ShowsQuestion, ReportsWorkerErrors, Screen[None]):
    """Everything about one question."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("detail")

    class Loaded(Message):
        def __init__(self, detail: QuestionDetail, scores: dict) -> None:
            super().__init__()
            self.detail = detail
            self.scores = scores

    def __init__(
        self, question_id: int = 0, loaded: tuple[QuestionDetail, dict] | None = None
    ) -> None:
        super().__init__()
        self.question_id = question_id
        self.detail: QuestionDetail | None = None
        self._loaded = loaded

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-body"):
            yield Static("Loading…", id="detail-title")
            yield Static(id="detail-meta")
            yield Static(id="detail-criteria")
            yield Static(id="detail-condition", classes="hidden")
            yield Timeline(id="detail-timeline", classes="hidden")
            yield Static(id="detail-consensus")
            yield RowTable(id="detail-forecasts", zebra_stripes=True, classes="hidden")
            yield Static(id="detail-resolution")
            yield RowTable(id="detail-scores", classes="hidden")
            yield Static(id="detail-history")
        yield KeyBar()

    def on_mount(self) -> None:
        if self._loaded is not None:  # read before the screen opened: paint once, with data
            self._show(self.Loaded(*self._loaded))
            self._loaded = None
        else:
            self.load()

    def present(self, question_id: int, loaded: tuple[QuestionDetail, dict]) -> None:
        """Show another question on this (installed, reused) screen."""
        self.question_id = question_id
        if self.is_mounted:
            self._show(self.Loaded(*loaded))
            self.query_one("#detail-body").scroll_home(animate=False)
        else:
            self._loaded = loaded

    @staticmethod
    def read(repository, question_id: int) -> tuple[QuestionDetail, dict]:
        """What the screen shows, read from the database (call it from a worker)."""
        detail = repository.question_detail(ref=question_id)
        from forecasts.scoring import question_score_table  # numpy: loaded behind the first frame

        return detail, question_score_table(detail.question, detail.scored_forecasts())

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def load(self) -> None:
        self.post_message(self.Loaded(*self.read(self.app.repository, self.question_id)))

    @on(DataChanged)
    def _changed(self) -> None:
        self.load()

    @on(Loaded)
    def _show(self, message: Loaded) -> None:
        detail = self.detail = message.detail
        question = detail.question
        now = self.app.clock()
        status = question.status(now)
        self.sub_title = f"question {question.id}"
        self.query_one("#detail-title", Static).update(
            Text(f"#{question.id}  {one_line(question.title)}", style="bold")
        )
        self.query_one("#detail-meta", Static).update(_meta(question, status))
        self.query_one("#detail-criteria", Static).update(_criteria(question))
        conditional = self.query_one("#detail-condition", Static)
        conditional.set_class(detail.condition is None and not detail.conditionals, "hidden")
        conditional.update(_condition(detail))
        names = {fid: f.name for fid, f in detail.forecasters.items()}
        option = 0
        resolution = question.resolution
        if resolution is not None and resolution.outcome in question.options:
            option = question.options.index(resolution.outcome)
        from forecasts.scoring import scoring_end

        resolved = question.resolution.resolved_at.timestamp() if question.resolution else nan
        end = datetime.fromtimestamp(
            float(scoring_end(min(question.close_at, now).timestamp(), resolved)), UTC
        )
        timeline = self.query_one(Timeline)
        timeline.remove_class("hidden")  # drawn only once there is something to draw
        timeline.show(question, detail.forecasts, names, until=end, option=option)
        standing = standing_forecasts(detail.forecasts)
        line = _consensus(question, standing, len(detail.forecasts))
        if detail.backdated:
            count = len(detail.backdated)
            line.append(
                f"  {count} backdated forecast{'s' if count != 1 else ''}, not scored",
                style="yellow",
            )
        self.query_one("#detail-consensus", Static).update(line)
        self._fill_forecasts(detail, standing)
        self._fill_resolution(detail)
        self.query_one("#detail-history", Static).update(_history(detail))
        self._fill_scores(detail, message.scores)

    def _fill_forecasts(self, detail: QuestionDetail, standing: dict) -> None:
        """Every forecast, newest first, in rows as tall as they need: the forecaster's whole
        name, every option's value, and the judgment's whole quote, phrase, source and
        rationale, wrapped to the width of the screen."""
        table = self.query_one("#detail-forecasts", DataTable)
        table.remove_class("hidden")
        table.clear(columns=True)
        live = {forecast.id for forecast in standing.values()}
        rows = [self._forecast_row(detail, forecast, live) for forecast in detail.forecasts]
        widths = _forecast_widths(self.size.width or self.app.size.width, rows)
        titles = ("Forecaster", "Made", "Forecast", "Judgment")
        for title, width in zip(titles, widths, strict=True):
            table.add_column(title, width=width)
        for forecast, cells in zip(reversed(detail.forecasts), reversed(rows), strict=True):
            table.add_row(*cells, height=None, key=str(forecast.id))

    def on_resize(self) -> None:
        """Wrap the forecasts to the new width, the cursor staying on its forecast."""
        if self.detail is None:
            return
        table = self.query_one("#detail-forecasts", DataTable)
        row = table.cursor_row
        self._fill_forecasts(self.detail, standing_forecasts(self.detail.forecasts))
        table.move_cursor(row=row, animate=False)

    def _forecast_row(self, detail: QuestionDetail, forecast: Forecast, live: set[int]):
        """The four cells of a forecast's row (dimmed unless its id is among ``live``, the
        standing forecasts)."""
        question = detail.question
        style = "" if forecast.id in live else "dim"
        if forecast.retraction is not None:
            style = "dim strike"
        value = Text(
            forecast_value(forecast, question, label_width=None, separator="\n"), style=style
        )
        notes = []
        if forecast.retraction is not None:
            notes.append(f"retracted: {one_line(forecast.retraction.reason)}")
        if after_resolution(forecast, question.resolution):
            notes.append("after resolution, not scored")
        elif forecast.id in detail.backdated:
            notes.append("backdated, not scored")
        scale = forecast.scale_probability
        given = forecast.probability
        if given is not None and scale is not None and abs(scale - given) > 1e-12:
            notes.append(f"scale {percent(scale)}")
        for note in notes:
            value.append(f"\n{note}", style="italic")
        source = detail.sources.get(forecast.source_id) if forecast.source_id else None
        return (
            Text(one_line(detail.forecasters[forecast.forecaster_id].name), style=style),
            Text(dated(forecast.made_at, forecast.made_at_precision), style=style),
            value,
            _judgment(forecast, source, style),
        )

    def action_scenarios(self) -> None:
        """The scenario view of a multiple-choice question: its indicators and updates."""
        if self.detail is None:
            return
        if self.detail.question.kind is not QuestionKind.MULTIPLE_CHOICE:
            self.notify("Only a multiple-choice question is a scenario set.", severity="warning")
            return
        from tui.screens.scenarios import ScenarioScreen

        self.app.push_screen(ScenarioScreen(self.question_id))

    def action_edit(self) -> None:
        if self.detail is not None:
            self.app.edit_question(self.detail.question)

    def action_retract(self) -> None:
        """Retract the forecast highlighted in the forecasts table."""
        table = self.query_one("#detail-forecasts", DataTable)
        if self.detail is None or not table.row_count:
            self.notify("There is no forecast to retract.", severity="warning")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        forecast = next((f for f in self.detail.forecasts if str(f.id) == key), None)
        if forecast is None or forecast.retraction is not None:
            self.notify("That forecast is retracted already.", severity="warning")
            return
        self.app.retract_forecast(forecast, self.detail.question)

    def _fill_resolution(self, detail: QuestionDetail) -> None:
        text = Text()
        if not detail.resolutions:
            closed = detail.question.status(self.app.clock()) is QuestionStatus.CLOSED
            text.append(
                "Awaiting resolution: press r to resolve." if closed else "Not resolved yet.",
                style="bold yellow" if closed else "dim",
            )
        else:
            current = detail.resolutions[-1]
            text.append("Resolution: ", style="bold")
            text.append(f"{one_line(current.outcome)}", style="bold cyan")
            text.append(f" as of {day(current.resolved_at)}")
            if current.resolved_by:
                text.append(f", by {one_line(current.resolved_by)}")
            if current.evidence:
                text.append("\nEvidence: ", style="bold")
                text.append(safe(current.evidence))
            if len(detail.resolutions) > 1:
                text.append("\nHistory (oldest first):", style="bold")
                for earlier in detail.resolutions[:-1]:
                    text.append(
                        f"\n  {day(earlier.resolved_at)}  {one_line(earlier.outcome)}"
                        f"  (recorded {day(earlier.recorded_at)})  "
                        f"{one_line(earlier.evidence, 80)}",
                        style="dim",
                    )
        self.query_one("#detail-resolution", Static).update(text)

    def _fill_scores(self, detail: QuestionDetail, scores: dict) -> None:
        table = self.query_one("#detail-scores", DataTable)
        table.clear(columns=True)
        table.set_class(not scores, "hidden")
        if not scores:
            return
        table.add_column("Forecaster", width=36)
        table.add_column("Question Brier", width=15)
        table.add_column("Last forecast", width=14)
        table.add_column("Log score", width=10)
        for forecaster_id, (brier, last, log) in sorted(
            scores.items(), key=lambda item: item[1][0]
        ):
            table.add_row(
                Text(one_line(detail.forecasters[forecaster_id].name)),
                Text(f"{brier:.4f}", justify="right"),
                Text(f"{last:.4f}", justify="right"),
                Text(f"{log:.3f}", justify="right"),
            )

    def current_question(self) -> int | None:
        return self.question_id


def _judgment(forecast: Forecast, source: Source | None, style: str) -> Text:
    """The whole quote, then the phrase read and its scale, the source, and the rationale,
    one a line."""
    lines = []
    if forecast.quote:
        lines.append(Text(f"\u201c{one_line(forecast.quote)}\u201d"))
    phrase = one_line(forecast.phrase or ("(inferred)" if forecast.inferred else ""))
    if phrase:
        scale = f" on {one_line(forecast.scale)}" if forecast.scale else ""
        lines.append(Text(f"phrase: {phrase}{scale}", style="dim"))
    if source is not None:
        when = dated(source.published_on, source.date_precision)
        where = f"{one_line(source.outlet)}, {when}" if source.outlet else when
        lines.append(Text(f"source: {one_line(source.title)} ({where})", style="dim"))
    if forecast.rationale:
        lines.append(Text(f"rationale: {one_line(forecast.rationale)}", style="italic"))
    joined = Text("\n", style=style).join(lines or [Text("-", style="dim")])
    joined.stylize(style)
    return joined


def _forecast_widths(screen: int, rows: list[tuple[Text, Text, Text, Text]]) -> list[int]:
    """Column widths for the forecasts: the forecaster's and the value's as wide as their
    longest line within a bound that depends on the screen, the date's fixed, and the
    judgment's the rest (each column has a cell on either side)."""
    room = max(screen - 6, 56)  # the page's padding and two scroll bars

    def longest(column: int, low: int, high: int) -> int:
        lines = [len(line) for row in rows for line in row[column].plain.splitlines()]
        return max(low, min(high, max(lines, default=low)))

    wide = room >= 110
    who = longest(0, 10, 26 if wide else 16)
    value = longest(2, 8, 30 if wide else 18)
    made = 11
    judgment = max(room - who - made - value - 8, 20)
    return [who, made, value, judgment]


def _meta(question: Question, status: QuestionStatus) -> Text:
    """Status, close, kind, tags and key, on one line under the title."""
    meta = Text()
    meta.append_text(
        status_text(status, question.resolution.outcome if question.resolution else None)
    )
    meta.append(f"  ·  closes {question.close_at:%Y-%m-%d %H:%M} UTC")
    kind = "binary" if question.kind is QuestionKind.BINARY else "multiple choice"
    meta.append(f"  ·  {kind}")
    if question.tags:
        meta.append("  ·  " + ", ".join(question.tags), style="italic")
    if question.key:
        meta.append(f"  ·  {safe(question.key)}", style="dim")
    return meta


def _criteria(question: Question) -> Group:
    """The resolution criteria, the options of a multiple-choice question (a scenario set's
    with their narratives, indented under their labels), the background."""
    criteria = Text()
    criteria.append("Resolution criteria\n", style="bold")
    criteria.append(safe(question.criteria))
    parts: list[Text | Table] = [criteria]
    if question.options:
        parts.append(Text("\n" + ("Scenarios" if question.narratives else "Options"), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", min_width=4)
        grid.add_column(ratio=1)
        for index, label in enumerate(question.options, start=1):
            cell = Text(one_line(label))
            if question.narrative(label):
                cell.append("\n" + safe(question.narrative(label)), style="italic")
            grid.add_row(Text(f"{index}."), cell)
        parts.append(grid)
    if question.description:
        gap = "\n" if question.options else ""  # a blank line after the options only
        parts.append(Text(gap + safe(question.description), style="italic"))
    return Group(*parts)


def _consensus(question: Question, standing: dict[int, Forecast], made: int) -> Text:
    """The median of the standing forecasts, and how many stand of how many made."""
    consensus = median_vector([f.vector(question) for f in standing.values()])
    line = Text()
    line.append("Consensus (median of standing forecasts): ", style="bold")
    if consensus is None:
        line.append("no forecasts yet", style="dim")
    elif question.kind is QuestionKind.BINARY:
        line.append(f"{percent(consensus[0])} yes")
    else:
        line.append(
            ", ".join(
                f"{one_line(label)} {percent(p)}"
                for label, p in zip(question.options, consensus, strict=True)
            )
        )
    people = f"{len(standing)} forecaster{'s' if len(standing) != 1 else ''}"
    line.append(f"  ({people}, {made} forecast{'s' if made != 1 else ''})")
    return line


def _history(detail: QuestionDetail) -> Text:
    """The question's timeline: every event, when it was recorded, by whom, and why."""
    text = Text("History", style="bold")
    edited_after_forecasts = [r for r in detail.revisions if r.detail.get("forecasts")]
    if edited_after_forecasts:
        text.append(
            f"  (edited {len(edited_after_forecasts)} time"
            f"{'s' if len(edited_after_forecasts) != 1 else ''} after forecasts were made)",
            style="bold yellow",
        )
    for entry in history_entries(detail):
        text.append(f"\n  {entry.recorded_at:%Y-%m-%d %H:%M}  {entry.kind:<11} ")
        text.append(one_line(entry.summary, 90))
        if entry.recorded_by:
            text.append(f"  by {one_line(entry.recorded_by, 30)}", style="dim")
        if entry.reason:
            text.append(f"  ({one_line(entry.reason, 60)})", style="italic")
    return text


def _condition(detail: QuestionDetail) -> Text:
    """A conditional question's condition and its state, and each forecaster's P(A and B)
    beside their direct forecast of both; the questions conditional on this one."""
    text = Text()
    view = detail.condition
    if view is not None:
        on = view.on
        text.append("Conditional: ", style="bold")
        text.append(f"asked if #{on.id} {one_line(on.title, 80)} resolves yes")
        state = {
            "waiting": ("not resolved yet: not scored until it resolves yes", "yellow"),
            "met": ("it resolved yes: scored", "green"),
            "not met": ("it did not resolve yes: annulled", "dim"),
        }[view.state]
        text.append(f"\n  {state[0]}", style=state[1])
        text.append("\n  P(both) = P(condition) x P(this | condition)", style="italic")
        if view.joint is not None:
            text.append(f", beside #{view.joint.id} {one_line(view.joint.title, 60)}")
        for row in view.coherence:
            text.append(
                f"\n  {one_line(row.forecaster, 30)}: {percent(row.p_a)} x "
                f"{percent(row.p_b_given_a)} = {percent(row.p_a_and_b)}"
            )
            if row.direct is not None:
                text.append(f"; direct {percent(row.direct)}")
            if row.gap is not None:
                text.append(f"  incoherent: {percent(row.gap)} apart", style="bold yellow")
    if detail.conditionals:
        if view is not None:
            text.append("\n")
        text.append("Conditional on this one: ", style="bold")
        text.append(
            ", ".join(f"#{ident} {one_line(title, 50)}" for ident, title in detail.conditionals)
        )
    return text
