"""A new question: title, resolution criteria, kind, options, close date and tags."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from forecasts.errors import ForecastsError, InvalidInput
from forecasts.models import Question
from forecasts.parsing import parse_moment
from tui.errors import ReportsWorkerErrors

KINDS = [("binary (yes / no)", "binary"), ("multiple choice (scenarios)", "multiple_choice")]
FIELDS = ("title", "criteria", "kind", "options", "close_at", "tags", "save")


class NewQuestionDialog(ReportsWorkerErrors, ModalScreen[Question | None]):
    """Returns the stored question, or None when cancelled."""

    DEFAULT_CSS = """
    NewQuestionDialog {
        align: center middle;
    }
    NewQuestionDialog > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    NewQuestionDialog Label {
        margin-top: 1;
        text-style: bold;
    }
    NewQuestionDialog TextArea {
        height: 4;
    }
    NewQuestionDialog .error {
        color: $error;
        height: auto;
    }
    NewQuestionDialog .hidden {
        display: none;
    }
    NewQuestionDialog #question-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    NewQuestionDialog #question-buttons Button {
        margin-left: 1;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="question.cancel"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the question", id="question.save"),
    ]

    class Done(Message):
        def __init__(self, question: Question | None, error: ForecastsError | None) -> None:
            super().__init__()
            self.question = question
            self.error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("New question", style="bold"))
            yield Label("Title")
            yield Input(id="question-title", placeholder="Will …?")
            yield Static(classes="error", id="err-title")
            yield Label("Resolution criteria (precise enough that two people resolve it alike)")
            yield TextArea(id="question-criteria")
            yield Static(classes="error", id="err-criteria")
            yield Label("Kind")
            yield Select(KINDS, value="binary", allow_blank=False, id="question-kind")
            yield Static(classes="error", id="err-kind")
            yield Label("Options, one per line", id="question-options-label", classes="hidden")
            yield TextArea(id="question-options", classes="hidden")
            yield Static(classes="error", id="err-options")
            yield Label("Close date (open through that day, UTC)")
            yield Input(id="question-close", placeholder="YYYY-MM-DD")
            yield Static(classes="error", id="err-close_at")
            yield Label("Tags, separated by commas")
            yield Input(id="question-tags", placeholder="north-korea, russia")
            yield Static(classes="error", id="err-tags")
            with Horizontal(id="question-buttons"):
                yield Button("Cancel", id="question-cancel")
                yield Button("Save", id="question-save", variant="primary")
            yield Static(classes="error", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#question-title", Input).focus()

    @on(Select.Changed, "#question-kind")
    def _kind(self, event: Select.Changed) -> None:
        multiple = event.value == "multiple_choice"
        for name in ("#question-options", "#question-options-label"):
            self.query_one(name).set_class(not multiple, "hidden")

    def _show(self, errors: dict[str, str]) -> None:
        for field in FIELDS:
            self.query_one(f"#err-{field}", Static).update(Text(errors.get(field, "")))

    def action_save(self) -> None:
        errors: dict[str, str] = {}
        kind = self.query_one("#question-kind", Select).value
        options = [
            line.strip()
            for line in self.query_one("#question-options", TextArea).text.splitlines()
            if line.strip()
        ]
        try:
            close_at = parse_moment(
                self.query_one("#question-close", Input).value, "close_at", end_of_day=True
            )
        except InvalidInput as exc:
            errors["close_at"] = exc.problem
            close_at = None
        values = {
            "title": self.query_one("#question-title", Input).value,
            "criteria": self.query_one("#question-criteria", TextArea).text,
            "kind": kind,
            "options": options if kind == "multiple_choice" else [],
            "tags": [
                t for t in self.query_one("#question-tags", Input).value.split(",") if t.strip()
            ],
        }
        if not values["title"].strip():
            errors["title"] = "must not be blank"
        if not values["criteria"].strip():
            errors["criteria"] = "must not be blank: say exactly how it resolves"
        if kind == "multiple_choice" and len(options) < 2:
            errors["options"] = "needs at least 2 options, one per line"
        self._show(errors)
        if errors:
            return
        self._save(values | {"close_at": close_at})

    @work(thread=True, exclusive=True, exit_on_error=False, group="question-save")
    def _save(self, values: dict) -> None:
        try:
            question = self.app.repository.add_question(**values)
        except ForecastsError as exc:
            self.post_message(self.Done(None, exc))
        else:
            self.post_message(self.Done(question, None))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.error is None:
            self.dismiss(message.question)
            return
        field = getattr(message.error, "field", "save")
        self._show({field if field in FIELDS else "save": str(message.error)})

    @on(Button.Pressed, "#question-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#question-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
