"""Scoring: arrays in, arrays out. Shapes are checked at the boundary; nothing here loops
over rows in Python.

Probabilities are an array ``p`` of shape (n, K): row i is a forecast over the K outcomes of
its question (for a binary question, K = 2: yes, no). Outcomes are an integer array of shape
(n,) holding the index of the outcome that happened.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _checked(p: ArrayLike, outcome: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    probs = np.asarray(p, dtype=np.float64)
    if probs.ndim != 2:
        raise ValueError(f"p must be 2-dimensional (forecasts, outcomes), not {probs.shape}")
    index = np.asarray(outcome)
    if index.shape != (probs.shape[0],):
        raise ValueError(f"outcome must have shape ({probs.shape[0]},), not {index.shape}")
    if probs.shape[0] and (index.min() < 0 or index.max() >= probs.shape[1]):
        raise ValueError("outcome holds an index outside the forecast's outcomes")
    return probs, index.astype(np.intp)


def brier(p: ArrayLike, outcome: ArrayLike) -> NDArray[np.float64]:
    """Brier score in its original form (Brier 1950), per forecast: the sum over outcomes of
    the squared difference between the probability and what happened (1 or 0). Range 0..2;
    for a binary question it is 2 (p - o)^2, and always saying 50% scores 0.5."""
    probs, index = _checked(p, outcome)
    observed = np.zeros_like(probs)
    observed[np.arange(probs.shape[0]), index] = 1.0
    return np.sum((probs - observed) ** 2, axis=1)


def binary(p_yes: ArrayLike) -> NDArray[np.float64]:
    """Binary forecasts as (n, 2) rows over (yes, no)."""
    yes = np.asarray(p_yes, dtype=np.float64).reshape(-1)
    return np.column_stack([yes, 1.0 - yes])
