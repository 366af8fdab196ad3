"""What the score commands print: the leaderboard and calibration as JSON documents (their
shape is documented in the README) and as text. Kept apart from :mod:`cli.render`, so the
score commands load neither the domain's models nor the detector."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cli.plain import table
from forecasts.text import NO_SCORES, one_line, percent

if TYPE_CHECKING:
    from db.scores import ScoreRow, ScoringData
    from forecasts.scoring import Calibration


def _number(value: float | None) -> float | None:
    """A number for programs: full double precision (JSON round-trips it exactly), null for
    a value that does not exist (NaN)."""
    if value is None or value != value:  # NaN
        return None
    return float(value)


def backdated_note(count: int) -> str:
    """The footnote saying how many backdated forecasts the scores left out."""
    return (
        f"{count} backdated forecast{'s' if count != 1 else ''} left out "
        "(--include-backdated to score them; see docs/scoring.md)."
    )


def score_json(
    rows: Sequence[ScoreRow], by: str, *, min_questions: int, data: ScoringData
) -> dict[str, Any]:
    return {
        "by": by,
        "min_questions": min_questions,
        "backdated_left_out": data.backdated,
        "rows": [
            {
                "rank": row.rank,
                "ranked": row.rank is not None,
                "name": row.name,
                "kind": row.kind,
                "questions": row.questions,
                "forecasters": row.forecasters,
                "forecasts": row.forecasts,
                "brier": _number(row.brier),
                "brier_one_sided": _number(row.brier / 2.0),
                "brier_interval": [_number(row.brier_low), _number(row.brier_high)],
                "relative_brier": _number(row.relative),
                "skill": _number(row.skill),
                "log_score": _number(row.log_score),
                "last_brier": _number(row.last_brier),
            }
            for row in rows
        ],
    }


def score_text(rows: Sequence[ScoreRow], by: str, *, min_questions: int, data: ScoringData) -> str:
    left_out = f"\n{backdated_note(data.backdated)}" if data.backdated else ""
    if not rows:
        return NO_SCORES + left_out
    label = {"forecaster": "FORECASTER", "tag": "TAG", "outlet": "OUTLET"}[by]
    table_rows = [
        [
            "-" if row.rank is None else str(row.rank),
            one_line(row.name, 44),
            str(row.questions),
            *([] if by == "forecaster" else [str(row.forecasters)]),
            str(row.forecasts),
            f"{row.brier:.3f}",
            f"[{row.brier_low:.3f}, {row.brier_high:.3f}]",
            "-" if row.relative is None else f"{row.relative:+.3f}",
            f"{row.skill:+.2f}",
            f"{row.log_score:.3f}",
        ]
        for row in rows
    ]
    counts = ["QUESTIONS", *([] if by == "forecaster" else ["FORECASTERS"]), "FORECASTS"]
    headers = ["#", label, *counts, "BRIER", "95% INTERVAL", "RELATIVE", "SKILL", "LOG"]
    right = [0, *range(2, len(headers))]
    right.remove(headers.index("95% INTERVAL"))
    unranked = sum(row.rank is None for row in rows)
    note = (
        f"\n'-': {unranked} row{'s' if unranked != 1 else ''} with fewer than {min_questions} "
        "scored questions, listed unranked (--min-questions changes it)."
        if unranked
        else ""
    )
    return (
        table(headers, table_rows, right=right)
        + "\n\nRanked by relative Brier (against the median forecaster on the same questions; "
        "negative beats peers) where there were peers, then by Brier. Brier 0..2 (lower is "
        "better; always 50% scores 0.5), time-weighted over each question; skill: 1 - Brier / "
        "chance; log: mean ln p(outcome). See docs/scoring.md." + note + left_out
    )


def calibration_json(cal: Calibration, subject: dict[str, str | None]) -> dict[str, Any]:
    import numpy as np  # loaded already by whoever worked out ``cal``

    return {
        "subject": subject,
        "forecasts": cal.n,
        "mean_score": _number(cal.mean_score),
        "base_rate": _number(cal.base_rate),
        "buckets": [
            {
                "centre": round(i / 10, 1),
                "range": [max(0.0, round(i / 10 - 0.05, 2)), min(1.0, round(i / 10 + 0.05, 2))],
                "count": int(cal.count[i]),
                "mean_forecast": _number(cal.mean_forecast[i]),
                "observed": _number(cal.observed[i]),
                "observed_interval": [
                    _number(cal.observed_low[i]),
                    _number(cal.observed_high[i]),
                ],
            }
            for i in range(11)
        ],
        "murphy": {
            "reliability": _number(cal.rel),
            "resolution": _number(cal.res),
            "uncertainty": _number(cal.unc),
            "within_bucket_variance": _number(cal.within_variance),
            "within_bucket_covariance": _number(cal.within_covariance),
        },
        "corp": {
            "miscalibration": _number(cal.mcb),
            "discrimination": _number(cal.dsc),
            "uncertainty": _number(cal.corp_unc),
            # as a numpy array: written by orjson in C (a million points), NaN as null
            "curve": np.column_stack((cal.corp_x, cal.corp_y)).astype(np.float64),
        },
    }


def calibration_text(cal: Calibration, subject: str) -> str:
    if cal.n == 0:
        return f"No forecasts to calibrate for {subject}: calibration needs resolved questions."
    rows = []
    for i in range(11):
        if cal.count[i] == 0:
            rows.append([f"{i * 10}%", "0", "-", "-", "-", ""])
            continue
        bar_at = round(float(cal.observed[i]) * 20)
        bar = "".join("|" if j == i * 2 else ("#" if j == bar_at else ".") for j in range(21))
        rows.append(
            [
                f"{i * 10}%",
                str(int(cal.count[i])),
                percent(cal.mean_forecast[i]),
                percent(cal.observed[i]),
                f"{percent(cal.observed_low[i])}-{percent(cal.observed_high[i])}",
                bar,
            ]
        )
    lines = [
        f"Calibration of {subject}: {cal.n} forecasts, base rate {percent(cal.base_rate)}, "
        f"mean Brier (0..1 form) {cal.mean_score:.4f}",
        "",
        table(
            [
                "BUCKET",
                "COUNT",
                "MEAN FORECAST",
                "OBSERVED",
                "90% INTERVAL",
                "0%  . . observed . .  100%",
            ],
            rows,
            right=(1,),
        ),
        "",
        "In each row '#' marks the observed frequency and '|' the bucket's centre.",
        "",
        f"Murphy:  reliability {cal.rel:.4f} - resolution {cal.res:.4f} + uncertainty "
        f"{cal.unc:.4f} + within-bucket variance {cal.within_variance:.4f} - covariance "
        f"{cal.within_covariance:.4f} = {cal.mean_score:.4f}",
        f"CORP:    miscalibration {cal.mcb:.4f} - discrimination {cal.dsc:.4f} + uncertainty "
        f"{cal.corp_unc:.4f} = {cal.mean_score:.4f}",
        "CORP reliability curve (forecast -> recalibrated): "
        + ", ".join(
            f"{percent(x)}->{percent(y)}"
            for x, y in zip(cal.corp_x[:12], cal.corp_y[:12], strict=True)
        )
        + (" ..." if cal.corp_x.shape[0] > 12 else ""),
    ]
    return "\n".join(lines)
