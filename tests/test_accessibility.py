"""The accessibility gate: every tagged PDF of the bundled pack (all editions, a large-print copy
and the combined packs) is a structure a screen reader can walk.

pdfua and outloud (PDF/UA-1 and semantic checks) must report no errors; the structure tree is
read with pikepdf to check what revpack's tagging pass promises (one table, one list, gaps that
say what they are, no empty elements, foreign words with their /Lang); and pdf.js, as Firefox's
viewer uses it, must find no text outside the structure tree. The pdf.js test needs Node and
npm's pdfjs-dist (PDFJS_DIST names its folder; .ci/run installs it) and skips, saying so,
without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from revpack.build import check
from tests.conftest import bundled_pack, pdftotext

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def large_print(tmp_path_factory):
    """The bundled pack in its large-print copy, worksheet edition (the one with gaps)."""
    import revpack

    out = tmp_path_factory.mktemp("lp")
    return revpack.build(bundled_pack(), out=out, variant="large-print",
                         editions=("worksheet",)).out_dir


@pytest.fixture(scope="module")
def tagged(built, large_print) -> list[Path]:
    from revpack.build import check

    pdfs = sorted(built.glob("*.pdf")) + sorted(large_print.glob("*.pdf"))
    kinds = len(check(bundled_pack()).pack.handouts())       # and the combined pack
    assert len(pdfs) == 3 * (kinds + 1) + (kinds + 1)
    return pdfs


def _elements(path: Path):
    """(element, ancestors' types) for every structure element, in reading order."""
    pdf = pikepdf.open(path)
    out = []

    def walk(e, ancestors):
        if not isinstance(e, pikepdf.Dictionary) or "/S" not in e:
            return
        out.append((e, ancestors))
        k = e.get("/K")
        for child in (k if isinstance(k, pikepdf.Array) else [] if k is None else [k]):
            walk(child, ancestors + (str(e.S),))

    k = pdf.Root.StructTreeRoot.K
    for root in (k if isinstance(k, pikepdf.Array) else [k]):
        walk(root, ())
    return pdf, out


def test_pdfua_finds_no_errors(tagged):
    import pdfua

    errors = {p.name: [f"{f.rule_id}: {f.message}" for f in pdfua.validate(str(p)).findings
                       if str(f.severity).lower().endswith("error")] for p in tagged}
    assert {name: e for name, e in errors.items() if e} == {}


def _running_head(finding) -> bool:
    """outloud's TAG-002 takes an Artifact line of eight words or more, four of them lower
    case, for prose unless it recurs on three pages. A two-page handout's running head inside
    the combined pack ("Soviet foreign policy, 1917–1939 Find and fix · TEACHER COPY") is such a
    line, and rightly an /Artifact /Pagination: that one finding, and only for the running
    head's exact text, is not an error here."""
    from revpack.handouts import kinds

    title = check(bundled_pack()).pack.manifest.title
    heads = {f"{title} {k.title}{copy}" for k in kinds() for copy in ("", " · TEACHER COPY")}
    return finding.rule == "TAG-002" and finding.evidence in heads


def test_outloud_finds_no_errors(tagged):
    import outloud

    errors = {}
    for p in tagged:
        result = outloud.check(str(p))
        assert result.error is None, result.error
        found = [f"{f.rule} p{f.page}: {f.message}" for f in result.findings
                 if f.severity == "error" and not _running_head(f)]
        if found:
            errors[p.parent.parent.name + "/" + p.name] = found
    assert errors == {}


def test_a_table_over_several_pages_is_one_table_with_one_header_row(built):
    pdf, elements = _elements(built / "treaties-complete.pdf")
    assert len(pdf.pages) > 1
    types = Counter(str(e.S) for e, _ in elements)
    assert types["/Table"] == 1 and types["/THead"] == 1
    # Five column headers, then one row header (the treaty's name) per treaty: the header row
    # repeated on later pages is an Artifact, not read again.
    rows = [e for e, anc in elements if str(e.S) == "/TR" and "/TBody" in anc]
    headers = [e for e, _ in elements if str(e.S) == "/TH"]
    assert len(headers) == 5 + len(rows) and len(rows) > 10
    assert {str(h.A.Scope) for h in headers} == {"/Column", "/Row"}


def test_the_timeline_phases_are_one_list_and_nothing_is_left_empty(built):
    for name in ("timeline-complete.pdf", "timeline-worksheet.pdf", "exam-worksheet.pdf"):
        pdf, elements = _elements(built / name)
        for e, _ in elements:
            k = e.get("/K")
            assert (k is not None and (not isinstance(k, pikepdf.Array) or len(k))
                    or "/Alt" in e or str(e.S) in ("/TD", "/TH")), (name, str(e.S))
            assert "/RevpackEl" not in e and "/RevpackHide" not in e
    # Each phase is one section with one heading and one list, however many pages it runs to.
    pdf, elements = _elements(built / "timeline-complete.pdf")
    sections = [e for e, _ in elements if str(e.S) == "/Sect"]
    assert len(pdf.pages) > len(sections) > 2
    for section in sections:
        kinds = Counter(str(c.S) for c in section.K if isinstance(c, pikepdf.Dictionary)
                        and "/S" in c)
        assert kinds["/H2"] == 1 and kinds["/L"] == 1, kinds


def test_a_worksheet_gap_and_an_answer_space_say_what_they_are(built, large_print):
    for path in (built / "timeline-worksheet.pdf",
                 large_print / "timeline-worksheet-large-print.pdf"):
        _, elements = _elements(path)
        alts = [str(e.Alt) for e, _ in elements if "/Alt" in e]
        assert any(a == "blank: date" for a in alts), alts[:5]
        assert any(a.startswith("blank: ") and a.endswith(" lines") for a in alts)
    _, elements = _elements(built / "exam-worksheet.pdf")
    alts = [str(e.Alt) for e, _ in elements if "/Alt" in e]
    assert any(a.startswith("answer space, 25 marks, ") for a in alts), alts[:5]
    # the candidate's details are a group of fields, not a list
    assert not [e for e, anc in elements if str(e.S) == "/Div" and anc and anc[-1] == "/L"]


def test_decorative_boxes_and_running_headers_are_not_read(built):
    text = pdftotext(built / "timeline-worksheet.pdf")
    assert "Word bank" in text and "□" not in text
    pdf = pikepdf.open(built / "timeline-worksheet.pdf")
    artifacts = 0
    for page in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(page, "BDC"):
            if operands[0] == "/Artifact" and operands[1].get("/Type") == "/Pagination":
                artifacts += 1
    assert artifacts >= len(pdf.pages)          # at least the page number on every page


def test_foreign_phrases_reach_the_pdf_with_their_language(built):
    langs = Counter()
    for name in ("timeline-complete.pdf", "treaties-complete.pdf",
                 "historiography-complete.pdf"):
        _, elements = _elements(built / name)
        langs.update(str(e.Lang) for e, _ in elements if "/Lang" in e)
    assert langs["fr"] >= 2 and langs["la"] >= 2 and langs["de"] >= 1


def _pdfjs() -> Path:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (apt install nodejs); .ci/run installs it")
    dist = os.environ.get("PDFJS_DIST")
    if not dist or not (Path(dist) / "legacy" / "build" / "pdf.mjs").is_file():
        pytest.skip("pdfjs-dist is not installed: npm install pdfjs-dist@4, then set PDFJS_DIST "
                    "to its folder (node_modules/pdfjs-dist); .ci/run does this")
    return Path(dist)


def test_pdfjs_finds_one_table_and_no_text_outside_the_structure_tree(built, large_print):
    dist = _pdfjs()
    files = [built / "treaties-complete.pdf", built / "timeline-worksheet.pdf",
             built / "exam-worksheet.pdf", built / "pack-complete.pdf",
             large_print / "historiography-worksheet-large-print.pdf"]
    run = subprocess.run(["node", str(HERE / "pdfjs_structure.mjs"), str(dist),
                          *map(str, files)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    reports = {Path(r["file"]).name: r for r in map(json.loads, run.stdout.splitlines())}
    assert len(reports) == len(files)
    for name, report in reports.items():
        outside = [(n, p["outside"]) for n, p in enumerate(report["pages"], 1) if p["outside"]]
        assert outside == [], name
        assert sum(p["inTree"] for p in report["pages"]) > 1000, name
    treaties = reports["treaties-complete.pdf"]["pages"]
    assert all(len(p["tables"]) == 1 for p in treaties)
    _, elements = _elements(built / "treaties-complete.pdf")
    rows = [e for e, anc in elements if str(e.S) == "/TR" and "/TBody" in anc]
    assert sum(t["headers"] for p in treaties for t in p["tables"]) == 5 + len(rows)
