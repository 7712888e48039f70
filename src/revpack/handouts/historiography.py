"""Historiography: takes historiography.md, gives the grid of schools of thought (historians,
argument, evidence, criticisms).

Declares the kind (see handouts/__init__.py): its reader, its view and its settings.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .. import settings as settings_mod
from ..blocks import ITEM, Block
from ..diagnostics import show
from ..model import Historian, Historiography, School
from ..readers import _duplicates, _Reader
from ..views import choose_blanks, seeded_rng
from . import Kind

#: A historian entry is a name, a work and a year; longer text is not one.
MAX_HISTORIAN_CHARS = 1000
#: Where the name ends: the first comma followed by the work's title, in italics (a book) or in
#: quotation marks (an article or a chapter). "Taylor, A. J. P., *The Origins...*" works too.
_NAME_END = re.compile(r",\s*(?=[*_\"“‘'„«])")
_CLOSING = {'"': '"', "“": "”", "‘": "’", "'": "'", "„": "“", "«": "»"}
_ITALIC = re.compile(r"(\*[^*]+\*|_[^_]+_)")
_BRACKETS = re.compile(r"\(([^()]*)\)")
HISTORIAN_HINT = ("write 'A. J. P. Taylor, *The Origins of the Second World War* (1961)', or for "
                  "an article 'J. L. Gaddis, \"Title\", *Diplomatic History* 7 (1983)' "
                  "(docs/authoring.md, historiography.md)")


def split_work(entry: str) -> tuple[str, str, str, str] | tuple[str, str]:
    """(name, kind, title, details) of a historian's entry, or (what is wrong, hint).

    The name ends at the first comma followed by the title: `*Title*` for a book,
    `"Title"` (or “…”, ‘…’, „…“, «…») for an article or a chapter. After a book's title come
    its brackets, `(1961)` or `(1961; 2nd edn 1963)`; after an article's, its journal in italics
    with volume and year, `*Foreign Affairs* 46 (1967)`; after a chapter's, `in` and the book,
    `in R. Boyce (ed.), *Paths to War* (1989)`."""
    m = _NAME_END.search(entry)
    if not m or not entry[:m.start()].strip():
        return "a historian needs a name and a work", HISTORIAN_HINT
    name, rest = entry[:m.start()].strip(), entry[m.end():].strip().rstrip(".").strip()
    italic = _ITALIC.match(rest)
    if italic:
        return name, "book", italic.group()[1:-1].strip(), rest[italic.end():].strip(" ,")
    closing = _CLOSING[rest[0]]
    end = rest.find(closing, 1)
    while closing in "'’" and end != -1 and end + 1 < len(rest) and rest[end + 1].isalpha():
        end = rest.find(closing, end + 1)       # an apostrophe inside a 'title', as Stalin's
    if end == -1:
        return (f"the title of {show(name, 40)}'s work opens a quotation mark but never closes it",
                f"close it with {closing}")
    title, details = rest[1:end].strip(" ,"), rest[end + 1:].strip(" ,")
    if re.match(r"in\b", details):
        return name, "chapter", title, details
    if _ITALIC.search(details):
        return name, "article", title, details
    shown = f"{show(name, 30)}, \"{show(title, 30)}\""
    return ("a title in quotation marks is an article's or a chapter's: give its journal or book "
            "after it", f"write {shown}, *Journal* 46 (1967), or {shown}, in E. Editor (ed.), "
            "*Book* (1989); a book's title goes in italics, as *Title*")


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
            found = split_work(entry.strip()) if len(entry) <= MAX_HISTORIAN_CHARS else \
                ("a historian needs a name and a work", HISTORIAN_HINT)
            if len(found) == 2:
                self.diags.error(self.loc(where), *found)
                continue
            name, kind, title, details = found
            year = None
            brackets = _BRACKETS.findall(details)
            if brackets:
                ym = re.search(r"\b(\d{4})\b", brackets[-1])
                if ym:
                    year = int(ym.group(1))
                else:
                    self.diags.error(self.loc(where), f"'{show(brackets[-1], 40)}' is not a year",
                                     "give the year of publication, as (1961)")
            else:
                self.diags.warning(self.loc(where), f"no year given for {show(name, 40)}'s work",
                                   "add the year of publication, as (1961)")
            out.append(Historian(name, title, year, self.loc(where), kind, details))
        if not out:
            self.diags.error(self.loc(block), "the school lists no historians",
                             "list them under '- Historians:', each on a line indented by two "
                             "spaces")
        return out


def read(parsed, diags, period) -> Historiography:
    return HistoriographyReader(parsed, diags, period).read()


def historian(b, h: Historian) -> dict:
    """A historian's entry for the template; the citation is the work after the name."""
    details = b.md(h.details, h.loc) if h.details else Markup("")
    if h.kind == "book":
        citation = Markup("<cite>{}</cite>").format(b.md(h.work, h.loc))
        citation += Markup(" ") + details if details else Markup("")
    else:   # "Title", then the journal or book: the quotation marks of the pack's language
        citation = b.md(f'"{h.work}"', h.loc) + Markup(", ") + details
    return {"name": h.name, "work": b.md(h.work, h.loc), "year": h.year, "kind": h.kind,
            "citation": citation}


def view(b, part: Historiography) -> dict:
    hg = part
    opts = settings_mod.worksheet_options("historiography", b.pack.manifest.settings,
                                          hg.settings)
    rng = seeded_rng(b.pack, "historiography")
    columns = opts["blank"]
    cells = [(i, c) for i in range(len(hg.schools)) for c in columns]
    chosen = {cells[k] for k in choose_blanks(rng, len(cells), opts["proportion"])}
    schools = []
    for i, s in enumerate(hg.schools):
        def cell(col, text):
            return b.gap(b.md(text, s.loc), b.prose.plain(text), (i, col) in chosen,
                            "grid")
        schools.append({
            "name": b.md(s.name, s.loc),
            "historians": [historian(b, h) for h in s.historians],
            "argument": cell("argument", s.argument),
            "evidence": cell("evidence", s.evidence),
            "criticisms": cell("criticisms", s.criticisms),
        })
    ctx = b.common("historiography", hg.title, hg.intro, opts, hg.loc)
    ctx.update({"schools": schools, "word_bank": b.word_bank("historiography", opts)})
    return ctx


STARTER = """\
# Historiography

<!-- The historiography grid: one '## ' heading per school of thought (or view).
     Lines inside these comment marks are notes to you: revpack skips them.
     Each school needs Historians (one per line, indented by two spaces, as
     'A. J. P. Taylor, *The Origins of the Second World War* (1961)'), Argument, Evidence and
     Criticisms. -->
Replace this example with the debate your course studies.

## An example school
- Historians:
  - A. Historian, *A Book about the Question* (1990)
- Argument: What these historians argue, in two or three sentences.
- Evidence: The evidence they use.
- Criticisms: What their critics say.
"""


KIND = Kind(
    name="historiography", file="historiography.md", label="the historiography grid",
    title="Historiography grid", read=read, view=view, noun=("school", "schools"),
    count=lambda hg: len(hg.schools),
    worksheet={"blank": ["argument", "evidence"], "proportion": 1.0, "word_bank": False},
    blankable=("argument", "evidence", "criticisms"),
    template_doc="The historiography grid.", starter=STARTER,
    context={
        "schools": "The schools of thought, in order.",
        "schools[].name": "School name.",
        "schools[].historians": "Its historians.",
        "schools[].historians[].name": "Historian's name.",
        "schools[].historians[].work": "Their work's title (formatted text).",
        "schools[].historians[].year": "The work's year (may be empty).",
        "schools[].historians[].kind": "book, article (in a journal) or chapter (in an edited "
                                       "book).",
        "schools[].historians[].citation": "The work as printed after the name: the title "
                                           "(in <cite> for a book, in quotation marks for an "
                                           "article or chapter), then the journal or book and "
                                           "the brackets as written (formatted text).",
        "schools[].argument": "Core argument (field).",
        "schools[].evidence": "Evidence cited (field).",
        "schools[].criticisms": "Criticisms (field).",
    },
)
