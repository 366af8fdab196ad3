"""Saved web pages of the five seed articles: the article's text comes out whole and alone,
with the page's title, outlet, author and date, and detection finds in it every judgment it
finds in the captured text."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from forecasts.detect import scan
from forecasts.errors import InvalidInput
from forecasts.furniture import find_furniture
from forecasts.pages import extract, is_page
from tests.forecasts.test_detect import EXPECTED
from tests.saved_pages import SEEDS, paragraphs, saved_page, seed_text

# What each layout wraps the article in; none of it belongs to the article.
PAGE_FURNITURE = (
    "We use cookies",
    "Manage preferences",
    "Subscribe",
    "Most popular",
    "Seoul shares close higher",
    "Share on Facebook",
    "All rights reserved",
    "Privacy policy",
    "Leave a Reply",
    "Required fields are marked",
    "Recent Posts",
    "Archives",
    "By Son",
)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_article_comes_out_whole_in_order_and_alone(name: str) -> None:
    content = saved_page(name).encode("utf-8")
    page = extract(content, name)
    got = paragraphs(page.text)
    want = paragraphs(seed_text(name))
    # every paragraph of the article, in its order (the headline may lead)
    at = 0
    for line in want:
        at = got.index(line, at) + 1
    assert set(got) - set(want) <= {SEEDS[name][0]}
    for words in PAGE_FURNITURE:
        assert words not in page.text, words
    title, outlet, author, published, _ = SEEDS[name]
    assert (page.title, page.outlet, page.author) == (title, outlet, author)
    assert page.published_on == date.fromisoformat(published)
    assert page.original_sha256 == hashlib.sha256(content).hexdigest()
    assert "\n\n" in page.text  # a blank line between paragraphs, as a saved text reads


@pytest.mark.parametrize("name", sorted({file for file, _, _ in EXPECTED}))
def test_detection_finds_every_marked_judgment_in_the_extracted_text(name: str) -> None:
    text = extract(saved_page(name).encode("utf-8"), name).text
    found = scan(text, find_furniture(text))
    for file, words, phrase in EXPECTED:
        if file != name:
            continue
        at = text.index(words)
        assert any(
            d.sentence_start - 40 <= at <= d.sentence_end and phrase in d.phrase for d in found
        ), (words, phrase)


def test_furniture_inside_the_article_is_still_marked() -> None:
    text = extract(saved_page("001_58a7cbc6ed29d5f2.txt").encode(), "herald.html").text
    marked = {text[span.start : span.end] for span in find_furniture(text)}
    assert "Comments are closed." in marked


def test_a_page_in_a_legacy_charset_is_read_in_it() -> None:
    words = " ".join(["Le président a déclaré que la visite était peu probable."] * 6)
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Visite à Moscou</title></head>'
        f"<body><article><h1>Visite à Moscou</h1><p>{words}</p></article></body></html>"
    ).encode("iso-8859-1")
    found = extract(page, "visite.html")
    assert "président a déclaré" in found.text
    assert found.title == "Visite à Moscou"
    assert found.published_on is None  # the page gives no date


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><nav><a href='/'>Home</a></nav><p>Log in to continue.</p></body></html>",
        b"<!DOCTYPE html><html><body></body></html>",
        b"",
    ],
)
def test_a_page_with_no_article_is_refused_naming_the_file(content: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        extract(content, "login.html")
    assert caught.value.field == "FILE"
    assert "login.html" in str(caught.value)
    assert "no article text" in str(caught.value)


def test_a_page_is_told_by_its_name_or_its_first_bytes() -> None:
    assert is_page("story.HTML", b"anything")
    assert is_page("story.htm", b"")
    assert is_page("saved", b"\xef\xbb\xbf  <!doctype html><html>")
    assert is_page("saved.txt", b"<!-- saved from url -->\n<html lang='en'>")
    assert not is_page("article.txt", b"North Korea formalises troop deployment")
    assert not is_page("notes.txt", b"<b>bold</b> is not a page")
