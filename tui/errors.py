"""Failed workers become visible errors. Worker state messages do not bubble, so every
screen and dialog that runs workers mixes this in; the app keeps running."""

from __future__ import annotations

from textual.worker import Worker, WorkerState


class ReportsWorkerErrors:
    """Turns a worker that ended in an exception into an error notification."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.app.notify(  # type: ignore[attr-defined]
                str(error) or type(error).__name__, title="Error", severity="error", markup=False
            )
