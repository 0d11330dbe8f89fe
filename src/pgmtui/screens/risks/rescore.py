"""The re-score pop-up (`p` on a risk): inherent and residual probability × impact by keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pgmtui.actions import Act
from pgmtui.domain.risk import DEFAULT_BANDS, residual_pi, score
from pgmtui.domain.riskmap import IMPACT_LABELS, PROBABILITY_LABELS
from pgmtui.model import Model
from pgmtui.records import ConflictError
from pgmtui.screens.base import PgmModal
from pgmtui.widgets.badges import band_badge

if TYPE_CHECKING:
    from pgmtui.store import Store


def _key(act_id: str, key: str, action: str, label: str, help: str = "", footer: bool = False) -> Act:
    return Act(f"rescore.{act_id}", key, action, label, help, footer=footer, palette=False)


class RescoreScreen(PgmModal):
    """Re-score a risk by keyboard: 1–5 sets the highlighted P or I, ←/→ (tab) moves, 0 clears a
    residual value (= same as inherent), enter saves, escape cancels. Dismisses with the risk's id
    when saved, None otherwise."""

    SLOTS = ("probability", "impact", "residual_probability", "residual_impact")
    SLOT_TITLES = ("Inherent P", "Inherent I", "Residual P", "Residual I")

    ACTIONS = (
        *(_key(f"set_{n}", str(n), f"set_value({n})", f"Set {n}") for n in range(1, 6)),
        *(_key(f"out_of_range_{n}", str(n), f"out_of_range({n})", "Out of range") for n in (0, 6, 7, 8, 9)),
        _key("previous", "left,shift+tab", "move(-1)", "Previous", "Highlight the previous value"),
        _key("next", "right,tab", "move(1)", "Next", "Highlight the next value"),
        _key("clear", "backspace,delete", "clear", "Clear residual", "Residual value = the inherent one"),
        _key("save", "enter", "save", "Save", "Save the scores", footer=True),
        _key("save_ctrl_s", "ctrl+s", "save", "Save", "Save the scores"),
        _key("reload", "ctrl+r", "reload", "Reload", "Load the saved scores (after someone else's change)"),
        _key("cancel", "escape", "cancel", "Cancel", "Close without saving", footer=True),
    )

    def __init__(self, risk: dict[str, Any]) -> None:
        super().__init__()
        self.risk = risk
        self.version = risk["version"]
        self.values: dict[str, int | None] = {k: risk.get(k) for k in self.SLOTS}
        self.slot = 2 if risk.get("residual_probability") is not None else 0
        self.saving = False
        self.message = "1–5 sets the highlighted value · ←/→ move · 0 or backspace clears a residual value"
        self.error = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rescore"):
            yield Static(id="rescore-title")
            yield Static(id="rescore-slots")
            yield Static(id="rescore-message")
            yield Static(Text("enter save · escape cancel", style="dim"))

    def on_mount(self) -> None:
        self.watch(self.app, "model", self._model_changed, init=False)
        self._draw()

    def _draw(self) -> None:
        title = Text("Re-score ", style="bold")
        title.append(f"#{self.risk['id']} ")
        title.append(self.risk.get("title") or "")
        self.query_one("#rescore-title", Static).update(title)
        t = Text()
        for n, (slot, label) in enumerate(zip(self.SLOTS, self.SLOT_TITLES, strict=True)):
            value = self.values[slot]
            shown = str(value) if value is not None else ("=" if n >= 2 else "?")
            t.append(f" {label} ")
            t.append(
                f"{'▸' if n == self.slot else ' '}{shown}{'◂' if n == self.slot else ' '}",
                style="reverse bold" if n == self.slot else "bold",
            )
            if n == 1:
                t.append("   ")
        inh = score(self.values["probability"], self.values["impact"])
        res = score(*residual_pi(self.values))
        t.append("\n Inherent ")
        t.append_text(self._score(inh))
        t.append("   →   Residual ")
        t.append_text(self._score(res))
        p, i = residual_pi(self.values)
        if p and i:
            t.append(
                f"\n Residual: {PROBABILITY_LABELS.get(p, '?')} × {IMPACT_LABELS.get(i, '?')}", style="dim"
            )
        self.query_one("#rescore-slots", Static).update(t)
        msg = self.query_one("#rescore-message", Static)
        msg.update(Text(self.message, style="bold red" if self.error else "dim"))

    @staticmethod
    def _score(value: int | None) -> Text:
        if value is None:
            return Text("–")
        band = DEFAULT_BANDS.band(value)
        t = Text(f"{value} ")
        t.append_text(band_badge(band))
        t.append(f" {band}")
        return t

    def _say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error
        self._draw()

    def action_set_value(self, n: int) -> None:
        self.values[self.SLOTS[self.slot]] = n
        self.slot = min(self.slot + 1, len(self.SLOTS) - 1)
        self._say(f"{self.SLOT_TITLES[self.slot - 1] if self.slot else ''} set to {n}".strip())

    def action_out_of_range(self, n: int) -> None:
        self._say(f"{self.SLOT_TITLES[self.slot]} must be from 1 to 5 (got {n}); not changed.", error=True)

    def action_move(self, step: int) -> None:
        self.slot = (self.slot + step) % len(self.SLOTS)
        self._draw()

    def action_clear(self) -> None:
        if self.slot < 2:
            self._say("Inherent P and I are required (1–5); only residual values can be cleared.", error=True)
            return
        self.values[self.SLOTS[self.slot]] = None
        self._say(f"{self.SLOT_TITLES[self.slot]} cleared (falls back to the inherent value).")

    def action_save(self) -> None:
        if self.saving:
            return
        changes = {k: v for k, v in self.values.items() if v != self.risk.get(k)}
        if not changes:
            self.dismiss(None)
            return
        if any(self.values[k] is None for k in self.SLOTS[:2]):
            self._say("Inherent P and I are required (1–5).", error=True)
            return
        self.saving = True
        self._say("Saving…")
        rid, version = self.risk["id"], self.version

        def change(store: Store) -> None:
            store.update("risk", rid, changes, expected_version=version)

        self.write_store(change, description="Re-score", done=lambda _: self._saved(), failed=self._failed)

    def _saved(self) -> None:
        self.saving = False
        self.app.notify(f"Risk #{self.risk['id']} re-scored", timeout=2)
        self.dismiss(self.risk["id"])

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        if isinstance(exc, ConflictError):
            self._say(f"Not saved: {exc}. ctrl+r loads their version.", error=True)
        else:
            self._say(f"Not saved: {exc}", error=True)

    def _model_changed(self, model: Model | None) -> None:
        if model is None or self.saving:
            return
        current = model.row("risk", self.risk["id"])
        if current is None:
            self._say("This risk was deleted by someone else. Escape to close.", error=True)
        elif current["version"] != self.version:
            self._say(
                f"Changed by {current['updated_by']} (version {current['version']}); "
                "ctrl+r loads their scores, saving now would be refused.",
                error=True,
            )

    def action_reload(self) -> None:
        model = self.app.model
        current = model.row("risk", self.risk["id"]) if model else None
        if current is not None:
            self.risk, self.version = current, current["version"]
            self.values = {k: current.get(k) for k in self.SLOTS}
            self._say(f"Loaded version {self.version}.")

    def action_cancel(self) -> None:
        self.dismiss(None)
