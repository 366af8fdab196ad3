"""Imports: a file's records into the database in one transaction, all or nothing.

Records are matched to what is stored by stable keys, so importing a file twice adds
nothing, and a file that extends an earlier one adds only what is new: forecasters by name
(under Unicode case folding), sources by the SHA-256 of their text, questions by key (or,
without one, by title and creation time), forecasts by key or by who forecast what on which
question when, resolutions by their place in a question's history, events by what they did
to which record when.

Every record is checked by the same rules as one typed in (forecasts.models); a file with
any refused record imports nothing, and every refused record is reported with where it is.
An import stopped halfway (Ctrl-C, a killed process) leaves the database as it was: the
transaction is SQLite's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from db.readers import Item, detect, read
from db.repository import Repository
from forecasts.errors import InvalidInput, problems_of
from forecasts.furniture import Span
from forecasts.interchange import (
    SECTIONS,
    EventRecord,
    FastForecast,
    ForecasterRecord,
    ForecastRecord,
    IndicatorRecord,
    Problem,
    QuestionRecord,
    ScenarioUpdateRecord,
    SourceRecord,
    problems_in,
)
from forecasts.models import (
    EventKind,
    Forecaster,
    QuestionFields,
    QuestionKind,
    Source,
    check_outcome,
    check_quote,
    name_key,
)

MAX_PROBLEMS = 1000
"""Problems kept for the report; beyond these only their number is."""


def _t(moment: datetime | None) -> str | None:
    """A moment as SQLite holds it (what the ORM writes): 'YYYY-MM-DD HH:MM:SS.ffffff', UTC."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


_INSERT_FORECAST = (
    "INSERT INTO forecast (id, key, question_id, forecaster_id, made_at, made_at_precision, "
    "probability, source_id, quote, quote_start, quote_end, phrase, scale, scale_probability, "
    "inferred, rationale, recorded_at, imported, recorded_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _db_time(record, name: str) -> str | None:
    """A record's moment as SQLite holds it: from the file's own text when the fast path
    kept it, else converted."""
    if isinstance(record, FastForecast):
        return record.db_time(name)
    return _t(getattr(record, name))


class ImportRefused(InvalidInput):
    """A file with refused records: nothing of it was imported; ``problems`` lists them."""

    def __init__(self, path: str, problems: list[Problem], count: int) -> None:
        super().__init__(
            "file",
            path,
            f"was not imported: {count} record{'s' if count != 1 else ''} refused "
            "(nothing was written)",
        )
        self.refused = problems
        self.count = count


@dataclass
class ImportReport:
    """What an import added, updated and skipped, by kind of record."""

    path: str
    format: str
    dry_run: bool
    counts: dict[str, dict[str, int]]
    kept: list[str] = field(default_factory=list)
    """Records that differ from the stored ones they match, kept as stored."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "format": self.format,
            "dry_run": self.dry_run,
            "counts": self.counts,
            "kept_as_stored": self.kept,
        }


class _Question(NamedTuple):
    db_id: int
    kind: QuestionKind
    options: int
    new: bool


class _Importer:
    """Takes a file's records in order and writes each one that is new."""

    def __init__(self, cursor, *, now: datetime, user_name: str) -> None:
        self.c = cursor
        self.now = now
        self.user = user_name
        self.forecasters: dict[int, int] = {}
        self.new_forecasters: set[int] = set()
        self.merges: dict[int, tuple[int, str]] = {}
        self.sources: dict[int, Source] = {}
        self.stored_sources: dict[str, Source | None] = {}
        self.questions: dict[int, _Question] = {}
        self.by_key: dict[str, _Question] = {}
        self.differing: dict[int, QuestionRecord] = {}
        self.keyless: dict[tuple[str, str], int] | None = None
        """Stored questions without a key, by (title, created_at): they are matched so."""
        self.seen: set[int] = set()
        self.next_id: dict[str, int] = {}
        self.batch: dict[str, list[tuple]] = {}
        self.held = 0
        """Hashes of the forecasts added on questions new in this import (see _find)."""
        self.forecasts: dict[int, int] = {}
        self.counts = {name: {"added": 0, "updated": 0, "skipped": 0} for name, _ in SECTIONS}
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.conditions: list[tuple[str, QuestionRecord]] = []
        """Conditional questions, linked once every question of the file is in."""
        self.kept: list[str] = []
        self.section = ""

    # Bookkeeping -------------------------------------------------------------------------

    def refuse(self, problems: list[Problem]) -> None:
        if not problems:
            return
        self.problem_count += len(problems)
        room = MAX_PROBLEMS - len(self.problems)
        self.problems.extend(problems[: max(room, 0)])

    def problem(self, location: str, name: str, value: Any, reason: str) -> None:
        self.refuse([Problem(location, name, value, reason)])

    def count(self, section: str, what: str) -> None:
        self.counts[section][what] += 1

    BATCH = 5000
    """Rows written together, one statement per table: a million forecasts go in as a few
    hundred statements, not a million."""

    def later(self, statement: str, row: tuple) -> None:
        """Hold a row for the next batch (written before anything reads the tables)."""
        self.batch.setdefault(statement, []).append(row)
        self.held += 1

    def flush(self) -> None:
        """Write the rows held, table after table in the order they were first held (a
        question before its options, a forecast before its probabilities)."""
        for statement, rows in self.batch.items():
            self.c.executemany(statement, rows)
        self.batch.clear()
        self.held = 0

    def new_id(self, table: str) -> int:
        """The next free id of ``table``: the write lock is held throughout, so no one else
        takes it."""
        if table not in self.next_id:
            self.flush()
            row = self.c.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
            self.next_id[table] = row[0]
        ident = self.next_id[table]
        self.next_id[table] += 1
        return ident

    def take(self, item: Item) -> None:
        section, location, record = item
        if section != self.section:
            self.finish_section(self.section)
            self.section = section
        if isinstance(record, list):
            self.refuse(record)
            return
        getattr(self, f"take_{section}")(location, record)
        if self.held >= self.BATCH:  # between records: a record's rows go in one batch
            self.flush()

    def finish_section(self, section: str) -> None:
        self.flush()
        if section == "forecasters":
            for db_id, (target, location) in list(self.merges.items()):
                if db_id in self.new_forecasters:
                    self.merge(db_id, target, location)
        if section == "questions":
            for location, record in self.conditions:
                self._condition(location, record)

    def _condition_problem(self, record: QuestionRecord) -> tuple | None:
        if record.condition_id is None:
            return "joint_id", record.joint_id, "needs a condition_id"
        for name in ("condition_id", "joint_id"):
            given = getattr(record, name)
            if given is not None and given not in self.questions:
                return name, given, "is not a question in the file"
            if given is not None and self.questions[given].kind is not QuestionKind.BINARY:
                return name, given, "is not a yes-or-no question"
        if record.kind is not QuestionKind.BINARY:
            return "condition_id", record.condition_id, "is given for a question not yes-or-no"
        if record.condition_id == record.id:
            return "condition_id", record.condition_id, "is the question itself"
        return None

    def _condition(self, location: str, record: QuestionRecord) -> None:
        problem = self._condition_problem(record)
        if problem is not None:
            self.problem(location, *problem)
            return
        db_id = self.questions[record.id].db_id
        condition = self.questions[record.condition_id].db_id  # type: ignore[index]
        joint = self.questions[record.joint_id].db_id if record.joint_id is not None else None
        stored = self.c.execute(
            "SELECT condition_id, joint_id FROM question_condition WHERE question_id = ?",
            (db_id,),
        ).fetchone()
        if stored is not None:
            if tuple(stored) != (condition, joint):
                self.kept.append(f"{location}: its stored condition")
            return
        self.c.execute(
            "INSERT INTO question_condition (question_id, condition_id, joint_id, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, ?)",
            (db_id, condition, joint, _t(self.now), self.user),
        )
        if self._loops(db_id):
            self.problem(location, "condition_id", record.condition_id,
                         "makes a question conditional on itself")  # fmt: skip

    def _loops(self, start: int) -> bool:
        """Whether following conditions from ``start`` comes back to it."""
        seen, current = {start}, start
        while True:
            row = self.c.execute(
                "SELECT condition_id FROM question_condition WHERE question_id = ?", (current,)
            ).fetchone()
            if row is None:
                return False
            if row[0] == start:
                return True
            if row[0] in seen:
                return False
            seen.add(row[0])
            current = row[0]

    def merge(self, db_id: int, target: int, location: str) -> bool:
        into = self.forecasters.get(target)
        if into is None or into == db_id:
            self.problem(location, "merged_into", target, "is not another forecaster in the file")
            return False
        self.c.execute(
            "UPDATE forecaster SET merged_into_id = ? WHERE id = ? AND merged_into_id IS NULL",
            (into, db_id),
        )
        return self.c.rowcount > 0

    # Forecasters -------------------------------------------------------------------------

    def take_forecasters(self, location: str, record: ForecasterRecord) -> None:
        if record.id in self.forecasters:
            self.problem(location, "id", record.id, "is the id of an earlier forecaster")
            return
        try:
            who = Forecaster(name=record.name, kind=record.kind, affiliation=record.affiliation)
        except ValidationError as exc:
            self.refuse(problems_in(location, exc))
            return
        found = self.c.execute(
            "SELECT id FROM forecaster WHERE name_key = ?", (name_key(who.name),)
        ).fetchone()
        if found is not None:
            db_id = found[0]
            self.count("forecasters", "skipped")
        else:
            self.c.execute(
                "INSERT INTO forecaster (name, name_key, kind, affiliation) VALUES (?, ?, ?, ?)",
                (who.name, name_key(who.name), who.kind.value, who.affiliation),
            )
            db_id = self.c.lastrowid
            self.new_forecasters.add(db_id)
            self.count("forecasters", "added")
        self.forecasters[record.id] = db_id
        if record.merged_into is not None:
            self.merges[db_id] = (record.merged_into, location)

    # Sources -----------------------------------------------------------------------------

    def _source(self, location: str, record: SourceRecord) -> Source | None:
        try:
            source = Source(
                **record.model_dump(include=set(Source.model_fields) - {"id", "furniture"}),
                furniture=tuple(Span(f.start, f.end, f.kind) for f in record.furniture),
            )
        except ValidationError as exc:
            self.refuse(problems_in(location, exc))
            return None
        if record.sha256 is not None and record.sha256 != source.sha256:
            self.problem(location, "sha256", record.sha256, "is not the SHA-256 of the text")
            return None
        for mark in source.furniture:
            if not 0 <= mark.start < mark.end <= len(source.text):
                self.problem(location, "furniture", mark.start, "lies outside the text")
                return None
        return source

    def take_sources(self, location: str, record: SourceRecord) -> None:
        if record.id in self.sources:
            self.problem(location, "id", record.id, "is the id of an earlier source")
            return
        source = self._source(location, record)
        if source is None:
            return
        found = self.c.execute("SELECT id FROM source WHERE sha256 = ?", (source.sha256,))
        row = found.fetchone()
        if row is not None:
            self.sources[record.id] = source.model_copy(update={"id": row[0]})
            self.count("sources", "skipped")
            return
        if (
            source.key
            and self.c.execute("SELECT 1 FROM source WHERE key = ?", (source.key,)).fetchone()
        ):
            self.problem(location, "key", source.key, "is the key of another stored source")
            return
        self.c.execute(
            "INSERT INTO source (key, title, outlet, url, published_on, date_precision, "
            "date_note, author, text, sha256, original_sha256, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source.key,
                source.title,
                source.outlet,
                source.url,
                source.published_on.isoformat(),
                source.date_precision.value,
                source.date_note,
                source.author,
                source.text,
                source.sha256,
                source.original_sha256,
                _t(record.added_at or self.now),
            ),
        )
        db_id = self.c.lastrowid
        self.c.executemany(
            'INSERT INTO source_furniture (source_id, start, "end", kind) VALUES (?, ?, ?, ?)',
            [(db_id, mark.start, mark.end, mark.kind) for mark in source.furniture],
        )
        self.sources[record.id] = source.model_copy(update={"id": db_id})
        self.count("sources", "added")

    def stored_source(self, ref: str) -> Source | None:
        """A source stored already, by key, SHA-256 or URL."""
        if ref not in self.stored_sources:
            row = self.c.execute(
                "SELECT id, key, title, outlet, url, published_on, date_precision, date_note, "
                "text, author, original_sha256 FROM source "
                "WHERE key = ? OR sha256 = ? OR url = ? ORDER BY id",
                (ref, ref, ref),
            ).fetchone()
            source = None
            if row is not None:
                marks = self.c.execute(
                    'SELECT start, "end", kind FROM source_furniture WHERE source_id = ?',
                    (row[0],),
                ).fetchall()
                names = ("id", "key", "title", "outlet", "url", "published_on")
                source = Source(
                    **dict(zip(names, row[:6], strict=True)),
                    date_precision=row[6],
                    date_note=row[7],
                    text=row[8],
                    author=row[9],
                    original_sha256=row[10],
                    furniture=tuple(Span(*mark) for mark in marks),
                )
            self.stored_sources[ref] = source
        return self.stored_sources[ref]

    # Questions ---------------------------------------------------------------------------

    def _question(self, location: str, record: QuestionRecord) -> QuestionFields | None:
        names = set(QuestionFields.model_fields)
        try:
            question = QuestionFields(**record.model_dump(include=names))
        except ValidationError as exc:
            self.refuse(problems_in(location, exc))
            return None
        except InvalidInput as exc:
            self.refuse([Problem(location, e.field, e.value, e.problem) for e in problems_of(exc)])
            return None
        problems = []
        for index, resolution in enumerate(record.resolutions):
            where = f"{location}.resolutions[{index}]"
            try:
                check_outcome(question, resolution.outcome)
            except InvalidInput as exc:
                problems.append(Problem(where, "outcome", exc.value, exc.problem))
            if resolution.resolved_at > self.now:
                problems.append(Problem(where, "resolved_at", None, "is in the future"))
            if resolution.source_id is not None and resolution.source_id not in self.sources:
                problems.append(
                    Problem(where, "source_id", resolution.source_id, "is not a source in the file")
                )
        if problems:
            self.refuse(problems)
            return None
        return question

    def _keyless(self) -> dict[tuple[str, str], int]:
        if self.keyless is None:
            self.keyless = {}
            for ident, title, created in self.c.execute(
                "SELECT id, title, created_at FROM question WHERE key IS NULL ORDER BY id DESC"
            ):
                self.keyless[(title, created)] = ident
                self.keyless[(title, "")] = ident  # the first by id, for a file without times
        return self.keyless

    def _match_question(self, question: QuestionFields, record: QuestionRecord):
        columns = "id, kind, title, description, criteria, close_at, resolve_by, withdrawn"
        if question.key is not None:
            self.flush()
            rows = self.c.execute(f"SELECT {columns} FROM question WHERE key = ?", (question.key,))
            return rows.fetchone()
        ident = self._keyless().get((question.title, _t(record.created_at) or ""))
        if ident is None:
            return None
        self.flush()
        return self.c.execute(f"SELECT {columns} FROM question WHERE id = ?", (ident,)).fetchone()

    def take_questions(self, location: str, record: QuestionRecord) -> None:
        if record.id in self.questions:
            self.problem(location, "id", record.id, "is the id of an earlier question")
            return
        question = self._question(location, record)
        if question is None:
            return
        found = self._match_question(question, record)
        if found is None:
            info = self._insert_question(question, record)
            self.count("questions", "added")
        else:
            info = self._matched_question(location, question, record, found)
            if info is None:
                return
        self.questions[record.id] = info
        if question.key is not None:
            self.by_key[question.key] = info
        if record.condition_id is not None or record.joint_id is not None:
            self.conditions.append((location, record))

    def _insert_question(self, question: QuestionFields, record: QuestionRecord) -> _Question:
        db_id = self.new_id("question")
        created = _t(record.created_at or self.now)
        self.later(
            "INSERT INTO question (id, key, title, description, criteria, kind, created_at, "
            "close_at, resolve_by, recorded_by, withdrawn) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                db_id,
                question.key,
                question.title,
                question.description,
                question.criteria,
                question.kind.value,
                created,
                _t(question.close_at),
                _t(question.resolve_by),
                record.recorded_by if record.created_at is not None else self.user,
                int(record.withdrawn),
            ),
        )
        if question.key is None:
            keyless = self._keyless()
            keyless[(question.title, created or "")] = db_id
            keyless.setdefault((question.title, ""), db_id)
        for position, label in enumerate(question.options):
            self.later(
                "INSERT INTO question_option (question_id, position, label, narrative) "
                "VALUES (?, ?, ?, ?)",
                (db_id, position, label, question.narrative(label)),
            )
        for tag in question.tags:
            self.later("INSERT INTO question_tag (question_id, tag) VALUES (?, ?)", (db_id, tag))
        self._add_resolutions(db_id, question, record, start=0)
        return _Question(db_id, question.kind, len(question.options), True)

    def _add_resolutions(self, db_id: int, question, record, *, start: int) -> None:
        for sequence, resolution in enumerate(record.resolutions[start:], start=start + 1):
            source = self.sources.get(resolution.source_id) if resolution.source_id else None
            recorded = resolution.recorded_at is not None
            self.later(
                "INSERT INTO resolution (question_id, sequence, outcome, resolved_at, evidence, "
                "source_id, resolved_by, recorded_at, recorded_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    db_id,
                    sequence,
                    check_outcome(question, resolution.outcome),
                    _t(resolution.resolved_at),
                    resolution.evidence,
                    source.id if source else None,
                    resolution.resolved_by,
                    _t(resolution.recorded_at or self.now),
                    resolution.recorded_by if recorded else self.user,
                ),
            )

    def _matched_question(self, location, question, record, found) -> _Question | None:
        db_id, kind = found[0], QuestionKind(found[1])
        options = tuple(
            label
            for (label,) in self.c.execute(
                "SELECT label FROM question_option WHERE question_id = ? ORDER BY position",
                (db_id,),
            )
        )
        if kind is not question.kind or options != question.options:
            self.problem(
                location,
                "options",
                ", ".join(question.options) or question.kind.value,
                f"differ from those of stored question {db_id} "
                f"({', '.join(options) or kind.value}); its forecasts cannot be matched",
            )
            return None
        stored = [
            (outcome, resolved)
            for outcome, resolved in self.c.execute(
                "SELECT outcome, resolved_at FROM resolution WHERE question_id = ? "
                "ORDER BY sequence",
                (db_id,),
            )
        ]
        given = [
            (check_outcome(question, r.outcome), _t(r.resolved_at)) for r in record.resolutions
        ]
        shared = min(len(stored), len(given))
        if stored[:shared] != given[:shared]:
            self.problem(
                location,
                "resolutions",
                None,
                f"disagree with the resolutions of stored question {db_id}",
            )
            return None
        if len(given) > len(stored):
            self._add_resolutions(db_id, question, record, start=len(stored))
            self.count("questions", "updated")
        else:
            self.count("questions", "skipped")
        now = (found[2], found[3], found[4], found[5], found[6], bool(found[7]))
        then = (
            question.title,
            question.description,
            question.criteria,
            _t(question.close_at),
            _t(question.resolve_by),
            record.withdrawn,
        )
        tags = sorted(
            tag
            for (tag,) in self.c.execute(
                "SELECT tag FROM question_tag WHERE question_id = ?", (db_id,)
            )
        )
        if now != then or tuple(tags) != question.tags:
            self.differing[db_id] = record
            self.kept.append(location)
        return _Question(db_id, kind, len(options), False)

    def _update_question(self, db_id: int) -> None:
        """Take the file's fields for a stored question the file brings a correction of."""
        record = self.differing.pop(db_id, None)
        if record is None:
            return
        self.c.execute(
            "UPDATE question SET title = ?, description = ?, criteria = ?, close_at = ?, "
            "resolve_by = ?, withdrawn = ? WHERE id = ?",
            (
                record.title,
                record.description,
                record.criteria,
                _t(record.close_at),
                _t(record.resolve_by),
                int(record.withdrawn),
                db_id,
            ),
        )
        self.c.execute("DELETE FROM question_tag WHERE question_id = ?", (db_id,))
        self.c.executemany(
            "INSERT INTO question_tag (question_id, tag) VALUES (?, ?)",
            [(db_id, tag) for tag in sorted({t.strip().lower() for t in record.tags})],
        )
        self.count("questions", "updated")

    # Forecasts ---------------------------------------------------------------------------

    def _question_for(self, location: str, record: ForecastRecord) -> _Question | None:
        if record.question_id is not None:
            found = self.questions.get(record.question_id)
            if found is None:
                self.problem(
                    location, "question_id", record.question_id, "is not a question in the file"
                )
            return found
        key = record.question_key
        if key not in self.by_key:
            row = self.c.execute(
                "SELECT id, kind, (SELECT count(*) FROM question_option WHERE question_id = "
                "question.id) FROM question WHERE key = ?",
                (key,),
            ).fetchone()
            if row is None:
                self.problem(
                    location,
                    "question_key",
                    key,
                    "is neither a question in the file nor one stored in the database",
                )
                return None
            self.by_key[str(key)] = _Question(row[0], QuestionKind(row[1]), row[2], False)
        return self.by_key[str(key)]

    def _source_for(self, location: str, record: ForecastRecord) -> tuple[bool, Source | None]:
        if record.source_id is not None:
            source = self.sources.get(record.source_id)
            if source is None:
                self.problem(location, "source_id", record.source_id, "is not a source in the file")
                return False, None
            return True, source
        if record.source_key is not None:
            source = self.stored_source(record.source_key)
            if source is None:
                self.problem(
                    location,
                    "source_key",
                    record.source_key,
                    "is not a stored source (by key, SHA-256 or URL); add it first",
                )
                return False, None
            return True, source
        return True, None

    def _check_forecast(self, location, record, question: _Question, source) -> tuple | None:
        problems = []
        if question.kind is QuestionKind.BINARY and record.probability is None:
            problems.append(Problem(location, "probabilities", None, "given for a binary question"))
        if question.kind is QuestionKind.MULTIPLE_CHOICE and (
            record.probabilities is None or len(record.probabilities) != question.options
        ):
            given = len(record.probabilities or ())
            problems.append(
                Problem(
                    location,
                    "probabilities",
                    None,
                    f"gives {given} value{'s' if given != 1 else ''} for a question of "
                    f"{question.options} options",
                )
            )
        if record.made_at > self.now:
            problems.append(Problem(location, "made_at", None, "is in the future"))
        span = (None, None)
        if record.quote is not None:
            try:
                span = check_quote(source, record.quote, start=record.quote_start)
            except InvalidInput as exc:
                problems.append(Problem(location, "quote", exc.value, exc.problem))
        self.refuse(problems)
        return None if problems else span

    def take_forecasts(self, location: str, record: ForecastRecord) -> None:
        if record.id in self.forecasts:
            self.problem(location, "id", record.id, "is the id of an earlier forecast")
            return
        question = self._question_for(location, record)
        who = self.forecasters.get(record.forecaster_id)
        if who is None:
            self.problem(
                location, "forecaster_id", record.forecaster_id, "is not a forecaster in the file"
            )
        known, source = self._source_for(location, record)
        if question is None or who is None or not known:
            return
        span = self._check_forecast(location, record, question, source)
        if span is None:
            return
        found = self._find_forecast(question, who, record, source, span[0])
        if found is not None:
            self.forecasts[record.id] = found
            self.count("forecasts", "skipped")
            return
        if record.key:
            self.flush()
        if (
            record.key
            and self.c.execute("SELECT 1 FROM forecast WHERE key = ?", (record.key,)).fetchone()
        ):
            self.problem(location, "key", record.key, "is the key of another stored forecast")
            return
        self.forecasts[record.id] = self._insert_forecast(question.db_id, who, record, source, span)
        self.count("forecasts", "added")

    def _identity(self, question_id, who, record, source, start) -> int:
        vector = record.probabilities if record.probabilities is not None else record.probability
        when = (record.made_at, record.recorded_at)
        return hash((question_id, who, when, source.id if source else None, start, vector))

    def _find_forecast(self, question: _Question, who, record, source, start) -> int | None:
        """The stored forecast this record is, if any. On a question new in this import only
        forecasts of this import can match: a hash of each added one says which certainly do
        not, and the database is asked only about the rest."""
        if question.new and record.key is None:
            identity = self._identity(question.db_id, who, record, source, start)
            if identity not in self.seen:
                self.seen.add(identity)
                return None
        return self._stored_forecast(question.db_id, who, record, source, start)

    def _stored_forecast(self, question_id, who, record, source, start) -> int | None:
        self.flush()
        if record.key is not None:
            row = self.c.execute("SELECT id FROM forecast WHERE key = ?", (record.key,)).fetchone()
            if row is not None:
                return row[0]
        query = (
            "SELECT id, probability FROM forecast WHERE question_id = ? AND forecaster_id = ? "
            "AND made_at = ? AND source_id IS ? AND quote_start IS ?"
        )
        values = [question_id, who, _t(record.made_at), source.id if source else None, start]
        if record.recorded_at is not None:  # the same forecast written twice is two records
            query += " AND recorded_at = ?"
            values.append(_t(record.recorded_at))
        rows = self.c.execute(query, values).fetchall()
        for ident, probability in rows:
            if record.probability is not None and probability == record.probability:
                return ident
            if record.probabilities is not None:
                vector = tuple(
                    p
                    for (p,) in self.c.execute(
                        "SELECT probability FROM forecast_probability WHERE forecast_id = ? "
                        "ORDER BY position",
                        (ident,),
                    )
                )
                if vector == record.probabilities:
                    return ident
        return None

    def _insert_forecast(self, question_id, who, record, source, span) -> int:
        """Hold a new forecast (and its probabilities) for the next batch."""
        db_id = self.new_id("forecast")
        recorded = record.recorded_at is not None
        quote = source.text[span[0] : span[1]] if span[0] is not None and source else None
        self.later(
            _INSERT_FORECAST,
            (
                db_id,
                record.key,
                question_id,
                who,
                _db_time(record, "made_at"),
                record.made_at_precision.value,
                record.probability,
                source.id if source else None,
                quote,
                span[0],
                span[1],
                record.phrase,
                record.scale,
                record.scale_probability,
                int(record.inferred),
                record.rationale,
                _db_time(record, "recorded_at") if recorded else _t(self.now),
                int(record.imported or not recorded),
                record.recorded_by if recorded else self.user,
            ),
        )
        for position, p in enumerate(record.probabilities or ()):
            self.later(
                "INSERT INTO forecast_probability (forecast_id, position, probability) "
                "VALUES (?, ?, ?)",
                (db_id, position, p),
            )
        return db_id

    # Events ------------------------------------------------------------------------------

    _TARGET = {
        EventKind.EDITED: "question_id",
        EventKind.WITHDRAWN: "question_id",
        EventKind.RESTORED: "question_id",
        EventKind.RETRACTED: "forecast_id",
        EventKind.RENAMED: "forecaster_id",
        EventKind.MERGED: "forecaster_id",
    }

    def _targets(self, location: str, record: EventRecord) -> tuple | None:
        maps = {"forecast_id": self.forecasts, "forecaster_id": self.forecasters}
        needed = self._TARGET[record.kind]
        ids: dict[str, int | None] = {}
        for name in ("question_id", "forecast_id", "forecaster_id"):
            given = getattr(record, name)
            if given is None:
                ids[name] = None
                if name == needed:
                    self.problem(location, name, None, f"is needed for a {record.kind} event")
                    return None
                continue
            mapped = maps[name].get(given) if name != "question_id" else self._question_id(given)
            if mapped is None:
                self.problem(location, name, given, "is not a record in the file")
                return None
            ids[name] = mapped
        return ids["question_id"], ids["forecast_id"], ids["forecaster_id"]

    def _question_id(self, file_id: int) -> int | None:
        found = self.questions.get(file_id)
        return found.db_id if found else None

    def take_indicators(self, location: str, record: IndicatorRecord) -> None:
        scenario_set = self.questions.get(record.set_id)
        indicator = self.questions.get(record.question_id)
        problem = None
        if scenario_set is None or indicator is None:
            missing = record.set_id if scenario_set is None else record.question_id
            problem = ("set_id" if scenario_set is None else "question_id", missing,
                       "is not a question in the file")  # fmt: skip
        elif scenario_set.kind is not QuestionKind.MULTIPLE_CHOICE:
            problem = ("set_id", record.set_id, "is not a scenario set (multiple choice)")
        elif indicator.kind is not QuestionKind.BINARY:
            problem = ("question_id", record.question_id, "is not a yes-or-no question")
        elif len(record.likelihoods) != scenario_set.options:
            problem = ("likelihoods", len(record.likelihoods),
                       f"must be one per scenario ({scenario_set.options})")  # fmt: skip
        elif record.judged_by_id is not None and record.judged_by_id not in self.forecasters:
            problem = ("judged_by_id", record.judged_by_id, "is not a forecaster in the file")
        if problem is not None:
            self.problem(location, *problem)
            return
        self.flush()
        set_id, question_id = scenario_set.db_id, indicator.db_id  # type: ignore[union-attr]
        if self.c.execute(
            "SELECT 1 FROM indicator WHERE set_id = ? AND question_id = ?", (set_id, question_id)
        ).fetchone():
            self.count("indicators", "skipped")
            return
        self.c.execute(
            "INSERT INTO indicator (set_id, question_id, likelihoods, phrases, scale, "
            "judged_by_id, rationale, recorded_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                set_id,
                question_id,
                json.dumps(list(record.likelihoods)),
                json.dumps(list(record.phrases)),
                record.scale,
                self.forecasters.get(record.judged_by_id) if record.judged_by_id else None,
                record.rationale,
                _t(record.recorded_at or self.now),
                record.recorded_by if record.recorded_at is not None else self.user,
            ),
        )
        self.count("indicators", "added")

    def take_events(self, location: str, record: EventRecord) -> None:
        self.flush()
        targets = self._targets(location, record)
        if targets is None:
            return
        question_id, forecast_id, forecaster_id = targets
        same = self.c.execute(
            "SELECT 1 FROM event WHERE kind = ? AND question_id IS ? AND forecast_id IS ? "
            "AND forecaster_id IS ? AND recorded_at = ?",
            (record.kind.value, *targets, _t(record.recorded_at)),
        ).fetchone()
        retracted = (
            record.kind is EventKind.RETRACTED
            and self.c.execute(
                "SELECT 1 FROM event WHERE kind = 'retracted' AND forecast_id = ?", (forecast_id,)
            ).fetchone()
        )
        if same or retracted:
            self.count("events", "skipped")
            return
        self.c.execute(
            "INSERT INTO event (kind, question_id, forecast_id, forecaster_id, reason, detail, "
            "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.kind.value,
                *targets,
                record.reason,
                json.dumps(record.detail, ensure_ascii=False),
                record.recorded_by,
                _t(record.recorded_at),
            ),
        )
        self.count("events", "added")
        if question_id is not None:
            self._update_question(question_id)
        if record.kind is EventKind.MERGED and forecaster_id in self.merges:
            target, where = self.merges.pop(forecaster_id)
            if self.merge(forecaster_id, target, where):
                self.count("forecasters", "updated")

    def _update_problem(self, record: ScenarioUpdateRecord) -> tuple | None:
        """The first thing wrong with an update record, as (field, value, reason)."""
        scenario_set = self.questions.get(record.set_id)
        checks = [
            (scenario_set is None, "set_id", record.set_id, "is not a question in the file"),
            (
                record.indicator_question_id not in self.questions,
                "indicator_question_id",
                record.indicator_question_id,
                "is not a question in the file",
            ),
            (
                record.forecaster_id not in self.forecasters,
                "forecaster_id",
                record.forecaster_id,
                "is not a forecaster in the file",
            ),
            (
                record.prior_forecast_id not in self.forecasts,
                "prior_forecast_id",
                record.prior_forecast_id,
                "is not a forecast in the file",
            ),
            (
                record.forecast_id is not None and record.forecast_id not in self.forecasts,
                "forecast_id",
                record.forecast_id,
                "is not a forecast in the file",
            ),
            (
                record.source_id is not None and record.source_id not in self.sources,
                "source_id",
                record.source_id,
                "is not a source in the file",
            ),
            (
                not record.resolved and record.source_id is None,
                "resolved",
                False,
                "needs a source_id that reports the indicator",
            ),
        ]
        for failed, *problem in checks:
            if failed:
                return tuple(problem)
        size = scenario_set.options  # type: ignore[union-attr]
        for name in ("prior", "likelihoods", "posterior"):
            if len(getattr(record, name)) != size:
                return name, len(getattr(record, name)), f"must be one per scenario ({size})"
        return None

    def take_scenario_updates(self, location: str, record: ScenarioUpdateRecord) -> None:
        problem = self._update_problem(record)
        if problem is not None:
            self.problem(location, *problem)
            return
        self.flush()
        set_id = self.questions[record.set_id].db_id
        question_id = self.questions[record.indicator_question_id].db_id
        indicator = self.c.execute(
            "SELECT id FROM indicator WHERE set_id = ? AND question_id = ?", (set_id, question_id)
        ).fetchone()
        if indicator is None:
            self.problem(location, "indicator_question_id", record.indicator_question_id,
                         "is not an indicator of the set in the file")  # fmt: skip
            return
        who = self.forecasters[record.forecaster_id]
        if self.c.execute(
            "SELECT 1 FROM scenario_update WHERE indicator_id = ? AND forecaster_id = ?",
            (indicator[0], who),
        ).fetchone():
            self.count("scenario_updates", "skipped")
            return
        resolution = None
        if record.resolved:
            recorded = _t(record.recorded_at or self.now)
            resolution = self.c.execute(
                "SELECT id FROM resolution WHERE question_id = ? "
                "ORDER BY recorded_at <= ? DESC, id DESC LIMIT 1",
                (question_id, recorded),
            ).fetchone()
            if resolution is None:
                self.problem(location, "resolved", True,
                             "but the indicator's question has no resolution")  # fmt: skip
                return
        self.c.execute(
            "INSERT INTO scenario_update (set_id, indicator_id, forecaster_id, observed, "
            "resolution_id, source_id, prior_forecast_id, prior, likelihoods, posterior, "
            "forecast_id, updated_at, recorded_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                set_id,
                indicator[0],
                who,
                record.observed,
                resolution[0] if resolution else None,
                self.sources[record.source_id].id if record.source_id is not None else None,
                self.forecasts[record.prior_forecast_id],
                json.dumps(list(record.prior)),
                json.dumps(list(record.likelihoods)),
                json.dumps(list(record.posterior)),
                self.forecasts.get(record.forecast_id) if record.forecast_id else None,
                _t(record.updated_at),
                _t(record.recorded_at or self.now),
                record.recorded_by if record.recorded_at is not None else self.user,
            ),
        )
        self.count("scenario_updates", "added")


def import_file(
    repository: Repository,
    path: Path,
    format_name: str | None = None,
    *,
    dry_run: bool = False,
) -> ImportReport:
    """Import the file at ``path`` (its format detected when not given) in one transaction:
    every new record, or, when any record is refused, nothing (:class:`ImportRefused`). A
    dry run reports what would be added, updated and skipped, and writes nothing."""
    chosen = format_name or detect(path)
    now = repository.clock()
    with repository.raw_transaction(keep=not dry_run) as cursor:
        importer = _Importer(cursor, now=now, user_name=repository.user_name)
        for item in read(path, chosen):
            importer.take(item)
        importer.finish_section(importer.section)  # and the last batch
        if importer.problem_count:
            raise ImportRefused(str(path), importer.problems, importer.problem_count)
    return ImportReport(str(path), chosen, dry_run, importer.counts, importer.kept)
