"""The Textual app: wiring, global bindings, the command palette and the error handler.
Screens live in ``tui/screens/``, dialogs in ``tui/dialogs/``; the repository and settings
are handed in, so tests run the app on any database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from db.reads import QuestionPage, QuestionQuery
from forecasts.models import Forecast, Forecaster, Question, Resolution
from forecasts.parsing import utc_now
from forecasts.text import one_line, percent
from forecasts.verbal import Settings
from tui.dialogs.common import ALL_TAGS, TagPicker
from tui.dialogs.edit_question import EditQuestionDialog
from tui.dialogs.log_forecast import LogForecastDialog, Prefill
from tui.dialogs.new_question import NewQuestionDialog
from tui.dialogs.resolve import ResolveDialog
from tui.dialogs.retract import RetractDialog
from tui.errors import ReportsWorkerErrors
from tui.keys import keys
from tui.messages import DataChanged
from tui.opening import Opening
from tui.screens.base import ShowsQuestion
from tui.screens.question_detail import QuestionDetailScreen
from tui.screens.questions import QuestionsScreen
from tui.screens.sources import SourcesScreen
from tui.undo import Change, undo

if TYPE_CHECKING:
    from db.repository import Repository
    from db.scenario_view import ScenarioView
    from forecasts.models import ScenarioUpdate

D = TypeVar("D", bound=Screen)
FirstPage = Callable[..., QuestionPage | None]
"""Reads a page of questions without the repository (``query``, ``now``, ``offset``,
``limit``), or answers None when it cannot."""


class ForecastApp(ReportsWorkerErrors, App[None]):
    """forecasts in the terminal."""

    TITLE = "forecasts"
    SUB_TITLE = "questions, sourced judgments, scores"
    BINDINGS = keys("app")

    def __init__(
        self,
        repository: Repository | Opening,
        *,
        settings: Settings | None = None,
        clock: Callable[[], datetime] = utc_now,
        notice: str | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        super().__init__()
        self._opening = (
            repository if isinstance(repository, Opening) else Opening.opened(repository)
        )
        self._first_page = first_page
        self.settings = settings or Settings()
        self.clock = clock
        self.notice = notice
        # question id -> what its screen shows, read while the row was highlighted; a write
        # empties it, and a read that started before the write is not kept
        self._prefetched: dict[int, tuple] = {}
        self._generation = 0
        self._prefetch_timer: Timer | None = None
        self.last_change: Change | None = None
        """The last change made since the app was opened, for ctrl+z."""
        self.unexpected_errors: list[BaseException] = []
        """Errors the handlers did not expect, each shown and logged (tests want none)."""
        self.log_path: Path | None = None
        """Where unexpected errors are logged with their tracebacks, when anywhere."""
        self._kept: dict[type, Screen] = {}
        """The dialogs kept between uses (see _open_kept)."""

    @property
    def repository(self) -> Repository:
        """The repository; while it is still being opened (just after start), this waits."""
        return self._opening.repository()

    def question_page(self, query: QuestionQuery, *, offset: int, limit: int) -> QuestionPage:
        """A page of questions: from the repository once it is open, before that with SQLite
        alone (the first page, drawn while the repository opens)."""
        if not self._opening.ready and self._first_page is not None:
            page = self._first_page(query, now=self.clock(), offset=offset, limit=limit)
            if page is not None:
                return page
        return self.repository.question_page(query, offset=offset, limit=limit)

    def on_mount(self) -> None:
        self.push_screen(QuestionsScreen())
        self.call_after_refresh(self._opening.start)  # after the first frame, not before
        if self.notice:
            self.notify(self.notice, title="Welcome to forecasts", timeout=15, markup=False)

    # Navigation ----------------------------------------------------------------------------

    def open_question(self, question_id: int) -> None:
        """Open the question's screen: at once when its row already read it, otherwise after
        reading it in a worker (an unknown id becomes an error notice)."""
        loaded = self._prefetched.pop(question_id, None)
        if loaded is not None:
            self._present_question(question_id, loaded)
        else:
            self._read_and_open(question_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-question")
    def _read_and_open(self, question_id: int) -> None:
        loaded = QuestionDetailScreen.read(self.repository, question_id)
        self.call_from_thread(self._present_question, question_id, loaded)

    def prefetch_question(self, question_id: int) -> None:
        """Read a highlighted question ahead, so that enter opens it without waiting. The
        read starts once the cursor has rested for a moment, not on every row it passes."""
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(0.05, lambda: self._prefetch(question_id))

    @work(thread=True, exit_on_error=False, group="prefetch")
    def _prefetch(self, question_id: int) -> None:
        if question_id in self._prefetched:
            return
        generation = self._generation
        loaded = QuestionDetailScreen.read(self.repository, question_id)
        self.call_from_thread(self._keep_prefetched, generation, question_id, loaded)

    def _keep_prefetched(self, generation: int, question_id: int, loaded: tuple) -> None:
        if generation != self._generation:
            return  # read before a write: stale
        self._prefetched[question_id] = loaded
        while len(self._prefetched) > 16:
            del self._prefetched[next(iter(self._prefetched))]

    def _present_question(self, question_id: int, loaded) -> None:
        # One detail screen is installed and reused: opening a question only updates it.
        if not self.is_screen_installed("question"):
            self.install_screen(QuestionDetailScreen(), name="question")
        screen = self.get_screen("question")
        if screen in self.screen_stack:
            while self.screen is not screen:
                self.pop_screen()
            screen.present(question_id, loaded)
            return
        screen.present(question_id, loaded)
        self.push_screen(screen)

    def action_leaderboard(self) -> None:
        from tui.screens.leaderboard import LeaderboardScreen  # numpy loads with scores

        if isinstance(self.screen, LeaderboardScreen):
            return
        self.push_screen(LeaderboardScreen())

    def action_calibration(self) -> None:
        self.open_calibration()

    def open_calibration(self, *, forecaster: str | None = None, tag: str | None = None) -> None:
        from tui.screens.calibration import CalibrationScreen  # numpy loads with scores

        self.push_screen(CalibrationScreen(forecaster=forecaster, tag=tag))

    def action_sources(self) -> None:
        if isinstance(self.screen, SourcesScreen):
            return
        self.push_screen(SourcesScreen())

    def action_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # Writing -------------------------------------------------------------------------------

    def data_changed(self) -> None:
        """Tell every screen in the stack that the database changed."""
        self._prefetched.clear()
        self._generation += 1
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    def log_forecast(self, *, question: int | None = None, prefill: Prefill | None = None) -> None:
        chosen = prefill or Prefill(question=question)

        def done(forecast: Forecast | None) -> None:
            if forecast is not None:
                self.last_change = Change("forecast", forecast)
                shown = (
                    percent(forecast.probability)
                    if forecast.probability is not None
                    else ", ".join(percent(p) for p in forecast.probabilities or ())
                )
                self.notify(f"Forecast {shown} logged on question {forecast.question_id}.")
                self.data_changed()

        self._open_kept(
            LogForecastDialog,
            lambda: LogForecastDialog(self.settings, chosen),
            lambda dialog: dialog.present(chosen),
            done,
        )

    def _open_kept(self, kind: type[D], make: Callable[[], D], again: Callable[[D], None], done):
        """Open a dialog the app keeps between uses: built and installed the first time,
        then opened again with ``again`` (composing a form's widgets anew took most of the
        time it took to open)."""
        dialog = self._kept.get(kind)
        if dialog is None:
            dialog = make()
            self._kept[kind] = dialog
            self.install_screen(dialog, name=kind.__name__)
        else:
            again(dialog)
        self.push_screen(dialog, done)

    def resolve_question(self, question_id: int) -> None:
        def done(resolution: Resolution | None) -> None:
            if resolution is not None:
                self.last_change = Change("resolution", resolution)
                self.notify(
                    f"Question {resolution.question_id}: {one_line(resolution.outcome)}.",
                    markup=False,
                )
                self.data_changed()

        self._open_kept(
            ResolveDialog,
            lambda: ResolveDialog(question_id),
            lambda dialog: dialog.present(question_id),
            done,
        )

    def action_new_question(self) -> None:
        def done(question: Question | None) -> None:
            if question is not None:
                self.last_change = Change("question", question)
                self.notify(f"Added question {question.id}.")
                self.data_changed()

        self._open_kept(NewQuestionDialog, NewQuestionDialog, NewQuestionDialog.present, done)

    def edit_question(self, question: Question) -> None:
        def done(edited: Question | None) -> None:
            if edited is not None:
                self.last_change = Change("edit", edited, question)
                self.notify(f"Edited question {edited.id}; the old wording is kept.")
                self.data_changed()

        self.push_screen(EditQuestionDialog(question), done)

    def retract_forecast(self, forecast: Forecast, question: Question) -> None:
        def done(retracted: Forecast | None) -> None:
            if retracted is not None:
                self.last_change = None  # a retraction is kept, not undone
                self.notify(f"Retracted forecast {retracted.id}; it stays in the record.")
                self.data_changed()

        self.push_screen(RetractDialog(forecast, question), done)

    def update_scenarios(
        self, view: ScenarioView, indicator: int, *, then: Callable[[int], None]
    ) -> None:
        """Update a forecaster's scenarios on an indicator (``then`` gets the update's id)."""
        from tui.dialogs.update_scenarios import UpdateScenariosDialog

        def done(update: ScenarioUpdate | None) -> None:
            if update is not None:
                self.last_change = None  # an update is kept in the set's history
                then(update.id)  # type: ignore[arg-type]
                self.notify(
                    f"Update {update.id} kept in the set's history; p logs its posterior "
                    "as the forecaster's forecast."
                )
                self.data_changed()

        self.push_screen(UpdateScenariosDialog(view, indicator), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-posterior")
    def log_posterior(self, update: int) -> None:
        """Log a kept update's posterior as its forecaster's new forecast."""
        forecast = self.repository.log_posterior(update)
        self.call_from_thread(
            self.notify,
            f"Logged forecast {forecast.id}: the posterior of update {update}.",
        )
        self.call_from_thread(self._logged, forecast)

    def _logged(self, forecast: Forecast) -> None:
        self.last_change = Change("forecast", forecast)
        self.data_changed()

    def change_forecaster(self, dialog: type, name: str, names: list[str]) -> None:
        """Rename or merge a forecaster through ``dialog``; ``names`` are offered as the user
        types."""

        def done(forecaster: Forecaster | None) -> None:
            if forecaster is not None:
                self.last_change = None
                self.notify(f"{name} is now {forecaster.name}; the change is in the event log.")
                self.data_changed()

        self.push_screen(dialog(name, [other for other in names if other != name]), done)

    def action_undo(self) -> None:
        """Undo the last change made since the app was opened, by appending its opposite:
        a logged forecast is retracted, an edit reverted by a new revision, a resolution
        re-resolved as it was, a new question withdrawn. Nothing is erased."""
        change = self.last_change
        if change is None:
            self.notify("Nothing to undo since the app was opened.", severity="warning")
            return
        self.last_change = None
        self._undo(change)

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo")
    def _undo(self, change: Change) -> None:
        said = undo(self.repository, change)
        self.call_from_thread(self.notify, said)
        self.call_from_thread(self.data_changed)

    def _current_question(self) -> int | None:
        screen = self.screen
        return screen.current_question() if isinstance(screen, ShowsQuestion) else None

    def action_log_forecast(self) -> None:
        self.log_forecast(question=self._current_question())

    def action_resolve(self) -> None:
        question = self._current_question()
        if question is None:
            self.notify("Open or highlight a question to resolve it.", severity="warning")
            return
        self.resolve_question(question)

    @work(thread=True, exclusive=True, exit_on_error=False, group="tags")
    def pick_tag(self, current: str | None, then: Callable[[str | None], None]) -> None:
        tags = self.repository.tags()

        def chosen(tag: str | None) -> None:
            if tag is not None:
                then(None if tag == ALL_TAGS else tag)

        self.call_from_thread(self.push_screen, TagPicker(tags, current), chosen)

    # Command palette -----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, then every binding of the screen and of the app, so each
        action is in the palette, described by its tooltip, with its key."""
        builtin = list(super().get_system_commands(screen))
        yield from builtin
        seen = {command.title for command in builtin}
        for namespace in (screen, self):
            for binding in namespace.BINDINGS:
                if not isinstance(binding, Binding) or not binding.show or binding.key == "escape":
                    continue
                if binding.description in seen or binding.tooltip in seen:
                    continue
                seen.add(binding.tooltip)
                yield SystemCommand(
                    binding.tooltip,
                    f"{binding.description} (key: {self.get_key_display(binding)})",
                    partial(self.call_later, self.run_action, binding.action, namespace),
                )


def run_app(
    repository: Repository | Opening,
    *,
    settings: Settings | None = None,
    notice: str | None = None,
    log_path: Path | None = None,
    first_page: FirstPage | None = None,
) -> int:
    """Run the app on ``repository`` until the user quits; ``notice`` greets the user.
    Unexpected errors are logged to ``log_path``. Returns the app's exit code: 0, or 1
    when it ended on an error it could not carry on from."""
    app = ForecastApp(repository, settings=settings, notice=notice, first_page=first_page)
    if log_path is not None:
        try:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_path, encoding="utf-8")
        except OSError:
            handler = None  # no log: errors are still shown
        if handler is not None:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logging.getLogger("forecasts").addHandler(handler)
            app.log_path = log_path
    app.run()
    return app.return_code or 0
