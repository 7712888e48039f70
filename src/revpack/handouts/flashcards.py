"""Flashcards: takes the glossary, the timeline and the people file, gives cards to cut out.

The complete edition is the cards: sheets of 8 (4 in large print), each card inside a dashed cut
line, fronts on one page and backs on the next. The backs are mirrored (the columns swapped) so
that each back lands behind its front when the sheet is printed double-sided, flipping on the long
edge. The worksheet and answers editions are a self-test list instead: each card's front with a
gap for its back (or the other way round: `worksheet.flashcards.blank`), and the same list with
the answers.

Decks, in the order pack.yaml's `flashcards: decks:` gives them:
- `terms`: term → definition (glossary.md);
- `dates`: date → what happened (timeline.md; a card shows the event's first sentence);
- `events`: what happened → date (the same cards, turned round);
- `people`: name → role (people.md).
The default is `[terms, people]`, those of them the pack has; a pack with neither builds no
flashcards unless it asks for a timeline deck. A deck asked for whose file is missing is an error.

Card size is fixed by the paper, so a card whose text does not fit is an error after layout
(`check_layout`), naming the card and saying how far to shorten it. Booklets leave the cards out
(a stapled booklet is not cut up) but keep the self-test list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ..diagnostics import Diagnostic, Diagnostics, Located, Location, did_you_mean, show
from ..papers import paper as paper_size
from ..views import choose_blanks, seeded_rng
from . import Kind, Section

#: The decks, each with the content file it needs (their printed names are the labels
#: flashcards_deck_<deck>, flashcards_front_<deck> and flashcards_back_<deck>).
DECKS = {
    "terms": "glossary",
    "dates": "timeline",
    "events": "timeline",
    "people": "people",
}
DEFAULT_DECKS = ("terms", "people")
FILES = {"glossary": "glossary.md", "timeline": "timeline.md", "people": "people.md"}

#: Cards per sheet (columns, rows) and the card pages' margins in mm (top, side, bottom): the
#: sides are equal, so a mirrored back lands exactly behind its front.
GRID = {"standard": (2, 4), "dyslexia-friendly": (2, 4), "large-print": (2, 2)}
MARGINS = {"standard": (14, 10, 12), "dyslexia-friendly": (14, 10, 12),
           "large-print": (20, 10, 26)}
#: What a too-long card's text is, for the hint.
_WHAT = {("terms", "back"): "the definition in glossary.md",
         ("people", "back"): "the role in people.md",
         ("dates", "back"): "the event's first sentence in timeline.md (a card shows only that)",
         ("events", "front"): "the event's first sentence in timeline.md (a card shows only that)"}


@dataclass
class Card:
    deck: str
    name: str           # plain, for messages: the term, the person, the date
    front: str          # Markdown
    back: str
    loc: Location
    number: int = 0     # 1, 2, … through the whole set


@dataclass
class Flashcards:
    decks: list[tuple[str, list[Card]]] = field(default_factory=list)
    loc: Location | None = None

    @property
    def cards(self) -> list[Card]:
        return [c for _, cards in self.decks for c in cards]


def check_section(data, path: tuple, loc, diags: Diagnostics) -> dict:
    """pack.yaml's `flashcards:`: `decks`, a list of deck names, each at most once."""
    if not isinstance(data, dict):
        diags.error(loc(path), "'flashcards' should be a group of settings",
                    "write 'flashcards:' and, under it, 'decks: [terms, dates, people]'")
        return {}
    out: dict = {}
    for key, value in data.items():
        here = path + (key,)
        if key != "decks":
            diags.error(loc(here), f"unknown flashcards option '{show(key, 40)}'",
                        did_you_mean(str(key), ("decks",)))
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            diags.error(loc(here), "'decks' should be a list of decks",
                        f"as decks: [{', '.join(DECKS)}]")
            continue
        decks = []
        for i, name in enumerate(value):
            where = loc(here + (i,))
            key_name = str(name).strip().lower()
            if key_name not in DECKS:
                diags.error(where, f"unknown deck '{show(name, 40)}'",
                            did_you_mean(key_name, tuple(DECKS))
                            or f"choose from {', '.join(DECKS)}")
            elif key_name in decks:
                diags.error(where, f"the {key_name} deck is listed twice",
                            "list each deck once, in the order you want them")
            else:
                decks.append(Located(key_name, where))
        out["decks"] = decks
    return out


#: A sentence ends at . ! or ? before a capital, but not after an initial or a short abbreviation.
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\bc)(?<!\bSt)(?<!\bDr)(?<!\bMr)(?<!\bno)[.!?]"
                           r"(?=\s+[\"“‘(*]*[A-Z0-9])")


def first_sentence(text: str) -> str:
    """The first sentence of an event's text (a card holds one idea)."""
    m = _SENTENCE_END.search(text)
    return text[:m.end()].strip() if m else text.strip()


def derive(pack, diags: Diagnostics) -> Flashcards | None:
    """The cards of the decks the pack asks for (None: no deck, so no flashcards)."""
    asked = pack.manifest.settings.get("flashcards", {}).get("decks")
    if asked is None:
        names = [Located(d, None) for d in DEFAULT_DECKS
                 if pack.content.get(DECKS[d]) is not None]
    else:
        names = []
        for name in asked:
            if pack.content.get(DECKS[name]) is None:
                diags.error(name.loc, f"the {name} deck needs {FILES[DECKS[name]]}, and the "
                            "pack has none", f"add {FILES[DECKS[name]]}, or take '{name}' out "
                            "of flashcards.decks")
            else:
                names.append(name)
    decks = [(str(n), _deck(str(n), pack)) for n in names]
    decks = [(n, cards) for n, cards in decks if cards]
    if not decks:
        return None
    number = 0
    for _, cards in decks:
        for card in cards:
            number += 1
            card.number = number
    return Flashcards(decks, pack.manifest.loc)


def _deck(name: str, pack) -> list[Card]:
    if name == "terms":
        return [Card(name, t.term, f"**{t.term}**", t.definition, t.loc)
                for t in pack.content["glossary"].terms]
    if name == "people":
        return [Card(name, p.name, f"**{p.name}**", p.role, p.loc)
                for p in pack.content["people"].people]
    events = [e for ph in pack.content["timeline"].phases for e in ph.events]
    if name == "dates":
        return [Card(name, e.date.format(), f"**{e.date.format()}**", first_sentence(e.text),
                     e.loc) for e in events]
    return [Card(name, first_sentence(e.text), first_sentence(e.text),
                 f"**{e.date.format()}**", e.loc) for e in events]


def geometry(variant: str, paper: str) -> dict:
    """The card pages: margins, and each card's size, in mm."""
    cols, rows = GRID.get(variant, GRID["standard"])
    top, side, bottom = MARGINS.get(variant, MARGINS["standard"])
    width, height = paper_size(paper).mm()
    # A quarter of a millimetre spare, so that rounding never pushes the last row over a page.
    return {"cols": cols, "rows": rows, "per_sheet": cols * rows,
            "margin": f"{top}mm {side}mm {bottom}mm {side}mm",
            "width": (width - 2 * side) / cols, "height": (height - top - bottom - 0.25) / rows}


def view(b, part: Flashcards) -> dict:
    g = geometry(b.variant, b.look.paper)
    opts = b.worksheet_options("flashcards", {})
    ctx = b.common("flashcards", "", "", opts, part.loc)
    if b.edition == "complete":
        cards = [{"number": c.number, "deck": c.deck,
                  "front": _plain_spans(b.md(c.front, c.loc)),
                  "back": _plain_spans(b.md(c.back, c.loc))}
                 for c in part.cards]
        n = g["per_sheet"]
        sheets = []
        for s, start in enumerate(range(0, len(cards), n)):
            # The last sheet is filled with blank cards, for students' own (and so that no
            # page of cards is left half empty).
            chunk = cards[start:start + n]
            chunk += [None] * (n - len(chunk))
            fronts, backs = [], []
            for i, card in enumerate(chunk):
                row, col = divmod(i, g["cols"])
                place = {"card": card, "top": round(row * g["height"], 2)}
                fronts.append(dict(place, left=round(col * g["width"], 2)))
                # Long-edge duplex turns the sheet over left to right: the columns swap.
                backs.append(dict(place, left=round((g["cols"] - 1 - col) * g["width"], 2)))
            sheets.append({"number": s + 1, "fronts": fronts, "backs": backs})
        decks = [{"name": name, "cards": [c for c in cards if c["number"] in numbers]}
                 for name, numbers in ((n, {c.number for c in cs}) for n, cs in part.decks)]
        ctx.update({"sheets": sheets, "decks": decks, "card": g})
        return ctx
    rng = seeded_rng(b.pack, "flashcards")
    chosen = choose_blanks(rng, len(part.cards), opts["proportion"])
    decks, index = [], 0
    for name, cards in part.decks:
        rows = []
        for c in cards:
            blank = None
            if index in chosen:
                blank = opts["blank"] if opts["blank"] != "mix" else rng.choice(("fronts", "backs"))
            rows.append({"number": c.number,
                         "front": _side(b, c, c.front, blank == "fronts", "front"),
                         "back": _side(b, c, c.back, blank == "backs", "back")})
            index += 1
        decks.append({"name": name, "cards": rows})
    ctx.update({"sheets": [], "decks": decks, "card": g,
                "word_bank": b.word_bank("flashcards", opts)})
    return ctx


_SPAN = re.compile(r'<span class="(nh|nb)">([^<]*)</span>')


def _plain_spans(html: Markup) -> Markup:
    """Card text without prose's no-hyphenation and no-break spans: a card is never hyphenated,
    a date's spaces become no-break spaces, and centred lines then break where they should
    (WeasyPrint breaks a centred line too early before an inline element that does not fit)."""
    return Markup(_SPAN.sub(lambda m: m.group(2).replace(" ", "\u00a0") if m.group(1) == "nb"
                            else m.group(2), str(html)))


def _side(b, card: Card, text: str, hidden: bool, side: str):
    is_date = (card.deck, side) in (("dates", "front"), ("events", "back"))
    return b.gap(_plain_spans(b.md(text, card.loc)), b.prose.plain(text), hidden,
                 "date" if is_date else "event")


def check_layout(document, look, part: Flashcards | None) -> list[Diagnostic]:
    """Every card's front and back fit their card; a card that does not is an error at the line
    its text comes from, saying how much to cut."""
    if look.edition != "complete" or part is None:
        return []
    by_number = {c.number: c for c in part.cards}
    problems, seen = [], set()
    for page in document.pages:
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if element is None or element.get("data-card") is None \
                    or "card" not in (element.get("class") or "").split() \
                    or not getattr(box, "children", None):
                continue
            number, side = int(element.get("data-card")), element.get("data-side")
            if (number, side) in seen:
                continue
            seen.add((number, side))
            needed = sum(child.margin_height() for child in box.children)
            if needed <= box.height + 0.5:          # half a CSS pixel of rounding is no clash
                continue
            card = by_number[number]
            text = card.back if side == "back" else card.front
            words = len(str(text).split())
            keep = max(1, math.floor(words * box.height / needed * 0.9))
            what = _WHAT.get((card.deck, side), f"the card's {side}")
            where = "" if look.variant == "standard" else f" in the {look.variant} copy"
            where += "" if look.paper == "a4" else f" on {look.paper} paper"
            problems.append(Diagnostic(
                card.loc, "error",
                f"flashcard {number} ('{show(card.name, 40)}', {card.deck} deck) does not fit "
                f"its card{where}: its {side} needs {needed * 25.4 / 96:.0f} mm of "
                f"{box.height * 25.4 / 96:.0f} mm",
                f"shorten {what} from {words} words to about {keep}"))
    return problems


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _walk(child)


CONTEXT = {
    "sheets": "Complete edition: the card sheets, in order (empty in the other editions).",
    "sheets[].number": "The sheet's number, from 1.",
    "sheets[].fronts": "Its cards' fronts, each placed on the page.",
    "sheets[].fronts[].card": "The card (empty for a blank card filling the last sheet).",
    "sheets[].fronts[].card.number": "Its number, from 1 through the whole set.",
    "sheets[].fronts[].card.deck": "Its deck: terms, dates, events or people.",
    "sheets[].fronts[].card.front": "Its front (formatted text).",
    "sheets[].fronts[].card.back": "Its back (formatted text).",
    "sheets[].fronts[].left": "Its distance from the left margin, in mm.",
    "sheets[].fronts[].top": "Its distance from the top margin, in mm.",
    "sheets[].backs": "Its cards' backs, mirrored: the columns swapped, so that each back lands "
                      "behind its front in long-edge duplex. Entries as in fronts.",
    "card": "The card geometry.",
    "card.cols": "Cards across a sheet.",
    "card.rows": "Cards down a sheet.",
    "card.per_sheet": "Cards on a sheet (8, or 4 in large print).",
    "card.margin": "The card pages' margins, for @page cards.",
    "card.width": "One card's width, in mm.",
    "card.height": "One card's height, in mm.",
    "decks": "The decks, in order: the self-test list (worksheet and answers editions), "
             "or the cards as a list (complete edition, for a reading page).",
    "decks[].name": "terms, dates, events or people.",
    "decks[].cards": "Its cards, in order.",
    "decks[].cards[].number": "The card's number, as on the flashcards.",
    "decks[].cards[].front": "Its front (field; complete edition: formatted text).",
    "decks[].cards[].back": "Its back (field; complete edition: formatted text).",
    "decks[].cards[].deck": "Complete edition: its deck, as decks[].name.",
}
CONTEXT.update({k.replace("sheets[].fronts", "sheets[].backs", 1): v
                for k, v in CONTEXT.items() if k.startswith("sheets[].fronts[]")})


KIND = Kind(
    name="flashcards", label="the flashcards", title="Flashcards", view=view,
    optional=("glossary", "people", "timeline"), derive=derive,
    section=Section("flashcards", {"decks": list(DEFAULT_DECKS)}, check_section),
    worksheet={"blank": "backs", "proportion": 1.0, "word_bank": False},
    blankable=("backs", "fronts", "mix"), blank_one=True,
    word_bank_hint="blank fronts to fill it, or turn word_bank off",
    template_doc="Flashcards: sheets of cards to cut out (complete edition), or a self-test "
                 "list (worksheet and answers).",
    check_layout=check_layout, booklets=("worksheet", "answers"),
    context=CONTEXT,
)
