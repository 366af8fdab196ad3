"""The ``forecasts`` command line (Typer). Every command goes through the repository.

A user's mistake ends in one line on stderr naming the field and the value, and exit code 2.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

import typer

# Typer ships its own copy of click; its exception classes are the ones raised here.
from typer._click import Context as ClickContext
from typer._click import exceptions as click
from typer.core import TyperGroup

from cli import params
from cli.lazy import lazy

render = lazy("cli.render")
render_scores = lazy("cli.render_scores")
plain = lazy("cli.plain")
score_cache = lazy("cli.score_cache")
cli_settings = lazy("cli.settings")
db_engine = lazy("db.engine")
db_light = lazy("db.light")
db_migrate = lazy("db.migrate")
db_repository = lazy("db.repository")
db_seed = lazy("db.seed")
db_sources = lazy("db.sources")
db_suggestions = lazy("db.suggestions")
domain_detect = lazy("forecasts.detect")
drafts = lazy("forecasts.drafts")
domain_errors = lazy("forecasts.errors")
domain_models = lazy("forecasts.models")
domain_parsing = lazy("forecasts.parsing")
fmt = lazy("forecasts.text")
domain_verbal = lazy("forecasts.verbal")
pydantic = lazy("pydantic")
sqlalchemy = lazy("sqlalchemy")

M = TypeVar("M", bound="pydantic.BaseModel")
T = TypeVar("T")


class UserError(click.ClickException):
    """A mistake of the user's: shown as one line, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        # one line, whatever the message quotes from data (a title with a line separator):
        # controls shown as escapes, as everywhere text from data is printed
        said = fmt.safe(self.format_message()).replace("\n", "\\n")
        typer.echo(f"forecasts: error: {said}", err=True)


class Failure(UserError):
    """Something the environment did (a busy or damaged database, a missing driver, an
    unreadable file): shown as one line, exit code 1."""

    exit_code = 1


class _Group(TyperGroup):
    """The one place where every error raised below becomes one line: a user's mistake
    (exit 2), or a failure of the environment (exit 1); ``--debug`` shows the traceback."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise UserError(_usage_line(exc)) from None
        except (click.ClickException, typer.Exit, typer.Abort):
            raise  # first, so that help and exits never load the domain's errors
        except BrokenPipeError:  # the reader stopped reading (| head): nothing more to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except domain_errors.ForecastsError as exc:
            kind = UserError if exc.exit_code == 2 else Failure
            raise kind(str(exc)) from None
        except Exception as exc:
            state = ctx.find_object(State)
            if state is not None and state.debug:
                raise
            raise Failure(describe_failure(exc, state)) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as exc:  # only reached outside standalone mode
            raise UserError(_usage_line(exc)) from None

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        for position, argument in enumerate(args, start=1):
            try:
                argument.encode("utf-8")
            except UnicodeEncodeError:
                raise UserError(
                    f"argument {position}: {argument!r} is not UTF-8 text; forecasts reads "
                    "only UTF-8"
                ) from None
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if isinstance(exc, UserError):
                raise
            raise UserError(_usage_line(exc)) from None


def describe_failure(exc: Exception, state: State | None) -> str:
    """One line for an error the environment caused, naming the database where it is one."""
    where = _where(state)
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        said = str(exc.orig)
        if "locked" in said or "busy" in said:
            return (
                f"the database {where} is busy: another process held its write lock for more "
                f"than {db_engine.BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
            )
        if "readonly" in said or "read-only" in said:
            return f"the database {where} cannot be written here ({said})"
        if "unable to open" in said:
            return f"cannot open the database {where} ({said}; is its folder writable?)"
        if "not a database" in said or "malformed" in said:
            return f"the database {where} is damaged or not a database ({said})"
        return f"the database {where} failed: {said}"
    if isinstance(exc, sqlalchemy.exc.NoSuchModuleError | ImportError):
        return f"cannot open the database {where}: {exc} (is its driver installed?)"
    if isinstance(exc, OSError):
        return f"{exc.filename or where}: {exc.strerror or exc}"
    if isinstance(exc, MemoryError):
        return "out of memory"
    return (
        f"unexpected {type(exc).__name__}: {fmt.one_line(str(exc), 200)} "
        "(run again with --debug to see where)"
    )


def _where(state: State | None) -> str:
    if state is None:
        return "in use"
    try:
        return (
            sqlalchemy.engine.make_url(state.url)
            .render_as_string(hide_password=True)
            .removeprefix("sqlite:///")
        )
    except (domain_errors.ForecastsError, sqlalchemy.exc.ArgumentError):
        return "in use"


def _usage_line(exc: click.UsageError) -> str:
    where = exc.ctx.command_path if exc.ctx is not None else "forecasts"
    return f"{exc.format_message()} (see: {where} --help)"


params.install()
app = typer.Typer(
    cls=_Group,
    help="forecasts: track questions, sourced expert judgments, your own forecasts and scores.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=False,
)
question_app = typer.Typer(help="Add, list and show questions.", rich_markup_mode=None)
forecaster_app = typer.Typer(help="Add and list forecasters.", rich_markup_mode=None)
source_app = typer.Typer(help="Store and list source documents.", rich_markup_mode=None)
forecast_app = typer.Typer(help="Log forecasts.", rich_markup_mode=None)
db_app = typer.Typer(help="The database: where it is, and its schema.", rich_markup_mode=None)
scale_app = typer.Typer(help="Verbal probability scales.", rich_markup_mode=None)
demo_app = typer.Typer(help="Synthetic data for trying forecasts at scale.", rich_markup_mode=None)
config_app = typer.Typer(help="Your configuration file.", rich_markup_mode=None)
scenario_app = typer.Typer(
    help="Scenario sets: multiple-choice questions whose options are futures.",
    rich_markup_mode=None,
)
app.add_typer(question_app, name="question")
app.add_typer(forecaster_app, name="forecaster")
app.add_typer(source_app, name="source")
app.add_typer(forecast_app, name="forecast")
app.add_typer(db_app, name="db")
app.add_typer(scale_app, name="scale")
app.add_typer(demo_app, name="demo")
app.add_typer(config_app, name="config")
app.add_typer(scenario_app, name="scenario")
indicator_app = typer.Typer(
    help="Indicators: yes-or-no questions that tell a set's scenarios apart.",
    rich_markup_mode=None,
)
scenario_app.add_typer(indicator_app, name="indicator")


@dataclass
class State:
    """What every command shares: where the database is, and the repository once opened."""

    db: str | None = None
    no_seed: bool = False
    debug: bool = False
    interactive: bool = False
    notice: str | None = None
    _repository: db_repository.Repository | None = field(default=None, repr=False)
    _settings: domain_verbal.Settings | None = field(default=None, repr=False)
    _reader: db_light.Reader | None = field(default=None, repr=False)

    def settings(self) -> domain_verbal.Settings:
        if self._settings is None:
            self._settings = cli_settings.load_settings()
        return self._settings

    @property
    def url(self) -> str:
        return db_engine.resolve_db_url(self.db)

    def repository(self) -> db_repository.Repository:
        """Open the database; a new default database is seeded first (unless --no-seed)."""
        if self._repository is None:
            fresh = self._new_default_database()
            self._repository = db_repository.Repository.open(
                self.url, user_name=self.settings().user
            )
            upgraded = self._repository.upgraded
            if upgraded is not None and (upgraded.from_revision or upgraded.repaired):
                said = upgraded.summary(_where(self))
                if upgraded.repaired:
                    said += f" ({upgraded.repaired})"
                typer.echo(f"forecasts: {fmt.safe(said)}", err=True)
            if fresh is not None and not self.no_seed:
                report = db_seed.seed(self._repository)
                self.notice = (
                    f"First launch: created {fresh} and added the sample corpus on North "
                    f"Korea, Russia and the 2025 parades ({report.summary()}). "
                    "Use --no-seed to start empty."
                )
                if self.interactive:
                    self.notice += (
                        " Four questions on 2027 are open: press f to show the open questions, "
                        "n to log your forecast on the highlighted one, ? for every key."
                    )
                if not self.interactive:  # the app shows it as a notification instead
                    typer.echo(f"forecasts: {self.notice}", err=True)
        return self._repository

    def reader(self) -> db_light.Reader | db_repository.Repository:
        """For a command that only reads: the light reader (SQLite alone, one read
        transaction) when the database needs nothing done before it is read, else the
        repository, which creates, upgrades or refuses the database first."""
        if self._repository is None and self._reader is None:
            self._reader = db_light.open_reader(self.db)
        return self._reader if self._reader is not None else self.repository()

    def writer(self) -> db_light.Writer | db_repository.Repository:
        """For a command that logs a forecast or resolves a question: the light writer (SQLite
        alone, the write in one transaction) when the database needs nothing done first,
        else the repository."""
        if self._repository is None and self._reader is None:
            self._reader = db_light.open_writer(self.db, user_name=self.settings().user)
        if isinstance(self._reader, db_light.Writer):
            return self._reader
        return self.repository()

    def close(self) -> None:
        """End the light reader's read transaction, if one was opened."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _new_default_database(self) -> Path | None:
        if self.db or os.environ.get("FORECASTS_DB"):
            return None
        path = db_engine.default_db_path()
        if path.exists() and path.stat().st_size > 0:
            return None
        return path


def _state(ctx: typer.Context) -> State:
    return ctx.ensure_object(State)


def _repo(ctx: typer.Context) -> db_repository.Repository:
    return _state(ctx).repository()


def _print(as_json: bool, payload: Callable[[], Any], text: Callable[[], str]) -> None:
    """Print the JSON document (with --json) or the text."""
    if as_json:
        _emit_json(payload())
    else:
        typer.echo(text())


def _print_list(
    as_json: bool, items: list[T], to_json: Callable[[T], Any], to_text: Callable[[list[T]], str]
) -> None:
    """Print a list: one JSON document per item (with --json), or the text table."""
    _print(as_json, lambda: [to_json(item) for item in items], lambda: to_text(items))


def _emit_json(payload: Any) -> None:
    typer.echo(plain.to_json(payload))


JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (shapes in the README).")]
ScenarioSet = Annotated[
    str, typer.Argument(metavar="SET", help="The scenario set's question id or key.")
]
ChoiceQuestion = Annotated[
    str, typer.Argument(metavar="QUESTION", help="A multiple-choice question's id or key.")
]
IncludeBackdated = Annotated[
    bool,
    typer.Option(
        "--include-backdated",
        help="Score backdated forecasts too (left out by default; see docs/scoring.md).",
    ),
]


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="FORECASTS_DB",
            help="SQLite file path or database URL (default: a file in the user data folder).",
            show_envvar=True,
        ),
    ] = None,
    no_seed: Annotated[
        bool,
        typer.Option("--no-seed", help="Do not add the sample corpus to a new default database."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an unexpected error.")
    ] = False,
) -> None:
    """Open the terminal UI when no command is given."""
    state = _state(ctx)
    state.db = db
    state.no_seed = no_seed
    state.debug = debug
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        from platformdirs import user_log_path

        from tui.app import run_app  # textual loads only for the UI
        from tui.opening import Opening

        state.interactive = True
        log_path = user_log_path("forecasts", appauthor=False) / "forecasts.log"
        reader = db_light.open_reader(state.db)
        if reader is not None:  # nothing to do first: the repository opens behind the first
            # frame, which reads its page of questions the light way
            reader.close()
            code = run_app(
                Opening(state.repository),
                settings=state.settings(),
                log_path=log_path,
                first_page=functools.partial(db_light.read_page, state.db),
            )
        else:  # a new database to create and seed, or a schema to upgrade: first
            repository = state.repository()
            code = run_app(
                repository, settings=state.settings(), notice=state.notice, log_path=log_path
            )
        if code:
            typer.echo(f"forecasts: the app stopped on an error; see {log_path}", err=True)
            raise typer.Exit(code)
        return


# Questions -------------------------------------------------------------------------------


# A title may start with "-" ("-5% growth in 2026?"): it is taken as the title, not an option.
@question_app.command("add", context_settings={"ignore_unknown_options": True})
def question_add(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The question, as a short sentence.")
    ],
    criteria: Annotated[
        str, typer.Option("--criteria", help="How it resolves, precisely enough to agree on.")
    ],
    close: Annotated[
        str,
        typer.Option("--close", help="Close date YYYY-MM-DD (open through that day, UTC)."),
    ],
    kind: Annotated[str, typer.Option("--kind", help="binary or multiple_choice.")] = "binary",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="An option of a multiple-choice question; repeat it."),
    ] = None,
    narrative: Annotated[
        list[str] | None,
        typer.Option(
            "--narrative", help="A scenario's narrative, one per --option in order; repeat it."
        ),
    ] = None,
    description: Annotated[str, typer.Option("--description", help="Background.")] = "",
    resolve_by: Annotated[
        str | None, typer.Option("--resolve-by", help="Date by which it should be resolved.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag; repeat it.")] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="A stable key to name it by (in commands and in imports) besides its id."
        ),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--if",
            help="Make it conditional: asked only if this yes-or-no question resolves yes.",
        ),
    ] = None,
    joint: Annotated[
        str | None,
        typer.Option("--joint", help="With --if: a question asking both at once (coherence)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a question. A title starting with "-" is taken as the title (or put -- before it).
    With --if A it is conditional: forecasts on it are P(it | A), it is scored only when A
    resolves yes and annulled when A resolves no."""
    repository = _repo(ctx)
    draft = drafts.QuestionDraft.parse(
        title=title,
        criteria=criteria,
        close=close,
        kind=kind,
        options=option or (),
        narratives=narrative or (),
        description=description,
        resolve_by=resolve_by,
        tags=tag or (),
        key=_key(key),
        now=repository.clock(),
    )
    if joint is not None and condition is None:
        raise domain_errors.InvalidInput("joint", joint, "needs --if: it asks both at once")
    question = repository.add_question(draft, condition=condition, joint=joint)
    _print(
        as_json,
        lambda: render.question_json(question, repository.clock()),
        lambda: (
            f"Added question {question.id}: {fmt.one_line(question.title)}"
            + (f" (if question {condition} resolves yes)" if condition is not None else "")
        ),
    )


@question_app.command("condition")
def question_condition(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    condition: Annotated[
        str,
        typer.Option("--if", help="The yes-or-no question it is asked on the condition of."),
    ],
    joint: Annotated[
        str | None, typer.Option("--joint", help="A question asking both at once (coherence).")
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why it changes (kept in history).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Make a yes-or-no question conditional on another resolving yes, or change what it is
    conditional on (the change kept in its history)."""
    repository = _repo(ctx)
    chosen = repository.set_condition(
        question=question, condition=condition, joint=joint, reason=reason
    )
    detail = repository.question_detail(ref=chosen.question_id)
    _print(
        as_json,
        lambda: render.condition_json(detail.condition),  # type: ignore[arg-type]
        lambda: (
            f"Question {chosen.question_id} is conditional on question "
            f"{chosen.condition_id} resolving yes"
        ),
    )


@question_app.command("list")
def question_list(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option("--status", help="open, closed (awaiting resolution), resolved or annulled."),
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only questions with this tag.")] = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help="Only the questions withdrawn.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List questions, soonest close date first."""
    source = _state(ctx).reader()
    wanted = drafts.parse_choice(domain_models.QuestionStatus, status, "status") if status else None
    query = {"status": wanted, "tag": tag, "withdrawn": withdrawn}
    if as_json:  # each question's JSON written by SQLite, laid out as every --json is
        import orjson

        lines = render.json_array(map(orjson.loads, source.iter_question_json(**query)))
    else:
        lines = render.questions_lines(source.iter_listed(**query))
    write = sys.stdout.write
    for line in lines:  # written as read: the first rows of a long list show at once
        write(line + "\n")
    sys.stdout.flush()


@question_app.command("show")
def question_show(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a question with its forecasts and resolution history."""
    source = _state(ctx).reader()
    detail = source.question_detail(ref=question)
    now = source.clock()
    _print(
        as_json, lambda: render.detail_json(detail, now), lambda: render.detail_text(detail, now)
    )


@question_app.command("edit")
def question_edit(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it changes (kept in history).")],
    title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    criteria: Annotated[
        str | None, typer.Option("--criteria", help="New resolution criteria.")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="New background.")
    ] = None,
    close: Annotated[
        str | None, typer.Option("--close", help="A new close date YYYY-MM-DD.")
    ] = None,
    resolve_by: Annotated[
        str | None, typer.Option("--resolve-by", help="A new resolve-by date.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="The tags, replacing the old; repeat it.")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", help="The options, replacing the old (no forecasts yet)."),
    ] = None,
    retroactive: Annotated[
        bool,
        typer.Option("--retroactive", help="Move the close before forecasts already made."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Edit a question; what it said before is kept as a revision, with who, when and why."""
    repository = _repo(ctx)
    target = repository.question(ref=question)
    edit = drafts.QuestionEdit.parse(
        target,
        now=repository.clock(),
        title=title,
        criteria=criteria,
        description=description,
        close=close,
        resolve_by=resolve_by,
        tags=tag,
        options=option,
        reason=_required(reason, "reason"),
        retroactive=retroactive,
    )
    edited = repository.edit_question(edit)
    _print(
        as_json,
        lambda: render.question_json(edited, repository.clock()),
        lambda: f"Edited question {edited.id}: {', '.join(edit.changes)}",
    )


@question_app.command("withdraw")
def question_withdraw(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")],
) -> None:
    """Withdraw a question created by mistake: hidden from lists and scores, kept in the
    record (see: question list --withdrawn; question restore)."""
    done = _repo(ctx).withdraw(
        drafts.Withdraw(question_id=_question_id(ctx, question), reason=_required(reason, "reason"))
    )
    typer.echo(f"Withdrew question {done.id}: {fmt.one_line(done.title)}")


@question_app.command("restore")
def question_restore(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")] = "",
) -> None:
    """Bring a withdrawn question back."""
    done = _repo(ctx).withdraw(
        drafts.Withdraw(
            question_id=_question_id(ctx, question), reason=reason.strip(), restore=True
        )
    )
    typer.echo(f"Restored question {done.id}: {fmt.one_line(done.title)}")


def _key(key: str | None) -> str | None:
    """A stable key as typed: letters, digits and - _ . :, not only digits (those are ids)."""
    if key is None:
        return None
    text = key.strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]*", text) or text.isdigit():
        raise domain_errors.InvalidInput(
            "key", key, "is not a key: use letters, digits, - _ . or :, and not only digits"
        )
    return text


def _question_id(ctx: typer.Context, ref: str) -> int:
    return _repo(ctx).question(ref=ref).id  # type: ignore[return-value]


def _required(text: str, field: str) -> str:
    if not text.strip():
        raise domain_errors.InvalidInput(field, text, "must say why; it is kept in the history")
    return text.strip()


@app.command("history")
def history_command(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    as_json: JsonFlag = False,
) -> None:
    """Everything that happened to a question, in order, with who recorded it and when."""
    entries = _repo(ctx).history(question=question)
    _print_list(as_json, entries, render.history_json, render.history_text)


# Forecasters -----------------------------------------------------------------------------


@forecaster_app.command("add")
def forecaster_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Display name, unique.")],
    kind: Annotated[
        str, typer.Option("--kind", help="person, organisation, group or user.")
    ] = "person",
    affiliation: Annotated[str, typer.Option("--affiliation", help="Institution.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Add a forecaster: a named expert, an organisation, or a group of cited experts."""
    chosen = drafts.parse_choice(domain_models.ForecasterKind, kind, "kind")
    forecaster = _repo(ctx).add_forecaster(
        _validated(domain_models.Forecaster, name=name, kind=chosen, affiliation=affiliation)
    )
    _print(
        as_json,
        lambda: render.forecaster_json(forecaster),
        lambda: f"Added forecaster {forecaster.id}: {fmt.one_line(forecaster.name)}",
    )


@forecaster_app.command("rename")
def forecaster_rename(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The forecaster (or #ID).")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new name.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the log).")] = "",
) -> None:
    """drafts.Rename a forecaster (the old name is kept in the event log)."""
    renamed = _repo(ctx).rename_forecaster(
        _validated(drafts.Rename, forecaster=name, name=new, reason=reason.strip())
    )
    typer.echo(f"Renamed forecaster {renamed.id} to {fmt.one_line(renamed.name)}")


@forecaster_app.command("merge")
def forecaster_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The forecaster to merge.")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The one to merge into.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the log).")] = "",
) -> None:
    """drafts.Merge FROM into INTO: every forecast of FROM counts as INTO's from now on (nothing is
    rewritten; forecaster merges lists what was merged)."""
    into = _repo(ctx).merge_forecasters(
        drafts.Merge(source=source, target=target, reason=reason.strip())
    )
    typer.echo(f"Merged {fmt.one_line(source)} into {fmt.one_line(into.name)}")


@forecaster_app.command("merges")
def forecaster_merges(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the merges made, oldest first."""
    merges = _repo(ctx).events(kind=domain_models.EventKind.MERGED)
    _print(
        as_json,
        lambda: [render.event_json(event) for event in merges],
        lambda: (
            "\n".join(
                f"{event.recorded_at:%Y-%m-%d}  {fmt.one_line(event.detail.get('from'))} -> "
                f"{fmt.one_line(event.detail.get('into'))}  by {fmt.one_line(event.recorded_by)}"
                + (f": {fmt.one_line(event.reason)}" if event.reason else "")
                for event in merges
            )
            or "No merges yet."
        ),
    )


@forecaster_app.command("list")
def forecaster_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List forecasters."""
    _print_list(
        as_json, _repo(ctx).list_forecasters(), render.forecaster_json, render.forecasters_text
    )


# Sources ---------------------------------------------------------------------------------


@source_app.command("add")
def source_add(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A saved web page (.html) or a UTF-8 text file of the article."
        ),
    ],
    title: Annotated[
        str | None, typer.Option("--title", help="Headline or a description (a page's own).")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date YYYY-MM-DD (a page's own)."),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Publisher, as the text shows it.")
    ] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who wrote it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was read.")] = None,
    approximate: Annotated[
        bool,
        typer.Option("--approximate", help="The date is an estimate, not known to the day."),
    ] = False,
    date_note: Annotated[
        str | None, typer.Option("--date-note", help="How the date was worked out.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Store an article's full text with its metadata and SHA-256. From a saved web page the
    article's text, title, outlet, author, date and address are extracted; an option given
    wins over what the page says."""
    given = {
        "title": title,
        "published": published,
        "outlet": outlet,
        "author": author,
        "url": url,
        "date_note": date_note,
    }
    source = _repo(ctx).add_source(
        db_sources.source_from_file(file, given, approximate=approximate)
    )
    _print(as_json, lambda: render.source_json(source), lambda: render.added_source_text(source))


@source_app.command("list")
def source_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List stored sources."""
    _print_list(as_json, _repo(ctx).list_sources(), render.source_json, render.sources_text)


@source_app.command("show")
def source_show(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id or key.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a source with its full text."""
    found = _repo(ctx).source(ref=source)
    if as_json:
        _emit_json(render.source_json(found, text=True))
        return
    approx = (
        " (approximate)" if found.date_precision is domain_models.DatePrecision.APPROXIMATE else ""
    )
    typer.echo(f"#{found.id}  {fmt.one_line(found.title)}")
    typer.echo(f"Outlet:    {fmt.one_line(found.outlet) or '-'}")
    if found.author:
        typer.echo(f"Author:    {fmt.one_line(found.author)}")
    typer.echo(f"Published: {found.published_on.isoformat()}{approx}")
    if found.url:
        typer.echo(f"URL:       {fmt.one_line(found.url)}")
    typer.echo(f"SHA-256:   {found.sha256}")
    if found.original_sha256:
        typer.echo(f"Page:      SHA-256 {found.original_sha256} (the saved page)")
    typer.echo("")
    typer.echo(fmt.safe(found.text))


@source_app.command("scan")
def source_scan(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id or key.")],
    scale: Annotated[
        str | None, typer.Option("--scale", help="Verbal scale (default: from your config).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List every estimative span of a source, ready for forecast add --from-span."""
    state = _state(ctx)
    found = state.repository().source(ref=source)
    settings = state.settings()
    chosen = domain_verbal.get_scale(scale) if scale else settings.scale
    detections = domain_detect.scan(found.text, found.furniture, scale=chosen, settings=settings)
    _print(
        as_json,
        lambda: render.scan_json(found, chosen.name, detections),
        lambda: render.scan_text(found, chosen.name, detections),
    )


@source_app.command("suggest")
def source_suggest(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id or key.")],
    as_json: JsonFlag = False,
) -> None:
    """Propose questions from a source's judgments and stated intentions, each compared with
    the stored questions."""
    state = _state(ctx)
    found, proposed, titles = db_suggestions.drafts_for(
        state.repository(), source, state.settings()
    )
    _print(
        as_json,
        lambda: {
            "source": render.source_json(found),
            "drafts": [render.draft_json(found, draft, titles) for draft in proposed],
        },
        lambda: render.drafts_text(found, proposed, titles),
    )


@source_app.command("accept")
def source_accept(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Source id or key.")],
    draft: Annotated[int, typer.Argument(metavar="DRAFT", help="Draft number from suggest.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Attach the judgments to this stored question.")
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="Make a new question even if one may ask it already.")
    ] = False,
    judgment: Annotated[
        list[int] | None, typer.Option("--judgment", help="Only this judgment; repeat it.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The new question's title.")] = None,
    close: Annotated[
        str | None, typer.Option("--close", help="The new question's close date YYYY-MM-DD.")
    ] = None,
    criteria: Annotated[
        str | None, typer.Option("--criteria", help="The new question's criteria, completed.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag; repeat it.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Accept a draft: its question made (or --to a stored one) and its judgments logged
    with their quotes, all in one transaction."""
    state = _state(ctx)
    repository = state.repository()
    choice = db_suggestions.Choice(
        to=to,
        new=new,
        judgments=judgment or (),
        title=title,
        close=close,
        criteria=criteria,
        tags=tag,
    )
    accepted = db_suggestions.accept(repository, source, draft, choice, state.settings())
    if as_json:
        _emit_json(
            {
                "question": render.question_json(accepted.question, repository.clock()),
                "created": accepted.created,
                "logged": [f.id for f in accepted.logged],
                "skipped": accepted.skipped,
            }
        )
        return
    typer.echo(render.accepted_text(accepted))


# Scenarios -------------------------------------------------------------------------------


@scenario_app.command("show")
def scenario_show(
    ctx: typer.Context,
    question: ChoiceQuestion,
    as_json: JsonFlag = False,
) -> None:
    """A scenario set: each scenario with its narrative, the median of the standing
    forecasts, each forecaster's standing forecast, and the indicators, those worth watching
    most first."""
    view = _repo(ctx).scenario_view(question=question)
    _print(as_json, lambda: render.scenarios_json(view), lambda: render.scenarios_text(view))


@indicator_app.command("add")
def indicator_add(
    ctx: typer.Context,
    scenario_set: ScenarioSet,
    question: Annotated[
        str, typer.Argument(metavar="QUESTION", help="The indicator: a yes-or-no question.")
    ],
    likelihoods: Annotated[
        str,
        typer.Argument(
            metavar="LIKELIHOODS",
            help="P(indicator | scenario) for each scenario: in order ('0.9, 20%, unlikely') "
            "or as label=value pairs; numbers or phrases of the scale.",
        ),
    ],
    judged_by: Annotated[
        str | None, typer.Option("--by", help="The forecaster who judged the likelihoods.")
    ] = None,
    rationale: Annotated[str, typer.Option("--rationale", help="Why.")] = "",
    scale: Annotated[
        str | None, typer.Option("--scale", help="Verbal scale (default: from your config).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Link a yes-or-no question to a scenario set with its likelihood under each scenario."""
    state = _state(ctx)
    repository = state.repository()
    settings = state.settings()
    draft = drafts.IndicatorDraft.parse(
        repository.question(ref=scenario_set),
        repository.question(ref=question),
        likelihoods,
        scale=domain_verbal.get_scale(scale) if scale else settings.scale,
        settings=settings,
        judged_by=judged_by,
        rationale=rationale,
    )
    indicator = repository.add_indicator(draft)
    _print(
        as_json,
        lambda: render.indicator_json(indicator),
        lambda: (
            f"Question {indicator.question_id} is indicator {indicator.id} of scenario set "
            f"{indicator.set_id}"
        ),
    )


@scenario_app.command("update")
def scenario_update(
    ctx: typer.Context,
    scenario_set: ScenarioSet,
    indicator: Annotated[
        str, typer.Argument(metavar="INDICATOR", help="The indicator's question id or key.")
    ],
    forecaster: Annotated[
        str | None,
        typer.Option("--forecaster", "-f", help="Whose forecast to update (default: you)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", help="A source that reports the indicator (it need not be resolved)."
        ),
    ] = None,
    did_not_happen: Annotated[
        bool,
        typer.Option("--not", help="With --source: the source reports it did not happen."),
    ] = False,
    log: Annotated[
        bool, typer.Option("--log", help="Log the posterior as the forecaster's new forecast.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Update a forecaster's standing forecast on a scenario set by Bayes' rule, on an
    indicator that resolved (or that a source reports), and keep the update in the set's
    history; --log also logs the posterior as their new forecast, the update its rationale."""
    from db.updates import UpdateRequest

    if did_not_happen and source is None:
        raise domain_errors.InvalidInput("not", "--not", "needs the --source that reports it")
    repository = _repo(ctx)
    update = repository.update_scenarios(
        UpdateRequest(
            set_ref=scenario_set,
            indicator_ref=indicator,
            forecaster=forecaster,
            source=source,
            observed=not did_not_happen,
            log=log,
        )
    )
    question = repository.question(ref=update.set_id)
    who = repository.forecaster(ref=update.forecaster_id)
    _print(
        as_json,
        lambda: render.update_json(update),
        lambda: render.update_text(update, question, who),
    )


@scenario_app.command("log")
def scenario_log(
    ctx: typer.Context,
    update: Annotated[
        int, typer.Argument(metavar="UPDATE", min=1, max=2**63 - 1, help="The update's number.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Log a kept update's posterior as its forecaster's new forecast, the update its
    rationale."""
    repository = _repo(ctx)
    forecast = repository.log_posterior(update)
    question = repository.question(ref=forecast.question_id)
    who = repository.forecaster(ref=forecast.forecaster_id)
    _print(
        as_json,
        lambda: render.forecast_json(forecast, question, who, superseded=False),
        lambda: (
            f"Logged forecast {forecast.id} on question {question.id}: the posterior of "
            f"update {update}"
        ),
    )


@scenario_app.command("narrate")
def scenario_narrate(
    ctx: typer.Context,
    question: ChoiceQuestion,
    option: Annotated[str, typer.Argument(metavar="OPTION", help="The option's label or number.")],
    narrative: Annotated[
        str, typer.Argument(metavar="NARRATIVE", help="Its story; empty to take it back.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in history).")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Tell the future an option stands for; the question's history keeps what it said
    before, with who, when and why."""
    repository = _repo(ctx)
    target = repository.question(ref=question)
    edit = drafts.narrate(
        target,
        option,
        narrative,
        now=repository.clock(),
        reason=reason,
    )
    edited = repository.edit_question(edit)
    _print(
        as_json,
        lambda: render.question_json(edited, repository.clock()),
        lambda: (
            f"Question {edited.id}: narratives now told for "
            f"{sum(1 for story in edited.narratives if story)} of {len(edited.options)} scenarios"
        ),
    )


# Scales and configuration ----------------------------------------------------------------


@scale_app.command("list")
def scale_list(as_json: JsonFlag = False) -> None:
    """List the verbal probability scales."""
    if as_json:
        _emit_json([render.scale_json(scale) for scale in domain_verbal.SCALES])
        return
    rows = [[scale.name, scale.title] for scale in domain_verbal.SCALES]
    typer.echo(render.table(["SCALE", "TITLE"], rows))


@scale_app.command("show")
def scale_show(
    name: Annotated[str, typer.Argument(metavar="SCALE", help="ICD 203, PHIA, Kent or Survey.")],
    as_json: JsonFlag = False,
) -> None:
    """Show a scale's terms with their ranges and point values."""
    scale = domain_verbal.get_scale(name)
    _print(as_json, lambda: render.scale_json(scale), lambda: render.scale_text(scale))


@config_app.command("path")
def config_show_path() -> None:
    """Print where the configuration file is read from (FORECASTS_CONFIG overrides it)."""
    typer.echo(str(cli_settings.config_path()))


@config_app.command("init")
def config_init() -> None:
    """Write a commented configuration file to edit."""
    typer.echo(f"Wrote {cli_settings.write_template()}")


@config_app.command("show")
def config_show(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Check the configuration file and show the settings in force."""
    settings = _state(ctx).settings()
    phrases = {
        phrase: {"term": r.term, "probability": r.probability, "low": r.low, "high": r.high}
        for phrase, r in settings.phrases.items()
    }
    if as_json:
        _emit_json(
            {
                "path": str(cli_settings.config_path()),
                "scale": settings.scale.name,
                "phrases": phrases,
            }
        )
        return
    typer.echo(f"Configuration: {cli_settings.config_path()}")
    typer.echo(f"Default scale: {settings.scale.name}")
    for phrase, reading in settings.phrases.items():
        typer.echo(f"  {fmt.one_line(phrase)!r} -> {fmt.percent(reading.probability)}")


# Forecasts -------------------------------------------------------------------------------


@forecast_app.command("list")
def forecast_list(
    ctx: typer.Context,
    forecaster: Annotated[
        str | None, typer.Option("--forecaster", "-f", help="Only this forecaster (or #ID).")
    ] = None,
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="Only this question (id or key).")
    ] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only forecasts on questions still open.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """A track record: forecasts newest first, with their questions and how they stand."""
    rows = (
        _state(ctx)
        .reader()
        .track_record(forecaster=forecaster, question=question, open_only=open_only)
    )
    _print_list(as_json, rows, render.track_record_json, render.track_record_text)


@forecast_app.command("retract")
def forecast_retract(
    ctx: typer.Context,
    forecast: Annotated[int, typer.Argument(metavar="ID", help="The forecast's id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (shown beside it).")],
    as_json: JsonFlag = False,
) -> None:
    """drafts.Retract a forecast: it stays in the record, struck through with its reason, and leaves
    scores and the consensus; the forecaster's previous forecast stands again."""
    repository = _repo(ctx)
    retracted = repository.retract(
        _validated(drafts.Retract, forecast_id=forecast, reason=_required(reason, "reason"))
    )
    question = repository.question(ref=retracted.question_id)
    who = repository.forecaster(ref=retracted.forecaster_id)
    _print(
        as_json,
        lambda: render.forecast_json(retracted, question, who, superseded=False),
        lambda: f"Retracted forecast {retracted.id} on question {question.id}",
    )


# A negative probability such as -0.1 must reach the validation, not be taken for an option.
@forecast_app.command("add", context_settings={"ignore_unknown_options": True})
def forecast_add(
    ctx: typer.Context,
    question: Annotated[
        str | None, typer.Argument(metavar="QUESTION", help="Question id or key.")
    ] = None,
    probability: Annotated[
        str | None,
        typer.Argument(
            metavar="PROBABILITY",
            help="Binary: 0.15, 15%, odds 1:6 or a phrase of the scale (very unlikely). "
            "Multiple choice: one value per option, in order or as label=value, separated "
            "by commas (A=20%,B=80%). With --from-span, it overrides the scale's value.",
        ),
    ] = None,
    question_option: Annotated[
        str | None, typer.Option("--question", "-q", help="Question id or key.")
    ] = None,
    forecaster: Annotated[
        str | None,
        typer.Option("--forecaster", "-f", help="Forecaster name, or #ID (default: you)."),
    ] = None,
    create: Annotated[
        bool,
        typer.Option(
            "--create", help="Create the --forecaster (a person) if no one has that name yet."
        ),
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it was made, YYYY-MM-DD[THH:MM] (default: now)."),
    ] = None,
    approximate: Annotated[
        bool, typer.Option("--approximate", help="The date is only approximately known.")
    ] = False,
    source: Annotated[str | None, typer.Option("--source", help="Source id or key.")] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="Verbatim words from the source.")
    ] = None,
    from_span: Annotated[
        str | None,
        typer.Option(
            "--from-span",
            metavar="SOURCE:START-END",
            help="Quote characters START-END of a source (see: forecasts source scan); the "
            "estimative phrase there gives the probability on the scale.",
        ),
    ] = None,
    phrase: Annotated[str | None, typer.Option("--phrase", help="The estimative phrase.")] = None,
    scale: Annotated[
        str | None,
        typer.Option("--scale", help="Verbal scale for phrases (default: from your config)."),
    ] = None,
    inferred: Annotated[
        bool,
        typer.Option("--inferred", help="The words imply the judgment without stating it."),
    ] = False,
    rationale: Annotated[str, typer.Option("--rationale", help="Why.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Log a forecast; it supersedes the forecaster's earlier one on the question."""
    state = _state(ctx)
    repository = state.repository() if from_span else state.writer()
    target = repository.question(ref=_one_question(question, question_option))
    settings = state.settings()
    chosen_scale = domain_verbal.get_scale(scale) if scale else None
    chosen_source = repository.source(ref=source) if source else None
    spanned: dict[str, Any] = {}
    if from_span:
        if source or quote:
            raise domain_errors.InvalidInput(
                "from-span", from_span, "replaces --source and --quote; give one"
            )
        span = _from_span(repository, from_span, chosen_scale or settings.scale, settings)
        forecaster = forecaster or _attributed(repository, span.attribution, from_span)
        at = at or span.source.published_on.isoformat()
        approximate = (
            approximate or span.source.date_precision is domain_models.DatePrecision.APPROXIMATE
        )
        phrase = phrase or span.phrase
        chosen_source, quote = span.source, span.quote
        spanned = {"quote_start": span.quote_start, "reading": span.reading}
    elif probability is None:
        raise domain_errors.InvalidInput("probability", None, "is needed (or --from-span)")
    forecaster, new_kind = _who(repository, forecaster, create)
    draft = drafts.ForecastDraft.parse(
        target,
        probability,
        now=repository.clock(),
        settings=settings,
        scale=chosen_scale,
        forecaster=forecaster,
        new_forecaster_kind=new_kind,
        made_at=at,
        approximate=approximate,
        source=chosen_source,
        quote=quote,
        phrase=phrase,
        inferred=inferred,
        rationale=rationale,
        **spanned,
    )
    forecast = repository.log_forecast(draft)
    late = domain_models.is_backdated(forecast, target, chosen_source)
    if as_json:
        who = repository.forecaster(ref=forecast.forecaster_id)
        _emit_json(render.forecast_json(forecast, target, who, superseded=False, backdated=late))
        return
    typer.echo(render.logged_text(forecast, target))
    if late:
        typer.echo(
            "forecasts: this forecast is backdated (dated before yesterday, or after its "
            "question resolved, with no source published by then): it is kept, and left out "
            "of scores (docs/scoring.md)",
            err=True,
        )


def _who(
    repository: db_light.Writer | db_repository.Repository, forecaster: str | None, create: bool
) -> tuple[str | int | None, domain_models.ForecasterKind | None]:
    """Whom a forecast is by: a known forecaster's id (checked before what they said), or,
    with --create, a name and the kind to create it with if it is new."""
    if create:
        if forecaster is None:
            raise domain_errors.InvalidInput(
                "create", None, "needs --forecaster NAME: whom to create"
            )
        return forecaster, domain_models.ForecasterKind.PERSON
    if forecaster is not None:
        return repository.forecaster(ref=forecaster).id, None
    return None, None


def _one_question(argument: str | None, option: str | None) -> str:
    """The question named by QUESTION or --question (both may be given if they agree)."""
    if argument and option and argument != option:
        raise domain_errors.InvalidInput("question", option, f"contradicts QUESTION {argument!r}")
    chosen = argument or option
    if chosen is None:
        raise domain_errors.InvalidInput("question", None, "is needed: give QUESTION or --question")
    return chosen


class _Span(NamedTuple):
    source: domain_models.Source
    quote: str
    quote_start: int
    reading: domain_verbal.Reading
    phrase: str
    attribution: str | None


def _from_span(
    repository: db_repository.Repository,
    text: str,
    scale: domain_verbal.Scale,
    settings: domain_verbal.Settings,
) -> _Span:
    """What characters START-END of a source give a forecast: the quote and where it starts,
    the phrase there read on the scale, and whom the sentence attributes it to."""
    match = re.fullmatch(r"\s*([^:\s]+):(\d+)-(\d+)\s*", text)
    if match is None:
        raise domain_errors.InvalidInput(
            "from-span", text, "is not SOURCE:START-END (e.g. 2:821-901)"
        )
    start, end = int(match.group(2)), int(match.group(3))
    found = repository.source(ref=match.group(1))
    judgment = domain_detect.judgment_in_span(
        found.text, start, end, found.furniture, scale=scale, settings=settings
    )
    piece = found.text[start:end]
    return _Span(
        source=found,
        quote=piece.strip(),
        quote_start=start + len(piece) - len(piece.lstrip()),
        reading=judgment.reading,
        phrase=judgment.phrase,
        attribution=judgment.attribution,
    )


def _attributed(repository: db_repository.Repository, attribution: str | None, span: str) -> int:
    """The forecaster a span's sentence names, when one of that name is stored."""
    if attribution:
        try:
            return repository.forecaster(ref=attribution).id  # type: ignore[return-value]
        except domain_errors.NotFound:
            pass
    said = f" (the text attributes it to {attribution!r})" if attribution else ""
    raise domain_errors.InvalidInput("forecaster", None, f"is needed with --from-span {span}{said}")


# Resolutions -----------------------------------------------------------------------------


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    outcome: Annotated[
        str,
        typer.Argument(
            metavar="OUTCOME", help="yes or no; for multiple choice an option's label or number."
        ),
    ],
    at: Annotated[
        str | None, typer.Option("--at", help="When it resolved, YYYY-MM-DD (default: now).")
    ] = None,
    evidence: Annotated[str, typer.Option("--evidence", help="What decided it.")] = "",
    source: Annotated[
        str | None, typer.Option("--source", help="Source id or key of the evidence.")
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Who resolved it.")] = "",
    retroactive: Annotated[
        bool,
        typer.Option(
            "--retroactive",
            help="Resolve as of --at even though forecasts were made after it (they will not "
            "be scored).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Resolve a question. A different outcome or date re-resolves it, keeping the earlier
    resolution in its history; the same outcome and date again changes nothing."""
    repository = _state(ctx).writer()
    _record_resolution(
        repository,
        question,
        as_json,
        outcome=outcome,
        resolved_at=at,
        evidence=evidence,
        source_id=repository.source(ref=source).id if source else None,
        resolved_by=by,
        retroactive=retroactive,
    )


@app.command("annul")
def annul(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="Question id or key.")],
    at: Annotated[str | None, typer.Option("--at", help="When, YYYY-MM-DD (default: now).")] = None,
    evidence: Annotated[str, typer.Option("--evidence", help="Why it cannot be resolved.")] = "",
    by: Annotated[str, typer.Option("--by", help="Who annulled it.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Annul a question: it will not be scored. History is kept; annulling again changes
    nothing."""
    _record_resolution(
        _state(ctx).writer(),
        question,
        as_json,
        outcome=domain_models.ANNULLED,
        resolved_at=at,
        evidence=evidence,
        resolved_by=by,
    )


def _record_resolution(
    repository: db_light.Writer | db_repository.Repository,
    question: str,
    as_json: bool,
    **fields: Any,
) -> None:
    target = repository.question(ref=question)
    draft = drafts.ResolutionDraft.parse(target, now=repository.clock(), **fields)
    resolution = repository.resolve(draft)
    changed = target.resolution is None or resolution.id != target.resolution.id
    annulled = _annulled_with(repository, resolution) if changed else []
    text = render.resolution_text(resolution, changed=changed)
    if annulled:
        shown = ", ".join(str(ident) for ident in annulled)
        text += (
            f"\nAnnulled with it, as conditional on it: question{'s' * (len(annulled) > 1)} {shown}"
        )
    _print(
        as_json,
        lambda: (
            render.resolution_json(resolution)
            | {"changed": changed, "annulled_conditionals": annulled}
        ),
        lambda: text,
    )


def _annulled_with(repository: Any, resolution: domain_models.Resolution) -> list[int]:
    """The questions conditional on the one just resolved that its resolution annulled."""
    if resolution.outcome == "yes":
        return []
    detail = repository.question_detail(ref=resolution.question_id)
    annulled = []
    for ident, _ in detail.conditionals:
        current = repository.question(ref=ident).resolution
        if (
            current is not None
            and current.annulled
            and current.recorded_at == resolution.recorded_at
        ):
            annulled.append(ident)
    return annulled


@app.command("seed")
def seed_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Add the sample corpus (articles, questions, expert judgments, resolutions).

    Run it again and nothing is duplicated; nothing you added is changed.
    """
    report = db_seed.seed(_repo(ctx))
    _print(as_json, lambda: report.added, lambda: f"Seed corpus: added {report.summary()}.")


# Scores ----------------------------------------------------------------------------------


@app.command("score")
def score(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="forecaster, tag or outlet.")] = "forecaster",
    no_consensus: Annotated[
        bool,
        typer.Option("--no-consensus", help="Leave the consensus pseudo-forecasters out."),
    ] = False,
    min_questions: Annotated[
        int,
        typer.Option(
            "--min-questions", min=1, help="Rank only rows with this many scored questions."
        ),
    ] = 3,
    since: Annotated[
        str | None, typer.Option("--since", help="Only questions resolved on or after DATE.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only questions resolved on or before DATE.")
    ] = None,
    include_backdated: IncludeBackdated = False,
    as_json: JsonFlag = False,
) -> None:
    """The leaderboard: mean Brier with its 95% interval, relative Brier, skill, log score."""
    source = _state(ctx).reader()
    chosen = by.strip().lower()
    window = (
        domain_parsing.parse_moment(since, "since") if since is not None else None,
        domain_parsing.parse_moment(until, "until", end_of_day=True) if until is not None else None,
    )
    if window[0] and window[1] and window[0] > window[1]:
        raise domain_errors.InvalidInput("until", until, f"is before --since {since}")

    def work_out() -> tuple[str, tuple[float, float]]:
        from db.kept_columns import default_folder
        from db.scores import GROUPINGS, leaderboard, load  # numpy loads only here

        if chosen not in GROUPINGS:
            raise domain_errors.InvalidInput("by", by, f"is not one of: {', '.join(GROUPINGS)}")
        data = load(
            _scoring_source(source),
            now=source.clock(),
            with_outlets=chosen == "outlet",
            resolved=window,
            include_backdated=include_backdated,
            keep=default_folder(),
        )
        rows = leaderboard(
            data, by=chosen, aggregates=not no_consensus, min_questions=min_questions
        )
        shown = {"min_questions": min_questions, "data": data}
        output = (
            plain.to_json(render_scores.score_json(rows, chosen, **shown))
            if as_json
            else render_scores.score_text(rows, chosen, **shown)
        )
        return output, data.steady

    options = {
        "by": chosen,
        "consensus": not no_consensus,
        "min_questions": min_questions,
        "window": [moment.isoformat() if moment else None for moment in window],
        "include_backdated": include_backdated,
        "json": as_json,
    }
    typer.echo(score_cache.kept_output(source, "score", options, work_out))


def _scoring_source(source: db_light.Reader | db_repository.Repository) -> Any:
    """What the score loader reads: the light reader's connection (in its read
    transaction), or the repository's engine."""
    if isinstance(source, db_light.Reader):
        return source.connection
    return source.engine


@app.command("calibration")
def calibration_command(
    ctx: typer.Context,
    forecaster: Annotated[
        str | None, typer.Option("--forecaster", "-f", help="Only this forecaster.")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only questions with this tag.")] = None,
    include_backdated: IncludeBackdated = False,
    as_json: JsonFlag = False,
) -> None:
    """Calibration: buckets with 90% intervals, Murphy and CORP decompositions, CORP curve."""
    source = _state(ctx).reader()

    def work_out() -> tuple[str, tuple[float, float]]:
        from db.kept_columns import default_folder
        from db.scores import calibration_report, load

        data = load(
            _scoring_source(source),
            now=source.clock(),
            include_backdated=include_backdated,
            keep=default_folder(),
        )
        cal = calibration_report(data, forecaster=forecaster, tag=tag)
        if as_json:
            subject = {"forecaster": forecaster, "tag": tag}
            payload = render_scores.calibration_json(cal, subject)
            return plain.to_json(payload | {"backdated_left_out": data.backdated}), data.steady
        words = " and ".join(
            part
            for part in (
                f"forecaster {forecaster!r}" if forecaster else "",
                f"tag {tag!r}" if tag else "",
            )
            if part
        )
        lines = [render_scores.calibration_text(cal, fmt.one_line(words) or "everyone")]
        if data.backdated:
            lines.append(render_scores.backdated_note(data.backdated))
        return "\n".join(lines), data.steady

    options = {
        "forecaster": forecaster,
        "tag": tag,
        "include_backdated": include_backdated,
        "json": as_json,
    }
    typer.echo(score_cache.kept_output(source, "calibration", options, work_out))


@demo_app.command("generate")
def demo_generate(
    ctx: typer.Context,
    questions: Annotated[int, typer.Option("--questions", min=1)] = 100_000,
    forecasters: Annotated[int, typer.Option("--forecasters", min=1)] = 1_000,
    forecasts: Annotated[int, typer.Option("--forecasts", min=1)] = 1_000_000,
    seed: Annotated[int, typer.Option("--seed")] = 7,
) -> None:
    """Fill a new, empty database with synthetic questions, forecasts and resolutions."""
    from db.demo import write_demo

    state = _state(ctx)
    state.no_seed = True
    data = write_demo(
        state.repository(),
        questions=questions,
        forecasters=forecasters,
        forecasts=forecasts,
        seed=seed,
    )
    typer.echo(
        f"Generated {len(data.questions)} questions, {forecasters} forecasters and "
        f"{len(data.forecasts)} forecasts in {state.url}"
    )


# Import and export -----------------------------------------------------------------------

FORMAT_HELP = "json (everything, lossless), csv (one row per forecast) or fatebook-csv."


def _format(value: str | None) -> str | None:
    from forecasts.interchange import FORMATS

    if value is None:
        return None
    chosen = value.strip().lower()
    if chosen not in FORMATS:
        raise domain_errors.InvalidInput("format", value, f"is not one of: {', '.join(FORMATS)}")
    return chosen


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (default: stdout).")
    ] = None,
    format_name: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "json",
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the json format instead.")
    ] = False,
) -> None:
    """Write the whole record out: every question, forecaster, source, forecast, resolution
    and correction (json), or the flat shapes spreadsheets and Fatebook use."""
    import json

    from db.export import WRITERS
    from forecasts.interchange import schema as interchange_schema

    if schema:
        typer.echo(json.dumps(interchange_schema(), indent=2, ensure_ascii=False))
        return
    writer = WRITERS[_format(format_name) or "json"]
    repository = _repo(ctx)
    if output is None:
        # On a terminal, text from data is shown, never obeyed: control characters escaped.
        writer(repository, _Shown(sys.stdout) if sys.stdout.isatty() else sys.stdout)
        sys.stdout.flush()
        return
    counts = _write_atomically(output.expanduser(), lambda out: writer(repository, out))
    shown = ", ".join(f"{count} {name}" for name, count in counts.items()) or "nothing"
    typer.echo(f"Exported {shown} to {output}", err=True)


class _Shown:
    """A terminal's stream that writes control characters as visible escapes."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(fmt.safe(text.replace("\r\n", "\n")))


def _write_atomically(path: Path, write: Callable[[Any], T]) -> T:
    """Write a file whole or not at all: into a temporary file beside it, renamed over it
    only once complete."""
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            "w", encoding="utf-8", newline="", dir=folder, prefix=f".{path.name}.", delete=False
        )
    except OSError as exc:
        raise domain_errors.InvalidInput(
            "output", str(path), f"cannot be written: {exc.strerror}"
        ) from None
    try:
        with handle:
            result = write(handle)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return result


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A file forecasts exported, a flat CSV or a Fatebook export."
        ),
    ],
    format_name: Annotated[
        str | None, typer.Option("--format", help=f"{FORMAT_HELP} Default: told from the file.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would be added; write nothing.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Bring records in, in one transaction: all of them, or (when any is refused) none.
    Importing a file again adds nothing; a longer file adds only what is new."""
    from db.importer import ImportRefused, import_file

    repository = _repo(ctx)
    try:
        report = import_file(repository, file.expanduser(), _format(format_name), dry_run=dry_run)
    except ImportRefused as exc:
        for problem in exc.refused:
            typer.echo(f"forecasts: {fmt.safe(problem.line())}", err=True)
        if exc.count > len(exc.refused):
            typer.echo(f"forecasts: ... and {exc.count - len(exc.refused)} more", err=True)
        raise
    _print(as_json, report.as_dict, lambda: render.import_text(report))


# Database --------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Upgrade the database schema to the newest (opening it does this too)."""
    repository = _repo(ctx)
    db_migrate.upgrade(repository.engine)
    current, newest = db_migrate.current_revision(repository.engine), db_migrate.head_revision()
    typer.echo(f"Database at revision {current} (newest {newest})")


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (new).")],
) -> None:
    """Copy the database to FILE, consistently even while others write (SQLite's online
    backup). To restore, point --db at the copy, or copy it over the database file while no
    forecasts is running."""
    from db.migrate import backup_to

    state = _state(ctx)
    path = db_engine.sqlite_path(state.url)
    if path is None:
        raise domain_errors.InvalidInput(
            "db", state.url, "is not a SQLite file; only those can be backed up"
        )
    state.repository()  # refuses what is not a forecasts database, and upgrades it
    backup_to(path, file.expanduser())
    typer.echo(f"Backed up {path} to {file} ({file.stat().st_size} bytes)")


@db_app.command("check")
def db_check(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Check the database: SQLite's integrity and foreign keys, the schema, the append-only
    guards, and that every forecast and resolution is well formed. Exit 1 if any fails."""
    from db.check import check_database

    findings = check_database(_repo(ctx).engine)
    _print(
        as_json,
        lambda: [{"check": f.check, "ok": f.ok, "detail": f.detail} for f in findings],
        lambda: "\n".join(
            f"{'ok  ' if f.ok else 'FAIL'}  {f.check}: {fmt.safe(f.detail)}" for f in findings
        ),
    )
    if not all(f.ok for f in findings):
        raise typer.Exit(1)


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the database URL in use (from --db, FORECASTS_DB or the default)."""
    typer.echo(_state(ctx).url)


def _validated(model: type[M], **fields: Any) -> M:
    """A domain object built from what the user typed; pydantic's refusal becomes one line."""
    try:
        return model(**fields)
    except pydantic.ValidationError as exc:
        raise domain_errors.from_validation_error(exc) from None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``forecasts`` command."""
    app(args=argv, prog_name="forecasts")
