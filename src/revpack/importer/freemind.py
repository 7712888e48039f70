"""FreeMind, Freeplane and Coggle .mm maps: takes the XML, gives a `MapTree`.

A `<node>` is a node: its `TEXT` attribute, or its rich text (`<richcontent TYPE="NODE">`, HTML)
when it has one. `LINK` makes the text a link (a `#ID` link to another node is a cross-link and
is reported); `<arrowlink>` cross-links are reported; notes and details
(`<richcontent TYPE="NOTE">`, `"DETAILS"`) are kept with the node; images (in rich text, or an
`ExternalObject` hook) are reported.
"""

from __future__ import annotations

from pathlib import Path

from .richtext import html_to_markdown, plain_or_html
from .safexml import LINE_KEY, parse
from .tree import MapTree, Node, xml_nodes

FORMAT = "FreeMind/Freeplane .mm map"


def _inner_html(element) -> str:
    from xml.etree.ElementTree import tostring

    return "".join(tostring(child, encoding="unicode") for child in element)


def read(data: bytes, path: Path) -> MapTree:
    root = parse(data, path)
    texts: dict[str, str] = {}          # node ID -> text, for cross-links
    made: list[tuple[Node, list[str]]] = []

    def convert(element) -> Node:
        node = Node("", int(element.get(LINE_KEY, "0")))
        text, images = plain_or_html(element.get("TEXT", ""))
        notes, targets = [], []
        for child in element:
            if child.tag == "richcontent":
                html, pics = html_to_markdown(_inner_html(child))
                images += pics
                if (child.get("TYPE") or "NODE").upper() == "NODE":
                    text = html or text
                elif html:
                    notes.append(html)
            elif child.tag == "arrowlink" and child.get("DESTINATION"):
                targets.append(child.get("DESTINATION"))
            elif child.tag == "hook" and child.get("URI"):
                images.append(child.get("URI"))
        link = element.get("LINK", "")
        if link.startswith("#"):
            targets.append(link[1:])
        elif link and text:
            text = f"[{text}]({link})"
        node.text, node.images, node.note = text, images, " ".join(notes)
        if element.get("ID"):
            texts[element.get("ID")] = text
        made.append((node, targets))
        return node

    roots = xml_nodes([e for e in root if e.tag == "node"], "node", convert)
    for node, targets in made:
        node.links = [texts.get(t, f"node {t}") for t in targets]
    return MapTree(roots, FORMAT, path)
