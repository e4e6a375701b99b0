"""Reversible edits of a report: values addressed by path, edit groups, the undo/redo history,
section renumbering, and the content of a new report.

Paths address any value in the project from the top: `("document", "signer", "name")`,
`("sections", 3, "data", "series", 2, "value")`. Integers are list positions (0-based).
`tongket.core.report.session.DraftSession` records every change as an `Edit` through a `History`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from tongket.core.report.model import KINDS, Particulars, Project, Section, Signer

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

PathT = tuple[str | int, ...]
#: Typing in one field within this many seconds stays one undo step.
COALESCE_SECONDS = 1.0
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.$")


class _Missing:
    """Marks a table key that does not exist (so undo can remove it again)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def get_value(root: Any, path: Iterable[str | int]) -> Any:
    """The value at `path` inside `root`, or MISSING when a table key along it is absent."""
    value = root
    for key in path:
        if isinstance(value, dict):
            if key not in value:
                return MISSING
            value = value[key]
        elif isinstance(value, list):
            if not isinstance(key, int) or not -len(value) <= key < len(value):
                return MISSING
            value = value[key]
        elif isinstance(key, str) and hasattr(value, key):
            value = getattr(value, key)
        else:
            return MISSING
    return value


def _put(root: Any, path: PathT, value: Any) -> None:
    parent = get_value(root, path[:-1])
    key = path[-1]
    if isinstance(parent, dict):
        if value is MISSING:
            parent.pop(key, None)
        else:
            parent[key] = value
    elif isinstance(parent, list):
        parent[key] = value  # type: ignore[index]
    elif parent is MISSING:
        raise KeyError(f"no value at {path[:-1]!r}")
    else:
        setattr(parent, str(key), value)


@dataclass
class Edit:
    """One reversible change: set a value, or insert/remove/move an item of a list."""

    op: Literal["set", "insert", "remove", "move"]
    path: PathT  # the value for "set", the list for the others
    old: Any = MISSING
    new: Any = MISSING
    index: int = 0
    target: int = 0  # where "move" puts the item


@dataclass
class EditGroup:
    """Edits undone and redone together, e.g. adding a section and renumbering the rest."""

    label: str
    edits: list[Edit] = field(default_factory=list)
    serial: int = 0
    merge_key: tuple | None = None  # typing into one field keeps extending one group
    stamp: float = 0.0

    @property
    def paths(self) -> list[PathT]:
        return [edit.path for edit in self.edits]


def apply_edit(root: Any, edit: Edit, forward: bool = True) -> None:
    """Make the change `edit` describes inside `root` (or revert it when not `forward`)."""
    if edit.op == "set":
        _put(root, edit.path, edit.new if forward else edit.old)
        return
    items = get_value(root, edit.path)
    if edit.op == "move":
        start, end = (edit.index, edit.target) if forward else (edit.target, edit.index)
        items.insert(end, items.pop(start))
    elif (edit.op == "insert") == forward:
        items.insert(edit.index, edit.new if edit.op == "insert" else edit.old)
    else:
        items.pop(edit.index)


def same_value(old: Any, new: Any) -> bool:
    """Whether setting `new` over `old` changes nothing worth an undo step."""
    # 1409 and 1409.0 are the same figure; True and 1 are not the same value.
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    numbers = (int, float)
    if isinstance(old, numbers) and isinstance(new, numbers):
        return old == new
    return type(old) is type(new) and old == new


class History:
    """The undo and redo stacks of one draft, and which state was last saved."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.revision = 0  # grows with every change, undo and redo (for stale previews)
        self._undo: list[EditGroup] = []
        self._redo: list[EditGroup] = []
        self._serial = 0
        self._saved_serial = 0

    @property
    def state(self) -> int:
        """Identifies the current state: the serial of the last group applied (0: none)."""
        return self._undo[-1].serial if self._undo else 0

    @property
    def dirty(self) -> bool:
        return self.state != self._saved_serial

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def record(self, label: str, edits: list[Edit], merge_key: tuple | None = None) -> EditGroup:
        """Add applied `edits` as one undo step (or extend the typing burst they continue)."""
        now = self.clock()
        top = self._undo[-1] if self._undo else None
        self._serial += 1
        self._redo.clear()
        self.revision += 1
        if (
            merge_key is not None
            and top is not None
            and top.merge_key == merge_key
            and now - top.stamp <= COALESCE_SECONDS
            and top.serial != self._saved_serial
        ):
            # Keep the value from before the first keystroke; take the latest as the new one.
            top.edits[-1].new = edits[-1].new
            top.serial, top.stamp = self._serial, now
            return top
        group = EditGroup(label, edits, self._serial, merge_key, now)
        self._undo.append(group)
        return group

    def extend_last(self, edits: list[Edit]) -> None:
        """Fold already applied `edits` into the last step (renumbering after a move)."""
        if edits:
            self._undo[-1].edits.extend(edits)

    def undo(self, root: Any) -> EditGroup | None:
        """Revert the last step inside `root`; returns it (None when there is nothing to undo)."""
        if not self._undo:
            return None
        group = self._undo.pop()
        for edit in reversed(group.edits):
            apply_edit(root, edit, False)
        group.merge_key = None  # a redone group never swallows new typing
        self._redo.append(group)
        self.revision += 1
        return group

    def redo(self, root: Any) -> EditGroup | None:
        """Re-apply the last undone step; returns it (None when there is nothing to redo)."""
        if not self._redo:
            return None
        group = self._redo.pop()
        for edit in group.edits:
            apply_edit(root, edit, True)
        self._undo.append(group)
        self.revision += 1
        return group

    def mark_saved(self) -> None:
        """The current state is what the file holds now."""
        self._saved_serial = self.state

    def reset(self, *, saved: bool) -> None:
        """Forget every step after the project was replaced (reloaded, or restored: unsaved)."""
        self._undo.clear()
        self._redo.clear()
        self._serial += 1
        # -1 differs from every state: a restored recovery copy is newer than the file.
        self._saved_serial = 0 if saved else -1
        self.revision += 1


# -- section numbering ---------------------------------------------------------------------


def renumber_edits(sections: list[Section]) -> list[Edit]:
    """The edits that number sections "1.", "1.1." … in order, keeping each one's depth."""
    counters: list[int] = []
    edits = []
    for index, section in enumerate(sections):
        if not _NUMBERING.match(section.number):
            continue
        parts = [int(part) for part in section.number.rstrip(".").split(".")]
        depth = len(parts)
        while len(counters) < depth:
            # A sub-number with no numbered parent keeps the parent part it was given.
            counters.append(parts[len(counters)] if len(counters) < depth - 1 else 0)
        del counters[depth:]
        counters[-1] += 1
        number = ".".join(str(part) for part in counters) + "."
        if number != section.number:
            edits.append(Edit("set", ("sections", index, "number"), old=section.number, new=number))
    return edits


def numbering_is_sequential(sections: list[Section]) -> bool:
    """True when every section number is plain numbering and they already run in order."""
    numbers = [section.number for section in sections if section.number]
    return (
        bool(numbers)
        and all(_NUMBERING.match(number) for number in numbers)
        and not renumber_edits(sections)
    )


def next_number(number: str) -> str:
    """ "2.3." → "2.4."; anything that is not plain numbering gives ""."""
    if not _NUMBERING.match(number):
        return ""
    parts = number.rstrip(".").split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts) + "."


class SectionEdits:
    """Adding, deleting, moving and renumbering sections, as undoable steps; a mixin of
    `DraftSession`, built on its `insert_item`, `remove_item` and `move_item`."""

    project: Project
    history: History
    insert_item: Callable[..., int]
    remove_item: Callable[..., Any]
    move_item: Callable[..., int]
    _check: Callable[[PathT], None]

    def add_section(self, host: PluginHost, type_id: str, after: int | None = None) -> int:
        """Add a section of `type_id` after section `after` (at the end when None)."""
        section_type = host.section_types[type_id]
        sections = self.project.sections
        index = len(sections) if after is None else after + 1
        neighbour = sections[index - 1] if 0 < index <= len(sections) else None
        number = next_number(neighbour.number) if neighbour else ""
        section = Section(type_id, number, "", section_type.new_data(), section_type.version)
        numbered = numbering_is_sequential(sections)
        self.insert_item(("sections",), index, section, label=f"thêm mục {section_type.title}")
        self._renumber_into_last(numbered)
        return index

    def delete_section(self, index: int) -> Section:
        """Remove section `index` (undoable)."""
        numbered = numbering_is_sequential(self.project.sections)
        removed = self.remove_item(("sections",), index, label="xóa mục")
        self._renumber_into_last(numbered)
        return removed

    def move_section(self, index: int, offset: int) -> int:
        """Move section `index` up (offset < 0) or down; numbers follow when they were in order."""
        numbered = numbering_is_sequential(self.project.sections)
        target = self.move_item(("sections",), index, offset, label="chuyển mục")
        if target != index:
            self._renumber_into_last(numbered)
        return target

    def renumber(self) -> bool:
        """Number "1.", "1.1." … in order, keeping each numbered section's depth."""
        self._check(("sections",))
        edits = renumber_edits(self.project.sections)
        if not edits:
            return False
        for edit in edits:
            apply_edit(self.project, edit)
        self.history.record("đánh số lại", edits)
        return True

    def _renumber_into_last(self, was_sequential: bool) -> None:
        # Renumbering after a structural edit belongs to the same undo step.
        if not was_sequential:
            return
        edits = renumber_edits(self.project.sections)
        for edit in edits:
            apply_edit(self.project, edit)
        self.history.extend_last(edits)


# -- a new report ---------------------------------------------------------------------------


#: The five standard section types of a review report (kết quả kinh tế, hợp tác, xúc tiến
#: thương mại, tập huấn, tuyên truyền); plugins register them, core only knows their ids.
DEFAULT_SECTION_TYPES: tuple[str, ...] = (
    "economic-results",
    "partnerships",
    "trade-promotion",
    "training",
    "media",
)
#: The free-text type (văn bản tự do) used for the introduction and headings without data.
FREE_TEXT_TYPE = "free-text"


def new_project(kind: str = "cong-van", host: PluginHost | None = None) -> Project:
    """An empty report of `kind` with an introduction and the five standard sections.

    Section data comes from each type's defaults as registered by its plugin; a type no
    installed plugin provides is still listed (with empty data) so `check` names the gap.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    types = host.section_types if host is not None else {}

    def section(type_id: str, number: str = "", heading: str = "") -> Section:
        section_type = types.get(type_id)
        data = section_type.new_data() if section_type else {}
        version = section_type.version if section_type else None
        return Section(type_id, number, heading, data, version)

    sections = [section(FREE_TEXT_TYPE), section(FREE_TEXT_TYPE, "1.", "Kết quả thực hiện")]
    sections += [
        section(type_id, f"1.{position}.")
        for position, type_id in enumerate(DEFAULT_SECTION_TYPES, start=1)
    ]
    document = Particulars(
        kind=kind,
        distribution=["Như trên", "Lưu: VT"] if kind == "cong-van" else ["Lưu: VT"],
        signer=Signer(head_title="GIÁM ĐỐC"),
    )
    return Project(document=document, sections=sections)
