"""glossary.md and people.md: the bundled and second packs' lists, and each mistake's path:line message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from revpack.blocks import parse_blocks
from revpack.diagnostics import Diagnostics
from revpack.glossary import ROLE_WORDS, TERM_WORDS, read_glossary, read_people
from revpack.readers import MAX_ITEMS
from revpack.resources import bundled_pack
from revpack.source import SourceFile

from .conftest import FIXTURES


def read(path: Path, diags: Diagnostics):
    parsed = parse_blocks(SourceFile(path, path.read_text(encoding="utf-8")), diags)
    return (read_people if path.name == "people.md" else read_glossary)(parsed, diags)


def words(text: str) -> int:
    return len(re.sub(r"[*_`]", "", text).split())


@pytest.mark.parametrize("pack, terms, people", [(bundled_pack(), 25, 10),
                                                 (FIXTURES / "cold-war", 8, 5)])
def test_packs_lists_are_clean_and_short(pack, terms, people):
    diags = Diagnostics(strict=True)
    glossary = read(pack / "glossary.md", diags)
    who = read(pack / "people.md", diags)
    assert diags.lines() == []
    assert terms <= len(glossary.terms) <= terms + 5
    assert people <= len(who.people) <= people + 3
    assert all(words(t.definition) <= TERM_WORDS for t in glossary.terms)
    assert all(words(p.role) <= ROLE_WORDS for p in who.people)
    # Every entry's location is the line that names it, for messages about it later.
    for path, entries in ((pack / "glossary.md", [(t.term, t.loc) for t in glossary.terms]),
                          (pack / "people.md", [(p.name, p.loc) for p in who.people])):
        lines = path.read_text(encoding="utf-8").split("\n")
        for name, loc in entries:
            assert loc.path == path and lines[loc.line - 1].startswith(f"- **{name}**"), name


def test_bundled_glossary_groups_and_text():
    diags = Diagnostics()
    glossary = read(bundled_pack() / "glossary.md", diags)
    groups = [name for name, _ in glossary.groups]
    assert groups[0] == "Ideas and aims" and len(groups) == len(set(groups)) >= 4
    assert sum(len(entries) for _, entries in glossary.groups) == len(glossary.terms)
    comintern = next(t for t in glossary.terms if t.term == "Comintern")
    assert "1919" in comintern.definition and comintern.group == "Ideas and aims"
    assert comintern.definition.loc == comintern.loc
    assert glossary.title.startswith("Key terms") and glossary.intro.startswith("One line")


def check(tmp_path, monkeypatch, name: str, text: str):
    monkeypatch.chdir(tmp_path)
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    return read(path, diags), diags.lines()


@pytest.mark.parametrize("line", [
    "- **Comintern**: the Communist International",
    "- **Comintern:** the Communist International",
    "- **Comintern** — the Communist International",
    "- **Comintern** the Communist International",
])
def test_separators_a_teacher_might_write(tmp_path, monkeypatch, line):
    glossary, lines = check(tmp_path, monkeypatch, "glossary.md", f"# Terms\n\n{line}\n")
    assert lines == []
    assert [(t.term, t.definition, t.group, t.loc.line) for t in glossary.terms] == [
        ("Comintern", "the Communist International", "", 3)]


def test_entries_before_and_under_groups(tmp_path, monkeypatch):
    people, lines = check(tmp_path, monkeypatch, "people.md", "---\ntitle: Who's who\n---\n"
                          "# P\n\nIntro text.\n\n- **Lenin**: leader\n\n## Diplomats\n"
                          "- **Litvinov**: Commissar\n  for Foreign Affairs\n")
    assert lines == []
    assert people.title == "Who's who" and people.intro == "Intro text."
    assert [(p.name, p.group, p.loc.line) for p in people.people] == [
        ("Lenin", "", 8), ("Litvinov", "Diplomats", 11)]
    assert people.people[1].role == "Commissar\nfor Foreign Affairs"
    assert [(g, [p.name for p in ps]) for g, ps in people.groups] == [
        ("", ["Lenin"]), ("Diplomats", ["Litvinov"])]


LONG = " ".join(["word"] * (TERM_WORDS + 1))


@pytest.mark.parametrize("name, text, expected", [
    ("glossary.md", "# G\n\n- ****: no name\n",
     ["glossary.md:3: error: the term's bold name is empty (write '- **Comintern**: the "
      "Communist International, founded in Moscow in 1919')"]),
    ("glossary.md", "# G\n\n- **Comintern**\n",
     ["glossary.md:3: error: 'Comintern' has no definition (write it after the name, as "
      "'- **Comintern**: the Communist International, founded in Moscow in 1919')"]),
    ("glossary.md", "# G\n\n- **Comintern**:   \n",
     ["glossary.md:3: error: 'Comintern' has no definition"]),
    ("glossary.md", "# G\n\n- **Comintern**: a\n\n## Later\n- **comintern**: b\n",
     ["glossary.md:6: error: duplicate term (also at line 3) (delete one of them, or correct "
      "it if it should differ)"]),
    ("glossary.md", f"# G\n\n- **Dual policy**: {LONG}\n",
     [f"glossary.md:3: warning: the definition of 'Dual policy' is {TERM_WORDS + 1} words "
      "long; it must fit one line of a knowledge organiser and a flashcard (keep it to "
      f"{TERM_WORDS} words and 160 characters)"]),
    ("glossary.md", "# G\n\n- **Rapallo**: " + "x" * 161 + "\n",
     ["glossary.md:3: warning: the definition of 'Rapallo' is 161 characters long"]),
    ("people.md", "# P\n\n- **Litvinov**: " + " ".join(["w"] * (ROLE_WORDS + 1)) + "\n",
     [f"people.md:3: warning: the role of 'Litvinov' is {ROLE_WORDS + 1} words long"]),
    ("people.md", "# P\n\n- **Molotov**: a\n- **Molotov**: b\n",
     ["people.md:4: error: duplicate person (also at line 3)"]),
    ("glossary.md", "# G\n\n- Comintern: the Communist International\n",
     ["glossary.md:3: error: a term needs its name in bold first"]),
    ("glossary.md", "# G\n\n## Ideas\n- **Comintern**: c\n\nA stray paragraph.\n",
     ["glossary.md:6: error: unexpected paragraph in group 'Ideas' (only entries go here"]),
    ("glossary.md", "# G\n\n- **Comintern**: c\n\nLate paragraph.\n",
     ["glossary.md:5: error: unexpected paragraph in the list"]),
    ("glossary.md", "# G\n\n- **Comintern**: c\n  - founded 1919\n",
     ["glossary.md:4: error: a nested list under 'Comintern'; a definition is one line"]),
    ("glossary.md", "# G\n\n## Ideas\n### Sub-group\n- **Comintern**: c\n",
     ["glossary.md:4: error: unexpected heading in group 'Ideas'"]),
    ("glossary.md", "# G\n\n## Empty\n\n## Full\n- **Comintern**: c\n",
     ["glossary.md:3: warning: group 'Empty' has no entries"]),
    ("glossary.md", "# G\n\nOnly an introduction.\n",
     ["glossary.md:1: error: the glossary has no entries (add one per line, as "]),
    ("people.md", "---\ntitel: x\n---\n# P\n\n- **Lenin**: leader\n",
     ["people.md:2: error: unknown setting 'titel' for the people (did you mean 'title'?)"]),
    ("people.md", "---\ntitle: [a, b]\n---\n# P\n\n- **Lenin**: leader\n",
     ["people.md:2: error: 'title' should be text"]),
])
def test_bad_input_is_located(tmp_path, monkeypatch, name, text, expected):
    _, lines = check(tmp_path, monkeypatch, name, text)
    assert len(lines) == len(expected), lines
    for line, start in zip(lines, expected):
        assert line.startswith(start), line


def test_a_bad_entry_does_not_hide_the_good_ones(tmp_path, monkeypatch):
    glossary, lines = check(tmp_path, monkeypatch, "glossary.md",
                            "# G\n\n- **A**: one\n- **B**\n- **C**: three\n- ****: four\n")
    assert [t.term for t in glossary.terms] == ["A", "C"]
    assert [line.split(": error")[0] for line in lines] == ["glossary.md:4", "glossary.md:6"]


def test_runaway_lists_stop_at_the_item_limit(tmp_path, monkeypatch):
    text = "# G\n\n" + "".join(f"- **T{i}**: d\n" for i in range(MAX_ITEMS + 5))
    glossary, lines = check(tmp_path, monkeypatch, "glossary.md", text)
    assert len(glossary.terms) == MAX_ITEMS
    assert lines == [f"glossary.md:{MAX_ITEMS + 3}: error: more than {MAX_ITEMS:,} entries in one "
                     "glossary; the rest are not read (split the list between several packs)"]
