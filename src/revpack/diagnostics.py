"""Diagnostics: takes problems found by any stage, gives one-line `path:line: severity: message` reports.

Every stage reports into a shared :class:`Diagnostics` collector instead of raising on the first
problem, so a user sees every mistake in a run at once. Only the orchestrator decides, once, whether
the collected errors stop the build.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """Where an item came from: a file and a 1-based line (0 when the whole file is meant)."""

    path: Path
    line: int = 0
    col: int = 0

    def at(self, line: int) -> "Location":
        return Location(self.path, line)

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line:
            text += f":{self.line}"
            if self.col:
                text += f":{self.col}"
        return text


class Located(str):
    """Text that remembers where its author wrote it.

    Prose is rendered long after parsing, by code that only knows roughly where a field came
    from; text carrying its own location lets a problem found in it (a bad link, removed HTML)
    be reported at the line the author wrote it on, in the file they wrote it in.
    """

    loc: "Location | None"

    def __new__(cls, text: str, loc: "Location | None") -> "Located":
        obj = super().__new__(cls, text)
        obj.loc = loc
        return obj

    def __reduce__(self):
        return (Located, (str(self), self.loc))


def location_of(text, fallback: "Location | None") -> "Location | None":
    """The location a piece of text carries, else `fallback`."""
    return getattr(text, "loc", None) or fallback


def show(value, limit: int = 60) -> str:
    """A value the author wrote, shortened for a one-line message."""
    text = " ".join(str(value).split()) if isinstance(value, (str, BaseException)) \
        else _short_repr(value)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _short_repr(value) -> str:
    import reprlib

    r = reprlib.Repr()
    r.maxstring, r.maxother, r.maxlist, r.maxdict, r.maxlevel = 60, 60, 6, 6, 3
    return r.repr(value)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when possible."""
    try:
        # abspath, not resolve: a symlink is reported where the author sees it.
        return os.path.relpath(os.path.abspath(path), os.path.abspath(os.getcwd())) \
            if os.path.abspath(path).startswith(os.path.abspath(os.getcwd()) + os.sep) \
            else str(path)
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class Diagnostic:
    location: Location | None
    severity: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else "revpack: "
        text = f"{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        # One diagnostic is always one short line, whatever the message echoes, and never
        # carries control characters (a hostile heading must not drive the terminal).
        return _visible(where + _shorten(" ".join(text.split())))


#: An echoed value (a 1.9 MB `data:` address, say) is cut to this many characters, and a whole
#: message to MAX_MESSAGE_CHARS: messages are read on a terminal, one line each.
MAX_WORD_CHARS = 100
MAX_MESSAGE_CHARS = 1000
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))


def _shorten(text: str) -> str:
    """`text` with every run of over MAX_WORD_CHARS non-spaces, and the whole, cut with '…'."""
    text = _LONG_WORD.sub(lambda m: m.group()[:MAX_WORD_CHARS - 1] + "…", text)
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS - 1] + "…"


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\ufeff]")


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass
class Diagnostics:
    """Collects every problem in a run; `strict` turns warnings into errors."""

    strict: bool = False
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location | None, message: str, hint: str = "") -> None:
        self._add(Diagnostic(location, ERROR, message, hint))

    def warning(self, location: Location | None, message: str, hint: str = "") -> None:
        self._add(Diagnostic(location, ERROR if self.strict else WARNING, message, hint))

    def extend(self, diagnostics) -> None:
        """Add diagnostics gathered elsewhere (say, from a RevpackError)."""
        for d in diagnostics:
            self._add(d)

    def _add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.items:     # the same problem found twice is reported once
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def has_errors(self) -> bool:
        return any(d.severity == ERROR for d in self.items)

    def lines(self) -> list[str]:
        return [str(d) for d in self.items]


class RevpackError(Exception):
    """A problem the user can fix. `exit_code` is 1 for content/theme/render errors, 2 for usage."""

    def __init__(self, message: str = "", diagnostics: list[Diagnostic] | None = None,
                 exit_code: int = 1):
        self.diagnostics = list(diagnostics or [])
        if message and not self.diagnostics:
            self.diagnostics = [_from_text(message)]
        super().__init__(message or "; ".join(str(d) for d in self.diagnostics))
        self.exit_code = exit_code

    def __reduce__(self):
        """Pickled whole (a parallel build's worker raises it in the parent), diagnostics too."""
        return _restore_error, (type(self), self.args, self.diagnostics, self.exit_code)


def _restore_error(cls, args, diagnostics, exit_code):
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.diagnostics, exc.exit_code = diagnostics, exit_code
    return exc


def _from_text(message: str) -> Diagnostic:
    """A diagnostic from 'where: error: message' text (or plain text, located nowhere)."""
    where, sep, rest = message.partition(": error: ")
    if sep and where != "revpack":
        return Diagnostic(Location(Path(where)), ERROR, rest)
    if sep:
        return Diagnostic(None, ERROR, rest)
    return Diagnostic(None, ERROR, message)


class UsageError(RevpackError):
    def __init__(self, message: str):
        super().__init__(message, exit_code=2)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A hint naming the closest valid choice, or listing the choices."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{c}'" for c in choices)
