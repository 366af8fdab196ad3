"""A new question: title, resolution criteria, kind, options, close date and tags."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from forecasts.drafts import QuestionDraft
from forecasts.errors import InvalidInput
from forecasts.models import Question, QuestionKind
from tui.dialogs.form import FormDialog
from tui.keys import keys

KINDS = [("binary (yes / no)", "binary"), ("multiple choice (scenarios)", "multiple_choice")]


def when_and_tags(form: FormDialog, prefix: str, question: Question | None = None):
    """The close date and tags fields of a question form (ids ``PREFIX-close`` and
    ``PREFIX-tags``), filled in from ``question`` when editing one."""
    yield from form.field(
        "Close date (open through that day, UTC)",
        Input(
            f"{question.close_at:%Y-%m-%d}" if question else "",
            id=f"{prefix}-close",
            placeholder="YYYY-MM-DD",
        ),
        error="close_at",
    )
    yield from form.field(
        "Tags, separated by commas",
        Input(
            ", ".join(question.tags) if question else "",
            id=f"{prefix}-tags",
            placeholder="north-korea, russia",
        ),
        error="tags",
    )


class NewQuestionDialog(FormDialog[Question | None]):
    """Returns the stored question, or None when cancelled."""

    DEFAULT_CSS = """
    NewQuestionDialog TextArea {
        height: 4;
    }
    """
    PREFIX = "question"
    ERROR_LINES = ("title", "criteria", "kind", "options", "close_at", "tags", "save")

    BINDINGS = keys("question")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("New question", style="bold"))
            yield from self.field(
                "Title", Input(id="question-title", placeholder="Will …?"), error="title"
            )
            yield from self.field(
                "Resolution criteria (precise enough that two people resolve it alike)",
                TextArea(id="question-criteria"),
                error="criteria",
            )
            yield from self.field(
                "Kind",
                Select(KINDS, value="binary", allow_blank=False, id="question-kind"),
                error="kind",
            )
            yield Label("Options, one per line", id="question-options-label", classes="hidden")
            yield TextArea(id="question-options", classes="hidden")
            yield Static(classes="error hidden", id="err-options")
            yield from when_and_tags(self, "question")
            yield self.form_buttons()
            yield Static(classes="error hidden", id="err-save")

    tried = False

    def on_mount(self) -> None:
        self.query_one("#question-title", Input).focus()

    def present(self) -> None:
        """Open again, empty (the app keeps this dialog between uses)."""
        self.tried = False
        self.forget()
        self.query_one("#question-kind", Select).value = QuestionKind.BINARY.value
        self.query_one("#question-title", Input).focus()

    @on(Select.Changed, "#question-kind")
    def _kind(self, event: Select.Changed) -> None:
        multiple = event.value == QuestionKind.MULTIPLE_CHOICE.value
        for name in ("#question-options", "#question-options-label"):
            self.query_one(name).set_class(not multiple, "hidden")
        self._changed()

    def _draft(self) -> QuestionDraft:
        kind = self.query_one("#question-kind", Select).value
        options = self.query_one("#question-options", TextArea).text.splitlines()
        return QuestionDraft.parse(
            title=self.query_one("#question-title", Input).value,
            criteria=self.query_one("#question-criteria", TextArea).text,
            kind=str(kind),
            options=options if kind == QuestionKind.MULTIPLE_CHOICE.value else (),
            close=self.query_one("#question-close", Input).value,
            tags=self.query_one("#question-tags", Input).value,
            now=self.app.clock(),
        )

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _changed(self) -> None:
        """Once the user has tried to save, errors follow the fields as they are fixed."""
        if self.tried:
            try:
                self._draft()
            except InvalidInput as exc:
                self.show_errors(self.problems(exc))
            else:
                self.show_errors({})

    def action_save(self) -> None:
        self.tried = True
        self.submit(self._draft, self.app.repository.add_question)
