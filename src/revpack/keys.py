"""Keys: takes a checked pack, its templating and the build's options, gives the cache key of
each output (see cache.py), computed before anything is laid out.

A handout's layout is a function of its HTML (which carries its content file, pack.yaml's
settings and the templates) and of what the HTML does not carry: the stylesheets, fonts and
images (the theme chain's folders and the pack folder's files other than the content files),
the paper, the variant, and revpack's and WeasyPrint's code. Its key covers its HTML in every
edition its layout depends on: the answers edition too for a kind whose worksheet gaps are sized
to the laid-out answers, both the complete and worksheet editions for a kind whose answer lines
are fitted once for both. So an edit to one handout's file changes that handout's keys and the
combined packs' (which hold it), and nothing else.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .cache import code_digest, digest, folder_digest
from .handouts import content_files, kind


class OutputKeys:
    def __init__(self, pack, templating, theme: str | None, out_root: Path,
                 class_list: Path | None = None):
        self.pack = pack
        self.templating = templating
        self.theme = theme or ""
        self.out_root = Path(out_root)
        self.class_list = class_list

    @cached_property
    def base(self) -> str:
        """Everything every output depends on besides its own HTML."""
        pack_root = self.pack.root
        own = frozenset(f.file for f in content_files() if f.file)
        from .resources import resource_dir

        # revpack's own theme layers (the default theme's root is revpack's resource folder)
        # are in code_digest(); the pack's own layer is in the pack folder's digest.
        builtin = resource_dir().resolve()
        chain = [folder_digest(t.root) for t in self.templating.chain
                 if Path(t.root).resolve() not in (Path(pack_root).resolve(), builtin)
                 and builtin not in Path(t.root).resolve().parents]
        return digest(code_digest(), self.theme, chain,
                      folder_digest(pack_root, skip=(self.out_root, pack_root / "out"),
                                    skip_names=own))

    def _html(self, name: str, edition: str, variant: str, paper: str) -> str:
        return self.templating.html(name, edition, variant, paper=paper)

    def handout(self, name: str, edition: str, variant: str, paper: str) -> str:
        fitting = kind(name).fitting
        editions = {edition}
        if fitting == "gaps" and edition in ("worksheet", "answers"):
            editions.add("answers")
        elif fitting == "answer-lines" and edition != "answers":
            editions |= {"complete", "worksheet"}
        return digest(self.base, "handout", name, edition, variant, paper,
                      [(e, self._html(name, e, variant, paper)) for e in sorted(editions)])

    def pack_key(self, edition: str, variant: str, paper: str) -> str:
        """The combined pack: every handout, the sources page and the blank verso."""
        parts = [self.handout(name, edition, variant, paper) for name in self.pack.handouts()]
        extra = [self._html(n, edition, variant, paper) for n in ("sources", "blank")]
        return digest(self.base, "pack", edition, variant, paper, parts, extra)

    def booklet(self, edition: str, variant: str, paper: str, booklet_paper: str) -> str:
        small = self.pack_key(edition, variant, paper if variant != "standard" else booklet_paper)
        return digest(self.base, "booklet", edition, variant, paper, small)

    def class_set(self, edition: str, variant: str, paper: str, variants: list[str]) -> str:
        try:
            roster = Path(self.class_list).read_bytes()
        except OSError:
            roster = b""
        return digest(self.base, "class", edition, variant, paper, roster,
                      [self.pack_key(edition, v, paper) for v in sorted(set(variants))])
