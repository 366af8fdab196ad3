"""Calibration: the reliability diagram drawn in the terminal, the bucket table and both
decompositions, for everyone, one forecaster or one tag."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from db.kept_columns import default_folder
from db.scores import calibration_report, load
from forecasts.scoring import Calibration
from forecasts.text import one_line, percent
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.widgets.keybar import KeyBar
from tui.widgets.reliability import ReliabilityDiagram
from tui.widgets.rowtable import RowTable


class CalibrationScreen(ReportsWorkerErrors, Screen[None]):
    """How well probabilities match frequencies."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS = keys("calibration")

    class Computed(Message):
        def __init__(self, cal: Calibration) -> None:
            super().__init__()
            self.cal = cal

    def __init__(self, *, forecaster: str | None = None, tag: str | None = None) -> None:
        super().__init__()
        self.forecaster = forecaster
        self.tag = tag

    @property
    def subject(self) -> str:
        if self.forecaster:
            return one_line(self.forecaster, 40)
        if self.tag:
            return f"tag {one_line(self.tag, 30)}"
        return "everyone"

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="calibration-body"):
            yield ReliabilityDiagram(id="calibration-plot")
            with Vertical(id="calibration-side"):
                yield RowTable(id="calibration-buckets", zebra_stripes=True)
                yield Static("Computing…", id="calibration-figures")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"calibration · {self.subject}"
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="calibration")
    def compute(self) -> None:
        repository = self.app.repository
        data = load(repository.engine, now=repository.clock(), keep=default_folder())
        cal = calibration_report(data, forecaster=self.forecaster, tag=self.tag)
        self.post_message(self.Computed(cal))

    @on(DataChanged)
    def _changed(self) -> None:
        self.compute()

    @on(Computed)
    def _show(self, message: Computed) -> None:
        cal = message.cal
        self.query_one(ReliabilityDiagram).show(cal, self.subject)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for label, width in (
            ("Bucket", 6),
            ("N", 5),
            ("Mean", 7),
            ("Observed", 8),
            ("90% interval", 13),
        ):
            table.add_column(label, width=width)
        for i in range(11):
            empty = cal.count[i] == 0
            table.add_row(
                Text(f"{i * 10}%", justify="right"),
                Text(str(int(cal.count[i])), justify="right"),
                Text("-" if empty else percent(float(cal.mean_forecast[i])), justify="right"),
                Text("-" if empty else percent(float(cal.observed[i])), justify="right"),
                Text(
                    "-"
                    if empty
                    else f"{percent(float(cal.observed_low[i]))}-"
                    f"{percent(float(cal.observed_high[i]))}"
                ),
            )
        figures = Text()
        if cal.n == 0:
            figures.append("No forecasts on resolved questions yet.", style="dim")
        else:
            figures.append(f"{cal.n} forecasts · base rate {percent(cal.base_rate)} · ")
            figures.append(f"mean Brier (0..1) {cal.mean_score:.4f}\n\n")
            figures.append("Murphy decomposition\n", style="bold")
            figures.append(
                f"  reliability   {cal.rel:.4f}\n  resolution    {cal.res:.4f}\n"
                f"  uncertainty   {cal.unc:.4f}\n  within-bucket variance {cal.within_variance:.4f}"
                f"\n  within-bucket covariance {cal.within_covariance:.4f}\n"
                f"  REL - RES + UNC + WBV - WBC = {cal.mean_score:.4f}\n\n"
            )
            figures.append("CORP decomposition\n", style="bold")
            figures.append(
                f"  miscalibration {cal.mcb:.4f}\n  discrimination {cal.dsc:.4f}\n"
                f"  uncertainty    {cal.corp_unc:.4f}\n  MCB - DSC + UNC = {cal.mean_score:.4f}"
            )
        self.query_one("#calibration-figures", Static).update(figures)

    def action_everyone(self) -> None:
        self.forecaster = None
        self.tag = None
        self.sub_title = "calibration · everyone"
        self.compute()
