"""Writes synthetic data (:mod:`forecasts.synthetic`) into an empty database, in bulk and in
one transaction, for trying forecasts at scale and for the end-to-end benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import func, select

from db.repository import Repository
from db.tables import QuestionRow
from forecasts.errors import Conflict
from forecasts.synthetic import Synthetic, generate

TAGS = ("politics", "economy", "security", "science", "sport", "health", "energy", "trade")


def _stamp(seconds: np.ndarray) -> list[str]:
    """Moments as SQLite stores them: 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC."""
    micro = np.round(np.asarray(seconds) * 1e6).astype("datetime64[us]")
    return [text.replace("T", " ") for text in np.datetime_as_string(micro, unit="us")]


def write_demo(
    repository: Repository,
    *,
    questions: int = 100_000,
    forecasters: int = 1_000,
    forecasts: int = 1_000_000,
    seed: int = 7,
) -> Synthetic:
    """Generate and store synthetic questions, forecasters, forecasts and resolutions."""
    with repository.engine.connect() as connection:
        stored = connection.execute(
            select(func.count()).select_from(QuestionRow.__table__)
        ).scalar()
    if stored:
        raise Conflict(
            "db",
            f"{stored} questions",
            "are stored already; generate demo data into a new database",
        )
    data = generate(questions=questions, forecasters=forecasters, forecasts=forecasts, seed=seed)
    now = _stamp(np.array([datetime.now(UTC).timestamp()]))[0]
    k = data.questions.n_options
    created, close = _stamp(data.created), _stamp(data.close)
    raw = repository.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN")
        cursor.executemany(
            "INSERT INTO question (id, title, description, criteria, kind, created_at, close_at) "
            "VALUES (?, ?, '', ?, ?, ?, ?)",
            (
                (
                    i + 1,
                    f"Synthetic question {i + 1}",
                    "Resolves by the generator's draw from the question's true probability.",
                    "binary" if k[i] == 2 else "multiple_choice",
                    created[i],
                    close[i],
                )
                for i in range(questions)
            ),
        )
        multi = np.flatnonzero(k > 2)
        cursor.executemany(
            "INSERT INTO question_option (question_id, position, label) VALUES (?, ?, ?)",
            (
                (int(i) + 1, position, f"Option {chr(65 + position)}")
                for i in multi
                for position in range(int(k[i]))
            ),
        )
        cursor.executemany(
            "INSERT INTO question_tag (question_id, tag) VALUES (?, ?)",
            ((i + 1, TAGS[i % len(TAGS)]) for i in range(questions)),
        )
        cursor.executemany(
            "INSERT INTO forecaster (id, name, kind, affiliation) VALUES (?, ?, 'person', ?)",
            (
                (i + 1, f"Synthetic forecaster {i + 1:04d}", f"noise {data.noise[i]:.2f}")
                for i in range(forecasters)
            ),
        )
        f = data.forecasts
        made = _stamp(f.time)
        binary_rows = k[f.question] == 2
        cursor.executemany(
            "INSERT INTO forecast (id, question_id, forecaster_id, made_at, made_at_precision, "
            "probability, inferred, rationale, recorded_at) "
            "VALUES (?, ?, ?, ?, 'day', ?, 0, '', ?)",
            (
                (
                    i + 1,
                    int(f.question[i]) + 1,
                    int(f.forecaster[i]) + 1,
                    made[i],
                    float(f.p[i, 0]) if binary_rows[i] else None,
                    now,
                )
                for i in range(len(f))
            ),
        )
        cursor.executemany(
            "INSERT INTO forecast_probability (forecast_id, position, probability) "
            "VALUES (?, ?, ?)",
            (
                (int(i) + 1, position, float(f.p[i, position]))
                for i in np.flatnonzero(~binary_rows)
                for position in range(int(k[f.question[i]]))
            ),
        )
        resolved = np.flatnonzero(~np.isnan(data.resolved))
        resolved_at = _stamp(np.nan_to_num(data.resolved))
        outcome = data.questions.outcome
        labels = [
            "annulled"
            if data.annulled[i]
            else ("yes", "no")[outcome[i]]
            if k[i] == 2
            else f"Option {chr(65 + int(outcome[i]))}"
            for i in range(questions)
        ]
        cursor.executemany(
            "INSERT INTO resolution (question_id, sequence, outcome, resolved_at, evidence, "
            "resolved_by, recorded_at) VALUES (?, 1, ?, ?, 'Synthetic draw.', 'generator', ?)",
            ((int(i) + 1, labels[i], resolved_at[i], now) for i in resolved),
        )
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return data
