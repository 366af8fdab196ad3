"""Each question's current outcome and forecast counts are kept on its row by triggers
(migration 0013), so the questions screen and ``question list`` read them without a lookup
per question. They must never drift from what the resolutions and forecasts say: every way of
writing is followed here, and the kept values are compared with values counted afresh."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from db.engine import make_engine
from db.export import write_json
from db.importer import import_file
from db.migrate import upgrade
from db.repository import Repository
from forecasts.drafts import Merge, Retract
from forecasts.kinds import ANNULLED
from forecasts.models import QuestionKind
from tests.conftest import NOW, add_forecaster, add_question, annul, log, resolve

KEPT = "SELECT id, outcome, forecast_count, forecaster_count FROM question ORDER BY id"
COUNTED = """
SELECT id,
  (SELECT outcome FROM resolution WHERE question_id = question.id
     ORDER BY sequence DESC LIMIT 1),
  (SELECT count(*) FROM forecast WHERE question_id = question.id),
  (SELECT count(DISTINCT forecaster_id) FROM forecast WHERE question_id = question.id)
FROM question ORDER BY id
"""


def _kept_and_counted(repo: Repository) -> tuple[list[tuple], list[tuple]]:
    with repo.engine.connect() as connection:
        kept = [tuple(row) for row in connection.execute(text(KEPT))]
        counted = [tuple(row) for row in connection.execute(text(COUNTED))]
    return kept, counted


def test_the_kept_state_follows_every_kind_of_write(tmp_path: Path) -> None:
    """Forecasts by several forecasters, their retraction, merging two forecasters, a
    resolution, a re-resolution, an annulment and a re-resolution after it, and a whole
    record imported into another database, in a random order: after each step the kept
    values are those counted afresh."""
    repo = Repository.open(f"sqlite:///{tmp_path / 'a.db'}", clock=lambda: NOW)
    close = datetime(2025, 3, 1, tzinfo=UTC)
    questions = [
        add_question(repo, title=f"Question {i}?", criteria="Yes if so.", close_at=close).id
        for i in range(4)
    ]
    questions.append(
        add_question(
            repo,
            title="Where?",
            criteria="As reported.",
            close_at=close,
            kind=QuestionKind.MULTIPLE_CHOICE,
            options=["Russia", "China"],
        ).id
    )
    names = ["Ann", "Bo", "Cy"]
    for name in names:
        add_forecaster(repo, name=name)
    rng = random.Random(20250509)
    logged: list[int] = []
    day = [0]

    def when() -> datetime:
        day[0] += 1
        return datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=day[0])

    def forecast() -> None:
        question = rng.choice(questions)
        value = (
            {"probabilities": (0.3, 0.7)}
            if question == questions[-1]
            else {"probability": rng.choice([0.1, 0.5, 0.9])}
        )
        made = log(repo, question=question, forecaster=rng.choice(names), made_at=when(), **value)
        logged.append(made.id)

    def settle() -> None:
        question = rng.choice(questions)
        if rng.random() < 0.3:
            annul(repo, question=question, resolved_at=close + timedelta(days=rng.randint(1, 9)))
        else:
            outcome = "China" if question == questions[-1] else rng.choice(["yes", "no"])
            resolve(
                repo,
                question=question,
                outcome=outcome,
                resolved_at=close + timedelta(days=rng.randint(1, 9)),
                retroactive=True,
            )

    def retract() -> None:
        if logged:
            repo.retract(Retract(forecast_id=logged.pop(rng.randrange(len(logged))), reason="x"))

    steps = [forecast] * 6 + [settle] * 3 + [retract]
    seen_annulled = False
    for _ in range(60):
        rng.choice(steps)()
        kept, counted = _kept_and_counted(repo)
        assert kept == counted
        seen_annulled |= any(row[1] == ANNULLED for row in kept)
    assert seen_annulled and any(row[3] > 1 for row in kept)
    repo.merge_forecasters(Merge(source="Bo", target="Ann", reason="the same person"))
    forecast()
    assert _kept_and_counted(repo)[0] == _kept_and_counted(repo)[1]

    exported = tmp_path / "record.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        write_json(repo, out)
    other = Repository.open(f"sqlite:///{tmp_path / 'b.db'}", clock=lambda: NOW)
    import_file(other, exported)
    kept, counted = _kept_and_counted(other)
    assert kept == counted
    assert sorted(row[1:] for row in kept) == sorted(row[1:] for row in counted)
    assert sum(row[2] for row in kept) == sum(row[2] for row in _kept_and_counted(repo)[0])


def test_a_write_in_plain_sql_keeps_them_too(tmp_path: Path) -> None:
    """The triggers live in the database: a script writing SQL keeps the values in step."""
    path = tmp_path / "plain.db"
    repo = Repository.open(f"sqlite:///{path}", clock=lambda: NOW)
    question = add_question(
        repo, title="Q?", criteria="Yes if so.", close_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    ann = add_forecaster(repo, name="Ann")
    repo.engine.dispose()
    with sqlite3.connect(path) as connection:
        for made in ("2025-01-01 00:00:00.000000", "2025-01-02 00:00:00.000000"):
            connection.execute(
                "INSERT INTO forecast (question_id, forecaster_id, made_at, made_at_precision, "
                "probability, inferred, rationale, recorded_at) "
                "VALUES (?, ?, ?, 'day', 0.4, 0, '', ?)",
                (question.id, ann.id, made, made),
            )
        for sequence, outcome in ((1, "yes"), (2, "no")):
            connection.execute(
                "INSERT INTO resolution (question_id, sequence, outcome, resolved_at, evidence, "
                "resolved_by, recorded_at) VALUES (?, ?, ?, '2025-03-02 00:00:00.000000', '', "
                "'', '2025-03-02 00:00:00.000000')",
                (question.id, sequence, outcome),
            )
        row = connection.execute(
            "SELECT outcome, forecast_count, forecaster_count FROM question WHERE id = ?",
            (question.id,),
        ).fetchone()
    assert row == ("no", 2, 1)


def test_the_upgrade_fills_them_in_for_questions_already_stored(tmp_path: Path) -> None:
    """A database at schema 0012 holding forecasts and resolutions gains the kept values,
    counted from what it holds, in the upgrade's transaction."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0012")
    moment = "2025-01-01 00:00:00.000000"
    with engine.begin() as connection:
        for ident in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO question (id, title, description, criteria, kind, created_at, "
                    "close_at, recorded_by, withdrawn) VALUES (:id, 'Q?', '', 'Yes if so.', "
                    "'binary', :m, '2025-03-01 00:00:00.000000', '', 0)"
                ),
                {"id": ident, "m": moment},
            )
        for ident in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO forecaster (id, name, name_key, kind, affiliation) "
                    "VALUES (:i, :n, :n, 'person', '')"
                ),
                {"i": ident, "n": f"f{ident}"},
            )
        for question, forecaster in ((1, 1), (1, 1), (1, 2), (2, 2)):
            connection.execute(
                text(
                    "INSERT INTO forecast (question_id, forecaster_id, made_at, "
                    "made_at_precision, probability, inferred, rationale, recorded_at) "
                    "VALUES (:q, :f, :m, 'day', 0.4, 0, '', :m)"
                ),
                {"q": question, "f": forecaster, "m": moment},
            )
        for question, sequence, outcome in ((1, 1, "yes"), (1, 2, ANNULLED), (2, 1, "no")):
            connection.execute(
                text(
                    "INSERT INTO resolution (question_id, sequence, outcome, resolved_at, "
                    "evidence, resolved_by, recorded_at) VALUES (:q, :s, :o, :m, '', '', :m)"
                ),
                {"q": question, "s": sequence, "o": outcome, "m": "2025-03-02 00:00:00.000000"},
            )
    upgrade(engine)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(KEPT))]
    assert rows == [(1, ANNULLED, 3, 2), (2, "no", 1, 1), (3, None, 0, 0)]
