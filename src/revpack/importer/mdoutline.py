"""Markdown outlines: takes Markdown made of headings and nested lists (Coggle's Markdown
export, an outline written in any editor), gives a `MapTree`.

A heading is a node under the last heading of a higher level; a list item is a node under the
item above it with less indent, or else under the last heading; a paragraph under a heading is
a node of its own. A line continuing an item (indented, no bullet) joins its text. Links and
bold stay Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from .textoutline import indent_of
from .tree import MapTree, Node

FORMAT = "Markdown outline"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])(?:\s+(.*))?$")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")


def read(text: str, path: Path) -> MapTree:
    roots: list[Node] = []
    headings: list[tuple[int, Node]] = []      # open headings, by level
    items: list[tuple[int, Node]] = []         # open list items, by indent
    last: Node | None = None                   # the node a continuation line joins
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip() or _RULE.match(line):
            last = None if not line.strip() else last
            continue
        m = _HEADING.match(line)
        if m and not line.startswith(" "):
            level = len(m.group(1))
            while headings and headings[-1][0] >= level:
                headings.pop()
            node = Node(m.group(2).strip(), lineno)
            (headings[-1][1].children if headings else roots).append(node)
            headings.append((level, node))
            items, last = [], None
            continue
        m = _ITEM.match(line)
        if m:
            indent = indent_of(line)
            while items and items[-1][0] >= indent:
                items.pop()
            node = Node((m.group(2) or "").strip(), lineno)
            parent = items[-1][1] if items else headings[-1][1] if headings else None
            (parent.children if parent else roots).append(node)
            items.append((indent, node))
            last = node
            continue
        if last is not None:
            last.text = f"{last.text} {line.strip()}".strip()
            continue
        node = Node(line.strip(), lineno)
        (headings[-1][1].children if headings else roots).append(node)
        items, last = [], node
    return MapTree(roots, FORMAT, path)
