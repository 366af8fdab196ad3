"""Edit a question: title, criteria, close date and tags, with the reason the history keeps.
What it said before is kept as a revision; the domain's edit draft checks every rule."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static, TextArea

from forecasts.drafts import QuestionEdit
from forecasts.errors import InvalidInput
from forecasts.models import Question
from forecasts.text import one_line
from tui.dialogs.form import FormDialog
from tui.dialogs.new_question import when_and_tags
from tui.keys import keys


class EditQuestionDialog(FormDialog[Question | None]):
    """Returns the edited question, or None when cancelled."""

    DEFAULT_CSS = """
    EditQuestionDialog TextArea {
        height: 5;
    }
    """
    PREFIX = "edit"
    ERROR_LINES = ("title", "criteria", "close_at", "tags", "reason", "save")
    FIELDS = {"edit": "save", "options": "save"}
    BINDINGS = keys("edit")

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        question = self.question
        with VerticalScroll():
            yield Static(Text(f"Edit #{question.id}: {one_line(question.title, 70)}", style="bold"))
            yield from self.field("Title", Input(question.title, id="edit-title"), error="title")
            yield from self.field(
                "Resolution criteria",
                TextArea(question.criteria, id="edit-criteria"),
                error="criteria",
            )
            yield from when_and_tags(self, "edit", question)
            yield from self.field(
                "Why it changes (kept in the history)",
                Input(id="edit-reason", placeholder="e.g. the criteria were ambiguous"),
                error="reason",
            )
            yield self.form_buttons()
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self.query_one("#edit-criteria", TextArea).focus()

    def _edit(self) -> QuestionEdit:
        question = self.question
        close = self.query_one("#edit-close", Input).value
        reason = self.query_one("#edit-reason", Input).value
        if not reason.strip():
            raise InvalidInput("reason", reason, "must say why; it is kept in the history")
        return QuestionEdit.parse(
            question,
            now=self.app.clock(),
            title=self.query_one("#edit-title", Input).value,
            criteria=self.query_one("#edit-criteria", TextArea).text,
            close=close if close.strip() != f"{question.close_at:%Y-%m-%d}" else None,
            tags=self.query_one("#edit-tags", Input).value,
            reason=reason,
        )

    def action_save(self) -> None:
        self.submit(self._edit, self.app.repository.edit_question)
