"""What people type: probabilities as 0.15, 15% or odds, and dates."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecasts.errors import InvalidInput
from forecasts.parsing import check_probability, parse_date, parse_moment, parse_probability


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0.15", 0.15),
        ("15%", 0.15),
        (" 15 % ", 0.15),
        ("0", 0.0),
        ("1", 1.0),
        ("100%", 1.0),
        ("0.5%", 0.005),
        ("1:6", 1 / 7),
        ("3:1", 0.75),
        ("1 : 1", 0.5),
    ],
)
def test_probability_forms(typed: str, expected: float) -> None:
    assert parse_probability(typed) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1.5", "not between 0 and 1 (for a percentage write 1.5%)"),
        ("-0.1", "not between 0 and 1"),
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("abc", "not a probability"),
        ("", "is empty"),
        ("150%", "not between 0% and 100%"),
        ("-5%", "not between 0% and 100%"),
        ("0:0", "both sides are 0"),
        ("1:-2", "not a probability"),
        ("101", "not between 0 and 1"),
    ],
)
def test_bad_probabilities_name_field_and_value(typed: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_probability(typed)
    message = str(caught.value)
    assert message.startswith(f"probability: {typed!r}")
    assert problem in message
    assert "\n" not in message


@given(st.floats(min_value=0.0, max_value=1.0))
def test_any_probability_round_trips_as_decimal_and_percent(p: float) -> None:
    assert parse_probability(repr(p)) == p
    assert parse_probability(f"{p * 100!r}%") == pytest.approx(p, abs=1e-12)


@given(st.floats().filter(lambda x: math.isnan(x) or x < 0 or x > 1))
def test_no_number_outside_zero_one_is_accepted(x: float) -> None:
    with pytest.raises(InvalidInput):
        check_probability(x)
    with pytest.raises(InvalidInput):
        parse_probability(repr(x))


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_odds_are_for_to_against(favour: int, against: int) -> None:
    if favour + against == 0:
        with pytest.raises(InvalidInput):
            parse_probability(f"{favour}:{against}")
    else:
        assert parse_probability(f"{favour}:{against}") == pytest.approx(
            favour / (favour + against)
        )


def test_dates_and_moments() -> None:
    assert parse_date("2025-05-09", "published") == date(2025, 5, 9)
    assert parse_moment("2025-05-09", "close_at") == datetime(2025, 5, 9, tzinfo=UTC)
    assert parse_moment("2025-05-09", "close_at", end_of_day=True) == datetime(
        2025, 5, 9, 23, 59, 59, tzinfo=UTC
    )
    assert parse_moment("2025-05-09T10:30", "made_at") == datetime(2025, 5, 9, 10, 30, tzinfo=UTC)
    assert parse_moment("2025-05-09T10:30+09:00", "made_at") == datetime(
        2025, 5, 9, 1, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("typed", ["2025-13-01", "09/05/2025", "yesterday", "2025-02-30", " "])
def test_malformed_dates_are_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_moment(typed, "close_at")
    assert str(caught.value).startswith(f"close_at: {typed!r}")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_calendar_date_parses(day: date) -> None:
    assert parse_moment(day.isoformat(), "made_at").date() == day
    assert parse_date(day.isoformat(), "published") == day


def test_similar_names_ignore_case_and_accents_and_find_the_group() -> None:
    from forecasts.similar import similar_names

    names = ["Experts cited by The Korea Herald", "Cha Du-hyeogn", "Doo Jin-ho", "Ölmann"]
    assert similar_names("experts", names) == ["Experts cited by The Korea Herald"]
    assert similar_names("cha du-hyeong", names) == ["Cha Du-hyeogn"]  # a transposition
    assert similar_names("OLMANN", names) == ["Ölmann"]
    assert similar_names("Kim Jong Un", names) == []
    assert similar_names("  ", names) == []
