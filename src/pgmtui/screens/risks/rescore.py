"""The re-score pop-up (`p` on a risk): inherent or residual probability × impact by keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pgmtui import clock
from pgmtui.actions import Act
from pgmtui.domain.risk import DEFAULT_BANDS, residual_pi, score
from pgmtui.domain.riskmap import (
    IMPACT_LABELS,
    PROBABILITY_LABELS,
    RISK_REVIEW_CADENCE_DAYS,
    SCORE_FIELDS,
    next_review_date,
    review_overdue,
)
from pgmtui.model import Model
from pgmtui.records import ConflictError
from pgmtui.screens.base import PgmModal
from pgmtui.widgets.badges import band_badge

if TYPE_CHECKING:
    from pgmtui.store import Store


def _key(act_id: str, key: str, action: str, label: str, help: str = "", footer: bool = False) -> Act:
    return Act(f"rescore.{act_id}", key, action, label, help, footer=footer, palette=False)


class RescoreScreen(PgmModal):
    """Re-score a risk by keyboard. It asks first which score is re-scored (`i` inherent, `r`
    residual) and then always starts on that score's probability; 1–5 sets the highlighted value,
    ←/→ (tab) move between P and I of that score only (never wrapping round to the other score),
    0 or backspace clears a residual value (= same as inherent), `m` moves an overdue review date
    to today + the review cadence in the same write, enter saves (asking again when residual would
    exceed inherent), escape cancels. Only the chosen score is ever written, and only when it
    changed. Dismisses with the risk's id when saved, None otherwise."""

    SLOTS = SCORE_FIELDS  # probability, impact, residual_probability, residual_impact
    SLOT_TITLES = ("Inherent P", "Inherent I", "Residual P", "Residual I")
    PAIRS = {"inherent": (0, 1), "residual": (2, 3)}

    ACTIONS = (
        _key("inherent", "i", "choose('inherent')", "Inherent", "Re-score the inherent P × I", footer=True),
        _key("residual", "r", "choose('residual')", "Residual", "Re-score the residual P × I", footer=True),
        *(_key(f"set_{n}", str(n), f"set_value({n})", f"Set {n}") for n in range(1, 6)),
        *(_key(f"out_of_range_{n}", str(n), f"out_of_range({n})", "Out of range") for n in (0, 6, 7, 8, 9)),
        _key("previous", "left,shift+tab", "move(-1)", "Previous", "Highlight P of the score (no wrap)"),
        _key("next", "right,tab", "move(1)", "Next", "Highlight I of the score (no wrap)"),
        _key("clear", "backspace,delete", "clear", "Clear residual", "Residual value = the inherent one"),
        _key("review", "m", "toggle_review", "Move review", "Move an overdue review date to today + cadence"),
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
        self.which: str | None = None  # "inherent" or "residual", asked first
        self.slot = 0
        self.saving = False
        self.confirm_above = False  # enter pressed once with residual above inherent
        self.today = clock.today()
        self.review_overdue = review_overdue(risk, self.today)
        self.new_review = next_review_date(self.today).isoformat()
        self.move_review = self.review_overdue  # offered, on by default: re-scoring is reviewing
        self.message = "Re-score which score?  i inherent · r residual"
        self.error = False

    def compose(self) -> ComposeResult:
        with Vertical(id="rescore"):
            yield Static(id="rescore-title")
            yield Static(id="rescore-slots")
            yield Static(id="rescore-review")
            yield Static(id="rescore-message")
            yield Static(Text("i inherent · r residual · enter save · escape cancel", style="dim"))

    def on_mount(self) -> None:
        self.watch(self.app, "model", self._model_changed, init=False)
        self._draw()

    def _draw(self) -> None:
        title = Text("Re-score ", style="bold")
        title.append(f"#{self.risk['id']} ")
        title.append(self.risk.get("title") or "")
        self.query_one("#rescore-title", Static).update(title)
        t = Text()
        chosen = self.PAIRS.get(self.which or "", ())
        for n, (slot, label) in enumerate(zip(self.SLOTS, self.SLOT_TITLES, strict=True)):
            value = self.values[slot]
            shown = str(value) if value is not None else ("=" if n >= 2 else "?")
            here = n == self.slot and n in chosen
            t.append(f" {label} ", style="" if n in chosen or not chosen else "dim")
            t.append(
                f"{'▸' if here else ' '}{shown}{'◂' if here else ' '}",
                style="reverse bold" if here else "bold",
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
        review = Text()
        if self.review_overdue:
            review.append(f" Review date {self.risk.get('review_date')} is overdue. ", style="bold")
            review.append(f"[{'x' if self.move_review else ' '}] move it to {self.new_review}", style="bold")
            review.append(f" (today + {RISK_REVIEW_CADENCE_DAYS} days) · m toggles", style="dim")
        self.query_one("#rescore-review", Static).update(review)
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

    def action_choose(self, which: str) -> None:
        """Choose the score to re-score; the other one goes back to its saved values, so it can
        never be changed by mistake."""
        self.which = which
        for k in self.SLOTS:
            if self.SLOTS.index(k) not in self.PAIRS[which]:
                self.values[k] = self.risk.get(k)
        self.slot = self.PAIRS[which][0]  # always probability first
        self.confirm_above = False
        hint = " · 0 or backspace clears" if which == "residual" else ""
        self._say(f"Re-scoring the {which} score: 1–5 sets the highlighted value · ←/→ P or I{hint}")

    def _chosen(self) -> bool:
        if self.which is None:
            self._say("Choose first: i re-scores the inherent score, r the residual one.", error=True)
            return False
        return True

    def action_set_value(self, n: int) -> None:
        if not self._chosen():
            return
        label = self.SLOT_TITLES[self.slot]
        self.values[self.SLOTS[self.slot]] = n
        self.slot = min(self.slot + 1, self.PAIRS[self.which or "inherent"][1])
        self.confirm_above = False
        self._say(f"{label} set to {n}")

    def action_out_of_range(self, n: int) -> None:
        if not self._chosen():
            return
        self._say(f"{self.SLOT_TITLES[self.slot]} must be from 1 to 5 (got {n}); not changed.", error=True)

    def action_move(self, step: int) -> None:
        if not self._chosen():
            return
        first, last = self.PAIRS[self.which or "inherent"]
        target = self.slot + step
        if not first <= target <= last:  # never wraps round to the other score
            edge = "last" if step > 0 else "first"
            self._say(f"{self.SLOT_TITLES[self.slot]} is the {edge} value of the {self.which} score.")
            return
        self.slot = target
        self._draw()

    def action_clear(self) -> None:
        if not self._chosen():
            return
        if self.slot < 2:
            self._say("Inherent P and I are required (1–5); only residual values can be cleared.", error=True)
            return
        self.values[self.SLOTS[self.slot]] = None
        self.confirm_above = False
        self._say(f"{self.SLOT_TITLES[self.slot]} cleared (falls back to the inherent value).")

    def action_toggle_review(self) -> None:
        if not self.review_overdue:
            self._say(f"The review date ({self.risk.get('review_date') or 'none'}) is not overdue.")
            return
        self.move_review = not self.move_review
        self._say(
            f"The review date moves to {self.new_review}."
            if self.move_review
            else f"The review date stays {self.risk.get('review_date')}."
        )

    def changes(self) -> dict[str, Any]:
        """What enter would write: the chosen score's values that changed, and the moved review date."""
        pair = self.PAIRS.get(self.which or "", ())
        out: dict[str, Any] = {
            k: self.values[k]
            for n, k in enumerate(self.SLOTS)
            if n in pair and self.values[k] != self.risk.get(k)
        }
        if self.review_overdue and self.move_review:
            out["review_date"] = self.new_review
        return out

    def action_save(self) -> None:
        if self.saving or not self._chosen():
            return
        changes = self.changes()
        if not any(k in self.SLOTS for k in changes) and "review_date" not in changes:
            self.app.notify(
                f"Risk #{self.risk['id']}: the {self.which} score is unchanged; nothing saved.", timeout=3
            )
            self.dismiss(None)
            return
        if any(self.values[k] is None for k in self.SLOTS[:2]):
            self._say("Inherent P and I are required (1–5).", error=True)
            return
        inh = score(self.values["probability"], self.values["impact"]) or 0
        res = score(*residual_pi(self.values)) or 0
        if res > inh and not self.confirm_above:
            self.confirm_above = True
            self._say(
                f"Residual {res} is above inherent {inh}: the response would make the risk worse. "
                "enter again saves anyway; change a value or escape to go back.",
                error=True,
            )
            return
        self.saving = True
        self._say("Saving…")
        rid, version = self.risk["id"], self.version

        def change(store: Store) -> None:
            store.update("risk", rid, changes, expected_version=version)

        self.write_store(change, description="Re-score", done=lambda _: self._saved(), failed=self._failed)

    def _saved(self) -> None:
        self.saving = False
        moved = f"; next review {self.new_review}" if self.review_overdue and self.move_review else ""
        self.app.notify(f"Risk #{self.risk['id']} re-scored{moved}", timeout=2)
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
            self.review_overdue = review_overdue(current, self.today)
            self.move_review = self.review_overdue
            self.confirm_above = False
            self._say(f"Loaded version {self.version}.")

    def action_cancel(self) -> None:
        self.dismiss(None)
