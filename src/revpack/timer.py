"""A wall-clock limit for work that content or a theme could make run for ever: filling a
template (a loop inside a loop) and laying out a handout (extreme CSS)."""

from __future__ import annotations

import contextlib
import signal
import threading


class TooSlow(BaseException):
    """Raised by the timer. Not an Exception: WeasyPrint swallows those in places (a failed image
    is logged and skipped), and the timer must not be swallowed with them."""


@contextlib.contextmanager
def time_limit(seconds: float, raising: type[BaseException] = TooSlow):
    """Raise `raising` in the running code after `seconds` (a Unix timer, main thread only).

    The timer fires again every second until the code stops, in case something catches it
    anyway (WeasyPrint's SVG drawing catches everything). Elsewhere there is no limit."""
    if (not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def stop(signum, frame):
        raise raising()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
