"""The roadmap drawn: project codes in a fixed column on the left, the time axis scrolled to a window
on the right, a milestone cursor. ↑/↓ (j/k) move between projects, ←/→ between a project's
milestones, enter opens the milestone; the screen scrolls the window (h/l, t) and zooms (+/-)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from pgmtui.screens.dependencies.roadmap import Roadmap, axis_line, lane_line


class RoadmapView(Widget, can_focus=True):
    DEFAULT_CSS = """
    RoadmapView { height: 1fr; }
    """

    BINDINGS = [
        Binding("up,k", "move_lane(-1)", "Up", show=False),
        Binding("down,j", "move_lane(1)", "Down", show=False),
        Binding("left", "move_mark(-1)", "Earlier milestone", show=False),
        Binding("right", "move_mark(1)", "Later milestone", show=False),
        Binding("enter", "open", "Open", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another milestone (or the roadmap changed under it)."""

    class Opened(Message):
        def __init__(self, milestone_id: int) -> None:
            super().__init__()
            self.milestone_id = milestone_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.roadmap: Roadmap | None = None
        self.selected: int | None = None  # milestone id under the cursor
        self.lane = 0  # the cursor's lane (a lane may have no milestones)
        self.first_column = 0  # the window's left edge on the axis
        self._top = 0  # first lane shown
        self._to_today = False  # scroll to today once the widget has its width

    # ------------------------------------------------------------------ geometry

    @property
    def label_width(self) -> int:
        lanes = self.roadmap.lanes if self.roadmap else ()
        return min(10, max((len(lane.code) for lane in lanes), default=4) + 2)

    @property
    def window(self) -> int:
        """Columns of the axis shown."""
        return max(1, (self.size.width or 80) - self.label_width)

    def _clamp(self) -> None:
        if self.roadmap is None:
            return
        last = max(0, self.roadmap.axis.columns - self.window)
        self.first_column = max(0, min(self.first_column, last))

    # ------------------------------------------------------------------ the roadmap

    def show(self, roadmap: Roadmap, *, keep_day: bool = False) -> None:
        """Show a new layout; the cursor stays on its milestone (or lane). `keep_day`: a zoom keeps
        the day in the middle of the window there."""
        old = self.roadmap
        middle = old.axis.day(self.first_column + self.window // 2) if old is not None else None
        self.roadmap = roadmap
        if old is None:
            self._to_today = True
        elif keep_day and middle is not None:
            self.first_column = roadmap.axis.column(middle) - self.window // 2
        if self.selected is not None and roadmap.lane_of(self.selected) is None:
            self.selected = None
        if self.selected is None:
            self.lane = min(self.lane, max(0, len(roadmap.lanes) - 1))
            self._select_near(self.lane, roadmap.today_column)
        else:
            self.lane = roadmap.lane_of(self.selected) or 0
        if keep_day:
            self._follow_cursor()
        self._clamp()
        self.refresh()
        self.post_message(self.Highlighted())

    def scroll_by(self, columns: int) -> None:
        self.first_column += columns
        self._clamp()
        self.refresh()

    def scroll_by_window(self, fraction: float) -> None:
        """h / l: a quarter of the window at a time."""
        self.scroll_by(round(self.window * fraction) or (1 if fraction > 0 else -1))

    def scroll_to_today(self) -> None:
        """Today a third of the way across the window."""
        if self.roadmap is not None:
            self.first_column = self.roadmap.today_column - self.window // 3
            self._clamp()
            self.refresh()

    def _select_near(self, lane: int, column: int) -> None:
        if self.roadmap is None or not self.roadmap.lanes:
            self.selected = None
            return
        marks = self.roadmap.lanes[lane].marks
        self.selected = (
            min(marks, key=lambda m: (abs(m.column - column), m.column)).milestone_id if marks else None
        )

    def _cursor_column(self) -> int:
        mark = self.roadmap.mark(self.selected) if (self.roadmap and self.selected is not None) else None
        return mark.column if mark is not None else self.first_column + self.window // 3

    def _follow_cursor(self) -> None:
        """Scroll so that the selected milestone is in the window."""
        column = self._cursor_column()
        if column < self.first_column:
            self.first_column = column - 2
        elif column >= self.first_column + self.window:
            self.first_column = column - self.window + 3
        self._clamp()

    # ------------------------------------------------------------------ keys

    def action_move_lane(self, step: int) -> None:
        if self.roadmap is None or not self.roadmap.lanes:
            return
        column = self._cursor_column()
        self.lane = max(0, min(len(self.roadmap.lanes) - 1, self.lane + step))
        self._select_near(self.lane, column)
        self._moved()

    def action_move_mark(self, step: int) -> None:
        if self.roadmap is None or not self.roadmap.lanes:
            return
        marks = self.roadmap.lanes[self.lane].marks
        if not marks:
            return
        ids = [m.milestone_id for m in marks]
        at = ids.index(self.selected) if self.selected in ids else -1 if step > 0 else len(ids)
        self.selected = ids[max(0, min(len(ids) - 1, at + step))]
        self._moved()

    def _moved(self) -> None:
        self._follow_cursor()
        self.refresh()
        self.post_message(self.Highlighted())

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Opened(self.selected))

    # ------------------------------------------------------------------ drawing

    def _rows(self) -> list[tuple[Text, int | None]]:
        """(label, lane index) for each row under the axis: group headings (None) and lanes."""
        roadmap = self.roadmap
        assert roadmap is not None
        rows: list[tuple[Text, int | None]] = []
        group = None
        for i, lane in enumerate(roadmap.lanes):
            if roadmap.grouping != "none" and lane.group != group:
                group = lane.group
                rows.append((Text(group, style="bold underline", no_wrap=True), None))
            style = "reverse" if i == self.lane and self.has_focus else "bold" if i == self.lane else ""
            rows.append((Text(lane.code, style=style, no_wrap=True), i))
        return rows

    def render(self) -> Text:
        roadmap = self.roadmap
        if roadmap is None:
            return Text("Loading the roadmap…", style="dim")
        if not roadmap.lanes:
            return Text("No projects yet.", style="dim")
        if self._to_today and self.size.width:
            self._to_today = False
            self.first_column = roadmap.today_column - self.window // 3
        self._clamp()
        width, label_width = self.window, self.label_width
        left, right = self.first_column, self.first_column + width
        lines: list[Text] = []
        more_left = "◀" if left > 0 else " "
        head = Text(more_left.ljust(label_width), style="dim", no_wrap=True)
        head.append_text(axis_line(roadmap)[left:right])
        if right < roadmap.axis.columns:
            head = head[: label_width + width - 1]
            head.append("▶", style="dim")
        lines.append(head)
        rows = self._rows()
        body_height = max(1, (self.size.height or 20) - 1)
        cursor_row = next((n for n, row in enumerate(rows) if row[1] == self.lane), 0)
        if cursor_row < self._top:  # show the group heading above the cursor's lane with it
            self._top = cursor_row - (1 if cursor_row and rows[cursor_row - 1][1] is None else 0)
        elif cursor_row >= self._top + body_height:
            self._top = cursor_row - body_height + 1
        self._top = max(0, min(self._top, max(0, len(rows) - body_height)))
        for label, lane_index in rows[self._top : self._top + body_height]:
            line = Text(no_wrap=True)
            if lane_index is None:
                line.append_text(label)
            else:
                label.truncate(label_width - 1)
                line.append_text(label)
                line.pad_right(label_width - len(label))
                line.append_text(lane_line(roadmap, roadmap.lanes[lane_index], self.selected, (left, right)))
            lines.append(line)
        return Text("\n", no_wrap=True).join(lines)
