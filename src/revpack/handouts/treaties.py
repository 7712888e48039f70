"""Treaties: takes treaties.md, gives the treaty table (date, place, parties, terms, significance).

Declares the kind (see handouts/__init__.py): its reader, its view and its settings.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .. import settings as settings_mod
from ..blocks import ITEM
from ..diagnostics import show
from ..model import Treaty, TreatyTable
from ..readers import _duplicates, _Reader
from ..views import choose_blanks, seeded_rng
from . import Kind

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


def read(parsed, diags, period) -> TreatyTable:
    return TreatyReader(parsed, diags, period).read()


def view(b, part: TreatyTable) -> dict:
    tt = part
    opts = settings_mod.worksheet_options("treaties", b.pack.manifest.settings, tt.settings)
    rng = seeded_rng(b.pack, "treaties")
    columns = opts["blank"]
    cells = [(i, c) for i, t in enumerate(tt.treaties) for c in columns
             if c != "place" or t.place]
    chosen = {cells[k] for k in choose_blanks(rng, len(cells), opts["proportion"])}
    rows = []
    for i, t in enumerate(tt.treaties):
        def cell(col, text, kind, inline=True):
            return b.gap(b.md(text, t.loc, inline), b.prose.plain(text),
                            (i, col) in chosen, kind)
        date_text = t.date.format(b.pack.manifest.language)
        rows.append({
            "name": b.md(t.name, t.loc),
            "date": b.gap(Markup.escape(date_text), date_text, (i, "date") in chosen, "date"),
            "iso": t.date.iso(),
            "place": cell("place", t.place, "narrow") if t.place else "",
            "parties": cell("parties", "; ".join(t.parties), "narrow"),
            "terms": cell("terms", t.terms, "cell"),
            "significance": cell("significance", t.significance, "cell"),
        })
    ctx = b.common("treaties", tt.title, tt.intro, opts, tt.loc)
    ctx.update({"treaties": rows, "word_bank": b.word_bank("treaties", opts),
                "columns": {"significance": tt.settings.get("significance_label",
                                                            b.words["col_significance"])}})
    return ctx


STARTER = """\
# Treaties and agreements

<!-- The treaty table handout: one '## ' heading per treaty, in any order (the table prints
     them by date). Lines inside these comment marks are notes to you: revpack skips them.
     Fields: Date (one date, as 16 Apr 1922), Parties (separated by ';'), Terms and
     Significance are needed; Place may be left out. To continue a long field on the next
     line, indent that line by two spaces. -->
Replace this example with the treaties your course needs.

## Example Treaty of Somewhere
- Date: 16 Apr 1922
- Place: Somewhere
- Parties: First state; Second state
- Terms: What the two sides agreed, in a sentence or two.
- Significance: Why it mattered, in a sentence or two.
"""


KIND = Kind(
    name="treaties", file="treaties.md", label="the treaty table", title="Treaty table",
    read=read, view=view, noun=("treaty", "treaties"), count=lambda tt: len(tt.treaties),
    worksheet={"blank": ["terms", "significance"], "proportion": 1.0, "word_bank": False},
    blankable=("date", "parties", "terms", "significance", "place"),
    word_bank_hint="blank a short column too, such as date, parties or place, or turn "
                   "word_bank off",
    front_matter=("significance_label",), booklet_landscape=True,
    template_doc="The treaty table.", starter=STARTER,
    context={
        "treaties": "The treaties, in date order.",
        "treaties[].name": "Treaty name.",
        "treaties[].date": "Date signed, as printed (field).",
        "treaties[].iso": "Date signed as YYYY-MM-DD.",
        "treaties[].place": "Where it was signed (field; may be empty).",
        "treaties[].parties": "The parties (field).",
        "treaties[].terms": "Key terms (field).",
        "treaties[].significance": "Significance (field).",
        "columns": "Column headings that a pack may rename.",
        "columns.significance": "The last column's heading (default Significance).",
    },
)
