"""Export and import: lossless round trips, idempotence, atomic refusals."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.export import forecast_fields, forecast_json, write_csv, write_fatebook_csv, write_json
from db.importer import ImportRefused, import_file
from db.repository import Repository
from forecasts.drafts import Merge, QuestionEdit, Rename, Retract, Withdraw
from forecasts.errors import ForecastsError, InvalidInput
from forecasts.interchange import ForecastRecord, record_json
from forecasts.models import ForecasterKind, name_key
from tests.conftest import NOW, add_forecaster, add_question, add_source, dump, log, resolve

START = datetime(2025, 1, 1, tzinfo=UTC)


def exported(repo: Repository, writer=write_json) -> str:
    out = io.StringIO()
    writer(repo, out)
    return out.getvalue()


def write(folder: Path, name: str, text: str, *, newline: str | None = None) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline=newline)
    return path


def imported(repo: Repository, path: Path, **options):
    """import_file, failing the test with every refused record's line."""
    try:
        return import_file(repo, path, **options)
    except ImportRefused as exc:
        raise AssertionError([problem.line() for problem in exc.refused]) from None


def fresh() -> Repository:
    return Repository.open("sqlite://", clock=lambda: NOW, user_name="importer")


def ticking() -> Repository:
    """A repository whose clock moves on a second per write, so that every record has its
    own recorded time."""
    seconds = itertools.count()
    return Repository.open(
        "sqlite://", clock=lambda: NOW + timedelta(seconds=next(seconds)), user_name="tester"
    )


# A database built by every kind of write --------------------------------------------------

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda s: s.strip())


@st.composite
def databases(draw, *, distinct_moments: bool = False) -> Repository:
    """A database written by every kind of write the repository has. With
    ``distinct_moments`` no two forecasts are made at the same moment and no two questions
    share a title (a flat file cannot tell those apart)."""
    moments = itertools.count()
    repo = ticking()
    names: list[str] = []
    for name in draw(st.lists(text, min_size=1, max_size=4)):
        if name_key(name) in {name_key(n) for n in names}:
            continue
        kind = draw(st.sampled_from(list(ForecasterKind)))
        names.append(add_forecaster(repo, name=name, kind=kind, affiliation=draw(text)).name)
    sources = []
    for index in range(draw(st.integers(0, 2))):
        body = f"{draw(text)} analysts think it likely {index}. {draw(text)}"
        sources.append(
            add_source(repo, title=draw(text), published_on="2025-01-02", text=body, key=None)
        )
    questions = []
    for index in range(draw(st.integers(1, 4))):
        options = draw(st.sampled_from([(), ("Alpha", "Beta"), ("Up", "Flat", "Down")]))
        questions.append(
            add_question(
                repo,
                key=draw(st.sampled_from([None, f"q-{index}"])),
                # A flat file knows a question without a key by its title alone.
                title=f"{draw(text)} #{index}" if distinct_moments else draw(text),
                criteria=draw(text),
                description=draw(st.sampled_from(["", "background ü\u202e"])),
                kind="multiple_choice" if options else "binary",
                options=options,
                close_at=START + timedelta(days=draw(st.integers(30, 200))),
                tags=draw(st.lists(st.sampled_from(["a", "b-c", "d.e"]), max_size=2)),
            )
        )
    forecasts = []
    for _ in range(draw(st.integers(0, 8))):
        question = draw(st.sampled_from(questions))
        k = len(question.options)
        fields = {}
        if k:
            raw = draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k))
            total = sum(raw)
            vector = [value / total for value in raw[:-1]]
            fields["probabilities"] = (*vector, 1.0 - sum(vector))
        else:
            fields["probability"] = draw(st.floats(0.0, 1.0))
        source = draw(st.sampled_from([None, *sources]))
        if source is not None:
            fields["quote"] = "analysts think it likely"
        seconds = next(moments) if distinct_moments else draw(st.integers(0, 9))
        made_at = START + timedelta(days=draw(st.integers(2, 29)), seconds=seconds)
        # A refused forecast (a vector that does not sum to 1 after rounding, say) is not stored.
        with contextlib.suppress(ForecastsError):
            forecasts.append(
                log(
                    repo,
                    question=question.id,
                    forecaster=draw(st.sampled_from(names)),
                    made_at=made_at,
                    source=source.id if source else None,
                    rationale=draw(st.sampled_from(["", "because\nof ⟨this⟩"])),
                    **fields,
                )
            )
    for question in questions:
        for _ in range(draw(st.integers(0, 2))):
            outcome = draw(st.sampled_from([*question.outcomes, "annulled"]))
            resolved_at = START + timedelta(days=draw(st.integers(30, 100)))
            # Refused when it would strand forecasts, or repeats the resolution.
            with contextlib.suppress(ForecastsError):
                resolve(repo, question=question.id, outcome=outcome, resolved_at=resolved_at)
    if draw(st.booleans()):
        edited = draw(st.sampled_from(questions))
        repo.edit_question(
            QuestionEdit(question_id=edited.id, changes={"title": "Edited: " + edited.title})
        )
    if forecasts and draw(st.booleans()):
        repo.retract(Retract(forecast_id=draw(st.sampled_from(forecasts)).id, reason="typo"))
    if draw(st.booleans()):
        repo.withdraw(Withdraw(question_id=draw(st.sampled_from(questions)).id, reason="dup"))
    if draw(st.booleans()):
        repo.rename_forecaster(Rename(forecaster=names[0], name=names[0] + " (renamed)"))
        names[0] += " (renamed)"
    if len(names) > 1 and draw(st.booleans()):
        repo.merge_forecasters(Merge(source=names[1], target=names[0], reason="same person"))
    return repo


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(databases())
def test_a_database_goes_out_and_back_in_byte_for_byte(repo: Repository) -> None:
    first = exported(repo)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "export.json", first)
        empty = fresh()
        report = imported(empty, path)
        assert exported(empty) == first
        assert sum(c["added"] for c in report.counts.values()) == sum(
            len(json.loads(first)[section]) for section in report.counts
        )
        # Again: nothing is added, and nothing changes.
        before = dump(empty.engine)
        again = import_file(empty, path)
        assert all(c["added"] == 0 and c["updated"] == 0 for c in again.counts.values())
        assert dump(empty.engine) == before


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(databases(distinct_moments=True))
def test_the_flat_csv_goes_out_and_back_in_for_what_it_holds(repo: Repository) -> None:
    first = exported(repo, write_csv)
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "export.csv", first)
        empty = fresh()
        with empty.transaction():  # the sources a flat file names, added beforehand
            for source in repo.list_sources():
                empty.add_source(source.model_copy(update={"id": None}))
        imported(empty, path)
        assert exported(empty, write_csv) == first
        before = dump(empty.engine)
        imported(empty, path)
        assert dump(empty.engine) == before


@pytest.mark.parametrize(
    "row",
    [
        (3, None, 1, 2, "2025-05-01 10:00:00.250000", "approximate", 0.1 + 0.2, 4,
         'said "maybe"\n\x1b\x85', 0, 12, "maybe", "icd-203", 1e-05, 1, "",
         "2025-05-02 00:00:00.000000", "ö", 0),
        (4, "k", 1, 2, "2025-05-01 00:00:00.000000", "day", None, None, None, None, None, None,
         None, None, 0, "why\u202e", None, "", 1),
    ],
)  # fmt: skip
def test_the_fast_forecast_writer_says_what_the_record_model_says(row) -> None:
    vector = None if row[6] is not None else (0.25, 0.75)
    model = ForecastRecord.model_validate(forecast_fields(row, vector))
    fast, slow = json.loads(forecast_json(row, vector)), json.loads(record_json(model))
    assert fast == slow
    assert list(fast) == list(slow)  # the same fields, in the same order


# A file that extends an earlier one --------------------------------------------------------


def test_a_longer_file_adds_only_what_is_new(repo: Repository, tmp_path: Path) -> None:
    question = add_question(
        repo,
        key="kim",
        title="Will Kim go?",
        criteria="If he goes.",
        close_at=START + timedelta(60),
    )
    add_forecaster(repo, name="Ada")
    log(repo, question="kim", forecaster="Ada", probability=0.2, made_at=START)
    early = write(tmp_path, "early.json", exported(repo))
    log(repo, question="kim", forecaster="Ada", probability=0.3, made_at=START + timedelta(1))
    resolve(repo, question="kim", outcome="no", resolved_at=START + timedelta(61))
    late = write(tmp_path, "late.json", exported(repo))

    other = fresh()
    import_file(other, early)
    report = import_file(other, late)
    assert report.counts["forecasts"] == {"added": 1, "updated": 0, "skipped": 1}
    assert report.counts["questions"] == {"added": 0, "updated": 1, "skipped": 0}
    assert exported(other) == exported(repo)
    assert question.id == other.question(ref="kim").id
    assert other.question(ref="kim").resolution.outcome == "no"


def test_an_edit_in_the_file_updates_the_stored_question_once(repo, tmp_path: Path) -> None:
    add_question(repo, key="k", title="Old title", criteria="c", close_at=START + timedelta(9))
    before = write(tmp_path, "before.json", exported(repo))
    other = fresh()
    import_file(other, before)
    q = repo.question(ref="k")
    repo.edit_question(QuestionEdit(question_id=q.id, changes={"title": "New title"}))
    after = write(tmp_path, "after.json", exported(repo))
    report = import_file(other, after)
    assert report.counts["questions"]["updated"] == 1
    assert report.counts["events"]["added"] == 1
    assert other.question(ref="k").title == "New title"
    # The older file again changes nothing back.
    report = import_file(other, before)
    assert report.kept == ["questions[0]"]
    assert other.question(ref="k").title == "New title"


def test_a_dry_run_reports_and_writes_nothing(repo: Repository, tmp_path: Path) -> None:
    add_question(repo, key="k", title="T", criteria="c", close_at=START + timedelta(9))
    path = write(tmp_path, "one.json", exported(repo))
    other = fresh()
    before = dump(other.engine)
    report = import_file(other, path, dry_run=True)
    assert report.counts["questions"]["added"] == 1
    assert dump(other.engine) == before


# Refusals leave the database as it was ------------------------------------------------------


def _seeded_file(repo: Repository, tmp_path: Path) -> dict:
    source = add_source(repo, title="S", published_on="2025-01-01", text="It is likely to rain.")
    add_question(repo, key="rain", title="Rain?", criteria="c", close_at=START + timedelta(30))
    add_question(
        repo,
        key="who",
        title="Who?",
        criteria="c",
        kind="multiple_choice",
        options=("A", "B"),
        close_at=START + timedelta(30),
    )
    add_forecaster(repo, name="Ada")
    log(repo, question="rain", forecaster="Ada", probability=0.7, made_at=START, source=source.id,
        quote="likely to rain")  # fmt: skip
    log(repo, question="who", forecaster="Ada", probabilities=(0.4, 0.6), made_at=START)
    return json.loads(exported(repo))


def _broken(document: dict, change) -> str:
    copy = json.loads(json.dumps(document))
    change(copy)
    return json.dumps(copy)


REFUSALS = {
    "probability above 1": (
        lambda d: d["forecasts"][0].update(probability=1.5),
        "forecasts[0].probability",
    ),
    "probability as text": (
        lambda d: d["forecasts"][0].update(probability="0.5"),
        "forecasts[0].probability",
    ),
    "vector not summing to 1": (
        lambda d: d["forecasts"][1].update(probabilities=[0.5, 0.6]),
        "forecasts[1].probabilities",
    ),
    "id of the wrong type": (
        lambda d: d["questions"][0].update(id="one"),
        "questions[0].id",
    ),
    "unknown version": (lambda d: d.update(format_version=2), "format_version"),
    "question neither in file nor stored": (
        lambda d: (
            d["forecasts"][0].pop("question_id"),
            d["forecasts"][0].update(question_key="x"),
        ),
        "forecasts[0].question_key",
    ),
    "question id not in the file": (
        lambda d: d["forecasts"][0].update(question_id=99),
        "forecasts[0].question_id",
    ),
    "quote not in its source": (
        lambda d: d["forecasts"][0].update(quote="likely to snow", quote_start=None),
        "forecasts[0].quote",
    ),
    "wrong vector length": (
        lambda d: d["forecasts"][1].update(probabilities=[1.0]),
        "forecasts[1].probabilities",
    ),
    "outcome not of the question": (
        lambda d: d["questions"][0].update(
            resolutions=[{"outcome": "maybe", "resolved_at": "2025-01-05T00:00:00Z"}]
        ),
        "questions[0].resolutions[0].outcome",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refused_record_imports_nothing(repo, tmp_path: Path, name: str) -> None:
    document = _seeded_file(repo, tmp_path)
    change, where = REFUSALS[name]
    target = Repository.open(f"sqlite:///{tmp_path / 'target.db'}", clock=lambda: NOW)
    add_forecaster(target, name="Someone already here")
    target.engine.dispose()
    before = (tmp_path / "target.db").read_bytes()
    path = write(tmp_path, "bad.json", _broken(document, change))
    with pytest.raises(InvalidInput) as refused:
        import_file(target, path)
    lines = [p.line() for p in getattr(refused.value, "refused", [])] or [str(refused.value)]
    assert any(line.startswith(where) for line in lines), lines
    target.engine.dispose()
    assert (tmp_path / "target.db").read_bytes() == before


def test_every_bad_record_is_reported_at_once(repo: Repository, tmp_path: Path) -> None:
    document = _seeded_file(repo, tmp_path)
    document["forecasts"][0]["probability"] = -0.1
    document["forecasts"][1]["made_at"] = "yesterday"
    document["forecasters"][0]["name"] = "   "
    path = write(tmp_path, "bad.json", json.dumps(document))
    with pytest.raises(ImportRefused) as refused:
        import_file(fresh(), path)
    lines = [problem.line() for problem in refused.value.refused]
    assert lines[0].startswith("forecasters[0].name: '   ' must not be blank")
    assert any(line.startswith("forecasts[0].probability: -0.1") for line in lines)
    assert any(line.startswith("forecasts[1].made_at: 'yesterday' is not a time") for line in lines)


@pytest.mark.parametrize("cut", [1, 40, 0.5, -2])
def test_a_truncated_file_is_refused_in_one_line(repo, tmp_path: Path, cut) -> None:
    text = json.dumps(_seeded_file(repo, tmp_path))
    end = int(len(text) * cut) if isinstance(cut, float) else cut
    path = write(tmp_path, "cut.json", text[:end])
    target = fresh()
    before = dump(target.engine)
    with pytest.raises(InvalidInput) as refused:
        import_file(target, path)
    assert "\n" not in str(refused.value)
    assert dump(target.engine) == before


# Flat files from spreadsheets and from Fatebook ----------------------------------------------


def _csv_database(repo: Repository) -> None:
    add_question(repo, key="rain", title="Rain, tomorrow?", criteria="Met Office says so.",
                 close_at=START + timedelta(30), tags=("weather", "uk"))  # fmt: skip
    add_question(repo, title="Who wins?", criteria="The count.", kind="multiple_choice",
                 options=("Red", "Blue", "Green"), close_at=START + timedelta(30))  # fmt: skip
    add_forecaster(repo, name="Ada", kind="person")
    add_forecaster(repo, name="The Desk", kind="organisation")
    log(repo, question="rain", forecaster="Ada", probability=0.7, made_at=START, rationale='a "b"')
    log(repo, question=2, forecaster="The Desk", probabilities=(0.2, 0.3, 0.5), made_at=START)
    resolve(repo, question="rain", outcome="yes", resolved_at=START + timedelta(31))


def test_a_csv_with_a_bom_lf_ends_and_its_columns_reordered_reads_the_same(repo, tmp_path) -> None:
    _csv_database(repo)
    plain = exported(repo, write_csv)
    lines = [line.split(",") for line in plain.splitlines()]
    import csv

    rows = list(csv.reader(io.StringIO(plain)))
    order = list(reversed(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[row[i] for i in order] for row in rows])
    path = write(tmp_path, "odd.csv", "\ufeff" + out.getvalue(), newline="")
    target = fresh()
    import_file(target, path)
    assert exported(target, write_csv) == plain
    assert lines


def test_csv_rows_of_one_question_must_agree(repo, tmp_path: Path) -> None:
    _csv_database(repo)
    plain = exported(repo, write_csv).splitlines()
    # Line 4 (the multiple-choice forecast's second option) gives another criteria.
    plain[3] = plain[3].replace("The count.", "Another count.")
    path = write(tmp_path, "bad.csv", "\n".join(plain) + "\n")
    with pytest.raises(ImportRefused) as refused:
        import_file(fresh(), path)
    assert refused.value.refused[0].line().startswith("line 4.criteria: 'Another count.'")


def test_a_fatebook_export_imports_and_exports_back_identically(tmp_path: Path) -> None:
    # Two forecasters on a binary question that resolved NO; scores worked out by hand on
    # the 0..2 Brier scale: Ada said 0.2, Bo 0.6.
    ada = round((0.2 - 0) ** 2 + (0.8 - 1) ** 2, 10)  # 0.08
    bo = round((0.6 - 0) ** 2 + (0.4 - 1) ** 2, 10)  # 0.72
    header = (
        "Question title,Multiple choice option,Forecast created by,Forecast (scale = 0-1),"
        "Forecast created at,Question created by,Question created at,Question resolve by,"
        "Resolution,Resolved at,Your Brier score for this question,"
        "Your relative Brier score for this question,Question notes,Question shared with,"
        "Question shared publicly,Question comments,Question tags"
    )
    q1 = '"Will it rain in London on 1 March?"'
    common1 = '"Ada","2025-02-01 09:00:00","2025-03-01 00:00:00","NO","2025-03-02 10:00:00"'
    rows = [
        header,
        f'{q1},,"Ada",0.2,"2025-02-01 09:30:00",{common1},{ada!r},{round(ada - bo, 10)!r},'
        '"Notes, with a comma","",false,"","weather"',
        f'{q1},,"Bo",0.6,"2025-02-03 12:00:00",{common1},{bo!r},{round(bo - ada, 10)!r},'
        '"Notes, with a comma","",false,"","weather"',
        '"Which team wins?","Red","Ada",0.25,"2025-02-05 08:00:00","Ada","2025-02-04 08:00:00",'
        '"2025-12-31 00:00:00",,,,,"","",false,"",""',
        '"Which team wins?","Blue","Ada",0.75,"2025-02-05 08:00:00","Ada","2025-02-04 08:00:00",'
        '"2025-12-31 00:00:00",,,,,"","",false,"",""',
    ]
    original = "\n".join(rows)
    path = write(tmp_path, "fatebook.csv", original)
    target = fresh()
    report = import_file(target, path)
    assert report.format == "fatebook-csv"
    assert report.counts["questions"]["added"] == 2
    assert report.counts["forecasts"]["added"] == 3
    assert exported(target, write_fatebook_csv) == original
    question = target.list_questions()[0].question
    assert question.resolution.outcome == "no"
    assert question.description == "Notes, with a comma"
    # And once more: nothing new.
    again = import_file(target, path)
    assert again.counts["forecasts"] == {"added": 0, "updated": 0, "skipped": 3}


def test_a_file_in_another_order_and_layout_imports_the_same(repo, tmp_path: Path) -> None:
    document = _seeded_file(repo, tmp_path)
    q = repo.question(ref="rain")
    repo.edit_question(QuestionEdit(question_id=q.id, changes={"title": "Rain at all?"}))
    document = json.loads(exported(repo))
    reordered = {
        name: document[name]
        for name in ("forecasts", "events", "questions", "sources", "forecasters")
    } | {"format_version": 1}
    path = write(tmp_path, "pretty.json", json.dumps(reordered, indent=4, ensure_ascii=True))
    target = fresh()
    imported(target, path)
    assert exported(target) == exported(repo)


def test_a_csv_row_on_a_question_neither_defined_nor_stored_is_refused(tmp_path: Path) -> None:
    text = "question_key,forecaster,probability,made_at\nnowhere,Ada,0.4,2025-01-01\n"
    path = write(tmp_path, "refs.csv", text)
    target = fresh()
    before = dump(target.engine)
    with pytest.raises(ImportRefused) as refused:
        import_file(target, path)
    assert refused.value.refused[0].line() == (
        "line 2.question_key: 'nowhere' is neither a question in the file nor one stored in "
        "the database"
    )
    assert dump(target.engine) == before
    add_question(target, key="nowhere", title="T", criteria="c", close_at=START + timedelta(9))
    report = imported(target, path)
    assert report.counts["forecasts"]["added"] == 1
    assert report.counts["forecasters"]["added"] == 1


def test_a_stored_question_with_other_options_is_refused(repo, tmp_path: Path) -> None:
    document = _seeded_file(repo, tmp_path)
    target = fresh()
    add_question(target, key="who", title="Who?", criteria="c", kind="multiple_choice",
                 options=("A", "C"), close_at=START + timedelta(30))  # fmt: skip
    path = write(tmp_path, "other.json", json.dumps(document))
    with pytest.raises(ImportRefused) as refused:
        import_file(target, path)
    assert refused.value.refused[0].line().startswith("questions[1].options: 'A, B' differ")
