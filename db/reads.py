"""Reading the record with SQLite alone: questions, their forecasts and history, and track
records, as the domain's frozen values.

This is the one implementation of these reads. The repository calls it on the connection
of its unit of work (:func:`db.read_models.raw`); the command line's read commands call it
on a read-only connection (:mod:`db.light`) without loading SQLAlchemy. Either way every
function runs inside the caller's transaction, so a read that spans tables sees one state
of the database. Nothing here writes.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, TypeVar

from forecasts.coherence import incoherence, joint
from forecasts.errors import InvalidInput, NotFound
from forecasts.furniture import Span
from forecasts.models import (
    ANNULLED,
    YES,
    Condition,
    DatePrecision,
    EventKind,
    Forecast,
    Forecaster,
    ForecasterKind,
    Indicator,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionSummary,
    Resolution,
    Retraction,
    ScenarioUpdate,
    Source,
    is_backdated,
    median_vector,
    name_key,
    standing_forecasts,
)
from forecasts.parsing import as_utc
from forecasts.text import forecast_value

Ref = int | str
M = TypeVar("M")
T = TypeVar("T")
USER_NAME = "me"
MAX_ID = 2**63 - 1  # SQLite's largest integer
BATCH = 500
"""Questions read per step of a listing: bounded memory per step, and well under SQLite's
limit on the values one statement may bind."""

_DATETIMES = frozenset(
    {"created_at", "close_at", "resolve_by", "made_at", "recorded_at", "resolved_at", "added_at"}
)
_BOOLEANS = frozenset({"withdrawn", "inferred", "imported"})
_CHOICES: dict[type, dict[str, type]] = {
    Question: {"kind": QuestionKind},
    Forecaster: {"kind": ForecasterKind},
    Source: {"date_precision": DatePrecision},
    Forecast: {"made_at_precision": DatePrecision},
}
"""The fields each model takes as one of a fixed set of values, stored as their text."""


def as_id(ref: Ref, *, digits_are_ids: bool = True) -> int | None:
    """The id a reference names (``#5``, or ``5`` where digits are ids), None when it is a
    key or a name. Only ASCII digits make an id; an id out of SQLite's range matches nothing."""
    if isinstance(ref, int):
        return ref if 0 < ref <= MAX_ID else 0
    text = ref.strip()
    if text.startswith("#"):
        text = text[1:]
    elif not digits_are_ids:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else 0


# Rows --------------------------------------------------------------------------------------


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _day(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _labels(stored: str) -> tuple[str, ...]:
    """Tags as the query stores them: a JSON array."""
    return () if stored == "[]" else tuple(json.loads(stored))


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _converter(model: type, name: str) -> Callable[[Any], Any] | None:
    """How a stored value becomes what the domain holds: moments parsed (in UTC), dates
    parsed, flags as booleans, choices as their enums; None when it is taken as it is."""
    if name in _DATETIMES:
        return _moment
    if name in _BOOLEANS:
        return _flag
    if name == "published_on":
        return _day
    choice = _CHOICES.get(model, {}).get(name)
    if choice is not None:
        members = {member.value: member for member in choice} | {None: None}
        return members.__getitem__  # a stored value is always one of them
    return None


@functools.cache
def _plan(
    model: type, columns: tuple[str, ...], besides: tuple[str, ...]
) -> tuple[tuple[str, int, Callable[[Any], Any] | None], ...]:
    """For rows with these columns: each field of the model the table stores, the column it
    is in and its converter. Worked out once per query shape, not per row."""
    return tuple(
        (name, columns.index(name), _converter(model, name))
        for name in model.model_fields  # type: ignore[attr-defined]
        if name not in besides and name in columns
    )


def _fields(row: sqlite3.Row, model: type, *, besides: tuple[str, ...] = ()) -> dict[str, Any]:
    """The row's values for every field of the domain model that the table stores."""
    return {
        name: row[index] if convert is None else convert(row[index])
        for name, index, convert in _plan(model, tuple(row.keys()), besides)
    }


@functools.cache
def _layout(model: type) -> tuple[dict[str, Any], frozenset[str]] | None:
    """Each field of the model, in order, with its default (None where it has none), and
    the fields it requires; None for a model that :func:`_construct` cannot build as
    ``model_construct`` would (aliases, default factories or a post-init step)."""
    fields = model.model_fields  # type: ignore[attr-defined]
    if model.__pydantic_post_init__ or any(  # type: ignore[attr-defined]
        f.alias or f.validation_alias or f.default_factory for f in fields.values()
    ):
        return None
    defaults = {name: None if f.is_required() else f.default for name, f in fields.items()}
    return defaults, frozenset(name for name, f in fields.items() if f.is_required())


def _construct(model: type[M], values: dict[str, Any]) -> M:
    """What ``model.model_construct(**values)`` gives (a test compares them), without its
    per-field search for aliases: several times faster, which a list of 100,000 questions
    feels."""
    layout = _layout(model)
    if layout is None:
        return model.model_construct(**values)  # type: ignore[attr-defined]
    defaults, required = layout
    if not required <= values.keys():
        raise ValueError(f"{model.__name__} needs {', '.join(sorted(required - values.keys()))}")
    made = model.__new__(model)
    object.__setattr__(made, "__dict__", {n: values.get(n, d) for n, d in defaults.items()})
    object.__setattr__(made, "__pydantic_fields_set__", values.keys() & defaults.keys())
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _stored(model: type[M], row: sqlite3.Row, besides: tuple[str, ...] = (), **more: Any) -> M:
    """The domain object a row holds. What is stored passed the model's checks when it was
    written (every write goes through them), so it is not checked again on each read: a
    long list reads several times faster. The values are brought to the form the checks
    would give (moments in UTC, choices as their enums, flags as booleans)."""
    return _construct(model, {**_fields(row, model, besides=besides), **more})


def _select(
    connection: Any, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[sqlite3.Row]:
    cursor = connection.cursor()
    cursor.row_factory = sqlite3.Row
    try:
        return cursor.execute(sql, params if isinstance(params, dict) else tuple(params)).fetchall()
    finally:
        cursor.close()


def select_one(connection: Any, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
    """The first row ``sql`` finds, by column name, or None."""
    rows = _select(connection, sql, params)
    return rows[0] if rows else None


def _in(ids: Iterable[Any]) -> tuple[str, list[Any]]:
    """Placeholders for ``IN (...)`` and the values they bind."""
    values = list(ids)
    return ", ".join("?" * len(values)) or "NULL", values


def _grouped(rows: Iterable[sqlite3.Row], key: str, value: str) -> dict[int, tuple[Any, ...]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row[key], []).append(row[value])
    return {k: tuple(v) for k, v in found.items()}


# Finding rows ----------------------------------------------------------------------------


def _id_by_id_or_key(connection: Any, table: str, ref: Ref) -> int:
    """The id of the row of ``table`` (question or source) with id (``5``, ``#5``) or key
    ``ref``."""
    ident = as_id(ref)
    if ident is not None:
        found = _select(connection, f"SELECT id FROM {table} WHERE id = ?", [ident])
    else:
        found = _select(connection, f"SELECT id FROM {table} WHERE key = ?", [ref])
    if not found:
        raise NotFound(table, ref, table)
    return found[0]["id"]


def question_id(connection: Any, ref: Ref) -> int:
    """The id of the question with id (``5``, ``#5``) or key ``ref``."""
    return _id_by_id_or_key(connection, "question", ref)


def forecaster_row(connection: Any, ref: Ref) -> sqlite3.Row:
    """The forecaster with id ``ref`` (an int, or ``#5``) or with name ``ref`` (under Unicode
    case folding): a name made only of digits is a name."""
    ident = as_id(ref, digits_are_ids=False)
    if ident is not None:
        found = _select(connection, "SELECT * FROM forecaster WHERE id = ?", [ident])
    else:
        found = _select(
            connection, "SELECT * FROM forecaster WHERE name_key = ?", [name_key(str(ref))]
        )
    if not found:
        raise NotFound("forecaster", ref, "forecaster")
    return found[0]


def effective_forecaster_id(connection: Any, ref: Ref) -> int:
    """The id of the forecaster ``ref`` names, or of the one it was merged into."""
    row = forecaster_row(connection, ref)
    return row["merged_into_id"] or row["id"]


def merged_ids(connection: Any) -> dict[int, int]:
    """Each merged forecaster's id to the id of the forecaster it now counts as."""
    rows = _select(
        connection, "SELECT id, merged_into_id FROM forecaster WHERE merged_into_id IS NOT NULL"
    )
    return {row["id"]: row["merged_into_id"] for row in rows}


# Loading objects -------------------------------------------------------------------------


def options_of(connection: Any, ids: Sequence[int | None]) -> dict[int, tuple[str, ...]]:
    marks, values = _in(ids)
    rows = _select(
        connection,
        f"SELECT question_id, label FROM question_option WHERE question_id IN ({marks}) "
        "ORDER BY question_id, position",
        values,
    )
    return _grouped(rows, "question_id", "label")


def to_resolution(row: sqlite3.Row) -> Resolution:
    return _stored(Resolution, row)


def to_question(
    row: sqlite3.Row,
    options: tuple[tuple[str, str], ...],
    tags: tuple[str, ...],
    resolution: Resolution | None,
) -> Question:
    """A question from its row, its (label, narrative) options, tags and resolution."""
    besides = ("options", "tags", "resolution", "narratives")
    narratives = tuple(story for _, story in options)
    return _stored(
        Question,
        row,
        besides,
        options=tuple(label for label, _ in options),
        tags=tags,
        resolution=resolution,
        narratives=narratives if any(narratives) else (),
    )


QUESTIONS = """
SELECT question.*,
  (SELECT json_group_array(json_array(label, narrative)) FROM (SELECT label, narrative
     FROM question_option WHERE question_id = question.id ORDER BY position)) AS option_rows,
  (SELECT json_group_array(tag) FROM (SELECT tag FROM question_tag
     WHERE question_id = question.id ORDER BY tag)) AS tag_names,
  (SELECT id FROM resolution WHERE question_id = question.id
     ORDER BY sequence DESC LIMIT 1) AS resolution_id
FROM question WHERE {where}
"""
"""Questions with their options, tags, counts and the id of their current resolution (the
one with the highest sequence: the rule :data:`db.scores.RESOLUTIONS` and the outcome kept on
the question's row follow too; a test checks they agree). The counts are kept on the row
(migration 0013); each other part is an index lookup, so a batch of questions is one
statement."""


def _summaries(
    connection: Any, where: str, params: Sequence[Any]
) -> tuple[list[QuestionSummary], sqlite3.Row | None]:
    """The questions ``where`` selects, with their counts; and the last row read."""
    rows = _select(connection, QUESTIONS.format(where=where), params)
    marks, ids = _in(row["resolution_id"] for row in rows if row["resolution_id"] is not None)
    resolutions = {
        row["id"]: to_resolution(row)
        for row in _select(connection, f"SELECT * FROM resolution WHERE id IN ({marks})", ids)
    }
    summaries = [
        _construct(
            QuestionSummary,
            {
                "question": to_question(
                    row,
                    ()
                    if row["option_rows"] == "[]"
                    else tuple(map(tuple, json.loads(row["option_rows"]))),
                    _labels(row["tag_names"]),
                    resolutions.get(row["resolution_id"]),
                ),
                "forecasts": row["forecast_count"],
                "forecasters": row["forecaster_count"],
            },
        )
        for row in rows
    ]
    return summaries, (rows[-1] if rows else None)


def load_question(connection: Any, ident: int | None) -> Question:
    """The question with id ``ident``, with its options, tags and current resolution."""
    summaries, _ = _summaries(connection, "id = ?", [ident])
    if not summaries:
        raise NotFound("question", ident, "question")
    return summaries[0].question


def resolutions_of(connection: Any, ident: int | None) -> list[Resolution]:
    """Every resolution of a question, oldest first (the current one last)."""
    rows = _select(
        connection, "SELECT * FROM resolution WHERE question_id = ? ORDER BY sequence", [ident]
    )
    return [to_resolution(row) for row in rows]


def retractions_of(connection: Any, ids: Sequence[int | None]) -> dict[int, Retraction]:
    """The retraction of each retracted forecast among ``ids``."""
    marks, values = _in(ids)
    rows = _select(
        connection,
        f"SELECT forecast_id, reason, recorded_by, recorded_at FROM event "
        f"WHERE kind = ? AND forecast_id IN ({marks})",
        [EventKind.RETRACTED.value, *values],
    )
    return {
        row["forecast_id"]: _stored(Retraction, row)
        for row in rows
        if row["forecast_id"] is not None
    }


def forecasts_of(connection: Any, question: Question) -> list[Forecast]:
    """A question's forecasts, oldest first; a merged forecaster's under the forecaster it
    was merged into, a retracted one with its retraction."""
    rows = _select(
        connection,
        "SELECT * FROM forecast WHERE question_id = ? ORDER BY made_at, id",
        [question.id],
    )
    ids = [row["id"] for row in rows]
    vectors: dict[int, tuple[float, ...]] = {}
    if question.kind is QuestionKind.MULTIPLE_CHOICE:
        marks, values = _in(ids)
        vectors = _grouped(
            _select(
                connection,
                f"SELECT forecast_id, probability FROM forecast_probability "
                f"WHERE forecast_id IN ({marks}) ORDER BY forecast_id, position",
                values,
            ),
            "forecast_id",
            "probability",
        )
    retracted = retractions_of(connection, ids)
    merged = merged_ids(connection)
    forecasts = []
    for row in rows:
        forecasts.append(
            _stored(
                Forecast,
                row,
                ("probabilities", "forecaster_id", "retraction"),
                probabilities=vectors.get(row["id"]),
                forecaster_id=merged.get(row["forecaster_id"], row["forecaster_id"]),
                retraction=retracted.get(row["id"]),
            )
        )
    return forecasts


def to_forecaster(row: sqlite3.Row) -> Forecaster:
    return _stored(Forecaster, row)


def to_source(row: sqlite3.Row) -> Source:
    return _stored(Source, row, ("furniture", "sha256"))


def source_id(connection: Any, ref: Ref) -> int:
    """The id of the source with id (``5``, ``#5``) or key ``ref``."""
    return _id_by_id_or_key(connection, "source", ref)


def load_source(connection: Any, ident: int | None) -> Source:
    """The source with id ``ident``, with its marked page furniture."""
    rows = _select(connection, "SELECT * FROM source WHERE id = ?", [ident])
    if not rows:
        raise NotFound("source", ident, "source")
    spans = _select(
        connection,
        'SELECT start, "end", kind FROM source_furniture WHERE source_id = ? ORDER BY start',
        [ident],
    )
    marks = tuple(Span(span["start"], span["end"], span["kind"]) for span in spans)
    return to_source(rows[0]).model_copy(update={"furniture": marks})


# Questions -------------------------------------------------------------------------------


def _status_sql(now: str) -> str:
    """A question's status in SQL, from its current outcome (kept on its row, migration
    0013) and its close, ``now`` being the placeholder of the present moment: no lookup in
    another table. :meth:`forecasts.models.Question.status` in SQL (a test compares them)."""
    return (
        f"CASE WHEN outcome IS NULL THEN CASE WHEN close_at <= {now}"
        f" THEN '{QuestionStatus.CLOSED.value}' ELSE '{QuestionStatus.OPEN.value}' END"
        f" WHEN outcome = '{ANNULLED}' THEN '{QuestionStatus.ANNULLED.value}'"
        f" ELSE '{QuestionStatus.RESOLVED.value}' END"
    )


_STATUS = _status_sql(":now")


def _close_order(
    connection: Any,
    read: Callable[[Any, str, list[Any]], tuple[list[T], sqlite3.Row | None]],
    *,
    now: datetime,
    status: QuestionStatus | None = None,
    tag: str | None = None,
    withdrawn: bool = False,
    batch: int = BATCH,
) -> Iterator[T]:
    """What ``read`` makes of the questions, soonest close date first, filtered in the
    database; withdrawn questions only with ``withdrawn``, the others otherwise. Read a batch
    at a time (after the last row read, by the close date's index), so a long list starts at
    once and takes the memory of one batch."""
    where, params = "withdrawn = ?", [int(withdrawn)]
    if tag is not None:
        where += " AND id IN (SELECT question_id FROM question_tag WHERE tag = ?)"
        params.append(tag.strip().lower())
    if status is not None:
        where += f" AND {_status_sql('?')} = ?"
        params += [_stored_moment(now), status.value]
    after: list[Any] = []
    while True:
        keyset = " AND (close_at, id) > (?, ?)" if after else ""
        items, last = read(
            connection, f"{where}{keyset} ORDER BY close_at, id LIMIT ?", [*params, *after, batch]
        )
        if last is None:
            return
        after = [last["close_at"], last["id"]]
        yield from items


def iter_questions(connection: Any, *, now: datetime, **filters: Any) -> Iterator[QuestionSummary]:
    """Questions, soonest close date first, with how many forecasts and forecasters each
    has (the filters: status, tag, withdrawn; see :func:`_close_order`)."""
    return _close_order(connection, _summaries, now=now, **filters)


@dataclass(frozen=True, slots=True)
class ListedQuestion:
    """One line of ``question list``: what it prints of a question, read from its row
    alone (no domain object is built: 100,000 questions print in about two seconds, where
    building them took six)."""

    id: int
    status: QuestionStatus
    outcome: str | None  # the current resolution's outcome, None while unresolved
    close_at: datetime
    forecasts: int
    title: str


def _listed(
    connection: Any, where: str, params: list[Any], *, now: str
) -> tuple[list[ListedQuestion], sqlite3.Row | None]:
    rows = _select(
        connection,
        f"SELECT id, {_status_sql('?')} AS status, outcome, close_at, forecast_count, title"
        f" FROM question WHERE {where}",
        [now, *params],
    )
    listed = [
        ListedQuestion(
            row["id"],
            QuestionStatus(row["status"]),
            row["outcome"],
            _moment(row["close_at"]),
            row["forecast_count"],
            row["title"],
        )
        for row in rows
    ]
    return listed, (rows[-1] if rows else None)


def iter_listed(connection: Any, *, now: datetime, **filters: Any) -> Iterator[ListedQuestion]:
    """The lines of ``question list``, in the order and with the filters of
    :func:`iter_questions`, read in larger batches (each line is small)."""
    read = functools.partial(_listed, now=_stored_moment(now))
    return _close_order(connection, read, now=now, **{"batch": 4 * BATCH, **filters})


def _iso(column: str) -> str:
    """A stored moment as the command line's JSON writes it (``datetime.isoformat`` in UTC,
    with ``Z``, the fraction only when it is not zero), in SQL; NULL stays NULL. Moments are
    stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (26 characters); any other length is read the
    long way."""
    fraction = f"substr(substr({column}, 21) || '000000', 1, 6)"
    return (
        f"CASE WHEN length({column}) = 26"
        f" THEN replace(replace({column}, ' ', 'T'), '.000000', '') || 'Z'"
        f" ELSE replace(substr({column}, 1, 19), ' ', 'T')"
        f" || CASE WHEN {fraction} = '000000' THEN '' ELSE '.' || {fraction} END || 'Z' END"
    )


def _options_json(column: str) -> str:
    """The question's options' ``column``, in order, as a JSON array, in SQL."""
    return (
        f"json((SELECT json_group_array({column}) FROM (SELECT {column} FROM question_option"
        f" WHERE question_id = question.id ORDER BY position)))"
    )


QUESTION_JSON = f"""
SELECT question.id, question.close_at, json_object(
  'id', question.id, 'key', question.key, 'title', question.title,
  'description', question.description, 'criteria', question.criteria,
  'kind', question.kind, 'options', {_options_json("label")},
  'narratives', CASE WHEN EXISTS (SELECT 1 FROM question_option
                  WHERE question_id = question.id AND narrative != '')
                THEN {_options_json("narrative")} ELSE json_array() END,
  'tags', json((SELECT json_group_array(tag) FROM (SELECT tag FROM question_tag
                WHERE question_id = question.id ORDER BY tag))),
  'created_at', {_iso("question.created_at")}, 'close_at', {_iso("question.close_at")},
  'resolve_by', {_iso("question.resolve_by")}, 'status', question.status,
  'resolution', CASE WHEN current.id IS NOT NULL THEN json_object(
      'id', current.id, 'outcome', current.outcome,
      'resolved_at', {_iso("current.resolved_at")}, 'evidence', current.evidence,
      'source_id', current.source_id, 'resolved_by', current.resolved_by,
      'recorded_at', {_iso("current.recorded_at")}, 'recorded_by', current.recorded_by) END,
  'withdrawn', json(CASE WHEN question.withdrawn THEN 'true' ELSE 'false' END),
  'recorded_by', question.recorded_by, 'forecasts', question.forecast_count,
  'forecasters', question.forecaster_count) AS item
FROM (SELECT *, {_status_sql("?")} AS status FROM question WHERE {{where}}) AS question
LEFT OUTER JOIN resolution AS current ON current.question_id = question.id
  AND current.sequence = (SELECT max(sequence) FROM resolution
                          WHERE question_id = question.id)
ORDER BY question.close_at, question.id
"""
"""The questions ``where`` selects as ``question list --json`` writes them, each JSON text
made by SQLite: the same JSON as ``cli.render.summary_json`` makes of the question read whole
(a test compares them on every kind of question), in a fraction of the time, as no domain
object is built. The current resolution is the one with the highest sequence, as
:data:`QUESTIONS` reads it."""


def _json_items(
    connection: Any, where: str, params: list[Any], *, now: str
) -> tuple[list[str], sqlite3.Row | None]:
    rows = _select(connection, QUESTION_JSON.format(where=where), [now, *params])
    return [row["item"] for row in rows], (rows[-1] if rows else None)


def iter_question_json(connection: Any, *, now: datetime, **filters: Any) -> Iterator[str]:
    """The items of ``question list --json``, each a JSON text (see :data:`QUESTION_JSON`),
    in the order and with the filters of :func:`iter_questions`."""
    read = functools.partial(_json_items, now=_stored_moment(now))
    return _close_order(connection, read, now=now, **{"batch": 4 * BATCH, **filters})


@dataclass(frozen=True)
class QuestionTitle:
    """What matching an article's drafts to stored questions reads of each question."""

    id: int
    title: str
    created_at: datetime
    close_at: datetime
    tags: tuple[str, ...]
    options: str = ""  # its options' labels and narratives, one text


def question_titles(connection: Any) -> list[QuestionTitle]:
    """Every question not withdrawn, by id: its title, when it was asked and closes, its
    tags and options' words, read in one pass (matching compares a draft with every one)."""
    rows = _select(
        connection,
        "SELECT id, title, created_at, close_at, (SELECT json_group_array(tag) FROM (SELECT "
        "tag FROM question_tag WHERE question_id = question.id ORDER BY tag)) AS tag_names, "
        "(SELECT group_concat(label || ' ' || narrative, ' ') FROM (SELECT label, narrative "
        "FROM question_option WHERE question_id = question.id ORDER BY position)) AS options "
        "FROM question WHERE withdrawn = 0 ORDER BY id",
    )
    return [
        QuestionTitle(
            row["id"],
            row["title"],
            _moment(row["created_at"]),
            _moment(row["close_at"]),
            _labels(row["tag_names"]),
            row["options"] or "",
        )
        for row in rows
    ]


def to_indicator(row: Any) -> Indicator:
    """An indicator from its row (a mapping): the likelihoods and phrases stored as JSON."""
    return Indicator(
        id=row["id"],
        set_id=row["set_id"],
        question_id=row["question_id"],
        likelihoods=tuple(json.loads(row["likelihoods"])),
        phrases=tuple(json.loads(row["phrases"])),
        scale=row["scale"],
        judged_by_id=row["judged_by_id"],
        rationale=row["rationale"],
        recorded_at=_moment(row["recorded_at"]),
        recorded_by=row["recorded_by"],
    )


def indicators_of(connection: Any, set_id: int) -> list[Indicator]:
    rows = _select(connection, "SELECT * FROM indicator WHERE set_id = ? ORDER BY id", [set_id])
    return [to_indicator(row) for row in rows]


def to_scenario_update(row: Any) -> ScenarioUpdate:
    """A scenario update from its row (a mapping): the vectors stored as JSON."""
    return ScenarioUpdate(
        id=row["id"],
        set_id=row["set_id"],
        indicator_id=row["indicator_id"],
        forecaster_id=row["forecaster_id"],
        observed=bool(row["observed"]),
        resolution_id=row["resolution_id"],
        source_id=row["source_id"],
        prior_forecast_id=row["prior_forecast_id"],
        prior=tuple(json.loads(row["prior"])),
        likelihoods=tuple(json.loads(row["likelihoods"])),
        posterior=tuple(json.loads(row["posterior"])),
        forecast_id=row["forecast_id"],
        updated_at=_moment(row["updated_at"]),
        recorded_at=_moment(row["recorded_at"]),
        recorded_by=row["recorded_by"],
    )


def updates_of(connection: Any, set_id: int) -> list[ScenarioUpdate]:
    """A scenario set's updates, in the order they were made."""
    rows = _select(
        connection,
        "SELECT * FROM scenario_update WHERE set_id = ? ORDER BY updated_at, id",
        [set_id],
    )
    return [to_scenario_update(row) for row in rows]


def list_questions(connection: Any, **query: Any) -> list[QuestionSummary]:
    """Every question :func:`iter_questions` yields, as a list."""
    return list(iter_questions(connection, **query))


@dataclass(frozen=True)
class Event:
    """One correction or change of state from the event log."""

    id: int
    kind: EventKind
    question_id: int | None
    forecast_id: int | None
    forecaster_id: int | None
    reason: str
    detail: dict
    recorded_by: str
    recorded_at: datetime


def to_event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"] or 0,
        kind=EventKind(row["kind"]),
        question_id=row["question_id"],
        forecast_id=row["forecast_id"],
        forecaster_id=row["forecaster_id"],
        reason=row["reason"],
        detail=json.loads(row["detail"] or "{}"),
        recorded_by=row["recorded_by"],
        recorded_at=_moment(row["recorded_at"]),
    )


def events(connection: Any, *, kind: EventKind | None = None) -> list[Event]:
    """The event log, oldest first."""
    if kind is None:
        rows = _select(connection, "SELECT * FROM event ORDER BY id")
    else:
        rows = _select(connection, "SELECT * FROM event WHERE kind = ? ORDER BY id", [kind.value])
    return [to_event(row) for row in rows]


@dataclass(frozen=True, eq=False)
class QuestionDetail:
    """Everything stored about one question: its forecasts (oldest first), the forecasters
    and sources they name, and every resolution ever made (oldest first, current last)."""

    question: Question
    forecasts: tuple[Forecast, ...]
    forecasters: dict[int, Forecaster]
    sources: dict[int, Source]
    resolutions: tuple[Resolution, ...]
    events: tuple[Event, ...] = ()
    """Every correction on the question (edits, retractions, withdrawals), oldest first."""
    condition: ConditionView | None = None
    """What the question is conditional on, when it is conditional."""
    conditionals: tuple[tuple[int, str], ...] = ()
    """The questions conditional on this one: (id, title) each."""

    @property
    def revisions(self) -> tuple[Event, ...]:
        """Every edit of the question, oldest first, with what it said before and after."""
        return tuple(event for event in self.events if event.kind is EventKind.EDITED)

    @cached_property
    def backdated(self) -> frozenset[int | None]:
        """Ids of the forecasts the backdating rule leaves out of scores."""
        return frozenset(
            f.id
            for f in self.forecasts
            if is_backdated(f, self.question, self.sources.get(f.source_id or 0))
        )

    def scored_forecasts(self) -> list[Forecast]:
        """The forecasts scores count: all but the backdated and the retracted (made after
        the resolution they are never scored anyway)."""
        return [f for f in self.forecasts if f.id not in self.backdated and f.retraction is None]


def question_detail(connection: Any, ref: Ref) -> QuestionDetail:
    """The question with its forecasts, forecasters, sources and resolution history."""
    question = load_question(connection, question_id(connection, ref))
    forecasts = forecasts_of(connection, question)
    marks, values = _in({f.forecaster_id for f in forecasts})
    forecasters = {
        row["id"]: to_forecaster(row)
        for row in _select(connection, f"SELECT * FROM forecaster WHERE id IN ({marks})", values)
    }
    resolutions = resolutions_of(connection, question.id)
    source_ids = {f.source_id for f in forecasts} | {r.source_id for r in resolutions}
    source_ids.discard(None)
    marks, values = _in(source_ids)
    sources = {
        row["id"]: to_source(row)
        for row in _select(connection, f"SELECT * FROM source WHERE id IN ({marks})", values)
    }
    rows = _select(
        connection, "SELECT * FROM event WHERE question_id = ? ORDER BY id", [question.id]
    )
    conditionals = _select(
        connection,
        "SELECT question.id, question.title FROM question_condition JOIN question"
        " ON question.id = question_condition.question_id WHERE condition_id = ?"
        " ORDER BY question.id",
        [question.id],
    )
    return QuestionDetail(
        question=question,
        forecasts=tuple(forecasts),
        forecasters=forecasters,
        sources=sources,
        resolutions=tuple(resolutions),
        events=tuple(map(to_event, rows)),
        condition=condition_view(connection, question.id),  # type: ignore[arg-type]
        conditionals=tuple((row["id"], row["title"]) for row in conditionals),
    )


# Track records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackRecordRow:
    """One forecast in a track record, with its question, its forecaster and whether it
    still stands, scores, or is left out."""

    forecast: Forecast
    question: Question
    forecaster: Forecaster
    superseded: bool
    backdated: bool
    scored: bool
    """Counted in scores (:meth:`QuestionDetail.scored_forecasts`)."""


def track_record(
    connection: Any,
    *,
    now: datetime,
    forecaster: Ref | None = None,
    question: Ref | None = None,
    open_only: bool = False,
) -> list[TrackRecordRow]:
    """Forecasts, newest first: one forecaster's, one question's, or all; with ``open_only``
    only those on questions still open."""
    where, params = [], []
    who = None
    if forecaster is not None:
        who = effective_forecaster_id(connection, forecaster)
        theirs = [who, *(i for i, into in merged_ids(connection).items() if into == who)]
        marks, values = _in(theirs)
        where.append(f"forecaster_id IN ({marks})")
        params.extend(values)
    if question is not None:
        where.append("question_id = ?")
        params.append(question_id(connection, question))
    sql = "SELECT DISTINCT question_id FROM forecast"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows: list[TrackRecordRow] = []
    for found in _select(connection, sql, params):
        detail = question_detail(connection, found["question_id"])
        if open_only and detail.question.status(now) is not QuestionStatus.OPEN:
            continue
        standing = {f.id for f in standing_forecasts(detail.forecasts).values()}
        scored = {f.id for f in detail.scored_forecasts()}
        rows.extend(
            TrackRecordRow(
                forecast=f,
                question=detail.question,
                forecaster=detail.forecasters[f.forecaster_id],
                superseded=f.id not in standing,
                backdated=f.id in detail.backdated,
                scored=f.id in scored,
            )
            for f in detail.forecasts
            if who is None or f.forecaster_id == who
        )
    rows.sort(key=lambda row: (row.forecast.made_at, row.forecast.id or 0), reverse=True)
    return rows


# The questions screen ----------------------------------------------------------------------

SORTS = ("close", "id", "title", "status", "forecasts")


@dataclass(frozen=True)
class QuestionListRow:
    """One line of the questions screen: what the table shows, nothing more."""

    id: int
    key: str | None
    title: str
    kind: QuestionKind
    options: tuple[str, ...]
    status: QuestionStatus
    close_at: datetime
    outcome: str | None
    forecasts: int
    mine: tuple[float, ...] | None  # the user's standing forecast (yes, no / per option)
    consensus: tuple[float, ...] | None  # median of the standing forecasts


@dataclass(frozen=True)
class QuestionQuery:
    """Which questions a page shows and in what order: filters, a search and a sort."""

    status: QuestionStatus | None = None
    tag: str | None = None
    search: str = ""
    sort: str = "close"
    descending: bool = False


@dataclass(frozen=True)
class QuestionPage:
    """A window of the filtered, sorted questions, and how many match in all."""

    rows: tuple[QuestionListRow, ...]
    total: int
    offset: int
    due: int  # questions past close and unresolved, whatever the filters
    largest_id: int = 0
    """The largest question id stored: how wide an id column must be for any row."""


_ORDER = {
    "close": "close_at",
    "id": "id",
    "title": "lower(title)",
    "status": "status",
    "forecasts": "forecasts",
}


def _stored_moment(moment: datetime) -> str:
    """A moment as it is stored, for comparing with stored moments in SQL."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")


def _matching(where: str, *, status: bool, count: bool, only: QuestionStatus | None) -> str:
    """The questions ``where`` selects, with their status and forecast count when asked (both
    from the question's own row); kept to status ``only`` if given."""
    columns = "id, key, title, kind, close_at"
    if status:
        columns += f", {_STATUS} AS status"
    if count:
        columns += ", forecast_count AS forecasts"
    found = f"SELECT {columns} FROM question WHERE {where}"
    if only is not None:
        found = f"SELECT * FROM ({found}) WHERE status = :status"
    return found


def _page_filter(query: QuestionQuery, params: dict[str, Any]) -> str:
    """The SQL condition of a page's tag and search filters, their values put in ``params``."""
    where = ["withdrawn = 0"]
    if query.tag:
        where.append(
            "EXISTS (SELECT 1 FROM question_tag WHERE question_id = question.id AND tag = :tag)"
        )
        params["tag"] = query.tag.strip().lower()
    if query.search.strip():
        # SQLite's LIKE ignores the case of ASCII letters, as its lower() does (and only them)
        where.append("(title LIKE :search OR key LIKE :search)")
        params["search"] = f"%{query.search.strip()}%"
    if query.status is not None:
        params["status"] = query.status.value
    return " AND ".join(where)


def question_page(
    connection: Any, query: QuestionQuery, *, now: datetime, offset: int = 0, limit: int = 200
) -> QuestionPage:
    """One window of the questions, filtered and sorted in the database, with the user's
    standing forecast and the consensus of each question in the window. Status and forecast
    count are worked out for every question only when a filter or the sort needs them, and
    otherwise for the window's rows alone."""
    if query.sort not in SORTS:
        raise InvalidInput("sort", query.sort, f"is not one of: {', '.join(SORTS)}")
    params: dict[str, Any] = {"now": _stored_moment(now), "limit": limit, "offset": offset}
    where = _page_filter(query, params)
    status = query.status is not None or query.sort == "status"
    count = query.sort == "forecasts"
    matching = _matching(where, status=status, count=count, only=query.status)
    order = _ORDER[query.sort] + (" DESC" if query.descending else "")
    # Where every question is read anyway (to work out its status or count, or to match a
    # search, which may match few or none), the total comes in the same pass; otherwise the
    # window is read in index order and the total counted apart.
    whole = status or count or bool(query.search.strip())
    total_column = ", count(*) OVER () AS total" if whole else ""
    page = _select(
        connection,
        f"SELECT id{total_column} FROM ({matching})"
        f" ORDER BY {order}, id LIMIT :limit OFFSET :offset",
        params,
    )
    if page and total_column:
        total = page[0]["total"]
    else:
        total = _select(connection, f"SELECT count(*) AS n FROM ({matching})", params)[0]["n"]
    due = _select(  # closed: past its close and never resolved (an annulment is a resolution)
        connection,
        "SELECT count(*) AS n FROM question WHERE outcome IS NULL AND close_at <= :now",
        params,
    )[0]["n"]
    largest = _select(connection, "SELECT max(id) AS n FROM question")[0]["n"] or 0
    rows = _page_rows(connection, [row["id"] for row in page], params)
    return QuestionPage(rows=rows, total=total, offset=offset, due=due, largest_id=largest)


def _page_rows(
    connection: Any, ids: list[int], params: dict[str, Any]
) -> tuple[QuestionListRow, ...]:
    """The rows of a page's window, in the order of ``ids``."""
    in_window = f"id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"
    window = _matching(in_window, status=True, count=True, only=None)
    window = window.replace(" FROM question", ", outcome FROM question", 1)
    found = {row["id"]: row for row in _select(connection, window, params)}
    options = options_of(connection, ids)
    user = find_user_id(connection) if ids else None
    standing = standing_vectors(connection, ids)
    rows = []
    for ident in ids:
        row = found[ident]
        by_forecaster = standing.get(ident, {})
        rows.append(
            QuestionListRow(
                id=ident,
                key=row["key"],
                title=row["title"],
                kind=QuestionKind(row["kind"]),
                options=options.get(ident, ()),
                status=QuestionStatus(row["status"]),
                close_at=_moment(row["close_at"]),
                outcome=row["outcome"],
                forecasts=row["forecasts"],
                mine=by_forecaster.get(user) if user is not None else None,
                consensus=median_vector(list(by_forecaster.values())),
            )
        )
    return tuple(rows)


def find_user_id(connection: Any) -> int | None:
    """The user of this database as a forecaster: the first of kind user, else the one named
    'me'; None before their first forecast."""
    found = _select(
        connection,
        "SELECT id FROM forecaster WHERE kind = ? ORDER BY id LIMIT 1",
        [ForecasterKind.USER.value],
    ) or _select(connection, "SELECT id FROM forecaster WHERE name_key = ?", [name_key(USER_NAME)])
    return found[0]["id"] if found else None


def standing_vectors(connection: Any, ids: list[int]) -> dict[int, dict[int, tuple[float, ...]]]:
    """For each question, each forecaster's standing forecast as a vector (a merged
    forecaster's under the one it was merged into; retracted forecasts left out)."""
    if not ids:
        return {}
    marks, values = _in(ids)
    rows = _select(
        connection,
        "SELECT forecast.id, forecast.question_id, forecast.probability,"
        " coalesce(forecaster.merged_into_id, forecast.forecaster_id) AS forecaster_id"
        " FROM forecast JOIN forecaster ON forecaster.id = forecast.forecaster_id"
        f" WHERE forecast.question_id IN ({marks})"
        " AND forecast.id NOT IN (SELECT forecast_id FROM event WHERE kind = ?)"
        " ORDER BY forecast.made_at, forecast.id",
        [*values, EventKind.RETRACTED.value],
    )
    multi = [row["id"] for row in rows if row["probability"] is None]
    vectors: dict[int, tuple[float, ...]] = {}
    if multi:
        marks, values = _in(multi)
        vectors = _grouped(
            _select(
                connection,
                "SELECT forecast_id, probability FROM forecast_probability"
                f" WHERE forecast_id IN ({marks}) ORDER BY forecast_id, position",
                values,
            ),
            "forecast_id",
            "probability",
        )
    standing: dict[int, dict[int, tuple[float, ...]]] = {}
    for row in rows:  # oldest first: later forecasts overwrite
        p = row["probability"]
        vector = (p, 1.0 - p) if p is not None else vectors.get(row["id"], ())
        standing.setdefault(row["question_id"], {})[row["forecaster_id"]] = vector
    return standing


# Conditional questions -------------------------------------------------------------------


def to_condition(row: Any) -> Condition:
    return Condition(
        question_id=row["question_id"],
        condition_id=row["condition_id"],
        joint_id=row["joint_id"],
        recorded_at=_moment(row["recorded_at"]),
        recorded_by=row["recorded_by"],
    )


def condition_of(connection: Any, question_id: int) -> Condition | None:
    """The condition of a question, or None when it is not conditional."""
    row = select_one(
        connection, "SELECT * FROM question_condition WHERE question_id = ?", [question_id]
    )
    return to_condition(row) if row is not None else None


def conditionals_on(connection: Any, condition_id: int) -> list[int]:
    """The questions conditional on ``condition_id``."""
    rows = connection.execute(
        "SELECT question_id FROM question_condition WHERE condition_id = ? ORDER BY question_id",
        [condition_id],
    ).fetchall()
    return [row[0] for row in rows]


@dataclass(frozen=True)
class Coherence:
    """One forecaster's standing forecasts on a condition A, the conditional B | A and, if
    they made one, the question asking "A and B" directly."""

    forecaster: str
    p_a: float
    p_b_given_a: float
    p_a_and_b: float
    """P(A) x P(B | A)."""
    direct: float | None
    """Their standing forecast on the question that asks "A and B", if any."""
    gap: float | None
    """How far ``direct`` is from ``p_a_and_b`` when more than the tolerance, else None."""


def coherence(connection: Any, condition: Condition) -> list[Coherence]:
    """For each forecaster with a standing forecast on both A and B | A, by name."""
    wanted = [condition.condition_id, condition.question_id]
    if condition.joint_id is not None:
        wanted.append(condition.joint_id)
    standing = standing_vectors(connection, wanted)
    on_a = standing.get(condition.condition_id, {})
    on_b = standing.get(condition.question_id, {})
    on_both = standing.get(condition.joint_id, {}) if condition.joint_id is not None else {}
    rows = []
    for who in sorted(set(on_a) & set(on_b)):
        p_a, p_b = on_a[who][0], on_b[who][0]
        direct = on_both[who][0] if who in on_both else None
        rows.append(
            Coherence(
                forecaster=forecaster_row(connection, who)["name"],
                p_a=p_a,
                p_b_given_a=p_b,
                p_a_and_b=joint(p_a, p_b),
                direct=direct,
                gap=incoherence(p_a, p_b, direct) if direct is not None else None,
            )
        )
    return sorted(rows, key=lambda row: row.forecaster.casefold())


@dataclass(frozen=True)
class ConditionView:
    """What a conditional question's page shows of its condition: the condition, the
    question it is conditional on and the one asking both (with their resolutions), and
    each forecaster's coherence."""

    condition: Condition
    on: Question
    joint: Question | None
    coherence: tuple[Coherence, ...]

    @property
    def state(self) -> str:
        """waiting (the condition is unresolved), met (it resolved yes) or not met."""
        decided = self.on.resolution
        if decided is None:
            return "waiting"
        return "met" if decided.outcome == YES else "not met"


def condition_view(connection: Any, question_id: int) -> ConditionView | None:
    condition = condition_of(connection, question_id)
    if condition is None:
        return None
    return ConditionView(
        condition=condition,
        on=load_question(connection, condition.condition_id),
        joint=(
            load_question(connection, condition.joint_id)
            if condition.joint_id is not None
            else None
        ),
        coherence=tuple(coherence(connection, condition)),
    )


# History ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a question: what, when it was recorded, by whom. ``kind``
    is created, edited, forecast, retracted, resolved, re-resolved, annulled, withdrawn or
    restored."""

    kind: str
    recorded_at: datetime
    recorded_by: str
    summary: str
    reason: str = ""
    detail: dict | None = None


def history(connection: Any, ref: Ref) -> list[HistoryEntry]:
    """Every event on a question, in the order it was recorded."""
    return history_entries(question_detail(connection, ref))


def history_entries(detail: QuestionDetail) -> list[HistoryEntry]:
    """Every event in a question's detail, in the order it was recorded."""
    question = detail.question
    entries = [
        HistoryEntry(
            "created",
            question.created_at,
            question.recorded_by,
            f"question {question.id} created: {question.title}",
        )
    ]
    for forecast in detail.forecasts:
        who = detail.forecasters[forecast.forecaster_id].name
        entries.append(
            HistoryEntry(
                "forecast",
                forecast.recorded_at or forecast.made_at,
                forecast.recorded_by,
                f"forecast {forecast.id} by {who}: {forecast_value(forecast, question)} "
                f"(made {forecast.made_at:%Y-%m-%d})",
            )
        )
    for index, resolution in enumerate(detail.resolutions):
        kind = "annulled" if resolution.annulled else ("re-resolved" if index else "resolved")
        entries.append(
            HistoryEntry(
                kind,
                resolution.recorded_at or resolution.resolved_at,
                resolution.recorded_by,
                f"{kind} as {resolution.outcome} as of {resolution.resolved_at:%Y-%m-%d}",
                resolution.evidence,
            )
        )
    for event in detail.events:
        what = {
            EventKind.EDITED: "edited: " + ", ".join(event.detail.get("after", {})),
            EventKind.RETRACTED: f"forecast {event.forecast_id} retracted",
        }.get(event.kind, f"question {event.kind.value}")
        entries.append(
            HistoryEntry(
                event.kind.value,
                event.recorded_at,
                event.recorded_by,
                what,
                event.reason,
                event.detail or None,
            )
        )
    entries.sort(key=lambda entry: entry.recorded_at)
    return entries
