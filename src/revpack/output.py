"""Output: takes finished PDF bytes, gives files in `OUT/<pack-slug>/`, each written atomically.

Each file is written to a temporary file in the same folder and renamed into place, so a build
that fails halfway, or a second build running at the same time, never leaves a damaged PDF: a
reader sees either the old file or the new one, whole.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .diagnostics import RevpackError, UsageError
from .source import HANDOUT_FILES, MANIFEST


def slugify(text: str) -> str:
    """A safe file or folder name: ASCII letters, digits and hyphens, no path separators."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:80]


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
    return target


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise RevpackError(f"{path}: error: cannot write ({exc.strerror or exc})") from exc
        raise
