"""Model: the typed pack, as the readers build it and the views consume it.

Every item carries `loc`, the `path:line` it was written at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import HistDate
from .diagnostics import Location

EVENT_KINDS = ("event", "treaty", "conference", "war")


@dataclass
class Event:
    date: HistDate
    text: str               # Markdown
    kind: str
    loc: Location
    key: bool = False       # marked [key]: a key date of the knowledge organiser


@dataclass
class Phase:
    title: str
    summary: str
    events: list[Event]
    loc: Location


@dataclass
class Timeline:
    title: str
    intro: str
    phases: list[Phase]
    settings: dict
    loc: Location


@dataclass
class Treaty:
    name: str
    date: HistDate
    place: str
    parties: list[str]
    terms: str
    significance: str
    loc: Location


@dataclass
class TreatyTable:
    title: str
    intro: str
    treaties: list[Treaty]
    settings: dict
    loc: Location


@dataclass
class Historian:
    name: str
    work: str               # the title (of the book, the article or the chapter)
    year: int | None
    loc: Location
    kind: str = "book"      # book, article (in a journal) or chapter (in an edited book)
    details: str = ""       # what follows the title: "*Foreign Affairs* 46 (1967)", "(1961)"


@dataclass
class School:
    name: str
    historians: list[Historian]
    argument: str
    evidence: str
    criticisms: str
    loc: Location


@dataclass
class Historiography:
    title: str
    intro: str
    schools: list[School]
    settings: dict
    loc: Location


@dataclass
class SourceExtract:
    label: str              # "Source A", "Extract 1"
    provenance: str
    text: str
    loc: Location


@dataclass
class Level:
    number: int
    low: int
    high: int
    descriptor: str
    loc: Location


@dataclass
class MarkScheme:
    levels: list[Level]
    indicative: list[str]
    loc: Location


@dataclass
class Question:
    number: int
    label: str
    marks: int
    paper: str
    text: str
    sources: list[SourceExtract]
    mark_scheme: MarkScheme | None
    lines: int | None        # an explicit number of answer lines, overriding the rule
    loc: Location


@dataclass
class Paper:
    """A group of questions with its own cover: a `# Paper: title` heading and its fields.

    Empty fields fall back to the exam's settings (time allowed, instructions, information) or to
    pack.yaml (qualification: the pack's level)."""
    title: str
    questions: list[Question]
    loc: Location
    board: str = ""
    qualification: str = ""
    code: str = ""
    time_allowed: str = ""
    marks: int | None = None          # the paper's maximum when candidates choose questions
    instructions: list[str] = field(default_factory=list)
    information: list[str] = field(default_factory=list)

    @property
    def total_marks(self) -> int:
        return self.marks if self.marks is not None else sum(q.marks for q in self.questions)


@dataclass
class ExamPaper:
    title: str
    intro: str
    questions: list[Question]          # every question, in order, papers or not
    settings: dict
    loc: Location
    papers: list[Paper] = field(default_factory=list)   # empty: one paper of all the questions

    @property
    def total_marks(self) -> int:
        return sum(q.marks for q in self.questions)


@dataclass
class Manifest:
    title: str
    subject: str
    level: str
    exam_board: str
    language: str
    author: str
    subtitle: str = ""
    period: HistDate | None = None
    sources: list[str] = field(default_factory=list)
    school: str = ""
    logo: str = ""
    theme: str = ""
    paper: str = "a4"
    max_file_bytes: int = 2 * 1024 * 1024
    settings: dict = field(default_factory=dict)   # per-handout and edition settings
    loc: Location | None = None
    #: pack.yaml's line of each key path, as ("worksheet", "timeline", "blank") -> 12
    key_lines: dict = field(default_factory=dict)

    def key_loc(self, *path: str) -> Location:
        """Where a setting is in pack.yaml (the nearest parent given, else line 1)."""
        while path and path not in self.key_lines:
            path = path[:-1]
        return Location(self.loc.path, self.key_lines.get(path, 1)) if self.loc else None


@dataclass
class Pack:
    """The pack: pack.yaml, and every content file read, by name (`content["timeline"]`,
    `content["glossary"]`); a registered name is also an attribute (`pack.timeline`), None when
    the pack has no such file."""

    slug: str
    root: "object"           # pathlib.Path of the pack folder
    manifest: Manifest
    content: dict = field(default_factory=dict)
    #: Each content file's front-matter line of each key path, by content name, as read (so
    #: later stages point at a setting without reading the file again).
    front_matter_lines: dict = field(default_factory=dict)

    def __getattr__(self, name: str):
        from .handouts import content_files

        if name != "content" and any(f.name == name for f in content_files()):
            return self.content.get(name)
        raise AttributeError(name)

    def handouts(self) -> dict[str, object]:
        """The handouts this pack builds, in pack order: name → its model (None for a kind
        without a file of its own)."""
        from .handouts import present

        return {k.name: self.content.get(k.name) for k in present(self)}
