"""Dependencies (key 2): the board, the knock-on of a slip, the critical path and the matrix."""

from pgmtui.screens.dependencies.matrix import build_matrix
from pgmtui.screens.dependencies.screen import DependenciesScreen, critical_data
from pgmtui.screens.dependencies.view import DepRow, board_rows, matches, status_badge
from pgmtui.screens.dependencies.whatif import dependency_pushes

__all__ = [
    "DepRow",
    "DependenciesScreen",
    "board_rows",
    "build_matrix",
    "critical_data",
    "dependency_pushes",
    "matches",
    "status_badge",
]
