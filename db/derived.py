"""What the database keeps by triggers, derived from the record: each question's current
outcome and counts (migration 0013), the revision token every write replaces (0014), and
each forecast's mark and the forecasts' lineage (0015).

A bulk write (an import, demo data) inserts hundreds of thousands of rows in one
transaction; firing these triggers on each row would make it much slower. Inside its
transaction, which holds the write lock, it sets them aside and, before it commits, works
out every question's kept values afresh, marks the new forecasts, replaces the tokens and
puts the triggers back as they were. SQLite's schema changes are part of the transaction, so
no other connection ever sees the triggers missing, and a failed or refused write rolls them
back with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

KEPT_TRIGGERS = (
    "question_outcome_on_resolution",
    "question_counts_on_forecast",
    "forecast_mark_on_forecast",
    "forecast_lineage_on_probability",
)
"""The triggers that keep each question's current outcome and counts (0013), each
forecast's mark and the forecasts' lineage (0015)."""

DERIVED_TRIGGERS = f"""
SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
AND (name IN ({", ".join(f"'{name}'" for name in KEPT_TRIGGERS)})
     OR name LIKE '%\\_revision\\_%' ESCAPE '\\')
ORDER BY name
"""
"""The triggers a bulk write sets aside, with the statements that made them."""

KEPT_VALUES = {
    "outcome": "(SELECT outcome FROM resolution WHERE question_id = question.id"
    " ORDER BY sequence DESC LIMIT 1)",
    "forecast_count": "(SELECT count(*) FROM forecast WHERE question_id = question.id)",
    "forecaster_count": "(SELECT count(DISTINCT forecaster_id) FROM forecast"
    " WHERE question_id = question.id)",
}
"""Each kept column of a question and, in SQL, what the record says it is."""

REFRESH = (
    "UPDATE question SET " + ", ".join(f"{name} = {value}" for name, value in KEPT_VALUES.items()),
    "INSERT INTO forecast_mark (forecast_id, mark) SELECT id, random() FROM forecast"
    " WHERE NOT EXISTS (SELECT 1 FROM forecast_mark WHERE forecast_id = forecast.id)",
    "UPDATE data_revision SET token = randomblob(16), lineage = randomblob(16)",
)
"""Every question's kept values worked out afresh, a mark for each forecast without one,
and a new revision token and lineage (a bulk write may append in any order): what the
triggers would have left, or more (about a second at 100,000 questions and 1,000,000
forecasts)."""

OUT_OF_STEP = "SELECT id FROM question WHERE " + " OR ".join(
    f"{column} IS NOT {value}" for column, value in KEPT_VALUES.items()
)
"""The questions whose kept values are not what the record says (none, unless a program
wrote around the triggers); ``forecasts db check`` looks."""

UNTRACKED = ("alembic_version", "data_revision", "forecast_mark")
"""The tables whose writes do not replace the revision token (a forecast's mark is written
with the forecast, which does); every other has three triggers,
``{table}_revision_{insert,update,delete}``."""


@contextmanager
def triggers_set_aside(cursor: Any) -> Iterator[None]:
    """Inside a write transaction: the derived-state triggers dropped for the block, then
    the state refreshed (when the block wrote anything: an import that adds nothing leaves
    the token as it was) and the triggers made again (not when the block raises: the
    transaction is rolled back, and the triggers with it)."""
    saved = cursor.execute(DERIVED_TRIGGERS).fetchall()
    for name, _ in saved:
        cursor.execute(f'DROP TRIGGER "{name}"')
    changes = cursor.connection.total_changes  # rows written; making triggers writes none
    yield
    if cursor.connection.total_changes != changes:  # nothing written: nothing to refresh
        for statement in REFRESH:
            cursor.execute(statement)
    for _, sql in saved:
        cursor.execute(sql)
