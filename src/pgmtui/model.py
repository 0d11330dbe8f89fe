"""The Model: one consistent, immutable picture of the database plus everything derived from it.

Built off the UI thread by `services.build_model` after every write anyone makes; screens render
from it and never query the database for what it already holds. Free of textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pendulum


@dataclass(eq=False, repr=False)
class Model:
    generation: int
    today: pendulum.Date
    programme: dict[str, Any] | None
    tables: dict[str, list[dict[str, Any]]]
    benefit_links: dict[int, list[int]]
    snapshot: Any  # pgmtui.domain.models.Snapshot
    rollup: Any  # pgmtui.domain.rollup.ProgrammeRollup
    critical: Any  # pgmtui.domain.deps.CriticalPath
    risk_trends: dict[int, str] = field(default_factory=dict)  # residual score vs the last stand-up
    risk_trends_inherent: dict[int, str] = field(default_factory=dict)
    load_seconds: float = 0.0
    # Every link table as {owner id: [linked ids]} (store.read_all's "links"), e.g.
    # links["stakeholder_project"]; benefit_links is links["benefit_project"].
    links: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    user: str = ""  # the OS user this session writes as ("my actions": `owner:me`)
    # Project id → pgmtui.domain.implied.ImpliedForecast, for projects a late supplier moves.
    implied: dict[int, Any] = field(default_factory=dict)
    # Rows by id per table (built off the UI thread by build_model, shared between Models while
    # a table is unchanged); a table missing here is indexed on first use.
    indexes: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    # The newest audit row's id when the tables were read: the weekly trend rewinds this very
    # picture through the audit rows up to it (services.trend.trend_of(base=model)).
    audit_mark: int | None = None

    def __repr__(self) -> str:
        # Short on purpose: Textual's @work describes a worker by repr()-ing its arguments, and the
        # dataclass repr of a large programme's tables took 0.7 s on the UI thread.
        return f"Model(generation={self.generation}, today={self.today})"

    def trends(self, basis: str = "residual") -> dict[int, str]:
        """Risk trend marks for the score a view positions by ("residual" or "inherent")."""
        return self.risk_trends_inherent if basis == "inherent" else self.risk_trends

    @property
    def programme_name(self) -> str:
        return (self.programme or {}).get("name") or ""

    @property
    def programme_overridden(self) -> bool:
        return bool((self.programme or {}).get("rag_override"))

    def _by_id(self, kind: str) -> dict[int, dict[str, Any]]:
        found = self.indexes.get(kind)
        if found is None:
            found = self.indexes[kind] = {r["id"]: r for r in self.tables.get(kind, [])}
        return found

    def rows(self, kind: str) -> list[dict[str, Any]]:
        if kind == "programme":
            return [self.programme] if self.programme else []
        return self.tables.get(kind, [])

    def row(self, kind: str, row_id: int | None) -> dict[str, Any] | None:
        if row_id is None:
            return None
        if kind == "programme":
            return self.programme if self.programme and self.programme["id"] == row_id else None
        found = self._by_id(kind).get(row_id)
        if found is not None and kind == "benefit":
            found = {**found, "projects": self.benefit_links.get(row_id, [])}
        elif found is not None and kind == "stakeholder":
            found = {**found, "projects": self.links.get("stakeholder_project", {}).get(row_id, [])}
        return found

    def project_code(self, project_id: int | None) -> str:
        project = self._by_id("project").get(project_id) if project_id is not None else None
        return project["code"] if project else ""

    def ref_label(self, kind: str, row_id: int | None) -> str:
        """How a reference is typed in forms and the CLI: a project's or objective's code,
        CODE:milestone, a benefit's, person's or stakeholder's name; else the id."""
        if row_id is None:
            return ""
        row = self._by_id(kind).get(row_id)
        if row is None:
            return str(row_id)
        if kind in ("project", "objective"):
            return row["code"]
        if kind == "milestone":
            return f"{self.project_code(row['project_id'])}:{row['name']}"
        if kind in ("benefit", "person", "stakeholder"):
            return row["name"]
        return str(row_id)

    def link_label(self, value: str | None) -> str:
        """A stored link (`kind:id`, an action's `about`) as it is typed: `project:IAM`, `issue:3`."""
        if not value:
            return ""
        kind, _, ref = value.partition(":")
        return f"{kind}:{self.ref_label(kind, int(ref)) if ref.isdigit() else ref}"

    def ref_choices(self, kind: str) -> list[str]:
        return [self.ref_label(kind, r["id"]) for r in self.tables.get(kind, [])]
