"""Roster: takes a class list file, gives the students to personalise copies for, in file order.

A CSV with a `name` column (and optional `class` and `variant` columns; others are ignored), or a
plain list with one name per line. Blank lines are skipped with a warning; a name listed twice is
kept twice with a warning (two pupils can share a name). Names are kept exactly as written.
"""

from __future__ import annotations

import csv
import io
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import ERROR, Diagnostic, Diagnostics, Location, RevpackError, did_you_mean
from .source import MAX_FILE_BYTES, decode_source, human_size
from .styles import VARIANTS

MAX_STUDENTS = 500


@dataclass(frozen=True)
class Student:
    name: str
    class_name: str
    variant: str | None       # None: the build's --variant
    loc: Location


def _usage(path: Path, message: str, hint: str = "") -> RevpackError:
    return RevpackError(diagnostics=[Diagnostic(Location(path), ERROR, message, hint)],
                        exit_code=2)


def read_class_list(path: Path, diags: Diagnostics) -> list[Student]:
    path = Path(path)
    if path.is_dir():
        raise _usage(path, "this is a folder, not a class list", "give the class list's file, "
                     "such as 12B.csv: a CSV with a name column, or one name a line")
    if not path.exists():
        raise _usage(path, "class list not found", "check the file's name and folder")
    if not path.is_file():      # a pipe or device could block the build forever
        raise _usage(path, "this is not an ordinary file (a pipe, socket or device)",
                     "give the class list's file, such as 12B.csv")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _usage(path, f"the class list is over the {human_size(MAX_FILE_BYTES)} limit "
                         "for a class list", f"a class set holds at most {MAX_STUDENTS} names")
        data = path.read_bytes()
    except OSError as exc:
        raise RevpackError(f"{path}: error: cannot read the class list ({exc.strerror})") from exc
    src = decode_source(path, data, diags)
    if src is None:
        raise RevpackError(diagnostics=diags.items)
    lines = src.text.split("\n")
    first = next((ln for ln in lines if ln.strip()), "")
    header = [h.strip().lower() for h in next(csv.reader([first]))] if first else []
    if "name" in header:
        students = _from_csv(src.text, path, header, diags)
    else:
        # Tabs are spaces by now; look for them in the file as written.
        raw = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        first_raw = next((ln for ln in raw if ln.strip()), "")
        students = _from_lines(lines, path, diags,
                               looks_like_columns=any(c in first_raw for c in ",;\t"))
    if not students:
        raise RevpackError(f"{path}:1: error: the class list has no names")
    if len(students) > MAX_STUDENTS:
        raise RevpackError(f"{path}: error: {len(students)} names, over the limit of "
                           f"{MAX_STUDENTS} for one class set")
    for s in students:
        missing = uncovered_characters(s.name + s.class_name)
        if missing:
            chars = " ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
            diags.error(s.loc, f"no available font can print {chars} in '{s.name}'",
                        "install a font that covers this script (for example a Noto font), "
                        "then build again")
    seen: dict[str, Student] = {}
    for s in students:
        if s.name in seen:
            diags.warning(s.loc, f"'{s.name}' is listed twice (also at line {seen[s.name].loc.line});"
                                 " both copies are printed")
        else:
            seen[s.name] = s
    return students


def _from_lines(lines: list[str], path: Path, diags: Diagnostics,
                looks_like_columns: bool = False) -> list[Student]:
    out = []
    last = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)
    for i, line in enumerate(lines[:last + 1], start=1):
        name = line.strip()
        if not name:
            diags.warning(Location(path, i), "blank line skipped")
            continue
        if looks_like_columns and not out:
            # Most likely a table whose first row names no 'name' column (nom,classe), or
            # whose columns are not split by commas: its header and rows would each get a copy.
            diags.warning(Location(path, i), "the first line is read as a student's name",
                          "to use columns, name them in the first row: name, class, variant, "
                          "separated by commas")
        out.append(Student(name, "", None, Location(path, i)))
    return out


def _from_csv(text: str, path: Path, header: list[str], diags: Diagnostics) -> list[Student]:
    reader = csv.reader(io.StringIO(text))
    out = []
    rows = list(reader)
    start = next(i for i, r in enumerate(rows) if any(c.strip() for c in r))
    col = {h: header.index(h) for h in ("name", "class", "variant") if h in header}
    for i, row in enumerate(rows[start + 1:], start=start + 2):
        def cell(key):
            j = col.get(key)
            return row[j].strip() if j is not None and j < len(row) else ""
        loc = Location(path, i)
        name = cell("name")
        if not name:
            diags.warning(loc, "row with no name skipped")
            continue
        variant = cell("variant").lower() or None
        if variant is not None and variant not in VARIANTS:
            diags.error(loc, f"unknown variant '{variant}' for {name}", did_you_mean(variant, VARIANTS))
            variant = None
        out.append(Student(name, cell("class"), variant, loc))
    return out


_font_cmap: set[int] | None = None
_fontconfig_cache: dict[str, bool] = {}


def uncovered_characters(text: str) -> list[str]:
    """Characters of `text` that neither the bundled font nor any installed font can draw."""
    global _font_cmap
    if _font_cmap is None:
        from fontTools.ttLib import TTFont

        from .resources import resource_dir
        font = TTFont(resource_dir() / "styles" / "fonts" / "LiberationSans-Regular.ttf",
                      lazy=True)
        _font_cmap = set(font.getBestCmap())
    missing = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or ord(ch) in _font_cmap or unicodedata.category(ch).startswith("C"):
            continue
        if ch not in _fontconfig_cache:
            _fontconfig_cache[ch] = _fontconfig_covers(ch)
        if not _fontconfig_cache[ch]:
            missing.append(ch)
    return missing


def _fontconfig_covers(ch: str) -> bool:
    """Whether any installed font has the character (via fontconfig, as Pango uses it)."""
    try:
        found = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return True      # cannot tell without fontconfig's tools: let Pango try
    return bool(found.stdout.strip())
