"""What screens share with the app: the question a screen is about, if any, so the app's
own actions (log a forecast, resolve) act on it from any key or the command palette."""

from __future__ import annotations


class ShowsQuestion:
    """A screen that shows or highlights one question at a time."""

    def current_question(self) -> int | None:
        """The id of the question shown or highlighted, None when there is none."""
        raise NotImplementedError
