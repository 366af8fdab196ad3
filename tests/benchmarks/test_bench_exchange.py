"""Export and import at scale: a million-forecast record out and into an empty database, as
whole processes (goals: export under 30 s, import under 60 s with under 2 GiB of memory), and
the seed corpus out and back in (well under a second). Run with ``make bench``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.demo import write_demo
from db.export import write_json
from db.importer import import_file
from db.repository import Repository
from db.seed import seed

ROOT = Path(__file__).resolve().parents[2]


def _process(*args: str) -> tuple[float, float]:
    """Run ``forecasts ARGS``; return its wall time in seconds and its peak memory in MiB."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", *args], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0
    return elapsed, usage.ru_maxrss / 1024


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exchange")
    write_demo(Repository.open(f"sqlite:///{folder / 'million.db'}"))
    return folder


def test_bench_export_and_import_a_million_forecasts(benchmark, million: Path) -> None:
    exported = million / "record.json"
    figures: dict[str, tuple[float, float]] = {}

    def both() -> None:
        for name in ("target.db", "target.db-wal", "target.db-shm"):
            (million / name).unlink(missing_ok=True)
        figures["export"] = _process("--db", str(million / "million.db"), "export", "-o",
                                     str(exported))  # fmt: skip
        figures["import"] = _process("--db", str(million / "target.db"), "import", str(exported))

    benchmark.pedantic(both, rounds=1, iterations=1)
    for step, (seconds, peak) in figures.items():
        benchmark.extra_info[f"{step}_seconds"] = round(seconds, 2)
        benchmark.extra_info[f"{step}_peak_mib"] = round(peak)
        print(f"\n{step} of 1,000,000 forecasts: {seconds:.1f} s, peak memory {peak:.0f} MiB")
    again = million / "again.json"
    _process("--db", str(million / "target.db"), "export", "-o", str(again))
    assert again.read_bytes() == exported.read_bytes()


def test_bench_seed_corpus_round_trip(benchmark, tmp_path: Path) -> None:
    source = Repository.open("sqlite://")
    seed(source)
    text = io.StringIO()
    write_json(source, text)
    path = tmp_path / "seed.json"
    path.write_text(text.getvalue(), encoding="utf-8")

    def round_trip() -> str:
        target = Repository.open("sqlite://")
        import_file(target, path)
        out = io.StringIO()
        write_json(target, out)
        return out.getvalue()

    assert benchmark(round_trip) == text.getvalue()
