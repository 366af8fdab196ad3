"""Resolve a question: outcome (or annul), date (today by default), evidence and an optional
source; a confirmation before it is recorded. Re-resolving keeps the earlier resolutions, and
the dialog shows them."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from db.repository import QuestionDetail
from forecasts.errors import ForecastsError, InvalidInput
from forecasts.models import ANNULLED, Resolution
from forecasts.parsing import parse_moment
from forecasts.text import one_line
from tui.dialogs.common import ConfirmDialog
from tui.errors import ReportsWorkerErrors
from tui.format import day


class ResolveDialog(ReportsWorkerErrors, ModalScreen[Resolution | None]):
    """Returns the recorded resolution, or None when cancelled."""

    DEFAULT_CSS = """
    ResolveDialog {
        align: center middle;
    }
    ResolveDialog > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ResolveDialog Label {
        margin-top: 1;
        text-style: bold;
    }
    ResolveDialog TextArea {
        height: 5;
    }
    ResolveDialog .error {
        color: $error;
        height: auto;
    }
    ResolveDialog .hint {
        color: $text-muted;
        height: auto;
    }
    ResolveDialog #resolve-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ResolveDialog #resolve-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without resolving", id="resolve.cancel"
        ),
        Binding(
            "ctrl+s", "submit", "Resolve", tooltip="Resolve (asks to confirm)", id="resolve.submit"
        ),
    ]

    class Loaded(Message):
        def __init__(self, detail: QuestionDetail, sources: list[tuple[int, str]]) -> None:
            super().__init__()
            self.detail = detail
            self.sources = sources

    class Done(Message):
        def __init__(self, resolution: Resolution | None, error: ForecastsError | None) -> None:
            super().__init__()
            self.resolution = resolution
            self.error = error

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.detail: QuestionDetail | None = None
        self.touched = False  # errors show once the user has tried to resolve

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Resolve", style="bold"), id="resolve-heading")
            yield Static(classes="hint", id="resolve-history")
            yield Label("Outcome")
            yield Select[str]([], prompt="Choose the outcome", id="resolve-outcome")
            yield Static(classes="error", id="err-outcome")
            yield Label("Resolved on")
            yield Input(id="resolve-date", placeholder="YYYY-MM-DD")
            yield Static(classes="error", id="err-date")
            yield Label("Evidence")
            yield TextArea(id="resolve-evidence")
            yield Label("Source of the evidence (optional)")
            yield Select[int]([], prompt="No source", id="resolve-source")
            with Horizontal(id="resolve-buttons"):
                yield Button("Cancel", id="resolve-cancel")
                yield Button("Resolve…", id="resolve-submit", variant="primary")
            yield Static(classes="error", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#resolve-date", Input).value = f"{self.app.clock():%Y-%m-%d}"
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="resolve-load")
    def _load(self) -> None:
        repository = self.app.repository
        detail = repository.question_detail(ref=self.question_id)
        sources = [(s.id, s.title) for s in repository.list_sources()]
        self.post_message(self.Loaded(detail, sources))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.detail = message.detail
        question = message.detail.question
        self.query_one("#resolve-heading", Static).update(
            Text(f"Resolve #{question.id}: {one_line(question.title)}", style="bold")
        )
        history = Text("Criteria: " + one_line(question.criteria, 300))
        if message.detail.resolutions:
            history.append("\nResolved before (kept in the history):")
            for earlier in message.detail.resolutions:
                history.append(f"\n  {day(earlier.resolved_at)}  {one_line(earlier.outcome)}")
                if earlier.evidence:
                    history.append(f"  {one_line(earlier.evidence, 70)}")
        self.query_one("#resolve-history", Static).update(history)
        outcomes = [(Text(one_line(o)), o) for o in question.outcomes]
        outcomes.append((Text("annul (not scored)", style="italic"), ANNULLED))
        self.query_one("#resolve-outcome", Select).set_options(outcomes)
        self.query_one("#resolve-source", Select).set_options(
            [(Text(f"#{sid} {one_line(title, 70)}"), sid) for sid, title in message.sources]
        )
        self.query_one("#resolve-outcome", Select).focus()

    def _values(self) -> dict | None:
        errors = {}
        outcome = self.query_one("#resolve-outcome", Select).value
        if not isinstance(outcome, str):
            errors["outcome"] = "Choose the outcome, or annul."
        try:
            resolved_at = parse_moment(self.query_one("#resolve-date", Input).value, "resolved_at")
            if resolved_at > self.app.clock():
                errors["date"] = "is in the future"
        except InvalidInput as exc:
            errors["date"] = exc.problem
            resolved_at = None
        for field in ("outcome", "date"):
            shown = errors.get(field, "") if self.touched or field == "date" else ""
            self.query_one(f"#err-{field}", Static).update(Text(shown))
        if errors:
            return None
        source = self.query_one("#resolve-source", Select).value
        return {
            "outcome": outcome,
            "resolved_at": resolved_at,
            "evidence": self.query_one("#resolve-evidence", TextArea).text.strip(),
            "source": source if isinstance(source, int) else None,
        }

    @on(Input.Changed)
    @on(Select.Changed, "#resolve-outcome")
    def _changed(self) -> None:
        self._values()

    @on(Button.Pressed, "#resolve-submit")
    def action_submit(self) -> None:
        self.touched = True
        values = self._values()
        if values is None or self.detail is None:
            return
        verb = "Annul" if values["outcome"] == ANNULLED else f"Resolve as {values['outcome']!r}"
        again = " Earlier resolutions stay in the history." if self.detail.resolutions else ""
        message = Text(
            f"{verb} question #{self.detail.question.id} as of {day(values['resolved_at'])}?"
            f"{again}\n\n{one_line(self.detail.question.title)}"
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._record(values)

        self.app.push_screen(ConfirmDialog(message), confirmed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="resolve-save")
    def _record(self, values: dict) -> None:
        repository = self.app.repository
        try:
            if values["outcome"] == ANNULLED:
                result = repository.annul(
                    question=self.question_id,
                    resolved_at=values["resolved_at"],
                    evidence=values["evidence"],
                )
            else:
                result = repository.resolve(
                    question=self.question_id,
                    outcome=values["outcome"],
                    resolved_at=values["resolved_at"],
                    evidence=values["evidence"],
                    source=values["source"],
                )
        except ForecastsError as exc:
            self.post_message(self.Done(None, exc))
        else:
            self.post_message(self.Done(result, None))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.error is None:
            self.dismiss(message.resolution)
            return
        field = getattr(message.error, "field", "save")
        where = {"resolved_at": "date"}.get(field, field)
        if where not in ("outcome", "date"):
            where = "save"
        self.query_one(f"#err-{where}", Static).update(Text(str(message.error)))

    @on(Button.Pressed, "#resolve-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
