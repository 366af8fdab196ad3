"""Likeness of names and of sentences, for matching what an article says to what is stored:
the forecaster a phrase is attributed to, and the questions a sentence is most about.

Names are compared folded (accents dropped, case folded) word by word, with difflib's ratio
for spelling slips; sentences by TF-IDF cosine over words cut to their first six letters, a
crude stem that joins "attend", "attends" and "attending". Both are small and offline.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

WORD_LIKENESS = 0.8  # difflib ratio at which two words of a name are taken as the same
STEM = 6  # letters kept of each word when comparing sentences

_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = frozenset(
    """a about after against all also an and any are as at be been before being but by can
    could did do does for from had has have he her his if in into is it its may might more
    most no not of on or other over said says she should so such than that the their them
    then there these they this those through to under until up was we were what when where
    which while who will with would yes you""".split()  # noqa: SIM905
)


def fold(text: str) -> str:
    """``text`` folded for comparing: accents dropped, case folded, white space collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def similar_names(name: str, names: Sequence[str], *, limit: int = 3) -> list[str]:
    """Stored names that ``name`` nearly matches, ignoring case and accents: the same once
    folded, one containing the other as a word ("experts" in "Experts cited by The Korea
    Herald"), or close in spelling ("Cha Du-hyeong" for "Cha Du-hyeogn"). Best first."""
    wanted = fold(name)
    if not wanted:
        return []
    folded = {fold(candidate): candidate for candidate in names}
    found = [folded[wanted]] if wanted in folded else []
    words = set(wanted.split())
    found += [
        original
        for plain, original in folded.items()
        if original not in found and (words <= set(plain.split()) or wanted in plain)
    ]
    close = difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.75)
    found += [folded[plain] for plain in close if folded[plain] not in found]
    return found[:limit]


def match_forecaster(
    attribution: str | None,
    names: Sequence[str],
    *,
    outlet: str | None = None,
    quoted: Collection[str] = (),
) -> str | None:
    """The stored forecaster an article's ``attribution`` names, or None when no one is a
    safe match.

    Every word of the attribution must match a word of the name (ignoring case and accents,
    allowing a slip such as "Others" for "Other"). Among those names, one already quoted from
    the same source (``quoted``), or naming the source's ``outlet``, comes first, then the
    one with the fewest extra words: "experts" in a Korea Herald article finds "Experts cited
    by The Korea Herald" before "Other experts cited by The Korea Herald". A name with extra
    words is taken only when it is the sole match or has one of those two ties to the source,
    so "experts" in another outlet's article is not given to the Korea Herald's experts.
    """
    wanted = fold(attribution or "").split()
    if not wanted:
        return None
    tied = {fold(name) for name in quoted}
    outlet_folded = fold(outlet or "")
    found = []
    for name in names:
        words = fold(name).split()
        if not all(_has_word(words, word) for word in wanted):
            continue
        folded = " ".join(words)
        linked = folded in tied or bool(outlet_folded and outlet_folded in folded)
        likeness = difflib.SequenceMatcher(None, " ".join(wanted), folded).ratio()
        found.append((not linked, len(words) - len(wanted), -likeness, name, linked))
    if not found:
        return None
    found.sort()
    _, extra, _, best, linked = found[0]
    return best if extra == 0 or linked or len(found) == 1 else None


def _has_word(words: Sequence[str], wanted: str) -> bool:
    return any(
        word == wanted or difflib.SequenceMatcher(None, word, wanted).ratio() >= WORD_LIKENESS
        for word in words
    )


def terms(text: str) -> list[str]:
    """The words of ``text`` that carry meaning, folded and cut to their stem."""
    words = (word.removesuffix("s") if len(word) > 3 else word for word in _words(text))
    return [word[:STEM] for word in words if word not in _STOPWORDS]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text).replace("\u2019", "'").replace("'s", ""))


class Likeness:
    """How much a sentence is like each of a fixed set of documents: the cosine of their
    TF-IDF vectors, 0..1, the inverse document frequency of a term being
    ln((1 + n) / (1 + df)) + 1 over the n documents. The documents' vectors are worked out
    once, so many sentences are compared with many documents quickly: only the documents
    sharing a term with the sentence are visited."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._index([terms(document) for document in documents])

    @classmethod
    def of_terms(cls, documents: Sequence[Sequence[str]]) -> Likeness:
        """The likeness to documents given as their terms (:func:`terms`)."""
        likeness = cls.__new__(cls)
        likeness._index(documents)
        return likeness

    def _index(self, documents: Sequence[Sequence[str]]) -> None:
        bags = [Counter(document) for document in documents]
        self.counts = Counter(term for bag in bags for term in bag)
        self.total = len(documents)
        self.norms = []
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for index, bag in enumerate(bags):
            weights = self._vector(bag)
            self.norms.append(_norm(weights))
            for term, weight in weights.items():
                self.postings.setdefault(term, []).append((index, weight))

    def _vector(self, bag: Counter[str]) -> dict[str, float]:
        return {
            term: count * (math.log((1 + self.total) / (1 + self.counts[term])) + 1.0)
            for term, count in bag.items()
        }

    def scores(self, sentence: str) -> list[float]:
        """The likeness of ``sentence`` to each document, in the documents' order."""
        query = self._vector(Counter(terms(sentence)))
        query_norm = _norm(query)
        dots: dict[int, list[float]] = {}
        for term, value in query.items():
            for index, weight in self.postings.get(term, ()):
                dots.setdefault(index, []).append(value * weight)
        found = [0.0] * self.total
        for index, parts in dots.items():
            found[index] = math.fsum(parts) / (self.norms[index] * query_norm)
        return found


def _norm(weights: dict[str, float]) -> float:
    return math.sqrt(math.fsum(value * value for value in weights.values())) or 1.0


def likeness(sentence: str, documents: Sequence[str]) -> list[float]:
    """How much each of ``documents`` is like ``sentence`` (see :class:`Likeness`)."""
    return Likeness(documents).scores(sentence)


def rank_by_likeness(sentence: str, documents: Sequence[str]) -> list[int]:
    """The indexes of ``documents``, the one most like ``sentence`` first; ties keep their
    order."""
    scores = likeness(sentence, documents)
    return sorted(range(len(documents)), key=lambda index: -scores[index])
