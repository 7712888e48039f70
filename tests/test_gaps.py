"""Worksheet gaps are measured against the laid-out answers, so no printed answer is clipped."""

from __future__ import annotations

import pytest

from revpack.build import _Session
from revpack.diagnostics import Diagnostics
from revpack.load import load_pack
from revpack.pdf import Renderer, fit_gaps

LONG = "a long answer that cannot fit on one short ruled line of a narrow gap " * 3


def _gap_html(lines: int, text: str) -> str:
    return ('<html lang="en"><body><span class="gap gap-cell gap-answer" data-gap="7" '
            f'data-lines="{lines}" style="display:block; width:40mm; height:{lines * 8}mm; '
            f'overflow:hidden; font-size:10pt; line-height:5mm">{text}</span></body></html>')


def test_short_gaps_finds_an_answer_taller_than_its_gap(tmp_path):
    renderer = Renderer([tmp_path])
    doc = renderer.render(_gap_html(1, LONG), tmp_path, [], "gap")
    fit = fit_gaps(doc)
    assert list(fit.short) == [7] and not fit.split
    lines, pitch_mm = fit.short[7]
    # About 4 characters per cm at 10 pt: 210 characters need a dozen 5 mm lines, i.e. 7–9 lines
    # of 8 mm.
    assert 5 <= lines <= 12 and pitch_mm == pytest.approx(8, abs=0.01)
    assert 255 < fit.page_body_mm < 260                    # A4, less 2 × 75 px of margin


def test_short_gaps_passes_an_answer_that_fits(tmp_path):
    renderer = Renderer([tmp_path])
    doc = renderer.render(_gap_html(3, "1922"), tmp_path, [], "gap")
    fit = fit_gaps(doc)
    assert fit.short == {} and fit.split == set()


@pytest.fixture
def big_answers(make_pack):
    """A pack whose own stylesheet prints answers far larger than the estimates allow for."""
    return make_pack({
        "styles/base.css": ".gap-answer { font-size: 24pt !important; line-height: 1.5; }\n"
        # Large print's records give each answer the full width: outgrow that too.
        ".variant-large-print .gap-answer { font-size: 40pt !important; }\n",
    })


@pytest.mark.parametrize("variant,paper", [("standard", "a4"), ("large-print", "a4"),
                                           ("dyslexia-friendly", "a5")])
def test_answers_fit_and_paginate_with_the_worksheet(big_answers, variant, paper):
    diags = Diagnostics()
    pack = load_pack(big_answers, diags)
    assert pack is not None and not diags.errors
    session = _Session(pack, diags, None, None)
    grown = 0
    for handout in ("timeline", "treaties", "historiography"):
        answers, _ = session.render(handout, "answers", variant, paper)
        worksheet, _ = session.render(handout, "worksheet", variant, paper)
        fit = fit_gaps(answers)
        assert fit.short == {} and fit.split == set(), handout
        assert len(answers.pages) == len(worksheet.pages), handout
        plan = session._gaps[(handout, variant, paper)][0]
        grown += len(plan.min_lines) + len(plan.dense)
    assert grown > 0, "the big answers should have needed more lines than estimated"


def test_a_gap_taller_than_the_page_counts_as_split(tmp_path):
    renderer = Renderer([tmp_path])
    doc = renderer.render(_gap_html(40, "1922"), tmp_path, [], "gap")   # 320 mm on A4
    fit = fit_gaps(doc)
    assert fit.split == {7} and fit.short == {}
