"""`revpack theme …`: list, create, eject into and check themes, and write the template contract.

Everything a theme author runs lives here: `list`, `new`, `templates`, `eject`, `check`, and the
hidden `contract`, which generates the reference part of docs/themes.md from the data the code
itself uses (themes.SETTINGS, html.CONTEXT, html.TEMPLATES, the templates' blocks and macros, the
helpers' docstrings and the custom properties declared in styles/), so the document cannot drift.
"""

from __future__ import annotations

import inspect
import re
import shutil
import sys
from pathlib import Path
from typing import Optional

import typer

from .diagnostics import Diagnostics, Location, RevpackError, UsageError, did_you_mean
from .jail import tree as folder_tree

theme_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Create, adapt and check themes: how the handouts look and which exam conventions "
         "they follow.\n\nExample: revpack theme new myboard --from aqa-style",
)

GENERATED_START = "<!-- BEGIN GENERATED REFERENCE: revpack theme contract --write docs/themes.md -->"
GENERATED_END = "<!-- END GENERATED REFERENCE -->"


def _out(text: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _run(body):
    from .cli import _run as run
    return run(body)


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


def _yaml_value(value) -> str:
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if text == "...":
        text = "''"
    return text


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


def template_blocks() -> dict[str, tuple[str, list[str]]]:
    """Each built-in template: (what it is for, the blocks it defines, in order)."""
    from jinja2 import nodes

    from .html import TEMPLATES, make_environment
    from .themes import default_theme

    theme = default_theme()
    env = make_environment([theme])
    out = {}
    for name, desc in TEMPLATES.items():
        source = (theme.templates / name).read_text(encoding="utf-8")
        tree = env.parse(source, name)
        out[name] = (desc, [b.name for b in tree.find_all(nodes.Block)])
    return out


def template_macros() -> list[tuple[str, str, str]]:
    """(name, arguments, description) of each macro in _macros.html."""
    from .themes import default_theme

    text = (default_theme().templates / "_macros.html").read_text(encoding="utf-8")
    found = []
    for m in re.finditer(r"\{#-?\s*((?:(?!\{#).)*?)\s*-?#\}\s*\{% macro (\w+)\((.*?)\)", text,
                         re.S):
        doc = re.sub(r"\s+", " ", m.group(1))
        found.append((m.group(2), m.group(3), doc))
    return found


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


def _theme_root(path: str, cwd: Path) -> Path:
    from .themes import THEME_MANIFEST, find_theme

    candidate = Path(path) if Path(path).is_absolute() else cwd / path
    if candidate.is_dir():
        return candidate.resolve()
    if candidate.is_file() and candidate.name == THEME_MANIFEST:
        return candidate.parent.resolve()
    if "/" in path or "\\" in path or path.startswith("."):
        raise RevpackError(f"{path}: error: theme folder not found")
    return find_theme(path, cwd).root.resolve()


def check_theme(path: str, cwd: Path) -> tuple[Diagnostics, str]:
    """Every problem in a theme, and a one-line summary."""
    from .resources import resource_dir
    from .themes import (
        check_settings, default_theme, extends_chain, jail_of, manifest_key_lines, read_theme,
    )

    diags = Diagnostics()
    root = _theme_root(path, cwd)
    if root == resource_dir().resolve():          # the built-in theme: styles/theme.yaml
        theme = default_theme()
        check_settings(dict(theme.settings), manifest_key_lines(theme.manifest), diags,
                       theme.root)
    else:
        theme = read_theme(root, diags)
    if theme is None:
        return diags, ""
    if theme.manifest is not None and "contract" not in (theme.manifest.read_text(
            encoding="utf-8")):
        diags.warning(Location(theme.manifest, 1), "the manifest does not say which template "
                      "contract it targets", "add 'contract: 1'")
    chain = None
    try:
        chain = extends_chain(theme, cwd)
    except RevpackError as exc:
        for d in exc.diagnostics:
            diags.error(d.location, d.message, d.hint)
    jail = jail_of(chain or [theme])
    n_templates = _check_templates(theme, chain, diags)
    from .css_checks import check_theme_stylesheets

    n_sheets = check_theme_stylesheets(theme, jail, diags)
    _check_symlinks(theme, jail, diags)
    if chain is not None and not diags.has_errors():
        _dry_render("default" if theme.name == "default" and theme.folder == "default"
                    else str(root), chain, diags, cwd)
    names = " → ".join(t.name for t in chain) if chain else theme.name
    warnings = len(diags.warnings)
    summary = (f"ok: theme '{theme.name}' ({names}): {n_templates} template"
               f"{'s' if n_templates != 1 else ''}, {n_sheets} stylesheet"
               f"{'s' if n_sheets != 1 else ''}"
               + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""))
    return diags, summary


def _line_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return i
    return 0


def _check_templates(theme, chain, diags: Diagnostics) -> int:
    import jinja2
    from jinja2 import meta

    from .html import TEMPLATES, TemplateRefused, install_contract_helpers, make_environment
    from .themes import merged_settings

    if theme.templates is None:
        return 0
    env = make_environment(chain or [theme])
    install_contract_helpers(env, merged_settings(chain or [theme]))
    files = [p for p in folder_tree(theme.templates) if p.is_file()]
    referenced: set[str] = set()
    count = 0
    parsed = {}
    known = None
    for path in files:
        rel = path.relative_to(theme.templates).as_posix()
        if path.suffix.lower() not in (".html", ".htm", ".jinja", ".j2", ".txt", ".svg"):
            continue
        count += 1
        try:
            source = env.loader.read(path, rel)       # through the jail, as a build reads it
        except TemplateRefused as exc:
            diags.extend([exc.diagnostic])
            continue
        try:
            tree = env.parse(source, rel, str(path))
        except jinja2.TemplateSyntaxError as exc:
            diags.error(Location(path, exc.lineno or 0), f"template syntax: {exc.message}")
            continue
        parsed[rel] = (path, source, tree)
        # A misspelt variable fails the build only when its branch is rendered: catch every one.
        known = known if known is not None else _known_variables(env)
        for name in sorted(meta.find_undeclared_variables(tree) - known):
            close = did_you_mean(name, sorted(known))
            line = next((i for i, text in enumerate(source.split("\n"), start=1)
                         if re.search(rf"\b{re.escape(name)}\b", text)), 0)
            diags.error(Location(path, line),
                        f"'{name}' is not a variable revpack gives templates",
                        (close + "; " if close.startswith("did you mean") else "")
                        + "the variables are listed in docs/themes.md")
        for line, url in _template_urls(source):
            diags.error(Location(path, line), f"'{url}': templates may only use files inside the "
                        "theme or the pack, never the network or other places on the disk",
                        "copy the file into the theme's images/ or fonts/ folder and give its "
                        "relative path")
        for ref in meta.find_referenced_templates(tree):
            if ref is None:
                diags.warning(Location(path), "a template name here is computed, so it cannot "
                              "be checked")
                continue
            referenced.add(ref.split("/", 1)[1] if ref.startswith("!") else ref)
            try:
                env.loader.get_source(env, ref)
            except TemplateRefused as exc:
                diags.error(Location(path, _line_of(source, ref)), exc.diagnostic.message,
                            exc.diagnostic.hint)
            except jinja2.TemplateNotFound as exc:
                hint = exc.message if exc.message and exc.message != ref else \
                    did_you_mean(ref, env.loader.list_templates())
                diags.error(Location(path, _line_of(source, ref)),
                            f"template '{ref}' not found", hint)
        try:
            env.compile(source, rel, str(path))
        except jinja2.TemplateSyntaxError as exc:
            diags.error(Location(path, exc.lineno or 0), f"template syntax: {exc.message}")
    for rel, (path, _source, _tree) in parsed.items():
        if rel not in TEMPLATES and rel not in referenced and not rel.startswith("_"):
            diags.warning(Location(path), f"revpack never renders '{rel}' and no template uses "
                          "it", did_you_mean(rel, tuple(TEMPLATES)))
    return count


def _known_variables(env) -> set[str]:
    """Every top-level name a template may use: the contract's variables, the contract's
    functions and filters' globals, and Jinja's own names."""
    from .html import CONTEXT, TEMPLATES

    from jinja2 import nodes

    names = {key.split(".")[0].split("[")[0] for ctx in CONTEXT.values() for key in ctx}
    # Names a template chain defines for its blocks: `{% import ... as ui %}` in base.html, a
    # loop variable a scoped block sees, a macro's parameters (the built-in templates' too: a
    # theme's block override sees the loop variables of the template it extends).
    for name in [*env.loader.list_templates(), *(f"!default/{t}" for t in TEMPLATES)]:
        try:
            tree = env.parse(env.loader.get_source(env, name)[0])
        except Exception:        # a broken template is reported on its own
            continue
        for node in tree.find_all(nodes.Name):
            if node.ctx in ("store", "param"):
                names.add(node.name)
        for node in tree.find_all((nodes.Import, nodes.FromImport, nodes.Macro)):
            if isinstance(node, nodes.Import):
                names.add(node.target)
            elif isinstance(node, nodes.FromImport):
                names.update(n if isinstance(n, str) else n[1] for n in node.names)
            else:
                names.add(node.name)
    return names | set(env.globals) | {"loop", "self", "super", "varargs", "kwargs", "caller"}


#: Where a template names something the renderer would load (a link in the text, <a href>, is
#: only a link and is never fetched).
_TEMPLATE_URL = re.compile(r"""(?:\b(?:src|srcset|data|poster)\s*=\s*["']?|url\(\s*["']?"""
                           r"""|<link\b[^>]*?\bhref\s*=\s*["']?)"""
                           r"""((?:[A-Za-z][A-Za-z0-9+.-]*:|//)[^"'\s)>]*)""", re.IGNORECASE)


def _template_urls(source: str) -> list[tuple[int, str]]:
    """(line, url) for each address with a scheme (http:, file:, data: excepted) or `//host`."""
    out = []
    for number, line in enumerate(source.split("\n"), start=1):
        for m in _TEMPLATE_URL.finditer(line):
            url = m.group(1)
            if not url.lower().startswith(("data:", "#")) and "{{" not in url:
                out.append((number, url))
    return out


def _check_symlinks(theme, jail, diags: Diagnostics) -> None:
    """Every symlink in the theme's folder that leads out of the folders a build may read."""
    for path in folder_tree(theme.root):
        if path.is_symlink() and not jail.allows(path):
            diags.extend([jail.refusal(path)])


def _dry_render(root: str, chain, diags: Diagnostics, cwd: Path) -> None:
    """Render every template's HTML for the bundled example pack, every edition (no PDF)."""
    from .build import check as check_pack
    from .handouts import names
    from .html import Templating
    from .resources import bundled_pack
    from .views import EDITIONS

    pack_diags = Diagnostics()
    pack = check_pack(bundled_pack()).pack
    try:
        templating = Templating(pack, pack_diags, root)
    except RevpackError as exc:
        for d in exc.diagnostics:
            diags.error(d.location, d.message, d.hint)
        return
    seen = set()
    for edition in EDITIONS:
        for handout in names() + ("sources", "blank"):
            try:
                templating.html(handout, edition)
            except RevpackError as exc:
                for d in exc.diagnostics:
                    if (d.location, d.message) not in seen:
                        seen.add((d.location, d.message))
                        diags.error(d.location, f"{d.message} (rendering {handout}.html, "
                                    f"{edition} edition, with the bundled example pack)",
                                    d.hint)


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


def replace_generated(document: str, reference: str, path: Path | str = "docs/themes.md") -> str:
    start, end = document.find(GENERATED_START), document.find(GENERATED_END)
    if start < 0 or end < start:
        raise RevpackError(f"{path}: error: no generated-reference markers ({GENERATED_START} "
                           f"… {GENERATED_END})")
    return (document[:start] + GENERATED_START + "\n\n" + reference.strip("\n") + "\n\n"
            + document[end:])


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _code(value) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, (list, dict)):
        return "`" + _yaml_value(value).replace("|", "\\|") + "`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{_md(value)}`"


def contract_markdown() -> str:
    """The reference part of docs/themes.md, generated from the code."""
    from .html import CONTEXT, TEMPLATES, contract_helpers
    from .styles import default_custom_properties, handout_sheets
    from .themes import CONTRACT_VERSION, MANIFEST_KEYS, SETTINGS, default_theme

    defaults = default_theme().settings
    out = [f"## Reference: template contract {CONTRACT_VERSION}", "",
           "Everything below is generated from revpack's code "
           "(`revpack theme contract`), so it always matches the version you have.", ""]

    out += ["### theme.yaml", "", "| Key | Meaning |", "|---|---|"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in MANIFEST_KEYS.items()]
    out.append("")

    out += ["### Settings", "",
            "Put these under `settings:` in theme.yaml. A setting you leave out keeps the value "
            "of the theme you extend. \"Custom property\" is the CSS variable the setting sets "
            "(for your stylesheets); \"Pack\" is where a pack's own pack.yaml can override it.",
            ""]
    group = None
    for spec in SETTINGS:
        if spec.group != group:
            group = spec.group
            out += [f"#### {group}", "", "| Setting | Default | Custom property | Pack | "
                    "What it does |", "|---|---|---|---|---|"]
        out.append(f"| `{spec.name}` | {_code(defaults.get(spec.name))} | "
                   f"{'`' + spec.css + '`' if spec.css else ''} | "
                   f"{'`' + spec.pack_key + '`' if spec.pack_key else ''} | {_md(spec.help)} |")
        nxt = SETTINGS.index(spec) + 1
        if nxt == len(SETTINGS) or SETTINGS[nxt].group != group:
            out.append("")

    out += ["### Custom properties", "",
            "Declared on `:root` by the built-in stylesheets; set them in your theme's "
            "`styles/base.css` (or change the matching setting).", "",
            "| Property | Default | What it is |", "|---|---|---|"]
    for name, value, comment in default_custom_properties():
        out.append(f"| `{name}` | `{_md(value)}` | {_md(comment)} |")
    out += ["", "### Stylesheets", "",
            "A theme's `styles/` may hold: " + ", ".join(f"`{n}`" for n in handout_sheets())
            + " (`base.css` for every handout, the others for their handout only), and "
            "`variant-large-print.css`, `variant-dyslexia-friendly.css` for those copies. "
            "Later sheets win: the default theme's, then the settings, then each theme's "
            "from the one extended to yours, then the pack's own `styles/`.", ""]

    out += ["### Templates and blocks", "",
            "| Template | What it is | Blocks you can override |", "|---|---|---|"]
    for name, (desc, blocks) in template_blocks().items():
        out.append(f"| `{name}` | {_md(desc)} | "
                   f"{', '.join('`' + b + '`' for b in blocks) or '—'} |")
    out += ["", "#### Macros in `_macros.html`", "",
            "Every template that extends `base.html` can call these as `ui.NAME(...)`.", "",
            "| Macro | What it draws |", "|---|---|"]
    for name, args, doc in template_macros():
        out.append(f"| `ui.{name}({_md(args)})` | {_md(doc)} |")
    out.append("")

    functions, filters = contract_helpers(defaults)
    out += ["### Functions and filters", "",
            "Besides Jinja's own filters and tests (such as `upper`, `join`, `length`, "
            "`default`, `is defined`):", "", "| Use | What it gives |", "|---|---|"]
    for name, fn in functions.items():
        params = ", ".join(inspect.signature(fn).parameters)
        out.append(f"| `{name}({params})` | {_md(inspect.getdoc(fn))} |")
    for name, fn in filters.items():
        out.append(f"| `value \\| {name}` | {_md(inspect.getdoc(fn))} |")
    out.append("")

    out += ["### Variables", "",
            "A name with `[]` is a list: `questions[].marks` is `q.marks` inside "
            "`{% for q in questions %}`. \"(field)\" means the value may be a worksheet gap in "
            "the worksheet and answers editions: print it with `{{ ui.field(value) }}`.", "",
            "#### Every template but `download.html`", "", "| Variable | What it holds |",
            "|---|---|"]
    common = CONTEXT["blank.html"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in common.items()]
    out.append("")
    # The download page is a web page with a context of its own, listed whole below.
    handouts = [n for n in TEMPLATES
                if n in CONTEXT and n not in ("blank.html", "download.html")]
    shared = {k: v for k, v in CONTEXT[handouts[0]].items()
              if k not in common and all(k in CONTEXT[n] for n in handouts)}
    out += ["#### Every template but `blank.html` and `download.html`", "",
            "| Variable | What it holds |",
            "|---|---|"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in shared.items()]
    out.append("")
    for name in TEMPLATES:
        extra = {k: v for k, v in CONTEXT.get(name, {}).items()
                 if name == "download.html" or (k not in common and k not in shared)}
        if not extra:
            continue
        out += [f"#### `{name}`", "", "| Variable | What it holds |", "|---|---|"]
        out += [f"| `{k}` | {_md(v)} |" for k, v in extra.items()]
        out.append("")
    return "\n".join(out)
