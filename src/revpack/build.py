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
from .resources import bundled_pack
from .source import MANIFEST
from .prose import ProseRenderer
from .views import EDITIONS, handout_context, pack_context

from .html import EDITION_LABELS, HANDOUT_ORDER, Templating


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
    from .styles import PAPER_SIZES, Stylesheets
    from .themes import allowed_roots

    for e in editions:
        if e not in EDITIONS:
            raise UsageError(f"unknown edition '{e}' (choose from {', '.join(EDITIONS)} or all)")
    checked = check(pack_dir, strict=strict)
    pack, diags = checked.pack, checked.diagnostics
    paper = (paper or pack.manifest.paper or "a4").lower()
    if paper not in ("a4", "letter"):
        raise UsageError(f"unknown paper size '{paper}' (choose a4 or letter)")
    out_dir = output_dir(Path(out or Path.cwd() / "out"), pack.root, pack.slug)
    templating = Templating(pack, diags, theme)
    renderer = Renderer(allowed_roots(templating.chain, pack.root))
    styles = Stylesheets(renderer, templating.chain, templating.settings, paper)
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


