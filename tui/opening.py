"""Opening the database behind the app's first frame. Loading the full database layer
(SQLAlchemy and the repository) takes about half a second; the app draws its first screen
without it, reads the first page of questions with SQLite alone, and opens the repository in
a thread once the first frame is up. Anything that needs the repository before then waits
for it; a failure to open it is raised to whatever asks, once it asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.repository import Repository


class Opening:
    """The repository, opened once, in a thread, by ``open_repository``."""

    def __init__(self, open_repository: Callable[[], Repository]) -> None:
        self._open = open_repository
        self._done = threading.Event()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None
        self._repository: Repository | None = None
        self._error: BaseException | None = None

    @classmethod
    def opened(cls, repository: Repository) -> Opening:
        """An opening already done: the repository is at hand."""
        opening = cls(lambda: repository)
        opening._repository = repository
        opening._done.set()
        return opening

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def start(self) -> None:
        """Begin opening the repository in a thread (once; later calls do nothing)."""
        with self._started:
            if self._thread is None and not self._done.is_set():
                self._thread = threading.Thread(
                    target=self._run, name="forecasts-open", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        try:
            self._repository = self._open()
        except BaseException as exc:  # handed to whoever asks for the repository
            self._error = exc
        finally:
            self._done.set()
        import forecasts.scoring  # noqa: F401  (numpy, which a question's screen scores with)

    def repository(self) -> Repository:
        """The repository, waiting for it to open (starting the opening if need be)."""
        self.start()
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._repository is not None
        return self._repository
