"""Detection: takes a map file's bytes and name, gives the reader for its format.

By content first: XML whose root is `<map>` is a FreeMind/Freeplane/Coggle .mm map, `<opml>` an
OPML outline; text with Markdown headings, or made of list items, is a Markdown outline; other
text is an indented outline. The extension only settles a tie (a `.md` file of plain lines is
read as Markdown). A zip (XMind, MindNode bundles), a binary file or a file that is not UTF-8
is refused with what to export instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import freemind, mdoutline, opml, textoutline
from .tree import MapTree, map_error

_EXPORT = ("export the map as OPML, FreeMind .mm, Markdown or plain text (Coggle: Download → "
           "Markdown or .txt; XMind and MindNode: Export → OPML)")
_ROOT_TAG = re.compile(rb"<(?!\?|!)(?:[\w.-]+:)?([\w.-]+)")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+\S")


def _text(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise map_error(path, line, "the map is not UTF-8 text",
                        "save or export it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_map(data: bytes, path: Path) -> MapTree:
    """The map in `data`, read by the reader its content calls for."""
    head = data.lstrip()[:4096]
    if data.startswith(b"PK\x03\x04"):
        raise map_error(path, 0, "this is a zip file (an XMind or MindNode document?), not a "
                        "map export", _EXPORT)
    if b"\x00" in data[:4096]:
        raise map_error(path, 0, "this is a binary file, not a map export", _EXPORT)
    if head.startswith(b"<") or head.startswith(b"\xef\xbb\xbf<"):
        m = _ROOT_TAG.search(re.sub(rb"<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL))
        tag = m.group(1).lower() if m else b""
        if tag == b"map":
            return freemind.read(data, path)
        if tag == b"opml":
            return opml.read(data, path)
        looks_xml = head.startswith(b"<?xml") or bool(tag)
        if looks_xml and path.suffix.lower() not in (".md", ".markdown", ".txt"):
            raise map_error(path, 1, f"XML, but neither a FreeMind/Freeplane map (<map>) nor "
                            f"OPML (<opml>)", _EXPORT)
    text = _text(data, path)
    lines = [line for line in text.split("\n") if line.strip()]
    items = sum(1 for line in lines if _MD_ITEM.match(line))
    if _MD_HEADING.search(text) or (lines and items == len(lines)) \
            or (path.suffix.lower() in (".md", ".markdown") and items):
        return mdoutline.read(text, path)
    return textoutline.read(text, path)
