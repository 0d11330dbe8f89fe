"""RecordTable, the one list widget: columns, change detection, cursor keeping, sorting, opening."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from pgmtui.widgets.cells import Column, Row, column_widths, signature, sort_rows, visible_columns
from pgmtui.widgets.record_table import RecordTable

COLUMNS = (
    Column("code", "Code", width=5),
    Column("title", "Title", flex=True, min_width=8),
    Column("score", "Score", width=5, numeric=True),
    Column("owner", "Owner", max_width=10, min_screen=100),
)


def rows(*specs: tuple[int, str, int]) -> list[Row]:
    return [
        Row(i, {"code": f"R{i}", "title": Text(title), "score": str(score)}, {"score": score})
        for i, title, score in specs
    ]


# ---------------------------------------------------------------------- the Textual-free half


def test_signature_sees_style_and_spans_not_only_text() -> None:
    plain = Text("late")
    red = Text("late", style="red")
    span = Text("late")
    span.stylize("bold", 0, 2)
    assert signature(plain) != signature(red)
    assert signature(plain) != signature(span)
    assert signature(Text("late")) == signature(Text("late"))
    assert signature("late") == signature(Text("late"))  # a str renders as an unstyled Text


def test_widths_fixed_content_and_flex_share_the_rest() -> None:
    data = [Row(1, {"code": "ABCDEFG", "title": "x", "score": "1", "owner": "Asha Patel-Smith"})]
    widths = column_widths(COLUMNS, data, table_width=60)
    # Fixed: as given unless the label is wider ("Score" is 5). Content: capped at max_width.
    assert widths["code"] == 5 and widths["score"] == 5 and widths["owner"] == 10
    # Flex: 60 minus the fixed columns with one space of padding each side: 60 − (7+7+12) − 2 = 32.
    assert widths["title"] == 32
    # The sorted column's label gets " ▼": a fixed width grows to fit it.
    assert column_widths(COLUMNS, data, 60, sort_key="code")["code"] == len("Code ▼")


def test_columns_drop_below_their_screen_width() -> None:
    assert [c.key for c in visible_columns(COLUMNS, 80)] == ["code", "title", "score"]
    assert [c.key for c in visible_columns(COLUMNS, 100)] == ["code", "title", "score", "owner"]


def test_sort_keeps_given_order_for_ties_and_puts_empty_values_last() -> None:
    data = [
        Row(1, {"t": "b"}, {"n": 2}),
        Row(2, {"t": "a"}, {"n": None}),
        Row(3, {"t": "c"}, {"n": 1}),
        Row(4, {"t": "d"}, {"n": 2}),
    ]
    assert [r.id for r in sort_rows(data, "n", False)] == [3, 1, 4, 2]
    assert [r.id for r in sort_rows(data, "n", True)] == [1, 4, 3, 2]  # ties keep their order
    assert [r.id for r in sort_rows(data, "t", False)] == [2, 1, 3, 4]  # by cell text without a sort value


# ---------------------------------------------------------------------- the widget in an app


class TableApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield RecordTable("risk", COLUMNS, id="t")

    def on_record_table_opened(self, event: RecordTable.Opened) -> None:
        self.opened.append((event.kind, event.record_id))


async def test_sync_keeps_cursor_on_its_record_and_repaints_only_changed_rows() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RecordTable)
        table.sync(rows((1, "one", 5), (2, "two", 9), (3, "three", 1)))
        await pilot.pause()
        table.select(2)
        assert table.selected_id == 2
        repainted: list[tuple] = []
        original = table.update_cell

        def spy(row_key, column_key, value, **kw):  # type: ignore[no-untyped-def]
            repainted.append((row_key, column_key))
            return original(row_key, column_key, value, **kw)

        table.update_cell = spy  # type: ignore[method-assign]
        # Same rows, one cell changed only in style: exactly that cell is updated, cursor stays.
        changed = rows((1, "one", 5), (2, "two", 9), (3, "three", 1))
        changed[1] = Row(2, {**changed[1].cells, "title": Text("two", style="bold red")}, {"score": 9})
        table.sync(changed)
        assert repainted == [("2", "title")]
        assert table.selected_id == 2
        # A new record above the cursor: the rows are rebuilt and the cursor follows its record.
        table.sync(rows((4, "four", 3), (1, "one", 5), (2, "two", 9), (3, "three", 1)))
        assert table.order == [4, 1, 2, 3]
        assert table.selected_id == 2
        # The selected record disappears: the cursor stays at the same position.
        table.sync(rows((4, "four", 3), (1, "one", 5), (3, "three", 1)))
        assert table.selected_id == 3


async def test_select_when_present_waits_for_the_record_without_timers() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RecordTable)
        table.sync(rows((1, "one", 5), (2, "two", 9)))
        table.select_when_present(7)  # a record saved a moment ago, not in the model yet
        assert table.selected_id == 1
        table.sync(rows((1, "one", 5), (2, "two", 9)))
        assert table.selected_id == 1
        table.sync(rows((1, "one", 5), (2, "two", 9), (7, "seven", 4)))
        assert table.selected_id == 7
        # Honoured once: a later sync does not pull the cursor back.
        table.select(1)
        table.sync(rows((1, "one", 5), (2, "two", 9), (7, "seven", 4)))
        assert table.selected_id == 1
        await pilot.pause()


async def test_sort_keys_and_header_click_and_enter_opens() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(RecordTable)
        table.focus()
        table.sync(rows((1, "b", 5), (2, "a", 9), (3, "c", 1)))
        await pilot.pause()
        await pilot.press("s")  # first sortable column: code
        assert table.sort_key == "code" and table.order == [1, 2, 3]
        await pilot.press("s")  # next: title
        assert table.sort_key == "title" and table.order == [2, 1, 3]
        await pilot.press("S")  # reversed
        assert table.sort_reverse and table.order == [3, 1, 2]
        table.sort_by("score")  # numbers sort as numbers, not text ("9" > "10")
        assert table.order == [3, 1, 2]
        header = table.get_column_index("score")
        assert "Score ▼" in str(table.ordered_columns[header].label)
        table.select(1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.opened == [("risk", 1)]


def test_wide_characters_are_measured_in_terminal_cells() -> None:
    data = [Row(1, {"code": "x", "title": "t", "score": "1", "owner": "東京都庁"})]
    # Four CJK characters take eight terminal cells (cap 10 not reached).
    assert column_widths(COLUMNS, data, table_width=60)["owner"] == 8


async def test_string_cells_are_shown_literally_not_as_markup() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 10)) as pilot:
        table = app.query_one(RecordTable)
        table.sync([Row(1, {"code": "[b]", "title": "[bold red]x[/]", "score": "1", "owner": "[i]"})])
        await pilot.pause()
        shown = [str(getattr(cell, "plain", cell)) for cell in table.get_row_at(0)]
        assert shown[:2] == ["[b]", "[bold red]x[/]"]
        assert all(isinstance(cell, Text) for cell in table.get_row_at(0))
