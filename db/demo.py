"""Writes synthetic data (:mod:`forecasts.synthetic`) into an empty database, in bulk and in
one transaction, for trying forecasts at scale and for the end-to-end benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from db import tables
from db.repository import Repository
from forecasts.errors import Conflict
from forecasts.models import ANNULLED, NO, YES, name_key
from forecasts.synthetic import Synthetic, generate

TAGS = ("politics", "economy", "security", "science", "sport", "health", "energy", "trade")


def _stamp(seconds: np.ndarray) -> list[str]:
    """Moments as SQLite stores them: 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC."""
    micro = np.round(np.asarray(seconds) * 1e6).astype("datetime64[us]")
    return [text.replace("T", " ") for text in np.datetime_as_string(micro, unit="us")]


def _question_rows(data: Synthetic) -> list[tuple]:
    k = data.questions.n_options
    created, close = _stamp(data.created), _stamp(data.close)
    return [
        (
            i + 1,
            f"Synthetic question {i + 1}",
            "",
            "Resolves by the generator's draw from the question's true probability.",
            "binary" if k[i] == 2 else "multiple_choice",
            created[i],
            close[i],
        )
        for i in range(len(k))
    ]


def _outcome_labels(data: Synthetic) -> list[str]:
    k = data.questions.n_options
    outcome = data.questions.outcome
    labels = []
    for i in range(len(k)):
        if data.annulled[i]:
            labels.append(ANNULLED)
        elif k[i] == 2:
            labels.append((YES, NO)[outcome[i]])
        else:
            labels.append(f"Option {chr(65 + int(outcome[i]))}")
    return labels


def write_demo(
    repository: Repository,
    *,
    questions: int = 100_000,
    forecasters: int = 1_000,
    forecasts: int = 1_000_000,
    seed: int = 7,
) -> Synthetic:
    """Generate and store synthetic questions, forecasters, forecasts and resolutions, through
    the repository's bulk path, in one transaction."""
    stored = repository.question_count()
    if stored:
        raise Conflict(
            "db",
            f"{stored} questions",
            "are stored already; generate demo data into a new database",
        )
    data = generate(questions=questions, forecasters=forecasters, forecasts=forecasts, seed=seed)
    now = _stamp(np.array([datetime.now(UTC).timestamp()]))[0]
    k = data.questions.n_options
    f = data.forecasts
    made = _stamp(f.time)
    binary_rows = k[f.question] == 2
    resolved_at = _stamp(np.nan_to_num(data.resolved))
    labels = _outcome_labels(data)
    names = [f"Synthetic forecaster {i + 1:04d}" for i in range(forecasters)]
    repository.bulk_insert(
        [
            (
                tables.QuestionRow,
                ("id", "title", "description", "criteria", "kind", "created_at", "close_at"),
                _question_rows(data),
            ),
            (
                tables.QuestionOptionRow,
                ("question_id", "position", "label"),
                (
                    (int(i) + 1, position, f"Option {chr(65 + position)}")
                    for i in np.flatnonzero(k > 2)
                    for position in range(int(k[i]))
                ),
            ),
            (
                tables.QuestionTagRow,
                ("question_id", "tag"),
                ((i + 1, TAGS[i % len(TAGS)]) for i in range(questions)),
            ),
            (
                tables.ForecasterRow,
                ("id", "name", "name_key", "kind", "affiliation"),
                (
                    (i + 1, name, name_key(name), "person", f"noise {data.noise[i]:.2f}")
                    for i, name in enumerate(names)
                ),
            ),
            (
                tables.ForecastRow,
                (
                    "id",
                    "question_id",
                    "forecaster_id",
                    "made_at",
                    "made_at_precision",
                    "probability",
                    "inferred",
                    "rationale",
                    "recorded_at",
                    "imported",
                ),
                (
                    (
                        i + 1,
                        int(f.question[i]) + 1,
                        int(f.forecaster[i]) + 1,
                        made[i],
                        "day",
                        float(f.p[i, 0]) if binary_rows[i] else None,
                        0,
                        "",
                        now,
                        1,  # a generated record, with its own timestamps: imported
                    )
                    for i in range(len(f))
                ),
            ),
            (
                tables.ForecastProbabilityRow,
                ("forecast_id", "position", "probability"),
                (
                    (int(i) + 1, position, float(f.p[i, position]))
                    for i in np.flatnonzero(~binary_rows)
                    for position in range(int(k[f.question[i]]))
                ),
            ),
            (
                tables.ResolutionRow,
                (
                    "question_id",
                    "sequence",
                    "outcome",
                    "resolved_at",
                    "evidence",
                    "resolved_by",
                    "recorded_at",
                ),
                (
                    (int(i) + 1, 1, labels[i], resolved_at[i], "Synthetic draw.", "generator", now)
                    for i in np.flatnonzero(~np.isnan(data.resolved))
                ),
            ),
        ]
    )
    return data
