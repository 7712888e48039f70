"""Styles: takes the theme chain, theme settings, paper size and variant, gives each handout's CSS.

The cascade for a handout, first to last: the default theme's `base.css` and `<handout>.css`,
then the theme settings as CSS custom properties (and `@font-face` rules for `font_files`), then
the same files from each theme layer up to the pack's own `styles/`, then the variant's
`variant-<name>.css` from every layer, then the paper size. Later sheets win, so a theme only
writes what it changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostic, Location, RevpackError
from .papers import PAPERS
from .themes import SETTINGS, css_quote, jail_of, theme_asset

VARIANTS = ("standard", "large-print", "dyslexia-friendly")


def handout_sheets() -> tuple[str, ...]:
    """The stylesheets a theme may bring, besides `variant-<name>.css`: base.css, each kind's
    own (from the registry), and the sources and contents pages'."""
    from .handouts import kinds

    return ("base.css",) + tuple(k.stylesheet for k in kinds()) + ("sources.css", "contents.css")


FONT_FACES = {"regular": ("normal", "normal"), "bold": ("bold", "normal"),
              "italic": ("normal", "italic"), "bold_italic": ("bold", "italic")}


def counter_css(text: str) -> str:
    """A label such as "Page {page} of {pages}" as a CSS `content` value:
    "Page " counter(page) " of " counter(pages)."""
    out = []
    for piece in re.split(r"(\{page\}|\{pages\})", text):
        if piece in ("{page}", "{pages}"):
            out.append(f"counter({piece[1:-1]})")
        elif piece:
            out.append(css_quote(piece))
    return " ".join(out)


def labels_css(words: dict) -> str:
    """The printed words the stylesheets carry, in the pack's language: the page numbers, the
    blank verso's note, and the defaults of the turn-over and examiner-column settings."""
    page_of = counter_css(words["page_of"])
    return (f":root {{ --turn-over: {css_quote(words['turn_over'])}; "
            f"--examiner-label: {css_quote(words['examiner_only'])}; "
            f"--blank-note: {css_quote(words['blank_page'])}; }}\n"
            f"@page :right {{ @bottom-right {{ content: {page_of}; }} }}\n"
            f"@page :left {{ @bottom-left {{ content: {page_of}; }} }}\n")


def settings_css(settings: dict, chain=None, words: dict | None = None) -> str:
    """The theme settings as CSS: custom properties on :root, and @font-face for font_files;
    with `words` (the pack's label set) first the labels the stylesheets print."""
    props = []
    for spec in SETTINGS:
        value = settings.get(spec.name)
        if not spec.css or value is None:
            continue
        if spec.kind == "font":
            if not value:
                continue
            value = _font_stack(value) if spec.name == "font_family" else \
                f"{css_quote(value)}, var(--font-body)"
        elif spec.kind == "text":
            value = css_quote(value)
        elif not value:
            continue
        props.append(f"  {spec.css}: {value};")
    css = (labels_css(words) if words else "") + ":root {\n" + "\n".join(props) + "\n}\n"
    fonts = theme_asset(chain, "font_files") if chain else None
    family = settings.get("font_family")
    if fonts and family:
        for style, path in sorted(fonts.items()):
            weight, slant = FONT_FACES[style]
            css += (f"@font-face {{ font-family: {css_quote(family)}; src: url({css_quote(path.as_uri())}); "
                    f"font-weight: {weight}; font-style: {slant}; }}\n")
    return css


def _sheet_of(handout: str) -> str:
    from .handouts import is_kind, kind

    return kind(handout).stylesheet if is_kind(handout) else f"{handout}.css"


class Stylesheets:
    """The CSS cascade for one paper size; `for_handout` gives one handout's list of sheets."""

    def __init__(self, renderer, chain, theme_settings: dict, paper: str,
                 words: dict | None = None):
        self.renderer = renderer
        self.chain = chain
        self.cache: dict[tuple[str, str], list] = {}
        size = PAPERS[paper].css
        base = chain[-1].root
        self.settings_css = self._guard(lambda: renderer.css_string(
            settings_css(theme_settings, chain, words), base), None)
        self.paper_css = renderer.css_string(
            f"@page {{ size: {size}; }} @page landscape {{ size: {size} landscape; }}", base)

    def for_handout(self, handout: str, variant: str = "standard") -> list:
        key = (handout, variant)
        if key not in self.cache:
            sheets = []
            layers = list(reversed(self.chain))          # default first, pack overrides last
            for i, theme in enumerate(layers):
                sheets += self._sheets(theme, ("base.css", _sheet_of(handout)))
                if i == 0:
                    sheets.append(self.settings_css)
            if variant != "standard":
                for theme in layers:
                    sheets += self._sheets(theme, (f"variant-{variant}.css",))
            self.cache[key] = sheets + [self.paper_css]
        return self.cache[key]

    def _sheets(self, theme, names) -> list:
        if theme.styles is None:
            return []
        out = []
        for n in names:
            path = theme.styles / n
            if path.is_file():
                if theme is not self.chain[-1]:       # the built-in sheets are trusted
                    self._check_sheet(path)
                out.append(self._guard(lambda: self.renderer.stylesheet(path), path))
        return out

    def _check_sheet(self, path: Path) -> None:
        """Refuse, before rendering, a sheet that `sheet_problems` finds fault with."""
        from .css_checks import sheet_problems

        jail = getattr(self.renderer, "jail", None) or jail_of(self.chain)
        problems = sheet_problems(path, jail)
        if problems:
            raise RevpackError(diagnostics=problems)

    def _guard(self, load, path: Path | None):
        """Load a stylesheet; a refused @import or font names the sheet and its line."""
        fatal = getattr(getattr(self.renderer, "wp", None), "urls", None)
        fatal = getattr(fatal, "FatalURLFetchingError", None) or _Never
        try:
            return load()
        except fatal as exc:
            refused = self.renderer.refused[-1] if getattr(self.renderer, "refused", None) else ""
            line = _line_of(path, refused) if path is not None else 0
            raise RevpackError(diagnostics=[Diagnostic(
                Location(path, line) if path is not None else None, "error",
                f"{exc}" if not refused else
                f"refused to load {refused}: a theme may only use files inside its own folder "
                "or the pack's, and nothing from the network")]) from None


class _Never(BaseException):
    pass


def _line_of(path: Path, url: str) -> int:
    """The line of a stylesheet that mentions `url` (or its file name), 0 if none does."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    needles = [url, url.rsplit("/", 1)[-1]] if url else []
    for needle in needles:
        for i, line in enumerate(lines, start=1):
            if needle and needle in line:
                return i
    return 0


def _font_stack(family) -> str:
    if not family:
        return ""
    return f'{css_quote(family)}, "Revpack Sans", "DejaVu Sans", sans-serif'


_PROPERTY = re.compile(r"^\s*(--[a-z0-9-]+)\s*:\s*([^;]+);\s*(?:/\*\s*(.*?)\s*\*/)?\s*$")


def custom_properties(css_text: str) -> list[tuple[str, str, str]]:
    """(name, default, comment) for each custom property declared in a stylesheet's `:root`."""
    out = []
    for block in re.findall(r":root\s*\{(.*?)\}", css_text, re.S):
        for line in block.split("\n"):
            m = _PROPERTY.match(line)
            if m:
                out.append((m.group(1), m.group(2).strip(), (m.group(3) or "").strip()))
    return out


def default_custom_properties() -> list[tuple[str, str, str]]:
    """Every custom property revpack's own stylesheets declare (base.css first)."""
    from .resources import resource_dir

    styles = resource_dir() / "styles"
    seen, out = set(), []
    for name in handout_sheets():
        path = styles / name
        if path.is_file():
            for prop in custom_properties(path.read_text(encoding="utf-8")):
                if prop[0] not in seen:
                    seen.add(prop[0])
                    out.append(prop)
    return out
