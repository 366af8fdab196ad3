"""Probabilities stated as numbers in prose: "a 30% chance", "60-70 percent likely", "one in
five", "odds of 3 to 1", "50/50", "a coin flip".

A stated number is read exactly, on no verbal scale: the reading's scale is ``stated``, its
term is the number as written in a normal form ("30%", "60-70%", "1 in 5", "3 to 1"), a
range is read as its midpoint with the range kept, and a bound ("more than 30%", "under
10%") as the bound itself with the range open on the side it names.

A percentage is a judgment only beside a word of likelihood ("chance", "probability",
"odds", "likely", "confident", "put the odds at"): "30% of the troops" is not one.

Odds follow the form the command line reads ("odds 1:6" is 1 for, 6 against): "odds of 3 to
1" is 3 for and 1 against, 75%, unless the text says "against", or speaks as bookmakers do of
a "100-to-1 shot" (or outsider), which are odds against.

Bookmakers' prices are odds against: "5/1" is 1 in 6, "1/2" (odds-on) 2 in 3, "12s" 12 to
1, and a decimal price "trading at 1.64" is 1 in 1.64. A bare price is read only where the
sentence speaks of betting ("favourite", "odds", "priced", "backed", a bookmaker's name), or
on a line of an odds list ("Jesse Marsch – 1/2"), so "24/7" or "1/3 of the way" is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from forecasts.verbal import Reading, _compiled

STATED = "stated"
"""The scale name of a reading taken from a number in the text."""

_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "a hundred": 100, "one hundred": 100, "thousand": 1000, "a thousand": 1000,
    "one thousand": 1000, "million": 1_000_000, "a million": 1_000_000,
    "one million": 1_000_000,
}  # fmt: skip
_COUNT = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|"
    + "|".join(sorted((w.replace(" ", r"\s+") for w in _WORDS), key=len, reverse=True))
    + ")"
)
_NUMBER = r"\d{1,3}(?:\.\d+)?"
_PERCENT_SIGN = r"(?:\s?%|[\s-]?per[\s-]?cent\b|\s?pct\b)"
_VALUE = (
    rf"(?P<low>{_NUMBER}){_PERCENT_SIGN}?\s?(?:-|–|—|to)\s?(?P<high>{_NUMBER}){_PERCENT_SIGN}"
    rf"|(?P<single>{_NUMBER}){_PERCENT_SIGN}"
)
_BOUND = (
    r"(?:(?P<bound>more\s+than|greater\s+than|better\s+than|higher\s+than|over|above|"
    r"at\s+least|no\s+less\s+than|less\s+than|lower\s+than|under|below|at\s+most|"
    r"no\s+more\s+than|up\s+to)\s+|(?P<symbol>[<>]=?|[≤≥])\s?)"
)
_SYMBOLS = {">": "more than", ">=": "at least", "≥": "at least", "<": "less than"}
_SYMBOLS |= {"<=": "at most", "≤": "at most"}
_HEDGE = (
    r"(?:(?:about|around|roughly|approximately|some|nearly|almost|perhaps|maybe|close\s+to|"
    r"something\s+like)\s+|~\s?)"
)
_QUALIFIED = rf"(?:{_BOUND}|{_HEDGE})?(?:{_VALUE})"
_NOUN = r"(?:chances?|probability|likelihood|odds|risk|possibility|prospect)"
_OPEN_ABOVE = {"more than", "greater than", "better than", "higher than", "over", "above"}
_OPEN_ABOVE |= {"at least", "no less than"}

# What may stand between a noun and its number: words, and figures that are no percentage
# ("the probability that the Fed will make a third 75-basis-point hike has jumped to 82%").
_GAP = r"(?:[^.;:!?%\d]|\d(?![\d.,]*\s?(?:%|per\s?cent\b|percent\b|pct\b)))"
_MOVED = (
    r"(?:has\s+|have\s+|had\s+)?(?:jumped|risen|rose|fallen|fell|climbed|dropped|increased|"
    r"decreased|zoomed|surged|slipped|moved|shifted|edged\s+(?:up|down))\s+to"
)
_PERCENT_FORMS = (
    # "a 30% chance", "an 80 percent likelihood", "60-70% probability"
    rf"(?:(?:a|an)\s+)?{_QUALIFIED}\s+{_NOUN}",
    # "70% likely", "90 percent sure", "I am 80% confident", a launch "70 percent 'go'"
    rf"{_QUALIFIED}\s+(?:likely|unlikely|probable|certain|sure|confident|[‘'\"“]?go\b[’'\"”]?)",
    # "the probability of a deal is 30%", "the odds stand at about 40%"
    # "the chance of a hike has risen to 53%", "the probability of holding is only 5.2%",
    # "this probability is nearing 90%"
    rf"(?:the\s+|a\s+|its\s+|their\s+)?{_NOUN}\s+(?:(?:of|that|for)\s+{_GAP}{{1,100}}?\s+)?"
    rf"(?:is|are|was|were|stands?\s+at|stood\s+at|remains?|to\s+be|at|{_MOVED})\s+"
    rf"(?:(?:now|therefore|thus|still|currently|only|just|nearing|approaching)\s+)?"
    rf"{_QUALIFIED}",
    # "raised its forecast for the chance of El Nino to 70 percent", "raise my estimate of a
    # recession to 50%"
    r"(?:raise[sd]?|raising|lower(?:s|ed)?|lowering|cut|cuts|lift(?:s|ed)?|increase[sd]?|"
    r"reduce[sd]?|trim(?:s|med)?)\s+(?:its|their|the|our|my|his|her)\s+"
    rf"(?:(?:forecast|estimate|outlook)\s+(?:for|of)\s+(?:the\s+)?{_NOUN}|{_NOUN}|"
    rf"forecast|estimate)\s+(?:of|that|for)\s+{_GAP}{{1,100}}?\s+to\s+{_QUALIFIED}",
    # "traders put a probability of greater than 60% on a hike"
    rf"(?:put|puts|putting|place[sd]?|placing|assign(?:s|ed)?|attach(?:es|ed)?)\s+(?:an?\s+)?"
    rf"{_NOUN}\s+of\s+{_QUALIFIED}",
    # "analysts put the chance of a cut at about 60%", "I'd put it at 30%"
    r"(?:put|puts|putting|place[sd]?|placing|estimate[sd]?|estimating|peg(?:s|ged)?|"
    r"rate[sd]?|rating)\s+(?:the\s+|its\s+|their\s+|my\s+|our\s+)?"
    rf"(?:{_NOUN}|it|this|that)\s+(?:{_GAP}{{1,100}}?\s+)?at\s+{_QUALIFIED}",
)
_RATIO_FORMS = (
    # "a one-in-five chance", "1 in 5 odds", "the odds are one in three"
    rf"(?:(?:a|an)\s+)?(?P<a>{_COUNT})[-\s]+in[-\s]+(?P<b>{_COUNT})\s+(?:{_NOUN}|shot)",
    rf"{_NOUN}\s+(?:are|is|were|was|of|at)\s+(?:{_HEDGE})?(?:just\s+|only\s+)?"
    rf"(?P<a>{_COUNT})[-\s]+in[-\s]+(?P<b>{_COUNT})",
    # "one chance in ten"
    rf"(?P<a>{_COUNT})\s+chances?\s+in\s+(?P<b>{_COUNT})",
)
_ODDS_FORMS = (
    # "odds of 3 to 1", "the odds are 3-to-1 against", "puts the odds of a deal at "2-1""
    rf"odds\s+(?:(?:of|that|for)\s+[^.;:!?%\d]{{1,100}}?\s+)?"
    r"(?:are|were|of|at|stand\s+at|stood\s+at)\s+[\"“]?"
    rf"(?:{_HEDGE})?(?P<a>{_COUNT})\s?(?:-to-|\s+to\s+|:|(?<=\d)-(?=\d))\s?(?P<b>{_COUNT})"
    r"(?P<side>\s+against|\s+on)?",
    # "3-to-1 odds", "a 100-to-1 shot", "a 2-1 chance"
    rf"(?:(?:a|an)\s+)?(?P<a>{_COUNT})\s?(?:-to-|\s+to\s+|:|(?<=\d)-(?=\d))\s?(?P<b>{_COUNT})"
    r"(?P<side>\s+against|\s+on)?\s+(?:odds|chance|(?P<shot>shot|outsider))",
)
# A forecaster's list: "China's growth will be slower (60%)", "Clinton will be the
# nominee: 90%". Read only at the end of a statement about what will be.
_END_FORMS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\(\s*{_QUALIFIED}\s*(?:,[^()]{{0,80}})?\)\s*[.!]?\s*$",
        rf":\s*{_QUALIFIED}\s*[.!]?\s*$",
    )
)
_FUTURE = re.compile(r"\b(?:will|won[’']t|shall|going\s+to)\b", re.IGNORECASE)

# Bookmakers' prices: read where the sentence speaks of betting, or on an odds list's line
_BETTING = re.compile(
    r"\b(?:odds(?:-on)?|favou?rites?|bookies|bookmakers?|priced|bets?|betting|punt\w*|"
    r"backed\s+(?:in|at|from|down|into)|(?:his|her|their|its)\s+price|betting\s+market|"
    r"sky\s?bet|betfair|paddy\s+power|coral|william\s+hill|hills|ladbrokes|bet\s?victor|"
    r"bet365|betway|shortened|drifted|outsiders?|each-way)\b",
    re.IGNORECASE,
)
"""Words of betting: not "market", "price" or "backed" alone, which economic and political
news use of much else ("a third of the market", "backed by 2/3 of members")."""
_PRICE = r"(?P<a>\d{1,3})/(?P<b>\d{1,3})"
_FRACTION = re.compile(rf"(?<![\d/.]){_PRICE}(?![\d/])")
_SHORTHAND = re.compile(r"(?<!\bthe\s)(?<!\bearly\s)(?<!\blate\s)(?<![\w.$£€/-])(?P<a>\d{1,3})s\b")
_DECIMAL = re.compile(
    r"\b(?:trading|traded|backed|available|priced|matched|drifted|drifting|shortened|"
    r"shortening)\s+(?:out\s+|in\s+)?(?:at|to)\s+(?P<d>\d{1,3}\.\d{1,2})(?!\d|\.\d)",
    re.IGNORECASE,
)
_LIST_LINE = re.compile(
    r"^\s*(?:[-–•*]\s*)?(?:\d{1,3}/\d{1,3}\s*[-–—:]\s*[A-Z][^\d/]{1,150}|"
    r"[A-Z][^\d/]{1,150}?\s*[-–—:]\s*\d{1,3}/\d{1,3})\s*$"
)
_HALF = r"50\s?/\s?50|50-50|fifty[-\s]fifty|(?:a\s+)?coin[-\s](?:flip|toss)|(?:a\s+)?toss-up"


def _compile(patterns: tuple[str, ...] | str) -> tuple[re.Pattern[str], ...]:
    """Each pattern matched as the lexicon's are: case-insensitive, on word boundaries."""
    return tuple(map(_compiled, (patterns,) if isinstance(patterns, str) else patterns))


# "the following are the probabilities that each will win the primary: Romney: 85.3%,
# Santorum: 3.6%": every figure after such a colon is one of the probabilities it announces
_LIST_INTRO = _compiled(
    r"(?:probabilit(?:y|ies)|chances?|odds|likelihoods?)"
    r"(?:\s+(?:that|of|for)\b[^:;.!?]{0,150}?)?\s*:"
)
_LISTED = _compiled(_QUALIFIED)
_PERCENTS = _compile(_PERCENT_FORMS)
_RATIOS = _compile(_RATIO_FORMS)
_ODDS = _compile(_ODDS_FORMS)
_HALVES = _compile(_HALF)


@dataclass(frozen=True)
class Stated:
    """A probability written as a number: where it stands in the sentence, and its reading."""

    start: int
    end: int
    reading: Reading


def stated(sentence: str) -> list[Stated]:
    """Every stated probability in ``sentence``, longest first where two overlap, in
    reading order."""
    found = sorted(_candidates(sentence), key=lambda s: (-(s.end - s.start), s.start))
    chosen: list[Stated] = []
    for item in found:
        if all(item.end <= other.start or item.start >= other.end for other in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda s: s.start)


_BULLET = re.compile(r"^(\s*)[-–](?=\d)")
"""A list's dash before a figure ("-15% chance of victory"): not a minus, nor a range's."""
_JOINED = re.compile(r"(?<=[^\W\d_]{3})[-–](?=\d)")
"""A dash joining a word to a figure ("the following-75% chance", "Clinton-99% chance"):
not a range's, whose dash stands between two figures, nor odds' ("100-to-1", "1-in-5")."""


def _candidates(sentence: str) -> Iterator[Stated]:
    yield from _prices(sentence)  # before the dashes are read: "over-18s" is no price
    sentence = _BULLET.sub(lambda match: match[1] + " ", sentence)  # offsets kept
    sentence = _JOINED.sub(" ", sentence)
    for rules, reading in (
        (_PERCENTS, _percent),
        (_RATIOS, _ratio),
        (_ODDS, _odds),
        (_HALVES, lambda match: _exact("50%", 0.5)),
    ):
        for rule in rules:
            for match in rule.finditer(sentence):
                read = reading(match)
                if read is not None:
                    yield Stated(match.start(), match.end(), read)
    for intro in _LIST_INTRO.finditer(sentence):
        for match in _LISTED.finditer(sentence, intro.end()):
            read = _percent(match)
            if read is not None:
                yield Stated(match.start(), match.end(), read)
    if _FUTURE.search(sentence):
        for rule in _END_FORMS:
            match = rule.search(sentence)
            read = _percent(match) if match is not None else None
            if match is not None and read is not None:
                start = match.start() + len(match.group()) - len(match.group().lstrip("(: "))
                end = match.start() + len(match.group().rstrip(").! "))
                yield Stated(start, end, read)


def _prices(sentence: str) -> Iterator[Stated]:
    """Bookmakers' prices in a sentence that speaks of betting, or on an odds list's line."""
    if _LIST_LINE.match(sentence) is None and _BETTING.search(sentence) is None:
        return
    for match in _FRACTION.finditer(sentence):
        read = _price(int(match["a"]), int(match["b"]))
        if read is not None:
            yield Stated(match.start(), match.end(), read)
    for match in _SHORTHAND.finditer(sentence):
        read = _price(int(match["a"]), 1)
        if read is not None:
            yield Stated(match.start(), match.end(), read)
    for match in _DECIMAL.finditer(sentence):
        price = float(match["d"])
        if price > 1:
            yield Stated(
                match.start("d"), match.end("d"), _exact(f"{match['d']} (decimal odds)", 1 / price)
            )


def _price(against: int, on: int) -> Reading | None:
    """A fractional price, odds against: "5/1" is 1 in 6."""
    if against <= 0 or on <= 0:
        return None
    return _exact(f"{against:g} to {on:g} against", on / (against + on))


def _ratio(match: re.Match[str]) -> Reading | None:
    """ "one in five": the first count out of the second."""
    a, b = _count(match["a"]), _count(match["b"])
    return _exact(f"{a:g} in {b:g}", a / b) if 0 < a <= b else None


def _odds(match: re.Match[str]) -> Reading | None:
    """ "3 to 1": for to against, unless the text says against or speaks of a shot."""
    a, b = _count(match["a"]), _count(match["b"])
    if a + b <= 0:
        return None
    against = (match["side"] or "").strip().lower() == "against" or bool(
        match.groupdict().get("shot")
    )
    term = f"{a:g} to {b:g}" + (" against" if against else "")
    return _exact(term, b / (a + b) if against else a / (a + b))


def _percent(match: re.Match[str]) -> Reading | None:
    if match["single"] is not None:
        value = float(match["single"]) / 100
        if not 0 <= value <= 1:
            return None
        bound = " ".join((match["bound"] or "").lower().split())
        bound = _SYMBOLS.get(match["symbol"] or "", bound)  # ">1% chance": more than 1%
        if not bound:
            return _exact(f"{_pct(value)}", value)
        if bound in _OPEN_ABOVE:
            return Reading(STATED, f"{bound} {_pct(value)}", value, 1.0, value)
        return Reading(STATED, f"{bound} {_pct(value)}", 0.0, value, value)
    low, high = float(match["low"]) / 100, float(match["high"]) / 100
    if not 0 <= low < high <= 1:
        return None
    term = f"{_pct(low)[:-1]}-{_pct(high)}"
    return Reading(STATED, term, low, high, round((low + high) / 2, 12))


def _exact(term: str, value: float) -> Reading:
    return Reading(STATED, term, value, value, value)


def _pct(value: float) -> str:
    return f"{value * 100:g}%"


def _count(words: str) -> float:
    text = " ".join(words.lower().split())
    if text in _WORDS:
        return float(_WORDS[text])
    return float(text.replace(",", ""))
