"""Portfolio (key 1) and the project detail it opens."""

from pgmtui.screens.portfolio.project import ProjectDetailScreen
from pgmtui.screens.portfolio.screen import PortfolioScreen
from pgmtui.screens.portfolio.view import PROJECT_FORM_FIELDS, evidence_text

__all__ = ["PROJECT_FORM_FIELDS", "PortfolioScreen", "ProjectDetailScreen", "evidence_text"]
