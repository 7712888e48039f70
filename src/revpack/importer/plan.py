"""The plan: takes a map's tree, gives where each node goes in a pack, and what needs checking.

- The root node is the pack's title (a map with several top nodes takes its title from the file).
- Each branch (a child of the root) becomes a timeline phase. Every dated node in it becomes an
  event of that phase, its date normalised (`finddates`); a node that is only a date takes its
  first child's text. A phase with no events is dropped (its nodes become notes).
- A node naming a treaty, pact, agreement or protocol is also proposed for the treaty table
  (with a date), or listed for the author (without one).
- A branch called "historiography", "debate(s)", "interpretations" or "views" becomes the
  historiography grid: each of its children one school.
- Every other node is a note. Every node gets at least one `placements` entry; what the author
  must look at goes to `attention`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .finddates import Found, find_dates, find_yearless, without
from .tree import MapTree, Node

_TREATY = re.compile(r"\b(treaty|pact|agreement|protocol)\b", re.IGNORECASE)
_DEBATE = re.compile(r"\b(historiograph\w*|debates?|interpretations?|views|historians)\b",
                     re.IGNORECASE)
_WAR = re.compile(r"\b(invad\w*|invasion|declared war|war on|attack\w*)\b", re.IGNORECASE)
_CONFERENCE = re.compile(r"\b(conference|congress|summit)\b", re.IGNORECASE)
#: "Treaty of Rapallo", "Nazi-Soviet Non-Aggression Pact", "Anglo-Soviet Trade Agreement".
_TREATY_NAME = re.compile(
    r"(?:\b(?:[A-Z][\w'’-]*\s+){0,4}(?:Treaty|Pact|Agreement|Protocol)\b"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*)?)")
_HISTORIAN = re.compile(r"(?<![\w.])((?:[A-Z]\.\s?){1,3}[A-Z][a-zA-Z'’-]+)")
_QUOTED = re.compile(r"[‘'\"“]([^‘’'\"“”]{3,40})[’'\"”]")
_VIEW = re.compile(r"\(([^()]{3,40}\b(?:view|school|approach)\w*)\)", re.IGNORECASE)

SUMMARY = "To write: one line on what links these events."


@dataclass
class Event:
    date: Found
    text: str
    kind: str
    node: Node


@dataclass
class Phase:
    title: str
    node: Node
    events: list[Event] = field(default_factory=list)


@dataclass
class Treaty:
    name: str
    date: Found | None
    text: str
    node: Node


@dataclass
class School:
    name: str
    historians: list[tuple[str, str]]      # (name, work or "")
    argument: str
    node: Node


@dataclass
class Note:
    branch: str
    text: str
    context: str        # the text of the node it stood under, when that is not the branch
    node: Node


@dataclass
class Plan:
    title: str
    phases: list[Phase] = field(default_factory=list)
    treaties: list[Treaty] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    debate_title: str = ""
    notes: list[Note] = field(default_factory=list)
    placements: dict[int, list[str]] = field(default_factory=dict)   # node id -> where it went
    attention: list[tuple[Node, str]] = field(default_factory=list)
    dropped: list[tuple[Node, str]] = field(default_factory=list)    # images, links, empties

    def place(self, node: Node, where: str) -> None:
        self.placements.setdefault(node.id, []).append(where)

    def flag(self, node: Node, why: str) -> None:
        self.attention.append((node, why))

    @property
    def events(self) -> list[Event]:
        return [e for p in self.phases for e in p.events]

    def period(self) -> str:
        """The years the events and treaties cover, as pack.yaml's `period`."""
        dates = [e.date.date for e in self.events] + [t.date.date for t in self.treaties if t.date]
        if not dates:
            return ""
        lo = min(d.start.year for d in dates)
        hi = max((d.end or d.start).year for d in dates)
        return str(lo) if lo == hi else f"{lo}–{hi}"


def one_line(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    text = one_line(text)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _short(text: str, words: int = 8) -> str:
    parts = one_line(text).split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def is_debate(node: Node) -> bool:
    return bool(node.children) and bool(_DEBATE.search(node.text))


_STOP = {"a", "an", "the", "signed", "sign", "to", "of", "with", "and", "on", "act", "had",
         "have", "has", "was", "were", "is", "a", "its", "their", "his", "her", "new", "by",
         "announced", "began", "draft", "in", "for", "that", "this", "which", "made", "make"}


def treaty_name(text: str) -> tuple[str, int]:
    """A name for the treaty a node names, and where the name ends in the text.

    "Treaty of Rapallo" and "Nazi-Soviet Non-Aggression Pact" are taken as written; otherwise
    the words around "treaty", "pact", "agreement" or "protocol": "signed a non-aggression pact"
    gives "Non-aggression pact", "a treaty with China and ..." gives "Treaty with China"."""
    m = _TREATY_NAME.search(text)
    if m and len(m.group().split()) > 1:
        return one_line(m.group()), m.end()
    k = _TREATY.search(text)
    if not k:
        return _sentence(_short(text, 8)), len(text)
    before = re.findall(r"[\w'’-]+", text[:k.start()])
    words: list[str] = []
    for w in reversed(before[-4:]):
        if w.lower() in _STOP or any(ch.isdigit() for ch in w):
            break
        words.insert(0, w)
    after = re.match(r"\s+(of|with|between)\s+((?:the\s+)?[\w'’-]+)((?:\s+and\s+[A-Z][\w'’-]*)|"
                     r"(?:\s+(?!and\b|but\b|which\b|to\b)[a-z][\w'’-]*))?", text[k.end():])
    name = " ".join(words + [k.group(1)])
    end = k.end()
    if after:
        name += after.group(0).rstrip()
        end += after.end()
    return _sentence(name), end


def school_name(text: str, historians: list[tuple[str, str]], n: int) -> str:
    for pattern in (_VIEW, _QUOTED):
        m = pattern.search(text)
        if m and not _HISTORIAN.fullmatch(m.group(1).strip()):
            name = _sentence(m.group(1).strip())
            return name if pattern is _VIEW else f"{name} school"
    if historians:
        return f"The view of {historians[0][0]}"
    return f"Interpretation {n}"


def historians_in(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _HISTORIAN.finditer(text):
        name = re.sub(r"['’]s?$", "", m.group(1))
        after = re.match(r"['’]s\s*|\s*", text[m.end():])
        work = re.match(r"\(([^()]{3,120})\)", text[m.end() + after.end():])
        if name not in (n for n, _ in out):
            out.append((name, work.group(1).strip() if work else ""))
    return out


class Planner:
    def __init__(self, tree: MapTree):
        self.tree = tree
        tree.number()
        roots = tree.roots
        if len(roots) == 1:
            self.root = roots[0]
            title = one_line(self.root.text) or tree.title or tree.path.stem
            self.branches = self.root.children
        else:
            self.root = None
            title = tree.title or tree.path.stem
            self.branches = roots
        self.plan = Plan(title=title)

    def run(self) -> Plan:
        p = self.plan
        if self.root is not None:
            p.place(self.root, "pack.yaml: the pack's title")
            self._check_node(self.root)
        for branch in self.branches:
            if is_debate(branch):
                self.debate(branch)
            else:
                self.branch(branch)
        self._dedupe()
        return p

    def _check_node(self, node: Node) -> None:
        if not node.text.strip():
            self.plan.dropped.append((node, "empty node" + (" (its children are kept)"
                                                             if node.children else "")))
        for src in node.images:
            self.plan.dropped.append((node, f"image not carried over: {src}"))
        for target in node.links:
            self.plan.dropped.append((node, f"cross-link to “{_short(target)}” not carried over"))
        if node.note:
            self.plan.dropped.append((node, f"the node's note is in map-notes.md: “{_short(node.note)}”"))

    # --- timeline branches -----------------------------------------------------------------

    def branch(self, branch: Node) -> None:
        p = self.plan
        phase = Phase(_sentence(branch.text) or "Untitled branch", branch)
        last: Found | None = None
        merged: set[int] = set()
        pending_notes: list[Note] = []
        stack: list[tuple[Node, Node | None]] = [(branch, None)]
        while stack:
            node, parent = stack.pop()
            stack.extend((c, node) for c in reversed(node.children))
            if is_debate(node) and node is not branch:
                self.debate(node)
                stack = [(n, par) for n, par in stack if not _under(n, node)]
                continue
            if node.id in merged:       # already the text of the event above it
                continue
            self._check_node(node)
            found = find_dates(node.text)
            if not found:
                last = self.undated(node, parent, branch, phase, last, pending_notes)
                continue
            event = self.event(node, found, merged)
            phase.events.append(event)
            last = event.date
        if phase.events:
            p.phases.append(phase)
            p.place(branch, f"timeline.md: the title of phase “{_short(phase.title)}”")
        else:
            p.place(branch, "map-notes.md (its branch has no dated nodes, so no phase)")
            pending_notes.insert(0, Note(one_line(branch.text), one_line(branch.text), "",
                                         branch))
        p.notes.extend(pending_notes)

    def undated(self, node: Node, parent: Node | None, branch: Node, phase: Phase,
                last: Found | None, notes: list[Note]) -> Found | None:
        p = self.plan
        if node is branch:
            return last
        if not node.text.strip():
            p.place(node, "not carried over: an empty node (see below)")
            return last
        yearless = find_yearless(node.text)
        if yearless and last is not None and yearless[0].start == 0:
            date = yearless[0].with_year((last.date.end or last.date.start).year)
            if date is not None:
                event = self.event(node, [date], set())
                phase.events.append(event)
                p.flag(node, f"no year in the map: {date.text} takes the year of the event "
                       "before it; check it")
                return date
        if _TREATY.search(node.text):
            p.treaties.append(Treaty(treaty_name(node.text)[0], None, one_line(node.text), node))
            p.flag(node, "a treaty with no date: add one, and move it into treaties.md (it "
                   "waits there in a comment)")
        elif yearless:
            p.flag(node, "a day and month but no year, and no dated node before it: kept as a "
                   "note")
        else:
            p.flag(node, "no date found: kept as a note (give it a date in timeline.md to make "
                   "it an event)")
        context = one_line(parent.text) if parent is not None and parent is not branch else ""
        notes.append(Note(one_line(branch.text), one_line(node.text), context, node))
        p.place(node, f"map-notes.md, under “{_short(branch.text)}”")
        return last

    def event(self, node: Node, found: list[Found], merged: set[int]) -> Event:
        p = self.plan
        date = found[0]             # the first: a date leading the text, else the first named
        text = without(node.text, date.start, date.end)
        text = one_line(node.text) if text is None else text
        distinct = sorted({f.text for f in found})
        if len(distinct) > 1:
            p.flag(node, f"two dates ({', '.join(f.text for f in found)}): the event is dated "
                   f"{date.text}; check which is meant")
        if not re.search(r"\w", text):
            first = next((c for c in node.children if re.search(r"\w", c.text)), None)
            if first is not None:
                text = one_line(first.text)
                merged.add(first.id)
                self._check_node(first)
                p.place(first, f"timeline.md: the text of the event dated {date.text} (map "
                        f"line {node.line})")
            else:
                text = "To write: what happened."
                p.flag(node, "a date with no text: write what happened")
        kind = ("treaty" if _TREATY.search(node.text) else "war" if _WAR.search(node.text)
                else "conference" if _CONFERENCE.search(node.text) else "event")
        p.place(node, f"timeline.md: event {date.text}")
        if kind == "treaty":
            name, end = treaty_name(text)
            # "... the Franco-Soviet Pact of 1935": the treaty's own date, not the node's.
            own = re.match(r"\s*(?:of|\(|,)\s*", text[end:])
            dated = find_dates(text[end:end + 40]) if own else []
            treaty_date = dated[0] if dated and dated[0].start == own.end() else date
            p.treaties.append(Treaty(name, treaty_date, one_line(node.text), node))
            p.place(node, "treaties.md: proposed treaty (fill in parties and significance)")
        return Event(date, _sentence(text), kind, node)

    # --- historiography ---------------------------------------------------------------------

    def debate(self, branch: Node) -> None:
        p = self.plan
        self._check_node(branch)
        if p.debate_title:
            p.debate_title += "; " + one_line(branch.text)
        else:
            p.debate_title = _sentence(branch.text) or "Historiography"
        schools_before = len(p.schools)
        for child in branch.children:
            parts = [one_line(n.text) for n in child.walk() if n.text.strip()]
            if not parts:
                for n in child.walk():
                    self._check_node(n)
                    p.place(n, "not carried over: an empty node (see below)")
                continue
            for n in child.walk():
                self._check_node(n)
                if n is not child:
                    p.place(n, f"historiography.md: part of the argument of school {len(p.schools) + 1}")
            historians = historians_in(" ".join(parts))
            name = school_name(child.text, historians, len(p.schools) + 1)
            p.schools.append(School(name, historians, " ".join(parts), child))
            p.place(child, f"historiography.md: school “{name}”")
            if not historians:
                p.flag(child, "a school with no historian named: add one, with a work and year")
            elif any(not work for _, work in historians):
                p.flag(child, "historians with no work named: add each one's book or article "
                       "and its year")
        if len(p.schools) > schools_before:
            p.place(branch, "historiography.md: the grid's title")
        else:
            p.place(branch, "map-notes.md (a debate branch with nothing under it)")
            p.notes.append(Note(one_line(branch.text), one_line(branch.text), "", branch))

    # --- names used twice -------------------------------------------------------------------

    def _dedupe(self) -> None:
        p = self.plan
        seen_events: dict[tuple, Event] = {}
        for phase in p.phases:
            keep = []
            for e in phase.events:
                key = (e.date.date.sort_key(), e.text.lower())
                if key in seen_events:
                    p.flag(e.node, f"the same event as map line {seen_events[key].node.line}: "
                           "written once")
                else:
                    seen_events[key] = e
                    keep.append(e)
            phase.events = keep
        for phase in [ph for ph in p.phases if not ph.events]:
            p.phases.remove(phase)
            p.placements[phase.node.id] = [
                w for w in p.placements.get(phase.node.id, []) if "the title of phase" not in w
            ] or ["not used: every event of its branch repeats one above"]
        for items, attr in ((p.phases, "title"), (p.treaties, "name"), (p.schools, "name")):
            seen: dict[str, int] = {}
            for item in items:
                key = getattr(item, attr).lower()
                if key in seen:
                    seen[key] += 1
                    setattr(item, attr, f"{getattr(item, attr)} ({seen[key]})")
                    p.flag(item.node, f"the name “{_short(getattr(item, attr))}” is used twice; "
                           "a number was added")
                else:
                    seen[key] = 1


def _under(node: Node, ancestor: Node) -> bool:
    return any(n is node for n in ancestor.walk())


def make_plan(tree: MapTree) -> Plan:
    return Planner(tree).run()
