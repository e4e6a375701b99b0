"""The headless editing API the TUI drives: edits, undo/redo, sections, save and recovery."""

from __future__ import annotations

import copy
import datetime as dt
import os
import socket
import subprocess
import sys
import tomllib

import pytest

from tongket.core.host.pluginhost import PluginHost
from tongket.core.report import locking, store
from tongket.core.report.locking import LockHolder
from tongket.core.report.model import Section
from tongket.core.report.session import (
    DEFAULT_SECTION_TYPES,
    MISSING,
    DraftSession,
    ReadOnlyError,
    find_recovery,
    new_project,
    recovery_path_for,
)


class FakeClock:
    """A clock the test moves by hand, so typing bursts are deterministic."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(sample_copy, clock) -> DraftSession:
    opened = DraftSession.open(sample_copy)
    opened.clock = clock
    return opened


def numbers(session: DraftSession) -> list[str]:
    return [section.number for section in session.project.sections]


# -- new_project -------------------------------------------------------------------------


def test_new_project_has_the_five_standard_sections_with_plugin_defaults(host):
    project = new_project("bao-cao", host)
    types = [section.type for section in project.sections]
    assert types[-5:] == list(DEFAULT_SECTION_TYPES)
    assert project.document.kind == "bao-cao"
    for section in project.sections[-5:]:
        section_type = host.section_types[section.type]
        assert section.data == section_type.default_data
        assert section.data is not section_type.default_data
        assert section.version == section_type.version
    assert [s.number for s in project.sections] == [
        "",
        "1.",
        "1.1.",
        "1.2.",
        "1.3.",
        "1.4.",
        "1.5.",
    ]


def test_new_project_round_trips_through_toml(host):
    project = new_project("cong-van", host)
    assert store.loads(store.dumps(project)) == project


def test_new_project_keeps_types_no_plugin_provides():
    project = new_project("cong-van", PluginHost())
    assert [s.type for s in project.sections[-5:]] == list(DEFAULT_SECTION_TYPES)
    assert all(section.data == {} for section in project.sections)


def test_new_project_rejects_an_unknown_kind(host):
    with pytest.raises(ValueError, match="kind"):
        new_project("thong-bao", host)


# -- values, undo, redo ------------------------------------------------------------------


def test_set_value_marks_dirty_and_undo_returns_to_the_saved_state(session):
    assert not session.dirty
    assert session.set_value(("document", "signer", "name"), "Nguyễn Văn A")
    assert session.dirty
    assert session.project.document.signer.name == "Nguyễn Văn A"
    group = session.undo()
    assert group is not None and group.paths == [("document", "signer", "name")]
    assert session.project.document.signer.name == "Võ Văn Rân"
    assert not session.dirty
    session.redo()
    assert session.project.document.signer.name == "Nguyễn Văn A"
    assert session.dirty


def test_setting_the_same_value_records_nothing(session):
    assert not session.set_value(("document", "place"), "Quảng Ngãi")
    assert not session.can_undo


def test_an_equal_number_of_another_type_is_not_a_change(session):
    path = ("sections", 3, "data", "indicators", 0, "series", 0, "value")
    value = session.get(path)
    assert not session.set_value(path, float(value))


def test_quick_typing_in_one_field_is_one_undo_step(session, clock):
    path = ("sections", 0, "data", "text")
    original = session.get(path)
    for text in ("S", "Sở", "Sở C"):
        clock.now += 0.3
        session.set_value(path, text, typing=True)
    clock.now += 5  # a pause starts a new step
    session.set_value(path, "Sở CT", typing=True)
    session.undo()
    assert session.get(path) == "Sở C"
    session.undo()
    assert session.get(path) == original
    assert not session.can_undo


def test_typing_in_another_field_starts_a_new_step(session, clock):
    session.set_value(("document", "place"), "Huế", typing=True)
    session.set_value(("document", "symbol"), "SCT", typing=True)
    session.undo()
    assert session.project.document.place == "Huế"


def test_a_new_edit_clears_redo(session):
    session.set_value(("document", "place"), "Huế")
    session.undo()
    assert session.can_redo
    session.set_value(("document", "place"), "Đà Nẵng")
    assert not session.can_redo
    assert session.redo() is None


def test_setting_a_missing_key_creates_it_and_undo_removes_it(session):
    path = ("sections", 0, "data", "note")
    assert session.get(path) is MISSING
    session.set_value(path, "x")
    assert session.project.sections[0].data["note"] == "x"
    session.undo()
    assert "note" not in session.project.sections[0].data


def test_rows_insert_remove_and_move_are_undoable(session):
    series = ("sections", 3, "data", "indicators", 0, "series")
    before = [dict(row) for row in session.get(series)]
    index = session.insert_item(series, len(before), {"year": 2021, "value": 1500})
    assert session.get(series)[index] == {"year": 2021, "value": 1500}
    assert session.move_item(series, index, -1) == index - 1
    assert session.get(series)[index - 1]["year"] == 2021
    removed = session.remove_item(series, index - 1)
    assert removed["year"] == 2021
    for _ in range(3):
        session.undo()
    assert session.get(series) == before


def test_insert_into_a_missing_list_creates_it_in_the_same_step(session):
    path = ("sections", 0, "data", "rows")
    session.insert_item(path, 0, {"a": 1})
    assert session.get(path) == [{"a": 1}]
    session.undo()
    assert session.get(path) is MISSING


def test_moving_past_either_end_stays_put(session):
    series = ("sections", 3, "data", "indicators", 0, "series")
    assert session.move_item(series, 0, -1) == 0
    assert not session.can_undo


# -- sections ----------------------------------------------------------------------------


def test_add_section_renumbers_the_following_ones_in_one_step(session, host):
    assert numbers(session)[3:8] == ["2.1.", "2.2.", "2.3.", "2.4.", "2.5."]
    index = session.add_section(host, "media", after=5)  # after 2.3.
    assert index == 6
    added = session.project.sections[6]
    assert added.type == "media"
    assert added.data == host.section_types["media"].default_data
    assert numbers(session)[3:9] == ["2.1.", "2.2.", "2.3.", "2.4.", "2.5.", "2.6."]
    session.undo()
    assert numbers(session)[3:8] == ["2.1.", "2.2.", "2.3.", "2.4.", "2.5."]
    assert len(session.project.sections) == 8


def test_move_section_swaps_numbers_and_undo_restores_the_order(session):
    types = [section.type for section in session.project.sections]
    assert session.move_section(4, -1) == 3
    assert session.project.sections[3].type == types[4]
    assert session.project.sections[3].number == "2.1."
    assert session.project.sections[4].number == "2.2."
    session.undo()
    assert [section.type for section in session.project.sections] == types
    assert numbers(session)[3:5] == ["2.1.", "2.2."]


def test_custom_numbering_is_left_alone(session):
    session.project.sections = [
        Section("free-text", "I.", "", {"text": "a"}),
        Section("free-text", "II.", "", {"text": "b"}),
    ]
    session.move_section(1, -1)
    assert numbers(session) == ["II.", "I."]


def test_delete_section_closes_the_gap(session):
    session.delete_section(3)  # 2.1.
    assert numbers(session)[3:7] == ["2.1.", "2.2.", "2.3.", "2.4."]
    session.undo()
    assert numbers(session)[3:8] == ["2.1.", "2.2.", "2.3.", "2.4.", "2.5."]


# -- files -------------------------------------------------------------------------------


def test_save_writes_toml_that_loads_back_equal(session, sample_copy):
    session.set_value(("document", "number"), "15")
    session.save()
    assert not session.dirty
    written = tomllib.loads(sample_copy.read_text(encoding="utf-8"))
    assert written["document"]["number"] == "15"
    assert store.load(sample_copy) == session.project


def test_save_as_moves_the_draft_to_the_new_file(session, tmp_path):
    target = tmp_path / "khac.toml"
    session.save(target)
    assert session.path == target
    assert store.load(target) == session.project


def test_an_untitled_draft_needs_a_path(sample_project):
    with pytest.raises(ValueError):
        DraftSession(sample_project).save()


def test_saving_over_a_file_changed_on_disk_is_refused(session, sample_copy):
    sample_copy.write_text(sample_copy.read_text(encoding="utf-8") + "\n# sửa tay\n", "utf-8")
    session.set_value(("document", "place"), "Huế")
    with pytest.raises(store.SaveConflict):
        session.save()
    assert "# sửa tay" in sample_copy.read_text(encoding="utf-8")
    session.save(overwrite=True)
    assert store.load(sample_copy).document.place == "Huế"


def test_recovery_copy_is_written_found_and_restored(session, sample_copy):
    assert session.write_recovery() is None  # nothing unsaved yet
    session.set_value(("document", "place"), "Huế")
    written = session.write_recovery()
    assert written == sample_copy.with_name(".report.toml.recovery")
    assert session.write_recovery() is None  # nothing new since
    os.utime(sample_copy, ns=(1, 1))  # the file is older than its recovery copy
    assert find_recovery(sample_copy) == written
    reopened = DraftSession.open(sample_copy)
    reopened.restore(written)
    assert reopened.project.document.place == "Huế"
    assert reopened.dirty
    reopened.save()
    assert not written.exists()
    assert find_recovery(sample_copy) is None


def test_a_recovery_copy_older_than_the_file_is_not_offered(sample_copy):
    recovery = recovery_path_for(sample_copy)
    recovery.write_text("schema_version = 1\n", encoding="utf-8")
    os.utime(recovery, ns=(1, 1))
    assert find_recovery(sample_copy) is None


def test_an_untitled_draft_recovers_into_the_working_folder(sample_project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    draft = DraftSession(sample_project)
    draft.set_value(("document", "place"), "Huế")
    written = draft.write_recovery()
    assert written is not None and written.parent == tmp_path
    assert find_recovery(None) == written
    draft.discard_recovery()
    assert find_recovery(None) is None


# -- locking and read-only views ---------------------------------------------------------


def someone_else(report, *, alive: bool = True) -> LockHolder:
    """Plant the lock of another drafter on this machine: a live process, or one long gone."""
    pid = os.getpid()
    if not alive:
        process = subprocess.Popen([sys.executable, "-c", "pass"])
        process.wait()
        pid = process.pid
    now = dt.datetime.now().astimezone()
    holder = LockHolder("nva", socket.gethostname(), pid, now, now, None, "feedfeedfeedfeed")
    locking.lock_path(report).write_text(holder.to_json(), encoding="utf-8")
    return holder


def test_opening_with_lock_holds_the_file_until_released(sample_copy):
    session = DraftSession.open(sample_copy, lock=True)
    assert not session.read_only
    assert locking.read_lock(sample_copy).token == session.lock.holder.token
    assert session.refresh_lock()
    session.release_lock()
    assert locking.read_lock(sample_copy) is None


def test_a_file_someone_else_holds_opens_read_only(sample_copy):
    holder = someone_else(sample_copy)
    session = DraftSession.open(sample_copy, lock=True)
    assert session.read_only and session.lock is None
    assert session.locked_by.holder == holder and not session.locked_by.stale
    message = session.refusal(("document", "place"))
    assert "tài khoản nva" in message and "chỉ xem" in message
    with pytest.raises(ReadOnlyError, match="tài khoản nva"):
        session.set_value(("document", "place"), "Huế")
    with pytest.raises(ReadOnlyError):
        session.insert_item(("sections",), 0, Section("free-text", "", "", {}))
    assert session.project.document.place == "Quảng Ngãi" and not session.dirty
    before = sample_copy.read_bytes()
    with pytest.raises(ReadOnlyError):
        session.save()
    assert sample_copy.read_bytes() == before
    assert session.write_recovery(force=True) is None  # the holder's recovery copy stays theirs
    session.release_lock()  # a read-only view never removes the holder's lock
    assert locking.read_lock(sample_copy) == holder


def test_a_read_only_view_may_save_as_another_file_and_then_edit_it(sample_copy, tmp_path):
    someone_else(sample_copy)
    session = DraftSession.open(sample_copy, lock=True)
    copy_path = tmp_path / "ban-sao.toml"
    session.save(copy_path)
    assert session.path == copy_path and not session.read_only
    assert locking.read_lock(copy_path).token == session.lock.holder.token
    assert session.set_value(("document", "place"), "Huế")
    session.save()
    assert store.load(copy_path).document.place == "Huế"
    assert store.load(sample_copy).document.place == "Quảng Ngãi"


def test_save_as_over_a_file_someone_holds_is_refused(session, tmp_path):
    session.locking = True
    other = tmp_path / "khac.toml"
    other.write_text("schema_version = 1\n", encoding="utf-8")
    someone_else(other)
    with pytest.raises(locking.FileLocked):
        session.save(other)
    assert other.read_text(encoding="utf-8") == "schema_version = 1\n"
    assert session.path.name == "report.toml"


def test_a_stale_lock_is_taken_over_only_when_asked_and_the_file_is_reread(sample_copy):
    someone_else(sample_copy, alive=False)
    session = DraftSession.open(sample_copy, lock=True)
    assert session.read_only and "không còn chạy" in session.locked_by.stale
    # Meanwhile the file changed on disk: taking over edits the latest version.
    text = sample_copy.read_text(encoding="utf-8").replace('place = "Quảng Ngãi"', 'place = "Huế"')
    sample_copy.write_text(text, encoding="utf-8")
    assert session.take_over()
    assert not session.read_only
    assert locking.read_lock(sample_copy).pid == os.getpid()
    assert session.project.document.place == "Huế"
    session.set_value(("document", "number"), "7")
    session.save()  # the fingerprint is the reread file's: no conflict
    assert store.load(sample_copy).document.number == "7"


def test_a_live_holder_is_never_taken_over(sample_copy):
    holder = someone_else(sample_copy)
    session = DraftSession.open(sample_copy, lock=True)
    assert not session.take_over()
    assert session.read_only and locking.read_lock(sample_copy) == holder


def test_a_read_only_view_notices_when_the_holder_leaves(sample_copy):
    someone_else(sample_copy)
    session = DraftSession.open(sample_copy, lock=True)
    locking.lock_path(sample_copy).unlink()
    session.recheck_lock()
    assert session.locked_by.stale == "người giữ khóa đã đóng tệp"
    assert session.take_over() and not session.read_only


def test_a_lock_taken_over_by_someone_else_makes_the_session_read_only(sample_copy):
    session = DraftSession.open(sample_copy, lock=True)
    session.set_value(("document", "place"), "Huế")
    theirs = locking.acquire(sample_copy, force=True)
    assert session.refresh_lock() is False
    assert session.read_only and session.locked_by.holder.token == theirs.holder.token
    assert session.dirty  # the unsaved change is still there, for "save as"
    with pytest.raises(ReadOnlyError):
        session.save()


def test_reload_drops_unsaved_changes_and_takes_the_file_as_it_is_now(session, sample_copy):
    session.set_value(("document", "place"), "Huế")
    text = sample_copy.read_text(encoding="utf-8").replace('number = ""', 'number = "99"', 1)
    sample_copy.write_text(text, encoding="utf-8")
    with pytest.raises(store.SaveConflict):
        session.save()
    session.reload()
    assert not session.dirty and not session.can_undo
    assert session.project.document.place == "Quảng Ngãi"
    assert session.project.document.number == "99"
    session.set_value(("document", "place"), "Huế")
    session.save()  # no conflict after the reload
    assert store.load(sample_copy).document.number == "99"


def test_a_section_newer_than_its_plugin_is_read_only_and_saved_unchanged(sample_copy, host):
    session = DraftSession.open(sample_copy, host=host)
    index = next(i for i, s in enumerate(session.project.sections) if s.type == "media")
    section = session.project.sections[index]
    section.version = host.section_types["media"].version + 1
    section.data["future_field"] = {"nested": [1, 2]}
    data = copy.deepcopy(section.data)
    message = session.refusal(("sections", index, "data", "future_field"))
    assert "phiên bản" in message and "chỉ đọc" in message
    with pytest.raises(ReadOnlyError):
        session.set_value(("sections", index, "data", "future_field"), 1)
    with pytest.raises(ReadOnlyError):
        session.set_value(("sections", index, "heading"), "Khác")
    # The rest of the report stays editable, and moving sections renumbers around it.
    assert session.refusal(("sections", 0, "data", "text")) is None
    session.move_section(index, -1)
    session.save()
    saved = store.load(sample_copy).sections[index - 1]
    assert (saved.type, saved.version, saved.data) == ("media", section.version, data)
