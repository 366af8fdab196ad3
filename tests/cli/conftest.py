"""The command runner the command-line tests share."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``forecasts ARGS`` on a database of this test's own (another with ``db=``)."""
    monkeypatch.setenv("FORECASTS_DB", str(tmp_path / "main.db"))
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, db: str | None = None):
        prefix = ["--db", str(tmp_path / db)] if db else []
        result = runner.invoke(app, [*prefix, *args], catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    return invoke
