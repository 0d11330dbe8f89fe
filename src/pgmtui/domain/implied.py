"""The implied forecast: what the dependency network says a project's dates will be when its
suppliers slip, beside the dates entered in its own plan.

A consumer's plan does not move by itself when a supplier slips: its entered forecast stays where
it was although a late dependency says it cannot hold. Here every late dependency pushes its
consumer by the days it is late, all at once (``deps.propagate``: in-project order keeps the
planned gaps, slack absorbs what it can, done milestones do not move). Then, per project:

- a milestone's implied date is its date plus the push it receives;
- the implied end is the entered end (forecast, else baseline) moved by the push its last
  milestone receives (the gap between the last milestone and the end is kept), and never before
  the latest implied milestone date;
- the gap is implied − entered end: > 0 means the entered plan has not caught up with its suppliers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pendulum

from pgmtui.domain.deps import LATE, Network, propagate
from pgmtui.domain.models import Project

__all__ = ["ImpliedForecast", "implied_forecasts"]


@dataclass(frozen=True, slots=True)
class ImpliedForecast:
    project_id: int
    entered_end: pendulum.Date | None  # forecast end, else baseline end
    implied_end: pendulum.Date | None
    gap_days: int  # implied − entered end (0 when the plan already allows for its suppliers)
    milestones: dict[int, tuple[pendulum.Date, pendulum.Date]] = field(default_factory=dict)
    # milestone id → (entered date, implied date), for the milestones the network moves

    @property
    def flagged(self) -> bool:
        return self.gap_days > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "entered_end": self.entered_end.isoformat() if self.entered_end else None,
            "implied_end": self.implied_end.isoformat() if self.implied_end else None,
            "gap_days": self.gap_days,
            "milestones": [
                {"milestone_id": mid, "entered": e.isoformat(), "implied": i.isoformat()}
                for mid, (e, i) in sorted(self.milestones.items())
            ],
        }


def implied_forecasts(network: Network, projects: Iterable[Project]) -> dict[int, ImpliedForecast]:
    """Project id → its implied forecast, for the projects a late dependency moves (others: none)."""
    pushes: dict[int, int] = {}
    for ds in network.dependencies:
        if ds.status == LATE and ds.slack is not None and ds.slack < 0:
            pushes[ds.consumer_id] = max(pushes.get(ds.consumer_id, 0), -ds.slack)
    if not pushes:
        return {}
    impact = propagate(network, pushes)
    moved: dict[int | None, dict[int, tuple[pendulum.Date, pendulum.Date]]] = {}
    for h in impact.hits:
        if h.days > 0:
            entered = h.new_date.subtract(days=h.days)
            moved.setdefault(h.project_id, {})[h.milestone_id] = (entered, h.new_date)
    # Each project's last milestone (latest date, then highest id) in the network.
    last: dict[int | None, tuple[int, int]] = {}
    for i, mid in enumerate(network.ids):
        pid = network.project[i]
        key = (network.finish[i], mid)
        if pid not in last or key > last[pid]:
            last[pid] = key
    out: dict[int, ImpliedForecast] = {}
    for p in projects:
        ms = moved.get(p.id)
        if not ms:
            continue
        entered_end = p.forecast_end or p.baseline_end
        latest = max(i for _, i in ms.values())
        if entered_end is None:
            out[p.id] = ImpliedForecast(p.id, None, latest, 0, ms)
            continue
        last_mid = last.get(p.id, (0, -1))[1]
        end_push = ms[last_mid][1].toordinal() - ms[last_mid][0].toordinal() if last_mid in ms else 0
        implied = max(entered_end.add(days=end_push), latest)
        out[p.id] = ImpliedForecast(
            p.id, entered_end, implied, implied.toordinal() - entered_end.toordinal(), ms
        )
    return out
