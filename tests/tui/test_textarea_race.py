"""A prose field painted before Textual has resolved its styles does not stop the app.

Textual 8.2 can render a TextArea whose component classes are not resolved yet and raises
KeyError (Textualize/textual#6528); it was seen once in this suite, during a lock take-over that
mounts the editor again. `FieldText.render_lines` paints that frame blank and asks for another.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import TextArea
from tui_harness import SIZE, drive, settle

from tongket.tui.form import FieldText


@drive
async def test_an_unresolved_style_paints_one_blank_frame(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.query(FieldText).first()
        raised = []

        def not_ready(self, crop):
            raised.append(self)
            raise KeyError("No 'text-area--gutter' key in COMPONENT_CLASSES")

        monkeypatch.setattr(TextArea, "render_lines", not_ready)
        lines = field.render_lines(Region(0, 0, 12, 3))
        assert raised == [field]
        assert [line.text for line in lines] == [" " * 12] * 3


@drive
async def test_any_other_key_error_still_surfaces(app, monkeypatch):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        field = app.query(FieldText).first()

        def broken(self, crop):
            raise KeyError("something else")

        monkeypatch.setattr(TextArea, "render_lines", broken)
        with pytest.raises(KeyError, match="something else"):
            field.render_lines(Region(0, 0, 12, 3))
