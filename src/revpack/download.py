"""Download page: takes the output folder's PDFs and the pack, gives `index.html` and thumbnails.

The page lists every PDF the folder will hold once the build is in place: the ones this build
made (given as bytes) and the ones earlier builds left (other editions, variants), which the
staging step carries over. Each gets a page-1 thumbnail, `<name>.thumb.png`, written beside it,
so the folder works offline from any web server or VLE (only relative links). The page is
rendered from the theme's `download.html` in the same sandbox as every other template.
Thumbnails are rendered larger than shown and scaled down, since thin ruled lines drawn at a
preview's resolution vanish; PNGs are written without metadata, so a rebuild is byte-identical.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote, unquote

from .handouts import kinds as handout_kinds
from . import labels as labels_mod
from .html import render_template
from .reading import PREFIX, is_reading_page
from .styles import VARIANTS
from .views import EDITIONS

PAGE = "index.html"
THUMB_SUFFIX = ".thumb.png"
#: Thumbnail width in pixels, and how many times larger page 1 is rendered before scaling down.
THUMB_WIDTH = 200
SUPERSAMPLE = 4
THUMB_COLOURS = 64

#: The combined outputs, after the handouts: (kind in the file name, booklet?) → label key.
_COMBINED = {("pack", False): "whole_pack", ("pack", True): "whole_pack_booklet",
             ("class", False): "class_set_named"}


def _kind_order() -> list[tuple[str, bool]]:
    """(kind in the file name, booklet?) in page order: the handouts, then the combined copies."""
    return [(k.name, False) for k in handout_kinds()] + list(_COMBINED)


def _name_pattern() -> re.Pattern:
    return re.compile(r"(?P<kind>{kinds})-(?P<edition>{editions})(?:-(?P<variant>{variants}))?"
                      r"(?P<booklet>-booklet)?\.pdf".format(
                          kinds="|".join(re.escape(k) for k, _ in _kind_order()),
                          editions="|".join(EDITIONS),
                          variants="|".join(v for v in VARIANTS if v != "standard")))


def download_files(templating, made: dict[str, bytes], folder: Path,
                   pages: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """{file name: bytes}: the page and one thumbnail per PDF, for a build that made `made`
    (PDF name → bytes) and the reading pages `pages` into `folder`, whose other files it keeps."""
    pdfs = dict(made)
    reading = set(pages or ())
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if is_reading_page(entry.name) and entry.is_file() and not entry.is_symlink():
                reading.add(entry.name)
            if (entry.suffix.lower() == ".pdf" and entry.name not in pdfs
                    and not entry.name.startswith(".") and entry.is_file()
                    and not entry.is_symlink()):
                try:
                    pdfs[entry.name] = entry.read_bytes()
                except OSError:        # not ours to read (another user's): left off the page
                    pass
    out: dict[str, bytes] = {}
    entries = []
    for name in sorted(pdfs):
        pages, thumb = _preview(pdfs[name])
        # Quoted: a teacher's own "Notes #2.pdf" is a link to that file, not to a fragment.
        entry = {"href": quote(name, safe=""), "pages": pages, "size": _size(len(pdfs[name])),
                 "bytes": len(pdfs[name]), "thumb": "", "thumb_width": 0, "thumb_height": 0}
        if thumb is not None:
            thumb_name = name[:-len(".pdf")] + THUMB_SUFFIX
            entry["thumb"] = quote(thumb_name, safe="")
            entry["thumb_width"], entry["thumb_height"] = thumb.size
            out[thumb_name] = _png(thumb)
        entries.append(entry)
    context = page_context(templating, entries, sorted(reading, key=_reading_order))
    out[PAGE] = render_template(templating.env, "download.html", context).encode("utf-8")
    return out


def _reading_order(name: str):
    order = [k.name for k in handout_kinds()]
    kind = name[len(PREFIX):-len(".html")]
    return (order.index(kind) if kind in order else len(order), name)


def check_page(templating) -> None:
    """Render the page once with no PDFs, so that a theme's broken download.html is reported
    by `revpack check`, before a build lays anything out."""
    render_template(templating.env, "download.html", page_context(templating, []))


def page_context(templating, entries: list[dict], reading: list[str] = ()) -> dict:
    """What download.html receives: the pack, the theme settings, the PDFs in groups, and the
    reading pages (`read-<handout>.html`) in pack order."""
    groups: dict[str, dict[tuple, list]] = {e: {} for e in EDITIONS}
    others = []
    pattern, order = _name_pattern(), _kind_order()
    words = templating.words
    titles = {k.name: templating.title(k.name) for k in handout_kinds()}
    for entry in entries:
        m = pattern.fullmatch(entry["href"])
        if not m:
            others.append(dict(entry, label=unquote(entry["href"])))
            continue
        variant = m["variant"] or "standard"
        key = (m["kind"], bool(m["booklet"]))
        groups[m["edition"]].setdefault(key, []).append(
            dict(entry, label=labels_mod.variant_label(words, variant),
                 order=VARIANTS.index(variant)))
    editions = []
    for edition, kinds in groups.items():
        if not kinds:
            continue
        label = words["edition_answers_short"] if edition == "answers" else \
            labels_mod.edition_label(words, edition)
        items = []
        for key in sorted(kinds, key=order.index):
            kind = titles.get(key[0]) or words[_COMBINED[key]]
            files = sorted(kinds[key], key=lambda f: f.pop("order"))
            items.append({"label": labels_mod.lookup(words, "download_group", kind=kind,
                                                     edition=label, edition_lc=label.lower()),
                          "files": files})
        editions.append({"name": edition, "label": label, "note": words[f"note_{edition}"],
                         "groups": items})
    if others:
        editions.append({"name": "other", "label": words["other_files"], "note": "",
                         "groups": [{"label": f["label"], "files": [f]} for f in others]})
    reading_links = []
    for name in reading:
        kind = name[len(PREFIX):-len(".html")]
        reading_links.append({"href": quote(name, safe=""),
                              "label": titles.get(kind, kind.replace("-", " ").title())})
    return {"pack": templating.base["pack"], "theme": templating.settings,
            "editions": editions, "reading": reading_links}


def _preview(data: bytes):
    """(page count, page 1 as a thumbnail image), or (0, None) for a PDF pdfium cannot read."""
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return 0, None
    try:
        count = len(pdf)
        if not count:
            return 0, None
        page = pdf[0]
        width, height = page.get_size()
        image = page.render(scale=THUMB_WIDTH * SUPERSAMPLE / width,
                            may_draw_forms=False).to_pil().convert("RGB")
        page.close()
    finally:
        pdf.close()
    size = (THUMB_WIDTH, max(1, round(THUMB_WIDTH * height / width)))
    # Averaging (BOX) keeps a thin line as a light grey one; a 64-colour palette looks the same
    # at this size and makes the file about a third as large.
    return count, image.resize(size, Image.BOX).quantize(
        THUMB_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def _png(image) -> bytes:
    """The image as PNG with nothing but pixels (no time, software or colour-profile chunks)."""
    buf = io.BytesIO()
    image.info.clear()
    image.save(buf, "PNG")
    return buf.getvalue()


def _size(n: int) -> str:
    return f"{max(1, round(n / 1024))} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"
