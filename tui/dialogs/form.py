"""The base of every form dialog: a scrolling modal with an error line under each field,
Cancel and Save buttons, and a save that runs in a thread worker.

Forms parse what is typed with the domain's drafts (:mod:`forecasts.drafts`) and show each
problem the draft reports beside the field it names; they never re-implement a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar, Generic, TypeVar

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static, TextArea

from forecasts.errors import ForecastsError, InvalidInput, from_validation_error, problems_of
from tui.errors import ReportsWorkerErrors

T = TypeVar("T")
D = TypeVar("D")


class FormDialog(ReportsWorkerErrors, ModalScreen[T], Generic[T]):
    """Subclasses set ``PREFIX`` (the ids of their buttons), ``ERROR_LINES`` (one
    ``#err-NAME`` Static each, ``save`` included) and ``FIELDS`` (a domain field to the error
    line it shows on, where the names differ)."""

    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
    }
    FormDialog > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    FormDialog Label {
        margin-top: 1;
        text-style: bold;
    }
    FormDialog .error {
        color: $error;
        height: auto;
    }
    FormDialog .hint {
        color: $text-muted;
        height: auto;
    }
    FormDialog .hidden {
        display: none;
    }
    FormDialog .form-buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    FormDialog .form-buttons Button {
        margin-left: 1;
    }
    """

    PREFIX: ClassVar[str] = "form"
    ERROR_LINES: ClassVar[tuple[str, ...]] = ("save",)
    FIELDS: ClassVar[dict[str, str]] = {}
    WHOLE_AFTER_SAVE: ClassVar[bool] = True
    """Whether a refusal from saving shows its whole line (the field named), or the problem
    alone beside its field (for a form whose fields are all read in the save)."""

    class Done(Message):
        """The save worker's result: what was stored, or the domain's refusal."""

        def __init__(self, value: object, error: ForecastsError | None) -> None:
            super().__init__()
            self.value = value
            self.error = error

    def on_screen_resume(self) -> None:
        """Notices say what happened before; a dialog on a small screen needs their room."""
        self.app.clear_notifications()

    def forget(self) -> None:
        """Empty every field and error line and scroll to the top, for a dialog the app keeps
        between uses; a subclass's ``present`` then fills it in for the next use."""
        for field in self.query(Input):
            field.value = ""
        for area in self.query(TextArea):
            area.text = ""
        self.show_errors({})
        self.query_one(VerticalScroll).scroll_home(animate=False)
        self.query_one(f"#{self.PREFIX}-save", Button).disabled = False

    @staticmethod
    def field(
        label: str, *widgets: Widget, error: str | None = None, label_id: str | None = None
    ) -> Iterator[Widget]:
        """A field: its label, its widgets, and the line its errors show on."""
        yield Label(label, classes="field", id=label_id)
        yield from widgets
        if error is not None:
            yield Static(classes="error hidden", id=f"err-{error}")

    def form_buttons(self, save_label: str = "Save") -> Horizontal:
        """Cancel and Save, right-aligned, then the line for errors from saving."""
        return Horizontal(
            Button("Cancel", id=f"{self.PREFIX}-cancel"),
            Button(save_label, id=f"{self.PREFIX}-save", variant="primary"),
            classes="form-buttons",
        )

    def error_line(self, field: str) -> str:
        """The error line a domain field shows on (``save`` for any other)."""
        base = field.split("[", 1)[0]
        line = self.FIELDS.get(field) or self.FIELDS.get(base) or base
        return line if line in self.ERROR_LINES else "save"

    def problems(self, error: ForecastsError, *, whole: bool = False) -> dict[str, str]:
        """Each problem of ``error`` on its line: the problem alone (the field is beside
        it), or the whole one-line message with ``whole``; an option's label leads when the
        problem shows on the line of the whole field."""
        found: dict[str, str] = {}
        reported = problems_of(error) if isinstance(error, InvalidInput) else (error,)
        for problem in reported:
            field = str(getattr(problem, "field", "save"))
            line = self.error_line(field)
            if whole or not isinstance(problem, InvalidInput):
                text = str(problem)
            elif "[" in field and line == self.error_line(field.split("[", 1)[0]):
                text = f"{field.split('[', 1)[1].rstrip(']')}: {problem.problem}"
            else:
                text = problem.problem
            found.setdefault(line, text)
        return found

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each error under its field; every other error line is emptied and takes no room."""
        for line in self.ERROR_LINES:
            shown = self.query_one(f"#err-{line}", Static)
            shown.update(Text(errors.get(line, "")))
            shown.set_class(not errors.get(line), "hidden")

    def submit(self, parse: Callable[[], D], write: Callable[[D], object]) -> None:
        """Parse the form with the domain's draft: show its refusals beside their fields, or
        save it with ``write`` (a repository call) in a worker."""
        try:
            draft = parse()
        except ValidationError as exc:
            self.show_errors(self.problems(from_validation_error(exc)))
            return
        except InvalidInput as exc:
            self.show_errors(self.problems(exc))
            return
        self.show_errors({})
        self.save_in_background(lambda: write(draft))

    def save_in_background(self, write: Callable[[], object]) -> None:
        """Run ``write`` (a repository call) in a thread worker; the dialog closes with its
        result, or shows the refusal beside the field it names."""
        self.query_one(f"#{self.PREFIX}-save", Button).disabled = True
        self._save(write)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _save(self, write: Callable[[], object]) -> None:
        try:
            value = write()
        except ForecastsError as exc:
            self.post_message(self.Done(None, exc))
        else:
            self.post_message(self.Done(value, None))

    @on(Done)
    def _done(self, message: Done) -> None:
        if message.error is None:
            self.dismiss(message.value)  # type: ignore[arg-type]
            return
        self.show_errors(self.problems(message.error, whole=self.WHOLE_AFTER_SAVE))
        self.query_one(f"#{self.PREFIX}-save", Button).disabled = False

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.PREFIX}-save":
            event.stop()
            self.action_save()
        elif event.button.id == f"{self.PREFIX}-cancel":
            event.stop()
            self.action_cancel()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)  # type: ignore[arg-type]
