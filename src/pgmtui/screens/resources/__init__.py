"""Resources (key 6): the person × week load grid, the allocations behind a cell, levelling."""

from pgmtui.screens.resources.cell import AllocationsScreen
from pgmtui.screens.resources.screen import ResourcesScreen

__all__ = ["AllocationsScreen", "ResourcesScreen"]
