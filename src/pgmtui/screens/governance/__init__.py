"""Governance (key 8): alignment, live business cases, the gate calendar and gate readiness."""

from pgmtui.screens.governance.detail import CaseDetailScreen, GateReadinessScreen
from pgmtui.screens.governance.screen import GovernanceScreen

__all__ = ["CaseDetailScreen", "GateReadinessScreen", "GovernanceScreen"]
