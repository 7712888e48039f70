"""Build: the only orchestrator. Takes a pack folder and options, gives PDFs in `OUT/<slug>/`.

pack folder → load (source, blocks, readers) → diagnostics → views → HTML (themes, sandbox)
→ PDF (WeasyPrint, jailed fetcher) → the combined pack (Document.copy, keeps tags)
→ post-processing (pypdf: class sets, booklets) → out/, staged, then swapped in only on success.
Every stage is its own module; this file only calls them in order and decides, once, whether the
collected diagnostics stop the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .diagnostics import Diagnostics, RevpackError, UsageError
from .handouts import content_files, kind, kinds
from .html import Templating
from .labels import edition_label
from . import fitting
from .papers import PAPERS, PRINTABLE
from .jail import check_output_folder
from .load import load_pack
from .look import Look
from .model import Pack
from .prose import ProseRenderer
from .resources import bundled_pack
from .source import MANIFEST
from .views import EDITIONS, handout_context, pack_context


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
    rendered: list = field(default_factory=list)   # names laid out now (the rest: cache)
    unchanged: bool = False       # nothing changed: the output folder was left as it was


@dataclass
class CheckResult:
    pack: Pack
    diagnostics: Diagnostics
    templating: object = None         # the Templating check() rendered with (no --theme)

    def _counted(self) -> list[tuple[tuple[str, str], int]]:
        """((singular, plural), how many) for each registered content file with a count: a
        handout's own file counts 0 when absent, any other file only when present."""
        out = []
        for f in content_files():
            part = self.pack.content.get(f.name)
            if f.noun and f.count and (part is not None or f.dated):
                out.append((f.noun, f.count(part) if part is not None else 0))
        return out

    def counts(self) -> dict[str, int]:
        """{"events": 61, "treaties": 13, …}"""
        return {plural: n for (_, plural), n in self._counted()}

    def summary(self) -> str:
        """"61 events, 13 treaties, …", as `revpack check` prints it."""
        return ", ".join(f"{n} {plural if n != 1 else one}" for (one, plural), n in self._counted())


def default_pack_dir(cwd: Path | None = None) -> Path:
    """The pack in the working folder when it has a pack.yaml, else the bundled example."""
    cwd = Path(cwd or Path.cwd())
    return cwd if (cwd / MANIFEST).is_file() else bundled_pack()


def _fail_on_errors(diags: Diagnostics) -> None:
    if diags.has_errors():
        raise RevpackError(diagnostics=diags.items)


def check(pack_dir: Path | None = None, strict: bool = False,
          editions: tuple[str, ...] = EDITIONS) -> CheckResult:
    """Load and validate a pack, and build its views and HTML for `editions` (all, as `revpack
    check` does; a build asks for the ones it makes, and those their layout depends on),
    without rendering."""
    editions = tuple(e for e in EDITIONS if e in editions)
    diags = Diagnostics(strict=strict)
    pack = load_pack(Path(pack_dir) if pack_dir else default_pack_dir(), diags)
    if pack is None:
        _fail_on_errors(diags)
    templating = None
    if not diags.has_errors():
        prose = ProseRenderer(pack.root, diags, pack.manifest.language)
        for edition in editions:
            for name in pack.handouts():
                handout_context(pack, prose, name, edition)
        pack_context(pack, prose)
        # The pack's own theme choice and logo are part of the pack: check them too.
        from .themes import pack_logo, theme_chain
        theme_chain(pack.manifest.theme or "default", pack.root, from_pack=True,
                    where=pack.manifest.key_loc("theme"))
        pack_logo(pack)
    if not diags.has_errors():
        templating = _check_rendering_inputs(pack, diags, editions)
    _fail_on_errors(diags)
    check_output_folder(pack.root / "out", pack.root)   # where a build in the pack would write
    return CheckResult(pack, diags, templating)


def _check_rendering_inputs(pack, diags: Diagnostics, editions: tuple[str, ...] = EDITIONS):
    """What a build would find before laying anything out: every template rendered to HTML in
    every edition, and every stylesheet of the theme chain checked (sizes, URLs). Returns the
    Templating (which keeps the HTML it made, for the build to reuse)."""
    from .css_checks import check_stylesheets

    try:
        templating = Templating(pack, diags, None)
    except RevpackError as exc:
        diags.extend(exc.diagnostics)
        return None
    for edition in editions:
        for name in list(pack.handouts()) + ["sources", "contents", "blank"]:
            try:
                templating.html(name, edition)
            except RevpackError as exc:
                diags.extend(exc.diagnostics)
    try:
        from .download import check_page
        check_page(templating)
    except RevpackError as exc:
        diags.extend(exc.diagnostics)
    check_stylesheets(templating.chain, diags)
    return templating


def layout_editions(editions: tuple[str, ...]) -> tuple[str, ...]:
    """The editions whose HTML building `editions` reads: a worksheet's gaps are sized to the
    laid-out answers, and exam answer lines are fitted once for the complete and worksheet."""
    need = set(editions)
    if "worksheet" in need:
        need.add("answers")
    if need & {"complete", "worksheet"}:
        need |= {"complete", "worksheet"}
    return tuple(e for e in EDITIONS if e in need)


def html_for(pack_dir: Path, handout: str, edition: str = "complete",
             theme: str | None = None) -> str:
    """One handout's HTML, without rendering a PDF (for tests, golden files and theme authors)."""
    checked = check(pack_dir)
    return Templating(checked.pack, checked.diagnostics, theme).html(handout, edition)


def booklet_pages(pack_dir: Path, edition: str = "complete", paper: str = "a4",
                  theme: str | None = None) -> bytes:
    """A standard booklet's A5 (half-Letter) pages before imposition, as one PDF (for tests)."""
    checked = check(pack_dir)
    session = _Session(checked.pack, checked.diagnostics, theme, None)
    return session.laid_out(edition, "standard", BOOKLET_PAPER[paper],
                            booklet=True).pdf(session.renderer)


BOOKLET_PAPER = {name: PAPERS[name].booklet for name in PRINTABLE}
#: A modified copy (large print, dyslexia-friendly) keeps its full-size pages, since its larger
#: type and wider lines do not fit A5 columns, so its booklet folds from sheets twice as large,
#: as enlarged modified papers are printed on A3.
MODIFIED_SHEETS = {name: PAPERS[name].modified_sheet for name in PRINTABLE}
#: Booklet pages are small: narrower margins (the fold is the binding edge) keep the text at its
#: normal size rather than shrinking it.
BOOKLET_CSS = ("@page { margin: 14mm 11mm 14mm 11mm; } @page :left { margin: 14mm 11mm; } "
               "@page :right { margin: 14mm 11mm; } @page landscape { margin: 11mm 14mm; } ")


def booklet_css() -> str:
    """BOOKLET_CSS, and each kind too wide for an A5 column (`booklet_landscape`, as the treaty
    table's five columns) turned sideways (the imposition rotates landscape pages into their
    slot)."""
    return BOOKLET_CSS + " ".join(f".handout-{k.name} {{ page: landscape; }}"
                                  for k in kinds() if k.booklet_landscape)


def output_name(kind: str, edition: str, variant: str = "standard", booklet: bool = False) -> str:
    """`<kind>-<edition>[-<variant>][-booklet].pdf`, the one naming scheme for every output."""
    name = f"{kind}-{edition}"
    if variant != "standard":
        name += f"-{variant}"
    if booklet:
        name += "-booklet"
    return name + ".pdf"


def build(pack_dir: Path | None = None, out: Path | None = None,
          editions: tuple[str, ...] = EDITIONS, theme: str | None = None,
          paper: str | None = None, variant: str = "standard", booklet: bool = False,
          class_list: Path | None = None, strict: bool = False, html: bool = False,
          on_file: Callable[[Written], None] | None = None,
          on_step: Callable[[str], None] | None = None,
          cache=False, jobs: int = 1, executor=None, warm=None) -> BuildResult:
    """Build every handout and the combined pack for each edition. Returns what was written.

    With `booklet`, also an A5 (half-Letter) booklet of each pack; with `class_list`, a class set
    (`class-<edition>.pdf`) of the complete and worksheet editions, one named copy per student.
    With `html`, also a reading version of each handout for phones (`read-<handout>.html`).

    `cache`: True (the user's cache folder, see cache.py; the CLI's default), False (none: the
    default here, and `--no-cache`) or a `cache.Cache`. Outputs whose inputs are unchanged come from the cache; when every output is
    unchanged and already in the output folder, nothing is written (`result.unchanged`).
    `jobs` > 1 lays out the editions in that many processes, or `executor` (any
    `concurrent.futures.Executor`, such as a dask.distributed client's) runs them; the files are
    byte-identical to a serial build's. `warm` (a `watch.Warm`, kept by `revpack watch` from one
    build to the next) lends a serial build the last build's renderer and the layouts whose keys
    have not changed, so that an edit lays out only the handout it touched.
    """
    from .cache import open_cache
    from .executor import EditionJob, run_jobs
    from .keys import OutputKeys
    from .output import Staging, output_dir
    from .styles import VARIANTS

    for e in editions:
        if e not in EDITIONS:
            raise UsageError(f"unknown edition '{e}' (choose from {', '.join(EDITIONS)} or all)")
    if variant not in VARIANTS:
        raise UsageError(f"unknown variant '{variant}' (choose from {', '.join(VARIANTS)})")
    checked = check(pack_dir, strict=strict, editions=layout_editions(editions))
    pack, diags = checked.pack, checked.diagnostics
    paper = (paper or pack.manifest.paper or "a4").lower()
    if paper not in BOOKLET_PAPER:
        raise UsageError(f"unknown paper size '{paper}' (choose a4 or letter)")
    students = None
    if class_list is not None:
        from .roster import read_class_list
        students = read_class_list(class_list, diags)
        _fail_on_errors(diags)
    out_root = Path(out or Path.cwd() / "out")
    check_output_folder(out_root / pack.slug, pack.root)
    out_dir = output_dir(out_root, pack.root, pack.slug)
    result = BuildResult(pack, out_dir, diagnostics=diags.items)
    templating = checked.templating if not theme else Templating(pack, diags, theme)
    store = open_cache(cache, out_root)
    keys = OutputKeys(pack, templating, theme, out_root, class_list)
    step = on_step or (lambda name: None)

    # Every output, in the order it is listed, with its key; then what the cache already has.
    wanted: list[tuple[str, str, str]] = []          # (edition, name, key)
    for edition in editions:
        for name in pack.handouts():
            wanted.append((edition, output_name(name, edition, variant),
                           keys.handout(name, edition, variant, paper)))
        wanted.append((edition, output_name("pack", edition, variant),
                       keys.pack_key(edition, variant, paper)))
        if booklet:
            wanted.append((edition, output_name("pack", edition, variant, booklet=True),
                           keys.booklet(edition, variant, paper, BOOKLET_PAPER[paper])))
        if students and edition != "answers":
            wanted.append((edition, output_name("class", edition, variant), keys.class_set(
                edition, variant, paper, [s.variant or variant for s in students])))
    found = {name: store.get(key) for _, name, key in wanted}
    todo = [EditionJob(pack.root, theme, strict, (edition,), variant, paper, booklet,
                       class_list, tuple(n for e, n, _ in wanted if e == edition and not found[n]))
            for edition in editions]
    todo = [job for job in todo if job.names]
    session = lambda: _Session(pack, diags, theme, step, templating, students,  # noqa: E731
                               warm and warm.begin(keys))
    made_now = run_jobs(todo, session, step, jobs, executor)
    if warm and todo and (jobs <= 1 or len(todo) == 1) and executor is None:
        warm.end()
    result.rendered = [n for job in todo for n in job.names]
    made: dict[str, bytes] = {}
    outputs = []
    for _, name, key in wanted:
        if found[name]:
            data, pages = found[name]
        else:
            data, pages = made_now[name]
            store.put(key, data, pages)
        made[name] = data
        outputs.append((name, data, pages))
    store.evict()

    reading: dict[str, bytes] = {}
    if html:
        from .reading import reading_files
        step("reading version")
        reading = reading_files(templating, {
            k.name: templating.html(k.name, "complete")
            for k in kinds() if k.name in pack.handouts()},
            {k.name: templating.title(k.name) for k in kinds()})
    if not todo and _already_there(out_dir, {**made, **reading}):
        result.unchanged = True
        result.files = [Written(out_dir / n, p, len(d)) for n, d, p in outputs]
        _fail_on_errors(diags)
        return result

    staging = Staging(out_dir, pack.root, on_wait=on_step)
    with staging:               # left without commit() (an error, a signal): nothing changes
        for name, data, pages in outputs:
            written = Written(staging.add(name, data), pages, len(data))
            result.files.append(written)
            if on_file:
                on_file(written)
        for name, data in reading.items():
            staging.add(name, data)
        # Under the staging lock: the folder's other PDFs are the ones commit() carries over.
        from .download import download_files
        step("download page")
        for name, data in download_files(templating, made, out_dir, reading).items():
            staging.add(name, data)
        _fail_on_errors(diags)
        staging.commit()
    return result


def _already_there(folder: Path, files: dict[str, bytes]) -> bool:
    """Whether `folder` holds exactly these bytes under these names, and its download page."""
    from .download import PAGE

    if not (folder / PAGE).is_file():
        return False
    for name, data in files.items():
        try:
            if (folder / name).stat().st_size != len(data) or (folder / name).read_bytes() != data:
                return False
        except OSError:
            return False
    return True


def _edition_outputs(session: "_Session", job) -> list[tuple[str, bytes, int]]:
    """The files of `job.names` for the job's editions, laying out only what they need."""
    out = []
    for edition in job.editions:
        out += _one_edition(session, edition, job.variant, job.paper, set(job.names))
    return out


def _one_edition(session: "_Session", edition: str, variant: str, paper: str, names: set):
    out = []
    booklet_name = output_name("pack", edition, variant, booklet=True)
    if names & ({output_name(h, edition, variant) for h in list(session.pack.handouts())
                 + ["pack", "class"]}):
        rendered = session.laid_out(edition, variant, paper)
        for handout, doc, seed in rendered.handouts:
            name = output_name(handout, edition, variant)
            if name in names:
                out.append((name, session.renderer.write(doc, seed), len(doc.pages)))
        name = output_name("pack", edition, variant)
        if name in names:
            out.append((name, rendered.pdf(session.renderer), len(rendered.combined.pages)))
    if booklet_name in names:
        data, pages = session.booklet(edition, variant, paper)
        out.append((booklet_name, data, pages))
    name = output_name("class", edition, variant)
    if name in names:
        data, pages = session.class_set(edition, variant, paper, session.students)
        out.append((name, data, pages))
    return out


@dataclass
class _RenderedPack:
    handouts: list            # (name, WeasyPrint document, identifier seed)
    combined: object          # the joined document: handouts, blank versos, sources page
    blank: object             # a one-page document: "This page is intentionally left blank"
    seed: str
    _pdf: bytes | None = None

    def pdf(self, renderer) -> bytes:
        if self._pdf is None:
            self._pdf = renderer.write(self.combined, self.seed)
        return self._pdf


class _Session:
    """What one build renders, each (edition, variant, paper) laid out at most once."""

    def __init__(self, pack: Pack, diags: Diagnostics, theme: str | None, on_step,
                 templating: Templating | None = None, students=None, warm=None):
        from .pdf import Renderer
        from .themes import jail_of

        self.pack = pack
        self.diags = diags
        self.students = students
        self.templating = templating or Templating(pack, diags, theme)
        self.warm = warm.attach(self) if warm else None
        self.renderer = warm.renderer(self.templating.chain) if warm else \
            Renderer(jail_of(self.templating.chain))
        self.on_step = on_step or (lambda step: None)
        self._styles: dict[str, object] = {}
        self._packs: dict[tuple, _RenderedPack] = {}
        self._gaps: dict[tuple, tuple] = {}
        self._docs: dict[tuple, tuple] = {}

    def render(self, handout: str, edition: str, variant: str, paper: str):
        """(laid-out document, its HTML) for one handout."""
        fitting = kind(handout).fitting if handout in self.pack.handouts() else ""
        if fitting == "answer-lines" and edition != "answers":
            plan, laid_out = self._answer_line_plan(handout, edition, variant, paper)
            if laid_out is not None:
                return laid_out
            html = self.templating.html(handout, edition, variant, plan, paper=paper)
        elif edition in ("worksheet", "answers") and fitting == "gaps":
            plan, answers = self._gap_plan(handout, variant, paper)
            if edition == "answers" and answers is not None:
                return answers
            html = self.templating.html(handout, edition, variant, plan, paper=paper)
        else:
            html = self.templating.html(handout, edition, variant, paper=paper)
        return self._lay_out(handout, edition, html, variant, paper), html

    def _gap_plan(self, handout: str, variant: str, paper: str):
        """`fitting.gap_plan` for one handout, copy and paper, made once per session."""
        key = (handout, variant, paper)
        if key not in self._gaps:
            self._gaps[key] = fitting.gap_plan(
                lambda plan: self.templating.html(handout, "answers", variant, plan, paper=paper),
                lambda html: self._lay_out(handout, "answers", html, variant, paper))
        return self._gaps[key]

    def _answer_line_plan(self, handout: str, edition: str, variant: str, paper: str):
        """`fitting.answer_line_plan`, shared by the complete and worksheet editions (their exam
        pages are the same): (plan, (document, HTML) of this edition when laid out with it, or
        None)."""
        key = (f"{handout}-lines", variant, paper)
        if key not in self._gaps:
            starts = kind(handout).starts
            plan, laid_out = fitting.answer_line_plan(
                lambda plan: self.templating.html(handout, edition, variant, plan, paper=paper),
                lambda html: self._lay_out(handout, edition, html, variant, paper),
                starts(self.pack.content.get(handout)) if starts else {0})
            self._gaps[key] = (plan, edition, laid_out)
        plan, made_for, laid_out = self._gaps[key]
        return plan, laid_out if made_for == edition else None

    def _lay_out(self, handout: str, edition: str, html: str, variant: str, paper: str):
        from .styles import Stylesheets

        if paper not in self._styles:
            self._styles[paper] = Stylesheets(self.renderer, self.templating.chain,
                                              self.templating.settings, paper,
                                              self.templating.words)
        sheets = list(self._styles[paper].for_handout(handout, variant))
        if paper in BOOKLET_PAPER.values():
            sheets.append(self.renderer.css_string(booklet_css(), self.pack.root))
        return self.renderer.render(html, self.pack.root, sheets, f"{handout}-{edition}")

    def laid_out(self, edition: str, variant: str, paper: str,
                 booklet: bool = False) -> _RenderedPack:
        """The pack laid out; for a `booklet`, without the kinds its booklets leave out
        (`Kind.booklets`), each handout laid out once for both."""
        names = [n for n in self.pack.handouts()
                 if not booklet or edition in kind(n).booklets]
        booklet = booklet and len(names) < len(self.pack.handouts())
        key = (edition, variant, paper, booklet)
        if key not in self._packs:
            suffix = "".join(f", {x}" for x in (variant, paper) if x not in ("standard", "a4"))
            handouts, seeds = [], []
            for name in names:
                if (name, edition, variant, paper) not in self._docs:
                    self.on_step(f"{name}-{edition}{suffix}")
                    self._docs[(name, edition, variant, paper)] = self._checked(
                        name, edition, variant, paper)
                doc, html = self._docs[(name, edition, variant, paper)]
                handouts.append((name, doc, html))
                seeds.append(html)
            self.on_step(f"pack-{edition}{suffix}")
            parts = [(name, doc) for name, doc, _ in handouts]
            sources_html = ""
            if self.pack.manifest.sources:          # no empty Sources page
                sources, sources_html = self.render("sources", edition, variant, paper)
                parts.append(("sources", sources))
            blank = self.render("blank", edition, variant, paper)[0]
            front, front_html = self._front(parts, edition, variant, paper)
            from .pdf import join_documents

            combined = join_documents([front] + [d for _, d in parts], blank.pages[0])
            m = self.pack.manifest
            named = edition_label(self.templating.words, edition)
            combined.metadata.title = f"{m.title} – {named}"
            # The joined document starts from the first handout's metadata: describe the pack.
            combined.metadata.description = f"{m.subject}, {m.level}: {m.title} – {named}"
            combined.metadata.keywords = [k for k in (m.subject, m.exam_board, "revision pack") if k]
            self._packs[key] = _RenderedPack(handouts, combined, blank,
                                             front_html + "".join(seeds) + sources_html)
        return self._packs[key]

    def _checked(self, name: str, edition: str, variant: str, paper: str):
        """One handout laid out, (document, HTML), after its kind's layout check."""
        doc, html = self.warm.layout(name, edition, variant, paper) if self.warm \
            else self.render(name, edition, variant, paper)
        check_layout = kind(name).check_layout
        if check_layout is not None:
            # A kind with neither a file nor a derived model is checked with the pack itself.
            part = self.pack.handouts()[name]
            problems = check_layout(doc, Look(edition, variant, paper),
                                    part if part is not None else self.pack)
            if problems:
                raise RevpackError(diagnostics=list(problems))
        return doc, html

    def _front(self, parts: list, edition: str, variant: str, paper: str):
        """The pack's cover and contents (document, HTML): each part listed with the page of
        the pack it starts on, counted as `_join` places it (on an odd page)."""
        front_pages, front = 2, None
        for _ in range(3):                  # again if the contents runs to more pages
            contents, page = [], front_pages
            for name, doc in parts:
                page += 1 + page % 2        # the next odd page: after a blank verso if need be
                papers = []
                for title, anchor in self._contents_parts(name):
                    at = next((n for n, p in enumerate(doc.pages) if anchor in p.anchors), None)
                    if at is not None:
                        papers.append({"title": title, "page": page + at, "anchor": anchor})
                contents.append({"label": self.templating.title(name),
                                 "title": self._part_title(name), "page": page,
                                 "anchor": f"handout-{name}", "parts": papers})
                page += len(doc.pages) - 1
            html = self.templating.html("contents", edition, variant, contents=contents,
                                         paper=paper)
            front = self._lay_out("contents", edition, html, variant, paper)
            if len(front.pages) == front_pages:
                break
            front_pages = len(front.pages)
        return front, html

    def _part_title(self, name: str) -> str:
        part = self.pack.handouts().get(name)
        return getattr(part, "title", "") or (self.templating.title("sources")
                                              if name == "sources" else "")

    def _contents_parts(self, name: str) -> list[tuple[str, str]]:
        """(title, anchor) of each part a kind lists under it on the contents page."""
        if name not in self.pack.handouts() or kind(name).contents_parts is None:
            return []
        return list(kind(name).contents_parts(self.pack.content.get(name)))

    def booklet(self, edition: str, variant: str, paper: str) -> tuple[bytes, int]:
        """The pack laid out again on A5 (half-Letter), imposed two-up for a folded booklet.

        A modified copy's booklet keeps the A4 (Letter) pages and folds from A3 (Tabloid) sheets."""
        from .post import impose_booklet

        if variant != "standard":
            small = self.laid_out(edition, variant, paper, booklet=True)
            sheet = MODIFIED_SHEETS[paper]
        else:
            small = self.laid_out(edition, variant, BOOKLET_PAPER[paper], booklet=True)
            sheet = paper
        self.on_step(f"booklet ({edition})")
        m = self.pack.manifest
        return impose_booklet(small.pdf(self.renderer), self.renderer.write(small.blank, "blank"),
                              PAPERS[sheet].points(landscape=True), f"{m.title} – {edition_label(self.templating.words, edition)} "
                              f"{self.templating.words['booklet']}",
                              m.language)

    def class_set(self, edition: str, variant: str, paper: str, students) -> tuple[bytes, int]:
        """One copy of the pack per student, in their own variant, with their name stamped."""
        from .post import StampPlan, class_set, overlay_html

        plans: dict[str, StampPlan] = {}
        copies = []
        for student in students:
            v = student.variant or variant
            rendered = self.laid_out(edition, v, paper)
            if v not in plans:
                plans[v] = StampPlan.from_document(rendered.combined)
            copies.append((student, rendered.pdf(self.renderer), plans[v]))
        self.on_step(f"class set ({edition})")
        html = overlay_html(copies, self.pack.manifest.language, self.templating.settings)
        pages = sum(len(plan.layouts) for _, _, plan in copies)     # one per student and layout
        overlays = self.renderer.write(
            self.renderer.render(html, self.pack.root, [], "names", max_pages=pages + 1), html)
        m = self.pack.manifest
        blanks: dict[str, bytes] = {}
        for student in students:
            v = student.variant or variant
            if v not in blanks:
                blanks[v] = self.renderer.write(self.laid_out(edition, v, paper).blank, "blank")
        return class_set(copies, overlays, [blanks[s.variant or variant] for s in students],
                         f"{m.title} – {edition_label(self.templating.words, edition)} – "
                         f"{self.templating.words['class_set']}", m.language)
