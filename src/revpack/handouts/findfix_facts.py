"""Find-and-fix facts: takes a pack's timeline and treaty table, gives short true statements and
the deliberate errors that may be planted in them.

A `Fact` is one true statement: a coarse date ("Apr 1922": a statement never turns on the day)
and a sentence, either made from a treaty row ("Germany and Soviet Russia sign the Treaty of
Rapallo.") or the first sentence of a timeline event. `plant(fact, kind, ...)` gives a `Planted`
statement with ONE error of four kinds:

- ``date``: the date moved (by months or years) onto a date where it is wrong;
- ``swap``: two states swapped, only where the sentence is not symmetric ("Britain breaks off
  relations with the USSR", never "Germany and Japan sign ..." nor "... a pact with ...");
- ``name``: a person, or a treaty's name, from another event;
- ``place``: a wrong place.

A planted error must really be wrong, so every candidate is refused when it could be true: a
moved date that overlaps the true one, or lands where another fact names the same treaty, person
or place (the Treaty of Berlin moved onto its renewal of 1931); a name or place that another fact
of the same months mentions (Ribbentrop was at Munich too); a name or place that is another name
for the true one (Peking and Beijing, `ALIASES`, and pack.yaml's `findfix: aliases:`); a swap of
names joined by "and", or around "with" or "between". `Planted.differs(facts)` is the final
check: its date and sentence differ from every true statement of the pack.

The wording ("sign the", "and others") comes from the label set, so a pack in another language
gets its own sentences; the heuristics that find states and places in a timeline's prose are
English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..dates import HistDate, Point

KINDS = ("date", "swap", "name", "place")

#: States a timeline may name that a treaty table calls otherwise (or not at all).
STATES = (
    "Afghanistan", "Albania", "Austria", "Austria-Hungary", "Belgium", "Britain", "Bulgaria",
    "Canada", "China", "Cuba", "Czechoslovakia", "Denmark", "East Germany", "Egypt", "Estonia",
    "Finland",
    "France", "Germany", "Greece", "Hungary", "India", "Iran", "Iraq", "Israel", "Italy", "Japan",
    "Korea", "Latvia", "Lithuania", "Manchukuo", "Mongolia", "Netherlands", "North Korea",
    "North Vietnam", "Norway", "Persia", "Poland", "Portugal", "Romania", "Soviet Russia",
    "South Korea", "South Vietnam", "Spain", "Sweden", "Switzerland", "Turkey", "USA", "USSR",
    "Ukraine", "United Kingdom", "United States", "Vietnam", "West Germany", "Yugoslavia",
)

#: Names that mean the same state or place: swapping or replacing one with another is no error.
ALIASES = (
    ("USSR", "Soviet Union", "Soviet Russia", "RSFSR", "Russia"),
    ("Britain", "United Kingdom", "UK", "Great Britain", "England"),
    ("USA", "United States", "America", "US"),
    ("Persia", "Iran"),
    ("Peking", "Beijing", "Peiping"), ("Canton", "Guangzhou"), ("Nanking", "Nanjing"),
    ("Petrograd", "St Petersburg", "Leningrad", "St. Petersburg", "Saint Petersburg"),
    ("Viipuri", "Vyborg"), ("Danzig", "Gdańsk", "Gdansk"), ("Königsberg", "Kaliningrad"),
    ("Tsaritsyn", "Stalingrad", "Volgograd"), ("Constantinople", "Istanbul"),
    ("Ulan Bator", "Ulaanbaatar"), ("Kiev", "Kyiv"), ("Lemberg", "Lwów", "Lviv"),
    ("Memel", "Klaipėda"), ("Breslau", "Wrocław"), ("Teschen", "Zaolzie", "Cieszyn"),
    ("Bombay", "Mumbai"), ("Saigon", "Ho Chi Minh City"), ("Pressburg", "Bratislava"),
)

#: Words that may follow "in" or "at" with a capital and are no place.
_NOT_PLACES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "the", "a", "an", "his", "her", "its", "their", "first",
    "second", "third", "old", "new",
}

#: Longest statement sentence (characters of its Markdown) taken from a timeline event.
MAX_CHARS = 170

_ABBREVIATIONS = {"c", "ca", "st", "mr", "mrs", "dr", "vol", "vols", "no", "nos", "edn", "etc",
                  "vs", "cf", "ed", "eds", "p", "pp", "gen", "col", "lt", "capt", "adm"}
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?(?=\s+[A-Z\"“(*])")
_PAREN = re.compile(r"\s*\([^)]*\)")
_LIST_JOIN = re.compile(r"^(?:,|,? and|,? or|&|/|[-\u2013\u2014])$")
_ASYMMETRY_BREAKERS = re.compile(r"\b(?:with|between|among|amongst|and)\b", re.IGNORECASE)
_SYMMETRIC_WORDS = re.compile(r"\b(?:each other|one another|mutual|mutually|both|jointly|"
                              r"together|exchange|meet|meets|met)\b", re.IGNORECASE)


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Text compared: no Markdown emphasis, one kind of space and dash, lower case."""
    text = re.sub(r"[*_`]", "", text).replace("\u00a0", " ")
    text = re.sub(r"[\u2010-\u2015-]", "-", text).replace("\u2019", "'")
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Fact:
    """One true statement: its coarse date, its sentence (Markdown) and the names it holds."""

    when: HistDate
    text: str
    source: str                           # "treaty" or "event"
    loc: object
    states: tuple[str, ...] = ()          # the states it names (a treaty's parties)
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    treaties: tuple[str, ...] = ()        # treaty names it holds
    # A treaty row's parts, for its sentence: (name, parties shown, others, place).
    parts: tuple = ()

    @property
    def span(self) -> tuple:
        return span(self.when)

    def distinct(self) -> set[str]:
        """The names that tell this fact from others of the same months (not its states)."""
        return {norm(n) for n in self.people + self.places + self.treaties}


@dataclass(frozen=True)
class Planted:
    """A statement with one deliberate error, and what corrects it."""

    fact: Fact
    kind: str                 # one of KINDS
    when: HistDate
    text: str
    wrong: str                # what is wrong, as printed ("Apr 1925", "Berlin")
    right: str                # what is right ("Apr 1922", "Rapallo")

    def differs(self, facts) -> bool:
        """True when no true statement of the pack says the same (date and sentence)."""
        here = (when_text(self.when), norm(self.text))
        return all((when_text(f.when), norm(f.text)) != here for f in facts) and \
            here != (when_text(self.fact.when), norm(self.fact.text))


# --- dates ---------------------------------------------------------------------------------------

def coarse(date: HistDate) -> HistDate:
    """The date at month precision at most: "16 Apr 1922" is "Apr 1922"; "2–6 Mar 1919" is
    "Mar 1919"; "21 Jan – 4 May 1932" is "Jan–May 1932"."""
    start = Point(date.start.year, date.start.month)
    end = Point(date.end.year, date.end.month) if date.end else None
    if end == start:
        end = None
    return HistDate(start, end, date.circa)


def when_text(date: HistDate, language: str = "en") -> str:
    """The date as printed (compared in English; printed in the pack's language)."""
    return date.format(language)


def span(date: HistDate) -> tuple:
    """(first month, last month) a coarse date covers, as (year, month) pairs."""
    end = date.end or date.start
    return ((date.start.year, date.start.month or 1), (end.year, end.month or 12))


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def shifted(date: HistDate, months: int) -> HistDate | None:
    """The coarse date moved by `months` (whole years for a year-precision date)."""
    def move(p: Point) -> Point | None:
        if p.month is None:
            if months % 12:
                return None
            return Point(p.year + months // 12)
        total = p.year * 12 + (p.month - 1) + months
        return Point(total // 12, total % 12 + 1)
    start = move(date.start)
    end = move(date.end) if date.end else None
    if start is None or (date.end and end is None):
        return None
    return HistDate(start, end, date.circa)


# --- names ---------------------------------------------------------------------------------------

def _alias_groups(extra=()) -> tuple[frozenset, ...]:
    return tuple(frozenset(norm(n) for n in group) for group in tuple(ALIASES) + tuple(extra))


@lru_cache(maxsize=65536)
def _same(a: str, b: str, aliases: tuple) -> bool:
    a, b = norm(a), norm(b)
    return a == b or any(a in g and b in g for g in aliases)


def same_thing(a: str, b: str, aliases) -> bool:
    if isinstance(aliases, tuple):
        return _same(a, b, aliases)
    a, b = norm(a), norm(b)
    return a == b or any(a in g and b in g for g in aliases)


@lru_cache(maxsize=4096)
def _name_re(name: str, article: bool = False) -> re.Pattern:
    lead = r"(?:\b[Tt]he\s+)?" if article else ""
    return re.compile(lead + r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def with_article(state: str, form: str = "the {0}") -> str:
    """A state as it reads in a sentence: "the USSR", "the United Kingdom", "Germany" (`form`
    is the label findfix_the: "{0}" in a language whose sentences take no such article)."""
    words = state.split()
    if state.isupper() or words[0] in ("United", "Republic", "Kingdom", "Ottoman", "Central") \
            or any(w in ("Republic", "Empire", "Kingdom", "Union", "States", "Powers", "Reich")
                   for w in words[1:]) or state.endswith("s"):
        return form.format(state)
    return state


def clean_party(party: str) -> str:
    """ "Soviet Russia (RSFSR)" → "Soviet Russia"; "" for "other European states"."""
    party = _PAREN.sub("", party).strip()
    return party if party[:1].isupper() else ""


def first_sentence(text: str) -> str:
    for m in _SENTENCE_END.finditer(text):
        before = re.findall(r"[\w.]+$", text[:m.start()])
        word = before[0].rstrip(".").lower() if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        return text[:m.end()].strip()
    return text.strip()


def in_list(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] is one of a list ("Molotov and Ribbentrop", "A, B and C")."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return bool(re.search(r"(?:,|\band|\bor|&|/|[-\u2013\u2014])$", before)) or \
        bool(re.match(r"(?:,|and\b|or\b|&|/|[-\u2013\u2014])", after))


#: Capitalised words that may stand before a name without being part of it.
_LEAD_WORDS = {"The", "A", "An", "In", "At", "On", "With", "By", "From", "To", "And", "But",
               "When", "After", "Before", "As", "Both", "Neither", "Unlike", "While", "Only"}


def part_of_longer_name(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] is part of a longer one: "Nazi Germany", "Republican
    Spain", "Moscow Conference" (a capitalised word right before or after it)."""
    before = re.search(r"([A-Z][\w'-]*) $", text[:start])
    after = re.match(r" [A-Z]", text[end:])
    return bool(before and before.group(1) not in _LEAD_WORDS) or bool(after)


def find(names, text: str, article: bool = False) -> list[str]:
    """The names that occur in text exactly once, on their own, longest first (no name inside
    another, nor inside a longer name such as "Nazi Germany")."""
    found: list[str] = []
    for name in sorted(set(names), key=lambda n: (-len(n), n)):
        if name not in text:
            continue
        hits = list(_name_re(name).finditer(text))
        if len(hits) == 1 and not any(name in other for other in found) \
                and not part_of_longer_name(text, hits[0].start(), hits[0].end()):
            found.append(name)
    return found


def places_in(text: str, known_states) -> set[str]:
    """Places a sentence names after "in" or "at": "in Petrograd", "at Brest-Litovsk"."""
    out = set()
    for m in re.finditer(r"(?<=[^\w])(?:in|at) ((?:[A-Z][\w\u00c0-\u024f'-]+)"
                         r"(?: [A-Z][\w\u00c0-\u024f'-]+)?)(?![\w*_])", text):
        name = m.group(1)
        if name.split()[0].lower() in _NOT_PLACES or name.endswith("'s"):
            continue
        if name in known_states:
            continue
        out.add(name)
    return out


# --- the pack's facts ----------------------------------------------------------------------------

@dataclass
class Material:
    """Every true statement a pack gives, and the names the errors are drawn from."""

    facts: list[Fact]
    people: tuple[str, ...]
    places: tuple[str, ...]
    treaty_names: tuple[str, ...]
    aliases: tuple = ()


def _the(words) -> str:
    """How a state takes its article in the pack's language: "the {0}" in English."""
    return words("findfix_the")


def treaty_sentence(name: str, shown: tuple[str, ...], others: bool, words) -> str:
    parties = [with_article(p, _the(words)) for p in shown]
    if others:
        who = words("findfix_others", parties=", ".join(parties))
    elif len(parties) > 1:
        who = words("findfix_and", first=", ".join(parties[:-1]), last=parties[-1])
    else:
        who = parties[0]
    who = who[:1].upper() + who[1:]
    title = re.sub(r"^[Tt]he\s+", "", name)
    return words("findfix_treaty", parties=who, treaty=title)


def treaty_place_sentence(name: str, place: str, words) -> str:
    title = re.sub(r"^[Tt]he\s+", "", name)
    return words("findfix_treaty_place", treaty=title, place=place)


def simple_place(place: str) -> str:
    """A treaty's place when it is one place ("Rapallo (during the Genoa Conference)" is
    Rapallo); "" for several ("London and Paris", "Helsinki (...); Riga (...)")."""
    place = _PAREN.sub("", place or "").strip()
    if not place or re.search(r";|,|\band\b|/", place) or not place[:1].isupper():
        return ""
    return place


def material(timeline, treaties, people, words, aliases=()) -> Material:
    """The pack's true statements (treaty rows first, then timeline events not about a treaty
    already stated), and the people, places and treaty names errors may draw on. `words(key,
    **values)` gives a label."""
    alias_groups = _alias_groups(aliases)
    people_names = tuple(p.name for p in people.people) if people else ()
    rows = treaties.treaties if treaties else []
    treaty_names = tuple(t.name for t in rows)
    party_names = {clean_party(p) for t in rows for p in t.parties} - {""}
    states = tuple(sorted(set(STATES) | party_names))
    facts: list[Fact] = []
    treaty_places: set[str] = set()
    event_places: set[str] = set()
    for t in rows:
        parties = tuple(p for p in (clean_party(p) for p in t.parties) if p)
        if not parties:
            continue
        others = len(parties) > 4 or len(parties) < len(t.parties)
        shown = parties[:2] if others else parties
        when = coarse(t.date)
        place = simple_place(t.place)
        if place:
            treaty_places.add(place)
        if place and norm(place) in norm(t.name):
            place = ""           # "the Treaty of Riga is signed in Riga" says nothing
        facts.append(Fact(when, treaty_sentence(t.name, shown, others, words), "treaty", t.loc,
                          states=parties, places=(), treaties=(t.name,),
                          parts=(t.name, shown, others, "")))
        if place:
            facts.append(Fact(when, treaty_place_sentence(t.name, place, words), "treaty", t.loc,
                              states=(), places=(place,), treaties=(t.name,),
                              parts=(t.name, (), False, place)))
    events = [e for ph in timeline.phases for e in ph.events] if timeline else []
    sentences = []
    for e in events:
        text = first_sentence(e.text)
        if len(text) > MAX_CHARS or len(text) < 12:
            continue
        sentences.append((e, text))
        event_places |= places_in(text, states)
    # Errors take their places from the treaty table, towns where treaties were signed: an
    # event's "in Asia" or "in Spain" may hold the town put in its place (and so be right).
    place_names = treaty_places if len(treaty_places) >= 4 else treaty_places | event_places
    place_names = {p for p in place_names
                   if not any(same_thing(p, s, alias_groups) for s in states)}
    seen = {norm(f.text) for f in facts}
    for e, text in sentences:
        when = coarse(e.date)
        found_treaties = tuple(n for n in treaty_names if norm(n) in norm(text))
        found_states = tuple(find(states, text))
        found_people = tuple(find(people_names, text))
        found_places = tuple(p for p in find(place_names, text))
        about_treaty = any(
            overlaps(span(when), f.span) and (
                set(found_treaties) & set(f.treaties)
                or (e.kind == "treaty" and len({norm(s) for s in found_states}
                                               & {norm(s) for s in f.states}) >= 2))
            for f in facts if f.source == "treaty")
        if about_treaty or norm(text) in seen:
            continue
        seen.add(norm(text))
        facts.append(Fact(when, text, "event", e.loc, states=found_states, people=found_people,
                          places=found_places, treaties=found_treaties))
    return Material(facts, people_names, tuple(sorted(place_names)), treaty_names, alias_groups)


# --- planting one error --------------------------------------------------------------------------

def _near(m: Material, fact: Fact, name: str) -> bool:
    """Another fact of overlapping months mentions `name` (or one of its other names)."""
    return any(overlaps(fact.span, f.span) and any(
        same_thing(name, n, m.aliases) for n in f.people + f.places + f.treaties + f.states)
        or norm(name) in norm(f.text) and overlaps(fact.span, f.span)
        for f in m.facts if f is not fact)


def plant(m: Material, fact: Fact, kind: str, rng, words, bounds: tuple | None = None
          ) -> Planted | None:
    """`fact` with one error of `kind`, chosen by `rng`; None when none can be made that is
    surely wrong."""
    maker = {"date": _plant_date, "swap": _plant_swap, "name": _plant_name,
             "place": _plant_place}[kind]
    planted = maker(m, fact, rng, words, bounds)
    if planted is None or not planted.differs(m.facts):
        return None
    return planted


def _plant_date(m, fact, rng, words, bounds):
    if fact.when.circa:
        return None
    moves = [12 * k for k in (-3, -2, -1, 1, 2, 3)]
    if fact.when.start.month is not None:
        moves += [k for k in (-5, -4, -3, -2, 2, 3, 4, 5)]
    rng.shuffle(moves)
    for months in moves:
        new = shifted(fact.when, months)
        if new is None or overlaps(span(new), fact.span):
            continue
        if bounds and not (bounds[0] <= span(new)[0] and span(new)[1] <= bounds[1]):
            continue
        mine = fact.distinct()
        clash = any(overlaps(span(new), f.span) and (
            mine & f.distinct()
            or (fact.source == f.source == "treaty" and fact.states
                and {norm(s) for s in fact.states} == {norm(s) for s in f.states}))
            for f in m.facts if f is not fact)
        if clash:
            continue
        return Planted(fact, "date", new, fact.text, when_text(new), when_text(fact.when))
    return None


def _plant_swap(m, fact, rng, words, bounds):
    if fact.source != "event" or len(fact.states) < 2 or _SYMMETRIC_WORDS.search(fact.text):
        return None
    pairs = [(a, b) for i, a in enumerate(fact.states) for b in fact.states[i + 1:]
             if not same_thing(a, b, m.aliases)]
    rng.shuffle(pairs)
    for a, b in pairs:
        ma = _name_re(a, article=True).search(fact.text)
        mb = _name_re(b, article=True).search(fact.text)
        if not ma or not mb:
            continue
        (first, fa), (second, fb) = sorted(((ma, a), (mb, b)), key=lambda x: x[0].start())
        between = fact.text[first.end():second.start()]
        if _LIST_JOIN.match(between.strip()) or _ASYMMETRY_BREAKERS.search(between):
            continue
        if in_list(fact.text, first.start(), first.end()) or \
                in_list(fact.text, second.start(), second.end()):
            continue

        def put(match, state):
            text = with_article(state)
            if match.start() == 0 or re.search(r"[.:!?]\s*$", fact.text[:match.start()]):
                text = text[:1].upper() + text[1:]
            return text
        text = (fact.text[:first.start()] + put(first, fb) + between + put(second, fa)
                + fact.text[second.end():])
        # right: the state that comes first in the true statement; wrong: the one put there.
        return Planted(fact, "swap", fact.when, text, fb, fa)
    return None


def _plant_name(m, fact, rng, words, bounds):
    options = []
    for person in fact.people:
        hit = _name_re(person).search(fact.text)
        if hit and not in_list(fact.text, hit.start(), hit.end()):
            options += [(person, other, hit) for other in m.people
                        if other not in fact.people and norm(other) not in norm(fact.text)]
    for treaty in fact.treaties:
        hit = re.search(re.escape(re.sub(r"^[Tt]he\s+", "", treaty)), fact.text)
        if not hit:
            continue
        for other in m.treaty_names:
            if same_thing(other, treaty, m.aliases):
                continue
            rows = [f for f in m.facts if f.source == "treaty" and other in f.treaties]
            if any(overlaps(f.span, fact.span) for f in rows):
                continue       # the other treaty was signed in the same months
            options.append((treaty, other, hit))
    rng.shuffle(options)
    for old, new, hit in options:
        if _near(m, fact, new) and new not in m.treaty_names:
            continue
        new_text = re.sub(r"^[Tt]he\s+", "", new) if new in m.treaty_names else new
        text = fact.text[:hit.start()] + new_text + fact.text[hit.end():]
        return Planted(fact, "name", fact.when, text, new_text, fact.text[hit.start():hit.end()])
    return None


def _plant_place(m, fact, rng, words, bounds):
    own = set(fact.places)
    if not own:
        return None
    old = sorted(own)[0]
    if fact.source == "treaty":      # "The X is signed in Paris.": the place the label put last
        hits = list(_name_re(old).finditer(fact.text))
    else:                            # "... murdered in Warsaw", not "Moscow will back ..."
        hits = list(re.finditer(r"(?:(?<=\bin )|(?<=\bat ))" + _name_re(old).pattern,
                                fact.text))
    if not hits:
        return None
    hit = hits[-1]
    options = [p for p in m.places
               if not any(same_thing(p, o, m.aliases) for o in own)
               and norm(p) not in norm(fact.text)
               and not any(norm(p) in norm(n) for n in fact.treaties)
               and not _near(m, fact, p)]
    if not options:
        return None
    new = rng.choice(sorted(options))
    text = fact.text[:hit.start()] + new + fact.text[hit.end():]
    return Planted(fact, "place", fact.when, text, new, old)
