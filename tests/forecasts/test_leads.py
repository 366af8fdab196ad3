"""Leads: a stated intention raises a question without judging its chance; who intends and
what they intend are read from its clause, and it is drafted beside the judgments."""

from __future__ import annotations

from datetime import date

import pytest

from forecasts.detect import scan
from forecasts.furniture import Span
from forecasts.leads import leads
from forecasts.suggest import lead_title, suggest


@pytest.mark.parametrize(
    ("text", "phrase", "who", "intends", "title"),
    [
        (
            "The announcement comes days after US President Donald Trump expressed interest in "
            "meeting Kim.",
            "expressed interest in",
            "President Donald Trump",
            "meeting Kim",
            "Will President Donald Trump meet Kim?",
        ),
        (
            "While Trump is pursuing negotiations with Putin over Ukraine and has also "
            "expressed interest in meeting Kim, China is positioning itself as a player.",
            "expressed interest in",
            "Trump",
            "meeting Kim",
            "Will Trump meet Kim?",
        ),
        (
            "State media added that Kim was “determined to make the combat sub-units of our "
            "armed forces participate in the war.”",
            "was “determined to",
            "Kim",
            "make the combat sub-units of our armed forces participate in the war",
            "Will Kim make the combat sub-units of our armed forces participate in the war?",
        ),
        (
            "Seoul is considering sending lethal aid to Kyiv.",
            "is considering",
            "Seoul",
            "sending lethal aid to Kyiv",
            "Will Seoul send lethal aid to Kyiv?",
        ),
        (
            "The club plans to appeal the red card, a spokesman said.",
            "plans to",
            None,
            "appeal the red card",
            "Will they appeal the red card?",
        ),
        (
            "He is threatening to shoot down Russian jets over Syria.",
            "is threatening to",
            "he",
            "shoot down Russian jets over Syria",
            "Will he shoot down Russian jets over Syria?",
        ),
        (
            "Lee Jae Myung has expressed a desire to engage with Kim.",
            "expressed a desire to",
            "Lee Jae Myung",
            "engage with Kim",
            "Will Lee Jae Myung engage with Kim?",
        ),
    ],
)
def test_a_stated_intention_is_a_lead(
    text: str, phrase: str, who: str | None, intends: str, title: str
) -> None:
    (lead,) = leads(text)
    assert text[lead.phrase_start : lead.phrase_end] == lead.phrase
    assert lead.phrase.replace("“", "") in phrase.replace("“", "")
    assert (lead.who, lead.event, lead_title(lead)) == (who, intends, title)
    assert text[lead.sentence_start : lead.sentence_end] == lead.sentence


def test_a_short_name_is_given_in_full_as_the_text_names_the_person() -> None:
    text = (
        "Kim Jong Un met Vladimir Putin in Vladivostok. Later, Kim vowed to send more "
        "engineers to Kursk."
    )
    (lead,) = leads(text)
    assert (lead.who, lead_title(lead)) == (
        "Kim Jong Un",
        "Will Kim Jong Un send more engineers to Kursk?",
    )


@pytest.mark.parametrize(
    "text",
    [
        "He has a keen interest in football.",  # an interest, not one expressed
        "The minister plans to.",  # too little to ask about
        "Does Trump intend to meet Kim?",  # a question asks; it does not say
        "Officials said the plans were shelved.",
        "It is likely that Trump plans to meet Kim.",  # the judgment raises this one
    ],
)
def test_no_lead(text: str) -> None:
    assert leads(text, detections=scan(text)) == []


def test_page_furniture_raises_nothing() -> None:
    text = "Subscribe: our editor plans to send you the week's news.\nTrump vowed to meet Kim."
    furniture = [Span(0, text.index("\n"), "subscribe")]
    assert [lead.who for lead in leads(text, furniture)] == ["Trump"]


def test_a_lead_joins_the_judgments_on_its_event_or_makes_a_draft_of_its_own() -> None:
    text = (
        "Trump has expressed interest in meeting Kim Jong Un in Panmunjom. Analysts said that "
        "Trump meeting Kim in Panmunjom is unlikely. Separately, Seoul plans to expand its air "
        "defence network next year."
    )
    detections = scan(text)
    drafts = suggest(text, detections, published=date(2025, 10, 20), leads=leads(text))
    met, shielded = drafts
    assert met.title == "Will Trump meet Kim in Panmunjom?"
    assert [j.detection.phrase for j in met.judgments] == ["unlikely"]
    assert [lead.event for lead in met.leads] == ["meeting Kim Jong Un in Panmunjom"]
    assert (shielded.judgments, shielded.title) == (
        (),
        "Will Seoul expand its air defence network next year?",
    )
    assert shielded.close_on == date(2026, 12, 31)
    assert [d.number for d in drafts] == [1, 2]
