"""Handing a document to the person at the screen: in a browser session (`pgmtui serve`) it is a
download (Textual's `deliver_text`: the file goes to the reader's own machine, nothing lands on the
server's disk); in a terminal it is a private file written safely (`outfiles.write_file`) in the
report folder (`$PGMTUI_REPORT_DIR`, else the current folder).

One helper for every document a screen offers (the highlight report now, the post-programme review
later): build it with `hand_over(caller, build, description=…)`, where `build(store)` runs on a
worker thread and returns a `Document`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pgmtui.outfiles import OutputError, ensure_folder, write_file

if TYPE_CHECKING:
    import pendulum
    from textual.app import SystemCommand
    from textual.message_pump import MessagePump

    from pgmtui.app import PgmApp
    from pgmtui.store import Store

ENV_REPORT_DIR = "PGMTUI_REPORT_DIR"

MIME_TYPES = {
    "html": "text/html",
    "md": "text/markdown",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_NAMES = {"html": "HTML", "md": "Markdown", "json": "JSON"}


@dataclass(frozen=True)
class Document:
    """A document ready to hand over: its file name, its text and what to call it in messages."""

    filename: str
    text: str | bytes  # bytes: a binary document (an Excel workbook)
    title: str

    @property
    def mime_type(self) -> str:
        return MIME_TYPES.get(Path(self.filename).suffix.lstrip("."), "text/plain")


@dataclass(frozen=True)
class Saved:
    """Where a document was written on disk (terminal sessions), or why it could not be."""

    path: Path
    error: str | None = None


def report_folder() -> Path:
    """Where a terminal session writes documents: $PGMTUI_REPORT_DIR, else the current folder."""
    return Path(os.environ.get(ENV_REPORT_DIR) or Path.cwd())


def save_document(document: Document, folder: Path, *, shared: bool = False) -> Saved:
    """Write `document` into `folder` (a temporary file renamed into place; private unless the
    database is shared). A file error is returned, not raised: it becomes a message."""
    path = folder / document.filename
    try:
        write_file(ensure_folder(folder, shared=shared) / document.filename, document.text, shared=shared)
    except OutputError as exc:
        return Saved(path, str(exc))
    return Saved(path)


def highlight_report(today: pendulum.Date, fmt: str = "html") -> Callable[[Store], Document]:
    """A builder of the PRINCE2 highlight report (for `hand_over`)."""

    def build(store: Store) -> Document:
        from pgmtui.report import render
        from pgmtui.services import report_of

        text = render(report_of(store, today), fmt)
        return Document(f"highlight-report-{today.isoformat()}.{fmt}", text, "Highlight report")

    return build


def hand_over(
    app: PgmApp,
    build: Callable[[Store], Document],
    *,
    description: str,
    reply_to: MessagePump | None = None,
) -> None:
    """Build a document off the UI thread and give it to the user: a browser download in a web
    session, a file in the report folder in a terminal. Every outcome is a toast; `reply_to` (the
    screen asking, else the app) gets the answer, so a screen closed meanwhile gets nothing."""
    from pgmtui.screens.contract import StoreJob

    if app.is_web:
        job = StoreJob(build, description, False, lambda document: deliver(app, document), reply_to=reply_to)
    else:
        folder, shared = report_folder(), app.shared

        def build_and_save(store: Store) -> tuple[Document, Saved]:
            document = build(store)
            return document, save_document(document, folder, shared=shared)

        job = StoreJob(
            build_and_save, description, False, lambda result: _saved(app, *result), reply_to=reply_to
        )
    app.submit(job)


def deliver(app: PgmApp, document: Document) -> None:
    """Send `document` to the browser as a download (web sessions only)."""
    if isinstance(document.text, bytes):
        app.deliver_binary(
            io.BytesIO(document.text),
            save_filename=document.filename,
            mime_type=document.mime_type,
            open_method="download",
            name=document.title,
        )
    else:
        app.deliver_text(
            io.StringIO(document.text),
            save_filename=document.filename,
            mime_type=document.mime_type,
            encoding="utf-8",
            open_method="download",
            name=document.title,
        )
    app.notify(f"{document.title}: downloading {document.filename}", title="Download", timeout=6)


def _saved(app: PgmApp, document: Document, saved: Saved) -> None:
    if saved.error is not None:
        app.notify(
            f"Could not write the report ({document.filename}): {saved.error}", severity="error", timeout=8
        )
    else:
        app.notify(f"{document.title} written to {saved.path}", title="Report", timeout=8)


def delivery_failed(app: PgmApp, name: str | None, error: BaseException | None) -> None:
    """A browser download that broke off (the tab closed, the connection dropped)."""
    what = name or "The file"
    app.notify(f"{what} could not be downloaded: {error or 'the browser stopped'}", severity="error")


def report_commands(app: PgmApp) -> Iterator[SystemCommand]:
    """The highlight report in each format, for the command palette on every screen."""
    from textual.app import SystemCommand

    from pgmtui import clock

    verb = "Download" if app.is_web else "Write"
    where = "to your browser" if app.is_web else f"to {report_folder()}"
    for fmt, name in FORMAT_NAMES.items():

        def run(fmt: str = fmt) -> None:
            hand_over(app, highlight_report(clock.today(), fmt), description="Highlight report")

        yield SystemCommand(f"{verb} highlight report ({name})", f"PRINCE2 highlight report {where}", run)
