"""The command palette (":", F12 or Ctrl+P): every action of the app, found by typing.

Matching ignores Vietnamese diacritics, so a drafter may type without them: "xuat" finds
"Xuất DOCX", "them muc" finds "Thêm mục", "d" matches "đ".
"""

from __future__ import annotations

import unicodedata
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


def fold(text: str) -> str:
    """`text` without diacritics, one character for each character of its NFC form
    ("Xuất" → "Xuat", "Đề" → "De"), so match positions carry over to the original."""
    folded = []
    for character in unicodedata.normalize("NFC", text):
        if character in "đĐ":
            folded.append("d" if character == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", character)
        kept = "".join(part for part in base if not unicodedata.combining(part))
        folded.append(kept if len(kept) == 1 else character)
    return "".join(folded)


class DraftCommands(Provider):
    """Commands from `TongketApp.palette_commands()`: actions and "add a section of type …"."""

    def _commands(self) -> list[tuple[str, str, object]]:
        return list(self.app.palette_commands())  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        found = False
        for name, help_text, callback in self._commands():
            name = unicodedata.normalize("NFC", name)
            folded = fold(name)
            score = matcher.match(folded)
            if score > 0:
                found = True
                # The match is found in the folded name; its highlight goes on the real one.
                shown = Content(name, spans=list(matcher.highlight(folded).spans))
                yield Hit(score, shown, partial(callback), text=name, help=help_text)
        if not found and query.strip():
            # Said in Vietnamese here rather than Textual's English "No matches found".
            message = Content(f"Không có lệnh nào khớp “{query}”")  # the query is not markup
            yield Hit(0.001, message, lambda: None, help="Esc để đóng")
