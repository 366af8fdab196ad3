"""What screens share: the question a screen is about, if any, so the app's own actions (log
a forecast, resolve) act on it from any key or the command palette; and reading what a
screen shows in a worker, again after every write."""

from __future__ import annotations

from textual import work
from textual.message import Message

from tui.messages import DataChanged


class ShowsQuestion:
    """A screen that shows or highlights one question at a time."""

    def current_question(self) -> int | None:
        """The id of the question shown or highlighted, None when there is none."""
        raise NotImplementedError


class Refreshing:
    """A screen that reads what it shows in a thread worker, and reads it again after every
    write: subclasses give ``read`` (in the worker) and ``show`` (on the UI thread)."""

    class Read(Message):
        def __init__(self, value: object) -> None:
            super().__init__()
            self.value = value

    def reread(self) -> None:
        self._reread()  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, exit_on_error=False, group="screen-read")
    def _reread(self) -> None:
        self.post_message(self.Read(self.read()))  # type: ignore[attr-defined]

    def read(self) -> object:
        raise NotImplementedError

    def show(self, value: object) -> None:
        raise NotImplementedError

    # a mixin's handlers go by name (Textual collects @on only on its own classes)
    def on_data_changed(self, _message: DataChanged) -> None:
        self.reread()

    def on_refreshing_read(self, message: Read) -> None:
        self.show(message.value)
