"""Historiography: takes historiography.md, gives the grid of schools of thought (historians,
argument, evidence, criticisms).

Declares the kind (see handouts/__init__.py): its reader, its view and its settings.
"""

from __future__ import annotations

import re

from .. import settings as settings_mod
from ..blocks import ITEM, Block
from ..diagnostics import show
from ..model import Historian, Historiography, School
from ..readers import _duplicates, _Reader
from ..views import choose_blanks, seeded_rng
from . import Kind

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


def read(parsed, diags, period) -> Historiography:
    return HistoriographyReader(parsed, diags, period).read()


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
            "historians": [{"name": h.name, "work": b.md(h.work, h.loc), "year": h.year}
                           for h in s.historians],
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
        "schools[].argument": "Core argument (field).",
        "schools[].evidence": "Evidence cited (field).",
        "schools[].criticisms": "Criticisms (field).",
    },
)
