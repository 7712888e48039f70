"""A fuzzer over the content parser: whatever a pack's files hold, revpack fails only with its own error.

Each test puts generated content (arbitrary bytes, arbitrary text, or text built from the pieces
the format is made of: headings, fields, dates, brackets, HTML, YAML) into one file of a valid
pack and runs `revpack.build.check`, which decodes, parses, validates and builds every edition's
views (so the Markdown renderer and the HTML sanitiser run too). The only exception allowed out
is `RevpackError`; anything else, or an example slower than the deadline, is a bug.

CI runs a few hundred examples in all. For a long run:

    REVPACK_FUZZ_EXAMPLES=5000 python -m pytest -q tests/test_fuzz.py
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revpack.build import check
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.prose import ProseRenderer

BASE = Path(__file__).parent / "bad_inputs" / "_base"
FILES = ("pack.yaml", "timeline.md", "treaties.md", "historiography.md", "exam.md")
EXAMPLES = int(os.environ.get("REVPACK_FUZZ_EXAMPLES", "50"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=5),          # a hang or a quadratic blow-up fails the test
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)

#: The pieces revpack's format is made of, and the characters that trip parsers up.
FRAGMENTS = [
    "# ", "## ", "### ", "#### ", "- ", "* ", "  - ", "    - ", "> ", ">> ", "1. ", "\n", "\n\n",
    "  ", "---\n", "...\n", "**", "*", "_", "__", "`", "``", "[", "]", "(", ")", "![", "](", "<",
    ">", "</", "<img src=", "<a href=", "<script>", "</script>", "<style>", "<table><tr><td>",
    "</td></tr>", "<span style='x'>", "<b onclick=x>", "<!--", "-->", "&", "&#", "&amp;",
    "&#x0;", "\\", ":", ": ", "Date: ", "Place: ", "Parties: ", "Terms: ", "Significance: ",
    "Marks: ", "Lines: ", "Paper: ", "Summary: ", "Level 1: 1–4 marks — ", "Level 2: 9–5 marks",
    "Indicative content:", "Historians:", "Argument: ", "Evidence: ", "Criticisms: ",
    "Provenance: ", "### Source A", "### Extract 1", "### Mark scheme", "Source B",
    "16 Apr 1922", "Apr 1922", "1922", "1924–25", "c. 1933", "10–12 Sep 1934", "31 Feb 1923",
    "1899–01", "9999", "0", "—", "–", " -- ", "{{ 7*7 }}", "{% include 'x' %}", "title: ",
    "worksheet:", "  blank: ", "proportion: ", "exam:", "instructions:", "sources:", "&a ",
    "*a", "!!python/object:os.system", "[treaty]", "[war]", "[x]", "http://127.0.0.1:9/",
    "file:///etc/passwd", "data:,x", "javascript:", "../", "/etc/", "images/x.png", '"', "'",
    "\t", "\r\n", "\r", "\x00", "\x1b[31m", "\ufeff", "\u202e", "\u00a0", "é", "²", "٣", "|",
    "x", "y z",
]

markdownish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)),
                       max_size=80).map("".join)


BASE_TEXT = {name: (BASE / name).read_text(encoding="utf-8") for name in FILES}


def _write(pack: Path, name: str, text: str) -> None:
    """Put the clean pack back, then `text` in one file (examples share the folder)."""
    for other, clean in BASE_TEXT.items():
        (pack / other).write_text(clean, encoding="utf-8")
    (pack / name).write_text(text, encoding="utf-8", errors="surrogatepass")


def _check_only_revpack_errors(pack: Path) -> None:
    try:
        result = check(pack)
    except RevpackError as exc:
        assert exc.diagnostics, "a RevpackError always says what is wrong"
        assert all("\n" not in str(d) for d in exc.diagnostics)
        assert any(d.severity == "error" for d in exc.diagnostics)
    else:
        assert not result.diagnostics.has_errors()


@pytest.fixture
def pack(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(BASE, root)
    return root


@pytest.mark.parametrize("name", FILES)
@FUZZ
@given(data=st.binary(max_size=400))
def test_any_bytes(pack, name, data):
    (pack / name).write_bytes(data)
    _check_only_revpack_errors(pack)


@pytest.mark.parametrize("name", FILES)
@FUZZ
@given(text=st.text(max_size=300))
def test_any_text(pack, name, text):
    _write(pack, name, text)
    _check_only_revpack_errors(pack)


@pytest.mark.parametrize("name", FILES)
@FUZZ
@given(text=markdownish)
def test_format_shaped_text(pack, name, text):
    _write(pack, name, text)
    _check_only_revpack_errors(pack)


@FUZZ
@given(text=markdownish, where=st.sampled_from(["terms", "question", "source", "intro", "event"]))
def test_any_prose_in_a_valid_pack(pack, text, where):
    """Generated prose where the structure stays valid, so the views and the sanitiser run."""
    one_line = " ".join(text.split()) or "x"
    paragraph = "\n".join(line for line in text.replace("\r", "\n").split("\n")
                          if line.strip()) or "x"
    edits = {
        "terms": ("treaties.md", "- Terms: Neutrality if either is attacked.", "- Terms: " + one_line),
        "question": ("exam.md", "**Analyse** the value of Source A.", "Source A. " + paragraph),
        "source": ("exam.md", "> Text of the source.", "> " + one_line),
        "intro": ("timeline.md", "# Timeline\n", "# Timeline\n\n" + paragraph + "\n"),
        "event": ("timeline.md", "Bolsheviks seize power in Petrograd.", one_line),
    }
    name, old, new = edits[where]
    _write(pack, name, BASE_TEXT[name].replace(old, new))
    _check_only_revpack_errors(pack)


#: Places in a valid pack where one short value is parsed: (file, text to replace, template).
SLOTS = {
    "event date": ("timeline.md", "**16 Apr 1922**", "**{v}**"),
    "event kind": ("timeline.md", "Germany. [treaty]", "Germany. [{v}]"),
    "treaty date": ("treaties.md", "- Date: 24 Apr 1926", "- Date: {v}"),
    "field name": ("treaties.md", "- Terms: Neutrality", "- {v}: Neutrality"),
    "marks": ("exam.md", "- Marks: 25", "- Marks: {v}"),
    "lines": ("exam.md", "- Marks: 4", "- Marks: 4\n- Lines: {v}"),
    "level": ("exam.md", "- Level 2: 13–25 marks — Good.", "- Level 2: {v}"),
    "source label": ("exam.md", "### Source A", "### Source {v}"),
    "historian": ("historiography.md", "G. Roberts, *The Unholy Alliance* (1989)", "{v}"),
    "period": ("pack.yaml", 'period: "1917–1939"', "period: {q}"),
    "title": ("pack.yaml", 'title: "Mini pack"', "title: {v}"),
    "language": ("pack.yaml", "language: en-GB", "language: {q}"),
    "max_file_bytes": ("pack.yaml", "author: Test author", "author: Test author\nmax_file_bytes: {v}"),
    "worksheet option": ("pack.yaml", "author: Test author",
                         "author: Test author\nworksheet:\n  treaties:\n    {v}: 1"),
    "proportion": ("pack.yaml", "author: Test author",
                   "author: Test author\nworksheet:\n  timeline:\n    proportion: {v}"),
    "blank": ("pack.yaml", "author: Test author",
              "author: Test author\nworksheet:\n  treaties:\n    blank: [{v}]"),
    "exam option": ("exam.md", 'time_allowed: "1 hour"', 'time_allowed: "1 hour"\nlines_per_mark: {v}'),
    "instructions": ("exam.md", 'time_allowed: "1 hour"',
                     'time_allowed: "1 hour"\ninstructions:\n  - {q}'),
}

#: Short values: numbers in any script, dates and their pieces, YAML and Markdown specials.
values = st.one_of(
    st.text(max_size=40).map(lambda t: " ".join(t.split())),
    st.lists(st.sampled_from(["1", "16", "1922", "99999999999", "-1", "0.5", "1e9", "nan", "²",
                              "٣", "Apr", "april", "Sept.", "c.", "–", "—", "-", "to", " ",
                              ",", "[", "]", "*", "_", ":", "&a", "*a", "!!", "{", "}", "yes",
                              "null", "~", "'", '"', "\\", "\x00", "\u202e", "Level", "marks"]),
             max_size=8).map("".join),
)


@FUZZ
@given(slot=st.sampled_from(sorted(SLOTS)), value=values)
def test_any_value_in_any_slot(pack, slot, value):
    """One value where a date, a number, a name or a setting is parsed."""
    import json

    name, old, template = SLOTS[slot]
    assert old in BASE_TEXT[name]
    new = template.replace("{v}", value).replace("{q}", json.dumps(value))
    _write(pack, name, BASE_TEXT[name].replace(old, new))
    _check_only_revpack_errors(pack)


@FUZZ
@given(text=st.one_of(markdownish, st.text(max_size=400)), inline=st.booleans())
def test_the_prose_renderer_never_raises(tmp_path, text, inline):
    diags = Diagnostics()
    html = ProseRenderer(tmp_path, diags).render(text, None, inline=inline)
    assert "<script" not in html.lower() and "<style" not in html.lower()
    assert not [a for a in _attribute_names(html) if a.startswith("on") or a == "style"]
    assert all(d.severity in ("error", "warning") for d in diags.items)


def _attribute_names(html: str) -> list[str]:
    """The name of every attribute kept (values are quoted and escaped, so this is exact)."""
    import re

    return [m.group(1).lower() for m in re.finditer(r'\s([\w-]+)="', html)]


# --- symlinks: whatever links a pack holds, nothing outside it is read --------------------------

#: Where a pack may hold a link, and where the link may lead: out of the pack (to /, to a folder
#: holding a secret dressed as a theme, to the secret file, two levels up) or inside it.
LINK_PLACES = ["templates", "styles", "images", "out", "themes/t", "themes/t/templates",
               "themes/t/styles", "themes/t/fonts", "styles/base.css", "styles/exam.css",
               "templates/exam.html", "templates/notes.txt", "themes/t/templates/exam.html",
               "themes/t/theme.yaml", "images/logo.svg"]
LINK_TARGETS = ["/", "{outside}", "{outside}/secret.txt", "{outside}/styles", "../..",
                "{pack}/shared", "{pack}/shared/exam.css"]
SECRET_TEXT = "SECRET-MARKER-fuzz"


def _outside_folder(root: Path) -> Path:
    """A folder outside the pack holding a secret, laid out like a theme to tempt every reader."""
    outside = root / "outside"
    for sub in ("styles", "templates", "fonts"):
        (outside / sub).mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET_TEXT + "\n", encoding="utf-8")
    (outside / "theme.yaml").write_text("name: outside\n", encoding="utf-8")
    for sheet in ("base.css", "exam.css", "styles/base.css", "styles/exam.css"):
        (outside / sheet).write_text(f'h1::before {{ content: "{SECRET_TEXT}"; }}\n')
    for page in ("exam.html", "templates/exam.html"):
        (outside / page).write_text(f"{SECRET_TEXT} {{% include 'notes.txt' %}}\n")
    return outside


def _pack_with_links(root: Path, links, theme: bool, extends: str | None) -> Path:
    pack = root / "pack"
    shutil.copytree(BASE, pack)
    (pack / "shared").mkdir()
    (pack / "shared" / "exam.css").write_text("h1 { letter-spacing: 0.01em; }\n")
    (pack / "templates").mkdir()
    (pack / "templates" / "exam.html").write_text(
        '{% extends "!default/exam.html" %}{% block content %}{% include "notes.txt" ignore '
        'missing %}{{ super() }}{% endblock %}\n')
    (pack / "themes" / "t").mkdir(parents=True)
    (pack / "themes" / "t" / "theme.yaml").write_text(
        "name: t\n" + (f"extends: {extends}\n" if extends else ""), encoding="utf-8")
    if theme:
        with open(pack / "pack.yaml", "a", encoding="utf-8") as fh:
            fh.write("theme: t\n")
    outside = _outside_folder(root)
    for place, target in links:
        path = pack / place
        if any(p.is_symlink() for p in path.parents if pack in p.parents):
            continue                # inside an earlier link: not a place this pack has
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target.format(outside=outside, pack=pack))
    return pack


# Each example checks a whole pack and renders it: heavier than one parse, so a longer deadline
# (a hang would still fail it; nothing here grows with the input).
@settings(FUZZ, max_examples=max(10, EXAMPLES // 3), deadline=timedelta(seconds=60))
@given(links=st.lists(st.tuples(st.sampled_from(LINK_PLACES), st.sampled_from(LINK_TARGETS)),
                      max_size=3, unique_by=lambda link: link[0]),
       theme=st.booleans(),
       extends=st.sampled_from([None, "{outside}", "../../../outside", "../../shared"]))
def test_no_symlink_layout_lets_a_check_read_outside_the_pack(tmp_path, links, theme, extends):
    """Whatever links a pack holds, `check` gives revpack errors only, quotes no secret, and a
    pack it passes renders every template and stylesheet without the secret."""
    import tempfile

    from revpack.html import Templating
    from revpack.styles import Stylesheets

    root = Path(tempfile.mkdtemp(dir=tmp_path))
    extends = extends.format(outside=root / "outside") if extends else None
    pack = _pack_with_links(root, links, theme, extends)
    try:
        result = check(pack)
    except RevpackError as exc:
        assert exc.diagnostics and all("\n" not in str(d) for d in exc.diagnostics)
        assert SECRET_TEXT not in " ".join(str(d) for d in exc.diagnostics)
        return
    templating = Templating(result.pack, Diagnostics(), None)
    for handout in ("exam", "timeline"):
        assert SECRET_TEXT not in templating.html(handout, "complete")

    class Reader:                      # reads each sheet the cascade names, as a build would
        jail = templating.chain.jail

        def stylesheet(self, path):
            return self.jail.read_text(path)

        def css_string(self, text, base):
            return text

    sheets = Stylesheets(Reader(), templating.chain, templating.settings, "a4")
    assert not any(SECRET_TEXT in text for text in sheets.for_handout("exam"))


# --- templates that try to grow without end (issue 10, item 2) -----------------------------------

#: Sizes a hostile template might ask for.
SIZES = st.sampled_from(["0", "1", "3", "80", "1000", "99999", "100001", "10**6", "10**9",
                         "2**62", "-1", "-10**9"])


def _grown(value: str, draw_size) -> st.SearchStrategy:
    n = draw_size
    return st.sampled_from([
        f"{value} ~ {value}", f"{value} + {value}", f"{value} * {n}", f"({value}) ** {n}",
        f"'%{n[:6]}s' % {value}", f"{value}|center({n})", f"{value}|indent({n})",
        f"{value}|wordwrap({n})", f"'%s%s'|format({value}, {value})", f"{value}|join({value})",
        f"{value}|replace('', {value})", f"{value}|batch({n}, 'x')|list",
        f"{value}|slice({n})|list", f"{value}|round({n})", f"{value}|sum(start=[])",
        f"lipsum({n})", f"{value}.center({n})", f"{value}.ljust({n})", f"{value}.zfill({n})",
        f"{value}.expandtabs({n})", f"{value}.replace('', {value})", f"{value}.join({value})",
        f"'{{:>{n[:6]}}}'.format({value})", f"({value}).append({value}) or {value}",
        f"({value}).extend({value}) or {value}", f"({value}).insert(0, {value}) or {value}",
        f"({n}).to_bytes({n}, 'big')", f"{value}|list", f"{value}|string",
    ])


growth_expressions = st.deferred(lambda: st.one_of(
    st.sampled_from(["ns.v", "'ab'", "'\\t'", "[1, 2]", "i", "10"]),
    st.tuples(growth_expressions, SIZES).flatmap(lambda vs: _grown(*vs)),
))


@FUZZ
@given(expression=growth_expressions, loops=st.sampled_from(["99", "100000"]),
       block=st.booleans())
def test_templates_that_grow_meet_a_located_limit(tmp_path_factory, monkeypatch, expression,
                                                   loops, block):
    """A theme template that builds something larger and larger, in a loop: the render ends
    with a RevpackError at the template's own line, or succeeds; never anything else."""
    from revpack import html
    from revpack.html import Templating
    from revpack.load import load_pack

    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 1.0)
    root = tmp_path_factory.mktemp("theme")
    assign = ("{% set v %}{{ " + expression + " }}{% endset %}{% set ns.v = v %}" if block
              else "{% set ns.v = " + expression + " %}")
    (root / "templates").mkdir()
    (root / "theme.yaml").write_text("name: t\ncontract: 1\n", encoding="utf-8")
    template = root / "templates" / "timeline.html"
    template.write_text('{% extends "!default/timeline.html" %}\n{% block content %}'
                        "{% set ns = namespace(v='x') %}{% for i in range(" + loops + ") %}"
                        + assign + "{% endfor %}{{ ns.v|length }}{% endblock %}\n",
                        encoding="utf-8")
    pack = load_pack(BASE, Diagnostics())
    try:
        Templating(pack, Diagnostics(), str(root)).html("timeline", "complete")
    except RevpackError as exc:
        (d,) = exc.diagnostics
        assert (d.location.path, d.location.line) == (template, 2), str(d)
