"""Themes: take a theme name or path (and the pack), give the chain of theme folders to search.

A theme is a folder with a `theme.yaml` manifest (name, description, extends, contract, settings),
`templates/`, `styles/` and optionally `fonts/` and `images/`. The built-in theme, `default`, is the
top-level `templates/` and `styles/` shipped inside the wheel. Lookup order, first match wins for
templates and later layers are appended to the CSS cascade: the pack's own `templates/`/`styles/`
→ the chosen theme → its `extends` chain → `default`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .diagnostics import RevpackError, did_you_mean
from .resources import builtin_theme_dirs, resource_dir

CONTRACT_VERSION = 1
THEME_MANIFEST = "theme.yaml"


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


def default_theme() -> Theme:
    root = resource_dir()
    data = _read_manifest(root / "styles" / THEME_MANIFEST)
    return Theme("default", root, root / "templates", root / "styles",
                 description=data.get("description", ""), extends=None,
                 settings=dict(data.get("settings") or {}))


def _read_manifest(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise RevpackError(f"{path}: error: cannot read the theme manifest ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise RevpackError(f"{path}{line}: error: theme manifest is not valid YAML") from exc
    if not isinstance(data, dict):
        raise RevpackError(f"{path}:1: error: theme manifest should be 'name: value' settings")
    return data


def load_theme_dir(root: Path) -> Theme:
    root = Path(root).resolve()
    manifest = root / THEME_MANIFEST
    if not manifest.is_file():
        raise RevpackError(f"{root}: error: not a theme (no {THEME_MANIFEST})")
    data = _read_manifest(manifest)
    known = ("name", "description", "extends", "contract", "settings")
    for key in data:
        if key not in known:
            raise RevpackError(f"{manifest}: error: unknown theme setting '{key}' "
                               f"({did_you_mean(str(key), known)})")
    contract = data.get("contract", CONTRACT_VERSION)
    if contract != CONTRACT_VERSION:
        raise RevpackError(f"{manifest}: error: theme targets template contract {contract}, "
                           f"but this revpack provides contract {CONTRACT_VERSION}")
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise RevpackError(f"{manifest}: error: 'settings' should be 'name: value' settings")
    return Theme(str(data.get("name") or root.name), root,
                 root / "templates" if (root / "templates").is_dir() else None,
                 root / "styles" if (root / "styles").is_dir() else None,
                 description=str(data.get("description") or ""),
                 extends=data.get("extends") or "default", contract=contract,
                 settings=dict(settings))


def available_themes(cwd: Path | None = None) -> dict[str, Path | None]:
    """Theme names to folders: built-ins first (default has no folder of its own), then ./themes."""
    found: dict[str, Path | None] = {"default": None}
    found.update(builtin_theme_dirs())
    local = Path(cwd or Path.cwd()) / "themes"
    if local.is_dir():
        for d in sorted(local.iterdir()):
            if (d / THEME_MANIFEST).is_file():
                found[d.name] = d
    return found


def find_theme(name_or_path: str, cwd: Path | None = None) -> Theme:
    """A theme by path, or by name in ./themes/NAME then among the built-ins."""
    if not name_or_path or name_or_path == "default":
        return default_theme()
    cwd = Path(cwd or Path.cwd())
    as_path = Path(name_or_path)
    if as_path.is_absolute() or "/" in name_or_path or name_or_path.startswith("."):
        candidate = as_path if as_path.is_absolute() else cwd / as_path
        if not candidate.is_dir():
            raise RevpackError(f"{name_or_path}: error: theme folder not found")
        return load_theme_dir(candidate)
    local = cwd / "themes" / name_or_path
    if (local / THEME_MANIFEST).is_file():
        return load_theme_dir(local)
    builtins = builtin_theme_dirs()
    if name_or_path in builtins:
        return load_theme_dir(builtins[name_or_path])
    names = list(available_themes(cwd))
    raise RevpackError(f"revpack: error: unknown theme '{name_or_path}' "
                       f"({did_you_mean(name_or_path, names)}; available: {', '.join(names)})")


def theme_chain(chosen: str, pack_root: Path | None, cwd: Path | None = None) -> list[Theme]:
    """[pack overrides?, chosen, …its extends chain…, default], with cycles refused."""
    chain: list[Theme] = []
    if pack_root is not None:
        pack_root = Path(pack_root)
        t, s = pack_root / "templates", pack_root / "styles"
        if t.is_dir() or s.is_dir():
            chain.append(Theme("pack", pack_root, t if t.is_dir() else None,
                               s if s.is_dir() else None, extends=chosen or "default"))
    theme = find_theme(chosen or "default", cwd)
    seen: list[str] = []
    while True:
        key = str(theme.root) + ":" + theme.name
        if key in seen:
            names = " → ".join([t.name for t in chain[-len(seen):]] + [theme.name])
            raise RevpackError(f"{theme.root / THEME_MANIFEST}: error: 'extends' makes a cycle "
                               f"({names})")
        seen.append(key)
        chain.append(theme)
        if theme.name == "default" and theme.extends is None:
            break
        parent = theme.extends or "default"
        sibling = theme.root.parent / parent
        if parent == "default":
            theme = default_theme()
        elif (sibling / THEME_MANIFEST).is_file():
            theme = load_theme_dir(sibling)
        else:
            theme = find_theme(parent, cwd)
    return chain


def merged_settings(chain: list[Theme]) -> dict:
    """Theme settings, the chosen theme's winning over those it extends."""
    out: dict = {}
    for theme in reversed(chain):
        out.update(theme.settings)
    return out


def allowed_roots(chain: list[Theme], pack_root: Path | None) -> list[Path]:
    roots = [t.root for t in chain if t.root is not None]
    if pack_root is not None:
        roots.append(Path(pack_root))
    return [r.resolve() for r in roots]


def exam_conventions(s: dict) -> dict:
    return {
        "number_style": s.get("question_number_style", "bold"),
        "total_line": s.get("total_line", ""),
        "end_text": s.get("end_of_questions", "END OF QUESTIONS"),
        "turn_over": s.get("turn_over", "Turn over ►"),
        "candidate_fields": list(s.get("candidate_fields") or ["Name", "Class", "Date"]),
        "name_field": (list(s.get("candidate_fields") or ["Name"]) or ["Name"])[0],
        "examiner_margin": bool(s.get("examiner_margin", False)),
        "cover": bool(s.get("cover", False)),
    }
