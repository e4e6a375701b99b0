"""The user's key map: a TOML file that rebinds actions by their binding id.

`~/.config/tongket/keymap.toml` (or `$XDG_CONFIG_HOME/tongket/keymap.toml`, or the file named
by `$TONGKET_KEYMAP`):

    [keys]
    save = "f2,ctrl+s"
    "outline.add" = "a,insert,n"

The ids are those of `registry.COMMANDS` (the F1 help lists them); the values are Textual key
names separated by commas. The palette and the help name the keys as rebound here.
"""

from __future__ import annotations

import os
from pathlib import Path


def keymap_path() -> Path:
    """Where the key map file is looked for."""
    explicit = os.environ.get("TONGKET_KEYMAP")
    if explicit:
        return Path(explicit)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "tongket" / "keymap.toml"


def load_keymap(
    path: Path | None = None, known: set[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The binding id → keys mapping, and warnings (in Vietnamese) about entries left out."""
    path = path or keymap_path()
    if not path.is_file():
        return {}, []
    import tomllib  # only when there is a key map (most drafters have none)

    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: không đọc được bảng phím: {error}"]
    entries = table.get("keys", table)
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    if not isinstance(entries, dict):
        return {}, [f"{path}: [keys] cần là một bảng"]
    for binding_id, keys in entries.items():
        if not isinstance(keys, str) or not keys.strip():
            warnings.append(f'{path}: {binding_id}: cần một chuỗi phím, ví dụ "f2,ctrl+s"')
        elif known is not None and binding_id not in known:
            warnings.append(f"{path}: không có lệnh mang mã '{binding_id}'")
        else:
            keymap[binding_id] = ",".join(key.strip() for key in keys.split(","))
    return keymap, warnings


# Alt+digit: xterm, tmux and most Linux terminals send ESC followed by the digit. Textual reads
# ESC 1 … ESC 4 as the characters macOS Option+digit types ("¡", "™", "£", "¢", from WezTerm on
# macOS), which an input would then insert. Without those entries the parser reports
# "alt+1" … "alt+4", the keys that move between the panes wherever the cursor is.
PANE_ALT_SEQUENCES = ("\x1b1", "\x1b2", "\x1b3", "\x1b4")


def install_alt_digits() -> bool:
    """Let ESC 1 … ESC 4 reach the app as Alt+1 … Alt+4; True when Textual's table had them."""
    from textual import _ansi_sequences

    table = getattr(_ansi_sequences, "ANSI_SEQUENCES_KEYS", None)
    if not isinstance(table, dict):
        return False
    for sequence in PANE_ALT_SEQUENCES:
        table.pop(sequence, None)
    return True
