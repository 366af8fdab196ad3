"""A table of rows: Home and End go to the first and the last row, as in any list (Textual's
table moves them along the columns)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable):
    """A DataTable with a row cursor whose Home and End keys go to the first and last row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = False, classes=None):
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes, classes=classes)
