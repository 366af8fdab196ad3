"""Question drafts from an article's judgments: the statements about one event grouped
together, a draft question for each (title, close date, a criteria template, tags), every
judgment ready to log with its quote, and the stored questions that may already ask it.
Stated intentions (:mod:`forecasts.leads`) raise questions too, with no judgment to log.

Grouping and matching compare words (TF-IDF over stems, :mod:`forecasts.similar`), offline
and quick; the close date comes from the sentences' deadlines read against the article's
publication date (:mod:`forecasts.when`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from forecasts.detect import Detection, _expand, _full_names, quote_span
from forecasts.kinds import ForecasterKind
from forecasts.leads import Lead
from forecasts.similar import Likeness, match_forecaster, terms
from forecasts.when import Deadline, deadline

SAME_EVENT = 0.35
"""TF-IDF likeness at which two judgments' events are taken as one event."""
MATCH = 0.15
"""Likeness at which a stored question is offered as asking the draft's question already
(chosen on the seed corpus: see docs/estimative-language.md)."""
MATCHES = 3
"""Stored questions offered per draft, the likest first."""
MIN_TERMS = 2
"""Words of meaning an event needs to make a question ("mean demands" does not)."""


@dataclass(frozen=True)
class Candidate:
    """A stored question a draft may duplicate: what the draft is compared with."""

    id: int
    title: str
    tags: tuple[str, ...]
    open_at_publication: bool
    asked_by_publication: bool = True  # it was stored by the day the article came out
    options: str = ""  # a scenario set's options and their narratives, as one text

    def compared_terms(self) -> list[str]:
        """What a draft is compared with: the terms of the title, of the tags' words and of
        the options with their narratives (a scenario set asks its question in them)."""
        found = terms(self.title)
        for tag in self.tags:
            found.extend(_tag_terms(tag))
        return found + terms(self.options) if self.options else found


@functools.cache
def _tag_terms(tag: str) -> tuple[str, ...]:
    """A tag's terms, worked out once: many questions share a tag."""
    return tuple(terms(tag.replace("-", " ")))


@dataclass(frozen=True)
class Judgment:
    """One detected judgment, ready to log: its quote, phrase, reading and forecaster."""

    detection: Detection
    quote_start: int
    quote: str
    forecaster: str
    known: bool  # the forecaster is stored already
    kind: ForecasterKind  # the kind a new forecaster is created as

    @property
    def probability(self) -> float:
        return self.detection.reading.probability


@dataclass(frozen=True)
class Draft:
    """A question the article raises, with its judgments and the stored questions like it."""

    number: int
    title: str
    event: str
    close_on: date | None
    close_words: str | None
    criteria: str
    tags: tuple[str, ...]
    judgments: tuple[Judgment, ...]
    matches: tuple[tuple[int, float], ...]  # (question id, likeness), the likest first
    leads: tuple[Lead, ...] = ()  # stated intentions that raise the question too


def suggest(
    text: str,
    detections: Sequence[Detection],
    *,
    published: date,
    outlet: str = "",
    author: str = "",
    forecasters: Sequence[str] = (),
    quoted: Sequence[str] = (),
    questions: Sequence[Candidate] = (),
    leads: Sequence[Lead] = (),
) -> list[Draft]:
    """Drafts for the judgments ``detections`` and the stated intentions ``leads`` found in
    ``text``, in the order the article raises them. ``forecasters`` are the stored names (a
    judgment's attribution is matched to one, or a new one is proposed), ``quoted`` those
    already quoted from this source, and ``questions`` the stored questions each draft is
    compared with."""
    names = _full_names(text)
    usable = [item for item in [*detections, *leads] if len(terms(item.event)) >= MIN_TERMS]
    titles = Likeness.of_terms([q.compared_terms() for q in questions])  # once for every draft
    drafts = []
    for number, group in enumerate(_groups(usable), start=1):
        judged = [item for item in group if isinstance(item, Detection)]
        raised = tuple(item for item in group if isinstance(item, Lead))
        event = _main_event(judged or raised)
        title = question_title(event, names) if judged else lead_title(raised[0])
        close = _latest_deadline(group, published)
        close_on = close.day if close else None
        matches = _matches(title, group, questions, titles)
        tags = _tags(matches, questions)
        judgments = tuple(
            _judgment(d, detections, forecasters, quoted, outlet=outlet, author=author)
            for d in judged
        )
        drafts.append(
            Draft(
                number=number,
                title=title,
                event=event,
                close_on=close_on,
                close_words=close.words if close else None,
                criteria=criteria_template(title, close_on),
                tags=tags,
                judgments=judgments,
                matches=matches,
                leads=raised,
            )
        )
    return drafts


def _latest_deadline(group: Sequence[Detection | Lead], published: date) -> Deadline | None:
    """The latest deadline the group's sentences name, read against the publication date."""
    found = (deadline(item.sentence, published) for item in group)
    return max((f for f in found if f is not None), key=lambda f: f.day, default=None)


def _groups(items: Sequence[Detection | Lead]) -> list[list[Detection | Lead]]:
    """The judgments and leads joined where their events are alike (single link), each
    group in reading order, the groups in the order of their first statement."""
    ordered = sorted(items, key=lambda item: item.phrase_start)
    events = [item.event for item in ordered]
    alike = Likeness(events)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, event in enumerate(events):
        scores = alike.scores(event)
        for j in range(i + 1, len(events)):
            if scores[j] >= SAME_EVENT:
                parent[root(j)] = root(i)
    grouped: dict[int, list[Detection | Lead]] = {}
    for i, item in enumerate(ordered):
        grouped.setdefault(root(i), []).append(item)
    return sorted(grouped.values(), key=lambda g: g[0].phrase_start)


def _main_event(group: Sequence[Detection | Lead]) -> str:
    """The event the group is about, as its fullest statement says it."""
    return max((d.event for d in group), key=lambda e: (len(terms(e)), -len(e)))


def _matches(
    title: str, group: Sequence[Detection | Lead], questions: Sequence[Candidate], titles: Likeness
) -> tuple[tuple[int, float], ...]:
    """The stored questions most like what the group says (its title, events and
    sentences against each question's wording): those still open when the article was
    published first, and among them those already asked by then."""
    if not questions:
        return ()
    said = " ".join([title, *(d.event for d in group), *(d.sentence for d in group)])
    scores = titles.scores(said)
    ranked = sorted(
        ((score, q) for score, q in zip(scores, questions, strict=True) if score >= MATCH),
        key=lambda pair: (
            not pair[1].open_at_publication,
            not pair[1].asked_by_publication,
            -pair[0],
        ),
    )
    return tuple((q.id, round(score, 6)) for score, q in ranked[:MATCHES])


def _tags(matches: Sequence[tuple[int, float]], questions: Sequence[Candidate]) -> tuple[str, ...]:
    """The tags of the likest stored question, for a draft to start from."""
    if not matches:
        return ()
    by_id = {q.id: q for q in questions}
    return by_id[matches[0][0]].tags


_GROUP_WORDS = re.compile(
    r"^(?:experts?|observers?|analysts?|officials?|diplomats?|others?|some|critics|sources|"
    r"intelligence officials)$",
    re.IGNORECASE,
)
_ORGANISATION_WORDS = re.compile(
    r"\b(?:ministry|media|agency|government|kremlin|office|council|command|army|"
    r"intelligence|reports?|institute)\b",
    re.IGNORECASE,
)


def _judgment(
    detection: Detection,
    detections: Sequence[Detection],
    forecasters: Sequence[str],
    quoted: Sequence[str],
    *,
    outlet: str,
    author: str,
) -> Judgment:
    start, end = quote_span(detection, detections)
    quote = detection.sentence[start - detection.sentence_start : end - detection.sentence_start]
    lead = len(quote) - len(quote.lstrip())
    stored = match_forecaster(detection.attribution, forecasters, outlet=outlet, quoted=quoted)
    if stored is not None:
        name, known, kind = stored, True, ForecasterKind.PERSON
    else:
        name, kind = proposed_forecaster(detection.attribution, outlet=outlet, author=author)
        known = name in forecasters
    return Judgment(detection, start + lead, quote.strip(), name, known, kind)


def proposed_forecaster(
    attribution: str | None, *, outlet: str, author: str
) -> tuple[str, ForecasterKind]:
    """Who a judgment is logged for when no stored forecaster matches: the person named; a
    group as cited by the outlet ("Experts cited by The Korea Herald"); the article's writer
    when the sentence names no one."""
    if not attribution:
        if author:
            return author, ForecasterKind.PERSON
        return (
            f"Writer for {outlet}" if outlet else "Writer of the article"
        ), ForecasterKind.PERSON
    if _GROUP_WORDS.match(attribution):
        words = attribution[0].upper() + attribution[1:]
        return (f"{words} cited by {outlet}" if outlet else words), ForecasterKind.GROUP
    if _ORGANISATION_WORDS.search(attribution):
        return attribution, ForecasterKind.ORGANISATION
    return attribution, ForecasterKind.PERSON


# Titles and criteria ---------------------------------------------------------------------

_LEAD = re.compile(
    r"^(?:(?:that|whether|if|and|or|but|so|of|for|to|the\s+fact\s+that|as|because|since|"
    r"while|although|though|unless)\s+|"
    r"(?:my|our)\s+assessment\s+is\s+that\s+|we\s+(?:assess|judge)\s+that\s+|"
    r"(?:I|we)\s+(?:think|expect|believe|suspect)\s+(?:that\s+)?)+",
    re.I,
)
_SUBORDINATE = re.compile(
    r"^(?:While|Although|Though|As|If|Initially|Despite|Since|When|Given|Whereas)\b[^,]*,\s+"
)
_MODAL = re.compile(
    r"^(?P<subject>.+?)\s+(?:will|would|could|may|might|can|should|"
    r"(?:is|are|was|were)\s+(?:not\s+)?(?:likely|unlikely|expected|set|due|poised|going)\s+to)"
    r"\s+(?:also\s+|still\s+|likely\s+|soon\s+|eventually\s+|instead\s+)?(?P<rest>\w.*)$"
)
# "Trump meeting Kim is unlikely": the judgment's own words after its event
_LIKELY_AFTER = re.compile(
    r"\s+(?:is|are|was|were|seems?|looks?|remains?|appears?)\s+"
    r"(?:(?:very|highly|quite|rather|increasingly|most|more|less|not)\s+)*(?:un)?likely$"
)
_LEADING_MODAL = re.compile(r"^(?:will|would|could|may|might|can|should)\s+")
_SMALL_WORDS = frozenset({"The", "This", "That", "These", "Those", "Such", "Its", "Their", "A"})
_SMALL_WORDS |= {"An", "Any", "Most", "Many", "Some", "Neither", "Both"}
_GERUND = re.compile(r"^(?P<subject>(?:[A-Z][\w’'.-]*\s+){1,4}?)(?P<verb>[a-z]+ing)\b(?P<rest>.*)$")
_VERB_FIRST = re.compile(r"^(?P<verb>[a-z]+)\s+(?P<rest>.*)$")
_NOT_VERBS = frozenset({"a", "an", "the", "further", "more", "its", "their", "his", "her"})


def question_title(event: str, names: Sequence[str] = ()) -> str:
    """A yes-or-no question from an event as the article states it: "Kim attending Russia's
    May 9 Victory Day celebrations" asks "Will Kim Jong-un attend Russia's May 9 Victory Day
    celebrations?"; "North Korea would send more troops" asks "Will North Korea send more
    troops?"; a thing ("further deployments") asks "Will there be further deployments?"."""
    text = _SUBORDINATE.sub("", " ".join(event.split()).rstrip(" .,;:"))
    text = _LEAD.sub("", text).strip()
    text = _LIKELY_AFTER.sub("", text)
    if not text:
        return "Will it happen?"
    if (bare := _LEADING_MODAL.sub("", text)) != text:
        return _asked(f"Will they {bare}")  # the subject is in the sentence before
    if (found := _MODAL.match(text)) is not None:
        subject = _subject(found["subject"], names)
        return _asked(f"Will {subject} {found['rest']}")
    if (found := _GERUND.match(text)) is not None:
        subject = _subject(found["subject"].strip(), names)
        return _asked(f"Will {subject} {_base(found['verb'])}{found['rest']}")
    if re.match(r"^[a-z]+\s+of\b", text):  # "transfer of military technology": a thing
        return _asked(f"Will there be {'an' if text[0] in 'aeiou' else 'a'} {text}")
    first = _VERB_FIRST.match(text)
    if first is not None and first["verb"] not in _NOT_VERBS and not first["verb"].endswith("s"):
        return _asked(f"Will they {text}")
    return _asked(f"Will there be {text}")


def lead_title(lead: Lead) -> str:
    """The question a stated intention raises: "Trump has expressed interest in meeting Kim"
    asks "Will President Donald Trump meet Kim?"."""
    act = lead.event
    if (found := re.match(r"([a-z]+ing)\b", act)) is not None:
        act = _base(found.group(1)) + act[found.end() :]
    return _asked(f"Will {lead.who or 'they'} {act}")


def _subject(words: str, names: Sequence[str]) -> str:
    """A subject with a surname given in full, as the article names the person."""
    words = words.strip()
    if " " not in words and words[:1].isupper() and words not in _SMALL_WORDS:
        return _expand(words, list(names))
    first, _, rest = words.partition(" ")
    if first in _SMALL_WORDS:
        return " ".join((first.lower(), rest)).strip()
    return words


def _asked(question: str) -> str:
    return question.rstrip(" .,;:?") + "?"


def _base(verb: str) -> str:
    """The plain form of an -ing verb: attending -> attend, making -> make, running -> run."""
    stem = verb[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if re.search(
        r"(?:[^aeiou][aeiou][kvzcsg]|(?:ai|oi|ea|au)[vzcsg])$", stem
    ) and not stem.endswith(("ss", "ck")):
        return stem + "e"
    return stem


def criteria_template(title: str, close: date | None) -> str:
    """Resolution criteria to complete: the question, the deadline, and brackets for what
    the user must decide (what counts, and whose report settles it)."""
    by = f"{close.day} {close:%B %Y}" if close else "[the close date]"
    return (
        f"Resolves yes if [the source that settles it] reports by {by} that the answer to "
        f'"{title}" is yes; no otherwise. [What counts: ...]'
    )
