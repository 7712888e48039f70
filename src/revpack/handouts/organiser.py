"""Knowledge organiser: takes glossary.md (and people.md and the timeline when present), gives
one landscape page of key terms, key dates, key people and a strip of the timeline's phases.

Declares the kind (see handouts/__init__.py). It has no file of its own: it needs the glossary
and is left out of a pack without one. Its settings are pack.yaml's `organiser:` section:

- `key_dates`: the dates to show, each matching a timeline event (`- 16 Apr 1922`, or
  `- 16 Apr 1922: Treaty of Rapallo` to word it shortly). Without it, the events marked `[key]`
  in timeline.md; without those, one treaty (else one event) from each part of the timeline.
- `paper`: the sheet it prints on (`a3` for a bigger page); by default the build's paper.

It must fit one page (`check_layout`): if it does not, the build stops with an error at the
glossary saying by how much, and what to cut. The modified copies keep their type sizes (large
print never under 18 pt, dyslexia-friendly 12.5 pt) on the build's paper, portrait (A4 or
Letter, as modified papers are, so that modified booklets fold them like the other handouts),
and run on to further pages where the terms need them; so do booklets, on their A5 pages.
"""

from __future__ import annotations

import difflib
import math
import re

from markupsafe import Markup

from .. import settings as settings_mod
from ..dates import DateError, parse_date
from ..diagnostics import Diagnostic, Located, Location, RevpackError, show
from ..papers import MM_PER_POINT, PAPERS, paper as paper_of
from ..views import choose_blanks, seeded_rng
from . import Kind, Section

#: About ten key dates (the issue's "about 10"), when the pack does not choose them.
DEFAULT_KEY_DATES = 10
#: The papers `organiser.paper` may name.
PAPER_CHOICES = ("a4", "letter", "a3", "tabloid")
#: Pages a copy may run to, per variant. A standard copy is one page; a modified copy (large
#: print at 18 pt, dyslexia-friendly at 12.5 pt) runs on to further pages where its terms need
#: them: legibility first (None: no limit).
MAX_PAGES = {"standard": 1, "dyslexia-friendly": None, "large-print": None}

ORGANISER_DEFAULTS = {"key_dates": None, "paper": None}


def check_section(data, path: tuple, loc, diags) -> dict:
    """pack.yaml's `organiser:`, checked: the keys given (dates are matched to the timeline
    by the view, which knows it)."""
    out: dict = {}
    if not isinstance(data, dict):
        diags.error(loc(path), "'organiser' should be a group of settings (key_dates, paper)")
        return out
    for key, value in data.items():
        here = path + (key,)
        if key not in ORGANISER_DEFAULTS:
            close = difflib.get_close_matches(str(key), list(ORGANISER_DEFAULTS), n=1)
            diags.error(loc(here), f"unknown organiser option '{show(key, 40)}'",
                        f"did you mean '{close[0]}'?" if close else
                        "expected one of: 'key_dates', 'paper'")
        elif key == "paper":
            if str(value).lower() not in PAPER_CHOICES:
                close = difflib.get_close_matches(str(value).lower(), PAPER_CHOICES, n=1)
                diags.error(loc(here), f"unknown paper '{show(value, 40)}' for the organiser",
                            f"did you mean '{close[0]}'?" if close else
                            "expected one of: " + ", ".join(PAPER_CHOICES))
            else:
                out[key] = str(value).lower()
        elif not isinstance(value, list) or not value:
            diags.error(loc(here), "'key_dates' should be a list of dates from the timeline",
                        "write one per line, as '- 16 Apr 1922' or "
                        "'- 16 Apr 1922: Treaty of Rapallo'")
        else:
            dates = []
            for i, item in enumerate(value):
                if isinstance(item, dict) and len(item) == 1:
                    (date, wording), = item.items()
                else:
                    date, wording = item, None
                if isinstance(date, (list, dict)) or date is None or \
                        (wording is not None and not isinstance(wording, str)):
                    diags.error(loc(here + (i,)), f"a key date should be a date, not "
                                f"{show(item, 40)}", "write '- 16 Apr 1922' or "
                                "'- 16 Apr 1922: Treaty of Rapallo'")
                    continue
                dates.append((Located(str(date), loc(here + (i,))), wording))
            out[key] = dates
    return out


def _options(pack) -> dict:
    out = dict(ORGANISER_DEFAULTS)
    out.update(pack.manifest.settings.get("organiser", {}))
    return out


#: A phase title's own date span: "Collective security, 1933–1938".
_SPAN_RE = re.compile(r"[,:]?\s*\(?(?P<span>(?:c\.\s*)?\d{3,4}(?:\s*[\u2013\u2014-]\s*\d{2,4})?)\)?$")


def _phases(timeline) -> list[dict]:
    out = []
    for phase in timeline.phases:
        m = _SPAN_RE.search(phase.title)
        name = phase.title[:m.start()].strip() if m and m.start() > 0 else phase.title
        if m and m.start() > 0:
            span = re.sub(r"\s*[\u2013\u2014-]\s*", "\u2013", m.group("span"))
        elif phase.events:
            first = min(e.date.year for e in phase.events)
            last = max((e.date.end or e.date.start).year for e in phase.events)
            span = str(first) if first == last else f"{first}\u2013{last}"
        else:
            span = ""
        out.append({"name": name, "span": span, "loc": phase.loc})
    return out


def headline(plain: str) -> str:
    """A timeline event's text shortened to a key-date line: the name before its colon
    ("Treaty of Rapallo: ..."), else its first sentence without asides in brackets."""
    head, sep, _ = plain.partition(": ")
    if sep and len(head.split()) <= 8:
        return head.strip()
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", plain.strip())[0]
    return re.sub(r"\s*\([^)]*\)", "", sentence).rstrip(".").strip()


def _spread(items: list, count: int) -> list:
    """`count` of `items`, evenly spread (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def _default_key_events(timeline) -> list:
    """The events marked [key]; else one treaty (or event) from each tenth of the timeline."""
    events = [e for p in timeline.phases for e in p.events]
    marked = [e for e in events if getattr(e, "key", False)]
    if marked:
        return [(e, None) for e in marked]
    treaties = [e for e in events if e.kind == "treaty"]
    pool = treaties if len(treaties) >= DEFAULT_KEY_DATES else events
    return [(e, None) for e in _spread(pool, DEFAULT_KEY_DATES)]


def _chosen_key_events(timeline, chosen, diags) -> list:
    """The events `key_dates` names, each matched by its date; a date matching no event is an
    error at its line of pack.yaml, with the nearest dates the timeline has."""
    events = [e for p in timeline.phases for e in p.events] if timeline else []
    out = []
    for text, wording in chosen:
        if timeline is None:
            diags.error(text.loc, "'key_dates' needs a timeline.md to take its dates from",
                        "add timeline.md, or remove 'key_dates'")
            return []
        try:
            date = parse_date(text)
        except DateError as exc:
            diags.error(text.loc, f"key date '{show(text, 40)}': {exc}", exc.hint)
            continue
        match = next((e for e in events if e.date == date), None)
        if match is None:
            printed = [e.date.format().replace("\u00a0", " ") for e in events]
            close = difflib.get_close_matches(date.format().replace("\u00a0", " "),
                                              printed, n=1, cutoff=0.6)
            diags.error(text.loc, f"key date '{show(text, 40)}' matches no event in the "
                        "timeline", f"did you mean '{close[0]}'?" if close else
                        f"write a date as the timeline has it (from {printed[0]} to "
                        f"{printed[-1]})" if printed else "")
            continue
        out.append((match, wording))
    return out


def _key_dates(b, timeline, opts) -> list[dict]:
    diags = b.prose.diags
    if opts["key_dates"]:
        chosen = _chosen_key_events(timeline, opts["key_dates"], diags)
    elif timeline is not None:
        chosen = _default_key_events(timeline)
    else:
        return []
    chosen.sort(key=lambda ew: ew[0].date.sort_key())
    out = []
    for event, wording in chosen:
        text = wording if wording else headline(b.prose.plain(event.text))
        out.append({"date": event.date.format(), "iso": event.date.iso(),
                    "text": b.md(text, event.loc), "kind": event.kind})
    return out


def page_paper(look, opts: dict) -> str:
    """The paper a copy prints on: `organiser.paper`, else the build's. Modified copies and
    booklets keep the build's pages (a modified booklet folds them onto sheets twice as big)."""
    if look.paper in BOOKLET_PAGES or look.variant != "standard":
        return look.paper
    return opts.get("paper") or look.paper


def view(b, part) -> dict:
    pack = b.pack
    glossary, people, timeline = (pack.content.get("glossary"), pack.content.get("people"),
                                  pack.content.get("timeline"))
    opts = _options(pack)
    ws = settings_mod.worksheet_options("organiser", pack.manifest.settings, {})
    rng = seeded_rng(pack, "organiser")
    fields = [("definitions", i) for i in range(len(glossary.terms))]
    if people is not None:
        fields += [("roles", i) for i in range(len(people.people))]
    fields = [f for f in fields if f[0] in ws["blank"]]
    chosen = {fields[k] for k in choose_blanks(rng, len(fields), ws["proportion"])}

    def groups(model, entries, field, name_of, text_of):
        out = []
        for group, items in model.groups:
            rows = []
            for entry in items:
                i = entries.index(entry)
                text = text_of(entry)
                rows.append({"name": b.md(name_of(entry), entry.loc),
                             "text": b.gap(b.md(text, text.loc), b.prose.plain(text),
                                           (field, i) in chosen, "compact")})
            out.append({"title": group, "entries": rows})
        return out

    terms = groups(glossary, glossary.terms, "definitions", lambda t: t.term,
                   lambda t: t.definition)
    who = groups(people, people.people, "roles", lambda p: p.name,
                 lambda p: p.role) if people is not None else []
    paper = page_paper(b.look, opts)
    ctx = b.common("organiser", "", "", ws, glossary.loc)
    ctx.update({
        "terms": terms,
        "people": who,
        "key_dates": _key_dates(b, timeline, opts),
        "phases": [{"name": b.md(p["name"], p["loc"]), "span": p["span"]}
                   for p in (_phases(timeline) if timeline is not None else [])],
        "paper": paper,
        # Modified copies are portrait: a modified booklet folds portrait pages.
        "page_size": paper_of(paper).css + ("" if b.look.variant != "standard" else " landscape"),
        "word_bank": b.word_bank("organiser", ws),
    })
    return ctx


#: The blocks a column of the organiser is made of (its entries and headings).
_BLOCKS = ("organiser-term", "organiser-date", "organiser-person", "organiser-group")


def _blocks(page):
    """(box, class) of each entry and heading laid out on a page: the outermost box of each
    element (the anonymous boxes inside it share its element)."""
    seen = set()
    for box in _boxes(page._page_box, skip_margins=True):
        if type(box).__name__ != "BlockBox" or getattr(box, "element", None) is None \
                or id(box.element) in seen:
            continue
        seen.add(id(box.element))
        classes = _classes(box).split()
        name = next((c for c in classes if c in _BLOCKS), None)
        if name is None and box.element.tag in ("h2", "h3"):
            name = "heading"
        if name:
            yield box, name


#: The pages of a folded booklet (A5, half-Letter): there the organiser is a booklet's pages
#: like any handout's, turned sideways, and runs on as it must.
BOOKLET_PAGES = {p.booklet for p in PAPERS.values() if p.booklet}


def _allowed(look) -> int | None:
    """The pages a copy may run to (None: no limit)."""
    if look.paper in BOOKLET_PAGES:
        return None
    return MAX_PAGES.get(look.variant, 1)


def _px_mm(px: float) -> float:
    return px * MM_PER_POINT * 0.75          # a CSS pixel is 0.75 pt


def _overflow(document, look) -> tuple[float, int, float]:
    """(mm, lines, the mean height of a term in mm) of what runs past the pages allowed: the
    entries and headings on later pages, column by column."""
    allowed = _allowed(look) or len(document.pages)
    mm, terms, line_px = 0.0, [], None
    for number, page in enumerate(document.pages):
        columns: dict[int, list[float]] = {}
        for box, name in _blocks(page):
            if name == "organiser-term":
                terms.append(box.margin_height())
                if line_px is None:
                    line_px = next((b.height for b in _boxes(box)
                                    if type(b).__name__ == "LineBox" and b.height), None)
            if number >= allowed:
                top, bottom = box.position_y, box.position_y + box.margin_height()
                span = columns.setdefault(round(box.position_x), [top, bottom])
                span[0], span[1] = min(span[0], top), max(span[1], bottom)
        mm += sum(_px_mm(b - t) for t, b in columns.values())
    lines = math.ceil(mm / _px_mm(line_px or 15)) if mm else 0
    term_mm = _px_mm(sum(terms) / len(terms)) if terms else 10.0
    return mm, lines, term_mm


def _classes(box) -> str:
    element = getattr(box, "element", None)
    return (element.get("class") or "") if element is not None else ""


def _boxes(box, skip_margins: bool = False):
    """The box and its descendants (without the running header and footer, `skip_margins`)."""
    yield box
    for child in getattr(box, "children", ()) or ():
        if not (skip_margins and type(child).__name__ == "MarginBox"):
            yield from _boxes(child, skip_margins)


def check_layout(document, look, part) -> list[Diagnostic]:
    """The organiser fits one page (large print: two); else an error at the glossary saying by
    how much, and what to cut."""
    pack = part
    allowed = _allowed(look)
    if allowed is None or len(document.pages) <= allowed:
        return []
    mm, lines, term_mm = _overflow(document, look)
    terms = max(1, math.ceil(mm / term_mm))
    opts = _options(pack)
    paper = page_paper(look, opts)
    pages = "one page" if allowed == 1 else f"{allowed} pages"
    where = f"{look.edition} edition" + (f", {look.variant}" if look.variant != "standard" else "")
    bigger = "" if paper_of(paper).modified_sheet is None else \
        f", or set organiser.paper: {paper_of(paper).modified_sheet}"
    glossary = pack.content.get("glossary")
    loc = glossary.loc if glossary is not None else Location(pack.root, 0)
    return [Diagnostic(loc, "error",
                       f"the knowledge organiser ({where}) runs {lines} lines / {mm:.0f} mm over "
                       f"{pages} of {PAPERS[paper].name.upper() if len(paper) == 2 else paper}",
                       f"cut about {terms} term{'s' if terms != 1 else ''} from the glossary "
                       f"(or shorten definitions){bigger}")]


KIND = Kind(
    name="organiser", label="the knowledge organiser", title="Knowledge organiser",
    view=view, needs=("glossary",), optional=("people", "timeline"),
    worksheet={"blank": ["definitions", "roles"], "proportion": 1.0, "word_bank": False},
    blankable=("definitions", "roles"),
    word_bank_hint="turn word_bank off: definitions and roles are too long for it",
    section=Section("organiser", ORGANISER_DEFAULTS, check_section),
    check_layout=check_layout, booklet_landscape=True,
    template_doc="The knowledge organiser: one landscape page of key terms, dates and people.",
    context={
        "terms": "The glossary's terms, by group.",
        "terms[].title": "The group's heading ('' for none).",
        "terms[].entries": "Its terms.",
        "terms[].entries[].name": "The term.",
        "terms[].entries[].text": "Its definition (field).",
        "people": "people.md's people, by group (empty without people.md).",
        "people[].title": "The group's heading ('' for none).",
        "people[].entries": "Its people.",
        "people[].entries[].name": "The person's name.",
        "people[].entries[].text": "Their role (field).",
        "key_dates": "The key dates, in date order (empty without a timeline).",
        "key_dates[].date": "The date as printed.",
        "key_dates[].iso": "The date as YYYY-MM-DD.",
        "key_dates[].text": "What happened, in a few words.",
        "key_dates[].kind": "event, treaty, conference or war.",
        "phases": "The timeline's phases, for the strip across the top.",
        "phases[].name": "The phase's name, without its dates.",
        "phases[].span": "Its dates (1917–1922).",
        "paper": "The paper it prints on (a4, letter, a3, tabloid).",
        "page_size": "The page's CSS size (A4 landscape; portrait in modified copies).",
    },
)
