"""PDF: takes HTML and stylesheets, gives laid-out WeasyPrint documents and tagged PDF bytes.

WeasyPrint is imported here only, and lazily, so `revpack --help` and `revpack check` never pay
for it. One FontConfiguration serves a whole build. The URL fetcher is jailed: it serves `file:`
URLs inside the pack and theme folders and refuses everything else, network included, so even a
hostile stylesheet cannot read the disk or reach a server.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from .diagnostics import RevpackError

#: The timestamp written into embedded fonts (2020-01-01), so builds are byte-identical.
FIXED_EPOCH = "1577836800"

#: A handout longer than this is an error: it means runaway content, not a revision handout.
MAX_PAGES = 300

PANGO_HELP = (
    "revpack needs the Pango text library, which WeasyPrint uses to lay out text, and it was not "
    "found. Install it, then run revpack again. Debian/Ubuntu: sudo apt install libpango-1.0-0 "
    "libpangoft2-1.0-0 · macOS (Homebrew): brew install pango · Windows: install MSYS2 from "
    "https://www.msys2.org and run 'pacman -S mingw-w64-x86_64-pango', or use WSL. "
    "See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)


def import_weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # a missing shared library (libpango, libgobject…)
        raise RevpackError(PANGO_HELP + f" (detail: {exc})") from exc
    return weasyprint


class Renderer:
    """Renders many documents with one font configuration and one jailed fetcher."""

    def __init__(self, allowed_roots: list[Path]):
        wp = import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self.wp = wp
        self.fonts = FontConfiguration()
        self.roots = [Path(r).resolve() for r in allowed_roots]
        self.refused: list[str] = []
        self.fetcher = _make_jailed_fetcher(wp, self.roots, self.refused)
        self._css_cache: dict[tuple, object] = {}

    def stylesheet(self, path: Path):
        key = (str(path), path.stat().st_mtime_ns)
        if key not in self._css_cache:
            self._css_cache[key] = self.wp.CSS(filename=str(path), url_fetcher=self.fetcher,
                                               font_config=self.fonts)
        return self._css_cache[key]

    def css_string(self, text: str, base: Path):
        return self.wp.CSS(string=text, base_url=str(base) + "/", url_fetcher=self.fetcher,
                           font_config=self.fonts)

    def render(self, html: str, base: Path, stylesheets: list, label: str):
        doc = self.wp.HTML(string=html, base_url=str(base) + "/", url_fetcher=self.fetcher)
        try:
            rendered = doc.render(stylesheets=stylesheets, font_config=self.fonts,
                                  pdf_variant="pdf/ua-1", pdf_tags=True)
        except RecursionError as exc:
            raise RevpackError(f"{label}: error: the layout is too deeply nested to render") from exc
        except self.wp.urls.FatalURLFetchingError as exc:
            raise RevpackError(f"{label}: error: {exc}") from exc
        if len(rendered.pages) > MAX_PAGES:
            raise RevpackError(f"{label}: error: {len(rendered.pages)} pages, over the limit of "
                               f"{MAX_PAGES} for one handout; is some content repeated or "
                               "runaway?")
        return rendered

    def write(self, document, identifier_seed: str) -> bytes:
        """Tagged PDF/UA-1 bytes; the file identifier is derived from the content, not the clock."""
        ident = hashlib.md5(identifier_seed.encode("utf-8")).hexdigest().encode("ascii")
        # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set.
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = saved or FIXED_EPOCH
        try:
            return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                                      pdf_identifier=ident, uncompressed_pdf=False)
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]


def _make_jailed_fetcher(wp, roots: list[Path], refused: list[str]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class JailedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path == r or r in path.parents for r in roots) and path.is_file():
                    return URLFetcherResponse(url, body=path.read_bytes(),
                                              headers={"Content-Type": _mime(path)})
            refused.append(url)
            raise FatalURLFetchingError(f"refused to fetch {url}: revpack only reads files "
                                        "inside the pack and theme folders")

    return JailedFetcher()


def _mime(path: Path) -> str:
    return {
        ".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".svg": "image/svg+xml", ".gif": "image/gif", ".ttf": "font/ttf", ".otf": "font/otf",
        ".woff": "font/woff", ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")
