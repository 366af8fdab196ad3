"""SQLModel table definitions, all in one module. Rows never leave the repository: it maps
them to the frozen domain models in :mod:`forecasts.models`."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Named constraints, so that batch migrations on SQLite can find and alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class QuestionRow(SQLModel, table=True):
    __tablename__ = "question"
    __table_args__ = (Index("ix_question_outcome_close_at", "outcome", "close_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, unique=True)
    title: str
    description: str = Field(default="", sa_column_kwargs={"server_default": ""})
    criteria: str
    kind: str
    created_at: datetime
    close_at: datetime = Field(index=True)
    resolve_by: datetime | None = None
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    withdrawn: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Kept by triggers in the database (migration 0013), never written here: the current
    # resolution's outcome (NULL while unresolved) and how many forecasts and forecasters.
    outcome: str | None = None
    forecast_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    forecaster_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class QuestionOptionRow(SQLModel, table=True):
    __tablename__ = "question_option"

    question_id: int = Field(foreign_key="question.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    label: str
    narrative: str = Field(default="", sa_column_kwargs={"server_default": ""})


class QuestionTagRow(SQLModel, table=True):
    __tablename__ = "question_tag"

    question_id: int = Field(foreign_key="question.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, index=True)


class ForecasterRow(SQLModel, table=True):
    __tablename__ = "forecaster"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    name_key: str = Field(unique=True)
    """The name under Unicode case folding (forecasts.models.name_key): one forecaster each."""
    kind: str
    affiliation: str = ""
    merged_into_id: int | None = None
    """Set when this forecaster was merged into another: their forecasts count as that one's."""


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, unique=True)
    title: str
    outlet: str = ""
    url: str | None = None
    published_on: date
    date_precision: str
    date_note: str = ""
    author: str = Field(default="", sa_column_kwargs={"server_default": ""})
    text: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(unique=True)
    original_sha256: str | None = None
    added_at: datetime


class SourceFurnitureRow(SQLModel, table=True):
    """A marked stretch of page furniture in a source's text."""

    __tablename__ = "source_furniture"

    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    start: int = Field(primary_key=True)
    end: int
    kind: str


class ForecastRow(SQLModel, table=True):
    __tablename__ = "forecast"
    __table_args__ = (
        Index("ix_forecast_question_forecaster_made", "question_id", "forecaster_id", "made_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str | None = Field(default=None, unique=True)
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    forecaster_id: int = Field(foreign_key="forecaster.id", index=True)
    made_at: datetime
    made_at_precision: str
    probability: float | None = None
    source_id: int | None = Field(default=None, foreign_key="source.id", index=True)
    quote: str | None = None
    quote_start: int | None = None
    quote_end: int | None = None
    phrase: str | None = None
    scale: str | None = None
    scale_probability: float | None = None
    inferred: bool = False
    rationale: str = ""
    recorded_at: datetime
    imported: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ForecastProbabilityRow(SQLModel, table=True):
    """One option's probability in a multiple-choice forecast."""

    __tablename__ = "forecast_probability"

    forecast_id: int = Field(foreign_key="forecast.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    probability: float


class ResolutionRow(SQLModel, table=True):
    """Every resolution ever made; the one recorded last is current, the rest are history."""

    __tablename__ = "resolution"
    __table_args__ = (UniqueConstraint("question_id", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    sequence: int
    outcome: str
    resolved_at: datetime
    evidence: str = ""
    source_id: int | None = Field(default=None, foreign_key="source.id")
    resolved_by: str = ""
    recorded_at: datetime
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class EventRow(SQLModel, table=True):
    """A correction or change of state, appended and never rewritten: a question edited,
    withdrawn or restored; a forecast retracted; a forecaster renamed or merged."""

    __tablename__ = "event"
    __table_args__ = (
        Index(
            "ux_event_one_retraction",
            "forecast_id",
            unique=True,
            sqlite_where=sa.text("kind = 'retracted'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    question_id: int | None = Field(default=None, foreign_key="question.id", index=True)
    forecast_id: int | None = Field(default=None, foreign_key="forecast.id", index=True)
    forecaster_id: int | None = Field(default=None, foreign_key="forecaster.id")
    reason: str = Field(default="", sa_column_kwargs={"server_default": ""})
    detail: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    recorded_at: datetime


class IndicatorRow(SQLModel, table=True):
    """A yes-or-no question that tells a scenario set's scenarios apart, with its likelihood
    under each scenario (JSON lists, in the options' order)."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("set_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    set_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    likelihoods: str
    phrases: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})
    scale: str | None = None
    judged_by_id: int | None = Field(default=None, foreign_key="forecaster.id")
    rationale: str = Field(default="", sa_column_kwargs={"server_default": ""})
    recorded_at: datetime
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ScenarioUpdateRow(SQLModel, table=True):
    """A Bayes update of one forecaster's scenario set on one indicator: the standing
    forecast it started from, the likelihoods used, what was observed and how it is known
    (the indicator's resolution or a source that reports it), the posterior, and the
    forecast that logged the posterior, once logged. An indicator updates a forecaster's
    scenarios once."""

    __tablename__ = "scenario_update"
    __table_args__ = (UniqueConstraint("indicator_id", "forecaster_id"),)

    id: int | None = Field(default=None, primary_key=True)
    set_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", ondelete="CASCADE")
    forecaster_id: int = Field(foreign_key="forecaster.id")
    observed: bool
    resolution_id: int | None = Field(default=None, foreign_key="resolution.id")
    source_id: int | None = Field(default=None, foreign_key="source.id")
    prior_forecast_id: int = Field(foreign_key="forecast.id")
    prior: str
    likelihoods: str
    posterior: str
    forecast_id: int | None = Field(default=None, foreign_key="forecast.id")
    updated_at: datetime
    recorded_at: datetime
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class QuestionConditionRow(SQLModel, table=True):
    """A conditional question: "if ``condition_id`` resolves yes, will ``question_id``?".
    Forecasts on it are P(question | condition); it is scored only when the condition
    resolves yes and annulled when it resolves no. ``joint_id`` is a question that asks
    "condition and question" directly, if there is one, for the coherence check."""

    __tablename__ = "question_condition"

    question_id: int = Field(foreign_key="question.id", primary_key=True, ondelete="CASCADE")
    condition_id: int = Field(foreign_key="question.id", index=True, ondelete="CASCADE")
    joint_id: int | None = Field(default=None, foreign_key="question.id", ondelete="SET NULL")
    recorded_at: datetime
    recorded_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class DataRevisionRow(SQLModel, table=True):
    """One row: a random token that triggers on every table replace after any write
    (migration 0014), so that scores kept between commands are known to be current."""

    __tablename__ = "data_revision"
    __table_args__ = (sa.CheckConstraint("id = 1", name="one_row"),)

    id: int = Field(primary_key=True)
    token: bytes = Field(sa_column=Column(sa.LargeBinary(), nullable=False))
    lineage: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary(), nullable=True))
    """Replaced whenever a write does more than append forecasts after the last one
    (migration 0015): kept forecasts' columns hold only while it is the same."""


class ForecastMarkRow(SQLModel, table=True):
    """A random number for each forecast, given by a trigger as it is inserted (migration
    0015): kept forecasts' columns name the mark of their last forecast."""

    __tablename__ = "forecast_mark"

    forecast_id: int = Field(foreign_key="forecast.id", primary_key=True)
    mark: int
