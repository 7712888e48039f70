"""Source: takes a pack folder, gives its files as checked text (`SourceFile`), each with its path.

This is the only stage that touches the pack's files. It refuses what cannot be content (binary
files, files over the size limit, files that are not UTF-8, symlinks leading out of the pack) and
accepts, silently, what editors commonly produce: a byte-order mark, CRLF line endings, tabs.
Nothing under the pack's `out/` folder is ever read as content.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ERROR, Diagnostic, Diagnostics, Location, RevpackError
from .jail import inside

#: The largest content file revpack reads, in bytes (a documented setting: `max_file_bytes`
#: in pack.yaml can lower or raise it, up to MAX_FILE_BYTES_LIMIT).
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES_LIMIT = 100 * 1024 * 1024

MANIFEST = "pack.yaml"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def loc(self, line: int = 0) -> Location:
        return Location(self.path, line)


def resolve_pack_dir(pack_dir: Path) -> Path:
    """The pack folder, checked to exist and to hold a manifest."""
    pack_dir = Path(pack_dir)
    def fail(message: str, hint: str) -> RevpackError:
        return RevpackError(diagnostics=[Diagnostic(Location(pack_dir), ERROR, message, hint)])

    try:
        exists = pack_dir.exists()
    except OSError as exc:          # a name too long for the system, say
        raise fail(f"cannot open this folder ({exc.strerror or exc})", "check the path") from None
    if not exists:
        raise fail("pack folder not found", "check the folder's name; 'revpack check' on its "
                   "own checks the folder you are in")
    if not pack_dir.is_dir():
        raise fail("not a folder", f"give the pack's folder, the one holding {MANIFEST}")
    if not (pack_dir / MANIFEST).is_file():
        raise fail(f"no {MANIFEST} in this folder", "every pack folder needs a pack.yaml with "
                   "title, subject, level, exam_board and author")
    return pack_dir.resolve()


def read_source(path: Path, root: Path, diags: Diagnostics,
                max_bytes: int = MAX_FILE_BYTES) -> SourceFile | None:
    """Read one content file as text, or report why it cannot be content and return None."""
    loc = Location(path)
    if path.is_symlink() and not inside(path, root):
        diags.error(loc, "symlink leads outside the pack folder; refused",
                    "copy the file into the pack instead")
        return None
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            diags.error(loc, "this is a folder, not a file",
                        f"a pack's {path.name} must be a text file")
            return None
        if not stat.S_ISREG(info.st_mode):
            # A pipe or device could block the build forever or never end.
            diags.error(loc, "this is not an ordinary file (a pipe, socket or device); refused",
                        "content files are UTF-8 Markdown or YAML text files")
            return None
        if info.st_size > max_bytes:
            size, limit = _size_pair(info.st_size, max_bytes)
            diags.error(loc, f"file is {size}, over the {limit} limit for content files",
                        "split it, or raise max_file_bytes in pack.yaml")
            return None
        with open(path, "rb") as fh:
            data = _read_at_most(fh, max_bytes + 1)   # even if the file grows meanwhile
    except PermissionError:
        diags.error(loc, "cannot read this file (permission denied)",
                    "check the file's permissions, or copy it so that you own it")
        return None
    except OSError as exc:
        diags.error(loc, f"cannot read this file ({exc.strerror or exc})")
        return None
    if len(data) > max_bytes:
        diags.error(loc, f"file is over the {human_size(max_bytes)} limit for content files",
                    "split it, or raise max_file_bytes in pack.yaml")
        return None
    return decode_source(path, data, diags)


def _read_at_most(fh, limit: int) -> bytes:
    """Up to `limit` bytes, a megabyte at a time (a huge limit must not mean a huge buffer)."""
    chunks, total = [], 0
    while total < limit:
        chunk = fh.read(min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def decode_source(path: Path, data: bytes, diags: Diagnostics) -> SourceFile | None:
    """Bytes to normalised text: BOM dropped, CRLF/CR to LF, tabs to spaces."""
    loc = Location(path)
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            diags.error(loc, f"file is {name} text, not UTF-8", "save it as UTF-8 in your editor")
            return None
    if b"\x00" in data:
        diags.error(loc, "this is a binary file, not text",
                    "content files are UTF-8 Markdown or YAML; a Word or PDF file will not do")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Lines end at \n, \r\n or \r, as below and in an editor (old Mac files use \r alone).
        line_start = max(data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)) + 1
        line = len(_LINE_BREAK.findall(data, 0, exc.start)) + 1
        col = len(data[line_start:exc.start].decode("utf-8")) + 1
        byte = data[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        what = f"byte 0x{byte:02X}"
        if guess.isprintable() and guess != "\ufffd" and byte >= 0x80:
            what += f", which is '{guess}' in the older Windows (Latin-1) encoding"
        diags.error(Location(path, line, col), f"file is not UTF-8 text ({what})",
                    "save it as UTF-8 in your editor")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    if not text.strip():
        if path.name == MANIFEST:
            hint = "pack.yaml needs at least title, subject, level, exam_board and author"
        elif path.name in _content_file_names():
            hint = "write the handout, or delete the file if you do not want that handout"
        else:
            hint = ""
        diags.error(loc, "file is empty", hint)
        return None
    return SourceFile(path, text)


_LINE_BREAK = re.compile(rb"\r\n?|\n")
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _size_pair(size: int, limit: int) -> tuple[str, str]:
    """The size and the limit in words, in bytes when rounding would make them look equal."""
    if human_size(size) == human_size(limit) or limit < 1024:
        return f"{size:,} bytes", f"{limit:,}-byte"
    return human_size(size), human_size(limit)


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1048576:.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _content_file_names() -> tuple[str, ...]:
    from .handouts import content_files

    return tuple(f.file for f in content_files())


def find_content_files(pack_dir: Path, files) -> dict[str, Path]:
    """Which of `files` (name → file name) the pack holds, by name, in their order."""
    return {name: pack_dir / fname for name, fname in files.items()
            if (pack_dir / fname).exists() or (pack_dir / fname).is_symlink()}
