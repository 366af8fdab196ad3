"""Leads: sentences that raise a question without judging its chance. Someone's stated
intention is a signpost worth asking about: "Trump has expressed interest in meeting Kim"
raises "Will Trump meet Kim?", and "Kim was determined to make the combat sub-units ...
participate in the war" raises whether he will. A lead has no probability to log; it gives a
draft question (:mod:`forecasts.suggest`) and the quote that raised it.

Sentences with a judgment of their own are left to the judgment, and direct questions and
page furniture are skipped, as in detection.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from forecasts.detect import (
    _ASKS,
    _CLAUSE_END,
    _CLAUSE_START,
    _NAME_WORD,
    Detection,
    SentencePhrase,
    _expand,
    _full_names,
    name_words,
    sentences,
)
from forecasts.furniture import Span

_INTENT = re.compile(
    r"\b(?:(?:is|are|was|were|remains?|seemed|seems|appears?)\s+)?"
    r"(?:determined|resolved|intent|eager|keen|planning|preparing|seeking|aiming|vowing|"
    r"pledging|threatening)\s+to\b"
    r"|\b(?:intends?|intended|plans|planned|aims|aimed|vows?|vowed|pledges?|pledged|"
    r"promises|promised|threatens?|threatened|hopes|hoped|seeks|sought)\s+to\b"
    r"|\b(?:express(?:es|ed)?|voiced|voices|signall?ed|signals|showed|shown|shows)\s+"
    r"(?:(?:an?|its|his|her|their|some|strong|keen|renewed|new)\s+)*"
    r"(?:interest|willingness|readiness|intention|desire)\s+(?:in|to)\b"
    r"|\b(?:is|are|was|were)\s+(?:considering|weighing|mulling|exploring)\b",
    re.IGNORECASE,
)
_PRONOUNS = frozenset({"He", "She", "It", "They", "We"})
_SAID_AFTER = re.compile(r",\s[^,]{0,60}?\b(?:said|says|added|told|noted|wrote)\b.*$")
_NAME = re.compile(rf"(?<![\w-]){_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}(?![\w-])")


@dataclass(frozen=True)
class Lead(SentencePhrase):
    """A stated intention: its sentence, the phrase that states it, who intends (when the
    sentence names them) and what they intend."""

    who: str | None
    event: str


def leads(
    text: str, furniture: Sequence[Span] = (), detections: Sequence[Detection] = ()
) -> list[Lead]:
    """The stated intentions of ``text`` outside ``furniture``, in reading order, save in
    sentences that hold one of ``detections`` (their judgment raises the question)."""
    judged = {d.sentence_start for d in detections}
    names = _full_names(text)
    found = []
    for sentence in sentences(text, furniture):
        if sentence.start in judged or _ASKS.search(sentence.text):
            continue
        for match in _INTENT.finditer(sentence.text):
            event = _intended(sentence.text, match.end())
            if len(event.split()) < 2:
                continue  # "plans to." says too little to ask about
            who = _subject(sentence.text[: match.start()])
            found.append(
                Lead(
                    sentence_start=sentence.start,
                    sentence_end=sentence.end,
                    sentence=sentence.text,
                    phrase_start=sentence.start + match.start(),
                    phrase_end=sentence.start + match.end(),
                    phrase=match.group(),
                    who=_expand(who, names) if who else None,
                    event=event,
                )
            )
            break  # one lead a sentence: its first intention
    return found


def _intended(sentence: str, start: int) -> str:
    """What is intended: the words after the phrase, to the end of their clause, without
    a speaker named after it ("..., a spokesman said")."""
    end = _CLAUSE_END.search(sentence, start)
    words = sentence[start : end.start() if end else len(sentence)]
    return _SAID_AFTER.sub("", words).strip(' \t,.;:“”"')


def _subject(before: str) -> str | None:
    """Who intends: the first name in the clause before the phrase, or in the nearest clause
    before it that says anything ("media added that Kim was" gives Kim)."""
    cuts = [0, *(m.end() for m in _CLAUSE_START.finditer(before))]
    for begin, end in reversed(list(zip(cuts, [*cuts[1:], len(before)], strict=True))):
        clause = before[begin:end]
        if not clause.strip(" “”\"'"):
            continue
        for match in _NAME.finditer(clause):
            words = name_words(match.group())
            if words and words[0] in _PRONOUNS:
                return words[0].lower()  # "He is threatening to": he, named before
            if words:
                return " ".join(words)
        return None
    return None
