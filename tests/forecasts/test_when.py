"""Deadlines read from a sentence against the day its article was published, worked out by
hand, year boundaries included."""

from __future__ import annotations

from datetime import date

import pytest

from forecasts.when import deadline, deadlines

APRIL_28 = date(2025, 4, 28)  # a Monday
DECEMBER_20 = date(2024, 12, 20)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "published", "words", "day"),
    [
        ("Kim attending Russia’s May 9 Victory Day celebrations", APRIL_28, "May 9", "2025-05-09"),
        ("the parade on 9 May", APRIL_28, "9 May", "2025-05-09"),
        ("the parade on 9th May 2026", APRIL_28, "9th May 2026", "2026-05-09"),
        ("on May 9, 2025", APRIL_28, "May 9, 2025", "2025-05-09"),
        # a day already past at publication is next year's
        ("before the inauguration on January 20", DECEMBER_20, "January 20", "2025-01-19"),
        ("a summit by January 20", APRIL_28, "January 20", "2026-01-20"),
        (
            "before the US inauguration of 20 January 2025",
            DECEMBER_20,
            "20 January 2025",
            "2025-01-19",
        ),
        # a day just past is the one just past, a report rather than a deadline
        ("Gerasimov reported on April 26", APRIL_28, "April 26", "2025-04-26"),
        ("an agreement by year's end", APRIL_28, "year's end", "2025-12-31"),
        ("by the end of the year", DECEMBER_20, "the end of the year", "2024-12-31"),
        ("later this year", APRIL_28, "later this year", "2025-12-31"),
        ("talks next year", DECEMBER_20, "next year", "2025-12-31"),
        # "next month" across the year's end
        ("a visit next month", DECEMBER_20, "next month", "2025-01-31"),
        ("a visit next month", APRIL_28, "next month", "2025-05-31"),
        ("by the end of this month", APRIL_28, "the end of this month", "2025-04-30"),
        ("a decision next week", APRIL_28, "next week", "2025-05-11"),
        ("within six months", APRIL_28, "within six months", "2025-10-28"),
        ("within 3 weeks", DECEMBER_20, "within 3 weeks", "2025-01-10"),
        ("in the next two years", APRIL_28, "in the next two years", "2027-04-28"),
        # a month is its last day; one already past is next year's
        ("by June", APRIL_28, "by June", "2025-06-30"),
        ("in February", APRIL_28, "in February", "2026-02-28"),
        ("in February 2028", APRIL_28, "in February 2028", "2028-02-29"),
        ("by the end of May", APRIL_28, "end of May", "2025-05-31"),
        ("before June", APRIL_28, "before June", "2025-05-31"),
        ("by 2027", APRIL_28, "by 2027", "2027-12-31"),
        ("before 2027", APRIL_28, "before 2027", "2026-12-31"),
    ],
)
def test_a_deadline_is_read_against_the_publication_date(sentence, published, words, day):
    (found,) = deadlines(sentence, published)
    assert (found.words, found.day.isoformat()) == (words, day)
    assert sentence[found.start : found.end] == words


@pytest.mark.parametrize(
    "sentence",
    [
        "Kim may attend the parade",  # the verb, not the month
        "They may 9 times have tried",
        "He said it could happen",
        "On 31 February nothing happens",  # no such day
    ],
)
def test_words_that_are_no_deadline_are_not_read(sentence: str) -> None:
    assert deadlines(sentence, APRIL_28) == []


def test_the_deadline_of_a_sentence_is_its_latest_one_still_ahead() -> None:
    sentence = "After the April 26 report, a visit is possible by June or at the latest by 2026."
    assert [d.words for d in deadlines(sentence, APRIL_28)] == ["April 26", "by June", "by 2026"]
    found = deadline(sentence, APRIL_28)
    assert found is not None and found.day == date(2026, 12, 31)
    assert deadline("He spoke on April 27.", APRIL_28) is None  # only what is still to come
