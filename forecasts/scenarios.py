"""Scenario arithmetic: Bayes updates of a scenario set from indicators, each indicator's
diagnosticity and expected information gain, and the coherence of conditional forecasts.

A scenario set is a forecast over mutually exclusive, exhaustive scenarios (a probability
vector). An indicator is a yes-or-no event with a likelihood under each scenario,
P(indicator | scenario). Indicators are taken as conditionally independent given the
scenario: the stated assumption under which several observations multiply.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasts.coherence import COHERENCE_TOLERANCE, incoherence, joint
from forecasts.errors import InvalidInput

__all__ = [
    "COHERENCE_TOLERANCE",
    "diagnosticity",
    "entropy",
    "incoherence",
    "indicator_probability",
    "information_gain",
    "joint",
    "update",
    "update_all",
]


def _vector(values: Sequence[float], field: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size < 2:
        raise InvalidInput(field, list(values), "needs one value per scenario (two or more)")
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array > 1):
        raise InvalidInput(field, list(values), "must be probabilities between 0 and 1")
    return array


def _prior(prior: Sequence[float]) -> np.ndarray:
    array = _vector(prior, "prior")
    if abs(array.sum() - 1.0) > 1e-9:
        raise InvalidInput("prior", list(prior), f"sums to {array.sum():g}, not 1")
    return array


def _likelihoods(likelihoods: Sequence[float], size: int) -> np.ndarray:
    array = _vector(likelihoods, "likelihoods")
    if array.size != size:
        raise InvalidInput(
            "likelihoods", list(likelihoods), f"gives {array.size} values for {size} scenarios"
        )
    return array


def update(prior: Sequence[float], likelihoods: Sequence[float], observed: bool) -> np.ndarray:
    """The scenarios' probabilities after the indicator was observed (``observed`` True) or
    resolved no (False, using the complementary likelihoods 1 - P(indicator | scenario)).

    An observation that every scenario held possible gives probability 0 is refused: the
    forecaster's prior and likelihoods say it could not happen."""
    p = _prior(prior)
    chance = _likelihoods(likelihoods, p.size)
    if not observed:
        chance = 1.0 - chance
    joint = p * chance
    total = joint.sum()
    if total <= 0.0:
        raise InvalidInput(
            "likelihoods",
            list(likelihoods),
            f"give the indicator's {'yes' if observed else 'no'} probability 0 under every "
            "scenario the forecast holds possible",
        )
    return joint / total


def update_all(
    prior: Sequence[float], observations: Sequence[tuple[Sequence[float], bool]]
) -> list[np.ndarray]:
    """The scenarios after each observation in turn (conditional independence): the list
    of posteriors, one per observation, the last being the current one."""
    current = _prior(prior)
    steps = []
    for likelihoods, observed in observations:
        current = update(current, likelihoods, observed)
        steps.append(current)
    return steps


def indicator_probability(prior: Sequence[float], likelihoods: Sequence[float]) -> float:
    """P(indicator) = sum over scenarios of P(scenario) x P(indicator | scenario)."""
    p = _prior(prior)
    return float(np.dot(p, _likelihoods(likelihoods, p.size)))


def entropy(probabilities: Sequence[float] | np.ndarray) -> float:
    """Shannon entropy in bits (0 log 0 taken as 0)."""
    p = np.asarray(probabilities, dtype=float)
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def information_gain(prior: Sequence[float], likelihoods: Sequence[float]) -> float:
    """The expected reduction, in bits, of the scenario set's entropy if the indicator were
    observed: H(prior) - [P(yes) H(posterior | yes) + P(no) H(posterior | no)]."""
    p = _prior(prior)
    chance = _likelihoods(likelihoods, p.size)
    yes = float(np.dot(p, chance))
    expected = 0.0
    for outcome, weight in ((True, yes), (False, 1.0 - yes)):
        if weight > 0:
            expected += weight * entropy(update(p, chance, outcome))
    return max(0.0, entropy(p) - expected)


def diagnosticity(likelihoods: Sequence[float]) -> float:
    """How far an indicator's likelihoods differ across scenarios: the largest minus the
    smallest, 0 (the indicator tells the scenarios nothing apart) to 1."""
    chance = _vector(likelihoods, "likelihoods")
    return float(chance.max() - chance.min())
