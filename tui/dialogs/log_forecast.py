"""Log a forecast from the keyboard: forecaster (with completion, or a new one), probability
as 0.15, 15%, 1:6 or a verbal phrase read on the scale, one field per option for multiple
choice, an optional source and quote checked against the source's text, and a rationale.
Errors show beside the field; Save is refused until everything is valid."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from forecasts.drafts import ForecastDraft
from forecasts.errors import InvalidInput
from forecasts.models import SUM_TOLERANCE, Forecast, ForecasterKind, Question, QuestionKind, Source
from forecasts.parsing import parse_probability
from forecasts.similar import match_forecaster, rank_by_likeness, similar_names
from forecasts.text import one_line, percent
from forecasts.verbal import Settings
from tui.dialogs.form import FormDialog
from tui.keys import keys

NEW_KINDS = [("person", "person"), ("organisation", "organisation"), ("group", "group")]


@dataclass(frozen=True)
class Prefill:
    """What the dialog opens with (from the sources screen, say)."""

    question: int | None = None
    forecaster: str | None = None
    probability: str | None = None
    source: int | None = None
    quote: str | None = None
    quote_start: int | None = None
    made_at: str | None = None


class LogForecastDialog(FormDialog[Forecast | None]):
    """Returns the stored forecast, or None when cancelled."""

    DEFAULT_CSS = """
    LogForecastDialog > VerticalScroll {
        width: 96;
    }
    LogForecastDialog #log-options {
        height: auto;
    }
    LogForecastDialog .option-row {
        height: auto;
    }
    LogForecastDialog .option-row Label {
        width: 30;
        padding-top: 1;
        margin-top: 0;
        text-style: none;
    }
    LogForecastDialog .option-row Input {
        width: 1fr;
    }
    LogForecastDialog .option-error {
        margin-left: 30;
    }
    LogForecastDialog #log-new Static {
        width: auto;
        padding: 1 1 0 0;
    }
    LogForecastDialog #log-new Select {
        width: 30;
    }
    """
    PREFIX = "log"
    ERROR_LINES = ("question", "forecaster", "probability", "date", "quote", "save")
    FIELDS: ClassVar[dict[str, str]] = {
        "probabilities": "probability",
        "made_at": "date",
        "name": "forecaster",
        "source": "quote",
        "question_id": "question",
    }

    BINDINGS = keys("log")

    class Ready(Message):
        def __init__(self, questions, forecasters, sources, user: str) -> None:
            super().__init__()
            self.questions = questions
            self.forecasters = forecasters
            self.sources = sources
            self.user = user
            self.matched: str | None = None  # the stored forecaster the attribution names
            self.question: Question | None = None  # the prefill's question and source, read
            self.source: Source | None = None

    class Picked(Message):
        """The question or source chosen in a picker, read from the database."""

        def __init__(self, value: Question | Source) -> None:
            super().__init__()
            self.value = value

    def __init__(self, settings: Settings, prefill: Prefill | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.prefill = prefill or Prefill()
        self.question: Question | None = None
        self.source: Source | None = None
        self.known: dict[str, str] = {}  # folded name -> name
        self.user_name = "me"  # the user's forecaster, created on first use
        self.errors: dict[str, str] = {}
        self.option_lines: dict[str, str] = {}  # option label -> its error line
        self.offered: list[int] = []  # the questions in the picker, in its order
        self.checking = False  # a check of the form is on its way
        self.shown_choices: dict[str | None, list[tuple[int, str]]] = {}  # by picker
        self.loaded = False  # the choices have been read

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Log a forecast", style="bold"), id="log-heading")
            yield from self.field(
                "Question",
                Select[int]([], prompt="Choose a question", id="log-question"),
                Static(id="log-question-text", classes="hint"),
                error="question",
            )
            yield from self.field(
                "Forecaster",
                Input(id="log-forecaster", placeholder="Name (you by default)"),
                Static(classes="hint hidden", id="log-matched"),
                Static(classes="hint hidden", id="log-similar"),
                Horizontal(
                    Static("New forecaster, kind:", classes="hint"),
                    Select(NEW_KINDS, value="person", allow_blank=False, id="log-kind"),
                    id="log-new",
                    classes="hidden option-row",
                ),
                error="forecaster",
            )
            yield from self.field(
                "Probability",
                Input(
                    id="log-probability",
                    placeholder="0.15, 15%, 1:6 or a phrase such as 'very unlikely'",
                ),
                Vertical(id="log-options"),
                Static(classes="hint", id="log-reading"),
                error="probability",
                label_id="log-probability-label",
            )
            yield from self.field(
                "Made on", Input(id="log-date", placeholder="YYYY-MM-DD"), error="date"
            )
            yield from self.field(
                "Source (optional)",
                Select[int]([], prompt="No source", id="log-source"),
                Input(id="log-quote", placeholder="Verbatim quote from the source"),
                error="quote",
            )
            yield from self.field(
                "Rationale (optional)", Input(id="log-rationale", placeholder="Why")
            )
            yield self.form_buttons()
            yield Static(classes="error hidden", id="err-save")

    def on_mount(self) -> None:
        self._start()

    def present(self, prefill: Prefill) -> None:
        """Open again with ``prefill``: the app keeps this dialog between uses (building its
        sixty widgets anew took most of the time it took to open), so everything the last
        use typed or chose is forgotten here."""
        self.prefill = prefill
        self.question = None
        self.source = None
        self.option_lines = {}
        self.offered = []
        self.loaded = False
        self.forget()
        self.query_one("#log-options").remove_children()
        self.query_one("#log-probability", Input).remove_class("hidden")
        self.query_one("#log-probability-label", Label).update("Probability")
        self.query_one("#log-question-text", Static).update("")
        self.query_one("#log-reading", Static).update("")
        for hint in ("#log-matched", "#log-similar", "#log-new"):
            self.query_one(hint).add_class("hidden")
        self.query_one("#log-kind", Select).value = "person"
        self.query_one("#log-source", Select).clear()
        self.query_one("#log-question", Select).clear()
        self._start()

    def _start(self) -> None:
        self.query_one("#log-save", Button).disabled = True
        self.query_one("#log-date", Input).value = (
            self.prefill.made_at or f"{self.app.clock():%Y-%m-%d}"
        )
        if self.prefill.probability:
            self.query_one("#log-probability", Input).value = self.prefill.probability
        if self.prefill.quote:
            self.query_one("#log-quote", Input).value = self.prefill.quote
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-load")
    def _load(self) -> None:
        repository = self.app.repository
        forecasters = [f.name for f in repository.list_forecasters()]
        user = repository.find_user_forecaster()
        sources = [(s.id, s.title) for s in repository.list_sources()]
        if self.prefill.source is None:
            questions = self._open_questions()
            matched = None
            source = None
        else:
            source = repository.source(ref=self.prefill.source)
            questions = self._questions_for(source)
            matched = match_forecaster(
                self.prefill.forecaster,
                forecasters,
                outlet=source.outlet,
                quoted=repository.forecasters_quoting(source=source.id),
            )
        ready = self.Ready(questions, forecasters, sources, user.name if user else "me")
        ready.matched = matched
        # what the prefill names, read now, so the dialog is filled in in one pass
        wanted = self.prefill.question
        ready.question = repository.question(ref=wanted) if wanted is not None else None
        ready.source = source if self.prefill.source is not None else None
        self.post_message(ready)

    def _open_questions(self) -> list[tuple[int, str]]:
        """One's own forecast goes on a question not yet resolved (or the one asked for)."""
        repository = self.app.repository
        questions = [
            (row.question.id, row.question.title)
            for row in repository.list_questions()
            if row.question.resolution is None
        ]
        wanted = self.prefill.question
        if wanted is not None and wanted not in {qid for qid, _ in questions}:
            questions.insert(0, (wanted, repository.question(ref=wanted).title))
        return questions

    def _questions_for(self, source: Source) -> list[tuple[int, str]]:
        """A judgment from a source can be about any question still open when the source was
        published, resolved since or not; those most like the quoted sentence come first."""
        rows = [
            row.question
            for row in self.app.repository.list_questions()
            if row.question.close_at.date() >= source.published_on
            or row.question.id == self.prefill.question
        ]
        order = rank_by_likeness(
            self.prefill.quote or "",
            [f"{question.title} {question.title} {question.criteria}" for question in rows],
        )
        return [(rows[index].id, rows[index].title) for index in order]

    @on(Ready)
    async def _ready(self, message: Ready) -> None:
        self.known = {name.casefold(): name for name in message.forecasters}
        self.user_name = message.user
        picker = self.query_one("#log-question", Select)
        self.offered = [qid for qid, _ in message.questions]
        self.loaded = True
        self._choices(picker, message.questions)
        if message.question is not None:
            await self._question_loaded(message.question)
            picker.value = message.question.id
        forecaster = self.query_one("#log-forecaster", Input)
        forecaster.suggester = SuggestFromList(message.forecasters, case_sensitive=False)
        forecaster.value = message.matched or self.prefill.forecaster or message.user
        if message.matched and message.matched != self.prefill.forecaster:
            said = one_line(self.prefill.forecaster or "", 40)
            hint = self.query_one("#log-matched", Static)
            hint.update(Text(f"The article says '{said}': the stored forecaster is taken."))
            hint.remove_class("hidden")
        sources = self.query_one("#log-source", Select)
        self._choices(sources, message.sources)
        if message.source is not None:
            self.source = message.source
            sources.value = message.source.id
        self._first_field(forecaster).focus()
        self._validate()

    def _choices(self, picker: Select, choices: list[tuple[int, str]]) -> None:
        """Give ``picker`` these (id, title) choices, unless it has them from the last use."""
        if self.shown_choices.get(picker.id) != choices:
            self.shown_choices[picker.id] = choices
            picker.set_options(
                [(Text(f"#{ref} {one_line(title, 80)}"), ref) for ref, title in choices]
            )

    def _first_field(self, forecaster: Input):
        """Where typing starts: the question when none was chosen; the forecaster for a
        judgment (to check whom it is attributed to); else the probability (the first
        option's), so that one's own forecast on the highlighted question is typed at once."""
        if self.prefill.question is None:
            return self.query_one("#log-question", Select)
        if self.prefill.forecaster:
            return forecaster
        if self.question is not None and self.question.kind is QuestionKind.MULTIPLE_CHOICE:
            return self.query_one("#log-option-0", Input)
        return self.query_one("#log-probability", Input)

    @on(Select.Changed, "#log-question")
    @on(Select.Changed, "#log-source")
    def _picked(self, event: Select.Changed) -> None:
        """Read the chosen question or source in a worker; a blank choice clears it."""
        question = event.select.id == "log-question"
        had = self.question if question else self.source
        if isinstance(event.value, int) and had is not None and had.id == event.value:
            return  # read already (the prefill's)
        if isinstance(event.value, int):
            read = self.app.repository.question if question else self.app.repository.source
            self.run_worker(
                partial(self._read, read, event.value),
                thread=True,
                exclusive=True,
                exit_on_error=False,
                group=f"{event.select.id}-read",
            )
            return
        if question:
            self.question = None
        else:
            self.source = None
        self._validate()

    def _read(self, read: Callable[..., Question | Source], ident: int) -> None:
        self.post_message(self.Picked(read(ref=ident)))

    @on(Picked)
    async def _read_done(self, message: Picked) -> None:
        if isinstance(message.value, Source):
            self.source = message.value
            self._validate()
        else:
            await self._question_loaded(message.value)

    async def _question_loaded(self, question: Question) -> None:
        """Show the question's criteria and one probability field, or one per option."""
        self.question = question
        self.query_one("#log-question-text", Static).update(
            Text(f"closes {question.close_at:%Y-%m-%d} · " + one_line(question.criteria, 160))
        )
        binary = question.kind is QuestionKind.BINARY
        self.query_one("#log-probability", Input).set_class(not binary, "hidden")
        self.query_one("#log-probability-label", Label).update(
            "Probability of yes" if binary else "Probability of each option (they must sum to 100%)"
        )
        options = self.query_one("#log-options", Vertical)
        await options.remove_children()
        self.option_lines = {} if binary else _option_lines(question)
        if not binary:
            for index, label in enumerate(question.options):
                await options.mount_all(
                    (
                        Horizontal(
                            Label(Text(one_line(label, 28))),
                            Input(id=f"log-option-{index}", placeholder="e.g. 25%"),
                            classes="option-row",
                        ),
                        Static(classes="error option-error", id=f"err-option-{index}"),
                    )
                )
        self.refresh_bindings()
        self._validate()

    @on(Input.Changed)
    @on(Select.Changed, "#log-kind")
    def _changed(self) -> None:
        """Check the form once for a burst of changes (opening it sets several fields)."""
        if not self.checking:
            self.checking = True
            self.call_later(self._check)

    def _check(self) -> None:
        self.checking = False
        self._validate()

    # Validation ----------------------------------------------------------------------------

    def _validate(self) -> ForecastDraft | None:
        """Parse every field with the domain's draft; show each problem beside its field;
        return the draft to save."""
        name = self.query_one("#log-forecaster", Input).value.strip()
        is_user = not name or name.casefold() == self.user_name.casefold()
        new = not is_user and name.casefold() not in self.known
        self.query_one("#log-new").set_class(not new, "hidden")
        self._suggest(name if new else "")
        errors: dict[str, str] = {}
        draft = None
        if self.question is None and self.loaded and not self.offered:
            errors["question"] = "No question to forecast yet: escape, then a adds one."
        elif self.question is None:
            errors["question"] = "Choose the question this forecast is about."
        else:
            try:
                draft = self._parse(self.question, name if not is_user else None, new)
            except InvalidInput as exc:
                errors = self.problems(exc)
        self._show_reading(draft)
        self.show_errors(errors)
        self.query_one("#log-save", Button).disabled = bool(errors)
        return draft

    def error_line(self, field: str) -> str:
        """An option's problem shows under that option's field."""
        label = field.removeprefix("probabilities[").removesuffix("]")
        return self.option_lines.get(label) or super().error_line(field)

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors(errors)
        for line in self.option_lines.values():
            # An empty option is not yet a mistake: the sum line says what is left.
            typed = self.query_one(f"#log-{line}", Input).value.strip()
            shown = errors.get(line, "") if typed else ""
            error = self.query_one(f"#err-{line}", Static)
            error.update(Text(shown))
            error.set_class(not shown, "hidden")

    def _suggest(self, name: str) -> None:
        """Under a new name, the stored forecasters it nearly matches, so the same group is
        not added twice under another spelling."""
        hint = self.query_one("#log-similar", Static)
        similar = similar_names(name, list(self.known.values())) if name else []
        hint.set_class(not similar, "hidden")
        if similar:
            shown = "; ".join(f"'{one_line(found, 60)}'" for found in similar)
            hint.update(Text(f"Did you mean {shown}? Type the name to use it."))

    def _parse(self, question: Question, name: str | None, new: bool) -> ForecastDraft:
        quote = self.query_one("#log-quote", Input).value.strip()
        prefilled = quote == (self.prefill.quote or "").strip()
        kind = self.query_one("#log-kind", Select).value
        return ForecastDraft.parse(
            question,
            self._typed_values(question),
            now=self.app.clock(),
            settings=self.settings,
            forecaster=self.known.get(name.casefold(), name) if name else None,
            new_forecaster_kind=ForecasterKind(kind) if new else None,
            made_at=self.query_one("#log-date", Input).value,
            source=self.source,
            quote=quote or None,
            quote_start=self.prefill.quote_start if prefilled else None,
            rationale=self.query_one("#log-rationale", Input).value,
        )

    def _typed_values(self, question: Question) -> str | list[str]:
        if question.kind is QuestionKind.BINARY:
            return self.query_one("#log-probability", Input).value
        return [
            self.query_one(f"#log-option-{index}", Input).value
            for index in range(len(question.options))
        ]

    def _show_reading(self, draft: ForecastDraft | None) -> None:
        """Under the probability: how a phrase was read, or the running sum of the options."""
        reading = self.query_one("#log-reading", Static)
        if self.question is None:
            reading.update("")
        elif self.question.kind is QuestionKind.MULTIPLE_CHOICE:
            typed = self._typed_values(self.question)
            total = math.fsum(_number(text) for text in typed)
            left = 1.0 - total
            if abs(left) <= SUM_TOLERANCE:
                rest = "complete"
            elif left > 0:
                rest = f"{percent(left)} left"
                if any(not text.strip() for text in typed):
                    rest += f"; {self._spread_key()} spreads it over the empty options"
            else:
                rest = f"{percent(-left)} too much"
            reading.update(Text(f"Sum: {percent(total)} · {rest}"))
        elif draft is None or draft.probability is None:
            reading.update("")
        elif draft.reading is None:
            reading.update(Text(f"= {percent(draft.probability)}"))
        else:
            read = draft.reading
            band = f"{percent(read.low)}-{percent(read.high)}"
            reading.update(
                Text(f"= {percent(draft.probability)}: '{read.term}' on {read.scale}, range {band}")
            )

    def _spread_key(self) -> str:
        (binding,) = (b for b in self.BINDINGS if isinstance(b, Binding) and b.action == "spread")
        return self.app.get_key_display(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Spreading is offered only on a multiple-choice question."""
        if action == "spread":
            return self.question is not None and self.question.kind is QuestionKind.MULTIPLE_CHOICE
        return True

    def action_spread(self) -> None:
        """Give the part of 100% not yet typed to the empty options, evenly: 33.4%, 33.3%
        and 33.3% for thirds, so the sum is exact."""
        if self.question is None or self.question.kind is not QuestionKind.MULTIPLE_CHOICE:
            return
        fields = [
            self.query_one(f"#log-option-{index}", Input)
            for index in range(len(self.question.options))
        ]
        values = spread([field.value for field in fields])
        if values is None:
            self.notify("Nothing to spread: fill or empty the options first.", severity="warning")
            return
        for field, value in zip(fields, values, strict=True):
            if field.value != value:
                field.value = value

    # Saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        draft = self._validate()
        if draft is None:
            self.notify("Fix the fields marked in red first.", severity="warning")
            return
        self.save_in_background(lambda: self.app.repository.log_forecast(draft))


def _option_lines(question: Question) -> dict[str, str]:
    return {label: f"option-{index}" for index, label in enumerate(question.options)}


def spread(typed: list[str]) -> list[str] | None:
    """``typed`` with what is left of 100% shared evenly over its empty entries: whole tenths
    of a percent, at most a tenth apart, the last taking the exact rest so the sum is 100%.
    None when no entry is empty, when a typed value does not parse, or when the typed
    values are already over 100%."""
    empty = [index for index, text in enumerate(typed) if not text.strip()]
    try:
        given = math.fsum(parse_probability(text) for text in typed if text.strip())
    except InvalidInput:
        return None
    left = 1.0 - given
    if not empty or left < -SUM_TOLERANCE:
        return None
    left = max(left, 0.0) * 1000  # in tenths of a percent
    base = math.floor(left / len(empty) + 1e-9)
    extra = math.floor(left - base * len(empty) + 1e-9)  # whole tenths over, fewer than empty
    shares = [base + (1 if rank < extra else 0) for rank in range(len(empty) - 1)]
    last = round(left - sum(shares), 6)
    result = list(typed)
    for index, share in zip(empty, [*shares, last], strict=True):
        result[index] = f"{max(share, 0.0) / 10:.10g}%"
    return result


def _number(text: str) -> float:
    """A typed option's value for the running sum (0 until it parses)."""
    try:
        return parse_probability(text)
    except InvalidInput:
        return 0.0
