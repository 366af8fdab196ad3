"""Synthetic forecasting data at any scale, for benchmarks and for users who want to see how
forecasts behaves with a million forecasts. Pure numpy; seeded, so reproducible.

Each question has a true probability; its outcome is drawn from it. Each forecaster has a
noise level: a forecast is the truth on the log-odds scale plus that forecaster's noise,
made at a random moment while the question is open. A few questions stay unresolved or are
annulled, so the data look like a real tracker's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasts.scoring import ForecastColumns, QuestionColumns

DAY = 86_400.0
START = 1_704_067_200.0  # 2024-01-01T00:00:00Z


@dataclass(frozen=True)
class Synthetic:
    """Generated data: scoring columns plus what a database needs to store them."""

    forecasts: ForecastColumns
    questions: QuestionColumns
    created: np.ndarray  # seconds
    close: np.ndarray  # seconds
    resolved: np.ndarray  # seconds, NaN when unresolved
    annulled: np.ndarray  # bool
    noise: np.ndarray  # per forecaster


def generate(
    *,
    questions: int = 100_000,
    forecasters: int = 1_000,
    forecasts: int = 1_000_000,
    multiple_choice_share: float = 0.1,
    seed: int = 7,
) -> Synthetic:
    """Make ``forecasts`` forecasts on ``questions`` questions by ``forecasters`` people."""
    rng = np.random.default_rng(seed)
    width = 5 if multiple_choice_share > 0 else 2
    n_options = np.where(
        rng.random(questions) < multiple_choice_share, rng.integers(3, width + 1, questions), 2
    ).astype(np.int64)
    valid = np.arange(width)[None, :] < n_options[:, None]
    truth = np.where(valid, rng.gamma(1.0, size=(questions, width)), 0.0)
    truth /= truth.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(truth, axis=1)
    outcome = (rng.random(questions)[:, None] > cumulative).sum(axis=1).astype(np.int64)
    outcome = np.minimum(outcome, n_options - 1)
    created = START + rng.uniform(0, 600, questions) * DAY
    close = created + rng.uniform(30, 365, questions) * DAY
    resolved = close - rng.uniform(0, 20, questions) * DAY
    fate = rng.random(questions)
    annulled = fate < 0.01
    unresolved = (fate >= 0.01) & (fate < 0.05)
    resolved[unresolved] = np.nan
    scored_outcome = np.where(annulled | unresolved, -1, outcome)
    end = np.where(np.isnan(resolved), close, np.minimum(close, np.nan_to_num(resolved, nan=0)))

    noise = rng.uniform(0.2, 1.5, forecasters)
    q = rng.integers(0, questions, forecasts)
    f = rng.integers(0, forecasters, forecasts)
    t = created[q] + rng.random(forecasts) * (end[q] - created[q])
    log_truth = np.log(np.clip(truth[q], 1e-3, 1.0))
    jitter = rng.standard_normal((forecasts, width)) * noise[f][:, None]
    raw = np.where(valid[q], np.exp(log_truth + jitter), 0.0)
    p = raw / raw.sum(axis=1, keepdims=True)
    binary_rows = n_options[q] == 2
    yes = np.clip(np.round(p[binary_rows, 0], 2), 0.01, 0.99)
    p[binary_rows, 0] = yes
    p[binary_rows, 1] = 1.0 - yes
    # in the order the database layer hands columns over: by question, forecaster, time
    order = np.lexsort((t, f, q))
    columns = ForecastColumns(
        q[order].astype(np.int64), f[order].astype(np.int64), t[order], p[order]
    )
    return Synthetic(
        forecasts=columns,
        questions=QuestionColumns.build(n_options, scored_outcome, end),
        created=created,
        close=close,
        resolved=resolved,
        annulled=annulled,
        noise=noise,
    )
