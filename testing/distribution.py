"""A fake installed distribution: plugin files plus a `*.dist-info` folder, no pip needed.

Put the folder on `sys.path` (or `PYTHONPATH` for a subprocess) and `importlib.metadata` sees
the distribution and its `tongket` entry points exactly as it sees one installed by pip, so
`PluginHost.default()` and `tongket plugins` load it the way they load a real package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def fake_distribution(
    folder: str | os.PathLike[str],
    name: str,
    entry_points: Mapping[str, str],
    *,
    version: str = "0.1.0",
    files: Mapping[str, str] | None = None,
) -> Path:
    """Write `files` (relative path → text) and `NAME-VERSION.dist-info` into `folder`.

    `entry_points` maps entry-point names to objects in the `tongket` group, e.g.
    `{"dau-tu": "tongket_dau_tu"}`. Returns the folder to put on the path.
    """
    root = Path(folder)
    for relative, text in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[tongket]", *(f"{key} = {value}" for key, value in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
