"""Question drafts from an article's judgments: titles asked from events, judgments grouped
by event, forecasters matched or proposed, and stored questions offered before a duplicate."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from forecasts.detect import scan
from forecasts.furniture import find_furniture
from forecasts.kinds import ForecasterKind
from forecasts.suggest import Candidate, _base, proposed_forecaster, question_title, suggest
from tests.forecasts.test_detect import HERALD, article

KURSK = "003_cf9b473cc9afcc10.txt"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

NAMES = ["Kim Jong-un", "Vladimir Putin"]


@pytest.mark.parametrize(
    ("event", "title"),
    [
        (
            "Kim attending Russia’s May 9 Victory Day celebrations",
            "Will Kim Jong-un attend Russia’s May 9 Victory Day celebrations?",
        ),
        ("North Korea would send more troops", "Will North Korea send more troops?"),
        (
            "North Korean leader Kim Jong Un is set to attend a military parade in Beijing",
            "Will North Korean leader Kim Jong Un attend a military parade in Beijing?",
        ),
        ("Most Western leaders are not expected to attend", "Will most Western leaders attend?"),
        (
            "This could mean demands for nuclear technology",
            "Will this mean demands for nuclear technology?",
        ),
        (
            "my assessment is that he will instead make a bilateral visit to Russia",
            "Will he make a bilateral visit to Russia?",
        ),
        ("further North Korean deployments", "Will there be further North Korean deployments?"),
        ("could be used to fight in Ukraine", "Will they be used to fight in Ukraine?"),
        ("could be decorated", "Will they be decorated?"),
        ("Trump meeting Kim in Panmunjom is unlikely", "Will Trump meet Kim in Panmunjom?"),
        ("a deal is very likely", "Will there be a deal?"),
        (
            "as any public snub by Kim could be embarrassing",
            "Will any public snub by Kim be embarrassing?",
        ),
        (
            "While talks continue, a ceasefire may be agreed.",
            "Will a ceasefire be agreed?",
        ),
    ],
)
def test_an_event_is_asked_as_a_yes_or_no_question(event: str, title: str) -> None:
    assert question_title(event, NAMES) == title


@pytest.mark.parametrize(
    ("gerund", "verb"),
    [
        ("attending", "attend"),
        ("making", "make"),
        ("running", "run"),
        ("sending", "send"),
        ("raising", "raise"),
        ("visiting", "visit"),
        ("signing", "sign"),
        ("calling", "call"),
        ("leaving", "leave"),
        ("speaking", "speak"),
        ("noticing", "notice"),
    ],
)
def test_an_ing_verb_is_given_its_plain_form(gerund: str, verb: str) -> None:
    assert _base(gerund) == verb


@pytest.mark.parametrize(
    ("attribution", "outlet", "author", "name", "kind"),
    [
        (
            "experts",
            "The Korea Herald",
            "",
            "Experts cited by The Korea Herald",
            ForecasterKind.GROUP,
        ),
        ("Observers", "", "", "Observers", ForecasterKind.GROUP),
        (
            "China's foreign ministry",
            "",
            "",
            "China's foreign ministry",
            ForecasterKind.ORGANISATION,
        ),
        ("Lim Eul-chul", "The Korea Herald", "", "Lim Eul-chul", ForecasterKind.PERSON),
        (None, "The Korea Herald", "Son Ji-hyoung", "Son Ji-hyoung", ForecasterKind.PERSON),
        (None, "The Korea Herald", "", "Writer for The Korea Herald", ForecasterKind.PERSON),
        (None, "", "", "Writer of the article", ForecasterKind.PERSON),
    ],
)
def test_a_forecaster_is_proposed_for_a_judgment_no_stored_name_matches(
    attribution, outlet, author, name, kind
) -> None:
    assert proposed_forecaster(attribution, outlet=outlet, author=author) == (name, kind)


KIM = "Will Kim Jong Un attend the 9 May 2025 Victory Day parade in Moscow?"
CEASEFIRE = "Will Russia and Ukraine agree a general ceasefire by 31 December 2025?"
TRANSFER = (
    "Will the US or South Korea state that Russia has transferred military technology to "
    "North Korea?"
)
QUESTIONS = [
    Candidate(1, KIM, ("parade",), True),
    Candidate(2, CEASEFIRE, (), True),
    Candidate(3, TRANSFER, ("tech",), True),
]


def herald_drafts(questions=QUESTIONS):
    text = article(HERALD)
    return suggest(
        text,
        scan(text, find_furniture(text)),
        published=date(2025, 4, 28),
        outlet="The Korea Herald",
        forecasters=["Experts cited by The Korea Herald", "Cha Du-hyeogn", "Doo Jin-ho"],
        questions=questions,
    )


def test_the_judgments_on_kims_attendance_make_one_draft_offered_the_stored_question() -> None:
    drafts = herald_drafts()
    first = drafts[0]
    assert first.title == "Will Kim Jong-un attend Russia’s May 9 Victory Day celebrations?"
    assert (first.close_on, first.close_words) == (date(2025, 5, 9), "May 9")
    assert first.judgments[0].detection.phrase.endswith("remain slim")
    assert len(first.judgments) == 3  # "remain slim", "possible attendance", "the possibility of"
    assert [j.forecaster for j in first.judgments][:2] == [
        "Experts cited by The Korea Herald",
        "Cha Du-hyeogn",
    ]
    assert first.judgments[0].known and first.judgments[0].probability == 0.125
    assert first.matches[0][0] == 1  # the stored question is offered first
    assert first.tags == ("parade",)
    assert '"Will Kim Jong-un attend' in first.criteria and "9 May 2025" in first.criteria
    # each judgment's quote is its text in the article
    text = article(HERALD)
    for draft in drafts:
        for judgment in draft.judgments:
            start = judgment.quote_start
            assert text[start : start + len(judgment.quote)] == judgment.quote
    # technology transfer is offered its question; the ceasefire is offered to no draft
    offered = {ident for draft in drafts for ident, _ in draft.matches}
    assert 3 in offered and 2 not in offered


def test_a_question_is_matched_by_its_tags_and_its_scenarios_not_its_title_alone() -> None:
    """Doo's "he will instead make a bilateral visit to Russia" shares no word of weight with
    a meeting-place question's title, but its Russia scenario says as much; the ceasefire's
    tag names the negotiations the Korea Herald doubts."""
    where = "Where will Kim Jong Un and Vladimir Putin next meet in person?"
    russia = "Russia Kim makes a bilateral visit to Russia, a one-on-one summit."
    bare = [Candidate(4, where, (), True), Candidate(2, CEASEFIRE, (), True)]
    worded = [
        Candidate(4, where, (), True, options=russia),
        Candidate(2, CEASEFIRE, ("russia", "negotiations"), True),
    ]
    text = article(KURSK)
    for questions, offered in [(bare, set()), (worded, {2})]:
        drafts = suggest(text, scan(text, find_furniture(text)), published=date(2025, 1, 15),
                         questions=questions)  # fmt: skip
        assert {i for d in drafts for i, _ in d.matches if i == 2} == offered
    bilateral = next(d for d in herald_drafts(worded) if "bilateral visit" in d.title)
    assert [i for i, _ in bilateral.matches][:1] == [4]
    assert [i for i, _ in next(
        d for d in herald_drafts(bare) if "bilateral visit" in d.title
    ).matches] == []  # fmt: skip


def test_drafts_are_numbered_in_the_order_the_article_raises_them() -> None:
    drafts = herald_drafts(questions=[])
    assert [d.number for d in drafts] == list(range(1, len(drafts) + 1))
    firsts = [min(j.detection.phrase_start for j in d.judgments) for d in drafts]
    assert firsts == sorted(firsts)
    assert all(d.matches == () and d.tags == () for d in drafts)
    judged = [j.detection.phrase_start for d in drafts for j in d.judgments]
    assert len(judged) == len(set(judged))  # each judgment in one draft


def test_questions_asked_after_the_article_stand_behind_those_asked_by_then() -> None:
    """Cha's "no indications of further North Korean deployments to other contested regions,
    including the Donetsk region" bears on combat in Ukraine. Among the seed questions, one
    on 2027's deployments is likelier in words and crowds that question out of the three
    offers; asked after the article came out, it stands behind the questions the article
    could have been answering."""
    seeds = tomllib.loads((SEEDS / "questions.toml").read_text(encoding="utf-8"))["question"]
    published = date(2025, 4, 28)
    stored = [
        Candidate(
            number,
            q["title"],
            tuple(q.get("tags", ())),
            date.fromisoformat(q["close"]) >= published,
            asked_by_publication=date.fromisoformat(q["created"]) <= published,
        )
        for number, q in enumerate(seeds, start=1)
    ]
    combat = next(c.id for c in stored if c.title.startswith("Will North Korean troops be"))
    later = next(c.id for c in stored if c.title.endswith("during 2027?"))
    as_if_asked_then = [replace(c, asked_by_publication=True) for c in stored]
    for questions, offered in [(stored, {combat}), (as_if_asked_then, {later})]:
        draft = next(d for d in herald_drafts(questions) if "contested regions" in d.title)
        assert {ident for ident, _ in draft.matches} & {combat, later} == offered
