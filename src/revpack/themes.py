"""Themes: take a theme name or path (and the pack), give the chain of theme folders to search.

A theme is a folder with a `theme.yaml` manifest (name, description, extends, contract, settings),
`templates/`, `styles/` and optionally `fonts/` and `images/`. The built-in theme, `default`, is the
top-level `templates/` and `styles/` shipped inside the wheel. Lookup order, first match wins for
templates and later layers are appended to the CSS cascade: the pack's own `templates/`/`styles/`
→ the chosen theme → its `extends` chain → `default`.

Theme settings (`SETTINGS`, `check_settings`) are described and checked in theme_settings.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import (
    Diagnostic, Diagnostics, Located, Location, RevpackError, UsageError, did_you_mean, show,
)
from .jail import Jail, is_dir, is_file, read_file
from .resources import builtin_theme_dirs, resource_dir
# The settings schema and its checks live in theme_settings.py; these names are re-exported.
from .theme_settings import (  # noqa: F401
    FONT_STYLES, FONT_SUFFIXES, IMAGE_SUFFIXES, SETTING_NAMES, SETTINGS, Setting, check_settings,
    file_problem, picture_problem,
)

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
