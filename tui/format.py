"""How the app shows values: probabilities, statuses and dates, always as plain text."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from forecasts.models import QuestionKind, QuestionStatus
from forecasts.text import percent

STATUS = {
    QuestionStatus.OPEN: ("open", "green"),
    QuestionStatus.CLOSED: ("awaiting resolution", "bold yellow"),
    QuestionStatus.RESOLVED: ("resolved", "cyan"),
    QuestionStatus.ANNULLED: ("annulled", "dim"),
}


def status_text(status: QuestionStatus, outcome: str | None = None) -> Text:
    label, style = STATUS[status]
    if status is QuestionStatus.RESOLVED and outcome:
        label = f"resolved: {outcome}"
    return Text(label, style=style, no_wrap=True, overflow="ellipsis")


def vector_text(
    vector: tuple[float, ...] | None, kind: QuestionKind, options: tuple[str, ...]
) -> Text:
    """A forecast in a cell: the probability of yes, or the leading option's share and the
    option (the share first, so a narrow cell cuts the label, never the number)."""
    if vector is None:
        return Text("-", style="dim", justify="right")
    if kind is QuestionKind.BINARY:
        return Text(percent(vector[0]), justify="right")
    best = max(range(len(vector)), key=lambda i: vector[i])
    label = options[best] if best < len(options) else f"option {best + 1}"
    return Text(f"{percent(vector[best])} {label}", no_wrap=True, overflow="ellipsis")


def day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment is not None else "-"
