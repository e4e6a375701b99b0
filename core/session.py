"""A drafting session: one report being edited, with undo/redo, saving and a recovery copy.

This is the headless editing API the TUI drives (and tests drive without a screen). Every
change to the `Project` goes through a `DraftSession` method, so each one can be undone, marks
the draft as changed, and is written to disk only through `tongket.core.store`.

Paths address any value in the project from the top: `("document", "signer", "name")`,
`("sections", 3, "data", "series", 2, "value")`. Integers are list positions (0-based).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import store
from .model import KINDS, Particulars, Project, Section, Signer

if TYPE_CHECKING:
    from .pluginhost import PluginHost

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
#: Where "save" puts an untitled draft unless the drafter says otherwise.
DEFAULT_FILE_NAME = "bao-cao.toml"
#: Recovery copy of an untitled draft, in the working folder.
UNTITLED_RECOVERY = ".ban-nhap.toml.recovery"
#: Typing in one field within this many seconds stays one undo step.
COALESCE_SECONDS = 1.0

Path_ = tuple[str | int, ...]
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.$")


class _Missing:
    """Marks a table key that does not exist (so undo can remove it again)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


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


# -- addressing values by path -------------------------------------------------------------


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


def _put(root: Any, path: Path_, value: Any) -> None:
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


# -- edits and undo ------------------------------------------------------------------------


@dataclass
class Edit:
    """One reversible change: set a value, or insert/remove/move an item of a list."""

    op: Literal["set", "insert", "remove", "move"]
    path: Path_  # the value for "set", the list for the others
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
    def paths(self) -> list[Path_]:
        return [edit.path for edit in self.edits]


def _apply(root: Any, edit: Edit, forward: bool) -> None:
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


class DraftSession:
    """One report being drafted: the project, its file, undo/redo, save and recovery."""

    def __init__(
        self,
        project: Project,
        path: str | os.PathLike[str] | None = None,
        *,
        fingerprint: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.project = project
        self.path: Path | None = Path(path) if path is not None else None
        self.fingerprint = fingerprint  # of the bytes last read or written, for save conflicts
        self.clock = clock
        self.revision = 0  # grows with every change, undo and redo (for stale previews)
        self._undo: list[EditGroup] = []
        self._redo: list[EditGroup] = []
        self._serial = 0
        self._saved_serial = 0
        self._recovered_revision = 0
        self._open_group: EditGroup | None = None

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> DraftSession:
        """Load a report file (raises `ReportFileError` when it cannot be read)."""
        project, fingerprint = store.load_with_fingerprint(path)
        return cls(project, path, fingerprint=fingerprint)

    # -- state -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when the project differs from the file last saved (or was never saved)."""
        return self._state() != self._saved_serial

    def _state(self) -> int:
        return self._undo[-1].serial if self._undo else 0

    @property
    def display_name(self) -> str:
        """The file name people see in the title ("bao-cao.toml", or "(chưa lưu)")."""
        return self.path.name if self.path else "(bản nháp chưa lưu)"

    def get(self, path: Iterable[str | int]) -> Any:
        """The value at `path`, or MISSING."""
        return get_value(self.project, path)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # -- recording ---------------------------------------------------------------------

    def _record(self, label: str, edits: list[Edit], merge_key: tuple | None = None) -> EditGroup:
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

    def set_value(
        self, path: Iterable[str | int], value: Any, *, label: str = "sửa", typing: bool = False
    ) -> bool:
        """Set the value at `path` (a missing table key is created); False if unchanged.

        `typing=True` merges quick successive changes of the same field into one undo step.
        """
        path = tuple(path)
        old = self.get(path)
        if old is not MISSING and _same(old, value):
            return False
        edit = Edit("set", path, old=old, new=value)
        _apply(self.project, edit, True)
        self._record(label, [edit], ("set", path) if typing else None)
        return True

    def insert_item(
        self, path: Iterable[str | int], index: int, value: Any, *, label: str = "thêm dòng"
    ) -> int:
        """Insert `value` into the list at `path` (created when missing); returns its index."""
        path = tuple(path)
        edits = []
        items = self.get(path)
        if items is MISSING:
            create = Edit("set", path, old=MISSING, new=[])
            _apply(self.project, create, True)
            edits.append(create)
            items = create.new
        index = max(0, min(index, len(items)))
        edit = Edit("insert", path, new=value, index=index)
        _apply(self.project, edit, True)
        edits.append(edit)
        self._record(label, edits)
        return index

    def remove_item(self, path: Iterable[str | int], index: int, *, label: str = "xóa dòng") -> Any:
        """Remove and return the item at `index` of the list at `path`."""
        path = tuple(path)
        items = self.get(path)
        edit = Edit("remove", path, old=items[index], index=index)
        _apply(self.project, edit, True)
        self._record(label, [edit])
        return edit.old

    def move_item(
        self, path: Iterable[str | int], index: int, offset: int, *, label: str = "chuyển dòng"
    ) -> int:
        """Move an item of the list at `path` by `offset` places; returns its new index."""
        path = tuple(path)
        items = self.get(path)
        target = max(0, min(index + offset, len(items) - 1))
        if target == index:
            return index
        edit = Edit("move", path, index=index, target=target)
        _apply(self.project, edit, True)
        self._record(label, [edit])
        return target

    # -- sections --------------------------------------------------------------------------

    def add_section(self, host: PluginHost, type_id: str, after: int | None = None) -> int:
        """Add a section of `type_id` after section `after` (at the end when None)."""
        section_type = host.section_types[type_id]
        sections = self.project.sections
        index = len(sections) if after is None else after + 1
        neighbour = sections[index - 1] if 0 < index <= len(sections) else None
        number = _next_number(neighbour.number) if neighbour else ""
        section = Section(type_id, number, "", section_type.new_data(), section_type.version)
        numbered = self._numbering_is_sequential()
        self.insert_item(("sections",), index, section, label=f"thêm mục {section_type.title}")
        self._renumber_into_top(numbered)
        return index

    def delete_section(self, index: int) -> Section:
        """Remove section `index` (undoable)."""
        numbered = self._numbering_is_sequential()
        removed = self.remove_item(("sections",), index, label="xóa mục")
        self._renumber_into_top(numbered)
        return removed

    def move_section(self, index: int, offset: int) -> int:
        """Move section `index` up (offset < 0) or down; numbers follow when they were in order."""
        numbered = self._numbering_is_sequential()
        target = self.move_item(("sections",), index, offset, label="chuyển mục")
        if target != index:
            self._renumber_into_top(numbered)
        return target

    def renumber(self) -> bool:
        """Number "1.", "1.1." … in order, keeping each numbered section's depth."""
        edits = self._renumber_edits()
        if not edits:
            return False
        for edit in edits:
            _apply(self.project, edit, True)
        self._record("đánh số lại", edits)
        return True

    def _numbering_is_sequential(self) -> bool:
        numbers = [section.number for section in self.project.sections if section.number]
        return (
            bool(numbers)
            and all(_NUMBERING.match(n) for n in numbers)
            and not (self._renumber_edits())
        )

    def _renumber_into_top(self, was_sequential: bool) -> None:
        # Renumbering after a structural edit belongs to the same undo step.
        if not was_sequential:
            return
        edits = self._renumber_edits()
        for edit in edits:
            _apply(self.project, edit, True)
        if edits:
            self._undo[-1].edits.extend(edits)

    def _renumber_edits(self) -> list[Edit]:
        counters: list[int] = []
        edits = []
        for index, section in enumerate(self.project.sections):
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
                edits.append(
                    Edit("set", ("sections", index, "number"), old=section.number, new=number)
                )
        return edits

    # -- undo / redo -----------------------------------------------------------------------

    def undo(self) -> EditGroup | None:
        """Revert the last edit group; returns it (None when there is nothing to undo)."""
        if not self._undo:
            return None
        group = self._undo.pop()
        for edit in reversed(group.edits):
            _apply(self.project, edit, False)
        group.merge_key = None  # a redone group never swallows new typing
        self._redo.append(group)
        self.revision += 1
        return group

    def redo(self) -> EditGroup | None:
        """Re-apply the last undone group; returns it (None when there is nothing to redo)."""
        if not self._redo:
            return None
        group = self._redo.pop()
        for edit in group.edits:
            _apply(self.project, edit, True)
        self._undo.append(group)
        self.revision += 1
        return group

    # -- files -----------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str] | None = None, *, overwrite: bool = False) -> Path:
        """Write the report (atomically, through `store.save`); `path` saves as a new file.

        Saving over the file this draft came from raises `store.SaveConflict` when someone
        changed it on disk meanwhile, unless `overwrite`.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("an untitled draft needs a path to save to")
        same_file = self.path is not None and _same_file(target, self.path)
        expected = self.fingerprint if same_file else None
        old_recovery = self.recovery_path
        self.fingerprint = store.save(self.project, target, expected=expected, overwrite=overwrite)
        self.path = target
        self._saved_serial = self._state()
        self._recovered_revision = self.revision
        old_recovery.unlink(missing_ok=True)
        self.recovery_path.unlink(missing_ok=True)
        return target

    @property
    def recovery_path(self) -> Path:
        """Where the recovery copy goes: `.FILE.toml.recovery` beside the file."""
        return recovery_path_for(self.path)

    def write_recovery(self, *, force: bool = False) -> Path | None:
        """Write the recovery copy if there are changes it does not hold yet."""
        if not self.dirty or (self._recovered_revision == self.revision and not force):
            return None
        target = self.recovery_path
        store.atomic_write(target, store.dumps(self.project).encode("utf-8"))
        self._recovered_revision = self.revision
        return target

    def discard_recovery(self) -> None:
        """Remove the recovery copy (the drafter chose to drop the unsaved changes)."""
        self.recovery_path.unlink(missing_ok=True)

    def restore(self, recovery: str | os.PathLike[str]) -> None:
        """Replace the project with a recovery copy; the draft then counts as unsaved."""
        self.project = store.load(recovery)
        self._undo.clear()
        self._redo.clear()
        self._serial += 1
        self._saved_serial = -1  # differs from every state: the file on disk is older
        self.revision += 1


def recovery_path_for(path: str | os.PathLike[str] | None) -> Path:
    """`.FILE.toml.recovery` beside `path`; an untitled draft's copy in the working folder."""
    if path is None:
        return Path.cwd() / UNTITLED_RECOVERY
    path = Path(path)
    return path.with_name(f".{path.name}.recovery")


def find_recovery(path: str | os.PathLike[str] | None) -> Path | None:
    """A recovery copy for `path` that is newer than the file itself, or None."""
    recovery = recovery_path_for(path)
    if not recovery.is_file():
        return None
    file = Path(path) if path is not None else None
    if (
        file is not None
        and file.is_file()
        and recovery.stat().st_mtime_ns <= file.stat().st_mtime_ns
    ):
        return None
    return recovery


def _same_file(one: Path, other: Path) -> bool:
    return os.path.realpath(one) == os.path.realpath(other)


def _same(old: Any, new: Any) -> bool:
    # 1409 and 1409.0 are the same figure; True and 1 are not the same value.
    numbers = (int, float)
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, numbers) and isinstance(new, numbers):
        return old == new
    return type(old) is type(new) and old == new


def _next_number(number: str) -> str:
    """ "2.3." → "2.4."; anything that is not plain numbering gives ""."""
    if not _NUMBERING.match(number):
        return ""
    parts = number.rstrip(".").split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts) + "."
