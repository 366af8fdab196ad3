"""Verbal probability scales and the lexicon of estimative phrases, as data.

A *scale* is a published table of estimative terms, each with a probability range and the
point value used for scoring (the range's midpoint unless the scale gives a value). The
*lexicon* maps the phrases people actually write ("chances remain slim", "is expected to",
"the prospect of") to a step on a seven-step ladder of likelihood, shared by every scale;
each scale says which of its terms stands on each step. A phrase that is itself a term (or an
alias) of the chosen scale maps to that term directly.

Users may choose the default scale and add phrases of their own in a TOML configuration
(parsed here from text; the interfaces read the file).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import IntEnum

from forecasts.errors import InvalidInput
from forecasts.parsing import parse_probability


class Step(IntEnum):
    """The seven steps of likelihood every scale is read against (ICD 203's bands)."""

    ALMOST_NO_CHANCE = 0
    VERY_UNLIKELY = 1
    UNLIKELY = 2
    EVEN = 3
    LIKELY = 4
    VERY_LIKELY = 5
    ALMOST_CERTAIN = 6

    def mirrored(self) -> Step:
        """The step a negation turns this one into: "not likely" is unlikely."""
        return Step(6 - self.value)


@dataclass(frozen=True)
class Term:
    """One term of a scale: its label, other words for it, its range and its point value."""

    label: str
    low: float
    high: float
    point: float
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


def term(label: str, low: float, high: float, point: float | None = None, *aliases: str) -> Term:
    """A term with its range in percent; the point is the midpoint unless given."""
    value = (low + high) / 2 if point is None else point
    return Term(label, low / 100, high / 100, round(value / 100, 6), tuple(aliases))


@dataclass(frozen=True)
class Scale:
    """A named table of estimative terms, and which term stands on each step."""

    name: str
    title: str
    citation: str
    terms: tuple[Term, ...]
    steps: dict[Step, str]
    aliases: tuple[str, ...] = ()

    def find(self, words: str) -> Term | None:
        """The term named ``words`` (its label or an alias, ignoring case), or None."""
        wanted = _fold(words)
        for candidate in self.terms:
            if any(_fold(name) == wanted for name in candidate.names):
                return candidate
        return None

    def term_at(self, step: Step) -> Term:
        found = self.find(self.steps[step])
        assert found is not None, (self.name, step)
        return found

    def lookup(self, words: str) -> Term:
        """Like :meth:`find`, but refuses a name the scale does not have."""
        found = self.find(words)
        if found is None:
            known = ", ".join(t.label for t in self.terms)
            raise InvalidInput("term", words, f"is not a term of {self.name} ({known})")
        return found


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


ICD_203 = Scale(
    name="ICD 203",
    title="US Intelligence Community Directive 203, Analytic Standards",
    citation="Office of the Director of National Intelligence, ICD 203 (2015)",
    aliases=("icd", "icd203", "icd-203"),
    terms=(
        term("almost no chance", 1, 5, None, "remote"),
        term("very unlikely", 5, 20, None, "highly improbable"),
        term("unlikely", 20, 45, None, "improbable"),
        term("roughly even chance", 45, 55, None, "roughly even odds"),
        term("likely", 55, 80, None, "probable"),
        term("very likely", 80, 95, None, "highly probable"),
        term("almost certain", 95, 99, None, "nearly certain"),
    ),
    steps={
        Step.ALMOST_NO_CHANCE: "almost no chance",
        Step.VERY_UNLIKELY: "very unlikely",
        Step.UNLIKELY: "unlikely",
        Step.EVEN: "roughly even chance",
        Step.LIKELY: "likely",
        Step.VERY_LIKELY: "very likely",
        Step.ALMOST_CERTAIN: "almost certain",
    },
)

PHIA = Scale(
    name="PHIA",
    title="UK Professional Head of Intelligence Assessment probability yardstick",
    citation="UK Professional Head of Intelligence Assessment, probability yardstick (2019)",
    aliases=("uk", "yardstick", "phia yardstick"),
    terms=(
        term("remote chance", 0, 5),
        term("highly unlikely", 10, 20),
        term("unlikely", 25, 35),
        term("realistic possibility", 40, 50),
        term("likely", 55, 75, None, "probable"),
        term("highly likely", 80, 90),
        term("almost certain", 95, 100),
    ),
    steps={
        Step.ALMOST_NO_CHANCE: "remote chance",
        Step.VERY_UNLIKELY: "highly unlikely",
        Step.UNLIKELY: "unlikely",
        Step.EVEN: "realistic possibility",
        Step.LIKELY: "likely",
        Step.VERY_LIKELY: "highly likely",
        Step.ALMOST_CERTAIN: "almost certain",
    },
)

KENT = Scale(
    name="Kent",
    title="Sherman Kent, Words of Estimative Probability (1964)",
    citation="Sherman Kent, 'Words of Estimative Probability', Studies in Intelligence (1964)",
    aliases=("kent 1964", "wep"),
    terms=(
        term("certain", 100, 100),
        term("almost certain", 87, 99, 93),
        term("probable", 63, 87, 75, "likely", "we believe", "probably", "chances are good"),
        term("chances about even", 40, 60, 50, "about even", "even chance"),
        term("probably not", 20, 40, 30, "unlikely", "we believe not", "we doubt"),
        term("almost certainly not", 2, 12, 7, "highly unlikely", "chances are slight"),
        term("impossible", 0, 0),
    ),
    steps={
        Step.ALMOST_NO_CHANCE: "almost certainly not",
        Step.VERY_UNLIKELY: "almost certainly not",
        Step.UNLIKELY: "probably not",
        Step.EVEN: "chances about even",
        Step.LIKELY: "probable",
        Step.VERY_LIKELY: "almost certain",
        Step.ALMOST_CERTAIN: "almost certain",
    },
)

# Median readings of everyday phrases from Mauboussin & Mauboussin's survey of 1,700 readers.
# The survey reports medians; a term's range here is its median alone.
SURVEY = Scale(
    name="Survey",
    title="Survey medians for everyday phrases (Mauboussin & Mauboussin, 2018)",
    citation=(
        'Andrew Mauboussin and Michael J. Mauboussin, \'If You Say Something Is "Likely," '
        "How Likely Do People Think It Is?', Harvard Business Review (July 2018)"
    ),
    aliases=("mauboussin", "hbr", "survey medians"),
    terms=(
        term("almost no chance", 2, 2),
        term("little chance", 10, 10, None, "chances are slight", "slim chance"),
        term("unlikely", 20, 20),
        term("real possibility", 60, 60),
        term("serious possibility", 66, 66),
        term("likely", 70, 70),
        term("probably", 70, 70, None, "probable"),
        term("almost certainly", 90, 90, None, "almost certain"),
    ),
    steps={
        Step.ALMOST_NO_CHANCE: "almost no chance",
        Step.VERY_UNLIKELY: "little chance",
        Step.UNLIKELY: "unlikely",
        Step.EVEN: "real possibility",
        Step.LIKELY: "likely",
        Step.VERY_LIKELY: "almost certainly",
        Step.ALMOST_CERTAIN: "almost certainly",
    },
)

SCALES: tuple[Scale, ...] = (ICD_203, PHIA, KENT, SURVEY)
DEFAULT_SCALE = ICD_203


def get_scale(name: str) -> Scale:
    """The scale called ``name`` (or one of its aliases), ignoring case."""
    wanted = _fold(name).replace(" ", "")
    for scale in SCALES:
        if any(_fold(n).replace(" ", "") == wanted for n in (scale.name, *scale.aliases)):
            return scale
    known = ", ".join(s.name for s in SCALES)
    raise InvalidInput("scale", name, f"is not a known scale ({known})")


# The lexicon ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A way of writing a likelihood: a pattern, the step it stands on, and the step it
    stands on when negated ("not likely", "skepticism about the possibility").

    ``pattern`` is a regular expression matched case-insensitively on word boundaries; an
    optional group ``event`` captures what the phrase is about where the phrase wraps it
    ("the chances of EVENT remain slim"). ``event_side`` says where the event lies otherwise:
    after the phrase, which introduces it ("the prospect of EVENT"), or in the clause around
    it ("EVENT is unlikely", "troops could EVENT").
    """

    pattern: str
    step: Step
    negated: Step | None = None
    event_side: str = "clause"
    term: str | None = None  # a term name tried first on every scale ("real possibility")
    # Uses that are not judgments: pairs of patterns for the text just before the phrase
    # (matched at its end) and just after it (matched at its start), both of which must
    # match: "an unlikely alliance", "could not guarantee", "hard to predict".
    unless: tuple[tuple[str, str], ...] = ()
    # A frame ("I think", "analysts expect") gives way to a phrase inside its event: in "I
    # think there is a 30% chance of a deal" the judgment is the 30%.
    frame: bool = False
    # Whether a phrase standing in this one's event is part of it ("the prospect of talks
    # that could resume") rather than a judgment of its own. An attributive word ("a
    # potential hurricane likely to intensify") leaves the clause's own phrases alone.
    covers: bool = True

    def excluded(self, before: str, after: str) -> bool:
        """Whether the words around a match make it something other than a judgment."""
        return any(
            _compiled_edge(b, "$").search(before[-60:]) and _compiled_edge(a, "^").match(after)
            for b, a in self.unless
        )

    @property
    def negated_step(self) -> Step:
        return self.negated if self.negated is not None else self.step.mirrored()

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}
_EDGES: dict[tuple[str, str], re.Pattern[str]] = {}


def _compiled_edge(pattern: str, edge: str) -> re.Pattern[str]:
    """``pattern`` anchored at the end (``$``) or the start (``^``) of a stretch of text."""
    key = (pattern, edge)
    if key not in _EDGES:
        body = rf"(?:{pattern})\s*$" if edge == "$" else rf"\s*(?:{pattern})"
        _EDGES[key] = re.compile(body, re.IGNORECASE)
    return _EDGES[key]


def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` on word boundaries: a contraction is written with its word ("\\w+[’']d
    be surprised if"), as a match cannot start at its apostrophe."""
    if pattern not in _CACHE:
        _CACHE[pattern] = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
    return _CACHE[pattern]


S = Step
_SHOULD_VERBS = (
    r"be|become|begin|move|diminish|dissipate|weaken|strengthen|intensify|reach|arrive|pass|"
    r"prevent|sign|remain|rise|fall|drop|ease|improve|hit|last|end|clear|peak|land|return|"
    r"recover|resume|slow|stabili[sz]e|turn|head|emerge|come|help|allow|bring|get|make|see|"
    r"win|lose|close|happen|succeed|fail|work|follow|hold|stay|go|take|finish|beat|"
    r"do(?=\s+(?:well|better|badly|poorly|fine))"  # "Trump should do well"
)
_SHOULD_NOT_JUDGED = (
    # what follows is not one of the verbs of what things do ("should upgrade", "should
    # it pick up speed", "should the department opt")
    (
        "",
        r"(?:$|(?=\S)(?!(?:(?:still|also|now|soon|then|eventually|easily|probably)\s+)?"
        rf"(?:{_SHOULD_VERBS})\b))",
    ),
    # people told what to do or think: "residents should", "we should", "one should"
    (
        r"\b(?:you|we|I|one|people|residents|customers|investors|officials|"
        r"voters|governments?|congress|parliament|users|everyone|anyone|someone|nobody|"
        r"policymakers|lawmakers|leaders|parents|fans|readers|travell?ers|Americans|"
        r"authorities|companies|firms|countries|nations|Washington|Beijing|Moscow)"
        r"(?:\s+\w+){0,2}",
        "",
    ),
    # "he should resign", "they should listen"; but "he shouldn't be out for long", "he
    # should be back next week", "they should win" say what will be
    (
        r"\b(?:they|he|she)(?:\s+\w+){0,2}",
        r"(?!\s*(?:be\s+(?:back|fit|fine|safe|available|out|okay|able\s+to\s+play)|win|lose|"
        r"beat|finish|recover|return)\b)",
    ),
    # "should be watched closely", "should be aware": advice in the passive
    (
        "",
        r"\s+be\s+(?:\w+ly\s+)?(?:watched|monitored|considered|taken|treated|avoided|"
        r"encouraged|required|allowed|prepared|ready|aware|careful|able|done|given|used|"
        r"seen\s+as|regarded)\b",
    ),
    # "should be something like 9x", "should be 2%": a quantity forecast
    ("", r"\s+be\s+(?:something\s+like\s+|about\s+|around\s+|roughly\s+)?[\d~$€£]"),
    (r"\b(?:whether|if|what|how|why|where|when)(?:\s+\w+){0,3}", ""),  # "whether they should"
)
"""Uses of "should" that judge nothing likely."""


# "hard to predict", "cannot foresee": a judgment declined, not made
_CANNOT_TELL = (
    (
        r"(?:hard|difficult|impossible|tough|too\s+(?:early|soon))\s+"
        r"(?:for\s+\w+(?:\s+\w+)?\s+)?to|"
        r"can[’']?t|cannot|can\s+not|unable\s+to|not\s+(?:\w+\s+)?able\s+to|could\s+not|"
        r"couldn[’']t",
        "",
    ),
)
# "to discuss the possibility of": a topic, not a judgment of how likely it is
_TOPIC = (
    (
        r"\b(?:discuss(?:ed|es|ing)?|consider(?:ed|s|ing)?|explor(?:e|ed|es|ing)|"
        r"examin(?:e|ed|es|ing)|stud(?:y|ied|ies|ying)|address(?:ed|es|ing)?|"
        r"talk(?:s|ed|ing)?\s+about|"
        r"(?:prepare[sd]?|preparing|brace[sd]?|bracing|ready|readying)\s+for|"
        r"(?:thoughts?|views?|questions?|debate|survey|poll|opinions?)\s+(?:on|about|over|of))",
        "",
    ),
)
# "no certainty about who could win": an open question, not a possibility judged
_WHO_COULD = (
    (
        r"\b(?:about|over|on|of|as\s+to|know|knows|knew|tell|say|see|wonder|ask|asked|unclear|"
        r"clear|sure|certainties)\s+(?:who|what|which)",
        "",
    ),
)
# "unclear whether the talks could resume": an open question
_WHETHER = ((r"\bwhether\b[^,.;:!?]{0,60}", ""),)
# "than generally believed", "than the consensus expects": a comparison, not a judgment
_THAN = ((r"\bthan(?:\s+[\w-]+){0,3}|\bas(?:\s+(?:generally|widely|commonly|previously))?", ""),)
# "an unlikely alliance", "the unlikely hero": the word says surprising, not improbable,
# unless what follows is itself something that may happen ("an unlikely outcome").
_ATTRIBUTIVE = (
    (
        r"\b(?:an|the|this|that|such\s+an?|their|its|his|her)",
        r"(?!(?:event|outcome|scenario|prospect|possibility|development|result|case|"
        r"eventuality|events|outcomes|scenarios|developments|results)\b)[a-z][\w-]*(?!\w)"
        r"(?!\s+(?:to|that)\b)",
    ),
)
_BE = r"(?:is|are|was|were|be|been|seems?|looks?|appears?|remains?|remained)"
_CHANCES = r"(?:chances?|odds|likelihood|probability|prospects?)"
_RISK = r"(?:chances?|odds|likelihood|probability|prospects?|risks?)"
_SLIM = r"(?:slim|slight|remote|low|small|minimal|thin|poor|scant)"
# "the probability of an eruption is still considered high"
_HELD = (
    r"(?:(?:still|now|widely|generally)\s+)?"
    r"(?:(?:considered|seen\s+as|deemed|judged|thought\s+to\s+be)\s+)?"
)

LEXICON: tuple[Variant, ...] = (
    # "the chances of EVENT remain slim": the event is wrapped by the phrase.
    Variant(
        rf"(?:the\s+)?{_RISK}\s+(?:of|that|for)\s+(?P<event>[^.;:!?]{{3,160}}?)\s+"
        rf"{_BE}\s+{_HELD}(?:very\s+|quite\s+|rather\s+)?{_SLIM}",
        S.VERY_UNLIKELY,
    ),
    Variant(
        rf"(?:the\s+)?{_RISK}\s+(?:of|that|for)\s+(?P<event>[^.;:!?]{{3,160}}?)\s+"
        rf"{_BE}\s+{_HELD}(?:very\s+)?(?:high|good|strong)",
        S.LIKELY,
    ),
    Variant(
        rf"(?:the\s+)?{_CHANCES}\s+(?:of|that|for)\s+(?P<event>[^.;:!?]{{3,160}}?)\s+"
        r"(?:remains?|is|are)\s+(?:very\s+)?limited",
        S.UNLIKELY,
    ),
    Variant(
        r"(?:its|their|the)\s+potential\s+(?:for|of|to)\s+(?P<event>[^.;:!?]{3,160}?)\s+"
        r"(?:remains?|is|are)\s+(?:very\s+)?limited",
        S.UNLIKELY,
    ),
    Variant(
        r"(?:diminish(?:es|ed)?|reduc(?:es|ed)|lower(?:s|ed)?|dim(?:s|med)?)\s+the\s+"
        r"(?:prospects?|chances?|likelihood|possibility)\s+(?:of|for|that)",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        rf"(?:the\s+)?{_CHANCES}\s+(?:are|is|look|looks|seem|seems|remain|remains)\s+"
        r"(?:not|far\s+from)\s+(?:very\s+|particularly\s+)?(?:promising|good|bright|great)|"
        rf"(?:the\s+)?{_CHANCES}\s+(?:are|is|look|looks|seem|seems|remain|remains)\s+"
        r"(?:very\s+)?(?:dim|bleak|grim)",
        S.UNLIKELY,
        S.LIKELY,
    ),
    Variant(
        rf"(?:the\s+)?{_CHANCES}\s+(?:are|is|look|looks|seem|seems|remain|remains)\s+"
        r"(?:very\s+)?(?:promising|good|bright|favou?rable)",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:an?\s+)?(?:very\s+)?(?:good|strong|solid|excellent|better)"
        r"(?:\s+and\s+(?:improving|growing|rising|increasing))?\s+"
        r"(?:chance|likelihood|probability|shot\s+at)|(?:an?\s+)?(?:strong|distinct)\s+possibility|"
        r"(?:an?\s+|the\s+)?(?:elevated|increased|heightened|higher|rising|growing)\s+"
        r"(?:probability|likelihood|chance|risk)\s+(?:of|that)|"
        r"(?:an?\s+|the\s+)?(?:very\s+)?high\s+(?:probability|likelihood)",
        S.LIKELY,
        S.UNLIKELY,
    ),
    # "a decent chance", "has a real shot at stopping", "still a decent shot"
    Variant(
        r"(?:an?\s+)?(?:decent|fair|reasonable)\s+chance|"
        r"(?:an?\s+)?(?:real|decent)\s+shot(?!\s+of\s+(?!\w+ing\b))",  # not "a shot of whisky"
        S.EVEN,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:the\s+)?(?:likeliest|most\s+probable)(?:\s+(?:outcome|scenario|result))?",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:our|the|my|their|its)\s+(?:baseline|base[-\s]case)"
        r"(?:\s+(?:expectation|scenario|forecast|view|assumption)|(?=\s+(?:is|remains|was)\b))",
        S.LIKELY,
    ),
    Variant(
        r"(?:cannot|can[’']t|can\s+not|could\s+not|couldn[’']t|would\s+not|wouldn[’']t|"
        r"will\s+not|won[’']t|did\s+not|didn[’']t|does\s+not|doesn[’']t|do\s+not|don[’']t)\s+"
        r"(?:yet\s+)?"
        r"(?:completely\s+|entirely\s+|fully\s+)?rule\s+out|"
        r"(?:cannot|can[’']t|can\s+not)\s+be\s+(?:completely\s+|entirely\s+)?ruled\s+out",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:not|isn[’']t|aren[’']t|wasn[’']t|weren[’']t|never)\s+(?:so\s+|too\s+|entirely\s+|"
        r"all\s+that\s+)?sure\s+(?:of\s+)?(?:that|whether|if)?",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:cautiously\s+|increasingly\s+|quite\s+|very\s+|more\s+)?(?:optimistic|hopeful)"
        r"[\"”]?\s+that|hopeful(?=\s+(?:it|he|she|they|we|the|this|there)\b)|"
        r"(?:optimistic|hopeful)(?=\s+(?:[\w-]+\s+){1,2}(?:will|would|can|could)\b)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    Variant(
        r"(?:increasingly\s+|quite\s+|very\s+|more\s+)?pessimistic\s+that",
        S.UNLIKELY,
        S.LIKELY,
        event_side="after",
        frame=True,
    ),
    # "he's home and hosed", "I am sure that they were not happy", "who will surely be"
    Variant(
        r"home\s+and\s+(?:hosed|dry)|(?:I|we)(?:\s+am|\s+are|[’']m|[’']re)\s+"
        r"(?:quite\s+|pretty\s+|absolutely\s+|fairly\s+)?sure"
        r"(?:\s+that|(?=\s+(?:some|the|he|she|they|it|we|this|there)\b))|"
        r"(?:will|would|must)\s+surely",
        S.VERY_LIKELY,
        S.UNLIKELY,
    ),
    # "there being no guarantee that he will be in the dugout", "Daglish has some chance",
    # "Frankly, who knows"
    Variant(
        r"no\s+guarantee\s+(?:that|of)|no\s+one\s+knows(?:\s+for\s+(?:sure|certain))?|(?:has|have|had|stands?)\s+(?:some|an\s+outside)\s+chance|"
        r"(?:^|(?<=[,;:.…]\s))who\s+knows(?=\s*(?:[.!?…]|$|,|\s+(?:what|whether|if|how|when)\b))",
        S.EVEN,
        S.UNLIKELY,
    ),
    # "hopes are not high for the Dutch manager"; a reply's "Doubtful."
    Variant(
        r"hopes\s+(?:are|were|remain)\s+(?:not\s+high|low|slim|fading)|^doubtful(?=[.!…]*\s*$)|"
        r"hopes\s+(?:fall|fade|dim|wane|recede)|"
        r"(?:low|modest|lowered|dampened)\s+expect(?:at)?ions|"
        r"(?:is|are|was|were|remains?|remained)\s+(?:deeply\s+|highly\s+|increasingly\s+)?"
        r"s[ck]eptical\s+(?:about|that|of)|"
        r"(?:people|analysts|experts|observers|officials|many|some|they)\s+(?:still\s+|also\s+)?"
        r"doubts?\b(?!\s+about)",
        S.UNLIKELY,
    ),
    # "a good sign that he'll vote to strike it down", "It is not looking favorable for launch"
    Variant(
        r"(?:a\s+)?(?:good|encouraging|promising|positive)\s+sign\s+that",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:is|are|\w+[’'](?:s|re))\s+not\s+looking\s+(?:favou?rable|good|likely)|"
        r"(?:doesn[’']t|does\s+not)\s+look\s+(?:favou?rable|good|likely)",
        S.UNLIKELY,
    ),
    # "New iPhone hardware is also a given"
    Variant(
        r"(?:is|are|was|seems?)\s+(?:also\s+|almost\s+|pretty\s+much\s+)?a\s+given",
        S.ALMOST_CERTAIN,
    ),
    # "I have a hunch", "Gonna guess it will arrive later", "Solid guesses: the 5S"
    Variant(
        r"(?:I|we)(?:\s+have|[’']ve\s+got|\s+had)\s+a\s+(?:strong\s+)?(?:hunch|feeling)(?:\s+that)?|"
        r"(?:I[’']m\s+)?gonna\s+guess|(?:I|I[’']d|I\s+would)\s+guess(?:\s+that)?|"
        r"solid\s+guess(?:es)?(?=\s*:)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "I am really hoping they don't, but I am not optimistic"
    Variant(
        r"(?:not|isn[’']t|aren[’']t|wasn[’']t|weren[’']t)\s+(?:very\s+|too\s+|overly\s+)?"
        r"optimistic(?!\s+(?:that|about|on)\b)",
        S.UNLIKELY,
    ),
    Variant(r"(?:is|are|was|were|seen\s+as)\s+(?:a\s+)?locks?\s+to", S.VERY_LIKELY, S.UNLIKELY),
    Variant(
        r"(?:expressed|expresses|expressing|voiced)\s+(?:\w+\s+)?confidence\s+that",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    Variant(
        r"(?:widespread\s+|growing\s+|broad\s+)?expectations?\s+(?:of|that)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "I would be surprised if EVENT": the event is unlikely; "it would be no surprise if",
    # "I wouldn't be surprised if": likely
    Variant(
        r"(?:would|will|\w+[’'](?:d|ll))\s+be\s+(?:very\s+|quite\s+|really\s+|a\s+little\s+)?"
        r"surprised\s+(?:if|to\s+see)|(?:would|will)\s+be\s+a\s+(?:big\s+|real\s+)?surprise\s+if|"
        r"(?:would|\w+[’']d)\s+be\s+(?:very\s+|really\s+|quite\s+)?impressed\s+if",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:would\s+not|wouldn[’']t|will\s+not|won[’']t)\s+be\s+(?:at\s+all\s+)?"
        r"(?:surprised|a\s+surprise)\s+(?:if|to\s+see)|(?:would|will)\s+be\s+no\s+surprise\s+if|"
        r"(?:would\s+not|wouldn[’']t)\s+(?:shock|surprise)\s+(?:me|us)\s+if",
        S.LIKELY,
        event_side="after",
    ),
    # "I would be absolutely shocked if there is a runoff"
    Variant(
        r"(?:would|\w+[’']d)\s+be\s+(?:absolutely\s+|very\s+|really\s+|quite\s+)?"
        r"(?:shocked|stunned|astonished|amazed)\s+if",
        S.VERY_UNLIKELY,
        event_side="after",
    ),
    # "I'd put my money against it", "If I had to put my money on it I would say"
    Variant(
        r"put\s+(?:my|our)\s+money\s+on(?:\s+it)?(?:\s+I\s+would\s+say)?",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(r"put\s+(?:my|our)\s+money\s+against", S.UNLIKELY, event_side="after"),
    # "No way is a runoff in the future": ruled out
    Variant(
        r"no\s+way(?=\s+(?:is|are|will|would|does|do|that|he|she|they|it|the)\b)",
        S.ALMOST_NO_CHANCE,
    ),
    Variant(
        r"(?:would\s+not|wouldn[’']t|don[’']t|do\s+not)\s+count\s+on",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"the\s+consensus\s+(?:view\s+)?(?:is|was)\s+that|consensus\s+expects?",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=_THAN,
        frame=True,
    ),
    Variant(
        r"on\s+the\s+(?:verge|brink|cusp)\s+of|on\s+(?:course|track)\s+(?:for|to)|"
        r"(?:the\s+)?odds\s+(?:now\s+)?favou?r",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(r"undoubtedly|doubtless|without\s+(?:a|any)\s+doubt", S.VERY_LIKELY, S.UNLIKELY),
    # "an eruption is imminent"; not "hopes of an imminent cease-fire", nor "may be imminent"
    # (the "may" judges)
    Variant(
        r"(?:is|are|was|were|seems?|looks?|appears?)\s+(?:now\s+|increasingly\s+)?imminent",
        S.VERY_LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:an?\s+)?(?:pretty\s+|very\s+|fairly\s+)?(?:good|safe|solid|sure)\s+bet",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:have|has|had|is|was|there\s+is|there[’']s)\s+(?:no|little)\s+doubt(?:\s+that)?",
        S.VERY_LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "our view ... is that", "the feeling is that": whose view it is, the event after
    Variant(
        r"(?:our|my|the)\s+(?:view|sense|feeling|belief|expectation|assumption|guess|hunch)"
        r"(?:\s+[^.;:!?\"]{1,120}?)?\s+is\s+that",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "downplayed the possibility": judged small, the event inside
    Variant(
        r"(?:downplay(?:s|ed)?|played\s+down|plays\s+down)\s+(?:the\s+)?"
        r"(?:possibility|likelihood|chances?|prospects?|risk)(?:\s+(?:of|that))?",
        S.UNLIKELY,
        event_side="after",
    ),
    # Named terms of the scales, most specific first.
    Variant(
        r"almost\s+no\s+chance|no\s+chance|remote\s+(?:chance|possibility)|"
        r"no\s+(?:likelihood|possibility|prospect)\s+(?:of|that)|no\s+(?:real|realistic)\s+chance|"
        r"barely\s+(?:a|any)\s+chance|(?:almost|nearly|virtually)\s+unimaginable|"
        r"hell\s+will\s+freeze\s+over(?:\s+before)?|when\s+hell\s+freezes\s+over|"
        r"(?:is|was|are|were|be|seems?|looks?)\s+(?:(?!not\b)\w+\s+)?impossible",
        S.ALMOST_NO_CHANCE,
    ),
    Variant(
        r"too\s+close\s+to\s+call|(?:difficult|hard|tough|not\s+easy)\s+to\s+call|"
        r"(?:a\s+)?close[-\s]run\s+thing",
        S.EVEN,
        term=None,
    ),
    Variant(
        r"(?:my|our)\s+(?:best\s+|biggest\s+)?(?:guess|bet)(?:\s+(?:is|would\s+be))?(?:\s+that)?|"
        r"(?:the|a|clear|strong|overwhelming)\s+"
        r"(?:(?:clear|hot|red[-\s]hot|firm|odds[-\s]on|long|unanimous|joint|outright)\s+)*"
        r"(?:favou?rite|front-?runners?)\b|second[-\s]favou?rite\b",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    Variant(r"(?:is|was|are|were)\s+(?:a\s+)?(?:secure\s+|sure\s+)?locks?\b", S.VERY_LIKELY),
    Variant(
        r"(?:voiced|expressed|expresses|voices)\s+(?:\w+\s+)?optimism\s+(?:about|over|that)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    Variant(r"almost\s+certainly\s+not", S.ALMOST_NO_CHANCE, term="almost certainly not"),
    Variant(
        r"highly\s+improbable|highly\s+unlikely|very\s+unlikely|extremely\s+unlikely",
        S.VERY_UNLIKELY,
    ),
    Variant(
        rf"(?:slim|slight|little|scant|small|low)\s+(?:chance|likelihood|probability|prospects?)|"
        rf"chances\s+(?:are|remain|look)\s+{_SLIM}",
        S.VERY_UNLIKELY,
        term="little chance",
    ),
    Variant(
        r"no\s+(?:indications?|signs?|evidence)\s+(?:of|that)",
        S.VERY_UNLIKELY,
        S.LIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:(?:on\s+)?the\s+off[-\s]chance|(?:an?\s+)?outside\s+chance|(?:a\s+)?long[-\s]shot)"
        r"(?:\s+(?:of|that|for))?",
        S.VERY_UNLIKELY,
        event_side="after",
    ),
    Variant(r"less\s+than\s+(?:an\s+)?even(?:\s+(?:chance|odds))?", S.UNLIKELY, S.LIKELY),
    Variant(
        r"better\s+than\s+(?:an\s+)?even(?:\s+(?:chance|odds)|[-\s]money)?|odds-on",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(r"improbable", S.UNLIKELY, unless=_ATTRIBUTIVE),
    Variant(r"probably\s+not", S.UNLIKELY, term="probably not"),
    Variant(r"unlikely", S.UNLIKELY, S.LIKELY, unless=_ATTRIBUTIVE),
    Variant(
        r"(?:seems?|looks?|appears?|is|are|was|were|remains?|remained)\s+(?:highly\s+)?doubtful|"
        r"doubtful\s+(?:that|whether|if)|(?:I|we)\s+(?:very\s+much\s+)?doubt(?:\s+that)?|"
        r"(?:expressed\s+)?(?:skepticism|scepticism)\s+that|"
        r"(?:is|are|was|were)\s+(?:skeptical|sceptical)\s+that",
        S.UNLIKELY,
        S.LIKELY,
    ),
    Variant(
        r"roughly\s+even\s+(?:chance|odds)|(?:about|roughly|almost|nearly)\s+even|even\s+chance|"
        r"even[-\s]money|"
        r"fifty-fifty|toss-up",
        S.EVEN,
    ),
    Variant(r"realistic\s+possibility", S.EVEN, S.UNLIKELY, term="realistic possibility"),
    Variant(r"real\s+possibility", S.EVEN, S.UNLIKELY, term="real possibility"),
    Variant(r"serious\s+possibility", S.LIKELY, S.UNLIKELY, term="serious possibility"),
    Variant(
        r"almost\s+certain(?:ly)?|nearly\s+certain(?:ly)?|virtually\s+certain|"
        r"(?:all\s+but|practically)\s+certain(?:ly)?|"
        r"(?:all\s+but\s+|almost\s+|virtually\s+)?inevitabl[ey]",
        S.ALMOST_CERTAIN,
    ),
    Variant(
        r"highly\s+probable|highly\s+likely|very\s+likely|most\s+likely|"
        r"(?:will|won[’']t|is|are|\w+[’']re|\w+[’']s)\s+definitely|"
        r"with\s+(?:relative|reasonable|near|some)\s+certainty",
        S.VERY_LIKELY,
    ),
    Variant(
        r"would\s+likely|will\s+likely|is\s+likely\s+to|are\s+likely\s+to|likely\s+to",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:a|the)\s+likelihood\s+(?:of|that)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=_TOPIC,
    ),
    # "an expected runoff", "the anticipated cuts": the thing named is judged to come
    Variant(
        r"(?:an?|the|its|their)\s+(?:widely\s+|much[-\s]|long[-\s]|highly\s+)?"
        r"(?:expected|anticipated)(?=\s+[\w-])",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=(("", r"(?:to|by|from|in|at|of|for|and|or|than)\b"),),
        covers=False,
    ),
    # "probably a couple of years", "likely 2,000 troops": a hedged count, not an event
    Variant(
        r"likely|probable|probably",
        S.LIKELY,
        S.UNLIKELY,
        unless=(("", r"(?:a\s+(?:couple|few|dozen)\b|\d|dozens\b|hundreds\b|thousands\b)"),),
    ),
    Variant(
        r"(?:heavily\s+|strongly\s+|widely\s+)?favou?red\s+to|"
        r"(?:the\s+|a\s+|clear\s+|strong\s+|overwhelming\s+)*favou?rites?\s+to",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(r"in\s+(?:serious\s+|grave\s+)?doubt", S.UNLIKELY, S.LIKELY),
    Variant(
        r"(?:cast|casts|casting|raise|raises|raised|raising)\s+(?:fresh\s+|new\s+|serious\s+)?"
        r"doubts?\s+(?:on|over|about)(?:\s+(?:whether|if))?",
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:very\s+|quite\s+|fairly\s+|increasingly\s+|reasonably\s+|highly\s+)?"
        r"confident(?:\s+that)?",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        # "confident in the team" is trust; "confident of winning", "of a deal" judge
        unless=(
            ("", r"in\b(?!\s+\w+ing\b)"),  # "confident in forecasting a win" judges
            ("", r"of\b(?!\s+(?:\w+ing|an?|victory|success)\b)"),
        ),
        frame=True,
    ),
    # Expectations and announcements.
    # "is set to attend", "are poised to combine"; not a schedule ("is set to expire in 2027")
    Variant(
        r"(?:is|are|was|were)\s+(?:set|poised)\s+to|set\s+to|poised\s+to",
        S.VERY_LIKELY,
        S.VERY_UNLIKELY,
        unless=(("", r"(?:expire|take\s+place|begin|start|resume|kick\s+off|run\s+until)\b"),),
    ),
    # "It is anticipated this will be finalised", "it now appears that Galatasaray have won"
    Variant(
        r"it\s+is\s+(?:now\s+|widely\s+|generally\s+)?anticipated(?:\s+that)?|"
        r"it\s+would\s+(?:seem|appear)(?:\s+that)?|"
        r"it\s+(?:now\s+|also\s+)?(?:appears|seems)(?:\s+that|\s+as\s+(?:if|though)|"
        r"(?=\s+(?:he|she|they|it|the|a|an|this|there|we)\b))|"
        r"it\s+(?:now\s+|also\s+|still\s+)?looks\s+(?:like|as\s+(?:if|though))|"
        r"it\s+(?:now\s+|also\s+|still\s+)?looks\s+that\s+way",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    Variant(
        r"(?:is|are|was|were|be|been)\s+(?:expected|projected)\s+to|expected\s+to",
        S.LIKELY,
        S.UNLIKELY,
        unless=((r"\b(?:originally|initially|previously|once)", ""),),  # expected no more
    ),
    # "she expected the outbreak to worsen": a past expectation with what was expected
    Variant(
        r"(?:expected|anticipated)(?=\s+(?:the|a|an|it|him|her|them|this|that|these|those|its|"
        r"their|his)\b[^.;:!?,]{0,60}?\bto\s+\w)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=_THAN,
        frame=True,
    ),
    # "a ruling is expected in June", "a decision expected early next week"
    Variant(
        r"(?:is|are|was|were|be|been)\s+(?:now\s+|still\s+)?(?:widely\s+|also\s+|generally\s+)?"
        r"expected|"
        r"expected(?=\s+(?:early|late|next|later|by|in|on|within|soon|this|before|after)\b)|"
        r"expected(?=[ \t]*(?:\r?\n|$))|"  # a headline's last word: "Strengthening expected"
        r"expected(?=[.;!]\s*$)",  # "a breakthrough deal is not expected."
        S.LIKELY,
        S.UNLIKELY,
        unless=((r"\b(?:than|as)", ""), ("", r"(?:that|from|of)\b")),
    ),
    Variant(r"stands?\s+to|stood\s+to", S.LIKELY, S.UNLIKELY),
    # "the flu shot appears to be a good match"
    Variant(
        r"(?:appears?|appeared)\s+to\s+(?:be|have)\b",
        S.LIKELY,
        S.UNLIKELY,
        unless=_THAN,
    ),
    # "is on the table": a live possibility
    Variant(
        r"(?:is|are|remains?|remained|was|were)\s+(?:still\s+|firmly\s+|very\s+much\s+)?"
        r"on\s+the\s+table",
        S.EVEN,
        S.UNLIKELY,
    ),
    # a forecaster's "I see the war ending soon", "I don't see Putin allowing it"
    Variant(
        r"(?:I|we)\s+(?:(?:also|still|can|could)\s+)*see(?=\s+(?:[\w’'-]+\s+){1,4}?[a-z]+ing\b)",
        S.LIKELY,
        S.UNLIKELY,
    ),
    Variant(
        r"(?:I|we)\s+(?:just\s+|really\s+|honestly\s+)?(?:don[’']t|do\s+not|can[’']t|cannot)\s+see"
        r"(?:(?=\s+(?:[\w’'-]+\s+){1,4}?[a-z]+ing\b)|\s+how\b)",
        S.UNLIKELY,
        S.LIKELY,
    ),
    # "odds stacked for an August cut", "the odds are stacked against him"
    Variant(
        r"(?:the\s+)?odds\s+(?:are\s+|were\s+|look\s+|seem\s+)?stacked\s+"
        r"(?:for|in\s+favou?r\s+of)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
    ),
    Variant(
        r"(?:the\s+)?odds\s+(?:are\s+|were\s+|look\s+|seem\s+)?stacked\s+against",
        S.UNLIKELY,
        S.LIKELY,
        event_side="after",
    ),
    # "growth is at greater risk of being undermined": possible, and feared
    Variant(
        r"at\s+(?:(?:greater|great|high|higher|serious|increased|real|growing|some)\s+)?"
        r"risk\s+of",
        S.EVEN,
        S.UNLIKELY,
        event_side="after",
    ),
    # "I expect", "analysts expect", "Wall Street expects", "pollsters predict": the event
    # follows. "Hard to predict" and "cannot foresee" judge nothing.
    Variant(
        r"(?:fully\s+)?(?:expect|expects|expecting|expected\s+that|anticipate|anticipates|anticipating|"
        r"predict|predicts|predicting|foresee|foresees|foreseeing)|"
        r"(?:I|we)(?:\s+would|[’']d)?\s+(?:bet|wager)|(?:I|we)[’']m\s+betting|"
        r"(?:I|we)\s+(?:am|are)\s+betting",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=(
            *_CANNOT_TELL,
            *_THAN,
            ("", r":"),  # "I predict:" heads a list
            # "take a stab at predicting", "dare to predict": the activity, not a judgment
            (r"\b(?:at|dare\s+to|trying\s+to|try\s+to|tries\s+to|attempt\s+to)", ""),
            (r"\bwhat\s+(?:to|you\s+can|you\s+should|we\s+can|I\s+was)", ""),  # "what to expect"
            ("", r"from\b"),  # "the standards people expect from officials": a demand
        ),
        frame=True,
    ),
    # "analysts predicted that", "one forecast a cut", "is forecast to grow"; not the noun
    # ("the median forecast", "earlier forecasts suggesting") nor "than predicted"
    Variant(
        r"predicted|forecasts?|forecasted|forecasting",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=(
            (r"^\s*", ""),  # a headline's first word: "Forecast Now 60 Percent 'Go'"
            *_CANNOT_TELL,
            *_THAN,
            (
                r"\b(?:the|a|an|this|that|these|those|its|their|our|my|his|her|median|"
                r"above|below|beyond|correctly|accurately|rightly|wrongly|successfully|"
                r"consensus|earlier|previous|latest|new|official|weather|economic|growth|"
                r"year-end|analysts[’']|economists[’'])",
                "",
            ),
            # only as a verb with what was foreseen after it, or before it: "..., Morgan Stanley
            # forecasts."
            ("", r"(?!\s*(?:that|the|a|an|its|their|his|her|to)\b|\s*(?-i:[A-Z])|[.!]\s*$)"),
            (r"\b(?:in|at|of|about|by|on)\s*", ""),  # "good at forecasting the weather"
            # "Moreover, forecasting the primary is likely to be difficult": a subject
            (
                r"(?:^|[.;:!?,])\s*",
                r"\s+(?:the\s+|a\s+|an\s+)?[\w-]+(?:\s+[\w-]+)?\s+"
                r"(?:is|are|was|were|will|has|can|could|would|may|might)\b",
            ),
            # "the rate is forecast to be 2 per cent": a quantity forecast
            ("", r"\s*to\s+(?:be|reach|hit|average|rise\s+to|fall\s+to)\s+[\d~$€£]"),
        ),
    ),
    # "economists had forecast that", "the centre continues to forecast strengthening",
    # "strengthening is forecast during the next few days"
    Variant(
        r"(?:had|have|has)\s+forecast(?:ed)?|(?:continues?|continued|continuing)\s+to\s+forecast|"
        r"(?:is|are)\s+(?:now\s+|also\s+)?forecast(?=\s+(?:during|for|over|through|later|"
        r"tomorrow|tonight|next|this)\b)",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        unless=(*_CANNOT_TELL, *_THAN),
        frame=True,
    ),
    # "my prediction is that": the writer's own forecast follows
    Variant(
        r"(?:my|our)\s+(?:prediction|forecast|expectation|bet)\s+is\s+that",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "economists are increasingly convinced that the Fed will"
    Variant(
        r"(?:am|is|are|was|were|remains?|remained|increasingly|now|still|\w+[’'](?:m|re|s))\s+"
        r"(?:increasingly\s+|more\s+|fully\s+|now\s+)?convinced"
        r"(?:\s+that|(?=\s+(?:we|we[’']re|they|he|she|it|the|this)\b))",
        S.VERY_LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # "not convinced the Bills have found their stride": doubt
    Variant(
        r"not\s+(?:yet\s+|entirely\s+|fully\s+)?(?:convinced(?:\s+that)?|sold\s+on)",
        S.UNLIKELY,
        event_side="after",
        frame=True,
    ),
    # a forecaster's open call: "Even game.", "Tough call.", "clueless as to what is going to
    # happen", "no clue where it will end up"; a team sheet's "(doubt - hip injury)"
    Variant(
        r"(?:an?\s+)?even\s+(?:game|match|contest|fight|race)|(?:a\s+)?tough\s+call|"
        r"(?:clueless|no\s+clue|no\s+idea)(?=\s+(?:as\s+to\s+)?(?:what|where|whether|who|how)\b)|"
        r"(?<=\()\s*doubt(?:ful)?(?=\s*[-–:])",
        S.EVEN,
        S.EVEN,
    ),
    # "remains to be seen", "it's still too early to say for sure", "it's hard to say at this
    # point": the writer leaves the question open
    Variant(
        r"remains?\s+to\s+be\s+seen|(?:has|have)\s+yet\s+to\s+be\s+seen|"
        r"(?:only\s+)?time\s+will\s+tell|up\s+for\s+grabs|nail-?biters?|"
        r"(?:(?:too\s+(?:early|soon)|hard|difficult)\s+to\s+(?:say|tell)|"
        r"too\s+(?:early|soon)\s+to\s+know)"
        r"(?:\s+for\s+(?:sure|certain))?(?!\s+(?:no|yes|goodbye|sorry)\b)"
        r"(?!(?:\s+\w+){1,2}\s+apart\b)",  # not "hard to say no", "hard to tell them apart"
        S.EVEN,
        S.EVEN,
    ),
    # "We're just gonna have to wait and see", "The West is once again wide open",
    # "Speculations are rife that shipping will be delayed": open, either way
    Variant(
        r"(?:have|has|need|needs)\s+to\s+wait\s+and\s+see|"
        r"we(?:[’']ll|\s+will|\s+shall)\s+(?:just\s+)?(?:have\s+to\s+)?see"
        r"(?=\s*(?:[.!…]|$)|\s+(?:how|what|whether|if)\b)|"
        r"(?:race|contest|field|title|competition|conference|division|league|election|"
        r"nomination|primary|West|East|series|playoffs?|outcome)(?:[\s,]+\w+){0,2}[\s,]+"
        r"(?:is|are|remains?|looks?|seems?)\s+(?:once\s+again\s+|still\s+)?wide\s+open|"
        r"speculations?\s+(?:is|are|was|were)\s+rife",
        S.EVEN,
        S.EVEN,
        unless=((r"\bwhat", ""),),  # "predicting what we will see": no open question
    ),
    # "it's not entirely impossible", "not out of the realm of possibility", "slim to none"
    Variant(
        r"not\s+(?:entirely\s+|completely\s+|totally\s+|altogether\s+)?impossible|"
        r"not\s+(?:\w+\s+)?out\s+of\s+the\s+realm\s+of\s+possibility|slim\s+to\s+none",
        S.VERY_UNLIKELY,
    ),
    # "This is presumably my last post": taken as so without being known
    Variant(r"presumably", S.LIKELY, S.UNLIKELY),
    # "Arsenal look destined to be without", "seemingly a lock in each state": all but sure
    Variant(
        r"(?:looks?|looked|seems?|seemed|appears?|is|are|was|were)\s+destined\s+to|"
        r"(?:is|are|was|seems?|seemingly|looks?(?:\s+like)?)\s+(?:to\s+be\s+)?"
        r"a\s+(?:lock|cinch|shoo-in)",
        S.VERY_LIKELY,
        S.UNLIKELY,
    ),
    # "the track is not yet certain", "forecasters were unsure how strong": an open question
    Variant(
        r"(?:is|are|was|were|remains?|remained|seems?|still|initially)\s+(?:still\s+)?"
        r"(?:unsure|uncertain)|(?:is|are|was|were|remains?)\s+not\s+(?:yet\s+)?certain|"
        r"not\s+yet\s+certain",
        S.EVEN,
        S.EVEN,
    ),
    # "I think", "we believe", "I don't think", "analysts believe that"
    Variant(
        r"(?:I|we)\s+(?:also\s+|still\s+|really\s+|honestly\s+|genuinely\s+|do\s+|sort\s+of\s+|"
        r"kind\s+of\s+)?"
        r"(?:think|believe|suspect|reckon|assume|presume)|"
        r"(?:believes?|believing|believed|thinks?|reckons?)"
        r"(?:\s+that)?|"
        r"opined\s+that|suspect(?:s|ed)?\s+that|one\s+(?:suspects|assumes|presumes)|"
        r"feels?\s+that|I\s+feel(?=\s*[.!…]*\s*$)|"
        r"(?<!the\s)(?<!a\s)suspect(?=\s+(?:the|this|it|there|they|he|she)\b)|(?<!I\s)thought\s+to\s+(?:be|have)\b|(?:is|are|was|were)\s+(?:widely\s+|generally\s+)?"
        r"(?:thought\s+(?:to|that)|believed\s+that)|"
        r"(?:the\s+)?(?:general\s+|broad\s+)?consensus\s+(?:is|was)\s+that",
        S.LIKELY,
        S.UNLIKELY,
        event_side="after",
        frame=True,
        unless=(
            *_CANNOT_TELL,
            *_THAN,
            (r"\bwhat(?:\s+(?:you|I|we|they|people|he|she))?", ""),  # "what you think"
            (r"\b(?:do|does|did)\s+(?:you|they|people|we)", ""),  # a question: "do you think"
            (r"\bas\s+(?:some|many|most|people|others|everyone)", ""),  # "not as big as some think"
            ("", r"(?:in|of|about|so|,)(?!\w)"),  # "believe in", "I think, understand"
            ("", r"(?:him|her|them|you|me|us)\b"),  # "I believe him": trust, not a judgment
            ("", r"it\s+or\s+not\b"),  # "Believe it or not, ...": a turn of phrase
            ("", r"tanks?\b"),  # "a state think tank" is an institute
            (r"\bused\s+to", ""),  # "we used to think": no longer held
            (
                r"\b(?:wants?|wanted|urged?|urges|ask(?:s|ed)?)\s+\w+\s+to",
                "",
            ),  # "want them to believe"
        ),
    ),
    Variant(r"my\s+assessment\s+is\s+that\s+\w+\s+will|we\s+(?:assess|judge)\s+that", S.LIKELY),
    # Possibility without commitment.
    Variant(
        r"(?:raised?|raises|raising)\s+the\s+prospect\s+of", S.EVEN, S.UNLIKELY, event_side="after"
    ),
    Variant(
        r"the\s+prospects?\s+(?:of|for)", S.EVEN, S.UNLIKELY, event_side="after", unless=_TOPIC
    ),
    Variant(
        r"(?:a|the)\s+possibility\s+(?:of|that)",
        S.EVEN,
        S.UNLIKELY,
        event_side="after",
        unless=_TOPIC,
    ),
    Variant(r"(?:a|the)\s+possibility", S.EVEN, S.UNLIKELY, unless=_TOPIC),
    Variant(
        r"(?:the\s+)?potential\s+(?:to|for)|potential",
        S.EVEN,
        S.UNLIKELY,
        event_side="after",
        # "this potential adjustment" names a thing already spoken of
        unless=((r"\b(?:this|that|these|those|such|any)", ""),),
        covers=False,
    ),
    # "a potentially catastrophic default" weighs how bad, not how likely
    Variant(
        r"potentially",
        S.EVEN,
        S.UNLIKELY,
        event_side="after",
        unless=((r"\b(?:an?|the|this|that|these|those|such|any)", ""),),
    ),
    Variant(r"possible\s+that", S.EVEN, S.UNLIKELY, event_side="after"),
    Variant(
        r"possible",
        S.EVEN,
        S.UNLIKELY,
        event_side="after",
        covers=False,
        # "every possible award", "as soon as possible", "the worst possible pitch": a range,
        # not a judgment
        unless=(
            *_TOPIC,
            (r"\b(?:every|all|any|as\s+\w+\s+as|if|where|whenever|wherever)", ""),
            (r"\b(?:\w+est|best|worst|most|least|last|first)", ""),
        ),
    ),
    # "possibly the most despised": a hedge on a superlative, not a possibility judged
    Variant(
        r"possibly|perhaps|maybe",
        S.EVEN,
        S.UNLIKELY,
        unless=(
            ("", r"(?:the\s+(?:most|least|best|worst|biggest|largest|greatest)|one\s+of)\b"),
            # "maybe 15 people", "two items, maybe three", "a 55% chance, maybe more": a
            # count or a number hedged, not a chance ("maybe 2017 will be" is one)
            (
                "",
                r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|"
                r"a\s+couple|a\s+dozen|dozens|hundreds|thousands|half)\b",
            ),
            ("", r"(?:more|less|higher|lower)\b(?=\s*(?:[.,;:!?)]|$))"),
            ("", r"!"),  # "Maybe!": a teasing reply, not a chance
        ),
    ),
    # "could not guarantee" is what someone was unable to do, not a possibility
    Variant(
        r"could",
        S.EVEN,
        S.UNLIKELY,
        unless=(
            ("", r"not\b(?!\s+be\s+(?:ruled\s+out|excluded|discounted))"),
            ("", r"\w+\s+(?:no|nothing|none)\b"),  # "could reach no agreement"
            *_WHO_COULD,
            *_WHETHER,
        ),
    ),
    Variant(
        r"may|might",
        S.EVEN,
        S.UNLIKELY,
        unless=(
            *_WHO_COULD,
            *_WHETHER,
            # "it might be better not to cut": advice hedged, not a chance
            ("", r"(?:well\s+)?be\s+(?:better|best|wiser|wise|worth|a\s+good\s+idea)\b"),
        ),
    ),
    # "Dorian should move over the Atlantic", "this should not be a major hurdle": what is
    # expected of a storm, a market or a plan; not advice to people ("residents should
    # monitor", "we should prepare"), nor "should it pick up speed" (a condition)
    Variant(
        r"should\s+not|shouldn[’']t",
        S.UNLIKELY,
        S.LIKELY,
        unless=_SHOULD_NOT_JUDGED,
    ),
    Variant(r"should", S.LIKELY, S.UNLIKELY, unless=_SHOULD_NOT_JUDGED),
)

# Words that turn the phrase after them into its negation when they stand just before it.
NEGATORS = (
    r"not",
    r"no",
    r"never",
    r"\w+n[’']t",
    r"neither",
    r"nor",
    r"hardly",
    r"(?:expressed\s+)?(?:skepticism|scepticism|doubts?)\s+(?:about|over|on|regarding)",
    r"(?:is|are|was|were)\s+skeptical\s+(?:about|of)",
    r"rule[sd]?\s+out",
)
_NEGATION = re.compile(
    r"(?:^|(?<=\W))(?:" + "|".join(NEGATORS) + r")(?:\s+\w+){0,2}\s*$", re.IGNORECASE
)


def negated_before(prefix: str) -> bool:
    """Whether the words just before a phrase negate it ("not", "skepticism about the")."""
    return bool(_NEGATION.search(prefix[-60:]))


@dataclass(frozen=True)
class Reading:
    """What a phrase means on a scale: the term, its range and its point value."""

    scale: str
    term: str
    low: float
    high: float
    probability: float
    negated: bool = False


def read(variant: Variant, scale: Scale, *, negated: bool = False, phrase: str = "") -> Reading:
    """Map a lexicon variant (negated or not) to a term of ``scale``."""
    chosen: Term | None = None
    if not negated:
        for words in (phrase, variant.term or ""):
            if words and (chosen := scale.find(words)) is not None:
                break
    if chosen is None:
        chosen = scale.term_at(variant.negated_step if negated else variant.step)
    return Reading(scale.name, chosen.label, chosen.low, chosen.high, chosen.point, negated)


# User configuration --------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The default scale and the user's own phrases, each with the probability it maps to."""

    scale: Scale = DEFAULT_SCALE
    phrases: dict[str, Reading] = field(default_factory=dict)
    user: str | None = None
    """Who writes are recorded as made by (the OS user when not set)."""


CONFIG_TEMPLATE = """\
# forecasts configuration
# scale: the default verbal scale: "ICD 203", "PHIA", "Kent" or "Survey".
scale = "ICD 203"

# user: who your writes are recorded as made by, in every history (default: your OS user).
# user = "Jane Analyst"

# Your own estimative phrases, each mapped to a term of the default scale or to a
# probability ("5%", "0.05", "1:19"). They are detected beside the built-in lexicon.
[phrases]
# "a long shot" = "very unlikely"
# "odds-on" = "70%"
"""


def parse_settings(text: str, source: str) -> Settings:
    """Read a configuration file's text; ``source`` names the file in error messages.

    A problem is refused with one line naming the file, the line and what is wrong.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("config", source, f"is not valid TOML: {exc}") from None
    lines = text.splitlines()

    def where(key: str) -> str:
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped.startswith((f'"{key}"', f"'{key}'", f"{key} ", f"{key}=")):
                return f"{source}, line {number}"
        return source

    unknown = set(data) - {"scale", "phrases", "user"}
    if unknown:
        key = sorted(unknown)[0]
        raise InvalidInput("config", where(key), f"has an unknown setting {key!r}")
    scale = DEFAULT_SCALE
    if "scale" in data:
        if not isinstance(data["scale"], str):
            raise InvalidInput("config", where("scale"), "gives a scale that is not a name")
        try:
            scale = get_scale(data["scale"])
        except InvalidInput as exc:
            raise InvalidInput(
                "config", where("scale"), f"scale {data['scale']!r} {exc.problem}"
            ) from None
    phrases: dict[str, Reading] = {}
    table = data.get("phrases", {})
    if not isinstance(table, dict):
        raise InvalidInput("config", where("phrases"), "must be a table of phrase = term")
    for phrase, meaning in table.items():
        phrases[_fold(phrase)] = _phrase_reading(phrase, meaning, scale, where(phrase))
    user = data.get("user")
    if user is not None and (not isinstance(user, str) or not user.strip()):
        raise InvalidInput("config", where("user"), "user must be a name in quotes")
    return Settings(scale=scale, phrases=phrases, user=user.strip() if user else None)


def _phrase_reading(phrase: str, meaning: object, scale: Scale, where: str) -> Reading:
    """What a phrase of the configuration means: a term of the scale, or a probability."""
    if not phrase.strip() or not re.search(r"\w", phrase):
        raise InvalidInput("config", where, f"phrase {phrase!r} has no words")
    if isinstance(meaning, int | float) and not isinstance(meaning, bool):
        meaning = str(meaning)
    if not isinstance(meaning, str):
        raise InvalidInput(
            "config", where, f"phrase {phrase!r} must map to a term or a probability"
        )
    found = scale.find(meaning)
    if found is not None:
        return Reading(scale.name, found.label, found.low, found.high, found.point)
    try:
        p = parse_probability(meaning)
    except InvalidInput:
        known = ", ".join(t.label for t in scale.terms)
        raise InvalidInput(
            "config",
            where,
            f"phrase {phrase!r} maps to {meaning!r}, which is neither a term of "
            f"{scale.name} ({known}) nor a probability",
        ) from None
    return Reading("user", meaning.strip(), p, p, p)


def match_phrase(text: str, scale: Scale, settings: Settings | None = None) -> Reading | None:
    """Read ``text`` as a whole estimative phrase ("very unlikely", "slim chance") on ``scale``."""
    folded = _fold(text)
    if settings is not None and folded in settings.phrases:
        return settings.phrases[folded]
    found = scale.find(text)
    if found is not None:
        return Reading(scale.name, found.label, found.low, found.high, found.point)
    words = text.strip()
    from forecasts.stated import stated  # stated readings are built on this module's Reading

    numbers = stated(words)
    if len(numbers) == 1 and (numbers[0].start, numbers[0].end) == (0, len(words)):
        return numbers[0].reading  # "a 30% chance", "one in five", "odds of 3 to 1"
    for variant in LEXICON:
        if variant.regex.fullmatch(words):
            return read(variant, scale, phrase=words)
    # "not likely", "skepticism about the possibility of": a negator, then a phrase.
    for variant in LEXICON:
        for match in variant.regex.finditer(words):
            prefix = words[: match.start()]
            if match.end() == len(words) and prefix.strip() and _NEGATION.match(prefix):
                return read(variant, scale, negated=True)
    return None


def parse_judgment(
    text: str, scale: Scale, settings: Settings | None = None, field: str = "probability"
) -> tuple[float, Reading | None]:
    """A probability typed as 0.15, 15%, odds 1:6, a number in words ("a 30% chance",
    "50/50") or a verbal phrase read on ``scale``."""
    try:
        return parse_probability(text, field), None
    except InvalidInput as exc:
        if not isinstance(text, str) or re.fullmatch(
            r"\s*(?:nan|inf(?:inity)?)\s*", text, re.IGNORECASE
        ):
            raise exc from None
        reading = match_phrase(text, scale, settings)
        if reading is not None:
            return reading.probability, reading
        if re.search(r"[a-zA-Z]", text):
            raise InvalidInput(
                field,
                text,
                f"is not a probability; give 0.15, 15%, odds 1:6 or a phrase of {scale.name} "
                f"({', '.join(t.label for t in scale.terms)})",
            ) from None
        raise exc from None
