"""Post-processing: takes finished pack PDFs, gives class sets (names stamped) and booklets (imposed).

Class sets are rendered once, not once per student. `stamp_spots` reads, from the laid-out pages,
where a name goes: every element marked `data-stamp="name"` or `data-stamp="class"` (the name
strip, the exam's candidate box) and the running header's line. One small overlay document holds
each student's text at those places; each overlay page becomes a Form XObject that is drawn on top
of the shared page content, so 30 copies cost little more than one (pypdf; the copies share every
page's content stream and differ only in a few bytes).

Booklets take a pack laid out again at A5 (or half-Letter), pad it with blank pages to a multiple
of four and impose it two pages per side on landscape A4 (or Letter) sheets in booklet order.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, TextStringObject,
)

PX_TO_PT = 0.75


@dataclass
class Spot:
    kind: str              # "name", "class" or "header"
    x: float               # CSS px from the page's left edge
    y: float               # CSS px from the page's top edge
    width: float
    height: float
    font_size: float       # CSS px


@dataclass
class PageSpots:
    width: float
    height: float
    spots: list[Spot] = field(default_factory=list)

    def key(self) -> tuple:
        return (round(self.width), round(self.height),
                tuple((s.kind, round(s.x), round(s.y), round(s.width)) for s in self.spots))


@dataclass
class StampPlan:
    """The distinct stamp layouts of a laid-out pack, and which layout each page uses (-1: none)."""

    layouts: list[PageSpots]
    page_layout: list[int]

    @classmethod
    def from_document(cls, document) -> "StampPlan":
        layouts: list[PageSpots] = []
        keys: list[tuple] = []
        page_layout = []
        for ps in stamp_spots(document):
            if not ps.spots:
                page_layout.append(-1)
                continue
            if ps.key() not in keys:
                layouts.append(ps)
                keys.append(ps.key())
            page_layout.append(keys.index(ps.key()))
        return cls(layouts, page_layout)


def stamp_spots(document) -> list[PageSpots]:
    """Where names go on each laid-out WeasyPrint page."""
    out = []
    for page in document.pages:
        ps = PageSpots(page.width, page.height)
        ends: dict[str, tuple] = {}
        for b in _descendants(page._page_box):
            el = getattr(b, "element", None)
            kind = el.get("data-stamp") if el is not None and hasattr(el, "get") else None
            if kind in ("name", "class") and _is_principal(b) and el is getattr(
                    b, "element", None) and getattr(b, "element_tag", "") != "":
                ps.spots.append(Spot(kind, b.content_box_x(), b.content_box_y(), b.width,
                                     b.height, float(b.style["font_size"])))
            if getattr(b, "at_keyword", None) in ("@top-left", "@top-right") and b.children:
                line = b.children[0]
                texts = [t for t in _descendants(line) if type(t).__name__ == "TextBox"]
                ends[b.at_keyword] = (
                    line, float(b.style["font_size"]),
                    min((t.position_x for t in texts), default=b.content_box_x() + b.width),
                    max((t.position_x + t.width for t in texts), default=b.content_box_x()))
        if "@top-left" in ends:
            # The name goes in the running header between the pack's title (left) and the
            # handout's name (right), so it never prints over either.
            line, size, _, left_end = ends["@top-left"]
            right_start = ends["@top-right"][2] if "@top-right" in ends else page.width
            ps.spots.append(Spot("header", left_end, line.position_y, right_start - left_end,
                                 line.height, size))
        # A box split across lines would appear twice: keep each element's first box.
        seen, unique = set(), []
        for spot in ps.spots:
            if spot.kind not in seen:
                seen.add(spot.kind)
                unique.append(spot)
        ps.spots = unique
        out.append(ps)
    # One header place per page size: after the longest title and before the longest handout
    # name, so that pages differing only in their handout's name share one stamp layout (a class
    # set renders one overlay page per student and layout).
    common: dict[tuple, tuple[float, float]] = {}
    for ps in out:
        for s in ps.spots:
            if s.kind == "header":
                key = (round(ps.width), round(ps.height))
                lo, hi = common.get(key, (s.x, s.x + s.width))
                common[key] = (max(lo, s.x), min(hi, s.x + s.width))
    for ps in out:
        for s in ps.spots:
            if s.kind == "header":
                lo, hi = common[(round(ps.width), round(ps.height))]
                s.x, s.width = lo, hi - lo
    return out


def _is_principal(box) -> bool:
    # The element's own block or inline box, not the line and text boxes inside it.
    return type(box).__name__ not in ("LineBox", "TextBox")


def _descendants(box):
    stack = [box]
    while stack:
        b = stack.pop()
        yield b
        stack.extend(reversed(getattr(b, "children", []) or []))


#: The smallest a stamped name is set to make it fit its place (CSS px; 6 pt).
MIN_STAMP_PX = 8.0
_ADVANCES: dict[bool, tuple] = {}


def _advances(bold: bool) -> tuple:
    """(advance widths by character, units per em) of the stamp font, Liberation Sans."""
    if bold not in _ADVANCES:
        from fontTools.ttLib import TTFont

        from .resources import resource_dir

        name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
        font = TTFont(resource_dir() / "styles" / "fonts" / name, lazy=True)
        metrics = font["hmtx"].metrics
        widths = {chr(code): metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        _ADVANCES[bold] = (widths, font["head"].unitsPerEm)
    return _ADVANCES[bold]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` set at `size` px in the stamp font. A character the font lacks (it
    is drawn by a fallback font) counts as a wide one, so the estimate errs on the safe side."""
    widths, em = _advances(bold)
    wide = 0.75 * em
    return sum(widths.get(ch, wide) for ch in text) * size / em


def _fit(text: str, size: float, room: float, bold: bool = False) -> float:
    """`size`, or smaller so that `text` fits in `room` px (never below MIN_STAMP_PX)."""
    width = text_width(text, size, bold)
    if room <= 0 or width <= room:
        return size
    return max(MIN_STAMP_PX, size * room / width)


def _font_css() -> str:
    from .resources import resource_dir

    fonts = resource_dir() / "styles" / "fonts"
    faces = [("Regular", "normal", "normal"), ("Bold", "bold", "normal")]
    return "".join(
        f'@font-face {{ font-family: "Revpack Name"; src: url("{(fonts / f"LiberationSans-{n}.ttf").as_uri()}"); '
        f"font-weight: {w}; font-style: {st}; }}" for n, w, st in faces)


def overlay_html(copies, language: str, theme_settings: dict) -> str:
    """One page per (student, layout), holding only the student's name and class at each spot."""
    pages, rules = [], []
    for student, _pdf, plan in copies:
        for layout in plan.layouts:
            n = len(pages)
            spans = []
            for s in layout.spots:
                text = student.class_name if s.kind == "class" else student.name
                if not text:
                    continue
                if s.kind == "header":
                    # Right-aligned before the handout's name, with a gap on both sides; a long
                    # name is set smaller rather than run into the title.
                    gap = 2.5 * s.font_size
                    room = s.width - 2 * gap
                    size = _fit(text, s.font_size, room, bold=True)
                    style = (f"left:{s.x + gap:.2f}px;width:{max(room, 0):.2f}px;"
                             f"top:{s.y + (s.height - size * 1.25) / 2:.2f}px;text-align:right;"
                             f"font-size:{size:.2f}px;font-weight:bold")
                else:
                    # In the field, above its rule, in one piece: smaller only if it must be.
                    size = _fit(text, max(s.font_size, 14.5), s.width - 6)
                    style = (f"left:{s.x + 3:.2f}px;top:{s.y + s.height - size * 1.25:.2f}px;"
                             f"font-size:{size:.2f}px")
                spans.append(f'<div class="stamp" style="{style}">{html.escape(text)}</div>')
            rules.append(f"@page p{n} {{ size: {layout.width:.2f}px {layout.height:.2f}px; "
                         "margin: 0 }")
            pages.append(f'<section class="sheet" style="page:p{n};width:{layout.width:.2f}px;'
                         f'height:{layout.height:.2f}px">{"".join(spans)}</section>')
    return (f'<!DOCTYPE html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>names</title><style>{_font_css()}{''.join(rules)}"
            'html,body{margin:0;padding:0}.sheet{position:relative;break-after:page;overflow:hidden}'
            '.stamp{position:absolute;white-space:nowrap;line-height:1.25;color:#000;'
            'font-family:"Revpack Name","DejaVu Sans",sans-serif}'
            f"</style></head><body>{''.join(pages)}</body></html>")


def _form_xobject(writer: PdfWriter, page: PageObject, tag: str):
    """A Form XObject that draws `page`'s content, with fonts renamed so they never clash."""
    content = page.get_contents()
    data = content.get_data() if content is not None else b""
    resources = page["/Resources"].get_object().clone(writer) if "/Resources" in page \
        else DictionaryObject()
    fonts = resources.get("/Font")
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            base = str(font.get("/BaseFont", ""))
            if len(base) > 8 and base[7] == "+":     # "/ABCDEF+Name": a subset tag
                font[NameObject("/BaseFont")] = NameObject(f"/{tag}+{base[8:]}")
    xobj = DecodedStreamObject()
    xobj.set_data(data)
    box = page.mediabox
    xobj.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom,
                                                                    box.right, box.top)]),
        NameObject("/Resources"): resources,
    })
    return writer._add_object(xobj)


def class_set(copies, overlays: bytes, blanks: list[bytes], title: str, language: str
              ) -> tuple[bytes, int]:
    """One copy per student (in `copies` order), each starting on an odd page, names stamped.

    `copies` holds (student, the pack PDF of their variant, its StampPlan); `overlays` has, for
    each copy in turn, one page per layout of its plan (as `overlay_html` makes them). `blanks`
    holds each copy's "intentionally left blank" page, in its variant: a copy that ends on an
    odd page is followed by its own blank verso (cream after a dyslexia-friendly copy).
    """
    writer = PdfWriter()
    readers: dict[int, PdfReader] = {}
    blank_pages: dict[int, PageObject] = {}
    over = PdfReader(io.BytesIO(overlays))
    first_overlay = 0
    for i, (_student, pdf, plan) in enumerate(copies):
        if id(pdf) not in readers:          # one reader per variant's pack, shared by its copies
            readers[id(pdf)] = PdfReader(io.BytesIO(pdf))
        reader = readers[id(pdf)]
        if len(writer.pages) % 2 == 1:      # the previous copy's blank verso
            before = blanks[i - 1]
            if id(before) not in blank_pages:
                blank_pages[id(before)] = PdfReader(io.BytesIO(before)).pages[0]
            writer.add_page(blank_pages[id(before)])
        xobjects: dict[int, object] = {}
        for page_no, page in enumerate(reader.pages):
            added = writer.add_page(page)
            layout = plan.page_layout[page_no]
            if layout < 0:
                continue
            if layout not in xobjects:
                n = first_overlay + layout
                xobjects[layout] = _form_xobject(writer, over.pages[n], _subset_tag(n))
            _draw_on(writer, added, xobjects[layout], f"/RevpackName{layout}")
        first_overlay += len(plan.layouts)
    return _finish(writer, title, language)


def _subset_tag(n: int) -> str:
    """Six capital letters, unique per overlay page, as PDF subset tags must be."""
    letters = ""
    for _ in range(6):
        n, r = divmod(n, 26)
        letters = chr(ord("A") + r) + letters
    return "R" + letters[1:]


def _finish(writer: PdfWriter, title: str, language: str) -> tuple[bytes, int]:
    """The PDF's bytes and page count, with its title and language set."""
    writer.add_metadata({"/Title": title, "/Producer": "revpack"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(language)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue(), len(writer.pages)


def _draw_on(writer: PdfWriter, page: PageObject, xobject_ref, name: str) -> None:
    """Draw a Form XObject on top of a page without touching its shared content or resources."""
    resources = page["/Resources"].get_object()
    new_res = DictionaryObject(resources)      # a shallow copy: the original is shared by copies
    xobjs = DictionaryObject(resources["/XObject"].get_object()) if "/XObject" in resources \
        else DictionaryObject()
    xobjs[NameObject(name)] = xobject_ref
    new_res[NameObject("/XObject")] = xobjs
    page[NameObject("/Resources")] = new_res
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"\nQ\nq {name} Do Q\n".encode("ascii"))
    contents = page.get("/Contents")
    parts = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) \
        else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before)] + parts + [writer._add_object(after)])


# --- booklets ------------------------------------------------------------------------------------

def booklet_order(n: int) -> list[tuple[int, int]]:
    """(left, right) 0-based page pairs for each sheet side, for `n` pages (a multiple of 4).

    Side 1 of sheet 1 carries the last page and the first; side 2 the second and the one before
    the last; and so on, for duplex printing flipped on the short edge.
    """
    assert n % 4 == 0
    sides = []
    for s in range(n // 4):
        sides.append((n - 1 - 2 * s, 2 * s))          # front: last, first
        sides.append((2 * s + 1, n - 2 - 2 * s))      # back: second, second-last
    return sides


def impose_booklet(pdf: bytes, blank: bytes | None, sheet: tuple[float, float], title: str,
                   language: str) -> tuple[bytes, int]:
    """Impose small pages two-up on landscape sheets, each page centred in its half.

    Returns (PDF, number of sheet sides)."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = list(reader.pages)
    sheet_w, h = sheet
    w = sheet_w / 2
    filler = PdfReader(io.BytesIO(blank)).pages[0] if blank else None
    while len(pages) % 4:
        pages.append(filler)
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        side = writer.add_blank_page(width=sheet_w, height=h)
        for slot, index in ((0, left), (1, right)):
            page = pages[index]
            if page is None:
                continue
            pw, ph = float(page.mediabox.width), float(page.mediabox.height)
            t = Transformation()
            if pw > ph:                                  # a landscape page turns into the slot
                t = t.rotate(90).translate(ph, 0)
                pw, ph = ph, pw
            t = t.translate(slot * w + (w - pw) / 2, (h - ph) / 2)
            side.merge_transformed_page(page, t)
    return _finish(writer, title, language)
