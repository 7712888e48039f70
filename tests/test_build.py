"""End-to-end: the bundled pack built once (all editions), then checked as a teacher would."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

import revpack
from revpack.build import check, html_for
from revpack.dates import DateError, parse_date
from revpack.handouts import kind
from revpack.resources import bundled_pack
from revpack.views import Gap, handout_context

from .conftest import page_texts, pdftotext

#: Every handout the bundled pack builds, in pack order (the registry's kinds it has files for).
HANDOUTS = tuple(check(bundled_pack()).pack.handouts())
EDITIONS = ("complete", "worksheet", "answers")
A4 = (595.3, 841.9)


def test_every_handout_and_the_pack_in_each_edition_with_the_agreed_names(built):
    names = sorted(p.name for p in built.glob("*.pdf"))
    expected = sorted([f"{h}-{e}.pdf" for h in HANDOUTS + ("pack",) for e in EDITIONS])
    assert names == expected
    assert built.name == "soviet-foreign-policy"


@pytest.mark.parametrize("name", [f"{h}-{e}.pdf" for h in HANDOUTS + ("pack",) for e in EDITIONS])
def test_each_pdf_opens_is_a4_tagged_and_titled(built, name):
    reader = PdfReader(built / name)
    assert len(reader.pages) >= 1
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        size = sorted((round(w, 1), round(h, 1)))
        # The bundled pack prints its knowledge organiser on A3 (organiser.paper: a3).
        assert size == sorted(A4) or (name.split("-")[0] in ("organiser", "pack")
                                      and size == [841.9, 1190.6]), (name, size)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert all("/StructParents" in p for p in reader.pages)
    assert "Soviet foreign policy" in reader.metadata.title
    handout = name.split("-")[0]
    label = "Soviet foreign policy" if handout == "pack" else kind(handout).title
    assert reader.metadata.title.startswith(label), reader.metadata.title
    # The subject describes this file, not the first handout of a combined pack.
    subject = reader.metadata.subject
    others = {"Timeline", "Treaties", "Historiography", "Exam"} - {handout.capitalize()}
    assert subject.startswith("History, A-level") and not any(o in subject for o in others), subject


def test_fonts_are_embedded(built):
    reader = PdfReader(built / "pack-complete.pdf")
    for page in reader.pages[:3]:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc or "/FontFile3" in desc or "/FontFile" in desc


def test_timeline_text_is_in_chronological_order(built):
    text = pdftotext(built / "timeline-complete.pdf").replace("\u00a0", " ")
    text = re.sub(r" –\n", " – ", text)        # a long range wraps in the date column
    month = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    pattern = re.compile(rf"^((?:c\. )?(?:(?:\d{{1,2}} )?{month} – )?"      # 10 Jul – 22 Dec 1929
                         rf"(?:\d{{1,2}}(?:–\d{{1,2}})? )?(?:{month}(?:–{month})? )?"
                         rf"\d{{4}}(?:–\d{{2}})?(?: – .+?\d{{4}})?)$", re.M)
    dates = []
    for m in pattern.finditer(text):
        try:
            dates.append(parse_date(m.group(1)))
        except DateError:
            continue
    pack = check(bundled_pack()).pack
    n_events = sum(len(p.events) for p in pack.timeline.phases)
    assert len(dates) >= n_events - 2, "most event dates should be found in the text"
    assert dates == sorted(dates)


def test_treaty_header_repeats_on_every_page(built):
    pages = [re.sub(r"\s+", " ", t) for t in page_texts(built / "treaties-complete.pdf")]
    assert len(pages) >= 2
    for text in pages:          # a long heading may wrap in its (padded) column
        assert "Date signed" in text and "Significance for Soviet policy" in text


def test_no_treaty_row_is_split_across_pages(built):
    pack = check(bundled_pack()).pack
    pages = [re.sub(r"\s+", " ", t) for t in page_texts(built / "treaties-complete.pdf")]
    for treaty in pack.treaties.treaties:
        date = treaty.date.format().replace("\u00a0", " ")
        on = [i for i, t in enumerate(pages) if date in t]
        assert on, date
        # The row's last words (end of its significance) are on the page where its date is.
        tail = re.sub(r"[*_]", "", treaty.significance).split()[-1].strip(".,;")
        assert any(tail in pages[i] for i in on), treaty.name


def test_answer_lines_in_the_pdf_follow_the_marks(built):
    """Count the ruled lines drawn under each question of the built PDF: each line is a box of
    the ruled height (8.5 mm) plus its 0.5 pt rule, and questions start at their bookmarks."""
    import bisect

    import pdfplumber

    from revpack.views import answer_lines_for

    reader = PdfReader(built / "exam-complete.pdf")
    height = float(reader.pages[0].mediabox.height)
    def flat(items):
        for item in items:
            yield from flat(item) if isinstance(item, list) else (item,)
    # The handout's title, then each paper's title and its questions.
    pack = check(bundled_pack()).pack
    titles = {p.title for p in pack.exam.papers}
    questions = [o for o in list(flat(reader.outline))[1:] if o.title not in titles]
    starts = [reader.get_destination_page_number(q) * height + height - float(q.top)
              for q in questions]
    ruled = 8.5 * 72 / 25.4 + 0.5
    counts = [0] * (len(starts) + 1)
    with pdfplumber.open(built / "exam-complete.pdf") as pdf:
        for page in pdf.pages:
            for rect in page.rects:
                if rect["width"] > 300 and abs(rect["height"] - ruled) < 0.05:
                    counts[bisect.bisect(starts, rect["doctop"])] += 1
    marks = [q.marks for q in pack.exam.questions]
    assert counts[0] == 0 and len(marks) == len(starts) == 14
    rule = [answer_lines_for(m, 2.5, 6) for m in marks]
    # Most questions get exactly the rule's lines; one whose lines would leave a page nearly
    # empty loses at most a third of them or gains some (see docs/authoring.md).
    assert sum(c == r for c, r in zip(counts[1:], rule)) >= len(rule) - 3, (counts, rule)
    assert all(c >= r * 2 / 3 for c, r in zip(counts[1:], rule)), (counts, rule)
    assert counts[1 + marks.index(30)] > counts[1 + marks.index(4)]


def test_answer_lines_scale_with_marks():
    html = html_for(bundled_pack(), "exam")
    questions = re.findall(r'<section class="question[^"]*" id="q(\d+)"[^>]*>(.*?)</section>', html,
                           re.S)
    pack = check(bundled_pack()).pack
    marks = {i: q.marks for i, q in enumerate(pack.exam.questions, start=1)}
    lines = {int(n): body.count('class="answer-line"') for n, body in questions}
    assert set(lines) == set(marks)
    for a in marks:
        for b in marks:
            if marks[a] > marks[b]:
                assert lines[a] > lines[b], (a, b)
    assert lines[max(marks, key=marks.get)] == 45           # 10 × 2.5 + 20 × 1
    four = next(n for n, m in marks.items() if m == 4)
    assert lines[four] == 10                                # 4 marks: 2.5 lines a mark
    assert lines[min(marks, key=marks.get)] == 6            # 2 marks: the minimum, 6 lines


def test_exam_pages_have_tariffs_turn_over_and_end(built):
    pages = page_texts(built / "exam-complete.pdf")
    # The first question, with three sources, has its tariff on the next page.
    assert "[30\u00a0marks]" in pages[1] or "[30 marks]" in pages[1]
    # Each paper ends with END OF QUESTIONS, on a page without "Turn over"; a blank verso may
    # follow it, so that the next paper's front is a right-hand page.
    ends = [i for i, text in enumerate(pages) if "END OF QUESTIONS" in text]
    blanks = [i for i, text in enumerate(pages) if "intentionally left blank" in text]
    assert len(ends) == 5 and ends[-1] == len(pages) - 1
    assert all(i - 1 in ends and i % 2 == 1 for i in blanks), blanks
    fronts = [i for i, text in enumerate(pages) if "Time\u00a0allowed" in text or "Time allowed" in text]
    assert len(fronts) == 5 and all(i % 2 == 0 for i in fronts), fronts
    for i, text in enumerate(pages):
        assert ("Turn over" in text) == (i not in ends + blanks), i
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in text


def test_combined_pack_has_a_bookmark_per_handout_and_sources(built):
    reader = PdfReader(built / "pack-complete.pdf")
    top = [o for o in reader.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    assert len(titles) == len(HANDOUTS) + 2 and titles[0] == "Contents" and titles[-1] == "Sources"
    assert any("Timeline" in t for t in titles)
    top = top[1:]                                       # after the cover and contents
    # Sections nest under their handout.
    assert any(isinstance(o, list) and len(o) >= 4 for o in reader.outline)
    # Each handout starts on an odd page, padded with a labelled blank page.
    starts = [reader.get_destination_page_number(o) for o in top]
    assert all(s % 2 == 0 for s in starts), starts      # 0-based even = odd page number
    text = pdftotext(built / "pack-complete.pdf")
    assert "This page is intentionally left blank" in text or all(
        len(PdfReader(built / f"{h}-complete.pdf").pages) % 2 == 0 for h in HANDOUTS)
    last = page_texts(built / "pack-complete.pdf")[-1]
    assert "Roberts" in last and "Sources" in last


@pytest.mark.parametrize("edition", ["complete", "worksheet", "answers"])
def test_the_combined_pack_holds_each_handouts_pages_unchanged(built, edition):
    """The pack is the handouts' own laid-out pages, copied (the page audit relies on it)."""
    pack = page_texts(built / f"pack-{edition}.pdf")
    at = 0
    for handout in HANDOUTS:
        pages = page_texts(built / f"{handout}-{edition}.pdf")
        starts = [i for i in range(at, len(pack)) if pack[i:i + len(pages)] == pages]
        assert starts, (handout, edition)
        at = starts[0] + len(pages)


def test_builds_are_byte_identical(built, tmp_path):
    again = revpack.build(bundled_pack(), out=tmp_path).out_dir
    names = sorted(p.name for p in built.glob("*.pdf"))
    assert len(names) == 3 * (len(HANDOUTS) + 1) and names == sorted(p.name for p in again.glob("*.pdf"))
    for name in names:
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


# --- editions ------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\-\u2010\u2011\u00ad]+", "", text)


def _hidden_answers(handout: str) -> list[str]:
    pack = check(bundled_pack()).pack
    from revpack.prose import ProseRenderer
    from revpack.diagnostics import Diagnostics
    ctx = handout_context(pack, ProseRenderer(pack.root, Diagnostics()), handout, "worksheet")
    found = []

    def walk(value):
        if isinstance(value, Gap):
            if value.hidden:
                found.append(re.sub(r"<[^>]+>", "", str(value.answer)))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(ctx)
    import html
    return [html.unescape(a) for a in found]


@pytest.mark.parametrize("handout", ["timeline", "treaties", "historiography"])
def test_worksheet_and_answers_paginate_identically(built, handout):
    ws = page_texts(built / f"{handout}-worksheet.pdf")
    an = page_texts(built / f"{handout}-answers.pdf")
    assert len(ws) == len(an)
    for i, (w, a) in enumerate(zip(ws, an)):
        na = _norm(a)
        for line in w.splitlines():
            if line.strip() and "Worksheet" not in line:
                assert _norm(line) in na, (handout, i + 1, line)


def _drawn_text(path) -> str:
    """Text in drawing order (cell by cell), which keeps a table cell's lines together."""
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


@pytest.mark.parametrize("handout", ["timeline", "treaties", "historiography"])
def test_answers_hold_every_blank_and_worksheets_none(built, handout):
    answers = _hidden_answers(handout)
    assert answers, "the default worksheet blanks something"
    an = _norm(_drawn_text(built / f"{handout}-answers.pdf"))
    ws_text = _drawn_text(built / f"{handout}-worksheet.pdf")
    ws_text = ws_text.split("Word bank")[0]       # the word bank lists answers by design
    ws = _norm(ws_text)
    for answer in answers:
        assert _norm(answer) in an, answer
        if len(answer) > 20:
            assert _norm(answer) not in ws, answer


def test_worksheet_blanks_the_configured_share(built):
    pack = check(bundled_pack()).pack
    events = sum(len(p.events) for p in pack.timeline.phases)
    hidden = _hidden_answers("timeline")
    assert abs(len(hidden) - round(events * 0.5)) <= 1


def test_exam_answers_print_each_mark_scheme_after_its_question_without_lines(built):
    complete = page_texts(built / "exam-complete.pdf")
    worksheet = page_texts(built / "exam-worksheet.pdf")
    answers = page_texts(built / "exam-answers.pdf")
    assert len(worksheet) == len(complete)
    assert len(answers) <= 0.75 * len(worksheet)          # no answer lines in the teacher's copy
    text = "\n".join(answers).replace("\u00a0", " ")
    pack = check(bundled_pack()).pack
    assert text.count("Mark scheme: question") == len(pack.exam.questions)
    # Question, then its own scheme: each scheme's heading comes after its question's tariff
    # and before the next question's label.
    at = 0
    for q in pack.exam.questions:
        at = text.index(q.label, at)
        at = text.index(f"Mark scheme: question {q.number} ({q.marks} marks)", at)
    assert "Level 5: 21–25 marks" in text
    assert "Indicative content" in text
    assert "Mark scheme" not in "\n".join(worksheet)
    import pdfplumber
    with pdfplumber.open(built / "exam-answers.pdf") as pdf:
        ruled = 8.5 * 72 / 25.4 + 0.5
        assert not any(abs(r["height"] - ruled) < 0.05 and r["width"] > 300
                       for page in pdf.pages for r in page.rects)


def test_answers_edition_says_teacher_copy(built):
    for name in ("timeline-answers.pdf", "pack-answers.pdf"):
        assert "TEACHER COPY" in page_texts(built / name)[0]
