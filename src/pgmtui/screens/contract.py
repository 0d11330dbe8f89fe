"""The typed contract between the app and its screens.

`Dashboard` is what a screen may ask of the app (the model, writes, reads, navigation); `PgmApp`
implements it. The app asks screens for things by Message (`OpenRecord`) and through the
`DashboardScreen` protocol, never by looking attributes up with getattr. Store calls made from a
screen come back as `StoreReply` messages, so their callbacks always run on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.message_pump import MessagePump

    from pgmtui.actions import Act
    from pgmtui.model import Model
    from pgmtui.store import Store


@dataclass
class StoreJob:
    """One call into the store made on a worker thread for a screen or form.

    `done(result)` or `failed(error)` runs on the UI thread when the call returns; when the screen
    that asked has closed meanwhile, neither runs (nothing touches a dead screen's widgets).
    `failed=None` means: tell the user in a toast and carry on (the app never exits on a store
    error)."""

    call: Callable[[Store], Any]
    description: str
    write: bool = False
    done: Callable[[Any], None] | None = None
    failed: Callable[[Exception], None] | None = None
    reply_to: MessagePump | None = field(default=None, repr=False)


class StoreReply(Message):
    """The outcome of a StoreJob, delivered to the screen that asked."""

    def __init__(self, job: StoreJob, result: Any = None, error: Exception | None = None) -> None:
        super().__init__()
        self.job = job
        self.result = result
        self.error = error


class OpenRecord(Message):
    """Show this record (sent by the app to the screen that is the record's home)."""

    def __init__(self, kind: str, record_id: int) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id


class Dashboard(Protocol):
    """What screens may use of the app."""

    model: Model | None
    read_only: bool

    def submit(self, job: StoreJob) -> None:
        """Run a store call on a worker thread; the reply goes to `job.reply_to`."""

    def write(
        self,
        change: Callable[[Store], Any],
        *,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        description: str = "save",
    ) -> None:
        """Run a write on a worker thread (callbacks on the UI thread)."""

    def open_record(self, kind: str, record_id: int) -> None:
        """Switch to the record's home screen and show it there."""

    def poke(self) -> None:
        """Ask the live refresh to look for changes now."""


@runtime_checkable
class DashboardScreen(Protocol):
    """What the app asks of a screen (top-level screens and drill-in screens alike)."""

    SCREEN_TITLE: str
    HELP: str

    def actions(self) -> Iterable[Act]:
        """Every action of the screen (its own, then its lists')."""

    def open_record(self, kind: str, record_id: int) -> bool:
        """Show a record of a kind this screen owns; False if it cannot."""

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's actions as command-palette commands (with their live keys)."""

    def show_main_view(self) -> None:
        """Go back to the screen's main view (its number key was pressed)."""
