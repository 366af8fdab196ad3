"""Verbal scales as published, the lexicon of variants and negations, and the user's config."""

from __future__ import annotations

import pytest

from forecasts.errors import InvalidInput
from forecasts.verbal import (
    ICD_203,
    KENT,
    PHIA,
    SCALES,
    SURVEY,
    get_scale,
    match_phrase,
    parse_judgment,
    parse_settings,
)

# (label, aliases, low %, high %, point %) as the sources publish them; points are the
# midpoint of the range unless the scale gives a value.
ICD_TABLE = [
    ("almost no chance", ("remote",), 1, 5, 3),
    ("very unlikely", ("highly improbable",), 5, 20, 12.5),
    ("unlikely", ("improbable",), 20, 45, 32.5),
    ("roughly even chance", ("roughly even odds",), 45, 55, 50),
    ("likely", ("probable",), 55, 80, 67.5),
    ("very likely", ("highly probable",), 80, 95, 87.5),
    ("almost certain", ("nearly certain",), 95, 99, 97),
]
PHIA_TABLE = [
    ("remote chance", (), 0, 5, 2.5),
    ("highly unlikely", (), 10, 20, 15),
    ("unlikely", (), 25, 35, 30),
    ("realistic possibility", (), 40, 50, 45),
    ("likely", ("probable",), 55, 75, 65),
    ("highly likely", (), 80, 90, 85),
    ("almost certain", (), 95, 100, 97.5),
]
KENT_TABLE = [  # Kent gives a point and a spread: 93 +/- 6 is 87-99
    ("certain", 100, 100, 100),
    ("almost certain", 87, 99, 93),
    ("probable", 63, 87, 75),
    ("chances about even", 40, 60, 50),
    ("probably not", 20, 40, 30),
    ("almost certainly not", 2, 12, 7),
    ("impossible", 0, 0, 0),
]
SURVEY_POINTS = {
    "real possibility": 60,
    "serious possibility": 66,
    "likely": 70,
    "probably": 70,
    "unlikely": 20,
    "almost certainly": 90,
    "little chance": 10,
    "chances are slight": 10,
}


def test_icd_203_table() -> None:
    assert [(t.label, t.aliases) for t in ICD_203.terms] == [(r[0], r[1]) for r in ICD_TABLE]
    for term, (_, _, low, high, point) in zip(ICD_203.terms, ICD_TABLE, strict=True):
        assert (term.low, term.high) == pytest.approx((low / 100, high / 100))
        assert term.point == pytest.approx(point / 100)


def test_phia_yardstick_keeps_its_gaps() -> None:
    assert [(t.label, t.aliases) for t in PHIA.terms] == [(r[0], r[1]) for r in PHIA_TABLE]
    for term, (_, _, low, high, point) in zip(PHIA.terms, PHIA_TABLE, strict=True):
        assert (term.low, term.high, term.point) == pytest.approx(
            (low / 100, high / 100, point / 100)
        )
    gaps = [(a.high, b.low) for a, b in zip(PHIA.terms, PHIA.terms[1:], strict=False)]
    assert all(high < low for high, low in gaps[:-1])  # 5-10, 20-25, 35-40, 50-55, 75-80...


def test_kent_words_of_estimative_probability() -> None:
    assert [t.label for t in KENT.terms] == [r[0] for r in KENT_TABLE]
    for term, (_, low, high, point) in zip(KENT.terms, KENT_TABLE, strict=True):
        assert (term.low, term.high, term.point) == pytest.approx(
            (low / 100, high / 100, point / 100)
        )


def test_survey_medians() -> None:
    for phrase, median in SURVEY_POINTS.items():
        assert SURVEY.lookup(phrase).point == pytest.approx(median / 100), phrase


def test_scales_are_found_by_name_or_alias() -> None:
    assert get_scale("icd 203") is ICD_203
    assert get_scale("ICD203") is ICD_203
    assert get_scale("phia") is PHIA
    assert get_scale("Kent") is KENT
    assert get_scale("mauboussin") is SURVEY
    assert ICD_203.name == "ICD 203" and SCALES[0] is ICD_203
    with pytest.raises(InvalidInput, match="scale: 'NATO' is not a known scale"):
        get_scale("NATO")


@pytest.mark.parametrize(
    ("phrase", "scale", "term", "point"),
    [
        ("chances remain slim", ICD_203, "very unlikely", 0.125),
        ("slim chance", ICD_203, "very unlikely", 0.125),
        ("little chance", SURVEY, "little chance", 0.10),
        ("little chance", PHIA, "highly unlikely", 0.15),
        ("remote", ICD_203, "almost no chance", 0.03),
        ("not expected to", ICD_203, "unlikely", 0.325),
        ("is expected to", ICD_203, "likely", 0.675),
        ("is expected to", PHIA, "likely", 0.65),
        ("set to", ICD_203, "very likely", 0.875),
        ("the prospect of", ICD_203, "roughly even chance", 0.5),
        ("the prospect of", PHIA, "realistic possibility", 0.45),
        ("a possibility", PHIA, "realistic possibility", 0.45),
        ("possibly", ICD_203, "roughly even chance", 0.5),
        ("could", PHIA, "realistic possibility", 0.45),
        ("may", ICD_203, "roughly even chance", 0.5),
        ("would likely", ICD_203, "likely", 0.675),
        ("would likely", KENT, "probable", 0.75),
        ("real possibility", SURVEY, "real possibility", 0.60),
        ("serious possibility", SURVEY, "serious possibility", 0.66),
        ("likely", KENT, "probable", 0.75),
        ("unlikely", KENT, "probably not", 0.30),
        ("highly unlikely", PHIA, "highly unlikely", 0.15),
        ("almost certainly", SURVEY, "almost certainly", 0.90),
        # negations
        ("not likely", ICD_203, "unlikely", 0.325),
        ("not likely", PHIA, "unlikely", 0.30),
        ("not unlikely", ICD_203, "likely", 0.675),
        ("no indications of", ICD_203, "very unlikely", 0.125),
        ("not possible", ICD_203, "unlikely", 0.325),
    ],
)
def test_variants_map_as_documented(phrase, scale, term, point) -> None:
    reading = match_phrase(phrase, scale)
    assert reading is not None, phrase
    assert (reading.term, reading.probability) == (term, pytest.approx(point))
    assert reading.scale == scale.name


def test_negation_flags_the_reading() -> None:
    assert match_phrase("not likely", ICD_203).negated
    assert not match_phrase("likely", ICD_203).negated


def test_judgments_typed_as_numbers_or_phrases() -> None:
    assert parse_judgment("15%", ICD_203) == (0.15, None)
    p, reading = parse_judgment("very unlikely", PHIA)
    assert (p, reading.term) == (0.15, "highly unlikely")
    with pytest.raises(InvalidInput, match="or a phrase of ICD 203"):
        parse_judgment("sorta", ICD_203)
    with pytest.raises(InvalidInput, match="not a finite number"):
        parse_judgment("nan", ICD_203)


def test_config_sets_scale_and_phrases() -> None:
    settings = parse_settings(
        'scale = "PHIA"\n\n[phrases]\n"a long shot" = "highly unlikely"\n"odds-on" = "70%"\n',
        "config.toml",
    )
    assert settings.scale is PHIA
    assert settings.phrases["a long shot"].probability == pytest.approx(0.15)
    assert settings.phrases["odds-on"].probability == pytest.approx(0.70)
    assert match_phrase("A long shot", ICD_203, settings).probability == pytest.approx(0.15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('scale = "NATO"\n', "config: 'config.toml, line 1' scale 'NATO' is not a known scale"),
        (
            'scale = "ICD 203"\n[phrases]\n"fat chance" = "nope"\n',
            "config: 'config.toml, line 3' phrase 'fat chance' maps to 'nope', which is neither",
        ),
        ('[phrases]\n"x" = "150%"\n', "config: 'config.toml, line 2' phrase 'x' maps to '150%'"),
        ('colour = "blue"\n', "config: 'config.toml, line 1' has an unknown setting 'colour'"),
        ("scale = \n", "config: 'config.toml' is not valid TOML: "),
        (
            '[phrases]\n"..." = "likely"\n',
            "config: 'config.toml, line 2' phrase '...' has no words",
        ),
    ],
)
def test_a_bad_config_entry_gets_one_line_naming_file_and_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_settings(text, "config.toml")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
