"""Scenario arithmetic against values worked out by hand: Bayes updates for two and five
scenarios, a "no" resolution, likelihoods of 0 and 1, expected information gain, and the
coherence of conditional forecasts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from forecasts.errors import InvalidInput
from forecasts.scenarios import (
    diagnosticity,
    entropy,
    incoherence,
    indicator_probability,
    information_gain,
    joint,
    update,
    update_all,
)


def close(got, want) -> None:
    assert np.allclose(got, want, rtol=0, atol=1e-12), (got, want)


def test_two_scenarios_yes_and_no() -> None:
    # prior 0.6 / 0.4; the indicator is 0.9 likely under the first, 0.2 under the second
    # yes: 0.54 and 0.08 of 0.62; no: 0.06 and 0.32 of 0.38
    close(update([0.6, 0.4], [0.9, 0.2], True), [27 / 31, 4 / 31])
    close(update([0.6, 0.4], [0.9, 0.2], False), [3 / 19, 16 / 19])
    assert indicator_probability([0.6, 0.4], [0.9, 0.2]) == pytest.approx(0.62, abs=1e-15)


def test_five_scenarios_with_likelihoods_of_zero_and_one() -> None:
    prior = [0.1, 0.2, 0.3, 0.25, 0.15]
    likelihoods = [0.5, 0.1, 0.0, 1.0, 0.2]
    # yes: 0.05, 0.02, 0, 0.25, 0.03 of 0.35
    close(update(prior, likelihoods, True), [1 / 7, 2 / 35, 0, 5 / 7, 3 / 35])
    # no: 0.05, 0.18, 0.3, 0, 0.12 of 0.65
    close(update(prior, likelihoods, False), [1 / 13, 18 / 65, 6 / 13, 0, 12 / 65])


def test_a_certain_indicator_settles_the_set() -> None:
    close(update([0.5, 0.5], [1.0, 0.0], True), [1, 0])
    close(update([0.5, 0.5], [1.0, 0.0], False), [0, 1])


def test_an_observation_the_forecast_holds_impossible_is_refused() -> None:
    with pytest.raises(InvalidInput, match="probability 0 under every scenario"):
        update([1.0, 0.0], [0.0, 0.7], True)


def test_observations_multiply_under_conditional_independence() -> None:
    prior = [0.5, 0.3, 0.2]
    first, second = [0.9, 0.5, 0.1], [0.3, 0.6, 0.8]
    steps = update_all(prior, [(first, True), (second, False)])
    # by hand: prior x first x (1 - second) = 0.315, 0.06, 0.004 of 0.379
    close(steps[-1], [0.315 / 0.379, 0.06 / 0.379, 0.004 / 0.379])
    close(steps[0], update(prior, first, True))


def test_expected_information_gain_by_hand() -> None:
    # a perfectly diagnostic indicator on an even pair resolves one whole bit
    assert information_gain([0.5, 0.5], [1.0, 0.0]) == pytest.approx(1.0, abs=1e-12)
    # one equally likely under every scenario tells nothing
    assert information_gain([0.5, 0.5], [0.5, 0.5]) == pytest.approx(0.0, abs=1e-12)
    # 0.8 / 0.2 on an even pair: either answer leaves 0.8 / 0.2, whose entropy is
    # -(0.8 log2 0.8 + 0.2 log2 0.2)
    left = -(0.8 * math.log2(0.8) + 0.2 * math.log2(0.2))
    assert information_gain([0.5, 0.5], [0.8, 0.2]) == pytest.approx(1 - left, abs=1e-12)
    assert entropy([0.25] * 4) == pytest.approx(2.0, abs=1e-12)


def test_the_more_diagnostic_indicator_is_worth_more_watching() -> None:
    prior = [0.4, 0.35, 0.25]
    sharp, blunt = [0.9, 0.1, 0.1], [0.6, 0.5, 0.4]
    assert diagnosticity(sharp) == pytest.approx(0.8)
    assert diagnosticity(blunt) == pytest.approx(0.2)
    assert information_gain(prior, sharp) > information_gain(prior, blunt) > 0


@pytest.mark.parametrize(
    ("prior", "likelihoods", "field", "words"),
    [
        ([0.5, 0.6], [0.5, 0.5], "prior", "sums to 1.1"),
        ([0.5, 0.5], [0.5, 1.2], "likelihoods", "between 0 and 1"),
        ([0.5, 0.5], [0.5, -0.1], "likelihoods", "between 0 and 1"),
        ([0.5, 0.5], [0.5, float("nan")], "likelihoods", "between 0 and 1"),
        ([0.5, 0.5], [0.5, 0.5, 0.5], "likelihoods", "3 values for 2 scenarios"),
        ([1.0], [0.5], "prior", "two or more"),
    ],
)
def test_bad_input_is_named(prior, likelihoods, field, words) -> None:
    with pytest.raises(InvalidInput, match=words) as caught:
        update(prior, likelihoods, True)
    assert caught.value.field == field


def test_conditional_forecasts_and_their_coherence() -> None:
    assert joint(0.6, 0.5) == pytest.approx(0.3)
    assert incoherence(0.6, 0.5, 0.32) is None  # 0.02 apart: coherent
    assert incoherence(0.6, 0.5, 0.40) == pytest.approx(0.10)
    assert incoherence(0.6, 0.5, 0.25) is None  # exactly 0.05 apart is within
