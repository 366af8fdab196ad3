"""The consensus's question scores kept between leaderboards (db/kept_consensus.py):
whatever was written since, the leaderboard with the kept scores is exactly the one worked
out afresh, and only the questions a write touched are worked out again."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from db import kept_consensus, scores
from forecasts.drafts import Merge, QuestionEdit, Retract
from tests.conftest import NOW as CLOCK
from tests.conftest import add_question, log, resolve
from tests.db.test_columns import NOW, _varied
from tests.db.test_kept_columns import DAMAGES, _copy
from tests.db.test_kept_columns import _load as kept_columns_load


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The question ids each consensus was worked out on, as the leaderboard asked."""
    seen: list[set[int]] = []
    real = scores.consensus

    def consensus(forecasts, questions, methods, **options):
        seen.append({int(q) for q in np.unique(forecasts.question)})
        return real(forecasts, questions, methods, **options)

    monkeypatch.setattr(scores, "consensus", consensus)
    return seen


def _load(path: Path, keep: Path, now: datetime = NOW) -> scores.ScoringData:
    """Every forecast scored, backdated ones too: the record's questions are resolved, so
    a forecast written now would be left out of the scores otherwise."""
    return kept_columns_load(path, keep, now=now, include_backdated=True)


def _bits(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array).tobytes()


def _checked(path: Path, keep: Path, worked_out: list[set[int]]) -> set[int]:
    """The leaderboard with kept consensus scores, checked against one worked out afresh;
    the ids of the questions it worked out."""
    data = _load(path, keep)
    worked_out.clear()
    kept = scores._consensus_scores(data)
    indexes = set().union(*worked_out)
    fresh_data = dataclasses.replace(data, consensus_file=None)
    fresh = scores._consensus_scores(fresh_data)
    for method, pairs in fresh.items():
        for name in pairs.__dataclass_fields__:
            assert _bits(getattr(kept[method], name)) == _bits(getattr(pairs, name)), name
    assert repr(scores.leaderboard(data)) == repr(scores.leaderboard(fresh_data))
    return {int(data.question_ids[i]) for i in indexes}


def _questions_of(path: Path, sql: str, *parameters) -> set[int]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute(sql, parameters)}


def _shared(path: Path) -> set[int]:
    """The questions with at least two forecasters: those with a consensus."""
    return _questions_of(
        path,
        "SELECT question_id FROM forecast JOIN forecaster ON forecaster.id = forecaster_id "
        "GROUP BY question_id HAVING count(DISTINCT coalesce(merged_into_id, forecaster.id)) > 1",
    )


def _binary(path: Path) -> set[int]:
    return _questions_of(path, "SELECT id FROM question WHERE kind = 'binary'")


def test_only_what_a_write_touches_is_worked_out_again(
    tmp_path: Path, worked_out: list[set[int]]
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    assert _checked(path, keep, worked_out) == _shared(path)  # nothing kept yet: every one
    assert _checked(path, keep, worked_out) == set()  # nothing written since
    resolved = _questions_of(
        path,
        "SELECT question_id FROM resolution JOIN question ON question.id = question_id "
        "WHERE kind = 'binary' ORDER BY question_id LIMIT 2",
    )
    first, second = sorted(resolved & _shared(path))[:2]  # binary ones
    made = repo.question(ref=first).created_at + timedelta(minutes=5)
    when = repo.question(ref=second).created_at + timedelta(days=1)
    forecaster_of_seven = _questions_of(path, "SELECT forecaster_id FROM forecast WHERE id = 7")
    merged = _questions_of(path, "SELECT question_id FROM forecast WHERE forecaster_id = 4")
    writes: list[tuple[Callable[[], object], set[int]]] = [
        (lambda: log(repo, question=first, forecaster=1, probability=0.41, made_at=made), {first}),
        (
            lambda: repo.retract(Retract(forecast_id=7, reason="a slip")),
            _questions_of(path, "SELECT question_id FROM forecast WHERE id = 7"),
        ),
        (
            lambda: resolve(
                repo, question=second, outcome="no", resolved_at=when, retroactive=True
            ),
            {second},
        ),
        (
            lambda: repo.edit_question(
                QuestionEdit.parse(repo.question(ref=second), now=CLOCK, tags="kept")
            ),
            set(),  # tags are not what a consensus is worked out from
        ),
        (lambda: repo.merge_forecasters(Merge(source=4, target=5, reason="one")), merged),
    ]
    assert forecaster_of_seven
    for write, touched in writes:
        write()
        assert _checked(path, keep, worked_out) == touched & _shared(path)


def test_a_question_that_gains_its_second_forecaster_or_loses_it_is_seen(
    tmp_path: Path, worked_out: list[set[int]]
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    made = datetime(2025, 6, 1, tzinfo=UTC)
    question = add_question(
        repo, title="Alone?", criteria="Yes if so.", close_at=made + timedelta(days=30)
    ).id
    log(repo, question=question, forecaster=1, probability=0.3, made_at=made)
    resolve(repo, question=question, outcome="yes", resolved_at=made + timedelta(days=2))
    assert question not in _checked(path, keep, worked_out)  # one forecaster: no consensus
    second = log(repo, question=question, forecaster=2, probability=0.8, made_at=made)
    assert _checked(path, keep, worked_out) == {question}
    data = _load(path, keep)
    index = int(np.searchsorted(data.question_ids, question))
    assert all(index in p.question for p in scores._consensus_scores(data).values())
    repo.retract(Retract(forecast_id=second.id, reason="not theirs"))
    assert _checked(path, keep, worked_out) == set()  # alone again: nothing to work out
    data = _load(path, keep)
    assert all(index not in p.question for p in scores._consensus_scores(data).values())


@DAMAGES
def test_a_damaged_file_means_working_every_question_out_again(
    tmp_path: Path, worked_out: list[set[int]], damage: Callable[[bytes], bytes]
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    _checked(path, keep, worked_out)
    (file,) = keep.glob(f"*{kept_consensus.SUFFIX}")
    file.write_bytes(damage(file.read_bytes()))
    assert _checked(path, keep, worked_out) == _shared(path)
    assert _checked(path, keep, worked_out) == set()  # written again whole


def test_scores_kept_by_other_code_are_not_used(
    tmp_path: Path, worked_out: list[set[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    _checked(path, keep, worked_out)
    monkeypatch.setattr(kept_consensus, "fingerprint", lambda *packages: "other code")
    assert _checked(path, keep, worked_out) == _shared(path)


def test_the_kept_scores_follow_the_database_not_the_file_name(
    tmp_path: Path, worked_out: list[set[int]]
) -> None:
    """Another database put where the first one was (a backup put back, a copy): its
    questions' digests differ wherever their forecasts do."""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    _checked(path, keep, worked_out)
    backup = tmp_path / "backup.db"
    _copy(path, backup)
    question = sorted(_shared(path) & _binary(path))[0]
    made = repo.question(ref=question).created_at + timedelta(minutes=3)
    log(repo, question=question, forecaster=1, probability=0.07, made_at=made)
    _checked(path, keep, worked_out)
    _copy(backup, path)
    assert _checked(path, keep, worked_out) == {question}


def test_a_folder_that_cannot_be_written_keeps_nothing(
    tmp_path: Path, worked_out: list[set[int]]
) -> None:
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    _varied(path)
    keep.write_text("a file where the folder would be")
    assert _checked(path, keep, worked_out) == _shared(path)
    assert _checked(path, keep, worked_out) == _shared(path)
    assert keep.read_text() == "a file where the folder would be"


def test_kept_scores_of_a_whole_day_later_are_still_checked(tmp_path: Path, worked_out) -> None:
    """A question whose scoring end is reached between two leaderboards is scored from then
    on: its outcome is in its digest, so its consensus is worked out then."""
    path, keep = tmp_path / "varied.db", tmp_path / "kept"
    repo = _varied(path)
    question = sorted(_shared(path))[-1]
    close = repo.question(ref=question).close_at
    resolve(repo, question=question, outcome="yes", resolved_at=close - timedelta(hours=1))

    def at(moment: datetime) -> set[int]:
        data = _load(path, keep, moment)
        worked_out.clear()
        kept = scores._consensus_scores(data)
        fresh = scores._consensus_scores(dataclasses.replace(data, consensus_file=None))
        for method, pairs in fresh.items():
            assert _bits(kept[method].brier) == _bits(pairs.brier)
        return {int(data.question_ids[i]) for i in set().union(*worked_out)}

    before = close - timedelta(days=400)
    at(before.astimezone(UTC))
    assert question in at((close + timedelta(days=1)).astimezone(UTC))
