"""A reply made from an outline (đề cương) shows each section's guidance above its editor, at
80×24, and never in the preview (which is the document)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from textual.widgets import Static
from tui_harness import drive, goto, make_app, preview_text, settle

from tongket.core.commands.new_from_outline import build_reply
from tongket.core.report import store
from tongket.core.report.session import DraftSession
from tongket.core.workflow.outline import load_outline
from tongket.tui.fields import Part
from tongket.tui.form import FormEditor

SAMPLE_OUTLINE = Path(str(resources.files("tongket.sample_data") / "de-cuong-mau.toml"))


@pytest.fixture
def reply(tmp_path: Path, host) -> Path:
    project = build_reply(load_outline(SAMPLE_OUTLINE), agency="SỞ CÔNG THƯƠNG", host=host)
    path = tmp_path / "tra-loi.toml"
    store.save(project, path)
    return path


@drive
async def test_section_guidance_is_shown_above_the_form_and_not_in_the_preview(reply, host):
    app = make_app(DraftSession.open(reply), host)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        index = next(i for i, s in enumerate(app.session.project.sections) if s.number == "2.1.")
        await goto(pilot, app, Part("section", index))
        form = app.query_one(FormEditor)
        shown = form.query(".guidance")
        assert len(shown) == 1
        first = next(iter(form.children))
        assert first is shown.first() and isinstance(first, Static)
        text = str(first.render())
        assert text.startswith("Hướng dẫn: Số liệu từng năm theo đơn vị đề cương yêu cầu")
        assert first.region.height >= 1 and first.region.width <= 80
        assert "Số liệu từng năm theo đơn vị" not in preview_text(app)
        # A section without guidance has no guidance line.
        plain = next(i for i, s in enumerate(app.session.project.sections) if s.number == "2.")
        await goto(pilot, app, Part("section", plain))
        assert not app.query_one(FormEditor).query(".guidance")
