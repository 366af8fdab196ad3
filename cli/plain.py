"""Plain output for the command line: JSON documents for programs, and text tables with
columns padded to their widest cell. Loads nothing but orjson, the standard library and
:mod:`forecasts.text`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from forecasts.text import json_escaped


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns padded to their widest cell; the last column is never padded."""
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    return "\n".join(line(row, widths, right) for row in [headers, *rows])


def line(row: Sequence[str], widths: Sequence[int], right: Sequence[int]) -> str:
    """One line of a table: cells padded to their columns' widths (the last never)."""
    cells = []
    for index, cell in enumerate(row):
        if index == len(row) - 1:
            cells.append(cell)
        elif index in right:
            cells.append(cell.rjust(widths[index]))
        else:
            cells.append(cell.ljust(widths[index]))
    return "  ".join(cells).rstrip()


def to_json(payload: Any) -> str:
    """A JSON document for programs: UTF-8 kept readable, but DEL, C1 controls, line and
    paragraph separators and bidirectional overrides written as \\u escapes, so printing it
    can neither drive a terminal nor reorder what a reader sees. Written by orjson, several
    times faster than the standard library with indentation, in the same layout; numbers
    keep full double precision (the shortest text that reads back as the same double)."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
    return json_escaped(orjson.dumps(payload, option=options).decode("utf-8"))
