"""Readers: take parsed blocks (and pack.yaml), give the typed model, reporting every problem.

One reader per handout file. A reader never stops at the first mistake: it reports each one at
its `path:line` into the shared `Diagnostics` and carries on, so the author sees them all.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import settings as settings_mod
from .blocks import HEADING, ITEM, PARA, QUOTE, Block, ParsedFile, load_yaml, yaml_key_lines
from .dates import DateError, HistDate, parse_date
from .diagnostics import Diagnostics, Located, Location, did_you_mean, show
from .model import (
    EVENT_KINDS, Event, ExamPaper, Historian, Historiography, Level, Manifest, MarkScheme, Paper, Phase,
    Question, School, SourceExtract, Timeline, Treaty, TreatyTable,
)
from .source import MAX_FILE_BYTES, MAX_FILE_BYTES_LIMIT, SourceFile

MANIFEST_REQUIRED = ("title", "subject", "level", "exam_board", "author")
MANIFEST_OPTIONAL = ("subtitle", "language", "period", "sources", "school", "logo", "theme",
                     "paper", "max_file_bytes") + settings_mod.SECTIONS


def read_manifest(src: SourceFile, diags: Diagnostics) -> Manifest:
    errors_before = len(diags.errors)
    data = load_yaml(src.text, src, diags)
    # A YAML error already said what is wrong (and nothing was read); a key set twice is
    # reported too, but the rest was read, so missing settings are still worth saying.
    readable = bool(data) or len(diags.errors) == errors_before
    key_lines = yaml_key_lines(src.text)

    def loc(key) -> Location:
        path = key if isinstance(key, tuple) else (key,)
        while path and path not in key_lines:
            path = path[:-1]
        return src.loc(key_lines.get(path, 1))

    known = MANIFEST_REQUIRED + MANIFEST_OPTIONAL
    for key in data:
        if key not in known:
            diags.error(loc(str(key)), f"unknown setting '{show(key, 40)}'",
                        did_you_mean(str(key), known))
    values = {}
    for key in MANIFEST_REQUIRED + ("subtitle", "language", "school", "logo", "theme", "paper"):
        value = data.get(key)
        if value is None:
            if key in MANIFEST_REQUIRED and readable:
                if key in data:
                    diags.error(loc(key), f"'{key}' is empty", f"write it after the colon, as "
                                f"'{key}: {_EXAMPLES[key]}'")
                else:
                    diags.error(src.loc(1), f"pack.yaml is missing '{key}'",
                                f"add a line such as '{key}: {_EXAMPLES[key]}'")
            values[key] = ""
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            diags.error(loc(key), f"'{key}' should be text", "put it in double quotes, as "
                        f"{key}: \"{_EXAMPLES.get(key, '...').strip(chr(34))}\"")
            values[key] = ""
        else:
            values[key] = str(value).strip()
            if not values[key] and key in MANIFEST_REQUIRED:
                diags.error(loc(key), f"'{key}' is empty", f"write it after the colon, as "
                            f"'{key}: {_EXAMPLES[key]}'")
    language = values["language"] or "en-GB"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        diags.error(loc("language"), f"'{show(language, 40)}' is not a language tag",
                    "for example en-GB, en-US or fr")
        language = "en-GB"
    paper = (values["paper"] or "a4").lower()
    if paper not in ("a4", "letter"):
        diags.error(loc("paper"), f"unknown paper size '{show(values['paper'], 40)}'",
                    did_you_mean(paper, ("a4", "letter")))
        paper = "a4"
    period = None
    if data.get("period") is not None:
        if isinstance(data["period"], bool) or not isinstance(data["period"], (str, int)):
            diags.error(loc("period"), "'period' should be a year or a range of dates",
                        'put it in double quotes, as period: "1917–1939"')
        else:
            try:
                period = parse_date(str(data["period"]))
            except DateError as exc:
                diags.error(loc("period"), f"bad period: {exc}", exc.hint)
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        diags.error(loc("sources"), "'sources' should be a list of lines of text",
                    "start each source on its own line with '- '")
        sources = []
    sources = [Located(s, loc(("sources", i))) for i, s in enumerate(sources)]
    max_bytes = data.get("max_file_bytes", MAX_FILE_BYTES)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        diags.error(loc("max_file_bytes"), "'max_file_bytes' should be a whole number of bytes, "
                    f"not {show(max_bytes, 30)}", "for example 4194304 for 4 MB")
        max_bytes = MAX_FILE_BYTES
    elif max_bytes > MAX_FILE_BYTES_LIMIT:
        diags.error(loc("max_file_bytes"), f"'max_file_bytes' may be at most "
                    f"{MAX_FILE_BYTES_LIMIT:,} (100 MB), not {show(max_bytes, 30)}",
                    "no handout needs more; a larger file is runaway content")
        max_bytes = MAX_FILE_BYTES
    settings = {k: data[k] for k in settings_mod.SECTIONS if k in data}
    settings_mod.check_pack_settings(settings, loc, diags)
    return Manifest(
        title=values["title"], subject=values["subject"], level=values["level"],
        exam_board=values["exam_board"], language=language, author=values["author"],
        subtitle=values["subtitle"], period=period, sources=sources, school=values["school"],
        logo=values["logo"], theme=values["theme"], paper=paper, max_file_bytes=max_bytes,
        settings=settings,
        loc=src.loc(1),
    )


_EXAMPLES = {"title": '"Soviet foreign policy, 1917–1939"', "subject": "History",
             "level": "A-level", "exam_board": '"AQA A-level (7042)"',
             "author": '"Ms A. Teacher"'}


# --- shared helpers ------------------------------------------------------------------------------

class _Reader:
    """Walks one file's blocks; subclasses know one handout's structure."""

    handout = ""
    items = ""                           # what its '##' sections are, for messages
    default_title = ""
    LIST_FIELDS: tuple[str, ...] = ()    # fields whose nested items are entries, not prose

    def __init__(self, parsed: ParsedFile, diags: Diagnostics, period: HistDate | None = None):
        self.parsed = parsed
        self.src = parsed.source
        self.diags = diags
        self.period = period
        self.settings = settings_mod.check_handout_settings(
            self.handout, parsed.front_matter, self.setting_loc, diags)

    def setting_loc(self, path: tuple) -> Location:
        lines = self.parsed.front_matter_lines
        while path and path not in lines:
            path = path[:-1]
        return self.src.loc(lines.get(path, 1))

    def loc(self, block: Block | int) -> Location:
        return self.src.loc(block if isinstance(block, int) else block.line)

    def split_sections(self, level: int = 2, blocks: list[Block] | None = None):
        """(title, intro blocks, [(heading, blocks)]) by headings of `level`."""
        title, intro, sections = "", [], []
        current = None
        for block in self.parsed.blocks if blocks is None else blocks:
            if block.kind == HEADING and block.level == 1 and not title and current is None:
                title = block.text
            elif block.kind == HEADING and block.level == level:
                if len(sections) == MAX_ITEMS:
                    self.diags.error(self.loc(block), f"more than {MAX_ITEMS:,} {self.items} in "
                                     "one handout; the rest are not read",
                                     "split the handout between several packs")
                    break
                current = (block, [])
                sections.append(current)
            elif current is None:
                intro.append(block)
            else:
                current[1].append(block)
        return self.settings.get("title") or title or self.default_title, intro, sections

    def prose(self, blocks: list[Block]) -> str:
        """Paragraphs, lists and quotations back to Markdown, in their order (located at the first)."""
        parts: list[str] = []
        for b in blocks:
            if b.kind == PARA:
                parts.append(b.text)
            elif b.kind == QUOTE:
                parts.append("> " + b.text.replace("\n", "\n> "))
            elif b.kind == ITEM:
                item = with_children(b)
                if parts and parts[-1].startswith("- "):
                    parts[-1] += "\n- " + item.replace("\n", "\n  ")
                else:
                    parts.append("- " + item.replace("\n", "\n  "))
        return Located("\n\n".join(parts), self.loc(blocks[0])) if parts else ""

    def date(self, text: str, where: Location) -> HistDate | None:
        try:
            d = parse_date(text)
        except DateError as exc:
            self.diags.error(where, f"bad date: {exc}", exc.hint)
            return None
        if self.period is not None:
            lo, hi = self.period.sort_key()
            if d.sort_key()[0] > hi or (d.end or d.start).last_key() < lo:
                self.diags.warning(where, f"date {d.format()} is outside the pack's period "
                                          f"{self.period.format()}", "check it for a typing "
                                   "slip, or widen 'period' in pack.yaml")
        return d

    def fields(self, heading: Block, blocks: list[Block], required: tuple[str, ...],
               optional: tuple[str, ...] = ()) -> dict[str, tuple[str, Block]]:
        """`- Name: value` items under a heading, checked against the known field names."""
        known = required + optional
        found: dict[str, tuple[str, Block]] = {}
        reported: set[str] = set()      # fields already reported (misspelt or empty)
        for block in blocks:
            if block.kind != ITEM:
                continue
            f = block.field()
            if f is None:
                self.diags.error(self.loc(block), f"expected a 'Name: value' field under "
                                 f"'{show(heading.text)}'", "fields are " + ", ".join(known))
                continue
            name, value = f
            canonical = next((k for k in known if k.lower() == name.lower()), None)
            if canonical is None:
                hint = did_you_mean(name, known)
                self.diags.error(self.loc(block), f"unknown field '{name}'", hint)
                reported.update(k for k in known if f"'{k}'?" in hint)
                continue
            if canonical in found:
                self.diags.error(self.loc(block), f"field '{canonical}' given twice "
                                 f"(first at line {found[canonical][1].line})",
                                 "keep one; to continue a long field, indent its next line by "
                                 "two spaces")
                continue
            if not value and not block.children:
                self.diags.error(self.loc(block), f"field '{canonical}' is empty",
                                 f"write its text after '{canonical}:'")
                reported.add(canonical)
                continue
            if block.children and canonical not in self.LIST_FIELDS:
                value = with_children(Block(block.kind, value, block.line, children=block.children))
            found[canonical] = (Located(value, self.loc(block)), block)
        for name in required:
            if name not in found and name not in reported:
                self.diags.error(self.loc(heading), f"'{show(heading.text)}' has no '{name}' field",
                                 f"add a line '- {name}: ...'")
        return found

    def stray(self, blocks: list[Block], allowed: tuple[str, ...], where: str) -> None:
        for block in blocks:
            if block.kind not in allowed:
                self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} {where}",
                                 _STRAY_HINTS.get(block.kind, ""))


def with_children(block: Block) -> str:
    """An item's text with its nested items as a Markdown list (so nothing is dropped)."""
    if not block.children:
        return block.text
    lines = [block.text, ""] if block.text else []
    for child in block.children:
        lines.append("- " + with_children(child).replace("\n", "\n  "))
    return "\n".join(lines)


_KIND_NAMES = {HEADING: "heading", ITEM: "list item", PARA: "paragraph", QUOTE: "quotation"}
_STRAY_HINTS = {
    PARA: "only '- Name: value' lines go here; to continue a long field, indent its next line "
          "by two spaces, with no blank line before it",
    QUOTE: "only '- Name: value' lines go here",
    HEADING: "start each item with a '## ' heading; '#' is for the handout's title only",
}

#: The most items one handout may hold (phases, treaties, schools, questions; and events): a
#: sanity limit far above any revision handout, so runaway content fails fast, in `check`.
MAX_ITEMS = 1000


def _duplicates(diags: Diagnostics, items, key, what: str) -> None:
    seen: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            diags.error(item.loc, f"duplicate {what} (also at line {seen[k].loc.line})",
                        "delete one of them, or correct it if it should differ")
        else:
            seen[k] = item


# --- timeline ------------------------------------------------------------------------------------

_EVENT_RE = re.compile(r"^\*\*(?P<date>[^*]+)\*\*\s*(?:[\u2014\u2013:]|--?-?)\s*(?P<text>.*)$", re.DOTALL)
_KIND_RE = re.compile(r"\[(?P<kind>[A-Za-z]+)\]$")


class TimelineReader(_Reader):
    items = "phases"
    handout = "timeline"
    default_title = "Timeline"

    def read(self) -> Timeline:
        self.event_count = 0
        title, intro, sections = self.split_sections()
        phases = []
        for heading, blocks in sections:
            phases.append(self.phase(heading, blocks))
        if not sections:
            self.diags.error(self.src.loc(1), "the timeline has no phases",
                             "start each phase with a '## Phase title' heading")
        _duplicates(self.diags, phases, lambda p: " ".join(p.title.split()).lower(), "phase")
        events = [e for p in phases for e in p.events]
        _duplicates(self.diags, events, lambda e: (e.date.sort_key(), e.text.strip().lower()),
                    "event")
        return Timeline(title, self.prose(intro), phases, self.settings, self.src.loc(1))

    def phase(self, heading: Block, blocks: list[Block]) -> Phase:
        summary = ""
        events: list[Event] = []
        items = 0       # event items, read or not
        for block in blocks:
            f = block.field() if block.kind == PARA else None
            if f and f[0].lower() == "summary":
                if summary:
                    self.diags.error(self.loc(block), f"a second 'Summary:' line in phase "
                                     f"'{show(heading.text)}'", "keep one summary per phase")
                summary = Located(f[1], self.loc(block))
            elif block.kind == ITEM:
                items += 1
                self.event_count += 1
                if self.event_count == MAX_ITEMS + 1:
                    self.diags.error(self.loc(block), f"more than {MAX_ITEMS:,} events in one "
                                     "timeline; the rest are not read",
                                     "split the timeline between several packs")
                if self.event_count > MAX_ITEMS:
                    continue
                event = self.event(block)
                if event:
                    events.append(event)
            else:
                self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} in "
                                 f"phase '{show(heading.text)}'",
                                 "a phase holds a 'Summary:' line and '- **date** — event' items")
        if not summary:
            self.diags.error(self.loc(heading), f"phase '{show(heading.text)}' has no 'Summary:' "
                             "line", "add a one-line 'Summary: ...' under the heading")
        # Only a phase with no items at all: items that could not be read were reported one by
        # one (and those past the item limit, once).
        if not items:
            self.diags.error(self.loc(heading), f"phase '{show(heading.text)}' has no events",
                             "add events as '- **16 Apr 1922** — what happened', or delete the "
                             "heading")
        for before, after in zip(events, events[1:]):
            if after.date < before.date:
                self.diags.warning(after.loc, f"event dated {after.date.format()} comes after "
                                   f"{before.date.format()} (line {before.loc.line}); "
                                   "events are printed in date order")
        events.sort(key=lambda e: e.date.sort_key())
        return Phase(heading.text, summary, events, self.loc(heading))

    def event(self, block: Block) -> Event | None:
        m = _EVENT_RE.match(with_children(block))
        if not m:
            self.diags.error(self.loc(block), "an event needs a bold date first",
                             "write '- **16 Apr 1922** — what happened'")
            return None
        text = m.group("text").strip()
        kind = "event"
        k = _KIND_RE.search(text)
        if k:
            kind = k.group("kind").lower()
            text = text[:k.start()].rstrip()
            if kind not in EVENT_KINDS:
                self.diags.error(self.loc(block), f"unknown event kind '[{k.group('kind')}]'",
                                 did_you_mean(kind, EVENT_KINDS))
                kind = "event"
        if not text:
            self.diags.error(self.loc(block), "the event has a date but no text",
                             "write what happened after the dash")
            return None
        date = self.date(m.group("date"), self.loc(block))
        if date is None:
            return None
        return Event(date, text, kind, self.loc(block))


# --- treaties ------------------------------------------------------------------------------------

class TreatyReader(_Reader):
    items = "treaties"
    handout = "treaties"
    default_title = "Treaties and agreements"
    REQUIRED = ("Date", "Parties", "Terms", "Significance")
    OPTIONAL = ("Place",)

    def read(self) -> TreatyTable:
        title, intro, sections = self.split_sections()
        treaties = []
        for heading, blocks in sections:
            self.stray(blocks, (ITEM,), f"in treaty '{show(heading.text)}'")
            found = self.fields(heading, blocks, self.REQUIRED, self.OPTIONAL)
            if not all(k in found for k in self.REQUIRED):
                continue
            date = self.date(found["Date"][0], self.loc(found["Date"][1]))
            if date is None:
                continue
            parties = [p.strip() for p in re.split(r"[;\n]", found["Parties"][0]) if p.strip()]
            treaties.append(Treaty(
                name=heading.text, date=date, place=found.get("Place", ("", None))[0],
                parties=parties, terms=found["Terms"][0], significance=found["Significance"][0],
                loc=self.loc(heading)))
        if not sections:
            self.diags.error(self.src.loc(1), "the treaty table has no treaties",
                             "start each treaty with a '## Treaty name' heading")
        _duplicates(self.diags, treaties, lambda t: t.name.strip().lower(), "treaty")
        treaties.sort(key=lambda t: t.date.sort_key())
        return TreatyTable(title, self.prose(intro), treaties, self.settings, self.src.loc(1))


# --- historiography ------------------------------------------------------------------------------

#: A historian entry is a name, a title and a year; longer text is not one (and the pattern
#: below would take time growing with the square of its length).
MAX_HISTORIAN_CHARS = 1000
_HISTORIAN_RE = re.compile(
    r"^(?P<name>.+?),\s*(?P<work>\*.+\*|_.+_)\s*(?:\((?P<year>[^)]*)\))?\s*\.?$", re.DOTALL)


class HistoriographyReader(_Reader):
    items = "schools"
    handout = "historiography"
    default_title = "Historiography"
    REQUIRED = ("Historians", "Argument", "Evidence", "Criticisms")
    LIST_FIELDS = ("Historians",)

    def read(self) -> Historiography:
        title, intro, sections = self.split_sections()
        schools = []
        for heading, blocks in sections:
            self.stray(blocks, (ITEM,), f"in school '{show(heading.text)}'")
            found = self.fields(heading, blocks, self.REQUIRED)
            if not all(k in found for k in self.REQUIRED):
                continue
            historians = self.historians(found["Historians"])
            schools.append(School(heading.text, historians, found["Argument"][0],
                                  found["Evidence"][0], found["Criticisms"][0],
                                  self.loc(heading)))
        if not sections:
            self.diags.error(self.src.loc(1), "the historiography grid has no schools",
                             "start each school of thought with a '## School' heading")
        _duplicates(self.diags, schools, lambda s: s.name.strip().lower(), "school")
        return Historiography(title, self.prose(intro), schools, self.settings, self.src.loc(1))

    def historians(self, value: tuple[str, Block]) -> list[Historian]:
        text, block = value
        entries = [(c.text, c) for c in block.children]
        if text:
            entries.insert(0, (text, block))
        out = []
        for entry, where in entries:
            m = _HISTORIAN_RE.match(entry.strip()) if len(entry) <= MAX_HISTORIAN_CHARS else None
            if not m:
                self.diags.error(self.loc(where), "a historian needs a name and a work",
                                 "write 'A. J. P. Taylor, *The Origins of the Second World War* (1961)'")
                continue
            year = None
            if m.group("year"):
                ym = re.search(r"\b(\d{4})\b", m.group("year"))
                if ym:
                    year = int(ym.group(1))
                else:
                    self.diags.error(self.loc(where), f"'{show(m.group('year'), 40)}' is not a year",
                                     "give the year of publication, as (1961)")
            else:
                self.diags.warning(self.loc(where), f"no year given for {show(m.group('name').strip(), 40)}'s work",
                                   "add the year of publication, as (1961)")
            out.append(Historian(m.group("name").strip(), m.group("work").strip("*_ "), year,
                                 self.loc(where)))
        if not out:
            self.diags.error(self.loc(block), "the school lists no historians",
                             "list them under '- Historians:', each on a line indented by two "
                             "spaces")
        return out


# --- exam ----------------------------------------------------------------------------------------

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


READERS = {
    "timeline": TimelineReader,
    "treaties": TreatyReader,
    "historiography": HistoriographyReader,
    "exam": ExamReader,
}


def read_handout(name: str, parsed: ParsedFile, diags: Diagnostics, period: HistDate | None):
    return READERS[name](parsed, diags, period).read()


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
