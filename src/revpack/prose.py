"""Prose: takes a Markdown field from the model, gives safe HTML with typographic punctuation,
in which hyphenation can split neither a name nor a date (see `keep_whole`).

Python-Markdown (with `smarty` for curly quotes and dashes, the quotation marks of the pack's
language: “…” in English, « … » in French, „…“ in German, «…» in Spanish) renders the text, and
French gets its narrow no-break spaces inside « » and before ; : ! ? (`typography`, on text
only: never inside code, tags or addresses); the result is then
filtered to a small, documented set of tags and attributes. Anything else in raw HTML (scripts,
frames, styles, event handlers, `style` attributes) is dropped with a warning, and any reference
to a resource outside the pack is an error. Content is data: Jinja syntax in it prints literally,
because templates receive this HTML as finished markup and never evaluate it.
"""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import markdown
from markupsafe import Markup

from .diagnostics import Diagnostics, Location, location_of, show
from .images import image_problem
from .source import inside
from .jail import is_file

#: The longest text rendered as one piece (a field, a paragraph group, a question's text): about
#: 3,000 words, far more than any handout needs. Longer text is refused before Markdown reads it,
#: so a runaway or hostile file cannot make a check take minutes.
MAX_TEXT_CHARS = 20_000
#: The most rows a table in content may have (a longer one belongs in its own document).
MAX_TABLE_ROWS = 200
#: The most elements one text may nest inside one another (lists in lists, quotations in
#: quotations): real notes use a few; hundreds would make layout crawl or fail.
MAX_NESTING = 40
#: Brackets nested deeper than this are printed as typed (Markdown's link search is slow on them).
MAX_BRACKET_DEPTH = 16

#: The double quotation marks of each language, as smarty writes them for "straight" quotes
#: (single quotes stay ‘ ’: the closing one is also the apostrophe). French spacing is added by
#: `typography`.
QUOTES = {
    "fr": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "de": {"left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;"},
    "es": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
}
NNBSP = "\u202f"
#: French: a narrow no-break space inside « » and before ; : ! ? (a space typed there becomes
#: one; none typed after a letter gets one). Not before the colon of a time or an address
#: ("10:30", "http://"), which is followed by no space.
_FR_BEFORE = re.compile(r"(?:[ \u00a0]|(?<=[^\W\d_])|(?<=[)\]»”’]))([;:!?»])(?=\s|$|[)»,.])")
_FR_AFTER = re.compile(r"«[ \u00a0]?")
#: What typography leaves alone: code and preformatted text, tags, and character references.
_CODE = re.compile(r"<(code|pre|kbd|samp)\b.*?</\1\s*>|<[^>]*>|&#?\w+;",
                   re.DOTALL | re.IGNORECASE)


def primary_language(language: str) -> str:
    return (language or "en").split("-")[0].lower()


def typography(html_text: str, language: str) -> str:
    """`html_text` with the spacing of `language`'s punctuation, in text only (tags, code and
    preformatted text are left as they are). Only French has any."""
    if primary_language(language) != "fr":
        return html_text
    html_text = html_text.replace("&laquo;", "«").replace("&raquo;", "»")
    out, pos = [], 0
    for m in _CODE.finditer(html_text):
        out += [_french(html_text[pos:m.start()]), m.group()]
        pos = m.end()
    out.append(_french(html_text[pos:]))
    return "".join(out)


def _french(text: str) -> str:
    text = _FR_AFTER.sub("«" + NNBSP, text)
    return _FR_BEFORE.sub(lambda m: NNBSP + m.group(1), text)


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
#: Elements that have no end tag (so dropping one never swallows what follows it).
_VOID = {"area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
         "meta", "param", "source", "track", "wbr"}
LINK_SCHEMES = ("http", "https", "mailto")


class _Sanitiser(HTMLParser):
    def __init__(self, report):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.report = report
        self.skip = 0          # depth inside a dropped element
        self.skipping = ""     # the dropped element whose content is being skipped
        self.rows = 0          # table rows kept
        self.depth = 0         # elements open now, and the most open at once
        self.deepest = 0

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
                self.skip, self.skipping = 1, tag
            return
        if tag not in SAFE_TAGS:
            self.report("warning", f"<{tag}> is not allowed in content; its tag was removed "
                        "and its text kept")
            return
        kept, refused = [], False
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
                refused = True
                continue
            if name == "href" and not self.report("link", value):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "img":
            if not any(a.startswith(" alt=") and a.strip() != 'alt=""' for a in kept):
                self.report("error", "an image needs alt text describing it, as ![a map of "
                            "Europe in 1939](map.png)")
            if not refused and not any(a.startswith(" src=") for a in kept):
                self.report("error", "an image needs a picture file, as <img src=\"images/map.png"
                            "\" alt=\"a map of Europe in 1939\">")
            if refused or not any(a.startswith(" src=") for a in kept):
                return          # an image that may not be shown is left out
        if tag == "tr":
            self.rows += 1
        if tag not in _VOID and not closing:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
        self.out.append(f"<{tag}{''.join(kept)}{' /' if tag in _VOID else ''}>")

    def handle_endtag(self, tag):
        if self.skip:
            if tag in DROP_WITH_CONTENT and tag not in _VOID:
                self.skip -= 1
            return
        if tag in SAFE_TAGS and tag not in _VOID:
            self.depth = max(0, self.depth - 1)
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(keep_whole(data))

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

    def __init__(self, pack_root: Path, diags: Diagnostics, language: str = "en"):
        self.root = Path(pack_root)
        self.diags = diags
        self.language = primary_language(language)
        self.md = markdown.Markdown(
            extensions=["smarty", "sane_lists"], output_format="html",
            extension_configs={"smarty": {"substitutions": QUOTES.get(self.language, {})}})
        self._cache: dict[tuple[str, bool], str] = {}
        self.loc: Location | None = None

    def render(self, text: str, loc: Location | None, inline: bool = False) -> Markup:
        """Markdown to safe HTML. `inline` drops the wrapping paragraph of a one-paragraph text.

        Problems are reported where the text says it was written (see `Located`), else at `loc`.
        """
        self.loc = location_of(text, loc)
        key = (text, inline)
        if key not in self._cache:    # diagnostics are reported on the first render only
            self._cache[key] = self._convert(text or "", inline)
        return Markup(self._cache[key])

    def _convert(self, text: str, inline: bool) -> str:
        rows = len(re.findall(r"<tr\b", text, flags=re.IGNORECASE))
        if rows > MAX_TABLE_ROWS:
            self.diags.error(self.loc, f"a table of {rows:,} rows is too long for a handout "
                             f"(at most {MAX_TABLE_ROWS})", "shorten it, or give it as a source "
                             "students look up elsewhere")
            return ""
        if len(text) > MAX_TEXT_CHARS:
            self.diags.error(self.loc, f"this text is {len(text):,} characters long, over the "
                             f"limit of {MAX_TEXT_CHARS:,} (about 3,000 words) for one field, "
                             "introduction or question", "shorten it, or split it between items")
            return ""
        try:
            self.md.reset()
            body = self.md.convert(defuse(text))
            cleaned, rows = self.sanitise(body)
        except RecursionError:
            self.diags.error(self.loc, "this text is nested too deeply to print (lists, "
                             "quotations or brackets inside one another, hundreds of levels deep)",
                             "use at most a few levels of nesting")
            return ""
        if rows > MAX_TABLE_ROWS:
            self.diags.error(self.loc, f"a table of {rows:,} rows is too long for a handout "
                             f"(at most {MAX_TABLE_ROWS})", "shorten it, or give it as a source "
                             "students look up elsewhere")
            return ""
        cleaned = typography(cleaned, self.language)
        if inline:
            m = re.fullmatch(r"\s*<p>(.*?)</p>\s*", cleaned, flags=re.DOTALL)
            if m and "<p>" not in m.group(1):
                cleaned = m.group(1)
        return cleaned

    def plain(self, text: str) -> str:
        """The text with Markdown and tags removed, for word banks and metadata.

        Reports nothing: the same text is always rendered for the page too, which reports its
        problems at the right place.
        """
        rendered = self._cache.get((text, True))
        if rendered is None:
            diags, self.diags = self.diags, Diagnostics()
            try:
                rendered = self._convert(text or "", inline=True)
            finally:
                self.diags = diags
        return html.unescape(re.sub(r"<[^>]+>", "", str(rendered))).strip()

    def sanitise(self, body: str) -> tuple[str, int]:
        """Filtered HTML and the number of table rows in it."""
        parser = _Sanitiser(self._report)
        parser.feed(body)
        parser.close()
        if parser.deepest > MAX_NESTING:
            # Python-Markdown before 3.8 hit RecursionError long before this; later ones nest on.
            raise RecursionError(f"{parser.deepest} elements inside one another")
        if parser.skip:
            self._report("warning", f"<{parser.skipping}> is never closed, so all the text after "
                         f"it was removed too (close it with </{parser.skipping}>, or delete it)")
        return "".join(parser.out), parser.rows

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
            self.diags.error(self.loc, f"link '{show(value, 80)}' is not allowed",
                             "links may point to http, https or mailto addresses")
            return False
        # kind == "resource": an image source must be a file inside the pack.
        return self.resource_ok(value)

    def resource_ok(self, url: str) -> bool:
        """True when an image source is a file inside the pack; otherwise says why, and how."""
        parsed = urlparse(url)
        shown = show(url, 80)
        copy = "copy the picture into the pack folder and give its path, as images/map.png"
        if parsed.scheme in ("http", "https", "ftp", "ftps") or parsed.netloc \
                or url.startswith("//"):
            self.diags.error(self.loc, f"image '{shown}' is on the internet; revpack never "
                             "fetches anything from the network", "download the picture into "
                             "the pack folder and give its path, as images/map.png")
            return False
        if parsed.scheme == "file":
            self.diags.error(self.loc, f"image '{shown}' is a file elsewhere on the computer; "
                             "revpack reads only files inside the pack folder", copy)
            return False
        if parsed.scheme and len(parsed.scheme) > 1:      # 'C:/…' is a Windows path, below
            self.diags.error(self.loc, f"image '{shown}' is a '{show(parsed.scheme, 20)}:' "
                             "address, not a file in the pack", copy)
            return False
        path = unquote(parsed.path if not parsed.scheme else url)
        if not path:
            self.diags.error(self.loc, "an image with no file name", copy)
            return False
        root = os.path.normpath(self.root)
        written = os.path.normpath(os.path.join(root, path))     # as typed, links not followed
        if os.path.isabs(path) or not written.startswith(root + os.sep):
            self.diags.error(self.loc, f"image '{shown}' is outside the pack folder",
                             "images must be files inside the pack; " + copy)
            return False
        target = Path(written).resolve()
        if not inside(target, self.root):
            self.diags.error(self.loc, f"image '{shown}' is a shortcut (symlink) leading outside "
                             "the pack folder; refused", "copy the picture itself into the pack")
            return False
        if not is_file(target):
            self.diags.error(self.loc, f"image '{shown}' not found in the pack",
                             "check the file name and folder; paths start from the pack "
                             "folder, as images/map.png")
            return False
        why = image_problem(target)
        if why:
            self.diags.error(self.loc, f"image '{shown}' {why}")
        return not why


_UPPER = "".join(re.escape(c) for c in map(chr, range(0x530)) if c.isupper())
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
#: A date ("16 May 1935", "May 1935", "1924–25") or a run of capitalised words ("Soviet Union").
_WHOLE = re.compile(
    rf"(?P<date>\b(?:\d{{1,2}}\s+)?{_MONTH}\s+\d{{3,4}}\b|\b\d{{3,4}}[–-]\d{{2,4}}\b)"
    rf"|(?P<name>(?<!\w)[{_UPPER}]\w*(?:\s+[{_UPPER}]\w*)*)")


def keep_whole(text: str) -> str:
    """Escaped text in which hyphenation can split neither a name nor a date.

    CSS can only turn hyphenation off per element, so each run of capitalised words (names, and
    the first word of a sentence) goes in `<span class="nh">` (no automatic hyphenation) and
    each date in `<span class="nb">` (no line break inside). Words under five letters are never
    hyphenated anyway, and are left alone."""
    out, last = [], 0
    for m in _WHOLE.finditer(text):
        word = m.group()
        if m.group("name") and len(word) < 5:
            continue
        out.append(html.escape(text[last:m.start()], quote=False))
        out.append(f'<span class="{"nb" if m.group("date") else "nh"}">'
                   f"{html.escape(word, quote=False)}</span>")
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


_OPAQUE = re.compile(r"`+|<[^<>]*>")
#: Texts with fewer dangling brackets than this are left exactly as typed.
_DEFUSE_FROM = 20


def defuse(text: str) -> str:
    """Neutralise brackets Markdown would print as typed anyway, when a text has many of them.

    Python-Markdown searches from every `[`, every `](` and every `<` to the end of the text when
    nothing closes it, so text full of dangling brackets takes time that grows with the square of
    its length: one hostile paragraph could stall a check for hours. A `[` never closed, a `(`
    after `]` never closed, a pair of brackets nested more than MAX_BRACKET_DEPTH deep, or a `<`
    with no `>` before the next `<`, cannot make a link or a tag, so escaping it (`\\[`, `&lt;`)
    changes nothing on the page. Ordinary text (fewer than _DEFUSE_FROM of them) is returned
    untouched. Code spans and HTML tags are skipped.
    """
    if "[" not in text and "<" not in text:
        return text
    skip = _opaque_spans(text)
    escape: list[int] = []
    square: list[int] = []
    round_: list[tuple[int, bool]] = []     # (position, follows a ']')
    i, n = 0, len(text)
    while i < n:
        if i in skip:
            i = skip[i]
            continue
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            square.append(i)
        elif c == "]" and square:
            opening = square.pop()
            if len(square) >= MAX_BRACKET_DEPTH:
                escape += (opening, i)
        elif c == "(":
            round_.append((i, i > 0 and text[i - 1] == "]"))
        elif c == ")" and round_:
            round_.pop()
        elif c == "<":
            escape.append(i)        # not the start of a tag: those are skipped
        i += 1
    escape += square + [pos for pos, after_bracket in round_ if after_bracket]
    if len(escape) < _DEFUSE_FROM:
        return text
    out, last = [], 0
    for pos in sorted(escape):
        out.append(text[last:pos])
        if text[pos] == "<":
            out.append("&lt;")
            last = pos + 1
        else:
            out.append("\\")
            last = pos
    out.append(text[last:])
    return "".join(out)


def _opaque_spans(text: str) -> dict[int, int]:
    """Start -> end of each code span and each `<...>`, where brackets are not Markdown's."""
    runs = [(m.start(), m.end(), m.group().startswith("`")) for m in _OPAQUE.finditer(text)]
    following: dict[int, int] = {}       # backtick run -> the next run of the same length
    last_of_length: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        start, end, ticks = runs[k]
        if ticks:
            if end - start in last_of_length:
                following[k] = last_of_length[end - start]
            last_of_length[end - start] = k
    spans: dict[int, int] = {}
    k = 0
    while k < len(runs):
        start, end, ticks = runs[k]
        if not ticks:
            spans[start] = end
            k += 1
        elif k in following:
            spans[start] = runs[following[k]][1]
            k = following[k] + 1
        else:
            k += 1
    return spans


#: A run of more characters than this with no space in it is no word (the longest words in
#: European languages are 30 to 60 letters): a pasted hash, a long address, a runaway key. It
#: gets a break opportunity (<wbr>) every BREAK_EVERY characters, because WeasyPrint lays out an
#: unbreakable run in time that grows with the square of its length (4,000 letters took more than
#: a minute). Only such runs: ordinary words, and so table columns, keep their width.
LONG_WORD = 60
BREAK_EVERY = 20

_RAW_TEXT = ("style", "script", "title", "textarea", "svg", "math")
_MARKUP = re.compile(r"<!--.*?-->|<(%s)\b.*?</\1\s*>|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
                     % "|".join(_RAW_TEXT), re.DOTALL | re.IGNORECASE)
_LONG_RUN = re.compile(r"[^ \t\n\r\f<]{%d,}" % (LONG_WORD + 1))


def break_long_words(page: str) -> str:
    """HTML with <wbr> inside every run of text longer than LONG_WORD characters without a
    space; tags, comments and raw-text elements (<style>, <title>…) are left as they are."""
    if not _LONG_RUN.search(page):
        return page
    out, pos = [], 0
    for m in _MARKUP.finditer(page):
        out += [_LONG_RUN.sub(_with_breaks, page[pos:m.start()]), m.group()]
        pos = m.end()
    out.append(_LONG_RUN.sub(_with_breaks, page[pos:]))
    return "".join(out)


def _with_breaks(run: re.Match) -> str:
    pieces = re.findall(r"&#?\w+;|.", run.group(), flags=re.DOTALL)   # never split an entity
    return "<wbr>".join("".join(pieces[i:i + BREAK_EVERY])
                        for i in range(0, len(pieces), BREAK_EVERY))
