"""Load: takes a pack folder, gives the typed `Pack` and every diagnostic about it.

This is what `revpack check` runs and what `revpack build` runs before rendering anything:
source → blocks → readers (each content file's, from the registry in `handouts`), with all
problems collected. It never imports WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

from .blocks import parse_blocks
from .diagnostics import Diagnostics, Location
from .model import Pack
from .handouts import content_files, is_kind
from .readers import read_manifest
from .output import slugify
from .source import MANIFEST, find_content_files, read_source, resolve_pack_dir


def pack_slug(pack_dir: Path) -> str:
    return slugify(Path(pack_dir).name) or "pack"


def load_pack(pack_dir: Path, diags: Diagnostics) -> Pack | None:
    root = resolve_pack_dir(pack_dir)
    manifest_src = read_source(root / MANIFEST, root, diags)
    if manifest_src is None:
        return None
    manifest = read_manifest(manifest_src, diags)
    max_bytes = manifest.max_file_bytes
    pack = Pack(slug=pack_slug(root), root=root, manifest=manifest)
    known = {f.name: f for f in content_files()}
    handout_files = {f.name: f.file for f in content_files() if is_kind(f.name)}
    files = find_content_files(root, {name: f.file for name, f in known.items()})
    if not any(name in handout_files for name in files):
        diags.error(Location(root / MANIFEST), "the pack has no handout files",
                    "add one or more of " + ", ".join(handout_files.values()))
    for name, path in files.items():
        src = read_source(path, root, diags, max_bytes)
        if src is None:
            continue
        parsed = parse_blocks(src, diags)
        pack.front_matter_lines[name] = parsed.front_matter_lines
        pack.content[name] = known[name].read_file(parsed, diags, manifest.period)
    return pack

