"""A straightforward per-row Python implementation of the scoring definitions in
docs/scoring.md: dictionaries and loops, no numpy. The tests check the engine against it on
random data, and the benchmarks measure how much faster the engine is."""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import median


def forecast_brier(p: list[float], outcome: int) -> float:
    return sum((pk - (1.0 if k == outcome else 0.0)) ** 2 for k, pk in enumerate(p))


def forecast_log(p: list[float], outcome: int) -> float:
    return math.log(min(max(p[outcome], 0.001), 0.999))


def question_scores(forecasts, questions):
    """forecasts: list of (question, forecaster, time, [p...]); questions: list of
    (n_options, outcome or -1, end). Returns {(question, forecaster): (brier, last, log, n)}."""
    by_pair = defaultdict(list)
    for question, forecaster, time, p in forecasts:
        _, outcome, end = questions[question]
        if outcome < 0 or time > end:
            continue
        by_pair[(question, forecaster)].append((time, p))
    result = {}
    for (question, forecaster), made in by_pair.items():
        made.sort(key=lambda item: item[0])
        _, outcome, end = questions[question]
        total = weighted = weighted_log = 0.0
        for i, (time, p) in enumerate(made):
            until = made[i + 1][0] if i + 1 < len(made) else end
            duration = min(until, end) - time
            total += duration
            weighted += duration * forecast_brier(p, outcome)
            weighted_log += duration * forecast_log(p, outcome)
        last = forecast_brier(made[-1][1], outcome)
        if total > 0:
            result[(question, forecaster)] = (
                weighted / total,
                last,
                weighted_log / total,
                len(made),
            )
        else:
            result[(question, forecaster)] = (
                last,
                last,
                forecast_log(made[-1][1], outcome),
                len(made),
            )
    return result


def relative(scores):
    per_question = defaultdict(list)
    for (question, _), values in scores.items():
        per_question[question].append(values[0])
    out = {}
    for key, values in scores.items():
        peers = per_question[key[0]]
        out[key] = values[0] - median(peers) if len(peers) >= 2 else math.nan
    return out


def leaderboard(scores, questions):
    """{forecaster: (mean brier, questions, forecasts, mean relative, mean skill, mean log)}"""
    rel = relative(scores)
    rows = defaultdict(list)
    for key, values in scores.items():
        rows[key[1]].append((key, values))
    board = {}
    for forecaster, items in rows.items():
        briers = [values[0] for _, values in items]
        rels = [rel[key] for key, _ in items if not math.isnan(rel[key])]
        skills = []
        for (question, _), values in items:
            k = questions[question][0]
            skills.append(1 - values[0] / ((k - 1) / k))
        board[forecaster] = (
            sum(briers) / len(briers),
            len(items),
            sum(values[3] for _, values in items),
            sum(rels) / len(rels) if rels else math.nan,
            sum(skills) / len(skills),
            sum(values[2] for _, values in items) / len(items),
        )
    return board


def bucket(p: float) -> int:
    edges = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]
    return sum(1 for edge in edges if p >= edge)


def pav(values: list[float], weights: list[float]) -> list[float]:
    """Pool-adjacent-violators for an increasing fit."""
    blocks: list[list[float]] = []  # [mean, weight, size]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, w2, n2 = blocks.pop()
            v1, w1, n1 = blocks.pop()
            blocks.append([(v1 * w1 + v2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    fitted = []
    for value, _, size in blocks:
        fitted.extend([value] * size)
    return fitted


def calibration(pairs: list[tuple[float, float]]):
    n = len(pairs)
    counts = [0] * 11
    sums = [0.0] * 11
    hits = [0.0] * 11
    for p, o in pairs:
        b = bucket(p)
        counts[b] += 1
        sums[b] += p
        hits[b] += o
    base = sum(o for _, o in pairs) / n
    mean_score = sum((p - o) ** 2 for p, o in pairs) / n
    rel = sum(c * (s / c - h / c) ** 2 for c, s, h in zip(counts, sums, hits, strict=True) if c) / n
    res = sum(c * (h / c - base) ** 2 for c, h in zip(counts, hits, strict=True) if c) / n
    distinct = sorted({p for p, _ in pairs})
    weight = {p: 0 for p in distinct}
    total = {p: 0.0 for p in distinct}
    for p, o in pairs:
        weight[p] += 1
        total[p] += o
    fitted = dict(
        zip(
            distinct,
            pav([total[p] / weight[p] for p in distinct], [weight[p] for p in distinct]),
            strict=True,
        )
    )
    score_c = sum((fitted[p] - o) ** 2 for p, o in pairs) / n
    return {
        "count": counts,
        "mean_score": mean_score,
        "rel": rel,
        "res": res,
        "unc": base * (1 - base),
        "mcb": mean_score - score_c,
        "dsc": base * (1 - base) - score_c,
    }


def consensus(forecasts, method: str, factor: float = 2.5):
    """For each forecast event (sorted by question, time), the combined standing forecast."""
    out = []
    by_question = defaultdict(list)
    for row in forecasts:
        by_question[row[0]].append(row)
    for question in sorted(by_question):
        standing: dict[int, list[float]] = {}
        for _, forecaster, time, p in sorted(by_question[question], key=lambda r: r[2]):
            standing[forecaster] = p
            k = len(p)
            combined = []
            for option in range(k):
                values = [v[option] for v in standing.values()]
                if method == "median":
                    combined.append(median(values))
                elif method == "mean":
                    combined.append(sum(values) / len(values))
                else:
                    logits = [
                        math.log(min(max(v, 0.001), 0.999))
                        - math.log(1 - min(max(v, 0.001), 0.999))
                        for v in values
                    ]
                    mean_logit = sum(logits) / len(logits)
                    if method == "extremized mean log-odds":
                        mean_logit *= factor
                    combined.append(1 / (1 + math.exp(-mean_logit)))
            total = sum(combined)
            out.append((question, time, [c / total for c in combined]))
    return out
