"""RecordTable groups: rows with a `Row.group` stay together under any sort, and the group's label
shows beside the first row of each group (the dependency board grouped by project uses it)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from pgmtui.widgets.cells import Column, Row, group_labels, grouped, sort_within_groups
from pgmtui.widgets.record_table import RecordTable
from tests.ui.helpers import screen_text

COLUMNS = (Column("name", "Name"), Column("days", "Days", numeric=True))


def rows(grouping: bool = True) -> list[Row]:
    # two groups, in this order: IAM (ids 1, 2), then CLD (ids 3, 4)
    data = [(1, "alpha", 9, "IAM"), (2, "bravo", 2, "IAM"), (3, "charlie", 5, "CLD"), (4, "delta", 1, "CLD")]
    return [
        Row(i, {"name": Text(name), "days": str(d)}, {"days": d}, group=Text(g) if grouping else None)
        for i, name, d, g in data
    ]


def test_groups_keep_their_order_and_sort_inside() -> None:
    assert [[r.id for r in g] for g in grouped(rows())] == [[1, 2], [3, 4]]
    # by days: IAM 2 < 9, CLD 1 < 5; IAM still first
    assert [r.id for r in sort_within_groups(rows(), "days", reverse=False)] == [2, 1, 4, 3]
    assert [r.id for r in sort_within_groups(rows(), "days", reverse=True)] == [1, 2, 3, 4]
    # a group that comes back later joins its first run
    mixed = [rows()[0], rows()[2], rows()[1]]
    assert [[r.id for r in g] for g in grouped(mixed)] == [[1, 2], [3]]


def test_labels_on_the_first_row_of_each_group() -> None:
    labels = group_labels(rows())
    assert [label.plain if label is not None else None for label in labels] == ["IAM", "", "CLD", ""]
    assert group_labels(rows(grouping=False)) == [None] * 4
    assert group_labels([Row(1, {}, group="DAT")])[0].style == "bold"  # a plain str label is bold


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield RecordTable("thing", COLUMNS, id="things")


async def test_the_table_shows_group_labels_and_sorts_within_groups() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(RecordTable)
        table.sync(rows())
        table.focus()
        await pilot.pause()
        shown = [line.split() for line in screen_text(pilot).splitlines()[1:5]]
        assert shown == [["IAM", "alpha", "9"], ["bravo", "2"], ["CLD", "charlie", "5"], ["delta", "1"]]
        table.select(3)
        await pilot.press("s", "s")  # sort by Name, then by Days
        assert table.sort_key == "days"
        assert table.order == [2, 1, 4, 3]
        assert table.selected_id == 3  # the cursor stays on its record
        await pilot.pause()
        assert screen_text(pilot).splitlines()[1].split() == ["IAM", "bravo", "2"]
        # grouping off: the label column goes, the user's sort applies across the whole list
        table.sync(rows(grouping=False))
        await pilot.pause()
        assert table.order == [4, 2, 3, 1]
        assert screen_text(pilot).splitlines()[1].split() == ["delta", "1"]
        assert table.selected_id == 3
