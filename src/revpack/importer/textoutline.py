"""Indented text outlines: takes a tab- or space-indented outline (Coggle's .txt export, an
outliner's plain text), gives a `MapTree`.

Each non-blank line is a node; a line indented further than the one above is its child. Tabs
and spaces may both be used (a tab counts as four spaces); a bullet ("-", "*", "•", "1.")
before the text is dropped. Markdown in the text (links, bold) is kept as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from .tree import MapTree, Node

FORMAT = "indented text outline"

_BULLET = re.compile(r"^(?:[-*+\u2022\u25e6\u25aa\u2023]|\d{1,3}[.)])(?:\s+|$)")


def indent_of(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def build(items: list[tuple[int, Node]]) -> list[Node]:
    """(indent, node) pairs in order to a forest: each node under the last with less indent."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for indent, node in items:
        while stack and stack[-1][0] >= indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((indent, node))
    return roots


def read(text: str, path: Path) -> MapTree:
    items = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        body = _BULLET.sub("", line.strip(), count=1)
        items.append((indent_of(line), Node(body.strip(), lineno)))
    return MapTree(build(items), FORMAT, path)
