"""The knowledge organiser (handouts/organiser.py): one landscape page of key terms, dates and
people; worksheet gaps where the answers edition has the text; the overflow error; its
settings (key_dates, paper); left out of a pack without a glossary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

import revpack
from revpack.build import check, html_for
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.load import load_pack
from revpack.prose import ProseRenderer
from revpack.resources import bundled_pack
from revpack.views import handout_context

from .audit import audit_pdf
from .conftest import FIXTURES, pdftotext

MM = 25.4 / 72
EDITIONS = ("complete", "worksheet", "answers")


def page_mm(pdf: Path) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width) * MM), round(float(p.mediabox.height) * MM))
            for p in PdfReader(pdf).pages]


def words(text: str) -> str:
    return " ".join(text.split())


def _errors(exc: RevpackError) -> list[str]:
    return [str(d) for d in exc.diagnostics]


@pytest.fixture
def cold_war(make_pack):
    """The cold-war fixture pack (8 terms, 5 people), with extra pack.yaml lines."""
    def make(extra: str = "", files: dict | None = None) -> Path:
        yaml = (FIXTURES / "cold-war" / "pack.yaml").read_text(encoding="utf-8")
        return make_pack({"pack.yaml": yaml + extra, **(files or {})}, base="cold-war")
    return make


# --- the bundled pack ------------------------------------------------------------------------

@pytest.mark.parametrize("edition", EDITIONS)
def test_bundled_organiser_is_one_a3_landscape_page(built, edition):
    # The bundled pack sets organiser.paper: a3 (its 28 terms and 11 people with write-in
    # space do not fit A4).
    assert page_mm(built / f"organiser-{edition}.pdf") == [(420, 297)]


def test_worksheet_blanks_what_the_answers_show(built):
    complete, worksheet, answers = (words(pdftotext(built / f"organiser-{e}.pdf"))
                                    for e in EDITIONS)
    definition = "the Communist International, founded in Moscow in March 1919"
    role = "Commissar for Foreign Affairs, 1930–39"
    for text in (definition, role):
        assert text in complete and text in answers
        assert text not in worksheet
    # The terms, names, dates and phases are printed in every edition.
    for text in ("Comintern", "Litvinov", "16 Apr 1922 Treaty of Rapallo", "Collective security",
                 "1933–1938"):
        assert text in worksheet and text in complete and text in answers
    # One write-in gap per term and person in the worksheet.
    html = html_for(bundled_pack(), "organiser", "worksheet")
    assert html.count('class="gap gap-compact gap-blank"') == 28 + 11


def test_bundled_key_dates_come_from_pack_yaml_in_date_order(built):
    html = html_for(bundled_pack(), "organiser", "complete")
    isos = re.findall(r'<li class="organiser-date"><span class="organiser-name"><time datetime="([0-9-]+)">', html)
    assert isos == ["1917-11-07", "1918-03-03", "1919-03-02", "1921-03-16", "1922-04-16",
                    "1934-09-18", "1935-05-02", "1938-09-29", "1939-08-23", "1939-11-30"]
    text = words(pdftotext(built / "organiser-complete.pdf"))
    assert "Franco-Soviet Treaty of Mutual Assistance" in text


# --- another pack, on A4 and Letter ---------------------------------------------------------

@pytest.mark.parametrize("paper,size", [("a4", (297, 210)), ("letter", (279, 216))])
def test_a_small_pack_is_one_landscape_page_in_every_edition(cold_war, tmp_path, paper, size):
    result = revpack.build(cold_war(), out=tmp_path / "out", paper=paper)
    for edition in EDITIONS:
        pdf = result.out_dir / f"organiser-{edition}.pdf"
        assert page_mm(pdf) == [size], (paper, edition)
        assert audit_pdf(pdf) == []
    assert "Iron curtain" in pdftotext(result.out_dir / "organiser-worksheet.pdf")


def test_a3_setting_gives_an_a3_page(cold_war, tmp_path):
    result = revpack.build(cold_war("organiser:\n  paper: a3\n"), out=tmp_path / "out",
                           editions=("complete",))
    assert page_mm(result.out_dir / "organiser-complete.pdf") == [(420, 297)]
    # The other handouts keep the pack's paper.
    assert page_mm(result.out_dir / "timeline-complete.pdf")[0] == (210, 297)


def test_large_print_runs_on_over_a4_portrait_pages_never_under_18_pt(cold_war, tmp_path):
    result = revpack.build(cold_war("organiser:\n  paper: a3\n"), out=tmp_path / "out",
                           variant="large-print", editions=("answers",), booklet=True)
    pdf = result.out_dir / "organiser-answers-large-print.pdf"
    sizes = page_mm(pdf)
    assert len(sizes) >= 2 and set(sizes) == {(210, 297)}     # A4, whatever organiser.paper
    assert audit_pdf(pdf, min_pt=18) == []
    # Its pages fold into the large-print booklet like every other handout's.
    assert audit_pdf(result.out_dir / "pack-answers-large-print-booklet.pdf", min_pt=18) == []


# --- too much for one page ------------------------------------------------------------------

def test_too_many_terms_is_an_error_saying_by_how_much_and_what_to_cut(cold_war, tmp_path):
    terms = "".join(f"- **Term {i}**: a definition of term number {i}, long enough to take two "
                    "lines of a column on the page.\n" for i in range(60))
    pack = cold_war(files={"glossary.md": "# Key terms\n\n" + terms})
    with pytest.raises(RevpackError) as exc:
        revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    (error,) = _errors(exc.value)
    m = re.fullmatch(r".*glossary\.md:1: error: the knowledge organiser \(complete edition\) runs "
                     r"(\d+) lines / (\d+) mm over one page of A4 \(cut about (\d+) terms from the "
                     r"glossary \(or shorten definitions\), or set organiser\.paper: a3\)", error)
    assert m, error
    lines, mm, cut = map(int, m.groups())
    assert lines > 0 and mm > 20 and 1 <= cut < 60
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


def test_the_overflow_error_exits_non_zero_without_a_traceback(cold_war, tmp_path):
    from typer.testing import CliRunner

    from revpack.cli import app

    terms = "".join(f"- **Term {i}**: a definition of term number {i}, long enough to take two "
                    "lines of a column on the page.\n" for i in range(60))
    pack = cold_war(files={"glossary.md": "# Key terms\n\n" + terms})
    run = CliRunner().invoke(app, ["build", str(pack), "--out", str(tmp_path / "out"),
                                   "--edition", "complete"])
    assert run.exit_code == 1
    assert "glossary.md:1: error: the knowledge organiser" in run.output
    assert "Traceback" not in run.output


# --- settings ---------------------------------------------------------------------------------

def _context(pack_dir: Path, edition: str = "complete"):
    diags = Diagnostics()
    pack = load_pack(pack_dir, diags)
    ctx = handout_context(pack, ProseRenderer(pack.root, diags), "organiser", edition)
    return ctx, diags


def test_key_dates_are_matched_to_timeline_events(cold_war):
    ctx, diags = _context(cold_war("organiser:\n  key_dates:\n    - 4 Apr 1949: NATO founded\n"
                                   "    - 27 Jul 1953\n"))
    assert not diags.has_errors()
    assert [d["date"] for d in ctx["key_dates"]] == ["4\xa0Apr\xa01949", "27\xa0Jul\xa01953"]
    assert str(ctx["key_dates"][0]["text"]) == "NATO founded"
    assert re.sub(r"<[^>]+>", "", str(ctx["key_dates"][1]["text"])) == \
        "An armistice ends the fighting in Korea"


def test_a_key_date_matching_no_event_is_a_located_error_with_a_suggestion(cold_war):
    pack = cold_war("organiser:\n  key_dates:\n    - 4 Apr 1949\n    - 4 Apr 1948\n")
    with pytest.raises(RevpackError) as exc:
        check(pack)
    errors = _errors(exc.value)
    line = (pack / "pack.yaml").read_text(encoding="utf-8").split("\n").index("    - 4 Apr 1948") + 1
    assert any(e.endswith(f"pack.yaml:{line}: error: key date '4 Apr 1948' matches no event in "
                          "the timeline (did you mean '4 Apr 1949'?)") for e in errors), errors


@pytest.mark.parametrize("setting,expected", [
    ("  key_dates: 1949\n", "'key_dates' should be a list of dates from the timeline"),
    ("  key_dates:\n    - [1949]\n", "a key date should be a date, not"),
    ("  key_dates:\n    - 31 Feb 1949\n", "key date '31 Feb 1949'"),
    ("  paper: a2\n", "unknown paper 'a2' for the organiser"),
    ("  key_date: []\n", "unknown organiser option 'key_date' (did you mean 'key_dates'?)"),
])
def test_bad_organiser_settings_are_located_errors(cold_war, setting, expected):
    pack = cold_war("organiser:\n" + setting)
    with pytest.raises(RevpackError) as exc:
        check(pack)
    errors = _errors(exc.value)
    assert any("pack.yaml:" in e and expected in e for e in errors), errors


def test_key_dates_default_to_events_marked_key_in_the_timeline(cold_war):
    timeline = (FIXTURES / "cold-war" / "timeline.md").read_text(encoding="utf-8")
    marked = re.sub(r"^(- \*\*27 Jul 1953\*\*.*?)(\s*\[[a-z]+\])?$", r"\1 [key]\2", timeline,
                    count=1, flags=re.M)
    assert marked != timeline
    ctx, diags = _context(cold_war(files={"timeline.md": marked}))
    assert not diags.has_errors()
    assert [d["date"] for d in ctx["key_dates"]] == ["27\xa0Jul\xa01953"]


def test_key_dates_default_to_ten_spread_over_the_timeline(cold_war):
    ctx, _ = _context(cold_war())
    dates = ctx["key_dates"]
    assert len(dates) == 10
    assert [d["iso"] for d in dates] == sorted(d["iso"] for d in dates)


def test_phase_strip_names_and_spans(cold_war):
    ctx, _ = _context(cold_war())
    assert ctx["phases"][0]["span"] == "1945–1946"
    assert str(ctx["phases"][0]["name"]) == "From allies to rivals"


# --- packs without the files it needs -------------------------------------------------------

def test_a_pack_without_a_glossary_builds_no_organiser_and_no_new_warning(make_pack, tmp_path):
    pack = make_pack()                      # the mini pack: no glossary.md, no people.md
    assert not (pack / "glossary.md").exists()
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    # The mini pack's own warnings (events out of order, on purpose) and nothing new.
    assert [d.message for d in result.diagnostics] == [d.message for d in check(pack).diagnostics.items]
    assert not [d for d in result.diagnostics
                if re.search(r"organiser|glossary\.md|people\.md", str(d), re.I)]
    assert not list(result.out_dir.glob("organiser-*"))
    assert "organiser" not in (result.out_dir / "index.html").read_text(encoding="utf-8").lower()


def test_without_people_the_organiser_has_no_people_column(cold_war):
    ctx, diags = _context(cold_war(files={"people.md": None}))
    assert ctx["people"] == [] and ctx["terms"]
    assert not diags.items
