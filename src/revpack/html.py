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

from .diagnostics import Diagnostics, RevpackError
from .model import Pack
from .prose import ProseRenderer
from .themes import Theme
from .views import HANDOUT_LABELS, handout_context, pack_context

HANDOUT_ORDER = ("timeline", "treaties", "historiography", "exam")
EDITION_LABELS = {"complete": "Complete notes", "worksheet": "Worksheet",
                  "answers": "Answers – TEACHER COPY"}
KIND_LABELS = {"event": "Event", "treaty": "Treaty or agreement", "conference": "Conference",
               "war": "War or military action"}


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


class Templating:
    """The HTML stage for one pack and theme: the sandboxed environment and the shared context."""

    def __init__(self, pack: Pack, diags: Diagnostics, theme: str | None):
        from .themes import exam_conventions, merged_settings, theme_chain

        self.pack = pack
        self.chain = theme_chain(theme or pack.manifest.theme or "default", pack.root)
        self.settings = merged_settings(self.chain)
        self.env = make_environment(self.chain)
        install_contract_helpers(self.env, self.settings)
        self.prose = ProseRenderer(pack.root, diags)
        self.base = {
            "pack": pack_context(pack, self.prose),
            "theme": self.settings,
            "variant": "standard",
            "student": {"name": "", "class_name": ""},
            "kind_labels": KIND_LABELS,
            "exam": exam_conventions(self.settings),
        }

    def html(self, handout: str, edition: str, variant: str = "standard") -> str:
        """The HTML of one handout ("sources" and "blank" included) in one edition."""
        ctx = dict(self.base, variant=variant, edition=edition)
        if handout in HANDOUT_ORDER:
            ctx.update(handout_context(self.pack, self.prose, handout, edition, self.settings,
                                        variant))
        elif handout == "sources":
            ctx.update({"handout": {"name": "sources", "title": "Sources", "label": "Sources",
                                    "intro": ""}, "word_bank": []})
        ctx.update(page_furniture(self.pack, handout, edition))
        return render_template(self.env, f"{handout}.html", ctx)


def page_furniture(pack: Pack, handout: str, edition: str) -> dict:
    label = HANDOUT_LABELS.get(handout, handout.title())
    left = pack.manifest.title
    if pack.manifest.school:
        left = f"{pack.manifest.school} · {left}"
    right = label + (" · TEACHER COPY" if edition == "answers" else "")
    return {"page_header_left": left, "page_header_right": right,
            "edition_label": EDITION_LABELS[edition]}


def install_contract_helpers(env, s: dict) -> None:
    """Functions and filters every template may use (part of the template contract)."""
    def css_string(value) -> str:
        text = str(value)
        return "".join(ch if ch not in '"\\\n\r<>' else f"\\{ord(ch):x} " for ch in text)

    def tariff(marks: int) -> str:
        return str(s.get("tariff_format", "[{marks} marks]")).replace("{marks}", str(marks)) \
            .replace(" ", "\u00a0")

    def question_number(n: int) -> str:
        if s.get("question_number_style") == "boxed":
            return f"{n:02d}"
        return str(n)

    def total_line(number: int, marks: int) -> str:
        return str(s.get("total_line", "")).replace("{number}", str(number)) \
            .replace("{marks}", str(marks))

    env.filters["css_string"] = css_string
    env.globals.update(tariff=tariff, question_number=question_number, total_line=total_line)
