"""Keys that arrive in one burst (a slow SSH link, a paste through tmux) apply in typed order.

Textual inserts a typed character as soon as the key reaches the focused widget, but runs a
widget's or screen's binding (Home, arrows, Backspace, Tab, Enter …) only once the key has
bubbled up to the app, one message queue at a time; by then the characters typed after it are
already in. Home then X put X at the end; Tab then Q put Q in the field being left
(textual#6605). Widgets that take typing call `keep_key_order` first in their `_on_key`.
"""

from __future__ import annotations

import inspect

from textual.actions import parse as parse_action
from textual.events import Key
from textual.widget import Widget


async def keep_key_order(widget: Widget, event: Key) -> bool:
    """Handle `event` here if the order of a burst of keys needs it; True if it did.

    The focused widget runs the binding of a key itself, the moment the key reaches it, and a
    key that reaches it after an earlier key of the burst moved the focus goes on to where the
    focus is now.
    """
    app = widget.app
    focused = app.focused
    if focused is not None and focused is not widget:
        event.stop()
        event.prevent_default()
        focused._forward_event(event.copy())  # as the app forwards keys to the focused widget
        return True
    if event.is_printable:
        return False
    active = widget.screen.active_bindings.get(event.key)
    if active is None or active.binding.priority or not active.enabled:
        return False  # a priority binding was the app's to run, before the key came here
    if not await app.run_action(active.binding.action, active.node):
        return False
    event.stop()
    event.prevent_default()  # neither the widget's own key handler nor the app sees it again
    return True


def run_binding_now(widget: Widget, key: str) -> bool:
    """Run the action `key` is bound to where `widget` has the focus, before returning: for a
    key handed on from a closed cell editor, which must act before the keys typed after it.
    False when nothing takes the key, or when the action is asynchronous (it is then left to
    run on its own, after whatever comes next)."""
    active = widget.screen.active_bindings.get(key)
    if active is None or not active.enabled:
        return False
    namespace, name, arguments = parse_action(active.binding.action)
    targets = {"app": widget.app, "screen": widget.screen}
    method = getattr(targets.get(namespace, active.node), f"action_{name}", None)
    if method is None:
        return False
    result = method(*arguments)
    if inspect.isawaitable(result):
        widget.call_later(lambda: result)
        return False
    return True
