"""The registry of handout kinds: a toy kind added at test time is read, checked, viewed, styled,
built and listed like the others, and no stage keeps a list of handouts of its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import revpack
from revpack import handouts
from revpack.blocks import ITEM
from revpack.build import check
from revpack.diagnostics import Diagnostic, Diagnostics, Location
from revpack.handouts import ContentFile, Kind
from revpack.load import load_pack
from revpack.readers import _Reader

from .conftest import messages, pdftotext

SRC = Path(revpack.__file__).parent


# --- a toy kind: sayings, each with a speaker a worksheet may blank -----------------------------

class SayingsReader(_Reader):
    handout = "sayings"
    items = "sayings"
    default_title = "Sayings"

    def read(self) -> dict:
        title, intro, sections = self.split_sections()
        sayings = []
        for heading, blocks in sections:
            self.stray(blocks, (ITEM,), "in a saying")
            found = self.fields(heading, blocks, ("Speaker", "Words"))
            if len(found) == 2:
                sayings.append({"speaker": found["Speaker"][0], "words": found["Words"][0],
                                "loc": self.loc(heading)})
        return {"title": title, "sayings": sayings, "settings": self.settings,
                "loc": self.src.loc(1)}


def view(b, part) -> dict:
    opts = b.worksheet_options("sayings", part["settings"])
    notes = b.pack.content.get("notes")
    items = [{"speaker": b.gap(b.md(s["speaker"], s["loc"]), s["speaker"], True, "narrow"),
              "words": b.md(s["words"], s["loc"])} for s in part["sayings"]]
    ctx = b.common("sayings", part["title"], "", opts, part["loc"])
    ctx.update({"sayings": items, "word_bank": b.word_bank("sayings", opts),
                "notes": notes or [], "paper": b.look.paper})
    return ctx


def too_long(document, look, part):
    if len(document.pages) > 1:
        return [Diagnostic(part["loc"], "error", f"the sayings run to {len(document.pages)} "
                           f"pages on {look.paper}; they must fit on one")]
    return []


SAYINGS = Kind(
    name="sayings", file="sayings.md", label="the sayings", title="Sayings",
    read=lambda parsed, diags, period: SayingsReader(parsed, diags, period).read(),
    view=view, noun=("saying", "sayings"), count=lambda part: len(part["sayings"]),
    optional=("notes",),
    worksheet={"blank": ["speaker"], "proportion": 1.0, "word_bank": True},
    blankable=("speaker",), template_doc="Toy sayings.", check_layout=too_long,
    context={"sayings": "The sayings.", "sayings[].speaker": "Who said it (field).",
             "sayings[].words": "What they said.", "notes": "Notes, from notes.md.",
             "paper": "The paper size."},
)
NOTES = ContentFile("notes", "notes.md", lambda parsed, diags: [b.text for b in parsed.blocks],
                    noun=("note", "notes"), count=len)

TEMPLATE = """{% extends "base.html" %}
{% block content %}
<p class="paper">Paper {{ paper }}</p>
{% for n in notes %}<p class="note">{{ n }}</p>{% endfor %}
<ul>{% for s in sayings %}<li><q>{{ s.words }}</q> ({{ ui.field(s.speaker) }})</li>{% endfor %}</ul>
{% endblock %}
"""
SAYINGS_MD = """\
# Famous words

## Collective security
- Speaker: Maxim Litvinov
- Words: Peace is indivisible.

## Socialism in one country
- Speaker: Joseph Stalin
- Words: We are fifty or a hundred years behind the advanced countries.
"""


@pytest.fixture
def toy():
    handouts.register(SAYINGS)
    handouts.register(NOTES)
    yield
    handouts.unregister("sayings")
    handouts.unregister("notes")


@pytest.fixture
def toy_pack(make_pack, toy):
    return make_pack({"sayings.md": SAYINGS_MD, "templates/sayings.html": TEMPLATE,
                      "styles/sayings.css": ".note { font-style: italic; }\n"})


def test_the_bundled_kinds_are_registered_in_pack_order():
    assert handouts.names()[:4] == ("timeline", "treaties", "historiography", "exam")
    assert [k.file for k in handouts.kinds()][:4] == ["timeline.md", "treaties.md",
                                                      "historiography.md", "exam.md"]
    for name in ("organiser", "flashcards", "findfix"):   # made from the other files
        assert name in handouts.names() and handouts.kind(name).file is None
    with pytest.raises(ValueError):
        handouts.register(handouts.kind("timeline"))


def test_a_toy_kind_is_built_like_the_others(toy_pack, tmp_path):
    result = revpack.build(toy_pack, out=tmp_path / "out", editions=("complete", "worksheet"))
    names = {f.path.name for f in result.files}
    assert {"sayings-complete.pdf", "sayings-worksheet.pdf"} <= names
    folder = result.out_dir
    complete = pdftotext(folder / "sayings-complete.pdf")
    assert "Peace is indivisible" in complete and "Maxim Litvinov" in complete
    assert "Paper a4" in complete and "Sayings" in complete      # the look reaches the view
    worksheet = pdftotext(folder / "sayings-worksheet.pdf")
    assert "Peace is indivisible" in worksheet and "Maxim Litvinov" not in worksheet.split(
        "Word bank")[0]
    # It joins the combined pack, after the exam, and the contents page lists it by its title.
    pack_text = pdftotext(folder / "pack-complete.pdf")
    assert pack_text.index("Exam practice") < pack_text.rindex("Peace is indivisible")
    assert "Sayings" in pdftotext(folder / "pack-complete.pdf", 1, 2)
    # The download page groups its PDFs under its title.
    assert "Sayings — complete notes" in (folder / "index.html").read_text(encoding="utf-8")


def test_a_kind_reads_an_optional_content_file_when_present(toy_pack, tmp_path):
    (toy_pack / "notes.md").write_text("Said in the 1930s.\n", encoding="utf-8")
    checked = check(toy_pack)
    assert checked.pack.content["notes"] == ["Said in the 1930s."]
    assert checked.pack.notes == ["Said in the 1930s."]
    assert checked.summary().endswith("2 sayings, 1 note")
    from revpack.html import Templating
    html = Templating(checked.pack, checked.diagnostics, None).html("sayings", "complete")
    assert '<p class="note">Said in the 1930s.</p>' in html


def test_without_the_optional_file_the_kind_builds_with_no_warning(toy_pack):
    checked = check(toy_pack)
    assert "notes" not in checked.pack.content and checked.pack.notes is None
    assert "sayings" in checked.pack.handouts()
    assert checked.summary().endswith("2 sayings")         # no "0 notes" for an absent file
    # The mini pack's own two warnings, and nothing about the sayings or their notes.
    assert {d.location.path.name for d in checked.diagnostics.items} == {"timeline.md", "exam.md"}


def test_a_kind_that_needs_a_missing_file_is_not_built(make_pack, toy):
    needy = Kind(name="needy", label="the needy page", title="Needy", view=view,
                 needs=("notes",))
    handouts.register(needy)
    try:
        folder = make_pack({})
        assert "needy" not in load_pack(folder, Diagnostics()).handouts()
        (folder / "notes.md").write_text("A note.\n", encoding="utf-8")
        pack = load_pack(folder, Diagnostics())
        assert list(pack.handouts())[:4] == ["timeline", "treaties", "historiography", "exam"]
        assert list(pack.handouts())[-1] == "needy"
        assert pack.handouts()["needy"] is None          # no file of its own
    finally:
        handouts.unregister("needy")


def test_a_kind_contract_and_template_list_come_from_the_registry(toy_pack):
    from revpack.html import CONTEXT, TEMPLATES, Templating, context_names

    assert TEMPLATES["sayings.html"] == "Toy sayings."
    checked = check(toy_pack)
    templating = Templating(checked.pack, checked.diagnostics, None)
    got = set()
    for edition in ("complete", "worksheet", "answers"):
        got |= context_names(templating.context("sayings", edition))
    assert got == set(CONTEXT["sayings.html"])


def test_a_kind_settings_are_checked_from_its_declaration(toy_pack):
    (toy_pack / "sayings.md").write_text("---\nworksheet:\n  blank: [spekaer]\n---\n"
                                         + SAYINGS_MD, encoding="utf-8")
    found = messages(toy_pack)
    assert any("sayings.md:3: error: unknown blanking option 'spekaer' for the sayings" in m
               and "speaker" in m for m in found), found
    yaml = (toy_pack / "pack.yaml").read_text(encoding="utf-8")
    (toy_pack / "pack.yaml").write_text(yaml + "worksheet:\n  sayngs:\n    proportion: 0.5\n",
                                        encoding="utf-8")
    found = messages(toy_pack)
    assert any("unknown handout 'sayngs'" in m and "sayings" in m for m in found), found


def test_a_kind_layout_check_stops_the_build_at_its_file(toy_pack, tmp_path):
    from revpack.diagnostics import RevpackError

    long = SAYINGS_MD + "".join(f"\n## Saying {i}\n- Speaker: Someone {i}\n- Words: "
                                f"{'Words upon words. ' * 20}\n" for i in range(40))
    (toy_pack / "sayings.md").write_text(long, encoding="utf-8")
    with pytest.raises(RevpackError) as caught:
        revpack.build(toy_pack, out=tmp_path / "out", editions=("complete",))
    (d,) = caught.value.diagnostics
    assert d.location == Location(toy_pack / "sayings.md", 1)
    assert re.search(r"the sayings run to \d+ pages on a4", d.message)
    assert not (tmp_path / "out" / "pack" / "timeline-complete.pdf").exists()


def test_every_stage_takes_its_kinds_from_the_registry(toy, tmp_path):
    from revpack import settings
    from revpack.build import booklet_css
    from revpack.pdf import _render_error
    from revpack.source import decode_source
    from revpack.styles import handout_sheets

    assert "sayings.css" in handout_sheets()
    assert "the sayings (worksheet edition) is too long" in str(
        _render_error(None, "sayings-worksheet", "is too long", "").diagnostics[0])
    diags = Diagnostics()
    decode_source(tmp_path / "sayings.md", b"  \n", diags)
    assert "delete the file if you do not want that handout" in str(diags.items[0])
    assert ".handout-sayings" not in booklet_css() and ".handout-treaties" in booklet_css()
    assert settings.sections()[:2] == ("worksheet", "exam") and settings.sections()[-1] == "print"
    assert {"organiser", "flashcards", "findfix"} <= set(settings.sections())


def test_no_module_outside_handouts_names_a_kind():
    """Kind names and files appear only in handouts/: other stages ask the registry. ("exam" is
    also the theme's exam conventions, so only its file name is looked for.)"""
    names = {"timeline", "treaties", "historiography"}
    files = {k.file for k in handouts.kinds()} | {k.stylesheet for k in handouts.kinds()} \
        | {k.template for k in handouts.kinds()}
    found = []
    for path in sorted(SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
                      and n.body and isinstance(n.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings and node.value in names | files:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    assert not found, found
