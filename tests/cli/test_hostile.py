"""Hostile input at the command line: files that are not forecasts databases, ids and dates at
the edges, bytes that are not UTF-8, devices and pipes, names made of digits, terminal
escapes in data. Each gets one line and the right exit code, never a traceback, and leaves
every file as it was; a hypothesis fuzz of the arguments checks the same at random."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.app import app
from db.engine import default_db_path, make_engine
from db.migrate import HEAD, upgrade
from db.repository import Repository
from db.seed import seed
from tests.conftest import dump

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def one_line(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("forecasts: error: ")
    return line


def digest(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


def _other_program(path: Path, tables: list[str]) -> None:
    with sqlite3.connect(path) as connection:
        for table in tables:
            connection.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, note TEXT)")
            connection.execute(f"INSERT INTO {table} (note) VALUES ('theirs')")
    connection.close()


@pytest.mark.parametrize(
    ("make", "code", "said"),
    [
        (lambda p: p.mkdir(), 2, "is a folder, not a database file"),
        (lambda p: p.write_text("my shopping list\n"), 2, "is not a SQLite database"),
        (lambda p: p.write_bytes(os.urandom(4096)), 2, "is not a SQLite database"),
        (lambda p: _other_program(p, ["users", "orders"]), 2, "of another program"),
        (lambda p: _other_program(p, ["question", "notes"]), 2, "of another program"),
    ],
    ids=["folder", "text", "random-bytes", "other-sqlite", "other-sqlite-with-question"],
)
def test_a_file_that_is_not_ours_is_refused_and_left_alone(
    tmp_path: Path, make, code: int, said: str
) -> None:
    target = tmp_path / "target.db"
    make(target)
    before = digest(tmp_path)
    for command in (("question", "list"), ("seed",), ("forecaster", "add", "Doo")):
        line = one_line(run("--db", str(target), *command), code)
        assert said in line
    assert digest(tmp_path) == before  # byte-identical, and no -wal or -shm beside it


def test_devices_and_urls_without_drivers_get_one_line(tmp_path: Path) -> None:
    assert "not a regular file" in one_line(run("--db", "/dev/null", "question", "list"), 2)
    assert "is empty" in one_line(run("--db", "", "question", "list"), 2)
    for url in ("postgresql://u:secret@localhost/x", "mysql://localhost/x", "bogus://x"):
        line = one_line(run("--db", url, "question", "list"), 1)
        assert "secret" not in line


def test_a_database_from_a_newer_forecasts_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    Repository.open(f"sqlite:///{db}").engine.dispose()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    line = one_line(run("--db", str(db), "question", "list"), 1)
    assert "newer forecasts (schema 0099" in line


def test_an_upgrade_says_where_the_old_database_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO forecaster (name, kind, affiliation) VALUES ('Doo', 'person', '')"
        )
    engine.dispose()
    result = run("--db", str(db), "forecaster", "list", "--json")
    assert result.exit_code == 0
    (notice,) = result.stderr.splitlines()
    assert f"from schema 0003 to {HEAD}" in notice
    kept = Path(notice.rsplit(" ", 1)[1])
    assert kept.exists() and kept.parent == tmp_path
    with sqlite3.connect(kept) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        assert copy.execute("SELECT name FROM forecaster").fetchall() == [("Doo",)]
    copy.close()
    assert [f["name"] for f in json.loads(result.stdout)] == ["Doo"]


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    db = tmp_path / "seeded.db"
    repository = Repository.open(f"sqlite:///{db}")
    seed(repository)
    repository.engine.dispose()
    return db


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("question", "show", "¹"), 2, "question: no question matches '¹'"),
        (("question", "show", "9223372036854775808"), 2, "no question matches"),
        (("question", "show", "0"), 2, "no question matches '0'"),
        (("forecast", "add", "1", "٠.٥"), 2, "write it with ASCII digits"),
        (("forecast", "add", "1", "０.５"), 2, "write it with ASCII digits"),
        (("forecast", "add", "1", "0.5", "--at", "0001-01-01T00:00+01:00"), 2, "out of range"),
        (("forecast", "add", "1", "0.5", "--at", "9999-12-31T23:59-01:00"), 2, "out of range"),
        (("forecast", "add", "1", "0.5", "--at", ""), 2, "made_at: '' is empty"),
        (("forecast", "add", "1", "0.5", "--at", " "), 2, "made_at: ' ' is empty"),
        (("forecast", "add", "1", "0.5", "--at", "２０２５-01-01"), 2, "ASCII digits"),
        (("question", "show", "\udcff"), 2, "is not UTF-8 text"),
        (("source", "add", "/dev/zero", "--title", "t", "--published", "2025-01-01"), 2, "regular"),
    ],
)
def test_edge_values_get_one_line_and_write_nothing(
    seeded_db: Path, args: tuple[str, ...], code: int, said: str
) -> None:
    engine = make_engine(f"sqlite:///{seeded_db}")
    before = dump(engine)
    assert said in one_line(run("--db", str(seeded_db), *args), code)
    assert dump(engine) == before


def test_a_pipe_is_refused_at_once(tmp_path: Path, seeded_db: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = ("source", "add", str(fifo), "--title", "t", "--published", "2025-01-01")
    assert "not a regular file" in one_line(run("--db", str(seeded_db), *args), 2)


def test_a_name_made_of_digits_is_a_name_and_hash_names_an_id(seeded_db: Path) -> None:
    db = ("--db", str(seeded_db))
    assert run(*db, "forecaster", "add", "5").exit_code == 0
    shown = json.loads(run(*db, "forecaster", "list", "--json").stdout)
    five = next(f for f in shown if f["name"] == "5")
    by_id_5 = next(f for f in shown if f["id"] == 5)
    assert five["id"] != 5
    engine = make_engine(f"sqlite:///{seeded_db}")
    question = (
        engine.connect()
        .exec_driver_sql(
            "SELECT id FROM question WHERE kind = 'binary' ORDER BY close_at DESC LIMIT 1"
        )
        .scalar()
    )
    engine.dispose()
    at = ("--at", "2025-01-01")
    out = run(*db, "forecast", "add", str(question), "0.3", "--forecaster", "5", *at, "--json")
    assert json.loads(out.stdout)["forecaster"]["name"] == "5"
    out = run(*db, "forecast", "add", str(question), "0.3", "--forecaster", "#5", *at, "--json")
    assert json.loads(out.stdout)["forecaster"]["name"] == by_id_5["name"]


def test_control_and_bidi_characters_are_escaped_in_json_and_visible_in_text(
    tmp_path: Path,
) -> None:
    db = ("--db", str(tmp_path / "x.db"))
    name = "Ev\u202eil\u0085 \x1b[31mred"
    assert run(*db, "forecaster", "add", name).exit_code == 0
    out = run(*db, "forecaster", "list", "--json").stdout
    assert "\u202e" not in out and "\u0085" not in out and "\x1b" not in out
    assert "\\u202e" in out and "\\u0085" in out and "\\u001b" in out
    assert json.loads(out)[0]["name"] == name  # still the same string to a program
    text = run(*db, "forecaster", "list").stdout
    assert "\u202e" not in text and "\x1b" not in text
    assert "\\u202e" in text and "\\x85" in text and "\\x1b[31mred" in text


def test_an_error_quoting_a_stored_title_with_line_breaks_is_one_line(tmp_path: Path) -> None:
    """The refusal of a text already stored names the stored source's title; a title with a
    line separator, a form feed or a newline-like control still makes one line (hypothesis
    found this: a fuzzed title with NEL split the error in two)."""
    db = ("--db", str(tmp_path / "x.db"))
    text = tmp_path / "a.txt"
    text.write_text("Experts agree the chances remain slim.", encoding="utf-8")
    title = "First\u2028second\x85third\x0cfourth"
    added = run(*db, "source", "add", str(text), "--title", title, "--published", "2025-05-01")
    assert added.exit_code == 0, added.stderr
    again = run(*db, "source", "add", str(text), "--title", "Again", "--published", "2025-05-01")
    line = one_line(again, 2)
    assert "is already stored as source 1" in line
    assert "\\u2028" in line and "\\x85" in line and "\\x0c" in line


def test_the_default_database_is_private(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("--no-seed", "question", "list")
    assert result.exit_code == 0
    path = default_db_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_read_only_folder_gets_one_line(tmp_path: Path, seeded_db: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads and writes through any permission")
    folder = seeded_db.parent
    folder.chmod(0o500)
    try:
        line = one_line(run("--db", str(seeded_db), "question", "list"), 1)
    finally:
        folder.chmod(0o700)
    assert "seeded.db" in line


def test_sql_cannot_rewrite_the_record(seeded_db: Path) -> None:
    with sqlite3.connect(seeded_db) as connection:
        connection.execute("PRAGMA foreign_keys=ON")  # so a question's delete cascades
        for statement in (
            "UPDATE forecast SET probability = 0.99",
            "DELETE FROM forecast",
            "UPDATE resolution SET outcome = 'yes'",
            "DELETE FROM resolution",
            "DELETE FROM forecast_probability",
            "DELETE FROM question",  # its forecasts would go with it
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)
    connection.close()
    checked = run("--db", str(seeded_db), "db", "check", "--json")
    assert checked.exit_code == 0
    assert all(finding["ok"] for finding in json.loads(checked.stdout))


# Fuzz ------------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
IDS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    TEXT,
    st.sampled_from(["¹", "٣", "#1", "#-1", "1e3", " 1 ", "０"]),
)
DATES = st.one_of(
    TEXT,
    st.dates().map(str),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00", "2025-02-30", " "]),
)
PROBABILITIES = st.one_of(
    TEXT,
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1:0", "0:0", "-1:2", "1e-400", "50 %", "٠.٥", "A=1", "likely"]),
)
COMMANDS = st.one_of(
    st.tuples(st.just("question"), st.just("show"), IDS),
    st.tuples(st.just("forecast"), st.just("add"), IDS, PROBABILITIES),
    st.tuples(st.just("forecast"), st.just("add"), IDS, PROBABILITIES, st.just("--at"), DATES),
    st.tuples(st.just("forecast"), st.just("add"), IDS, PROBABILITIES, st.just("-f"), TEXT),
    st.tuples(st.just("resolve"), IDS, TEXT, st.just("--at"), DATES),
    st.tuples(st.just("forecaster"), st.just("add"), TEXT, st.just("--kind"), TEXT),
    st.tuples(st.just("question"), st.just("list"), st.just("--status"), TEXT),
    st.tuples(st.just("calibration"), st.just("--forecaster"), TEXT),
    st.tuples(st.just("scenario"), st.just("update"), IDS, IDS, st.just("-f"), TEXT),
    st.tuples(
        st.just("scenario"),
        st.just("update"),
        st.just("next-kim-putin-meeting-place-2025"),
        st.sampled_from(["3", "4", "14", "nk-further-deployment-2025"]),
        st.just("-f"),
        st.sampled_from(["Doo Jin-ho", "Worked example (seed corpus)", "me"]),
        st.just("--source"),
        IDS,
    ),
    st.tuples(st.just("scenario"), st.just("log"), IDS),
    st.tuples(st.just("scenario"), st.just("indicator"), st.just("add"), IDS, IDS, PROBABILITIES),
    st.tuples(st.just("question"), st.just("condition"), IDS, st.just("--if"), IDS),
    st.tuples(
        st.just("source"),
        st.just("add"),
        st.sampled_from(["/dev/null", "/", "/no/such", "/etc/hostname"]),
        st.just("--title"),
        TEXT,
        st.just("--published"),
        DATES,
    ),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=COMMANDS)
def test_fuzzed_command_lines_end_in_one_line_and_write_nothing_when_refused(
    seeded_db: Path, command: tuple[str, ...]
) -> None:
    engine = make_engine(f"sqlite:///{seeded_db}")
    before = dump(engine)
    result = run("--db", str(seeded_db), *command)
    assert result.exception is None or isinstance(result.exception, SystemExit), command
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr
    if result.exit_code:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("forecasts: error: "), result.stderr
        assert dump(engine) == before
    engine.dispose()


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("database is locked", "is busy: another process held its write lock"),
        ("attempt to write a readonly database", "cannot be written here"),
        ("unable to open database file", "is its folder writable?"),
        ("file is not a database", "is damaged or not a database"),
        ("disk I/O error", "failed: disk I/O error"),
    ],
)
def test_storage_failures_are_named_in_one_line(said: str, expected: str) -> None:
    from sqlalchemy.exc import OperationalError

    from cli.app import State, describe_failure

    line = describe_failure(OperationalError("SELECT 1", {}, Exception(said)), State(db="/x.db"))
    assert "/x.db" in line and expected in line and "\n" not in line
