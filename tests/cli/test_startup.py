"""What a command loads before it answers: ``forecasts --help`` loads no database, domain or
interface library, and a read command loads the database layer but not the app, the
scoring libraries or the migration tool. Checked in a fresh interpreter, by module, not by
time, so a change cannot quietly bring the start-up cost back."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from db.repository import Repository
from db.seed import seed

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "sqlalchemy", "sqlmodel", "numpy", "scipy", "textual", "alembic", "rich")
OURS = (
    "db.repository",
    "db.migrate",
    "db.light",
    "forecasts.models",
    "forecasts.scoring",
    "tui.app",
)

PROBE = """
import json, sys
from cli.app import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
def real(name):  # imported and run, not only named by cli.lazy
    module = sys.modules.get(name)
    return module is not None and type(module).__name__ != "_LazyModule"
heavy = sorted({name.split(".")[0] for name in list(sys.modules) if real(name)} & set(HEAVY))
ours = [name for name in OURS if real(name)]
print(json.dumps({"heavy": heavy, "ours": ours}), file=sys.stderr)
"""


def loaded(*args: str) -> dict[str, list[str]]:
    """The heavy libraries and our own heavy modules a fresh ``forecasts ARGS`` loads."""
    probe = f"HEAVY = {HEAVY!r}\nOURS = {OURS!r}\n{PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("startup") / "seed.db"
    seed(Repository.open(f"sqlite:///{path}", clock=lambda: datetime(2026, 11, 22, tzinfo=UTC)))
    return f"sqlite:///{path}"


def test_the_help_loads_nothing_heavy() -> None:
    assert loaded("--help") == {"heavy": [], "ours": []}


@pytest.mark.parametrize(
    "args",
    [("question", "--help"), ("score", "--help"), ("db", "--help"), ("question", "list", "--help")],
)
def test_a_command_s_help_loads_no_database_domain_or_interface(args: tuple[str, ...]) -> None:
    assert loaded(*args) == {"heavy": [], "ours": []}


@pytest.mark.parametrize(
    "args",
    [
        ("question", "list", "--json"),
        ("question", "list", "--status", "open", "--tag", "russia"),
        ("question", "show", "1"),
        ("forecast", "list", "--json"),
    ],
)
def test_a_read_command_reads_with_sqlite_alone(seeded_url: str, args: tuple[str, ...]) -> None:
    for db in (seeded_url.removeprefix("sqlite:///"), seeded_url):  # a path, or a sqlite URL
        found = loaded("--db", db, *args)
        assert found == {"heavy": ["pydantic"], "ours": ["db.light", "forecasts.models"]}


@pytest.mark.parametrize("args", [("score", "--by", "tag"), ("calibration", "--json")])
def test_scores_load_numpy_but_neither_the_models_nor_scipy(
    seeded_url: str, args: tuple[str, ...]
) -> None:
    found = loaded("--db", seeded_url, *args)
    assert found == {"heavy": ["numpy"], "ours": ["db.light", "forecasts.scoring"]}


def test_scores_asked_again_load_neither_numpy_nor_the_models(tmp_path: Path) -> None:
    """Printed again from what was kept (cli/score_cache.py), nothing is worked out."""
    path = tmp_path / "again.db"
    seed(Repository.open(f"sqlite:///{path}", clock=lambda: datetime(2026, 11, 22, tzinfo=UTC)))
    for args in (("score", "--json"), ("calibration",)):
        loaded("--db", str(path), *args)
        again = loaded("--db", str(path), *args)
        assert again == {"heavy": [], "ours": ["db.light"]}


def test_a_database_that_needs_work_first_is_opened_by_the_full_layer(tmp_path: Path) -> None:
    """A new file is created and a URL is read by the repository, as before."""
    found = loaded("--db", str(tmp_path / "new.db"), "--no-seed", "question", "list")
    assert "db.repository" in found["ours"] and "db.migrate" in found["ours"]
    found = loaded("--db", f"sqlite:///{tmp_path / 'other.db'}", "question", "list")
    assert "db.repository" in found["ours"]


def test_logging_a_forecast_and_resolving_write_with_sqlite_alone(
    seeded_url: str, tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    source = sqlite3.connect(seeded_url.removeprefix("sqlite:///"))
    with sqlite3.connect(db) as copy:
        source.backup(copy)  # the write-ahead log's pages too
    copy.close()
    source.close()
    for args in (("forecast", "add", "19", "20%"), ("resolve", "2", "no", "--at", "2025-05-09")):
        found = loaded("--db", str(db), *args)
        assert found == {"heavy": ["pydantic"], "ours": ["db.light", "forecasts.models"]}
    found = loaded("--db", str(db), "forecast", "list", "--question", "19", "--json")
    assert found["ours"] == ["db.light", "forecasts.models"]
    listed = subprocess.run(
        [sys.executable, "-m", "cli", "--db", str(db), "forecast", "list", "-q", "19", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert [row["probability"] for row in json.loads(listed.stdout)] == [0.2]
