"""Layering: the domain and storage packages never load the terminal UI."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["forecasts", "forecasts.models", "forecasts.parsing", "db", "db.repository"]
)
def test_importing_domain_or_storage_never_loads_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = sorted(m for m in ('textual', 'typer', 'tui') if m in sys.modules); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_command_line_does_not_load_textual_for_a_command() -> None:
    code = "import sys, cli.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
