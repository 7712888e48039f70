"""Views: take the typed model, a look (edition, variant, paper) and the theme's settings, give
each template its context.

Each kind's view (`handouts/<kind>.py`) builds its context with a `ViewBuilder`, the machinery
here: what one handout's template needs and nothing more, rendered prose (safe HTML), formatted
dates, answer-line counts, and, in worksheet and answers editions, `Gap`s in place of the blanked
fields. Which fields are blanked is decided deterministically: the random choice is seeded from
the pack and the handout, so a rebuild gives the same worksheet.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field

from markupsafe import Markup

from . import labels
from . import settings as settings_mod
from .diagnostics import Location
from .model import Pack
from .prose import ProseRenderer

EDITIONS = ("complete", "worksheet", "answers")

#: The longest answer a word bank lists; longer blanked answers (whole sentences) are left out.
WORD_BANK_MAX_CHARS = 40


@dataclass(frozen=True)
class GapMetrics:
    """How much a gap holds, per variant (the variant stylesheets set the matching sizes).

    A gap gets one ruled write-in line per `write_in` characters of its hidden answer (per kind
    of column): handwriting takes about twice the width of the typeset text, so `write_in` is
    half the characters the column's width holds in print. A gap never gets less space than the
    printed answer needs (`printed` characters per line of `printed_line_mm`), so the answers
    edition shows every answer whole in exactly the worksheet's space and both editions
    paginate alike. A write-in space is at most `max_write_mm` tall (per kind), so that rows
    share a page: a longer answer is written as notes. With `shrink`, an answer too long for the tallest gap a page can hold is
    set smaller in the answers edition; without it (large print) it only ever gets more lines.
    A `compact` gap (the knowledge organiser's definitions) starts as one line: a short answer
    in the student's own words, on a page that must hold every term. Its `printed` estimate is
    deliberately low: the build lays out the answers and adds a line only where one needs it.
    """

    gap_line_mm: float
    printed_line_mm: float
    write_in: dict
    printed: dict
    max_write_mm: dict
    padding_mm: float = 3.0
    shrink: bool = True


GAP_METRICS = {
    "standard": GapMetrics(8.5, 4.3,
                           {"date": 6, "event": 38, "narrow": 7, "cell": 14, "grid": 20,
                            "compact": 24},
                           {"date": 12, "event": 80, "narrow": 13, "cell": 24, "grid": 34,
                            "compact": 130},
                           {"event": 43, "narrow": 60, "cell": 68, "grid": 68, "compact": 8.5}),
    # Large print sets tables as one labelled block per record: every field is full width.
    "large-print": GapMetrics(10.0, 9.0,
                              {"date": 6, "event": 20, "narrow": 28, "cell": 28, "grid": 28,
                               "compact": 20},
                              {"date": 10, "event": 34, "narrow": 48, "cell": 48, "grid": 48,
                               "compact": 100},
                              {"event": 60, "narrow": 60, "cell": 100, "grid": 100,
                               "compact": 10},
                              shrink=False),
    "dyslexia-friendly": GapMetrics(9.5, 6.7,
                                    {"date": 6, "event": 29, "narrow": 6, "cell": 15, "grid": 13,
                                     "compact": 18},
                                    {"date": 12, "event": 52, "narrow": 11, "cell": 26, "grid": 24,
                                     "compact": 120},
                                    {"event": 57, "narrow": 66, "cell": 66, "grid": 66,
                                     "compact": 9.5}),
}


@dataclass
class GapPlan:
    """What the build learnt from laying out the answers: gaps that need more lines than
    estimated (`min_lines`), answers to set smaller (`dense`: index → 1 or 2), and the tallest a
    gap may be on this paper (`cap_mm`) so that no gap is split between pages."""

    min_lines: dict = field(default_factory=dict)
    dense: dict = field(default_factory=dict)
    cap_mm: float | None = None
    #: Exam pages: question index → answer lines added (+) or taken off (−), so that no page
    #: holds only a question's last few lines (see `fit_answer_lines`).
    answer_lines: dict = field(default_factory=dict)
    #: Exam pages: questions (by index) that start on a new page, whole.
    new_page: set = field(default_factory=set)


@dataclass
class Gap:
    """A field in a worksheet or answers edition: blank (`hidden`) or shown as usual."""

    answer: Markup
    hidden: bool
    lines: int
    kind: str
    index: int = 0                # the gap's place in its handout, the same in both editions
    dense: int = 0                # 1 or 2: the printed answer is set smaller to fit its gap

    def __html__(self) -> str:  # a shown gap prints as its answer
        return str(self.answer)


#: A question gets `lines_per_mark` answer lines for each of its first SHORT_ANSWER_MARKS marks,
#: `long_lines_per_mark` for each further mark, and never fewer than `min_lines`.
SHORT_ANSWER_MARKS = 10


def answer_lines_for(marks: int, lines_per_mark: float, min_lines: int,
                     long_lines_per_mark: float = 1.0) -> int:
    """Ruled lines under a question: `lines_per_mark` for each of its first SHORT_ANSWER_MARKS
    marks (a short answer's 2–3 lines a mark), `long_lines_per_mark` for each further mark (an
    essay's space grows more slowly), rounded up, and never fewer than `min_lines`."""
    short = min(marks, SHORT_ANSWER_MARKS)
    return max(int(min_lines), math.ceil(short * float(lines_per_mark)
                                         + (marks - short) * float(long_lines_per_mark)))


def _gap_lines(plain: str, kind: str, m: GapMetrics) -> tuple[int, int]:
    """Estimated lines for (writing the answer by hand, printing it in the answers edition)."""
    if kind == "date":           # a date's parts ("16 May" / "1935") go on lines of their own
        return math.ceil(len(plain) / m.write_in["date"]), 1
    written = min(math.ceil(len(plain) / m.write_in[kind]), int(m.max_write_mm[kind] // m.gap_line_mm))
    # The "ANSWER:" label takes about eight characters of the first printed line.
    printed_mm = math.ceil((len(plain) + 8) / m.printed[kind]) * m.printed_line_mm + m.padding_mm
    return max(1, written), math.ceil(printed_mm / m.gap_line_mm)


def _option_loc(pack: Pack, handout: str, key: str) -> Location:
    """Where a worksheet option is set: the handout's settings block, else pack.yaml (from the
    line maps read with the files)."""
    handout_file = pack.root / _kind(handout).file
    line = pack.front_matter_lines.get(handout, {}).get(("worksheet", key))
    if line:
        return Location(handout_file, line)
    line = pack.manifest.key_lines.get(("worksheet", handout, key))
    if line and pack.manifest.loc is not None:
        return Location(pack.manifest.loc.path, line)
    return Location(handout_file, 1)


def _kind(name: str):
    from .handouts import kind      # here: the kinds' modules import this one

    return kind(name)


def seeded_rng(pack: Pack, handout: str) -> random.Random:
    seed = hashlib.sha256(f"{pack.slug}\x00{pack.manifest.title}\x00{handout}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def choose_blanks(rng: random.Random, count: int, proportion: float) -> set[int]:
    """Which of `count` items to blank: round(count × proportion), spread by the seeded RNG."""
    k = min(count, max(1 if proportion > 0 and count else 0, math.floor(count * proportion + 0.5)))
    return set(rng.sample(range(count), k))


class ViewBuilder:
    """Builds one handout's template context. Gap sizes start as estimates from `GapMetrics`; the
    build lays out the answers, measures them and builds again with a `GapPlan` where an
    estimate was wrong."""

    def __init__(self, pack: Pack, prose: ProseRenderer, edition: str, variant: str = "standard",
                 plan: GapPlan | None = None, theme_settings: dict | None = None,
                 paper: str = "a4"):
        from .look import Look

        self.pack = pack
        self.prose = prose
        self.look = Look(edition, variant, paper)
        self.edition = edition
        self.variant = variant
        self.theme_settings = theme_settings or {}
        #: The printed words in the pack's language (labels.label_set; the themes' included).
        self.words = labels.label_set(pack.manifest.language, self.theme_settings.get("labels"))
        self.metrics = GAP_METRICS[variant]
        self.plan = plan or GapPlan()
        self.bank: list[str] = []
        self.gaps = 0

    def md(self, text: str, loc=None, inline: bool = True) -> Markup:
        return self.prose.render(text, loc, inline=inline)

    def gap(self, html: Markup, plain: str, hidden: bool, kind: str):
        if self.edition == "complete":
            return html
        if hidden:
            self.bank.append(plain)
        index, self.gaps = self.gaps, self.gaps + 1
        plan = self.plan
        written, printed = _gap_lines(plain, kind, self.metrics)
        lines = max(written, printed, plan.min_lines.get(index, 0))
        dense = plan.dense.get(index, 0) if self.metrics.shrink else 0
        if plan.cap_mm and kind != "date":
            cap = max(1, int(plan.cap_mm // self.metrics.gap_line_mm))
            lines = min(lines, cap)   # the build measures whether the answer still fits
        return Gap(html, hidden, lines, kind, index, dense)

    def common(self, handout: str, title: str, intro: str, options: dict, loc) -> dict:
        return {
            "handout": {"name": handout, "title": title, "label": _kind(handout).title,
                        "intro": self.md(intro, loc, inline=False)},
            "edition": self.edition,
            "worksheet": options,
        }

    def worksheet_options(self, handout: str, handout_settings: dict) -> dict:
        """The kind's worksheet options: its defaults, then pack.yaml's, then its front matter."""
        return settings_mod.worksheet_options(handout, self.pack.manifest.settings,
                                              handout_settings)

    def word_bank(self, handout: str, options: dict) -> list[str]:
        if self.edition == "complete" or not options.get("word_bank") or not self.bank:
            return []
        # One entry per gap, duplicates included; whole sentences are not "words", so a word bank
        # holds the short answers only (dates, names, terms).
        bank = sorted(a for a in self.bank if len(a) <= WORD_BANK_MAX_CHARS)
        if not bank:
            self.prose.diags.warning(
                _option_loc(self.pack, handout, "word_bank"),
                f"the {handout} word bank is empty: it lists short answers (up to "
                f"{WORD_BANK_MAX_CHARS} characters: dates, names, terms), and every answer blanked "
                "here is longer", _kind(handout).word_bank_hint)
        random.Random(f"{self.pack.slug}:{handout}:bank").shuffle(bank)
        return bank


def handout_context(pack: Pack, prose: ProseRenderer, handout: str, edition: str,
                    theme_settings: dict | None = None, variant: str = "standard",
                    plan: GapPlan | None = None, paper: str = "a4") -> dict:
    """One handout's template context: its kind's view, given a `ViewBuilder`."""
    builder = ViewBuilder(pack, prose, edition, variant, plan, theme_settings, paper)
    return _kind(handout).view(builder, pack.content.get(handout))


def pack_context(pack: Pack, prose: ProseRenderer) -> dict:
    """What every template receives about the pack itself."""
    m = pack.manifest
    return {
        "title": m.title, "subtitle": m.subtitle, "subject": m.subject, "level": m.level,
        "exam_board": m.exam_board, "author": m.author, "language": m.language,
        "school": m.school, "period": m.period.format(m.language) if m.period else "",
        "sources": [prose.render(s, m.loc, inline=True) for s in m.sources],
        "tint": settings_mod.print_options(m.settings)["tint"],
    }
