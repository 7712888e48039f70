"""Load: takes a pack folder, gives the typed `Pack` and every diagnostic about it.

This is what `revpack check` runs and what `revpack build` runs before rendering anything:
source → blocks → readers, with all problems collected. It never imports WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

from .blocks import parse_blocks
from .diagnostics import Diagnostics, Location
from .model import Pack
from .readers import read_handout, read_manifest
from .output import slugify
from .source import (
    HANDOUT_FILES, MANIFEST, find_handout_files, read_source, resolve_pack_dir,
)


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
    files = find_handout_files(root)
    if not files:
        diags.error(Location(root / MANIFEST), "the pack has no handout files",
                    "add one or more of " + ", ".join(HANDOUT_FILES.values()))
    for name, path in files.items():
        src = read_source(path, root, diags, max_bytes)
        if src is None:
            continue
        parsed = parse_blocks(src, diags)
        setattr(pack, name, read_handout(name, parsed, diags, manifest.period))
    return pack

