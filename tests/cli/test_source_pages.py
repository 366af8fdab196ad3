"""``forecasts source add`` with a saved web page: the article and its metadata are taken
from the page, an option wins over the page, the page's own SHA-256 is kept beside the
text's, and both travel through export and import."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.saved_pages import saved_page

HERALD = "001_58a7cbc6ed29d5f2.txt"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "herald.html"
    path.write_bytes(saved_page(HERALD).encode("utf-8"))
    return path


def test_a_saved_page_is_added_with_what_it_says_of_itself(run, page: Path) -> None:
    added = json.loads(run("source", "add", str(page), "--json").stdout)
    assert added["title"] == (
        "North Korea formalises troop deployment, signals deeper alliance with Russia"
    )
    assert (added["outlet"], added["author"]) == ("The Korea Herald", "Son Ji-hyoung")
    assert (added["published_on"], added["date_precision"]) == ("2025-04-28", "day")
    assert added["date_note"] == "Read from the saved page."
    assert added["url"] == "https://news.example.com/2025-04-28/001"
    assert added["original_sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    shown = json.loads(run("source", "show", str(added["id"]), "--json").stdout)
    assert added["sha256"] == hashlib.sha256(shown["text"].encode("utf-8")).hexdigest()
    assert "Most popular" not in shown["text"] and "We use cookies" not in shown["text"]
    marked = [shown["text"][f["start"] : f["end"]] for f in shown["furniture"]]
    assert "Comments are closed." in marked  # furniture inside the article, marked as before
    text = run("source", "show", str(added["id"])).stdout
    assert "Author:    Son Ji-hyoung" in text
    assert f"Page:      SHA-256 {added['original_sha256']}" in text
    scan = json.loads(run("source", "scan", str(added["id"]), "--json").stdout)
    slim = [d for d in scan["detections"] if d["phrase"].endswith("remain slim")]
    assert slim and slim[0]["attribution"] == "experts"


def test_an_option_wins_over_the_page(run, page: Path) -> None:
    added = json.loads(
        run(
            "source", "add", str(page), "--title", "Deployment formalised", "--published",
            "2025-04-27", "--approximate", "--date-note", "Dated by the statement.",
            "--outlet", "Herald", "--author", "Desk", "--url", "https://example.org/a", "--json",
        ).stdout
    )  # fmt: skip
    assert (added["title"], added["published_on"], added["date_precision"]) == (
        "Deployment formalised",
        "2025-04-27",
        "approximate",
    )
    assert (added["outlet"], added["author"], added["url"]) == (
        "Herald",
        "Desk",
        "https://example.org/a",
    )
    assert added["date_note"] == "Dated by the statement."


def test_a_text_file_still_needs_its_title_and_date(run, tmp_path: Path) -> None:
    article = tmp_path / "notes.txt"
    article.write_text("Experts agree that the chances of a summit remain slim.\n")
    said = run("source", "add", str(article), "--published", "2025-01-01", code=2).stderr
    assert said.strip().splitlines() == [
        f"forecasts: error: title: '{article}' is not in the file; give --title"
    ]
    said = run("source", "add", str(article), "--title", "Notes", code=2).stderr
    assert "published:" in said and "give --published YYYY-MM-DD" in said
    added = json.loads(
        run("source", "add", str(article), "--title", "Notes", "--published", "2025-01-01",
            "--json").stdout
    )  # fmt: skip
    assert (added["author"], added["original_sha256"]) == ("", None)


def test_a_page_without_a_date_asks_for_one(run, tmp_path: Path) -> None:
    words = " ".join(["The chances of a summit before the anniversary remain slim."] * 5)
    path = tmp_path / "undated.html"
    path.write_text(f"<html><head><title>Summit</title></head><body><p>{words}</p></body></html>")
    said = run("source", "add", str(path), code=2).stderr
    assert said.strip().splitlines() == [
        f"forecasts: error: published: '{path}' is not in the file; give --published YYYY-MM-DD"
    ]
    run("source", "add", str(path), "--published", "2025-06-01")


def test_a_page_with_no_article_is_refused_in_one_line(run, tmp_path: Path) -> None:
    path = tmp_path / "login.html"
    path.write_text("<!doctype html><html><body><nav>Home</nav><p>Sign in</p></body></html>")
    said = run("source", "add", str(path), "--title", "x", "--published", "2025-01-01", code=2)
    assert said.stderr.strip().splitlines() == [
        f"forecasts: error: FILE: '{path}' holds no article text that could be extracted "
        "from the page"
    ]
    assert json.loads(run("source", "list", "--json").stdout) == []


def test_author_and_page_hash_survive_export_and_import(run, page: Path, tmp_path: Path) -> None:
    added = json.loads(run("source", "add", str(page), "--json").stdout)
    out = tmp_path / "record.json"
    run("export", "-o", str(out))
    record = json.loads(out.read_text(encoding="utf-8"))
    (source,) = record["sources"]
    assert (source["author"], source["original_sha256"]) == (
        "Son Ji-hyoung",
        added["original_sha256"],
    )
    run("import", str(out), db="copy.db")
    copied = json.loads(run("source", "show", "1", "--json", db="copy.db").stdout)
    assert (copied["author"], copied["original_sha256"]) == (
        "Son Ji-hyoung",
        added["original_sha256"],
    )
    source["original_sha256"] = "not a hash"
    out.write_text(json.dumps(record), encoding="utf-8")
    said = run("import", str(out), db="third.db", code=2).stderr
    assert "original_sha256" in said and "not a hash" in said


def test_a_number_stated_in_a_page_is_logged_from_its_span(run, tmp_path: Path) -> None:
    words = " ".join(["Diplomats in Seoul watched the preparations closely."] * 4)
    path = tmp_path / "odds.html"
    path.write_text(
        '<html><head><meta property="article:published_time" content="2025-04-28">'
        "<title>Summit odds</title></head><body><article><h1>Summit odds</h1>"
        f"<p>{words}</p><p>Analysts put the chance of a summit by June at about 25%, "
        "so the markets will probably stay calm.</p></article></body></html>"
    )
    run("source", "add", str(path))
    run("question", "add", "Will they meet by June?", "--criteria", "A summit.", "--close",
        "2025-06-30")  # fmt: skip
    scan = json.loads(run("source", "scan", "1", "--json").stdout)["detections"]
    stated, probably = scan
    assert (stated["scale"], stated["term"], stated["probability"]) == ("stated", "25%", 0.25)
    assert (stated["attribution"], probably["attribution"]) == ("Analysts", None)
    run("forecast", "add", "--from-span", stated["from_span"], "--question", "1",
        "--forecaster", "Analysts", "--create")  # fmt: skip
    run("forecast", "add", "1", "a coin flip", "--at", "2025-05-01")
    logged = json.loads(run("forecast", "list", "--question", "1", "--json").stdout)
    by_phrase = {f["phrase"]: f for f in logged}
    assert by_phrase[stated["phrase"]]["probability"] == 0.25
    assert by_phrase[stated["phrase"]]["scale"] == "stated"
    assert (by_phrase["a coin flip"]["probability"], by_phrase["a coin flip"]["scale"]) == (
        0.5,
        "stated",
    )
