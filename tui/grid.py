"""An editable grid for a "records" field (yearly series, delegations, classes …).

It behaves like a spreadsheet: typing on a cell starts editing it with what was typed (Enter
edits the old value, shown selected); in the editor Enter stores and moves down, Tab right.
Insert (or Ctrl+N) adds a row, Delete removes it, Shift+↑/↓ move it. The cursor's row has a
"▶" in the row-label column and its cell is bracketed, so both read without colour. A column
that is itself a list of records (an indicator's yearly series) is edited in a nested grid
below, following the row under the cursor. A grid with "year" and "value" columns draws its
series as a small bar chart.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import textwrap
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.events import Key
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static

from tongket.core.host.sectiontypes import Field
from tongket.core.render.citations import CitationBook
from tongket.core.render.document import section_context
from tongket.core.report.session import MISSING, DraftSession

from .fields import PathT, decimal_text, format_value
from .keyorder import keep_key_order, run_binding_now
from .messages import EditRefused, FieldChanged, Hint
from .registry import bindings

if TYPE_CHECKING:
    from .celledit import LateKeys

BARS = " ▁▂▃▄▅▆▇█"
HEADER_WIDTH = 16  # a header line; longer labels wrap
HEADER_LINES = 3  # a label longer still ends in "…" (the hint line shows every label whole)
ROW_MARK = {True: "▶", False: "›"}  # the cursor's row, in a focused grid or not
CELL_MARKS = ("[", "]")  # around the cursor's cell, in a focused grid
EMPTY_GRID = "chưa có dòng nào — nhấn Insert hoặc Ctrl+N để thêm dòng"


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


class SeriesChart(Static):
    """A small bar chart of a yearly series (kim ngạch theo năm …)."""

    def show(self, records: Any, unit: str = "") -> None:
        self.update("\n".join(chart_lines(series_points(records), unit=unit)))


def header_label(column: Field) -> Text:
    """A column's header: its label and unit, wrapped on up to `HEADER_LINES` lines."""
    label = column.label + (f" ({column.unit})" if column.unit else "")
    lines = textwrap.wrap(label, HEADER_WIDTH) or [""]
    if len(lines) > HEADER_LINES:
        lines = lines[:HEADER_LINES]
        lines[-1] = lines[-1][: HEADER_WIDTH - 1] + "…"
    return Text("\n".join(f" {line} " for line in lines))


class RecordsTable(DataTable):
    """The grid itself: a DataTable whose cells start editing when typed on, with keys to add,
    delete and move rows."""

    BINDINGS = bindings("grid")
    help_area = "grid"
    HELP = (
        "Bảng dữ liệu: ←↑→↓ chọn ô (dòng đang chọn có dấu ▶, ô đang chọn nằm trong [ ]). "
        "Gõ trên một ô để sửa: chữ gõ thay giá trị cũ; Enter sửa giá trị cũ (được chọn sẵn); "
        "Backspace xóa để gõ lại. Trong ô đang sửa: Enter lưu và xuống dòng (ở dòng cuối: "
        "sang phải), Tab lưu và sang phải, Shift+Tab sang trái, Esc bỏ. Số viết kiểu Việt Nam: "
        "1.409 (dấu chấm ngăn nghìn), 7,7 (dấu phẩy thập phân), -2,2. Insert hoặc Ctrl+N thêm "
        "dòng dưới dòng đang chọn (năm được điền sẵn, chọn sẵn để gõ đè); Delete xóa dòng; "
        "Shift+↑/↓ chuyển dòng. Cột là bảng con được sửa ở bảng phía dưới, theo dòng đang chọn."
    )

    def __init__(self, owner: RecordsEditor, **kwargs: Any) -> None:
        # No padding of its own: each cell carries a space or a bracket on either side.
        super().__init__(cursor_type="cell", zebra_stripes=True, cell_padding=0, **kwargs)
        self.owner = owner
        self._texts: list[list[tuple[str, str]]] = []
        self._widths: list[int] = []
        self._marked: tuple[int, int, bool] | None = None

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

    # -- typing on a cell ------------------------------------------------------------------

    async def on_key(self, event: Key) -> None:
        editor = self.app.screen
        if editor is not self.screen and hasattr(editor, "feed") and not editor.closed:
            # Typed before the cell editor this grid just opened took the focus: the key
            # belongs to it, in order, rather than to the grid or to nobody.
            event.stop()
            event.prevent_default()
            editor.feed(event.key, event.character)
            return
        if event.key == "backspace":
            typed = ""
        elif event.key == "enter" and not self.row_count:
            typed = None  # Enter on an empty grid: nothing to edit, say how to add a row
        elif event.is_printable and event.character and not self._bound_above(event.key):
            typed = event.character
        else:
            await keep_key_order(self, event)  # Insert then "2016" in one burst: a row first
            return
        event.stop()
        event.prevent_default()
        if self.row_count:
            self.owner.edit_cell(self.cursor_coordinate, typed=typed)
        else:  # typed on a grid with no row: the keys would vanish without a word
            self.owner.say_empty()

    def replay(self, key: str, character: str | None) -> None:
        """A key typed after a cell editor's commit but read by that editor: handled here,
        in order, as if it had been typed on the grid."""
        editor = self.app.screen
        if editor is not self.screen and hasattr(editor, "feed") and not editor.closed:
            editor.feed(key, character)
        elif key == "enter":
            self.action_edit_cell()
        elif key == "backspace" or (character and character.isprintable()):
            typed = "" if key == "backspace" else character
            self.owner.edit_cell(self.cursor_coordinate, typed=typed)
        elif not run_binding_now(self, key):  # Insert, arrows …: before the keys after them
            self.post_message(Key(key, character))

    def _bound_above(self, key: str) -> bool:
        """Whether an enabled binding of the screen or app takes this key (":" for the
        palette, "?" for help): those keys keep their meaning on a grid."""
        active = self.screen.active_bindings.get(key)
        return active is not None and active.node is not self and active.enabled

    # -- rows and the cursor's marks -------------------------------------------------------

    def fill(self, rows: list[list[tuple[str, str]]]) -> None:
        """Show `rows`, each cell as (text, justify), with no cursor mark yet."""
        self.clear()
        self._texts = rows
        self._marked = None
        # Each column as wide as its header or widest cell; cells are padded here (not by
        # Rich, which would trim the space after a right-justified number).
        self._widths = [
            max(
                [cell_len(line) - 2 for line in column.label.plain.splitlines() or [""]]
                + [cell_len(row[index][0]) for row in rows if index < len(row)]
            )
            for index, column in enumerate(self.ordered_columns)
        ]
        for row in rows:
            self.add_row(*(self._cell(row, index) for index in range(len(row))), label=" ")
        self._mark()

    def _cell(self, row: list[tuple[str, str]], index: int, marked: bool = False) -> Text:
        text, justify = row[index]
        gap = " " * max(0, self._widths[index] - cell_len(text))
        text = gap + text if justify == "right" else text + gap
        left, right = CELL_MARKS if marked else (" ", " ")
        return Text(f"{left}{text}{right}")

    def cell_text(self, row: int, column: int) -> str:
        """What a cell shows, without the cursor's marks."""
        return self._texts[row][column][0]

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._mark()
        self.call_after_refresh(self._reveal_cursor)

    def watch_has_focus(self, has_focus: bool) -> None:
        # Not on_focus: that handler runs before the widget counts itself focused.
        super().watch_has_focus(has_focus)
        self._mark()
        if has_focus:
            self.owner.show_hint()
            self.call_after_refresh(self._reveal_cursor)

    def _mark(self) -> None:
        """Move the marks to the cursor: "▶" on its row ("›" when the grid is not focused)
        and brackets around its cell (focused only), so neither depends on colour."""
        target = None
        if self.row_count and self.columns:
            row, column = self.cursor_coordinate
            target = (row, column, self.has_focus)
        if target == self._marked:
            return
        if self._marked is not None:
            self._set_marks(*self._marked, on=False)
        if target is not None:
            self._set_marks(*target, on=True)
        self._marked = target

    def _set_marks(self, row: int, column: int, focused: bool, *, on: bool) -> None:
        if row >= min(self.row_count, len(self._texts)) or column >= len(self.columns):
            return
        coordinate = Coordinate(row, column)
        row_key, _ = self.coordinate_to_cell_key(coordinate)
        self.rows[row_key].label = Text(ROW_MARK[focused] if on else " ")
        # Same width marked or not: the columns never shift. Updating the cell also redraws
        # the row's label.
        self.update_cell_at(coordinate, self._cell(self._texts[row], column, on and focused))

    def _reveal_cursor(self) -> None:
        """Scroll the form too, so the cursor's row shows even when the grid is taller than
        the form's view (the grid itself scrolls its cell into view, horizontally too).

        The row's place in the form is summed from layout offsets (`virtual_region`, relative
        to each parent), which scrolling does not change. Screen regions would not do: they
        are only updated at the next refresh, so a burst of moves (keys typed ahead while a
        cell editor was open) scrolled the form by stale amounts, off the grid entirely."""
        if not self.row_count or not self.is_mounted:
            return
        scroller = next(
            (node for node in self.ancestors if getattr(node, "allow_vertical_scroll", False)),
            None,
        )
        if scroller is None:
            return
        header = self.header_height if self.show_header else 0
        top = self.styles.gutter.top + header + self.cursor_row - round(self.scroll_y)
        node: Widget = self
        while node is not scroller:
            top += node.virtual_region.y  # relative to the parent's content box
            parent = node.parent
            if not isinstance(parent, Widget):
                return
            if parent is not scroller:
                top += parent.styles.gutter.top
            node = parent
        scroller.scroll_to_region(Region(0, top, 1, 1), animate=False, immediate=True)


class RecordsEditor(Vertical):
    """A records field: its grid, its chart when it is a series, and nested grids."""

    def __init__(
        self,
        session: DraftSession,
        path: PathT,
        field: Field,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="records")
        self.session = session
        self.path = path
        self.field = field
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
            editor = RecordsEditor(self.session, (*self.path, 0, column.name), column)
            editor.border_title = column.label
            self.children_editors.append(editor)
            yield editor

    def on_mount(self) -> None:
        labels = [header_label(column) for column in [*self.columns, *self.nested]]
        self.table.header_height = max(
            (len(label.plain.splitlines()) for label in labels), default=1
        )
        for column, label in zip([*self.columns, *self.nested], labels, strict=True):
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
        table.fill([self._cells(record) for record in self.records])
        if table.row_count:
            row = min(coordinate.row, table.row_count - 1)
            table.move_cursor(row=row, column=coordinate.column, animate=False)
        self._row = table.cursor_row if table.row_count else 0
        self._refresh_dependents()

    def _cells(self, record: Any) -> list[tuple[str, str]]:
        """Each cell's text (choices by their label, numbers the Vietnamese way) and justify."""
        if not isinstance(record, dict):
            return [("?", "left")] * (len(self.columns) + len(self.nested))
        cells = []
        for column in [*self.columns, *self.nested]:
            text = format_value(column, record.get(column.name, MISSING))
            justify = "right" if column.kind in ("integer", "decimal") else "left"
            if not text and column.required:
                text = "—"  # an empty required cell reads as missing, not as blank
            cells.append((text, justify))
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
        if self.table.has_focus:  # a nested grid following its parent keeps quiet
            self.show_hint()
        if event.coordinate.row != self._row:
            self._row = event.coordinate.row
            self._refresh_dependents()

    def show_hint(self) -> None:
        """The cursor's column, whole, with its help on the hint line (headers may wrap);
        on a grid with no row yet, how to add one."""
        if not self.table.row_count:
            self.post_message(Hint(self.field, where=EMPTY_GRID))
            return
        row, column = self.table.cursor_coordinate
        where = f"dòng {row + 1}/{self.table.row_count}"
        self.post_message(Hint(self._column_at(column), where=where))

    def say_empty(self) -> None:
        """Keys typed on a grid with no row: ring, and say on the hint line how to add one."""
        self.app.bell()
        self.post_message(Hint(self.field, f"{EMPTY_GRID}, rồi gõ vào ô"))

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

    def edit_cell(self, coordinate: Coordinate, *, typed: str | None = None) -> None:
        """Open the cell's editor: on the old value, selected (`typed` None: Enter), or on
        just the text typed on the cell (a spreadsheet's "type to replace")."""
        if not self.records:
            return
        column = self._column_at(coordinate.column)
        if column.kind == "records":
            if typed is None:
                nested = self.children_editors[self.nested.index(column)]
                nested.table.focus()
            return
        if self._refused():
            return
        record = self.records[coordinate.row]
        current = record.get(column.name, MISSING) if isinstance(record, dict) else MISSING
        if column.kind == "bool":
            self._type_bool(coordinate.row, column, current, typed)
            return
        row = coordinate.row
        from .celledit import CellEditScreen

        # Pushed here, at once, not by a message to the screen: keys typed in the same burst
        # must find the dialog open (`LateKeys`).
        self.app.push_screen(
            CellEditScreen(
                column,
                current,
                typed=typed,
                check=lambda value: self.entry_problem(row, column, value),
                done=functools.partial(self.cell_edited, row, column),
            )
        )

    def _type_bool(self, row: int, column: Field, current: Any, typed: str | None) -> None:
        # Enter or space turns it over; "c"/"k" (có/không), "x"/"1" and "0" set it.
        if typed is None or typed == " ":
            self.set_cell(row, column, not bool(current))
            return
        answer = {"c": True, "x": True, "1": True, "k": False, "0": False}.get(typed.casefold())
        if answer is None:
            self.post_message(Hint(column, "gõ c (có), k (không) hoặc dấu cách để đổi"))
            return
        self.set_cell(row, column, answer)

    def cell_edited(self, row: int, column: Field, result: Any, late: LateKeys) -> None:
        """The cell editor closed: store what it returned, then move the cursor the way it
        was left (Enter: down, Tab: right, Shift+Tab: left), like a spreadsheet. On the last
        row Enter goes right instead: a new row is typed in cell after cell. Keys typed after
        the editor closed (`late`) then apply here, in order."""
        table = self.table
        if result is not None:
            _, value, move = result
            self.set_cell(row, column, value)
            target_row, target_column = table.cursor_coordinate
            if move == "down" and target_row < table.row_count - 1:
                target_row += 1
            elif move in ("down", "right") and target_column < len(table.columns) - 1:
                target_column += 1
            elif move == "left" and target_column > 0:
                target_column -= 1
            table.move_cursor(row=target_row, column=target_column, animate=False)
        table.focus()
        late.hand_to(table.replay)

    def entry_problem(self, row: int, column: Field, value: Any) -> str | None:
        """What the section's plugin refuses about `value` in this cell (a negative count, a
        year outside the plausible range …), asked before it is stored: the same checks as
        `tongket check`, on a copy of the section. None when it is accepted.

        Emptying a cell is never refused here: the check lists a missing required value.
        """
        path = (*self.path, row, column.name)
        host = getattr(self.app, "host", None)
        if value is MISSING or host is None or path[:1] != ("sections",) or path[2:3] != ("data",):
            return None
        project = self.session.project
        section = project.sections[path[1]]
        if host.owner_of(section.type) is None:
            return None
        data = copy.deepcopy(section.data)
        place: Any = data
        for key in path[3:-1]:
            place = place[key]
        place[path[-1]] = value
        trial = dataclasses.replace(section, data=data)
        # The plugin sees copies, as when the document is rendered: a check cannot edit.
        context = section_context(
            dataclasses.replace(project, document=copy.deepcopy(project.document)),
            trial,
            CitationBook(copy.deepcopy(project.citations)),
        )
        try:
            problems = host.validate(section.type, data, context, section.label)
        except Exception:  # a failing plugin is reported by the analysis, not by a cell
            return None
        for problem in problems:
            if problem.severity == "error" and tuple(problem.path) == path[3:]:
                return problem.message
        return None

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
        first = self._column_at(0)
        if first.kind not in ("records", "list", "bool") and first.name in record:
            # Filled in for the drafter (the next year): open it selected, so it is seen and
            # typing replaces it, Enter keeps it.
            self.edit_cell(Coordinate(index, 0))

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
        self.post_message(FieldChanged(path))

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
