"""Locks and recovery copies of the included files of a report, for one editing session.

Each file a report includes (`tongket.core.report.includes`) has its own lock, `.bak` and
recovery copy, so two offices edit their parts while a third holds the report itself. A session
locks a part the first time it changes something in it (not on opening: the others would
then find every part taken), keeps the lock until it closes, and knows who holds the parts it
could not lock: those sections are read-only in it, and `refusal` says by whom.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tongket.core.report.atomicfile import atomic_write, fingerprint
from tongket.core.report.includes import PartFile, part_text
from tongket.core.report.locking import FileLock, FileLocked, acquire, read_lock
from tongket.core.report.model import Project

__all__ = ["PartLocks", "part_recovery_path"]


def part_recovery_path(part: PartFile) -> Path:
    """`.NAME.toml.recovery` beside the included file."""
    return part.path.with_name(f".{part.path.name}.recovery")


@dataclass
class PartLocks:
    """The parts one session holds (`held`) and those it found held by others (`others`)."""

    held: dict[str, FileLock] = field(default_factory=dict)
    others: dict[str, FileLocked] = field(default_factory=dict)

    def look(self, project: Project) -> None:
        """Read again who holds each part this session does not (without taking any)."""
        for include, part in project.parts.items():
            if include in self.held:
                continue
            holder = read_lock(part.path)
            if holder is None:
                self.others.pop(include, None)
            else:
                self.others[include] = FileLocked(part.path, holder, holder.stale_reason())

    def refusal(self, project: Project, include: str) -> str | None:
        """Why the part may not change in this session (someone else holds it), or None."""
        locked = self.others.get(include) if include not in self.held else None
        if locked is None:
            return None
        part = project.parts.get(include)
        return f"{part.display if part else include}: {locked.summary}"

    def take(self, project: Project, include: str, *, take_over: bool = False) -> str | None:
        """Lock the part for this session unless it is already; returns why it cannot (None
        when it is held now). `take_over` replaces a lock that looks abandoned."""
        part = project.parts.get(include)
        if include in self.held or part is None:
            return None  # a part not saved yet has no file to lock
        try:
            self.held[include] = acquire(part.path, take_over=take_over)
        except FileLocked as locked:
            self.others[include] = locked
            return self.refusal(project, include)
        self.others.pop(include, None)
        return None

    def refresh(self) -> None:
        """Mark every held lock as still in use; a lock taken over meanwhile is given up."""
        for include, lock in list(self.held.items()):
            if lock.refresh():
                continue
            del self.held[include]
            holder = read_lock(lock.path)
            if holder is not None:
                self.others[include] = FileLocked(lock.path, holder, holder.stale_reason())

    def release(self) -> None:
        """Remove this session's part locks (when closing the report)."""
        for lock in self.held.values():
            lock.release()
        self.held.clear()

    def writable(self, project: Project) -> list[str]:
        """The included parts this session may change: all those nobody else holds."""
        return [
            section.include
            for section in project.sections
            if section.include is not None and self.refusal(project, section.include) is None
        ]

    def changed(self, project: Project) -> list[tuple[str, str]]:
        """(include, text) of each part this session may write whose text is not the saved."""
        found = []
        for section in project.sections:
            include = section.include
            part = project.parts.get(include or "")
            if include is None or part is None or self.refusal(project, include):
                continue
            text = part_text(section, project.schema_version)
            if fingerprint(text.encode("utf-8")) != part.saved:
                found.append((include, text))
        return found

    def write_recoveries(self, project: Project) -> list[Path]:
        """Write the recovery copy of every changed part this session may write."""
        written = []
        for include, text in self.changed(project):
            part = project.parts[include]
            target = part_recovery_path(part)
            # Readable by no more people than the part itself.
            atomic_write(target, text.encode("utf-8"), like=part.path)
            written.append(target)
        return written

    def recoveries(self, project: Project) -> dict[str, Path]:
        """The recovery copies newer than their part, of parts nobody else holds."""
        found = {}
        for include in self.writable(project):
            part = project.parts.get(include)
            if part is None:
                continue
            copy = part_recovery_path(part)
            try:
                newer = copy.stat().st_mtime_ns > os.stat(part.path).st_mtime_ns
            except OSError:
                newer = copy.is_file()
            if newer:
                found[include] = copy
        return found
