"""HTML: takes a template name, a view context and the theme chain, gives an HTML string.

Templates run in Jinja2's `SandboxedEnvironment` with `StrictUndefined` and autoescaping, because
themes may come from strangers. A template name is searched along the theme chain; the prefix
`!<theme>/` (for example `{% extends "!default/exam.html" %}`) skips to that theme, so a template
can extend the very template it overrides. Every template error is reported as
`template-path:line: error: message`.

`CONTEXT` below is the template contract's list of variables: docs/themes.md is generated from
it, and a test checks that the contexts built here match it exactly.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import labels
from .diagnostics import Diagnostic, Diagnostics, Location, RevpackError, did_you_mean
from .handouts import is_kind, kind, kinds
from .jail import is_file, tree
from .model import Pack
from .prose import ProseRenderer, break_long_words
from .sandbox import RevpackSandbox
# Part of the template contract; re-exported for the stages that take them from here.
from .template_helpers import (  # noqa: F401
    context_names, contract_helpers, install_contract_helpers,
)
from .themes import Theme
from .timer import memory_limit, time_limit
from .views import handout_context, pack_context

#: The editions' names in English (the pack's language: labels.edition_label).
EDITION_LABELS = {e: labels.edition_label(labels.label_set("en"), e)
                  for e in ("complete", "worksheet", "answers")}



class _Live(Mapping):
    """A mapping made from the registry of handout kinds each time it is read (a kind registered
    later, as a test's toy kind, is in it)."""

    def __init__(self, make):
        self._make = make

    def __getitem__(self, key):
        return self._make()[key]

    def __iter__(self):
        return iter(self._make())

    def __len__(self):
        return len(self._make())


_TEMPLATES_BEFORE = {
    "base.html": "The page every handout extends: head, running header and footer text, "
                 "logo, name strip, title and intro.",
    "_macros.html": "Shared pieces, called as ui.NAME(...): name strip, worksheet gaps, "
                    "answer lines, word bank, candidate details, question numbers, rubric boxes, "
                    "examiner's grid.",
}
_TEMPLATES_AFTER = {
    "sources.html": "The sources page at the end of the combined pack.",
    "contents.html": "The combined pack's cover and contents pages.",
    "blank.html": "The \"intentionally left blank\" page between handouts in the combined pack.",
    "download.html": "The download page, index.html beside the PDFs: a web page (not printed) "
                     "listing every PDF with its thumbnail, pages and size.",
    "reading.html": "The reading version of one handout, read-<handout>.html (`--html`): a web "
                    "page for phones and screen readers with the complete edition's content.",
}
#: The templates revpack renders, and what each is for (`revpack theme templates`): each kind's
#: in pack order between the shared ones.
TEMPLATES = _Live(lambda: {**_TEMPLATES_BEFORE,
                           **{k.template: k.template_doc for k in kinds()},
                           **_TEMPLATES_AFTER})

#: Templates that make web pages, not printed pages: each has a context of its own.
WEB_PAGES = ("download.html", "reading.html")

# --- the template contract: every variable a template receives ---------------------------------
# A name with `[]` is a list: `questions[].marks` is `q.marks` inside `{% for q in questions %}`.
# A field marked "field" may be a worksheet gap in the worksheet and answers editions: print it
# with `ui.field(...)`, which draws the gap or the answer.

_COMMON = {
    "pack": "The pack's details from pack.yaml.",
    "pack.title": "Pack title.",
    "pack.subtitle": "Pack subtitle (may be empty).",
    "pack.subject": "Subject, such as History.",
    "pack.level": "Level, such as A-level.",
    "pack.exam_board": "Exam board(s) named in pack.yaml.",
    "pack.author": "Author.",
    "pack.language": "Language tag, such as en-GB (set on <html lang>).",
    "pack.school": "School name from pack.yaml (may be empty).",
    "pack.period": "The period covered, such as 1917–1939 (may be empty).",
    "pack.sources": "The pack's list of sources (formatted text).",
    "pack.tint": "false when pack.yaml turns the dyslexia-friendly page tint off "
                 "(print: tint: false); base.html then sets class no-tint on <html>.",
    "theme": "Every theme setting by name, after `extends` and defaults are applied: "
             "theme.accent_colour, theme.tariff_format… (see Settings).",
    "brand": "Branding, from the theme settings and pack.yaml.",
    "brand.name": "The pack's `school:`, else the theme's `brand_name` (may be empty).",
    "brand.logo": "The logo image's address for <img src>, from pack.yaml's `logo:` or the "
                  "theme's `logo` setting (empty when none).",
    "brand.logo_alt": "Alternative text for the logo.",
    "brand.cover_text": "The theme's `cover_text` (may be empty).",
    "exam": "The exam conventions, from the theme settings (given to every template).",
    "exam.number_style": "plain, bold or boxed.",
    "exam.tariff_format": "The tariff pattern, such as [{marks} marks]; print tariffs with "
                          "tariff(marks).",
    "exam.total_line": "The \"Total for Question\" pattern (empty for none); print it with "
                       "total_line(number, marks).",
    "exam.end_text": "The words after the last question, such as END OF QUESTIONS.",
    "exam.turn_over": "The words at the foot of every exam page but the last.",
    "exam.candidate_fields": "The candidate-details boxes, in order.",
    "exam.candidate_fields[].label": "The field's label, such as Surname.",
    "exam.candidate_fields[].boxes": "Number of single-character boxes (0: one writing box).",
    "exam.candidate_fields[].stamp": "name, class or empty: what a class set prints in it.",
    "exam.name_field": "The label of the field that receives the student's name.",
    "exam.examiner_margin": "true when question pages have an examiner's margin column.",
    "exam.examiner_margin_label": "The heading of that column.",
    "exam.examiner_grid": "true when the cover has a \"For examiner's use\" table.",
    "exam.cover": "true when the exam front is a cover page of its own.",
    "kind_labels": "Names of the timeline's kinds of event: kind_labels[\"treaty\"] is "
                   "\"Treaty or agreement\".",
    "student": "The student a copy is for (empty in ordinary builds; class sets stamp names "
               "onto elements marked data-stamp=\"name\" or \"class\").",
    "student.name": "Student's name.",
    "student.class_name": "Student's class.",
    "edition": "complete, worksheet or answers.",
    "edition_label": "The edition as printed in the footer, such as Worksheet.",
    "variant": "standard, large-print or dyslexia-friendly.",
    "page_header_left": "Running header, left: brand name and pack title.",
    "page_header_right": "Running header, right: the handout's name (and TEACHER COPY in "
                         "answers).",
}
_HANDOUT = {
    "handout": "The handout being rendered.",
    "handout.name": "timeline, treaties, historiography, exam or sources.",
    "handout.title": "The handout's title (its # heading).",
    "handout.label": "The handout's kind as a label, such as Treaty table.",
    "handout.intro": "The introduction under the title (formatted text, may be empty).",
    "word_bank": "Worksheet word bank: the hidden answers, shuffled (empty unless the "
                 "worksheet has one).",
}
_WORKSHEET = {
    "worksheet": "The handout's worksheet options.",
    "worksheet.blank": "What is blanked: for the timeline dates, events or mix; for tables a "
                       "list of columns.",
    "worksheet.proportion": "The share of items blanked, from 0 to 1.",
    "worksheet.word_bank": "true when the worksheet has a word bank.",
}
_CONTEXT_BEFORE = {"base.html": {**_COMMON, **_HANDOUT}}


def _kind_context(k) -> dict:
    """A kind's template variables: the common ones, `handout`, `worksheet` (and `word_bank`)
    when it has worksheets, then its own."""
    if k.worksheet is not None:
        return {**_COMMON, **_HANDOUT, **_WORKSHEET, **k.context}
    return {**_COMMON, **{n: v for n, v in _HANDOUT.items() if n != "word_bank"}, **k.context}


_CONTEXT_AFTER = {
    "sources.html": {**_COMMON, **_HANDOUT},
    "contents.html": {
        **_COMMON, **_HANDOUT,
        "contents": "The pack's handouts, in order, each with the page it starts on.",
        "contents[].label": "The handout's kind, such as Treaty table (or Sources).",
        "contents[].title": "Its title.",
        "contents[].page": "The page of the combined pack it starts on.",
        "contents[].anchor": "The id of its first element, for a link.",
        "contents[].parts": "Its papers (exam practice with papers; otherwise empty).",
        "contents[].parts[].title": "The paper's title.",
        "contents[].parts[].page": "The page it starts on.",
        "contents[].parts[].anchor": "Its id, for a link.",
    },
    "blank.html": {k: v for k, v in _COMMON.items()},
    # A web page, not a handout: it receives only these (download.py builds them).
    "download.html": {
        **{k: v for k, v in _COMMON.items() if k.startswith("pack") or k == "theme"},
        "editions": "The PDFs in the output folder, grouped by edition (complete, worksheet, "
                    "answers, then any other PDFs found there).",
        "editions[].name": "complete, worksheet, answers or other (also the section's id).",
        "editions[].label": "The edition's heading, such as Worksheet.",
        "editions[].note": "One sentence on what the edition is for (may be empty).",
        "editions[].groups": "Its handouts and combined copies, in order, each with its PDFs.",
        "editions[].groups[].label": "Such as Timeline — worksheet.",
        "editions[].groups[].files": "Its PDFs, one per variant (standard first).",
        "editions[].groups[].files[].href": "The PDF's file name, a relative link.",
        "editions[].groups[].files[].label": "The variant, such as Large print (the file "
                                             "name, for other PDFs).",
        "editions[].groups[].files[].pages": "Its number of pages (0 when unreadable).",
        "editions[].groups[].files[].size": "Its size as text, such as 245 KB.",
        "editions[].groups[].files[].bytes": "Its size in bytes.",
        "editions[].groups[].files[].thumb": "The file name of its page-1 thumbnail (PNG; "
                                             "empty when unreadable).",
        "editions[].groups[].files[].thumb_width": "The thumbnail's width in pixels.",
        "editions[].groups[].files[].thumb_height": "The thumbnail's height in pixels.",
        "reading": "The reading pages in the folder (`--html`), in pack order (may be empty).",
        "reading[].href": "The page's file name, such as read-timeline.html.",
        "reading[].label": "The handout's label, such as Timeline.",
    },
    "reading.html": {
        **{k: v for k, v in _COMMON.items() if k.startswith("pack") or k == "theme"},
        "handout": "The handout's name, such as timeline.",
        "handout_label": "The handout's label, such as Timeline (named so as not to hide the "
                         "label() function).",
        "title": "The page title: the handout's title and the pack's.",
        "content": "The complete edition's content: the <main> of the PDF's HTML, each table "
                   "wrapped in a scrolling region and its cells labelled with their column.",
        "pdf": "The file name of the handout's complete PDF.",
        "href": "This page's own file name.",
        "index": "The download page's file name (index.html).",
        "nav": "Every reading page, in pack order.",
        "nav[].href": "The page's file name.",
        "nav[].label": "The handout's label.",
    },
}
#: The template contract: every template's variables (each kind's from its `context`).
CONTEXT = _Live(lambda: {**_CONTEXT_BEFORE,
                         **{k.template: _kind_context(k) for k in kinds()},
                         **_CONTEXT_AFTER})


# --- the sandbox ---------------------------------------------------------------------------------

class TemplateRefused(jinja2.TemplateNotFound):
    """A template file the jail refuses (`path` set), or one that is not UTF-8 text."""

    def __init__(self, name: str, diagnostic: Diagnostic, path: Path | None = None):
        super().__init__(name, diagnostic.message)
        self.diagnostic, self.path = diagnostic, path


class ThemeLoader(jinja2.BaseLoader):
    def __init__(self, chain: list[Theme]):
        from .themes import jail_of

        self.chain = chain
        self.jail = jail_of(chain)
        self.served: set[str] = set()

    def read(self, path: Path, name: str) -> str:
        """A template's text, read through the jail."""
        try:
            data = self.jail.read_bytes(path, what=f"template '{name}'")
        except RevpackError as exc:
            raise TemplateRefused(name, exc.diagnostics[0], path) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            raise TemplateRefused(name, Diagnostic(
                Location(path, line), "error", f"template is not UTF-8 text (byte "
                f"0x{data[exc.start]:02X})", "save it as UTF-8 in your editor")) from None

    def _layers(self, name: str) -> tuple[list[Theme], str]:
        if name.startswith("!"):
            theme_name, _, rest = name[1:].partition("/")
            for i, theme in enumerate(self.chain):
                if theme_name in theme.names():
                    return self.chain[i:], rest
            raise jinja2.TemplateNotFound(name, f"no theme named '{theme_name}' in the chain "
                                                f"({', '.join(t.name for t in self.chain)})")
        return self.chain, name

    def get_source(self, environment, template):
        layers, name = self._layers(template)
        if ".." in Path(name).parts or Path(name).is_absolute() or "\\" in name:
            raise jinja2.TemplateNotFound(template, "template names cannot leave the theme")
        for theme in layers:
            if theme.templates is None:
                continue
            path = (theme.templates / name)
            if is_file(path):
                source = self.read(path, template)
                self.served.add(str(path))
                return source, str(path), lambda: True
        raise jinja2.TemplateNotFound(template, "looked in: " + ", ".join(
            t.name for t in layers if t.templates is not None))

    def list_templates(self):
        names = set()
        for theme in self.chain:
            if theme.templates is not None:
                names.update(p.relative_to(theme.templates).as_posix()
                             for p in tree(theme.templates) if p.name.endswith(".html"))
        return sorted(names)


def make_environment(chain: list[Theme]) -> SandboxedEnvironment:
    env = RevpackSandbox(
        loader=ThemeLoader(chain),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env


def _error(where: str, message: str, hint: str = "", kind=RevpackError) -> RevpackError:
    path, line = _split_where(where)
    loc = Location(Path(path), line) if path else None
    return kind(diagnostics=[Diagnostic(loc, "error", message, hint)])


def _split_where(where: str) -> tuple[str, int]:
    path, sep, line = where.rpartition(":")
    if sep and line.isdigit():
        return path, int(line)
    return where, 0


#: The longest the templates of one environment (one build, one check) may take to render, in
#: all. Real templates take milliseconds; a theme from a stranger could loop for ever (the sandbox
#: bounds each range(), not loops inside loops). The time is shared, so that a loop in base.html,
#: which every handout extends, costs these seconds once, not once per handout and edition.
TEMPLATE_SECONDS = 10.0
#: The most memory one render may take on top of what the process holds (see timer.memory_limit;
#: the sandbox's size checks stop most growth long before this).
TEMPLATE_MEMORY = 512 * 1024 * 1024


class _TooSlow(Exception):
    """The template timer's exception: an Exception, so that Jinja maps the traceback to the
    template's own line (it does not for a BaseException)."""


class _RunawayError(RevpackError):
    """A render stopped by a limit (time, memory, the sandbox): every later one fails with it."""


def render_template(env: SandboxedEnvironment, name: str, context: dict) -> str:
    """Render a template; any error becomes `template-path:line: error: message`.

    Once a render of `env` has been stopped by a limit (time, memory, the sandbox), every later
    one fails at once with the same error, instead of running away again for another handout or
    edition."""
    if getattr(env, "stopped", None):
        raise RevpackError(diagnostics=env.stopped)
    started = time.monotonic()
    try:
        return _render(env, name, context,
                       TEMPLATE_SECONDS - getattr(env, "render_seconds", 0.0))
    except _RunawayError as exc:
        env.stopped = exc.diagnostics
        raise
    finally:
        env.render_seconds = getattr(env, "render_seconds", 0.0) + time.monotonic() - started


_RUNAWAY_HINT = ("a loop in the theme's templates probably runs away; check its {% for %} loops, "
                 "especially loops inside loops")


def _render(env: SandboxedEnvironment, name: str, context: dict, seconds: float) -> str:
    try:
        with time_limit(seconds, _TooSlow), memory_limit(TEMPLATE_MEMORY):
            return env.get_template(name).render(context)
    except _TooSlow as exc:
        where = _template_frame(exc, env) or _template_path(env, name)
        raise _error(where, f"template took more than {TEMPLATE_SECONDS:g} seconds to render and "
                     "was stopped", _RUNAWAY_HINT, _RunawayError) from None
    except MemoryError as exc:
        where = _template_frame(exc, env) or _template_path(env, name)
        raise _error(where, f"template used more than {TEMPLATE_MEMORY // 2**20:,} MB of memory "
                     "and was stopped", "a loop in the theme's templates probably builds a string "
                     "or list without end", _RunawayError) from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise _error(f"{where}:{exc.lineno}", f"template syntax: {exc.message}") from None
    except TemplateRefused as exc:
        # Refused by the jail: reported at the {% include %} or {% extends %} that named it.
        where = _template_frame(exc, env)
        diagnostic = exc.diagnostic
        if where and exc.path is not None:
            path, line = _split_where(where)
            diagnostic = env.loader.jail.refusal(exc.path, Location(Path(path), line),
                                                 f"template '{exc.name}'")
        raise RevpackError(diagnostics=[diagnostic]) from None
    except jinja2.TemplateNotFound as exc:
        where = _template_frame(exc, env) or ""
        missing = exc.name if isinstance(exc.name, str) else name
        hint = exc.message if exc.message and exc.message != missing else ""
        names = env.loader.list_templates() if env.loader else []
        if not hint:
            hint = did_you_mean(missing, names)
        raise _error(where, f"template '{missing}' not found in the theme", hint) from None
    except jinja2.UndefinedError as exc:
        where = _template_frame(exc, env) or name
        names = sorted(set(context) | set(env.globals))
        raise _error(where, f"template error: {exc}", _undefined_hint(str(exc), names)) \
            from None
    except SecurityError as exc:          # a hostile or broken theme: no point going on
        where = _template_frame(exc, env) or _template_path(env, name)
        raise _error(where, f"refused by the sandbox: {exc}", "", _RunawayError) from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, ZeroDivisionError,
            KeyError, IndexError, RecursionError, OverflowError) as exc:
        where = _template_frame(exc, env) or name
        raise _error(where, f"template error: {type(exc).__name__}: {exc}") from None


def _undefined_hint(message: str, names: list[str]) -> str:
    """"did you mean …?" for a misspelt variable, and where the variables are listed."""
    where = "the variables and their fields are listed in docs/themes.md"
    if message.startswith("'") and message.endswith("' is undefined"):
        close = did_you_mean(message[1:-len("' is undefined")], names)
        if close.startswith("did you mean"):
            return f"{close}; {where}"
    return where


def _template_path(env, name: str) -> str:
    """The file of template `name`, for an error found outside any template line."""
    try:
        return env.get_template(name).filename or name
    except jinja2.TemplateError:
        return name


def _template_frame(exc: BaseException, env=None) -> str:
    """`path:line` of the innermost template frame in a traceback, if any."""
    served = getattr(getattr(env, "loader", None), "served", None) or set()
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in served or filename.endswith(".html"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


# --- the context ---------------------------------------------------------------------------------

class Templating:
    """The HTML stage for one pack and theme: the sandboxed environment and the shared context."""

    def __init__(self, pack: Pack, diags: Diagnostics, theme: str | None):
        from .themes import exam_conventions, locate_text_settings, merged_settings, theme_chain

        self.pack = pack
        # The chain decides which folders the whole build may read (self.chain.jail).
        if theme:
            self.chain = theme_chain(theme, pack.root)
        else:
            self.chain = theme_chain(pack.manifest.theme or "default", pack.root,
                                     from_pack=bool(pack.manifest.theme),
                                     where=pack.manifest.key_loc("theme"))
        self.settings = locate_text_settings(self.chain, merged_settings(self.chain))
        # The printed words in the pack's language: shipped set, then the themes' (whose label
        # files and `labels:` setting the label() template function reads as one override).
        overrides = labels.theme_overrides(self.chain, pack.manifest.language, self.settings)
        if overrides:
            self.settings = dict(self.settings, labels=overrides)
        self.words = labels.label_set(pack.manifest.language, overrides)
        self.settings = labels.localised_settings(self.settings, self.chain, self.words)
        self.env = make_environment(self.chain)
        install_contract_helpers(self.env, self.settings)
        self.prose = ProseRenderer(pack.root, diags, pack.manifest.language)
        self._made: dict[tuple, str] = {}
        self.brand = brand_context(pack, self.chain, self.settings)
        self.base = {
            "pack": pack_context(pack, self.prose),
            "theme": self.settings,
            "brand": self.brand,
            "variant": "standard",
            "student": {"name": "", "class_name": ""},
            "kind_labels": {m: self.words[f"marker_{m}"] for m in labels.MARKERS},
            "exam": exam_conventions(self.settings, self.words),
        }

    def context(self, handout: str, edition: str, variant: str = "standard",
                plan=None, contents: list | None = None, paper: str = "a4") -> dict:
        """Everything the template of one handout receives (see CONTEXT)."""
        ctx = dict(self.base, variant=variant, edition=edition)
        if is_kind(handout):
            ctx.update(handout_context(self.pack, self.prose, handout, edition, self.settings,
                                        variant, plan, paper))
        elif handout in ("sources", "contents"):
            label = self.title(handout)
            ctx.update({"handout": {"name": handout, "title": label, "label": label,
                                    "intro": ""}, "word_bank": []})
            if handout == "contents":
                ctx["contents"] = contents or []
        ctx.update(page_furniture(self.pack, handout, edition, self.brand["name"], self.words))
        if is_kind(handout):
            ctx["handout"] = dict(ctx["handout"], label=self.title(handout))
        return ctx

    def title(self, handout: str) -> str:
        """A handout's printed title in the pack's language ("Timeline", "Frise chronologique")."""
        return labels.kind_title(self.words, handout, kind(handout).title if is_kind(handout)
                                 else handout.title())

    def html(self, handout: str, edition: str, variant: str = "standard",
             plan=None, contents: list | None = None, paper: str = "a4") -> str:
        """The HTML of one handout ("sources", "contents" and "blank" included) in one
        edition; `contents` is what the contents page lists. Made once: without a plan or
        contents, the same call gives the HTML made before (check, cache keys and layout share
        it)."""
        key = (handout, edition, variant, paper) if plan is None and contents is None else None
        if key is not None and key in self._made:
            return self._made[key]
        html = break_long_words(render_template(
            self.env, template_of(handout), self.context(handout, edition, variant, plan, contents,
                                                         paper)))
        if key is not None:
            self._made[key] = html
        return html


def brand_context(pack: Pack, chain: list[Theme], settings: dict) -> dict:
    """`brand`: the name, logo and cover text a template shows (pack.yaml wins over the theme)."""
    from .themes import pack_logo, relative_url, theme_asset

    name = pack.manifest.school or str(settings.get("brand_name") or "")
    logo = pack_logo(pack) or theme_asset(chain, "logo")
    return {
        "name": name,
        "logo": relative_url(logo, Path(pack.root)) if logo else "",
        "logo_alt": f"{name} logo" if name else "Logo",
        "cover_text": str(settings.get("cover_text") or ""),
    }


#: The most of a school's name the running header shows, so that the pack title still fits
#: beside it (the stylesheet ends anything still too long with "…" rather than wrap it).
HEADER_BRAND_CHARS = 32


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:·–-") + "…"


def template_of(name: str) -> str:
    """The template that renders a handout ("sources", "contents" and "blank" included)."""
    return kind(name).template if is_kind(name) else f"{name}.html"


def page_furniture(pack: Pack, handout: str, edition: str, brand_name: str = "",
                   words: dict | None = None) -> dict:
    words = words or labels.label_set(pack.manifest.language)
    label = labels.kind_title(words, handout, kind(handout).title if is_kind(handout)
                              else handout.title())
    left = pack.manifest.title
    brand_name = brand_name or pack.manifest.school
    if brand_name:
        left = f"{shorten(brand_name, HEADER_BRAND_CHARS)} · {left}"
    right = label + (f" · {words['teacher_copy']}" if edition == "answers" else "")
    return {"page_header_left": left, "page_header_right": right,
            "edition_label": labels.edition_label(words, edition)}
