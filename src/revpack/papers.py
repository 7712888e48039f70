"""Papers: takes a paper name, gives its size; the one table of paper sizes every stage uses.

Readers check `paper:` against `PRINTABLE`, styles set `@page { size }` from `css`, the build
picks booklet pages (`booklet`) and the sheets modified copies fold from (`sheet_for_modified`),
post-processing imposes on `points()`, and a kind's layout check may ask `mm()` (the knowledge
organiser offers A3).
"""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_POINT = 25.4 / 72


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float            # portrait
    height_mm: float
    css: str                   # the @page size
    booklet: str | None = None          # the paper of the pages a booklet folds onto this one
    modified_sheet: str | None = None   # a large-print or dyslexia booklet's (twice as big) sheet

    def points(self, landscape: bool = False) -> tuple[float, float]:
        w, h = self.width_mm / MM_PER_POINT, self.height_mm / MM_PER_POINT
        return (h, w) if landscape else (w, h)

    def mm(self, landscape: bool = False) -> tuple[float, float]:
        return (self.height_mm, self.width_mm) if landscape else (self.width_mm, self.height_mm)


PAPERS: dict[str, Paper] = {p.name: p for p in (
    Paper("a4", 210, 297, "A4", booklet="a5", modified_sheet="a3"),
    Paper("letter", 215.9, 279.4, "letter", booklet="half-letter", modified_sheet="tabloid"),
    Paper("a3", 297, 420, "A3"),
    Paper("a5", 148, 210, "A5"),
    Paper("half-letter", 139.7, 215.9, "5.5in 8.5in"),
    Paper("tabloid", 279.4, 431.8, "11in 17in"),
)}

#: The papers a pack or `--paper` may choose (the others are booklet pages and sheets).
PRINTABLE = ("a4", "letter")


def paper(name: str) -> Paper:
    return PAPERS[name]
