"""One forecaster's page: the questions they forecast with their question scores, their
calibration in a line, and their Brier over time (question scores by resolution date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual_plotext import PlotextPlot

from db.kept_columns import default_folder
from db.reads import TrackRecordRow
from db.repository import Repository
from db.scores import calibration_report, load
from forecasts.models import Forecaster, Question
from forecasts.scoring import QuestionScore, question_score_table
from forecasts.text import forecast_value, one_line
from tui.errors import ReportsWorkerErrors
from tui.format import day
from tui.keys import keys
from tui.screens.base import Refreshing, ShowsQuestion
from tui.widgets.keybar import KeyBar
from tui.widgets.rowtable import RowTable


@dataclass(frozen=True)
class QuestionLine:
    """A question the forecaster forecast: their standing forecast and, once it is
    resolved, their question score."""

    question: Question
    standing: TrackRecordRow
    forecasts: int
    score: QuestionScore | None


@dataclass(frozen=True)
class TrackRecord:
    forecaster: Forecaster
    lines: tuple[QuestionLine, ...]
    calibration: str


def read_track_record(repository: Repository, name: str) -> TrackRecord:
    """Everything the page shows, read and scored in a worker."""
    forecaster = repository.forecaster(ref=name)
    rows = repository.track_record(forecaster=forecaster.id)
    by_question: dict[int, list[TrackRecordRow]] = {}
    for row in rows:
        by_question.setdefault(row.question.id or 0, []).append(row)
    lines = []
    for made in by_question.values():
        question = made[0].question
        scored = [r.forecast for r in made if r.scored]
        table = question_score_table(question, sorted(scored, key=lambda f: f.made_at))
        standing = next((r for r in made if not r.superseded), made[0])
        lines.append(QuestionLine(question, standing, len(made), table.get(forecaster.id or 0)))
    lines.sort(key=_resolved_first)
    data = load(repository.engine, now=repository.clock(), keep=default_folder())
    cal = calibration_report(data, forecaster=name)
    summary = (
        f"Calibration: {cal.n} forecasts, mean Brier (0..1 form) {cal.mean_score:.3f}, "
        f"reliability {cal.rel:.3f}, resolution {cal.res:.3f} (c: the full diagram)"
        if cal.n
        else "Calibration: nothing resolved to calibrate yet."
    )
    return TrackRecord(forecaster, tuple(lines), summary)


def _resolved_first(line: QuestionLine) -> tuple[bool, datetime]:
    resolution = line.question.resolution
    return resolution is None, resolution.resolved_at if resolution else line.question.close_at


class BrierOverTime(PlotextPlot):
    """Question scores by resolution date, and their running mean."""

    DEFAULT_CSS = """
    BrierOverTime {
        height: 12;
        min-height: 8;
    }
    """

    def show(self, lines: tuple[QuestionLine, ...]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        scored = [(line.question.resolution, line.score) for line in lines if line.score]
        if not scored:
            plt.title("No resolved questions scored yet")
            self.refresh()
            return
        start = min(resolution.resolved_at for resolution, _ in scored)  # type: ignore[union-attr]
        xs = [(r.resolved_at - start).total_seconds() / 86400 for r, _ in scored]  # type: ignore[union-attr]
        ys = [score.brier for _, score in scored]  # type: ignore[union-attr]
        running = [sum(ys[: i + 1]) / (i + 1) for i in range(len(ys))]
        plt.scatter(xs, ys, label="question score", marker="dot")
        plt.plot(xs, running, label="mean so far", marker="braille")
        plt.ylim(0, 2)
        span = max(xs[-1], 1.0)
        end = scored[-1][0].resolved_at  # type: ignore[union-attr]
        plt.xticks([0, span], [day(start), day(end)])
        plt.title("Brier over time (0..2, lower is better), by resolution date")
        self.refresh()


class ForecasterScreen(ShowsQuestion, Refreshing, ReportsWorkerErrors, Screen[None]):
    """A forecaster's track record, opened from the leaderboard."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("forecaster")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name_shown = name
        self.record: TrackRecord | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(one_line(self.name_shown), style="bold"), id="forecaster-title")
        yield Static("Reading…", id="forecaster-summary")
        yield BrierOverTime(id="forecaster-plot")
        yield RowTable(id="forecaster-table", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "track record"
        self.query_one(DataTable).focus()
        self.reread()

    def read(self) -> TrackRecord:
        return read_track_record(self.app.repository, self.name_shown)

    def show(self, value: object) -> None:
        assert isinstance(value, TrackRecord)
        record = self.record = value
        who = record.forecaster
        title = Text(one_line(who.name), style="bold")
        title.append(f"  ·  {who.kind.value}")
        if who.affiliation:
            title.append(f"  ·  {one_line(who.affiliation)}", style="italic")
        self.query_one("#forecaster-title", Static).update(title)
        scores = [line.score.brier for line in record.lines if line.score]
        mean = (
            f"mean Brier {sum(scores) / len(scores):.3f} over {len(scores)} scored"
            if scores
            else "none scored yet"
        )
        self.query_one("#forecaster-summary", Static).update(
            Text(f"{len(record.lines)} questions, {mean}.  {record.calibration}")
        )
        self.query_one(BrierOverTime).show(record.lines)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label, width in (("ID", 6), ("Standing", 16), ("N", 3), ("Outcome", 12), ("Brier", 6)):
            table.add_column(label, width=width)
        table.add_column("Question", width=max(20, self.size.width - 62))
        for line in record.lines:
            resolution = line.question.resolution
            table.add_row(
                Text(str(line.question.id), justify="right"),
                Text(
                    forecast_value(line.standing.forecast, line.question, label_width=8),
                    no_wrap=True,
                    overflow="ellipsis",
                ),
                Text(str(line.forecasts), justify="right"),
                Text(one_line(resolution.outcome, 12) if resolution else "-"),
                Text(f"{line.score.brier:.3f}" if line.score else "-", justify="right"),
                Text(one_line(line.question.title), no_wrap=True, overflow="ellipsis"),
                key=str(line.question.id),
            )

    def current_question(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count or self.record is None:
            return None
        return self.record.lines[table.cursor_row].question.id

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        question = self.current_question()
        if question is not None:
            self.app.open_question(question)

    def action_calibration(self) -> None:
        self.app.open_calibration(forecaster=self.name_shown)
