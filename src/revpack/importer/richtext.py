"""Node text: takes a node's HTML (FreeMind/Freeplane rich text, OPML) or Markdown, gives the
Markdown a pack keeps, and the images it cannot keep.

Bold, italics and links survive as Markdown (`**bold**`, `*it*`, `[text](address)`); images are
taken out (a map's pictures live on the mind-map service's servers, and a pack never fetches
from the network) and their addresses kept for the report; other markup is dropped, its text
kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)")


def take_images(text: str) -> tuple[str, list[str]]:
    """Markdown text without its images `![alt](src)`, and their addresses (alt text kept)."""
    images = [m.group("src") or "(no address)" for m in _MD_IMAGE.finditer(text)]
    return " ".join(_MD_IMAGE.sub(lambda m: m.group("alt"), text).split()), images


class _ToMarkdown(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []      # open <a> addresses
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a":
            self.links.append(a.get("href") or "")
            self.out.append("[")
        elif tag == "img":
            self.images.append(a.get("src") or "(no address)")
        elif tag in ("br", "p", "div", "li", "tr"):
            self.out.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "a" and self.links:
            href = self.links.pop()
            self.out.append(f"]({href})" if href else "]")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_markdown(html: str) -> tuple[str, list[str]]:
    """(Markdown text, image addresses) of a piece of HTML."""
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"\*\*\s*\*\*", "", text)             # empty bold
    text = re.sub(r"\[\s*\]\([^)]*\)", "", text)        # links with no text
    return " ".join(text.split()), parser.images


def plain_or_html(text: str) -> tuple[str, list[str]]:
    """OPML and .mm text is usually plain, sometimes HTML (bold, links): Markdown either way."""
    if re.search(r"</?(?:b|strong|i|em|a|img|br|p|span|div)\b", text, re.IGNORECASE):
        return html_to_markdown(text)
    return take_images(text)
