"""Everything the app draws shows control characters as visible stand-ins, never raw.

Textual and Rich drop only BEL, BS, VT, FF and CR from the text they draw. An ESC in a
heading ("ESC ] 0 ; … BEL" retitles the terminal, "ESC [ 2 J" clears it) would otherwise reach
the terminal from any widget showing report text: the preview, the outline, the problems
list, an Input, a TextArea, a grid cell, the title, a notification. Both libraries pass every
string they draw through one translation table (Rich's `Text`, Textual's `Content`); `install`
adds `tongket.core.writers.terminal.VISIBLE_CONTROLS` to those tables, so ESC draws as "␛". Each
control maps to one character, so offsets and cursor positions inside a text stay valid; the
values themselves are not changed, only how they are drawn (the check lists such characters).

The tables are library internals: `tests/tui/test_terminal_text.py` fails if an upgrade moves them.
Markup is a separate matter: report text is shown through `Text`/`Content` or with
`markup=False`, never parsed as markup ("[/]" in a heading would raise).
"""

from __future__ import annotations

import rich.control
import textual.content

from tongket.core.writers.terminal import VISIBLE_CONTROLS

_TABLES = (
    (rich.control, "_CONTROL_STRIP_TRANSLATE"),
    (textual.content, "_CONTROL_STRIP_TRANSLATE"),
)
# A form feed stays dropped, as the libraries do: the preview draws a page break as "\f".
_DRAWN = {code: text for code, text in VISIBLE_CONTROLS.items() if code != 0x0C}


def install() -> bool:
    """Make every control character drawn by Rich and Textual visible; True when both took it."""
    installed = 0
    for module, name in _TABLES:
        table = getattr(module, name, None)
        if isinstance(table, dict):
            table.update(_DRAWN)
            installed += 1
    return installed == len(_TABLES)
