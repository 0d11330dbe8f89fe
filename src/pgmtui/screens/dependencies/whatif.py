"""The knock-on of a slip and the what-if nudge: what moves downstream when a dependency is late or
a supplier (or milestone) is nudged by a few days. Nothing here writes. Free of textual.

The panel under every view shows these lines for the selection: the board's selected dependency
(`dependency_panel`), the critical path's milestone (`critical.milestone_panel`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text

from pgmtui.domain.deps import LATE, Impact, Network, propagate
from pgmtui.model import Model
from pgmtui.screens.dependencies.view import DepRow, fmt_date, slack_text, status_badge
from pgmtui.widgets.badges import literal
from pgmtui.widgets.format import days

VIA = {"push": "moved", "dependency": "dependency", "sequence": "in-project order"}
WHAT_IF_STYLE = "bold #5dade2"

Target = tuple[str, int]  # ("dependency", id) or ("milestone", id): what a nudge moves


@dataclass(frozen=True)
class WhatIf:
    """A nudge of `days` on one target. It belongs to the selection: select something else and it
    is gone (`follow`), so a what-if never silently applies to another record."""

    target: Target | None = None
    days: int = 0

    def follow(self, target: Target | None) -> WhatIf:
        """The nudge for `target` now selected: kept if it is the same target, else none."""
        return self if target == self.target else WhatIf(target, 0)

    def nudged(self, target: Target, delta: int) -> WhatIf:
        """`delta` days more on `target` (starting from 0 when it was on something else)."""
        return WhatIf(target, self.follow(target).days + delta)

    def reset(self) -> WhatIf:
        return WhatIf(self.target, 0)


def dependency_pushes(r: DepRow, nudge: int) -> tuple[dict[int, int], int | None]:
    """What to propagate for a dependency: the supplier nudged, and the consumer re-planned to
    honour the dependency if it is (or would be) late. Returns (pushes, slack after the nudge)."""
    pushes: dict[int, int] = {}
    nudge = 0 if r.supplier_done else nudge
    if nudge:
        pushes[r.supplier_id] = nudge
    new_slack = None if r.slack is None else r.slack - nudge
    if new_slack is not None and new_slack < 0 and not r.supplier_done:
        pushes[r.consumer_id] = -new_slack
    return pushes, new_slack


def impact_lines(
    model: Model, impact: Impact, lead: Text, why: Mapping[int, str] | None = None
) -> list[Text]:
    """`lead` + programme end + projects pushed on one line, then each milestone moved (largest
    move first) with what moved it. `why` names the reason for milestones pushed directly."""
    t = lead.copy()
    t.append("end ", style="bold")
    if impact.end_change_days:
        t.append(f"{fmt_date(impact.end_before, False)} → {fmt_date(impact.end_after, False)} ")
        t.append(
            f"({days(impact.end_change_days)})",
            style="bold red" if impact.end_change_days > 0 else "bold green",
        )
    else:
        t.append(f"unchanged ({fmt_date(impact.end_before, False)})")
    projects = sorted(
        ((model.project_code(pid) or "?", d) for pid, d in impact.projects.items() if d),
        key=lambda x: (-abs(x[1]), x[0]),
    )
    if projects:
        t.append(" · pushes ", style="bold")
        t.append_text(literal(", ".join(f"{code} {days(d)}" for code, d in projects)))
    lines = [t]
    hits = sorted(impact.hits, key=lambda h: (-h.days, h.new_date, h.milestone_id))
    if not hits:
        lines.append(Text("  Nothing downstream moves.", style="dim"))
    for h in hits:
        t = Text("  ")
        t.append(f"{days(h.days):>5} ", style="bold")
        t.append_text(literal(model.ref_label("milestone", h.milestone_id)))
        t.append(f" → {h.new_date.isoformat()}")
        via = VIA.get(h.via, h.via)
        if h.via == "push":
            via = (why or {}).get(h.milestone_id, via)
        if h.cause_id is not None:
            t.append_text(Text(f"  ({via} from {model.ref_label('milestone', h.cause_id)})", style="dim"))
        else:
            t.append(f"  ({via})", style="dim")
        lines.append(t)
    return lines


def dependency_panel(model: Model, network: Network, r: DepRow, nudge: int = 0) -> list[Text]:
    """The selected dependency: both ends, dates, slack, and its knock-on — what moves if its
    consumer re-plans to honour it (when late) or if the supplier slips by `nudge` days."""
    lines: list[Text] = []
    t = Text(f"#{r.id} ", style="bold")
    t.append_text(literal(r.supplier))
    t.append(" → ", style="bold")
    t.append_text(literal(r.consumer))
    t.append(f" · {r.type_lag}")
    if r.owner:
        t.append(" · ")
        t.append_text(literal(r.owner))
    lines.append(t)
    t = Text("Forecast ")
    t.append(fmt_date(r.forecast, False), style="bold")
    t.append(" (delivered)" if r.supplier_done else "")
    t.append(", needed by ")
    t.append(fmt_date(r.need_by, False), style="bold")
    t.append(": ")
    t.append_text(status_badge(r.status))
    t.append(" slack ")
    t.append_text(slack_text(r.slack))
    fl = model.critical.floats.get(r.supplier_id)
    if fl is not None and not r.supplier_done:
        t.append(f" · supplier float {days(fl, signed=False)}")
    lines.append(t)
    implied = model.implied.get(r.consumer_project) if r.consumer_project is not None else None
    if implied is not None and implied.flagged:
        # The network's date for the consumer beside the one its plan states: the gap is flagged.
        t = Text("⚠ ", style="bold")
        t.append_text(literal(r.consumer_code))
        t.append(" implied end ")
        t.append(fmt_date(implied.implied_end, False), style="bold")
        t.append(f" vs entered forecast {fmt_date(implied.entered_end, False)} ")
        t.append(f"({days(implied.gap_days)})", style="bold red")
        lines.append(t)
    if r.supplier_done:
        lines.append(Text("The supplier has delivered (actual date): nothing left to knock on.", style="dim"))
        return lines
    if r.slack is None:
        lines.append(Text("A milestone has no date yet: no slack to work out.", style="dim"))
        return lines
    pushes, new_slack = dependency_pushes(r, nudge)
    if nudge:
        lead = Text()
        lead.append_text(Text(f"What if {r.supplier_code} moves {days(nudge)}", style=WHAT_IF_STYLE))
        lead.append(" (not saved): slack ")
        lead.append_text(slack_text(new_slack))
        lead.append(" · ")
    elif r.status == LATE:
        lead = Text()
        lead.append(f"Late {-r.slack}d", style="bold")
        lead.append_text(literal(f"; if {r.consumer_code} re-plans to honour it: "))
    else:
        lead = Text("")
    if not pushes:
        t = lead.copy()
        t.append(f"No knock-on: a supplier slip of up to {max(new_slack or 0, 0)}d is absorbed")
        if fl is not None:
            t.append(f"; the programme end moves after {fl - nudge}d" if fl > nudge else "")
        t.append(". + / - test a slip.", style="dim")
        lines.append(t)
        return lines
    why = {r.supplier_id: "what-if", r.consumer_id: "re-planned to honour it"}
    lines.extend(impact_lines(model, propagate(network, pushes), lead, why))
    return lines


def milestone_knock_on(model: Model, network: Network, milestone_id: int, nudge: int) -> list[Text]:
    """What moves if one milestone slips by `nudge` days (not saved)."""
    lead = Text()
    lead.append(f"What if it moves {days(nudge)}", style=WHAT_IF_STYLE)
    lead.append(" (not saved): ")
    return impact_lines(model, propagate(network, {milestone_id: nudge}), lead, {milestone_id: "what-if"})
