"""Estimative-language detection: find the sentences of a text that carry a judgment of
likelihood, the phrase that carries it, who the sentence attributes it to, the event it is
about, and the probability the phrase maps to on a scale.

Pure text processing on the standard library. Offsets are character positions in the text
given, so a detection's span can be quoted exactly from the stored source. Furniture spans
(cookie notices, headline lists) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from forecasts.errors import InvalidInput
from forecasts.furniture import Span, in_furniture
from forecasts.stated import stated
from forecasts.verbal import (
    DEFAULT_SCALE,
    LEXICON,
    Reading,
    Scale,
    Settings,
    Variant,
    _compiled,
    negated_before,
    read,
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class SentencePhrase:
    """A phrase found in a sentence, each with its span in the text."""

    sentence_start: int
    sentence_end: int
    sentence: str
    phrase_start: int
    phrase_end: int
    phrase: str


@dataclass(frozen=True)
class Detection(SentencePhrase):
    """One estimative span: its sentence, phrase, attribution, event and reading."""

    attribution: str | None
    event: str
    reading: Reading

    @property
    def negated(self) -> bool:
        return self.reading.negated


# Sentences -----------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "vs", "etc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.n", "u.k", "a.m", "p.m", "inc", "corp", "ltd", "jr", "sr",
}  # fmt: skip
# A sentence ends before a capital or a figure, not before a forecaster's "(60%)".
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])(?!\s+\(\s*\d{1,3}(?:\.\d+)?\s?%)"
)


def sentences(text: str, furniture: Sequence[Span] = ()) -> list[Sentence]:
    """Split ``text`` into sentences with their offsets, leaving furniture out."""
    found: list[Sentence] = []
    paragraph = 0
    position = 0
    for raw in text.splitlines(keepends=True):
        line_start, line_end = position, position + len(raw.rstrip("\r\n"))
        position += len(raw)
        if not text[line_start:line_end].strip():
            continue
        paragraph += 1
        for start, end in _split_line(text, line_start, line_end):
            if in_furniture(tuple(furniture), start, end):
                continue
            found.append(Sentence(start, end, text[start:end], paragraph))
    return found


def _split_line(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    line = text[start:end]
    cut = 0
    for match in _BOUNDARY.finditer(line):
        head = line[cut : match.start()]
        last_word = re.search(r"([\w.]+)[.!?]$", head.rstrip('"”’)]'))
        if last_word and last_word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if last_word and re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?", last_word.group(1) + "."):
            continue  # initials such as "U.S." inside a sentence
        yield from _trimmed(line, cut, match.end(), start)
        cut = match.end()
    yield from _trimmed(line, cut, len(line), start)


def _trimmed(line: str, a: int, b: int, offset: int) -> Iterable[tuple[int, int]]:
    piece = line[a:b]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if piece.strip():
        yield offset + a + lead, offset + b - trail


# Attribution ---------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z]+(?:-[a-z]+)?(?:-[A-Z]?[a-z]+)?"
_NOT_NAMES = {
    "However", "The", "This", "That", "These", "Those", "But", "And", "If", "In", "On", "At",
    "Meanwhile", "While", "Such", "It", "Its", "Since", "Given", "Had", "Now", "So", "As",
    "Both", "Neither", "Many", "Most", "Some", "Yesterday", "Today", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Attention", "Initially",
    "Despite", "Similar", "First", "Second", "Rather", "Nevertheless", "Nonetheless", "Still",
    "Yet", "Indeed", "Instead", "Moreover", "Furthermore", "Additionally", "Overall", "Thus",
    "Therefore", "Also", "Again", "Earlier", "Later", "Last", "Next", "Even", "Although",
    "To", "For", "From", "With", "By", "Of", "After", "Before", "Over", "Under", "Amid",
}  # fmt: skip
_GROUPS = (
    r"experts|observers|analysts|officials|diplomats|others|some|critics|sources|"
    r"economists|forecasters|meteorologists|traders|investors|pollsters|strategists|"
    r"scientists|researchers|insiders|negotiators|markets|the\s+market|"
    r"(?:the|a|one|another)\s+(?:senior\s+|chief\s+|top\s+)?(?:strategist|analyst|economist|"
    r"official|diplomat|spokes(?:man|woman|person)|expert|forecaster|pollster|agency|bureau|"
    r"cent(?:er|re)|union|committee|panel|ministry)|"
    r"intelligence\s+officials|south\s+korean\s+intelligence(?:\s+agencies)?|"
    r"ukrainian\s+reports|state\s+media|the\s+kremlin|seoul\s+and\s+washington"
)
_VERBS = (
    r"agreed?|agrees|said|says|say|told|noted|notes|note|warned|warns|warn|assessed|assesses|"
    r"observed|argued|argues|believes?|believed|expects?|expected|pointed\s+out|expressed|"
    r"viewed|view|underscored|estimated?|estimates|predicted|cautioned|added|stressed|"
    r"claimed|suggested|reported|indicated|confirmed|voiced|speculated?|feared|fear|"
    r"puts?|placed?|places|pegs?|pegged|anticipates?|anticipated|think|thinks|thought|"
    r"predicts?|forecasts?|reckons?|suspects?|downplayed|played\s+down|opined|"
    r"continues?\s+to\s+see|sees?\s+(?:an?|the|little|no|only|\d)"
)
_ROLES = (
    r"a|an|the|vice|professor|senior|research|director|head|chief|spokes\w+|president|"
    r"minister|analyst|fellow|researcher|former|deputy|adviser|advisor|editor|lecturer"
)
_ATTRIBUTION = re.compile(
    rf"(?P<who>(?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,3}}|(?i:{_GROUPS}))"
    rf"(?:,\s(?:{_ROLES})\b[^,“”\"]{{0,120}}?,?)?\s+"
    r"(?:also\s+|further\s+|have\s+|has\s+|had\s+|now\s+|still\s+|widely\s+)?"
    rf"(?:repeatedly\s+)?(?i:{_VERBS})\b"
)
# "..., said Victor Cha", "..., said one strategist": the speaker after the verb
_SAID_BY = re.compile(
    r"(?:[,\"”’]\s*|\s)(?:said|says|added|noted|warned|cautioned|wrote)\s+"
    rf"(?P<who>(?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,3}}|(?i:{_GROUPS}))\b"
)
_ACCORDING = re.compile(rf"according\s+to\s+(?P<who>(?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,3}})")
_CONFIRMED_BY = re.compile(
    r"(?P<who>(?:China|Russia|North Korea|South Korea|Ukraine)[’']s\s+"
    r"(?:foreign|defense|defence)\s+ministry)\s+confirmed",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Speaker:
    """Who a sentence says is speaking, and where the words naming them stand in it (the
    whole sentence when the speaker was named in the paragraph around it)."""

    who: str
    start: int
    end: int


def _speaker_in(text: str) -> _Speaker | None:
    """Who ``text`` says is speaking ("Cha said", "experts agree"), if anyone."""
    for rule in (_CONFIRMED_BY, _ACCORDING, _ATTRIBUTION, _SAID_BY):
        position = 0
        while (match := rule.search(text, position)) is not None:
            words = name_words(match.group("who"))
            if words:
                return _Speaker(" ".join(words), match.start(), match.end())
            position = match.start("who") + 1  # "However, experts agree": try again past it
    return None


def name_words(found: str) -> list[str]:
    """The words of a name found in text, without the capitalised words before it that are
    no names ("However", "Moreover", "To")."""
    words = found.split()
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    return words


def _speaker(text: str) -> str | None:
    found = _speaker_in(text)
    return found.who if found is not None else None


# Where the writer takes the word back from the speaker: "Wall Street expects a cut, so the
# shares will probably fall"; "analysts expect a deal; I think it is unlikely".
_TURN = re.compile(
    r"[,;]\s+(?i:and\s+)?(?i:so|therefore|thus|hence|consequently)\b|"
    r"[,;]?\s+(?i:but|yet|though|although|and)\s+(?:I|we|We)\b|;\s"
)


def _speaks_for(speaker: _Speaker, sentence: str, start: int, end: int) -> bool:
    """Whether the speaker's words reach the phrase at ``start:end``: no turn back to the
    writer stands between them."""
    if speaker.start < 0:
        return True  # named around the sentence, which is a quotation of theirs
    if start >= speaker.end:
        between = sentence[speaker.end : start]
    elif end <= speaker.start:
        between = sentence[end : speaker.start]
    else:
        return True  # the phrase is the speaker's own verb ("analysts expect")
    return _TURN.search(between) is None


def _full_names(text: str) -> list[str]:
    names = re.findall(rf"(?<![\w-])({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})(?![\w-])", text)
    return [n for n in names if n.split()[0] not in _NOT_NAMES]


def _expand(who: str, names: list[str]) -> str:
    if " " in who or who.islower() or who[0].islower():
        return who
    for name in names:
        parts = name.split()
        if who in (parts[0], parts[-1]):
            return name
    return who


# Detection -----------------------------------------------------------------------------

_CLAUSE_START = re.compile(
    r"(?:[;:—–“\"(]|,\s|\bthat\s|\bwhether\s|,\s(?:so|therefore|thus|hence)\s)"
)
_JOINERS = (
    r"and|but|or|nor|which|who|whom|whose|where|when|noting|while|though|although|as|"
    r"including|instead|saying|citing|according|observers|experts|analysts|officials|"
    r"he|she|they|it|we|i|this|that|with|without|so|therefore|thus|hence|yet"
)
# A clause ends at punctuation (not the dots of "U.S."), at a joining word, or at a comma
# unless a lowercase word continues the phrase ("a deeper, long-term alliance").
_CLAUSE_END = re.compile(
    rf"(?:[;:—–”\"()!?]|\.\s*$|,\s(?![a-z][\w-]*\b)(?!\d)|,\s(?=(?:{_JOINERS})\b)|"
    r"\s(?:noting|though|although|while|but|which|saying|citing|according)\b)"
)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    variant: Variant | None
    fixed: Reading | None
    event: tuple[int, int] | None
    rank: int = 0  # among phrases of one length: the user's (-2), then numbers (-1)


def _lexicon_hits(sentence: str) -> Iterable[_Hit]:
    """Every use of a lexicon phrase in ``sentence``: not the month, not a look-alike the
    phrase's entry names, not a word spoken of in quotation marks."""
    for variant in LEXICON:
        for match in variant.regex.finditer(sentence):
            if (
                _is_month(sentence, match)
                or variant.excluded(sentence[: match.start()], sentence[match.end() :])
                or _mentioned(sentence, match.start(), match.end())
            ):
                continue
            event = match.span("event") if "event" in variant.regex.groupindex else None
            yield _Hit(match.start(), match.end(), variant, None, event)


def _hits(sentence: str, settings: Settings) -> list[_Hit]:
    candidates: list[_Hit] = list(_lexicon_hits(sentence))
    for item in stated(sentence):
        candidates.append(_Hit(item.start, item.end, None, item.reading, None, rank=-1))
    for phrase, reading in settings.phrases.items():
        pattern = r"\s+".join(re.escape(word) for word in phrase.split())
        for match in _compiled(pattern).finditer(sentence):
            candidates.append(_Hit(match.start(), match.end(), None, reading, None, rank=-2))
    # Longest first; among equals, the user's phrases, then numbers, then the lexicon's order.
    order = {id(v): i for i, v in enumerate(LEXICON)}
    candidates.sort(
        key=lambda h: (-(h.end - h.start), h.rank if h.variant is None else order[id(h.variant)])
    )
    chosen: list[_Hit] = []
    for hit in candidates:
        if all(hit.end <= other.start or hit.start >= other.end for other in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


_MONTH_BEFORE = re.compile(
    r"\b(?:in|on|of|since|until|till|by|through|from|to|last|next|this|early|mid|late|end|"
    r"during|before|after|between|and|or)\s*$",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"\s+(?:[A-Z][a-z]+|[A-Z]{2,})\b")


def _is_month(sentence: str, match: re.Match[str]) -> bool:
    """ "May 9" or "in May" is the month, not the modal verb; in a headline's title case
    ("Neves May Make Runoff") a capitalised verb after it makes it the verb."""
    word = match.group()
    if word.lower() != "may":
        return False
    after = sentence[match.end() :]
    if re.match(r"\s*\d", after):
        return True
    if word != "May" or match.start() == 0:
        return False
    before = sentence[: match.start()]
    return bool(_MONTH_BEFORE.search(before)) or not _TITLE_WORD.match(after)


# "terms such as "likely"", "the word "unlikely"", ""probably" and "likely"": a word named,
# not used
_MENTION_BEFORE = re.compile(
    r"\b(?:terms?|words?|phrases?|expressions?|such\s+as|uses?|using|like|called)\s*[,:]?\s*$"
    r"|[\"”’]\s*,?\s*(?:and|or)\s*$",
    re.IGNORECASE,
)


def _mentioned(sentence: str, start: int, end: int) -> bool:
    """Whether the phrase stands alone in quotation marks as a word spoken of."""
    before, after = sentence[:start], sentence[end:]
    if not before.endswith(('"', "“", "‘", "'")) or not re.match(r"[,.]?[\"”’']", after):
        return False
    rest = re.sub(r"^[,.]?[\"”’']", "", after)
    return bool(_MENTION_BEFORE.search(before[:-1])) or bool(
        re.match(r"\s*,?\s*(?:and|or)\s+[\"“‘']", rest, re.IGNORECASE)
    )


def _event(sentence: str, hit: _Hit) -> tuple[int, int]:
    if hit.event is not None:
        return hit.event
    ends = [m.start() for m in _CLAUSE_END.finditer(sentence, hit.end)]
    end = ends[0] if ends else len(sentence)
    if _wraps(hit):
        begin = hit.end
    else:
        starts = [m.end() for m in _CLAUSE_START.finditer(sentence, 0, hit.start)]
        begin = starts[-1] if starts else 0
    text = sentence[begin:end]
    lead = len(text) - len(text.lstrip("-–•* \t"))
    return begin + lead, begin + len(text.rstrip(" \t,.;:"))


def _gives_way(
    sentence: str, hit: _Hit, hits: list[_Hit], event_start: int, event_end: int
) -> bool:
    """Whether a frame ("I think", "analysts expect") has a phrase of its own inside its
    event and clause, which is then the judgment: "I think a deal is unlikely"."""
    if hit.variant is None or not hit.variant.frame:
        return False
    return any(
        other is not hit
        and (other.variant is None or not other.variant.frame)
        and event_start <= other.start
        and other.end <= event_end
        and "," not in sentence[hit.end : other.start]
        and _NEW_CLAUSE.search(sentence, hit.end, other.end) is None
        for other in hits
    )


# "Fully expect them to be in the mix and wouldn't shock me if ...": a second clause, joined
# by "and" with its own verb, holds a judgment of its own beside the frame's
_NEW_CLAUSE = re.compile(
    r"\band\s+(?:would|wouldn[’']t|will|won[’']t|could|couldn[’']t|should|might|may|can|"
    r"can[’']t|cannot)\b"
)


# A number that names its event after it: "a 20% chance weather could scrub the launch".
_NAMES_ITS_EVENT = re.compile(
    r"(?:chances?|probability|likelihood|odds|risk|possibility|prospect)$", re.IGNORECASE
)


@dataclass
class _Spans:
    """What the phrases kept so far in a sentence hold: the events whose phrases are part
    of them, and the events of frames."""

    covered: list[tuple[int, int]] = field(default_factory=list)
    framed: list[tuple[int, int]] = field(default_factory=list)

    def passes_over(self, sentence: str, hit: _Hit) -> bool:
        """Whether ``hit`` is part of an earlier phrase's event (unless it opens a part of
        its own), or a frame inside an earlier frame ("I don't think he believes ...")."""
        if _inside(hit, self.covered) and not _COORDINATE.search(sentence, 0, hit.start):
            return True
        return _is_frame(hit) and _inside(hit, self.framed)

    def record(self, sentence: str, hit: _Hit, event_start: int, event_end: int) -> None:
        if _is_frame(hit):
            self.framed.append((event_start, event_end))
        if hit.variant is not None and hit.event is None and _wraps(hit) and _covers(hit.variant):
            self.covered.append((event_start, event_end))
        elif hit.event is not None:
            self.covered.append((hit.start, hit.end))
        elif hit.fixed is not None and _NAMES_ITS_EVENT.search(sentence, 0, hit.end):
            self.covered.append((hit.end, event_end))  # "a 20% chance weather could scrub it"


def _inside(hit: _Hit, spans: list[tuple[int, int]]) -> bool:
    return any(a <= hit.start and hit.end <= b for a, b in spans)


def _is_frame(hit: _Hit) -> bool:
    return hit.variant is not None and hit.variant.frame


def _covers(variant: Variant) -> bool:
    """Whether phrases inside this phrase's event belong to it (a frame's stand alone)."""
    return variant.covers and not variant.frame


def _wraps(hit: _Hit) -> bool:
    """Whether the phrase introduces its event ("the prospect of ...")."""
    return hit.variant is not None and hit.variant.event_side == "after"


def scan(
    text: str,
    furniture: Sequence[Span] = (),
    *,
    scale: Scale | None = None,
    settings: Settings | None = None,
) -> list[Detection]:
    """Every estimative span in ``text`` outside ``furniture``, in reading order."""
    settings = settings or Settings()
    scale = scale or settings.scale or DEFAULT_SCALE
    names = _full_names(text)
    found: list[Detection] = []
    previous_speaker: dict[int, str | None] = {}
    paragraphs = _paragraph_texts(text)
    for sentence in sentences(text, furniture):
        hits = _hits(sentence.text, settings)
        if _ASKS.search(sentence.text):
            # "Do any other teams even have a small chance?" asks; it does not say. What a
            # sentence says before its question is still said ("I'm convinced we won't see a
            # decision, but who knows?")
            asked = _question_start(sentence.text)
            hits = [hit for hit in hits if hit.end <= asked]
            if not hits:
                continue
        speaker = _sentence_speaker(sentence, paragraphs, previous_speaker)
        if speaker is not None:
            speaker = _Speaker(_expand(speaker.who, names), speaker.start, speaker.end)
        found.extend(_detections(sentence, hits, speaker, scale))
    return found


_ASKS = re.compile(r"\?[\s”\"’')\]]*$")
"""A sentence that is a direct question: it asks how likely something is, and says nothing of
it ("Which games could the striker miss this month?", "How likely is an eruption?")."""
_QUESTION_OPENS = re.compile(r"[“\"]|,\s+(?:but|and|or|so)\s+|;\s+|,\s+(?=(?:why|how|what|who)\b)")


def _question_start(sentence: str) -> int:
    """Where a sentence's closing question starts: after the last quotation mark, clause
    joined by "but", "and" or "so", or semicolon before it; the whole sentence if none."""
    opens = [match.end() for match in _QUESTION_OPENS.finditer(sentence)]
    return opens[-1] if opens else 0


def _sentence_speaker(
    sentence: Sentence, paragraphs: dict[int, str], previous_speaker: dict[int, str | None]
) -> _Speaker | None:
    """Who speaks in the sentence: named in it, else in its quoting paragraph, else (for a
    paragraph that opens with a quotation) the previous paragraph's speaker. Records the
    paragraph's speaker for the next."""
    speaker = _speaker_in(sentence.text)
    paragraph_text = paragraphs.get(sentence.paragraph, "")
    if speaker is None and re.search(r"[“\"]", paragraph_text):
        who = _speaker(paragraph_text)
        if who is None and paragraph_text.lstrip().startswith(("“", '"')):
            who = previous_speaker.get(sentence.paragraph - 1)
        speaker = _Speaker(who, -1, -1) if who is not None else None
    previous_speaker[sentence.paragraph] = _speaker(paragraph_text) or (
        speaker.who if speaker is not None else None
    )
    return speaker


# A phrase that opens a part of its own inside another's event: "rain for the Bahamas and
# possibly Florida", "a turn to the north, possibly targeting New England".
_COORDINATE = re.compile(
    r"(?:,|\band|\bor|\bbut)\s+"
    r"(?:(?:will|would|could|may|might|is|are|was|were|quite|very|most|then)\s+){0,2}$"
)


def _detections(
    sentence: Sentence, hits: list[_Hit], speaker: _Speaker | None, scale: Scale
) -> list[Detection]:
    """The sentence's hits as detections; a phrase inside an earlier phrase's event is not
    a judgment of its own. Each is attributed to the sentence's speaker unless the writer
    takes the word back between them ("..., so the shares will probably fall")."""
    found: list[Detection] = []
    spans = _Spans()
    for hit in hits:
        if spans.passes_over(sentence.text, hit):
            continue
        event_start, event_end = _event(sentence.text, hit)
        if _gives_way(sentence.text, hit, hits, event_start, event_end):
            continue
        spans.record(sentence.text, hit, event_start, event_end)
        phrase = sentence.text[hit.start : hit.end]
        attribution = (
            speaker.who
            if speaker is not None and _speaks_for(speaker, sentence.text, hit.start, hit.end)
            else None
        )
        found.append(
            Detection(
                sentence_start=sentence.start,
                sentence_end=sentence.end,
                sentence=sentence.text,
                phrase_start=sentence.start + hit.start,
                phrase_end=sentence.start + hit.end,
                phrase=phrase,
                attribution=attribution,
                event=sentence.text[event_start:event_end],
                reading=_reading(sentence.text, hit, scale),
            )
        )
    return found


def _reading(sentence: str, hit: _Hit, scale: Scale) -> Reading:
    """A number's own reading, or the phrase's term on ``scale``, negated by the words
    before it."""
    if hit.fixed is not None:
        return hit.fixed
    assert hit.variant is not None
    negated = negated_before(sentence[: hit.start])
    return read(hit.variant, scale, negated=negated, phrase=sentence[hit.start : hit.end])


def _paragraph_texts(text: str) -> dict[int, str]:
    paragraphs: dict[int, str] = {}
    number = 0
    for line in text.splitlines():
        if line.strip():
            number += 1
            paragraphs[number] = line
    return paragraphs


def judgment_in_span(
    text: str,
    start: int,
    end: int,
    furniture: Sequence[Span] = (),
    *,
    scale: Scale | None = None,
    settings: Settings | None = None,
) -> Detection:
    """The one estimative phrase inside ``text[start:end]``, refusing none or several."""
    span = f"{start}-{end}"
    if not 0 <= start < end <= len(text):
        raise InvalidInput("span", span, f"is not inside the source (0-{len(text)})")
    if (mark := in_furniture(tuple(furniture), start, end)) is not None:
        raise InvalidInput("span", span, f"lies in page furniture ({mark.kind})")
    inside = [
        d
        for d in scan(text, furniture, scale=scale, settings=settings)
        if start <= d.phrase_start and d.phrase_end <= end
    ]
    if not inside:
        raise InvalidInput(
            "span", span, "holds no estimative phrase; give the probability yourself"
        )
    if len(inside) > 1:
        phrases = ", ".join(repr(d.phrase) for d in inside)
        raise InvalidInput(
            "span", span, f"holds {len(inside)} estimative phrases ({phrases}); narrow it to one"
        )
    return inside[0]


def quote_span(detection: Detection, detections: Sequence[Detection]) -> tuple[int, int]:
    """The span to quote for a detection: its sentence, or its phrase and event when the
    sentence holds other estimative phrases too."""
    shared = [d for d in detections if d.sentence_start == detection.sentence_start]
    if len(shared) == 1:
        return detection.sentence_start, detection.sentence_end
    event_start = detection.sentence_start + detection.sentence.find(detection.event)
    event_end = event_start + len(detection.event)
    return min(detection.phrase_start, event_start), max(detection.phrase_end, event_end)
