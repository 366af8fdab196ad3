"""Scanning a 5,000-word article and suggesting questions from it against the seed corpus's
questions (goal: under 1 s after the first call). Run with ``make bench``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from forecasts.detect import scan
from forecasts.furniture import find_furniture
from forecasts.leads import leads
from forecasts.suggest import Candidate, suggest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def long_article(words: int = 5_000) -> str:
    """The five seed articles one after another, repeated up to ``words`` words."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((SEEDS / "articles").iterdir())]
    paragraphs = [p for text in texts for p in text.split("\n") if p.strip()]
    chosen, count = [], 0
    while count < words:
        for paragraph in paragraphs:
            chosen.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return "\n\n".join(chosen) + "\n"


def candidates() -> list[Candidate]:
    import tomllib

    entries = tomllib.loads((SEEDS / "questions.toml").read_text(encoding="utf-8"))["question"]
    return [
        Candidate(i, entry["title"], tuple(entry.get("tags", ())), True)
        for i, entry in enumerate(entries, start=1)
    ]


def scan_and_suggest(text: str, questions: list[Candidate]):
    furniture = find_furniture(text)
    detections = scan(text, furniture)
    return detections, suggest(
        text, detections, published=date(2025, 4, 28), outlet="The Korea Herald",
        questions=questions, leads=leads(text, furniture, detections),
    )  # fmt: skip


def test_bench_scan_and_suggest_5000_words(benchmark) -> None:
    text = long_article()
    questions = candidates()
    scan_and_suggest(text, questions)  # the first call compiles the patterns
    detections, drafts = benchmark(scan_and_suggest, text, questions)
    benchmark.extra_info["words"] = len(text.split())
    benchmark.extra_info["detections"] = len(detections)
    benchmark.extra_info["drafts"] = len(drafts)
    benchmark.extra_info["leads"] = sum(len(d.leads) for d in drafts)
    assert len(text.split()) >= 5_000
    assert drafts and sum(len(d.judgments) for d in drafts) <= len(detections)
