"""Readers: a file in one of the interchange formats, as a stream of validated records.

Each reader yields ``(section, location, record)`` in the order an importer needs them
(forecasters, sources, questions, forecasts, events), or ``(section, location, problems)``
for a record it refuses; it never holds more of the file than one record (the flat CSV
shapes keep one line per question, to check that its repeated fields agree).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ijson
from pydantic import ValidationError

from forecasts.errors import InvalidInput
from forecasts.interchange import (
    CSV_COLUMNS,
    FATEBOOK_COLUMNS,
    FATEBOOK_OUTCOMES,
    FORMAT_VERSION,
    FORMATS,
    SECTIONS,
    ForecasterRecord,
    ForecastRecord,
    Problem,
    QuestionRecord,
    ResolutionRecord,
    fast_forecast,
    parse_fatebook_time,
    problems_in,
)
from forecasts.models import ForecasterKind, QuestionKind
from forecasts.parsing import check_probability, parse_moment

Item = tuple[str, str, Any]
"""(section, location, a record or a list of problems)."""


def _open(path: Path, mode: str = "rb"):
    try:
        if mode == "rb":
            return open(path, "rb")
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InvalidInput("file", str(path), f"cannot be read: {exc.strerror}") from None


def detect(path: Path) -> str:
    """The format of the file at ``path``, from its first bytes: JSON, Fatebook's CSV, or
    forecasts' CSV."""
    with _open(path) as handle:
        head = handle.read(4096)
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("{"):
        return "json"
    first = text.splitlines()[0] if text else ""
    if "Question title" in first and "Forecast created by" in first:
        return "fatebook-csv"
    if "question_title" in first or "question_key" in first:
        return "csv"
    raise InvalidInput(
        "format",
        str(path),
        f"cannot be told from the file's start; give --format ({', '.join(FORMATS)})",
    )


# JSON ------------------------------------------------------------------------------------


def _json_error(path: Path, exc: Exception) -> InvalidInput:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, ijson.IncompleteJSONError) and "premature" in reason.lower():
        reason = "ends before the JSON does (a truncated file?)"
    else:
        reason = f"is not valid JSON ({reason})"
    return InvalidInput("file", str(path), reason)


def _check_version(value: object) -> None:
    if value != FORMAT_VERSION or isinstance(value, bool):
        raise InvalidInput(
            "format_version", value, f"is not a version this release reads ({FORMAT_VERSION})"
        )


_MISSING = object()


class _Leading:
    """One pass over the start of the file, up to where the forecasts begin: the format
    version, and the sections before the forecasts, held whole (they are the small ones:
    forecasters, sources, questions), so that only the forecasts, and what comes after
    them, need a pass of their own."""

    def __init__(self, path: Path) -> None:
        self.version: object = _MISSING
        self.sections: dict[str, object] = {}
        with _open(path) as handle:
            try:
                self._read(ijson.parse(handle, use_float=True), path)
            except ijson.JSONError as exc:
                raise _json_error(path, exc) from None

    def _read(self, events, path: Path) -> None:
        first = next(events, None)
        if first is None or first[1] != "start_map":
            raise InvalidInput("file", str(path), "is not a JSON object of records")
        for prefix, event, value in events:
            if prefix != "" or event != "map_key":
                continue
            if value == "forecasts":
                return
            builder = ijson.ObjectBuilder()
            depth = 0
            for _, inner, inner_value in events:
                builder.event(inner, inner_value)
                depth += inner in ("start_map", "start_array")
                depth -= inner in ("end_map", "end_array")
                if depth == 0:
                    break
            if value == "format_version":
                self.version = builder.value
            elif value not in self.sections:
                self.sections[value] = builder.value


def _version(path: Path) -> None:
    """Find the format version wherever it is in the file (one more pass when it was not
    before the forecasts)."""
    with _open(path) as handle:
        try:
            for prefix, _event, value in ijson.parse(handle, use_float=True):
                if prefix == "format_version":
                    _check_version(value)
                    return
        except ijson.JSONError as exc:
            raise _json_error(path, exc) from None
    raise InvalidInput("format_version", None, "is missing: is this a forecasts export?")


def _validated(section: str, model, items) -> Iterator[Item]:
    fast = fast_forecast if model is ForecastRecord else None
    for index, item in enumerate(items):
        location = f"{section}[{index}]"
        if fast is not None and (record := fast(item)) is not None:
            yield section, location, record
            continue
        try:
            yield section, location, model.model_validate(item)
        except ValidationError as exc:
            yield section, location, problems_in(location, exc)


def _streamed(path: Path, section: str, model) -> Iterator[Item]:
    """A section's records in a pass over the whole file, one record held at a time."""
    seen = 0
    with _open(path) as handle:
        try:
            items = ijson.items(handle, f"{section}.item", use_float=True)
            for found in _validated(section, model, items):
                seen += 1
                yield found
        except ijson.JSONError as exc:
            raise _json_error(path, exc) from None
    if not seen:
        with _open(path) as handle:
            value = next(ijson.items(handle, section, use_float=True), [])
        if not isinstance(value, list):
            yield section, section, [Problem(section, "", None, "is not a list of records")]


def read_json(path: Path) -> Iterator[Item]:
    """The records of an interchange JSON file, section by section in the order they are
    imported, however the file orders them; no more than one forecast is held at a time."""
    leading = _Leading(path)
    if leading.version is _MISSING:
        _version(path)
    else:
        _check_version(leading.version)
    for section, model in SECTIONS:
        held = leading.sections.pop(section, _MISSING)
        if held is _MISSING:
            yield from _streamed(path, section, model)
        elif isinstance(held, list):
            yield from _validated(section, model, held)
        else:
            yield section, section, [Problem(section, "", None, "is not a list of records")]


# Forecasts' CSV --------------------------------------------------------------------------


def _csv_lines(path: Path, columns: tuple[str, ...], required: set[str]):
    """Rows of a CSV file as dicts by column name (a header in any order; a BOM and CRLF
    line ends are read), with the line each starts on."""
    handle = _open(path, "r")
    reader = csv.DictReader(handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    unknown = [name for name in header if name not in columns]
    missing = sorted(required - set(header))
    if unknown or missing:
        handle.close()
        what = f"unknown column {unknown[0]!r}" if unknown else f"no column {missing[0]!r}"
        raise InvalidInput("header", ",".join(header), f"has {what}; columns: {', '.join(columns)}")
    reader.fieldnames = header
    return handle, reader


@dataclass
class _Question:
    """A question as the flat shapes define it, from its first line; later lines must
    agree with it."""

    ident: int
    line: int
    fields: dict[str, Any]
    options: list[str] = field(default_factory=list)
    resolution: tuple[str, str] | None = None


def _cell(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


class _Flat:
    """What both flat readers share: questions gathered in a first pass, forecasters by
    name, and each multiple-choice forecast put together from its lines."""

    def __init__(self) -> None:
        self.questions: dict[Any, _Question] = {}
        self.forecasters: dict[str, tuple[int, str, int]] = {}
        self.problems: list[Problem] = []

    def question(self, identity: Any, line: int, fields: dict[str, Any]) -> _Question:
        found = self.questions.get(identity)
        if found is None:
            found = self.questions[identity] = _Question(len(self.questions) + 1, line, fields)
            return found
        for name, value in fields.items():
            if value != found.fields.get(name):
                self.problems.append(
                    Problem(
                        f"line {line}",
                        name,
                        value,
                        f"differs from line {found.line} for the same question "
                        f"({found.fields.get(name)!r})",
                    )
                )
        return found

    def forecaster(self, name: str, kind: str, line: int) -> int:
        found = self.forecasters.get(name)
        if found is None:
            self.forecasters[name] = (len(self.forecasters) + 1, kind, line)
            return len(self.forecasters)
        if kind and found[1] and kind != found[1]:
            self.problems.append(
                Problem(
                    f"line {line}",
                    "forecaster_kind",
                    kind,
                    f"differs from line {found[2]} for {name!r} ({found[1]!r})",
                )
            )
        return found[0]

    def forecaster_items(self) -> Iterator[Item]:
        for name, (ident, kind, line) in self.forecasters.items():
            location = f"line {line}"
            try:
                yield (
                    "forecasters",
                    location,
                    ForecasterRecord(id=ident, name=name, kind=kind or ForecasterKind.PERSON),
                )
            except ValidationError as exc:
                yield "forecasters", location, problems_in(location, exc)

    def question_items(self) -> Iterator[Item]:
        for question in self.questions.values():
            location = f"line {question.line}"
            fields = dict(question.fields)
            if fields.pop("_reference", False):
                continue
            if question.options:
                fields["kind"] = QuestionKind.MULTIPLE_CHOICE
                fields["options"] = tuple(question.options)
            if question.resolution is not None:
                outcome, resolved_at = question.resolution
                fields["resolutions"] = (
                    ResolutionRecord(outcome=outcome, resolved_at=resolved_at),
                )
            try:
                yield "questions", location, QuestionRecord(id=question.ident, **fields)
            except ValidationError as exc:
                yield "questions", location, problems_in(location, exc)
            except InvalidInput as exc:
                yield "questions", location, [Problem(location, exc.field, exc.value, exc.problem)]


class _Vector:
    """The lines of one multiple-choice forecast, filled option by option."""

    def __init__(self, line: int, fields: dict[str, Any], size: int) -> None:
        self.line = line
        self.fields = fields
        self.values: list[float | None] = [None] * size

    @property
    def complete(self) -> bool:
        return all(value is not None for value in self.values)


def _moment(text: str, field_name: str) -> Any:
    return parse_moment(text, field_name, end_of_day=field_name == "close_at") if text else None


def _probability(text: str, line: int, problems: list[Problem], name: str) -> float | None:
    try:
        return check_probability(float(text), name)
    except (ValueError, InvalidInput):
        problems.append(Problem(f"line {line}", name, text, "is not a probability from 0 to 1"))
        return None


class _FlatReader:
    """The two passes of a flat file: questions and forecasters first, then forecasts."""

    columns: tuple[str, ...] = ()
    required: set[str] = set()

    def __init__(self, path: Path) -> None:
        self.path = path
        self.flat = _Flat()
        self.pending: dict[tuple, _Vector] = {}
        self.next_id = 1

    def lines(self) -> Iterator[tuple[int, dict[str, str]]]:
        handle, reader = _csv_lines(self.path, self.columns, self.required)
        with handle:
            try:
                for row in reader:
                    if None in row:
                        yield reader.line_num, {**row, "_extra": "1"}
                    else:
                        yield reader.line_num, row
            except csv.Error as exc:
                raise InvalidInput("file", str(self.path), f"is not valid CSV ({exc})") from None
            except UnicodeDecodeError:
                raise InvalidInput("file", str(self.path), "is not UTF-8 text") from None

    def gather(self, line: int, row: dict[str, str]) -> None:
        raise NotImplementedError

    def forecast(self, line: int, row: dict[str, str]) -> Iterator[Item]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Item]:
        for line, row in self.lines():
            if row.get("_extra"):
                self.flat.problems.append(Problem(f"line {line}", "", None, "has extra cells"))
                continue
            self.gather(line, row)
        yield from self.flat.forecaster_items()
        yield from self.flat.question_items()
        for problem in self.flat.problems:
            yield "questions", problem.location, [problem]
        for line, row in self.lines():
            if not row.get("_extra"):
                yield from self.forecast(line, row)
        for vector in self.pending.values():
            location = f"line {vector.line}"
            given = sum(value is not None for value in vector.values)
            problem = Problem(
                location,
                "option",
                None,
                f"gives {given} of the question's {len(vector.values)} options' probabilities",
            )
            yield "forecasts", location, [problem]

    def emit(self, line: int, fields: dict[str, Any]) -> Item:
        location = f"line {line}"
        try:
            record = ForecastRecord(id=self.next_id, **fields)
        except ValidationError as exc:
            return "forecasts", location, problems_in(location, exc)
        self.next_id += 1
        return "forecasts", location, record

    def values(
        self,
        line: int,
        question: _Question,
        fields: dict[str, Any],
        *,
        option: str,
        probability: tuple[str, str],
        made_at: Callable[[], Any],
    ) -> Iterator[Item]:
        """A line's probability (its text and column) and time, read into the forecast it
        gives: a binary one at once, a multiple-choice one once all its options are in.
        Both refusals are reported together."""
        problems: list[Problem] = []
        value = _probability(probability[0], line, problems, probability[1])
        try:
            moment = made_at()
        except InvalidInput as exc:
            problems.append(Problem(f"line {line}", exc.field, exc.value, exc.problem))
        if problems:
            yield "forecasts", f"line {line}", problems
            return
        fields = {**fields, "made_at": moment}
        if not option:
            yield self.emit(line, {**fields, "probability": value})
            return
        yield from self.place(line, question, option, value, fields)

    def place(
        self, line: int, question: _Question, option: str, value: float, fields
    ) -> Iterator[Item]:
        """Put one option's probability into its forecast; yield the forecast once whole."""
        if option not in question.options:
            problem = Problem(f"line {line}", "option", option, "is not an option of the question")
            yield "forecasts", f"line {line}", [problem]
            return
        identity = (question.ident, *sorted(fields.items()))
        vector = self.pending.get(identity)
        if vector is None:
            vector = self.pending[identity] = _Vector(line, fields, len(question.options))
        position = question.options.index(option)
        if vector.values[position] is not None:
            problem = Problem(f"line {line}", "option", option, "is given twice for one forecast")
            yield "forecasts", f"line {line}", [problem]
            return
        vector.values[position] = value
        if vector.complete:
            del self.pending[identity]
            yield self.emit(vector.line, {**vector.fields, "probabilities": tuple(vector.values)})


class CsvReader(_FlatReader):
    """forecasts' own flat CSV: one line per forecast, one per option for multiple choice."""

    columns = CSV_COLUMNS
    required = {"forecaster", "probability", "made_at"}

    def identity(self, row: dict[str, str]) -> tuple[str, str]:
        key = _cell(row, "question_key")
        return ("key", key) if key else ("title", _cell(row, "question_title"))

    def gather(self, line: int, row: dict[str, str]) -> None:
        problems = self.flat.problems
        identity = self.identity(row)
        if not identity[1]:
            problems.append(Problem(f"line {line}", "question_title", "", "is empty"))
            return
        defined = bool(_cell(row, "question_title"))
        fields: dict[str, Any] = {"_reference": not defined}
        try:
            if defined:
                fields.update(
                    key=_cell(row, "question_key") or None,
                    title=_cell(row, "question_title"),
                    criteria=_cell(row, "criteria"),
                    close_at=_moment(_cell(row, "close_at"), "close_at"),
                    tags=tuple(t.strip() for t in _cell(row, "tags").split(";") if t.strip()),
                )
            outcome = _cell(row, "outcome")
            resolved = _moment(_cell(row, "resolved_at"), "resolved_at")
        except InvalidInput as exc:
            problems.append(Problem(f"line {line}", exc.field, exc.value, exc.problem))
            return
        question = self.flat.question(identity, line, fields)
        option = _cell(row, "option")
        if option and option not in question.options:
            question.options.append(option)
        if outcome or resolved:
            if not (outcome and resolved):
                problems.append(
                    Problem(f"line {line}", "resolved_at", None, "and outcome go together")
                )
            elif question.resolution not in (None, (outcome, resolved)):
                problems.append(
                    Problem(f"line {line}", "outcome", outcome, "differs from an earlier line")
                )
            else:
                question.resolution = (outcome, resolved)
        name = _cell(row, "forecaster")
        if name:
            self.flat.forecaster(name, _cell(row, "forecaster_kind"), line)

    def forecast(self, line: int, row: dict[str, str]) -> Iterator[Item]:
        question = self.flat.questions.get(self.identity(row))
        name = _cell(row, "forecaster")
        if question is None or name not in self.flat.forecasters:
            if not name:
                yield (
                    "forecasts",
                    f"line {line}",
                    [Problem(f"line {line}", "forecaster", "", "is empty")],
                )
            return
        fields: dict[str, Any] = {
            "forecaster_id": self.flat.forecasters[name][0],
            "source_key": _cell(row, "source") or None,
            "quote": _cell(row, "quote") or None,
            "rationale": _cell(row, "rationale"),
        }
        if question.fields.get("_reference"):
            fields["question_key"] = self.identity(row)[1]
        else:
            fields["question_id"] = question.ident
        yield from self.values(
            line,
            question,
            fields,
            option=_cell(row, "option"),
            probability=(_cell(row, "probability"), "probability"),
            made_at=lambda: _moment(_cell(row, "made_at"), "made_at"),
        )


class FatebookReader(_FlatReader):
    """Fatebook's export: one line per forecast (per option for multiple choice); a question
    is known by its title and creation time, as Fatebook's own tools know it."""

    columns = FATEBOOK_COLUMNS
    required = {"Question title", "Forecast created by", "Forecast (scale = 0-1)"}

    def identity(self, row: dict[str, str]) -> tuple[str, str]:
        return _cell(row, "Question title"), _cell(row, "Question created at")

    def gather(self, line: int, row: dict[str, str]) -> None:
        problems = self.flat.problems
        title, created = self.identity(row)
        try:
            created_at = parse_fatebook_time(created, "Question created at") if created else None
            close_at = parse_fatebook_time(_cell(row, "Question resolve by"), "Question resolve by")
            resolved_text = _cell(row, "Resolved at")
            resolved = parse_fatebook_time(resolved_text, "Resolved at") if resolved_text else None
        except InvalidInput as exc:
            problems.append(Problem(f"line {line}", exc.field, exc.value, exc.problem))
            return
        tags = _cell(row, "Question tags").replace(",", ";").split(";")
        fields = {
            "title": title,
            "criteria": "As its author resolved it on Fatebook.",
            "description": _cell(row, "Question notes"),
            "close_at": close_at,
            "created_at": created_at,
            "recorded_by": _cell(row, "Question created by"),
            "tags": tuple(tag.strip() for tag in tags if tag.strip()),
        }
        question = self.flat.question((title, created), line, fields)
        option = _cell(row, "Multiple choice option")
        if option and option not in question.options:
            question.options.append(option)
        self._resolution(line, question, option, _cell(row, "Resolution").upper(), resolved)
        self.flat.forecaster(_cell(row, "Forecast created by"), "", line)

    def _resolution(self, line: int, question: _Question, option: str, said: str, when) -> None:
        if not said:
            return
        if said not in FATEBOOK_OUTCOMES or when is None:
            problem = Problem(
                f"line {line}", "Resolution", said, "is not YES, NO or AMBIGUOUS with a time"
            )
            self.flat.problems.append(problem)
            return
        outcome = FATEBOOK_OUTCOMES[said]
        if option:
            if said == "NO":
                return
            outcome = option if said == "YES" else outcome
        if question.resolution not in (None, (outcome, when)):
            self.flat.problems.append(
                Problem(f"line {line}", "Resolution", said, "differs from an earlier line")
            )
            return
        question.resolution = (outcome, when)

    def forecast(self, line: int, row: dict[str, str]) -> Iterator[Item]:
        question = self.flat.questions.get(self.identity(row))
        name = _cell(row, "Forecast created by")
        if question is None or name not in self.flat.forecasters:
            return
        fields = {"question_id": question.ident, "forecaster_id": self.flat.forecasters[name][0]}
        yield from self.values(
            line,
            question,
            fields,
            option=_cell(row, "Multiple choice option"),
            probability=(_cell(row, "Forecast (scale = 0-1)"), "Forecast (scale = 0-1)"),
            made_at=lambda: parse_fatebook_time(
                _cell(row, "Forecast created at"), "Forecast created at"
            ),
        )


def read(path: Path, format_name: str) -> Iterator[Item]:
    """The records of the file at ``path`` in ``format_name`` (json, csv, fatebook-csv)."""
    if format_name == "json":
        return read_json(path)
    if format_name == "csv":
        return iter(CsvReader(path))
    return iter(FatebookReader(path))
