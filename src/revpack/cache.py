"""Cache: takes a key (a hash of everything that can change a document) and gives back the PDF
bytes an earlier build made for it, or nothing.

Content-addressed: build.py computes each output's key from its inputs (the handout's HTML in
the editions its layout depends on, the stylesheets, fonts and images of the theme chain and the
pack folder, pack.yaml, the options, a hash of revpack's own code, templates and styles, and the
versions of WeasyPrint and the libraries that write PDFs), so an entry never goes stale: a
changed input is a different key. The folder is the user's cache folder (platformdirs:
`~/.cache/revpack/` on Linux, moved by XDG_CACHE_HOME), never inside the output folder, which a
build swaps whole.

Each entry is one file: a JSON header line (the data's SHA-256, its size, its page count) and the
data. A read checks the checksum, so a corrupt or truncated entry is deleted and counted as a
miss, and its bytes never reach `out/`. Entries are written to a temporary file and renamed into
place, so a reader never sees half an entry; a file lock (filelock) serialises writers and
eviction between concurrent builds. The cache has a size limit (REVPACK_CACHE_MB, default 500):
past it, the least recently used entries (a hit touches its entry) are evicted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

#: The default size limit in megabytes; REVPACK_CACHE_MB overrides it.
DEFAULT_LIMIT_MB = 500
#: Bump when the entry format or the meaning of keys changes.
FORMAT = 1


def default_folder() -> Path:
    """The user's cache folder for revpack's rendered documents."""
    from platformdirs import user_cache_path

    return user_cache_path("revpack", appauthor=False) / "renders"


def digest(*parts) -> str:
    """A SHA-256 hex digest of the parts (str, bytes, or nested tuples and lists of them)."""
    h = hashlib.sha256()

    def feed(part) -> None:
        if isinstance(part, (list, tuple)):
            h.update(b"[%d" % len(part))
            for p in part:
                feed(p)
            h.update(b"]")
            return
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(b"%d:" % len(data))
        h.update(data)

    feed(parts)
    return h.hexdigest()


def folder_digest(root: Path, skip: tuple[Path, ...] = (), skip_names: frozenset = frozenset()) -> str:
    """A digest of every file under `root` (names and bytes), leaving out hidden files and
    folders, the folders in `skip`, and files named in `skip_names` at the top level."""
    root = Path(root)
    skip = tuple(Path(s).resolve() for s in skip)
    parts = []
    if not root.is_dir():
        return digest("missing", str(root))
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and (here / d).resolve() not in skip)
        for name in sorted(files):
            if name.startswith(".") or (here == root and name in skip_names):
                continue
            path = here / name
            try:
                parts.append((path.relative_to(root).as_posix(), path.read_bytes()))
            except OSError:
                continue                 # unreadable: the build itself will say so
    return digest(parts)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """revpack's own code, templates, styles and built-in themes, and the versions of the
    libraries that lay out and write PDFs (the version number alone goes stale in a checkout)."""
    from importlib import metadata

    from .resources import resource_dir

    package = Path(__file__).resolve().parent
    versions = []
    for name in ("weasyprint", "pydyf", "fonttools", "pypdf", "tinycss2", "cssselect2", "pillow",
                 "pypdfium2"):
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, ""))
    # Fonts are subset by HarfBuzz when libharfbuzz-subset is installed, else by fontTools: the
    # bytes differ, so a cache shared by two machines must not mix them.
    import ctypes.util

    parts = [FORMAT, versions, ctypes.util.find_library("harfbuzz-subset") or "",
             folder_digest(package)]
    for folder in ("templates", "styles", "themes"):
        parts.append(folder_digest(resource_dir() / folder))
    return digest(parts)


class NoCache:
    """What `--no-cache` uses: every lookup misses and nothing is stored."""

    folder = None
    enabled = False

    def get(self, key: str):
        return None

    def put(self, key: str, data: bytes, pages: int) -> None:
        pass

    def evict(self) -> None:
        pass


class Cache:
    """Rendered documents on disk, by key, with checksums and a size limit."""

    enabled = True

    def __init__(self, folder: Path | None = None, limit_mb: float | None = None):
        self.folder = Path(folder) if folder else default_folder()
        if limit_mb is None:
            try:
                limit_mb = float(os.environ.get("REVPACK_CACHE_MB", DEFAULT_LIMIT_MB))
            except ValueError:
                limit_mb = DEFAULT_LIMIT_MB
        self.limit = int(limit_mb * 1024 * 1024)
        self.corrupt = 0                      # entries found damaged (and removed) this build

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _lock(self):
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".lock"))

    def get(self, key: str) -> tuple[bytes, int] | None:
        """(data, pages) stored under `key`, or None: not there, or damaged (then removed)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header, sep, data = raw.partition(b"\n")
        try:
            meta = json.loads(header) if sep else {}
            ok = (meta.get("format") == FORMAT and meta.get("size") == len(data)
                  and meta.get("sha256") == hashlib.sha256(data).hexdigest())
        except ValueError:
            ok = False
        if not ok:
            self.corrupt += 1
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)                       # recently used: evicted last
        return data, int(meta.get("pages", 0))

    def put(self, key: str, data: bytes, pages: int) -> None:
        """Store `data` under `key` (`evict()` then keeps the size limit). A cache that cannot be
        written (a full or read-only disk) is skipped: the build goes on."""
        header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(data).hexdigest(),
                             "size": len(data), "pages": pages}, sort_keys=True).encode("ascii")
        path = self._path(key)
        try:
            with self._lock():
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.parent / f".{key}.{secrets.token_hex(4)}.tmp"
                try:
                    with open(tmp, "wb") as fh:
                        fh.write(header + b"\n" + data)
                    os.replace(tmp, path)
                finally:
                    with contextlib.suppress(OSError):
                        tmp.unlink()
        except OSError:
            pass

    def evict(self) -> None:
        """Remove the least recently used entries until the cache is within its limit."""
        try:
            with self._lock():
                self._evict()
        except OSError:
            pass

    def _evict(self) -> None:
        entries = []
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub):
                if entry.is_file() and not entry.name.startswith("."):
                    st = entry.stat()
                    entries.append((st.st_mtime_ns, st.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size

    def size(self) -> int:
        """The bytes the cache's entries take."""
        if not self.folder.is_dir():
            return 0
        return sum(e.stat().st_size for sub in self.folder.iterdir() if sub.is_dir()
                   for e in os.scandir(sub) if e.is_file())


def open_cache(enabled, out_root: Path):
    """The cache a build uses: `enabled` is True (the user's cache folder), False (none), or a
    Cache. One that would sit inside the output folder (which builds swap whole) is not used."""
    if not enabled:
        return NoCache()
    cache = enabled if isinstance(enabled, (Cache, NoCache)) else Cache()
    if cache.folder is not None:
        out_root = Path(out_root).resolve()
        folder = Path(cache.folder).resolve()
        if folder == out_root or out_root in folder.parents:
            return NoCache()
    return cache
