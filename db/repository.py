"""The repository: the only writer to the database, named after what users do.

Every method opens one session for one unit of work, commits it whole or not at all, and
returns frozen domain objects, never rows, so nothing lazy-loads after the session closes
and results cross threads safely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy import Engine, case, func
from sqlmodel import Session, col, select

from db.engine import make_engine
from db.migrate import upgrade
from db.tables import (
    ForecasterRow,
    ForecastProbabilityRow,
    ForecastRow,
    QuestionOptionRow,
    QuestionRow,
    QuestionTagRow,
    ResolutionRow,
    SourceFurnitureRow,
    SourceRow,
)
from forecasts.errors import Conflict, InvalidInput, NotFound, from_validation_error
from forecasts.furniture import Span, find_furniture
from forecasts.models import (
    ANNULLED,
    DatePrecision,
    Forecast,
    Forecaster,
    ForecasterKind,
    Question,
    QuestionKind,
    QuestionStatus,
    QuestionSummary,
    Resolution,
    Source,
    check_forecast,
    check_resolution,
    median_vector,
)
from forecasts.parsing import as_utc, utc_now

USER_NAME = "me"

Ref = int | str


@dataclass(frozen=True)
class QuestionDetail:
    """Everything stored about one question: its forecasts (oldest first), the forecasters
    and sources they name, and every resolution ever made (oldest first, current last)."""

    question: Question
    forecasts: tuple[Forecast, ...]
    forecasters: dict[int, Forecaster]
    sources: dict[int, Source]
    resolutions: tuple[Resolution, ...]


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
class QuestionPage:
    """A window of the filtered, sorted questions, and how many match in all."""

    rows: tuple[QuestionListRow, ...]
    total: int
    offset: int
    due: int  # questions past close and unresolved, whatever the filters


SORTS = ("close", "id", "title", "status", "forecasts")


def _current_resolution_query(query, ids: list[int | None] | None = None):
    """``query`` (a select from the resolution table) kept to each question's current
    resolution, the one with the highest sequence; optionally for some questions only."""
    latest = select(ResolutionRow.question_id, func.max(ResolutionRow.sequence).label("sequence"))
    if ids is not None:
        latest = latest.where(col(ResolutionRow.question_id).in_(ids))
    latest = latest.group_by(col(ResolutionRow.question_id)).subquery()
    return query.join(
        latest,
        (ResolutionRow.question_id == latest.c.question_id)
        & (ResolutionRow.sequence == latest.c.sequence),
    )


@contextmanager
def _validating() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def _as_id(ref: Ref) -> int | None:
    if isinstance(ref, int):
        return ref
    text = ref.strip().lstrip("#")
    return int(text) if text.isdigit() else None


class Repository:
    """Reads and writes forecasts' data on one engine."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock
        self._local = threading.local()

    @classmethod
    def open(cls, url: str, *, clock: Callable[[], datetime] = utc_now) -> Repository:
        """Open the database at ``url``, upgrading its schema to the newest first."""
        engine = make_engine(url)
        upgrade(engine)
        return cls(engine, clock=clock)

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        """Run several repository calls as one unit of work: all are kept, or none."""
        if getattr(self._local, "session", None) is not None:
            yield self
            return
        with (
            Session(self.engine, expire_on_commit=False) as session,
            _validating(),
            session.begin(),
        ):
            self._local.session = session
            try:
                yield self
            finally:
                self._local.session = None

    @contextmanager
    def _unit(self) -> Iterator[Session]:
        shared = getattr(self._local, "session", None)
        if shared is not None:  # inside transaction(): its session, its commit
            with _validating():
                yield shared
            return
        with (
            Session(self.engine, expire_on_commit=False) as session,
            _validating(),
            session.begin(),
        ):
            yield session

    # Questions ---------------------------------------------------------------------------

    def add_question(
        self,
        *,
        title: str,
        criteria: str,
        close_at: datetime,
        kind: QuestionKind | str = QuestionKind.BINARY,
        options: Sequence[str] = (),
        description: str = "",
        resolve_by: datetime | None = None,
        tags: Sequence[str] = (),
        key: str | None = None,
        created_at: datetime | None = None,
    ) -> Question:
        """Store a new question and return it with its id."""
        with _validating():
            question = Question(
                key=key,
                title=title,
                description=description,
                criteria=criteria,
                kind=kind,
                options=tuple(options),
                created_at=created_at or self.clock(),
                close_at=close_at,
                resolve_by=resolve_by,
                tags=tuple(tags),
            )
        with self._unit() as session:
            if (
                key is not None
                and session.exec(select(QuestionRow.id).where(QuestionRow.key == key)).first()
            ):
                raise Conflict("key", key, "is already the key of another question")
            row = QuestionRow(
                key=question.key,
                title=question.title,
                description=question.description,
                criteria=question.criteria,
                kind=question.kind.value,
                created_at=question.created_at,
                close_at=question.close_at,
                resolve_by=question.resolve_by,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            for position, label in enumerate(question.options):
                session.add(QuestionOptionRow(question_id=row.id, position=position, label=label))
            for tag in question.tags:
                session.add(QuestionTagRow(question_id=row.id, tag=tag))
            return question.model_copy(update={"id": row.id})

    def question(self, *, ref: Ref) -> Question:
        """The question with id or key ``ref``, with its current resolution."""
        with self._unit() as session:
            return self._load_question(session, self._question_row(session, ref))

    def list_questions(
        self, *, status: QuestionStatus | str | None = None, tag: str | None = None
    ) -> list[QuestionSummary]:
        """Questions, soonest close date first, with how many forecasts each has."""
        wanted = QuestionStatus(status) if status is not None else None
        now = self.clock()
        with self._unit() as session:
            query = select(QuestionRow).order_by(col(QuestionRow.close_at), col(QuestionRow.id))
            if tag is not None:
                query = query.join(QuestionTagRow).where(QuestionTagRow.tag == tag.strip().lower())
            rows = list(session.exec(query))
            ids = [row.id for row in rows]
            options = self._options(session, ids)
            tags = self._tags(session, ids)
            resolutions = self._current_resolutions(session, ids)
            counts = {
                question_id: (n, m)
                for question_id, n, m in session.exec(
                    select(
                        ForecastRow.question_id,
                        func.count(col(ForecastRow.id)),
                        func.count(func.distinct(ForecastRow.forecaster_id)),
                    ).group_by(col(ForecastRow.question_id))
                )
            }
            summaries = []
            for row in rows:
                question = self._to_question(
                    row, options.get(row.id, ()), tags.get(row.id, ()), resolutions.get(row.id)
                )
                if wanted is not None and question.status(now) is not wanted:
                    continue
                n, m = counts.get(row.id, (0, 0))
                summaries.append(QuestionSummary(question=question, forecasts=n, forecasters=m))
            return summaries

    def question_page(
        self,
        *,
        status: QuestionStatus | str | None = None,
        tag: str | None = None,
        search: str | None = None,
        sort: str = "close",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> QuestionPage:
        """One window of the questions, filtered and sorted in the database, with the
        user's standing forecast and the consensus of each question in the window."""
        if sort not in SORTS:
            raise InvalidInput("sort", sort, f"is not one of: {', '.join(SORTS)}")
        now = self.clock()
        current = _current_resolution_query(
            select(ResolutionRow.question_id, ResolutionRow.outcome)
        ).subquery()
        status_expr = case(
            (current.c.outcome == ANNULLED, QuestionStatus.ANNULLED.value),
            (current.c.outcome.is_not(None), QuestionStatus.RESOLVED.value),
            (col(QuestionRow.close_at) <= now, QuestionStatus.CLOSED.value),
            else_=QuestionStatus.OPEN.value,
        )
        count_expr = (
            select(func.count(col(ForecastRow.id)))
            .where(ForecastRow.question_id == QuestionRow.id)
            .scalar_subquery()
        )
        query = select(
            QuestionRow.id,
            QuestionRow.key,
            QuestionRow.title,
            QuestionRow.kind,
            QuestionRow.close_at,
            current.c.outcome,
            status_expr.label("status"),
            count_expr.label("forecasts"),
        ).outerjoin(current, current.c.question_id == QuestionRow.id)
        conditions = []
        if status is not None:
            conditions.append(status_expr == QuestionStatus(status).value)
        if tag:
            conditions.append(
                select(QuestionTagRow.question_id)
                .where(
                    (QuestionTagRow.question_id == QuestionRow.id)
                    & (QuestionTagRow.tag == tag.strip().lower())
                )
                .exists()
            )
        if search and search.strip():
            pattern = f"%{search.strip()}%"
            conditions.append(
                col(QuestionRow.title).ilike(pattern) | col(QuestionRow.key).ilike(pattern)
            )
        for condition in conditions:
            query = query.where(condition)
        order = {
            "close": col(QuestionRow.close_at),
            "id": col(QuestionRow.id),
            "title": func.lower(QuestionRow.title),
            "status": status_expr,
            "forecasts": count_expr,
        }[sort]
        query = query.order_by(order.desc() if descending else order, col(QuestionRow.id))
        with self._unit() as session:
            counted = select(func.count()).select_from(query.order_by(None).subquery())
            total = session.exec(counted).one()
            due = session.exec(
                select(func.count())
                .select_from(QuestionRow)
                .outerjoin(current, current.c.question_id == QuestionRow.id)
                .where(status_expr == QuestionStatus.CLOSED.value)
            ).one()
            found = list(session.exec(query.offset(offset).limit(limit)))
            ids = [row.id for row in found]
            options = self._options(session, ids)
            user = self._find_user_row(session) if found else None
            standing = self._standing_vectors(session, ids, options)
            rows = []
            for row in found:
                by_forecaster = standing.get(row.id, {})
                vectors = list(by_forecaster.values())
                rows.append(
                    QuestionListRow(
                        id=row.id,
                        key=row.key,
                        title=row.title,
                        kind=QuestionKind(row.kind),
                        options=options.get(row.id, ()),
                        status=QuestionStatus(row.status),
                        close_at=as_utc(row.close_at),
                        outcome=row.outcome,
                        forecasts=row.forecasts,
                        mine=by_forecaster.get(user.id) if user is not None else None,
                        consensus=median_vector(vectors),
                    )
                )
            return QuestionPage(rows=tuple(rows), total=total, offset=offset, due=due)

    def tags(self) -> list[str]:
        """Every tag in use, alphabetically."""
        with self._unit() as session:
            query = select(QuestionTagRow.tag).distinct().order_by(col(QuestionTagRow.tag))
            return list(session.exec(query))

    def _standing_vectors(
        self, session: Session, ids: list[int], options: dict[int, tuple[str, ...]]
    ) -> dict[int, dict[int, tuple[float, ...]]]:
        """For each question, each forecaster's standing forecast as a vector."""
        if not ids:
            return {}
        rows = session.exec(
            select(
                ForecastRow.id,
                ForecastRow.question_id,
                ForecastRow.forecaster_id,
                ForecastRow.probability,
            )
            .where(col(ForecastRow.question_id).in_(ids))
            .order_by(col(ForecastRow.made_at), col(ForecastRow.id))
        ).all()
        multi_ids = [row.id for row in rows if row.probability is None]
        vectors: dict[int, list[float]] = {}
        if multi_ids:
            for value in session.exec(
                select(ForecastProbabilityRow)
                .where(col(ForecastProbabilityRow.forecast_id).in_(multi_ids))
                .order_by(
                    col(ForecastProbabilityRow.forecast_id), col(ForecastProbabilityRow.position)
                )
            ):
                vectors.setdefault(value.forecast_id, []).append(value.probability)
        standing: dict[int, dict[int, tuple[float, ...]]] = {}
        for row in rows:  # oldest first: later forecasts overwrite
            if row.probability is not None:
                vector = (row.probability, 1.0 - row.probability)
            else:
                vector = tuple(vectors.get(row.id, ()))
            standing.setdefault(row.question_id, {})[row.forecaster_id] = vector
        return standing

    def question_detail(self, *, ref: Ref) -> QuestionDetail:
        """The question with its forecasts, forecasters, sources and resolution history."""
        with self._unit() as session:
            question = self._load_question(session, self._question_row(session, ref))
            forecasts = self._forecasts(session, question)
            forecaster_ids = {f.forecaster_id for f in forecasts}
            forecasters = {
                row.id: self._to_forecaster(row)
                for row in session.exec(
                    select(ForecasterRow).where(col(ForecasterRow.id).in_(forecaster_ids))
                )
            }
            resolutions = self._resolutions(session, question.id)
            source_ids = {f.source_id for f in forecasts} | {r.source_id for r in resolutions}
            source_ids.discard(None)
            sources = {
                row.id: self._to_source(row)
                for row in session.exec(select(SourceRow).where(col(SourceRow.id).in_(source_ids)))
            }
            return QuestionDetail(
                question=question,
                forecasts=tuple(forecasts),
                forecasters=forecasters,
                sources=sources,
                resolutions=tuple(resolutions),
            )

    # Forecasters -------------------------------------------------------------------------

    def add_forecaster(
        self,
        *,
        name: str,
        kind: ForecasterKind | str = ForecasterKind.PERSON,
        affiliation: str = "",
    ) -> Forecaster:
        """Store a new forecaster; names are unique, ignoring case."""
        with _validating():
            forecaster = Forecaster(name=name, kind=kind, affiliation=affiliation.strip())
        with self._unit() as session:
            if self._forecaster_row(session, forecaster.name, missing_ok=True) is not None:
                raise Conflict("name", forecaster.name, "is already a forecaster")
            row = ForecasterRow(
                name=forecaster.name, kind=forecaster.kind.value, affiliation=forecaster.affiliation
            )
            session.add(row)
            session.flush()
            return forecaster.model_copy(update={"id": row.id})

    def forecaster(self, *, ref: Ref) -> Forecaster:
        """The forecaster with id or name ``ref`` (names match ignoring case)."""
        with self._unit() as session:
            return self._to_forecaster(self._forecaster_row(session, ref))

    def list_forecasters(self) -> list[Forecaster]:
        """Every forecaster, by name."""
        with self._unit() as session:
            rows = session.exec(select(ForecasterRow).order_by(func.lower(ForecasterRow.name)))
            return [self._to_forecaster(row) for row in rows]

    def find_user_forecaster(self) -> Forecaster | None:
        """The user of this database as a forecaster, if they have been created yet."""
        with self._unit() as session:
            row = self._find_user_row(session)
            return self._to_forecaster(row) if row is not None else None

    def user_forecaster(self) -> Forecaster:
        """The user of this database as a forecaster, created on first use."""
        with self._unit() as session:
            return self._to_forecaster(self._user_row(session))

    # Sources -----------------------------------------------------------------------------

    def add_source(
        self,
        *,
        text: str,
        title: str,
        published_on: date,
        outlet: str = "",
        url: str | None = None,
        date_precision: DatePrecision | str = DatePrecision.DAY,
        date_note: str = "",
        key: str | None = None,
    ) -> Source:
        """Store a document's full text; the same text twice is refused."""
        with _validating():
            source = Source(
                key=key,
                title=title,
                outlet=outlet.strip(),
                url=url,
                published_on=published_on,
                date_precision=date_precision,
                date_note=date_note.strip(),
                text=text,
                furniture=find_furniture(text),
            )
        with self._unit() as session:
            same = session.exec(select(SourceRow).where(SourceRow.sha256 == source.sha256)).first()
            if same is not None:
                raise Conflict(
                    "text", source.title, f"is already stored as source {same.id} ({same.title})"
                )
            if (
                key is not None
                and session.exec(select(SourceRow.id).where(SourceRow.key == key)).first()
            ):
                raise Conflict("key", key, "is already the key of another source")
            row = SourceRow(
                key=source.key,
                title=source.title,
                outlet=source.outlet,
                url=source.url,
                published_on=source.published_on,
                date_precision=source.date_precision.value,
                date_note=source.date_note,
                text=source.text,
                sha256=source.sha256,
                added_at=self.clock(),
            )
            session.add(row)
            session.flush()
            for span in source.furniture:
                session.add(
                    SourceFurnitureRow(
                        source_id=row.id, start=span.start, end=span.end, kind=span.kind
                    )
                )
            return source.model_copy(update={"id": row.id})

    def source(self, *, ref: Ref) -> Source:
        """The source with id or key ``ref``, with its marked furniture."""
        with self._unit() as session:
            return self._load_source(session, self._source_row(session, ref))

    def find_source(self, *, sha256: str) -> Source | None:
        """The stored source whose text has this SHA-256, if any."""
        with self._unit() as session:
            row = session.exec(select(SourceRow).where(SourceRow.sha256 == sha256)).first()
            return self._load_source(session, row) if row is not None else None

    def list_sources(self) -> list[Source]:
        """Every source, newest publication first."""
        with self._unit() as session:
            rows = session.exec(
                select(SourceRow).order_by(col(SourceRow.published_on).desc(), col(SourceRow.id))
            )
            return [self._to_source(row) for row in rows]

    # Forecasts ---------------------------------------------------------------------------

    def log_forecast(
        self,
        *,
        question: Ref,
        forecaster: Ref | None = None,
        probability: float | None = None,
        probabilities: Sequence[float] | None = None,
        made_at: datetime | None = None,
        made_at_precision: DatePrecision | str = DatePrecision.DAY,
        source: Ref | None = None,
        quote: str | None = None,
        quote_start: int | None = None,
        phrase: str | None = None,
        scale: str | None = None,
        scale_probability: float | None = None,
        inferred: bool = False,
        rationale: str = "",
        key: str | None = None,
    ) -> Forecast:
        """Append a forecast (the user's when no forecaster is named); it supersedes any
        earlier one by the same forecaster on the same question."""
        now = self.clock()
        with self._unit() as session:
            question_obj = self._load_question(session, self._question_row(session, question))
            forecaster_row = (
                self._user_row(session)
                if forecaster is None
                else self._forecaster_row(session, forecaster)
            )
            source_obj = (
                self._load_source(session, self._source_row(session, source))
                if source is not None
                else None
            )
            forecast = Forecast(
                question_id=question_obj.id,
                forecaster_id=forecaster_row.id,
                made_at=made_at or now,
                made_at_precision=made_at_precision,
                probability=probability,
                probabilities=tuple(probabilities) if probabilities is not None else None,
                source_id=source_obj.id if source_obj else None,
                quote=quote,
                quote_start=quote_start,
                phrase=(phrase or "").strip() or None,
                scale=(scale or "").strip() or None,
                scale_probability=scale_probability,
                inferred=inferred,
                rationale=rationale.strip(),
                recorded_at=now,
            )
            forecast = check_forecast(question_obj, forecast, now=now, source=source_obj)
            if (
                key is not None
                and session.exec(select(ForecastRow.id).where(ForecastRow.key == key)).first()
            ):
                raise Conflict("key", key, "is already the key of another forecast")
            row = ForecastRow(
                key=key,
                question_id=forecast.question_id,
                forecaster_id=forecast.forecaster_id,
                made_at=forecast.made_at,
                made_at_precision=forecast.made_at_precision.value,
                probability=forecast.probability,
                source_id=forecast.source_id,
                quote=forecast.quote,
                quote_start=forecast.quote_start,
                quote_end=forecast.quote_end,
                phrase=forecast.phrase,
                scale=forecast.scale,
                scale_probability=forecast.scale_probability,
                inferred=forecast.inferred,
                rationale=forecast.rationale,
                recorded_at=now,
            )
            session.add(row)
            session.flush()
            for position, value in enumerate(forecast.probabilities or ()):
                session.add(
                    ForecastProbabilityRow(forecast_id=row.id, position=position, probability=value)
                )
            return forecast.model_copy(update={"id": row.id})

    def existing_keys(self) -> dict[str, set[str]]:
        """The stable keys already used by questions, sources and forecasts (for seeding)."""
        with self._unit() as session:
            return {
                "question": set(
                    session.exec(select(QuestionRow.key).where(col(QuestionRow.key).is_not(None)))
                ),
                "source": set(
                    session.exec(select(SourceRow.key).where(col(SourceRow.key).is_not(None)))
                ),
                "forecast": set(
                    session.exec(select(ForecastRow.key).where(col(ForecastRow.key).is_not(None)))
                ),
            }

    def forecasts(self, *, question: Ref) -> list[Forecast]:
        """Every forecast on the question, oldest first (superseded ones included)."""
        with self._unit() as session:
            question_obj = self._load_question(session, self._question_row(session, question))
            return self._forecasts(session, question_obj)

    # Resolutions -------------------------------------------------------------------------

    def resolve(
        self,
        *,
        question: Ref,
        outcome: str,
        resolved_at: datetime | None = None,
        evidence: str = "",
        source: Ref | None = None,
        resolved_by: str = "",
    ) -> Resolution:
        """Resolve the question (again, if it was); earlier resolutions stay as history."""
        now = self.clock()
        with self._unit() as session:
            row = self._question_row(session, question)
            question_obj = self._load_question(session, row)
            source_id = self._source_row(session, source).id if source is not None else None
            resolution = check_resolution(
                question_obj,
                Resolution(
                    question_id=row.id,
                    outcome=outcome,
                    resolved_at=resolved_at or now,
                    evidence=evidence.strip(),
                    source_id=source_id,
                    resolved_by=resolved_by.strip(),
                    recorded_at=now,
                ),
                now=now,
            )
            previous = session.exec(
                select(func.max(ResolutionRow.sequence)).where(ResolutionRow.question_id == row.id)
            ).one()
            resolution_row = ResolutionRow(
                question_id=row.id,
                sequence=(previous or 0) + 1,
                outcome=resolution.outcome,
                resolved_at=resolution.resolved_at,
                evidence=resolution.evidence,
                source_id=resolution.source_id,
                resolved_by=resolution.resolved_by,
                recorded_at=now,
            )
            session.add(resolution_row)
            session.flush()
            return resolution.model_copy(update={"id": resolution_row.id})

    def annul(
        self,
        *,
        question: Ref,
        resolved_at: datetime | None = None,
        evidence: str = "",
        resolved_by: str = "",
    ) -> Resolution:
        """Annul the question: it will not be scored. History is kept as for resolve."""
        return self.resolve(
            question=question,
            outcome=ANNULLED,
            resolved_at=resolved_at,
            evidence=evidence,
            resolved_by=resolved_by,
        )

    def resolutions(self, *, question: Ref) -> list[Resolution]:
        """Every resolution of the question, oldest first; the last is current."""
        with self._unit() as session:
            return self._resolutions(session, self._question_row(session, question).id)

    # Mapping -----------------------------------------------------------------------------

    def _question_row(self, session: Session, ref: Ref) -> QuestionRow:
        ident = _as_id(ref)
        row = (
            session.get(QuestionRow, ident)
            if ident is not None
            else session.exec(select(QuestionRow).where(QuestionRow.key == ref)).first()
        )
        if row is None:
            raise NotFound("question", ref, "question")
        return row

    def _find_user_row(self, session: Session) -> ForecasterRow | None:
        row = session.exec(
            select(ForecasterRow)
            .where(ForecasterRow.kind == ForecasterKind.USER.value)
            .order_by(col(ForecasterRow.id))
        ).first()
        return row if row is not None else self._forecaster_row(session, USER_NAME, missing_ok=True)

    def _user_row(self, session: Session) -> ForecasterRow:
        row = self._find_user_row(session)
        if row is None:
            row = ForecasterRow(name=USER_NAME, kind=ForecasterKind.USER.value)
            session.add(row)
            session.flush()
        return row

    def _forecaster_row(
        self, session: Session, ref: Ref, *, missing_ok: bool = False
    ) -> ForecasterRow:
        ident = _as_id(ref)
        if ident is not None:
            row = session.get(ForecasterRow, ident)
        else:
            row = session.exec(
                select(ForecasterRow).where(
                    func.lower(ForecasterRow.name) == str(ref).strip().lower()
                )
            ).first()
        if row is None and not missing_ok:
            raise NotFound("forecaster", ref, "forecaster")
        return row  # type: ignore[return-value]

    def _source_row(self, session: Session, ref: Ref) -> SourceRow:
        ident = _as_id(ref)
        row = (
            session.get(SourceRow, ident)
            if ident is not None
            else session.exec(select(SourceRow).where(SourceRow.key == ref)).first()
        )
        if row is None:
            raise NotFound("source", ref, "source")
        return row

    def _options(self, session: Session, ids: list[int | None]) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        query = (
            select(QuestionOptionRow)
            .where(col(QuestionOptionRow.question_id).in_(ids))
            .order_by(col(QuestionOptionRow.question_id), col(QuestionOptionRow.position))
        )
        for option in session.exec(query):
            found.setdefault(option.question_id, []).append(option.label)
        return {key: tuple(value) for key, value in found.items()}

    def _tags(self, session: Session, ids: list[int | None]) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        for tag in session.exec(
            select(QuestionTagRow).where(col(QuestionTagRow.question_id).in_(ids))
        ):
            found.setdefault(tag.question_id, []).append(tag.tag)
        return {key: tuple(value) for key, value in found.items()}

    def _current_resolutions(
        self, session: Session, ids: list[int | None]
    ) -> dict[int, Resolution]:
        query = _current_resolution_query(select(ResolutionRow), ids)
        return {row.question_id: self._to_resolution(row) for row in session.exec(query)}

    def _load_question(self, session: Session, row: QuestionRow) -> Question:
        return self._to_question(
            row,
            self._options(session, [row.id]).get(row.id, ()),
            self._tags(session, [row.id]).get(row.id, ()),
            self._current_resolutions(session, [row.id]).get(row.id),
        )

    def _resolutions(self, session: Session, question_id: int | None) -> list[Resolution]:
        query = (
            select(ResolutionRow)
            .where(ResolutionRow.question_id == question_id)
            .order_by(col(ResolutionRow.sequence))
        )
        return [self._to_resolution(row) for row in session.exec(query)]

    def _forecasts(self, session: Session, question: Question) -> list[Forecast]:
        rows = list(
            session.exec(
                select(ForecastRow)
                .where(ForecastRow.question_id == question.id)
                .order_by(col(ForecastRow.made_at), col(ForecastRow.id))
            )
        )
        vectors: dict[int, list[float]] = {}
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            query = (
                select(ForecastProbabilityRow)
                .where(col(ForecastProbabilityRow.forecast_id).in_([row.id for row in rows]))
                .order_by(
                    col(ForecastProbabilityRow.forecast_id), col(ForecastProbabilityRow.position)
                )
            )
            for value in session.exec(query):
                vectors.setdefault(value.forecast_id, []).append(value.probability)
        return [self._to_forecast(row, vectors.get(row.id)) for row in rows]

    @staticmethod
    def _to_question(
        row: QuestionRow,
        options: tuple[str, ...],
        tags: tuple[str, ...],
        resolution: Resolution | None,
    ) -> Question:
        return Question(
            id=row.id,
            key=row.key,
            title=row.title,
            description=row.description,
            criteria=row.criteria,
            kind=row.kind,
            options=options,
            created_at=row.created_at,
            close_at=row.close_at,
            resolve_by=row.resolve_by,
            tags=tags,
            resolution=resolution,
        )

    @staticmethod
    def _to_forecaster(row: ForecasterRow) -> Forecaster:
        return Forecaster(id=row.id, name=row.name, kind=row.kind, affiliation=row.affiliation)

    def _load_source(self, session: Session, row: SourceRow) -> Source:
        spans = session.exec(
            select(SourceFurnitureRow)
            .where(SourceFurnitureRow.source_id == row.id)
            .order_by(col(SourceFurnitureRow.start))
        )
        marks = tuple(Span(span.start, span.end, span.kind) for span in spans)
        return self._to_source(row).model_copy(update={"furniture": marks})

    @staticmethod
    def _to_source(row: SourceRow) -> Source:
        return Source(
            id=row.id,
            key=row.key,
            title=row.title,
            outlet=row.outlet,
            url=row.url,
            published_on=row.published_on,
            date_precision=row.date_precision,
            date_note=row.date_note,
            text=row.text,
        )

    @staticmethod
    def _to_resolution(row: ResolutionRow) -> Resolution:
        return Resolution(
            id=row.id,
            question_id=row.question_id,
            outcome=row.outcome,
            resolved_at=row.resolved_at,
            evidence=row.evidence,
            source_id=row.source_id,
            resolved_by=row.resolved_by,
            recorded_at=row.recorded_at,
        )

    @staticmethod
    def _to_forecast(row: ForecastRow, vector: list[float] | None) -> Forecast:
        return Forecast(
            id=row.id,
            question_id=row.question_id,
            forecaster_id=row.forecaster_id,
            made_at=row.made_at,
            made_at_precision=row.made_at_precision,
            probability=row.probability,
            probabilities=tuple(vector) if vector is not None else None,
            source_id=row.source_id,
            quote=row.quote,
            quote_start=row.quote_start,
            quote_end=row.quote_end,
            phrase=row.phrase,
            scale=row.scale,
            scale_probability=row.scale_probability,
            inferred=row.inferred,
            rationale=row.rationale,
            recorded_at=row.recorded_at,
        )
