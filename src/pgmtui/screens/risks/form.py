"""Changing a risk: its form, and the e / p / c / d actions the risks screen and the risk detail share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.widgets import Select

from pgmtui.records.fields import OPPORTUNITY_RESPONSES, THREAT_RESPONSES, kind_named
from pgmtui.screens.base import PgmScreen
from pgmtui.screens.forms import RecordForm, confirm_delete
from pgmtui.screens.risks.rescore import RescoreScreen
from pgmtui.screens.risks.view import toggle_status

if TYPE_CHECKING:
    from pgmtui.store import Store

RISK_FORM_FIELDS = kind_named("risk").names


class RiskForm(RecordForm):
    """The risk form: the response list follows the risk's kind (threat vs opportunity responses)."""

    _response_choices: tuple[str, ...] | None = None

    def on_mount(self) -> None:  # RecordForm.on_mount also runs (Textual dispatches along the MRO)
        self._fit_responses()

    @on(Select.Changed, "#field-kind")
    def _kind_changed(self) -> None:
        self._fit_responses()

    def _fit_responses(self) -> None:
        kind = self.query_one("#field-kind", Select).value
        response = self.query_one("#field-response", Select)
        choices = OPPORTUNITY_RESPONSES if kind == "opportunity" else THREAT_RESPONSES
        if self._response_choices == choices:
            return
        self._response_choices = choices
        current = response.value
        response.set_options([(c, c) for c in choices])
        if current in choices:
            response.value = current


class RiskEditingScreen(PgmScreen):
    """Edit, re-score, close/reopen and delete one risk: what the risks screen (on the selected
    risk) and the risk detail (on its risk) both do."""

    def _risk_row(self, rid: int | None) -> dict[str, Any] | None:
        model = self.model
        return model.row("risk", rid) if (model is not None and rid is not None) else None

    def edit_risk(self, rid: int | None, after: Callable[[Any], None] | None = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            self.app.push_screen(RiskForm("risk", risk, fields=RISK_FORM_FIELDS), after)

    def rescore_risk(self, rid: int | None, after: Callable[[Any], None] | None = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            self.app.push_screen(RescoreScreen(risk), after)

    def close_reopen_risk(self, rid: int | None) -> None:
        risk = self._risk_row(rid)
        model = self.model
        if risk is None or model is None:
            return
        changes, verb = toggle_status("risk", risk, model.today)
        risk_id, version = risk["id"], risk["version"]

        def change(store: Store) -> None:
            store.update("risk", risk_id, changes, expected_version=version)

        self.write_store(
            change,
            description=f"Close/reopen risk #{risk_id}",
            done=lambda _: self.app.notify(f"Risk #{risk_id} {verb}", timeout=2),
        )

    def delete_risk(self, rid: int | None, after: Callable[[], None] | None = None) -> None:
        risk = self._risk_row(rid)
        if risk is not None:
            confirm_delete(
                self,
                "risk",
                risk,
                f"#{rid}",
                detail=f"“{risk.get('title')}”. Closing (c) keeps it in the register; the audit trail keeps "
                "the deletion.",
                after=after,
            )
