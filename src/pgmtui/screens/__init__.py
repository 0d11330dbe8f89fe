"""One package (or module) per screen. Top-level screens are registered in pgmtui.app.TOP_SCREENS."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pgmtui.actions import Act


def all_screen_actions() -> list[Act]:
    """Every action any screen, modal or list defines (imports every screen module): what a user
    keymap may name, and what the help's "all actions" list shows."""
    from pgmtui.screens.base import NAVIGATION, PgmModal, PgmScreen
    from pgmtui.widgets.record_table import RecordTable

    for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
        importlib.import_module(info.name)
    out: dict[str, Act] = {a.id: a for a in (*NAVIGATION, *RecordTable.ACTIONS)}
    pending: list[type] = [PgmScreen, PgmModal]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for act in cls.__dict__.get("ACTIONS", ()):
            out.setdefault(act.id, act)
    return list(out.values())
