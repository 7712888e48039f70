"""Fitting: takes a handout's HTML maker and layout, gives the plan that fits its pages.

The views size worksheet gaps and exam answer lines from estimates. Here the copy is laid out
and measured, and the plan (`views.GapPlan`) adjusted until the pages come out right:

- `gap_plan`: every worksheet gap holds its answer, none is split between pages or taller than
  GAP_PAGE_SHARE of a page, and the worksheet and answers editions paginate alike;
- `answer_line_plan`: no exam page holds only a few carried-over answer lines.

Both take `make_html(plan) -> str` and `lay_out(html) -> document`, so they know nothing of
sessions, themes or caches: `build._Session` gives them its own and keeps what they return.
"""

from __future__ import annotations

from typing import Callable

#: Measure-and-adjust passes over a handout's answers (one is usual; more only when gaps change).
GAP_PASSES = 4
#: Passes fitting exam answer lines to the pages.
EXAM_LINE_PASSES = 3
#: A page whose content ends above this share of its height is nearly empty (as pdf-audit counts).
NEAR_EMPTY_SHARE = 0.5
#: The most of a page's height one gap may take, so that a gap is never split between pages.
GAP_PAGE_SHARE = 0.6


def gap_plan(make_html: Callable, lay_out: Callable):
    """Gap sizes checked against the laid-out answers edition.

    The answers are laid out and measured: a gap whose answer does not fit gets the lines it
    needs, and none may be taller than GAP_PAGE_SHARE of a page (so that a row with its table
    header and a handout's title fit on one page); an answer too long for that prints smaller.
    The worksheet then uses the same sizes, so the two editions paginate alike and no printed
    answer is clipped. `make_html` and `lay_out` make the ANSWERS edition. Returns (plan, the
    final answers (document, HTML), or None when the handout has no gaps)."""
    from .pdf import fit_gaps
    from .views import GapPlan

    plan, answers = GapPlan(), None
    for _ in range(GAP_PASSES):
        html = make_html(plan)
        if "data-gap=" not in html:
            break
        answers = lay_out(html), html
        fit = fit_gaps(answers[0], GAP_PAGE_SHARE)
        if not (fit.short or fit.split or fit.tall):
            break
        if plan.cap_mm is None:               # the views clamp gaps to it from now on
            plan.cap_mm = GAP_PAGE_SHARE * fit.page_body_mm
        for index in fit.split:
            plan.dense[index] = max(plan.dense.get(index, 0), 1)
        for index, (lines, pitch_mm) in fit.short.items():
            cap = max(1, int(plan.cap_mm // pitch_mm))
            if lines > cap:
                plan.dense[index] = min(2, plan.dense.get(index, 0) + 1)
            plan.min_lines[index] = min(cap, max(lines, plan.min_lines.get(index, 0)))
    return plan, answers


def answer_line_plan(make_html: Callable, lay_out: Callable, firsts):
    """Answer lines fitted to the pages, so that no page holds only a few carried-over lines.

    Where a question's lines run on to a page and leave it nearly empty, the lines on that page
    are taken off (with two more, for what follows them) if they are at most a third of the
    question's lines; otherwise a question that fits on one page moves on to that page whole
    (unless it starts a section: `firsts`), and a longer one gets lines down to the foot of that
    page. Returns (plan, (document, HTML) as last laid out)."""
    from .pdf import answer_line_tails
    from .views import GapPlan

    plan, laid_out = GapPlan(), None
    for _ in range(EXAM_LINE_PASSES):
        html = make_html(plan)
        laid_out = lay_out(html), html
        tails = answer_line_tails(laid_out[0], NEAR_EMPTY_SHARE)
        if not tails:
            break
        changed = False
        for index, tail in tails.items():
            trim = tail.on_last_page + 2
            if trim <= tail.lines // 3:
                change = -trim
            elif tail.fits_a_page and index not in plan.new_page \
                    and index not in firsts:      # not away from its section's front
                plan.new_page.add(index)
                changed = True
                continue
            else:
                change = max(0, tail.room - 3)
            plan.answer_lines[index] = plan.answer_lines.get(index, 0) + change
            changed = changed or bool(change)
        if not changed:
            break
    return plan, laid_out
