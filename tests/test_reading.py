"""The reading version (`revpack build --html`): read-<handout>.html for phones and screen readers."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

import revpack
from revpack.build import html_for

from .conftest import FIXTURES

HANDOUTS = ("timeline", "treaties", "historiography", "exam")


class Main(HTMLParser):
    """The text and the headings inside a page's <main>, and every tag's attributes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "main":
            self.depth += 1
        if self.depth and tag in ("h1", "h2", "h3", "h4"):
            self._heading = []

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if self._heading is not None and tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            if self._heading is not None:
                self._heading.append(data)

    def words(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def reading(tmp_path_factory):
    root = tmp_path_factory.mktemp("reading")
    pack = root / "mini"
    shutil.copytree(FIXTURES / "mini", pack)
    out = root / "out"
    result = revpack.build(pack, out=out, editions=("complete", "worksheet"), html=True)
    first = {p.name: p.read_bytes() for p in result.out_dir.iterdir()}
    again = revpack.build(pack, out=out, editions=("complete", "worksheet"), html=True)
    second = {p.name: p.read_bytes() for p in again.out_dir.iterdir()}
    return pack, result.out_dir, first, second


def test_each_handout_gets_one_reading_page_of_the_complete_edition_only(reading):
    _, folder, _, _ = reading
    pages = sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")
    assert pages == sorted(f"read-{h}.html" for h in HANDOUTS)
    for name in pages:
        text = (folder / name).read_text(encoding="utf-8")
        assert "edition-worksheet" not in text and "edition-answers" not in text
        assert "edition-complete" not in text       # the print page's body classes stay behind


def test_a_reading_page_has_the_same_headings_and_text_as_the_pdfs_html(reading):
    pack, folder, _, _ = reading
    for handout in HANDOUTS:
        printed = Main(html_for(pack, handout, "complete"))
        read = Main((folder / f"read-{handout}.html").read_text(encoding="utf-8"))
        assert read.headings == printed.headings and read.headings, handout
        assert read.words() == printed.words(), handout


def test_tables_scroll_in_a_named_region_and_each_cell_knows_its_column(reading):
    _, folder, _, _ = reading
    page = Main((folder / "read-treaties.html").read_text(encoding="utf-8"))
    regions = [a for t, a in page.tags if t == "div" and "table-scroll" in a.get("class", "")]
    tables = [a for t, a in page.tags if t == "table"]
    assert len(regions) == len(tables) >= 1
    assert all(r["role"] == "region" and r["tabindex"] == "0" and r["aria-label"] for r in regions)
    heads = [a for t, a in page.tags if t == "th" and a.get("role") == "columnheader"]
    cells = [a for t, a in page.tags if t == "td"]
    assert heads and cells and all(c["role"] == "cell" for c in cells)
    labels = {c["data-label"] for c in cells}
    assert "Date signed" in labels and "Key terms" in labels


def test_the_page_fits_a_phone_follows_dark_mode_and_links_only_beside_itself(reading):
    _, folder, _, _ = reading
    for handout in HANDOUTS:
        text = (folder / f"read-{handout}.html").read_text(encoding="utf-8")
        assert 'name="viewport" content="width=device-width' in text
        assert "@media (prefers-color-scheme: dark)" in text
        page = Main(text)
        hrefs = [a["href"] for t, a in page.tags if t == "a"]
        assert f"{handout}-complete.pdf" in hrefs and "index.html" in hrefs
        for href in hrefs:
            if href.startswith("#"):
                assert f'id="{href[1:]}"' in text
            else:
                assert "/" not in href and ":" not in href, href
                assert (folder / unquote(href)).is_file(), href
        assert not re.search(r"(https?:)?//", text.replace("<!DOCTYPE html>", ""))
        assert "<script" not in text and "<link" not in text


def test_the_download_page_links_every_reading_page(reading):
    _, folder, _, _ = reading
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert 'id="reading"' in text
    for handout in HANDOUTS:
        assert f'href="read-{handout}.html"' in text


def test_a_rebuild_is_byte_identical(reading):
    _, _, first, second = reading
    assert first.keys() == second.keys() and first == second


def test_without_html_no_reading_pages_are_made(make_pack, tmp_path):
    pack = make_pack(base="mini")
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    assert not list(result.out_dir.glob("read-*.html"))
    assert 'id="reading"' not in (result.out_dir / "index.html").read_text(encoding="utf-8")


# --- In a real browser: Debian's chromium, driven by Playwright, with axe-core in the page. ---

def _axe_script() -> Path | None:
    for candidate in (os.environ.get("AXE_CORE_JS"),
                      Path(__file__).parents[1] / "node_modules/axe-core/axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install '.[test]')")
    return chromium, sync_playwright


def test_pages_fit_390_and_1280_pixels_and_axe_finds_nothing_serious(reading, tmp_path):
    chromium, sync_playwright = _browser()
    axe = _axe_script()
    if axe is None:
        pytest.skip("axe-core is not installed: npm install axe-core, or set AXE_CORE_JS "
                    "(.ci/run does)")
    _, folder, _, _ = reading
    names = ["index.html"] + [f"read-{h}.html" for h in HANDOUTS]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for width in (390, 1280):
                for scheme in ("light", "dark"):
                    page = browser.new_page(viewport={"width": width, "height": 900},
                                            color_scheme=scheme)
                    for name in names:
                        page.goto((folder / name).as_uri())
                        page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"),
                                        full_page=False)
                        # Nothing wider than the screen: tables scroll or stack inside the page.
                        assert page.evaluate("document.documentElement.scrollWidth") <= width, \
                            (name, width)
                        page.add_script_tag(path=str(axe))
                        found = page.evaluate("async () => (await axe.run()).violations.map("
                                              "v => [v.id, v.impact, v.nodes.length])")
                        serious = [v for v in found if v[1] in ("serious", "critical")]
                        assert not serious, (name, width, scheme, serious)
                    page.close()
        finally:
            browser.close()


def test_the_reading_template_gets_exactly_its_documented_context(reading, monkeypatch):
    from revpack import reading as reading_mod
    from revpack.html import CONTEXT, context_names

    pack, _, _, _ = reading
    seen = []
    real = reading_mod.render_template
    monkeypatch.setattr(reading_mod, "render_template",
                        lambda env, name, ctx: seen.append(ctx) or real(env, name, ctx))
    revpack.build(pack, out=pack.parent / "out2", editions=("complete",), html=True)
    assert len(seen) == len(HANDOUTS)
    assert context_names(seen[0]) == set(CONTEXT["reading.html"])
