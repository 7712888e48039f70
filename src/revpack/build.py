"""Build: the only orchestrator. Takes a pack folder and options, gives PDFs in `OUT/<slug>/`.

pack folder → load (source, blocks, readers) → diagnostics → views → HTML (themes, sandbox)
→ PDF (WeasyPrint, jailed fetcher) → the combined pack (Document.copy, keeps tags) → out/, atomic.
Every stage is its own module; this file only calls them in order and decides, once, whether the
collected diagnostics stop the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .diagnostics import Diagnostics, RevpackError, UsageError
from .load import load_pack
from .model import Pack
from .prose import ProseRenderer
from .resources import bundled_pack
from .source import MANIFEST
from .views import EDITIONS, HANDOUT_LABELS, handout_context, pack_context

HANDOUT_ORDER = ("timeline", "treaties", "historiography", "exam")
EDITION_LABELS = {"complete": "Complete notes", "worksheet": "Worksheet",
                  "answers": "Answers – TEACHER COPY"}
KIND_LABELS = {"event": "Event", "treaty": "Treaty or agreement", "conference": "Conference",
               "war": "War or military action"}
PAPER_SIZES = {"a4": ("A4", "210mm 297mm"), "letter": ("letter", "8.5in 11in")}


@dataclass
class Written:
    path: Path
    pages: int
    size: int


@dataclass
class BuildResult:
    pack: Pack
    out_dir: Path
    files: list[Written] = field(default_factory=list)
    diagnostics: list = field(default_factory=list)


@dataclass
class CheckResult:
    pack: Pack
    diagnostics: Diagnostics

    def counts(self) -> dict[str, int]:
        p = self.pack
        return {
            "events": sum(len(ph.events) for ph in p.timeline.phases) if p.timeline else 0,
            "treaties": len(p.treaties.treaties) if p.treaties else 0,
            "schools": len(p.historiography.schools) if p.historiography else 0,
            "questions": len(p.exam.questions) if p.exam else 0,
        }


def default_pack_dir(cwd: Path | None = None) -> Path:
    """The pack in the working folder when it has a pack.yaml, else the bundled example."""
    cwd = Path(cwd or Path.cwd())
    return cwd if (cwd / MANIFEST).is_file() else bundled_pack()


def _fail_on_errors(diags: Diagnostics) -> None:
    if diags.has_errors():
        raise RevpackError(diagnostics=diags.items)


def check(pack_dir: Path | None = None, strict: bool = False) -> CheckResult:
    """Load and validate a pack, and build its views for every edition, without rendering."""
    diags = Diagnostics(strict=strict)
    pack = load_pack(Path(pack_dir) if pack_dir else default_pack_dir(), diags)
    if pack is None:
        _fail_on_errors(diags)
    if not diags.has_errors():
        prose = ProseRenderer(pack.root, diags)
        for edition in EDITIONS:
            for name in pack.handouts():
                handout_context(pack, prose, name, edition)
        pack_context(pack, prose)
    _fail_on_errors(diags)
    return CheckResult(pack, diags)


class Templating:
    """The HTML stage for one pack and theme: the sandboxed environment and the shared context."""

    def __init__(self, pack: Pack, diags: Diagnostics, theme: str | None):
        from .html import make_environment
        from .themes import merged_settings, theme_chain

        self.pack = pack
        self.chain = theme_chain(theme or pack.manifest.theme or "default", pack.root)
        self.settings = merged_settings(self.chain)
        self.env = make_environment(self.chain)
        _install_helpers(self.env, self.settings)
        self.prose = ProseRenderer(pack.root, diags)
        self.base = {
            "pack": pack_context(pack, self.prose),
            "theme": self.settings,
            "variant": "standard",
            "student": {"name": "", "class_name": ""},
            "kind_labels": KIND_LABELS,
            "exam": _exam_conventions(self.settings),
        }

    def html(self, handout: str, edition: str, variant: str = "standard") -> str:
        """The HTML of one handout ("sources" and "blank" included) in one edition."""
        from .html import render_template

        ctx = dict(self.base, variant=variant, edition=edition)
        if handout in HANDOUT_ORDER:
            ctx.update(handout_context(self.pack, self.prose, handout, edition, self.settings))
        elif handout == "sources":
            ctx.update({"handout": {"name": "sources", "title": "Sources", "label": "Sources",
                                    "intro": ""}, "word_bank": []})
        ctx.update(_furniture(self.pack, handout, edition))
        return render_template(self.env, f"{handout}.html", ctx)


def html_for(pack_dir: Path, handout: str, edition: str = "complete",
             theme: str | None = None) -> str:
    """One handout's HTML, without rendering a PDF (for tests, golden files and theme authors)."""
    checked = check(pack_dir)
    return Templating(checked.pack, checked.diagnostics, theme).html(handout, edition)


def build(pack_dir: Path | None = None, out: Path | None = None,
          editions: tuple[str, ...] = EDITIONS, theme: str | None = None,
          paper: str | None = None, strict: bool = False,
          on_file: Callable[[Written], None] | None = None,
          on_step: Callable[[str], None] | None = None) -> BuildResult:
    """Build every handout and the combined pack for each edition. Returns what was written."""
    from .output import Staging, output_dir
    from .pdf import Renderer
    from .themes import allowed_roots

    for e in editions:
        if e not in EDITIONS:
            raise UsageError(f"unknown edition '{e}' (choose from {', '.join(EDITIONS)} or all)")
    checked = check(pack_dir, strict=strict)
    pack, diags = checked.pack, checked.diagnostics
    paper = (paper or pack.manifest.paper or "a4").lower()
    if paper not in PAPER_SIZES:
        raise UsageError(f"unknown paper size '{paper}' (choose a4 or letter)")
    out_dir = output_dir(Path(out or Path.cwd() / "out"), pack.root, pack.slug)
    templating = Templating(pack, diags, theme)
    renderer = Renderer(allowed_roots(templating.chain, pack.root))
    styles = _Styles(renderer, templating.chain, templating.settings, paper)
    result = BuildResult(pack, out_dir, diagnostics=diags.items)
    staging = Staging(out_dir)

    def emit(name: str, document, seed: str) -> None:
        data = renderer.write(document, seed)
        path = staging.add(name, data)
        written = Written(path, len(document.pages), len(data))
        result.files.append(written)
        if on_file:
            on_file(written)

    def render(handout: str, edition: str, variant: str = "standard"):
        html = templating.html(handout, edition, variant)
        doc = renderer.render(html, pack.root, styles.for_handout(handout),
                              f"{handout}-{edition}")
        return doc, html

    try:
        _render_editions(pack, editions, render, emit, on_step)
        _fail_on_errors(diags)
        staging.commit()
    finally:
        staging.discard()
    return result


def _render_editions(pack: Pack, editions, render, emit, on_step) -> None:
    blank_page = None
    for edition in editions:
        docs, seeds = [], []
        for name in HANDOUT_ORDER:
            if name not in pack.handouts():
                continue
            if on_step:
                on_step(f"{name}-{edition}")
            doc, html = render(name, edition)
            docs.append(doc)
            seeds.append(html)
            emit(f"{name}-{edition}.pdf", doc, html)
        if on_step:
            on_step(f"pack-{edition}")
        sources_doc, sources_html = render("sources", edition)
        if blank_page is None:
            blank_page = render("blank", edition)[0].pages[0]
        combined = _join(docs + [sources_doc], blank_page)
        combined.metadata.title = f"{pack.manifest.title} – {EDITION_LABELS[edition]}"
        emit(f"pack-{edition}.pdf", combined, "".join(seeds) + sources_html)


def _join(documents: list, blank_page):
    """One document of several laid-out ones, each starting on an odd page (duplex-safe)."""
    pages = []
    for doc in documents:
        if len(pages) % 2 == 1:
            pages.append(blank_page)
        pages.extend(doc.pages)
    return documents[0].copy(pages)


def _furniture(pack: Pack, handout: str, edition: str) -> dict:
    label = HANDOUT_LABELS.get(handout, handout.title())
    left = pack.manifest.title
    if pack.manifest.school:
        left = f"{pack.manifest.school} · {left}"
    right = label + (" · TEACHER COPY" if edition == "answers" else "")
    return {"page_header_left": left, "page_header_right": right,
            "edition_label": EDITION_LABELS[edition]}


def _exam_conventions(s: dict) -> dict:
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


def _install_helpers(env, s: dict) -> None:
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


class _Styles:
    """The CSS cascade for a handout: each layer's base.css and <handout>.css, default first."""

    def __init__(self, renderer, chain, theme_settings: dict, paper: str):
        self.renderer = renderer
        self.chain = chain
        self.cache: dict[str, list] = {}
        size, dims = PAPER_SIZES[paper]
        props = {
            "--accent": theme_settings.get("accent_colour"),
            "--font-body": _font_stack(theme_settings.get("font_family")),
        }
        custom = "".join(f"{k}: {v};" for k, v in props.items() if v)
        base = chain[-1].root
        self.settings_css = renderer.css_string(f":root {{ {custom} }}", base)
        self.paper_css = renderer.css_string(
            f"@page {{ size: {size}; }} @page landscape {{ size: {size} landscape; }}", base)

    def for_handout(self, handout: str) -> list:
        """Default's sheets, then the theme settings as custom properties, then each theme layer
        up to the pack's own overrides, then the chosen paper size."""
        if handout not in self.cache:
            sheets = []
            for i, theme in enumerate(reversed(self.chain)):
                if theme.styles is not None:
                    for name in ("base.css", f"{handout}.css"):
                        path = theme.styles / name
                        if path.is_file():
                            sheets.append(self.renderer.stylesheet(path))
                if i == 0:
                    sheets.append(self.settings_css)
            self.cache[handout] = sheets + [self.paper_css]
        return self.cache[handout]


def _font_stack(family) -> str:
    if not family:
        return ""
    return f'"{family}", "Revpack Sans", "DejaVu Sans", sans-serif'
