"""Tagging: makes WeasyPrint's tagged PDFs a structure a screen reader can walk.

WeasyPrint (`pdf_tags=True`) builds the structure tree one page at a time and leaves these
defects, which this module mends in two steps:

- a table, list or section that runs over several pages becomes one element per page, and a
  table's header row, repeated on each page, is read again as real header cells;
- running headers, footers and page numbers are tagged but hang outside the tree (neither
  content a reader reaches nor an Artifact);
- an empty element (a worksheet gap, a ruled answer line) is silent, or left as an empty element;
- header cells carry no /Scope, and an element's `lang`, `aria-label` and `aria-hidden` are lost.

Step one, `install()`, wraps WeasyPrint's tree builder so that each structure element it makes
remembers its HTML element (a private /RevpackEl number, unique within one write), and carries
over what HTML says about it: `lang` as /Lang, `aria-label` as /Alt on an element with no text of
its own (a gap, an answer space), `aria-hidden="true"` (a decorative box) and a header cell's
`scope` as /Scope. Templates say what a gap is; this module only carries it across.

Step two, `finish(data)`, is a pikepdf post-pass over the written bytes: it joins the elements
of one HTML element split across consecutive pages into one, turns a table's repeated header rows
and the unreachable running headers and footers into `/Artifact /Pagination` (rewriting the
marked-content operators of the page content), turns hidden elements into Artifacts, removes
elements left with nothing to say, rebuilds the ParentTree and drops the private keys. It is a
pure function of the bytes, so two builds stay byte-identical.
"""

from __future__ import annotations

import contextlib
import contextvars
import io

#: The HTML elements seen during the current write: (id(element), tag) -> number.
_elements: contextvars.ContextVar[dict | None] = contextvars.ContextVar("tag_elements",
                                                                       default=None)

#: Private keys the hook writes and `finish` removes.
_EL, _HIDE = "/RevpackEl", "/RevpackHide"

#: Table structure kept even when empty: removing a cell would make the table irregular.
_KEEP_EMPTY = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}


def install() -> None:
    """Wrap WeasyPrint's structure-tree builder (once) so each element carries what its HTML says.

    If a future WeasyPrint renames the builder, PDFs are still written, just without this help;
    the accessibility tests would then fail and say so."""
    try:
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "_revpack_tagged", False):
        return
    import pydyf

    def build(box, parent, *args):
        for element in original(box, parent, *args):
            _annotate(pydyf, element, getattr(box, "_box", box), parent)
            yield element

    build._revpack_tagged = True
    tags._build_box_tree = build


@contextlib.contextmanager
def writing():
    """The scope of one `write_pdf`: element numbers start again from 0 (deterministic)."""
    token = _elements.set({})
    try:
        yield
    finally:
        _elements.reset(token)


def _annotate(pydyf, element, box, parent) -> None:
    seen = _elements.get()
    html = getattr(box, "element", None)
    if seen is None or html is None or not isinstance(getattr(html, "tag", None), str):
        return
    tag = getattr(box, "element_tag", None) or ""
    number = seen.setdefault((id(html), tag), len(seen))
    element["RevpackEl"] = number
    pseudo = "::" in tag
    outermost = parent.get("RevpackEl") != number
    if pseudo or not outermost:
        return
    if html.get("aria-hidden") == "true":
        element["RevpackHide"] = "true"
    lang = html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        element["Lang"] = pydyf.String(lang)
    label = (html.get("aria-label") or "").strip()
    if label and "Alt" not in element and not "".join(html.itertext()).strip():
        element["Alt"] = pydyf.String(label)
    if element.get("S") == "/TH":
        scope = (html.get("scope") or "col").lower()
        attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = {"row": "/Row", "rowgroup": "/Row"}.get(scope, "/Column")


def finish(data: bytes) -> bytes:
    """The tagged PDF `data` with its structure mended (see the module docstring)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return data
        _Mender(pikepdf, pdf, tree).run()
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 deterministic_id=True)
        return out.getvalue()


class _Mender:
    def __init__(self, pikepdf, pdf, tree):
        self.pk, self.pdf, self.tree = pikepdf, pdf, tree
        self.page_of = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        self.artifacts: dict[int, set[int]] = {}          # page index -> MCIDs to make Artifacts
        self.last_page: dict[tuple, int] = {}             # merged element -> its last page

    # --- helpers ---------------------------------------------------------------------------
    def kids(self, e) -> list:
        k = e.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, self.pk.Array) else [k]

    def is_elem(self, k) -> bool:
        return isinstance(k, self.pk.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR") \
            and "/S" in k

    def page(self, e, inherited=None):
        pg = e.get("/Pg")
        if pg is not None and pg.objgen in self.page_of:
            return self.page_of[pg.objgen]
        return inherited

    def key(self, e):
        el = e.get(_EL)
        return None if el is None else (int(el), str(e.get("/S")))

    # --- the pass ---------------------------------------------------------------------------
    def run(self) -> None:
        self.old_nums = list(self.tree.ParentTree.get("/Nums", []))
        roots = self.kids(self.tree)
        for r in roots:
            if self.is_elem(r):
                self.tidy(r)
        reachable = set()
        for r in roots:
            self.walk(r, lambda e, pg: reachable.add(e.objgen))
        self.unreachable_to_artifacts(reachable)
        for r in roots:
            if self.is_elem(r):
                self.prune(r, self.page(r))
        for r in roots:
            if self.is_elem(r):
                self.lift_links(r, None)
        self.rewrite_content()
        self.print_links()
        self.rebuild_parent_tree(roots)
        for r in roots:
            self.walk(r, self.strip)

    def walk(self, e, visit, pg=None) -> None:
        if not self.is_elem(e):
            return
        pg = self.page(e, pg)
        visit(e, pg)
        for k in self.kids(e):
            self.walk(k, visit, pg)

    def strip(self, e, pg) -> None:
        for private in (_EL, _HIDE):
            if private in e:
                del e[private]

    def tidy(self, e) -> None:
        """Join, among `e`'s children, an element and its continuation on the next page."""
        ks = self.kids(e)
        if e.get("/S") == "/Table":
            ks = self.drop_repeated_heads(ks)
        if e.get("/S") == "/L":
            ks = self.flatten_items(e, ks)
        out: list = []
        for k in ks:
            prev = out[-1] if out else None
            if (prev is not None and self.is_elem(k) and self.is_elem(prev)
                    and self.key(k) is not None and self.key(k) == self.key(prev)
                    and (self.page(k) or 0) > self.last_page.get(prev.objgen,
                                                                 self.page(prev) or 0)):
                self.absorb(prev, k)
                continue
            out.append(k)
        e.K = self.pk.Array(out)
        for k in out:
            if self.is_elem(k):
                if k.get(_HIDE) is not None:
                    self.to_artifacts(k)
                else:
                    self.tidy(k)
        if e.get("/S") == "/Table":
            self.drop_repeated_heads(self.kids(e), remap_only=True)

    def flatten_items(self, e, ks) -> list:
        """`<dl><div><dt>…<dd>…</div></dl>` (HTML allows the wrapper) gives an /L holding a /Div
        of /LIs; the items belong straight in the list."""
        out = []
        for k in ks:
            inner = self.kids(k) if self.is_elem(k) and k.get("/S") in ("/Div", "/NonStruct") \
                else []
            if inner and all(self.is_elem(i) and i.get("/S") == "/LI" for i in inner):
                for i in inner:
                    i.P = e
                out += inner
            else:
                out.append(k)
        return out

    def absorb(self, a, b) -> None:
        """Append `b`'s children to `a` (same HTML element, next page); `b` is dropped."""
        pg = b.get("/Pg")
        moved = []
        for k in self.kids(b):
            if isinstance(k, int) or (isinstance(k, self.pk.Object) and not isinstance(
                    k, self.pk.Dictionary)):
                k = self.pdf.make_indirect(self.pk.Dictionary(
                    Type=self.pk.Name.MCR, Pg=pg, MCID=int(k)))
            elif self.is_elem(k):
                k.P = a
            moved.append(k)
        a.K = self.pk.Array(self.kids(a) + moved)
        self.last_page[a.objgen] = self.page(b) or 0
        for extra in ("/Alt", "/Lang"):
            if extra in b and extra not in a:
                a[extra] = b[extra]

    def drop_repeated_heads(self, ks, remap_only=False):
        """A table's header rows repeated on later pages become Artifacts; the data cells that
        pointed at their header cells (/Headers) point at the first page's instead."""
        if not hasattr(self, "_id_map"):
            self._id_map = {}
        if not remap_only:
            first: dict = {}
            out = []
            for k in ks:
                key = self.key(k) if self.is_elem(k) else None
                if key and key[1] in ("/THead", "/TFoot"):
                    if key in first:
                        self._id_map.update(zip(self.header_ids(k), self.header_ids(first[key])))
                        self.to_artifacts(k)
                        continue
                    first[key] = k
                out.append(k)
            return out
        if self._id_map:
            for k in ks:
                self.walk(k, self.remap_headers)
        return ks

    def header_ids(self, e) -> list:
        ids = []
        self.walk(e, lambda x, pg: ids.append(str(x.ID)) if x.get("/S") == "/TH"
                  and "/ID" in x else None)
        return ids

    def remap_headers(self, e, pg) -> None:
        attributes = e.get("/A")
        if e.get("/S") == "/TD" and isinstance(attributes, self.pk.Dictionary) \
                and "/Headers" in attributes:
            seen, ids = set(), []
            for h in attributes.Headers:
                h = self._id_map.get(str(h), str(h))
                if h not in seen:
                    seen.add(h)
                    ids.append(self.pk.String(h))
            attributes.Headers = self.pk.Array(ids)

    def mcids(self, e, pg=None):
        """(page, MCID) of every marked-content sequence in the subtree of `e`."""
        pg = self.page(e, pg)
        for k in self.kids(e):
            if self.is_elem(k):
                yield from self.mcids(k, pg)
            elif isinstance(k, self.pk.Dictionary):
                if k.get("/Type") == "/MCR":
                    yield self.page(k, pg), int(k.MCID)
            else:
                yield pg, int(k)

    def to_artifacts(self, e) -> None:
        for pg, mcid in self.mcids(e):
            if pg is not None:
                self.artifacts.setdefault(pg, set()).add(mcid)
        e.K = self.pk.Array()
        e[_HIDE] = True                       # pruned below, having nothing left

    def unreachable_to_artifacts(self, reachable) -> None:
        """Running headers and footers: in the ParentTree but in no element of the tree."""
        nums = self.old_nums
        for i in range(0, len(nums) - 1, 2):
            index, entry = int(nums[i]), nums[i + 1]
            if not isinstance(entry, self.pk.Array) or index >= len(self.pdf.pages):
                continue
            for mcid, owner in enumerate(entry):
                if isinstance(owner, self.pk.Dictionary) and owner.objgen not in reachable:
                    self.artifacts.setdefault(index, set()).add(mcid)

    def prune(self, e, pg) -> bool:
        """Drop descendants with no content and nothing to say; whether `e` keeps anything."""
        pg = self.page(e, pg)
        out, content = [], False
        for k in self.kids(e):
            if self.is_elem(k):
                if k.get(_HIDE) is not None:
                    continue
                if self.prune(k, pg) or "/Alt" in k or "/ActualText" in k \
                        or k.get("/S") in _KEEP_EMPTY:
                    out.append(k)
                    content = True
            else:
                out.append(k)
                content = True
        e.K = self.pk.Array(out)
        return content

    def lift_links(self, e, link) -> None:
        """WeasyPrint hangs a link's annotation on the <span> inside the <a> that holds it;
        PDF/UA wants it in the /Link element: move it there (or make its holder the /Link)."""
        if e.get("/S") == "/Link":
            link = e
        kept = []
        for k in self.kids(e):
            if isinstance(k, self.pk.Dictionary) and k.get("/Type") == "/OBJR" \
                    and k.Obj.get("/Subtype") == "/Link" and e.get("/S") != "/Link":
                if link is None:
                    e.S = self.pk.Name.Link
                    link = e
                else:
                    link.K = self.pk.Array(self.kids(link) + [k])
                    continue
            kept.append(k)
        e.K = self.pk.Array(kept)
        for k in kept:
            if self.is_elem(k):
                self.lift_links(k, link)

    # --- page content -----------------------------------------------------------------------
    def rewrite_content(self) -> None:
        pk = self.pk
        artifact = [pk.Name.Artifact, pk.Dictionary(Type=pk.Name.Pagination)]
        for index, mcids in sorted(self.artifacts.items()):
            page = self.pdf.pages[index]
            for holder in [page, *self.forms(page.obj.get("/Resources"), set())]:
                ops = pk.parse_content_stream(holder)
                changed = False
                for n, ins in enumerate(ops):
                    operands, op = ins.operands, ins.operator
                    if str(op) == "BDC" and len(operands) == 2 and isinstance(
                            operands[1], pk.Dictionary) and "/MCID" in operands[1] \
                            and int(operands[1].MCID) in mcids:
                        ops[n] = pk.ContentStreamInstruction(artifact, op)
                        changed = True
                if changed:
                    data = pk.unparse_content_stream(ops)
                    if holder is page:
                        page.Contents = self.pdf.make_stream(data)
                    else:
                        holder.write(data)

    def print_links(self) -> None:
        """Links carry the Print flag, so a reader meets the same links on screen and on paper
        (they draw nothing)."""
        for page in self.pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    annot.F = int(annot.get("/F", 0)) | 4

    def forms(self, resources, seen):
        xobjects = resources.get("/XObject") if isinstance(resources, self.pk.Dictionary) \
            else None
        if not isinstance(xobjects, self.pk.Dictionary):
            return
        for name in sorted(xobjects.keys()):
            x = xobjects[name]
            if x.get("/Subtype") == "/Form" and x.objgen not in seen:
                seen.add(x.objgen)
                yield x
                yield from self.forms(x.get("/Resources"), seen)

    def rebuild_parent_tree(self, roots) -> None:
        pk = self.pk
        owners: dict[tuple, object] = {}
        annots: dict[int, object] = {}

        def visit(e, pg):
            for k in self.kids(e):
                if isinstance(k, pk.Dictionary):
                    if k.get("/Type") == "/MCR":
                        owners[(self.page(k, pg), int(k.MCID))] = e
                    elif k.get("/Type") == "/OBJR" and "/StructParent" in k.Obj:
                        annots[int(k.Obj.StructParent)] = e
                elif not self.is_elem(k):
                    owners[(pg, int(k))] = e

        for r in roots:
            self.walk(r, visit)
        nums = []
        old = self.old_nums
        for i in range(0, len(old) - 1, 2):
            index, entry = int(old[i]), old[i + 1]
            if isinstance(entry, pk.Array):
                arr = [owners.get((index, m)) for m in range(len(entry))]
                nums += [index, pk.Array([o if o is not None else None for o in arr])]
            elif index in annots:
                nums += [index, annots[index]]
        self.tree.ParentTree = self.pdf.make_indirect(pk.Dictionary(Nums=pk.Array(nums)))
