"""Reading version: takes each handout's complete-edition HTML, gives responsive pages for phones.

`revpack build --html` writes `read-<handout>.html` beside the PDFs. Each page carries the same
`<main>` content as the PDF's HTML (same headings, same facts), set for a screen by the theme's
`reading.html`: no page furniture, no Name/Class/Date strip, no answer lines, tables that scroll
sideways with their first column kept in view, and the system's dark mode. Worksheet and answers
editions never get a reading page: a gap on a phone teaches nothing.

The pages are static, offline files (styles inline, relative links only), rendered in the same
sandbox as every other template.
"""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

from markupsafe import Markup

from .html import render_template

PREFIX = "read-"
TEMPLATE = "reading.html"

_MAIN = re.compile(r"<main\b[^>]*>(?P<body>.*)</main>", re.S)
_BODY = re.compile(r"<body\b[^>]*>(?P<body>.*)</body>", re.S)
_TITLE = re.compile(r"<title>(?P<title>.*?)</title>", re.S)


def page_name(handout: str) -> str:
    return f"{PREFIX}{handout}.html"


def is_reading_page(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(".html")


def reading_files(templating, pages: dict[str, str], labels: dict[str, str]) -> dict[str, bytes]:
    """{file name: bytes}: one reading page per handout. `pages` maps each handout, in pack
    order, to its complete-edition HTML; `labels` maps it to its short label ("Timeline")."""
    nav = [{"href": page_name(h), "label": labels.get(h, h.title())} for h in pages]
    out = {}
    for handout, source in pages.items():
        main = _MAIN.search(source) or _BODY.search(source)
        title = _TITLE.search(source)
        context = dict(
            pack=templating.base["pack"], theme=templating.settings, handout=handout,
            handout_label=labels.get(handout, handout.title()),
            title=Markup(title["title"]) if title else labels.get(handout, handout),
            content=Markup(_for_screen(main["body"] if main else source)),
            pdf=f"{handout}-complete.pdf", nav=nav, href=page_name(handout), index="index.html")
        out[page_name(handout)] = render_template(templating.env, TEMPLATE,
                                                  context).encode("utf-8")
    return out


def _for_screen(fragment: str) -> str:
    """The print fragment with each table wrapped in a labelled region a keyboard can scroll."""
    rewriter = _TableWrapper()
    rewriter.feed(fragment)
    rewriter.close()
    return "".join(rewriter.out)


class _TableWrapper(HTMLParser):
    """Copies HTML through unchanged, except tables: each is put in a focusable region named
    after the heading before it, its cells get `data-label` (their column's head, shown when a
    narrow screen stacks the rows) and explicit table roles, which a browser would otherwise drop
    when the stylesheet stacks the rows."""

    _ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tr": "row",
              "td": "cell"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.heading = ""            # the text of the last h1-h3, to name the next table
        self._text: list[str] | None = None      # collecting a heading's or a column head's text
        self._section = ""           # "thead" or "tbody"
        self._heads: list[str] = []
        self._column = 0

    def handle_starttag(self, tag, attrs):
        extra = {}
        if tag == "table":
            self._heads = []
            self.out.append(f'<div class="table-scroll" role="region" tabindex="0" '
                            f'aria-label="{html_lib.escape(self.heading or "Table")}">')
        if tag in self._ROLES:
            extra["role"] = self._ROLES[tag]
        if tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr":
            self._column = 0
        elif tag in ("th", "td"):
            if self._section == "thead":
                extra["role"] = "columnheader"
                self._text = []
            else:
                if tag == "th":
                    extra["role"] = "rowheader"
                if self._column < len(self._heads) and self._heads[self._column]:
                    extra["data-label"] = self._heads[self._column]
            span = dict(attrs).get("colspan") or "1"
            self._column += int(span) if span.isdigit() else 1
        elif tag in ("h1", "h2", "h3"):
            self._text = []
        if extra:
            names = {name for name, _ in attrs}
            attrs = list(attrs) + [(k, v) for k, v in extra.items() if k not in names]
            self.out.append(f"<{tag}" + "".join(
                f' {k}="{html_lib.escape(v or "")}"' if v is not None else f" {k}"
                for k, v in attrs) + ">")
        else:
            self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag == "table":
            self.out.append("</div>")
            self._section = ""
        elif tag in ("thead", "tbody"):
            self._section = ""
        text = " ".join("".join(self._text or ()).split())
        if tag in ("h1", "h2", "h3") and self._text is not None:
            self.heading, self._text = text, None
        elif tag == "th" and self._section == "thead" and self._text is not None:
            self._heads.append(text)
            self._text = None

    def _keep(self, text: str) -> None:
        if self._text is not None:
            self._text.append(text)

    def handle_data(self, data):
        self._keep(data)
        self.out.append(data)

    def handle_entityref(self, name):
        self._keep(html_lib.unescape(f"&{name};"))
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self._keep(html_lib.unescape(f"&#{name};"))
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")
