"""Errors a user can cause, each naming the field and the offending value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line's light paths raise these without loading Pydantic
    from pydantic import ValidationError


class ForecastsError(Exception):
    """Base of every error forecasts reports; its message is one line fit to show as it is.
    ``exit_code`` is what the command line exits with: 2 for a user's mistake."""

    exit_code = 2


class InvalidInput(ForecastsError, ValueError):
    """A value the user gave is refused; ``field`` names it and ``value`` is what was given."""

    def __init__(self, field: str, value: Any, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        shown = f"{show(value)} " if value is not None else ""
        super().__init__(f"{field}: {shown}{problem}")


class InvalidInputs(InvalidInput):
    """Several values refused at once. Its message is the first problem's line (what the
    command line prints); ``problems`` holds every one, for forms that show each beside its
    own field."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        first = problems[0]
        super().__init__(first.field, first.value, first.problem)
        self.problems = tuple(problems)


def problems_of(error: InvalidInput) -> tuple[InvalidInput, ...]:
    """Every problem an error reports: its own, or each of several."""
    return error.problems if isinstance(error, InvalidInputs) else (error,)


def raise_problems(problems: list[InvalidInput]) -> None:
    """Raise nothing for no problems, the problem itself for one, all of them for several."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InvalidInputs(problems)


class NotFound(ForecastsError, LookupError):
    """A reference (question id, forecaster name, source id) that matches nothing stored."""

    def __init__(self, field: str, value: Any, what: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: no {what} matches {show(value)}")


class Conflict(ForecastsError):
    """The request is well formed but clashes with what is stored (a duplicate name, say)."""

    def __init__(self, field: str, value: Any, problem: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {show(value)} {problem}")


class StorageError(ForecastsError):
    """The database or a file cannot be used as asked, through no mistake in what was typed
    (busy, read-only, damaged, from a newer version): exit code 1."""

    exit_code = 1

    def __init__(self, field: str, value: Any, problem: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {show(value)} {problem}")


def show(value: Any) -> str:
    """A value as a message shows it: quoted when text, on one line, at most 80 characters."""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > 80:
        text = text[:77] + "..."
    return repr(text) if isinstance(value, str) else text


def _problem(exc: ValidationError, err: Any) -> InvalidInput:
    field = ".".join(str(part) for part in err["loc"]) or exc.title
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, InvalidInput):
        return cause
    message = str(cause) if cause is not None else err["msg"]
    message = message[0].lower() + message[1:] if message else message
    return InvalidInput(field, err.get("input"), f"is refused: {message}")


def from_validation_error(exc: ValidationError) -> InvalidInput:
    """Turn pydantic's report into one :class:`InvalidInput`: the bad field, or every bad
    field as :class:`InvalidInputs` when there are several."""
    problems = [_problem(exc, err) for err in exc.errors(include_url=False)]
    return problems[0] if len(problems) == 1 else InvalidInputs(problems)
