"""Start-up as a user feels it: whole ``forecasts`` processes on the seed corpus, each the
median of several runs, beside ``python -c pass`` measured in the same run.

Goals (issue "fast from the first keystroke"): help under 0.15 s; read commands with
``--json`` under 0.35 s; ``forecast add`` and ``resolve`` under 0.45 s. Reported, not
asserted on time. Run with ``make bench``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.repository import Repository
from db.seed import seed

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7

COMMANDS = (
    ("--help",),
    ("question", "--help"),
    ("question", "list", "--json"),
    ("question", "show", "1", "--json"),
    ("forecast", "list", "--json"),
    ("score", "--json"),
    ("calibration", "--json"),
    ("forecast", "add", "19", "20%"),
    ("resolve", "2", "no", "--at", "2025-05-09"),
)


def _median_seconds(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("startup") / "seed.db"
    seed(Repository.open(f"sqlite:///{path}", clock=lambda: datetime(2026, 11, 22, tzinfo=UTC)))
    return f"sqlite:///{path}"


def test_bench_command_start_up(benchmark, seeded_url: str) -> None:
    def run() -> dict[str, float]:
        found = {"python -c pass": _median_seconds([sys.executable, "-c", "pass"])}
        for command in COMMANDS:
            argv = [sys.executable, "-m", "cli", "--db", seeded_url, *command]
            found["forecasts " + " ".join(command)] = _median_seconds(argv)
        return found

    found = benchmark.pedantic(run, rounds=1, iterations=1)
    print(f"\nwhole processes on the seed corpus (median of {RUNS}, s):")
    for what, seconds in found.items():
        benchmark.extra_info[what] = round(seconds, 3)
        print(f"  {what:<45} {seconds:6.3f}")
