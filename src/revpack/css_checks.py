"""CSS checks: take a stylesheet (a pack's, a theme's), give what is wrong with it, at its line.

Every check on CSS lives here, shared by `revpack check`, the build (before a sheet reaches
WeasyPrint) and `revpack theme check`: the size and encoding limits, lengths and columns no page
could use (which stall or crash the layout engine), URLs leading out of the jail, and, for theme
authors, what WeasyPrint would ignore.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote

from .diagnostics import Diagnostic, Diagnostics, Location, RevpackError, did_you_mean, show
from .jail import Jail, is_file, read_file, tree
from .source import _read_at_most, _size_pair

#: The largest stylesheet read, and the largest length in one (in CSS pixels, about 26 metres):
#: anything beyond is a mistake or an attack on the layout engine, refused with its line. Layout
#: time grows with selectors times elements: 100 KB of selectors ending in `*` add about 3.5 s to
#: each handout's layout (1.6 MB took 74 s), while revpack's own largest sheet is 8 KB.
MAX_CSS_BYTES = 128 * 1024
MAX_CSS_LENGTH_PX = 100_000

#: The most columns a stylesheet may ask for, and the narrowest column it may set (4em, about
#: 17mm). WeasyPrint balances columns by laying their content out again and again: a thousand
#: columns, or columns a pixel wide, keep it busy for hours.
MAX_CSS_COLUMNS = 12
MIN_CSS_COLUMN_WIDTH_PX = 64

_UNITS_PX = {"px": 1, "pt": 4 / 3, "pc": 16, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4,
             "q": 96 / 101.6, "em": 16, "rem": 16, "ex": 8, "ch": 8, "vw": 8, "vh": 11,
             "vmin": 8, "vmax": 11}


def check_stylesheet(path: Path) -> None:
    """Refuse a stylesheet too large to be one, or holding lengths or columns no page could use.

    A value such as `font-size: 1e30px` does not fail cleanly in WeasyPrint: it overflows deep in
    the layout engine; `column-count: 1000` keeps it busy for hours. Caught here, each is an error
    at its own `path:line:col`.
    """
    import tinycss2
    import tinycss2.ast as ast

    with open(path, "rb") as fh:      # as content files are read: never more than the limit
        data = _read_at_most(fh, MAX_CSS_BYTES + 1)
    if len(data) > MAX_CSS_BYTES:
        size, limit = _size_pair(max(len(data), path.stat().st_size), MAX_CSS_BYTES)
        raise RevpackError(diagnostics=[Diagnostic(
            Location(path), "error", f"stylesheet is {size}, over the {limit} limit for "
            "stylesheets", "a theme's stylesheets are a few thousand bytes each; split it, or "
            "remove rules it does not need")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise RevpackError(diagnostics=[Diagnostic(Location(path), "error",
                                                   "stylesheet is not UTF-8 text",
                                                   "save it as UTF-8 in your editor")]) from None
    problems: list[Diagnostic] = []

    def walk(nodes, unitless_limit: float | None = None) -> None:
        previous = None
        for node in nodes or []:
            px = _as_px(node)
            if px is None and isinstance(node, ast.NumberToken) and unitless_limit is not None \
                    and previous == "line-height":
                px = abs(node.value) * 16 if abs(node.value) > unitless_limit else None
            if px is not None and abs(px) > MAX_CSS_LENGTH_PX:
                unit = "%" if isinstance(node, ast.PercentageToken) else getattr(node, "unit", "")
                problems.append(Diagnostic(
                    Location(path, node.source_line, node.source_column), "error",
                    f"the value {show(node.representation + unit, 30)} is far too large for a page",
                    f"lengths in a handout stay well below {MAX_CSS_LENGTH_PX:,}px"))
            if isinstance(node, ast.IdentToken):
                previous = node.lower_value
            elif not isinstance(node, (ast.WhitespaceToken, ast.LiteralToken)):
                previous = None
            for attr in ("prelude", "content", "arguments"):
                child = getattr(node, attr, None)
                if isinstance(child, list):
                    walk(child, 1000)

    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=False)
    walk(rules)
    problems += _column_problems(path, rules)
    if problems:
        raise RevpackError(diagnostics=problems[:20])


_COLUMN_PROPERTIES = ("column-count", "column-width", "columns")


def _column_problems(path: Path, rules) -> list[Diagnostic]:
    """Column counts over MAX_CSS_COLUMNS and widths under MIN_CSS_COLUMN_WIDTH_PX, anywhere in
    the sheet (inside @media, @page and nested rules too)."""
    import tinycss2.ast as ast

    problems = []
    for decl in _declarations(rules):
        name = decl.lower_name.removeprefix("-weasy-")   # WeasyPrint still reads its prefix
        if name not in _COLUMN_PROPERTIES:
            continue
        for node in decl.value:
            where = Location(path, node.source_line, node.source_column)
            if isinstance(node, ast.NumberToken) and node.is_integer and name != "column-width" \
                    and node.int_value > MAX_CSS_COLUMNS:
                problems.append(Diagnostic(
                    where, "error", f"{decl.name}: {show(node.representation, 20)} asks for "
                    "more columns than a page can hold", f"use at most {MAX_CSS_COLUMNS}; two or "
                    "three columns suit most handouts"))
            elif name != "column-count" and (
                    isinstance(node, ast.DimensionToken) and node.lower_unit in _UNITS_PX
                    or isinstance(node, ast.NumberToken) and node.value == 0):
                px = _as_px(node) or 0.0
                if 0 <= px < MIN_CSS_COLUMN_WIDTH_PX:
                    shown = node.representation + getattr(node, "unit", "")
                    problems.append(Diagnostic(
                        where, "error", f"{decl.name}: {show(shown, 20)} makes columns too "
                        "narrow to hold text", "make them at least 4em wide, about 17mm, or set "
                        "column-count: 2 instead"))
    return problems


def _declarations(rules):
    """Every declaration in parsed rules, however deeply nested."""
    import tinycss2

    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                   skip_whitespace=True):
            if item.type == "declaration":
                yield item
            else:
                yield from _declarations([item])


def _as_px(node) -> float | None:
    import tinycss2.ast as ast

    if isinstance(node, ast.DimensionToken):
        factor = _UNITS_PX.get(node.lower_unit)
        return None if factor is None else node.value * factor
    if isinstance(node, ast.PercentageToken):
        return node.value * 10           # a percentage of a page: about 10px per per cent
    return None                           # bare numbers: z-index, weights, line heights…


def check_stylesheets(chain, diags: Diagnostics) -> None:
    """Every stylesheet a build of this theme chain could load, checked without WeasyPrint, as a
    build checks it. (The built-in theme's own sheets are trusted.)"""
    from .themes import jail_of

    jail = jail_of(chain)
    for theme in chain[:-1]:
        if theme.styles is None:
            continue
        for path in [p for p in tree(theme.styles) if p.name.endswith(".css") and p.is_file()]:
            diags.extend(sheet_problems(path, jail))


def sheet_problems(path: Path, jail: Jail) -> list[Diagnostic]:
    """What is wrong with one pack or theme stylesheet, in this order: it lies outside the jail
    (then nothing in it is read); it is too big or not UTF-8 (then it is not parsed); its URLs
    lead outside the jail; it holds sizes no page could use."""
    if not jail.allows(path):
        return [jail.refusal(path)]
    try:
        check_stylesheet(path)
        found = []
    except RevpackError as exc:
        found = list(exc.diagnostics)
        if not found[0].location.line:
            return found
    return [Diagnostic(Location(path, line), "error", message, hint)
            for line, message, hint in url_problems(path, jail)] + found


def css_urls(rules) -> list[tuple[str, int]]:
    """Every url(...) and @import target in parsed CSS (tinycss2 nodes): (url, line)."""
    import tinycss2.ast as ast

    found: list[tuple[str, int]] = []

    def walk(nodes_) -> None:
        for node in nodes_ or []:
            if isinstance(node, ast.URLToken):
                found.append((node.value.strip(), node.source_line))
            elif isinstance(node, ast.FunctionBlock):
                if node.lower_name in ("url", "src"):
                    found.extend((a.value.strip(), node.source_line) for a in node.arguments
                                 if isinstance(a, ast.StringToken))
                else:
                    walk(node.arguments)
            elif isinstance(node, ast.AtRule):
                if node.lower_at_keyword == "import":
                    found.extend((t.value.strip(), node.source_line) for t in node.prelude
                                 if isinstance(t, ast.StringToken))
                walk(node.prelude)
                walk(node.content)
            elif isinstance(node, ast.QualifiedRule):
                walk(node.prelude)
                walk(node.content)
            elif isinstance(node, (ast.SquareBracketsBlock, ast.ParenthesesBlock,
                                   ast.CurlyBracketsBlock)):
                walk(node.content)

    walk(rules)
    return found


def url_problems(path: Path, jail: Jail | list, rules=None) -> list[tuple[int, str, str]]:
    """(line, message, hint) for each URL in a sheet that is not a file inside the jail (or a
    list of folders)."""
    import tinycss2

    from .pdf import fetch_problem

    if rules is None:
        try:
            text = read_file(path).decode("utf-8")
        except (OSError, UnicodeDecodeError, RevpackError):
            return []               # check_stylesheet says why
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    if not isinstance(jail, Jail):
        jail = Jail(roots=jail)
    # A sheet in a theme's styles/ folder, or in a pack's own styles/ folder (no theme.yaml).
    folder = Path(path).resolve().parent.parent
    owner = "theme" if (folder / "theme.yaml").is_file() else "pack"
    hint = ("copy the file into the theme's fonts/ or images/ folder" if owner == "theme" else
            "copy the file into the pack's folder, for example an images/ folder in it")
    out = []
    for url, line in css_urls(rules):
        if not url or url.startswith("#"):
            continue
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith("//"):
            out.append((line, f"'{url}': a {owner}'s stylesheet may only use files inside the "
                        f"{owner}'s folder, never the network or other places on the disk", hint))
            continue
        # As the fetcher will read it: %2F is a slash, so '..%2F' climbs like '../', and '..'
        # is taken off by name, as in any URL.
        target = Path(os.path.normpath(Path(path).parent /
                                       unquote(url.split("?")[0].split("#")[0])))
        if not jail.allows(target):
            out.append((line, f"'{url}' leads outside the {owner}'s folder", hint))
        elif not is_file(target):
            out.append((line, f"'{url}' not found", f"looked for {target}"))
        elif why := fetch_problem(target):
            out.append((line, why, ""))
    return out


def check_theme_stylesheets(theme, jail, diags: Diagnostics) -> int:
    """Every stylesheet in a theme's styles/ folder, as `revpack theme check` checks it: CSS
    syntax, URLs, sizes, sheets revpack never loads, and what WeasyPrint would ignore. Returns
    how many sheets there are."""
    import tinycss2
    import tinycss2.ast as ast

    from .styles import handout_sheets

    if theme.styles is None:
        return 0
    sheets = [p for p in tree(theme.styles) if p.name.endswith(".css") and p.is_file()]
    imported: set[Path] = set()
    clean: list[Path] = []
    for path in sheets:
        if not jail.allows(path):
            diags.extend([jail.refusal(path)])
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            diags.error(Location(path), "not UTF-8 text")
            continue
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        before = len(diags.errors)
        for rule in rules:
            if isinstance(rule, ast.ParseError):
                diags.error(Location(path, rule.source_line), f"CSS: {rule.message}")
        for line, message, hint in url_problems(path, jail, rules):
            diags.error(Location(path, line), message, hint)
        for url, _line in css_urls(rules):
            target = (path.parent / url.split("?")[0].split("#")[0]).resolve()
            if target.suffix.lower() == ".css":
                imported.add(target)
        if len(diags.errors) == before:
            try:
                check_stylesheet(path)            # sizes no page could use, as a build refuses
                clean.append(path)
            except RevpackError as exc:
                diags.extend(exc.diagnostics)
    known = handout_sheets()
    for path in sheets:
        rel = path.relative_to(theme.styles).as_posix()
        if rel not in known and not re.fullmatch(r"variant-[a-z-]+\.css", rel) and \
                path.resolve() not in imported:
            diags.warning(Location(path), f"revpack never loads '{rel}'",
                          did_you_mean(rel, known))
    _css_warnings(clean, jail, diags)
    return len(sheets)


def _css_warnings(paths: list[Path], jail, diags: Diagnostics) -> None:
    """What WeasyPrint would ignore in each sheet (unknown properties, bad values)."""
    if not paths:
        return
    try:
        from .pdf import Renderer
        renderer = Renderer(jail)
    except RevpackError:
        return
    messages: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Catch(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        for path in paths:
            messages.clear()
            try:
                renderer.stylesheet(path)
            except BaseException as exc:  # a refused fetch is a FatalURLFetchingError
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                diags.error(Location(path), f"cannot load: {exc}")
                continue
            for msg in messages:
                m = re.search(r" at (\d+):(\d+)", msg)
                line = int(m.group(1)) if m else 0
                diags.warning(Location(path, line), f"CSS ignored: {msg}")
    finally:
        logger.removeHandler(handler)
