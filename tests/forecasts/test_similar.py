"""Matching an article's attribution to a stored forecaster, and ranking questions by how
much they are like a sentence."""

from __future__ import annotations

import math

from forecasts.similar import likeness, match_forecaster, rank_by_likeness, terms

NAMES = [
    "Experts cited by The Korea Herald",
    "Other experts cited by The Korea Herald",
    "Observers in Seoul cited by The Korea Herald",
    "Cha Du-hyeogn",
    "Hong Min",
    "Ölmann",
    "China's foreign ministry",
]


def test_a_group_is_found_by_its_word_and_the_articles_outlet() -> None:
    herald = "The Korea Herald"
    assert match_forecaster("experts", NAMES, outlet=herald) == NAMES[0]
    assert match_forecaster("EXPERTS", NAMES, outlet=herald) == NAMES[0]
    assert match_forecaster("Others", NAMES, outlet=herald) == NAMES[1]  # a slip of one letter
    assert match_forecaster("observers", NAMES, outlet=herald) == NAMES[2]


def test_a_group_of_another_outlet_is_not_taken() -> None:
    assert match_forecaster("experts", NAMES, outlet="NK News") is None
    assert match_forecaster("experts", NAMES) is None


def test_a_forecaster_already_quoted_from_the_source_is_taken() -> None:
    quoted = {"Other experts cited by The Korea Herald"}
    assert match_forecaster("experts", NAMES, quoted=quoted) == NAMES[1]


def test_people_are_matched_ignoring_case_accents_and_slips() -> None:
    assert match_forecaster("cha du-hyeong", NAMES) == "Cha Du-hyeogn"
    assert match_forecaster("OLMANN", NAMES) == "Ölmann"
    assert match_forecaster("China’s Foreign Ministry", NAMES) == "China's foreign ministry"
    assert match_forecaster("Hong", NAMES) == "Hong Min"  # the only name with that word


def test_nobody_is_matched_from_nothing_or_a_stranger() -> None:
    assert match_forecaster(None, NAMES) is None
    assert match_forecaster("  ", NAMES) is None
    assert match_forecaster("Kim Jong Un", NAMES) is None
    assert match_forecaster("experts", []) is None


def test_terms_fold_drop_small_words_and_cut_to_a_stem() -> None:
    assert terms("Kim attending Russia’s May 9 Victory Day celebrations") == [
        "kim",
        "attend",
        "russia",
        "9",
        "victor",
        "day",
        "celebr",
    ]
    assert terms("Will Kim attend?") == ["kim", "attend"]


def test_questions_most_like_the_sentence_come_first() -> None:
    titles = [
        "Will Russia and Ukraine agree a general ceasefire?",
        "Will Kim Jong Un attend the 9 May Victory Day parade in Moscow?",
        "Will Xi Jinping attend the 9 May Victory Day parade in Moscow?",
        "Will North Korea send further troops to Russia?",
    ]
    sentence = (
        "experts agree that the chances of Kim attending Russia's May 9 Victory Day remain slim"
    )
    order = rank_by_likeness(sentence, titles)
    assert order[:2] == [1, 2]
    assert rank_by_likeness("further troops from North Korea", titles)[0] == 3
    assert rank_by_likeness("", titles) == [0, 1, 2, 3]  # nothing alike: the order kept


def test_likeness_is_tf_idf_cosine_worked_by_hand() -> None:
    # Documents "kim parade" and "kim visit visit"; the sentence "kim visit".
    # idf(kim) = ln(3/3) + 1 = 1; idf(visit) = idf(parade) = ln(3/2) + 1 = w.
    # sentence (1, w) over (kim, visit); doc0 (1, 0, w) over (kim, visit, parade);
    # doc1 (1, 2w).
    w = math.log(1.5) + 1
    sentence = math.sqrt(1 + w * w)
    expected = [
        1 / (sentence * math.sqrt(1 + w * w)),
        (1 + 2 * w * w) / (sentence * math.sqrt(1 + 4 * w * w)),
    ]
    found = likeness("kim visit", ["kim parade", "kim visit visit"])
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(found, expected, strict=True))
    assert rank_by_likeness("kim visit", ["kim parade", "kim visit visit"]) == [1, 0]
