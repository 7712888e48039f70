"""Themes: take a theme name or path (and the pack), give the chain of theme folders to search.

A theme is a folder with a `theme.yaml` manifest (name, description, extends, contract, settings),
`templates/`, `styles/` and optionally `fonts/` and `images/`. The built-in theme, `default`, is the
top-level `templates/` and `styles/` shipped inside the wheel. Lookup order, first match wins for
templates and later layers are appended to the CSS cascade: the pack's own `templates/`/`styles/`
→ the chosen theme → its `extends` chain → `default`.

`SETTINGS` is the one description of every theme setting: the manifest checker, the CSS custom
properties (styles.py), `revpack theme new` and the generated reference in docs/themes.md all read
it, so they cannot disagree.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .diagnostics import (
    Diagnostic, Diagnostics, Located, Location, RevpackError, UsageError, did_you_mean, show,
)
from .jail import Jail, inside, is_dir, is_file, read_file, symlink_note
from .resources import builtin_theme_dirs, resource_dir

#: The version of the template contract (the variables, blocks, helpers and settings documented
#: in docs/themes.md). It changes only when a change could break an existing theme.
CONTRACT_VERSION = 1
THEME_MANIFEST = "theme.yaml"
MANIFEST_KEYS = {
    "name": "The theme's name, as `--theme NAME` and `theme:` in pack.yaml use it.",
    "description": "One line saying what the theme is for (shown by `revpack theme list`).",
    "extends": "The theme this one builds on (default: `default`). Templates and styles not in "
               "this theme come from it.",
    "contract": f"The template contract version the theme was written for: {CONTRACT_VERSION}.",
    "author": "Who made the theme (optional, for sharing).",
    "version": "The theme's own version (optional, for sharing), such as \"1.0\".",
    "settings": "Branding and exam conventions: see the settings below.",
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")


# --- the settings schema -------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One theme setting: what it holds, how it is checked and which custom property it sets."""

    name: str
    group: str
    kind: str            # text, colour, length, font, choice, bool, number, lines, fields, file, fonts
    help: str
    css: str = ""        # the CSS custom property it sets ("" when none)
    choices: tuple = ()
    example: object = None   # shown, commented out, by `revpack theme new` when the default is empty
    pack_key: str = ""   # where a pack may override it (documentation only)


SETTINGS: tuple[Setting, ...] = (
    # Branding
    Setting("brand_name", "Branding", "text",
            "School, department or exam board name. Shown at the left of the running header "
            "(unless the pack sets `school:`) and at the top of exam covers.",
            css="--brand-name", example="Northfield Academy History Department",
            pack_key="school"),
    Setting("logo", "Branding", "file",
            "An image inside the theme, such as `images/logo.png` (PNG, JPEG, SVG or GIF). Shown "
            "at the top of each handout's first page and on exam covers.",
            example="images/logo.png", pack_key="logo"),
    Setting("cover_text", "Branding", "text",
            "One line printed on the exam cover, such as \"Do not open this booklet until you are "
            "told to do so.\"", css="--cover-text",
            example="Do not turn over until you are told to do so."),
    # Colours and type
    Setting("accent_colour", "Colours and type", "colour",
            "The one accent colour (title rule, cover bands). Keep a contrast of at least 4.5:1 "
            "on white.", css="--accent"),
    Setting("text_colour", "Colours and type", "colour", "Body text.", css="--text"),
    Setting("muted_colour", "Colours and type", "colour",
            "Secondary text: running header and footer, provenance lines.", css="--muted"),
    Setting("rule_colour", "Colours and type", "colour",
            "Answer lines, write-in gaps and the header rule.", css="--rule"),
    Setting("band_colour", "Colours and type", "colour",
            "The light band behind table headers (keep it light: 10–15 % grey).", css="--band"),
    Setting("font_family", "Colours and type", "font",
            "The body font's family name. Bring the font files with `font_files`, or use a font "
            "installed on the computer.", css="--font-body", example="Board Sans"),
    Setting("heading_font_family", "Colours and type", "font",
            "The headings' font family (default: the body font).", css="--font-heading"),
    Setting("font_files", "Colours and type", "fonts",
            "Font files inside the theme for `font_family`, by style: `regular`, `bold`, "
            "`italic`, `bold_italic` (TTF, OTF, WOFF or WOFF2).",
            example={"regular": "fonts/BoardSans-Regular.ttf",
                     "bold": "fonts/BoardSans-Bold.ttf"}),
    Setting("body_size", "Colours and type", "length",
            "Body text size, such as `11pt` (10.5–12 pt reads best).", css="--body-size"),
    # Exam conventions
    Setting("question_number_style", "Exam conventions", "choice",
            "How question numbers look: `plain`, `bold`, or `boxed` (two digits in boxes, "
            "`0 1`).", choices=("plain", "bold", "boxed")),
    Setting("tariff_format", "Exam conventions", "text",
            "How a question's marks are written; `{marks}` is replaced by the number. "
            "Examples: `[{marks} marks]`, `({marks})`, `[{marks}]`."),
    Setting("total_line", "Exam conventions", "text",
            "A line after each question's answer space, or empty for none; `{number}` and "
            "`{marks}` are replaced. Example: `(Total for Question {number} = {marks} marks)`."),
    Setting("line_style", "Exam conventions", "choice",
            "Answer lines: `solid` or `dotted`.", choices=("solid", "dotted"),
            pack_key="exam.line_style"),
    Setting("lines_per_mark", "Exam conventions", "number",
            "Answer lines per mark (a question never gets fewer than the pack's `min_lines`).",
            pack_key="exam.lines_per_mark"),
    Setting("line_spacing", "Exam conventions", "length",
            "Distance between answer lines, such as `8.5mm` (exam answer books use 8–9 mm).",
            css="--write-line"),
    Setting("examiner_margin", "Exam conventions", "bool",
            "`true` gives question pages a ruled margin column on the right for the examiner; "
            "answer lines stop short of it."),
    Setting("examiner_margin_label", "Exam conventions", "text",
            "The heading of the examiner's margin column.", css="--examiner-label"),
    Setting("candidate_fields", "Exam conventions", "fields",
            "The candidate-details boxes, in order. Each is a label, or `{label: ..., boxes: N}` "
            "for N single-character boxes (as for a centre number), optionally with "
            "`stamp: name` or `stamp: class` to receive the student's name or class in class "
            "sets (default: the first field gets the name, a field labelled Class the class)."),
    Setting("instructions", "Exam conventions", "lines",
            "The Instructions list on the exam front. Markdown: `**all**` is bold. "
            "`{total_marks}` and `{time_allowed}` are replaced.", pack_key="exam.instructions"),
    Setting("information", "Exam conventions", "lines",
            "The Information list on the exam front, as `instructions`.",
            pack_key="exam.information"),
    Setting("turn_over", "Exam conventions", "text",
            "Printed at the foot of every exam page but the last (empty for none).",
            css="--turn-over"),
    Setting("end_of_questions", "Exam conventions", "text",
            "Printed after the last question."),
    Setting("cover", "Exam conventions", "bool",
            "`true` puts the candidate boxes, paper details, instructions and information on a "
            "front cover page of their own, as a real paper has; `false` puts them above the "
            "first question."),
    Setting("examiner_grid", "Exam conventions", "bool",
            "`true` adds a \"For examiner's use\" table of questions and marks to the cover."),
    # Labels
    Setting("labels", "Labels", "labels",
            "Printed words to change, by label key (the keys and their English, French, German "
            "and Spanish words are in the Label table below), such as `word_bank: Useful words`. "
            "They apply in every language; a theme's `labels/<lang>.yaml` (`labels/fr.yaml`) "
            "changes or adds one language's words.", example={"word_bank": "Useful words"}),
)
SETTING_NAMES = tuple(s.name for s in SETTINGS)
_BY_NAME = {s.name: s for s in SETTINGS}

_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{1}|[0-9a-fA-F]{3}|[0-9a-fA-F]{5})?|[a-zA-Z]{3,20}"
                     r"|(rgb|rgba|hsl|hsla)\(\s*[0-9.%]+\s*(,\s*[0-9.%]+\s*){2,3}\)")
_LENGTH = re.compile(r"\d{1,3}(\.\d{1,3})?(pt|mm|cm|in|px|em|rem|pc)")
_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")


def check_settings(settings: dict, loc: Callable[[tuple], Location], diags: Diagnostics,
                   root: Path | None = None) -> dict:
    """Check a theme's settings (unknown names, bad values) in place; returns the good ones.

    With `root`, `logo` and `font_files` must name files inside that folder.
    """
    good: dict = {}
    for key, value in settings.items():
        here = ("settings", key)
        spec = _BY_NAME.get(str(key))
        if spec is None:
            diags.error(loc(here), f"unknown theme setting '{key}'",
                        did_you_mean(str(key), SETTING_NAMES))
            continue
        problem = _check_value(spec, value)
        if problem:
            diags.error(loc(here), f"'{key}' {problem}")
            continue
        if root is not None and spec.kind in ("file", "fonts") and value:
            files = value.values() if isinstance(value, dict) else [value]
            suffixes = IMAGE_SUFFIXES if spec.kind == "file" else FONT_SUFFIXES
            bad = False
            for rel in files:
                why = file_problem(root, str(rel), suffixes) or (
                    spec.kind == "file" and picture_problem(root, str(rel)))
                if why:
                    diags.error(loc(here), f"'{key}': {why}")
                    bad = True
            if bad:
                continue
        good[key] = value
    return good


def _check_value(spec: Setting, value) -> str:
    """What is wrong with a value ("" when nothing)."""
    k = spec.kind
    if k in ("text",):
        if not isinstance(value, str):
            return "should be text (put it in quotes)"
        if k == "text" and spec.name == "tariff_format" and "{marks}" not in value:
            return "should contain {marks}, where the number of marks goes"
        if len(value) > 300:
            return "is too long (at most 300 characters)"
    elif k == "colour":
        if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
            return f"should be a colour such as \"#1f4e79\", not {value!r}"
    elif k == "length":
        if not isinstance(value, str) or not _LENGTH.fullmatch(value.strip()):
            return f"should be a length such as \"11pt\" or \"8.5mm\", not {value!r}"
    elif k == "font":
        if not isinstance(value, str) or (value and not _FONT.fullmatch(value.strip())):
            return "should be a font family name (letters, digits, spaces and hyphens)"
    elif k == "choice":
        if value not in spec.choices:
            return f"should be one of {', '.join(spec.choices)}, not {value!r}"
    elif k == "bool":
        if not isinstance(value, bool):
            return f"should be true or false, not {value!r}"
    elif k == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
            return f"should be a number from 0 to 10, not {value!r}"
    elif k == "lines":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "should be a list of lines of text"
    elif k == "fields":
        if not isinstance(value, list) or not value:
            return "should be a list of field labels"
        for item in value:
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or not isinstance(item.get("label"), str) or \
                    set(item) - {"label", "boxes", "stamp"}:
                return "items should be labels, or {label: ..., boxes: N, stamp: name|class}"
            boxes = item.get("boxes", 0)
            if isinstance(boxes, bool) or not isinstance(boxes, int) or not 0 <= boxes <= 20:
                return "'boxes' should be a whole number from 0 to 20"
            if item.get("stamp", "") not in ("", "name", "class"):
                return "'stamp' should be name or class"
    elif k == "labels":
        from .labels import check_overrides

        problems = check_overrides(value, "labels")[1]
        if problems:
            return "has " + problems[0].replace(" in labels", "")
    elif k == "file":
        if not isinstance(value, str):
            return "should be a file name inside the theme, such as images/logo.png"
    elif k == "fonts":
        if not isinstance(value, dict) or set(value) - set(FONT_STYLES) or \
                not all(isinstance(v, str) for v in value.values()):
            return f"should map styles ({', '.join(FONT_STYLES)}) to font files in the theme"
    return ""


def file_problem(root: Path, rel: str, suffixes: tuple[str, ...]) -> str:
    """Why `rel` is not a usable file inside `root` ("" when it is)."""
    # Any 'scheme:' (http:, data:, C:) is an address, not a file name.
    if not rel or "://" in rel or rel.startswith(("/", "\\")) \
            or re.match(r"[A-Za-z][\w+.-]*:", rel):
        return f"'{rel}' should be a file name inside the folder, such as images/logo.png"
    path = Path(root) / rel
    try:
        if not inside(path, root) or inside(root, path):
            return f"'{rel}' leads outside the folder{symlink_note(path, root)}"
        if not path.is_file():
            return f"'{rel}' not found"
    except OSError as exc:      # a name too long for the system, say
        return f"'{rel}' cannot be opened ({exc.strerror or exc})"
    if path.suffix.lower() not in suffixes:
        return f"'{rel}' should be one of: {', '.join(suffixes)}"
    return ""


def picture_problem(root: Path, rel: str) -> str:
    """Why the picture file `rel` (already found inside `root`) cannot be printed ("" if it can)."""
    from .images import image_problem

    why = image_problem((Path(root) / rel).resolve())
    return f"'{rel}' {why}" if why else ""


def css_quote(text) -> str:
    """A CSS string literal for any text: quotes, backslashes and line breaks escaped."""
    out = []
    for ch in str(text):
        if ch in '"\\' or ord(ch) < 32 or ch in "<>":
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# --- themes --------------------------------------------------------------------------------------

@dataclass
class Theme:
    name: str
    root: Path
    templates: Path | None
    styles: Path | None
    description: str = ""
    extends: str | None = None
    contract: int = CONTRACT_VERSION
    settings: dict = field(default_factory=dict)
    manifest: Path | None = None
    folder: str = ""            # the folder name, which `--theme NAME` looks up
    #: theme.yaml's line of each key path, as read (so messages never read it again)
    key_lines: dict = field(default_factory=dict, compare=False, repr=False)

    def key_loc(self, key: tuple) -> Location | None:
        """Where a key is in theme.yaml (the nearest known parent's line)."""
        if self.manifest is None:
            return None
        while key and key not in self.key_lines:
            key = key[:-1]
        return Location(self.manifest, self.key_lines.get(key, 1))

    def names(self) -> set[str]:
        """What `!name/` prefixes and `extends:` may call this theme."""
        return {n for n in (self.name, self.folder) if n}

    def asset(self, rel: str) -> Path:
        return (self.root / rel).resolve()


def default_theme() -> Theme:
    root = resource_dir()
    manifest = root / "styles" / THEME_MANIFEST
    data, lines = _read_manifest(manifest)
    return Theme("default", root, root / "templates", root / "styles",
                 description=data.get("description", ""), extends=None,
                 settings=dict(data.get("settings") or {}), manifest=manifest, folder="default",
                 key_lines=lines)


def _error(path: Path, line: int, message: str, hint: str = "") -> RevpackError:
    return RevpackError(diagnostics=[Diagnostic(Location(Path(path), line), "error", message,
                                                hint)])


def _read_manifest(path: Path) -> tuple[dict, dict]:
    """A theme.yaml's settings and the line of each key path, read like pack.yaml (see
    `blocks.load_yaml`): every problem, a key set twice included, raised at its
    `theme.yaml:LINE`."""
    from .blocks import load_yaml, yaml_key_lines
    from .source import SourceFile

    try:
        text = read_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, 0, f"cannot read the theme manifest ({exc})") from exc
    diags = Diagnostics()
    data = load_yaml(text, SourceFile(path, text), diags)
    if diags.has_errors():
        raise RevpackError(diagnostics=diags.errors)
    return data, yaml_key_lines(text)


def read_theme(root: Path, diags: Diagnostics) -> Theme | None:
    """A theme folder's manifest, every problem reported into `diags` at its `theme.yaml:LINE`."""
    root = Path(root).resolve()
    manifest = root / THEME_MANIFEST
    if not manifest.is_file():
        diags.error(Location(root), f"not a theme: no {THEME_MANIFEST} in this folder",
                    "create one with: revpack theme new NAME")
        return None
    try:
        data, lines = _read_manifest(manifest)
    except RevpackError as exc:
        for d in exc.diagnostics:
            diags.error(d.location, d.message, d.hint)
        return None
    probe = Theme("", root, None, None, manifest=manifest, key_lines=lines)
    loc = probe.key_loc
    for key in data:
        if key not in MANIFEST_KEYS:
            diags.error(loc((str(key),)), f"unknown theme manifest key '{key}'",
                        did_you_mean(str(key), tuple(MANIFEST_KEYS)))
    for key in ("name", "description", "extends", "author", "version"):
        if data.get(key) is not None and not isinstance(data[key], (str, int, float)):
            diags.error(loc((key,)), f"'{key}' should be text")
            data[key] = None
    contract = data.get("contract", CONTRACT_VERSION)
    if isinstance(contract, bool) or not isinstance(contract, int):
        diags.error(loc(("contract",)), f"'contract' should be a whole number, such as "
                    f"{CONTRACT_VERSION}")
    elif contract > CONTRACT_VERSION:
        diags.error(loc(("contract",)), f"the theme targets template contract {contract}, but "
                    f"this revpack provides contract {CONTRACT_VERSION}", "upgrade revpack")
    elif contract < CONTRACT_VERSION:
        diags.error(loc(("contract",)), f"the theme targets template contract {contract}, but "
                    f"this revpack provides contract {CONTRACT_VERSION}",
                    "see 'Contract versions' in docs/themes.md for what changed")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        diags.error(loc(("settings",)), "'settings' should be 'name: value' settings")
        settings = {}
    settings = check_settings(settings, loc, diags, root)
    name = str(data.get("name") or root.name)
    extends = str(data.get("extends") or "default")
    return Theme(name, root,
                 root / "templates" if (root / "templates").is_dir() else None,
                 root / "styles" if (root / "styles").is_dir() else None,
                 description=str(data.get("description") or ""), extends=extends,
                 contract=contract if isinstance(contract, int) else CONTRACT_VERSION,
                 settings=settings, manifest=manifest, folder=root.name, key_lines=lines)


def load_theme_dir(root: Path) -> Theme:
    diags = Diagnostics()
    theme = read_theme(root, diags)
    if theme is None or diags.has_errors():
        raise RevpackError(diagnostics=diags.errors)
    return theme


def available_themes(cwd: Path | None = None) -> dict[str, Path | None]:
    """Theme names to folders: built-ins first (default has no folder of its own), then ./themes."""
    found: dict[str, Path | None] = {"default": None}
    found.update(builtin_theme_dirs())
    for name, path in local_themes(cwd).items():
        found[name] = path
    return found


def local_themes(cwd: Path | None = None) -> dict[str, Path]:
    """The themes under ./themes/, by folder name."""
    local = Path(cwd or Path.cwd()) / "themes"
    if not local.is_dir():
        return {}
    return {d.name: d for d in sorted(local.iterdir())
            if d.is_dir() and (d / THEME_MANIFEST).is_file()}


def _looks_like_path(text: str) -> bool:
    return Path(text).is_absolute() or "/" in text or "\\" in text or text.startswith(".")


def find_theme(name_or_path: str, cwd: Path | None = None, base: Path | None = None,
               where: Location | None = None, pack_root: Path | None = None,
               jail: Jail | None = None, by_user: bool = True) -> Theme:
    """A theme by path (relative to `base`, default the working folder), or by name in
    ./themes/NAME, then in the pack's themes/NAME, then among the built-ins.

    The folder is let into `jail`: one the user chose (`by_user`: the command line, or a theme
    the user chose extending it) outside the pack becomes readable, as does ./themes/NAME
    outside the pack; one the pack chose must already be inside the pack."""
    if not name_or_path or name_or_path == "default":
        return default_theme()
    cwd = Path(cwd or Path.cwd())
    base = Path(base or cwd)
    jail = jail if jail is not None else Jail(pack=pack_root)
    what = f"theme '{show(name_or_path, 60)}'" if where is None or where.path.name != \
        THEME_MANIFEST else f"extends '{show(name_or_path, 60)}'"
    if _looks_like_path(name_or_path):
        candidate = Path(name_or_path)
        candidate = candidate if candidate.is_absolute() else base / candidate
        if not is_dir(candidate):
            raise _located(where, f"theme folder '{name_or_path}' not found")
        jail.admit(candidate, by_user, where, what)
        if not is_file(candidate / THEME_MANIFEST):
            raise _located(where, f"'{name_or_path}' is not a theme: no {THEME_MANIFEST} in "
                           "that folder", "give a theme's folder, or a theme's name; "
                           "'revpack theme list' lists them")
        return load_theme_dir(candidate)
    for folder, chosen in dict.fromkeys(((cwd / "themes", True),
                                         (Path(pack_root or base) / "themes", by_user))):
        local = folder / name_or_path
        if is_file(local / THEME_MANIFEST):
            jail.admit(local, chosen, where, what)
            return load_theme_dir(local)
    builtins = builtin_theme_dirs()
    if name_or_path in builtins:
        return load_theme_dir(builtins[name_or_path])
    names = list(available_themes(cwd))
    close = did_you_mean(name_or_path, names)
    close = close + "; " if close.startswith("did you mean") else ""
    raise _located(where, f"unknown theme '{show(name_or_path, 60)}'",
                   f"{close}available: {', '.join(names)}")


def _located(where: Location | None, message: str, hint: str = "") -> RevpackError:
    """An error at `where`; with no place in a file, the name came from the command line, so it
    is a usage error (exit code 2), like any other mistyped option."""
    if where is None:
        return UsageError(message + (f" ({hint})" if hint else ""))
    return RevpackError(diagnostics=[Diagnostic(where, "error", message, hint)])


def theme_chain(chosen: str, pack_root: Path | None, cwd: Path | None = None,
                from_pack: bool = False, jail: Jail | None = None,
                where: Location | None = None) -> list[Theme]:
    """[pack overrides?, chosen, …its extends chain…, default], with cycles refused.

    With `from_pack`, `chosen` came from pack.yaml: a path is taken relative to the pack folder
    and errors point at pack.yaml's `theme:` line (`where`, from `Manifest.key_loc`). Every
    folder of the chain is let into `jail` (see `find_theme`), or refused there.
    """
    chain: list[Theme] = []
    jail = jail if jail is not None else Jail(pack=pack_root)
    base = None
    if pack_root is not None:
        pack_root = Path(pack_root)
        if from_pack:
            base = pack_root
            from .source import MANIFEST

            where = where or Location(pack_root / MANIFEST, 1)
        else:
            where = None
        t, s = pack_root / "templates", pack_root / "styles"
        if t.is_dir() or s.is_dir():
            chain.append(_checked(Theme("pack", pack_root, t if t.is_dir() else None,
                                        s if s.is_dir() else None, extends=chosen or "default"),
                                  jail))
    theme = find_theme(chosen or "default", cwd, base=base, where=where, pack_root=pack_root,
                       jail=jail, by_user=not from_pack)
    return Chain(chain + extends_chain(theme, cwd, jail), jail)


class Chain(list):
    """Theme layers, the first match first, with the jail that let their folders in."""

    def __init__(self, themes, jail: Jail):
        super().__init__(themes)
        self.jail = jail


def jail_of(chain: list[Theme]) -> Jail:
    """The jail of a chain; a plain list of themes is one the caller chose, folder by folder."""
    jail = getattr(chain, "jail", None)
    if jail is None:
        jail = Jail()
        for theme in chain:
            jail.admit(theme.root, True, None, "")
    return jail


def _checked(theme: Theme, jail: Jail) -> Theme:
    """The theme, once its templates/ and styles/ folders are found to be inside the jail."""
    for folder in (theme.templates, theme.styles):
        if folder is not None:
            jail.check(folder)
    return theme


def extends_chain(theme: Theme, cwd: Path | None = None, jail: Jail | None = None) -> list[Theme]:
    """[theme, the theme it extends, …, default], with cycles refused. Without `jail`, `theme`
    is one the user chose (as `revpack theme check PATH`)."""
    chain: list[Theme] = []
    seen: list[str] = []
    if jail is None:
        jail = Jail()
        jail.admit(theme.root, True, None, "")
    while True:
        key = str(theme.root)
        if key in seen:
            names = " → ".join([t.name for t in chain] + [theme.name])
            last = chain[-1]
            loc = last.key_loc(("extends",))
            raise _located(loc, f"'extends' makes a cycle ({names})")
        seen.append(key)
        chain.append(_checked(theme, jail))
        if theme.extends is None:
            break
        parent = theme.extends or "default"
        loc = theme.key_loc(("extends",))
        # A theme the user chose may extend what it likes outside the pack; one the pack chose
        # (or one inside the pack) only what is already inside the allowed folders.
        by_user = jail.chosen(theme.root)
        if parent == "default":
            theme = default_theme()
        elif _looks_like_path(parent):
            theme = find_theme(parent, cwd, base=theme.root, where=loc, jail=jail,
                               by_user=by_user)
        else:
            sibling = theme.root.parent / parent
            if sibling.resolve() != theme.root and is_file(sibling / THEME_MANIFEST):
                jail.admit(sibling, by_user, loc, f"extends '{show(parent, 60)}'")
                theme = load_theme_dir(sibling)
            elif parent in builtin_theme_dirs() and parent == theme.folder:
                # A local theme named like a built-in one extends the built-in one.
                theme = load_theme_dir(builtin_theme_dirs()[parent])
            else:
                theme = find_theme(parent, cwd, where=loc, jail=jail, by_user=by_user)
    return Chain(chain, jail)


def merged_settings(chain: list[Theme]) -> dict:
    """Theme settings, the chosen theme's winning over those it extends."""
    out: dict = {}
    for theme in reversed(chain):
        out.update(theme.settings)
    return out


def setting_owner(chain: list[Theme], key: str) -> Theme | None:
    """The theme whose value of `key` wins (the nearest layer that sets it)."""
    for theme in chain:
        if key in theme.settings:
            return theme
    return None


def locate_text_settings(chain: list[Theme], settings: dict) -> dict:
    """The settings, with each line of the text lists (`instructions`, `information`) carrying
    its `theme.yaml:LINE`, so a problem in one is reported where the theme's author wrote it."""
    out = dict(settings)
    for key in ("instructions", "information"):
        owner = setting_owner(chain, key)
        if owner is None or owner.manifest is None or not isinstance(out.get(key), list):
            continue
        loc = owner.key_loc
        out[key] = [Located(text, loc(("settings", key, i))) if isinstance(text, str) else text
                    for i, text in enumerate(out[key])]
    return out


def theme_asset(chain: list[Theme], key: str) -> Path | dict | None:
    """A file setting (`logo`) or the `font_files` mapping, as absolute paths in their theme."""
    owner = setting_owner(chain, key)
    if owner is None or not owner.settings.get(key):
        return None
    value = owner.settings[key]
    if isinstance(value, dict):
        return {style: owner.asset(rel) for style, rel in value.items()}
    return owner.asset(value)


def pack_logo(pack) -> Path | None:
    """The pack's `logo:` image, which must be a file inside the pack folder."""
    rel = (pack.manifest.logo or "").strip()
    if not rel:
        return None
    why = file_problem(Path(pack.root), rel, IMAGE_SUFFIXES)
    if why:
        raise _located(pack.manifest.key_loc("logo"), f"logo {why.replace('the folder', 'the pack folder')}",
                       "put the image in the pack folder, for example images/logo.png")
    why = picture_problem(Path(pack.root), rel)
    if why:
        raise _located(pack.manifest.key_loc("logo"), f"logo {why}")
    return (Path(pack.root) / rel).resolve()


def relative_url(path: Path, base: Path) -> str:
    """A URL for `path` relative to the HTML's base folder (absolute file URL if impossible)."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path(base).resolve())).as_posix()
    except ValueError:
        return Path(path).resolve().as_uri()


def _fields(value, default=("Name", "Class", "Date")) -> list[dict]:
    fields = []
    for item in value or list(default):
        if isinstance(item, str):
            item = {"label": item}
        fields.append({"label": str(item["label"]), "boxes": int(item.get("boxes", 0) or 0),
                       "stamp": str(item.get("stamp", "") or "")})
    if not any(f["stamp"] == "name" for f in fields):
        writable = [f for f in fields if not f["boxes"] and not f["stamp"]]
        if writable:
            writable[0]["stamp"] = "name"
    for f in fields:
        if not f["stamp"] and f["label"].strip().lower() == default[1].lower() and \
                not any(g["stamp"] == "class" for g in fields):
            f["stamp"] = "class"
    return fields


def exam_conventions(s: dict, words: dict | None = None) -> dict:
    """The exam conventions every template receives as `exam` (see docs/themes.md); what the
    theme leaves unset is in the pack's language (`words`, its label set)."""
    from .labels import label_set

    words = words or label_set("en")
    fields = _fields(s.get("candidate_fields"), (words["name"], words["class"], words["date"]))
    return {
        "number_style": s.get("question_number_style", "bold"),
        "tariff_format": s.get("tariff_format", words["tariff"]),
        "total_line": s.get("total_line", ""),
        "end_text": s.get("end_of_questions", words["end_of_questions"]),
        "turn_over": s.get("turn_over", words["turn_over"]),
        "candidate_fields": fields,
        "name_field": next((f["label"] for f in fields if f["stamp"] == "name"), ""),
        "examiner_margin": bool(s.get("examiner_margin", False)),
        "examiner_margin_label": s.get("examiner_margin_label", words["examiner_only"]),
        "examiner_grid": bool(s.get("examiner_grid", False)),
        "cover": bool(s.get("cover", False)),
    }
