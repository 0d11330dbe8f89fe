"""The startup reference: the smallest Textual app that shows one DataTable row.

`bench/run.py` times exec → this row on screen in a real pseudo-terminal, the same way it times
`pgmtui --db large.db` → first project row, so the ratio isolates what pgmtui adds on top of
Python + Textual themselves.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable

READY_TEXT = "BENCH-ROW-1"


class MinimalApp(App):
    def compose(self) -> ComposeResult:
        yield DataTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Code", "Name")
        table.add_row(READY_TEXT, "the only row")


if __name__ == "__main__":
    MinimalApp().run()
