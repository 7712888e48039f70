"""Find and fix: takes the timeline and the treaty table, gives a grid of short statements, some
with one deliberate error each, for students to mark right or wrong and correct.

The statements and their possible errors come from `findfix_facts` (treaty rows and the first
sentences of timeline events; a date moved, two states swapped, a name from another event, a
wrong place: each surely wrong). Which statements, which of them are wrong and how are chosen by
the seeded RNG (`views.seeded_rng`), so a rebuild is identical; pack.yaml's `findfix: set: 2`
(the week's number, say) chooses another set.

Editions: the worksheet is the grid with "Right or wrong?" and "Correction" columns; the answers
edition marks each statement and corrects the wrong ones; the complete edition is the same
statements, all true, as a revision list (what the worksheet corrected).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import labels
from ..diagnostics import Diagnostics, Location, show
from ..views import seeded_rng
from . import Kind, Section
from .findfix_facts import (KINDS, Fact, Planted, material, plant, span, when_text,
                            with_article)

DEFAULTS = {"statements": 15, "errors": 6, "set": 1, "aliases": []}
LIMITS = {"statements": (1, 40), "errors": (0, 40), "set": (1, 9999)}


def check_section(data, path: tuple, loc, diags: Diagnostics) -> dict:
    """pack.yaml's `findfix:` checked: the keys given."""
    out: dict = {}
    if not isinstance(data, dict):
        diags.error(loc(path), "'findfix' should be a group of settings "
                    "(statements, errors, set, aliases)")
        return out
    for key, value in data.items():
        here = path + (key,)
        if key in LIMITS:
            low, high = LIMITS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                diags.error(loc(here), f"'{key}' should be a whole number from {low} to {high}, "
                            f"not {show(value, 40)}")
            else:
                out[key] = value
        elif key == "aliases":
            if not isinstance(value, list) or not all(
                    isinstance(g, list) and len(g) >= 2 and all(isinstance(n, str) for n in g)
                    for g in value):
                diags.error(loc(here), "'aliases' should be a list of groups of names that mean "
                            "the same place or person", "for example: [[Peking, Beijing]]")
            else:
                out[key] = [tuple(g) for g in value]
        else:
            from ..diagnostics import did_you_mean
            diags.error(loc(here), f"unknown findfix option '{show(key, 40)}'",
                        did_you_mean(str(key), tuple(DEFAULTS)))
    if "statements" in out and "errors" in out and out["errors"] > out["statements"]:
        diags.error(loc(path + ("errors",)), f"'errors' ({out['errors']}) is more than "
                    f"'statements' ({out['statements']})", "plant at most one error a statement")
        del out["errors"]
    return out


@dataclass(frozen=True)
class Row:
    """One statement of the grid: a true `fact`, or a `planted` error in it."""

    fact: Fact
    planted: Planted | None = None

    @property
    def when(self):
        return self.planted.when if self.planted else self.fact.when

    @property
    def text(self) -> str:
        return self.planted.text if self.planted else self.fact.text


def words_for(pack, theme_settings: dict):
    words = labels.label_set(pack.manifest.language, (theme_settings or {}).get("labels"))
    return lambda key, **values: labels.lookup(words, key, **values)


def options(pack) -> dict:
    return {**DEFAULTS, **pack.manifest.settings.get("findfix", {})}


#: The last sheets made, by pack (a build asks for the same sheet in every edition and variant).
_SHEETS: dict = {}


def sheet(pack, words) -> tuple[list[Row], list, dict]:
    """The grid (rows in the order printed), the pack's true facts, and the options used."""
    opts = options(pack)
    key = (id(pack), repr(sorted(opts.items())), words("findfix_treaty", parties="{p}",
                                                       treaty="{t}"))
    cached = _SHEETS.get(key)
    if cached and cached[0] is pack:
        return cached[1]
    made = _sheet(pack, words, opts)
    if len(_SHEETS) > 16:
        _SHEETS.clear()
    _SHEETS[key] = (pack, made)
    return made


def _sheet(pack, words, opts: dict) -> tuple[list[Row], list, dict]:
    m = material(pack.content.get("timeline"), pack.content.get("treaties"),
                 pack.content.get("people"), words, opts["aliases"])
    rng = seeded_rng(pack, "findfix" if opts["set"] == 1 else f"findfix\x00set {opts['set']}")
    period = pack.manifest.period
    bounds = None
    if period is not None:
        end = period.end or period.start
        bounds = ((period.start.year, 1), (end.year, 12))
    facts = list(m.facts)
    count = min(opts["statements"], len(facts))
    errors = min(opts["errors"], count)
    if "errors" not in pack.manifest.settings.get("findfix", {}) and count < opts["statements"]:
        # A thin pack keeps the default share of wrong statements (6 in 15), not 6 in 8.
        errors = min(errors, max(1 if count else 0, round(count * errors / opts["statements"])))
    order = list(range(len(facts)))
    rng.shuffle(order)
    kinds = list(KINDS)
    rng.shuffle(kinds)
    used: set[int] = set()
    rows: list[Row] = []
    # Errors first, taking the four kinds in turn so that each appears.
    turn = 0
    while len(rows) < errors and turn < errors + len(KINDS):
        wanted = [kinds[(turn + k) % len(kinds)] for k in range(len(kinds))]
        turn += 1
        for kind in wanted:
            found = None
            for i in order:
                if i in used or _clashes(facts[i], rows):
                    continue
                planted = plant(m, facts[i], kind, rng, words, bounds)
                if planted is not None:
                    found = (i, planted)
                    break
            if found:
                used.add(found[0])
                rows.append(Row(facts[found[0]], found[1]))
                break
    for i in order:
        if len(rows) >= count:
            break
        if i not in used and not _clashes(facts[i], rows):
            used.add(i)
            rows.append(Row(facts[i]))
    rows.sort(key=lambda r: (span(r.when), r.fact.source, r.text))
    return rows, m.facts, {**opts, "statements": len(rows), "errors_asked": opts["errors"],
                           "errors": sum(1 for r in rows if r.planted)}


def _clashes(fact: Fact, rows: list[Row]) -> bool:
    """Two statements about one treaty (its parties, its place) are not both on a sheet."""
    return any(set(fact.treaties) & set(r.fact.treaties) for r in rows if fact.treaties)


def _correction(p: Planted, words, lang: str = "en") -> str:
    """ "London, not Washington"; "Britain and the USSR are the wrong way round"."""
    if p.kind == "date":
        return words("findfix_fix_date", right=when_text(p.fact.when, lang),
                     wrong=when_text(p.when, lang))
    if p.kind == "swap":
        right, wrong = with_article(p.right), with_article(p.wrong)
        return words("findfix_fix_swap", right=right[:1].upper() + right[1:], wrong=wrong)
    return words(f"findfix_fix_{p.kind}", right=p.right, wrong=p.wrong)


def _setting_loc(pack) -> Location:
    """Where pack.yaml says `findfix:`, for the warning about a thin pack."""
    return pack.manifest.key_loc("findfix") or Location(pack.root / "pack.yaml", 1)


def view(b, part) -> dict:
    pack = b.pack
    words = words_for(pack, b.theme_settings)
    rows, facts, opts = sheet(pack, words)
    asked = options(pack)
    given = pack.manifest.settings.get("findfix", {})
    if given and (opts["statements"] < asked["statements"] or opts["errors"] < asked["errors"]):
        b.prose.diags.warning(
            _setting_loc(pack), f"the find-and-fix sheet has {opts['statements']} statements and "
            f"{opts['errors']} errors, not the {asked['statements']} and {asked['errors']} "
            "asked for: the timeline and treaty table give no more that are safe to use",
            "add events or treaties, or ask for fewer in findfix: statements / errors")
    lang = pack.manifest.language
    items = []
    for n, row in enumerate(rows, start=1):
        p = row.planted
        shown_when, shown_text = (row.fact.when, row.fact.text) if b.edition == "complete" \
            else (row.when, row.text)
        items.append({
            "number": n,
            "when": when_text(shown_when, lang),
            "text": b.md(shown_text, row.fact.loc),
            "wrong": bool(p) and b.edition == "answers",
            "error": p.kind if p and b.edition == "answers" else "",
            "correction": b.md(_correction(p, words, lang), row.fact.loc)
            if p and b.edition == "answers" else "",
            "true_text": b.md(row.fact.text, row.fact.loc) if p and b.edition == "answers"
            else "",
            "true_when": when_text(row.fact.when, lang) if p and b.edition == "answers" else "",
        })
    if b.edition == "complete":
        intro = words("findfix_intro_complete", count=len(items))
    else:
        intro = words("findfix_intro", count=len(items), errors=opts["errors"])
    loc = pack.manifest.loc or Location(pack.root / "pack.yaml", 1)
    ctx = b.common("findfix", words("findfix_title"), intro, {}, loc)
    ctx.update({"statements": items, "errors": opts["errors"], "word_bank": []})
    return ctx


KIND = Kind(
    name="findfix", label="the find-and-fix sheet", title="Find and fix",
    view=view, needs=("timeline",), optional=("treaties", "people"),
    section=Section("findfix", DEFAULTS, check_section),
    fitting="", booklet_landscape=True,
    template_doc="The find-and-fix grid: statements to mark right or wrong and correct.",
    context={
        "statements": "The statements, in date order as printed.",
        "statements[].number": "Its number on the sheet.",
        "statements[].when": "Its date as printed (month precision; moved when it is the error).",
        "statements[].text": "The statement (in the complete edition, the true one).",
        "statements[].wrong": "Answers edition: true when the statement holds an error.",
        "statements[].error": "Answers edition: the kind of error (date, swap, name, place).",
        "statements[].correction": "Answers edition: what corrects it.",
        "statements[].true_text": "Answers edition: the true statement, for a wrong one.",
        "statements[].true_when": "Answers edition: its true date, for a wrong one.",
        "errors": "How many statements hold an error.",
    },
)
