"""HTML: takes a template name, a view context and the theme chain, gives an HTML string.

Templates run in Jinja2's `SandboxedEnvironment` with `StrictUndefined` and autoescaping, because
themes may come from strangers. A template name is searched along the theme chain; the prefix
`!<theme>/` (for example `{% extends "!default/exam.html" %}`) skips to that theme, so a template
can extend the very template it overrides. Every template error is reported as
`template-path:line: error: message`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from .diagnostics import RevpackError
from .themes import Theme


class ThemeLoader(jinja2.BaseLoader):
    def __init__(self, chain: list[Theme]):
        self.chain = chain

    def _layers(self, name: str) -> tuple[list[Theme], str]:
        if name.startswith("!"):
            theme_name, _, rest = name[1:].partition("/")
            for i, theme in enumerate(self.chain):
                if theme.name == theme_name:
                    return self.chain[i:], rest
            raise jinja2.TemplateNotFound(name, f"no theme named '{theme_name}' in the chain "
                                                f"({', '.join(t.name for t in self.chain)})")
        return self.chain, name

    def get_source(self, environment, template):
        layers, name = self._layers(template)
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise jinja2.TemplateNotFound(template, "template names cannot leave the theme")
        for theme in layers:
            if theme.templates is None:
                continue
            path = (theme.templates / name)
            if path.is_file():
                root = theme.templates.resolve()
                real = path.resolve()
                if root not in real.parents:
                    raise jinja2.TemplateNotFound(template, "template leads outside its theme")
                source = real.read_text(encoding="utf-8")
                mtime = real.stat().st_mtime
                return source, str(path), lambda: real.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)

    def list_templates(self):
        names = set()
        for theme in self.chain:
            if theme.templates is not None:
                names.update(p.relative_to(theme.templates).as_posix()
                             for p in theme.templates.rglob("*.html"))
        return sorted(names)


def make_environment(chain: list[Theme]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ThemeLoader(chain),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env


def render_template(env: SandboxedEnvironment, name: str, context: dict) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise RevpackError(f"{where}:{exc.lineno}: error: template syntax: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise RevpackError(f"revpack: error: template '{exc.name}' not found in the theme "
                           f"({exc.message or 'check its name'})") from exc
    except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, AttributeError,
            ZeroDivisionError, KeyError, IndexError, RecursionError) as exc:
        where = _template_frame(exc) or name
        kind = "refused by the sandbox" if isinstance(exc, SecurityError) else "template error"
        raise RevpackError(f"{where}: error: {kind}: {exc}") from exc


def _template_frame(exc: BaseException) -> str:
    """`path:line` of the innermost template frame in a traceback, if any."""
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or "/templates/" in filename:
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
