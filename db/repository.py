"""The repository: the only writer to the database, named after what users do.

Every method opens one session for one unit of work, commits it whole or not at all, and
returns frozen domain objects, never rows, so nothing lazy-loads after the session closes
and results cross threads safely. Writes take one validated draft (:mod:`forecasts.drafts`)
or domain object each; reads that screens show are built by :mod:`db.read_models`, rows are
mapped by :mod:`db.mapping`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, col, select

from db import conditions, derived, read_models, reads, tables, updates, writes
from db.engine import (
    WRITE,
    check_database_file,
    make_engine,
    serial,
    sqlite_path,
)
from db.mapping import (
    Ref,
    effective_forecaster_row,
    find_user_row,
    forecaster_by_name,
    forecaster_row,
    forecasts_of,
    load_question,
    load_source,
    question_row,
    raw,
    resolutions_of,
    retractions_of,
    source_row,
    to_forecaster,
    to_source,
)
from db.migrate import Upgrade, upgrade
from db.read_models import (
    Event,
    HistoryEntry,
    QuestionDetail,
    QuestionPage,
    QuestionQuery,
    TrackRecordRow,
)
from db.scenario_view import ScenarioView, scenario_view
from db.updates import UpdateRequest
from db.writes import default_user_name
from forecasts.drafts import (
    ForecastDraft,
    IndicatorDraft,
    Merge,
    QuestionDraft,
    QuestionEdit,
    Rename,
    ResolutionDraft,
    Retract,
    Withdraw,
)
from forecasts.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    from_validation_error,
)
from forecasts.furniture import find_furniture
from forecasts.models import (
    Condition,
    EventKind,
    Forecast,
    Forecaster,
    Indicator,
    Question,
    QuestionStatus,
    QuestionSummary,
    Resolution,
    ScenarioUpdate,
    Source,
    check_published,
    name_key,
    refuse_edit,
)
from forecasts.parsing import utc_now


def _replace(
    session: Session, table: type[SQLModel], question_id: int | None, values, field: str
) -> None:
    """Replace a question's tags or options (positions in order) with ``values``."""
    owner = table.question_id  # type: ignore[attr-defined]
    for old in session.exec(select(table).where(owner == question_id)):
        session.delete(old)
    session.flush()
    for position, value in enumerate(values):
        extra = {"position": position} if field == "label" else {}
        session.add(table(question_id=question_id, **{field: value}, **extra))


def _jsonable(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def _storage_errors() -> AbstractContextManager[None]:
    """A lost race on a unique constraint, and a database that stays locked, as one line
    (from the ORM or from the driver's own cursor alike)."""
    return writes.storage_errors(
        integrity=(IntegrityError, sqlite3.IntegrityError),
        operational=(OperationalError, sqlite3.OperationalError),
    )


@contextmanager
def _validating() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def _refuse_taken_key(session: Session, table: type[SQLModel], key: str | None, what: str) -> None:
    """Refuse a stable key that another record of the table already has."""
    writes.refuse_taken_key(raw(session), table.__tablename__, key, what)  # type: ignore[attr-defined]


class Repository:
    """Reads and writes forecasts' data on one engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = utc_now,
        user_name: str | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.user_name = user_name if user_name is not None else default_user_name()
        """Who every write is recorded as having been made by."""
        self._local = threading.local()
        self.upgraded: Upgrade | None = None
        """What opening the database did to its schema, if anything."""

    @classmethod
    def open(cls, url: str, **options: Any) -> Repository:
        """Open the database at ``url``, upgrading its schema to the newest first (options
        as for the constructor: ``clock``, ``user_name``). A file that is not a forecasts
        database is refused before a byte of it is written."""
        path = sqlite_path(url)
        if path is not None:
            check_database_file(path)
        engine = make_engine(url)
        repository = cls(engine, **options)
        repository.upgraded = upgrade(engine)
        return repository

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        """Run several repository calls as one unit of work: all are kept, or none."""
        if getattr(self._local, "session", None) is not None:
            yield self
            return
        with self._unit(write=True) as session:
            self._local.session = session
            try:
                yield self
            finally:
                self._local.session = None

    @contextmanager
    def _unit(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work in one SQLite transaction: BEGIN for reads (one state of the
        database throughout), BEGIN IMMEDIATE for writes (the write lock from the start, so
        what is checked stays true until it is written)."""
        shared = getattr(self._local, "session", None)
        if shared is not None:  # inside transaction(): its session, its commit
            with _validating(), _storage_errors():
                yield shared
            return
        with serial(self.engine), self.engine.connect() as connection:
            if write:
                connection = connection.execution_options(**{WRITE: True})
            with (
                Session(bind=connection, expire_on_commit=False) as session,
                _validating(),
                _storage_errors(),
                session.begin(),
            ):
                yield session

    # Questions ---------------------------------------------------------------------------

    def add_question(
        self, draft: QuestionDraft, *, condition: Ref | None = None, joint: Ref | None = None
    ) -> Question:
        """Store a new question and return it with its id; with ``condition``, a question
        conditional on that one resolving yes (``joint`` asking both directly), in the same
        transaction."""
        with _validating():
            question = draft.question(created_at=self.clock())
        with self._unit(write=True) as session:
            _refuse_taken_key(session, tables.QuestionRow, question.key, "question")
            row = tables.QuestionRow(
                key=question.key,
                title=question.title,
                description=question.description,
                criteria=question.criteria,
                kind=question.kind.value,
                created_at=question.created_at,
                close_at=question.close_at,
                resolve_by=question.resolve_by,
                recorded_by=self.user_name,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            for position, label in enumerate(question.options):
                session.add(
                    tables.QuestionOptionRow(
                        question_id=row.id,
                        position=position,
                        label=label,
                        narrative=question.narrative(label),
                    )
                )
            for tag in question.tags:
                session.add(tables.QuestionTagRow(question_id=row.id, tag=tag))
            if condition is not None:
                session.flush()
                conditions.set_condition(
                    raw(session),
                    question,
                    row.id,
                    condition,
                    joint,
                    now=self.clock(),
                    user_name=self.user_name,
                    new=True,
                )
            return question.model_copy(update={"id": row.id, "recorded_by": self.user_name})

    def question(self, *, ref: Ref) -> Question:
        """The question with id or key ``ref``, with its current resolution."""
        with self._unit() as session:
            return load_question(session, question_row(session, ref))

    def question_count(self) -> int:
        """How many questions are stored."""
        with self._unit() as session:
            return session.exec(select(func.count()).select_from(tables.QuestionRow)).one()

    def question_titles(self) -> list[reads.QuestionTitle]:
        """Every question not withdrawn: id, title, close date and tags (see
        :func:`db.reads.question_titles`)."""
        with self._unit() as session:
            return reads.question_titles(raw(session))

    def add_indicator(self, draft: IndicatorDraft) -> Indicator:
        """Link a yes-or-no question to a scenario set with its likelihoods; a question is
        an indicator of a set once."""
        with self._unit(write=True) as session:
            connection = raw(session)
            set_id = reads.question_id(connection, draft.set_id)
            question_id = reads.question_id(connection, draft.question_id)
            judged_by = (
                reads.forecaster_row(connection, draft.judged_by)["id"]
                if draft.judged_by is not None
                else None
            )
            taken = connection.execute(
                "SELECT 1 FROM indicator WHERE set_id = ? AND question_id = ?",
                [set_id, question_id],
            ).fetchone()
            if taken:
                raise Conflict(
                    "indicator", question_id, f"is an indicator of question {set_id} already"
                )
            row = tables.IndicatorRow(
                set_id=set_id,
                question_id=question_id,
                likelihoods=json.dumps(list(draft.likelihoods)),
                phrases=json.dumps(list(draft.phrases)),
                scale=draft.scale,
                judged_by_id=judged_by,
                rationale=draft.rationale,
                recorded_at=self.clock(),
                recorded_by=self.user_name,
            )
            session.add(row)
            session.flush()
            return reads.to_indicator(row.model_dump())

    def indicators(self, *, question: Ref) -> list[Indicator]:
        """A scenario set's indicators, in the order they were linked."""
        with self._unit() as session:
            connection = raw(session)
            return reads.indicators_of(connection, reads.question_id(connection, question))

    def set_condition(
        self, *, question: Ref, condition: Ref, joint: Ref | None = None, reason: str = ""
    ) -> Condition:
        """Make a question conditional on another resolving yes, or change its condition
        (kept in its history); see :func:`db.conditions.set_condition`."""
        now = self.clock()
        with self._unit(write=True) as session:
            connection = raw(session)
            ident = reads.question_id(connection, question)
            return conditions.set_condition(
                connection,
                reads.load_question(connection, ident),
                ident,
                condition,
                joint,
                now=now,
                user_name=self.user_name,
                reason=reason,
            )

    def update_scenarios(self, request: UpdateRequest) -> ScenarioUpdate:
        """Update a forecaster's scenario set on an observed indicator by Bayes' rule, keep
        the update in the set's history, and log the posterior if asked (see
        :func:`db.updates.record_update`)."""
        now = self.clock()
        with self._unit(write=True) as session:
            return updates.record_update(raw(session), request, now=now, user_name=self.user_name)

    def log_posterior(self, update: int) -> Forecast:
        """Log a kept update's posterior as its forecaster's new forecast, made now."""
        now = self.clock()
        with self._unit(write=True) as session:
            return updates.log_posterior(raw(session), update, now=now, user_name=self.user_name)

    def scenario_view(self, *, question: Ref) -> ScenarioView:
        """A scenario set as its views show it, read in one transaction (see
        :func:`db.scenario_view.scenario_view`)."""
        with self._unit() as session:
            return scenario_view(raw(session), question)

    def scenario_updates(self, *, question: Ref) -> list[ScenarioUpdate]:
        """A scenario set's updates, in the order they were made."""
        with self._unit() as session:
            connection = raw(session)
            return reads.updates_of(connection, reads.question_id(connection, question))

    def list_questions(
        self,
        *,
        status: QuestionStatus | str | None = None,
        tag: str | None = None,
        withdrawn: bool = False,
    ) -> list[QuestionSummary]:
        """Questions, soonest close date first, with how many forecasts each has (withdrawn
        ones only with ``withdrawn``)."""
        wanted = QuestionStatus(status) if status is not None else None
        with self._unit() as session:
            return read_models.list_questions(
                session, now=self.clock(), status=wanted, tag=tag, withdrawn=withdrawn
            )

    def iter_questions(self, **query: Any) -> Iterator[QuestionSummary]:
        """The questions :meth:`list_questions` returns, one after another."""
        return iter(self.list_questions(**query))

    def iter_listed(self, **query: Any) -> Iterator[reads.ListedQuestion]:
        """The lines of ``question list`` (filters as :meth:`list_questions`)."""
        with self._unit() as session:
            return iter(list(reads.iter_listed(raw(session), now=self.clock(), **query)))

    def iter_question_json(self, **query: Any) -> Iterator[str]:
        """The items of ``question list --json`` as JSON texts (filters as
        :meth:`list_questions`)."""
        with self._unit() as session:
            return iter(list(reads.iter_question_json(raw(session), now=self.clock(), **query)))

    def question_page(
        self, query: QuestionQuery = QuestionQuery(), *, offset: int = 0, limit: int = 200
    ) -> QuestionPage:
        """One window of the questions for the questions screen, with the user's standing
        forecast and the consensus of each (see :func:`db.read_models.question_page`)."""
        with self._unit() as session:
            return read_models.question_page(
                session, query, now=self.clock(), offset=offset, limit=limit
            )

    def question_detail(self, *, ref: Ref) -> QuestionDetail:
        """The question with its forecasts, forecasters, sources and resolution history."""
        with self._unit() as session:
            return read_models.question_detail(session, ref)

    def tags(self) -> list[str]:
        """Every tag in use, alphabetically."""
        with self._unit() as session:
            query = (
                select(tables.QuestionTagRow.tag)
                .distinct()
                .order_by(col(tables.QuestionTagRow.tag))
            )
            return list(session.exec(query))

    # Forecasters -------------------------------------------------------------------------

    def add_forecaster(self, forecaster: Forecaster) -> Forecaster:
        """Store a new forecaster; names are unique under Unicode case folding."""
        with self._unit(write=True) as session:
            connection = raw(session)
            ident = writes.insert_forecaster(connection, forecaster)
            return reads.to_forecaster(reads.forecaster_row(connection, ident))

    def forecaster(self, *, ref: Ref) -> Forecaster:
        """The forecaster with id or name ``ref`` (names match under case folding)."""
        with self._unit() as session:
            return to_forecaster(forecaster_row(session, ref))

    def list_forecasters(self) -> list[Forecaster]:
        """Every forecaster, by name."""
        with self._unit() as session:
            rows = session.exec(
                select(tables.ForecasterRow)
                .where(col(tables.ForecasterRow.merged_into_id).is_(None))
                .order_by(col(tables.ForecasterRow.name_key))
            )
            return [to_forecaster(row) for row in rows]

    def find_user_forecaster(self) -> Forecaster | None:
        """The user of this database as a forecaster, if they have been created yet."""
        with self._unit() as session:
            row = find_user_row(session)
            return to_forecaster(row) if row is not None else None

    def user_forecaster(self) -> Forecaster:
        """The user of this database as a forecaster, created on first use."""
        with self._unit(write=True) as session:
            connection = raw(session)
            ident = writes.user_forecaster_id(connection)
            return reads.to_forecaster(reads.forecaster_row(connection, ident))

    # Sources -----------------------------------------------------------------------------

    def add_source(self, source: Source) -> Source:
        """Store a document's full text, its page furniture marked; the same text twice, or a
        date after today, is refused."""
        check_published(source.published_on, now=self.clock())
        source = source.model_copy(update={"furniture": find_furniture(source.text)})
        with self._unit(write=True) as session:
            same = session.exec(
                select(tables.SourceRow).where(tables.SourceRow.sha256 == source.sha256)
            ).first()
            if same is not None:
                raise Conflict(
                    "text", source.title, f"is already stored as source {same.id} ({same.title})"
                )
            _refuse_taken_key(session, tables.SourceRow, source.key, "source")
            row = tables.SourceRow(
                key=source.key,
                title=source.title,
                outlet=source.outlet.strip(),
                url=source.url,
                published_on=source.published_on,
                date_precision=source.date_precision.value,
                date_note=source.date_note.strip(),
                author=source.author.strip(),
                text=source.text,
                sha256=source.sha256,
                original_sha256=source.original_sha256,
                added_at=self.clock(),
            )
            session.add(row)
            session.flush()
            for span in source.furniture:
                session.add(
                    tables.SourceFurnitureRow(
                        source_id=row.id, start=span.start, end=span.end, kind=span.kind
                    )
                )
            return source.model_copy(update={"id": row.id})

    def source(self, *, ref: Ref) -> Source:
        """The source with id or key ``ref``, with its marked furniture."""
        with self._unit() as session:
            return load_source(session, source_row(session, ref))

    def find_source(self, *, sha256: str) -> Source | None:
        """The stored source whose text has this SHA-256, if any."""
        with self._unit() as session:
            row = session.exec(
                select(tables.SourceRow).where(tables.SourceRow.sha256 == sha256)
            ).first()
            return load_source(session, row) if row is not None else None

    def forecasters_quoting(self, *, source: Ref) -> set[str]:
        """The names of the forecasters with a forecast on the source (a merged forecaster
        counted as the one it was merged into)."""
        forecaster, forecast = tables.ForecasterRow, tables.ForecastRow
        with self._unit() as session:
            source_id = source_row(session, source).id
            quoting = select(forecast.forecaster_id).where(forecast.source_id == source_id)
            ids = set(session.exec(quoting))
            rows = session.exec(select(forecaster).where(col(forecaster.id).in_(ids)))
            kept = {row.merged_into_id or row.id for row in rows}
            named = select(forecaster.name).where(col(forecaster.id).in_(kept))
            return set(session.exec(named))

    def list_sources(self) -> list[Source]:
        """Every source, newest publication first."""
        with self._unit() as session:
            rows = session.exec(
                select(tables.SourceRow).order_by(
                    col(tables.SourceRow.published_on).desc(), col(tables.SourceRow.id)
                )
            )
            return [to_source(row) for row in rows]

    # Forecasts ---------------------------------------------------------------------------

    def log_forecast(self, draft: ForecastDraft) -> Forecast:
        """Append a forecast (see :func:`db.writes.log_forecast`)."""
        now = self.clock()
        with self._unit(write=True) as session:
            return writes.log_forecast(raw(session), draft, now=now, user_name=self.user_name)

    def existing_keys(self) -> dict[str, set[str]]:
        """The stable keys already used by questions, sources and forecasts (for seeding)."""
        with self._unit() as session:
            return {
                name: set(session.exec(select(table.key).where(col(table.key).is_not(None))))
                for name, table in (
                    ("question", tables.QuestionRow),
                    ("source", tables.SourceRow),
                    ("forecast", tables.ForecastRow),
                )
            }

    def track_record(
        self,
        *,
        forecaster: Ref | None = None,
        question: Ref | None = None,
        open_only: bool = False,
    ) -> list[TrackRecordRow]:
        """Forecasts newest first, with their questions (see
        :func:`db.read_models.track_record`)."""
        with self._unit() as session:
            return read_models.track_record(
                session,
                now=self.clock(),
                forecaster=forecaster,
                question=question,
                open_only=open_only,
            )

    def forecasts(self, *, question: Ref) -> list[Forecast]:
        """Every forecast on the question, oldest first (superseded ones included)."""
        with self._unit() as session:
            return forecasts_of(session, load_question(session, question_row(session, question)))

    # Resolutions -------------------------------------------------------------------------

    def resolve(self, draft: ResolutionDraft) -> Resolution:
        """Resolve the question, or annul it (see :func:`db.writes.resolve`)."""
        now = self.clock()
        with self._unit(write=True) as session:
            return writes.resolve(raw(session), draft, now=now, user_name=self.user_name)

    def resolutions(self, *, question: Ref) -> list[Resolution]:
        """Every resolution of the question, oldest first; the last is current."""
        with self._unit() as session:
            return resolutions_of(session, question_row(session, question).id)

    # Corrections -------------------------------------------------------------------------

    def _event(self, session: Session, kind: EventKind, reason: str = "", **about: Any) -> None:
        detail = about.pop("detail", {})
        session.add(
            tables.EventRow(
                kind=kind.value,
                reason=reason,
                detail=json.dumps(detail, ensure_ascii=False, default=_jsonable),
                recorded_by=self.user_name,
                recorded_at=self.clock(),
                **about,
            )
        )
        session.flush()

    def edit_question(self, edit: QuestionEdit) -> Question:
        """Change a question's wording, dates, tags or options, keeping what it said before as
        a revision with who changed it, when and why. Options cannot change once forecasts
        exist; a close date moved before forecasts already made is refused unless the edit
        is retroactive."""
        with self._unit(write=True) as session:
            row = question_row(session, edit.question_id)
            question = load_question(session, row)
            forecasts = forecasts_of(session, question)
            edited = edit.apply(question)
            refuse_edit(edit, edited, forecasts)
            for field, value in edit.changes.items():
                if field not in ("tags", "options", "narratives"):
                    setattr(row, field, value)
            if "tags" in edit.changes:
                _replace(session, tables.QuestionTagRow, row.id, edited.tags, "tag")
            if "options" in edit.changes or "narratives" in edit.changes:
                _replace(session, tables.QuestionOptionRow, row.id, edited.options, "label")
                for option in session.exec(
                    select(tables.QuestionOptionRow).where(
                        tables.QuestionOptionRow.question_id == row.id
                    )
                ):
                    option.narrative = edited.narrative(option.label)
            before = {field: getattr(question, field) for field in edit.changes}
            self._event(
                session,
                EventKind.EDITED,
                edit.reason,
                question_id=row.id,
                detail={"before": before, "after": edit.changes, "forecasts": len(forecasts)},
            )
            return edited

    def retract(self, retract: Retract) -> Forecast:
        """Take a forecast back: it stays in the record with its reason, leaves scores and the
        consensus, and the forecaster's previous forecast on the question stands again."""
        with self._unit(write=True) as session:
            row = session.get(tables.ForecastRow, retract.forecast_id)
            if row is None:
                raise NotFound("forecast", retract.forecast_id, "forecast")
            earlier = retractions_of(session, [row.id])
            if earlier:
                raise Conflict(
                    "forecast",
                    row.id,
                    f"is already retracted ({earlier[row.id].reason}); nothing changed",
                )
            self._event(
                session,
                EventKind.RETRACTED,
                retract.reason,
                forecast_id=row.id,
                question_id=row.question_id,
            )
            question = load_question(session, question_row(session, row.question_id))
            return next(f for f in forecasts_of(session, question) if f.id == row.id)

    def withdraw(self, withdraw: Withdraw) -> Question:
        """Withdraw a question created by mistake (hidden from lists and scores, kept in the
        record), or restore one."""
        with self._unit(write=True) as session:
            row = question_row(session, withdraw.question_id)
            if row.withdrawn != withdraw.restore:
                state = "withdrawn" if row.withdrawn else "not withdrawn"
                raise Conflict("question", row.id, f"is {state} already; nothing changed")
            row.withdrawn = not withdraw.restore
            kind = EventKind.RESTORED if withdraw.restore else EventKind.WITHDRAWN
            self._event(session, kind, withdraw.reason, question_id=row.id)
            return load_question(session, row)

    def rename_forecaster(self, rename: Rename) -> Forecaster:
        """Give a forecaster a new name (unique under case folding); the old one is kept in
        the event log."""
        with self._unit(write=True) as session:
            row = forecaster_row(session, rename.forecaster)
            same = forecaster_by_name(session, rename.name)
            if same is not None and same.id != row.id:
                raise Conflict("name", rename.name, "is already a forecaster")
            if row.name == rename.name:
                raise Conflict("name", rename.name, "is the forecaster's name already")
            old = row.name
            row.name, row.name_key = rename.name, name_key(rename.name)
            self._event(
                session,
                EventKind.RENAMED,
                rename.reason,
                forecaster_id=row.id,
                detail={"before": old, "after": rename.name},
            )
            return to_forecaster(row)

    def merge_forecasters(self, merge: Merge) -> Forecaster:
        """Merge ``source`` into ``target``: every forecast of the one counts as the other's
        from now on (the forecasts themselves are not rewritten), and the merge is listed in
        the event log. Returns the target."""
        with self._unit(write=True) as session:
            source = effective_forecaster_row(session, merge.source)
            target = effective_forecaster_row(session, merge.target)
            if source.id == target.id:
                raise InvalidInput(
                    "target", str(merge.target), "is the same forecaster; nothing to merge"
                )
            for row in session.exec(
                select(tables.ForecasterRow).where(tables.ForecasterRow.merged_into_id == source.id)
            ):
                row.merged_into_id = target.id  # merged into the source before: follow it
            source.merged_into_id = target.id
            self._event(
                session,
                EventKind.MERGED,
                merge.reason,
                forecaster_id=source.id,
                detail={"from": source.name, "into": target.name, "into_id": target.id},
            )
            return to_forecaster(target)

    def events(self, *, kind: EventKind | None = None) -> list[Event]:
        """The event log, oldest first (of one kind, if given)."""
        with self._unit() as session:
            return read_models.events(session, kind=kind)

    def history(self, *, question: Ref) -> list[HistoryEntry]:
        """Everything that happened to a question, in the order it was recorded."""
        with self._unit() as session:
            return read_models.history(session, question)

    # Bulk --------------------------------------------------------------------------------

    def bulk_insert(
        self, batches: Sequence[tuple[type[SQLModel], Sequence[str], Iterable[tuple]]]
    ) -> None:
        """Insert many rows, table after table, in one transaction: for generators that have
        validated their data as columns. Each batch names a table, its columns, and the rows
        as tuples in that column order."""
        with self.raw_transaction() as cursor:
            for table, columns, rows in batches:
                known = set(table.__table__.columns.keys())
                unknown = [name for name in columns if name not in known]
                if unknown:
                    raise InvalidInput(
                        "columns", ", ".join(unknown), f"are not in {table.__tablename__}"
                    )
                names = ", ".join(f'"{name}"' for name in columns)
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(
                    f'INSERT INTO "{table.__tablename__}" ({names}) VALUES ({marks})', rows
                )

    @contextmanager
    def raw_transaction(self, *, keep: bool = True) -> Iterator[Any]:
        """One write transaction on the driver's own cursor, for the bulk paths (generators,
        importers) that write too many rows for the ORM: committed when the block ends, or
        rolled back when it raises (or, with ``keep=False``, always: a dry run)."""
        with serial(self.engine), _storage_errors():
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                # Bulk writes touch every page of the forecasts' indexes: keep them in memory
                # (up to 256 MiB) rather than reading them back from the file again and again.
                cursor.execute("PRAGMA cache_size = -262144")
                cursor.execute("BEGIN IMMEDIATE")
                with derived.triggers_set_aside(cursor):  # state kept by triggers: once, at the end
                    yield cursor
                if keep:
                    raw.commit()
                else:
                    raw.rollback()
            except BaseException:
                raw.rollback()
                raise
            finally:
                raw.close()

    @contextmanager
    def raw_read(self) -> Iterator[Any]:
        """One read transaction on the driver's own cursor: every query in it sees one state
        of the database (for exports too large for the ORM)."""
        with serial(self.engine):
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("BEGIN")
                yield cursor
            finally:
                raw.rollback()
                raw.close()
