"""Page audit of built PDFs, as a reader sees the printed page: takes a PDF file, gives findings.

The four checks of issue 11, one finding per page and kind (`file: page N: kind: detail`):

hidden      characters whose glyphs never reach the printed page: painted over by a box or a
            later cell, clipped away, set in the paper's colour, or placed off the page.
near-empty  a page whose content ends less than 45% of the way down the space between the
            running header and footer. Exempt: the first and last page of the file, the first
            and last page of each part (from the file's top-level bookmarks), and pages that say
            they are intentionally left blank.
split-name  a capitalised word (a name) hyphenated at the end of a line.
small-text  with `min_pt`: characters set smaller than min_pt points (large-print copies).

How hidden text is found: each page is rendered three times with pdfium (as printed; its text
alone, drawn black whatever its colour; its graphics alone). Where a glyph has ink on the
text-only page (drawn without clipping), the printed page should differ from the graphics-only page; a glyph whose ink
pixels mostly look the same on both was covered, clipped or drawn in the paper's colour.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import ImageChops
from pypdf import PdfReader, PdfWriter

DPI = 100
#: A pixel darker than this on the text-only page is ink.
INK_LEVEL = 160
#: Grey levels closer than this count as the same pixel on two renders.
SAME_LEVEL = 12
#: A glyph is hidden when more than this share of its ink pixels show nothing of it.
HIDDEN_SHARE = 0.5
#: The running header and footer lie outside these shares of the page's height.
BODY_TOP, BODY_BOTTOM = 0.08, 0.92
NEAR_EMPTY_SHARE = 0.45
#: WeasyPrint's hyphenation character (U+2010), as opposed to a hyphen typed in the text.
SOFT_HYPHEN_MARK = "\u2010"
#: Leading punctuation that may come before a name at a line end: ( “ ‘ " '
OPENERS = "(\u201c\u2018\"'"

BLACK, WHITE = (0, 0, 0, 255), (255, 255, 255, 255)
GLYPHS_IN_BLACK = pdfium.PdfColorScheme(path_fill=WHITE, path_stroke=WHITE, text_fill=BLACK,
                                        text_stroke=BLACK)

KINDS = ("hidden", "near-empty", "split-name", "small-text")


@dataclass(frozen=True)
class Finding:
    file: str
    page: int            # counted from 1
    kind: str            # one of KINDS
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: page {self.page}: {self.kind}: {self.detail}"


def audit_pdf(path: Path | str, min_pt: float = 0.0, name: str | None = None) -> list[Finding]:
    """Every finding for one PDF, in page order. `name` is how the file is named in findings."""
    path = Path(path)
    data = path.read_bytes()
    label = name or str(path)
    short_ok = _pages_allowed_short(data)
    findings: list[Finding] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf, _Renderer(data) as renders:
        last = len(pdf.pages) - 1
        for i, page in enumerate(pdf.pages):
            found = [
                ("hidden", _hidden(page, renders, i)),
                ("split-name", _split_names(page)),
                ("small-text", _small_text(page, min_pt) if min_pt else None),
                ("near-empty", None if i in short_ok or i == last else _near_empty(page)),
            ]
            findings += [Finding(label, i + 1, kind, detail) for kind, detail in found if detail]
    return findings


def counts(findings: list[Finding]) -> dict[str, int]:
    """Findings per kind, every kind present (0 when none)."""
    c = Counter(f.kind for f in findings)
    return {k: c[k] for k in KINDS}


def report(findings: list[Finding]) -> str:
    """One line per finding, then a count per kind: readable as a test failure message."""
    c = counts(findings)
    return "\n".join([str(f) for f in findings]
                     + [f"{len(findings)} findings: " + ", ".join(f"{k} {n}" for k, n in c.items())])


# --- rendering ----------------------------------------------------------------------------------

class _Renderer:
    """A page's three renders (printed, text only, graphics only) as greyscale PIL images."""

    def __init__(self, data: bytes):
        text = pdfium_c.FPDF_PAGEOBJ_TEXT
        # (document, object type kept or None, object type dropped or None, colours)
        # Text alone is drawn unclipped and black, whatever its colour, so that text clipped
        # away or set in the paper's colour still shows where its glyphs are.
        self.renders = [(pdfium.PdfDocument(data), None, None, None),
                        (pdfium.PdfDocument(_without_clipping(data)), text, None, GLYPHS_IN_BLACK),
                        (pdfium.PdfDocument(data), None, text, None)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for doc, *_ in self.renders:
            doc.close()

    def page(self, index: int) -> tuple:
        images = []
        for doc, keep, drop, colours in self.renders:
            page = doc[index]
            if keep is not None or drop is not None:
                _remove_objects(page, keep, drop)
            bitmap = page.render(scale=DPI / 72, grayscale=True, color_scheme=colours)
            images.append(bitmap.to_pil().convert("L"))
            page.close()
        return tuple(images)


def _without_clipping(data: bytes) -> bytes:
    """The PDF with every clipping operator removed (for the text-only render: a glyph clipped
    away still shows where its ink would be)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    seen: set[int] = set()
    for page in writer.pages:
        contents = page.get_contents()
        if contents is not None:
            contents.set_data(_unclipped(contents.get_data()))
            page.replace_contents(contents)
        _unclip_forms(page, seen)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: `W` or `W*` standing alone as an operator. WeasyPrint writes text as hex strings, so the
#: token cannot be inside a string (parsing every operator instead costs a fifth of the audit).
CLIP_OPERATOR = re.compile(rb"(?<![^\s])W\*?(?=\s)")


def _unclipped(content: bytes) -> bytes:
    return CLIP_OPERATOR.sub(b"", content)


def _unclip_forms(holder, seen: set) -> None:
    resources = holder.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources else None
    for ref in (xobjects.get_object().values() if xobjects else ()):
        form = ref.get_object()
        if form.get("/Subtype") == "/Form" and id(form) not in seen:
            seen.add(id(form))
            form.set_data(_unclipped(form.get_data()))
            _unclip_forms(form, seen)


def _unwanted(kind: int, keep: int | None, drop: int | None) -> bool:
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        return False                      # a form is a container: filter what is inside it
    return kind == drop if drop is not None else kind != keep


def _remove_objects(page, keep, drop) -> None:
    changed = False
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            changed |= _filter_form(obj.raw, keep, drop)
        elif _unwanted(obj.type, keep, drop):
            page.remove_obj(obj)
            obj.close()
            changed = True
    if changed:
        page.gen_content()


def _filter_form(form, keep, drop) -> bool:
    changed = False
    for j in reversed(range(pdfium_c.FPDFFormObj_CountObjects(form))):
        child = pdfium_c.FPDFFormObj_GetObject(form, j)
        kind = pdfium_c.FPDFPageObj_GetType(child)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            changed |= _filter_form(child, keep, drop)
        elif _unwanted(kind, keep, drop):
            pdfium_c.FPDFFormObj_RemoveObject(form, child)
            pdfium_c.FPDFPageObj_Destroy(child)
            changed = True
    return changed


#: Grey-level tables for PIL's Image.point: 255 where the test holds, else 0.
INK_TABLE = [255 if v < INK_LEVEL else 0 for v in range(256)]
SAME_TABLE = [255 if v < SAME_LEVEL else 0 for v in range(256)]


# --- the four checks ----------------------------------------------------------------------------

def _hidden(page, renders: _Renderer, index: int) -> str | None:
    if not page.chars:
        return None
    printed, text_only, graphics_only = renders.page(index)
    ink = text_only.point(INK_TABLE)
    unchanged = ImageChops.difference(printed, graphics_only).point(SAME_TABLE)
    hidden_ink = ImageChops.multiply(ink, unchanged)      # ink pixels the glyphs left no mark on
    width, height = printed.size
    scale = width / float(page.width)
    hidden = []
    for char in page.chars:
        if not char["text"].strip() or char["size"] < 4:
            continue                      # spaces, and marks too small to see (tagging artefacts)
        x0, x1 = int(char["x0"] * scale), int(char["x1"] * scale) + 1
        y0, y1 = int(char["top"] * scale), int(char["bottom"] * scale) + 1
        if x1 <= 0 or y1 <= 0 or x0 >= width or y0 >= height:
            hidden.append(char["text"])   # off the page
            continue
        box = (max(x0, 0), max(y0, 0), min(x1, width), min(y1, height))
        inked = ink.crop(box).histogram()[255]
        if inked >= 3 and hidden_ink.crop(box).histogram()[255] > HIDDEN_SHARE * inked:
            hidden.append(char["text"])
    if hidden:
        return f"{len(hidden)} characters hidden: {''.join(hidden)[:60]!r}"
    return None


def split_name(line: str) -> str | None:
    """The capitalised word hyphenated at the end of `line`, if there is one."""
    line = line.rstrip()
    if not line.endswith(SOFT_HYPHEN_MARK):
        return None
    word = line[:-1].split()[-1] if line[:-1].split() else ""
    word = word.lstrip(OPENERS)
    if len(word) >= 2 and word[0].isupper() and word[-1].islower():
        return word + SOFT_HYPHEN_MARK
    return None


def _split_names(page) -> str | None:
    names = [n for line in (page.extract_text() or "").splitlines() if (n := split_name(line))]
    if names:
        return f"{len(names)} names split at a line end: " + ", ".join(names[:6])
    return None


def _small_text(page, min_pt: float) -> str | None:
    chars = [c for c in page.chars if c["text"].strip()]
    small = [c for c in chars if c["size"] < min_pt - 0.05]
    if small:
        return (f"{len(small)} of {len(chars)} characters ({len(small) / len(chars):.0%}) under "
                f"{min_pt:g} pt, smallest {min(c['size'] for c in small):.1f} pt")
    return None


BLANK_MARK = re.compile(r"intentionally\s+left\s+blank", re.IGNORECASE)


def _near_empty(page) -> str | None:
    top, bottom = page.height * BODY_TOP, page.height * BODY_BOTTOM

    def in_body(obj) -> bool:
        return obj["top"] > top and obj["bottom"] < bottom

    words = [w for w in page.extract_words() if in_body(w)]
    if BLANK_MARK.search(" ".join(w["text"] for w in words)):
        return None
    ends = [o["bottom"] for o in words + page.rects + page.lines + page.images if in_body(o)]
    filled = (max(ends) - top) / (bottom - top) if ends else 0.0
    if filled < NEAR_EMPTY_SHARE:
        return f"content ends {filled:.0%} of the way down"
    return None


def _pages_allowed_short(data: bytes) -> set[int]:
    """Pages (from 0) that may be short: the first page, and the first and last page of each part,
    a part starting at a top-level bookmark; a part's last page is the last before the next part
    that is not a blank verso."""
    reader = PdfReader(io.BytesIO(data))
    starts = sorted({reader.get_destination_page_number(item) for item in reader.outline
                     if not isinstance(item, list) and _has_page(reader, item)})
    allowed = {0, *starts}
    for start in starts:
        if start > 0:
            before = start - 1
            if before > 0 and BLANK_MARK.search(reader.pages[before].extract_text() or ""):
                before -= 1
            allowed.add(before)
    return allowed


def _has_page(reader, item) -> bool:
    try:
        return reader.get_destination_page_number(item) is not None
    except Exception:                     # a bookmark to nowhere marks no part
        return False
