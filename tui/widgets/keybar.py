"""The key bar at the foot of every screen: the keys that work here, drawn as one line of
text, and the command palette's key at the right.

Textual's own Footer builds a widget for every key and builds them all again whenever the
bindings change (on every change of screen and of focus), which took most of the time of
going back from one screen to another. This bar is one widget that draws one line; a click
on a key presses it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget, can_focus=False):
    """The keys of the screen and the app, as the footer shows them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--disabled {
        text-style: dim;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[tuple[str, str, str, bool]] = []  # key, shown key, description, on
        self._palette: tuple[str, str, str] | None = None
        self._spans: list[tuple[int, int, str]] = []  # cells start..end -> key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_bindings()

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()

    def _read_bindings(self) -> None:
        """The shown bindings of the screen's chain, one per action, in the footer's order."""
        app = self.app
        keys: list[tuple[str, str, str, bool]] = []
        seen: set[str] = set()
        palette = None
        for key, (_, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = (binding.key, app.get_key_display(binding), binding.description)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        if keys != self._keys or palette != self._palette:
            self._keys, self._palette = keys, palette
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled = self.get_component_rich_style("keybar--disabled")
        right = Text()
        if self._palette is not None:
            _, shown, description = self._palette
            right.append("▏")
            right.append(f"{shown} ", key_style)
            right.append(f"{description} ", description_style)
        room = max(self.size.width - right.cell_len, 0)
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for key, shown, description, enabled in self._keys:
            start = line.cell_len
            piece = Text()
            piece.append(f" {shown} ", key_style)
            piece.append(f"{description} ", description_style)
            if not enabled:
                piece.stylize(disabled)
            if start + piece.cell_len > room:
                break
            line.append_text(piece)
            self._spans.append((start, line.cell_len, key))
        line.append(" " * (room - line.cell_len))
        if self._palette is not None:
            self._spans.append((room, self.size.width, self._palette[0]))
        line.append_text(right)
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
