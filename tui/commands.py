"""The command palette (Ctrl+P, ":" or F12): every action of the app, found by typing."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class DraftCommands(Provider):
    """Commands from `TongketApp.palette_commands()`: actions and "add a section of type …"."""

    def _commands(self) -> list[tuple[str, str, object]]:
        return list(self.app.palette_commands())  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                found = True
                yield Hit(
                    score, matcher.highlight(name), partial(callback), text=name, help=help_text
                )
        if not found and query.strip():
            # Said in Vietnamese here rather than Textual's English "No matches found".
            yield Hit(0.001, f"Không có lệnh nào khớp “{query}”", lambda: None, help="Esc để đóng")
