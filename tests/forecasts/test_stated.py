"""Probabilities written as numbers in prose, first-person and reported expectations, and
attribution that follows the clause: each form read as its words say, worked out by hand."""

from __future__ import annotations

import pytest

from forecasts.detect import Detection, scan
from forecasts.errors import InvalidInput
from forecasts.stated import STATED
from forecasts.verbal import PHIA, SURVEY, parse_judgment


def only(text: str, **options) -> Detection:
    found = scan(text, **options)
    assert len(found) == 1, [(d.phrase, d.reading.term) for d in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "phrase", "term", "low", "high", "point"),
    [
        ("There is a 30% chance of a deal.", "a 30% chance", "30%", 0.3, 0.3, 0.3),
        ("They see a 30 percent chance of talks.", "a 30 percent chance", "30%", 0.3, 0.3, 0.3),
        ("An 80 per cent likelihood of war.", "An 80 per cent likelihood", "80%", 0.8, 0.8, 0.8),
        ("Kim is 70% likely to go.", "70% likely", "70%", 0.7, 0.7, 0.7),
        ("I am 90 percent sure he goes.", "90 percent sure", "90%", 0.9, 0.9, 0.9),
        ("A 2.5% risk of default.", "A 2.5% risk", "2.5%", 0.025, 0.025, 0.025),
        # a range is its midpoint, the range kept
        ("A 60-70% probability of a visit.", "A 60-70% probability", "60-70%", 0.6, 0.7, 0.65),
        ("A 60%–70% chance of rain.", "A 60%–70% chance", "60-70%", 0.6, 0.7, 0.65),
        ("A 10 to 20 percent chance.", "A 10 to 20 percent chance", "10-20%", 0.1, 0.2, 0.15),
        # a bound is the number, the range open on its side
        (
            "There is a better than 50% chance of a cut.",
            "a better than 50% chance",
            "better than 50%",
            0.5,
            1.0,
            0.5,
        ),
        ("Less than 10% chance of it.", "Less than 10% chance", "less than 10%", 0.0, 0.1, 0.1),
        (
            "The probability of a summit this year is below 5%.",
            "The probability of a summit this year is below 5%",
            "below 5%",
            0.0,
            0.05,
            0.05,
        ),
        # the number stated after its noun, or "put at"
        (
            "The odds of a ceasefire stand at about 40%.",
            "The odds of a ceasefire stand at about 40%",
            "40%",
            0.4,
            0.4,
            0.4,
        ),
        (
            "Traders put the chance of a rate cut in June at 25%.",
            "put the chance of a rate cut in June at 25%",
            "25%",
            0.25,
            0.25,
            0.25,
        ),
        # one in N
        ("It is a one in five chance.", "a one in five chance", "1 in 5", 0.2, 0.2, 0.2),
        ("A one-in-three shot.", "A one-in-three shot", "1 in 3", 1 / 3, 1 / 3, 1 / 3),
        ("The odds are 1 in 4.", "odds are 1 in 4", "1 in 4", 0.25, 0.25, 0.25),
        ("One chance in ten.", "One chance in ten", "1 in 10", 0.1, 0.1, 0.1),
        # odds: for to against, unless against or a bookmaker's shot
        ("The odds of 3 to 1 favour Kim.", "odds of 3 to 1", "3 to 1", 0.75, 0.75, 0.75),
        (
            "The odds are 3 to 1 against a deal.",
            "odds are 3 to 1 against",
            "3 to 1 against",
            0.25,
            0.25,
            0.25,
        ),
        (
            "He is a 100-to-1 shot.",
            "a 100-to-1 shot",
            "100 to 1 against",
            1 / 101,
            1 / 101,
            1 / 101,
        ),
        ("It offers 2:1 odds.", "2:1 odds", "2 to 1", 2 / 3, 2 / 3, 2 / 3),
        # even chances said as numbers
        ("It is 50/50 whether he goes.", "50/50", "50%", 0.5, 0.5, 0.5),
        ("Frankly, a coin flip.", "a coin flip", "50%", 0.5, 0.5, 0.5),
        ("The vote is a toss-up.", "a toss-up", "50%", 0.5, 0.5, 0.5),
        ("Odds are fifty-fifty.", "fifty-fifty", "50%", 0.5, 0.5, 0.5),
    ],
)
def test_a_stated_probability_is_read_exactly(text, phrase, term, low, high, point) -> None:
    found = only(text)
    assert found.phrase == phrase
    assert found.reading.scale == STATED
    assert found.reading.term == term
    assert found.reading.low == pytest.approx(low, abs=1e-12)
    assert found.reading.high == pytest.approx(high, abs=1e-12)
    assert found.reading.probability == pytest.approx(point, abs=1e-12)
    assert text[found.phrase_start : found.phrase_end] == phrase


@pytest.mark.parametrize(
    ("text", "prices"),
    [
        # a bookmaker's price is odds against: a/b gives b in a + b
        ("Sky Bet priced him at 5/1 last night.", [("5/1", "5 to 1 against", 1 / 6)]),
        ("Martinez is now as short as 1/2 after the punting.", [("1/2", "1 to 2 against", 2 / 3)]),
        (
            "His price fell from 6/5 to 17/20.",
            [("6/5", "6 to 5 against", 5 / 11), ("17/20", "17 to 20 against", 20 / 37)],
        ),
        ("Sam Allardyce is 16s with Paddy Power.", [("16s", "16 to 1 against", 1 / 17)]),
        ("On Betfair, England were trading at 1.64.", [("1.64", "1.64 (decimal odds)", 1 / 1.64)]),
        # a line of an odds list needs no word of betting
        ("Jesse Marsch – 1/2", [("1/2", "1 to 2 against", 2 / 3)]),
        ("- 10/3 - Liam Rosenior", [("10/3", "10 to 3 against", 3 / 13)]),
    ],
)
def test_a_bookmakers_price_is_read_as_odds_against(text: str, prices: list) -> None:
    found = [d for d in scan(text) if d.reading.scale == STATED]
    assert [(d.phrase, d.reading.term) for d in found] == [(p, t) for p, t, _ in prices]
    for detection, (_, _, value) in zip(found, prices, strict=True):
        assert detection.reading.probability == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "The shop is open 24/7.",
        "Carver is 1/3 of the way there.",
        "Odds correct at 16:40 GMT (30/12/25)",
        "Recommended bets are advised to over-18s only.",
        "Betting was popular in the 1980s and the 90s.",
        "The motion passed 2/1 in the committee.",
        "The bill was backed by 2/3 of members.",
        "Prices rose in 3/4 of the market.",
    ],
)
def test_a_figure_that_is_no_price_is_not_read_as_one(text: str) -> None:
    assert [d.phrase for d in scan(text) if d.reading.scale == STATED] == []


def test_a_number_is_read_the_same_on_every_scale() -> None:
    """50/50 is one half on the Survey scale too, where "a real possibility" is 60%."""
    for scale in (PHIA, SURVEY):
        assert only("It is 50/50 whether he goes.", scale=scale).reading.probability == 0.5
        assert only("A 30% chance of rain.", scale=scale).reading.probability == 0.3


@pytest.mark.parametrize(
    "text",
    [
        "About 30% of the troops were withdrawn.",
        "The economy grew 3 percent last year.",
        "Turnout rose to 60-70% in the north.",
        "One in five soldiers was wounded.",
        "The score was 3 to 1 at half time.",
        "Prices fell 50% in a year.",
        "A 150% chance is not a chance.",
    ],
)
def test_numbers_that_are_not_judgments_are_not_read(text: str) -> None:
    assert [d.phrase for d in scan(text)] == []


@pytest.mark.parametrize(
    ("text", "phrase", "term", "negated"),
    [
        ("I expect a deal by June.", "expect", "likely", False),
        ("We don't expect a ceasefire.", "expect", "unlikely", True),
        ("Analysts are expecting a rate cut.", "expecting", "likely", False),
        ("There is an outside chance of a summit.", "an outside chance of", "very unlikely", False),
        (
            "He left on the off-chance that she called.",
            "on the off-chance that",
            "very unlikely",
            False,
        ),
        ("A better than even chance of a visit.", "better than even chance", "likely", False),
        ("Less than even odds of a deal.", "Less than even odds", "unlikely", False),
    ],
)
def test_first_person_and_reported_forms_join_the_lexicon(text, phrase, term, negated) -> None:
    found = only(text)
    assert (found.phrase, found.reading.term, found.negated) == (phrase, term, negated)


def test_attribution_follows_the_clause_not_the_first_speaker() -> None:
    """The writer's "probably" after "so" is the writer's own, not Wall Street's."""
    text = "Wall Street expects the Fed to cut rates, so the share price will probably go down."
    expects, probably = scan(text)
    assert (expects.phrase, expects.attribution) == ("expects", "Wall Street")
    assert expects.event == "the Fed to cut rates"
    assert (probably.phrase, probably.attribution) == ("probably", None)


@pytest.mark.parametrize(
    ("text", "attributions"),
    [
        # the speaker's words reach every phrase of what they said
        ("Cha said a deal was likely and a summit possible.", ["Cha", "Cha"]),
        ("A deal is unlikely, Cha said.", ["Cha"]),
        ("Analysts put the chance of a cut at 60%.", ["Analysts"]),
        # the writer takes the word back
        ("Analysts expect a cut; a pause is more likely.", ["Analysts", None]),
        ("Experts say a deal is likely, but I think it is unlikely.", ["Experts", None]),
        ("Officials expect talks, and we expect nothing.", ["Officials", None]),
    ],
)
def test_each_phrase_is_attributed_by_its_own_clause(text: str, attributions: list) -> None:
    assert [d.attribution for d in scan(text)] == attributions


@pytest.mark.parametrize(
    ("typed", "term", "value"),
    [
        ("a 30% chance", "30%", 0.3),
        ("one in five chance", "1 in 5", 0.2),
        ("odds of 3 to 1 against", "3 to 1 against", 0.25),
        ("50/50", "50%", 0.5),
        ("a coin flip", "50%", 0.5),
        ("a 60-70% probability", "60-70%", 0.65),
    ],
)
def test_a_number_in_words_is_taken_where_a_probability_is_typed(typed, term, value) -> None:
    """So a stated judgment found in a source can be logged with its phrase, as a verbal
    one is."""
    probability, reading = parse_judgment(typed, PHIA)
    assert reading is not None and (reading.scale, reading.term) == (STATED, term)
    assert probability == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize("typed", ["30% of the troops", "5/0", "one in five soldiers"])
def test_a_number_in_words_that_is_no_judgment_is_still_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="is not a probability"):
        parse_judgment(typed, PHIA)
