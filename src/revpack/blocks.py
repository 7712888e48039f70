"""Blocks: takes a Markdown `SourceFile`, gives its front matter and a list of line-numbered blocks.

revpack's handout files are ordinary Markdown whose structure comes from headings and list items.
This stage splits a file into those blocks (headings, list items with nested children, paragraphs,
block quotes), keeping the line each began on, so every later message can say `path:line`.
The text inside a block stays Markdown; `prose.py` renders it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import yaml

from .diagnostics import Diagnostics, Located, show
from .source import SourceFile

HEADING = "heading"
ITEM = "item"
PARA = "para"
QUOTE = "quote"

#: Deeper list nesting than this is an error (and is read as this deep).
MAX_LIST_DEPTH = 8

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM_RE = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_FIELD_RE = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(.*)$", re.DOTALL)


@dataclass
class Block:
    kind: str
    text: str
    line: int
    level: int = 0          # heading level, or nesting depth of a list item
    children: list["Block"] = field(default_factory=list)

    def field(self) -> tuple[str, str] | None:
        """`Name: value` in a list item or paragraph, as (name, value), else None."""
        m = _FIELD_RE.match(self.text)
        if not m:
            return None
        return m.group(1).strip(), m.group(2).strip()


@dataclass
class ParsedFile:
    source: SourceFile
    front_matter: dict
    front_matter_lines: dict    # key path -> line, for messages about settings
    blocks: list[Block]


def parse_blocks(src: SourceFile, diags: Diagnostics) -> ParsedFile:
    lines = src.lines
    start, front, front_line = _front_matter(src, lines, diags)
    blocks: list[Block] = []
    stack: list[Block] = []        # open list items, by depth
    para: Block | None = None
    too_deep = False                # reported once per file
    next_close = None               # see _comment_end, made when a comment is first met
    i = start
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        stripped = raw.strip()
        i += 1
        if not stripped:
            para = None
            continue
        if stripped.startswith("<!--"):
            if next_close is None:
                next_close = _closing_lines(lines)
            end = _comment_end(lines, i - 1, next_close)
            if end is not None:
                i = end + 1         # a note to the author on lines of its own: not content
                continue
        m = _HEADING_RE.match(raw)
        if m and not raw.startswith(" "):
            para, stack = None, []
            blocks.append(Block(HEADING, m.group(2), lineno, level=len(m.group(1))))
            continue
        if stripped.startswith(">"):
            text = stripped[1:].strip()
            if para is not None and para.kind == QUOTE:
                para.text += "\n" + text
            else:
                stack = []
                para = Block(QUOTE, text, lineno)
                blocks.append(para)
            continue
        m = _ITEM_RE.match(raw)
        if m:
            indent = len(m.group(1))
            depth = indent // 2
            if depth > MAX_LIST_DEPTH:
                if not too_deep:
                    diags.error(src.loc(lineno), f"a list nested more than {MAX_LIST_DEPTH} "
                                "levels deep", "indent each level by two spaces more than the "
                                "one above; most lists need one or two levels")
                    too_deep = True
                depth = MAX_LIST_DEPTH
            item = Block(ITEM, m.group(2).strip(), lineno, level=depth)
            while stack and stack[-1].level >= depth:
                stack.pop()
            if stack:
                stack[-1].children.append(item)
            else:
                blocks.append(item)
            stack.append(item)
            para = item
            continue
        if raw.startswith(" ") and para is not None:
            # A continuation line of the item or paragraph above.
            para.text += "\n" + stripped
            continue
        if para is not None and para.kind in (PARA, QUOTE):
            para.text += "\n" + stripped
            continue
        stack = []
        para = Block(PARA, stripped, lineno)
        blocks.append(para)
    return ParsedFile(src, front, front_line, blocks)


def _comment_end(lines: list[str], first: int, next_close: list[int]) -> int | None:
    """The index of the line closing an HTML comment that opens line `first`, when the comment
    stands on lines of its own (nothing after its `-->`); else None (it is then text).
    `next_close[j]` is the first line at or after j holding a `-->` (len(lines) if none)."""
    line = lines[first]
    close = line.find("-->", line.find("<!--") + 4)
    j = first
    if close < 0:
        j = next_close[first + 1] if first + 1 < len(lines) else len(lines)
        if j >= len(lines):
            return None
        close = lines[j].find("-->")
    return j if not lines[j][close + 3:].strip() else None


def _closing_lines(lines: list[str]) -> list[int]:
    """For each line, the first line at or after it that holds a `-->`."""
    out, nxt = [0] * len(lines), len(lines)
    for j in range(len(lines) - 1, -1, -1):
        if "-->" in lines[j]:
            nxt = j
        out[j] = nxt
    return out


def _front_matter(src: SourceFile, lines: list[str], diags: Diagnostics):
    """YAML between `---` lines at the top of a file, as (first body line index, data, key lines)."""
    if not lines or lines[0].strip() != "---":
        return 0, {}, {}
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        diags.error(src.loc(1), "front matter starts with '---' but never ends",
                    "close it with a line of '---'")
        return 1, {}, {}       # read the rest as the body, so its own mistakes still show
    text = "\n".join(lines[1:end])
    data = load_yaml(text, src, diags, first_line=2)
    return end + 1, data, yaml_key_lines(text, first_line=2)


# Text that carries its location is still text to anyone writing YAML (a theme tool, say).
yaml.SafeDumper.add_representer(Located, yaml.representer.SafeRepresenter.represent_str)

#: Settings never need more nesting than this; deeper YAML is refused before it is read.
MAX_YAML_DEPTH = 20


class UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML that notes every key set twice in one mapping.

    PyYAML silently keeps the last of two equal keys, so a setting written twice would take the
    second value without a word. Each repeat is kept in `duplicate_keys`, as (key as written,
    character offset of the repeat, character offset of the first), for the caller to report
    (see `_line_counter` for why offsets, not PyYAML's lines).
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[str, int, int]] = []

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                # Merge keys ('<<') and value keys ('=') are YAML machinery, not settings.
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag in (
                        "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
                    continue
                key = self.construct_object(key_node, deep=deep)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:       # unhashable: the constructor below says so
                    continue
                if first is not key_node:
                    self.duplicate_keys.append((key_node.value, key_node.start_mark.index,
                                                first.start_mark.index))
        return super().construct_mapping(node, deep=deep)


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that revpack will not read, with what to say and how to fix it."""

    def __init__(self, message: str, mark, hint: str = ""):
        super().__init__(None, None, message, mark)
        self.hint = hint


#: Longer numbers than this are refused before Python converts them (a 5,000-digit number, or
#: a hex one Python cannot print, would otherwise fail deep inside later checks).
MAX_NUMBER_CHARS = 40


class _PackYamlLoader(UniqueKeyLoader):
    """Safe YAML without aliases (`*name`), deep nesting or numbers too long to be settings.

    Aliases let a few lines expand into billions of values (the "billion laughs"); a teacher's
    settings never need them, so they are refused, as is nesting deeper than MAX_YAML_DEPTH.
    pack.yaml, front matter and theme.yaml are all read with it.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(f"'*{event.anchor}' refers back to another value (a YAML alias); "
                           "revpack does not accept aliases, so write the value out in full",
                           event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                event = self.peek_event()
                raise _Refused(f"settings are nested more than {MAX_YAML_DEPTH} levels deep "
                               "(no setting needs more than three)", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_short_int(self, node):
        if len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused("a number here is too long to read", node.start_mark,
                           "numbers in settings are short, as 0.5 or 12")
        return self.construct_yaml_int(node)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
            # A value PyYAML recognises but Python cannot hold, such as the date 2001-13-40,
            # or one its tag cannot mean (`!!bool maybe`).
            why = "" if isinstance(exc, LookupError) else f" ({show(exc, 60)})"
            raise _Refused(f"'{show(node.value, 40)}' cannot be read{why}",
                           node.start_mark, "put text in double quotes") from None


_PackYamlLoader.add_constructor("tag:yaml.org,2002:int", _PackYamlLoader.construct_short_int)


#: PyYAML's commonest complaints (by how they start), in words a teacher can act on.
_YAML_PROBLEMS = (
    ("mapping values are not allowed here", "unexpected ':' on this line",
     'put a value that contains \':\' in double quotes, as title: "Russia: revolution to war", '
     "and check the line is indented like those above it"),
    ("could not find expected ':'", "this line is not a 'name: value' setting",
     "write 'name: value', and put text that contains ':' in double quotes"),
    ("found unexpected end of stream", "a quotation mark is never closed",
     "close the quotation on the same line"),
    ("found unknown escape character", "a backslash inside double quotes",
     "use single quotes around the value, or write the backslash twice"),
    ("found character", "a value starts with a character YAML reserves",
     "put the value in double quotes"),
    ("expected <block end>", "this line's indentation does not match the lines above",
     "indent settings that belong together by the same number of spaces"),
    ("expected ',' or ']'", "a list in square brackets is never closed", "close it with ']'"),
    ("expected ',' or '}'", "a group in curly brackets is never closed", "close it with '}'"),
)


def _yaml_problem(problem: str) -> tuple[str, str]:
    for start, message, hint in _YAML_PROBLEMS:
        if problem.startswith(start):
            return message, hint
    return f"YAML syntax: {problem}", "check the indentation, and put text that contains ':' " \
        "in double quotes"


def _compose(text: str):
    loader = _PackYamlLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(text: str):
    """The data in a YAML text, and the keys set twice in it (see `UniqueKeyLoader`)."""
    loader = _PackYamlLoader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def _line_counter(text: str):
    """A function giving the 1-based line, as an editor shows it, of a character offset in `text`.

    PyYAML's marks also count U+0085, U+2028 and U+2029 as line breaks (as YAML 1.1 does), which
    no editor shows as a new line; so lines are counted from a mark's offset, breaking only at
    \n, \r\n and \r, as `source.py` does when it reads a file.
    """
    breaks = [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    return lambda offset: bisect.bisect_right(breaks, offset) + 1


def load_yaml(text: str, src: SourceFile, diags: Diagnostics, first_line: int = 1) -> dict:
    """Safe YAML to a mapping; a syntax error, or a key set twice, is reported at its line."""
    line_of = _line_counter(text)

    def loc(offset: int):
        return src.loc(first_line - 1 + line_of(offset))

    try:
        data, duplicates = _construct(text)
    except yaml.reader.ReaderError as exc:
        diags.error(loc(exc.position), f"this line holds the invisible control character "
                    f"U+{exc.character:04X}, which YAML does not allow", "delete it")
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = loc(mark.index) if mark is not None else src.loc(first_line)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        if isinstance(exc, _Refused):
            diags.error(where, problem, exc.hint)
        elif isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" \
                in problem:
            tag = (getattr(exc, "problem", "") or "").rsplit("'", 2)[-2:-1] or ["?"]
            diags.error(where, "YAML tags such as "
                        f"'{show(tag[0].replace('tag:yaml.org,2002:', '!!'), 50)}' are not allowed",
                        "write a plain value; revpack settings are text, numbers, lists and groups")
        else:
            diags.error(where, *_yaml_problem(problem))
        return {}
    for key, offset, first in sorted(duplicates, key=lambda d: d[1]):  # nested maps come later
        # The rest is still read (the later value is the one kept), so other mistakes show too.
        diags.error(loc(offset), f"'{show(key, 40)}' is set twice (also at line "
                    f"{first_line - 1 + line_of(first)})", "keep one of them")
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a line of text"}.get(type(data), "a single value")
        diags.error(src.loc(first_line), f"expected 'name: value' settings, not {kind}",
                    "write one setting a line, as 'title: My pack'")
        return {}
    return data


def yaml_key_lines(text: str, first_line: int = 1) -> dict[tuple, int]:
    """Line numbers of every key, by its path: {("worksheet", "timeline", "blank"): 12}.

    A key set twice has the later line, as its later value is the one read.
    """
    out: dict[tuple, int] = {}
    try:
        root = _compose(text)
    except yaml.YAMLError:
        return out
    line_of = _line_counter(text)

    def walk(node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                k = path + (str(key.value) if isinstance(key, yaml.ScalarNode) else "",)
                if k in out:        # set twice: forget what the earlier value held
                    for p in [p for p in out if p[:len(k)] == k]:
                        del out[p]
                out[k] = first_line - 1 + line_of(key.start_mark.index)
                walk(value, k)
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                k = path + (i,)
                out.setdefault(k, first_line - 1 + line_of(value.start_mark.index))
                walk(value, k)

    walk(root, ())
    return out
