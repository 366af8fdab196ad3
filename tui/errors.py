"""Errors stay visible and the app stays alive: a failed worker, or an unexpected error in a
handler, becomes an error notification and a line in the log, never a dead screen or an app
that dies saying nothing.

Worker state messages do not bubble, so every screen and dialog that runs workers mixes
:class:`ReportsWorkerErrors` in; it also guards the screen's own handlers.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any

from textual.worker import Worker, WorkerState

LOG = logging.getLogger("forecasts.tui")


def report_unexpected(owner: Any, error: BaseException) -> None:
    """Log ``error`` with its traceback, keep it on the app (tests assert there is none) and
    show it as an error notification."""
    app = owner.app
    LOG.error("unexpected error in %s", type(owner).__name__, exc_info=error)
    app.unexpected_errors.append(error)
    where = f" (details in {app.log_path})" if getattr(app, "log_path", None) else ""
    app.notify(
        f"Something went wrong: {type(error).__name__}: {error}{where}. The app carries on.",
        title="Unexpected error",
        severity="error",
        markup=False,
        timeout=10,
    )


class GuardsHandlers:
    """An exception escaping one of this node's handlers (a key's action, a message) is
    reported instead of ending the app: Textual would otherwise stop the node's message loop
    and exit. Mixed in before the Textual class."""

    async def _dispatch_message(self, message: Any) -> Any:
        try:
            return await super()._dispatch_message(message)  # type: ignore[misc]
        except CancelledError:
            raise
        except Exception as error:  # the app must survive its own bugs
            report_unexpected(self, error)
            return None


class ReportsWorkerErrors(GuardsHandlers):
    """Turns a worker that ended in an exception into an error notification."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.app.notify(  # type: ignore[attr-defined]
                str(error) or type(error).__name__, title="Error", severity="error", markup=False
            )
