"""Implied forecasts (what the dependency network says a consumer's dates will be when its
suppliers slip) for the CLI's JSON: added keys only, existing keys never change. Free of textual."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pendulum

from pgmtui.domain.implied import ImpliedForecast, implied_forecasts
from pgmtui.domain.rollup import rollup
from pgmtui.services.snapshot import load_snapshot, network_of

if TYPE_CHECKING:
    from pgmtui.store import Store

__all__ = ["implied_json", "rollup_with_implied"]


def implied_json(implied: ImpliedForecast, code: str) -> dict[str, Any]:
    return {"project": code, **implied.to_json(), "flagged": implied.flagged}


def rollup_with_implied(store: Store, today: pendulum.Date) -> dict[str, Any]:
    """`pgmtui rollup --json`: the rollup, each project with an added "implied_forecast" (null when
    no late supplier moves it) and the programme with "implied_forecasts" (those with a gap)."""
    _, snapshot = load_snapshot(store, fields_only=True)
    implied = implied_forecasts(network_of(snapshot), snapshot.projects)
    data = rollup(snapshot, today).to_json()
    codes = {p.id: p.code for p in snapshot.projects}
    for project in data["projects"]:
        found = implied.get(project["id"])
        project["implied_forecast"] = implied_json(found, project["code"]) if found else None
    data["programme"]["implied_forecasts"] = [
        implied_json(f, codes.get(pid, "")) for pid, f in sorted(implied.items()) if f.flagged
    ]
    return data
