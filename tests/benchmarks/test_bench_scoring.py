"""Scoring at scale: 1,000,000 forecasts on 100,000 questions by 1,000 forecasters.

Goals (reported, never asserted on time): the scoring core under 1.0 s (median);
``forecasts score --json`` end to end under 2 s with peak memory under 1 GiB (issue "fast
from the first keystroke"; 5 s and 1.5 GiB before it); the engine at least 50 times faster
than the per-row reference. Run with ``make bench``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from db.demo import write_demo
from db.repository import Repository
from forecasts.scoring import (
    calibration,
    one_vs_rest,
    question_medians,
    question_scores,
    relative_brier,
    summarize,
)
from forecasts.synthetic import generate
from tests import reference_scoring as ref


@pytest.fixture(scope="module")
def synthetic():
    return generate(questions=100_000, forecasters=1_000, forecasts=1_000_000)


def scoring_core(data):
    """Question scores, the leaderboard (with intervals), calibration and CORP."""
    pairs = question_scores(data.forecasts, data.questions)
    relative = relative_brier(pairs, question_medians(pairs))
    board = summarize(pairs, data.questions, pairs.forecaster, 1000, relative=relative)
    scored = np.flatnonzero(data.questions.scored[data.forecasts.question])
    p, o = one_vs_rest(data.forecasts, data.questions, scored)
    return pairs, board, calibration(p, o)


def test_bench_scoring_core_1m(benchmark, synthetic) -> None:
    pairs, board, cal = benchmark(scoring_core, synthetic)
    benchmark.extra_info["forecasts"] = len(synthetic.forecasts)
    benchmark.extra_info["question_scores"] = len(pairs)
    assert np.isfinite(board.brier).all()
    assert cal.mcb - cal.dsc + cal.corp_unc == pytest.approx(cal.mean_score, abs=1e-12)


def _reference_core(rows, questions) -> dict:
    scores = ref.question_scores(rows, questions)
    return ref.leaderboard(scores, questions)


def test_bench_engine_against_reference_100k(benchmark) -> None:
    data = generate(questions=10_000, forecasters=1_000, forecasts=100_000, seed=11)
    f = data.forecasts
    k = data.questions.n_options
    rows = [
        (
            int(f.question[i]),
            int(f.forecaster[i]),
            float(f.time[i]),
            f.p[i, : k[f.question[i]]].tolist(),
        )
        for i in range(len(f))
    ]
    questions = [
        (int(k[j]), int(data.questions.outcome[j]), float(data.questions.end[j]))
        for j in range(len(data.questions))
    ]

    def engine_core():
        pairs = question_scores(data.forecasts, data.questions)
        return summarize(pairs, data.questions, pairs.forecaster, 1000, resamples=1)

    start = time.perf_counter()
    expected = _reference_core(rows, questions)
    reference_seconds = time.perf_counter() - start
    summary = benchmark(engine_core)
    speedup = reference_seconds / benchmark.stats.stats.median
    benchmark.extra_info["reference_seconds"] = round(reference_seconds, 3)
    benchmark.extra_info["speedup"] = round(speedup, 1)
    print(
        f"\nper-row reference {reference_seconds:.3f} s; engine median "
        f"{benchmark.stats.stats.median:.4f} s; {speedup:.0f}x"
    )
    for forecaster, values in expected.items():
        assert summary.brier[forecaster] == pytest.approx(values[0])


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "million.db"
    write_demo(Repository.open(f"sqlite:///{path}"))
    return path


STATES = ["cold", "after-a-write", "kept"]
"""Before each timed run: nothing kept at all (the first run on a database); a forecast
written since the run before, the forecasts' columns (db/kept_columns.py) and each other
question's consensus scores (db/kept_consensus.py) kept, but not what was printed; nothing
done, so the scores printed before are printed again (cli/score_cache.py)."""


def prepare(state: str, database: Path):
    """The setup before each timed run in ``state`` (None for none)."""
    if state == "cold":
        return forget_kept_scores
    if state == "after-a-write":
        return lambda: write_a_forecast(database)
    return None


def write_a_forecast(database: Path) -> None:
    """One more forecast, as another program would write it: a copy of the last binary one."""
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO forecast (question_id, forecaster_id, made_at, made_at_precision, "
            "probability, inferred, rationale, recorded_at) SELECT question_id, forecaster_id, "
            "made_at, made_at_precision, probability, inferred, rationale, recorded_at "
            "FROM forecast WHERE probability IS NOT NULL ORDER BY id DESC LIMIT 1"
        )


@pytest.mark.parametrize("state", STATES)
def test_bench_score_json_end_to_end(benchmark, demo_database: Path, state: str) -> None:
    command = [sys.executable, "-m", "cli", "--db", str(demo_database), "score", "--json"]

    def run() -> dict:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    setup = prepare(state, demo_database)
    board = benchmark.pedantic(run, setup=setup, rounds=3, iterations=1, warmup_rounds=1)
    if setup is not None:
        setup()
    peak_mib = measured_peak_mib(command)
    benchmark.extra_info["peak_rss_mib"] = round(peak_mib)
    print(
        f"\nforecasts score --json on 1,000,000 forecasts ({state}):"
        f" median {benchmark.stats.stats.median:.2f} s, peak memory {peak_mib:.0f} MiB"
    )
    assert len(board["rows"]) == 1000 + 4  # forecasters and the four consensus rows


PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measured_peak_mib(command: list[str]) -> float:
    """The largest resident memory of ``command``, run alone in a fresh process."""
    done = subprocess.run([sys.executable, "-c", PEAK, *command], capture_output=True, check=True)
    return int(done.stdout) / 1024


def forget_kept_scores() -> None:
    """Remove the scores and forecasts' columns kept between commands (the tests' own cache
    folder)."""
    shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "forecasts", ignore_errors=True)
