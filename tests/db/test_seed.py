"""The seed corpus: validated on load, faithful to its articles, idempotent to load, and
scored as worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from db.repository import Repository
from db.seed import load_corpus, seed, seeds_dir
from forecasts.errors import InvalidInput
from forecasts.furniture import find_furniture, in_furniture
from forecasts.models import QuestionKind, QuestionStatus
from forecasts.scoring import binary, brier
from forecasts.verbal import get_scale, match_phrase
from tests.conftest import add_forecaster, add_question, add_source, dump, log

CORPUS = load_corpus()
TODAY = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture
def repo() -> Repository:
    """A new in-memory database whose clock stands after every seed event."""
    return Repository.open("sqlite://", clock=lambda: TODAY)


def test_the_corpus_is_as_large_as_promised() -> None:
    assert len(CORPUS.sources) == 5
    assert len(CORPUS.questions) >= 14
    assert len(CORPUS.judgments) >= 25
    kinds = {q.kind for q in CORPUS.questions.values()}
    assert kinds == {QuestionKind.BINARY, QuestionKind.MULTIPLE_CHOICE}
    named = {j.forecaster for j in CORPUS.judgments}
    assert {"Cha Du-hyeogn", "Doo Jin-ho", "Experts cited by The Korea Herald"} <= named


def test_required_questions_are_present() -> None:
    titles = " | ".join(q.title for q in CORPUS.questions.values())
    for words in [
        "Kim Jong Un attend the 9 May 2025 Victory Day parade",
        "send further troops or military personnel to Russia",
        "bilateral visit to Russia by the treaty's first anniversary, 19 June 2025",
        "Kim Jong Un attend the 3 September 2025 military parade in Beijing",
        "Lee Jae Myung attend",
        "Russia and Iran sign a strategic partnership treaty before the US inauguration",
        "fighting on Ukraine's internationally recognised territory",
        "Where will Kim Jong Un and Vladimir Putin next meet",
    ]:
        assert words in titles, words


def test_every_quote_is_verbatim_and_outside_furniture() -> None:
    folder = seeds_dir()
    for judgment in CORPUS.judgments:
        text = CORPUS.sources[judgment.source].text
        assert text == (folder / "articles").joinpath(
            next(
                p.name
                for p in (folder / "articles").glob("*.txt")
                if p.read_text(encoding="utf-8") == text
            )
        ).read_text(encoding="utf-8")
        start = text.find(judgment.quote)
        assert start >= 0, judgment.key
        assert in_furniture(find_furniture(text), start, start + len(judgment.quote)) is None


def test_phrases_map_to_the_stated_probability_on_their_scale() -> None:
    for judgment in CORPUS.judgments:
        if judgment.phrase and judgment.probability is not None and not judgment.inferred:
            reading = match_phrase(judgment.phrase, get_scale(judgment.scale))
            assert reading is not None, judgment.key
            assert reading.probability == pytest.approx(judgment.probability), judgment.key
            assert judgment.phrase.split()[-1] in judgment.quote, judgment.key
        if judgment.inferred:
            assert judgment.rationale.strip(), judgment.key  # the reading is recorded


def test_every_question_has_criteria_a_close_date_and_tags() -> None:
    for key, question in CORPUS.questions.items():
        assert len(question.criteria) > 80, key
        assert question.close_at.year in (2025, 2027), key
        assert question.tags, key
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            assert len(question.options) >= 3


def test_a_newcomer_finds_open_questions_on_2027_without_judgments() -> None:
    open_ones = [q for q in CORPUS.questions.values() if q.close_at.year == 2027]
    assert len(open_ones) >= 4
    judged = {judgment.question for judgment in CORPUS.judgments}
    resolved = {resolution.question for resolution in CORPUS.resolutions}
    for question in open_ones:
        assert question.key not in judged and question.key not in resolved, question.key
        assert question.created_at.date().isoformat() == "2026-11-22", question.key


def test_every_resolution_cites_a_fact() -> None:
    readme_facts = {fact.id: fact.text for fact in CORPUS.facts.values()}
    assert sorted(readme_facts) == list(range(1, 10))
    for resolution in CORPUS.resolutions:
        assert resolution.fact.text == readme_facts[resolution.fact.id]
    resolved = {r.question for r in CORPUS.resolutions}
    assert len(resolved) == len(CORPUS.resolutions)  # one each
    open_ones = set(CORPUS.questions) - resolved
    assert "nk-combat-on-ukrainian-territory-2025" in open_ones


def test_seeding_twice_changes_nothing(repo: Repository) -> None:
    first = seed(repo)
    assert CORPUS.example is not None
    assert first.added == {
        "questions": len(CORPUS.questions),
        "forecasters": len(CORPUS.forecasters) + 1,  # and the worked example's
        "sources": 5,
        "judgments": len(CORPUS.judgments),
        "resolutions": len(CORPUS.resolutions),
        "example priors": 1,
        "indicators": len(CORPUS.example.indicators),
        "updates": len(CORPUS.example.updates),
    }
    before = dump(repo.engine)
    assert seed(repo).total == 0
    assert dump(repo.engine) == before


def test_seeding_leaves_the_users_data_alone(repo: Repository) -> None:
    mine = add_question(
        repo, title="My own question", criteria="Mine.", close_at=datetime(2027, 1, 1, tzinfo=UTC)
    )
    add_forecaster(repo, name="Doo Jin-ho", affiliation="my own note")
    herald = CORPUS.sources["herald-deployment-formalised-2025-04-28"]
    own_source = add_source(
        repo, text=herald.text, title="Herald, as I saved it", published_on=herald.published_on
    )
    log(repo, question=mine.id, probability=0.3, made_at=datetime(2025, 5, 1, tzinfo=UTC))
    users_rows = dump(repo.engine)
    seed(repo)
    after = dump(repo.engine)
    del users_rows["data_revision"]  # not the user's data: a token every write replaces
    for table, rows in users_rows.items():
        assert set(rows) <= set(after[table]), table  # nothing of the user's changed or went
    assert repo.forecaster(ref="Doo Jin-ho").affiliation == "my own note"
    detail = repo.question_detail(ref="kim-moscow-victory-day-2025")
    assert own_source.id in {f.source_id for f in detail.forecasts}


def test_seeded_questions_resolve_and_wait(repo: Repository) -> None:
    seed(repo)
    status = {s.question.key: s.question.status(TODAY) for s in repo.list_questions()}
    assert status["kim-moscow-victory-day-2025"] is QuestionStatus.RESOLVED
    assert status["nk-combat-on-ukrainian-territory-2025"] is QuestionStatus.CLOSED
    kim = repo.question(ref="kim-moscow-victory-day-2025")
    assert kim.resolution.outcome == "no"
    assert kim.resolution.evidence.startswith("9 May 2025: the Moscow Victory Day parade")
    place = repo.question(ref="next-kim-putin-meeting-place-2025")
    assert place.resolution.outcome == "China"


def _standing_brier(repo: Repository, forecaster: str) -> list[float]:
    """Each scored question's Brier for the forecaster's standing forecast, via the engine."""
    who = repo.forecaster(ref=forecaster).id
    scores = []
    for summary in repo.list_questions(status="resolved"):
        question = summary.question
        mine = [f for f in repo.forecasts(question=question.id) if f.forecaster_id == who]
        if not mine:
            continue
        vector = np.array([mine[-1].vector(question)])
        outcome = question.outcomes.index(question.resolution.outcome)
        scores.append(float(brier(vector, [outcome])[0]))
    return scores


def test_brier_of_two_seed_forecasters_worked_out_by_hand(repo: Repository) -> None:
    seed(repo)
    # Experts cited by The Korea Herald: Kim in Moscow "remain slim" 12.5%, it did not happen:
    # 2 * 0.125^2 = 0.03125; further deployments "raised the prospect" 50%, it happened:
    # 2 * 0.5^2 = 0.5. Mean (0.03125 + 0.5) / 2 = 0.265625.
    experts = _standing_brier(repo, "Experts cited by The Korea Herald")
    assert sorted(experts) == pytest.approx([0.03125, 0.5])
    assert np.mean(experts) == pytest.approx(0.265625)
    # Doo Jin-ho: Kim in Moscow (inferred) 32.5%, no: 2 * 0.325^2 = 0.21125; bilateral visit
    # by 19 June "possibly" 50%, no: 0.5; Kim-Putin talks "my assessment is that he will"
    # 67.5%, yes: 2 * 0.325^2 = 0.21125; next meeting place, Russia 67.5%, North Korea 5%,
    # China 5%, Elsewhere 2.5%, none 20%, it was China:
    # 0.675^2 + 0.05^2 + 0.95^2 + 0.025^2 + 0.2^2 = 0.455625 + 0.0025 + 0.9025 + 0.000625
    # + 0.04 = 1.40125. The questions on troops in the parade and on technology are open.
    doo = _standing_brier(repo, "Doo Jin-ho")
    assert sorted(doo) == pytest.approx([0.21125, 0.21125, 0.5, 1.40125])
    assert np.mean(doo) == pytest.approx((0.21125 * 2 + 0.5 + 1.40125) / 4)


def test_brier_matches_the_binary_formula() -> None:
    p = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    assert brier(binary(p), [0, 1, 0, 1, 0]) == pytest.approx(
        [2 * (0 - 1) ** 2, 2 * 0.1**2, 0.5, 2 * 0.9**2, 0.0]
    )


def test_a_broken_seed_file_is_refused_naming_the_entry(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in seeds_dir().iterdir():
        target = folder / path.name
        if path.is_dir():
            target.mkdir()
            for article in path.iterdir():
                (target / article.name).write_bytes(article.read_bytes())
        else:
            target.write_bytes(path.read_bytes())
    judgments = (folder / "judgments.toml").read_text(encoding="utf-8")
    (folder / "judgments.toml").write_text(
        judgments.replace('remain slim"', 'remain very slim"', 1), encoding="utf-8"
    )
    with pytest.raises(InvalidInput, match=r"judgments.toml \[herald-experts-kim-moscow\]"):
        load_corpus(folder)
