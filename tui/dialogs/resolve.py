"""Resolve a question: outcome (or annul), date (today by default), evidence and an optional
source; a confirmation before it is recorded. Re-resolving keeps the earlier resolutions, and
the dialog shows them."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Select, Static, TextArea

from db.reads import QuestionDetail
from forecasts.drafts import ResolutionDraft
from forecasts.errors import InvalidInput
from forecasts.models import ANNULLED, Resolution
from forecasts.text import one_line
from tui.dialogs.common import ConfirmDialog
from tui.dialogs.form import FormDialog
from tui.format import day
from tui.keys import keys


class ResolveDialog(FormDialog[Resolution | None]):
    """Returns the recorded resolution, or None when cancelled."""

    DEFAULT_CSS = """
    ResolveDialog TextArea {
        height: 5;
    }
    """
    PREFIX = "resolve"
    ERROR_LINES = ("outcome", "date", "save")
    FIELDS: ClassVar[dict[str, str]] = {"resolved_at": "date"}

    BINDINGS = keys("resolve")

    class Loaded(Message):
        def __init__(self, detail: QuestionDetail, sources: list[tuple[int, str]]) -> None:
            super().__init__()
            self.detail = detail
            self.sources = sources

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id
        self.detail: QuestionDetail | None = None
        self.touched = False  # errors show once the user has tried to resolve

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Resolve", style="bold"), id="resolve-heading")
            yield Static(classes="hint", id="resolve-history")
            yield from self.field(
                "Outcome",
                Select[str]([], prompt="Choose the outcome", id="resolve-outcome"),
                error="outcome",
            )
            yield from self.field(
                "Resolved on", Input(id="resolve-date", placeholder="YYYY-MM-DD"), error="date"
            )
            yield from self.field("Evidence", TextArea(id="resolve-evidence"))
            yield from self.field(
                "Source of the evidence (optional)",
                Select[int]([], prompt="No source", id="resolve-source"),
            )
            yield self.form_buttons("Resolve…")
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self._start()

    def present(self, question_id: int) -> None:
        """Open again on ``question_id`` (the app keeps this dialog between uses)."""
        self.question_id = question_id
        self.detail = None
        self.touched = False
        self.forget()
        self.query_one("#resolve-heading", Static).update(Text("Resolve", style="bold"))
        self.query_one("#resolve-history", Static).update("")
        for picker in self.query(Select):
            picker.set_options([])
        self._start()

    def _start(self) -> None:
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

    def _draft(self) -> ResolutionDraft | None:
        """The resolution as typed, parsed by the domain's draft; problems beside their
        fields (the outcome's once the user has tried to resolve)."""
        if self.detail is None:
            return None
        outcome = self.query_one("#resolve-outcome", Select).value
        source = self.query_one("#resolve-source", Select).value
        try:
            draft = ResolutionDraft.parse(
                self.detail.question,
                outcome if isinstance(outcome, str) else None,
                now=self.app.clock(),
                resolved_at=self.query_one("#resolve-date", Input).value,
                evidence=self.query_one("#resolve-evidence", TextArea).text,
                source_id=source if isinstance(source, int) else None,
            )
        except InvalidInput as exc:
            errors = self.problems(exc)
            if not self.touched:
                errors.pop("outcome", None)
            self.show_errors(errors)
            return None
        self.show_errors({})
        return draft

    @on(Input.Changed)
    @on(Select.Changed, "#resolve-outcome")
    def _changed(self) -> None:
        self._draft()

    def action_save(self) -> None:
        self.touched = True
        draft = self._draft()
        if draft is None or self.detail is None:
            return
        annul = draft.outcome == ANNULLED
        verb = "Annul" if annul else f"Resolve as {draft.outcome!r}"
        again = " Earlier resolutions stay in the history." if self.detail.resolutions else ""
        message = Text(
            f"{verb} question #{self.detail.question.id} as of "
            f"{day(draft.resolved_at or self.app.clock())}?"
            f"{again}\n\n{one_line(self.detail.question.title)}"
        )
        if annul:  # an annulment rests on its evidence, not on a source
            draft = draft.model_copy(update={"source_id": None})

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_in_background(lambda: self.app.repository.resolve(draft))

        self.app.push_screen(ConfirmDialog(message), confirmed)
