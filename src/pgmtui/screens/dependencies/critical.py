"""Critical path view (`c`): the chain of milestones that sets the programme end, then every other
milestone by float, and the panel for the selected milestone. The figures are those of
`pgmtui critical-path --json` (`screen.critical_data` gives that JSON from the model). Free of
textual."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

import pendulum
from rich.text import Text

from pgmtui.domain.deps import Network
from pgmtui.model import Model
from pgmtui.screens.dependencies.prepared import SORT_MARK, Prepared, TableView, prepare
from pgmtui.screens.dependencies.view import (
    STATUS_GLYPH,
    STATUS_STYLE,
    DepRow,
    clip,
    default_order,
    fmt_date,
)
from pgmtui.screens.dependencies.whatif import milestone_knock_on
from pgmtui.widgets.badges import literal
from pgmtui.widgets.cells import Column, Row
from pgmtui.widgets.format import days

PATH_STYLE = "bold white on #8e44ad"

# Every column as wide as its widest value; the view cuts milestone names to what the width leaves.
CRITICAL_COLUMNS = (
    Column("mark", "", sortable=False),
    Column("float", "Float"),
    Column("date", "Date"),
    Column("project", "Proj"),
    Column("milestone", "Milestone"),
)


def critical_mark(on_path: bool, category: str) -> Text:
    """`◆ path` on the chain, `● crit` (float ≤ 0) and `▲ near` (within the threshold) off it."""
    if on_path:
        return Text("◆ path", style=PATH_STYLE)
    if category == "critical":
        return Text("● crit", style=STATUS_STYLE["late"])
    if category == "near-critical":
        return Text("▲ near", style=STATUS_STYLE["at risk"])
    return Text("")


def milestone_name_width(width: int, sorted_by_column: bool = False) -> int:
    """What the mark (6), float (6), date (9, or 10 from 100 columns) and project (6) columns
    leave of the terminal for the milestone name: 5 columns padded a space each side, 3 cells of
    scrollbar and edges, 2 for the sort mark when sorted; at least 16."""
    date_w = 9 if width < 100 else 10
    mark = SORT_MARK if sorted_by_column else 0
    return max(16, width - (6 + 6 + date_w + 6) - 2 * 5 - 3 - mark)


def critical_order(model: Model) -> list[int]:
    """The chain in order, then every other milestone with a float, least float first."""
    cp = model.critical
    chain = [m for m in cp.chain if model.row("milestone", m)]
    on_path = set(chain)
    rest = sorted((m for m in cp.floats if m not in on_path), key=lambda i: (cp.floats[i], i))
    return [*chain, *rest]


def prepare_critical(
    model: Model, width: int, sorted_by_column: bool = False, previous: Prepared | None = None
) -> Prepared:
    """Every milestone's row in critical order (see `critical_order`) for a terminal width,
    reusing the previous row of a milestone whose figures did not change."""
    cp = model.critical
    short = width < 100
    name_w = milestone_name_width(width, sorted_by_column)
    on_path = set(cp.chain)

    def maker(mid: int, code: str, m: dict[str, Any]) -> Callable[[], Row]:
        def make() -> Row:
            fl = cp.floats.get(mid)
            date = m["actual_date"] or m["forecast_date"] or m["baseline_date"]
            cells = {
                "mark": critical_mark(mid in on_path, cp.category(mid)),
                "float": Text(
                    days(fl, signed=False) if fl is not None else "–", style="bold" if (fl or 0) <= 0 else ""
                ),
                "date": Text(fmt_date(date, short) + ("✓" if m["actual_date"] else "")),
                "project": literal(code),
                "milestone": clip(("◆ " if m["is_gate"] else "") + m["name"], name_w),
            }
            sort = {"float": fl, "date": date or None, "project": code, "milestone": m["name"].lower()}
            return Row(mid, cells, sort)

        return make

    def sources() -> Iterator[tuple[Hashable, Callable[[], Row]]]:
        for mid in critical_order(model):
            m = model.row("milestone", mid)
            if m is None:
                continue
            code = model.project_code(m["project_id"])
            # everything the row shows: an equal source reuses the row
            source = (
                mid,
                mid in on_path,
                cp.category(mid),
                cp.floats.get(mid),
                m["actual_date"],
                m["forecast_date"],
                m["baseline_date"],
                code,
                m["name"],
                bool(m["is_gate"]),
            )
            yield source, maker(mid, code, m)

    return prepare((width, sorted_by_column), CRITICAL_COLUMNS, sources(), previous)


def critical_table(
    model: Model,
    width: int,
    project: str = "",
    query: str = "",
    *,
    sorted_by_column: bool = False,
    prepared: Prepared | None = None,
) -> TableView:
    """The critical view: columns fitted to every milestone, and the rows narrowed to a project
    code and to the filter's plain words (`field:value` words are the board's, ignored here).
    `prepared` is the last result's: its rows are reused for unchanged milestones."""
    prepared = prepare_critical(model, width, sorted_by_column, prepared)
    words = [w for w in query.lower().split() if ":" not in w]
    rows = []
    for row in prepared.rows.values():
        code = row.sort["project"]
        if project and code != project:
            continue
        if words and not all(w in f"{code}:{row.sort['milestone']}".lower() for w in words):
            continue
        rows.append(row)
    return TableView(prepared.columns, rows, prepared)


def milestone_panel(
    model: Model, network: Network, milestone_id: int, deps: Iterable[DepRow], nudge: int = 0
) -> list[Text]:
    """The selected milestone: its float and what that means, the dependencies it feeds and
    needs, and what a nudge of `nudge` days would knock on."""
    m = model.row("milestone", milestone_id)
    if m is None:
        return [Text("This milestone was deleted.", style="dim")]
    cp = model.critical
    lines: list[Text] = []
    t = Text()
    t.append_text(literal(model.ref_label("milestone", milestone_id)))
    fl = cp.floats.get(milestone_id)
    if fl is not None:
        t.append(f" · float {days(fl, signed=False)} ", style="bold")
        t.append_text(critical_mark(milestone_id in cp.chain, cp.category(milestone_id)))
    lines.append(t)
    date = m["actual_date"] or m["forecast_date"] or m["baseline_date"]
    t = Text(f"{'Actual' if m['actual_date'] else 'Forecast'} ")
    t.append(fmt_date(date, False), style="bold")
    if m["baseline_date"] and date:
        slip = (pendulum.Date.fromisoformat(date) - pendulum.Date.fromisoformat(m["baseline_date"])).days
        t.append(f" · baseline {m['baseline_date']} ({days(slip)})")
    if fl is not None and fl > 0:
        t.append(f" · can slip {fl}d before the programme end moves")
    elif fl == 0:
        t.append(" · any slip moves the programme end")
    elif fl is not None:
        t.append(f" · {-fl}d behind the date its successors need")
    lines.append(t)
    deps = list(deps)
    feeds = [r for r in deps if r.supplier_id == milestone_id]
    needs = [r for r in deps if r.consumer_id == milestone_id]
    for title, group, other_end in (("Feeds ", feeds, "consumer"), ("Needs ", needs, "supplier")):
        if not group:
            continue
        t = Text(title, style="bold")
        for k, r in enumerate(sorted(group, key=default_order)):
            if k:
                t.append(", ")
            t.append(STATUS_GLYPH.get(r.status, "?"), style=STATUS_STYLE.get(r.status, ""))
            t.append(" ")
            t.append_text(literal(r.consumer if other_end == "consumer" else r.supplier))
            t.append(f" ({days(r.slack)})" if r.slack is not None else "")
        lines.append(t)
    if m["actual_date"]:
        lines.append(Text("Delivered (actual date): it no longer moves.", style="dim"))
        return lines
    if not nudge:
        lines.append(
            Text("+ / - (] / [ a week) to test a slip of this milestone; nothing is saved.", style="dim")
        )
        return lines
    lines.extend(milestone_knock_on(model, network, milestone_id, nudge))
    return lines
