"""Exam: takes exam.md, gives the exam practice pages (papers, questions, sources, mark schemes).

Declares the kind (see handouts/__init__.py): its reader, its view, its `exam:` settings of
pack.yaml and front matter, and its contract. Exam pages are never blanked; the build fits their
answer lines to the pages instead (fitting "answer-lines").
"""

from __future__ import annotations

import re

from markupsafe import Markup

from ..blocks import HEADING, ITEM, PARA, QUOTE, Block
from ..diagnostics import Diagnostics, Located, did_you_mean, show
from ..model import ExamPaper, Level, MarkScheme, Paper, Question, SourceExtract
from ..readers import _KIND_NAMES, _duplicates, _Reader, with_children
from ..views import answer_lines_for
from . import Kind, Section

#: Exam-page options. A question gets `lines_per_mark` answer lines for each of its first
#: SHORT_ANSWER_MARKS marks, `long_lines_per_mark` for each further mark, and never fewer than
#: `min_lines` (views.answer_lines_for).
EXAM_DEFAULTS = {
    "time_allowed": "",
    "lines_per_mark": 2.5,
    "long_lines_per_mark": 1.0,
    "min_lines": 6,
    "line_style": "solid",
    "instructions": [
        "Use black ink or black ball-point pen.",
        "Answer **all** questions in the spaces provided.",
        "Do all rough work on this paper and cross through any work you do not want marked.",
    ],
    "information": [
        "The marks for each question are shown in brackets.",
        "Answer lines are a guide: continue on lined paper if you need more space.",
    ],
}


def check_section(data, path: tuple, loc, diags: Diagnostics) -> dict:
    """pack.yaml's `exam:` (or exam.md's own exam settings), checked: the keys given."""
    out: dict = {}
    if not isinstance(data, dict):
        diags.error(loc(path), "'exam' should be a group of settings")
        return out
    for key, value in data.items():
        here = path + (key,)
        if key not in EXAM_DEFAULTS:
            diags.error(loc(here), f"unknown exam option '{show(key, 40)}'", did_you_mean(str(key),
                                                                               tuple(EXAM_DEFAULTS)))
        elif key in ("lines_per_mark", "long_lines_per_mark") and (isinstance(value, bool) or
                not isinstance(value, (int, float)) or not 0 <= value <= 10):
            diags.error(loc(here), f"'{key}' should be a number from 0 to 10, not "
                        f"{show(value, 40)}")
        elif key == "min_lines" and (isinstance(value, bool) or not isinstance(value, int)
                                     or not 0 <= value <= 200):
            diags.error(loc(here), "'min_lines' should be a whole number from 0 to 200, not "
                        f"{show(value, 40)}")
        elif key == "line_style" and value not in ("solid", "dotted"):
            diags.error(loc(here), f"unknown line style '{show(value, 40)}'",
                        did_you_mean(str(value), ("solid", "dotted")))
        elif key in ("instructions", "information") and (
                not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            diags.error(loc(here), f"'{key}' should be a list of lines of text",
                        "start each line with '- '")
        elif key == "time_allowed" and not isinstance(value, str):
            diags.error(loc(here), f"'time_allowed' should be text, not {show(value, 30)}",
                        'put it in double quotes, as time_allowed: "1 hour 30 minutes"')
        elif key in ("instructions", "information"):
            # Each line remembers where it was written, for messages about its Markdown.
            out[key] = [Located(v, loc(here + (i,))) for i, v in enumerate(value)]
        else:
            out[key] = value
    return out


def exam_options(pack_settings: dict, handout_settings: dict, theme_settings: dict | None = None
                 ) -> dict:
    """Defaults, then the theme's, then pack.yaml's `exam:`, then exam.md's front matter."""
    out = dict(EXAM_DEFAULTS)
    out.update({k: v for k, v in (theme_settings or {}).items()
                if k in ("lines_per_mark", "line_style", "instructions", "information")})
    out.update(pack_settings.get("exam", {}))
    out.update({k: v for k, v in handout_settings.items() if k in EXAM_DEFAULTS})
    return out


#: A paper's heading: '# Paper: title', or '# Paper 1: title' (then the whole text is its title).
_PAPER_RE = re.compile(r"^Paper(?:\s*:\s*(?P<title>\S.*)|\s+[^\s:]+.*)$", re.IGNORECASE)
_SOURCE_RE = re.compile(r"^(Source|Extract|Interpretation|Item)\s+([A-Z0-9]{1,2})$", re.IGNORECASE)
_MENTION_RE = re.compile(
    r"\b(Source|Extract|Interpretation|Item)s?\s+([A-Z0-9](?:(?:\s*,\s*|\s+and\s+|\s*&\s*)[A-Z0-9]\b)*)")
#: "these sources", "this extract", "both interpretations": wording that presupposes material
#: printed with the question.
_DEICTIC_RE = re.compile(r"\b(?:these|this|those|both)\s+(?:(?:two|three|four|five)\s+)?"
                         r"(sources?|extracts?|interpretations?)\b", re.IGNORECASE)
#: A band is a range ("Level 2: 6–10 marks") or a single mark ("Level 0: 0 marks", "Level 1: 1 mark"),
#: as boards print their "nothing worthy of credit" band.
_LEVEL_RE = re.compile(
    r"^Level\s+(?P<n>[0-9]{1,4})\s*:\s*(?P<lo>[0-9]{1,4})(?:\s*[\u2013\u2014-]+\s*(?P<hi>[0-9]{1,4}))?"
    r"\s*marks?\b\s*(?:[\u2014\u2013:-]+\s*)?(?P<text>.*)$", re.DOTALL | re.IGNORECASE)


class ExamReader(_Reader):
    items = "questions"
    handout = "exam"
    default_title = "Exam practice"

    LIST_FIELDS = ("Instructions", "Information")
    PAPER_FIELDS = ("Board", "Qualification", "Code", "Time allowed", "Marks", "Instructions",
                    "Information")

    def read(self) -> ExamPaper:
        # '# Paper: title' headings split the file: what comes before the first is the title and
        # the introduction; each paper holds its fields and its '##' questions.
        groups: list[tuple[Block | None, list[Block]]] = [(None, [])]
        for block in self.parsed.blocks:
            if block.kind == HEADING and block.level == 1 and _PAPER_RE.match(block.text.strip()):
                groups.append((block, []))
            else:
                groups[-1][1].append(block)
        title, intro, sections = self.split_sections(blocks=groups[0][1])
        for block in intro:
            if block.kind == HEADING and block.level == 1:
                self.diags.error(self.loc(block), f"a second title '{show(block.text)}'",
                                 "start a paper with '# Paper: title', a question with "
                                 "'## Short label'")
        questions, papers = [], []
        if len(groups) > 1:
            for heading, _ in sections:
                self.diags.error(self.loc(heading), f"question '{show(heading.text)}' comes "
                                 "before the first paper", "move it under a '# Paper: ...' "
                                 "heading: once a file has papers, every question is in one")
        else:
            questions = self.questions(sections)
        for heading, blocks in groups[1:]:
            paper = self.paper(heading, blocks)
            if paper:
                papers.append(paper)
                questions += paper.questions
        if not sections and len(groups) == 1:
            self.diags.error(self.src.loc(1), "the exam paper has no questions",
                             "start each question with a '## Short label' heading")
        _duplicates(self.diags, questions, lambda q: q.text.strip().lower(), "question")
        return ExamPaper(title, self.prose(intro), questions, self.settings, self.src.loc(1),
                         papers)

    def questions(self, sections) -> list[Question]:
        """The questions of one paper (or of a file without papers), numbered from 1."""
        found = []
        for number, (heading, blocks) in enumerate(sections, start=1):
            q = self.question(number, heading, blocks)
            if q:
                found.append(q)
        return found

    def paper(self, heading: Block, blocks: list[Block]) -> Paper | None:
        m = _PAPER_RE.match(heading.text.strip())
        title = (m.group("title") or heading.text).strip()
        own, sections = [], []
        for block in blocks:
            if block.kind == HEADING and block.level == 2:
                sections.append((block, []))
            elif sections:
                sections[-1][1].append(block)
            else:
                own.append(block)
        self.stray(own, (ITEM,), f"in paper '{show(title)}' before its first question")
        found = self.fields(heading, [b for b in own if b.kind == ITEM], (), self.PAPER_FIELDS)
        questions = self.questions(sections)
        if not sections:
            self.diags.error(self.loc(heading), f"paper '{show(title)}' has no questions",
                             "put its questions under it, each starting with '## Short label'")
            return None
        marks = self.integer(found.get("Marks"), "Marks", 1, 10_000)
        total = sum(q.marks for q in questions)
        if marks is not None and len(questions) == len(sections) and marks > total:
            self.diags.error(self.loc(found["Marks"][1]), f"the paper's 'Marks' ({marks}) is "
                             f"more than its questions' total ({total})", "'Marks' is the "
                             "paper's maximum when candidates choose some of its questions; "
                             "leave it out to use the total")

        def text(name: str) -> str:
            return found[name][0] if name in found else ""

        def lines(name: str) -> list[str]:
            if name not in found:
                return []
            value, block = found[name]
            entries = [Located(with_children(c), self.loc(c)) for c in block.children]
            return ([value] if value.strip() else []) + entries

        return Paper(title, questions, self.loc(heading), board=text("Board"),
                     qualification=text("Qualification"), code=text("Code"),
                     time_allowed=text("Time allowed"), marks=marks,
                     instructions=lines("Instructions"), information=lines("Information"))

    def question(self, number: int, heading: Block, blocks: list[Block]) -> Question | None:
        # Split into the question's own blocks and its ### sub-sections.
        own, subs, current = [], [], None
        for block in blocks:
            if block.kind == HEADING and block.level >= 3:
                current = (block, [])
                subs.append(current)
            elif current is None:
                own.append(block)
            else:
                current[1].append(block)
        field_blocks = [b for b in own if b.kind == ITEM]
        found = self.fields(heading, field_blocks, (), ("Marks", "Paper", "Lines"))
        marks = self.integer(found.get("Marks"), "Marks", 1, 100)
        if "Marks" not in found:
            self.diags.error(self.loc(heading), f"question '{show(heading.text)}' has no tariff",
                             "add a line '- Marks: 25'")
        lines = self.integer(found.get("Lines"), "Lines", 0, 400)
        text = self.prose([b for b in own if b.kind in (PARA, QUOTE)])
        self.stray(own, (ITEM, PARA, QUOTE), f"in question '{show(heading.text)}'")
        if not text:
            self.diags.error(self.loc(heading), f"question '{show(heading.text)}' has no question "
                             "text", "write the question as a paragraph under its '- Marks:' line")
        sources, scheme, source_labels = [], None, []
        for sub, sub_blocks in subs:
            if sub.text.strip().lower() == "mark scheme":
                if scheme is not None:
                    self.diags.error(self.loc(sub), "a second mark scheme for this question")
                scheme = self.mark_scheme(sub, sub_blocks, marks)
            elif _SOURCE_RE.match(sub.text.strip()):
                m = _SOURCE_RE.match(sub.text.strip())
                source_labels.append(f"{m.group(1).title()} {m.group(2).upper()}")
                src = self.source(sub, sub_blocks)
                if src:
                    sources.append(src)
            else:
                self.diags.error(self.loc(sub), f"unknown section '{show(sub.text, 40)}' in a question",
                                 "use '### Source A', '### Extract 1' or '### Mark scheme'")
        if scheme is None:
            self.diags.warning(self.loc(heading), f"question {number} ('{show(heading.text)}') has no "
                               "mark scheme", "add a '### Mark scheme' section for the answers edition")
        mentions = set()
        for kind, idents in _MENTION_RE.findall(text):
            mentions.update((kind.title(), i) for i in re.findall(r"\b[A-Z0-9]\b", idents))
        deictic = _DEICTIC_RE.search(text)
        if deictic and not source_labels and not mentions:
            self.diags.error(self.loc(heading), f"the question refers to '{deictic.group(0)}' "
                             "but includes no sources or extracts, so it cannot be answered",
                             "add them as '### Source A' (or '### Extract 1') sections under the "
                             "question")
        labels = {(lbl.split()[0].title(), lbl.split()[1]) for lbl in source_labels}
        for kind, ident in sorted(mentions):
            if (kind.title(), ident) not in labels:
                self.diags.error(self.loc(heading), f"the question refers to {kind} {ident} "
                                 "but does not include it", f"add a '### {kind} {ident}' section")
        if marks is None or not text:
            return None
        return Question(number, heading.text, marks, found.get("Paper", ("", None))[0], text,
                        sources, scheme, lines, self.loc(heading))

    def integer(self, value, name: str, lo: int, hi: int) -> int | None:
        if value is None:
            return None
        text, block = value
        if not re.fullmatch(r"[0-9]+", text.strip()):
            self.diags.error(self.loc(block), f"'{name}' should be a whole number, not "
                             f"'{show(text, 40)}'", f"write it in figures, as '- {name}: 12'")
            return None
        if len(text.strip()) > 6:
            self.diags.error(self.loc(block), f"'{name}' should be between {lo} and {hi}, not "
                             f"{show(text.strip(), 20)}")
            return None
        n = int(text)
        if not lo <= n <= hi:
            self.diags.error(self.loc(block), f"'{name}' should be between {lo} and {hi}, not {n}")
            return None
        return n

    def source(self, heading: Block, blocks: list[Block]) -> SourceExtract | None:
        m = _SOURCE_RE.match(heading.text.strip())
        label = f"{m.group(1).title()} {m.group(2).upper()}"
        provenance, parts = "", []
        for block in blocks:
            f = block.field() if block.kind == ITEM else None
            if f and f[0].lower() == "provenance":
                provenance = Located(f[1], self.loc(block))
            elif block.kind in (QUOTE, PARA):
                parts.append(block)
            else:
                self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} in "
                                 f"{label}", "a source has '- Provenance: ...' and a '>' quotation")
        if not provenance:
            self.diags.error(self.loc(heading), f"{label} has no provenance",
                             "add '- Provenance: who wrote it, where and when'")
        if not parts:
            self.diags.error(self.loc(heading), f"{label} has no text",
                             "add the source's text as a '>' quotation")
            return None
        text = Located("\n\n".join(b.text for b in parts), self.loc(parts[0]))
        return SourceExtract(label, provenance, text, self.loc(heading))

    def mark_scheme(self, heading: Block, blocks: list[Block], marks: int | None) -> MarkScheme:
        levels, indicative = [], []
        in_indicative = False
        for block in blocks:
            if block.kind == PARA and block.text.strip().lower().rstrip(":") == "indicative content":
                in_indicative = True
                continue
            if block.kind != ITEM:
                self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} in a "
                                 "mark scheme", "use '- Level 4: 16–20 marks — descriptor' lines "
                                 "and an 'Indicative content:' list")
                continue
            if in_indicative:
                indicative.append(Located(with_children(block), self.loc(block)))
                continue
            m = _LEVEL_RE.match(block.text)
            if not m:
                self.diags.error(self.loc(block), "a mark-scheme level should read "
                                 "'Level 4: 16–20 marks — descriptor'")
                continue
            low = int(m.group("lo"))
            high = int(m.group("hi")) if m.group("hi") else low
            levels.append(Level(int(m.group("n")), low, high, m.group("text").strip(),
                                self.loc(block)))
        if not levels:
            self.diags.error(self.loc(heading), "the mark scheme has no levels")
        self.check_bands(levels, marks)
        levels.sort(key=lambda lv: -lv.high)
        return MarkScheme(levels, indicative, self.loc(heading))

    def check_bands(self, levels: list[Level], marks: int | None) -> None:
        backwards = [lv for lv in levels if lv.low > lv.high]
        for lv in backwards:
            self.diags.error(lv.loc, f"Level {lv.number}'s band {lv.low}–{lv.high} runs "
                             "the wrong way", f"write the lower mark first, as {lv.high}–{lv.low}")
        if marks is None or not levels or backwards:
            return
        ordered = sorted(levels, key=lambda lv: lv.low)
        expected = 1 if ordered[0].low != 0 else 0
        for lv in ordered:
            if lv.low != expected:
                self.diags.warning(lv.loc, f"Level {lv.number} starts at {lv.low} marks; the "
                                   f"bands below it end at {expected - 1}")
            expected = lv.high + 1
        if ordered[-1].high != marks:
            self.diags.warning(ordered[-1].loc, f"the top band ends at {ordered[-1].high} marks but "
                               f"the question is worth {marks}")


def read(parsed, diags, period) -> ExamPaper:
    return ExamReader(parsed, diags, period).read()


def view(b, part: ExamPaper) -> dict:
    ex = part
    opts = exam_options(b.pack.manifest.settings, ex.settings, b.theme_settings)
    index = 0

    def question(q) -> dict:
        nonlocal index
        lines = q.lines if q.lines is not None else answer_lines_for(
            q.marks, opts["lines_per_mark"], opts["min_lines"], opts["long_lines_per_mark"])
        if lines:
            lines = max(1, lines + b.plan.answer_lines.get(index, 0))
        index += 1
        scheme = None
        if q.mark_scheme is not None and b.edition == "answers":
            scheme = {
                "levels": [{"number": lv.number, "low": lv.low, "high": lv.high,
                            "descriptor": b.md(lv.descriptor, lv.loc)}
                           for lv in q.mark_scheme.levels],
                "indicative": [b.md(t, q.mark_scheme.loc) for t in q.mark_scheme.indicative],
            }
        return {
            "number": q.number,
            "index": index - 1,       # its place in the whole exam (0, 1, …)
            "label": q.label,
            "marks": q.marks,
            "paper": q.paper,
            "text": b.md(q.text, q.loc, inline=False),
            "sources": [{"label": s.label, "provenance": b.md(s.provenance, s.loc),
                         "text": b.md(s.text, s.loc, inline=False)} for s in q.sources],
            # The teacher's copy prints no answer space: each question, then its mark scheme.
            "lines": 0 if b.edition == "answers" else lines,
            "new_page": index - 1 in b.plan.new_page,
            "mark_scheme": scheme,
        }

    def paper(title: str, board: str, qualification: str, code: str, time_allowed: str,
              total: int, instructions: list, information: list, qs: list, loc) -> dict:
        return {
            "title": title, "board": board, "code": code,
            "qualification": qualification or b.pack.manifest.level,
            "time_allowed": time_allowed or opts["time_allowed"],
            "total_marks": total,
            "instructions": [b.md(t, getattr(t, "loc", loc))
                             for t in instructions or opts["instructions"]],
            "information": [b.md(t, getattr(t, "loc", loc))
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
    ctx = b.common("exam", ex.title, ex.intro, {}, ex.loc)
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
    for one in [ctx] + papers:          # each paper's own total and time
        facts = {"{total_marks}": str(one.get("total_marks", "")),
                 "{time_allowed}": str(one.get("time_allowed", ""))}
        for key in ("instructions", "information"):
            one[key] = [_fill(line, facts) for line in one.get(key, [])]
    return ctx


def _fill(line, facts: dict) -> Markup:
    text = str(line)
    for key, value in facts.items():
        text = text.replace(key, str(Markup.escape(value)))
    return Markup(text)


def _starts(ex: ExamPaper) -> set[int]:
    """Each paper's first question (answer-line fitting never moves it away from its front)."""
    firsts, at = {0}, 0
    for p in ex.papers:
        firsts.add(at)
        at += len(p.questions)
    return firsts


def _contents_parts(ex: ExamPaper) -> list[tuple[str, str]]:
    """The papers, listed under the exam on the contents page (anchors as exam.html sets them)."""
    if len(ex.papers) < 2:
        return []
    return [(p.title, f"paper-{i}") for i, p in enumerate(ex.papers, 1)]


#: The exam template's own variables (the template contract; html.CONTEXT adds the common ones).
CONTEXT = {
    "worksheet": "Empty for exam pages.",
    "papers": "The papers, each with its own front or cover: one paper of all the "
              "questions when the pack has no '# Paper:' headings.",
    "papers[].title": "The paper's title (empty for a pack without papers).",
    "papers[].board": "Its Board field (may be empty).",
    "papers[].qualification": "Its Qualification field, else pack.level.",
    "papers[].code": "Its Code field, such as 7042/2N (may be empty).",
    "papers[].time_allowed": "Its Time allowed, else the exam's time_allowed (may be empty).",
    "papers[].total_marks": "Its Marks field, else the sum of its questions' marks.",
    "papers[].instructions": "Its Instructions, else the exam's instructions.",
    "papers[].information": "Its Information, else the exam's information.",
    "papers[].questions": "Its questions, as in `questions`.",
    "questions": "Every question of every paper, in order.",
    "questions[].index": "Its place in the whole exam, from 0 (question numbers start "
                         "again at 1 in each paper).",
    "questions[].number": "Question number (1, 2, …); print it with ui.qnum(q.number) or "
                          "question_number(q.number).",
    "questions[].label": "The question's short title.",
    "questions[].marks": "Its marks; print the tariff with tariff(q.marks).",
    "questions[].paper": "The paper or format it follows (may be empty).",
    "questions[].text": "The question (formatted text).",
    "questions[].sources": "Sources, interpretations or extracts printed with it.",
    "questions[].sources[].label": "Such as Source A.",
    "questions[].sources[].provenance": "Who wrote it, when and where.",
    "questions[].sources[].text": "The source's text.",
    "questions[].lines": "Number of answer lines (from the marks and lines_per_mark; 0 in "
                         "the answers edition).",
    "questions[].new_page": "true when the question starts on a new page, moved on whole "
                            "rather than spill a few lines on to a page of their own.",
    "questions[].mark_scheme": "Its mark scheme in the answers edition (empty otherwise).",
    "questions[].mark_scheme.levels": "The levels, highest first.",
    "questions[].mark_scheme.levels[].number": "Level number.",
    "questions[].mark_scheme.levels[].low": "Lowest mark of the level.",
    "questions[].mark_scheme.levels[].high": "Highest mark of the level.",
    "questions[].mark_scheme.levels[].descriptor": "What an answer at this level does.",
    "questions[].mark_scheme.indicative": "Indicative content, a list of points.",
    "total_marks": "The sum of all the questions' marks (the paper's total when there "
                   "is one paper).",
    "time_allowed": "The first paper's time allowed, such as 1 hour 30 minutes (may be "
                    "empty).",
    "line_style": "solid or dotted: the theme's line_style, unless the pack overrides it.",
    "instructions": "The first paper's Instructions list (formatted text, one item a "
                    "line).",
    "information": "The first paper's Information list.",
}
CONTEXT.update({"papers[]." + k: v for k, v in CONTEXT.items() if k.startswith("questions[]")})


STARTER = """\
---
time_allowed: "1 hour"
---
# Exam practice

<!-- Exam practice pages. Lines inside these comment marks are notes to you: revpack skips them.
     Each '## ' heading starts a question: its fields (Marks needed; Paper and Lines optional),
     then the question text with the command words in bold, then '### Source A' sections if
     it has sources, then '### Mark scheme' with one line per level. 'time_allowed' above is
     printed on the front (delete those three lines to leave it out). -->

## An essay question
- Marks: 25
- Paper: Essay

"A view to test, in quotation marks." **Assess** the validity of this view.

### Mark scheme
- Level 2: 13–25 marks — A supported judgement on the view, with precise evidence.
- Level 1: 1–12 marks — Mainly description, with little judgement.

## A source question
- Marks: 4

**Analyse** the value of Source A for a historian studying the topic.

<!-- A source: a Provenance field, then the source's words as a '>' quotation. -->
### Source A
- Provenance: Who wrote it, when, and for whom.

> The words of the source.

### Mark scheme
- Level 2: 3–4 marks — Value and limitations explained, with reference to the source.
- Level 1: 1–2 marks — Value or limitations identified.
"""


KIND = Kind(
    name="exam", file="exam.md", label="the exam paper", title="Exam practice",
    read=read, view=view, noun=("question", "questions"), count=lambda ex: len(ex.questions),
    section=Section("exam", EXAM_DEFAULTS, check_section),
    template_doc="The exam practice pages, with their front or cover.", starter=STARTER,
    fitting="answer-lines", starts=_starts, contents_parts=_contents_parts,
    context=CONTEXT,
)

