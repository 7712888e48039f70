"""PDF: takes HTML and stylesheets, gives laid-out WeasyPrint documents and tagged PDF bytes.

WeasyPrint is imported here only, and lazily, so `revpack --help` and `revpack check` never pay
for it. One FontConfiguration serves a whole build. The URL fetcher is jailed: it serves `file:`
URLs inside the pack and theme folders and refuses everything else, network included, so even a
hostile stylesheet cannot read the disk or reach a server. Each layout and each PDF written has
a wall-clock limit, and whatever goes wrong inside WeasyPrint is reported as an error about the
handout, at its file, not as a crash.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import hashlib
import io
import math
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import tagging
from .css_checks import check_stylesheet
from .diagnostics import Diagnostic, Location, RevpackError, display_path, show
from .handouts import is_kind, kind
from .source import MANIFEST, _size_pair
from .timer import TooSlow, time_limit

#: The timestamp written into embedded fonts (2020-01-01), so builds are byte-identical.
FIXED_EPOCH = "1577836800"

#: A handout longer than this is an error: it means runaway content, not a revision handout.
#: Layout stops as soon as it is passed, so a runaway handout costs the time of MAX_PAGES pages.
MAX_PAGES = 300

#: The longest one handout may take to lay out, or to write as a PDF. Real handouts take a few
#: seconds; anything the stylesheet checks miss (columns through var(), deep nesting…) is stopped.
LAYOUT_SECONDS = 120.0

PANGO_HELP = (
    "revpack needs the Pango text library, which WeasyPrint uses to lay out text, and it was not "
    "found. Install it, then run revpack again. Debian/Ubuntu: sudo apt install libpango-1.0-0 "
    "libpangoft2-1.0-0 · macOS (Homebrew): brew install pango · Windows: install MSYS2 from "
    "https://www.msys2.org and run 'pacman -S mingw-w64-x86_64-pango', or use WSL. "
    "See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)


def import_weasyprint():
    """WeasyPrint, or one paragraph saying how to install what it needs."""
    try:
        # WeasyPrint prints its own multi-line notice before failing on a missing library;
        # the paragraph below replaces it.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError as exc:  # a missing shared library (libpango, libgobject…)
        raise RevpackError(diagnostics=[Diagnostic(
            None, "error", PANGO_HELP + f" (detail: {show(exc, 200)})")]) from None
    except ImportError as exc:
        raise RevpackError(diagnostics=[Diagnostic(
            None, "error", f"WeasyPrint, which revpack uses to make PDFs, is not installed "
            f"({show(exc, 120)}); install revpack again with pip, or run: pip install weasyprint")
        ]) from None
    return weasyprint


def slow_subsetting() -> bool:
    """Whether libharfbuzz-subset is missing, so that WeasyPrint subsets fonts with fontTools
    instead: slower (about 8% of a build), and WeasyPrint says nothing about it."""
    import ctypes.util

    return ctypes.util.find_library("harfbuzz-subset") is None


#: The page limit of the layout running in this context (None: no limit).
_page_limit: contextvars.ContextVar[int | None] = contextvars.ContextVar("page_limit",
                                                                        default=None)


class _TooManyPages(Exception):
    pass


def _install_page_limit() -> None:
    """Make WeasyPrint's page maker stop once a layout passes the current page limit.

    WeasyPrint lays out every page before returning any; without this, a runaway handout would
    take the time and memory of all its pages before the limit could be checked. If a future
    WeasyPrint moves this function, the limit is still checked after layout.
    """
    import weasyprint.layout as layout

    original = getattr(layout, "make_all_pages", None)
    if original is None or getattr(original, "_revpack_limited", False):
        return

    def make_all_pages(*args, **kwargs):
        limit = _page_limit.get()
        for count, page in enumerate(original(*args, **kwargs), start=1):
            if limit is not None and count > limit:
                raise _TooManyPages(count)
            yield page

    make_all_pages._revpack_limited = True
    layout.make_all_pages = make_all_pages


class Renderer:
    """Renders many documents with one font configuration and one jailed fetcher."""

    def __init__(self, jail):
        """`jail`: the build's `Jail` (or, for tests and tools, a list of folders to allow)."""
        from .jail import Jail

        wp = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        _install_page_limit()
        tagging.install()

        self.wp = wp
        self.fonts = FontConfiguration()
        self.jail = jail if isinstance(jail, Jail) else Jail(roots=jail)
        self.refused: list[str] = []
        self.fetcher = _make_jailed_fetcher(wp, self.jail, self.refused)
        self._css_cache: dict[tuple, object] = {}
        # What each laid-out document and page is (label, base), to name it if writing fails.
        self._made: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def stylesheet(self, path: Path):
        """A stylesheet file, refused with its `path:line` if it holds absurd sizes or leads out
        of the jail. WeasyPrint is given its text, never its name: it would open the file itself,
        past the jailed fetcher."""
        path = Path(path)
        real = self.jail.check(path)
        key = (str(path), real.stat().st_mtime_ns)
        if key not in self._css_cache:
            check_stylesheet(path)
            self._css_cache[key] = self.wp.CSS(string=real.read_text(encoding="utf-8"),
                                               base_url=str(path), url_fetcher=self.fetcher,
                                               font_config=self.fonts)
        return self._css_cache[key]

    def css_string(self, text: str, base: Path):
        return self.wp.CSS(string=text, base_url=str(base) + "/", url_fetcher=self.fetcher,
                           font_config=self.fonts)

    def render(self, html: str, base: Path, stylesheets: list, label: str,
               max_pages: int | None = None):
        """Lay out one document; `label` is `<handout>-<edition>` (or another name for it).

        `max_pages` is for documents revpack itself makes that are not handouts (the page of
        names a class set stamps, one per student and page layout)."""
        where = _where(label, base)
        max_pages = MAX_PAGES if max_pages is None else max_pages
        doc = self.wp.HTML(string=html, base_url=str(base) + "/", url_fetcher=self.fetcher)
        token = _page_limit.set(max_pages)
        try:
            with time_limit(LAYOUT_SECONDS):
                rendered = doc.render(stylesheets=stylesheets, font_config=self.fonts,
                                      pdf_variant="pdf/ua-1", pdf_tags=True)
        except TooSlow as exc:
            raise _render_error(_stopped_at(where, exc), label, f"could not be laid out in "
                                f"{_seconds()} and was stopped", _too_slow_hint(stylesheets)) \
                from None
        except _TooManyPages:
            raise _render_error(where, label, f"runs to more than {max_pages} pages, the limit for "
                                "one handout", "is some content repeated or runaway? Split "
                                "long handouts between packs") from None
        except RecursionError:
            raise _render_error(where, label, "is nested too deeply to lay out",
                                "check the theme's templates and the content for elements "
                                "inside one another hundreds of times") from None
        except self.wp.urls.FatalURLFetchingError as exc:
            raise _render_error(where, label, f"could not be laid out: {exc}", "") from None
        except RevpackError:
            raise
        except Exception as exc:
            # What a stylesheet with absurd values (a 1e30px font, a 3000px font on everything,
            # say) does to the layout engine: an overflow, or an IndexError deep inside it.
            raise _render_error(where, label, f"could not be laid out: the layout engine failed "
                                f"({type(exc).__name__}: {show(exc, 80)})",
                                SIZES_HINT) from None
        finally:
            _page_limit.reset(token)
        if len(rendered.pages) > max_pages:
            raise _render_error(where, label, f"runs to {len(rendered.pages)} pages, over the "
                                f"limit of {max_pages} for one handout", "is some content "
                                "repeated or runaway? Split long handouts between packs")
        self._made[rendered] = (label, base)
        for page in rendered.pages:
            self._made[page] = (label, base)
        return rendered

    def write(self, document, identifier_seed: str) -> bytes:
        """Tagged PDF/UA-1 bytes; the file identifier is derived from the content, not the clock."""
        ident = hashlib.md5(identifier_seed.encode("utf-8")).hexdigest().encode("ascii")
        # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set.
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = saved or FIXED_EPOCH
        refused = len(self.refused)
        try:
            with time_limit(LAYOUT_SECONDS), tagging.writing():
                data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                                          pdf_identifier=ident, uncompressed_pdf=False)
                return tagging.finish(data)
        except TooSlow:
            label, base = self._made_as(document)
            raise _render_error(_where(label, base), label, f"could not be written as a PDF in "
                                f"{_seconds()} and was stopped",
                                _too_slow_hint(())) from None
        except self.wp.urls.FatalURLFetchingError as exc:
            # A file attached with <link rel="attachment"> or <a rel="attachment"> is fetched only
            # now; the jailed fetcher has refused it.
            url = self.refused[-1] if len(self.refused) > refused else None
            label, base = self._made_as(document, url)
            raise _render_error(_where(label, base), label, f"could not be written: "
                                f"{show(exc, 200)}", "a rel=\"attachment\" link in the theme's "
                                "templates names that file; remove the link, or attach a file "
                                "inside the pack or theme folder") from None
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]

    def _made_as(self, document, url: str | None = None) -> tuple[str, Path | None]:
        """(label, base) of a document about to be written, for an error about it.

        A joined document (the combined pack) is not laid out itself: it is named after the page
        linking `url` if any, else as the pack of its first page's edition."""
        pages = [p for p in getattr(document, "pages", []) if p in self._made]
        for page in pages:
            if url and any(link[0] == "attachment" and link[1] == url
                           for link in getattr(page, "links", ())):
                return self._made[page]
        if document in self._made:
            return self._made[document]
        if pages:
            label, base = self._made[pages[0]]
            if url:                 # its metadata (with <link rel="attachment">) is the first's
                return label, base
            return "pack-" + label.partition("-")[2], base
        return "pack", None


def _seconds() -> str:
    return f"{LAYOUT_SECONDS:g} second" + ("" if LAYOUT_SECONDS == 1 else "s")


def _too_slow_hint(stylesheets) -> str:
    """What probably made a layout run out of time: a stylesheet only if the layout used one that
    is not revpack's own, else the content."""
    own = _own_stylesheets(stylesheets)
    if own:
        return (f"a stylesheet ({', '.join(own[:3])}{', …' if len(own) > 3 else ''}) or the "
                "content probably asks for something extreme: many or very narrow columns, huge "
                "sizes, elements nested hundreds deep, or a very long table")
    return ("something in this file is extreme for the layout engine: a very long table, or "
            "lists, quotations or tables nested deeply; shorten it or split it")


def _own_stylesheets(stylesheets) -> list[str]:
    """The stylesheet files among `stylesheets` that a theme or the pack brought."""
    from .diagnostics import display_path
    from .resources import resource_dir

    builtin = [resource_dir() / "styles", resource_dir() / "themes"]
    own = []
    for sheet in stylesheets:
        url = str(getattr(sheet, "base_url", None) or "")
        if not url.endswith(".css"):
            continue                  # revpack's own settings, paper and booklet rules
        path = Path(unquote(urlparse(url).path)) if url.startswith("file:") else Path(url)
        if not any(root == path or root in path.parents for root in builtin):
            own.append(display_path(path))
    return own


def _stopped_at(where: Location | None, stopped: BaseException) -> Location | None:
    """`where` (a handout's file) with the line of the text WeasyPrint was laying out when the
    timer stopped it, when a word of that text occurs on one line of the file only."""
    if where is None or where.path.suffix != ".md":
        return where
    texts = []
    tb = stopped.__traceback__
    while tb is not None:                 # WeasyPrint's boxes and Pango layouts carry `.text`
        for value in list(tb.tb_frame.f_locals.values()):
            try:
                text = getattr(value, "text", None)
            except Exception:             # a property that fails: nothing to learn from it
                continue
            if isinstance(text, str):
                texts.append(text)
        tb = tb.tb_next
    try:
        lines = where.path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return where
    for text in reversed(texts):                  # the innermost first
        for word in sorted(set(text.split()), key=len, reverse=True)[:5]:
            found = [n for n, line in enumerate(lines, 1) if word in line]
            if len(word) >= 6 and len(found) == 1:
                return where.at(found[0])
    return where


SIZES_HINT = ("a stylesheet probably sets a size far too large or small; check font-size, width, "
              "margin, padding and letter-spacing in the theme's and the pack's CSS")


@dataclass
class GapFit:
    """How the answers of a laid-out answers edition sit in their gaps."""

    short: dict[int, tuple]        # gap index → (lines it needs, line pitch in mm)
    split: set[int]                # gaps broken between pages or running off one (too tall)
    tall: set[int]                 # gaps taller than `share` of a page
    page_body_mm: float            # the height of the shortest page's content area


def fit_gaps(document, share: float = 1.0) -> GapFit:
    """Measure every answer gap (`data-gap`, `data-lines`) of a laid-out answers edition.

    A gap has a fixed height of `data-lines` ruled lines; its answer is laid out in full even
    where the box clips it, so the last line box shows how much height the answer needs."""
    from weasyprint.formatting_structure import boxes

    def walk(box):                            # descendants(), but into positioned boxes too
        yield box
        for child in getattr(box, "children", None) or ():
            yield from walk(child)

    seen: dict[int, list] = {}
    body = min((page._page_box.height for page in document.pages), default=0.0)
    for page in document.pages:
        for box in walk(page._page_box):
            element = getattr(box, "element", None)
            if (not isinstance(box, boxes.BlockBox) or element is None
                    or "gap-answer" not in (element.get("class") or "").split()):
                continue
            try:
                index, lines = int(element.get("data-gap")), int(element.get("data-lines"))
            except (TypeError, ValueError):
                continue                      # a theme's own gap markup: nothing to measure
            seen.setdefault(index, []).append((box, lines))
            page_bottom = page._page_box.content_box_y() + page._page_box.height
            if box.border_box_y() + box.border_height() > page_bottom + 0.5:
                seen[index].append(None)      # it runs off the page: as bad as a split
    short, split, tall = {}, set(), set()
    for index, fragments in seen.items():
        if len(fragments) != 1:
            split.add(index)
            continue
        box, lines = fragments[0]
        if box.border_height() > share * body + 0.5:
            tall.add(index)
        bottom = max((line.position_y + line.height for line in walk(box)
                      if isinstance(line, boxes.LineBox)), default=None)
        height = box.border_height()
        if bottom is None or lines < 1 or height <= 0:
            continue
        needed = bottom - box.border_box_y() + box.padding_bottom + box.border_bottom_width
        if needed > height + 0.5:             # half a CSS pixel of rounding is not a clash
            pitch = height / lines
            short[index] = (math.ceil(needed / pitch - 0.01), pitch * 25.4 / 96)
    return GapFit(short, split, tall, body * 25.4 / 96)


@dataclass
class LineTail:
    """A question whose answer lines end on a page that they leave nearly empty."""

    lines: int                     # its answer lines in all
    on_last_page: int              # how many of them are on that last page
    room: int                      # how many more lines would fit under the page's content
    fits_a_page: bool = False      # the whole question would fit on one page


def answer_line_tails(document, share: float = 0.45) -> dict[int, LineTail]:
    """Questions (`data-question`) of a laid-out exam whose answer lines run on to a page where
    they start at the top and the page's content ends less than `share` of the way down: a few
    carried-over lines, then nothing (the paper ends, or the next question did not fit)."""
    from weasyprint.formatting_structure import boxes

    def walk(box, question=None):
        element = getattr(box, "element", None)
        if element is not None and element.get("data-question") is not None \
                and "question" in (element.get("class") or "").split():
            question = int(element.get("data-question"))
        yield box, question
        for child in getattr(box, "children", None) or ():
            if not isinstance(child, boxes.MarginBox):
                yield from walk(child, question)

    seen: dict[int, list] = {}             # question → [(page number, box)] of its lines
    tall: dict[int, float] = {}            # question → the height of all its fragments
    pages = []                             # (top, body height, content bottom)
    for number, page in enumerate(document.pages):
        top = page._page_box.content_box_y()
        bottom = top
        for box, question in walk(page._page_box):
            if isinstance(box, (boxes.PageBox, boxes.MarginBox)):
                continue
            element = getattr(box, "element", None)
            if element is not None and element.get("data-question") is not None \
                    and isinstance(box, boxes.BlockBox) and element.tag == "section":
                tall[question] = tall.get(question, 0.0) + box.margin_height()
            is_line = "answer-line" in ((getattr(box, "element", None) is not None
                                         and box.element.get("class")) or "").split()
            if isinstance(box, boxes.LineBox) or is_line:
                bottom = max(bottom, box.border_box_y() + box.border_height())
            if is_line and isinstance(box, boxes.BlockBox) and question is not None:
                seen.setdefault(question, []).append((number, box))
        pages.append((top, page._page_box.height, bottom))
    tails = {}
    for question, found in seen.items():
        last = found[-1][0]
        on_last = [box for number, box in found if number == last]
        if len(on_last) == len(found):
            continue                       # all on one page: not carried over
        top, height, bottom = pages[last]
        if bottom - top >= share * height:
            continue
        pitch = on_last[0].border_height()
        room = int((top + height - bottom) // pitch) if pitch > 0 else 0
        tails[question] = LineTail(len(found), len(on_last), room,
                                   tall.get(question, float("inf")) <= height)
    return tails


def _make_jailed_fetcher(wp, jail, refused: list[str]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class JailedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path))
                if jail.allows(path):
                    if path.is_file():
                        _refuse_bad_image(path)
                        try:
                            body = jail.read_bytes(path)
                        except RevpackError as exc:     # WeasyPrint would swallow it
                            why = exc.diagnostics[0]
                            raise FatalURLFetchingError(f"{display_path(path)}: {why.message}"
                                                        f" ({why.hint})") from None
                        return URLFetcherResponse(url, body=body,
                                                  headers={"Content-Type": _mime(path)})
                    refused.append(url)
                    raise FatalURLFetchingError(f"'{show(url, 120)}' not found")
            refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch '{show(url, 120)}': revpack only "
                                        "reads files inside the pack and theme folders, and "
                                        "nothing from the network")

    return JailedFetcher()


def _refuse_bad_image(path: Path) -> None:
    """Stop on an image WeasyPrint would leave out with only a log line (see images.py).

    Content images and logos are checked before rendering, at the line that names them; this
    catches the rest, such as a picture a theme's stylesheet uses."""
    from weasyprint.urls import FatalURLFetchingError

    why = fetch_problem(path)
    if why:
        raise FatalURLFetchingError(why)


def fetch_problem(path: Path) -> str:
    """Why the fetcher would refuse the file at `path`, "" if it would serve it: an image that is
    damaged or too big (images.py), a file over the jail's read limit. `revpack check` asks the
    same of each URL in a stylesheet, so that it refuses what a build refuses."""
    from .images import image_problem
    from .jail import MAX_READ_BYTES

    why = image_problem(path) if _mime(path).startswith("image/") else ""
    if why:
        return f"image '{display_path(path)}' {why}"
    size = path.stat().st_size
    if size > MAX_READ_BYTES:
        size_text, limit = _size_pair(size, MAX_READ_BYTES)
        return f"'{display_path(path)}' is {size_text}, over the {limit} limit for one file " \
               "revpack reads"
    return ""


def _mime(path: Path) -> str:
    return {
        ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".svg": "image/svg+xml", ".gif": "image/gif", ".ttf": "font/ttf", ".otf": "font/otf",
        ".woff": "font/woff", ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")


def _where(label: str, base: Path | None) -> Location | None:
    """The file a render is about: the handout's own file, else pack.yaml (if it exists)."""
    if base is None:
        return None
    handout = label.split("-", 1)[0]
    name = (kind(handout).file if is_kind(handout) else None) or MANIFEST
    path = Path(base) / name
    return Location(path) if path.exists() else None


_NAMES = {"pack": "the combined pack", "sources": "the sources page"}   # besides the kinds


def _render_error(where: Location | None, label: str, problem: str, hint: str) -> RevpackError:
    handout, _, edition = label.partition("-")
    what = kind(handout).label if is_kind(handout) else _NAMES.get(handout, f"the {handout} page")
    what += f" ({edition} edition)" if edition else ""
    return RevpackError(diagnostics=[Diagnostic(where, "error", f"{what} {problem}", hint)])


def join_documents(documents: list, blank_page):
    """One document of several laid-out ones, each starting on an odd page (duplex-safe)."""
    pages = []
    for doc in documents:
        if len(pages) % 2 == 1:
            pages.append(blank_page)
        pages.extend(doc.pages)
    joined = documents[0].copy(pages)
    joined.metadata = copy.copy(documents[0].metadata)   # copy() shares it with the first handout
    return joined
