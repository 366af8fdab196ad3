"""Questions from a source: pick one of the drafts its judgments suggest, then accept it onto
a stored question that may already ask it (offered first) or as a new question, with the
judgments chosen. Everything is written in one transaction."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from db.suggestions import Accepted, Choice, accept
from forecasts.models import Source
from forecasts.suggest import Draft
from forecasts.text import one_line, percent
from tui.dialogs.form import FormDialog
from tui.errors import GuardsHandlers
from tui.keys import keys

NEW = "new"


class DraftPicker(GuardsHandlers, ModalScreen[int | None]):
    """The source's drafts; returns the number of the one chosen, None if cancelled."""

    DEFAULT_CSS = """
    DraftPicker {
        align: center middle;
    }
    DraftPicker > OptionList {
        width: 100;
        max-width: 100%;
        max-height: 90%;
        border: thick $accent;
    }
    """
    BINDINGS = keys("drafts")

    def __init__(self, drafts: list[Draft]) -> None:
        super().__init__()
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(_draft_label(d), id=str(d.number)) for d in self.drafts))

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        picker.border_title = f"{len(self.drafts)} question drafts: enter to accept one"
        picker.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _draft_label(draft: Draft) -> Text:
    label = Text(f"{draft.number}. ", style="bold")
    label.append(one_line(draft.title))
    close = draft.close_on.isoformat() if draft.close_on else "no deadline"
    count = len(draft.judgments)
    said = f"{count} judgment{'s' if count != 1 else ''}" if count else "a stated intention"
    label.append(f"\n   closes {close} · {said}", style="dim")
    if draft.matches:
        label.append(f" · may be asked by question {draft.matches[0][0]}", style="yellow")
    return label


class AcceptDraftDialog(FormDialog[Accepted | None]):
    """Returns what was accepted, or None when cancelled."""

    DEFAULT_CSS = """
    AcceptDraftDialog TextArea {
        height: 5;
    }
    AcceptDraftDialog SelectionList {
        height: auto;
        max-height: 12;
    }
    """
    PREFIX = "draft"
    ERROR_LINES = ("target", "title", "close", "criteria", "tags", "judgments", "save")
    FIELDS = {
        "draft": "target",
        "new": "target",
        "question": "target",
        "close_at": "close",
        "judgment": "judgments",
    }
    WHOLE_AFTER_SAVE = False
    BINDINGS = keys("draft-form")

    def __init__(self, source: Source, draft: Draft, titles: dict[int, str]) -> None:
        super().__init__()
        self.source = source
        self.draft = draft
        self.titles = titles

    def compose(self) -> ComposeResult:
        draft = self.draft
        asked = [
            (Text(f"question {ident}: {one_line(self.titles[ident], 70)}"), str(ident))
            for ident, _ in draft.matches
        ]
        # a draft a stated intention raises has no judgment to attach to a stored question
        targets = [*(asked if draft.judgments else []), (Text("a new question"), NEW)]
        with VerticalScroll():
            yield Static(Text(f"Draft {draft.number}: {one_line(draft.title)}", style="bold"))
            if not draft.judgments:
                yield Static(_raised_text(draft, asked))
            yield from self.field(
                "Put the judgments on" if draft.judgments else "Accept as",
                Select(targets, value=targets[0][1], allow_blank=False, id="draft-target"),
                error="target",
            )
            yield from self.field(
                "Title",
                Input(draft.title, id="draft-title"),
                error="title",
                label_id="draft-title-label",
            )
            yield from self.field(
                "Close date (open through that day, UTC)",
                Input(
                    draft.close_on.isoformat() if draft.close_on else "",
                    id="draft-close",
                    placeholder="YYYY-MM-DD",
                ),
                error="close",
                label_id="draft-close-label",
            )
            yield from self.field(
                "Resolution criteria (fill in the parts in square brackets)",
                TextArea(draft.criteria, id="draft-criteria"),
                error="criteria",
                label_id="draft-criteria-label",
            )
            yield from self.field(
                "Tags, separated by commas",
                Input(", ".join(draft.tags), id="draft-tags"),
                error="tags",
                label_id="draft-tags-label",
            )
            yield from self.field(
                "Judgments to log (space to leave one out)",
                SelectionList[int](
                    *(
                        (_judgment_label(judgment), number, True)
                        for number, judgment in enumerate(draft.judgments, start=1)
                    ),
                    id="draft-judgments",
                ),
                error="judgments",
                label_id="draft-judgments-label",
            )
            yield self.form_buttons("Accept")
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self._show_new_fields()
        for name in ("#draft-judgments", "#draft-judgments-label"):
            self.query_one(name).set_class(not self.draft.judgments, "hidden")
        self.query_one("#draft-target", Select).focus()

    @on(Select.Changed, "#draft-target")
    def _target(self) -> None:
        self._show_new_fields()

    def _show_new_fields(self) -> None:
        """The new question's fields only when the judgments go on a new question."""
        new = self.query_one("#draft-target", Select).value == NEW
        for name in ("title", "close", "criteria", "tags"):
            self.query_one(f"#draft-{name}").set_class(not new, "hidden")
            self.query_one(f"#draft-{name}-label").set_class(not new, "hidden")

    def action_save(self) -> None:
        target = str(self.query_one("#draft-target", Select).value)
        chosen = list(self.query_one("#draft-judgments", SelectionList).selected)
        if self.draft.judgments and not chosen:
            self.show_errors({"judgments": "choose at least one judgment to log"})
            return
        tags = self.query_one("#draft-tags", Input).value
        choice = Choice(
            to=None if target == NEW else target,
            new=target == NEW,
            judgments=chosen,
            title=self.query_one("#draft-title", Input).value,
            close=self.query_one("#draft-close", Input).value.strip() or None,
            criteria=self.query_one("#draft-criteria", TextArea).text,
            tags=[tag for tag in tags.split(",") if tag.strip()],
        )
        repository, settings = self.app.repository, self.app.settings
        source, number = self.source.id, self.draft.number
        self.show_errors({})
        self.save_in_background(
            lambda: accept(repository, source, number, choice, settings)  # type: ignore[arg-type]
        )


def _judgment_label(judgment) -> Text:
    reading = judgment.detection.reading
    label = Text(f"{percent(reading.probability):>6} ", style="bold")
    label.append(f"{one_line(judgment.forecaster)}{'' if judgment.known else ' (new)'}: ")
    label.append(f"“{one_line(judgment.quote, 70)}”", style="italic")
    return label


def _raised_text(draft: Draft, asked: list[tuple[Text, str]]) -> Text:
    """What raised a draft with no judgment, and the stored questions that may ask it."""
    text = Text()
    for lead in draft.leads:
        text.append(f"Raised by {one_line(lead.phrase)!r}: ", style="dim")
        text.append(f"“{one_line(lead.sentence, 90)}”\n", style="italic")
    for label, _ in asked:
        text.append("Asked already? ", style="yellow")
        text.append_text(label)
        text.append("\n")
    return text
