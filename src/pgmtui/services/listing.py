"""Records as scripts want them (`pgmtui list`): references as codes/names beside their ids,
computed columns added. Free of textual."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pendulum

from pgmtui import clock
from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score
from pgmtui.records.fields import KINDS, column_for
from pgmtui.services.stakeholders import communication_columns, stakeholder_columns
from pgmtui.store import Store

# ---------------------------------------------------------------------- listing (CLI `list`)

SUMMARY_COLUMNS: dict[str, list[str]] = {
    "programme": ["id", "name", "manager", "start_date", "end_date", "currency", "version"],
    "project": [
        "id",
        "code",
        "name",
        "manager",
        "stage",
        "baseline_end",
        "forecast_end",
        "percent_complete",
        "version",
    ],
    "milestone": [
        "id",
        "project",
        "name",
        "baseline_date",
        "forecast_date",
        "actual_date",
        "is_gate",
        "version",
    ],
    "dependency": ["id", "supplier", "consumer", "type", "lag_days", "owner", "version"],
    "risk": [
        "id",
        "project",
        "title",
        "probability",
        "impact",
        "score",
        "residual_score",
        "band",
        "status",
        "version",
    ],
    "issue": ["id", "project", "title", "owner", "status", "priority", "due_date", "version"],
    "assumption": ["id", "project", "title", "owner", "status", "due_date", "version"],
    "decision": ["id", "project", "title", "owner", "status", "due_date", "version"],
    "benefit": [
        "id",
        "name",
        "kind",
        "owner",
        "baseline_value",
        "target_value",
        "target_date",
        "projects",
        "version",
    ],
    "measurement": ["id", "benefit", "date", "value", "version"],
    "person": ["id", "name", "role", "team", "capacity_pct", "email", "version"],
    "allocation": ["id", "person", "project", "milestone", "start_date", "end_date", "percent", "version"],
    "cost": ["id", "project", "month", "category", "planned", "actual", "forecast", "version"],
    "change_request": [
        "id",
        "project",
        "title",
        "cost_impact",
        "schedule_impact_days",
        "funding",
        "status",
        "decided_date",
        "version",
    ],
    "objective": ["id", "code", "name", "owner", "weight", "version"],
    "contribution": ["id", "objective", "project", "benefit", "strength", "version"],
    "business_case": [
        "id",
        "case",
        "discount_rate_pct",
        "horizon_years",
        "base_date",
        "annual_running_cost",
        "chosen_option",
        "version",
    ],
    "gate_review": ["id", "milestone", "review_date", "outcome", "decision", "version"],
    "stakeholder": [
        "id",
        "name",
        "power",
        "interest",
        "attitude",
        "owner",
        "quadrant",
        "last_engaged",
        "overdue",
        "version",
    ],
    "engagement": ["id", "stakeholder", "date", "channel", "next_action", "next_date", "by", "version"],
    "communication": [
        "id",
        "audience",
        "message",
        "channel",
        "frequency_days",
        "owner",
        "next_due",
        "due_status",
        "version",
    ],
    "action": [
        "id",
        "title",
        "owner",
        "due_date",
        "status",
        "project",
        "about_label",
        "done_date",
        "version",
    ],
    "lesson": ["id", "title", "category", "project", "source_label", "raised_by", "date", "version"],
}


def summary_columns(kind: str) -> list[str]:
    return SUMMARY_COLUMNS[kind]


# How a record of each kind is named in references (`project=IAM`, `person=Asha Patel`); kinds not
# listed are named by their id.
_NAMED_BY = {
    "project": "code",
    "objective": "code",
    "benefit": "name",
    "person": "name",
    "stakeholder": "name",
}


def reference_labels(tables: dict[str, list[dict[str, Any]]]) -> dict[str, dict[int, Any]]:
    """{kind: {id: what a reference to it is written as}}: a project's code, a milestone's
    CODE:name, a benefit's, person's or stakeholder's name, an objective's code; else the id."""
    labels: dict[str, dict[int, Any]] = {}
    for name in KINDS:
        rows = tables.get(name, [])
        column = _NAMED_BY.get(name)
        labels[name] = {r["id"]: r[column] if column else r["id"] for r in rows}
    projects = labels["project"]
    labels["milestone"] = {
        m["id"]: f"{projects.get(m['project_id'], '?')}:{m['name']}" for m in tables.get("milestone", [])
    }
    return labels


def link_label(labels: dict[str, dict[int, Any]], value: str | None) -> str | None:
    """A stored link `kind:id` as it would be typed with names: `project:IAM`, `issue:3`."""
    if not value:
        return None
    kind, _, ref = value.partition(":")
    shown = labels.get(kind, {}).get(int(ref)) if ref.isdigit() else None
    return f"{kind}:{ref if shown is None else shown}"


def _risk_scores(rows: list[dict[str, Any]], raw: Mapping[str, Any], today: pendulum.Date) -> None:
    for row in rows:
        row["score"] = inherent_score(row)
        row["residual_score"] = residual_score(row)
        row["band"] = DEFAULT_BANDS.band(row["residual_score"])


def _case_label(rows: list[dict[str, Any]], raw: Mapping[str, Any], today: pendulum.Date) -> None:
    for row in rows:
        row["case"] = row["project"] or "programme"


# Computed columns per kind: a function given the listed rows (references already shown by name),
# the store's read_all and today, which adds its columns to each row in place. An area adds its
# kind's entry here (e.g. a stakeholder's quadrant and whether their engagement is overdue).
ComputedColumns = Callable[[list[dict[str, Any]], Mapping[str, Any], pendulum.Date], None]
COMPUTED_COLUMNS: dict[str, ComputedColumns] = {
    "risk": _risk_scores,
    "business_case": _case_label,
    "stakeholder": stakeholder_columns,
    "communication": communication_columns,
}


def list_rows(store: Store, kind: str) -> list[dict[str, Any]]:
    """Rows as scripts want them: references shown as codes/names beside their ids (a link
    `about`/`source` as stored, `kind:id`, and as `about_label`, e.g. `project:IAM`), link lists
    as names, computed columns added (COMPUTED_COLUMNS: risk scores, a stakeholder's quadrant…)."""
    raw = store.read_all()
    tables = raw["tables"]
    if kind == "programme":
        return [raw["programme"]] if raw["programme"] else []
    labels = reference_labels(tables)
    out = []
    for row in tables[kind]:
        row = dict(row)
        for f in KINDS[kind].fields:
            if f.type == "ref":
                ref_id = row.get(column_for(f))
                row[f.name] = None if ref_id is None else labels[f.ref].get(ref_id)
            elif f.type == "refs":
                table = KINDS[kind].links[f.name][0]
                row[f.name] = [labels[f.ref].get(i) for i in raw["links"][table].get(row["id"], [])]
            elif f.type == "link":
                row[f"{f.name}_label"] = link_label(labels, row.get(f.name))
            elif f.type == "bool":
                row[f.name] = bool(row.get(f.name))
        out.append(row)
    computed = COMPUTED_COLUMNS.get(kind)
    if computed is not None:
        computed(out, raw, clock.today())
    return out
