"""Views: take the typed model, an edition and a theme's settings, give each template its context.

A view holds what one handout's template needs and nothing more: rendered prose (safe HTML),
formatted dates, answer-line counts, and, in worksheet and answers editions, `Gap`s in place of
the blanked fields. Which fields are blanked is decided here, deterministically: the random
choice is seeded from the pack and the handout, so a rebuild gives the same worksheet.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field

from markupsafe import Markup

from . import settings as settings_mod
from .diagnostics import Location
from .model import Pack
from .prose import ProseRenderer

EDITIONS = ("complete", "worksheet", "answers")
HANDOUT_LABELS = {
    "timeline": "Timeline",
    "treaties": "Treaty table",
    "historiography": "Historiography grid",
    "exam": "Exam practice",
}

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
                           {"date": 6, "event": 38, "narrow": 7, "cell": 14, "grid": 20},
                           {"date": 12, "event": 80, "narrow": 13, "cell": 24, "grid": 34},
                           {"event": 43, "narrow": 60, "cell": 68, "grid": 68}),
    # Large print sets tables as one labelled block per record: every field is full width.
    "large-print": GapMetrics(10.0, 9.0,
                              {"date": 6, "event": 20, "narrow": 28, "cell": 28, "grid": 28},
                              {"date": 10, "event": 34, "narrow": 48, "cell": 48, "grid": 48},
                              {"event": 60, "narrow": 60, "cell": 100, "grid": 100},
                              shrink=False),
    "dyslexia-friendly": GapMetrics(9.5, 6.7,
                                    {"date": 6, "event": 29, "narrow": 6, "cell": 15, "grid": 13},
                                    {"date": 12, "event": 52, "narrow": 11, "cell": 26, "grid": 24},
                                    {"event": 57, "narrow": 66, "cell": 66, "grid": 66}),
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


def answer_lines_for(marks: int, lines_per_mark: float, min_lines: int,
                     long_lines_per_mark: float = 1.0) -> int:
    """Ruled lines under a question: `lines_per_mark` for each of its first SHORT_ANSWER_MARKS
    marks (a short answer's 2–3 lines a mark), `long_lines_per_mark` for each further mark (an
    essay's space grows more slowly), rounded up, and never fewer than `min_lines`."""
    short = min(marks, settings_mod.SHORT_ANSWER_MARKS)
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


_SHORT_BLANKS = {
    "timeline": "blank dates (or mix) to fill it, or turn word_bank off",
    "treaties": "blank a short column too, such as date, parties or place, or turn word_bank off",
}


def _option_loc(pack: Pack, handout: str, key: str) -> Location:
    """Where a worksheet option is set: the handout's settings block, else pack.yaml."""
    from .blocks import yaml_key_lines
    from .source import HANDOUT_FILES, MANIFEST

    handout_file = pack.root / HANDOUT_FILES[handout]
    try:
        text = handout_file.read_text(encoding="utf-8-sig")
        if text.startswith("---"):
            front = text.split("\n---", 1)[0].split("\n", 1)[-1]
            line = yaml_key_lines(front, first_line=2).get(("worksheet", key))
            if line:
                return Location(handout_file, line)
        manifest = pack.root / MANIFEST
        line = yaml_key_lines(manifest.read_text(encoding="utf-8-sig")).get(
            ("worksheet", handout, key))
        if line:
            return Location(manifest, line)
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    return Location(handout_file, 1)


def _rng(pack: Pack, handout: str) -> random.Random:
    seed = hashlib.sha256(f"{pack.slug}\x00{pack.manifest.title}\x00{handout}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def _choose(rng: random.Random, count: int, proportion: float) -> set[int]:
    """Which of `count` items to blank: round(count × proportion), spread by the seeded RNG."""
    k = min(count, max(1 if proportion > 0 and count else 0, math.floor(count * proportion + 0.5)))
    return set(rng.sample(range(count), k))


class ViewBuilder:
    """Builds one handout's template context. Gap sizes start as estimates from `GapMetrics`; the
    build lays out the answers, measures them and builds again with a `GapPlan` where an
    estimate was wrong."""

    def __init__(self, pack: Pack, prose: ProseRenderer, edition: str, variant: str = "standard",
                 plan: GapPlan | None = None):
        self.pack = pack
        self.prose = prose
        self.edition = edition
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
            "handout": {"name": handout, "title": title, "label": HANDOUT_LABELS[handout],
                        "intro": self.md(intro, loc, inline=False)},
            "edition": self.edition,
            "worksheet": options,
        }

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
                "here is longer", _SHORT_BLANKS.get(handout, "turn word_bank off"))
        random.Random(f"{self.pack.slug}:{handout}:bank").shuffle(bank)
        return bank

    # --- handouts -------------------------------------------------------------------------------

    def timeline(self) -> dict:
        tl = self.pack.timeline
        opts = settings_mod.worksheet_options("timeline", self.pack.manifest.settings, tl.settings)
        rng = _rng(self.pack, "timeline")
        events = [e for p in tl.phases for e in p.events]
        chosen = _choose(rng, len(events), opts["proportion"])
        # In a mix, each chosen event loses either its date or its text (seeded coin).
        which = {i: ("dates" if opts["blank"] == "dates" else "events" if opts["blank"] == "events"
                     else rng.choice(("dates", "events"))) for i in sorted(chosen)}
        phases, index = [], 0
        for phase in tl.phases:
            items = []
            for event in phase.events:
                blank = which.get(index)
                date_text = event.date.format()
                items.append({
                    "date": self.gap(Markup.escape(date_text), date_text, blank == "dates", "date"),
                    "iso": event.date.iso(),
                    "text": self.gap(self.md(event.text, event.loc), self.prose.plain(event.text),
                                     blank == "events", "event"),
                    "kind": event.kind,
                    "line": event.loc.line,
                })
                index += 1
            phases.append({"title": self.md(phase.title, phase.loc),
                           "summary": self.md(phase.summary, phase.loc), "events": items})
        ctx = self.common("timeline", tl.title, tl.intro, opts, tl.loc)
        ctx.update({"phases": phases,
                    "kinds": sorted({e["kind"] for p in phases for e in p["events"]},
                                    key=("event", "treaty", "conference", "war").index),
                    "word_bank": self.word_bank("timeline", opts)})
        return ctx

    def treaties(self) -> dict:
        tt = self.pack.treaties
        opts = settings_mod.worksheet_options("treaties", self.pack.manifest.settings, tt.settings)
        rng = _rng(self.pack, "treaties")
        columns = opts["blank"]
        cells = [(i, c) for i, t in enumerate(tt.treaties) for c in columns
                 if c != "place" or t.place]
        chosen = {cells[k] for k in _choose(rng, len(cells), opts["proportion"])}
        rows = []
        for i, t in enumerate(tt.treaties):
            def cell(col, text, kind, inline=True):
                return self.gap(self.md(text, t.loc, inline), self.prose.plain(text),
                                (i, col) in chosen, kind)
            date_text = t.date.format()
            rows.append({
                "name": self.md(t.name, t.loc),
                "date": self.gap(Markup.escape(date_text), date_text, (i, "date") in chosen, "date"),
                "iso": t.date.iso(),
                "place": cell("place", t.place, "narrow") if t.place else "",
                "parties": cell("parties", "; ".join(t.parties), "narrow"),
                "terms": cell("terms", t.terms, "cell"),
                "significance": cell("significance", t.significance, "cell"),
            })
        ctx = self.common("treaties", tt.title, tt.intro, opts, tt.loc)
        ctx.update({"treaties": rows, "word_bank": self.word_bank("treaties", opts),
                    "columns": {"significance": tt.settings.get("significance_label",
                                                                "Significance")}})
        return ctx

    def historiography(self) -> dict:
        hg = self.pack.historiography
        opts = settings_mod.worksheet_options("historiography", self.pack.manifest.settings,
                                              hg.settings)
        rng = _rng(self.pack, "historiography")
        columns = opts["blank"]
        cells = [(i, c) for i in range(len(hg.schools)) for c in columns]
        chosen = {cells[k] for k in _choose(rng, len(cells), opts["proportion"])}
        schools = []
        for i, s in enumerate(hg.schools):
            def cell(col, text):
                return self.gap(self.md(text, s.loc), self.prose.plain(text), (i, col) in chosen,
                                "grid")
            schools.append({
                "name": self.md(s.name, s.loc),
                "historians": [{"name": h.name, "work": self.md(h.work, h.loc), "year": h.year}
                               for h in s.historians],
                "argument": cell("argument", s.argument),
                "evidence": cell("evidence", s.evidence),
                "criticisms": cell("criticisms", s.criticisms),
            })
        ctx = self.common("historiography", hg.title, hg.intro, opts, hg.loc)
        ctx.update({"schools": schools, "word_bank": self.word_bank("historiography", opts)})
        return ctx

    def exam(self, theme_settings: dict) -> dict:
        ex = self.pack.exam
        opts = settings_mod.exam_options(self.pack.manifest.settings, ex.settings, theme_settings)
        index = 0

        def question(q) -> dict:
            nonlocal index
            lines = q.lines if q.lines is not None else answer_lines_for(
                q.marks, opts["lines_per_mark"], opts["min_lines"], opts["long_lines_per_mark"])
            if lines:
                lines = max(1, lines + self.plan.answer_lines.get(index, 0))
            index += 1
            scheme = None
            if q.mark_scheme is not None and self.edition == "answers":
                scheme = {
                    "levels": [{"number": lv.number, "low": lv.low, "high": lv.high,
                                "descriptor": self.md(lv.descriptor, lv.loc)}
                               for lv in q.mark_scheme.levels],
                    "indicative": [self.md(t, q.mark_scheme.loc) for t in q.mark_scheme.indicative],
                }
            return {
                "number": q.number,
                "index": index - 1,       # its place in the whole exam (0, 1, …)
                "label": q.label,
                "marks": q.marks,
                "paper": q.paper,
                "text": self.md(q.text, q.loc, inline=False),
                "sources": [{"label": s.label, "provenance": self.md(s.provenance, s.loc),
                             "text": self.md(s.text, s.loc, inline=False)} for s in q.sources],
                # The teacher's copy prints no answer space: each question, then its mark scheme.
                "lines": 0 if self.edition == "answers" else lines,
                "new_page": index - 1 in self.plan.new_page,
                "mark_scheme": scheme,
            }

        def paper(title: str, board: str, qualification: str, code: str, time_allowed: str,
                  total: int, instructions: list, information: list, qs: list, loc) -> dict:
            return {
                "title": title, "board": board, "code": code,
                "qualification": qualification or self.pack.manifest.level,
                "time_allowed": time_allowed or opts["time_allowed"],
                "total_marks": total,
                "instructions": [self.md(t, getattr(t, "loc", loc))
                                 for t in instructions or opts["instructions"]],
                "information": [self.md(t, getattr(t, "loc", loc))
                                for t in information or opts["information"]],
                "questions": [question(q) for q in qs],
            }

        if ex.papers:
            papers = [paper(p.title, p.board, p.qualification, p.code, p.time_allowed,
                            p.total_marks, p.instructions, p.information, p.questions, p.loc)
                      for p in ex.papers]
        else:
            papers = [paper("", "", "", "", "", ex.total_marks, [], [], ex.questions, ex.loc)]
        first = papers[0]
        ctx = self.common("exam", ex.title, ex.intro, {}, ex.loc)
        ctx.update({
            "papers": papers,
            # The first paper's, for templates written before papers (and packs without them).
            "questions": [q for p in papers for q in p["questions"]],
            "total_marks": first["total_marks"] if len(papers) == 1 else ex.total_marks,
            "time_allowed": first["time_allowed"],
            "line_style": opts["line_style"],
            "instructions": first["instructions"],
            "information": first["information"],
        })
        return ctx


def handout_context(pack: Pack, prose: ProseRenderer, handout: str, edition: str,
                    theme_settings: dict | None = None, variant: str = "standard",
                    plan: GapPlan | None = None) -> dict:
    builder = ViewBuilder(pack, prose, edition, variant, plan)
    if handout == "exam":
        return builder.exam(theme_settings or {})
    return getattr(builder, handout)()


def pack_context(pack: Pack, prose: ProseRenderer) -> dict:
    """What every template receives about the pack itself."""
    m = pack.manifest
    return {
        "title": m.title, "subtitle": m.subtitle, "subject": m.subject, "level": m.level,
        "exam_board": m.exam_board, "author": m.author, "language": m.language,
        "school": m.school, "period": m.period.format() if m.period else "",
        "sources": [prose.render(s, m.loc, inline=True) for s in m.sources],
        "tint": settings_mod.print_options(m.settings)["tint"],
    }
