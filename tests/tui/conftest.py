"""Fixtures of the app's tests: each test works in its own folder, on a copy of the sample."""

from __future__ import annotations

import pytest
from tui_harness import make_app

from tongket.core.report.session import DraftSession
from tongket.tui.app import TongketApp


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path, monkeypatch):
    # Untitled drafts save and recover into the working folder: keep it the test's own.
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def app(sample_copy, host) -> TongketApp:
    """The app on a scratch copy of the sample, built-in plugins only, pinned for tests."""
    return make_app(DraftSession.open(sample_copy), host)


@pytest.fixture
def notes(app, monkeypatch) -> list[str]:
    """The notifications the app shows, as text."""
    shown: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: (shown.append(message), notify(message, **kw))
    )
    return shown
