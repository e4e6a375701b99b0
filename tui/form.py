"""The editor of the selected part, generated from field descriptions alone.

text, integer, decimal and date fields get a one-line input; longtext a text area; list a text
area with one item a line; choice a drop-down; bool a check box; records an editable grid
(`tongket.tui.grid`). Every change goes to the `DraftSession`, so it can be undone.

What is on screen is what is saved: text that does not parse ("20x5" in a number field) stays
as typed and marked, is listed as a problem, and the report keeps the field's previous value
until it parses (`UnparsedInputs`). Keys that arrive in one burst apply in the order they were
typed (`keep_key_order`), and the line being typed stays in view (`FieldText`).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.events import DescendantFocus, Key
from textual.geometry import Offset, Region
from textual.strip import Strip
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tongket.core.host.sectiontypes import Field
from tongket.core.problems import Problem
from tongket.core.report.editing import same_value
from tongket.core.report.session import MISSING, DraftSession, ReadOnlyError

from .fields import FieldValueError, FormSpec, PathT, format_value, parse_value
from .keyorder import keep_key_order
from .messages import EditRefused, FieldChanged, Hint
from .registry import bindings

TEXT_KINDS = ("text", "integer", "decimal", "date")


def widget_id(path: PathT) -> str:
    """A DOM id for the widget editing `path`: ("sections", 3, "data", "text") → f-sections-3-…"""
    return "f-" + "-".join(re.sub(r"[^A-Za-z0-9_]", "_", str(part)) for part in path)


class ParsesAs(Validator):
    """Text an input holds is valid when it reads as a value of its field."""

    def __init__(self, field: Field) -> None:
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_value(self.field, value)
        except FieldValueError as error:
            return self.failure(str(error), value)
        return self.success()


class FieldInput(Input):
    """A one-line field: text, number or date; text that does not parse is marked invalid."""

    async def _on_key(self, event: Key) -> None:
        await keep_key_order(self, event)


class FieldText(TextArea):
    """Prose (longtext) or a list with one item a line.

    While typing, the line with the cursor stays on screen: the area scrolls itself, and the
    form around it scrolls too when the area has grown past the form's bottom edge.
    """

    BINDINGS: ClassVar = bindings("text")

    _reveal_pending = False

    async def _on_key(self, event: Key) -> None:
        # A read-only area lets keys bubble, so the form can say why nothing changes.
        if not self.read_only:
            await keep_key_order(self, event)

    def render_lines(self, crop: Region) -> list[Strip]:
        try:
            return super().render_lines(crop)
        except KeyError as error:
            # Textual 8.2 may paint a TextArea whose component styles are not resolved yet
            # (Textualize/textual#6528): the whole app would stop. Paint it blank this frame;
            # the next one has its styles.
            if "COMPONENT_CLASSES" not in str(error):
                raise
            self.refresh()
            return [Strip.blank(crop.width)] * crop.height

    def action_document_start(self) -> None:
        self.move_cursor((0, 0))

    def action_document_end(self) -> None:
        self.move_cursor(self.document.end)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        offset = super().scroll_cursor_visible(center, animate)
        if self.has_focus and not self._reveal_pending:
            # Once laid out: a line typed may have made the area taller.
            self._reveal_pending = True
            self.call_after_refresh(self._reveal_cursor)
        return offset

    def _on_focus(self) -> None:
        self._reveal_pending = True
        self.call_after_refresh(self._reveal_cursor)

    def _reveal_cursor(self) -> None:
        """Scroll the form around the area so the cursor's line is in view."""
        self._reveal_pending = False
        form = self.parent
        if not self.has_focus or not isinstance(form, Widget) or not form.allow_vertical_scroll:
            return
        row = self.cursor_screen_offset.y - self.content_region.y  # within the area's view
        line = Region(0, self.virtual_region.y + self.gutter.top + row, 1, 1)
        form.scroll_to_region(line, animate=False, immediate=True, x_axis=False)


class FieldSelect(Select):
    """A choice among the field's values."""

    def _watch_value(self, value: Any) -> None:
        # The part may be replaced while this select mounts (a reload after the lock was
        # lost): its inner label is then already gone, and Textual's own watcher would take
        # the app down with it.
        with contextlib.suppress(NoMatches):
            super()._watch_value(value)


class FieldCheck(Checkbox):
    """A yes/no field."""


@dataclass(frozen=True)
class Unparsed:
    """Text typed into a one-line field that does not read as the field's kind of value."""

    text: str
    error: str  # what the field expects (Vietnamese)
    label: str
    kept: Any  # the value the report holds meanwhile: the field's value before the typing
    kept_text: str  # … as the field shows it
    anchor: object  # the section (or the particulars) the text was typed into

    @property
    def shown(self) -> str:
        return self.text if len(self.text) <= 24 else self.text[:23] + "…"

    @property
    def problem(self) -> str:
        """What is wrong, for the problems list (which names the field itself)."""
        return f"«{self.shown}» chưa được lưu — {self.error}"

    @property
    def message(self) -> str:
        return f"{self.label}: {self.problem}"


class UnparsedInputs:
    """Typed text that does not parse yet, by field path, kept as typed.

    It outlives the form (another part may be shown meanwhile), is listed as a problem, and
    never reaches the report: the report keeps the field's previous value until the text
    parses or is cleared.
    """

    def __init__(self) -> None:
        self.texts: dict[PathT, Unparsed] = {}
        self.revision = 0  # counts changes, so the app knows when to list them again
        self.reported = 0

    @property
    def changed(self) -> bool:
        """Whether the texts changed since `problems` last listed them."""
        return self.revision != self.reported

    def hold(self, path: PathT, unparsed: Unparsed) -> bool:
        """Keep `unparsed` for `path`; True if that changes what is kept."""
        if self.texts.get(path) == unparsed:
            return False
        self.texts[path] = unparsed
        self.revision += 1
        return True

    def drop(self, path: PathT) -> bool:
        """Forget the text of `path` (it parsed, was cleared, or undo put a value back)."""
        if self.texts.pop(path, None) is None:
            return False
        self.revision += 1
        return True

    def relocate(self, project: Any) -> None:
        """Follow sections that moved; forget the texts of sections that are gone."""
        located: dict[PathT, Unparsed] = {}
        for path, unparsed in self.texts.items():
            where = _locate(path, unparsed.anchor, project)
            if where is not None:
                located[where] = unparsed
        if list(located) != list(self.texts):
            self.texts = located

    def problems(self, project: Any) -> list[Problem]:
        """One error per text, at its field's path; they count as listed from now on."""
        self.relocate(project)
        self.reported = self.revision
        # The list names the field before the message (tui/problems.py): not twice.
        return [Problem(path, unparsed.problem) for path, unparsed in self.texts.items()]


def _anchor(project: Any, path: PathT) -> object:
    """What `path` belongs to: its section, or the particulars (`document`)."""
    if path[0] == "sections" and isinstance(path[1], int) and path[1] < len(project.sections):
        return project.sections[path[1]]
    return project.document


def _locate(path: PathT, anchor: object, project: Any) -> PathT | None:
    """`path` again, after its section may have moved; None once the section is gone."""
    if path[0] != "sections":
        return path if anchor is project.document else None
    index = next((i for i, section in enumerate(project.sections) if section is anchor), None)
    return None if index is None else ("sections", index, *path[2:])


_UNREADABLE = object()  # what `reload` compares a field's text that does not parse as

EDITING_KEYS = ("backspace", "delete", "enter", "ctrl+u", "ctrl+k", "ctrl+w", "ctrl+x", "ctrl+v")


class FormEditor(VerticalScroll):
    """All the fields of one part, top to bottom; Tab and Shift+Tab move between them.

    A read-only form (someone else holds the file; a section newer than its plugin) shows the
    values, lets the cursor move, and answers any change with the reason it was refused.
    A section whose plugin supplies its own editor shows that widget (`custom`) above the
    generated number, heading and table fields.
    """

    help_area = "form"  # F1 lists the keys of this area (tui/registry.py)
    HELP = (
        "Biểu mẫu: Tab / Shift+Tab chuyển giữa các trường; gõ để sửa; Esc về dàn ý. "
        "Số viết kiểu Việt Nam (1.409; 7,7); ngày dạng 02/4/2021. Mọi thay đổi hoàn tác được "
        "bằng F8 và làm lại bằng F9."
    )

    def __init__(
        self,
        session: DraftSession,
        spec: FormSpec,
        *,
        notice: str = "",
        read_only: str = "",
        custom: Widget | None = None,
        guidance: str = "",
    ) -> None:
        super().__init__(id="form")
        self.guidance = guidance  # the outline's hướng dẫn for the section, shown first
        self.session = session
        self.spec = spec
        self.notice = notice
        self.read_only = read_only  # why nothing here may change ("" when it may)
        self.custom = custom
        self.widgets: dict[PathT, Widget] = {}
        self.fields: dict[PathT, Field] = dict(spec)
        # Each one-line field's value when the drafter entered it: what the report keeps
        # while the text typed since does not parse ("20x5" keeps it, not the 20 typed first).
        self._entry: dict[PathT, Any] = {}
        self._inputs = UnparsedInputs()  # used outside an `EditorPane` only

    @property
    def inputs(self) -> UnparsedInputs:
        """Typed text that does not parse yet (the editor pane's, so it outlives the form)."""
        pane = self.parent
        return pane.inputs if isinstance(pane, EditorPane) else self._inputs

    def unparsed_problems(self) -> list[Problem]:
        """Text typed into fields that does not parse, as errors at the fields' paths."""
        return self.inputs.problems(self.session.project)

    def compose(self) -> ComposeResult:
        if self.guidance:  # drafter's text from the outline: never markup
            yield Static(f"Hướng dẫn: {self.guidance}", classes="guidance", markup=False)
        if self.notice:
            yield Static(self.notice, classes="notice", markup=False)  # quotes the section type
        if self.custom is not None:
            self.custom.add_class("plugin-editor")
            yield self.custom
        for path, field in self.spec:
            label = field.label + (f" ({field.unit})" if field.unit else "")
            label += " *" if field.required else ""
            if field.kind != "bool":
                yield Label(label, classes="field-label")
            widget = self._make(path, field, label)
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = getattr(self.app, "cursor_blink", True)
            widget.field_path = path  # type: ignore[attr-defined]
            self.widgets[path] = widget
            yield widget

    def _value(self, path: PathT) -> Any:
        return self.session.get(path)

    def _make(self, path: PathT, field: Field, label: str) -> Widget:
        value = self._value(path)
        wid = widget_id(path)
        if field.kind == "records":
            from .grid import RecordsEditor  # DataTable loads with the first grid shown

            return RecordsEditor(self.session, path, field, id=wid)
        if field.kind in ("longtext", "list"):
            text = value if isinstance(value, str) else ""
            if field.kind == "list":
                text = "\n".join(str(item) for item in value) if isinstance(value, list) else ""
            area = FieldText(text, id=wid, soft_wrap=True, tab_behavior="focus", classes=field.kind)
            area.read_only = bool(self.read_only)
            return area
        if field.kind == "choice":
            options = [(choice_label, choice) for choice, choice_label in field.choices]
            choices = [choice for choice, _ in field.choices]
            known = value in choices
            # A choice whose value is "" already means "none" (Thẩm quyền ký: "(người đứng đầu
            # ký)"): a blank "(chưa chọn)" beside it would be a second way to say the same.
            optional = not field.required and "" not in choices
            return FieldSelect(
                options,
                value=value if known else Select.NULL,
                allow_blank=optional or not known,
                prompt="(chưa chọn)",
                id=wid,
            )
        if field.kind == "bool":
            return FieldCheck(label, value=bool(value) if value is not MISSING else False, id=wid)
        text = format_value(field, value)
        unparsed = self.inputs.texts.get(path)
        if unparsed is not None:
            anchor = _anchor(self.session.project, path)
            if unparsed.anchor is anchor and same_value(value, unparsed.kept):
                text = unparsed.text  # as typed, before another part was shown
            else:
                self.inputs.drop(path)  # the value changed meanwhile (undo): show it
        return FieldInput(
            text, id=wid, placeholder=_placeholder(field), validators=[ParsesAs(field)]
        )

    # -- edits from the widgets --------------------------------------------------------------

    def _store(self, widget: Widget, value: Any, *, typing: bool) -> bool:
        """Set the field's value; True if the report changed."""
        path = widget.field_path  # type: ignore[attr-defined]
        if value is MISSING and path[0] == "document":
            value = None if self.fields[path].kind == "date" else ""
        if value is MISSING and self.session.get(path) is MISSING:
            return False
        try:
            changed = self.session.set_value(
                path, value, label=f"sửa {self.fields[path].label}", typing=typing
            )
        except ReadOnlyError as error:  # e.g. someone took the lock over meanwhile
            self.reload()
            self.post_message(EditRefused(error.message))
            return False
        if changed:
            self.post_message(FieldChanged(path))
        return changed

    def _refuse(self) -> bool:
        """In a read-only form: put back the stored values; True (and say why) if any changed."""
        if not self.read_only:
            return False
        if self.reload():
            self.post_message(EditRefused(self.read_only))
        return True

    def on_key(self, event: Key) -> None:
        # A read-only text area ignores typing silently; say why instead.
        if not self.read_only or not isinstance(self.app.focused, TextArea):
            return
        if event.is_printable or event.key in EDITING_KEYS:
            self.post_message(EditRefused(self.read_only))

    def on_input_changed(self, event: Input.Changed) -> None:
        widget = event.input
        if not isinstance(widget, FieldInput):
            return
        event.stop()
        if event.value != widget.value:
            # Stale: the field shows newer text (typed since, or put back by undo), whose own
            # message follows or was taken already (`take_typed`).
            return
        self._take_input(widget)

    def _take_input(self, widget: FieldInput) -> None:
        """Put what a one-line field shows into the report, or hold it if it does not parse."""
        if self._refuse():
            return
        text = widget.value
        path = widget.field_path  # type: ignore[attr-defined]
        field = self.fields[path]
        entry = self._entry.setdefault(path, self.session.get(path))
        try:
            value = parse_value(field, text)
        except FieldValueError as error:
            # Not a value yet: the text stays as typed (the input marks it invalid), and the
            # report goes back to the value the field had before, not a prefix typed so far.
            self._store(widget, entry, typing=True)
            unparsed = Unparsed(
                text,
                str(error),
                field.label,
                kept=self.session.get(path),
                kept_text=format_value(field, self.session.get(path)),
                anchor=_anchor(self.session.project, path),
            )
            if self.inputs.hold(path, unparsed):
                self.post_message(FieldChanged(path))  # the problems list shows it
            self.post_message(Hint(field, str(error)))
            return
        released = self.inputs.drop(path)
        if released:
            self.post_message(Hint(field))
        if not self._store(widget, value, typing=True) and released:
            self.post_message(FieldChanged(path))

    def take_typed(self, widget: Widget) -> None:
        """Take what `widget` shows now, without waiting for its Changed message (save, undo
        and quit act on the text as the drafter left it)."""
        if isinstance(widget, FieldInput) and widget.parent is self:
            self._take_input(widget)
        elif isinstance(widget, FieldText) and widget.parent is self and not self.read_only:
            field = self.fields[widget.field_path]  # type: ignore[attr-defined]
            self._store(widget, parse_value(field, widget.text), typing=True)

    def drop_typed(self, widget: Widget) -> Unparsed | None:
        """Take back the text typed into `widget` that does not parse: the field shows the
        report's value again, and the report is left as it is. None if it holds no such text."""
        path = getattr(widget, "field_path", None)
        unparsed = self.inputs.texts.get(path) if path in self.fields else None
        if unparsed is None or not isinstance(widget, FieldInput):
            return None
        self.inputs.drop(path)
        value = self.session.get(path)
        self._entry[path] = value
        widget.value = format_value(self.fields[path], value)
        self.post_message(Hint(self.fields[path]))
        self.post_message(FieldChanged(path))  # the problems list forgets it
        return unparsed

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        widget = event.text_area
        if not isinstance(widget, FieldText):
            return
        event.stop()
        if self._refuse():
            return
        field = self.fields[widget.field_path]  # type: ignore[attr-defined]
        self._store(widget, parse_value(field, widget.text), typing=True)

    def on_select_changed(self, event: Select.Changed) -> None:
        widget = event.select
        if not isinstance(widget, FieldSelect):
            return
        event.stop()
        if self._refuse():
            return
        value = MISSING if event.value is Select.NULL else event.value
        self._store(widget, value, typing=False)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if isinstance(event.checkbox, FieldCheck):
            event.stop()
            if not self._refuse():
                self._store(event.checkbox, event.value, typing=False)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        path = getattr(event.widget, "field_path", None)
        if path in self.fields:
            unparsed = self.inputs.texts.get(path)
            if unparsed is None:
                self._entry[path] = self.session.get(path)
            self.post_message(Hint(self.fields[path], unparsed.error if unparsed else ""))

    def on_resize(self) -> None:
        # A text area grows with its text up to the form's height, less its label: typing
        # scrolls inside the area, and the label stays in view.
        room = max(3, min(14, self.scrollable_content_region.height - 1))
        for widget in self.widgets.values():
            if isinstance(widget, FieldText):
                widget.styles.max_height = room

    # -- sync and focus ----------------------------------------------------------------------

    def reload(self) -> bool:
        """Show the session's values again (after undo/redo), without recording edits.

        Returns whether any widget showed something else.
        """
        shown_before = {path: _shown(widget) for path, widget in self.widgets.items()}
        released = False  # typed text that did not parse, replaced by the value put back
        for path, widget in self.widgets.items():
            field = self.fields[path]
            value = self._value(path)
            if _is_grid(widget):
                widget.reload()
            elif isinstance(widget, FieldText):
                if field.kind == "list":
                    current = parse_value(field, widget.text)
                    if current != (value if isinstance(value, list) else []):
                        widget.load_text("\n".join(value) if isinstance(value, list) else "")
                elif widget.text != (value if isinstance(value, str) else ""):
                    widget.load_text(value if isinstance(value, str) else "")
            elif isinstance(widget, FieldSelect):
                target = value if value in [c for c, _ in field.choices] else Select.NULL
                if widget.value != target:
                    widget.value = target
            elif isinstance(widget, FieldCheck):
                if widget.value != bool(value is not MISSING and value):
                    widget.value = bool(value is not MISSING and value)
            elif isinstance(widget, FieldInput):
                unparsed = self.inputs.texts.get(path)
                if unparsed is not None and same_value(value, unparsed.kept):
                    continue  # text that does not parse yet stays as typed
                released |= self.inputs.drop(path)
                self._entry[path] = value
                try:
                    shown = parse_value(field, widget.value)
                except FieldValueError:
                    # Text that does not parse and is held no more (undo changed the value
                    # under it): show the value, never text the report does not have.
                    shown = _UNREADABLE
                stored = None if value is None else value
                if shown is MISSING:
                    shown = None
                if stored is MISSING or shown != stored:
                    text = format_value(field, value)
                    if widget.value != text:
                        widget.value = text
        if released:
            self._refresh_hint()
        return any(_shown(widget) != shown_before[path] for path, widget in self.widgets.items())

    def _refresh_hint(self) -> None:
        """The hint line again for the focused field (its error may be gone); blank when the
        focus is outside the form."""
        path = getattr(self.app.focused, "field_path", None)
        if path in self.fields:
            unparsed = self.inputs.texts.get(path)
            self.post_message(Hint(self.fields[path], unparsed.error if unparsed else ""))
        elif isinstance(self.parent, EditorPane):
            self.parent.query_one("#hint", Static).update("")

    def focus_first(self) -> None:
        """Focus the first field (the prose of a free-text section, the first grid …)."""
        if self.custom is not None:
            candidates = [self.custom, *self.custom.query("*")]
            target = next((widget for widget in candidates if widget.focusable), None)
            if target is not None:
                target.focus(scroll_visible=False)
                return
        for widget in self.widgets.values():
            target = widget.table if _is_grid(widget) else widget
            if target.focusable:
                target.focus(scroll_visible=False)
                # The first field sits at the top: show its label too, the same way each time.
                self.call_after_refresh(self.scroll_home, animate=False)
                return

    def focus_path(self, path: PathT) -> bool:
        """Focus the field a problem points at (the longest path prefix that has a widget)."""
        for length in range(len(path), 0, -1):
            widget = self.widgets.get(tuple(path[:length]))
            if widget is None:
                continue
            if _is_grid(widget):
                widget.focus_path(tuple(path[length:]))
            else:
                widget.focus()
            self.call_after_refresh(widget.scroll_visible)
            return True
        self.focus_first()
        return False


def _is_grid(widget: Widget) -> bool:
    """A records grid (`tongket.tui.grid` is imported only once a grid is shown)."""
    grid = sys.modules.get("tongket.tui.grid")
    return grid is not None and isinstance(widget, grid.RecordsEditor)


def _shown(widget: Widget) -> Any:
    """What a field widget shows, to tell whether `reload` changed it."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select | Checkbox):
        return widget.value
    return None


def _placeholder(field: Field) -> str:
    return {
        "integer": "số nguyên",
        "decimal": "số, ví dụ 1.409 hoặc 7,7",
        "date": "ngày/tháng/năm, ví dụ 02/4/2021",
    }.get(field.kind, "")


class EditorPane(Vertical):
    """The editor area (its border names the part): the form and a hint line for the field.

    It keeps the typed text that does not parse yet (`inputs`) while parts come and go.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inputs = UnparsedInputs()

    def compose(self) -> ComposeResult:
        yield Static("", id="hint")

    @property
    def unparsed_changed(self) -> bool:
        """Whether typed text started or stopped parsing since it was last listed."""
        return self.inputs.changed

    def unparsed_problems(self) -> list[Problem]:
        """Typed text that does not parse, as errors (see `FormEditor.unparsed_problems`)."""
        form = self.form
        return form.unparsed_problems() if form is not None else []

    def warn_unsaved(self) -> None:
        """After a save: name the fields whose typed text was not saved (it does not parse)."""
        if self.form is not None:
            self.inputs.relocate(self.form.session.project)
        texts = list(self.inputs.texts.values())
        if not texts:
            return
        fields = "; ".join(
            f"{unparsed.label}: «{unparsed.shown}» (tệp giữ "
            + (f"{unparsed.kept_text})" if unparsed.kept_text else "trống)")
            for unparsed in texts[:3]
        )
        more = f"; và {len(texts) - 3} trường khác" if len(texts) > 3 else ""
        self.app.notify(
            f"Chữ gõ chưa đúng kiểu nên chưa được lưu — {fields}{more}. Sửa rồi lưu lại.",
            severity="warning",
            timeout=12,
        )

    @property
    def form(self) -> FormEditor | None:
        forms = self.query_children(FormEditor)
        return forms.first() if forms else None

    async def show(self, form: FormEditor) -> None:
        """Replace the form (the previous part's widgets are removed, not kept hidden)."""
        self.query_one("#hint", Static).update("")
        old = self.form
        if old is not None:
            await old.remove()
        await self.mount(form)

    def on_hint(self, message: Hint) -> None:
        field = message.field
        if message.error:
            text = f"! {field.label}: {message.error}"
        else:
            where = f" ({message.where})" if message.where else ""
            text = field.label + where + (f" — {field.help}" if field.help else "")
        self.query_one("#hint", Static).update(text)


def after_typing(app: Any, then: Callable[[], Any]) -> Any:
    """Run `then` once the keys typed before it are in the focused field and in the report.

    A priority key (save, undo, quit) runs as soon as the app reads it, while the keys typed
    just before it may still wait in the field's queue (a burst over SSH, a quick typist):
    undo would run before the text is in, save before it is taken or held, quit before it is
    known not to parse. Queued behind those keys, `then` runs after them, once the field's
    text is taken (`FormEditor.take_typed`). Returns `then()`'s result when it runs at once.
    """
    focused = app.focused
    form = focused.parent if focused is not None else None
    if not isinstance(focused, FieldInput | FieldText) or not isinstance(form, FormEditor):
        return then()

    def run() -> Any:
        if focused.is_attached and form.is_attached:
            form.take_typed(focused)
        return then()

    focused.call_later(run)
    return None
