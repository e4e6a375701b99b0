"""The locks and recovery copies of a drafting session (`DraftSession`'s crash safety).

Kept apart from the editing API in `tongket.core.report.session`: who holds the report file and
each included part (`tongket.core.report.locking`, `tongket.core.report.partlocks`), taking an
abandoned lock over, and the recovery copies (`.FILE.toml.recovery` beside the file, and one
beside each part) written while a draft has unsaved changes and offered when it is opened again.

A part's recovery copy is removed only by the session that wrote or restored it, or that holds
the part: a copy a crashed colleague left beside a part this session never touched stays until
someone restores or discards it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tongket.core.problems import ReportFileError
from tongket.core.report import store
from tongket.core.report.atomicfile import fingerprint as content_fingerprint
from tongket.core.report.includes import part_text
from tongket.core.report.locking import FileLock, FileLocked, LockHolder, acquire, read_lock
from tongket.core.report.partlocks import PartLocks, part_recovery_path

if TYPE_CHECKING:
    from tongket.core.report.editing import History
    from tongket.core.report.model import Project

#: Recovery copy of an untitled draft, in the working folder.
UNTITLED_RECOVERY = ".ban-nhap.toml.recovery"


class ReadOnlyError(Exception):
    """An edit or save refused: someone else has the file open, or the section is newer than
    its plugin. `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SessionSafety:
    """Locks and recovery copies; mixed into `DraftSession`, whose state it shares."""

    project: Project
    path: Path | None
    history: History
    locking: bool
    lock: FileLock | None
    locked_by: FileLocked | None
    parts: PartLocks
    _recovered_revision: int
    _part_copies: set[str]
    recoveries_written: list[Path]
    _report_saved: str | None
    fingerprint: str | None
    #: Whether the report's recovery copy beside the file is one this session wrote.
    _own_recovery: bool

    # -- lock ------------------------------------------------------------------------------

    def acquire_lock(self, *, take_over: bool = False) -> bool:
        """Lock the file for this session; False (and `locked_by` set) when someone has it.

        `take_over` replaces a lock that looks abandoned, never one whose holder is active.
        """
        if self.path is None:
            return True
        self.locking = True
        try:
            self.lock = acquire(self.path, take_over=take_over)
        except FileLocked as locked:
            self.lock, self.locked_by = None, locked
            return False
        self.locked_by = None
        return True

    def take_over(self, parts: Iterable[str] = ()) -> bool:
        """Take over an abandoned lock and reload the file; False when its holder is active.

        `parts` (includes, see `abandoned_parts`) are taken over as well, when their lock
        still looks abandoned: what one crashed session held comes back in one step. Unsaved
        changes in the parts this session holds are kept; the rest is read again (see
        `unsaved_beyond_held_parts`).
        """
        if not self.acquire_lock(take_over=True):
            return False
        kept = {
            section.include: section
            for section in self.project.sections
            if section.include in self.parts.held and self.part_unsaved(section.include)
        }
        self.reload()
        for index, section in enumerate(self.project.sections):
            if section.include in kept:
                self.project.sections[index] = kept[section.include]
        if kept:
            self.history.reset(saved=False)
        for include in parts:
            self.parts.take(self.project, include, take_over=True)
        return True

    def unsaved_beyond_held_parts(self) -> bool:
        """Whether the draft has unsaved changes other than in the parts this session holds:
        what reading the report again (a take-over) would drop."""
        if not self.dirty:
            return False
        if self._report_saved is None or self._report_text_fingerprint() != self._report_saved:
            return True
        return any(
            self.part_unsaved(include)
            for include in self.project.parts
            if include not in self.parts.held
        )

    def abandoned_parts(self, holder: LockHolder | None = None) -> list[str]:
        """The parts (includes) whose lock looks abandoned; with `holder`, only those held by
        that same process (a crashed session holds the report and the parts it changed)."""
        return [
            include
            for include, locked in self.parts.others.items()
            if include not in self.parts.held
            and locked.stale
            and (holder is None or _same_process(locked.holder, holder))
        ]

    def take_over_part(self, include: str, *, reload: bool = True) -> bool:
        """Take over the abandoned lock of the part `include`, then read that section again
        from its file (unless not `reload`: the draft's version is kept, and saving it checks
        the file for changes as usual); False when the holder is still active."""
        if include in self.parts.held:
            return True
        if self.parts.take(self.project, include, take_over=True) is not None:
            return False
        if reload:
            self.reload_part(include)
        return True

    def reload_part(self, include: str) -> None:
        """Read the section kept in `include` again from its file, dropping this draft's
        changes to that section only; `ReportFileError` when it cannot be read."""
        if self.path is None:
            raise ValueError("an untitled draft has no file to reload")
        fresh = store.load(self.path)  # the same checks and messages as opening the report
        section = next((item for item in fresh.sections if item.include == include), None)
        if section is None or include not in fresh.parts:
            raise ReportFileError(
                str(self.path), f"tệp báo cáo trên đĩa không còn mục nằm ở tệp '{include}'"
            )
        for index, current in enumerate(self.project.sections):
            if current.include == include:
                self.project.sections[index] = section
        self.project.parts[include] = fresh.parts[include]
        # Undo steps may address the replaced section: they go. Other unsaved changes stay.
        self.history.reset(saved=not self.dirty)
        self._recovered_revision = self.revision

    def part_unsaved(self, include: str) -> bool:
        """Whether the draft's section kept in `include` differs from what its file held when
        last read or written (changes a reload of the part would drop)."""
        part = self.project.parts.get(include)
        section = next((item for item in self.project.sections if item.include == include), None)
        if part is None or section is None:
            return False
        text = part_text(section, self.project.schema_version)
        return content_fingerprint(text.encode("utf-8")) != part.saved

    def refresh_lock(self) -> bool:
        """Mark the lock as still in use (call now and then); False when it was taken over."""
        self.parts.refresh()
        if self.locking:
            self.parts.look(self.project)  # who took which part since: shown in the outline
        if self.lock is None:
            return self.locked_by is None
        if self.lock.refresh():
            return True
        self.lock = None
        holder = read_lock(self.path) if self.path is not None else None
        if holder is None:  # the lock file vanished (deleted by hand): take it again
            return self.acquire_lock()
        self.locked_by = FileLocked(self.path, holder, holder.stale_reason())
        return False

    def recheck_lock(self) -> None:
        """Look again at who holds the file (in a read-only view): the lock may be abandoned."""
        if self.locking:
            self.parts.look(self.project)
        if self.locked_by is None or self.path is None:
            return
        holder = read_lock(self.path)
        if holder is None:
            released = "người giữ khóa đã đóng tệp"
            self.locked_by = FileLocked(self.path, self.locked_by.holder, released)
        else:
            self.locked_by = FileLocked(self.path, holder, holder.stale_reason())

    def release_lock(self) -> None:
        """Remove this session's lock files, the report's and its parts' (when closing)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.parts.release()

    # -- recovery --------------------------------------------------------------------------

    @property
    def recovery_path(self) -> Path:
        """Where the recovery copy goes: `.FILE.toml.recovery` beside the file."""
        return recovery_path_for(self.path)

    def write_recovery(self, *, force: bool = False) -> Path | None:
        """Write the recovery copy if there are changes it does not hold yet.

        A read-only view writes none: the copy beside the file belongs to the lock holder.
        """
        if self.read_only:
            return None
        if not self.dirty:
            # Undone back to the saved file: a copy this session wrote holds changes the
            # drafter took back, which a crash would offer again.
            self._drop_own_recovery()
            return None
        if self._recovered_revision == self.revision and not force:
            return None
        target: Path | None = None
        text = store.dumps(self.project).encode("utf-8")
        # Edits that put back what the file holds (a field emptied and typed again) count as
        # changes in the history, but a copy of them would hold nothing unsaved.
        saved = self._report_saved if self.project.parts else self.fingerprint
        changed = saved is None or content_fingerprint(text) != saved
        if self.locked_by is None and changed:
            target = self.recovery_path
            # Readable by no more people than the report itself (a 0600 report, a 0600 copy).
            store.atomic_write(target, text, like=self.path)
            self._own_recovery = True
        elif self.locked_by is None:
            self._drop_own_recovery()
        # Each part this session may write has its own copy, beside it.
        written = self.parts.write_recoveries(self.project)
        for include, part in self.project.parts.items():
            if part_recovery_path(part) in written:
                self._part_copies.add(include)
        self._recovered_revision = self.revision
        self.recoveries_written = ([target] if target else []) + written
        return target or (written[0] if written else None)

    def _drop_own_recovery(self) -> None:
        # Only the copy this session wrote: one a crashed session left stays until the
        # drafter restores or discards it.
        if self._own_recovery and self.locked_by is None:
            self.recovery_path.unlink(missing_ok=True)
            self._own_recovery = False

    def part_recoveries(self, including: Iterable[str] = ()) -> dict[str, Path]:
        """Recovery copies of this report's parts (by `include`) newer than the parts, among
        those nobody else holds: what an earlier session left unsaved. `including` adds the
        copies of those parts even when someone holds them (an abandoned lock about to be
        taken over)."""
        found = self.parts.recoveries(self.project)
        for include in including:
            part = self.project.parts.get(include)
            copy = _newer_copy(part_recovery_path(part), part.path) if part else None
            if copy is not None:
                found[include] = copy
        return found

    def discard_part_recoveries(self, copies: dict[str, Path]) -> None:
        """Remove these recovery copies of parts (the drafter chose to drop them)."""
        for include, copy in copies.items():
            copy.unlink(missing_ok=True)
            self._part_copies.discard(include)

    def _remove_part_recoveries(self) -> None:
        # Saved or dropped: the copies this session made or restored, and those of the parts
        # it holds. A copy someone else left beside a part this session never touched stays.
        for include in self._part_copies | set(self.parts.held):
            part = self.project.parts.get(include)
            if part is not None and self.parts.refusal(self.project, include) is None:
                part_recovery_path(part).unlink(missing_ok=True)
        self._part_copies.clear()

    def restore_parts(self, copies: dict[str, Path] | None = None) -> list[str]:
        """Put the sections of recovery copies of parts (`part_recoveries` by default) back
        into the draft, which then counts as unsaved; returns the parts restored."""
        copies = self.part_recoveries() if copies is None else copies
        restored = []
        for index, section in enumerate(self.project.sections):
            copy = copies.get(section.include or "")
            if copy is None:
                continue
            self._check(("sections", index, "data"))
            part = self.project.parts[section.include or ""]
            # Read as a part is read: a copy not UTF-8, a FIFO or a huge file is a message.
            recovered = store.read_part_copy(copy, part.display)
            recovered.include = section.include
            self.project.sections[index] = recovered
            restored.append(section.include or "")
            self._part_copies.add(section.include or "")
        if restored:
            self.history.reset(saved=False)
        return restored

    def _report_text_fingerprint(self) -> str | None:
        # What the report file holds when it has parts: a change inside a part alone needs no
        # recovery copy of the report. (Not computed for the usual report: it costs a dump.)
        if not self.project.parts:
            return None
        return content_fingerprint(store.dumps(self.project).encode("utf-8"))

    def discard_recovery(self) -> None:
        """Remove the recovery copy (the drafter chose to drop the unsaved changes)."""
        if self.locked_by is None:
            self.recovery_path.unlink(missing_ok=True)
        if not self.read_only:
            self._remove_part_recoveries()

    def restore(self, recovery: str | os.PathLike[str]) -> None:
        """Replace the project with a recovery copy; the draft then counts as unsaved."""
        if self.read_only:
            raise ReadOnlyError(self.lock_message() or "")
        self.project = store.load(recovery)
        self.history.reset(saved=False)


def recovery_path_for(path: str | os.PathLike[str] | None) -> Path:
    """`.FILE.toml.recovery` beside `path`; an untitled draft's copy in the working folder."""
    if path is None:
        return Path.cwd() / UNTITLED_RECOVERY
    path = Path(path)
    return path.with_name(f".{path.name}.recovery")


def find_recovery(path: str | os.PathLike[str] | None) -> Path | None:
    """A recovery copy for `path` that is newer than the file itself, or None."""
    return _newer_copy(recovery_path_for(path), Path(path) if path is not None else None)


def _newer_copy(recovery: Path, file: Path | None) -> Path | None:
    # The copy, unless the file was written after it (then it holds nothing unsaved).
    if not recovery.is_file():
        return None
    if (
        file is not None
        and file.is_file()
        and recovery.stat().st_mtime_ns <= file.stat().st_mtime_ns
    ):
        return None
    return recovery


def _same_process(one: LockHolder, other: LockHolder) -> bool:
    # Two lock records written by one process (a damaged record names no process).
    if one.damage or other.damage:
        return False
    return (one.user, one.host, one.pid, one.started) == (
        other.user,
        other.host,
        other.pid,
        other.started,
    )
