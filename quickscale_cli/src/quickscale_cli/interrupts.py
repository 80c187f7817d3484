"""Ctrl-C (and SIGTERM for the commands that write) as KeyboardInterrupt, recorded.

Python drops an exception raised where it cannot propagate, such as in a weakref
callback of the import machinery ("Exception ignored in: <function
_get_module_lock.<locals>.cb …>"). A Ctrl-C landing there would be lost, and init would
go on to finish. Each signal is therefore also recorded, from the console script's first
line on, and init's point of no return asks :func:`interrupted` (stdlib only: this runs
before anything else is imported).

While init builds a project, a KeyboardInterrupt raised at an arbitrary line is not safe
either: inside ``subprocess.run`` it leaves the git child running (one still being
started is never killed nor waited for, and a killed one is not waited for), and that
git goes on writing into the build directory after it was removed. So :func:`deferred`
only records the signal, and init raises it at its own steps (:func:`check`), where
no child runs.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_RECEIVED: list[int] = []
_DEFERRING: list[bool] = []  # non-empty inside deferred()


def _raise(signum: int, frame: FrameType | None) -> None:
    _RECEIVED.append(signum)
    if not _DEFERRING:
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


def check() -> None:
    """Raise KeyboardInterrupt if a recorded signal came: where a deferred one is acted on."""
    if _RECEIVED:
        raise KeyboardInterrupt


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block a recorded signal raises nothing by itself: only :func:`check`
    does, or the block's end when the block raised something else (a git that the
    terminal's Ctrl-C killed fails), so the run still ends as interrupted."""
    _DEFERRING.append(True)
    try:
        yield
    except Exception as error:
        if _RECEIVED:
            raise KeyboardInterrupt from error
        raise
    finally:
        _DEFERRING.pop()
