"""The map as a tree: what every format reader gives, and the errors they raise.

A `Node` is one node of a mind map or one line of an outline: its text (Markdown: links and
bold as the map had them), the line of the map file it came from, its children, and what the
importer could not carry into a pack (images, cross-links), kept for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Diagnostic, Location, RevpackError

#: Deeper maps than this are refused: no revision map needs it, and a hostile file could
#: otherwise make every later step walk thousands of levels.
MAX_DEPTH = 100
#: More nodes than this are refused (the seed map has 56; a huge map is a course, not a pack).
MAX_NODES = 20_000
#: The largest map file read, in bytes.
MAX_MAP_BYTES = 5 * 1024 * 1024


@dataclass
class Node:
    text: str
    line: int = 0
    children: list["Node"] = field(default_factory=list)
    images: list[str] = field(default_factory=list)       # addresses of images dropped
    links: list[str] = field(default_factory=list)        # cross-links to other nodes
    note: str = ""                                        # a note attached to the node
    id: int = 0                                           # its number, in map order (from 1)

    def walk(self):
        """This node and every node below it, in map order (no recursion: maps may be deep)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class MapTree:
    """A map read from a file: its root node(s) and the format it was read as."""

    roots: list[Node]
    format_name: str        # "FreeMind/Freeplane .mm", "OPML", ...
    path: Path
    title: str = ""         # a title the file gives apart from its nodes (OPML's <title>)

    def nodes(self) -> list[Node]:
        return [n for r in self.roots for n in r.walk()]

    def number(self) -> None:
        for i, node in enumerate(self.nodes(), start=1):
            node.id = i


def xml_nodes(tops: list, tag: str, convert) -> list[Node]:
    """The nodes of an XML outline (.mm's `node`, OPML's `outline` elements), each element
    made a Node by `convert`, children in order; walked with a stack, so that a deep map cannot
    exhaust Python's own."""
    roots = [convert(e) for e in tops]
    stack = list(zip(tops, roots))
    while stack:
        element, node = stack.pop()
        for child in element:
            if child.tag == tag:
                sub = convert(child)
                node.children.append(sub)
                stack.append((child, sub))
    return roots


def map_error(path: Path, line: int, message: str, hint: str = "") -> RevpackError:
    """`path:line: error: message`, as every other revpack error reads."""
    return RevpackError(diagnostics=[Diagnostic(Location(Path(path), line), ERROR, message, hint)])


def check_size(roots: list[Node], path: Path) -> None:
    """Refuse a map too deep or too big for a pack (see MAX_DEPTH, MAX_NODES)."""
    count = 0
    stack = [(r, 1) for r in roots]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise map_error(path, node.line, f"the map is nested more than {MAX_DEPTH} levels "
                            "deep; refused", "a revision map needs a handful of levels")
        if count > MAX_NODES:
            raise map_error(path, node.line, f"the map has more than {MAX_NODES:,} nodes; "
                            "refused", "split it into one map per pack")
        stack.extend((c, depth + 1) for c in node.children)
