"""The import report: takes a `Plan` and the map it came from, gives import-report.md.

It says, for every node of the map, where it went; lists what needs the author's eye (no date,
two dates, a treaty without a date, a year taken from a neighbour, a school with no historian);
lists what could not be carried over (images, empty nodes, cross-links, notes); and warns, with
a checklist, that a mind map is a student's notes and often holds mistakes.
"""

from __future__ import annotations

from .plan import Plan, one_line
from .tree import MapTree

CHECKLIST = (
    "Check every date against a textbook or your own notes: maps often give the wrong year "
    "(the seed map dates the Treaty of Berlin 1930; it was signed in 1926).",
    "Check names, places and spellings: a map is written fast.",
    "Read each event: the importer copies the map's words, which may be wrong, vague or "
    "one-sided; rewrite them in full sentences.",
    "Write each phase's one-line summary (\"To write: ...\").",
    "Treaties: check that each proposed one is a treaty, fill in the parties and significance, "
    "and merge any listed twice.",
    "Historiography: check the school names and historians; add each work and its year, and "
    "the evidence and criticisms.",
    "Read map-notes.md: fold what matters into the handouts.",
    "Set level, exam_board and author in pack.yaml.",
    "Run `revpack check` and `revpack build`, and read the PDFs before you hand them out.",
)


def _cell(text: str, limit: int = 90) -> str:
    text = one_line(text)
    if len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text.replace("|", "\\|") or "(empty)"


def counts(plan: Plan) -> dict[str, int]:
    return {
        "phases": len(plan.phases),
        "events": len(plan.events),
        "treaties": sum(1 for t in plan.treaties if t.date is not None),
        "undated treaties": sum(1 for t in plan.treaties if t.date is None),
        "schools": len(plan.schools),
        "notes": len(plan.notes),
        "to check": len({n.id for n, _ in plan.attention}),
    }


def report(plan: Plan, tree: MapTree, files: list[str]) -> str:
    nodes = tree.nodes()
    c = counts(plan)
    out = [f"# Import report: {tree.path.name}", "",
           f"Read as: {tree.format_name}, {len(nodes)} nodes. revpack wrote "
           f"{', '.join(files)}.", "",
           "| Where | How many |", "| --- | --- |",
           f"| pack.yaml | the title |",
           f"| timeline.md | {c['events']} events in {c['phases']} phases |",
           f"| treaties.md | {c['treaties']} proposed treaties |",
           f"| historiography.md | {c['schools']} schools |",
           f"| map-notes.md | {c['notes']} notes |",
           f"| needs your eye | {c['to check']} nodes |", "",
           *([] if plan.phases else [
               "The map has no dated node, so timeline.md is revpack's example timeline: "
               "replace it with your own.", ""]),
           "## Before you use it: mind maps often hold mistakes", "",
           "A mind map is someone's revision notes, made quickly: dates, names and claims in it "
           "are often wrong, and revpack copies them as they are. It cannot tell a true "
           "statement from a false one. Check the pack as you would a student's work:", ""]
    out += [f"- [ ] {item}" for item in CHECKLIST]
    out += ["", "## Needs your eye", ""]
    if plan.attention:
        out += ["| Map line | Node | Why |", "| --- | --- | --- |"]
        out += [f"| {n.line} | {_cell(n.text, 70)} | {_cell(why, 200)} |"
                for n, why in sorted(plan.attention, key=lambda a: a[0].id)]
    else:
        out.append("Nothing: every dated node had one clear date.")
    out += ["", "## Not carried over", ""]
    if plan.dropped:
        out += [f"- map line {n.line} (“{_cell(n.text, 50)}”): {what}"
                for n, what in sorted(plan.dropped, key=lambda d: d[0].id)]
    else:
        out.append("Nothing: the map had no images, empty nodes, cross-links or notes.")
    out += ["", "## Every node", "", "| # | Map line | Node | Went to |", "| --- | --- | --- | --- |"]
    for n in nodes:
        where = "; ".join(plan.placements.get(n.id, [])) or "nowhere (a bug: please report it)"
        out.append(f"| {n.id} | {n.line} | {_cell(n.text)} | {_cell(where, 200)} |")
    return "\n".join(out) + "\n"
