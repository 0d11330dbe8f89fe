"""Dependencies (key 2): the board, the knock-on of a slip, the critical path and the matrix.

screen.py        the screen: views in a switcher, filters, what-if, editing (Textual)
keys.py          its actions (keys, footer, palette, help)
view.py          the board: DepRow, filters, grouping, rows, the summary line (Textual-free)
critical.py      the critical path rows and the milestone panel (Textual-free)
matrix.py        the project × project matrix and its panel (Textual-free)
whatif.py        the knock-on of a dependency and the what-if nudge (Textual-free)
prepared.py      rows built once per layout, reused for unchanged records (Textual-free)
matrix_table.py  the matrix grid widget; panel.py the knock-on panel widget
"""

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
