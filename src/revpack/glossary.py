"""Glossary and people: take a parsed `glossary.md` or `people.md`, give a `Glossary` or `People`.

Both files are one list of short entries, each a bold name and one line of text:

    - **Comintern**: the Communist International, founded in Moscow in 1919 to spread revolution.
    - **Litvinov**: Commissar for Foreign Affairs, 1930–39; the voice of collective security.

`## Heading` lines group the entries (optional). Each entry must fit one cell of a knowledge
organiser and one flashcard, so an entry over the length limit is a warning at its line. Like
the other readers, every problem is reported at its `path:line` and reading carries on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import ITEM, PARA, QUOTE, Block, ParsedFile
from .diagnostics import Diagnostics, Located, Location, did_you_mean, show
from .handouts import ContentFile
from .readers import _KIND_NAMES, MAX_ITEMS, _duplicates, _Reader

#: A definition fits a knowledge-organiser cell and a flashcard back at these sizes.
TERM_WORDS = 20
#: A role is shorter: it shares the organiser's people column with the name.
ROLE_WORDS = 15
#: However few the words, longer text than this does not fit a card either.
MAX_CHARS = 160

#: '**Name**: text', '**Name:** text' or '**Name** — text' (the separator may be left out).
_ENTRY_RE = re.compile(r"^\*\*(?P<name>[^*]*)\*\*\s*(?:[:\u2014\u2013]|--?)?\s*(?P<text>.*)$",
                       re.DOTALL)
_MARKUP_RE = re.compile(r"[*_`]")


@dataclass
class Term:
    term: str
    definition: Located
    group: str          # the '## ' heading it stands under, or "" for none
    loc: Location


@dataclass
class Person:
    name: str
    role: Located
    group: str
    loc: Location


def _grouped(entries) -> list[tuple[str, list]]:
    """Entries by group, in the order the groups first appear."""
    groups: dict[str, list] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    return list(groups.items())


@dataclass
class Glossary:
    title: str
    intro: str
    terms: list[Term]
    settings: dict
    loc: Location

    @property
    def groups(self) -> list[tuple[str, list[Term]]]:
        return _grouped(self.terms)


@dataclass
class People:
    title: str
    intro: str
    people: list[Person]
    settings: dict
    loc: Location

    @property
    def groups(self) -> list[tuple[str, list[Person]]]:
        return _grouped(self.people)


class _EntryReader(_Reader):
    """A list of '- **name**: text' entries, optionally under '## group' headings."""

    items = "groups"
    what = ""           # one entry, for messages: "term", "person"
    text_name = ""      # its text, for messages: "definition", "role"
    example = ""        # a whole entry line, for hints
    max_words = 0
    FRONT_MATTER = ("title",)

    def __init__(self, parsed: ParsedFile, diags: Diagnostics, period=None):
        # Not _Reader's settings check: that knows the printed handouts' options (worksheet
        # blanking), and these files only feed other handouts, so only a title is allowed.
        self.parsed, self.src, self.diags, self.period = parsed, parsed.source, diags, period
        self.settings = {}
        for key, value in parsed.front_matter.items():
            if key not in self.FRONT_MATTER:
                diags.error(self.setting_loc((key,)), f"unknown setting '{show(key, 40)}' for "
                            f"the {self.handout}", did_you_mean(str(key), self.FRONT_MATTER))
            elif not isinstance(value, str):
                diags.error(self.setting_loc((key,)), f"'{key}' should be text")
            else:
                self.settings[key] = value

    def entries(self) -> tuple[str, str, list[tuple[str, Located, str, Location]]]:
        """(title, intro, [(name, text, group, location)]), every problem reported."""
        title, intro, sections = self.split_sections()
        # Paragraphs before the first entry introduce the list; entries may come before any group.
        lead = 0
        while lead < len(intro) and intro[lead].kind in (PARA, QUOTE):
            lead += 1
        groups = [("", intro[lead:])] + [(h.text.strip(), b) for h, b in sections]
        items = [(group, b) for group, blocks in groups for b in blocks if b.kind == ITEM]
        for group, blocks in groups:
            for block in blocks:
                if block.kind != ITEM:
                    where = f"group '{show(group)}'" if group else "the list"
                    self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} in "
                                     f"{where}", f"only entries go here, one per line, as "
                                     f"'{self.example}'; '## ' starts a group")
        if len(items) > MAX_ITEMS:
            self.diags.error(self.loc(items[MAX_ITEMS][1]), f"more than {MAX_ITEMS:,} entries "
                             f"in one {self.handout}; the rest are not read",
                             "split the list between several packs")
        found = [e for e in (self.entry(b, g) for g, b in items[:MAX_ITEMS]) if e]
        for heading, blocks in sections:
            if not any(b.kind == ITEM for b in blocks):
                self.diags.warning(self.loc(heading), f"group '{show(heading.text)}' has no "
                                   f"entries", f"add lines such as '{self.example}' under it, "
                                   "or delete the heading")
        if not items:
            self.diags.error(self.src.loc(1), f"the {self.handout} has no entries",
                             f"add one per line, as '{self.example}'")
        return title, self.prose(intro[:lead]), found

    def entry(self, block: Block, group: str):
        m = _ENTRY_RE.match(block.text)
        if not m:
            self.diags.error(self.loc(block), f"a {self.what} needs its name in bold first",
                             f"write '{self.example}'")
            return None
        name, text = " ".join(m.group("name").split()).rstrip(":"), m.group("text").strip()
        if not name:
            self.diags.error(self.loc(block), f"the {self.what}'s bold name is empty",
                             f"write '{self.example}'")
            return None
        if block.children:
            self.diags.error(self.loc(block.children[0]), f"a nested list under "
                             f"'{show(name)}'; a {self.text_name} is one line",
                             "fold it into the line above, or make it an entry of its own")
        if not text:
            self.diags.error(self.loc(block), f"'{show(name)}' has no {self.text_name}",
                             f"write it after the name, as '{self.example}'")
            return None
        self.check_length(name, text, block)
        return name, Located(text, self.loc(block)), group, self.loc(block)

    def check_length(self, name: str, text: str, block: Block) -> None:
        plain = _MARKUP_RE.sub("", text)
        words = len(plain.split())
        if words > self.max_words or len(plain) > MAX_CHARS:
            size = f"{words} words" if words > self.max_words else f"{len(plain)} characters"
            self.diags.warning(self.loc(block), f"the {self.text_name} of '{show(name, 40)}' is "
                               f"{size} long; it must fit one line of a knowledge organiser "
                               "and a flashcard", f"keep it to {self.max_words} words and "
                               f"{MAX_CHARS} characters")


class GlossaryReader(_EntryReader):
    handout = "glossary"
    default_title = "Key terms"
    what, text_name, max_words = "term", "definition", TERM_WORDS
    example = "- **Comintern**: the Communist International, founded in Moscow in 1919"

    def read(self) -> Glossary:
        title, intro, found = self.entries()
        terms = [Term(*entry) for entry in found]
        _duplicates(self.diags, terms, lambda t: t.term.lower(), "term")
        return Glossary(title, intro, terms, self.settings, self.src.loc(1))


class PeopleReader(_EntryReader):
    handout = "people"
    default_title = "Key people"
    what, text_name, max_words = "person", "role", ROLE_WORDS
    example = "- **Litvinov**: Commissar for Foreign Affairs, 1930–39"

    def read(self) -> People:
        title, intro, found = self.entries()
        people = [Person(*entry) for entry in found]
        _duplicates(self.diags, people, lambda p: p.name.lower(), "person")
        return People(title, intro, people, self.settings, self.src.loc(1))


def read_glossary(parsed: ParsedFile, diags: Diagnostics) -> Glossary:
    return GlossaryReader(parsed, diags).read()


def read_people(parsed: ParsedFile, diags: Diagnostics) -> People:
    return PeopleReader(parsed, diags).read()


GLOSSARY_STARTER = """\
# Key terms

<!-- Key terms: one line each, a bold term then its definition, short enough for a knowledge
     organiser and a flashcard (about 20 words). '## ' headings group them (optional).
     Lines inside these comment marks are notes to you: revpack skips them. -->

- **Example term**: a one-line definition of it (replace this example with your own).
"""

PEOPLE_STARTER = """\
# Key people

<!-- Key people: one line each, a bold name then their role in a few words (about 15).
     '## ' headings group them (optional). Lines inside these comment marks are notes to you:
     revpack skips them. -->

- **Example person**: their role, in a few words (replace this example with your own).
"""

#: Registered in `handouts._CONTENT_FILES`: read into `pack.content["glossary"]` and
#: `pack.content["people"]` when the pack has the file; both are optional.
GLOSSARY_FILE = ContentFile("glossary", "glossary.md", read_glossary, "the glossary",
                            ("term", "terms"), lambda g: len(g.terms), starter=GLOSSARY_STARTER)
PEOPLE_FILE = ContentFile("people", "people.md", read_people, "the people file",
                          ("person", "people"), lambda p: len(p.people), starter=PEOPLE_STARTER)
