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
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from db.repository import Repository
from db.seed_scenarios import WorkedExample, load_example, seed_example
from forecasts.drafts import ForecastDraft, QuestionDraft, ResolutionDraft
from forecasts.errors import InvalidInput, NotFound, from_validation_error
from forecasts.furniture import find_furniture
from forecasts.models import Forecaster, Question, QuestionKind, Source
from forecasts.parsing import parse_moment, start_of_day

FILES = (
    "facts",
    "sources",
    "forecasters",
    "questions",
    "judgments",
    "resolutions",
    "scenarios",
)


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
    example: WorkedExample | None = None
    """The worked example of a scenario set and its replay (seeds/scenarios.toml)."""


@dataclass
class SeedReport:
    """How many records seeding added, by kind."""

    added: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "questions",
                "forecasters",
                "sources",
                "judgments",
                "resolutions",
                "example priors",
                "indicators",
                "updates",
            ),
            0,
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


def _facts(data: dict[str, Any]) -> dict[int, Fact]:
    return {
        int(entry["id"]): Fact(int(entry["id"]), _day(entry["date"], "date"), entry["text"])
        for entry in data.get("fact", [])
    }


def _sources(data: dict[str, Any], folder: Path) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for entry in data.get("source", []):
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
    return sources


def _forecasters(data: dict[str, Any]) -> dict[str, Forecaster]:
    forecasters: dict[str, Forecaster] = {}
    for entry in data.get("forecaster", []):
        try:
            forecasters[entry["name"]] = Forecaster(**entry)
        except (ValidationError, TypeError) as exc:
            raise _entry_error("forecasters", entry.get("name", "?"), exc) from None
    return forecasters


def _questions(
    data: dict[str, Any], sources: dict[str, Source]
) -> tuple[dict[str, Question], dict[str, str]]:
    questions: dict[str, Question] = {}
    question_sources: dict[str, str] = {}
    for entry in data.get("question", []):
        key = entry["key"]
        try:
            created_at = parse_moment(entry["created"], "created")
            draft = QuestionDraft.parse(
                key=key,
                title=entry["title"],
                description=entry.get("description", ""),
                criteria=entry["criteria"],
                kind=entry.get("kind", "binary"),
                options=entry.get("options", ()),
                narratives=entry.get("narratives", ()),
                close=entry["close"],
                tags=entry.get("tags", ()),
                created_at=created_at,
                now=created_at,
            )
            questions[key] = draft.question(created_at=created_at)
            if entry["source"] not in sources:
                raise InvalidInput("source", entry["source"], "is not a seed source")
            question_sources[key] = entry["source"]
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("questions", key, exc) from None
    return questions, question_sources


def _judgment(entry: dict[str, Any], known: dict[str, dict[str, Any]]) -> Judgment:
    judgment = Judgment(
        key=entry["key"],
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
    for kind, stored in known.items():
        if getattr(judgment, kind) not in stored:
            raise InvalidInput(kind, getattr(judgment, kind), f"is not a seed {kind}")
    return judgment


def _judgments(data: dict[str, Any], known: dict[str, dict[str, Any]]) -> list[Judgment]:
    """The judgments, each checked as a forecast on its question from its source."""
    questions, sources = known["question"], known["source"]
    judgments: list[Judgment] = []
    for entry in data.get("judgment", []):
        try:
            judgment = _judgment(entry, known)
            question = questions[judgment.question].model_copy(update={"id": 0})
            source = sources[judgment.source].model_copy(update={"id": 0})
            _draft(judgment, question, source, 0).check(
                question, now=datetime.now(UTC), source=source
            )
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("judgments", entry.get("key", "?"), exc) from None
        judgments.append(judgment)
    return judgments


def _resolutions(
    data: dict[str, Any], facts: dict[int, Fact], known: dict[str, dict[str, Any]]
) -> list[SeedResolution]:
    """The resolutions, each checked against its question, with the fact that decides it."""
    questions, sources = known["question"], known["source"]
    resolutions: list[SeedResolution] = []
    for entry in data.get("resolution", []):
        key = entry.get("question", "?")
        try:
            fact = facts[int(entry["fact"])]
            question = questions[entry["question"]].model_copy(update={"id": 0})
            draft = ResolutionDraft.parse(
                question, entry["outcome"], resolved_at=entry["resolved_at"], now=datetime.now(UTC)
            )
            resolution = SeedResolution(
                question=entry["question"],
                outcome=draft.outcome,
                resolved_at=draft.resolved_at,
                fact=fact,
                source=entry.get("source"),
            )
            if resolution.source is not None and resolution.source not in sources:
                raise InvalidInput("source", resolution.source, "is not a seed source")
        except (ValidationError, InvalidInput, KeyError) as exc:
            raise _entry_error("resolutions", key, exc) from None
        resolutions.append(resolution)
    return resolutions


def load_corpus(folder: Path | None = None) -> Corpus:
    """Read the seed files and validate every entry with the domain's drafts and models.

    A bad entry is refused with one line naming the file and the entry's key.
    """
    folder = folder or seeds_dir()
    data = {name: _read(folder, name) for name in FILES}
    facts = _facts(data["facts"])
    sources = _sources(data["sources"], folder)
    forecasters = _forecasters(data["forecasters"])
    questions, question_sources = _questions(data["questions"], sources)
    known = {"question": questions, "forecaster": forecasters, "source": sources}
    judgments = _judgments(data["judgments"], known)
    resolutions = _resolutions(data["resolutions"], facts, known)
    corpus = Corpus(
        facts, sources, forecasters, questions, question_sources, judgments, resolutions
    )
    example = load_example(data["scenarios"], corpus)
    return replace(corpus, example=example)


def _draft(
    judgment: Judgment, question: Question, source: Source, forecaster: int
) -> ForecastDraft:
    """The judgment as a draft forecast on ``question`` (stored or not) from ``source``."""
    vector = None
    if judgment.probabilities is not None:
        missing = set(question.options) ^ set(judgment.probabilities)
        if missing:
            raise InvalidInput("probabilities", ", ".join(sorted(missing)), "do not match options")
        vector = tuple(judgment.probabilities[label] for label in question.options)
    return ForecastDraft(
        key=judgment.key,
        question_id=question.id,
        forecaster=forecaster,
        made_at=start_of_day(source.published_on),
        made_at_precision=source.date_precision,
        probability=judgment.probability,
        probabilities=vector,
        source_id=source.id,
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


def _seed_sources(repository: Repository, corpus: Corpus, keys: set[str], report: SeedReport):
    source_ids: dict[str, int] = {}
    for key, source in corpus.sources.items():
        if key in keys:
            source_ids[key] = repository.source(ref=key).id  # type: ignore[assignment]
            continue
        same = repository.find_source(sha256=source.sha256)
        if same is not None:  # the user stored this article already: use theirs
            source_ids[key] = same.id  # type: ignore[assignment]
            continue
        source_ids[key] = repository.add_source(source).id  # type: ignore[assignment]
        report.added["sources"] += 1
    return source_ids


def _seed_forecasters(repository: Repository, corpus: Corpus, report: SeedReport):
    forecaster_ids: dict[str, int] = {}
    for name, forecaster in corpus.forecasters.items():
        try:
            forecaster_ids[name] = repository.forecaster(ref=name).id  # type: ignore[assignment]
        except NotFound:
            forecaster_ids[name] = repository.add_forecaster(forecaster).id  # type: ignore[assignment]
            report.added["forecasters"] += 1
    return forecaster_ids


def seed(repository: Repository, corpus: Corpus | None = None) -> SeedReport:
    """Add whatever of the corpus the database lacks, in one transaction."""
    corpus = corpus or load_corpus()
    report = SeedReport()
    with repository.transaction():
        keys = repository.existing_keys()
        source_ids = _seed_sources(repository, corpus, keys["source"], report)
        forecaster_ids = _seed_forecasters(repository, corpus, report)
        question_ids: dict[str, int] = {}
        for key, question in corpus.questions.items():
            if key in keys["question"]:
                question_ids[key] = repository.question(ref=key).id  # type: ignore[assignment]
                continue
            draft = QuestionDraft(**question.model_dump(include=set(QuestionDraft.model_fields)))
            question_ids[key] = repository.add_question(draft).id  # type: ignore[assignment]
            report.added["questions"] += 1
        for judgment in corpus.judgments:
            if judgment.key in keys["forecast"]:
                continue
            question = corpus.questions[judgment.question]
            stored_question = question.model_copy(update={"id": question_ids[judgment.question]})
            source = corpus.sources[judgment.source]
            stored_source = source.model_copy(update={"id": source_ids[judgment.source]})
            forecaster = forecaster_ids[judgment.forecaster]
            repository.log_forecast(_draft(judgment, stored_question, stored_source, forecaster))
            report.added["judgments"] += 1
        for resolution in corpus.resolutions:
            if repository.resolutions(question=resolution.question):
                continue  # resolved already, by the seed or by the user: leave it
            repository.resolve(
                ResolutionDraft(
                    question_id=question_ids[resolution.question],
                    outcome=resolution.outcome,
                    resolved_at=resolution.resolved_at,
                    evidence=resolution.fact.text,
                    source_id=source_ids[resolution.source] if resolution.source else None,
                    resolved_by="forecasts seed corpus",
                )
            )
            report.added["resolutions"] += 1
        if corpus.example is not None:
            seed_example(repository, corpus.example, keys["forecast"], report)
    return report
