"""The collector runs rarely during a headless command and not while the app starts; both
leave the process's collector as they found it."""

from __future__ import annotations

import gc

import pytest

from tongket.core import cli, gc_tuning
from tongket.core.gc_tuning import (
    BATCH_THRESHOLDS,
    pause_collection,
    rare_collection,
    resume_collection,
)


@pytest.fixture(autouse=True)
def collector_as_found():
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()
    gc_tuning._paused = False


def test_rare_collection_sets_the_batch_thresholds_and_restores_them_even_on_error():
    gc.set_threshold(700, 10, 10)
    with rare_collection():
        assert gc.get_threshold() == BATCH_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)
    with pytest.raises(RuntimeError), rare_collection():
        raise RuntimeError("a failed command")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_headless_command_runs_with_the_batch_thresholds(monkeypatch, sample_path, capsys):
    gc.set_threshold(700, 10, 10)
    seen = []
    check = cli.command_check

    def recording_check(args):
        seen.append(gc.get_threshold())
        return check(args)

    monkeypatch.setattr(cli, "command_check", recording_check)
    cli.main(["check", str(sample_path)])
    assert seen == [BATCH_THRESHOLDS]
    assert gc.get_threshold() == (700, 10, 10)  # the caller's collector is as it was
    assert "cảnh báo" in capsys.readouterr().err  # the check itself ran


def test_the_app_starts_without_collection_and_collects_again_after(monkeypatch, sample_path):
    import tongket.tui.app as app_module

    gc.enable()
    seen = []

    def fake_run(path):
        seen.append((path, gc.isenabled()))
        return 0

    monkeypatch.setattr(app_module, "run", fake_run)
    assert cli.main([str(sample_path)]) == 0
    assert seen == [(str(sample_path), False)]
    assert gc.isenabled()


def test_resume_never_enables_a_collector_someone_else_stopped():
    gc.disable()
    pause_collection()
    resume_collection()
    assert not gc.isenabled()
    gc.enable()
    pause_collection()
    assert not gc.isenabled()
    resume_collection()
    resume_collection()  # twice: still just enabled
    assert gc.isenabled()
