"""The print rules of the built-in look (issue 11), each shown on the smallest input that shows it:
large print is 18 pt everywhere and sets wide tables as labelled records, names and dates are
never hyphenated, gaps are sized for handwriting and stay inside their cells, and the
dyslexia-friendly tint can be turned off (and never reaches a blank verso)."""

from __future__ import annotations

import re

import pdfplumber
import pytest

import revpack
from revpack.diagnostics import Diagnostics
from revpack.load import load_pack
from revpack.prose import ProseRenderer, keep_whole
from revpack.views import GAP_METRICS, GapPlan, handout_context

from .conftest import FIXTURES, messages, page_texts

MM = 72 / 25.4
LONG_TREATY = (
    "\n## Soviet–Czechoslovak Treaty of Mutual Assistance\n- Date: 16 May 1935\n"
    "- Parties: Czechoslovakia; Union of Soviet Socialist Republics\n"
    "- Terms: Each promises aid if the other is attacked, but only if France acts first; "
    "Czechoslovakia never allows Soviet troops to cross Poland or Romania to reach it.\n"
    "- Significance: Ties Moscow to the French alliance system; at Munich in September 1938 "
    "Stalin's offer of help is never put to the test, and Litvinov's collective security fails.\n")


# --- names and dates are never hyphenated ---------------------------------------------------------

def test_names_and_dates_are_kept_whole_in_prose():
    html = keep_whole("In 1924–25 the Soviet Union and Czechoslovakia met on 16 May 1935 in Moscow.")
    assert '<span class="nh">Soviet Union</span>' in html
    assert '<span class="nh">Czechoslovakia</span>' in html
    assert '<span class="nh">Moscow</span>' in html
    assert '<span class="nb">16 May 1935</span>' in html and '<span class="nb">1924–25</span>' in html
    assert "<span class=\"nh\">In</span>" not in html        # too short to hyphenate anyway
    assert keep_whole("a < b & c") == "a &lt; b &amp; c"


def test_rendered_prose_wraps_names_and_keeps_text(tmp_path):
    prose = ProseRenderer(tmp_path, Diagnostics())
    html = str(prose.render("**Stalin**’s pact with *Germany*", None, inline=True))
    assert '<strong><span class="nh">Stalin</span></strong>' in html
    assert '<em><span class="nh">Germany</span></em>' in html
    assert prose.plain("**Stalin**’s pact with *Germany*") == "Stalin’s pact with Germany"


def _split_names(path) -> list[str]:
    """Capitalised words hyphenated at a line end (U+2010 is WeasyPrint's hyphenation mark)."""
    text = "\n".join(page_texts(path))
    return re.findall(r"\b([A-Z]\w*)‐\n", text)


@pytest.fixture(scope="module")
def large_print(tmp_path_factory):
    """The mini pack, with a long treaty, in large print: worksheet and answers."""
    import shutil
    root = tmp_path_factory.mktemp("lp") / "pack"
    shutil.copytree(FIXTURES / "mini", root)
    with open(root / "treaties.md", "a", encoding="utf-8") as f:
        f.write(LONG_TREATY)
    out = revpack.build(root, out=root.parent / "out", editions=("worksheet", "answers"),
                        variant="large-print").out_dir
    return root, out


# --- large print -----------------------------------------------------------------------------------

def test_large_print_sets_every_character_at_18pt_or_more(large_print):
    _, out = large_print
    for name in ("timeline", "treaties", "historiography", "exam", "pack"):
        for edition in ("worksheet", "answers"):
            with pdfplumber.open(out / f"{name}-{edition}-large-print.pdf") as pdf:
                sizes = [c["size"] for p in pdf.pages for c in p.chars if c["text"].strip()]
                assert sizes and min(sizes) >= 17.95, (name, edition, min(sizes))
                # The running header and page numbers are there, and at 18 pt too.
                # (A combined pack opens with its cover and contents, which carry no header.)
                first = pdf.pages[2 if name == "pack" else 0]
                furniture = [c for c in first.chars if c["top"] < 25 * MM or
                             c["top"] > first.height - 25 * MM]
                assert furniture, name


def test_large_print_never_hyphenates(large_print):
    _, out = large_print
    for name in ("timeline", "treaties", "historiography", "exam"):
        text = "\n".join(page_texts(out / f"{name}-answers-large-print.pdf"))
        assert not re.search(r"\w‐\n", text), name


def test_large_print_tables_are_labelled_records(large_print):
    """One block per treaty, each field under its label; no five-column table at 18 pt."""
    _, out = large_print
    text = "\n".join(page_texts(out / "treaties-answers-large-print.pdf"))
    assert text.count("Date signed") == text.count("Key terms") == 3   # once per treaty
    with pdfplumber.open(out / "treaties-answers-large-print.pdf") as pdf:
        assert all(p.width < p.height for p in pdf.pages)                 # portrait pages
    grid = "\n".join(page_texts(out / "historiography-answers-large-print.pdf"))
    assert grid.count("Core argument") == grid.count("Criticisms") == grid.count(" school\n") >= 1


def test_large_print_answers_get_lines_never_smaller_type(large_print):
    """The answers edition of large print never uses the dense (smaller) answer classes."""
    root, _ = large_print
    diags = Diagnostics()
    pack = load_pack(root, diags)
    prose = ProseRenderer(pack.root, diags)
    plan = GapPlan(dense={i: 2 for i in range(50)})      # as if every answer were too long
    ctx = handout_context(pack, prose, "treaties", "answers", variant="large-print", plan=plan)
    gaps = [v for t in ctx["treaties"] for v in t.values() if hasattr(v, "dense")]
    assert gaps and all(g.dense == 0 for g in gaps)
    ctx = handout_context(pack, prose, "treaties", "answers", plan=plan)
    assert any(v.dense for t in ctx["treaties"] for v in t.values() if hasattr(v, "dense"))


# --- gaps and cells --------------------------------------------------------------------------------

def test_gaps_are_sized_for_handwriting_on_8_to_9_mm_rules():
    for variant in ("standard", "dyslexia-friendly"):
        m = GAP_METRICS[variant]
        assert 8 <= m.gap_line_mm <= 10
        # Handwriting takes about twice the typeset width: fewer characters per written line
        # than per printed line, in every kind of column.
        for kind in ("event", "narrow", "cell", "grid"):
            assert m.write_in[kind] <= 0.6 * m.printed[kind], (variant, kind)
    assert GAP_METRICS["standard"].gap_line_mm == 8.5


def test_a_blank_date_gets_a_line_per_part(make_pack):
    pack_dir = make_pack({"pack.yaml": (FIXTURES / "mini" / "pack.yaml").read_text(
        encoding="utf-8") + "worksheet:\n  timeline:\n    blank: dates\n    proportion: 1\n"})
    diags = Diagnostics()
    pack = load_pack(pack_dir, diags)
    ctx = handout_context(pack, ProseRenderer(pack.root, diags), "timeline", "worksheet")
    lines = {str(e["date"].answer): e["date"].lines for p in ctx["phases"] for e in p["events"]}
    assert lines["7\xa0Nov\xa01917"] == 2           # "7 Nov" and "1917" handwritten
    assert all(n >= 1 for n in lines.values())


def test_no_text_touches_a_cell_rule(make_pack, tmp_path):
    """Every character of the treaty table sits at least 1.5 mm inside its cell's rules (the
    cells are padded 2 mm): "16 May 1935" in bold fits its column."""
    pack = make_pack({"treaties.md": (FIXTURES / "mini" / "treaties.md").read_text(
        encoding="utf-8") + LONG_TREATY})
    out = revpack.build(pack, out=tmp_path / "out", editions=("complete",)).out_dir
    with pdfplumber.open(out / "treaties-complete.pdf") as pdf:
        page = pdf.pages[0]
        rules = sorted({round(e["x0"], 1) for e in page.edges       # the cells' rules
                        if e["orientation"] == "v" and e["object_type"] == "line"})
        assert len(rules) >= 6
        heading = page.search("Date signed")[0]           # the header row
        table_top = heading["top"] - 1
        table_bottom = max(e["bottom"] for e in page.edges if e["orientation"] == "v")
        chars = [c for c in page.chars if table_top < c["top"] < table_bottom
                 and c["text"].strip()]
        assert any(c["text"] == "1" for c in chars)
        for c in chars:
            gap = min(min(abs(c["x0"] - x), abs(c["x1"] - x)) for x in rules)
            assert gap >= 1.5 * MM, (c["text"], gap / MM)


# --- dyslexia-friendly tint ------------------------------------------------------------------------

def _tinted(path) -> list[bool]:
    with pdfplumber.open(path) as pdf:
        return [any(r["width"] > 0.9 * p.width and r["height"] > 0.9 * p.height
                    and r.get("non_stroking_color") not in (None, (1,), [1], (1, 1, 1), [1, 1, 1])
                    for r in p.rects) for p in pdf.pages]


def test_the_tint_can_be_turned_off_and_never_reaches_a_blank_verso(make_pack, tmp_path):
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    tinted = revpack.build(make_pack(), out=tmp_path / "a", editions=("complete",),
                           variant="dyslexia-friendly").out_dir
    path = tinted / "pack-complete-dyslexia-friendly.pdf"
    texts, tints = page_texts(path), _tinted(path)
    blanks = [i for i, t in enumerate(texts) if "intentionally left blank" in t]
    assert blanks and any(tints)
    assert not any(tints[i] for i in blanks)
    assert all(tints[i] for i in range(len(texts)) if i not in blanks)

    plain = make_pack({"pack.yaml": manifest + "print:\n  tint: false\n"}, name="plain")
    out = revpack.build(plain, out=tmp_path / "b", editions=("complete",),
                        variant="dyslexia-friendly").out_dir
    assert not any(_tinted(out / "pack-complete-dyslexia-friendly.pdf"))


def test_a_bad_print_setting_names_its_line(make_pack):
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    pack = make_pack({"pack.yaml": manifest + "print:\n  tint: maybe\n  tnt: false\n"})
    got = messages(pack)
    n = manifest.count("\n")
    assert f"pack.yaml:{n + 2}: error: 'tint' should be true or false, not 'maybe'" in got
    assert any(m.startswith(f"pack.yaml:{n + 3}: error: unknown print option 'tnt'") for m in got)
