"""Scaffold: takes a folder and the pack's title, level, board and language, gives a new pack.

`revpack new PATH` writes pack.yaml and every handout and content file the registry knows, each
with its kind's `starter` text: a small example explained in comments, which passes
`revpack check` and builds unchanged. A new kind of handout brings its own starter, so this
module names none of them. `revpack import` writes its packs through `write_pack` too, so both
refuse a folder that already holds something and write nothing half-way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from .diagnostics import ERROR, Diagnostic, Location, RevpackError, UsageError
from .handouts import content_files
from .source import MANIFEST

#: What `revpack new` uses for anything not given (and offers when it asks in a terminal).
DEFAULTS = {
    "title": "My revision pack",
    "subject": "History",
    "level": "A-level",
    "board": "Any board",
    "language": "en-GB",
    "author": "Your name",
}

_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(" ".join(str(value).split()), ensure_ascii=False)


def manifest_text(title: str, level: str, board: str, language: str, subject: str,
                  author: str, period: str = "", note: str = "") -> str:
    """pack.yaml, commented, with every required setting filled in."""
    lines = [
        "# pack.yaml: the pack's settings. Lines starting with '#' are notes to you.",
        "# docs/authoring.md lists every setting; `revpack check` says what is wrong, line by line.",
    ]
    if note:
        lines += [f"# {line}" for line in note.splitlines()]
    lines += [
        f"title: {_quoted(title)}",
        f"subject: {_quoted(subject)}",
        "# The level and the exam board are printed on the covers.",
        f"level: {_quoted(level)}",
        f"exam_board: {_quoted(board)}",
        "# The language of the handouts, as a language tag: en-GB, en-US, fr, de, es ...",
        f"language: {_quoted(language)}",
        f"author: {_quoted(author)}",
        "# The years the pack covers: a date outside them is flagged as a likely typing slip.",
    ]
    lines.append(f"period: {_quoted(period)}" if period else '# period: "1917–1939"')
    lines += [
        "# The works the pack draws on, one per line, printed on the sources page:",
        "# sources:",
        '#   - "A. J. P. Taylor, *The Origins of the Second World War* (1961)."',
        "",
    ]
    return "\n".join(lines)


def check_language(language: str) -> str:
    if not _LANGUAGE_RE.fullmatch(language or ""):
        raise UsageError(f"'{language}' is not a language tag (for example en-GB, en-US, fr, de)")
    return language


def refuse_unless_empty(folder: Path, command: str) -> None:
    """A new pack goes into a new or empty folder: never over someone's work."""
    folder = Path(folder)
    where = Location(folder)
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise RevpackError(diagnostics=[Diagnostic(
                where, ERROR, "this is a file, not a folder; nothing was written",
                f"give '{command}' the name of a new folder")])
        if any(folder.iterdir()):
            raise RevpackError(diagnostics=[Diagnostic(
                where, ERROR, "this folder is not empty; nothing was written, so nothing in "
                "it was overwritten", f"give '{command}' the name of a new or empty folder")])


def write_pack(folder: Path, files: dict[str, str], command: str) -> list[Path]:
    """Write {file name: text} into a new or empty `folder`; gives the paths written.

    The files are written into a hidden folder beside it, which then takes its name: a failure
    half-way (a full disk) leaves no half-written pack behind."""
    folder = Path(folder)
    refuse_unless_empty(folder, command)
    staging = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)      # as mkdir would make it, not mkdtemp's private 0700
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        if folder.is_dir():
            folder.rmdir()          # empty, as checked above
        staging.rename(folder)
        staging = None
    except OSError as exc:
        raise RevpackError(diagnostics=[Diagnostic(
            Location(folder), ERROR, f"cannot write the pack here ({exc.strerror or exc})",
            "check the folder's permissions and the free space")]) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]


def starter_files() -> dict[str, str]:
    """{file name: starter text} for every registered file that has a starter."""
    return {f.file: f.starter for f in content_files() if f.starter}


def new_pack(folder: Path, title: str = DEFAULTS["title"], level: str = DEFAULTS["level"],
             board: str = DEFAULTS["board"], language: str = DEFAULTS["language"],
             subject: str = DEFAULTS["subject"], author: str = DEFAULTS["author"]) -> list[Path]:
    """Write a new pack into `folder` (new or empty); gives the files written."""
    check_language(language)
    files = {MANIFEST: manifest_text(title or DEFAULTS["title"], level or DEFAULTS["level"],
                                     board or DEFAULTS["board"], language,
                                     subject or DEFAULTS["subject"],
                                     author or DEFAULTS["author"])}
    files.update(starter_files())
    return write_pack(folder, files, "revpack new")
