"""Question drafts for a stored source (:mod:`forecasts.suggest`) against what the
database holds, and accepting one: its question created (or a stored one chosen) and its
judgments logged, each with its verbatim quote, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from db.repository import Repository
from forecasts.detect import scan
from forecasts.drafts import ForecastDraft, QuestionDraft
from forecasts.errors import InvalidInput
from forecasts.leads import leads
from forecasts.models import DatePrecision, Forecast, Question, Source
from forecasts.suggest import Candidate, Draft, suggest
from forecasts.verbal import Settings


def drafts_for(
    repository: Repository, source_ref: str | int, settings: Settings
) -> tuple[Source, list[Draft], dict[int, str]]:
    """The source, the question drafts its judgments suggest (each compared with the stored
    questions, its judgments' forecasters with the stored ones), and the titles of the stored
    questions the drafts offer, by id."""
    source = repository.source(ref=source_ref)
    detections = scan(source.text, source.furniture, scale=settings.scale, settings=settings)
    questions = [
        Candidate(
            id=q.id,
            title=q.title,
            tags=q.tags,
            open_at_publication=q.close_at.date() >= source.published_on,
            asked_by_publication=q.created_at.date() <= source.published_on,
            options=q.options,
        )
        for q in repository.question_titles()
    ]
    drafts = suggest(
        source.text,
        detections,
        published=source.published_on,
        outlet=source.outlet,
        author=source.author,
        forecasters=[f.name for f in repository.list_forecasters()],
        quoted=sorted(repository.forecasters_quoting(source=source.id)),  # type: ignore[arg-type]
        questions=questions,
        leads=leads(source.text, source.furniture, detections),
    )
    titles = {q.id: q.title for q in questions}
    return source, drafts, {ident: titles[ident] for d in drafts for ident, _ in d.matches}


@dataclass(frozen=True)
class Choice:
    """What the user decides when accepting a draft: a stored question to attach the
    judgments to, or a new question (with the draft's fields unless given), and which of
    the judgments (all when empty)."""

    to: str | None = None
    new: bool = False
    judgments: Sequence[int] = ()
    title: str | None = None
    close: str | None = None
    criteria: str | None = None
    tags: Sequence[str] | None = None


@dataclass(frozen=True)
class Accepted:
    question: Question
    created: bool
    logged: list[Forecast]
    skipped: list[int]  # judgments already logged from this source on the question

    @property
    def raised_by_intention(self) -> bool:
        """A new question made from a draft with no judgment to log: a stated intention's."""
        return self.created and not self.logged and not self.skipped


def accept(
    repository: Repository, source_ref: str | int, number: int, choice: Choice, settings: Settings
) -> Accepted:
    """Accept draft ``number`` of the source: all of it is written, or none of it."""
    source, drafts, _ = drafts_for(repository, source_ref, settings)
    draft = _draft(drafts, number)
    chosen = _chosen_judgments(draft, choice.judgments)
    with repository.transaction():
        question, created = _question(repository, source, draft, choice)
        quoted = [
            (f.forecaster_id, f.quote_start, f.quote_end)
            for f in repository.forecasts(question=question.id)  # type: ignore[arg-type]
            if f.source_id == source.id and f.retraction is None and f.quote_start is not None
        ]
        known = {f.name: f.id for f in repository.list_forecasters()}
        logged, skipped = [], []
        for index in chosen:
            judgment = draft.judgments[index - 1]
            phrase = judgment.detection
            if any(
                who == known.get(judgment.forecaster)
                and start < phrase.phrase_end
                and phrase.phrase_start < (end if end is not None else start)
                for who, start, end in quoted
            ):
                skipped.append(index)  # this forecaster's judgment, quoted from here already
                continue
            logged.append(
                repository.log_forecast(
                    ForecastDraft.parse(
                        question,
                        None,
                        now=repository.clock(),
                        settings=settings,
                        reading=judgment.detection.reading,
                        forecaster=judgment.forecaster,
                        new_forecaster_kind=judgment.kind,
                        made_at=source.published_on.isoformat(),
                        approximate=source.date_precision is DatePrecision.APPROXIMATE,
                        source=source,
                        quote=judgment.quote,
                        quote_start=judgment.quote_start,
                        phrase=judgment.detection.phrase,
                    )
                )
            )
    return Accepted(question, created, logged, skipped)


def _draft(drafts: list[Draft], number: int) -> Draft:
    if not 1 <= number <= len(drafts):
        raise InvalidInput("draft", number, f"is not a draft of this source (it has {len(drafts)})")
    return drafts[number - 1]


def _chosen_judgments(draft: Draft, wanted: Sequence[int]) -> list[int]:
    count = len(draft.judgments)
    for index in wanted:
        if not 1 <= index <= count:
            raise InvalidInput(
                "judgment", index, f"is not a judgment of draft {draft.number} (1-{count})"
            )
    return sorted(set(wanted)) or list(range(1, count + 1))


def _question(
    repository: Repository, source: Source, draft: Draft, choice: Choice
) -> tuple[Question, bool]:
    """The question the judgments go on: the one chosen, or a new one; a draft that may
    already be asked is not made a new question unless the user says so."""
    if choice.to is not None:
        return _chosen_question(repository, draft, choice), False
    if draft.matches and not choice.new:
        question = repository.question(ref=draft.matches[0][0])
        attach = (
            f"attach its judgments there with --to {question.id}, or " if draft.judgments else ""
        )
        raise InvalidInput(
            "draft",
            draft.number,
            f"may already be asked by question {question.id} ({question.title!r}); "
            f"{attach}make a new question with --new",
        )
    close = choice.close or (draft.close_on.isoformat() if draft.close_on else None)
    if close is None:
        raise InvalidInput("close", None, f"is needed: draft {draft.number} names no deadline")
    criteria = choice.criteria if choice.criteria is not None else draft.criteria
    if "[" in criteria:
        raise InvalidInput(
            "criteria",
            criteria,
            "still has [brackets] to complete: say what counts and whose report settles it",
        )
    question_draft = QuestionDraft.parse(
        title=choice.title or draft.title,
        criteria=criteria,
        close=close,
        tags=list(choice.tags) if choice.tags is not None else list(draft.tags),
        now=repository.clock(),
    )
    return repository.add_question(question_draft), True


def _chosen_question(repository: Repository, draft: Draft, choice: Choice) -> Question:
    """The stored question ``--to`` names, when the draft has judgments to attach to it."""
    if choice.new:
        raise InvalidInput("new", True, "contradicts --to; give one")
    if not draft.judgments:
        raise InvalidInput(
            "to", choice.to, f"has nothing to attach: draft {draft.number} only raises a question"
        )
    return repository.question(ref=choice.to)  # type: ignore[arg-type]
