"""Jail: takes the folders one build may read, gives the one check every reader makes first.

The folders are the pack, revpack's own templates, styles and themes, and the themes the user
chose (named on the command line, or kept in ./themes/NAME outside the pack). A theme reached
from the pack (`theme:` in pack.yaml, a pack theme's `extends:`) is not a folder of its own: it
must already lie inside one. A path is allowed when its real path (every symlink followed, at
any depth) lies inside the real path of an allowed folder, so a pack's `templates/`, `styles/`,
`themes/NAME` or any file in them that is a symlink leading out is refused, at the file or
setting that brought it in. Templates, stylesheets, fonts, images, logos and theme.yaml files
are all read through `Jail.check` (the WeasyPrint fetcher, the Jinja2 loader, the stylesheet
loader and the theme chain call it); nothing else decides what may be read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Location, RevpackError, display_path, show

PACK = "the pack folder"
#: The largest file read through the jail (a template, stylesheet, font, image or theme.yaml):
#: far above any real one (a large font is 20 MB), so that a huge file in a pack or theme (a
#: sparse one, say) is refused before it is read, not read into memory.
MAX_READ_BYTES = 32 * 1024 * 1024
_ANYWHERE = "the folders revpack may read"


def _real(path) -> str:
    return os.path.realpath(path)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def inside(path: Path, root: Path) -> bool:
    """True when `path`, with every symlink followed, lies inside `root` (also followed)."""
    return _under(_real(path), _real(root))


@dataclass(frozen=True)
class _Root:
    written: str          # the folder as named (absolute, symlinks not followed)
    real: str             # its real path
    label: str            # how a message names it


class Jail:
    """The folders one build may read; `check` refuses anything whose real path is elsewhere."""

    def __init__(self, roots=(), pack: Path | None = None):
        from .resources import resource_dir

        self.roots: list[_Root] = []
        self._chosen: set[str] = set()       # real paths of the theme folders the user chose
        self.pack = os.path.abspath(pack) if pack is not None else None
        if pack is not None:
            self.add(pack, PACK)
        for name in ("templates", "styles", "themes"):
            self.add(resource_dir() / name, "revpack's own files")
        for root in roots:
            self.add(root, f"the folder {root}")

    def add(self, folder: Path, label: str) -> None:
        """Allow a folder the user chose (never one the pack names: see `admit`)."""
        root = _Root(os.path.abspath(folder), _real(folder), label)
        if root not in self.roots:
            self.roots.append(root)

    def allows(self, path) -> bool:
        real = _real(path)
        return any(_under(real, r.real) for r in self.roots)

    def in_pack(self, path) -> bool:
        """True when `path`, as written (no symlink followed), is inside the pack folder."""
        return self.pack is not None and _under(os.path.abspath(path), self.pack)

    def admit(self, folder: Path, chosen_by_user: bool, where: Location | None,
              what: str) -> None:
        """Let a theme folder into the build. One the user chose that lies outside the pack
        becomes an allowed folder; anything else (named by the pack, or inside it) must already
        lie inside one, theme.yaml included."""
        if chosen_by_user and not self.in_pack(folder):
            self.add(folder, f"the theme folder {display_path(folder)}")
            self._chosen.add(_real(folder))
        elif not self.allows(Path(folder) / "theme.yaml"):
            raise RevpackError(diagnostics=[self.refusal(
                Path(folder) / "theme.yaml", where, what,
                "a theme the pack chooses or holds, and the themes it extends, must be inside "
                "the pack; to use a theme kept elsewhere, pass its folder with --theme PATH")])

    def chosen(self, folder: Path) -> bool:
        """True for a theme folder the user chose (what it extends is the user's choice too)."""
        return _real(folder) in self._chosen

    def check(self, path: Path, where: Location | None = None, what: str = "") -> Path:
        """The real path of `path`, which must lie inside an allowed folder.

        Refused, the error is at `where` (the file and line that named `path`, saying `what`
        it was), else at the symlink that leads out, else at `path` itself."""
        if self.allows(path):
            return Path(_real(path))
        raise RevpackError(diagnostics=[self.refusal(path, where, what)])

    def refusal(self, path: Path, where: Location | None = None, what: str = "",
                hint: str = "") -> Diagnostic:
        """The error for a refused `path` (see `check`)."""
        link = self._link_out(path)
        owner = self._owner(link or where and where.path or path)
        if not hint and owner != _ANYWHERE:
            hint = f"copy the files into {owner} instead"
        if link is not None:
            detail = f"{display_path(link)} is a symlink to {show(_real(link), 200)}"
            if where is None:
                return Diagnostic(Location(link), "error", f"a symlink that leads outside {owner} "
                                  f"(to {show(_real(link), 200)}); refused", hint)
            return Diagnostic(where, "error", f"{what or show(path, 80)} leads outside {owner} "
                              f"({detail}); refused", hint)
        return Diagnostic(where or Location(Path(path)), "error",
                          f"{what or show(path, 80)} leads outside {owner}; refused", hint)

    def _link_out(self, path: Path) -> Path | None:
        """The first symlink on the way to `path`, below an allowed folder, that leads out."""
        for root in self.roots:
            link = _link_out(path, root.written, self.allows)
            if link is not None:
                return link
        return None

    def _owner(self, path) -> str:
        written = os.path.abspath(path)
        for root in self.roots:
            if _under(written, root.written):
                return root.label
        return _ANYWHERE

    def read_bytes(self, path: Path, where: Location | None = None, what: str = "") -> bytes:
        return read_file(self.check(path, where, what), display=path)

    def read_text(self, path: Path, where: Location | None = None, what: str = "") -> str:
        return self.read_bytes(path, where, what).decode("utf-8")


def read_file(path: Path, limit: int = MAX_READ_BYTES, display: Path | None = None) -> bytes:
    """The bytes of the ordinary file at `path`, at most `limit` of them; anything else (a pipe,
    which would block for ever, a device, a file over the limit) is an error at the file."""
    from .source import _read_at_most, _size_pair

    loc = Location(Path(display or path))
    # Non-blocking, so that opening a pipe returns at once and fstat can refuse it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise RevpackError(diagnostics=[Diagnostic(
            loc, "error", "this is not an ordinary file (a pipe, socket, device or folder); "
            "refused", "theme and pack files are ordinary files")])
    with os.fdopen(fd, "rb") as fh:
        data = _read_at_most(fh, limit + 1) if info.st_size <= limit else b""
    if info.st_size > limit or len(data) > limit:
        size, most = _size_pair(max(info.st_size, len(data)), limit)
        raise RevpackError(diagnostics=[Diagnostic(
            loc, "error", f"file is {size}, over the {most} limit for one file revpack reads",
            "is it the right file? Templates, stylesheets, fonts and pictures are far smaller")])
    return data


def is_file(path) -> bool:
    """`Path.is_file`, but False for a name too long for the system (which Python raises)."""
    try:
        return Path(path).is_file()
    except OSError:
        return False


def is_dir(path) -> bool:
    """`Path.is_dir`, but False for a name too long for the system (which Python raises)."""
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def tree(folder: Path) -> list[Path]:
    """Every file and folder under `folder`, sorted, without entering a symlinked folder (as
    `rglob` does). Walked with a list, not recursion: a pack folder nested a thousand deep is
    walked, not a RecursionError."""
    found: list[Path] = []
    todo = [str(folder)]
    while todo:
        try:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    found.append(Path(entry.path))
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
        except OSError:          # unreadable, or a path too long for the system
            continue
    return sorted(found)


def _link_out(path: Path, below: str, allowed) -> Path | None:
    """The first symlink on the way to `path` (written under `below`) that is not `allowed`."""
    written = os.path.abspath(path)
    if not _under(written, below):
        return None
    current = Path(below)
    for part in Path(written).relative_to(below).parts:
        current = current / part
        if os.path.islink(current) and not allowed(current):
            return current
    return None


def symlink_note(path: Path, root: Path) -> str:
    """" (X is a symlink to Y)" for the symlink that takes `path` out of `root`, else ""."""
    link = _link_out(path, os.path.abspath(root), lambda p: inside(p, root))
    return f" ({display_path(link)} is a symlink to {show(_real(link), 200)})" if link else ""


def check_output_folder(folder: Path, pack_root: Path) -> None:
    """Refuse to write through a symlink inside the pack that leads out of it (a pack that
    ships `out` as a symlink would send the PDFs, lock and temporary files anywhere)."""
    link = _link_out(folder, os.path.abspath(pack_root), lambda p: inside(p, pack_root))
    if link is not None:
        raise RevpackError(diagnostics=[Diagnostic(
            Location(link), "error", f"a symlink that leads outside the pack folder (to "
            f"{show(_real(link), 200)}); revpack will not write through it",
            "delete it, or choose another output folder with -o")], exit_code=2)
