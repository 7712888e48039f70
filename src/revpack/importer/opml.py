"""OPML outlines (outliners, MindNode, XMind and others export it): takes the XML, gives a
`MapTree`.

Each `<outline>` in `<body>` is a node: its `text` (or `title`) attribute, which may hold HTML
(bold, links); `_note` is kept with the node; a `url` or `htmlUrl` makes the text a link. The
`<head>`'s `<title>` is the map's title when the body has several top-level outlines.
"""

from __future__ import annotations

from pathlib import Path

from .richtext import plain_or_html
from .safexml import LINE_KEY, parse
from .tree import MapTree, Node, map_error, xml_nodes

FORMAT = "OPML outline"


def _node(element) -> Node:
    text, images = plain_or_html(element.get("text") or element.get("title") or "")
    link = element.get("url") or element.get("htmlUrl") or ""
    if link and text:
        text = f"[{text}]({link})"
    note, _ = plain_or_html(element.get("_note") or "")
    return Node(text, int(element.get(LINE_KEY, "0")), images=images, note=note)


def read(data: bytes, path: Path) -> MapTree:
    root = parse(data, path)
    body = root.find("body")
    if body is None:
        raise map_error(path, int(root.get(LINE_KEY, "0")), "the OPML file has no <body>",
                        "export the outline again")
    title = (root.findtext("head/title") or "").strip()
    roots = xml_nodes([e for e in body if e.tag == "outline"], "outline", _node)
    return MapTree(roots, FORMAT, path, title=title)
