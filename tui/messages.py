"""Messages that travel across the whole app."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """Something was written to the database; screens showing data read it again."""
