"""Every validation rule of the domain models, each refusal naming its field and value."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from forecasts.errors import InvalidInput, from_validation_error
from forecasts.models import (
    Forecast,
    Forecaster,
    Question,
    QuestionKind,
    QuestionStatus,
    Resolution,
    Source,
    check_forecast,
    check_outcome,
    check_published,
    check_resolution,
    locate_quote,
    text_sha256,
)

T0 = datetime(2025, 4, 1, tzinfo=UTC)
CLOSE = datetime(2025, 5, 9, 23, 59, 59, tzinfo=UTC)
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def refusal(build) -> InvalidInput:
    """Run ``build`` and return the domain error it raises (pydantic's report converted)."""
    try:
        build()
    except ValidationError as exc:
        return from_validation_error(exc)
    except InvalidInput as exc:
        return exc
    raise AssertionError("expected a refusal")


def binary(**changes) -> Question:
    data = {
        "id": 1,
        "title": "Will Kim Jong Un attend the 9 May 2025 Moscow parade?",
        "criteria": "Yes if credible reports show Kim in Moscow at the parade on 9 May 2025.",
        "created_at": T0,
        "close_at": CLOSE,
    }
    data.update(changes)
    return Question(**data)


def scenarios(**changes) -> Question:
    return binary(
        kind=QuestionKind.MULTIPLE_CHOICE, options=("Moscow", "Beijing", "Elsewhere"), **changes
    )


def forecast(**changes) -> Forecast:
    data = {"question_id": 1, "forecaster_id": 1, "made_at": T0 + timedelta(days=1)}
    data.update(changes)
    if "probability" not in data and "probabilities" not in data:
        data["probability"] = 0.1
    return Forecast(**data)


# Questions ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "criteria"])
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_question_title_and_criteria_must_not_be_blank(field: str, blank: str) -> None:
    error = refusal(lambda: binary(**{field: blank}))
    assert error.field == field
    assert "must not be blank" in str(error)


def test_multiple_choice_needs_two_distinct_options() -> None:
    assert refusal(lambda: binary(kind="multiple_choice", options=("Only",))).field == "options"
    twice = refusal(lambda: binary(kind="multiple_choice", options=("Moscow", " moscow ")))
    assert "appears twice" in str(twice)
    assert refusal(lambda: binary(kind="multiple_choice", options=("A", " "))).field == "options"
    assert refusal(lambda: binary(options=("Yes", "No"))).field == "options"
    assert scenarios().options == ("Moscow", "Beijing", "Elsewhere")


def test_question_kind_must_be_known() -> None:
    error = refusal(lambda: binary(kind="scalar"))
    assert error.field == "kind"
    assert "'scalar'" in str(error)


def test_tags_are_normalised_and_checked() -> None:
    assert binary(tags=("Russia", "north-korea", "russia")).tags == ("north-korea", "russia")
    assert refusal(lambda: binary(tags=("two words",))).field == "tags"


def test_resolve_by_cannot_precede_close() -> None:
    assert refusal(lambda: binary(resolve_by=CLOSE - timedelta(days=1))).field == "resolve_by"


def test_status_is_derived_from_close_and_resolution() -> None:
    question = binary()
    assert question.status(CLOSE - timedelta(seconds=1)) is QuestionStatus.OPEN
    assert question.status(CLOSE) is QuestionStatus.CLOSED
    resolved = binary(resolution=Resolution(outcome="no", resolved_at=CLOSE))
    assert resolved.status(CLOSE - timedelta(days=3)) is QuestionStatus.RESOLVED
    annulled = binary(resolution=Resolution(outcome="annulled", resolved_at=CLOSE))
    assert annulled.status(NOW) is QuestionStatus.ANNULLED
    with pytest.raises(ValidationError):
        binary().status = QuestionStatus.RESOLVED  # frozen: status is never set by hand


def test_naive_datetimes_are_taken_as_utc() -> None:
    question = binary(close_at=datetime(2025, 5, 9, 12, 0))
    assert question.close_at == datetime(2025, 5, 9, 12, 0, tzinfo=UTC)


# Forecasts -------------------------------------------------------------------------------


@given(st.floats(min_value=0, max_value=1))
def test_binary_probability_in_range_is_kept_exactly(p: float) -> None:
    assert forecast(probability=p).probability == p


@given(st.floats().filter(lambda x: not (0 <= x <= 1)))
def test_binary_probability_out_of_range_or_nan_is_refused(x: float) -> None:
    error = refusal(lambda: forecast(probability=x))
    assert error.field == "probability"
    assert repr(x) in str(error) or (math.isnan(x) and "nan" in str(error))


@pytest.mark.parametrize("value", ["abc", True, None])
def test_binary_probability_must_be_a_number(value) -> None:
    error = refusal(lambda: forecast(probability=value))
    assert error.field == "probability"


@given(
    st.lists(st.floats(min_value=0.001, max_value=1), min_size=2, max_size=8).map(
        lambda xs: [x / math.fsum(xs) for x in xs]
    )
)
def test_vectors_summing_to_one_are_kept_unchanged(vector: list[float]) -> None:
    if abs(math.fsum(vector) - 1) <= 1e-9:
        assert forecast(probabilities=vector).probabilities == tuple(vector)


@given(
    st.lists(st.floats(min_value=0, max_value=1), min_size=2, max_size=8).filter(
        lambda xs: abs(math.fsum(xs) - 1) > 1e-9
    )
)
def test_vectors_not_summing_to_one_are_refused_never_normalised(vector: list[float]) -> None:
    error = refusal(lambda: forecast(probabilities=vector))
    assert error.field == "probabilities"
    assert "nothing is normalised" in str(error)


def test_sum_tolerance_is_one_in_a_billion() -> None:
    assert forecast(probabilities=(0.1, 0.2, 0.7)).probabilities == (0.1, 0.2, 0.7)
    assert forecast(probabilities=(0.5, 0.5 + 9e-10)).probabilities is not None
    assert refusal(lambda: forecast(probabilities=(0.5, 0.5 + 2e-9))).field == "probabilities"
    error = refusal(lambda: forecast(probabilities=(0.3, 0.3, 0.3)))
    assert "sum to 0.9" in str(error)


def test_exactly_one_of_probability_and_probabilities() -> None:
    assert refusal(lambda: Forecast(question_id=1, forecaster_id=1, made_at=T0)).field == (
        "probability"
    )
    both = refusal(lambda: forecast(probability=0.5, probabilities=(0.5, 0.5)))
    assert both.field == "probability"


def test_forecast_shape_must_fit_question() -> None:
    error = refusal(lambda: check_forecast(binary(), forecast(probabilities=(0.5, 0.5)), now=NOW))
    assert error.field == "probability"
    error = refusal(lambda: check_forecast(scenarios(), forecast(probability=0.5), now=NOW))
    assert error.field == "probabilities"
    error = refusal(
        lambda: check_forecast(scenarios(), forecast(probabilities=(0.5, 0.5)), now=NOW)
    )
    assert "gives 2 values for 3 options" in str(error)
    ok = check_forecast(scenarios(), forecast(probabilities=(0.2, 0.5, 0.3)), now=NOW)
    assert ok.vector(scenarios()) == (0.2, 0.5, 0.3)


@given(st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=3000)))
def test_forecasts_after_close_are_refused(delta: timedelta) -> None:
    late = CLOSE + delta
    error = refusal(lambda: check_forecast(binary(), forecast(made_at=late), now=late))
    assert error.field == "made_at"
    assert "after the question closed" in str(error)


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)))
def test_forecasts_before_the_question_existed_are_accepted(delta: timedelta) -> None:
    early = T0 - delta
    assert check_forecast(binary(), forecast(made_at=early), now=NOW).made_at == early


def test_forecasts_after_resolution_or_in_future_are_refused() -> None:
    resolved_early = binary(
        resolution=Resolution(outcome="yes", resolved_at=datetime(2025, 5, 1, tzinfo=UTC))
    )
    error = refusal(
        lambda: check_forecast(
            resolved_early, forecast(made_at=datetime(2025, 5, 2, tzinfo=UTC)), now=NOW
        )
    )
    assert "after the question was resolved" in str(error)
    soon = datetime(2025, 4, 20, tzinfo=UTC)
    error = refusal(lambda: check_forecast(binary(), forecast(made_at=soon), now=T0))
    assert error.field == "made_at"
    assert "in the future" in str(error)


# Quotes and sources ----------------------------------------------------------------------

ARTICLE = (
    "However, experts agree that the chances of Kim attending Russia’s May 9 Victory Day "
    "celebrations remain slim.\n\nMore importantly, the move…"
)


def test_quotes_are_located_verbatim_and_leniently() -> None:
    quote = "the chances of Kim attending Russia’s May 9 Victory Day celebrations remain slim"
    start, end = locate_quote(ARTICLE, quote)
    assert ARTICLE[start:end] == quote
    typed = "chances of Kim attending Russia's May 9   Victory Day"
    start, end = locate_quote(ARTICLE, typed)
    assert ARTICLE[start:end] == "chances of Kim attending Russia’s May 9 Victory Day"
    assert locate_quote(ARTICLE, "slim.\nMore")[0] == ARTICLE.index("slim.")


def test_a_quote_not_in_the_source_is_refused() -> None:
    error = refusal(lambda: locate_quote(ARTICLE, "Kim will certainly attend"))
    assert error.field == "quote"
    assert "'Kim will certainly attend' does not occur in the source text" in str(error)
    assert refusal(lambda: locate_quote(ARTICLE, "  ")).field == "quote"
    assert refusal(lambda: locate_quote(ARTICLE, "experts", start=0)).field == "quote"


def source(**changes) -> Source:
    data = {"id": 7, "title": "Korea Herald", "published_on": date(2025, 4, 28), "text": ARTICLE}
    data.update(changes)
    return Source(**data)


def test_check_forecast_records_the_quote_span() -> None:
    checked = check_forecast(
        binary(),
        forecast(source_id=7, quote="remain slim"),
        now=NOW,
        source=source(),
    )
    assert ARTICLE[checked.quote_start : checked.quote_end] == "remain slim"
    assert checked.quote == "remain slim"
    assert refusal(lambda: forecast(quote="remain slim")).field == "quote"  # no source


def test_source_hash_and_rules() -> None:
    assert source().sha256 == text_sha256(ARTICLE)
    assert len(source().sha256) == 64
    assert refusal(lambda: source(text="   ")).field == "text"
    assert refusal(lambda: source(url="not a url")).field == "url"
    assert refusal(lambda: source(published_on="28 April")).field == "published_on"
    assert refusal(lambda: source(date_precision="roughly")).field == "date_precision"


def test_forecaster_rules() -> None:
    assert Forecaster(name=" Cha Du-hyeogn ").name == "Cha Du-hyeogn"
    assert refusal(lambda: Forecaster(name=" ")).field == "name"
    assert refusal(lambda: Forecaster(name="X", kind="robot")).field == "kind"


# Resolutions -----------------------------------------------------------------------------


def test_outcomes_must_belong_to_the_question() -> None:
    assert check_outcome(binary(), " YES ") == "yes"
    assert check_outcome(scenarios(), "beijing") == "Beijing"
    assert check_outcome(scenarios(), "3") == "Elsewhere"
    assert check_outcome(scenarios(), "Annulled") == "annulled"
    error = refusal(lambda: check_outcome(scenarios(), "Pyongyang"))
    assert error.field == "outcome"
    assert "'Pyongyang' is not an outcome of this question (Moscow, Beijing, Elsewhere)" in str(
        error
    )
    assert refusal(lambda: check_outcome(binary(), "maybe")).field == "outcome"
    assert refusal(lambda: check_outcome(scenarios(), "4")).field == "outcome"


def test_resolution_in_the_future_is_refused() -> None:
    later = Resolution(outcome="no", resolved_at=NOW + timedelta(days=1))
    assert refusal(lambda: check_resolution(binary(), later, now=NOW)).field == "resolved_at"
    assert refusal(lambda: Resolution(outcome=" ", resolved_at=NOW)).field == "outcome"


@pytest.mark.parametrize(
    ("now", "published", "refused"),
    [
        (datetime(2026, 11, 23, 0, 30, tzinfo=UTC), date(2026, 11, 23), False),
        # already the 24th east of UTC (Seoul, Kiribati): a paper may be dated so
        (datetime(2026, 11, 23, 0, 30, tzinfo=UTC), date(2026, 11, 24), False),
        (datetime(2026, 11, 23, 23, 59, tzinfo=UTC), date(2026, 11, 25), True),
        (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), date(2027, 1, 1), False),
        (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), date(2027, 1, 2), True),
        (datetime(2026, 11, 23, tzinfo=UTC), date(1900, 1, 1), False),
    ],
)
def test_a_source_published_after_today_anywhere_is_refused(
    now: datetime, published: date, refused: bool
) -> None:
    if not refused:
        check_published(published, now=now)
        return
    with pytest.raises(InvalidInput) as caught:
        check_published(published, now=now)
    assert caught.value.field == "published_on"
    assert str(caught.value).startswith(f"published_on: '{published.isoformat()}' is in the future")
