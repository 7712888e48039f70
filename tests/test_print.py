"""Print-ready output: paper sizes, duplex, class sets, booklets and modified copies."""

from __future__ import annotations

import subprocess
from collections import Counter

import pdfplumber
import pytest
from pypdf import PdfReader

import revpack
from revpack.diagnostics import Diagnostics
from revpack.post import booklet_order
from revpack.roster import read_class_list

from .conftest import page_texts, pdftotext

LETTER = (612.0, 792.0)
A4 = (595.3, 841.9)
A5 = (419.5, 595.3)


def _size(page) -> tuple[float, float]:
    return tuple(sorted((round(float(page.mediabox.width), 1),
                         round(float(page.mediabox.height), 1))))


@pytest.fixture(scope="module")
def mini_out(tmp_path_factory):
    """The mini pack: complete + worksheet, standard, with a booklet and a class set."""
    from .conftest import FIXTURES
    tmp = tmp_path_factory.mktemp("print")
    roster = tmp / "class.csv"
    roster.write_text("name,class,variant,notes\n"
                      "Amélie Dupont,12B,,x\n"
                      "Seán O'Brien,12B,large-print,\n"
                      "\n"
                      "Женя Иванова,12C,dyslexia-friendly,\n"
                      "Zoë Smith,12C,,\n"
                      "Zoë Smith,12C,,\n", encoding="utf-8")
    result = revpack.build(FIXTURES / "mini", out=tmp / "out", editions=("complete", "answers"),
                           booklet=True, class_list=roster)
    return result


def test_letter_paper(tmp_path):
    from .conftest import FIXTURES
    out = revpack.build(FIXTURES / "mini", out=tmp_path, editions=("complete",),
                        paper="letter").out_dir
    for name in ("timeline-complete.pdf", "pack-complete.pdf", "historiography-complete.pdf"):
        for page in PdfReader(out / name).pages:
            assert _size(page) == LETTER, name


def test_a4_by_default(mini_out):
    for page in PdfReader(mini_out.out_dir / "pack-complete.pdf").pages:
        assert _size(page) == A4


def test_file_names_with_options(mini_out):
    names = sorted(p.name for p in mini_out.out_dir.glob("*.pdf"))
    assert "class-complete.pdf" in names
    assert "class-answers.pdf" not in names          # the teacher's copy is never personalised
    assert "pack-complete-booklet.pdf" in names and "pack-answers-booklet.pdf" in names
    assert revpack.build.__module__  # the API stays importable as a function
    from revpack.build import output_name
    assert output_name("timeline", "worksheet", "large-print") == \
        "timeline-worksheet-large-print.pdf"
    assert output_name("pack", "answers", "dyslexia-friendly", booklet=True) == \
        "pack-answers-dyslexia-friendly-booklet.pdf"
    assert output_name("class", "complete") == "class-complete.pdf"


def test_every_handout_starts_on_an_odd_page(mini_out):
    reader = PdfReader(mini_out.out_dir / "pack-complete.pdf")
    starts = [reader.get_destination_page_number(o) for o in reader.outline
              if not isinstance(o, list)]
    assert len(starts) == 7 and all(s % 2 == 0 for s in starts[1:]), starts  # after Contents
    assert starts[0] == 1                           # the contents, after the cover
    texts = page_texts(mini_out.out_dir / "pack-complete.pdf")
    for s in starts[1:]:
        if texts[s - 1].strip() and "intentionally left blank" in texts[s - 1]:
            break
    else:
        pytest.fail("no labelled blank verso in a pack whose handouts are 1 page long")


def test_class_set_one_copy_per_name_in_order(mini_out):
    path = mini_out.out_dir / "class-complete.pdf"
    texts = page_texts(path)
    names = ["Amélie Dupont", "Seán O'Brien", "Женя Иванова", "Zoë Smith", "Zoë Smith"]
    firsts = [i for i, t in enumerate(texts) if "Timeline" in t and "Isolation" in t]
    assert len(firsts) == len(names)
    assert all(i % 2 == 0 for i in firsts), firsts                 # each copy on an odd page
    for n, (start, name) in enumerate(zip(firsts, names)):
        start -= 2                                  # each copy opens with a cover and contents
        end = firsts[n + 1] - 2 if n + 1 < len(firsts) else len(texts)
        copy = [t for t in texts[start:end] if "intentionally left blank" not in t]
        for page in copy:
            assert name in page, (name, page[:200])             # header of every page
        assert sum(t.count(name) for t in copy) > len(copy)     # ... and the name fields
        assert "12B" in copy[0] or "12C" in copy[0]


def test_class_set_uses_each_students_variant(mini_out):
    pdf = pdfplumber.open(mini_out.out_dir / "class-complete.pdf")
    texts = page_texts(mini_out.out_dir / "class-complete.pdf")
    firsts = [i for i, t in enumerate(texts) if "Timeline" in t and "Isolation" in t]
    def body_size(i):
        chars = [c for c in pdf.pages[i].chars if 150 < c["top"] < 700 and c["text"].strip()]
        return Counter(round(c["size"]) for c in chars).most_common(1)[0][0]
    assert body_size(firsts[0]) < 14        # standard
    assert body_size(firsts[1]) >= 18       # Seán: large print


def test_class_list_warnings_and_plain_lists(tmp_path):
    plain = tmp_path / "names.txt"
    plain.write_text("Ann Lee\n\nBo Chen\nAnn Lee\n", encoding="utf-8")
    diags = Diagnostics()
    students = read_class_list(plain, diags)
    assert [s.name for s in students] == ["Ann Lee", "Bo Chen", "Ann Lee"]
    lines = [str(d).replace(str(tmp_path) + "/", "") for d in diags.items]
    assert any(line.endswith("names.txt:2: warning: blank line skipped") for line in lines), lines
    assert any("names.txt:4: warning: 'Ann Lee' is listed twice (also at line 1)" in line
               for line in lines), lines


def test_a_name_no_font_covers_is_reported(tmp_path):
    roster = tmp_path / "c.csv"
    roster.write_text("name\nAmélie Dupont\nአበበ ቢቂላ\n", encoding="utf-8")
    has_ethiopic = subprocess.run(["fc-list", ":charset=12a0"], capture_output=True,
                                  text=True).stdout.strip()
    diags = Diagnostics()
    read_class_list(roster, diags)
    errors = [str(d) for d in diags.errors]
    if has_ethiopic:
        assert not errors
    else:
        assert len(errors) == 1 and "c.csv:3: error: no available font can print 'አ'" in errors[0]


def test_booklet_is_imposed_in_booklet_order(mini_out):
    sheets = PdfReader(mini_out.out_dir / "pack-complete-booklet.pdf")
    # The same pack laid out at A5, which the booklet imposes.
    assert all(_size(p) == A4 and float(p.mediabox.width) > float(p.mediabox.height)
               for p in sheets.pages)
    a5_pages = 2 * len(sheets.pages)
    assert a5_pages % 4 == 0
    first_side = page_texts(mini_out.out_dir / "pack-complete-booklet.pdf")[0]
    w = float(sheets.pages[0].mediabox.width)
    h = float(sheets.pages[0].mediabox.height)
    def half(x):
        return subprocess.run(["pdftotext", "-q", "-f", "1", "-l", "1", "-x", str(int(x)), "-y",
                               "0", "-W", str(int(w / 2)), "-H", str(int(h)),
                               str(mini_out.out_dir / "pack-complete-booklet.pdf"), "-"],
                              capture_output=True, text=True).stdout
    left, right = half(0), half(w / 2)
    assert "Mini pack" in right and "Name" in right           # page 1, the cover, on the right
    assert "Mini pack" not in left                            # the last page on the left
    assert first_side.strip()


def test_booklet_order_pairs_last_with_first():
    assert booklet_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    with pytest.raises(AssertionError):
        booklet_order(6)


def test_large_print_body_text_is_at_least_18pt(tmp_path):
    from .conftest import FIXTURES
    out = revpack.build(FIXTURES / "mini", out=tmp_path, editions=("worksheet",),
                        variant="large-print", booklet=True).out_dir
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == sorted([f"{h}-worksheet-large-print.pdf" for h in
                            ("timeline", "treaties", "historiography", "exam", "findfix", "pack")]
                           + ["pack-worksheet-large-print-booklet.pdf"])
    # 18 pt does not fit A5: the large-print booklet folds the A4 pages from A3 sheets.
    a4_pages = len(PdfReader(out / "pack-worksheet-large-print.pdf").pages)
    sheets = PdfReader(out / "pack-worksheet-large-print-booklet.pdf").pages
    assert all(_size(p) == (841.9, 1190.6) and float(p.mediabox.width) > 1000 for p in sheets)
    assert len(sheets) == 2 * ((a4_pages + 3) // 4)
    for name in ("timeline-worksheet-large-print.pdf", "exam-worksheet-large-print.pdf"):
        with pdfplumber.open(out / name) as pdf:
            body = [c for page in pdf.pages for c in page.chars if c["text"].strip()
                    and 60 < c["top"] < page.height - 60]            # not header/footer
            assert len(body) > 200
            assert min(c["size"] for c in body) >= 17.9, name


def test_dyslexia_friendly_has_no_italics_and_a_tint(tmp_path):
    from .conftest import FIXTURES
    out = revpack.build(FIXTURES / "mini", out=tmp_path, editions=("answers",),
                        variant="dyslexia-friendly").out_dir
    with pdfplumber.open(out / "pack-answers-dyslexia-friendly.pdf") as pdf:
        fonts = {c["fontname"] for p in pdf.pages for c in p.chars}
        assert fonts and not any("Italic" in f or "Oblique" in f for f in fonts), fonts
        sizes = [c["size"] for p in pdf.pages for c in p.chars
                 if c["text"].strip() and 60 < c["top"] < p.height - 60]
        assert min(sizes) >= 11.9
        tinted = [r for r in pdf.pages[0].rects if r["width"] > 500 and r["height"] > 700]
        assert tinted, "the page carries a cream tint"


def test_running_header_prints_apostrophes_and_ampersands_as_written(make_pack, tmp_path):
    """Header text goes into a <style> element, where HTML entities are not decoded: it must be
    escaped as CSS, never as HTML (no "&#39;" or "&amp;" on the page)."""
    from .conftest import FIXTURES
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace('title: "Mini pack"', 'title: "Stalin\'s policy & \\"peace\\""')
    pack = make_pack({"pack.yaml": manifest + 'school: "Smith & Jones Academy"\n'})
    out = revpack.build(pack, out=tmp_path / "out", editions=("complete",)).out_dir
    first = page_texts(out / "treaties-complete.pdf")[0]
    assert 'Smith & Jones Academy · Stalin\'s policy & "peace"' in first
    assert "&#39;" not in first and "&amp;" not in first


def _overlapping_chars(path) -> list[tuple[int, str]]:
    """Pairs of letters on one line drawn over each other: text run out of its box into the
    next. (Kerning tucks a full stop under a capital, so punctuation is not counted.)"""
    from collections import defaultdict
    bad = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            lines = defaultdict(list)
            for c in page.chars:
                if c["text"].isalnum():
                    lines[round(c["top"])].append(c)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                for a, b in zip(chars, chars[1:]):
                    if b["x0"] < a["x1"] - 0.3 * min(a["width"], b["width"]):
                        bad.append((n, a["text"] + b["text"]))
    return bad


@pytest.mark.parametrize("variant", ["standard", "large-print", "dyslexia-friendly"])
def test_no_text_runs_into_the_next_column(make_pack, tmp_path, variant):
    from .conftest import FIXTURES
    treaties = (FIXTURES / "mini" / "treaties.md").read_text(encoding="utf-8") + (
        "\n## Soviet–Czechoslovak Treaty of Mutual Assistance\n- Date: 16 May 1935\n"
        "- Parties: Czechoslovakia; USSR\n- Terms: Aid if attacked.\n- Significance: Tied to France.\n")
    pack = make_pack({"treaties.md": treaties})
    out = revpack.build(pack, out=tmp_path / "out", editions=("complete",),
                        variant=variant).out_dir
    suffix = "" if variant == "standard" else f"-{variant}"
    for handout in ("treaties", "timeline", "historiography", "exam"):
        path = out / f"{handout}-complete{suffix}.pdf"
        assert _overlapping_chars(path) == [], path.name


def test_stamped_names_never_print_over_other_text(make_pack, tmp_path):
    """The running header holds the school, the pack title and the handout's name; the name
    strip holds Name, Class and Date. A student's name, however long, fits between them."""
    from .conftest import FIXTURES
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    pack = make_pack({"pack.yaml": manifest + 'school: "Kingsbridge Academy History Department"\n'})
    roster = tmp_path / "class.csv"
    long_name = "Maximilian Alexander Fitzgerald-Montgomery de la Tour-Smythe III"
    roster.write_text(f"name,class\nZoë Brontë-Ávila,12B\n{long_name},12C\n", encoding="utf-8")
    out = revpack.build(pack, out=tmp_path / "out", editions=("complete",),
                        class_list=roster).out_dir
    path = out / "class-complete.pdf"
    assert _overlapping_chars(path) == []
    text = pdftotext(path)
    assert text.count(long_name) >= 2 * 5 and text.count("Zoë Brontë-Ávila") >= 2 * 5


def test_a_year_group_class_list_is_not_held_to_the_handout_page_limit(make_pack, tmp_path):
    """The page of names a class set stamps has one page per student and page layout: a year
    group of 90 needs more than the 300 pages allowed for a handout, and that is fine."""
    roster = tmp_path / "year.txt"
    roster.write_text("".join(f"Student {n:03d}\n" for n in range(1, 91)), encoding="utf-8")
    out = revpack.build(make_pack(), out=tmp_path / "out", editions=("complete",),
                        class_list=roster).out_dir
    text = pdftotext(out / "class-complete.pdf")
    assert "Student 001" in text and "Student 090" in text


def test_a_blank_verso_in_a_class_set_is_never_tinted(mini_out):
    """A dyslexia-friendly copy is printed on a cream tint, but a blank verso never is."""
    path = mini_out.out_dir / "class-complete.pdf"
    texts = page_texts(path)
    with pdfplumber.open(path) as pdf:
        tinted = [any(r["width"] > 0.9 * p.width and r["height"] > 0.9 * p.height
                      for r in p.rects) for p in pdf.pages]
    blanks = [i for i, t in enumerate(texts) if "intentionally left blank" in t and i > 0]
    assert blanks and any(tinted)
    for i in blanks:
        assert not tinted[i], i
