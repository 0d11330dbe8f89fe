"""Risks & RAID (key 3): the heatmap, the register, the RAID lists, one risk and its re-score."""

from pgmtui.screens.risks.detail import RiskDetailScreen
from pgmtui.screens.risks.form import RISK_FORM_FIELDS, RiskForm
from pgmtui.screens.risks.rescore import RescoreScreen
from pgmtui.screens.risks.screen import RisksScreen

__all__ = ["RISK_FORM_FIELDS", "RescoreScreen", "RiskDetailScreen", "RiskForm", "RisksScreen"]
