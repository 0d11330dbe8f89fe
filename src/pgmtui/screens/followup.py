"""Follow-through from any screen: `a` makes an action about the record under the cursor (a short
form: type the title, ctrl+s), `u` undoes this session's last change and says what came back, and
the post-programme review as a document to hand over."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pgmtui.records import KINDS
from pgmtui.screens.downloads import Document
from pgmtui.screens.risks.followup_view import ACTION_FORM_FIELDS, action_defaults, record_name

if TYPE_CHECKING:
    import pendulum

    from pgmtui.app import PgmApp
    from pgmtui.domain.undo import UndoStep
    from pgmtui.screens.base import PgmScreen
    from pgmtui.store import Store

__all__ = ["new_action_about", "review_document", "undo_last"]


def new_action_about(screen: PgmScreen, record: tuple[str, int] | None) -> None:
    """`a`: the action form about `record` (kind, id), pre-filled: about it, its project, its owner
    (or you), due in a week. Only the title is left to type."""
    from pgmtui.screens.forms import RecordForm

    model = screen.model
    if record is None or model is None or record[0] not in KINDS:
        screen.notify("Put the cursor on a record (a row of a list) to add an action about it.", timeout=4)
        return
    kind, record_id = record
    if model.row(kind, record_id) is None:
        screen.notify(f"{kind} #{record_id} is not in the database (deleted?)", severity="warning")
        return
    title = f"New action about {record_name(model, kind, record_id)}"
    form = RecordForm(
        "action", fields=ACTION_FORM_FIELDS, defaults=action_defaults(model, kind, record_id), title=title
    )
    screen.app.push_screen(form)


def undo_last(app: PgmApp) -> None:
    """`u`: undo the last change this session made (not undone yet), and say what came back."""

    def done(steps: list[UndoStep]) -> None:
        if not steps:
            app.notify(
                "Nothing to undo: this session has made no change yet (`pgmtui undo` reverts earlier ones).",
                timeout=5,
            )
            return
        for step in steps:
            app.notify(step.text(), title="Undone", timeout=8)

    def failed(exc: Exception) -> None:
        app.notify(str(exc), title="Not undone", severity="error", timeout=10)

    app.write(lambda store: store.undo_session_last(), done=done, failed=failed, description="Undo")


def review_document(today: pendulum.Date, fmt: str = "html") -> Callable[[Store], Document]:
    """A builder of the post-programme review (for `downloads.hand_over`)."""

    def build(store: Store) -> Document:
        from pgmtui.reviewdoc import render
        from pgmtui.services import review_of

        text = render(review_of(store, today), fmt)
        return Document(f"post-programme-review-{today.isoformat()}.{fmt}", text, "Post-programme review")

    return build
