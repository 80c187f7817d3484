"""Ctrl-C (and SIGTERM for the commands that write) as KeyboardInterrupt, recorded.

Python drops an exception raised where it cannot propagate, such as in a weakref
callback of the import machinery ("Exception ignored in: <function
_get_module_lock.<locals>.cb …>"). A Ctrl-C landing there would be lost, and init would
go on to finish. Each signal is therefore also recorded, from the console script's first
line on, and init's point of no return asks :func:`interrupted` (stdlib only: this runs
before anything else is imported).
"""

from __future__ import annotations

import signal
from types import FrameType

_RECEIVED: list[int] = []


def _raise(signum: int, frame: FrameType | None) -> None:
    _RECEIVED.append(signum)
    raise KeyboardInterrupt


def record(*signals: signal.Signals) -> None:
    """Raise KeyboardInterrupt on each of ``signals`` and record it. SIGINT keeps being
    ignored when the process was started with it ignored (a background job)."""
    for number in signals:
        if number == signal.SIGINT and signal.getsignal(number) is signal.SIG_IGN:
            continue
        signal.signal(number, _raise)


def interrupted() -> bool:
    """Whether a recorded signal came, even one whose KeyboardInterrupt Python dropped."""
    return bool(_RECEIVED)
