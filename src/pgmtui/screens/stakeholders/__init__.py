"""Stakeholders (key 9): the power/interest map, the register, the engagement log, the comms plan
and one stakeholder's profile."""

from pgmtui.screens.stakeholders.screen import StakeholdersScreen

__all__ = ["StakeholdersScreen"]
