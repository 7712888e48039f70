"""`revpack theme …`: takes a theme command's arguments, gives themes listed, created, ejected
into and checked, and the template contract written.

The commands a theme author runs: `list`, `new`, `templates`, `eject`, `check` (its checks are in
theme_checks.py), and the hidden `contract`, which writes the reference part of docs/themes.md
(generated in theme_contract.py from the data the code itself uses, so it cannot drift).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Optional

import typer

from .console import out as _out, run as _run
from .diagnostics import Diagnostics, RevpackError, UsageError, did_you_mean
from .theme_checks import check_theme
from .theme_contract import _yaml_value, contract_markdown, replace_generated, template_blocks

theme_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Create, adapt and check themes: how the handouts look and which exam conventions "
         "they follow.\n\nExample: revpack theme new myboard --from aqa-style",
)

def _rel(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


# --- list ----------------------------------------------------------------------------------------

@theme_app.command("list")
def list_themes() -> None:
    """Show the built-in themes and any under ./themes/.

    Example: revpack theme list
    """
    from .resources import builtin_theme_dirs
    from .themes import default_theme, load_theme_dir, local_themes

    def body():
        rows = [("default", "built-in", default_theme().description, "")]
        for name, path in builtin_theme_dirs().items():
            t = load_theme_dir(path)
            rows.append((name, "built-in", t.description, t.extends or ""))
        for name, path in local_themes().items():
            try:
                t = load_theme_dir(path)
                rows.append((name, _rel(path), t.description, t.extends or ""))
            except RevpackError as exc:
                rows.append((name, _rel(path), f"(broken: {exc.diagnostics[0].message})", ""))
        width = max(len(r[0]) for r in rows)
        where = max(len(r[1]) for r in rows)
        for name, place, desc, extends in rows:
            ext = f" (extends {extends})" if extends and extends != "default" else ""
            _out(f"{name:<{width}}  {place:<{where}}  {desc}{ext}".rstrip())

    _run(body)


# --- new -----------------------------------------------------------------------------------------

@theme_app.command("new")
def new(
    name: str = typer.Argument(..., help="The theme's name; its folder is ./themes/<name>."),
    base: str = typer.Option("default", "--from", help="The theme to extend (default: default)."),
) -> None:
    """Create ./themes/NAME/: a manifest extending a theme, and a commented stylesheet.

    No templates are copied: the new theme changes nothing until you uncomment a setting or a
    custom property (or eject a template with `revpack theme eject`).

    Example: revpack theme new myboard --from aqa-style
    """
    def body():
        root, slug = create_theme(name, base, Path.cwd())
        _out(f"created {_rel(root)}/ (extends {base}): theme.yaml, styles/base.css, templates/, "
             "images/, fonts/")
        _out(f"next: change settings in {_rel(root)}/theme.yaml, then "
             f"revpack build --theme {slug}")

    _run(body)


def create_theme(name: str, base: str, cwd: Path) -> tuple[Path, str]:
    from .output import slugify
    from .themes import find_theme, theme_chain

    slug = slugify(name)
    if not slug:
        raise UsageError(f"'{name}' cannot be a theme name: use letters and digits")
    if slug == "default":
        raise UsageError("'default' is the built-in theme: choose another name")
    root = Path(cwd) / "themes" / slug
    if root.exists():
        raise RevpackError(f"{_rel(root)}: error: already exists (choose another name, or "
                           "delete the folder first)")
    find_theme(base, cwd)                       # an unknown --from lists the available ones
    chain = theme_chain(base, None, cwd)
    (root / "styles").mkdir(parents=True)
    for folder in ("templates", "images", "fonts"):
        (root / folder).mkdir()
    (root / "theme.yaml").write_text(manifest_text(slug, name, base, chain), encoding="utf-8")
    (root / "styles" / "base.css").write_text(stylesheet_text(slug, base, chain),
                                              encoding="utf-8")
    return root, slug


def manifest_text(slug: str, title: str, base: str, chain) -> str:
    from .themes import CONTRACT_VERSION, SETTINGS, merged_settings

    current = merged_settings(chain)
    lines = [
        f"# Theme \"{slug}\" for revpack. Every setting is listed below, commented out, with the",
        f"# value it has now (from {base}): remove the '#' in front of a setting to change it.",
        "# The settings, variables and blocks are all described in docs/themes.md.",
        f"name: {slug}",
        f"description: {_yaml_value(title if title != slug else slug + ' theme')}",
        f"extends: {base}",
        f"contract: {CONTRACT_VERSION}",
        "settings:",
    ]
    group = None
    for spec in SETTINGS:
        if spec.group != group:
            group = spec.group
            lines.append(f"  # --- {group}")
        value = current.get(spec.name)
        if value in (None, "", {}, []) and spec.example is not None:
            shown = f"{_yaml_value(spec.example)}   # an example; now empty"
        else:
            shown = _yaml_value(value)
        help_text = re.sub(r"\s+", " ", spec.help)
        lines.append(f"  # {spec.name}: {shown}")
        for chunk in _wrap(help_text, 90):
            lines.append(f"  #     {chunk}")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    import textwrap
    return textwrap.wrap(text, width) or [""]


def stylesheet_text(slug: str, base: str, chain) -> str:
    from .styles import custom_properties, default_custom_properties, settings_css
    from .themes import SETTINGS, jail_of, merged_settings

    jail = jail_of(chain)
    by_css = {s.css: s.name for s in SETTINGS if s.css}
    values = {name: (default, comment) for name, default, comment in default_custom_properties()}
    for name, value, _ in custom_properties(settings_css(merged_settings(chain), chain)):
        if name in values:
            values[name] = (value, values[name][1])
    for theme in reversed(chain[:-1]):            # themes between this one and default
        if theme.styles is not None:
            for path in sorted(theme.styles.glob("*.css")):
                for name, value, _ in custom_properties(jail.read_text(path)):
                    if name in values:
                        values[name] = (value, values[name][1])
    out = [
        f"/* {slug}: changes to the look of {base}. This sheet comes after {base}'s own sheets,",
        "   so write only what you change. Every custom property revpack's stylesheets use is",
        "   listed below with its current value: uncomment one to change it. Those marked",
        "   (setting: …) are simpler to change in theme.yaml. A sheet named after a handout",
        "   (timeline.css, treaties.css, historiography.css, exam.css, sources.css) applies to that",
        "   handout only; variant-large-print.css and variant-dyslexia-friendly.css to those copies.",
        "   Fonts and pictures must be files inside this theme: url(\"../fonts/MyFont.ttf\"). */",
        "",
        ":root {",
    ]
    for name, (value, comment) in values.items():
        comment = re.sub(r"\s*\(setting: [a-z_]+\)", "", comment)
        note = f"{comment}" + (f" (setting: {by_css[name]})" if name in by_css else "")
        out.append(f"  /* {name}: {value}; */" + (f"   /* {note} */" if note else ""))
    out += ["}", "",
            "/* Your own fonts, for example (then set font_family: \"Board Sans\" in theme.yaml):",
            "@font-face { font-family: \"Board Sans\"; src: url(\"../fonts/BoardSans-Regular.ttf\"); }",
            "@font-face { font-family: \"Board Sans\"; src: url(\"../fonts/BoardSans-Bold.ttf\"); "
            "font-weight: bold; }",
            "*/", ""]
    return "\n".join(out)


# --- templates and eject -------------------------------------------------------------------------

@theme_app.command("templates")
def templates() -> None:
    """List the built-in templates, with the blocks each one lets a theme override.

    Example: revpack theme templates
    """
    def body():
        blocks = template_blocks()
        width = max(len(n) for n in blocks)
        for name, (desc, names) in blocks.items():
            _out(f"{name:<{width}}  {desc}")
            if names:
                _out(f"{'':<{width}}  blocks: {', '.join(names)}")

    _run(body)


@theme_app.command("eject")
def eject(
    template: str = typer.Argument(..., help="A template name as `revpack theme templates` "
                                              "lists it, such as exam.html."),
    theme: Optional[str] = typer.Option(None, "--theme", help="The theme under ./themes/ to copy "
                                        "into (default: the only one there)."),
    force: bool = typer.Option(False, "--force", help="Replace the theme's copy if it has one."),
    source: Optional[str] = typer.Option(None, "--from", help="Copy the version of this theme "
                                         "in the chain (such as default) rather than the one "
                                         "the theme uses now."),
) -> None:
    """Copy one built-in template into a theme, to edit.

    The copy is the version the theme uses now (from the theme it extends). Tip: a template that
    starts {% extends "!default/exam.html" %} and overrides only some blocks keeps up with new
    revpack releases better than a full copy.

    Example: revpack theme eject exam.html --theme myboard
    """
    def body():
        target, origin = eject_template(template, theme, Path.cwd(), force, source)
        _out(f"copied {template} from {origin} to {_rel(target)}")
        first = target.read_text(encoding="utf-8")
        m = re.search(r'\{%-?\s*extends\s+"(![^"]+)"', first)
        if m:
            _out(f"note: this version extends {m.group(1)} and overrides some of its blocks; "
                 f"for the whole template use: revpack theme eject {template} --from default "
                 "--force")
        _out(f"next: edit it, then revpack build --theme {target.parent.parent.name}")

    _run(body)


def eject_template(template: str, theme: str | None, cwd: Path, force: bool = False,
                   source: str | None = None) -> tuple[Path, str]:
    from .html import TEMPLATES
    from .themes import local_themes, read_theme, theme_chain

    name = template.strip().removeprefix("templates/")
    if name not in TEMPLATES:
        raise UsageError(f"unknown template '{template}' ({did_you_mean(name, tuple(TEMPLATES))}; "
                         "see revpack theme templates)")
    local = local_themes(cwd)
    if theme is None:
        if not local:
            raise UsageError("there is no theme under ./themes/ to copy into; create one with: "
                             "revpack theme new NAME")
        if len(local) > 1:
            raise UsageError("several themes under ./themes/: choose one with --theme ("
                             + ", ".join(local) + ")")
        root = next(iter(local.values()))
    else:
        candidate = Path(theme)
        if candidate.is_dir() and (candidate / "theme.yaml").is_file():
            root = candidate
        elif theme in local:
            root = local[theme]
        else:
            raise UsageError(f"no theme '{theme}' under ./themes/ "
                             f"({did_you_mean(theme, tuple(local)) if local else 'none there'}); "
                             "built-in themes cannot be changed: create your own with "
                             f"revpack theme new NAME --from {theme}")
    diags = Diagnostics()
    own = read_theme(root, diags)
    if own is None or diags.has_errors():
        raise RevpackError(diagnostics=diags.errors)
    chain = theme_chain(str(root.resolve()), None, cwd)
    layers = chain[1:]
    if source is not None:
        names = [t.name for t in layers]
        layers = [t for t in layers if source in t.names()]
        if not layers:
            raise UsageError(f"--from {source}: not a theme that {own.name} extends "
                             f"(choose from {', '.join(names)})")
    for layer in layers:
        if layer.templates is not None and (layer.templates / name).is_file():
            source_path, source_name = layer.templates / name, layer.name
            break
    else:
        raise RevpackError(f"revpack: error: '{name}' is not in {source}; it comes from a theme "
                           "after it in the chain")
    target = root / "templates" / name
    if target.exists() and not force:
        raise RevpackError(f"{_rel(target)}: error: the theme already has its own {name} "
                           "(use --force to replace it)")
    chain.jail.check(source_path)             # never copy a file a symlink brings in
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_path, target)
    return target, source_name


# --- check ---------------------------------------------------------------------------------------

@theme_app.command("check")
def check(
    path: str = typer.Argument(..., help="The theme's folder, or the name of a theme."),
) -> None:
    """Check a theme without building anything: manifest, settings, extends chain, templates
    (they must compile and render in the sandbox), stylesheets, and the fonts and pictures they
    use. Every problem is reported as path:line.

    Example: revpack theme check themes/myboard
    """
    def body():
        diags, summary = check_theme(path, Path.cwd())
        for d in diags.items:
            _out(str(d), err=True)
        if diags.has_errors():
            n = len(diags.errors)
            raise RevpackError(f"revpack: error: {n} problem{'s' if n != 1 else ''} in the theme")
        _out(summary)

    _run(body)


# --- the contract --------------------------------------------------------------------------------

@theme_app.command("contract", hidden=True)
def contract(
    write: Optional[Path] = typer.Option(None, "--write", help="Replace the generated "
                                         "reference in this Markdown file."),
    check_file: Optional[Path] = typer.Option(None, "--check", help="Exit 1 if this file's "
                                              "generated reference is out of date."),
) -> None:
    """Print the template contract reference (docs/themes.md is generated from it).

    Example: revpack theme contract --write docs/themes.md
    """
    def body():
        text = contract_markdown()
        if write is None and check_file is None:
            _out(text.rstrip("\n"))
            return
        target = write or check_file
        current = target.read_text(encoding="utf-8")
        updated = replace_generated(current, text, target)
        if check_file is not None:
            if updated != current:
                raise RevpackError(f"{target}: error: the generated reference is out of date "
                                   "(run: revpack theme contract --write "
                                   f"{target})")
            _out(f"ok: {target} is up to date")
            return
        if updated != current:
            target.write_text(updated, encoding="utf-8")
            _out(f"wrote the reference into {target}")
        else:
            _out(f"{target} was already up to date")

    _run(body)


