"""Themes: lookup order, !default/ extends, settings, the sandbox, errors, the `revpack theme`
commands and the two built-in exam themes. Rendering is kept to a few builds of the mini pack's
complete edition; everything else checks HTML, which is fast."""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import textwrap
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

import revpack
from revpack.build import check, html_for
from revpack.cli import app
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.html import CONTEXT, Templating, context_names, make_environment
from revpack.resources import resource_dir
from revpack.styles import Stylesheets, default_custom_properties, settings_css
from revpack.themes import (
    SETTINGS, check_settings, default_theme, read_theme, theme_chain,
)

from .conftest import FIXTURES, page_texts, pdftotext

THEMES = FIXTURES / "themes"
LOOKUP = THEMES / "lookup"
runner = CliRunner()


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def error_text(excinfo) -> str:
    return "\n".join(str(d) for d in excinfo.value.diagnostics)


# --- lookup order --------------------------------------------------------------------------------

def test_chain_is_pack_then_theme_then_its_parents_then_default():
    chain = theme_chain("child", LOOKUP / "pack", cwd=LOOKUP)
    assert [t.name for t in chain] == ["pack", "child", "parent", "default"]


def test_templates_come_from_the_first_layer_that_has_them():
    env = make_environment(theme_chain("child", LOOKUP / "pack", cwd=LOOKUP))
    render = lambda name: env.get_template(name).render().strip()  # noqa: E731
    assert render("layer.html") == "pack layer"
    assert render("child_and_parent.html") == "child layer"
    assert render("parent_only.html") == "parent layer"
    assert render("extends_parent.html") == "parent layer"        # !parent/ skips pack, child
    assert "{% block content %}" in env.loader.get_source(env, "!default/base.html")[0]


def test_stylesheets_cascade_from_default_to_pack():
    class Recorder:
        roots = [LOOKUP, resource_dir()]

        def stylesheet(self, path):
            return Path(path)

        def css_string(self, text, base):
            return "settings" if ":root" in text else "paper"

    chain = theme_chain("child", LOOKUP / "pack", cwd=LOOKUP)
    sheets = Stylesheets(Recorder(), chain, {}, "a4").for_handout("exam")
    styles = resource_dir() / "styles"
    assert sheets == [styles / "base.css", styles / "exam.css", "settings",
                      LOOKUP / "themes/parent/styles/base.css",
                      LOOKUP / "themes/child/styles/exam.css",
                      LOOKUP / "pack/styles/base.css", LOOKUP / "pack/styles/exam.css", "paper"]


def test_settings_of_the_chosen_theme_win_over_its_parents():
    templating = Templating(check(FIXTURES / "mini").pack, Diagnostics(), str(LOOKUP / "themes"
                                                                             / "child"))
    assert templating.settings["tariff_format"] == "({marks})"       # child
    assert templating.settings["brand_name"] == "Parent Board"        # parent
    assert templating.settings["turn_over"] == "Turn over ►"          # default


def test_unknown_theme_lists_the_available_ones(tmp_path):
    with pytest.raises(RevpackError) as excinfo:
        theme_chain("edexcel-styl", None, cwd=tmp_path)
    text = error_text(excinfo)
    assert "unknown theme 'edexcel-styl'" in text and "did you mean 'edexcel-style'" in text
    assert "available: default, aqa-style, edexcel-style" in text


def test_an_extends_cycle_is_an_error_at_the_manifest_line():
    with pytest.raises(RevpackError) as excinfo:
        theme_chain("a", None, cwd=THEMES / "cycle")
    text = error_text(excinfo)
    assert "'extends' makes a cycle (a → b → a)" in text
    assert re.search(r"theme\.yaml:2: error", text)


def test_a_pack_can_choose_its_theme_in_pack_yaml(make_pack):
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    pack = make_pack({"themes/house/theme.yaml": "name: house\nsettings:\n  brand_name: House\n",
                      "pack.yaml": manifest + "theme: house\n"})
    assert Templating(check(pack).pack, Diagnostics(), None).brand["name"] == "House"
    (pack / "pack.yaml").write_text(manifest + "theme: nowhere\n", encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        Templating(check(pack).pack, Diagnostics(), None)
    line = manifest.count("\n") + 1
    assert f"pack.yaml:{line}: error: unknown theme 'nowhere'" in error_text(excinfo)


# --- templates: !default/, contract, sandbox, errors ---------------------------------------------

def test_a_template_can_extend_the_default_template_it_overrides():
    html = html_for(FIXTURES / "mini", "exam", theme=str(THEMES / "extend-default"))
    assert "MARKER-TARIFF [25\u00a0marks]" in html
    assert 'class="candidate"' in html and "END OF QUESTIONS" in html   # the rest is default's


def test_every_handout_template_fills_the_content_block():
    from jinja2 import nodes
    env = make_environment([default_theme()])
    for name in ("timeline.html", "treaties.html", "historiography.html", "exam.html",
                 "sources.html"):
        tree = env.parse(env.loader.get_source(env, name)[0])
        assert "content" in [b.name for b in tree.find_all(nodes.Block)], name


@pytest.mark.parametrize("theme", ["default", "aqa-style", "edexcel-style"])
def test_the_contract_lists_exactly_the_variables_templates_receive(theme):
    templating = Templating(check(FIXTURES / "mini").pack, Diagnostics(), theme)
    for handout in ("timeline", "treaties", "historiography", "exam", "sources", "blank"):
        got = set()
        for edition in ("complete", "worksheet", "answers"):
            got |= context_names(templating.context(handout, edition))
        assert got == set(CONTEXT[f"{handout}.html"]), handout


def test_the_committed_theme_guide_matches_the_generated_reference():
    result = runner.invoke(app, ["theme", "contract", "--check",
                                 str(Path(__file__).resolve().parents[1] / "docs" / "themes.md")])
    assert result.exit_code == 0, result.output


def _theme_with(tmp_path: Path, template: str, files: dict | None = None) -> Path:
    root = write(tmp_path / "t", {"theme.yaml": "name: t\ncontract: 1\n",
                                  "templates/timeline.html": template, **(files or {})})
    return root


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__",
    "().__class__.__bases__[0].__subclasses__()",
    "cycler.__init__.__globals__",
    "lipsum.__globals__['os']",
    "pack.__class__",
    "'x' * 1000000000",
])
def test_the_sandbox_refuses_attribute_tricks(tmp_path, expression):
    root = _theme_with(tmp_path, "{% extends 'base.html' %}\n{% block content %}\n"
                                 "{{ " + expression + " }}\n{% endblock %}\n")
    with pytest.raises(RevpackError) as excinfo:
        html_for(FIXTURES / "mini", "timeline", theme=str(root))
    text = error_text(excinfo)
    assert f"{root / 'templates' / 'timeline.html'}:3: error:" in text, text
    assert "refused by the sandbox" in text or "is undefined" in text


def test_a_misspelt_variable_names_the_template_and_its_line(tmp_path):
    root = _theme_with(tmp_path, "{% extends 'base.html' %}\n{% block content %}\n\n"
                                 "{{ handout.titel }}{{ phasez }}\n{% endblock %}\n")
    with pytest.raises(RevpackError) as excinfo:
        html_for(FIXTURES / "mini", "timeline", theme=str(root))
    assert f"{root / 'templates' / 'timeline.html'}:4: error: template error: " in \
        error_text(excinfo)
    assert "titel" in error_text(excinfo)


def test_errors_in_a_parent_template_or_macro_file_name_that_file(tmp_path):
    root = _theme_with(tmp_path, "{% extends 'base.html' %}\n{% import '_mine.html' as mine %}"
                                 "{% block content %}{{ mine.oops() }}{% endblock %}\n",
                       {"templates/_mine.html": "{% macro oops() %}\n\n{{ no_such }}\n"
                                                "{% endmacro %}\n"})
    with pytest.raises(RevpackError) as excinfo:
        html_for(FIXTURES / "mini", "timeline", theme=str(root))
    assert f"{root / 'templates' / '_mine.html'}:3: error:" in error_text(excinfo)
    (root / "templates" / "base.html").write_text("<p>\n{% if %}\n", encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        html_for(FIXTURES / "mini", "timeline", theme=str(root))
    assert f"{root / 'templates' / 'base.html'}:2: error: template syntax" in error_text(excinfo)


def test_templates_cannot_include_files_outside_the_theme_chain(tmp_path):
    for target in ("../../../../etc/passwd", "/etc/passwd"):
        root = _theme_with(tmp_path, "{% include '" + target + "' %}\n")
        with pytest.raises(RevpackError) as excinfo:
            html_for(FIXTURES / "mini", "timeline", theme=str(root))
        assert "not found in the theme" in error_text(excinfo)
        shutil.rmtree(root)


# --- settings ------------------------------------------------------------------------------------

def test_the_default_manifest_sets_every_setting_and_they_are_valid():
    settings = default_theme().settings
    assert set(settings) == {s.name for s in SETTINGS}
    diags = Diagnostics()
    check_settings(settings, lambda key: None, diags, resource_dir())
    assert not diags.items


def test_every_css_setting_has_its_custom_property_declared():
    declared = {name for name, _, _ in default_custom_properties()}
    for spec in SETTINGS:
        if spec.css:
            assert spec.css in declared, spec.name


def test_settings_become_safely_quoted_custom_properties():
    css = settings_css({"accent_colour": "#7a1f2b", "turn_over": 'Go "on" </style>',
                        "font_family": "Board Sans", "line_spacing": "9mm"})
    assert "--accent: #7a1f2b;" in css and "--write-line: 9mm;" in css
    assert '--font-body: "Board Sans", "Revpack Sans"' in css
    assert "</style>" not in css and '"on"' not in css


def test_bad_settings_are_reported_at_their_manifest_line(tmp_path):
    root = write(tmp_path / "t", {"theme.yaml": """\
        name: t
        settings:
          accent_colour: "red; } body { display: none"
          tariff_format: "[marks]"
          tarif_format: "({marks})"
        """})
    with pytest.raises(RevpackError) as excinfo:
        theme_chain(str(root), None)
    text = error_text(excinfo)
    assert "theme.yaml:3: error: 'accent_colour' should be a colour" in text
    assert "theme.yaml:4: error: 'tariff_format' should contain {marks}" in text
    assert "theme.yaml:5: error: unknown theme setting 'tarif_format' (did you mean " \
           "'tariff_format'?)" in text


def test_a_pack_logo_must_be_inside_the_pack(make_pack):
    manifest = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    pack = make_pack({"pack.yaml": manifest + "logo: ../mini/pack.yaml\n"})
    with pytest.raises(RevpackError) as excinfo:
        html_for(pack, "timeline")
    line = manifest.count("\n") + 1
    assert f"pack.yaml:{line}: error: logo '../mini/pack.yaml' leads outside the pack folder" \
        in error_text(excinfo)
    (pack / "images").mkdir()
    (pack / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>', encoding="utf-8")
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text().replace(
        "../mini/pack.yaml", "images/logo.svg"), encoding="utf-8")
    assert '<img class="brand-logo" src="images/logo.svg"' in html_for(pack, "timeline")


def test_theme_key_lines_follow_nesting_and_are_kept_from_reading(tmp_path):
    root = write(tmp_path, {"theme.yaml": "name: x\nsettings:\n  cover: true\n"})
    theme = read_theme(root, Diagnostics())
    (root / "theme.yaml").write_text("changed: after reading\n", encoding="utf-8")
    loc = theme.key_loc
    assert loc(("settings", "cover")).line == 3 and loc(("settings", "nothing")).line == 2


# --- hostile stylesheets -------------------------------------------------------------------------

@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red; }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("css", [
    "@import url(http://127.0.0.1:{port}/x.css);",
    "body {{ background: url(file:///etc/passwd); }}",
    "@font-face {{ font-family: X; src: url(file:///etc/passwd); }}",
    "body {{ background: url('../../../../../../etc/hostname'); }}",
])
def test_a_theme_stylesheet_cannot_reach_the_network_or_the_disk(tmp_path, http_server, css):
    port, hits = http_server
    root = write(tmp_path / "hostile", {"theme.yaml": "name: hostile\n",
                                        "styles/base.css": "\n" + css.format(port=port) + "\n"})
    result = runner.invoke(app, ["build", str(FIXTURES / "mini"), "--theme", str(root),
                                 "--edition", "complete", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert f"{root / 'styles' / 'base.css'}:2: error:" in result.output
    assert "Traceback" not in result.output
    assert hits == []
    assert not list((tmp_path / "out").rglob("*.pdf"))


# --- the theme commands --------------------------------------------------------------------------

def test_every_theme_command_has_help_with_an_example():
    for args in (["theme", "--help"], ["theme", "list", "--help"], ["theme", "new", "--help"],
                 ["theme", "templates", "--help"], ["theme", "eject", "--help"],
                 ["theme", "check", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Example: revpack theme" in result.output, args


def test_theme_list_and_templates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["theme", "list"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == \
        ["default", "aqa-style", "edexcel-style"]
    result = runner.invoke(app, ["theme", "templates"])
    assert result.exit_code == 0
    assert "exam.html" in result.output and "blocks: " in result.output


def test_theme_check_catches_a_broken_theme():
    result = runner.invoke(app, ["theme", "check", str(THEMES / "broken")])
    assert result.exit_code == 1
    out = result.output
    for expected in (
        r"theme\.yaml:4: error: unknown theme manifest key 'colour'",
        r"theme\.yaml:6: error: 'accent_colour' should be a colour",
        r"theme\.yaml:7: error: 'tariff_format' should contain \{marks\}",
        r"theme\.yaml:8: error: 'line_style' should be one of solid, dotted",
        r"theme\.yaml:9: error: 'logo': .* leads outside the folder",
        r"theme\.yaml:10: error: unknown theme setting 'question_number_styl'",
        r"templates/exam\.html:2: error: template syntax",
        r"templates/timeline\.html:2: error: template 'missing\.html' not found",
        r"styles/base\.css:2: error: 'http://127\.0\.0\.1:9/x\.css'",
        r"styles/base\.css:3: error: 'file:///etc/passwd'",
        r"styles/base\.css:4: error: '\.\./fonts/X\.ttf' not found",
    ):
        assert re.search(expected, out), (expected, out)


@pytest.mark.parametrize("name", ["default", "aqa-style", "edexcel-style"])
def test_theme_check_passes_the_built_in_themes(name):
    result = runner.invoke(app, ["theme", "check", name])
    assert result.exit_code == 0, result.output
    chain = "default" if name == "default" else f"{name} → default"
    assert result.output.startswith(f"ok: theme '{name}' ({chain})"), result.output


def test_eject_needs_a_theme_and_a_known_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["theme", "eject", "exam.html"]).exit_code == 2   # no theme yet
    assert runner.invoke(app, ["theme", "new", "one"]).exit_code == 0
    assert runner.invoke(app, ["theme", "new", "two"]).exit_code == 0
    result = runner.invoke(app, ["theme", "eject", "exam.html"])
    assert result.exit_code == 2 and "one, two" in result.output
    result = runner.invoke(app, ["theme", "eject", "exma.html", "--theme", "one"])
    assert result.exit_code == 2 and "did you mean 'exam.html'" in result.output
    assert runner.invoke(app, ["theme", "eject", "exam.html", "--theme", "one"]).exit_code == 0
    result = runner.invoke(app, ["theme", "eject", "exam.html", "--theme", "one"])
    assert result.exit_code == 1 and "--force" in result.output
    assert runner.invoke(app, ["theme", "new", "One!"]).exit_code == 1       # slug 'one' exists


def test_theme_new_eject_edit_and_build_from_a_clean_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(FIXTURES / "mini", tmp_path / "pack")
    result = runner.invoke(app, ["theme", "new", "My Board", "--from", "edexcel-style"])
    assert result.exit_code == 0, result.output
    root = tmp_path / "themes" / "my-board"
    assert not list((root / "templates").iterdir())              # no templates copied
    css = (root / "styles" / "base.css").read_text(encoding="utf-8")
    assert all(f"/* {name}:" in css for name, _, _ in default_custom_properties())
    manifest = (root / "theme.yaml").read_text(encoding="utf-8")
    assert "extends: edexcel-style" in manifest and "# tariff_format: ({marks})" in manifest
    # The designer changes a colour and the tariff style, ejects one template and edits it.
    manifest = manifest.replace("# tariff_format: ({marks})", "tariff_format: \"[{marks}]\"")
    manifest = manifest.replace("# brand_name:", "brand_name: \"My Board\"  #")
    (root / "theme.yaml").write_text(manifest, encoding="utf-8")
    (root / "styles" / "base.css").write_text(css.replace("/* --accent: #1f4e79; */",
                                                          "--accent: #7a1f2b;"), encoding="utf-8")
    result = runner.invoke(app, ["theme", "eject", "exam.html", "--from", "default"])
    assert result.exit_code == 0, result.output
    exam = root / "templates" / "exam.html"
    exam.write_text(exam.read_text(encoding="utf-8").replace(
        "{{ exam.end_text }}", "{{ exam.end_text }} (MY BOARD)"), encoding="utf-8")
    result = runner.invoke(app, ["theme", "check", "themes/my-board"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "pack", "--theme", "my-board", "--edition",
                                 "complete", "-o", "out"])
    assert result.exit_code == 0, result.output
    text = pdftotext(tmp_path / "out" / "pack" / "exam-complete.pdf")
    assert "[25]" in text and "(25)" not in text
    assert "END OF QUESTIONS (MY BOARD)" in text
    assert "My Board" in pdftotext(tmp_path / "out" / "pack" / "timeline-complete.pdf")


# --- rendering: settings only, and the two exam themes -------------------------------------------

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def test_a_theme_of_settings_only_changes_the_pdf(tmp_path):
    root = write(tmp_path / "board", {"theme.yaml": """\
        name: board
        contract: 1
        settings:
          brand_name: "Westmoor Examining Board"
          tariff_format: "[{marks}]"
          turn_over: "Please turn the page"
          end_of_questions: "END OF PAPER"
          accent_colour: "#7a1f2b"
        """})
    if SERIF.is_file():     # a font brought by the theme, not installed: any font file will do
        (root / "fonts").mkdir()
        shutil.copyfile(SERIF, root / "fonts" / "BoardSerif.ttf")
        with open(root / "theme.yaml", "a", encoding="utf-8") as f:
            f.write('  font_family: "Board Serif"\n'
                    '  font_files: {regular: fonts/BoardSerif.ttf}\n')
    result = revpack.build(FIXTURES / "mini", out=tmp_path / "out", editions=("complete",),
                           theme=str(root))
    if SERIF.is_file():
        fonts = subprocess.run(["pdffonts", str(result.out_dir / "exam-complete.pdf")],
                               capture_output=True, text=True, check=True).stdout
        assert "Board-Serif" in fonts
    pages = page_texts(result.out_dir / "exam-complete.pdf")
    assert "Westmoor Examining Board" in pages[0]
    assert "[25]" in pages[0].replace("\u00a0", " ") and "marks]" not in pages[0]
    assert all("Please turn the page" in p for p in pages[:-1])
    assert "END OF PAPER" in pages[-1] and "Please turn the page" not in pages[-1]


def _dark_rows(pdf: Path, page: int, dpi: int, tmp_path: Path) -> int:
    """How many pixel rows of a page are mostly dark dots or lines (answer lines)."""
    out = tmp_path / f"p{dpi}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    str(pdf), str(out)], check=True)
    pgm = next(tmp_path.glob(f"p{dpi}*.pgm")).read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", pgm)
    width, height = int(header.group(1)), int(header.group(2))
    data = pgm[header.end():]
    rows, previous = 0, False
    for y in range(height):
        row = data[y * width:(y + 1) * width]
        dark = sum(1 for v in row if v < 230) > width // 5       # a line across the page
        if dark and not previous:
            rows += 1
        previous = dark
    return rows


@pytest.fixture(scope="module")
def exam_themes(tmp_path_factory):
    out = {}
    for name in ("aqa-style", "edexcel-style"):
        result = revpack.build(FIXTURES / "mini", out=tmp_path_factory.mktemp(name),
                               editions=("complete",), theme=name)
        out[name] = result.out_dir / "exam-complete.pdf"
    return out


def test_aqa_style_exam_pages(exam_themes):
    pages = [p.replace("\u00a0", " ") for p in page_texts(exam_themes["aqa-style"])]
    cover = pages[0]
    for text in ("Centre number", "Candidate number", "Surname", "Forename(s)", "Time allowed",
                 "1 hour", "Total marks", "29", "Instructions", "Information",
                 "For examiner’s use", "This paper is marked out of 29."):
        assert text in cover, text
    body = "\n".join(pages[1:])
    assert "[25 marks]" in body and "[4 marks]" in body
    assert re.search(r"^\s*0\s+1\s*$", pdftotext(exam_themes["aqa-style"], first=2, last=2,
                                                 layout=True), re.M)
    assert "(Total for Question" not in body
    assert all("Turn over" in p for p in pages[:-1]) and "Turn over" not in pages[-1]
    assert "END OF QUESTIONS" in pages[-1]


def test_edexcel_style_exam_pages(exam_themes, tmp_path):
    pdf = exam_themes["edexcel-style"]
    pages = [p.replace("\u00a0", " ") for p in page_texts(pdf)]
    assert "Other names" in pages[0] and "Total marks" in pages[0] and "29" in pages[0]
    assert "There are 29 marks in total on this paper." in pages[0]
    body = "\n".join(pages[1:])
    assert "(25)" in body and "(4)" in body and "marks]" not in body
    assert "(Total for Question 1 = 25 marks)" in body
    assert "(Total for Question 2 = 4 marks)" in body
    assert "TOTAL FOR PAPER: 29 MARKS" in pages[-1] and "END OF QUESTIONS" in pages[-1]
    assert "Examiner only" in pages[1]
    assert all("Turn over" in p for p in pages[:-1]) and "Turn over" not in pages[-1]
    # Dotted lines are a repeated picture, not thousands of dots: the file stays small, and
    # the lines are still there when the page is printed coarsely or finely.
    assert pdf.stat().st_size < 60_000
    assert _dark_rows(pdf, 2, 70, tmp_path) >= 15
    assert _dark_rows(pdf, 2, 200, tmp_path) >= 15


def test_a_theme_instruction_problem_is_reported_in_theme_yaml(tmp_path, make_pack):
    """Text settings are formatted like content, and their problems point where they are written:
    the theme's manifest, pack.yaml or exam.md, never exam.md:1 for all three."""
    theme = write(tmp_path / "board", {"theme.yaml": """\
        name: board
        contract: 1
        settings:
          instructions:
            - "Answer <script>x()</script> all questions."
        """})
    checked = check(FIXTURES / "mini")
    Templating(checked.pack, checked.diagnostics, str(theme)).html("exam", "complete")
    found = [(d.location.path, d.location.line, d.severity)
             for d in checked.diagnostics.warnings if "script" in d.message]
    assert found and set(found) == {(theme / "theme.yaml", 5, "warning")}

    pack = make_pack({"pack.yaml": (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
                      + "exam:\n  information:\n    - 'Use <iframe></iframe> ink.'\n"})
    checked = check(pack)
    Templating(checked.pack, checked.diagnostics, None).html("exam", "complete")
    found = [(d.location.path, d.location.line, d.severity)
             for d in checked.diagnostics.warnings if "iframe" in d.message]
    assert found and set(found) == {(pack / "pack.yaml", 12, "warning")}


def test_theme_check_finds_what_only_some_builds_would_hit(tmp_path):
    """A misspelling in a branch that the sample build never renders, a template loading a
    stylesheet from the network, and an absurd CSS length are all caught without a build."""
    theme = write(tmp_path / "board", {
        "theme.yaml": "name: board\ncontract: 1\n",
        "templates/exam.html": """\
            {% extends "!default/exam.html" %}
            {% block content %}{% if edition == "never" %}{{ totl_marks }}{% endif %}
            <link rel="stylesheet" href="https://example.org/board.css">
            <a href="https://example.org">the board's site, only a link</a>
            {{ super() }}{% endblock %}
            """,
        "styles/base.css": "p { color: #222; }\nh1 { margin-top: 5e9px; }\n",
    })
    result = runner.invoke(app, ["theme", "check", str(theme)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line
              and not line.startswith("revpack:")]
    assert len(errors) == 3, result.output
    assert re.search(r"templates/exam\.html:2: error: 'totl_marks' is not a variable .*"
                     r"did you mean 'total_marks'", result.output)
    assert re.search(r"templates/exam\.html:3: error: 'https://example\.org/board\.css'",
                     result.output)
    assert re.search(r"styles/base\.css:2:\d+: error: the value 5e9px is far too large",
                     result.output)
