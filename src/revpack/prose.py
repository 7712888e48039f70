"""Prose: takes a Markdown field from the model, gives safe HTML with typographic punctuation.

Python-Markdown (with `smarty` for curly quotes and dashes) renders the text; the result is then
filtered to a small, documented set of tags and attributes. Anything else in raw HTML (scripts,
frames, styles, event handlers, `style` attributes) is dropped with a warning, and any reference
to a resource outside the pack is an error. Content is data: Jinja syntax in it prints literally,
because templates receive this HTML as finished markup and never evaluate it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import markdown
from markupsafe import Markup

from .diagnostics import Diagnostics, Location
from .source import inside

#: Tags allowed in content, and their allowed attributes. Documented in docs/authoring.md.
SAFE_TAGS = {
    "p": (), "br": (), "em": (), "strong": (), "b": (), "i": (), "u": (), "s": (),
    "sup": (), "sub": (), "small": (), "mark": (), "abbr": ("title",), "cite": (), "q": (),
    "code": (), "span": ("lang",), "a": ("href", "title"), "ul": (), "ol": ("start",), "li": (),
    "blockquote": (), "img": ("src", "alt", "title", "width", "height"), "hr": (),
    "table": (), "thead": (), "tbody": (), "tr": (), "th": ("scope",), "td": (),
}
#: Tags whose whole content is dropped along with them.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math",
                     "noscript", "frame", "frameset", "canvas", "video", "audio", "link", "meta",
                     "base", "form", "input", "button", "textarea", "select"}
_VOID = {"br", "hr", "img", "link", "meta", "base", "input"}
LINK_SCHEMES = ("http", "https", "mailto")


class _Sanitiser(HTMLParser):
    def __init__(self, report):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.report = report
        self.skip = 0          # depth inside a dropped element

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closing=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closing=True)

    def _start(self, tag, attrs, closing):
        if self.skip:
            if tag in DROP_WITH_CONTENT and tag not in _VOID and not closing:
                self.skip += 1
            return
        if tag in DROP_WITH_CONTENT:
            self.report("warning", f"<{tag}> is not allowed in content and was removed")
            if tag not in _VOID and not closing:
                self.skip = 1
            return
        if tag not in SAFE_TAGS:
            self.report("warning", f"<{tag}> is not allowed in content; its tag was removed "
                        "and its text kept")
            return
        kept = []
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.report("warning", f"event attribute '{name}' on <{tag}> was removed")
                continue
            if name == "style":
                self.report("warning", f"style attribute on <{tag}> was removed "
                            "(styling belongs to the theme)")
                continue
            if name not in SAFE_TAGS[tag]:
                self.report("warning", f"attribute '{name}' on <{tag}> was removed")
                continue
            value = value or ""
            if name == "src" and not self.report("resource", value):
                return self._drop_img(tag)
            if name == "href" and not self.report("link", value):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "img" and not any(a.startswith(" alt=") and a != ' alt=""' for a in kept):
            self.report("error", "an image needs alt text describing it, as ![a map of "
                        "Europe in 1939](map.png)")
        self.out.append(f"<{tag}{''.join(kept)}{' /' if tag in _VOID else ''}>")

    def _drop_img(self, tag):
        return None

    def handle_endtag(self, tag):
        if self.skip:
            if tag in DROP_WITH_CONTENT and tag not in _VOID:
                self.skip -= 1
            return
        if tag in SAFE_TAGS and tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name):
        if not self.skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.skip:
            self.out.append(f"&#{name};")

    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass


class ProseRenderer:
    """Renders Markdown fields for one pack, checking links and images against its folder."""

    def __init__(self, pack_root: Path, diags: Diagnostics):
        self.root = Path(pack_root)
        self.diags = diags
        self.md = markdown.Markdown(extensions=["smarty", "sane_lists"], output_format="html")
        self._cache: dict[tuple[str, bool], str] = {}
        self.loc: Location | None = None

    def render(self, text: str, loc: Location | None, inline: bool = False) -> Markup:
        """Markdown to safe HTML. `inline` drops the wrapping paragraph of a one-paragraph text."""
        self.loc = loc
        key = (text, inline)
        if key not in self._cache:    # diagnostics are reported on the first render only
            self.md.reset()
            body = self.md.convert(text or "")
            cleaned = self.sanitise(body)
            if inline:
                m = re.fullmatch(r"\s*<p>(.*?)</p>\s*", cleaned, flags=re.DOTALL)
                if m and "<p>" not in m.group(1):
                    cleaned = m.group(1)
            self._cache[key] = cleaned
        return Markup(self._cache[key])

    def plain(self, text: str) -> str:
        """The text with Markdown and tags removed, for word banks and metadata."""
        rendered = self.render(text, None, inline=True)
        return html.unescape(re.sub(r"<[^>]+>", "", str(rendered))).strip()

    def sanitise(self, body: str) -> str:
        parser = _Sanitiser(self._report)
        parser.feed(body)
        parser.close()
        return "".join(parser.out)

    def _report(self, kind: str, value: str):
        if kind == "warning":
            self.diags.warning(self.loc, value)
            return True
        if kind == "error":
            self.diags.error(self.loc, value)
            return True
        if kind == "link":
            scheme = urlparse(value).scheme.lower()
            if scheme in LINK_SCHEMES or (not scheme and value.startswith("#")):
                return True
            self.diags.error(self.loc, f"link '{value}' is not allowed",
                             "links may point to http, https or mailto addresses")
            return False
        # kind == "resource": an image source must be a file inside the pack.
        return self.resource_ok(value)

    def resource_ok(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme or parsed.netloc or url.startswith("//"):
            self.diags.error(self.loc, f"'{url}' is outside the pack; revpack never fetches "
                             "anything from the network or elsewhere on disk",
                             "copy the file into the pack folder and give its relative path")
            return False
        target = (self.root / unquote(parsed.path)).resolve() if parsed.path else None
        if target is None or not inside(target, self.root):
            self.diags.error(self.loc, f"'{url}' is outside the pack folder",
                             "images must be files inside the pack")
            return False
        if not target.is_file():
            self.diags.error(self.loc, f"image '{url}' not found in the pack")
            return False
        return True
