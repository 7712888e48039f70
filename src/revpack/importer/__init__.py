"""Import: takes a mind map or outline file, gives a pack skeleton that checks and builds, and
import-report.md saying where every node went.

map file ──detect──▶ a format reader (textoutline, mdoutline, freemind, opml; XML through
safexml) ──▶ MapTree ──plan──▶ Plan (phases, events, treaties, schools, notes, placements)
──writer, report──▶ files ──scaffold.write_pack──▶ the pack folder (new or empty only)

`revpack import MAP [-o PACK]` calls `import_map`; docs/import.md is the user's guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..handouts import kind
from ..scaffold import write_pack
from ..source import MANIFEST
from . import report as report_mod
from . import writer
from .detect import read_map
from .plan import Plan, make_plan
from .richtext import take_images
from .tree import MAX_MAP_BYTES, MapTree, check_size, map_error

REPORT = "import-report.md"
#: Not a name any handout kind uses, so revpack never reads it as content.
NOTES = "map-notes.md"


@dataclass
class ImportResult:
    pack_dir: Path
    report_path: Path
    tree: MapTree
    plan: Plan
    files: list[Path]

    @property
    def node_count(self) -> int:
        return len(self.tree.nodes())

    @property
    def format_name(self) -> str:
        return self.tree.format_name

    @property
    def attention(self) -> str:
        n = report_mod.counts(self.plan)["to check"]
        return "1 node" if n == 1 else f"{n} nodes"

    def summary(self) -> str:
        c = report_mod.counts(self.plan)
        return ", ".join(_count(c[k], one, many) for k, one, many in (
            ("events", "event", "events"), ("phases", "phase", "phases"),
            ("treaties", "treaty", "treaties"), ("schools", "school", "schools"),
            ("notes", "note", "notes")))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def read_file(path: Path) -> MapTree:
    """The map in `path`, read and checked (size, depth, number of nodes)."""
    path = Path(path)
    try:
        if not path.is_file():
            raise map_error(path, 0, "no such map file" if not path.exists()
                            else "not a file", "give the map file exported from the mind-map "
                            "program")
        if path.stat().st_size > MAX_MAP_BYTES:
            raise map_error(path, 0, f"the map is over {MAX_MAP_BYTES // 1048576} MB; refused",
                            "a revision map is a few kilobytes: export only the map's text")
        data = path.read_bytes()
    except OSError as exc:
        raise map_error(path, 0, f"cannot read the map ({exc.strerror or exc})") from None
    tree = read_map(data, path)
    check_size(tree.roots, path)
    for node in tree.nodes():
        node.text, images = take_images(node.text)
        node.images += [i for i in images if i not in node.images]
    if not tree.roots:
        raise map_error(path, 0, "the map has no nodes", "export the map again, with its text")
    return tree


def default_out(map_path: Path) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", Path(map_path).stem).strip("-").lower()
    return Path(slug or "imported-pack")


def import_map(map_path: Path, out: Path | None = None) -> ImportResult:
    """Read `map_path`, write the pack into `out` (new or empty; default: named after the map)."""
    map_path = Path(map_path)
    out = Path(out) if out is not None else default_out(map_path)
    from ..scaffold import refuse_unless_empty

    refuse_unless_empty(out, "revpack import")
    tree = read_file(map_path)
    plan = make_plan(tree)
    name = map_path.name
    files = {MANIFEST: writer.manifest(plan, name)}
    # The three kinds a map can fill; each writer gives None when the map has nothing for it.
    for kind_name, text in (("timeline", writer.timeline(plan, name)),
                            ("treaties", writer.treaties(plan, name)),
                            ("historiography", writer.historiography(plan, name))):
        if text:
            files[kind(kind_name).file] = text
    if len(files) == 1:
        # No dated node, treaty or debate: the timeline's starter, so the pack still builds.
        files[kind("timeline").file] = kind("timeline").starter
    files[NOTES] = writer.notes(plan, name)
    files[REPORT] = report_mod.report(plan, tree, list(files) + [REPORT])
    written = write_pack(out, files, "revpack import")
    return ImportResult(out, out / REPORT, tree, plan, written)
