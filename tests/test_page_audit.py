"""The page audit (tests/audit.py) on tiny PDFs that show each defect, on real builds, and the matrix.

Takes tiny WeasyPrint documents and builds of the bundled and the Cold War pack; gives one finding
per line (`file: page N: kind: detail`) when a page hides text, wastes a page, splits a name or,
in large print, sets type under 18 pt.

The default suite runs each rule on the smallest build that shows it. The full matrix (both packs,
every copy on A4 and the standard copy on Letter, every edition, and the booklet's A5 pages before
imposition; a modified copy's booklet imposes its full-size pages, audited already) is marked
`matrix` and runs only when asked for: `python -m pytest -m matrix`.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from revpack.cli import app
from revpack.resources import bundled_pack

from .audit import audit_pdf, report, split_name
from .conftest import FIXTURES

SECOND_PACK = FIXTURES / "cold-war"
PACKS = {"soviet-foreign-policy": bundled_pack(), "cold-war": SECOND_PACK}
VARIANTS = ("standard", "large-print", "dyslexia-friendly")
EDITIONS = ("complete", "worksheet", "answers")
LARGE_PRINT_PT = 18


def fail_on(findings) -> None:
    if findings:
        pytest.fail("\n" + report(findings), pytrace=False)


def tiny_pdf(tmp_path: Path, body: str, css: str = "") -> Path:
    """A PDF from a fragment of HTML, with A4 pages and wide margins like the handouts'."""
    import weasyprint

    html = (f"<!DOCTYPE html><html lang='en'><head><style>@page {{ size: A4; margin: 30mm 20mm }}"
            f" body {{ font: 11pt sans-serif }} {css}</style></head><body>{body}</body></html>")
    path = tmp_path / "tiny.pdf"
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def kinds(findings) -> list[tuple[int, str]]:
    return [(f.page, f.kind) for f in findings]


# --- each check, proven able to fail ------------------------------------------------------------

TEXT = "<p style='font-size: 14pt'>Rapallo 16 April 1922</p>"


def test_text_painted_over_by_a_box_is_hidden(tmp_path):
    cover = ("<div style='position: absolute; top: 0; left: 0; width: 120mm; height: 15mm; "
             "background: white; border: 1px solid black'></div>")
    found = audit_pdf(tiny_pdf(tmp_path, f"<div style='position: relative'>{TEXT}{cover}</div>"))
    assert kinds(found) == [(1, "hidden")]
    assert "Rapallo" in found[0].detail


def test_text_beside_the_box_is_not_hidden(tmp_path):
    aside = ("<div style='position: absolute; top: 0; left: 130mm; width: 20mm; height: 15mm; "
             "background: white; border: 1px solid black'></div>")
    assert audit_pdf(tiny_pdf(tmp_path, f"<div style='position: relative'>{TEXT}{aside}</div>")) == []


def test_text_in_the_paper_colour_is_hidden(tmp_path):
    found = audit_pdf(tiny_pdf(tmp_path, "<p>Seen</p><p style='color: white'>Unseen</p>"))
    assert kinds(found) == [(1, "hidden")]
    assert "Unseen" in found[0].detail and "Seen'" not in found[0].detail


def test_white_text_on_a_dark_box_is_seen(tmp_path):
    assert audit_pdf(tiny_pdf(tmp_path, "<p style='color: white; background: black'>Seen</p>")) == []


def test_clipped_text_is_hidden(tmp_path):
    clip = ("<div style='height: 6mm; overflow: hidden; width: 60mm; line-height: 6mm'>"
            "First line<br>Clipped line</div>")
    found = audit_pdf(tiny_pdf(tmp_path, clip))
    assert kinds(found) == [(1, "hidden")]
    assert "Clipped" in found[0].detail and "First" not in found[0].detail


def test_text_run_out_of_its_cell_under_the_next_one_is_hidden(tmp_path):
    # The first cell's long date runs on under the second, whose background is painted later.
    cells = ("<div style='display: flex'><div style='width: 20mm; white-space: nowrap'>"
             "16 May 1935 Czechoslovakia</div><div style='position: relative; width: 60mm; "
             "background: white; border-left: 1px solid black'>Parties</div></div>")
    found = audit_pdf(tiny_pdf(tmp_path, cells))
    assert kinds(found) == [(1, "hidden")]
    assert "Parties" not in found[0].detail


FULL_PAGE = "".join(f"<p>Line {n} of a full page of notes.</p>" for n in range(18))
BREAK = "<div style='break-before: page'></div>"


def test_a_near_empty_page_is_found(tmp_path):
    pdf = tiny_pdf(tmp_path, BREAK.join([FULL_PAGE, "<p>One line, then nothing.</p>", FULL_PAGE]))
    found = audit_pdf(pdf)
    assert kinds(found) == [(2, "near-empty")]
    assert "of the way down" in found[0].detail


@pytest.mark.parametrize("short_page, why", [
    ("<h1>A part starts here</h1>", "the first page of a part (a top-level bookmark)"),
    ("<p>This page is intentionally left blank</p>", "a page marked blank"),
])
def test_exempt_short_pages(tmp_path, short_page, why):
    pdf = tiny_pdf(tmp_path, BREAK.join([FULL_PAGE, short_page, FULL_PAGE]))
    assert [f for f in audit_pdf(pdf) if f.kind == "near-empty"] == [], why


@pytest.mark.parametrize("heading, expected", [("h1", []), ("p", [3])])
def test_the_first_and_last_pages_of_the_file_and_of_a_part_may_be_short(tmp_path, heading,
                                                                         expected):
    # 1 a part starts (short, first page), 2 full, 3 short: the part's last page, before
    # 4 a blank verso, 5 the next part starts (full), 6 short (the file's last page).
    # Without the second part's bookmark (a <p>, not an <h1>), page 3 is just a short page.
    pages = ["<h1>Part one</h1>", FULL_PAGE, "<p>A short page.</p>",
             "<p>This page is intentionally left blank</p>",
             f"<{heading}>Part two</{heading}>" + FULL_PAGE, "<p>A short page.</p>"]
    pdf = tiny_pdf(tmp_path, BREAK.join(pages))
    assert len(PdfReader(pdf).pages) == len(pages)
    assert [f.page for f in audit_pdf(pdf) if f.kind == "near-empty"] == expected


def test_a_short_page_inside_a_part_is_found_even_with_parts_around_it(tmp_path):
    pages = ["<h1>Part one</h1>" + FULL_PAGE, "<p>A short page.</p>", FULL_PAGE,
             "<h1>Part two</h1>" + FULL_PAGE]
    found = audit_pdf(tiny_pdf(tmp_path, BREAK.join(pages)))
    assert kinds(found) == [(2, "near-empty")]


@pytest.mark.parametrize("line, name", [
    ("the Treaty of Mo\u2010", "Mo\u2010"),
    ("signed by (Stal\u2010", "Stal\u2010"),
    ("Czechoslov\u2010", "Czechoslov\u2010"),
    ("\u201cZhda\u2010", "Zhda\u2010"),
    ("the Ém\u2010", "Ém\u2010"),
    ("the long inter\u2010", None),        # not a name
    ("Brest-", None),                      # a hyphen typed in the name, not hyphenation
    ("the USSR\u2010", None),              # an abbreviation, not a word broken in two
    ("Moscow", None),
])
def test_split_name_rule(line, name):
    assert split_name(line) == name


def test_a_hyphenated_name_is_found_in_a_pdf(tmp_path):
    column = "width: 22mm; hyphens: auto; font-size: 14pt"
    pdf = tiny_pdf(tmp_path, f"<p style='{column}'>Czechoslovakia Czechoslovakia Czechoslovakia</p>")
    found = audit_pdf(pdf)
    assert kinds(found) == [(1, "split-name")]
    assert "Czechoslov" in found[0].detail


def test_a_hyphenated_common_word_is_not_a_split_name(tmp_path):
    column = "width: 22mm; hyphens: auto; font-size: 14pt"
    pdf = tiny_pdf(tmp_path, f"<p style='{column}'>internationalisation internationalisation</p>")
    with pdfplumber.open(pdf) as doc:
        assert "\u2010" in doc.pages[0].extract_text()       # hyphenated, all the same
    assert audit_pdf(pdf) == []


def test_type_under_the_large_print_size_is_found(tmp_path):
    pdf = tiny_pdf(tmp_path, "<p style='font-size: 18pt'>Large</p><p style='font-size: 8.5pt'>"
                   "Page 3 of 40</p>")
    found = audit_pdf(pdf, min_pt=LARGE_PRINT_PT)
    assert kinds(found) == [(1, "small-text")]
    assert "smallest 8.5 pt" in found[0].detail
    assert audit_pdf(pdf) == []                        # only checked when asked for


def test_findings_read_one_per_line(tmp_path):
    pdf = tiny_pdf(tmp_path, "<p style='color: white'>Unseen</p><p style='font-size: 9pt'>x</p>")
    text = report(audit_pdf(pdf, min_pt=LARGE_PRINT_PT, name="pack/tiny.pdf"))
    lines = text.splitlines()
    assert lines[0].startswith("pack/tiny.pdf: page 1: hidden: ")
    assert lines[1].startswith("pack/tiny.pdf: page 1: small-text: ")
    assert lines[-1] == "2 findings: hidden 1, near-empty 0, split-name 0, small-text 1"


# --- packs that use none of the new features get no new warnings ---------------------------------

MINIMAL_PACK = {
    "pack.yaml": 'title: "Minimal"\nsubject: History\nlevel: A-level\nexam_board: "AQA"\n'
                 'author: "Ms A. Teacher"\n',
    "timeline.md": "# Timeline\n\n## One phase\n\nSummary: One event.\n\n"
                   "- **16 Apr 1922** — The Treaty of Rapallo is signed. [treaty]\n",
}


@pytest.mark.parametrize("which", ["bundled", "minimal", "second"])
def test_packs_check_with_no_warnings(tmp_path, which):
    if which == "minimal":
        pack = tmp_path / "minimal"
        pack.mkdir()
        for name, text in MINIMAL_PACK.items():
            (pack / name).write_text(text, encoding="utf-8")
    else:
        pack = bundled_pack() if which == "bundled" else SECOND_PACK
    result = CliRunner().invoke(app, ["check", str(pack), "--strict"])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and result.output.startswith("ok: ")


# --- real builds: the smallest that show each rule ---------------------------------------------

def build(pack: Path, out: Path, edition: str, variant: str = "standard", paper: str = "a4"):
    import revpack

    return revpack.build(pack, out=out, editions=(edition,), variant=variant, paper=paper).out_dir


def audit_folder(folder: Path, label: str, min_pt: float = 0.0) -> list:
    return [f for pdf in sorted(folder.glob("*.pdf"))
            for f in audit_pdf(pdf, min_pt, name=f"{label}/{pdf.name}")]


@pytest.fixture(scope="module")
def second_pack_answers(tmp_path_factory):
    """The second pack's answers edition, A4: its treaty gaps, exam answers and names show every
    standard-copy rule."""
    out = build(SECOND_PACK, tmp_path_factory.mktemp("audit"), "answers")
    return audit_folder(out, "cold-war/a4")


@pytest.mark.parametrize("kind", ["hidden", "near-empty", "split-name"])
def test_second_pack_answers_pages(second_pack_answers, kind):
    fail_on([f for f in second_pack_answers if f.kind == kind])


def test_second_pack_large_print_answers_are_large_everywhere(tmp_path):
    out = build(SECOND_PACK, tmp_path, "answers", variant="large-print")
    found = audit_folder(out, "cold-war/a4", min_pt=LARGE_PRINT_PT)
    fail_on([f for f in found if f.kind == "small-text"])


# --- the matrix: python -m pytest -m matrix ----------------------------------------------------

@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Each (pack, variant, paper) built once, every edition: gives its output folder."""
    import revpack

    done: dict[tuple, Path] = {}

    def get(pack: str, variant: str, paper: str) -> Path:
        if (pack, variant, paper) not in done:
            out = tmp_path_factory.mktemp(f"{pack}-{variant}-{paper}")
            done[pack, variant, paper] = revpack.build(PACKS[pack], out=out, variant=variant,
                                                       paper=paper).out_dir
        return done[pack, variant, paper]
    return get


#: The copies the matrix builds: every variant on A4, and the standard copy on Letter too (a
#: modified copy's rules do not change with the paper, and each build costs a minute of CI).
COPIES = [(v, "a4") for v in VARIANTS] + [("standard", "letter")]
#: Booklets: both packs on A4, the bundled pack on half-Letter too.
BOOKLETS = [(p, "a4") for p in PACKS] + [("soviet-foreign-policy", "letter")]


@pytest.mark.matrix
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("variant, paper", COPIES)
@pytest.mark.parametrize("pack", PACKS)
def test_matrix(builds, pack, variant, paper, edition):
    """Every page of the combined pack: it is made of the handouts' own laid-out pages (see
    test_build's test_the_combined_pack_holds_each_handouts_pages_unchanged), so auditing it
    audits every handout page once, with the same part boundaries as the handout files."""
    folder = builds(pack, variant, paper)
    min_pt = LARGE_PRINT_PT if variant == "large-print" else 0.0
    pdfs = sorted(folder.glob(f"pack-{edition}*.pdf"))
    assert pdfs, folder
    found = [f for pdf in pdfs for f in audit_pdf(pdf, min_pt, name=f"{pack}/{paper}/{pdf.name}")]
    fail_on(found)


@pytest.mark.matrix
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("pack, paper", BOOKLETS)
def test_matrix_booklet_pages_before_imposition(tmp_path, pack, paper, edition):
    from revpack.build import booklet_pages

    pdf = tmp_path / f"pack-{edition}-booklet-pages.pdf"
    pdf.write_bytes(booklet_pages(PACKS[pack], edition, paper))
    fail_on(audit_pdf(pdf, name=f"{pack}/{paper}-booklet/{pdf.name}"))

