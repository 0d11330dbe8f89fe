"""Glue between the store and the domain: load a consistent snapshot and derive what screens, the
CLI and reports show — one implementation for all of them. Free of textual.

snapshot.py builds the Model (live refresh) and rollups; listing.py is `pgmtui list`; reports.py the
critical path, stand-up and highlight report. An area (finance, resources, …) adds a module here
and re-exports its entry points below."""

from pgmtui.safetext import visible_controls
from pgmtui.services.finance import finance_from, finance_of, finance_text, model_finance
from pgmtui.services.followup import action_listing, candidates_of, link_labeller, me_of, review_of
from pgmtui.services.forecast import implied_json, rollup_with_implied
from pgmtui.services.governance import (
    GovernanceInputError,
    alignment_of,
    business_case_of,
    business_cases_of,
    exception_report_of,
    gate_of,
    governance_of,
)
from pgmtui.services.listing import SUMMARY_COLUMNS, list_rows, summary_columns
from pgmtui.services.reports import (
    REPORT_PERIOD_DAYS,
    critical_path_data,
    critical_path_json,
    critical_path_text,
    report_of,
    rollup_text,
    standup_of,
    standup_window_label,
)
from pgmtui.services.resources import (
    CAPACITY_WEEKS,
    capacity_data,
    capacity_of,
    capacity_text,
    levelling_limits,
    unmatched_owners,
)
from pgmtui.services.snapshot import (
    audit_for,
    audit_rows,
    build_model,
    display_audit,
    load_snapshot,
    near_critical_days,
    network_of,
    read_for_display,
    risk_trends,
    rollup_of,
)
from pgmtui.services.stakeholders import stakeholder_overview, stakeholder_overview_text

__all__ = [
    "CAPACITY_WEEKS",
    "REPORT_PERIOD_DAYS",
    "GovernanceInputError",
    "alignment_of",
    "business_case_of",
    "business_cases_of",
    "exception_report_of",
    "gate_of",
    "governance_of",
    "SUMMARY_COLUMNS",
    "action_listing",
    "audit_for",
    "audit_rows",
    "build_model",
    "capacity_data",
    "capacity_of",
    "capacity_text",
    "candidates_of",
    "critical_path_data",
    "critical_path_json",
    "critical_path_text",
    "display_audit",
    "finance_from",
    "finance_of",
    "finance_text",
    "levelling_limits",
    "implied_json",
    "link_labeller",
    "list_rows",
    "load_snapshot",
    "model_finance",
    "me_of",
    "near_critical_days",
    "network_of",
    "read_for_display",
    "report_of",
    "review_of",
    "risk_trends",
    "rollup_of",
    "rollup_text",
    "rollup_with_implied",
    "stakeholder_overview",
    "stakeholder_overview_text",
    "standup_of",
    "standup_window_label",
    "summary_columns",
    "unmatched_owners",
    "visible_controls",
]
