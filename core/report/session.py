"""A drafting session: one report being edited, with undo/redo, saving, locking and recovery.

This is the headless editing API the TUI drives (and tests drive without a screen). Every
change to the `Project` goes through a `DraftSession` method, so each one can be undone, marks
the draft as changed, and is written to disk only through `tongket.core.report.store`. The edits
themselves and the undo history live in `tongket.core.report.editing`.

A session that takes part in locking (`DraftSession.open(path, lock=True)`) holds the report's
lock file (`tongket.core.report.locking`) while it is open. When someone else holds it, the
session is read-only: edits raise `ReadOnlyError`, saving over the file is refused, saving as
another file is allowed. A section whose data was written by a newer version of its plugin is
read-only too.

A report may keep sections in their own files (`include`, see `tongket.core.report.includes`).
Each such part has its own lock, taken the first time this session changes the section
(`tongket.core.report.partlocks`): two sessions edit different parts of one report at once, and
a part someone else holds is read-only here (`section_holder` says who). When someone else
holds the report file itself, its particulars, section list and inline sections are read-only,
and saving writes only this session's parts.

The locks and the recovery copies (the report's and each part's) are `SessionSafety`'s, in
`tongket.core.report.session_safety`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket.core.report import store
from tongket.core.report.editing import (
    DEFAULT_SECTION_TYPES,
    FREE_TEXT_TYPE,
    MISSING,
    Edit,
    EditGroup,
    History,
    PathT,
    SectionEdits,
    apply_edit,
    get_value,
    new_project,
    same_value,
)
from tongket.core.report.locking import FileLock, FileLocked, acquire
from tongket.core.report.model import Project
from tongket.core.report.partlocks import PartLocks
from tongket.core.report.session_safety import (
    ReadOnlyError,
    SessionSafety,
    find_recovery,
    recovery_path_for,
)

if TYPE_CHECKING:
    from tongket.core.host.pluginhost import PluginHost

__all__ = [
    "DEFAULT_FILE_NAME",
    "DEFAULT_SECTION_TYPES",
    "FREE_TEXT_TYPE",
    "MISSING",
    "DraftSession",
    "Edit",
    "EditGroup",
    "ReadOnlyError",
    "find_recovery",
    "get_value",
    "new_project",
    "recovery_path_for",
]

#: Where "save" puts an untitled draft unless the drafter says otherwise.
DEFAULT_FILE_NAME = "bao-cao.toml"


class DraftSession(SectionEdits, SessionSafety):
    """One report being drafted: the project, its file, undo/redo, lock, save and recovery."""

    def __init__(
        self,
        project: Project,
        path: str | os.PathLike[str] | None = None,
        *,
        fingerprint: str | None = None,
        host: PluginHost | None = None,
        locking: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`locking=True` locks the file now (when there is one) and whatever it is saved as;
        `host` lets the session refuse edits of sections newer than their plugin."""
        self.project = project
        self.path: Path | None = Path(path) if path is not None else None
        self.fingerprint = fingerprint  # of the bytes last read or written, for save conflicts
        self.host = host
        self.history = History(clock)
        self.locking = locking
        self.lock: FileLock | None = None
        #: Who holds the file when this session could not lock it (then it is read-only).
        self.locked_by: FileLocked | None = None
        self._recovered_revision = 0
        #: The locks of the report's included files this session holds, and who has the others.
        self.parts = PartLocks()
        #: Parts whose recovery copy this session wrote or restored: its own to remove.
        self._part_copies: set[str] = set()
        #: The recovery copies the last `write_recovery` wrote (the report's first).
        self.recoveries_written: list[Path] = []
        self._own_recovery = False
        self._report_saved = self._report_text_fingerprint()
        if locking and self.path is not None:
            self.acquire_lock()
            self.parts.look(project)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, host: PluginHost | None = None, lock: bool = False
    ) -> DraftSession:
        """Load a report file (raises `ReportFileError` when it cannot be read).

        With `lock`, the file is locked for this session, or opened read-only when someone
        else holds it (`locked_by` says who).
        """
        project, fingerprint = store.load_with_fingerprint(path)
        return cls(project, path, fingerprint=fingerprint, host=host, locking=lock)

    # -- state -----------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when the project differs from the file last saved (or was never saved)."""
        return self.history.dirty

    @property
    def clock(self) -> Callable[[], float]:
        """The time source that decides when quick typing stays one undo step."""
        return self.history.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.history.clock = clock

    @property
    def revision(self) -> int:
        """Grows with every change, undo and redo (for stale previews)."""
        return self.history.revision

    @property
    def display_name(self) -> str:
        """The file name people see in the title ("bao-cao.toml", or "(chưa lưu)")."""
        return self.path.name if self.path else "(bản nháp chưa lưu)"

    def get(self, path: Iterable[str | int]) -> Any:
        """The value at `path`, or MISSING."""
        return get_value(self.project, path)

    @property
    def can_undo(self) -> bool:
        return self.history.can_undo

    @property
    def can_redo(self) -> bool:
        return self.history.can_redo

    # -- read-only -------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when someone else holds the file and every part it includes: nothing may
        change, only "save as"."""
        return self.locked_by is not None and not self.parts.writable(self.project)

    def section_file(self, index: int) -> str | None:
        """The file section `index` is kept in (its `include` path), or None when inline."""
        sections = self.project.sections
        return sections[index].include if 0 <= index < len(sections) else None

    def section_holder(self, index: int) -> FileLocked | None:
        """Who else holds the file section `index` is kept in (the report itself for an inline
        section), making it read-only here; None when this session may edit it."""
        include = self.section_file(index)
        if include is None:
            return self.locked_by
        return self.parts.others.get(include) if include not in self.parts.held else None

    def read_only_sections(self) -> dict[int, FileLocked]:
        """Every section someone else's lock makes read-only here, with who holds it."""
        found = {}
        for index in range(len(self.project.sections)):
            holder = self.section_holder(index)
            if holder is not None:
                found[index] = holder
        return found

    def lock_message(self) -> str | None:
        """Who holds the file (or why it cannot be locked), when this makes the session
        read-only."""
        if self.locked_by is None:
            return None
        return self.locked_by.summary

    def refusal(self, path: Iterable[str | int]) -> str | None:
        """Why the value at `path` may not be changed now, or None when it may."""
        path = tuple(path)
        include = self._include_at(path)
        if include is None:
            message = self.lock_message()
        else:
            message = self.parts.refusal(self.project, include)
        if message:
            return message
        if self.host is None or len(path) < 3 or path[0] != "sections":
            return None
        index = path[1]
        if not isinstance(index, int) or not 0 <= index < len(self.project.sections):
            return None
        from tongket.core.render.document import (
            read_only_message,  # only needed once a section is edited
        )

        return read_only_message(self.project.sections[index], self.host)

    def _include_at(self, path: tuple) -> str | None:
        # A value inside a section kept in its own file belongs to that file; the section list
        # itself (adding, removing, moving) belongs to the report.
        if len(path) < 3 or path[0] != "sections" or not isinstance(path[1], int):
            return None
        return self.section_file(path[1])

    def _check(self, path: PathT) -> None:
        message = self.refusal(path)
        if message:
            raise ReadOnlyError(message)
        include = self._include_at(tuple(path))
        if include is not None and self.locking:
            message = self.parts.take(self.project, include)  # the first change locks the part
            if message:
                raise ReadOnlyError(message)

    # -- edits -----------------------------------------------------------------------------

    def set_value(
        self, path: Iterable[str | int], value: Any, *, label: str = "sửa", typing: bool = False
    ) -> bool:
        """Set the value at `path` (a missing table key is created); False if unchanged.

        `typing=True` merges quick successive changes of the same field into one undo step.
        Raises `ReadOnlyError` when the value may not change (see `refusal`).
        """
        path = tuple(path)
        old = self.get(path)
        if old is not MISSING and same_value(old, value):
            return False
        self._check(path)
        edit = Edit("set", path, old=old, new=value)
        apply_edit(self.project, edit)
        self.history.record(label, [edit], ("set", path) if typing else None)
        return True

    def insert_item(
        self, path: Iterable[str | int], index: int, value: Any, *, label: str = "thêm dòng"
    ) -> int:
        """Insert `value` into the list at `path` (created when missing); returns its index."""
        path = tuple(path)
        self._check(path)
        edits = []
        items = self.get(path)
        if items is MISSING:
            create = Edit("set", path, old=MISSING, new=[])
            apply_edit(self.project, create)
            edits.append(create)
            items = create.new
        index = max(0, min(index, len(items)))
        edit = Edit("insert", path, new=value, index=index)
        apply_edit(self.project, edit)
        edits.append(edit)
        self.history.record(label, edits)
        return index

    def remove_item(self, path: Iterable[str | int], index: int, *, label: str = "xóa dòng") -> Any:
        """Remove and return the item at `index` of the list at `path`."""
        path = tuple(path)
        self._check(path)
        items = self.get(path)
        edit = Edit("remove", path, old=items[index], index=index)
        apply_edit(self.project, edit)
        self.history.record(label, [edit])
        return edit.old

    def move_item(
        self, path: Iterable[str | int], index: int, offset: int, *, label: str = "chuyển dòng"
    ) -> int:
        """Move an item of the list at `path` by `offset` places; returns its new index."""
        path = tuple(path)
        self._check(path)
        items = self.get(path)
        target = max(0, min(index + offset, len(items) - 1))
        if target == index:
            return index
        edit = Edit("move", path, index=index, target=target)
        apply_edit(self.project, edit)
        self.history.record(label, [edit])
        return target

    # -- undo / redo -----------------------------------------------------------------------

    def undo(self) -> EditGroup | None:
        """Revert the last edit group; returns it (None when there is nothing to undo)."""
        return self.history.undo(self.project)

    def redo(self) -> EditGroup | None:
        """Re-apply the last undone group; returns it (None when there is nothing to redo)."""
        return self.history.redo(self.project)

    # -- files -----------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str] | None = None, *, overwrite: bool = False) -> Path:
        """Write the report (atomically, through `store.save`); `path` saves as a new file.

        Saving over the file this draft came from raises `store.SaveConflict` when someone
        changed it on disk meanwhile, unless `overwrite`, and `ReadOnlyError` when someone else
        holds its lock. Saving as another file locks that file first (`locking.FileLocked`
        when someone has it open).
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("an untitled draft needs a path to save to")
        same_file = self.path is not None and _same_file(target, self.path)
        if same_file and self.read_only:
            raise ReadOnlyError(self.lock_message() or "")
        # Someone else holds the report file: only this session's parts are written.
        parts_only = same_file and self.locked_by is not None
        new_lock = None
        if self.locking and not same_file:
            new_lock = acquire(target)
        expected = self.fingerprint if same_file else None
        old_recovery = self.recovery_path
        try:
            self.fingerprint = store.save(
                self.project,
                target,
                expected=expected,
                overwrite=overwrite,
                report=not parts_only,
            )
        except BaseException:
            if new_lock is not None:
                new_lock.release()
            raise
        self._remove_part_recoveries()
        self._report_saved = self._report_text_fingerprint()
        if new_lock is not None:
            if self.lock is not None:
                self.lock.release()
            self.lock, self.locked_by = new_lock, None
        if not same_file:  # the parts are now those beside the new file: locked on first change
            self.parts.release()
            self.parts.others.clear()
            if self.locking:
                self.parts.look(self.project)
        self.path = target
        self.history.mark_saved()
        self._recovered_revision = self.revision
        if self.locked_by is None:  # a read-only view never removes the holder's copy
            old_recovery.unlink(missing_ok=True)
        self.recovery_path.unlink(missing_ok=True)
        return target

    def reload(self) -> None:
        """Read the file again, dropping unsaved changes (after a save conflict, or a take-over)."""
        if self.path is None:
            raise ValueError("an untitled draft has no file to reload")
        self.project, self.fingerprint = store.load_with_fingerprint(self.path)
        self.history.reset(saved=True)
        self._recovered_revision = self.revision
        self._report_saved = self._report_text_fingerprint()
        if self.locking:
            self.parts.look(self.project)


def _same_file(one: Path, other: Path) -> bool:
    return os.path.realpath(one) == os.path.realpath(other)
