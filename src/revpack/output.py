"""Output: takes finished PDF bytes, gives `OUT/<pack-slug>/`, replaced whole in one step.

A build writes its files into a sibling staging folder, `OUT/.<slug>.new-XXXX/`. Only when the
whole build has succeeded are the files of earlier builds that this one does not make (other
editions, variants) carried into it (as hard links), and the two folders swapped in one step with
Linux's `renameat2(RENAME_EXCHANGE)`; the old build is then deleted. Where that call is missing,
the old folder is first moved aside (`OUT/.<slug>.old-XXXX/`) and the new one moved in: a build
killed between the two steps is undone by the next build, which puts the old folder back first.
So `OUT/<slug>/` holds one whole build at every moment, and a failed or killed build leaves the
previous PDFs exactly as they were.

A lock beside the folder (`OUT/.<slug>.lock`, never inside it) serialises builds into one folder;
it is opened read-only, so a colleague's lock in a shared folder works for everyone. Under it, a
build first removes what killed builds left; SIGTERM and SIGHUP clean up before the process ends.
A marker in the folder (`.revpack-pack`) names the pack it holds, so two packs whose names give
the same slug never replace each other's PDFs.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import threading
import unicodedata
from pathlib import Path

from .diagnostics import ERROR, Diagnostic, Location, RevpackError, UsageError, display_path
from .handouts import content_files
from .source import MANIFEST


#: Names Windows keeps for devices: a file called `con.pdf` cannot be opened there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
#: Inside the output folder: which pack's PDFs it holds (the pack folder's real path).
MARKER = ".revpack-pack"
#: Left inside output folders by earlier versions (a lock, and temporary files of a killed
#: build): never carried into a new build's folder, so they go with the old one.
_LEGACY = re.compile(r"\.revpack\.lock|\..+\.[a-z0-9_]{8}\.tmp")
#: Permission checks as the user the process acts as (which is also who it really is, usually).
_EFFECTIVE_IDS = os.access in os.supports_effective_ids


def slugify(text: str) -> str:
    """A safe file or folder name: lower-case letters of any script, digits and single hyphens.

    No path separators, dots, spaces or other punctuation survive, so a name from content (a
    pack folder, a theme, a student) can never leave the output folder ("../../etc" gives
    "etc"). Letters are kept, not dropped, so different names stay different: "Революция" and
    "Война" give "революция" and "война", not both "". A name with no letters or digits gives
    "" (callers choose a fallback). At most 80 characters and 200 bytes.
    """
    kept = []
    for c in unicodedata.normalize("NFKC", str(text)).lower():     # "ﬁ" -> "fi", "Ａ" -> "a"
        kind = unicodedata.category(c)[0]
        # Marks (accents, vowel signs) only on a kept letter; everything else is a separator.
        kept.append(c if kind in "LN" or (kind == "M" and kept and kept[-1] != "-") else "-")
    text = re.sub("-+", "-", "".join(kept)).strip("-")[:80]
    while len(text.encode("utf-8")) > 200:                           # file names are bytes
        text = text[:-1]
    text = text.rstrip("-")
    return f"{text}-1" if text in _RESERVED else text


def output_dir(out_root: Path, pack_root: Path, slug: str) -> Path:
    """`OUT/<slug>`, refusing any place where writing could overwrite the pack's own content."""
    out_root = Path(out_root).resolve()
    target = (out_root / slug).resolve()
    pack_root = Path(pack_root).resolve()
    content = [pack_root / MANIFEST] + [pack_root / f.file for f in content_files()]
    for folder in (out_root, target):
        if folder == pack_root or any(c.parent == folder for c in content):
            raise UsageError(f"--out {out_root} would write into the pack folder itself; "
                             "choose another folder (an 'out/' folder inside the pack is fine)")
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--out {folder} is a file, not a folder; choose a folder")
    return target


def _error(path: Path, message: str, hint: str = "", exit_code: int = 1) -> RevpackError:
    return RevpackError(diagnostics=[Diagnostic(Location(path), ERROR, message, hint)],
                        exit_code=exit_code)


def _owner(path: Path) -> str:
    try:
        import pwd
        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return "another user"


class Staging:
    """One build's files, held in a staging folder until `commit()` swaps it into place.

    Use as a context manager around the build: leaving it without a commit (an error, Ctrl-C,
    SIGTERM, SIGHUP) deletes the staging folder and releases the lock.
    """

    def __init__(self, folder: Path, pack_root: Path, on_wait=None):
        self.folder = Path(folder)
        self.root = self.folder.parent
        self.slug = self.folder.name
        self.pack_root = Path(pack_root).resolve()
        self.on_wait = on_wait or (lambda message: None)
        self.staging: Path | None = None
        self.names: list[str] = []
        self._locked = contextlib.ExitStack()

    def __enter__(self) -> "Staging":
        self._check_folder()                 # early, so a wrong folder costs no rendering
        self._signals = _SignalCleanup()
        return self

    def __exit__(self, kind, exc, tb) -> None:
        with _signals_blocked():
            self.discard()
            self._locked.close()
            self._signals.restore()        # a signal that comes now goes to the old handler
        if isinstance(exc, _Signalled):    # cleaned up: now end as the signal would have
            signal.raise_signal(exc.signum)

    def add(self, name: str, data: bytes) -> Path:
        target = self.folder / name
        if target.parent != self.folder:
            raise RevpackError(f"revpack: error: refusing to write '{name}' outside {self.folder}")
        if self.staging is None:
            self._start()
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(target.lstat().st_mode) and not target.is_symlink():
                raise _error(target, "a folder (or other non-file) has this name, so the build "
                             "cannot put its PDF here", "move or rename it, or build into "
                             "another folder with -o", exit_code=2)
        try:
            _write(self.staging / name, data)
        except OSError as exc:
            raise _error(target, f"cannot write ({exc.strerror or exc})") from None
        self.names.append(name)
        return target

    def _start(self) -> None:
        """Take the lock, tidy up after killed builds, check again, make the staging folder."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _error(self.root, f"cannot make the output folder ({exc.strerror or exc})")
        self._locked.enter_context(_lock(self.root / f".{self.slug}.lock", lambda: self.on_wait(
            f"waiting for another build into {display_path(self.folder)}")))
        with _signals_blocked():
            tidy(self.root, self.slug)
        self._check_folder()
        staging = self.root / f".{self.slug}.new-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
        except OSError as exc:
            raise _error(self.root, f"cannot write here ({exc.strerror or exc})") from None
        self.staging = staging

    def _check_folder(self) -> None:
        """The existing folder holds this pack's PDFs (or none) and may be replaced by us."""
        marker = self.folder / MARKER
        try:
            other = marker.read_text(encoding="utf-8", errors="replace").strip()
        except FileNotFoundError:     # no folder yet, or one made before markers: ours
            other = self.pack_root.name
        except OSError as exc:
            raise _error(marker, f"cannot read ({exc.strerror or exc})") from None
        # The folder's name, not its whole path: a pack that is moved or copied (a fresh clone)
        # still rebuilds its own PDFs, and no machine path is written beside the PDFs.
        if other != self.pack_root.name:
            raise _error(self.folder, f"this folder holds the PDFs of another pack, '{other}'; "
                         f"building {display_path(self.pack_root)} here would replace them "
                         "(two pack folders with names that give the same output name)",
                         f"build into another folder with -o, or delete {display_path(self.folder)}"
                         " if that pack's PDFs are no longer wanted", exit_code=2)
        if self.folder.is_dir() and not os.access(self.folder, os.W_OK | os.X_OK,
                                                  effective_ids=_EFFECTIVE_IDS):
            raise _error(self.folder, f"this folder belongs to {_owner(self.folder)} and you may "
                         "not change the files in it", "ask them to let the group write to it "
                         "(chmod -R g+w), or build into another folder with -o")

    def commit(self) -> None:
        """Carry over the files this build did not make, then swap the folders."""
        if self.staging is None:
            return
        with _signals_blocked():
            try:
                _carry(self.folder, self.staging, set(self.names))
                _write(self.staging / MARKER, f"{self.pack_root.name}\n".encode("utf-8"))
                _match_mode(self.staging, self.folder)
                _fsync(self.staging)
                if not self.folder.exists():
                    os.rename(self.staging, self.folder)
                elif not _exchange(self.staging, self.folder):
                    aside = self.root / f".{self.slug}.old-{secrets.token_hex(4)}"
                    os.rename(self.folder, aside)        # the next build undoes a kill here
                    try:
                        os.rename(self.staging, self.folder)
                    except OSError:
                        os.rename(aside, self.folder)
                        raise
                    self.staging = aside
                _fsync(self.root)
            except OSError as exc:
                raise _error(self.folder, f"cannot replace this folder with the new build "
                             f"({exc.strerror or exc}); its PDFs are left as they were") from None
            self.discard()                               # now the previous build

    def discard(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def _fsync(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):     # not every system syncs folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _carry(old: Path, new: Path, made: set[str]) -> None:
    """Put into `new` every file of `old` that this build did not make (as hard links)."""
    if not old.is_dir():
        return
    for entry in os.scandir(old):
        if entry.name in made or entry.name == MARKER or _LEGACY.fullmatch(entry.name):
            continue
        src, dst = Path(entry.path), new / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(src), dst)
        elif entry.is_dir():
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        elif entry.is_file():
            _link_or_copy(src, dst)


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:       # another user's file (protected hard links), or no links here
        shutil.copy2(src, dst)


def _match_mode(new: Path, old: Path) -> None:
    """The new folder gets the old one's permissions (a group-writable folder stays so)."""
    try:
        os.chmod(new, stat.S_IMODE(old.stat().st_mode))
    except FileNotFoundError:
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(new, 0o777 & ~mask)


def tidy(root: Path, slug: str) -> None:
    """Undo or remove what killed builds left beside `OUT/<slug>/` (call under the lock)."""
    leftovers = [Path(e.path) for e in os.scandir(root)
                 if e.name.startswith(f".{slug}.") and e.name != f".{slug}.lock"
                 and e.is_dir(follow_symlinks=False)]
    target = root / slug
    aside = [p for p in leftovers if p.name.startswith(f".{slug}.old-")]
    if aside and not os.path.lexists(target):    # killed between the two steps of a swap
        os.rename(max(aside, key=lambda p: p.stat().st_mtime_ns), target)
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system cannot (then the caller moves)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import errno

    libc = ctypes.CDLL(None, use_errno=True)
    args = (ctypes.c_int(_AT_FDCWD), os.fsencode(a), ctypes.c_int(_AT_FDCWD), os.fsencode(b),
            ctypes.c_uint(_RENAME_EXCHANGE))
    if hasattr(libc, "renameat2"):                       # glibc 2.28 and later
        done = libc.renameat2(*args)
    elif os.uname().machine in _SYS_RENAMEAT2:
        done = libc.syscall(ctypes.c_long(_SYS_RENAMEAT2[os.uname().machine]), *args)
    else:
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False                                     # an old kernel, or a filesystem without it
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _lock(path: Path, on_wait):
    """Hold an advisory lock on `path` (no-op where fcntl is unavailable).

    Read-only, since a lock needs no write access: a lock file another user made (0644) works
    for everyone who builds into the same shared folder."""
    try:
        import fcntl
    except ImportError:  # Windows: the swap is still whole, just not serialised
        yield
        return
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except PermissionError:
        if path.exists():
            raise _error(path, f"cannot open this lock file: it belongs to {_owner(path)}, who "
                         "alone may read it", "ask them to delete it (it holds nothing), or "
                         "build into another folder with -o") from None
        raise _error(path.parent, "cannot write here (permission denied)",
                     "build into another folder with -o") from None
    except OSError as exc:
        if path.exists():
            raise _error(path, f"cannot open this lock file ({exc.strerror or exc})",
                         "delete it (it holds nothing)") from None
        raise _error(path.parent, f"cannot write here ({exc.strerror or exc})",
                     "build into another folder with -o") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


_SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


class _Signalled(SystemExit):
    """Raised by the handler; a SystemExit, so that whatever still catches it exits quietly."""

    def __init__(self, signum: int):
        super().__init__(128 + signum)
        self.signum = signum


class _SignalCleanup:
    """For one build, SIGTERM and SIGHUP unwind the build (so its staging folder is removed),
    then end the process as they would have. Ctrl-C (KeyboardInterrupt) unwinds it already."""

    def __init__(self):
        self.previous = {}
        if threading.current_thread() is not threading.main_thread():
            return                                # only the main thread may set handlers
        for signum in _SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:   # nohup: leave it ignored
                self.previous[signum] = signal.signal(signum, self._raise)

    @staticmethod
    def _raise(signum, frame):
        raise _Signalled(signum)

    def restore(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous = {}


@contextlib.contextmanager
def _signals_blocked():
    """Hold SIGTERM and SIGHUP until a step that must not be cut in half (a swap) is done."""
    if not hasattr(signal, "pthread_sigmask") or not _SIGNALS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
