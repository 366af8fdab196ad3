"""Log a forecast from the keyboard: forecaster (with completion, or a new one), probability
as 0.15, 15%, 1:6 or a verbal phrase read on the scale, one field per option for multiple
choice, an optional source and quote checked against the source's text, and a rationale.
Errors show beside the field; Save is refused until everything is valid."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from forecasts.errors import ForecastsError, InvalidInput
from forecasts.furniture import in_furniture
from forecasts.models import Forecast, Question, QuestionKind, Source, locate_quote
from forecasts.parsing import parse_moment, parse_probability
from forecasts.text import one_line, percent
from forecasts.verbal import Settings, parse_judgment
from tui.errors import ReportsWorkerErrors

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


class LogForecastDialog(ReportsWorkerErrors, ModalScreen[Forecast | None]):
    """Returns the stored forecast, or None when cancelled."""

    DEFAULT_CSS = """
    LogForecastDialog {
        align: center middle;
    }
    LogForecastDialog > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    LogForecastDialog Label.field {
        margin-top: 1;
        text-style: bold;
    }
    LogForecastDialog .error {
        color: $error;
        height: auto;
    }
    LogForecastDialog .hint {
        color: $text-muted;
        height: auto;
    }
    LogForecastDialog .hidden {
        display: none;
    }
    LogForecastDialog #buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    LogForecastDialog #buttons Button {
        margin-left: 1;
    }
    LogForecastDialog .option-row {
        height: auto;
    }
    LogForecastDialog .option-row Label {
        width: 30;
        padding-top: 1;
    }
    LogForecastDialog .option-row Input {
        width: 1fr;
    }
    LogForecastDialog #log-new Static {
        width: auto;
        padding: 1 1 0 0;
    }
    LogForecastDialog #log-new Select {
        width: 30;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="log.cancel"),
        Binding("ctrl+s", "save", "Save", tooltip="Save the forecast", id="log.save"),
    ]

    class Ready(Message):
        def __init__(self, questions, forecasters, sources, user: str) -> None:
            super().__init__()
            self.questions = questions
            self.forecasters = forecasters
            self.sources = sources
            self.user = user

    class QuestionLoaded(Message):
        def __init__(self, question: Question) -> None:
            super().__init__()
            self.question = question

    class SourceLoaded(Message):
        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Failed(Message):
        def __init__(self, error: ForecastsError) -> None:
            super().__init__()
            self.error = error

    class Saved(Message):
        def __init__(self, forecast: Forecast) -> None:
            super().__init__()
            self.forecast = forecast

    def __init__(self, settings: Settings, prefill: Prefill | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.prefill = prefill or Prefill()
        self.question: Question | None = None
        self.source: Source | None = None
        self.known: dict[str, str] = {}  # folded name -> name
        self.user_name = "me"  # the user's forecaster, created on first use
        self.errors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Log a forecast", style="bold"), id="log-heading")
            yield Label("Question", classes="field")
            yield Select[int]([], prompt="Choose a question", id="log-question")
            yield Static(id="log-question-text", classes="hint")
            yield Static(classes="error", id="err-question")
            yield Label("Forecaster", classes="field")
            yield Input(id="log-forecaster", placeholder="Name (you by default)")
            yield Horizontal(
                Static("New forecaster, kind:", classes="hint"),
                Select(NEW_KINDS, value="person", allow_blank=False, id="log-kind"),
                id="log-new",
                classes="hidden option-row",
            )
            yield Static(classes="error", id="err-forecaster")
            yield Label("Probability", classes="field", id="log-probability-label")
            yield Input(
                id="log-probability",
                placeholder="0.15, 15%, 1:6 or a phrase such as 'very unlikely'",
            )
            yield Vertical(id="log-options")
            yield Static(classes="hint", id="log-reading")
            yield Static(classes="error", id="err-probability")
            yield Label("Made on", classes="field")
            yield Input(id="log-date", placeholder="YYYY-MM-DD")
            yield Static(classes="error", id="err-date")
            yield Label("Source (optional)", classes="field")
            yield Select[int]([], prompt="No source", id="log-source")
            yield Input(id="log-quote", placeholder="Verbatim quote from the source")
            yield Static(classes="error", id="err-quote")
            yield Label("Rationale (optional)", classes="field")
            yield Input(id="log-rationale", placeholder="Why")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="log-cancel")
                yield Button("Save", id="log-save", variant="primary", disabled=True)
            yield Static(classes="error", id="err-save")

    def on_mount(self) -> None:
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
        questions = [
            (row.question.id, row.question.title)
            for row in repository.list_questions()
            if row.question.resolution is None
        ]
        wanted = self.prefill.question
        if wanted is not None and wanted not in {qid for qid, _ in questions}:
            questions.insert(0, (wanted, repository.question(ref=wanted).title))
        forecasters = [f.name for f in repository.list_forecasters()]
        user = repository.find_user_forecaster()
        sources = [(s.id, s.title) for s in repository.list_sources()]
        self.post_message(self.Ready(questions, forecasters, sources, user.name if user else "me"))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.known = {name.casefold(): name for name in message.forecasters}
        self.user_name = message.user
        picker = self.query_one("#log-question", Select)
        choices = list(message.questions)
        picker.set_options([(Text(f"#{qid} {one_line(title, 80)}"), qid) for qid, title in choices])
        if self.prefill.question is not None:
            picker.value = self.prefill.question
        forecaster = self.query_one("#log-forecaster", Input)
        forecaster.suggester = SuggestFromList(message.forecasters, case_sensitive=False)
        forecaster.value = self.prefill.forecaster or message.user
        sources = self.query_one("#log-source", Select)
        sources.set_options(
            [(Text(f"#{sid} {one_line(title, 80)}"), sid) for sid, title in message.sources]
        )
        if self.prefill.source is not None:
            sources.value = self.prefill.source
        (
            self.query_one("#log-question", Select) if self.prefill.question is None else forecaster
        ).focus()
        self._validate()

    @on(Select.Changed, "#log-question")
    def _question_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self._load_question(event.value)
        else:
            self.question = None
            self._validate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-question")
    def _load_question(self, question_id: int) -> None:
        self.post_message(self.QuestionLoaded(self.app.repository.question(ref=question_id)))

    @on(QuestionLoaded)
    async def _question_loaded(self, message: QuestionLoaded) -> None:
        self.question = message.question
        self.query_one("#log-question-text", Static).update(
            Text(
                f"closes {message.question.close_at:%Y-%m-%d} · "
                + one_line(message.question.criteria, 160)
            )
        )
        binary = message.question.kind is QuestionKind.BINARY
        self.query_one("#log-probability", Input).set_class(not binary, "hidden")
        self.query_one("#log-probability-label", Label).update(
            "Probability of yes" if binary else "Probability of each option (they must sum to 100%)"
        )
        options = self.query_one("#log-options", Vertical)
        await options.remove_children()
        if not binary:
            await options.mount_all(
                Horizontal(
                    Label(Text(one_line(label, 28))),
                    Input(id=f"log-option-{index}", placeholder="e.g. 25%"),
                    classes="option-row",
                )
                for index, label in enumerate(message.question.options)
            )
        self._validate()

    @on(Select.Changed, "#log-source")
    def _source_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self._load_source(event.value)
        else:
            self.source = None
            self._validate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-source")
    def _load_source(self, source_id: int) -> None:
        self.post_message(self.SourceLoaded(self.app.repository.source(ref=source_id)))

    @on(SourceLoaded)
    def _source_loaded(self, message: SourceLoaded) -> None:
        self.source = message.source
        self._validate()

    @on(Input.Changed)
    @on(Select.Changed, "#log-kind")
    def _changed(self) -> None:
        self._validate()

    # Validation ----------------------------------------------------------------------------

    def _validate(self) -> dict | None:
        """Check every field; show each problem beside its field; return what to save."""
        errors: dict[str, str] = {}
        values: dict = {}
        if self.question is None:
            errors["question"] = "Choose the question this forecast is about."
        name = self.query_one("#log-forecaster", Input).value.strip()
        is_user = not name or name.casefold() == self.user_name.casefold()
        new = not is_user and name.casefold() not in self.known
        self.query_one("#log-new").set_class(not new, "hidden")
        # None logs as the user, whose forecaster (kind "user") is created on first use
        values["forecaster"] = None if is_user else self.known.get(name.casefold(), name)
        values["new_kind"] = self.query_one("#log-kind", Select).value if new else None
        reading = self.query_one("#log-reading", Static)
        reading.update("")
        if self.question is not None:
            if self.question.kind is QuestionKind.BINARY:
                typed = self.query_one("#log-probability", Input).value
                try:
                    p, judgment = parse_judgment(typed, self.settings.scale, self.settings)
                except InvalidInput as exc:
                    if typed.strip():
                        errors["probability"] = exc.problem
                    else:
                        errors["probability"] = "Type a probability: 0.15, 15%, 1:6 or a phrase."
                else:
                    values["probability"] = p
                    if judgment is not None:
                        values["phrase"] = typed.strip()
                        values["scale"] = judgment.scale
                        values["scale_probability"] = judgment.probability
                        band = f"{percent(judgment.low)}-{percent(judgment.high)}"
                        reading.update(
                            Text(
                                f"= {percent(p)}: '{judgment.term}' on {judgment.scale}, "
                                f"range {band}"
                            )
                        )
                    else:
                        reading.update(Text(f"= {percent(p)}"))
            else:
                vector = []
                for index, label in enumerate(self.question.options):
                    typed = self.query_one(f"#log-option-{index}", Input).value
                    try:
                        vector.append(parse_probability(typed, label))
                    except InvalidInput as exc:
                        errors["probability"] = f"{one_line(label, 30)}: " + (
                            exc.problem if typed.strip() else "needs a probability"
                        )
                        break
                if "probability" not in errors:
                    total = math.fsum(vector)
                    reading.update(Text(f"Sum: {percent(total)}"))
                    if abs(total - 1.0) > 1e-9:
                        errors["probability"] = f"The options sum to {percent(total)}, not 100%."
                    values["probabilities"] = vector
        try:
            values["made_at"] = parse_moment(self.query_one("#log-date", Input).value, "made_at")
        except InvalidInput as exc:
            errors["date"] = exc.problem
        else:
            now = self.app.clock()
            if values["made_at"] > now:
                errors["date"] = "is in the future"
            elif self.question is not None and values["made_at"] > self.question.close_at:
                errors["date"] = f"is after the question closed ({self.question.close_at:%Y-%m-%d})"
        quote = self.query_one("#log-quote", Input).value.strip()
        values["source"] = self.source.id if self.source else None
        values["quote"] = quote or None
        values["quote_start"] = None
        if quote:
            if self.source is None:
                errors["quote"] = "Choose the source the quote comes from."
            else:
                try:
                    start = (
                        self.prefill.quote_start
                        if quote == (self.prefill.quote or "").strip()
                        else None
                    )
                    begin, end = locate_quote(self.source.text, quote, start=start)
                except InvalidInput as exc:
                    errors["quote"] = exc.problem
                else:
                    mark = in_furniture(self.source.furniture, begin, end)
                    if mark is not None:
                        errors["quote"] = f"lies in page furniture ({mark.kind}), not the article"
                    values["quote_start"] = begin
        values["rationale"] = self.query_one("#log-rationale", Input).value.strip()
        self._show_errors(errors)
        self.query_one("#log-save", Button).disabled = bool(errors)
        return None if errors else values

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.errors = errors
        for field in ("question", "forecaster", "probability", "date", "quote"):
            self.query_one(f"#err-{field}", Static).update(Text(errors.get(field, "")))

    # Saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        values = self._validate()
        if values is None or self.question is None:
            self.notify("Fix the fields marked in red first.", severity="warning")
            return
        self.query_one("#log-save", Button).disabled = True
        self._save(self.question.id, values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-save")
    def _save(self, question_id: int, values: dict) -> None:
        repository = self.app.repository
        try:
            with repository.transaction():
                forecaster = values["forecaster"]
                if values["new_kind"] is not None:
                    forecaster = repository.add_forecaster(
                        name=forecaster, kind=values["new_kind"]
                    ).id
                forecast = repository.log_forecast(
                    question=question_id,
                    forecaster=forecaster,
                    probability=values.get("probability"),
                    probabilities=values.get("probabilities"),
                    made_at=values["made_at"],
                    source=values["source"],
                    quote=values["quote"],
                    quote_start=values["quote_start"],
                    phrase=values.get("phrase"),
                    scale=values.get("scale"),
                    scale_probability=values.get("scale_probability"),
                    rationale=values["rationale"],
                )
        except ForecastsError as exc:
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Saved(forecast))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        field = getattr(message.error, "field", "save")
        where = {
            "probabilities": "probability",
            "made_at": "date",
            "name": "forecaster",
            "source": "quote",
        }.get(field, field)
        if where not in ("question", "forecaster", "probability", "date", "quote"):
            where = "save"
        self.query_one(f"#err-{where}", Static).update(Text(str(message.error)))
        self.query_one("#log-save", Button).disabled = False

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.dismiss(message.forecast)

    @on(Button.Pressed, "#log-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#log-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
