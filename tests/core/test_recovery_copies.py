"""The recovery copy holds unsaved changes only: edits that put back what the file holds, or
that undo takes back, leave no copy behind for a crash to offer again."""

from __future__ import annotations

import datetime as dt

import pytest

from tongket.core.report.session import DraftSession, find_recovery, recovery_path_for

DATE = ("document", "date")


@pytest.fixture
def saved(sample_copy):
    """A session on a report tongket itself saved (the sample has comments of its own)."""
    session = DraftSession.open(sample_copy)
    session.set_value(("document", "number"), "15")
    session.save()
    return session


def test_emptying_a_field_and_typing_it_again_writes_no_copy(saved):
    # One undo step that changes nothing: the history counts it, the file already holds it.
    date = saved.get(DATE)
    saved.set_value(DATE, None, typing=True)
    saved.set_value(DATE, date, typing=True)
    assert saved.dirty
    assert saved.write_recovery() is None
    assert not recovery_path_for(saved.path).exists()


def test_a_copy_of_a_change_undone_is_removed(saved):
    saved.set_value(DATE, dt.date(2021, 4, 5))
    written = saved.write_recovery()
    assert written == recovery_path_for(saved.path) and written.exists()
    saved.undo()
    assert not saved.dirty
    saved.write_recovery()
    assert not written.exists()
    assert find_recovery(saved.path) is None


def test_a_copy_of_a_change_put_back_by_hand_is_removed(saved):
    date = saved.get(DATE)
    saved.set_value(DATE, dt.date(2021, 4, 5))
    written = saved.write_recovery()
    assert written.exists()
    saved.set_value(DATE, date)  # a second step that puts the old date back
    assert saved.dirty
    assert saved.write_recovery() is None
    assert not written.exists()


def test_a_copy_another_session_left_stays(saved):
    # A crashed session's unsaved work: this session never wrote it, so it never removes it.
    left = recovery_path_for(saved.path)
    left.write_text(saved.path.read_text(encoding="utf-8") + "\n# sửa dở\n", encoding="utf-8")
    saved.write_recovery()
    date = saved.get(DATE)
    saved.set_value(DATE, None, typing=True)
    saved.set_value(DATE, date, typing=True)
    saved.write_recovery()
    assert left.exists()
