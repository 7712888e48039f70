"""Hostile-proof XML: takes the bytes of a .mm or OPML map, gives its element tree.

Parsed with defusedxml, which refuses entity declarations (the "billion laughs", which expands a
few lines into gigabytes, and external entities, which read files from the computer or the
network) and external references. A refusal, or XML that is not well formed, is a
`path:line: error:` saying what was wrong. Each element keeps the line it began on, as the
attribute LINE_KEY.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .tree import map_error

LINE_KEY = "{urn:revpack}line"

_HINT = ("export the map again from the mind-map program: real exports never declare XML "
         "entities")


class _LineBuilder(TreeBuilder):
    parser = None

    def start(self, tag, attrs):
        attrs = dict(attrs)
        attrs[LINE_KEY] = str(self.parser.parser.CurrentLineNumber if self.parser else 0)
        return super().start(tag, attrs)


def parse(data: bytes, path: Path):
    """The root element of `data`, or a located error."""
    target = _LineBuilder()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    target.parser = parser

    def line() -> int:
        try:
            return parser.parser.CurrentLineNumber
        except AttributeError:
            return 0

    try:
        parser.feed(data)
        return parser.close()
    except EntitiesForbidden as exc:
        if exc.sysid or exc.pubid:
            raise map_error(path, line(), f"the map declares an external XML entity "
                            f"('{exc.name}', pointing at {exc.sysid or exc.pubid}); refused: it "
                            "would read a file from your computer or the network", _HINT) from None
        raise map_error(path, line(), f"the map declares an XML entity ('{exc.name}'); refused: "
                        "entities can expand a few lines into billions of characters (the "
                        "'billion laughs')", _HINT) from None
    except ExternalReferenceForbidden as exc:
        raise map_error(path, line(), "the map refers to an external file or address "
                        f"({exc.sysid or exc.pubid}); refused: a map must not read anything "
                        "else", _HINT) from None
    except DTDForbidden:
        raise map_error(path, line(), "the map has a document type declaration; refused",
                        _HINT) from None
    except ParseError as exc:
        where = getattr(exc, "position", (line(), 0))[0]
        reason = str(exc).split(":")[0]
        raise map_error(path, where, f"the map is not well-formed XML ({reason})",
                        "export it again from the mind-map program") from None
