"""Making text from data safe to show: no terminal escapes, no markup."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str | None) -> str:
    """``text`` with every control character (escape sequences included) shown as ``\\xNN``.

    Newlines and tabs stay; nothing else from data can move the cursor or change colours.
    """
    if not text:
        return ""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def one_line(text: str | None, width: int | None = None) -> str:
    """``text`` made safe, its white space folded to single spaces, cut to ``width``."""
    folded = " ".join(safe(text).split())
    if width is not None and len(folded) > width:
        return folded[: max(width - 1, 0)] + "…"
    return folded
