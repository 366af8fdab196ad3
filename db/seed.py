"""The seed corpus: five articles about North Korea's deployment to Russia and the 2025
Moscow and Beijing parades, the questions they raise, what experts said, and how it turned out.

The data lives in ``seeds/`` as TOML files beside the article texts. :func:`load_corpus`
reads and validates it with the domain models; :func:`seed` writes what is missing through
the repository, in one transaction. Seeding is idempotent and never touches what a user
added: records are matched by their stable keys (questions, sources, forecasts) or names
(forecasters), and a question that already has a resolution keeps it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from db.repository import Repository
from forecasts.errors import InvalidInput, NotFound, from_validation_error
from forecasts.furniture import find_furniture
from forecasts.models import (
    Forecast,
    Forecaster,
    Question,
    QuestionKind,
    Resolution,
    Source,
    check_forecast,
    check_resolution,
)
from forecasts.parsing import parse_moment

FILES = ("facts", "sources", "forecasters", "questions", "judgments", "resolutions")


def seeds_dir() -> Path:
    """The folder holding the seed corpus: inside the installed package, or the checkout's."""
    for candidate in (
        Path(__file__).parent / "seeds",
        Path(__file__).resolve().parent.parent / "seeds",
    ):
        if (candidate / "questions.toml").is_file():
            return candidate
    raise InvalidInput("seeds", str(Path(__file__).parent / "seeds"), "is missing")


@dataclass(frozen=True)
class Fact:
    id: int
    day: date
    text: str


@dataclass(frozen=True)
class Judgment:
    """A sourced judgment as the corpus states it, before it is stored."""

    key: str
    question: str
    forecaster: str
    source: str
    quote: str
    phrase: str | None
    scale: str | None
    probability: float | None
    probabilities: dict[str, float] | None
    inferred: bool
    rationale: str


@dataclass(frozen=True)
class SeedResolution:
    question: str
    outcome: str
    resolved_at: datetime
    fact: Fact
    source: str | None


@dataclass(frozen=True)
class Corpus:
    """The whole seed corpus, validated."""

    facts: dict[int, Fact]
    sources: dict[str, Source]
    forecasters: dict[str, Forecaster]
    questions: dict[str, Question]
    question_sources: dict[str, str]
    judgments: list[Judgment]
    resolutions: list[SeedResolution]


@dataclass
class SeedReport:
    """How many records seeding added, by kind."""

    added: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("questions", "forecasters", "sources", "judgments", "resolutions"), 0
        )
    )

    @property
    def total(self) -> int:
        return sum(self.added.values())

    def summary(self) -> str:
        parts = [f"{n} {kind}" for kind, n in self.added.items() if n]
        return ", ".join(parts) if parts else "nothing new"


def _read(folder: Path, name: str) -> dict[str, Any]:
    path = folder / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput("seeds", str(path), f"cannot be read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("seeds", str(path), f"is not valid TOML: {exc}") from None


def _entry_error(file: str, key: str, exc: Exception) -> InvalidInput:
    error = from_validation_error(exc) if isinstance(exc, ValidationError) else exc
    return InvalidInput("seeds", f"{file}.toml [{key}]", f"is refused: {error}")


def _day(text: str, field_name: str) -> date:
    return parse_moment(text, field_name).date()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def load_corpus(folder: Path | None = None) -> Corpus:
    """Read the seed files and validate every entry with the domain models.

    A bad entry is refused with one line naming the file and the entry's key.
    """
    folder = folder or seeds_dir()
    data = {name: _read(folder, name) for name in FILES}

    facts: dict[int, Fact] = {}
    for entry in data["facts"].get("fact", []):
        facts[int(entry["id"])] = Fact(int(entry["id"]), _day(entry["date"], "date"), entry["text"])

    sources: dict[str, Source] = {}
    for entry in data["sources"].get("source", []):
        key = entry["key"]
        try:
            text = (folder / entry["file"]).read_text(encoding="utf-8")
            sources[key] = Source(
                key=key,
                title=entry["title"],
                outlet=entry.get("outlet", ""),
                url=entry.get("url"),
                published_on=_day(entry["published"], "published"),
                date_precision=entry.get("precision", "day"),
                date_note=entry.get("date_note", ""),
                text=text,
                furniture=find_furniture(text),
            )
        except (ValidationError, InvalidInput, OSError, KeyError) as exc:
            raise _entry_error("sources", key, exc) from None

    forecasters: dict[str, Forecaster] = {}
    for entry in data["forecasters"].get("forecaster", []):
        try:
            forecasters[entry["name"]] = Forecaster(**entry)
        except (ValidationError, TypeError) as exc:
            raise _entry_error("forecasters", entry.get("name", "?"), exc) from None

    questions: dict[str, Question] = {}
    question_sources: dict[str, str] = {}
    for entry in data["questions"].get("question", []):
        key = entry["key"]
        try:
            questions[key] = Question(
                key=key,
                title=entry["title"],
                description=entry.get("description", ""),
                criteria=entry["criteria"],
                kind=entry.get("kind", "binary"),
                options=tuple(entry.get("options", ())),
                created_at=parse_moment(entry["created"], "created"),
                close_at=parse_moment(entry["close"], "close", end_of_day=True),
                tags=tuple(entry.get("tags", ())),
            )
            if entry["source"] not in sources:
                raise InvalidInput("source", entry["source"], "is not a seed source")
            question_sources[key] = entry["source"]
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("questions", key, exc) from None

    judgments: list[Judgment] = []
    for entry in data["judgments"].get("judgment", []):
        key = entry["key"]
        try:
            judgment = Judgment(
                key=key,
                question=entry["question"],
                forecaster=entry["forecaster"],
                source=entry["source"],
                quote=entry["quote"],
                phrase=entry.get("phrase"),
                scale=entry.get("scale"),
                probability=entry.get("probability"),
                probabilities=entry.get("probabilities"),
                inferred=bool(entry.get("inferred", False)),
                rationale=entry.get("rationale", ""),
            )
            for kind, known in (
                ("question", questions),
                ("forecaster", forecasters),
                ("source", sources),
            ):
                if getattr(judgment, kind) not in known:
                    raise InvalidInput(kind, getattr(judgment, kind), f"is not a seed {kind}")
            question = questions[judgment.question]
            source = sources[judgment.source]
            check_forecast(
                question,
                _forecast(judgment, question, source, 0, 0),
                now=datetime.now(UTC),
                source=source.model_copy(update={"id": 0}),
            )
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("judgments", key, exc) from None
        judgments.append(judgment)

    resolutions: list[SeedResolution] = []
    for entry in data["resolutions"].get("resolution", []):
        key = entry.get("question", "?")
        try:
            fact = facts[int(entry["fact"])]
            resolution = SeedResolution(
                question=entry["question"],
                outcome=entry["outcome"],
                resolved_at=parse_moment(entry["resolved_at"], "resolved_at"),
                fact=fact,
                source=entry.get("source"),
            )
            if resolution.source is not None and resolution.source not in sources:
                raise InvalidInput("source", resolution.source, "is not a seed source")
            check_resolution(
                questions[resolution.question],
                Resolution(outcome=resolution.outcome, resolved_at=resolution.resolved_at),
                now=datetime.now(UTC),
            )
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("resolutions", key, exc) from None
        resolutions.append(resolution)

    return Corpus(facts, sources, forecasters, questions, question_sources, judgments, resolutions)


def _forecast(
    judgment: Judgment, question: Question, source: Source, qid: int, fid: int
) -> Forecast:
    """The judgment as a forecast (ids to be filled in), for checking and for storing."""
    vector = None
    if judgment.probabilities is not None:
        missing = set(question.options) ^ set(judgment.probabilities)
        if missing:
            raise InvalidInput("probabilities", ", ".join(sorted(missing)), "do not match options")
        vector = tuple(judgment.probabilities[label] for label in question.options)
    return Forecast(
        question_id=qid,
        forecaster_id=fid,
        made_at=_start_of(source.published_on),
        made_at_precision=source.date_precision,
        probability=judgment.probability,
        probabilities=vector,
        source_id=source.id if source.id is not None else 0,
        quote=judgment.quote,
        phrase=judgment.phrase,
        scale=judgment.scale,
        scale_probability=(
            judgment.probability
            if judgment.scale is not None and question.kind is QuestionKind.BINARY
            else None
        ),
        inferred=judgment.inferred,
        rationale=judgment.rationale,
    )


def seed(repository: Repository, corpus: Corpus | None = None) -> SeedReport:
    """Add whatever of the corpus the database lacks, in one transaction."""
    corpus = corpus or load_corpus()
    report = SeedReport()
    with repository.transaction():
        keys = repository.existing_keys()
        source_ids: dict[str, int] = {}
        for key, source in corpus.sources.items():
            if key in keys["source"]:
                source_ids[key] = repository.source(ref=key).id  # type: ignore[assignment]
                continue
            same = repository.find_source(sha256=source.sha256)
            if same is not None:  # the user stored this article already: use theirs
                source_ids[key] = same.id  # type: ignore[assignment]
                continue
            stored = repository.add_source(
                key=key,
                text=source.text,
                title=source.title,
                outlet=source.outlet,
                url=source.url,
                published_on=source.published_on,
                date_precision=source.date_precision,
                date_note=source.date_note,
            )
            source_ids[key] = stored.id  # type: ignore[assignment]
            report.added["sources"] += 1
        forecaster_ids: dict[str, int] = {}
        for name, forecaster in corpus.forecasters.items():
            try:
                forecaster_ids[name] = repository.forecaster(ref=name).id  # type: ignore[assignment]
            except NotFound:
                stored = repository.add_forecaster(
                    name=name, kind=forecaster.kind, affiliation=forecaster.affiliation
                )
                forecaster_ids[name] = stored.id  # type: ignore[assignment]
                report.added["forecasters"] += 1
        for key, question in corpus.questions.items():
            if key in keys["question"]:
                continue
            repository.add_question(
                key=key,
                title=question.title,
                description=question.description,
                criteria=question.criteria,
                kind=question.kind,
                options=question.options,
                created_at=question.created_at,
                close_at=question.close_at,
                tags=question.tags,
            )
            report.added["questions"] += 1
        for judgment in corpus.judgments:
            if judgment.key in keys["forecast"]:
                continue
            question = corpus.questions[judgment.question]
            source = corpus.sources[judgment.source]
            draft = _forecast(judgment, question, source, 0, 0)
            repository.log_forecast(
                key=judgment.key,
                question=judgment.question,
                forecaster=forecaster_ids[judgment.forecaster],
                probability=draft.probability,
                probabilities=draft.probabilities,
                made_at=draft.made_at,
                made_at_precision=draft.made_at_precision,
                source=source_ids[judgment.source],
                quote=judgment.quote,
                phrase=draft.phrase,
                scale=draft.scale,
                scale_probability=draft.scale_probability,
                inferred=draft.inferred,
                rationale=draft.rationale,
            )
            report.added["judgments"] += 1
        for resolution in corpus.resolutions:
            if repository.resolutions(question=resolution.question):
                continue  # resolved already, by the seed or by the user: leave it
            repository.resolve(
                question=resolution.question,
                outcome=resolution.outcome,
                resolved_at=resolution.resolved_at,
                evidence=f"Fact {resolution.fact.id}: {resolution.fact.text}",
                source=source_ids[resolution.source] if resolution.source else None,
                resolved_by="forecasts seed corpus",
            )
            report.added["resolutions"] += 1
    return report
