"""Images: takes an image file a pack or theme uses, gives what is wrong with it ("" if nothing).

WeasyPrint leaves out an image it cannot decode with only a log line, so a damaged picture would
vanish from a handout unseen. Every image is opened here first, with Pillow (which WeasyPrint
uses itself) for PNG, JPEG and GIF and the XML parser WeasyPrint uses for SVG, and one that is
damaged, not a picture, or too big to print is reported at the line or setting that names it.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

from .diagnostics import show
from .source import human_size

#: A printed page needs no more: a full A4 page at 600 dpi is 35 million pixels and a few MB.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000

_SMALLER = "make it smaller: a handout needs at most 300 dpi, about 2,500 pixels across a page"
_RESAVE = "open it in an image editor and save it again as PNG or JPEG"


def image_problem(path: Path) -> str:
    """What is wrong with the image at `path`, as 'is …; what to do', or "" when it is usable."""
    try:
        info = Path(path).stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if info.st_size > MAX_IMAGE_BYTES:
        return f"is {human_size(info.st_size)}, over the {human_size(MAX_IMAGE_BYTES)} limit " \
               f"for an image; {_SMALLER}"
    # Checked once per file version: a logo is on every handout of every edition.
    return _problem(str(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=256)
def _problem(path: str, mtime_ns: int, size: int) -> str:
    if path.lower().endswith(".svg"):
        return _svg_problem(Path(path))
    from PIL import Image, ImageFile

    # WeasyPrint, once imported, tells Pillow to print what it can of a cut-short picture (grey
    # below the cut); revpack reports it instead, the same whether WeasyPrint is loaded or not.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:         # reads the header only
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return f"is {width:,} × {height:,} pixels, over the limit of " \
                           f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels; {_SMALLER}"
                if image.format == "PNG":
                    image.verify()      # every chunk's checksum, without unpacking the pixels
                else:                   # a JPEG is decoded at 1/8 size: enough to find damage
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                    image.load()
    except Image.DecompressionBombError:
        return f"is over {MAX_IMAGE_PIXELS // 1_000_000} million pixels; {_SMALLER}"
    except Exception:     # Pillow raises many kinds (OSError, SyntaxError, ValueError …)
        return f"is damaged, cut short or not a PNG, JPEG or GIF picture; {_RESAVE}"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return ""


def _svg_problem(path: Path) -> str:
    from xml.etree import ElementTree

    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError, ValueError) as exc:
        return f"is damaged or is not an SVG picture ({show(exc, 60)}); {_RESAVE}"
    if root.tag.rpartition("}")[2] != "svg":
        return f"is not an SVG picture (it holds <{show(root.tag, 30)}>); {_RESAVE}"
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.rpartition("}")[2] == "href":
                found = [value]
            elif name == "style":
                found = _CSS_REFERENCE.findall(value)
            else:
                continue
            outside = [v for v in found if not v.strip().startswith(("#", "data:"))]
            if outside:
                return _SVG_OUTSIDE.format(show(outside[0].strip(), 60))
        if element.tag.rpartition("}")[2] == "style":
            outside = [v for v in _CSS_REFERENCE.findall(element.text or "")
                       if not v.strip().startswith(("#", "data:"))]
            if outside:
                return _SVG_OUTSIDE.format(show(outside[0].strip(), 60))
    return ""


# A url(...) or @import in an SVG's CSS; what it names, without quotes.
_CSS_REFERENCE = re.compile(r"""(?:url\(\s*|@import\s+(?!url\())["']?([^"')\s;]*)""", re.I)
# The jailed fetcher would refuse the file, and WeasyPrint would leave it out without a word.
_SVG_OUTSIDE = ("draws another file ('{}'); an SVG picture in a handout must hold all it "
                "draws: embed that file in it, or save the picture as PNG")
