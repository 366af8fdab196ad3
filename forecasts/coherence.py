"""The coherence of conditional forecasts, in plain Python (no numpy), so that a question
page can show it without loading the numeric stack."""

from __future__ import annotations

COHERENCE_TOLERANCE = 0.05
"""How far P(A) x P(B | A) may differ from a direct forecast of "A and B" before the
forecasts are called incoherent."""


def joint(p_a: float, p_b_given_a: float) -> float:
    """P(A and B) = P(A) x P(B | A)."""
    return p_a * p_b_given_a


def incoherence(p_a: float, p_b_given_a: float, p_a_and_b: float) -> float | None:
    """How far a direct forecast of "A and B" is from P(A) x P(B | A); None when within
    :data:`COHERENCE_TOLERANCE` (the forecasts agree)."""
    gap = abs(joint(p_a, p_b_given_a) - p_a_and_b)
    return gap if gap > COHERENCE_TOLERANCE else None
