"""Fixtures for the app: a seeded in-memory database with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db.repository import Repository
from db.seed import seed

TODAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def seeded() -> Repository:
    """The seed corpus in a new in-memory database, its clock frozen on 22 November 2026."""
    repository = Repository.open("sqlite://", clock=lambda: TODAY)
    seed(repository)
    return repository
