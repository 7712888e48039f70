"""Theme checks: take a theme folder, give every problem `revpack theme check` reports.

The theme's manifest and settings, its templates (syntax, variables outside the contract,
templates revpack never renders, URLs), its stylesheets (css_checks), symlinks leading out of
the folders a build may read, and a dry render of every template with the bundled pack.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostics, Location, RevpackError, did_you_mean
from .jail import tree as folder_tree


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
        check_settings, default_theme, extends_chain, jail_of, read_theme,
    )

    diags = Diagnostics()
    root = _theme_root(path, cwd)
    if root == resource_dir().resolve():          # the built-in theme: styles/theme.yaml
        theme = default_theme()
        check_settings(dict(theme.settings), theme.key_loc, diags,
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
