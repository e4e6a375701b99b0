"""An editable grid for a "records" field (yearly series, delegations, classes …).

Keys: Enter edits the cell under the cursor; a/Insert adds a row; x/Delete removes it;
K/J (or shift+↑/↓) move it. A column that is itself a list of records (an indicator's yearly
series) is edited in a nested grid below, following the row under the cursor. A grid with
"year" and "value" columns draws its series as a small bar chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from tongket.core.sectiontypes import Field
from tongket.core.session import MISSING, DraftSession

from .fields import PathT, decimal_text, format_value
from .messages import EditRefused, Hint

BARS = " ▁▂▃▄▅▆▇█"
HEADER_WIDTH = 16  # long labels are cut in the header; the hint line shows them whole


def is_series(field: Field) -> bool:
    """A records field with a "year" and a numeric "value" column: something to chart."""
    kinds = {column.name: column.kind for column in field.fields}
    return kinds.get("year") == "integer" and kinds.get("value") in ("decimal", "integer")


def series_points(records: Any) -> list[tuple[int, float]]:
    """(year, value) pairs that can be drawn, in year order."""
    if not isinstance(records, list):
        return []
    points = []
    for record in records:
        if not isinstance(record, dict):
            continue
        year, value = record.get("year"), record.get("value")
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        numeric = numeric and math.isfinite(value)  # inf/nan: flagged by check, not drawn
        if isinstance(year, int) and not isinstance(year, bool) and numeric:
            points.append((year, float(value)))
    return sorted(points)


def chart_lines(points: list[tuple[int, float]], height: int = 3, unit: str = "") -> list[str]:
    """Vertical bars, one 2-character column a year, two-digit years under them, and a caption."""
    if not points:
        return ["(chưa có số liệu để vẽ biểu đồ)"]
    top = max(value for _, value in points) or 1.0
    levels = [max(0, round(value / top * height * 8)) for _, value in points]
    rows = []
    for row in range(height, 0, -1):
        cells = []
        for level in levels:
            fill = min(8, max(0, level - (row - 1) * 8))
            cells.append(BARS[fill] * 2)
        rows.append(" ".join(cells))
    rows.append(" ".join(f"{year % 100:02d}" for year, _ in points))
    (first_year, first), (last_year, last) = points[0], points[-1]
    suffix = f" {unit}" if unit else ""
    rows.append(
        f"{first_year}: {decimal_text(first)} → {last_year}: {decimal_text(last)}{suffix}"
        f" (cao nhất {decimal_text(top)})"
    )
    return rows


MOVE_GROUP = Binding.Group("Chuyển", compact=True)


class SeriesChart(Static):
    """A small bar chart of a yearly series (kim ngạch theo năm …)."""

    def show(self, records: Any, unit: str = "") -> None:
        self.update("\n".join(chart_lines(series_points(records), unit=unit)))


class RecordsTable(DataTable):
    """The grid itself: a DataTable with keys to edit cells and add, delete and move rows."""

    BINDINGS = [
        Binding("enter", "edit_cell", "Sửa ô", id="grid.edit", show=False),
        Binding("a,insert", "add_row", "Thêm", id="grid.add"),
        Binding("x,delete", "delete_row", "Xóa", id="grid.delete"),
        Binding("K,shift+up", "move_row(-1)", "Lên", id="grid.up", group=MOVE_GROUP),
        Binding("J,shift+down", "move_row(1)", "Xuống", id="grid.down", group=MOVE_GROUP),
    ]
    HELP = (
        "Bảng dữ liệu: ←↑→↓ chọn ô; Enter sửa ô; a hoặc Insert thêm dòng dưới dòng đang chọn; "
        "x hoặc Delete xóa dòng; K/J (hoặc Shift+↑/↓) chuyển dòng lên/xuống. "
        "Cột là bảng con được sửa ở bảng phía dưới, theo dòng đang chọn."
    )

    def __init__(self, owner: RecordsEditor, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.owner = owner

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_cell", "delete_row", "move_row") and self.row_count == 0:
            return None  # shown dimmed: nothing to act on yet
        return True

    def action_edit_cell(self) -> None:
        self.owner.edit_cell(self.cursor_coordinate)

    def action_add_row(self) -> None:
        self.owner.add_row(self.cursor_row + 1 if self.row_count else 0)

    def action_delete_row(self) -> None:
        self.owner.delete_row(self.cursor_row)

    def action_move_row(self, offset: int) -> None:
        self.owner.move_row(self.cursor_row, offset)


class RecordsEditor(Vertical):
    """A records field: its grid, its chart when it is a series, and nested grids."""

    def __init__(
        self,
        session: DraftSession,
        path: PathT,
        field: Field,
        on_change: Callable[[PathT], None],
        *,
        edit_cell: Callable[[RecordsEditor, int, Field, Any], None],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="records")
        self.session = session
        self.path = path
        self.field = field
        self.on_change = on_change
        self.open_cell_editor = edit_cell
        self.columns = [column for column in field.fields if column.kind != "records"]
        self.nested = [column for column in field.fields if column.kind == "records"]
        self.table = RecordsTable(self, id=f"{id}-table" if id else None)
        self.chart = SeriesChart(classes="chart") if is_series(field) else None
        self.children_editors: list[RecordsEditor] = []
        self._row = 0

    def compose(self):
        if self.chart is not None:
            yield self.chart
        yield self.table
        for column in self.nested:
            editor = RecordsEditor(
                self.session,
                (*self.path, 0, column.name),
                column,
                self.on_change,
                edit_cell=self.open_cell_editor,
            )
            editor.border_title = column.label
            self.children_editors.append(editor)
            yield editor

    def on_mount(self) -> None:
        for column in [*self.columns, *self.nested]:
            label = column.label + (f" ({column.unit})" if column.unit else "")
            if len(label) > HEADER_WIDTH:
                label = label[: HEADER_WIDTH - 1] + "…"
            self.table.add_column(label, key=column.name)
        self.reload()

    @property
    def records(self) -> list:
        value = self.session.get(self.path)
        return value if isinstance(value, list) else []

    def rebind(self, path: PathT) -> None:
        """Show another list of records (a nested grid following its parent's cursor)."""
        self.path = path
        self.reload()

    def reload(self) -> None:
        """Rebuild the rows from the session, keeping the cursor where it was."""
        table = self.table
        coordinate = table.cursor_coordinate
        table.clear()
        for record in self.records:
            table.add_row(*self._cells(record))
        if table.row_count:
            row = min(coordinate.row, table.row_count - 1)
            table.move_cursor(row=row, column=coordinate.column, animate=False)
        self._row = table.cursor_row if table.row_count else 0
        self._refresh_dependents()

    def _cells(self, record: Any) -> list[Text]:
        if not isinstance(record, dict):
            return [Text("?")] * (len(self.columns) + len(self.nested))
        cells = []
        for column in [*self.columns, *self.nested]:
            text = format_value(column, record.get(column.name, MISSING))
            justify = "right" if column.kind in ("integer", "decimal") else "left"
            if not text and column.required:
                text = "—"  # an empty required cell reads as missing, not as blank
            cells.append(Text(text, justify=justify))
        return cells

    def _refresh_dependents(self) -> None:
        if self.chart is not None:
            parent = self.session.get(self.path[:-1])
            unit = parent.get("unit", "") if isinstance(parent, dict) else ""
            self.chart.show(self.records, unit if isinstance(unit, str) else "")
        for editor in self.children_editors:
            name = editor.field.name
            label = editor.field.label
            if self.records:
                first = self._row_name(self._row)
                editor.border_title = f"{label} — dòng {self._row + 1}{first}"
                editor.display = True
                editor.rebind((*self.path, self._row, name))
            else:
                editor.display = False

    def _row_name(self, row: int) -> str:
        record = self.records[row] if row < len(self.records) else {}
        for column in self.columns:
            value = record.get(column.name) if isinstance(record, dict) else None
            if column.kind == "text" and isinstance(value, str) and value:
                return f": {value}"
        return ""

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table is not self.table:
            return
        event.stop()
        column = self._column_at(event.coordinate.column)
        row = f"dòng {event.coordinate.row + 1}/{self.table.row_count}"
        self.post_message(Hint(column, where=row))
        if event.coordinate.row != self._row:
            self._row = event.coordinate.row
            self._refresh_dependents()

    def _column_at(self, index: int) -> Field:
        columns = [*self.columns, *self.nested]
        return columns[min(index, len(columns) - 1)]

    # -- edits ---------------------------------------------------------------------------

    def _refused(self) -> bool:
        # Checked before a dialog opens or a row is made, not after the drafter typed.
        reason = self.session.refusal(self.path)
        if reason:
            self.post_message(EditRefused(reason))
        return bool(reason)

    def edit_cell(self, coordinate: Coordinate) -> None:
        if not self.records:
            return
        column = self._column_at(coordinate.column)
        if column.kind == "records":
            nested = self.children_editors[self.nested.index(column)]
            nested.table.focus()
            return
        if self._refused():
            return
        record = self.records[coordinate.row]
        current = record.get(column.name, MISSING) if isinstance(record, dict) else MISSING
        if column.kind == "bool":
            self.set_cell(coordinate.row, column, not bool(current))
            return
        self.open_cell_editor(self, coordinate.row, column, current)

    def set_cell(self, row: int, column: Field, value: Any) -> None:
        """Store a cell's new value (MISSING removes the key) and redraw the row."""
        path = (*self.path, row, column.name)
        if self._refused():
            return
        if self.session.set_value(path, value, label=f"sửa {column.label}"):
            self.after_edit(path)

    def add_row(self, index: int) -> None:
        if self._refused():
            return
        record: dict[str, Any] = {}
        previous = self.records[index - 1] if 0 < index <= len(self.records) else None
        for column in self.field.fields:
            if column.kind in ("records", "list"):
                record[column.name] = []
            elif column.name == "year" and isinstance(previous, dict):
                year = previous.get("year")
                if isinstance(year, int) and not isinstance(year, bool):
                    record["year"] = year + 1  # series are typed year after year
            elif column.kind == "choice" and column.required:
                record[column.name] = column.choices[0][0]
        index = self.session.insert_item(self.path, index, record, label="thêm dòng")
        self.after_edit((*self.path, index))
        self.table.move_cursor(row=index, column=0, animate=False)

    def delete_row(self, index: int) -> None:
        if 0 <= index < len(self.records) and not self._refused():
            self.session.remove_item(self.path, index, label="xóa dòng")
            self.after_edit(self.path)

    def move_row(self, index: int, offset: int) -> None:
        if self._refused():
            return
        target = self.session.move_item(self.path, index, offset, label="chuyển dòng")
        if target != index:
            self.after_edit(self.path)
            self.table.move_cursor(row=target, animate=False)

    def after_edit(self, path: PathT) -> None:
        self.reload()
        self.on_change(path)

    def focus_path(self, rest: tuple) -> bool:
        """Put the cursor on the row and column a problem points at."""
        self.table.focus()
        if not rest or not isinstance(rest[0], int) or not self.records:
            return True
        row = min(rest[0], len(self.records) - 1)
        names = [column.name for column in [*self.columns, *self.nested]]
        column = names.index(rest[1]) if len(rest) > 1 and rest[1] in names else 0
        self.table.move_cursor(row=row, column=column, animate=False)
        self._row = row
        self._refresh_dependents()
        if len(rest) > 2 and rest[1] in [nested.name for nested in self.nested]:
            nested = self.children_editors[[n.name for n in self.nested].index(rest[1])]
            return nested.focus_path(rest[2:])
        return True
