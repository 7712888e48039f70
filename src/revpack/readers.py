"""Readers: take pack.yaml and parsed blocks, give the manifest and the shared reader machinery.

`read_manifest` reads pack.yaml. `_Reader` is the base each kind's reader extends (in
`handouts/<kind>.py`): it walks one file's blocks, checks its front matter, and never stops at
the first mistake: it reports each one at its `path:line` into the shared `Diagnostics` and
carries on, so the author sees them all.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import settings as settings_mod
from .blocks import HEADING, ITEM, PARA, QUOTE, Block, ParsedFile, load_yaml, yaml_key_lines
from .dates import DateError, HistDate, parse_date
from .diagnostics import Diagnostics, Located, Location, did_you_mean, show
from .model import Manifest
from .papers import PRINTABLE
from .source import MAX_FILE_BYTES, MAX_FILE_BYTES_LIMIT, SourceFile

MANIFEST_REQUIRED = ("title", "subject", "level", "exam_board", "author")
MANIFEST_OPTIONAL = ("subtitle", "language", "period", "sources", "school", "logo", "theme",
                     "paper", "max_file_bytes")


def read_manifest(src: SourceFile, diags: Diagnostics) -> Manifest:
    errors_before = len(diags.errors)
    data = load_yaml(src.text, src, diags)
    # A YAML error already said what is wrong (and nothing was read); a key set twice is
    # reported too, but the rest was read, so missing settings are still worth saying.
    readable = bool(data) or len(diags.errors) == errors_before
    key_lines = yaml_key_lines(src.text)

    def loc(key) -> Location:
        path = key if isinstance(key, tuple) else (key,)
        while path and path not in key_lines:
            path = path[:-1]
        return src.loc(key_lines.get(path, 1))

    known = MANIFEST_REQUIRED + MANIFEST_OPTIONAL + settings_mod.sections()
    for key in data:
        if key not in known:
            diags.error(loc(str(key)), f"unknown setting '{show(key, 40)}'",
                        did_you_mean(str(key), known))
    values = {}
    for key in MANIFEST_REQUIRED + ("subtitle", "language", "school", "logo", "theme", "paper"):
        value = data.get(key)
        if value is None:
            if key in MANIFEST_REQUIRED and readable:
                if key in data:
                    diags.error(loc(key), f"'{key}' is empty", f"write it after the colon, as "
                                f"'{key}: {_EXAMPLES[key]}'")
                else:
                    diags.error(src.loc(1), f"pack.yaml is missing '{key}'",
                                f"add a line such as '{key}: {_EXAMPLES[key]}'")
            values[key] = ""
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            diags.error(loc(key), f"'{key}' should be text", "put it in double quotes, as "
                        f"{key}: \"{_EXAMPLES.get(key, '...').strip(chr(34))}\"")
            values[key] = ""
        else:
            values[key] = str(value).strip()
            if not values[key] and key in MANIFEST_REQUIRED:
                diags.error(loc(key), f"'{key}' is empty", f"write it after the colon, as "
                            f"'{key}: {_EXAMPLES[key]}'")
    language = values["language"] or "en-GB"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        diags.error(loc("language"), f"'{show(language, 40)}' is not a language tag",
                    "for example en-GB, en-US or fr")
        language = "en-GB"
    paper = (values["paper"] or "a4").lower()
    if paper not in PRINTABLE:
        diags.error(loc("paper"), f"unknown paper size '{show(values['paper'], 40)}'",
                    did_you_mean(paper, PRINTABLE))
        paper = "a4"
    period = None
    if data.get("period") is not None:
        if isinstance(data["period"], bool) or not isinstance(data["period"], (str, int)):
            diags.error(loc("period"), "'period' should be a year or a range of dates",
                        'put it in double quotes, as period: "1917–1939"')
        else:
            try:
                period = parse_date(str(data["period"]))
            except DateError as exc:
                diags.error(loc("period"), f"bad period: {exc}", exc.hint)
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        diags.error(loc("sources"), "'sources' should be a list of lines of text",
                    "start each source on its own line with '- '")
        sources = []
    sources = [Located(s, loc(("sources", i))) for i, s in enumerate(sources)]
    max_bytes = data.get("max_file_bytes", MAX_FILE_BYTES)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        diags.error(loc("max_file_bytes"), "'max_file_bytes' should be a whole number of bytes, "
                    f"not {show(max_bytes, 30)}", "for example 4194304 for 4 MB")
        max_bytes = MAX_FILE_BYTES
    elif max_bytes > MAX_FILE_BYTES_LIMIT:
        diags.error(loc("max_file_bytes"), f"'max_file_bytes' may be at most "
                    f"{MAX_FILE_BYTES_LIMIT:,} (100 MB), not {show(max_bytes, 30)}",
                    "no handout needs more; a larger file is runaway content")
        max_bytes = MAX_FILE_BYTES
    settings = {k: data[k] for k in settings_mod.sections() if k in data}
    settings_mod.check_pack_settings(settings, loc, diags)
    return Manifest(
        title=values["title"], subject=values["subject"], level=values["level"],
        exam_board=values["exam_board"], language=language, author=values["author"],
        subtitle=values["subtitle"], period=period, sources=sources, school=values["school"],
        logo=values["logo"], theme=values["theme"], paper=paper, max_file_bytes=max_bytes,
        settings=settings,
        loc=src.loc(1), key_lines=key_lines,
    )


_EXAMPLES = {"title": '"Soviet foreign policy, 1917–1939"', "subject": "History",
             "level": "A-level", "exam_board": '"AQA A-level (7042)"',
             "author": '"Ms A. Teacher"'}


# --- shared helpers ------------------------------------------------------------------------------

class _Reader:
    """Walks one file's blocks; subclasses know one handout's structure."""

    handout = ""
    items = ""                           # what its '##' sections are, for messages
    default_title = ""
    LIST_FIELDS: tuple[str, ...] = ()    # fields whose nested items are entries, not prose

    def __init__(self, parsed: ParsedFile, diags: Diagnostics, period: HistDate | None = None):
        self.parsed = parsed
        self.src = parsed.source
        self.diags = diags
        self.period = period
        self.settings = settings_mod.check_handout_settings(
            self.handout, parsed.front_matter, self.setting_loc, diags)

    def setting_loc(self, path: tuple) -> Location:
        lines = self.parsed.front_matter_lines
        while path and path not in lines:
            path = path[:-1]
        return self.src.loc(lines.get(path, 1))

    def loc(self, block: Block | int) -> Location:
        return self.src.loc(block if isinstance(block, int) else block.line)

    def split_sections(self, level: int = 2, blocks: list[Block] | None = None):
        """(title, intro blocks, [(heading, blocks)]) by headings of `level`."""
        title, intro, sections = "", [], []
        current = None
        for block in self.parsed.blocks if blocks is None else blocks:
            if block.kind == HEADING and block.level == 1 and not title and current is None:
                title = block.text
            elif block.kind == HEADING and block.level == level:
                if len(sections) == MAX_ITEMS:
                    self.diags.error(self.loc(block), f"more than {MAX_ITEMS:,} {self.items} in "
                                     "one handout; the rest are not read",
                                     "split the handout between several packs")
                    break
                current = (block, [])
                sections.append(current)
            elif current is None:
                intro.append(block)
            else:
                current[1].append(block)
        return self.settings.get("title") or title or self.default_title, intro, sections

    def prose(self, blocks: list[Block]) -> str:
        """Paragraphs, lists and quotations back to Markdown, in their order (located at the first)."""
        parts: list[str] = []
        for b in blocks:
            if b.kind == PARA:
                parts.append(b.text)
            elif b.kind == QUOTE:
                parts.append("> " + b.text.replace("\n", "\n> "))
            elif b.kind == ITEM:
                item = with_children(b)
                if parts and parts[-1].startswith("- "):
                    parts[-1] += "\n- " + item.replace("\n", "\n  ")
                else:
                    parts.append("- " + item.replace("\n", "\n  "))
        return Located("\n\n".join(parts), self.loc(blocks[0])) if parts else ""

    def date(self, text: str, where: Location) -> HistDate | None:
        try:
            d = parse_date(text)
        except DateError as exc:
            self.diags.error(where, f"bad date: {exc}", exc.hint)
            return None
        if self.period is not None:
            lo, hi = self.period.sort_key()
            if d.sort_key()[0] > hi or (d.end or d.start).last_key() < lo:
                self.diags.warning(where, f"date {d.format()} is outside the pack's period "
                                          f"{self.period.format()}", "check it for a typing "
                                   "slip, or widen 'period' in pack.yaml")
        return d

    def fields(self, heading: Block, blocks: list[Block], required: tuple[str, ...],
               optional: tuple[str, ...] = ()) -> dict[str, tuple[str, Block]]:
        """`- Name: value` items under a heading, checked against the known field names."""
        known = required + optional
        found: dict[str, tuple[str, Block]] = {}
        reported: set[str] = set()      # fields already reported (misspelt or empty)
        for block in blocks:
            if block.kind != ITEM:
                continue
            f = block.field()
            if f is None:
                self.diags.error(self.loc(block), f"expected a 'Name: value' field under "
                                 f"'{show(heading.text)}'", "fields are " + ", ".join(known))
                continue
            name, value = f
            canonical = next((k for k in known if k.lower() == name.lower()), None)
            if canonical is None:
                hint = did_you_mean(name, known)
                self.diags.error(self.loc(block), f"unknown field '{name}'", hint)
                reported.update(k for k in known if f"'{k}'?" in hint)
                continue
            if canonical in found:
                self.diags.error(self.loc(block), f"field '{canonical}' given twice "
                                 f"(first at line {found[canonical][1].line})",
                                 "keep one; to continue a long field, indent its next line by "
                                 "two spaces")
                continue
            if not value and not block.children:
                self.diags.error(self.loc(block), f"field '{canonical}' is empty",
                                 f"write its text after '{canonical}:'")
                reported.add(canonical)
                continue
            if block.children and canonical not in self.LIST_FIELDS:
                value = with_children(Block(block.kind, value, block.line, children=block.children))
            found[canonical] = (Located(value, self.loc(block)), block)
        for name in required:
            if name not in found and name not in reported:
                self.diags.error(self.loc(heading), f"'{show(heading.text)}' has no '{name}' field",
                                 f"add a line '- {name}: ...'")
        return found

    def stray(self, blocks: list[Block], allowed: tuple[str, ...], where: str) -> None:
        for block in blocks:
            if block.kind not in allowed:
                self.diags.error(self.loc(block), f"unexpected {_KIND_NAMES[block.kind]} {where}",
                                 _STRAY_HINTS.get(block.kind, ""))


def with_children(block: Block) -> str:
    """An item's text with its nested items as a Markdown list (so nothing is dropped)."""
    if not block.children:
        return block.text
    lines = [block.text, ""] if block.text else []
    for child in block.children:
        lines.append("- " + with_children(child).replace("\n", "\n  "))
    return "\n".join(lines)


_KIND_NAMES = {HEADING: "heading", ITEM: "list item", PARA: "paragraph", QUOTE: "quotation"}
_STRAY_HINTS = {
    PARA: "only '- Name: value' lines go here; to continue a long field, indent its next line "
          "by two spaces, with no blank line before it",
    QUOTE: "only '- Name: value' lines go here",
    HEADING: "start each item with a '## ' heading; '#' is for the handout's title only",
}

#: The most items one handout may hold (phases, treaties, schools, questions; and events): a
#: sanity limit far above any revision handout, so runaway content fails fast, in `check`.
MAX_ITEMS = 1000


def _duplicates(diags: Diagnostics, items, key, what: str) -> None:
    seen: dict = {}
    for item in items:
        k = key(item)
        if k in seen:
            diags.error(item.loc, f"duplicate {what} (also at line {seen[k].loc.line})",
                        "delete one of them, or correct it if it should differ")
        else:
            seen[k] = item


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
