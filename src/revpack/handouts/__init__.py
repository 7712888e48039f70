"""Handout kinds: takes nothing, gives the registry every stage asks for the handouts it makes.

A *kind* of handout (the timeline, the treaty table, …) is declared once, as a `Kind`, in its own
module `handouts/<kind>.py`, with a template `templates/<kind>.html` and a stylesheet
`styles/<kind>.css`, and listed by ONE line in `_KIND_MODULES` below. Every other stage (source,
settings, readers, views, html, styles, pdf, build, cli, download, themes) takes its list of
handouts from here: `KINDS` in order, `kind(name)` for one.

A *content file* that is not a handout (`glossary.md`, `people.md`) is a `ContentFile`: a name,
a file and a reader, listed by one line in `_CONTENT_FILES`. It is read like a handout's own
file and lands in `pack.content[name]`, but prints nothing itself; kinds declare the content
files they `needs` (built only when all are present) and the ones they use if present
(`optional`). A pack without an optional file builds with no warning.

The interface, for a kind author (docs/handout-kinds.md has the walk-through):

- `read(parsed, diags, period) -> model`: the kind's own file, parsed into blocks, to its typed
  model (usually a `readers._Reader` subclass's `read()`); every problem goes to `diags` at its
  `path:line` and reading carries on. Front matter is checked against the kind's settings.
- `view(builder, part) -> dict`: the template context. `builder` is a `views.ViewBuilder`:
  `builder.edition` (complete, worksheet, answers), `builder.look` (edition, variant, paper),
  `builder.pack` (and `builder.pack.content[...]` for content files), `builder.md(...)` for
  Markdown, `builder.gap(...)` for a field a worksheet may blank, `builder.common(...)` for the
  `handout` and `worksheet` entries, `builder.word_bank(...)`, `builder.worksheet_options()`.
  `part` is the kind's own model (None for a kind without a file of its own).
- `worksheet`: the kind's worksheet defaults (`blank`, `proportion`, `word_bank`), with
  `blankable` naming what `blank` may list; None when the kind is never blanked.
- `section`: a `Section` of its own in pack.yaml (defaults and a check), whose keys front
  matter may also set; `front_matter`: further text settings of its file's front matter.
- `check_layout(document, look, part) -> list[Diagnostic]`: after layout, errors such as
  "does not fit on one page", located at the kind's file.
- `starter`: the text `revpack new` writes into the kind's file (a content file has one too): a
  small example, explained in `<!-- -->` comments, that passes `revpack check` unchanged.
- `derive(pack, diags) -> model | None`: for a kind without a file of its own, its model made
  from the content files once all are read (stored in `pack.content[name]`, given to `view`
  and `check_layout` as `part`); None leaves the kind out of this pack.
- `booklets`: the editions whose booklets include the kind (a sheet to cut up, as flashcards,
  is left out of a stapled booklet).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

#: The handout kinds, in their order in the combined pack: ONE line per kind (its module here).
_KIND_MODULES = (
    "timeline",
    "treaties",
    "historiography",
    "exam",
    "organiser",
    "flashcards",
    "findfix",
)

#: Content files that are not handouts, one line each: a `ContentFile`, or "module:attribute"
#: naming one, for example
#: ContentFile("glossary", "glossary.md", "revpack.glossary:read_glossary", "the glossary",
#:             ("term", "terms"), lambda g: len(g.terms)),
_CONTENT_FILES: tuple = (
    "revpack.glossary:GLOSSARY_FILE",
    "revpack.glossary:PEOPLE_FILE",
)


@dataclass(frozen=True)
class Section:
    """A kind's own section of pack.yaml (as `exam:`): its defaults, and the check that gives
    the checked values (bad ones reported at their `path:line` and dropped). Front matter may
    set the same keys."""

    name: str
    defaults: dict
    #: (data, path: tuple, loc: (path) -> Location, diags) -> dict of the keys given, checked
    check: Callable


@dataclass(frozen=True)
class ContentFile:
    """A file of the pack that revpack reads: `pack.content[name]` holds what `read` gives.

    `read(parsed, diags)` takes the file parsed into blocks (`blocks.ParsedFile`); with `dated`
    it is called `read(parsed, diags, period)`, period being pack.yaml's `period` (or None).
    `noun` and `count` make `revpack check` report it ("25 terms")."""

    name: str
    file: str
    read: Callable | str                   # a function, or "module:function" imported when used
    label: str = ""                        # "the glossary", in messages
    noun: tuple[str, str] | None = None    # ("term", "terms")
    count: Callable | None = None          # model -> int
    dated: bool = False
    #: What `revpack new` writes into a new pack's file: a small, commented example that
    #: passes `revpack check` ("" for none).
    starter: str = ""

    def reader(self) -> Callable:
        if isinstance(self.read, str):
            module, _, attr = self.read.partition(":")
            return getattr(importlib.import_module(module), attr)
        return self.read

    def read_file(self, parsed, diags, period=None):
        if self.dated:
            return self.reader()(parsed, diags, period)
        return self.reader()(parsed, diags)


@dataclass(frozen=True)
class Kind:
    """One kind of handout. See the module docstring and docs/handout-kinds.md."""

    name: str                  # "timeline": its templates, stylesheet, outputs and settings key
    label: str                 # "the timeline": in messages ("the timeline (worksheet edition)")
    title: str                 # "Timeline": page header, contents page, download page
    view: Callable             # (builder: views.ViewBuilder, part) -> template context
    file: str | None = None    # its own content file ("timeline.md"), if it has one
    read: Callable | None = None   # (parsed, diags, period) -> its model
    noun: tuple[str, str] | None = None   # ("event", "events"): `revpack check` counts
    count: Callable | None = None         # model -> int
    needs: tuple[str, ...] = ()      # content files it cannot be built without (by name)
    optional: tuple[str, ...] = ()   # content files it uses when present
    #: Worksheet defaults ({"blank": ..., "proportion": ..., "word_bank": ...}); None: the kind
    #: is never blanked, and a `worksheet:` setting for it is an error.
    worksheet: dict | None = None
    blankable: tuple[str, ...] = ()  # what `worksheet.blank` may name
    blank_one: bool = False          # `blank` takes exactly one of `blankable`
    word_bank_hint: str = "turn word_bank off"   # when every blanked answer is too long for it
    section: Section | None = None   # its own pack.yaml section (its keys allowed in front matter)
    front_matter: tuple[str, ...] = ()   # further text settings in its front matter
    template_doc: str = ""           # what its template is, for `revpack theme templates`
    context: dict = field(default_factory=dict)   # its template's own variables (the contract)
    #: How the build fits its pages: "gaps" (worksheet gaps sized to the laid-out answers),
    #: "answer-lines" (answer lines trimmed so no page holds a few), or "" (neither).
    fitting: str = "gaps"
    #: (part) -> item indexes that start a section of their own (answer-lines fitting never
    #: moves those on to a new page); None: only the first.
    starts: Callable | None = None
    #: (part) -> [(title, anchor)] of its parts listed under it on the contents page; the
    #: anchor is an element id its template sets.
    contents_parts: Callable | None = None
    #: Booklets (A5 pages) turn it sideways: for a kind too wide for an A5 column.
    booklet_landscape: bool = False
    #: (document, look: look.Look, part) -> list of Diagnostic: errors found after layout (the
    #: build stops on them), such as "does not fit on one page". A kind with neither a file of
    #: its own nor a `derive`d model receives the pack as `part`, to locate its errors at what
    #: it is made of.
    check_layout: Callable | None = None
    #: What `revpack new` writes into its file: a small, commented example that passes
    #: `revpack check` (see ContentFile.starter).
    starter: str = ""
    #: (pack, diags) -> its model, for a kind without a file of its own: made after every
    #: content file is read, stored in pack.content[name] (None: not built for this pack).
    derive: Callable | None = None
    #: The editions whose booklets include it; a kind to cut up (flashcards) leaves some out.
    booklets: tuple[str, ...] = ("complete", "worksheet", "answers")

    @property
    def template(self) -> str:
        return f"{self.name}.html"

    @property
    def stylesheet(self) -> str:
        return f"{self.name}.css"

    @property
    def source(self) -> ContentFile | None:
        """Its own file as a content file (read into `pack.content[name]`)."""
        if self.file is None:
            return None
        return ContentFile(self.name, self.file, self.read, self.label, self.noun, self.count,
                           dated=True, starter=self.starter)

    def output(self, edition: str) -> str:
        """The stem of its PDFs (build.output_name adds the variant and booklet)."""
        return f"{self.name}-{edition}"


def _load(spec: str):
    module, _, attr = spec.partition(":")
    if not module.startswith("revpack."):
        module = f"{__name__}.{module}"
    return getattr(importlib.import_module(module), attr or "KIND")


_registry: dict[str, Kind] = {}
_content: dict[str, ContentFile] = {}


def register(item: Kind | ContentFile) -> None:
    """Add a kind (at the end of the pack) or a content file; tests add toy ones this way."""
    if item.name in _registry or item.name in _content:
        raise ValueError(f"'{item.name}' is registered already")
    if isinstance(item, Kind):
        _registry[item.name] = item
    else:
        _content[item.name] = item
    _refresh()


def unregister(name: str) -> None:
    _registry.pop(name, None)
    _content.pop(name, None)
    _refresh()


def _refresh() -> None:
    global KINDS, NAMES
    KINDS = tuple(_registry.values())
    NAMES = tuple(_registry)


KINDS: tuple[Kind, ...] = ()
NAMES: tuple[str, ...] = ()


def kinds() -> tuple[Kind, ...]:
    """Every registered kind, in pack order (read at call time: tests register toy kinds)."""
    return KINDS


def names() -> tuple[str, ...]:
    return NAMES


def kind(name: str) -> Kind:
    return _registry[name]


def is_kind(name: str) -> bool:
    return name in _registry


def content_files() -> tuple[ContentFile, ...]:
    """Every file a pack may hold besides pack.yaml: the kinds' own files, then the others."""
    return tuple(k.source for k in _registry.values() if k.file) + tuple(_content.values())


def blankable_kinds() -> tuple[Kind, ...]:
    """The kinds a worksheet blanks (those pack.yaml's `worksheet:` may name)."""
    return tuple(k for k in _registry.values() if k.worksheet is not None)


def sections() -> tuple[Section, ...]:
    return tuple(k.section for k in _registry.values() if k.section is not None)


def present(pack) -> tuple[Kind, ...]:
    """The kinds this pack builds, in order: its own file read (or its model derived), and
    every content file it needs."""
    return tuple(k for k in _registry.values()
                 if (pack.content.get(k.name) is not None if (k.file or k.derive) else k.needs)
                 and all(pack.content.get(n) is not None for n in k.needs))


for _spec in _KIND_MODULES:
    register(_load(_spec))
for _spec in _CONTENT_FILES:
    register(_load(_spec) if isinstance(_spec, str) else _spec)
