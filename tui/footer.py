"""The footer: how to edit the focused thing, how to reach each pane, and the app's keys,
ranked so the least needed give way on a narrow terminal (F1 and F10 never do)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from .registry import EDITING_IDS, PANES

PANE_IDS = tuple(f"pane.{pane}" for pane in PANES)
PANE_ALT_IDS = tuple(f"pane.{pane}.alt" for pane in PANES)

#: The footer's entries in the order shown, each with its rank and the binding ids that may
#: stand for it (the first one active now is shown). When the terminal is narrow the highest
#: ranks give way first; rank 0 and 1 (quit, help) always stay, and F1 lists every key.
FOOTER_ENTRIES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (3, ("outline.edit", "grid.edit", "problems.goto")),
    (7, ("outline.add", "grid.add")),
    (9, ("outline.delete", "grid.delete")),
    (10, ("outline.up", "outline.down", "grid.up", "grid.down")),  # one group: "K J Chuyển"
    (4, PANE_IDS + PANE_ALT_IDS),  # one entry: "1-4 Vùng" or "Alt+1-4 Vùng"
    (2, ("take_over",)),
    (1, ("help",)),
    (2, ("save",)),
    (2, ("save_as",)),
    (6, ("export_docx",)),
    (5, ("undo",)),
    (0, ("quit",)),
    (8, ("palette", "palette.f12")),
)
GROUPED = frozenset({"outline.up", "outline.down", "grid.up", "grid.down"})
#: Shown only in a read-only view, where it is the way to keep one's changes.
READ_ONLY_ONLY = frozenset({"save_as"})
#: Textual's own footer descriptions, in Vietnamese.
TEXTUAL_DESCRIPTIONS = {
    "Dismiss menu": "Đóng danh sách",
    "Exit the command palette": "Đóng bảng lệnh",
    "Quit": "Thoát",
}
OTHER_RANK = 11
#: The focused area's own keys (the first entries): one shown dimmed, with nothing to act on
#: yet (Enter on an empty grid), gives way before any other, so the key that does something
#: there now (Insert: add the first row) keeps its place.
AREA_IDS = frozenset(binding_id for _, ids in FOOTER_ENTRIES[:4] for binding_id in ids)
DIMMED_RANK = OTHER_RANK + 1


def compress_keys(displays: list[str]) -> str:
    """ "1", "2", "3", "4" → "1-4"; "Alt+1" … "Alt+4" → "Alt+1-4"; others joined by spaces."""
    if len(displays) > 1:
        prefix = displays[0][:-1]
        digits = [display[len(prefix) :] for display in displays]
        if all(display.startswith(prefix) for display in displays) and all(
            digit.isdigit() and len(digit) == 1 for digit in digits
        ):
            numbers = [int(digit) for digit in digits]
            if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
                return f"{prefix}{numbers[0]}-{numbers[-1]}"
    return " ".join(displays)


class KeyFooter(Footer):
    """The footer: how to edit the focused thing, how to reach each pane, and the app's keys,
    as many as fit on one line (the least needed give way on a narrow terminal, F10 never)."""

    _width = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        app = self.app
        read_only = bool(getattr(getattr(app, "session", None), "read_only", False))
        by_id: dict[str, list[tuple[str, ActiveBinding]]] = {}
        others: list[tuple[str, ActiveBinding]] = []
        known = {binding_id for _, ids in FOOTER_ENTRIES for binding_id in ids}
        seen_actions: set[str] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.id in known:
                by_id.setdefault(binding.id, []).append((key, active))
            elif binding.show and binding.action not in seen_actions:
                seen_actions.add(binding.action)
                others.append((key, active))

        def display(active: ActiveBinding) -> str:
            return app.get_key_display(active.binding)

        entries: list[tuple[int, dict[str, Any]]] = []
        for rank, ids in FOOTER_ENTRIES:
            if ids[0] == PANE_IDS[0]:  # after the focused area's own keys, what else it offers
                for key, active in others:
                    label = TEXTUAL_DESCRIPTIONS.get(active.binding.description, "")
                    label = label or active.binding.description
                    entries.append((OTHER_RANK, _entry((key, active), display(active), label)))
            present = [binding_id for binding_id in ids if binding_id in by_id]
            if read_only:
                present = [i for i in present if i not in EDITING_IDS]
            else:
                present = [i for i in present if i not in READ_ONLY_ONLY]
            if not present:
                continue
            if ids[0] == PANE_IDS[0]:
                plain = [i for i in present if i in PANE_IDS and by_id[i][0][1].enabled]
                chosen = (
                    plain
                    if len(plain) == len(PANE_IDS)
                    else [i for i in present if i in PANE_ALT_IDS]
                )
                if not chosen:
                    continue
                first = by_id[chosen[0]][0]
                keys = compress_keys([display(by_id[i][0][1]) for i in chosen])
                entries.append((rank, _entry(first, keys, "Vùng")))
            elif present[0] in GROUPED:
                group = by_id[present[0]][0][1].binding.group
                members = [(*by_id[i][0], display(by_id[i][0][1])) for i in present]
                label = group.description if group is not None else "Chuyển"
                if not any(active.enabled for _, active, _ in members):
                    rank = DIMMED_RANK
                entries.append((rank, _entry(members[0][:2], "", label, members=members)))
            else:
                first = by_id[present[0]][0]
                label = first[1].binding.description
                if read_only and present[0] == "outline.edit":
                    label = "Xem"
                if present[0] in AREA_IDS and not first[1].enabled:
                    rank = DIMMED_RANK
                entries.append((rank, _entry(first, display(first[1]), label)))
        available = self.size.width or app.size.width
        while sum(entry["width"] for _, entry in entries) > available:
            rank, dropped = max(entries, key=lambda item: item[0])
            if rank <= 1:
                break
            entries.remove((rank, dropped))
        for _, entry in entries:
            if entry["members"]:
                with KeyGroup(classes="-compact"):
                    for key, active, shown in entry["members"]:
                        yield FooterKey(
                            key,
                            shown,
                            "",
                            active.binding.action,
                            disabled=not active.enabled,
                            tooltip=active.binding.description,
                            classes="-grouped",
                        ).data_bind(compact=Footer.compact)
                yield FooterLabel(entry["label"])
            else:
                key, active = entry["first"]
                yield FooterKey(
                    key,
                    entry["keys"],
                    entry["label"],
                    active.binding.action,
                    disabled=not active.enabled,
                    tooltip=active.tooltip,
                ).data_bind(compact=Footer.compact)

    def on_resize(self, event: Resize) -> None:
        # Which keys fit depends on the width: choose again when it changes.
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)


def _entry(
    first: tuple[str, ActiveBinding],
    keys: str,
    label: str,
    *,
    members: list[tuple[str, ActiveBinding, str]] | None = None,
) -> dict[str, Any]:
    """One footer entry and the columns it takes (compact footer: "key label ")."""
    if members:
        width = sum(cell_len(shown) + 1 for _, _, shown in members) + cell_len(label) + 1
    else:
        width = cell_len(keys) + 1 + cell_len(label) + 1
    return {"first": first, "keys": keys, "label": label, "members": members, "width": width}
