"""Exports: the whole record as interchange JSON (lossless), and the flat CSV shapes.

Every export reads in one transaction, so the file is one state of the database however
long it takes, and streams: rows go from the database's cursor to the output one at a time,
so a million forecasts need no more memory than a few.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, TextIO

from db.repository import Repository
from forecasts.interchange import (
    CSV_COLUMNS,
    FATEBOOK_COLUMNS,
    FORMAT_VERSION,
    EventRecord,
    FurnitureRecord,
    IndicatorRecord,
    QuestionRecord,
    ResolutionRecord,
    ScenarioUpdateRecord,
    SourceRecord,
    fatebook_time,
    number_text,
    record_json,
    stamp,
)
from forecasts.models import (
    ANNULLED,
    NO,
    YES,
    DatePrecision,
    EventKind,
    Forecast,
    ForecasterKind,
    Question,
    QuestionKind,
    Resolution,
)
from forecasts.scoring import question_score_table
from forecasts.text import json_escaped


def moment(text: str | None) -> datetime | None:
    """A moment as SQLite holds it ('YYYY-MM-DD HH:MM:SS.ffffff', UTC) as an aware datetime."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class _Counts(dict):
    def add(self, section: str) -> None:
        self[section] = self.get(section, 0) + 1


# Reading the record, table by table ------------------------------------------------------


def _forecasters(cursor) -> Iterator[dict[str, Any]]:
    rows = cursor.execute(
        "SELECT id, name, kind, affiliation, merged_into_id FROM forecaster ORDER BY id"
    ).fetchall()
    for ident, name, kind, affiliation, merged in rows:
        yield {
            "id": ident,
            "name": name,
            "kind": ForecasterKind(kind),
            "affiliation": affiliation,
            "merged_into": merged,
        }


def _sources(cursor) -> Iterator[SourceRecord]:
    marks: dict[int, list[FurnitureRecord]] = {}
    for source_id, start, end, kind in cursor.execute(
        'SELECT source_id, start, "end", kind FROM source_furniture ORDER BY source_id, start'
    ).fetchall():
        marks.setdefault(source_id, []).append(FurnitureRecord(start=start, end=end, kind=kind))
    rows = cursor.execute(
        "SELECT id, key, title, outlet, url, published_on, date_precision, date_note, author, "
        "text, sha256, original_sha256, added_at FROM source ORDER BY id"
    ).fetchall()
    for row in rows:
        ident, key, title, outlet, url, published, precision, note, author, text = row[:10]
        sha, original, added = row[10:]
        yield SourceRecord.model_construct(
            id=ident,
            key=key,
            title=title,
            outlet=outlet,
            url=url,
            published_on=date.fromisoformat(published),
            date_precision=DatePrecision(precision),
            date_note=note,
            author=author,
            text=text,
            sha256=sha,
            original_sha256=original,
            added_at=moment(added),
            furniture=tuple(marks.get(ident, ())),
        )


def _question_parts(cursor) -> tuple[dict, dict, dict, dict]:
    options: dict[int, list[str]] = {}
    narratives: dict[int, list[str]] = {}
    for qid, label, narrative in cursor.execute(
        "SELECT question_id, label, narrative FROM question_option ORDER BY question_id, position"
    ):
        options.setdefault(qid, []).append(label)
        narratives.setdefault(qid, []).append(narrative)
    tags: dict[int, list[str]] = {}
    for qid, tag in cursor.execute("SELECT question_id, tag FROM question_tag ORDER BY tag"):
        tags.setdefault(qid, []).append(tag)
    resolutions: dict[int, list[ResolutionRecord]] = {}
    for row in cursor.execute(
        "SELECT question_id, outcome, resolved_at, evidence, source_id, resolved_by, "
        "recorded_at, recorded_by FROM resolution ORDER BY question_id, sequence"
    ):
        qid, outcome, resolved, evidence, source, by, recorded, recorder = row
        resolutions.setdefault(qid, []).append(
            ResolutionRecord.model_construct(
                outcome=outcome,
                resolved_at=moment(resolved),
                evidence=evidence,
                source_id=source,
                resolved_by=by,
                recorded_at=moment(recorded),
                recorded_by=recorder,
            )
        )
    return options, narratives, tags, resolutions


def _questions(cursor) -> Iterator[QuestionRecord]:
    options, narratives, tags, resolutions = _question_parts(cursor)
    rows = cursor.execute(
        "SELECT id, key, title, description, criteria, kind, created_at, close_at, resolve_by, "
        "question.recorded_by, withdrawn, condition_id, joint_id FROM question "
        "LEFT JOIN question_condition ON question_condition.question_id = question.id "
        "ORDER BY id"
    )
    for row in rows:
        ident, key, title, description, criteria, kind, created, close, by, recorder, out = row[:11]
        condition, joint = row[11:]
        yield QuestionRecord.model_construct(
            id=ident,
            key=key,
            title=title,
            description=description,
            criteria=criteria,
            kind=QuestionKind(kind),
            options=tuple(options.get(ident, ())),
            narratives=tuple(narratives[ident]) if any(narratives.get(ident, ())) else (),
            tags=tuple(tags.get(ident, ())),
            created_at=moment(created),
            close_at=moment(close),
            resolve_by=moment(by),
            recorded_by=recorder,
            withdrawn=bool(out),
            resolutions=tuple(resolutions.get(ident, ())),
            condition_id=condition,
            joint_id=joint,
        )


_FORECAST_COLUMNS = (
    "id, key, question_id, forecaster_id, made_at, made_at_precision, probability, source_id, "
    "quote, quote_start, quote_end, phrase, scale, scale_probability, inferred, rationale, "
    "recorded_at, recorded_by, imported"
)


def _vectors(cursor) -> Iterator[tuple[int, list[float]]]:
    """Each multiple-choice forecast's probabilities, in forecast id order."""
    current, vector = None, []
    for forecast_id, probability in cursor:
        if forecast_id != current:
            if current is not None:
                yield current, vector
            current, vector = forecast_id, []
        vector.append(probability)
    if current is not None:
        yield current, vector


def _forecast_rows(cursor, vectors_cursor) -> Iterator[tuple[tuple, tuple | None]]:
    """Every forecast row in id order with its options' probabilities (None for binary),
    joined by walking both tables in step."""
    vectors = _vectors(
        vectors_cursor.execute(
            "SELECT forecast_id, probability FROM forecast_probability "
            "ORDER BY forecast_id, position"
        )
    )
    pending = next(vectors, None)
    for row in cursor.execute(f"SELECT {_FORECAST_COLUMNS} FROM forecast ORDER BY id"):
        vector = None
        if row[6] is None and pending is not None and pending[0] == row[0]:
            vector = tuple(pending[1])
            pending = next(vectors, None)
        yield row, vector


def forecast_fields(row: tuple, vector: tuple | None) -> dict[str, Any]:
    """A forecast row as the interchange's fields."""
    (ident, key, qid, fid, made, precision, probability, sid, quote, qstart, qend, phrase,
     scale, scale_p, inferred, rationale, recorded, recorder, imported) = row  # fmt: skip
    return {
        "id": ident,
        "key": key,
        "question_id": qid,
        "forecaster_id": fid,
        "made_at": moment(made),
        "made_at_precision": DatePrecision(precision),
        "probability": probability,
        "probabilities": vector,
        "source_id": sid,
        "quote": quote,
        "quote_start": qstart,
        "quote_end": qend,
        "phrase": phrase,
        "scale": scale,
        "scale_probability": scale_p,
        "inferred": bool(inferred),
        "rationale": rationale,
        "recorded_at": moment(recorded),
        "recorded_by": recorder,
        "imported": bool(imported),
    }


def _forecasts(cursor, vectors_cursor) -> Iterator[dict[str, Any]]:
    for row, vector in _forecast_rows(cursor, vectors_cursor):
        yield forecast_fields(row, vector)


def _events(cursor) -> Iterator[EventRecord]:
    rows = cursor.execute(
        "SELECT id, kind, question_id, forecast_id, forecaster_id, reason, detail, recorded_by, "
        "recorded_at FROM event ORDER BY id"
    )
    for ident, kind, qid, forecast, fid, reason, detail, recorder, recorded in rows:
        yield EventRecord.model_construct(
            id=ident,
            kind=EventKind(kind),
            question_id=qid,
            forecast_id=forecast,
            forecaster_id=fid,
            reason=reason,
            detail=json.loads(detail or "{}"),
            recorded_by=recorder,
            recorded_at=moment(recorded),
        )


# JSON ------------------------------------------------------------------------------------

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def stamp_text(text: str | None) -> str | None:
    """A moment as SQLite holds it, written as the interchange writes moments (the text
    turned round directly: this runs a million times in a large export)."""
    if text is None:
        return None
    if len(text) == 26 and text[10] == " " and text[19] == ".":
        fraction = text[20:]
        return (
            f"{text[:10]}T{text[11:19]}Z" if fraction == "000000" else f"{text[:10]}T{text[11:]}Z"
        )
    return stamp(moment(text))  # type: ignore[arg-type]


def forecast_json(row: tuple, vector: tuple | None) -> str:
    """One forecast row as the interchange writes it: the fields, values and order
    :func:`record_json` gives for its :class:`ForecastRecord` (a test holds them equal),
    built without one."""
    (ident, key, qid, fid, made, precision, probability, sid, quote, qstart, qend, phrase,
     scale, scale_p, inferred, rationale, recorded, recorder, imported) = row  # fmt: skip
    out: dict[str, Any] = {"id": ident}
    if key is not None:
        out["key"] = key
    out["question_id"] = qid
    out["forecaster_id"] = fid
    out["made_at"] = stamp_text(made)
    if precision != DatePrecision.DAY.value:
        out["made_at_precision"] = precision
    if probability is not None:
        out["probability"] = probability
    if vector is not None:
        out["probabilities"] = list(vector)
    for name, value in (
        ("source_id", sid),
        ("quote", quote),
        ("quote_start", qstart),
        ("quote_end", qend),
        ("phrase", phrase),
        ("scale", scale),
        ("scale_probability", scale_p),
    ):
        if value is not None:
            out[name] = value
    if inferred:
        out["inferred"] = True
    if rationale:
        out["rationale"] = rationale
    if recorded is not None:
        out["recorded_at"] = stamp_text(recorded)
    if recorder:
        out["recorded_by"] = recorder
    if imported:
        out["imported"] = True
    return _encode(out)


def _forecaster_json(fields: dict[str, Any]) -> str:
    out = {"id": fields["id"], "name": fields["name"]}
    if fields["kind"] is not ForecasterKind.PERSON:
        out["kind"] = fields["kind"].value
    if fields["affiliation"]:
        out["affiliation"] = fields["affiliation"]
    if fields["merged_into"] is not None:
        out["merged_into"] = fields["merged_into"]
    return _encode(out)


def _indicators(cursor) -> Iterator[IndicatorRecord]:
    rows = cursor.execute(
        "SELECT set_id, question_id, likelihoods, phrases, scale, judged_by_id, rationale, "
        "recorded_at, recorded_by FROM indicator ORDER BY id"
    ).fetchall()
    for set_id, question_id, likelihoods, phrases, scale, judged, why, at, by in rows:
        yield IndicatorRecord.model_construct(
            set_id=set_id,
            question_id=question_id,
            likelihoods=tuple(json.loads(likelihoods)),
            phrases=tuple(json.loads(phrases)),
            scale=scale,
            judged_by_id=judged,
            rationale=why,
            recorded_at=moment(at),
            recorded_by=by,
        )


def _updates(cursor) -> Iterator[ScenarioUpdateRecord]:
    rows = cursor.execute(
        "SELECT u.set_id, i.question_id, u.forecaster_id, u.observed, u.resolution_id, "
        "u.source_id, u.prior_forecast_id, u.prior, u.likelihoods, u.posterior, u.forecast_id, "
        "u.updated_at, u.recorded_at, u.recorded_by FROM scenario_update AS u "
        "JOIN indicator AS i ON i.id = u.indicator_id ORDER BY u.id"
    ).fetchall()
    for set_id, question, who, observed, resolution, source, prior_id, *rest in rows:
        prior, likelihoods, posterior, forecast, updated, recorded, by = rest
        yield ScenarioUpdateRecord.model_construct(
            set_id=set_id,
            indicator_question_id=question,
            forecaster_id=who,
            observed=bool(observed),
            resolved=resolution is not None,
            source_id=source,
            prior_forecast_id=prior_id,
            prior=tuple(json.loads(prior)),
            likelihoods=tuple(json.loads(likelihoods)),
            posterior=tuple(json.loads(posterior)),
            forecast_id=forecast,
            updated_at=moment(updated),
            recorded_at=moment(recorded),
            recorded_by=by,
        )


def _section(out: TextIO, name: str, lines: Iterator[str], counts: _Counts, last: bool) -> None:
    out.write(f'"{name}": [')
    first = True
    for line in lines:
        out.write("\n" if first else ",\n")
        out.write(line if line.isascii() and "\x7f" not in line else json_escaped(line))
        counts.add(name)
        first = False
    out.write("\n]" if not first else "]")
    out.write("\n}\n" if last else ",\n")


def write_json(repository: Repository, out: TextIO) -> dict[str, int]:
    """Write the whole record as interchange JSON: one record per line, the forecasts last
    (an importer holds everything before them and streams them; the events, which refer to
    forecasts, are few). Returns how many records of each kind were written."""
    counts = _Counts()
    with repository.raw_read() as cursor:
        second = cursor.connection.cursor()
        out.write(f'{{"format_version": {FORMAT_VERSION},\n')
        _section(out, "forecasters", map(_forecaster_json, _forecasters(cursor)), counts, False)
        _section(out, "sources", map(record_json, _sources(cursor)), counts, False)
        _section(out, "questions", map(record_json, _questions(cursor)), counts, False)
        _section(out, "indicators", map(record_json, _indicators(cursor)), counts, False)
        _section(out, "events", map(record_json, _events(cursor)), counts, False)
        _section(out, "scenario_updates", map(record_json, _updates(cursor)), counts, False)
        rows = _forecast_rows(cursor, second)
        _section(out, "forecasts", (forecast_json(*pair) for pair in rows), counts, True)
    return dict(counts)


# CSV -------------------------------------------------------------------------------------


class _Flat:
    """What the flat shapes need besides forecasts: questions, forecasters and sources by
    id, read in the export's transaction."""

    def __init__(self, cursor) -> None:
        self.questions = {record.id: record for record in _questions(cursor)}
        self.forecasters = {fields["id"]: fields for fields in _forecasters(cursor)}
        self.sources = {
            ident: key or sha
            for ident, key, sha in cursor.execute("SELECT id, key, sha256 FROM source")
        }
        self.retracted = {
            forecast_id
            for (forecast_id,) in cursor.execute(
                "SELECT forecast_id FROM event WHERE kind = ?", (EventKind.RETRACTED.value,)
            )
        }

    def current(self, question: QuestionRecord) -> ResolutionRecord | None:
        return question.resolutions[-1] if question.resolutions else None

    def counted_as(self, forecaster_id: int) -> dict[str, Any]:
        fields = self.forecasters[forecaster_id]
        into = fields["merged_into"]
        return self.forecasters[into] if into is not None else fields


def _csv_rows(flat: _Flat, fields: dict[str, Any]) -> Iterator[list[str]]:
    question = flat.questions[fields["question_id"]]
    forecaster = flat.forecasters[fields["forecaster_id"]]
    resolution = flat.current(question)
    common = [
        question.key or "",
        question.title,
        question.criteria,
        stamp(question.close_at),
        ";".join(question.tags),
    ]
    tail = [
        forecaster["name"],
        forecaster["kind"].value,
    ]
    after = [
        stamp(fields["made_at"]),
        flat.sources.get(fields["source_id"], "") if fields["source_id"] else "",
        fields["quote"] or "",
        fields["rationale"],
        resolution.outcome if resolution else "",
        stamp(resolution.resolved_at) if resolution else "",
    ]
    if fields["probabilities"] is None:
        yield [*common, "", *tail, number_text(fields["probability"]), *after]
        return
    for label, probability in zip(question.options, fields["probabilities"], strict=True):
        yield [*common, label, *tail, number_text(probability), *after]


def write_csv(repository: Repository, out: TextIO) -> dict[str, int]:
    """Write one row per forecast (one per option for multiple choice), questions' fields
    repeated on each of their rows. Retracted forecasts are left out, as scores leave them."""
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a lone \r in text is quoted
    writer.writerow(CSV_COLUMNS)
    counts = _Counts()
    with repository.raw_read() as cursor:
        flat = _Flat(cursor)
        for fields in _forecasts(cursor, cursor.connection.cursor()):
            if fields["id"] in flat.retracted:
                continue
            writer.writerows(_csv_rows(flat, fields))
            counts.add("forecasts")
    return dict(counts)


# Fatebook's CSV --------------------------------------------------------------------------


def _fatebook_cell(value: object) -> str:
    """A cell as Fatebook writes it: text always in double quotes, numbers and booleans bare,
    nothing at all for a missing value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return '"' + str(value).replace('"', '""') + '"'


def _fatebook_resolution(question: QuestionRecord, resolution, option: str | None) -> str | None:
    if resolution is None:
        return None
    if resolution.outcome == ANNULLED:
        return "AMBIGUOUS"
    if option is None:
        return {YES: "YES", NO: "NO"}[resolution.outcome]
    return "YES" if resolution.outcome == option else "NO"


SCORE_DECIMALS = 10


class _Scores:
    """Each forecaster's Brier score on each resolved question, from the forecasts already
    read (time-weighted, 0..2), and relative to the median of the others'."""

    def __init__(self) -> None:
        self.table: dict[int, dict[int, float]] = {}

    def question(self, question: QuestionRecord, forecasts: list[dict[str, Any]]) -> None:
        resolution = question.resolutions[-1] if question.resolutions else None
        if resolution is None or resolution.outcome == ANNULLED:
            return
        domain = Question(
            id=question.id,
            title=question.title,
            criteria=question.criteria,
            kind=question.kind,
            options=question.options,
            close_at=question.close_at,
            created_at=question.created_at,
            resolution=Resolution(outcome=resolution.outcome, resolved_at=resolution.resolved_at),
        )
        standing = [
            Forecast(
                question_id=question.id,
                forecaster_id=fields["forecaster_id"],
                made_at=fields["made_at"],
                probability=fields["probability"],
                probabilities=fields["probabilities"],
            )
            for fields in forecasts
            if fields["made_at"] <= resolution.resolved_at
        ]
        scores = question_score_table(domain, standing)
        self.table[question.id] = {who: score.brier for who, score in scores.items()}

    def of(self, question_id: int, forecaster_id: int) -> tuple[float | None, float | None]:
        scores = self.table.get(question_id, {})
        mine = scores.get(forecaster_id)
        others = sorted(value for who, value in scores.items() if who != forecaster_id)
        if mine is None or not others:
            return _rounded(mine), None
        middle = len(others) // 2
        median = others[middle] if len(others) % 2 else (others[middle - 1] + others[middle]) / 2
        return _rounded(mine), _rounded(mine - median)


def _rounded(score: float | None) -> float | None:
    """A score to 10 decimal places: what a spreadsheet shows, free of the last bits that
    differ with the order of floating-point sums."""
    return None if score is None else round(score, SCORE_DECIMALS) + 0.0


def _fatebook_rows(flat: _Flat, fields, scores: _Scores) -> Iterator[list[str]]:
    question = flat.questions[fields["question_id"]]
    resolution = flat.current(question)
    forecaster = flat.counted_as(fields["forecaster_id"])
    brier, relative = scores.of(question.id, forecaster["id"])
    pairs: list[tuple[str | None, float]] = (
        [(None, fields["probability"])]
        if fields["probabilities"] is None
        else list(zip(question.options, fields["probabilities"], strict=True))
    )
    for option, probability in pairs:
        yield [
            _fatebook_cell(value)
            for value in (
                question.title,
                option,
                forecaster["name"],
                probability,
                fatebook_time(fields["made_at"]),
                question.recorded_by,
                fatebook_time(question.created_at),
                fatebook_time(question.close_at),
                _fatebook_resolution(question, resolution, option),
                fatebook_time(resolution.resolved_at) if resolution else None,
                brier,
                relative,
                question.description,
                "",
                False,
                "",
                "; ".join(question.tags),
            )
        ]


def write_fatebook_csv(repository: Repository, out: TextIO) -> dict[str, int]:
    """Write Fatebook's export columns in Fatebook's order, one row per forecast (per option
    for multiple choice), with each forecaster's Brier score on the question (time-weighted,
    0..2) and its difference from the median of the other forecasters' scores. Retracted
    forecasts are left out."""
    counts = _Counts()
    with repository.raw_read() as cursor:
        flat = _Flat(cursor)
        by_question: dict[int, list[dict[str, Any]]] = {}
        for fields in _forecasts(cursor, cursor.connection.cursor()):
            if fields["id"] not in flat.retracted:
                by_question.setdefault(fields["question_id"], []).append(fields)
    scores = _Scores()
    for question_id, forecasts in by_question.items():
        counted = [
            {**f, "forecaster_id": flat.counted_as(f["forecaster_id"])["id"]} for f in forecasts
        ]
        scores.question(flat.questions[question_id], counted)
    lines = [",".join(FATEBOOK_COLUMNS)]  # Fatebook writes its header unquoted
    for question_id in sorted(by_question):
        for fields in by_question[question_id]:
            lines.extend(",".join(row) for row in _fatebook_rows(flat, fields, scores))
            counts.add("forecasts")
    out.write("\n".join(lines))
    return dict(counts)


WRITERS = {"json": write_json, "csv": write_csv, "fatebook-csv": write_fatebook_csv}
"""Each export format's writer."""
