"""Small dialogs: a confirmation and a tag picker."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from forecasts.text import one_line
from tui.errors import GuardsHandlers
from tui.keys import keys

ALL_TAGS = "\x00all"


class ConfirmDialog(GuardsHandlers, ModalScreen[bool]):
    """Asks once more before something is recorded; returns True to go ahead."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog Horizontal {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 1;
    }
    """
    BINDINGS = keys("confirm")

    def __init__(self, message: Text) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.message)
            with Horizontal():
                yield Button("Back", id="confirm-no")
                yield Button("Record it (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_no(self) -> None:
        self.dismiss(False)


class TagPicker(GuardsHandlers, ModalScreen[str | None]):
    """Choose a tag to filter by; returns the tag, ALL_TAGS for no filter, None if cancelled."""

    DEFAULT_CSS = """
    TagPicker {
        align: center middle;
    }
    TagPicker > OptionList {
        width: 40;
        max-height: 80%;
        border: thick $accent;
    }
    """
    BINDINGS = keys("tags")

    def __init__(self, tags: list[str], current: str | None) -> None:
        super().__init__()
        self.tags = tags
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("All tags", style="italic"), id=ALL_TAGS)]
        options += [Option(Text(one_line(tag)), id=tag) for tag in self.tags]
        yield OptionList(*options)

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        if self.current in self.tags:
            picker.highlighted = self.tags.index(self.current) + 1
        picker.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
