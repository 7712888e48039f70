"""Output: takes finished PDF bytes, gives files in `OUT/<pack-slug>/`, written atomically.

A build stages every file first (`Staging`): each is written to a temporary file in the output
folder. Only when the whole build has succeeded are they renamed into place, under a lock, so a
build that fails halfway leaves the previous PDFs exactly as they were, and two builds into the
same folder never interleave: a reader always sees whole files from one build or the other.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .diagnostics import RevpackError, UsageError
from .source import HANDOUT_FILES, MANIFEST


#: Names Windows keeps for devices: a file called `con.pdf` cannot be opened there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}


def slugify(text: str) -> str:
    """A safe file or folder name: lower-case ASCII letters, digits and single hyphens.

    No path separators, dots or other punctuation survive, so a name from content (a pack
    folder, a theme, a student) can never leave the output folder ("../../etc" gives "etc").
    Accents are dropped ("Révolution" gives "revolution"); a name with no Latin letters or digits
    gives "" (callers choose a fallback). At most 80 characters.
    """
    text = "".join(c for c in unicodedata.normalize("NFKD", str(text))
                   if not unicodedata.combining(c))                  # "é" -> "e"
    text = re.sub(r"[\W_]+", "-", text)                               # "1789–1799" -> "1789-1799"
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    text = text[:80].rstrip("-")
    return f"{text}-1" if text in _RESERVED else text


def output_dir(out_root: Path, pack_root: Path, slug: str) -> Path:
    """`OUT/<slug>`, refusing any place where writing could overwrite the pack's own content."""
    out_root = Path(out_root).resolve()
    target = (out_root / slug).resolve()
    pack_root = Path(pack_root).resolve()
    content = [pack_root / MANIFEST] + [pack_root / f for f in HANDOUT_FILES.values()]
    for folder in (out_root, target):
        if folder == pack_root or any(c.parent == folder for c in content):
            raise UsageError(f"--out {out_root} would write into the pack folder itself; "
                             "choose another folder (an 'out/' folder inside the pack is fine)")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--out {folder} is a file, not a folder; choose a folder")
    return target


@contextlib.contextmanager
def _folder_lock(folder: Path):
    """An advisory lock on the output folder (no-op where fcntl is unavailable)."""
    try:
        import fcntl
    except ImportError:  # Windows: renames are still atomic, just not serialised
        yield
        return
    with open(folder / ".revpack.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Staging:
    """Files of one build, held as temporary files until `commit()` renames them all into place."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.staged: list[tuple[Path, Path]] = []

    def add(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        if target.parent != self.folder:
            raise RevpackError(f"revpack: error: refusing to write '{name}' outside {self.folder}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        except OSError as exc:
            self.discard()
            raise RevpackError(f"{target}: error: cannot write ({exc.strerror or exc})") from exc
        self.staged.append((Path(tmp), target))
        return target

    def commit(self) -> None:
        with _folder_lock(self.folder):
            for tmp, target in self.staged:
                os.replace(tmp, target)
        self.staged = []

    def discard(self) -> None:
        for tmp, _ in self.staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self.staged = []
