"""Estimative-language detection on the five seed articles, checked against the judgments a
careful analyst marks in them (written out by hand below), and page furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasts.detect import Detection, judgment_in_span, scan, sentences
from forecasts.errors import InvalidInput
from forecasts.furniture import find_furniture
from forecasts.verbal import PHIA, parse_settings

ARTICLES = Path(__file__).resolve().parents[2] / "seeds" / "articles"
HERALD = "001_58a7cbc6ed29d5f2.txt"


def article(name: str) -> str:
    return (ARTICLES / name).read_text(encoding="utf-8")


# (article, words that pin the sentence, the estimative phrase in it)
EXPECTED = [
    ("000_e537a5889e8fdd83.txt", "they could be formally recognised", "could"),
    (HERALD, "the chances of Kim attending", "remain slim"),
    (HERALD, "signals the potential to forge", "potential"),
    (HERALD, "raised the prospect of further", "prospect"),
    (HERALD, "suggests the possibility of Russia", "possibility"),
    (HERALD, "no indications of further", "no indications"),
    (HERALD, "This could mean demands", "could"),
    (HERALD, "there is a possibility that the Russia-North Korea", "possibility"),
    (HERALD, "there is a likelihood of gradual", "likelihood"),
    (HERALD, "the potential transfer of military technology", "potential"),
    (HERALD, "possible attendance at Russia", "possible"),
    (HERALD, "skepticism about the possibility of Kim", "possibility"),
    (HERALD, "the potential for the statement to lay", "potential"),
    (HERALD, "my assessment is that he will", "assessment"),
    (HERALD, "or possibly on the occasion", "possibly"),
    (HERALD, "would likely be far more beneficial", "likely"),
    ("002_3940ce2edd2c6456.txt", "Kim Jong Un is set to attend", "set to"),
    ("002_3940ce2edd2c6456.txt", "- The meeting will also feature", "expected to"),
    ("002_3940ce2edd2c6456.txt", "- Most Western leaders are not expected", "expected"),
    (
        "002_3940ce2edd2c6456.txt",
        "26 heads of state expected to attend. The announcement",
        "expected",
    ),
    (
        "002_3940ce2edd2c6456.txt",
        "Most Western leaders are not expected to attend, partly due to tensions with Putin over",
        "expected",
    ),
    ("002_3940ce2edd2c6456.txt", "snub by Kim could be embarrassing", "could"),
    ("002_3940ce2edd2c6456.txt", "may present further sensitivities", "may"),
    ("003_cf9b473cc9afcc10.txt", "such participation was possible", "possible"),
    ("003_cf9b473cc9afcc10.txt", "soldiers could strain relations", "could"),
    ("003_cf9b473cc9afcc10.txt", "may weaken its standing", "may"),
    ("003_cf9b473cc9afcc10.txt", "faces potential backlash", "potential"),
    ("003_cf9b473cc9afcc10.txt", "is expected to express significant concern", "expected"),
    ("003_cf9b473cc9afcc10.txt", "This development could serve", "could"),
    ("003_cf9b473cc9afcc10.txt", "agreement may be reached between Russia and Iran", "may"),
    ("003_cf9b473cc9afcc10.txt", "potentially coinciding with the inauguration", "potentially"),
    ("003_cf9b473cc9afcc10.txt", "Such a pact could symbolise", "could"),
    ("003_cf9b473cc9afcc10.txt", "its potential for prompting negotiations", "potential"),
    ("003_cf9b473cc9afcc10.txt", "diminishes the prospect of meaningful", "prospect"),
    ("004_160d8fbed4e91d09.txt", "could be used to fight on Ukraine", "could"),
    ("004_160d8fbed4e91d09.txt", "That could create spill-over", "could"),
    ("004_160d8fbed4e91d09.txt", "it may consider sending lethal aid", "may"),
    ("004_160d8fbed4e91d09.txt", "stands to pull Asia further", "stands to"),
    ("004_160d8fbed4e91d09.txt", "Many were likely killed", "likely"),
]


def expected_spans(name: str) -> list[tuple[int, int]]:
    """Where each expected phrase stands in the article, found from its pinning words."""
    text = article(name)
    spans = []
    for file, words, phrase in EXPECTED:
        if file != name:
            continue
        at = text.index(words)
        # the phrase lies in or right around the pinning words
        window_start = max(0, at - 40)
        start = text.index(phrase, window_start)
        assert start < at + len(words) + 100, (words, phrase)
        spans.append((start, start + len(phrase)))
    return spans


def detections(name: str) -> list[Detection]:
    text = article(name)
    return scan(text, find_furniture(text))


def test_recall_and_precision_on_the_seed_articles() -> None:
    names = sorted({name for name, _, _ in EXPECTED})
    found_total = hits = matched = 0
    expected_total = len(EXPECTED)
    for name in names:
        marked = expected_spans(name)
        found = detections(name)
        found_total += len(found)
        overlaps = [
            [d for d in found if d.phrase_start < end and start < d.phrase_end]
            for start, end in marked
        ]
        matched += sum(1 for o in overlaps if o)
        hits += sum(
            1
            for d in found
            if any(d.phrase_start < end and start < d.phrase_end for start, end in marked)
        )
    recall = matched / expected_total
    precision = hits / found_total
    print(
        f"\nestimative spans: recall {recall:.2f} ({matched}/{expected_total}), "
        f"precision {precision:.2f} ({hits}/{found_total})"
    )
    assert recall >= 0.95
    assert precision >= 0.80


def test_the_judgments_named_in_the_brief_are_found_with_reading_and_attribution() -> None:
    found = {d.phrase: d for d in detections(HERALD)}
    slim = found["the chances of Kim attending Russia’s May 9 Victory Day celebrations remain slim"]
    assert slim.attribution == "experts"
    assert slim.event == "Kim attending Russia’s May 9 Victory Day celebrations"
    assert (slim.reading.term, slim.reading.probability) == ("very unlikely", 0.125)
    prospect = found["raised the prospect of"]
    assert prospect.event == "further North Korean troop deployments"
    assert prospect.attribution == "Experts"
    skeptic = next(d for d in detections(HERALD) if "skepticism" in d.sentence)
    assert skeptic.sentence.startswith("Others expressed skepticism about the possibility")
    assert skeptic.negated and skeptic.reading.term == "unlikely"
    assert skeptic.attribution == "Others"
    assert skeptic.event == "Kim’s attendance at the May event"


def test_attributions_name_the_speaker_in_full() -> None:
    by_phrase = {d.phrase: d.attribution for d in detections(HERALD)}
    assert by_phrase["no indications of"] == "Cha Du-hyeogn"  # "Cha also noted"
    assert by_phrase["would likely"] == "Doo Jin-ho"  # quote in a paragraph of its own
    assert by_phrase["a likelihood of"] == "Doo Jin-ho"  # the paragraph after "Doo said"
    lim = next(d for d in detections(HERALD) if d.event.startswith("Russia further expanding"))
    assert lim.attribution == "Lim Eul-chul"
    assert by_phrase["the potential to"] == "observers"
    beijing = {d.phrase: d.attribution for d in detections("002_3940ce2edd2c6456.txt")}
    assert beijing["is set to"] == "China’s foreign ministry"


def test_nothing_is_detected_inside_page_furniture() -> None:
    for name in sorted(p.name for p in ARTICLES.glob("*.txt")):
        text = article(name)
        furniture = find_furniture(text)
        for d in scan(text, furniture):
            assert not any(s.overlaps(d.sentence_start, d.sentence_end) for s in furniture)
    headlines = article("003_cf9b473cc9afcc10.txt")
    # "could ban TikTok" stands in the list of unrelated headlines at the end
    assert "could ban TikTok" in headlines
    assert not [d for d in detections("003_cf9b473cc9afcc10.txt") if "TikTok" in d.sentence]


def test_furniture_is_marked_in_the_captures() -> None:
    marked = {
        p.name: {
            (s.kind, article(p.name)[s.start : s.end]) for s in find_furniture(article(p.name))
        }
        for p in ARTICLES.glob("*.txt")
    }
    herald = marked[HERALD]
    assert ("comments", "Comments are closed.") in herald
    assert any(
        kind == "cookie notice" and text.endswith("Accept Read More") for kind, text in herald
    )
    beijing = marked["002_3940ce2edd2c6456.txt"]
    assert ("advertisement", "Advertisement") in beijing
    assert (
        "credit",
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un | AP",
    ) in beijing
    teasers = [
        text for kind, text in marked["003_cf9b473cc9afcc10.txt"] if kind == "other headlines"
    ]
    assert len(teasers) == 6
    assert ("link", "Read the full article here") in marked["004_160d8fbed4e91d09.txt"]
    # the article's own sentences are never furniture
    for name, spans in marked.items():
        assert not any("North Korea" in text and kind != "credit" for kind, text in spans), name


def test_sentences_keep_offsets_and_abbreviations() -> None:
    text = "The U.S. president may act. Mr. Kim said no. “Will he?” Perhaps."
    parts = [s.text for s in sentences(text)]
    assert parts == ["The U.S. president may act.", "Mr. Kim said no.", "“Will he?”", "Perhaps."]
    for s in sentences(text):
        assert text[s.start : s.end] == s.text


def test_month_may_is_not_the_modal() -> None:
    found = scan("Kim may visit in May. The parade on May 9 went ahead.")
    assert [d.phrase for d in found] == ["may"]


def test_other_scales_and_user_phrases() -> None:
    text = article(HERALD)
    on_phia = {d.phrase: d.reading for d in scan(text, find_furniture(text), scale=PHIA)}
    assert on_phia["raised the prospect of"].term == "realistic possibility"
    settings = parse_settings('[phrases]\n"interim settlement" = "60%"\n', "c.toml")
    mine = [
        d
        for d in scan(text, find_furniture(text), settings=settings)
        if d.phrase == "interim settlement"
    ]
    assert len(mine) == 1 and mine[0].reading.probability == 0.6


def test_judgment_in_span() -> None:
    text = article(HERALD)
    furniture = find_furniture(text)
    start = text.index("However, experts agree")
    end = text.index("remain slim.") + len("remain slim.")
    found = judgment_in_span(text, start, end, furniture)
    assert found.phrase.endswith("remain slim") and found.reading.probability == 0.125
    with pytest.raises(InvalidInput, match="holds no estimative phrase"):
        judgment_in_span(text, 0, 50, furniture)
    others = text.index("Others expressed")
    with pytest.raises(InvalidInput, match="holds 2 estimative phrases"):
        judgment_in_span(text, others, text.index("between Kim and Putin.", others), furniture)
    cookie = text.index("This website uses cookies")
    with pytest.raises(InvalidInput, match="lies in page furniture \\(cookie notice\\)"):
        judgment_in_span(text, cookie, cookie + 20, furniture)
    with pytest.raises(InvalidInput, match="is not inside the source"):
        judgment_in_span(text, 10, len(text) + 5, furniture)
