"""When Python's cyclic garbage collector runs: rarely during a headless command, and not at all
while the app starts.

tongket's objects (a loaded report, its rendered blocks, the document's XML parts) are many
and live until the command ends, and almost none of them form reference cycles: reference
counting frees them. The collector cannot know that. It looks at the young container objects
every 700 allocations, and now and then at every object in the process; with a 1.000-section
report loaded that is about 100.000 objects and 15–20 ms a pass, freeing nothing. mypy makes
the same choice for the same reason (`gc.set_threshold(200_000, 30, 30)`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Thresholds while a headless command runs: a young-generation pass every 200.000 net new
#: container objects, older generations almost never (mypy's numbers). Measured on the
#: benchmark shapes: 3–13 % off the whole export, the same peak memory.
BATCH_THRESHOLDS = (200_000, 30, 30)

_paused = False  # automatic collection was stopped by `pause_collection`


@contextmanager
def rare_collection() -> Iterator[None]:
    """Collect cyclic garbage rarely inside the block; the thresholds are restored after it
    (a command run in process, as the tests do, leaves the caller's collector as it was)."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def pause_collection() -> None:
    """Stop automatic collection while the app starts (`resume_collection` starts it again);
    nothing changes when it was already stopped by someone else."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Undo `pause_collection`; safe to call more than once, or without a pause."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
