"""Timeline: takes timeline.md, gives the timeline handout (phases of dated events, a key).

Declares the kind (see handouts/__init__.py): its reader, its view and its settings.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .. import settings as settings_mod
from ..blocks import ITEM, PARA, Block
from ..diagnostics import Located, did_you_mean, show
from ..model import EVENT_KINDS, Event, Phase, Timeline
from ..readers import _KIND_NAMES, MAX_ITEMS, _duplicates, _Reader, with_children
from ..views import choose_blanks, seeded_rng
from . import Kind

_EVENT_RE = re.compile(r"^\*\*(?P<date>[^*]+)\*\*\s*(?:[\u2014\u2013:]|--?-?)\s*(?P<text>.*)$", re.DOTALL)
_KIND_RE = re.compile(r"\[(?P<kind>[A-Za-z]+)\]$")
_KEY_RE = re.compile(r"\s*\[key\](?=(?:\s*\[[A-Za-z]+\])?$)", re.IGNORECASE)


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
        # '[key]', before or after the kind, marks a key date (the knowledge organiser's).
        key = bool(_KEY_RE.search(text))
        text = _KEY_RE.sub("", text).rstrip()
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
        return Event(date, text, kind, self.loc(block), key)


def read(parsed, diags, period) -> Timeline:
    return TimelineReader(parsed, diags, period).read()


def view(b, part: Timeline) -> dict:
    tl = part
    opts = settings_mod.worksheet_options("timeline", b.pack.manifest.settings, tl.settings)
    rng = seeded_rng(b.pack, "timeline")
    events = [e for p in tl.phases for e in p.events]
    chosen = choose_blanks(rng, len(events), opts["proportion"])
    # In a mix, each chosen event loses either its date or its text (seeded coin).
    which = {i: ("dates" if opts["blank"] == "dates" else "events" if opts["blank"] == "events"
                 else rng.choice(("dates", "events"))) for i in sorted(chosen)}
    phases, index = [], 0
    for phase in tl.phases:
        items = []
        for event in phase.events:
            blank = which.get(index)
            date_text = event.date.format(b.pack.manifest.language)
            items.append({
                "date": b.gap(Markup.escape(date_text), date_text, blank == "dates", "date"),
                "iso": event.date.iso(),
                "text": b.gap(b.md(event.text, event.loc), b.prose.plain(event.text),
                                 blank == "events", "event"),
                "kind": event.kind,
                "line": event.loc.line,
            })
            index += 1
        phases.append({"title": b.md(phase.title, phase.loc),
                       "summary": b.md(phase.summary, phase.loc), "events": items})
    ctx = b.common("timeline", tl.title, tl.intro, opts, tl.loc)
    ctx.update({"phases": phases,
                "kinds": sorted({e["kind"] for p in phases for e in p["events"]},
                                key=("event", "treaty", "conference", "war").index),
                "word_bank": b.word_bank("timeline", opts)})
    return ctx


STARTER = """\
# Timeline

<!-- The timeline handout. Lines inside these comment marks are notes to you: revpack skips
     them, so delete them when you no longer need them.
     A paragraph here, before the first '## ' heading, introduces the timeline. -->
One page of dated events, in phases. Replace this example with your own.

<!-- Each phase: a '## ' heading, a one-line 'Summary:', then its events.
     An event: '- **date** — what happened', with an optional [treaty], [conference] or [war]
     at the end for the key. Dates: 16 Apr 1922, Apr 1922, 1922, c. 1922, 1924–25,
     10 Apr – 19 May 1922. Events print in date order within their phase. -->
## First phase, 1917–1922
Summary: One line saying what holds these events together.

- **7 Nov 1917** — The first event of the example (replace it).
- **16 Apr 1922** — A treaty signed, marked for the key. [treaty]

## Second phase, 1922–1939
Summary: One line for the second phase.

- **1924–25** — An event that lasted more than a year.
"""


KIND = Kind(
    name="timeline", file="timeline.md", label="the timeline", title="Timeline",
    read=read, view=view, noun=("event", "events"),
    count=lambda tl: sum(len(ph.events) for ph in tl.phases),
    worksheet={"blank": "mix", "proportion": 0.5, "word_bank": True},
    blankable=("dates", "events", "mix"), blank_one=True,
    word_bank_hint="blank dates (or mix) to fill it, or turn word_bank off",
    template_doc="The timeline sheet.", starter=STARTER,
    context={
        "phases": "The timeline's phases, in order.",
        "phases[].title": "Phase title.",
        "phases[].summary": "One-line summary of the phase.",
        "phases[].events": "The phase's events, in date order.",
        "phases[].events[].date": "The date as printed (field).",
        "phases[].events[].iso": "The date as YYYY-MM-DD, for <time datetime>.",
        "phases[].events[].text": "What happened (field).",
        "phases[].events[].kind": "event, treaty, conference or war.",
        "phases[].events[].line": "The line of timeline.md it was written on.",
        "kinds": "The kinds of event used, for the key.",
    },
)
