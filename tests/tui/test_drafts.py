"""Questions from a source in the app: the drafts open from the reader, a draft that may
already be asked goes onto the stored question by default, and a new question's refusals
show beside their fields until it is accepted whole."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Select, SelectionList, Static, TextArea

from forecasts.text import RAISED_BY_INTENTION
from tests.tui.test_flows import press, running, settle
from tui.dialogs.drafts import NEW, AcceptDraftDialog, DraftPicker
from tui.screens.sources import SourcesScreen

HERALD = "herald-deployment-formalised-2025-04-28"


def error(dialog, line: str) -> str:
    shown = dialog.query_one(f"#err-{line}", Static)
    return "" if "hidden" in shown.classes else str(shown.render())


async def open_drafts(app, pilot, repository, key: str = HERALD) -> None:
    await press(app, pilot, "s")
    screen = app.screen
    assert isinstance(screen, SourcesScreen)
    herald = repository.source(ref=key)
    listing = screen.query_one("#sources-list", DataTable)
    listing.move_cursor(row=[s.id for s in screen.sources].index(herald.id))
    await settle(app, pilot)
    await press(app, pilot, "d")
    assert isinstance(app.screen, DraftPicker)


async def test_a_draft_already_asked_goes_on_the_stored_question(seeded) -> None:
    before = len(seeded.forecasts(question=1))
    async with running(seeded) as (app, pilot):
        await open_drafts(app, pilot, seeded)
        picker = app.screen.query_one(OptionList)
        assert picker.option_count >= 10
        await press(app, pilot, "enter")  # draft 1: Kim at the Victory Day parade
        dialog = app.screen
        assert isinstance(dialog, AcceptDraftDialog)
        assert dialog.query_one("#draft-target", Select).value == "1"
        assert "hidden" in dialog.query_one("#draft-title").classes  # no new question asked
        chosen = dialog.query_one("#draft-judgments", SelectionList).selected
        assert chosen == [1, 2, 3]
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, SourcesScreen)
    # the seed corpus has these three judgments on question 1 already: nothing is doubled
    assert len(seeded.forecasts(question=1)) == before


async def test_a_new_question_is_accepted_once_its_fields_are_complete(seeded) -> None:
    questions = len(seeded.list_questions())
    async with running(seeded) as (app, pilot):
        await open_drafts(app, pilot, seeded)
        drafts = app.screen.drafts
        draft = next(d for d in drafts if d.close_on is None)
        number = draft.number
        app.screen.query_one(OptionList).highlighted = number - 1
        await press(app, pilot, "enter")
        dialog = app.screen
        target = dialog.query_one("#draft-target", Select)
        assert target.value == (str(draft.matches[0][0]) if draft.matches else NEW)
        target.value = NEW  # a new question, though one like it is stored
        await pilot.pause()
        assert "hidden" not in dialog.query_one("#draft-title").classes
        await press(app, pilot, "ctrl+s")
        assert error(dialog, "close") == f"is needed: draft {number} names no deadline"
        dialog.query_one("#draft-close", Input).value = "2025-12-31"
        await press(app, pilot, "ctrl+s")
        assert "square brackets" not in error(dialog, "criteria")
        assert error(dialog, "criteria").startswith("still has [brackets] to complete")
        dialog.query_one("#draft-criteria", TextArea).text = "Yes if officials say so."
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, SourcesScreen)
    assert len(seeded.list_questions()) == questions + 1
    newest = max((s.question for s in seeded.list_questions()), key=lambda q: q.id)
    assert newest.criteria == "Yes if officials say so."
    logged = seeded.forecasts(question=newest.id)
    assert len(logged) == len(drafts[number - 1].judgments)
    assert all(f.quote and f.source_id == seeded.source(ref=HERALD).id for f in logged)


async def test_a_draft_a_stated_intention_raises_can_only_be_a_new_question(seeded) -> None:
    """Trump "expressed interest in meeting Kim": no chance is judged, so nothing can be
    attached to the stored APEC question; the dialog shows what raised the draft and the
    question that may ask it already, and accepting makes the question alone."""
    questions = len(seeded.list_questions())
    async with running(seeded) as (app, pilot):
        await open_drafts(app, pilot, seeded, "kim-beijing-parade-report-2025-08-28")
        picker = app.screen
        draft = next(d for d in picker.drafts if "Trump" in d.title)
        option = picker.query_one(OptionList)
        assert "a stated intention" in str(option.get_option_at_index(draft.number - 1).prompt)
        option.highlighted = draft.number - 1
        await press(app, pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, AcceptDraftDialog)
        target = dialog.query_one("#draft-target", Select)
        assert target.value == NEW and len(target._options) == 1
        assert "hidden" in dialog.query_one("#draft-judgments").classes
        said = "\n".join(str(s.render()) for s in dialog.query(Static))
        apec = next(i for i, title in dialog.titles.items() if "APEC" in title)
        assert "Raised by 'expressed interest in'" in said
        assert f"Asked already? question {apec}: " in said
        dialog.query_one("#draft-close", Input).value = "2025-10-31"
        dialog.query_one("#draft-criteria", TextArea).text = "Yes if they meet in person."
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, SourcesScreen)
        told = " ".join(str(n.message) for n in app._notifications)
    assert len(seeded.list_questions()) == questions + 1
    newest = max((s.question for s in seeded.list_questions()), key=lambda q: q.id)
    assert newest.title == draft.title and seeded.forecasts(question=newest.id) == []
    assert f"Created question {newest.id}: {RAISED_BY_INTENTION}" in told
