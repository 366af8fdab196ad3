"""Key bindings written as tables: one row a key, each with the tooltip the footer and the
command palette show, and an id (``owner.action``) for keymaps."""

from __future__ import annotations

from textual.binding import Binding

Row = tuple[str, str, str, str] | tuple[str, str, str, str, bool]


KEYMAP: dict[str, tuple[Row, ...]] = {
    "app": (
        ("q", "quit", "Quit", "Leave forecasts"),
        ("question_mark", "keys", "Keys", "Show every binding"),
        ("a", "new_question", "New question", "Add a question"),
        ("l", "leaderboard", "Leaderboard", "Scores of everyone"),
        ("c", "calibration", "Calibration", "Calibration of everyone"),
        ("s", "sources", "Sources", "Read the sources"),
        ("ctrl+z", "undo", "Undo", "Undo the last change made in this session"),
    ),
    "calibration": (
        ("escape", "app.pop_screen", "Back", "Back"),
        ("e", "everyone", "Everyone", "Calibration of everyone"),
    ),
    "board": (
        ("escape", "app.pop_screen", "Back", "Back"),
        ("b", "cycle_by", "By…", "Group by forecaster, tag or outlet"),
        ("enter", "open", "Open", "The forecaster's page, or the tag's calibration"),
        ("c", "calibration", "Calibration", "Calibration of the row"),
        ("m", "merge", "Merge", "Merge this forecaster into another"),
        ("R", "rename", "Rename", "Rename this forecaster"),
    ),
    "forecaster": (
        ("escape", "app.pop_screen", "Back", "Back to the leaderboard"),
        ("enter", "open", "Open", "Open the question"),
        ("c", "calibration", "Calibration", "This forecaster's calibration"),
        ("n", "app.log_forecast", "Forecast", "Log a forecast on the highlighted question"),
    ),
    "detail": (
        ("escape", "app.pop_screen", "Back", "Back to the questions"),
        ("n", "app.log_forecast", "Forecast", "Log a forecast on this question"),
        ("r", "app.resolve", "Resolve", "Resolve, re-resolve or annul"),
        ("e", "edit", "Edit", "Edit the question (kept as a revision)"),
        ("x", "retract", "Retract", "Retract the highlighted forecast"),
        ("v", "scenarios", "Scenarios", "A scenario set's indicators and updates"),
    ),
    "scenarios": (
        ("escape", "app.pop_screen", "Back", "Back to the question"),
        ("u", "update", "Update", "Update a forecaster's scenarios on the highlighted indicator"),
        ("p", "log", "Posterior", "Log the highlighted update's posterior as their forecast"),
        ("enter", "open", "Open", "Open the highlighted indicator's question"),
        ("n", "app.log_forecast", "Forecast", "Log a forecast on the scenario set"),
    ),
    "update-form": (
        ("escape", "cancel", "Cancel", "Close without updating"),
        ("ctrl+s", "save", "Update", "Update the scenarios (kept in their history)"),
    ),
    "questions": (
        ("enter", "open", "Open", "Open the question"),
        ("n", "app.log_forecast", "Forecast", "Log a forecast"),
        ("r", "app.resolve", "Resolve", "Resolve the question"),
        ("slash", "search", "Search", "Search titles as you type"),
        ("f", "cycle_status", "Status", "Filter by status"),
        ("d", "due", "Due", "Only questions due for resolution"),
        ("t", "pick_tag", "Tag", "Filter by tag"),
        ("o", "cycle_sort", "Sort", "Sort by the next column"),
        ("O", "reverse", "Reverse", "Reverse the order", False),
        ("escape", "clear", "Clear", "Clear search and filters", False),
        ("ctrl+r", "reload", "Reload", "Read the questions again", False),
    ),
    "sources": (
        ("escape", "app.pop_screen", "Back", "Back"),
        ("n", "log_from_span", "Forecast", "Log the highlighted phrase as a sourced judgment"),
        ("a", "add_source", "Add", "Add a source from a saved web page or a text file"),
        ("d", "suggest", "Drafts", "Questions this source's judgments suggest"),
    ),
    "drafts": (("escape", "cancel", "Cancel", "Close the drafts"),),
    "draft-form": (
        ("escape", "cancel", "Cancel", "Close without accepting"),
        ("ctrl+s", "save", "Accept", "Accept the draft: its question and judgments"),
    ),
    "source-form": (
        ("escape", "cancel", "Cancel", "Close without adding"),
        ("ctrl+s", "save", "Add", "Add the source"),
    ),
    "confirm": (
        ("escape", "no", "Back", "Go back without recording"),
        ("y", "yes", "Yes", "Record it"),
    ),
    "tags": (("escape", "cancel", "Cancel", "Keep the current tag"),),
    "log": (
        ("escape", "cancel", "Cancel", "Close without saving"),
        ("ctrl+s", "save", "Save", "Save the forecast"),
        ("ctrl+r", "spread", "Spread", "Spread what is left of 100% over the empty options"),
    ),
    "question": (
        ("escape", "cancel", "Cancel", "Close without saving"),
        ("ctrl+s", "save", "Save", "Save the question"),
    ),
    "forecaster-form": (
        ("escape", "cancel", "Cancel", "Close without changing"),
        ("ctrl+s", "save", "Save", "Save (kept in the event log)"),
    ),
    "edit": (
        ("escape", "cancel", "Cancel", "Close without editing"),
        ("ctrl+s", "save", "Save", "Save the edit (kept as a revision)"),
    ),
    "retract": (
        ("escape", "cancel", "Cancel", "Keep the forecast"),
        ("ctrl+s", "save", "Retract", "Retract it (kept, struck through)"),
    ),
    "resolve": (
        ("escape", "cancel", "Cancel", "Close without resolving"),
        ("ctrl+s", "save", "Resolve", "Resolve (asks to confirm)"),
    ),
}
"""Every key of the app, by the screen or dialog that owns it (``app``: everywhere)."""


def keys(owner: str) -> list[Binding]:
    """The bindings of ``owner`` from its rows of (key, action, description, tooltip[, shown
    in the footer])."""
    bindings = []
    for key, action, description, tooltip, *shown in KEYMAP[owner]:
        name = action.rpartition(".")[2]
        bindings.append(
            Binding(
                key,
                action,
                description,
                show=shown[0] if shown else True,
                tooltip=tooltip,
                id=f"{owner}.{name}",
            )
        )
    return bindings
