"""Limits for work that content or a theme could make run for ever or grow without end: a
wall-clock timer (filling a template, laying out a handout) and a memory cap (filling a
template)."""

from __future__ import annotations

import contextlib
import signal
import threading


class TooSlow(BaseException):
    """Raised by the timer. Not an Exception: WeasyPrint swallows those in places (a failed image
    is logged and skipped), and the timer must not be swallowed with them."""


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float, raising: type[BaseException] = TooSlow):
    """Raise `raising` in the running code after `seconds` (a Unix timer, main thread only).

    The timer fires again every second until the code stops, in case something catches it
    anyway (WeasyPrint's SVG drawing catches everything). Elsewhere there is no limit."""
    if not hasattr(signal, "setitimer") or not _main_thread():
        yield
        return

    def stop(signum, frame):
        raise raising()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def memory_limit(extra_bytes: int):
    """Let the code inside allocate at most `extra_bytes` more memory: past that, an allocation
    fails at once with MemoryError, in the code that asked for it (Linux, main thread only).

    This lowers the process's address-space limit (RLIMIT_AS) to its current size plus
    `extra_bytes`, and puts the old limit back on the way out, so that nothing after it
    (WeasyPrint's layout above all) is capped. A sampled check (tracemalloc, or the resident size
    read from a timer) would see one C call such as 'x'.center(10**9) only after it had taken
    the gigabyte; the rlimit refuses the allocation itself. Where the limit cannot be set (no
    /proc, no RLIMIT_AS, another thread), the code runs uncapped.
    """
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * resource.getpagesize()
    except (ImportError, AttributeError, OSError, ValueError):
        yield
        return
    cap = size + extra_bytes
    if not _main_thread() or any(0 <= limit <= cap for limit in (soft, hard)
                                 if limit != resource.RLIM_INFINITY):
        yield                  # already capped as tightly, by the user or a test
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
