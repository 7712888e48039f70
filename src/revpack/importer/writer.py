"""The pack writer: takes a `Plan`, gives the text of each file of the pack skeleton.

pack.yaml (the map's title, defaults for the rest, the events' years as `period`),
timeline.md, treaties.md and historiography.md when the map gives them something, and
map-notes.md for every node that is none of those. What the map does not say (a phase's summary,
a treaty's parties and significance, a school's evidence) is written as "To write: ..." so the
skeleton passes `revpack check` and builds, and the author sees at once what is theirs to add.
"""

from __future__ import annotations

import re

from ..scaffold import DEFAULTS, manifest_text
from .plan import SUMMARY, Plan, one_line

_KIND_TAG = re.compile(r"\[([A-Za-z]+)\]$")


def _md(text: str) -> str:
    """Node text as safe one-line Markdown for a handout line."""
    text = one_line(text)
    # A last "[word]" would read as an event kind such as [treaty]: escape its brackets.
    text = _KIND_TAG.sub(r"\\[\1\\]", text)
    # A line starting with '#', '>' or a list marker would change what the line is.
    if re.match(r"[#>]|[-*+]\s|\d+[.)]\s", text):
        text = "\\" + text
    return text


def _comment(text: str) -> str:
    return "<!-- " + text.replace("--", "–") + " -->"


def _heading(text: str) -> str:
    return one_line(text).replace("#", "\\#") or "Untitled"


def manifest(plan: Plan, map_name: str) -> str:
    return manifest_text(plan.title, DEFAULTS["level"], DEFAULTS["board"], DEFAULTS["language"],
                         DEFAULTS["subject"], DEFAULTS["author"], period=plan.period(),
                         note=f"Written by `revpack import` from {map_name}: set the level, "
                              "board and author,\nand read import-report.md.")


def timeline(plan: Plan, map_name: str) -> str | None:
    if not plan.phases:
        return None
    out = [f"# {_heading(plan.title)}", "",
           _comment(f"Imported from {map_name} by revpack import. Every event comes from a "
                    "dated node of the map, its date normalised; events are in date order "
                    "within each phase, and each phase is a branch of the map. Check every "
                    "date, and write each phase's summary. import-report.md lists what needs "
                    "your eye."), ""]
    for phase in plan.phases:
        out += [f"## {_heading(phase.title)}", f"Summary: {SUMMARY}", ""]
        for e in sorted(phase.events, key=lambda e: e.date.date.sort_key()):
            tag = f" [{e.kind}]" if e.kind != "event" else ""
            out.append(f"- **{e.date.text}** — {_md(e.text)}{tag}")
        out.append("")
    return "\n".join(out)


def treaties(plan: Plan, map_name: str) -> str | None:
    dated = [t for t in plan.treaties if t.date is not None]
    if not dated:
        return None
    out = ["# Treaties and agreements", "",
           _comment(f"Proposed by revpack import from the nodes of {map_name} that name a "
                    "treaty, pact, agreement or protocol. The names are guesses from the "
                    "map's words; the same treaty may be here twice. Fill in the parties and "
                    "the significance, and rewrite the terms."), ""]
    for t in dated:
        out += [f"## {_heading(t.name)}", f"- Date: {t.date.text}",
                "- Parties: To fill in", f"- Terms: What the map says: {_md(t.text)}",
                "- Significance: To write.", ""]
    for t in plan.treaties:
        if t.date is None:
            out += [_comment(f"No date in the map, so not in the table: “{one_line(t.text)}”. "
                             "Add it as a treaty of its own, with its date, if it belongs "
                             "here."), ""]
    return "\n".join(out)


def historiography(plan: Plan, map_name: str) -> str | None:
    if not plan.schools:
        return None
    out = [f"# {_heading(plan.debate_title)}", "",
           _comment(f"From the debate branch of {map_name}: each school is one node and what "
                    "hung under it. The school names and the historians are read from the "
                    "map's words: check them, add each historian's work and year, and write "
                    "the evidence and criticisms."), ""]
    for s in plan.schools:
        out += [f"## {_heading(s.name)}", "- Historians:"]
        for name, work in s.historians or [("Historian to add", "")]:
            work = work.replace("*", "") or "work to add"
            out.append(f"  - {name}, *{work}*")
        out += [f"- Argument: {_md(s.argument)}",
                "- Evidence: To add: the evidence these historians use.",
                "- Criticisms: To add: what their critics say.", ""]
    return "\n".join(out)


def notes(plan: Plan, map_name: str) -> str:
    out = ["# Notes from the map", "",
           f"Every node of {map_name} that is not a timeline event, a treaty or a school, in "
           "the map's order, under its branch. revpack does not print this file: fold what "
           "matters into the handouts.", ""]
    branch = None
    for n in plan.notes:
        if n.branch != branch:
            branch = n.branch
            out += ["", f"## {_heading(branch)}", ""]
        line = f"- {_md(n.text) or '(empty node)'} (map line {n.node.line})"
        if n.context:
            line += f", under “{n.context}”"
        out.append(line)
    with_notes = [(node_id, text) for node_id, text in _node_notes(plan)]
    if with_notes:
        out += ["", "## Notes attached to nodes", ""]
        out += [f"- {text}" for _, text in with_notes]
    return "\n".join(out) + "\n"


def _node_notes(plan: Plan):
    for node, what in plan.dropped:
        if what.startswith("the node's note"):
            yield node.id, f"{_md(node.note)} (the note of map line {node.line}: "\
                           f"“{one_line(node.text)}”)"
