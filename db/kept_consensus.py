"""The consensus's question scores kept between commands, so that after a write only the
questions it touched are worked out again.

The leaderboard scores the consensus of the forecasts standing at each moment as
pseudo-forecasters (:func:`forecasts.scoring.consensus`): at 1,000,000 forecasts about a
second of work. A question's consensus scores depend on that question alone: its forecasts
(who, when, what, in which order), how many outcomes it has, its outcome and its scoring
end. So each question's scores are kept in a file beside the forecasts' columns
(:mod:`db.kept_columns`) with a digest of all of that
(:func:`forecasts.scoring.question_signatures`); the next leaderboard takes a question's
kept scores only where its digest is the same, and works out the others. A question's
running sums are its own (each summed alone), so a question worked out alone gives the very
bits it gives among all: kept scores equal scores worked out afresh, to the last bit.

The file names its format and a digest of the scoring code; anything wrong with it
(missing, unreadable, half written, from other code) only means working every question
out again.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from db.kept_files import fingerprint, prune, used, write_whole
from forecasts.scoring import (
    AGGREGATES,
    ForecastColumns,
    PairScores,
    QuestionColumns,
    question_signatures,
)

FORMAT = 1
SUFFIX = ".consensus"
MOST_FILES = 8
MOST_BYTES = 1 << 28
FIELDS = ("brier", "last_brier", "log_score", "forecasts")
"""What is kept of each consensus method's question scores, beside the question's id."""


@dataclass(frozen=True)
class _Kept:
    question_id: np.ndarray  # the questions the consensus was worked out on, sorted
    digest: np.ndarray  # each one's digest when it was
    scores: dict[str, dict[str, np.ndarray]]  # method -> "question_id" and FIELDS


def consensus_scores(
    shared: ForecastColumns,
    questions: QuestionColumns,
    question_ids: np.ndarray,
    forecaster_ids: np.ndarray,
    path: Path | None,
    work_out: Callable[[ForecastColumns], dict[str, PairScores]],
) -> dict[str, PairScores]:
    """Each consensus method's question scores of the forecasts ``shared``: ``work_out``'s
    for the questions whose digest changed since the scores kept in ``path`` (every
    question when nothing is kept), the kept ones for the rest; the file is written again
    when anything was worked out. Consensus scores name no row (``last_row`` is -1)."""
    digest = question_signatures(shared, questions, question_ids, forecaster_ids)
    kept = _load(path) if path is not None else None
    same = np.zeros(digest.shape[0], dtype=bool)
    if kept is not None:
        at, known = _positions(question_ids, kept.question_id)
        same[at[known]] = kept.digest[known] == digest[at[known]]
        same &= digest != 0
    redo = np.flatnonzero(~same[shared.question])
    chosen = shared if redo.shape[0] == len(shared) else shared.take(redo)  # no copy of all
    fresh = _unnamed(work_out(chosen)) if redo.shape[0] or kept is None else None
    scores = {
        method: _spliced(question_ids, same, kept, method, fresh[method] if fresh else None)
        for method in AGGREGATES
    }
    worked = digest != 0
    if path is not None and (fresh is not None or int(worked.sum()) != int(same.sum())):
        _save(path, question_ids[worked], digest[worked], question_ids, scores)
    return scores


def _positions(question_ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``wanted`` stands among ``question_ids`` (sorted), and whether it is
    there at all: a question kept may since have been deleted."""
    at = np.searchsorted(question_ids, wanted)
    known = at < question_ids.shape[0]
    known[known] = question_ids[at[known]] == wanted[known]
    return at, known


def _unnamed(scores: dict[str, PairScores]) -> dict[str, PairScores]:
    """Consensus scores with no row named: the rows of one working out are not another's."""
    return {
        method: dataclasses.replace(s, last_row=np.full(len(s), -1, dtype=np.int64))
        for method, s in scores.items()
    }


def _spliced(
    question_ids: np.ndarray,
    same: np.ndarray,
    kept: _Kept | None,
    method: str,
    fresh: PairScores | None,
) -> PairScores:
    """The kept scores of the questions still the same, and ``fresh`` (those worked out
    now), in question order, as one working out of every question would give them."""
    parts = [fresh] if fresh is not None else []
    if kept is not None:
        columns = kept.scores[method]
        at, known = _positions(question_ids, columns["question_id"])
        take = np.flatnonzero(known)
        take = take[same[at[take]]]
        nobody = np.full(take.shape[0], -1, dtype=np.int64)
        named = {name: columns[name][take] for name in FIELDS}
        parts.append(PairScores(at[take].astype(np.int64), nobody, **named, last_row=nobody))
    fields = PairScores.__dataclass_fields__
    joined = {name: np.concatenate([getattr(p, name) for p in parts]) for name in fields}
    order = np.argsort(joined["question"], kind="stable")
    return PairScores(**{name: column[order] for name, column in joined.items()})


def _header() -> dict:
    return {"format": FORMAT, "methods": list(AGGREGATES), "code": fingerprint("forecasts")}


def _names() -> list[str]:
    """The arrays of a kept file, in the order they follow its header."""
    per_method = [f"{m}/{name}" for m in AGGREGATES for name in ("question_id", *FIELDS)]
    return ["question_id", "digest", *per_method]


def _load(path: Path) -> _Kept | None:
    try:
        with path.open("rb") as kept:
            header = json.loads(bytes(np.load(kept, allow_pickle=False)).decode())
            if header != _header():
                return None
            arrays = {name: np.load(kept, allow_pickle=False) for name in _names()}
            if kept.read(1):
                return None
    except Exception:  # a kept file is only a shortcut: anything wrong, work it out
        return None
    scores = {
        m: {name: arrays[f"{m}/{name}"] for name in ("question_id", *FIELDS)} for m in AGGREGATES
    }
    n = arrays["question_id"].shape
    if arrays["digest"].shape != n or arrays["digest"].dtype != np.uint64:
        return None
    for columns in scores.values():
        if len({column.shape for column in columns.values()}) != 1:
            return None
    used(path)
    return _Kept(arrays["question_id"], arrays["digest"], scores)


def _save(
    path: Path,
    worked: np.ndarray,
    digest: np.ndarray,
    question_ids: np.ndarray,
    scores: dict[str, PairScores],
) -> None:
    arrays = {"question_id": worked, "digest": digest}
    for method, s in scores.items():
        arrays[f"{method}/question_id"] = question_ids[s.question]
        arrays |= {f"{method}/{name}": getattr(s, name) for name in FIELDS}

    def write(out: BinaryIO) -> None:
        np.save(out, np.frombuffer(json.dumps(_header()).encode(), dtype=np.uint8))
        for name in _names():
            np.save(out, arrays[name], allow_pickle=False)

    if write_whole(path, write):
        prune(path.parent, suffix=SUFFIX, most_files=MOST_FILES, most_bytes=MOST_BYTES)
