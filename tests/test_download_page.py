"""The download page, out/<pack>/index.html: every PDF with its thumbnail, pages and size."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
from PIL import Image

import revpack
from revpack.download import THUMB_WIDTH

from .conftest import FIXTURES


class Page(HTMLParser):
    """What a test needs of the page: its tags with attributes, and its text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs in self.tags if t == tag]

    def words(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The mini pack built as complete notes, again, then as a large-print worksheet."""
    root = tmp_path_factory.mktemp("download")
    pack = root / "mini"
    shutil.copytree(FIXTURES / "mini", pack)
    out = root / "out"
    first = revpack.build(pack, out=out, editions=("complete",))
    once = snapshot(first.out_dir)
    twice = snapshot(revpack.build(pack, out=out, editions=("complete",)).out_dir)
    revpack.build(pack, out=out, editions=("worksheet",), variant="large-print")
    return first.out_dir, once, twice


def pdf_names(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.pdf")}


def test_the_page_lists_every_pdf_with_its_pages_and_size(builds):
    folder, _, _ = builds
    page = Page((folder / "index.html").read_text(encoding="utf-8"))
    links = [a["href"] for a in page.all("a") if a["href"].endswith(".pdf")]
    # Each kind the mini pack builds, and the combined pack: complete and large-print worksheet.
    kinds = len(revpack.check(folder.parents[1] / "mini").pack.handouts())
    assert sorted(links) == sorted(pdf_names(folder)) and len(pdf_names(folder)) == 2 * (kinds + 1)
    words = page.words()
    for name in links:
        pages = len(pypdf.PdfReader(folder / name).pages)
        size = (folder / name).stat().st_size
        # The link's text: what it is (hidden), its variant label, then "PDF, N pages, S KB".
        shown = re.search(rf"{re.escape(_label_of(name))} PDF, (\d+) pages?, (\d+) KB",
                          words[words.index(_handout_of(name)):])
        assert shown, name
        assert int(shown[1]) == pages, name
        assert int(shown[2]) == max(1, round(size / 1024)), name


def _handout_of(name: str) -> str:
    from revpack import handouts

    labels = {"timeline": "Timeline", "treaties": "Treaty table", "pack": "Whole pack",
              "historiography": "Historiography grid", "exam": "Exam practice"}
    labels.update({k.name: k.title for k in handouts.kinds() if k.name not in labels})
    edition = "complete notes" if "-complete" in name else "worksheet"
    return f"{labels[name.split('-')[0]]} — {edition}, "


def _label_of(name: str) -> str:
    """The visible variant label that ends the link's hidden description."""
    return "Large print" if "large-print" in name else "Standard print"


def test_every_link_and_image_resolves_and_nothing_is_external(builds):
    folder, _, _ = builds
    text = (folder / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    refs = [a["href"] for a in page.all("a")] + [i["src"] for i in page.all("img")]
    assert refs
    for ref in refs:
        if ref.startswith("#"):
            assert f'id="{ref[1:]}"' in text, ref
        else:
            assert "/" not in ref and ":" not in ref, ref          # relative, beside the page
            assert (folder / unquote(ref)).is_file(), ref
    assert not re.search(r"(https?:)?//", text.replace("<!DOCTYPE html>", ""))
    assert not page.all("script") and not page.all("link")


def test_thumbnails_are_pngs_of_page_one_shape(builds):
    folder, _, _ = builds
    page = Page((folder / "index.html").read_text(encoding="utf-8"))
    images = page.all("img")
    assert len(images) == len(pdf_names(folder))
    landscape = 0
    for img in images:
        pdf = img["src"].replace(".thumb.png", ".pdf")
        box = pypdf.PdfReader(folder / pdf).pages[0].mediabox
        with Image.open(folder / img["src"]) as png:
            assert png.format == "PNG"
            assert png.width == THUMB_WIDTH == int(img["width"])
            assert png.height == int(img["height"])
            assert abs(png.height - THUMB_WIDTH * float(box.height) / float(box.width)) <= 1
            landscape += png.width > png.height
    assert landscape >= 1            # the historiography grid is landscape


def test_thumbnails_carry_no_metadata(builds):
    folder, _, _ = builds
    for png in folder.glob("*.png"):
        data = png.read_bytes()
        chunks, at = [], 8
        while at < len(data):
            length = int.from_bytes(data[at:at + 4], "big")
            chunks.append(data[at + 4:at + 8].decode("ascii"))
            at += 12 + length
        assert set(chunks) <= {"IHDR", "PLTE", "IDAT", "IEND"}, (png.name, chunks)


def test_the_page_is_accessible_html(builds):
    folder, _, _ = builds
    text = (folder / "index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.all("html")[0]["lang"] == "en-GB"
    assert "Mini pack" in text.split("<title>")[1].split("</title>")[0]
    assert page.all("h1") and len(page.all("h2")) == 2      # complete notes and worksheet
    assert all(img.get("alt") for img in page.all("img"))
    assert page.all("meta") and any(m.get("name") == "viewport" for m in page.all("meta"))
    assert ":focus" in text
    words = page.words()
    for fact in ("Mini pack", "History", "A-level", "AQA"):
        assert fact in words
    assert "Timeline — worksheet" in words and "Large print" in words


def test_a_rebuild_gives_a_byte_identical_page_and_thumbnails(builds):
    _, once, twice = builds
    kept = {n for n in once if n.endswith((".html", ".png"))}
    kinds = len(revpack.check(FIXTURES / "mini").pack.handouts())
    assert "index.html" in kept and len(kept) == kinds + 2
    assert {n: once[n] for n in kept} == {n: twice[n] for n in kept}


def test_a_build_of_another_edition_keeps_the_first_editions_entries(builds):
    folder, once, _ = builds
    text = (folder / "index.html").read_text(encoding="utf-8")
    for name in once:
        if name.endswith(".pdf"):
            assert f'href="{name}"' in text
            assert (folder / name.replace(".pdf", ".thumb.png")).read_bytes() == \
                once[name.replace(".pdf", ".thumb.png")]
    assert 'href="timeline-worksheet-large-print.pdf"' in text
    assert text.index('id="complete"') < text.index('id="worksheet"')


def test_a_pdf_removed_by_hand_loses_its_entry_and_its_thumbnail_link(make_pack, tmp_path):
    pack = make_pack()
    out = tmp_path / "out"
    folder = revpack.build(pack, out=out, editions=("complete",)).out_dir
    (folder / "treaties-complete.pdf").unlink()
    (folder / "Notes #2.pdf").write_bytes(b"not a PDF")   # a teacher's own file, unreadable
    revpack.build(pack, out=out, editions=("answers",))
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "treaties-complete" not in text                 # neither the PDF nor its thumbnail
    assert 'href="timeline-complete.pdf"' in text and 'href="treaties-answers.pdf"' in text
    assert 'href="Notes%20%232.pdf"' in text and "Notes #2.pdf" in text
    assert "pages unknown" in text


def test_a_pack_can_restyle_the_page_through_its_templates(make_pack, tmp_path):
    pack = make_pack({"templates/download.html": (
        '{% extends "!default/download.html" %}\n'
        '{% block footer %}<p>Ask Ms Byrne for paper copies.</p>{% endblock %}\n')})
    folder = revpack.build(pack, out=tmp_path / "out", editions=("complete",)).out_dir
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "Ask Ms Byrne for paper copies." in text and 'href="pack-complete.pdf"' in text


def test_the_contract_lists_exactly_the_variables_the_page_receives():
    from revpack.build import check
    from revpack.diagnostics import Diagnostics
    from revpack.download import page_context
    from revpack.html import CONTEXT, Templating, context_names

    templating = Templating(check(FIXTURES / "mini").pack, Diagnostics(), None)
    entry = {"href": "", "pages": 2, "size": "3 KB", "bytes": 3000, "thumb": "x.thumb.png",
             "thumb_width": 200, "thumb_height": 283}
    context = page_context(templating, [dict(entry, href="timeline-worksheet.pdf"),
                                        dict(entry, href="notes.pdf")], ["read-timeline.html"])
    assert [e["name"] for e in context["editions"]] == ["worksheet", "other"]
    assert context_names(context) == set(CONTEXT["download.html"])


def test_a_broken_page_template_is_reported_by_check_with_its_line(make_pack):
    from revpack.build import check
    from revpack.diagnostics import RevpackError

    pack = make_pack({"templates/download.html": "<h1>{{ pack.title }}</h1>\n{{ pack.nope }}\n"})
    with pytest.raises(RevpackError) as caught:
        check(pack)
    [d] = [d for d in caught.value.diagnostics if d.severity == "error"]
    assert (d.location.path, d.location.line) == (pack / "templates" / "download.html", 2)
    assert "nope" in d.message
