"""The interchange records: the fast path for forecasts agrees with the model."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from forecasts.interchange import ForecastRecord, fast_forecast, stamp

VALID = {
    "id": 7,
    "question_id": 2,
    "forecaster_id": 3,
    "made_at": "2025-05-01T10:00:00Z",
    "probability": 0.25,
    "recorded_at": "2025-05-02T10:00:00.250000Z",
    "imported": True,
}

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "2025-05-01T10:00:00Z",
            "2025-05-01T10:00:00",
            "2025-05-01T10:00:00+02:00",
            "2025-13-01T10:00:00Z",
            "day",
            "approximate",
            "0.5",
            "",
        ]
    ),
    st.lists(st.floats(0, 1), max_size=3),
    st.just([0.25, 0.75]),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
names = st.sampled_from([*ForecastRecord.model_fields, "unknown"])


@settings(max_examples=2000)
@given(st.dictionaries(names, values, max_size=6), st.sets(st.sampled_from(list(VALID))))
def test_the_fast_path_says_what_the_model_says_or_leaves_it_to_the_model(changes, dropped):
    item = {k: v for k, v in VALID.items() if k not in dropped} | changes
    fast = fast_forecast(item)
    if fast is None:
        return
    try:
        slow = ForecastRecord.model_validate(item)
    except ValidationError as exc:
        raise AssertionError(f"the fast path took what the model refuses: {exc}") from None
    assert fast.fields() == dict(slow)
    assert stamp(fast.made_at) == stamp(slow.made_at)
    for name in ("made_at", "recorded_at"):  # as SQLite holds them
        moment = getattr(slow, name)
        held = moment.replace(tzinfo=None).isoformat(" ", "microseconds") if moment else None
        assert fast.db_time(name) == held


def test_the_fast_path_takes_what_exports_write() -> None:
    fast = fast_forecast(VALID)
    assert fast.fields() == dict(ForecastRecord.model_validate(VALID))
    vector = VALID | {"probability": None, "probabilities": [0.1, 0.2, 0.7]}
    assert math.isclose(sum(fast_forecast(vector).probabilities), 1.0)
