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
}


def summary_columns(kind: str) -> list[str]:
    return SUMMARY_COLUMNS[kind]


def list_rows(store: Store, kind: str) -> list[dict[str, Any]]:
    """Rows as scripts want them: references shown as codes/names beside their ids, risk scores added."""
    raw = store.read_all()
    tables = raw["tables"]
    if kind == "programme":
        return [raw["programme"]] if raw["programme"] else []
    projects = {p["id"]: p["code"] for p in tables["project"]}
    milestones = {m["id"]: f"{projects.get(m['project_id'], '?')}:{m['name']}" for m in tables["milestone"]}
    benefits = {b["id"]: b["name"] for b in tables["benefit"]}
    labels = {"project": projects, "milestone": milestones, "benefit": benefits}
    out = []
    for row in tables[kind]:
        row = dict(row)
        for f in KINDS[kind].fields:
            if f.type == "ref":
                row[f.name] = labels[f.ref].get(row.get(column_for(f)))
            elif f.type == "refs":
                row[f.name] = [projects.get(p) for p in raw["benefit_links"].get(row["id"], [])]
            elif f.type == "bool":
                row[f.name] = bool(row.get(f.name))
        if kind == "risk":
            row["score"] = inherent_score(row)
            row["residual_score"] = residual_score(row)
            row["band"] = DEFAULT_BANDS.band(row["residual_score"])
        out.append(row)
    return out
