"""Exam layout: papers with their own fronts, the answers copy without lines, answer lines sized
by marks and fitted to the pages, and the combined pack's cover, contents and sources page."""

from __future__ import annotations

import re

import pytest

import revpack
from revpack.build import _Session, check, html_for
from revpack.diagnostics import Diagnostics
from revpack.load import load_pack
from revpack.pdf import answer_line_tails
from revpack.views import GapPlan, answer_lines_for

from .conftest import messages, page_texts

PAPERS = """\
    # Exam practice

    A set of practice papers.

    # Paper 1: Essays
    - Board: AQA-style
    - Qualification: A-level History
    - Code: 7042/2N
    - Time allowed: 1 hour 30 minutes
    - Marks: 25
    - Instructions:
      - Answer **one** question.
    - Information:
      - The maximum mark for this paper is {total_marks}.

    ## Fear of Germany
    - Marks: 25

    "Fear of Germany drove Soviet policy." **Assess** the validity of this view.

    ### Mark scheme
    - Level 2: 13–25 marks — Good.
    - Level 1: 1–12 marks — Weak.

    ## Isolation
    - Marks: 25

    **To what extent** was the USSR isolated in the 1920s?

    ### Mark scheme
    - Level 2: 13–25 marks — Good.
    - Level 1: 1–12 marks — Weak.

    # Paper: Sources
    - Board: IB-style
    - Qualification: IB Diploma History
    - Time allowed: 30 minutes

    ## Source question
    - Marks: 4

    **Analyse** the value of Source A.

    ### Source A
    - Provenance: Stalin, 10 Mar 1939.

    > Text of the source.

    ### Mark scheme
    - Level 2: 3–4 marks — Both.
    - Level 1: 1–2 marks — One.
    """


def test_short_answers_get_two_to_three_lines_a_mark_and_essays_fewer():
    assert answer_lines_for(4, 2.5, 6) == 10
    assert answer_lines_for(9, 2.5, 6) == 23
    assert answer_lines_for(15, 2.5, 6, 1.0) == 30
    assert answer_lines_for(25, 2.5, 6, 1.0) == 40
    assert answer_lines_for(1, 2.5, 6) == 6          # never fewer than min_lines
    for marks in range(1, 11):
        assert 2 * marks <= answer_lines_for(marks, 2.5, 0) <= 3 * marks


def test_papers_are_read_with_their_fields_and_numbered_from_one(make_pack):
    pack = check(make_pack({"exam.md": PAPERS})).pack
    first, second = pack.exam.papers
    assert (first.title, first.board, first.qualification, first.code, first.time_allowed) == (
        "Paper 1: Essays", "AQA-style", "A-level History", "7042/2N", "1 hour 30 minutes")
    assert first.total_marks == 25 and second.total_marks == 4    # Marks, else the sum
    assert [str(i) for i in first.instructions] == ["Answer **one** question."]
    assert second.title == "Sources" and second.instructions == []
    assert [q.number for q in first.questions] == [1, 2] and second.questions[0].number == 1
    assert len(pack.exam.questions) == 3
    assert str(first.loc).endswith("exam.md:5")


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.replace("# Paper 1: Essays", "## Orphan\n- Marks: 3\n\n**Name** one.\n\n"
                         "# Paper 1: Essays"),
     "exam.md:5: error: question 'Orphan' comes before the first paper"),
    (lambda t: t + "\n# Paper 3: Empty\n- Time allowed: 1 hour\n",
     "paper 'Paper 3: Empty' has no questions"),
    (lambda t: t.replace("- Marks: 25\n- Instructions", "- Marks: 90\n- Instructions"),
     "exam.md:10: error: the paper's 'Marks' (90) is more than its questions' total (50)"),
    (lambda t: t.replace("- Time allowed: 30 minutes", "- Time: 30 minutes"),
     "unknown field 'Time'"),
    (lambda t: t.replace("## Isolation", "# Section B\n\n## Isolation"),
     "unexpected heading"),
])
def test_paper_mistakes_are_reported_at_their_line(make_pack, change, expected):
    import textwrap
    root = make_pack({"exam.md": change(textwrap.dedent(PAPERS))})
    found = messages(root)
    assert any(expected in m for m in found), found


def test_a_pack_without_papers_gets_no_new_warnings(make_pack):
    found = messages(make_pack())
    exam = [m for m in found if m.startswith("exam.md")]
    assert all("has no mark scheme" in m for m in exam), exam     # as before papers
    assert not any("paper" in m.lower() for m in found), found


def test_each_paper_has_its_own_front_total_and_board_labels(make_pack):
    root = make_pack({"exam.md": PAPERS})
    for theme in (None, "aqa-style", "edexcel-style"):
        html = html_for(root, "exam", "complete", theme=theme)
        papers = re.findall(r'<section class="paper[^"]*" id="paper-\d"[^>]*>(.*?)<div class="turn-over-end">',
                            html, re.S)
        assert len(papers) == 2, theme
        assert "A-level History" in papers[0] and "IB Diploma" not in papers[0]
        assert "IB Diploma History" in papers[1] and "A-level History" not in papers[1]
        assert "The maximum mark for this paper is 25." in papers[0]
        assert "1 hour 30 minutes" in papers[0] and "30 minutes" in papers[1]
        assert papers[0].count("END OF QUESTIONS") == papers[1].count("END OF QUESTIONS") == 1
        # The pack's level ("A-level" in the mini pack) is not what a paper's cover shows.
        # (Capitalised words sit in never-hyphenated spans: compare the text without them.)
        assert "Answer <strong>one</strong> question." in re.sub(
            r'<span class="nh">([^<]*)</span>', r"\1", papers[0])
        assert "Answer <strong>one</strong>" not in papers[1]


def test_the_answers_copy_has_no_lines_and_each_scheme_follows_its_question(make_pack):
    html = html_for(make_pack({"exam.md": PAPERS}), "exam", "answers")
    assert 'class="answer-line"' not in html
    order = [m.group(0) for m in re.finditer(r'id="q\d+"|Mark scheme: question \d', html)]
    assert order == ['id="q1"', "Mark scheme: question 1", 'id="q2"', "Mark scheme: question 2",
                     'id="q3"', "Mark scheme: question 1"]
    complete = html_for(make_pack({"exam.md": PAPERS}, name="again"), "exam", "complete")
    assert complete.count('class="answer-line"') == 40 + 40 + 10


def _exam_doc(root, lines: int, plan: GapPlan | None, before: str = ""):
    (root / "exam.md").write_text(f"# Exam\n\n{before}## Last question\n- Marks: 4\n- Lines: {lines}"
                                  "\n\n**Describe** two features of the Treaty of Rapallo.\n",
                                  encoding="utf-8")
    diags = Diagnostics()
    session = _Session(load_pack(root, diags), diags, None, None)
    if plan is not None:
        html = session.templating.html("exam", "complete", "standard", plan)
        return session._lay_out("exam", "complete", html, "standard", "a4")
    return session.render("exam", "complete", "standard", "a4")[0]


@pytest.mark.parametrize("lines, pages, change", [(19, 1, "fewer"), (28, 2, "more")])
def test_no_page_holds_only_a_few_carried_over_lines(make_pack, lines, pages, change):
    """A4 holds 17 lines under the mini pack's front: 19 lines leave 2 on a page of their own
    (taken off); 28 leave 11, too many to take off, so the lines go on to the foot of the page."""
    root = make_pack()
    before = answer_line_tails(_exam_doc(root, lines, GapPlan()), 0.5)
    assert list(before) == [0]                               # the case exists without the rule
    doc = _exam_doc(root, lines, None)
    assert answer_line_tails(doc, 0.5) == {} and len(doc.pages) == pages
    assert "END OF QUESTIONS" in page_texts_of(doc)[-1]
    drawn = sum(1 for p in doc.pages for _ in _answer_lines(p))
    assert (drawn < lines) if change == "fewer" else (drawn > lines)


def test_a_short_question_that_would_spill_moves_on_whole(make_pack):
    """After an 8-line question, a 12-line one leaves 6 lines on the next page: too many to take
    off, and the question fits on one page, so it starts there."""
    root = make_pack()
    first = "## First question\n- Marks: 4\n- Lines: 8\n\n**Describe** one thing.\n\n"
    assert list(answer_line_tails(_exam_doc(root, 12, GapPlan(), first), 0.5)) == [1]
    doc = _exam_doc(root, 12, None, first)
    assert answer_line_tails(doc, 0.5) == {} and len(doc.pages) == 2
    assert [len(list(_answer_lines(p))) for p in doc.pages] == [8, 12]
    assert "Last question" in page_texts_of(doc)[1]


def page_texts_of(doc) -> list[str]:
    import io

    from pypdf import PdfReader
    return [p.extract_text() for p in PdfReader(io.BytesIO(doc.write_pdf())).pages]


def _answer_lines(page):
    def walk(box):
        element = getattr(box, "element", None)
        if element is not None and element.get("class") == "answer-line":
            yield box
        for child in getattr(box, "children", None) or ():
            yield from walk(child)
    yield from walk(page._page_box)


def test_pack_opens_with_cover_and_contents_and_lists_start_pages(make_pack, tmp_path):
    root = make_pack({"exam.md": PAPERS})
    result = revpack.build(root, out=tmp_path / "out", editions=("complete",))
    pages = page_texts(result.out_dir / "pack-complete.pdf")
    assert "Mini pack" in pages[0] and "Complete notes" in pages[0]
    contents = pages[1].replace("\u00a0", " ")
    assert "Contents" in contents
    listed = re.findall(r"page (\d+)", contents)
    starts = {name: int(n) for name, n in zip(
        ("Timeline", "Treaty table", "Historiography grid", "Exam practice", "Paper 1",
         "Sources", "Find and fix"), listed)}
    assert len(listed) == 8                  # five handouts, two papers, the sources
    for label, title in (("Timeline", None), ("Exam practice", "Exam practice")):
        page = pages[starts[label] - 1]
        assert label in page, (label, page[:200])
        assert starts[label] % 2 == 1        # a right-hand page
    assert "Paper: Sources" not in contents and "Sources" in contents
    assert "Sources" in pages[int(listed[-1]) - 1]


def test_no_sources_page_when_the_pack_lists_none(make_pack, tmp_path):
    root = make_pack()
    manifest = (root / "pack.yaml").read_text(encoding="utf-8")
    (root / "pack.yaml").write_text(manifest.split("sources:")[0], encoding="utf-8")
    result = revpack.build(root, out=tmp_path / "out", editions=("complete",))
    pages = page_texts(result.out_dir / "pack-complete.pdf")
    assert not any("Made with revpack" in p for p in pages)
    assert "Sources" not in pages[1]
    assert not any("source" in str(d).lower() and "pack.yaml" in str(d)
                   for d in result.diagnostics)


def test_header_and_cover_labels_do_not_wrap(make_pack):
    from revpack.html import HEADER_BRAND_CHARS, shorten

    school = "Saint Aloysius Gonzaga Catholic High School and Sixth Form College, Upper Norwood"
    assert shorten("Short name", HEADER_BRAND_CHARS) == "Short name"
    cut = shorten(school, HEADER_BRAND_CHARS)
    assert cut.endswith("…") and len(cut) <= HEADER_BRAND_CHARS and school.startswith(cut[:-1])
    manifest = (make_pack().parent / "pack" / "pack.yaml").read_text(encoding="utf-8")
    root = make_pack({"pack.yaml": manifest + f'school: "{school}"\n'}, name="school")
    html = html_for(root, "exam", "complete", theme="aqa-style")
    header = re.search(r'@top-left \{ content: "([^"]*)"', html).group(1)
    assert header.startswith("Saint Aloysius Gonzaga") and "Upper Norwood" not in header
    assert "Total&nbsp;marks" in html or "Total\u00a0marks" in html


@pytest.mark.parametrize("theme, blank", [(None, 1), ("aqa-style", 0)])
def test_each_later_paper_starts_on_a_right_hand_page(make_pack, theme, blank):
    """Printed duplex, each paper's front is a recto; a blank verso before it says so. (The
    mini pack's first paper ends on page 3 without a cover, on page 2 after aqa-style's.)"""
    from io import BytesIO

    from pypdf import PdfReader

    root = make_pack({"exam.md": PAPERS})
    diags = Diagnostics()
    session = _Session(load_pack(root, diags), diags, theme, None)
    doc = session.render("exam", "worksheet", "standard", "a4")[0]
    pages = [p.extract_text().replace("\u00a0", " ")
             for p in PdfReader(BytesIO(doc.write_pdf())).pages]
    fronts = [i for i, text in enumerate(pages) if "Time allowed" in text]
    assert len(fronts) == 2 and all(i % 2 == 0 for i in fronts), fronts   # 0-based even: recto
    blanks = [i for i, text in enumerate(pages) if "intentionally left blank" in text]
    assert len(blanks) == blank and all(i + 1 in fronts and "END OF QUESTIONS" in pages[i - 1] for i in blanks)
    assert not any("Turn over" in pages[i] for i in blanks)


def test_the_answers_copy_has_no_examiner_margin(make_pack):
    root = make_pack({"exam.md": PAPERS})
    worksheet = html_for(root, "exam", "worksheet", theme="edexcel-style")
    answers = html_for(root, "exam", "answers", theme="edexcel-style")
    body = re.compile(r"<body class=\"([^\"]*)\"")
    assert "examiner-margin" in body.search(worksheet).group(1)
    assert "examiner-margin" not in body.search(answers).group(1)
