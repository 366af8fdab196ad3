"""Reads that span tables see one state of the database while another process writes:
scores and calibration computed again and again during a loop of multiple-choice and binary
forecasts never see a forecast without its options' probabilities."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from db.engine import make_engine
from db.scores import calibration_report, leaderboard, load
from forecasts.parsing import utc_now
from tests.db.test_crashes import _start, open_questions  # noqa: F401  (a fixture)


def test_scores_while_another_process_writes(tmp_path: Path, open_questions: Path) -> None:  # noqa: F811
    db = tmp_path / "busy.db"
    shutil.copy(open_questions, db)
    writer = _start("forecasts", db, "1500")
    engine = make_engine(f"sqlite:///{db}")
    loads, seen = 0, set()
    deadline = time.monotonic() + 20
    try:
        while writer.poll() is None and time.monotonic() < deadline:
            # the loop's forecasts are dated in 2025 and recorded now: backdated, so counted in
            data = load(engine, now=utc_now(), include_backdated=True)
            assert data.forecasts.p.shape == (len(data.forecasts), 3)
            totals = data.forecasts.p.sum(axis=1)
            assert (abs(totals - 1.0) < 1e-9).all()  # no forecast without its options
            leaderboard(data, resamples=50)
            calibration_report(data)
            loads += 1
            seen.add(len(data.forecasts))
    finally:
        writer.kill()
        writer.communicate()
    assert loads >= 5 and len(seen) >= 3  # the scores ran beside the writes, many times
