"""Records as scripts want them (`pgmtui list`): references as codes/names beside their ids,
computed columns added. Free of textual."""

from __future__ import annotations

from typing import Any

from pgmtui.domain.risk import DEFAULT_BANDS, inherent_score, residual_score
from pgmtui.records.fields import KINDS, column_for
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
        "organisation",
        "power",
        "interest",
        "attitude",
        "target_attitude",
        "owner",
        "projects",
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


def list_rows(store: Store, kind: str) -> list[dict[str, Any]]:
    """Rows as scripts want them: references shown as codes/names beside their ids (a link
    `about`/`source` as stored, `kind:id`, and as `about_label`, e.g. `project:IAM`), link lists
    as names, risk scores added."""
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
        if kind == "business_case":
            row["case"] = row["project"] or "programme"
        if kind == "risk":
            row["score"] = inherent_score(row)
            row["residual_score"] = residual_score(row)
            row["band"] = DEFAULT_BANDS.band(row["residual_score"])
        out.append(row)
    return out
