"""Nothing leaks: content and themes cannot reach the network or read files outside the pack.

A real HTTP listener on 127.0.0.1 counts every request: whatever content or a stylesheet names,
it must receive none. Files outside the pack (/etc/passwd, and a secret file made for the test)
must never reach a PDF, whether named by content, by CSS or through a symlink. Template syntax
in content is printed, never run.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

import revpack
from revpack.build import check
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.resources import resource_dir

from .conftest import pdftotext

SECRET = "root:x:0:0:SECRET-MARKER-7f3a"


@pytest.fixture(scope="module")
def listener():
    """An HTTP server on a random local port that records every request it receives."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def _record(self):
            requests.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        do_GET = do_HEAD = do_POST = _record

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_the_listener_does_record_requests(listener):
    """The listener itself works, so 'no requests' below means something."""
    import urllib.request

    url, requests = listener
    before = len(requests)
    urllib.request.urlopen(f"{url}/probe", timeout=5).read()
    assert len(requests) == before + 1
    requests.pop()


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _errors(pack: Path, build: bool = False, out: Path | None = None) -> list[str]:
    try:
        if build:
            revpack.build(pack, out=out, editions=("complete",))
        else:
            check(pack)
    except RevpackError as exc:
        return [str(d) for d in exc.diagnostics if d.severity == "error"]
    return []


# --- content ------------------------------------------------------------------------------------

CONTENT_REFERENCES = {
    "markdown image": "![A chart]({url}/chart.png)",
    "html image": '<img src="{url}/photo.jpg" alt="A photo">',
    "protocol-relative image": '<img src="//127.0.0.1:{port}/photo.jpg" alt="A photo">',
    "file image": "![passwd](file:///etc/passwd)",
    "secret file image": "![secret](file://{secret})",
    "absolute path image": '<img src="/etc/passwd" alt="passwd">',
}


@pytest.mark.parametrize("kind", sorted(CONTENT_REFERENCES))
def test_content_naming_a_resource_outside_the_pack_is_a_located_error(
        kind, make_pack, listener, secret, tmp_path):
    url, requests = listener
    port = url.rsplit(":", 1)[1]
    ref = CONTENT_REFERENCES[kind].format(url=url, port=port, secret=secret)
    pack = make_pack({"treaties.md": None, "historiography.md": None,
                      "exam.md": f"# Exam\n\n## Q\n- Marks: 4\n\nStudy this.\n\n{ref}\n"})
    errors = _errors(pack, build=True, out=tmp_path / "out")
    assert errors and all(e.startswith(str(pack / "exam.md") + ":6: error: image ")
                          or e.startswith("exam.md:6: error: image ") for e in errors), errors
    assert not (tmp_path / "out").exists()
    assert requests == []


def test_stripped_elements_and_links_are_never_fetched(make_pack, listener, secret, tmp_path):
    """Frames, objects, media, stylesheet links, styles and links pointing at the listener and at
    local files: the build succeeds with warnings, fetches nothing and prints no file."""
    url, requests = listener
    hostile = "\n".join([
        f'<iframe src="{url}/frame"></iframe><iframe src="file:///etc/passwd"></iframe>',
        f'<object data="{url}/object"></object><embed src="file://{secret}">',
        f'<video src="{url}/video"></video><audio src="{url}/audio"></audio>',
        f'<link rel="stylesheet" href="{url}/style.css"><link rel="stylesheet" href="file://{secret}">',
        f'<style>@import url("{url}/import.css"); body {{ background: url("file://{secret}") }}</style>',
        f'<span style="background: url({url}/bg.png)">styled</span>',
        f'<svg><image href="{url}/svg.png"/></svg><math><mi>x</mi></math>',
        f'Read [the notes]({url}/notes) or <a href="{url}/other">these</a>.',
    ])
    pack = make_pack({"treaties.md": None, "historiography.md": None,
                      "exam.md": f"# Exam\n\n## Q\n- Marks: 4\n\nStudy this.\n\n{hostile}\n"})
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    warnings = [str(d) for d in result.diagnostics]
    for tag in ("iframe", "object", "embed", "video", "audio", "link", "style", "svg", "math"):
        assert any(f"<{tag}> is not allowed" in w for w in warnings), tag
    assert any("style attribute on <span> was removed" in w for w in warnings)
    assert requests == []
    text = pdftotext(result.out_dir / "exam-complete.pdf")
    assert "SECRET-MARKER" not in text and "root:" not in text
    assert "styled" in text and "the notes" in text
    links = [a.get_object()["/A"]["/URI"] for page in PdfReader(result.out_dir / "exam-complete.pdf").pages
             for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert f"{url}/notes" in links       # kept as a link for the reader to follow, never fetched


def test_an_image_symlinked_to_etc_passwd_is_refused(make_pack):
    pack = make_pack({"exam.md": "# Exam\n\n## Q\n- Marks: 4\n\nStudy ![a map](images/map.png).\n"})
    (pack / "images").mkdir()
    (pack / "images" / "map.png").symlink_to("/etc/passwd")
    errors = _errors(pack)
    assert errors == [f"{pack / 'exam.md'}:6: error: image 'images/map.png' is a shortcut "
                      "(symlink) leading outside the pack folder; refused (copy the picture "
                      "itself into the pack)"] or errors == [
        "exam.md:6: error: image 'images/map.png' is a shortcut (symlink) leading outside the "
        "pack folder; refused (copy the picture itself into the pack)"]


@pytest.mark.parametrize("name", ["timeline.md", "pack.yaml"])
def test_a_content_file_symlinked_to_etc_passwd_is_refused(make_pack, name):
    pack = make_pack()
    (pack / name).unlink()
    (pack / name).symlink_to("/etc/passwd")
    errors = _errors(pack)
    assert any(e.endswith(f"{name}: error: symlink leads outside the pack folder; refused "
                          "(copy the file into the pack instead)") for e in errors), errors


# --- themes -------------------------------------------------------------------------------------

CSS_REFERENCES = {
    "import": '@import url("{url}/evil.css");\n',
    "background": 'body {{\n  background: url("{url}/bg.png");\n}}\n',
    "font": '@font-face {{\n  font-family: Evil;\n  src: url("{url}/evil.ttf");\n}}\n',
    "import passwd": '@import url("file:///etc/passwd");\n',
    "content passwd": 'h1::before {{\n  content: url("file:///etc/passwd");\n}}\n',
    "secret background": 'body {{\n  background: url("file://{secret}");\n}}\n',
}


@pytest.mark.parametrize("kind", sorted(CSS_REFERENCES))
def test_a_pack_stylesheet_naming_outside_resources_fails_before_fetching(
        kind, make_pack, listener, secret, tmp_path):
    url, requests = listener
    pack = make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None,
                      "styles/base.css": CSS_REFERENCES[kind].format(url=url, secret=secret)})
    errors = _errors(pack, build=True, out=tmp_path / "out")
    line = CSS_REFERENCES[kind].format(url=url, secret=secret).split("\n").index(
        next(x for x in CSS_REFERENCES[kind].format(url=url, secret=secret).split("\n")
             if "url(" in x)) + 1
    assert len(errors) == 1 and f"base.css:{line}: error: " in errors[0], errors
    assert requests == []
    assert not list((tmp_path / "out").rglob("*.pdf")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize("html", [
    '<img src="{url}/direct.png" alt="x">',
    '<img src="file:///etc/passwd" alt="x">',
    '<img src="file://{secret}" alt="x">',
    '<link rel="stylesheet" href="{url}/direct.css"><p>x</p>',
    '<p style="background: url({url}/direct-bg.png)">x</p>',
])
def test_the_jailed_fetcher_refuses_what_gets_past_the_checks(html, listener, secret, tmp_path):
    """The second line of defence: HTML straight to the renderer, no content checks before it."""
    from revpack.pdf import Renderer

    url, requests = listener
    root = tmp_path / "pack"
    root.mkdir()
    renderer = Renderer([root])
    with pytest.raises(RevpackError, match="refused to fetch|not found"):
        renderer.render(html.format(url=url, secret=secret), root, [], "exam-complete")
    assert requests == []
    assert renderer.refused


def test_the_jailed_fetcher_serves_files_inside_the_pack(tmp_path):
    from revpack.pdf import Renderer

    root = tmp_path / "pack"
    (root / "images").mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "docs" / "images" / "timeline-complete.png",
                root / "images" / "t.png")
    renderer = Renderer([root])
    doc = renderer.render('<img src="images/t.png" alt="x">', root, [], "exam-complete")
    assert len(doc.pages) == 1 and renderer.refused == []


# --- content is data ---------------------------------------------------------------------------

def test_template_syntax_in_content_prints_literally(make_pack, tmp_path):
    pack = make_pack({
        "treaties.md": None, "historiography.md": None,
        "exam.md": "# Exam\n\n## Q\n- Marks: 4\n\n**Assess** {{ 7*7 }} and {% include '/etc/passwd' %} "
                   "and {{ ''.__class__.__mro__ }}.\n",
        "timeline.md": "# Timeline {{ 6*7 }}\n\n## Phase {# comment #}\n\nSummary: s {{ pack }}\n\n"
                       "- **1920** — {{ 7*7 }} happened. [event]\n",
    })
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    exam = pdftotext(result.out_dir / "exam-complete.pdf")
    timeline = pdftotext(result.out_dir / "timeline-complete.pdf")
    assert "{{ 7*7 }}" in exam and "{% include" in exam and "/etc/passwd" in exam
    assert "49" not in exam and "root:" not in exam and ".mro }}" in exam  # Markdown bold, not code
    assert "{{ 6*7 }}" in timeline and "{{ 7*7 }}" in timeline and "{# comment #}" in timeline
    assert "42" not in timeline and "49" not in timeline


def test_a_runaway_template_loop_is_stopped_with_its_line(make_pack, monkeypatch):
    """The sandbox bounds each range(), not loops inside loops: a timer stops those."""
    from revpack import html
    from revpack.build import html_for

    pack = make_pack({"templates/exam.html": """\
        {% extends "!default/exam.html" %}
        {% block content %}{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}
        """})
    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 0.5)
    with pytest.raises(RevpackError) as excinfo:
        html_for(pack, "exam")
    (d,) = [d for d in excinfo.value.diagnostics if d.severity == "error"]
    assert d.location.path == pack / "templates" / "exam.html" and d.location.line == 2
    assert "took more than 0.5 seconds to render and was stopped" in d.message
    # An ordinary template is not affected by the timer (a budget a busy CI machine can meet:
    # a whole pack's templates share it).
    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 5.0)
    from revpack.build import Templating, check
    assert "<html" in Templating(check(make_pack(name="plain")).pack, Diagnostics(), None).html(
        "timeline", "complete")


# --- the jail: symlinks and themes leading out of the pack -------------------------------------
# Each case builds a hostile pack at run time (symlinks are made here, never committed) and
# returns (the pack, the start of the one error line both check and build must give). The
# secret lies outside the pack; it must reach neither a PDF nor a message.

INCLUDE = ('{% extends "!default/exam.html" %}\n{% block content %}\n'
           '{% include "NAME" %}{% endblock %}\n')


def _choose_theme(pack: Path, theme_yaml: str = "name: evil\n") -> Path:
    theme = pack / "themes" / "evil"
    theme.mkdir(parents=True, exist_ok=True)
    (theme / "theme.yaml").write_text(theme_yaml, encoding="utf-8")
    with open(pack / "pack.yaml", "a", encoding="utf-8") as fh:
        fh.write("theme: evil\n")
    return theme


def _outside_theme(tmp_path: Path, secret: Path) -> Path:
    """A theme folder outside the pack whose stylesheet would print the secret."""
    theme = tmp_path / "outside-theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: outside\n", encoding="utf-8")
    (theme / "styles" / "base.css").write_text(
        f'h1::before {{ content: "{secret.read_text().strip()}"; }}\n', encoding="utf-8")
    return theme


def _pack_line(pack: Path) -> int:
    return (pack / "pack.yaml").read_text(encoding="utf-8").count("\n")


def _templates_link_to_root(pack, tmp_path, secret):
    theme = _choose_theme(pack)
    (theme / "templates").symlink_to("/")
    (pack / "templates").mkdir()
    (pack / "templates" / "exam.html").write_text(INCLUDE.replace("NAME", "proc/self/environ"))
    return "themes/evil/templates: error: a symlink that leads outside the pack folder (to /)"


def _template_file_link(pack, tmp_path, secret):
    theme = _choose_theme(pack)
    (theme / "templates").mkdir()
    (theme / "templates" / "notes.txt").symlink_to(secret)
    (pack / "templates").mkdir()
    (pack / "templates" / "exam.html").write_text(INCLUDE.replace("NAME", "notes.txt"))
    return ("templates/exam.html:3: error: template 'notes.txt' leads outside the pack folder "
            "(themes/evil/templates/notes.txt is a symlink to ")


def _pack_templates_link(pack, tmp_path, secret):
    outside = tmp_path / "outside-templates"
    outside.mkdir()
    (outside / "exam.html").write_text(INCLUDE.replace("NAME", "notes.txt"))
    (outside / "notes.txt").symlink_to(secret)
    (pack / "templates").symlink_to(outside)
    return "templates: error: a symlink that leads outside the pack folder"


def _extends_absolute(pack, tmp_path, secret):
    _choose_theme(pack, f"name: evil\nextends: {_outside_theme(tmp_path, secret)}\n")
    return "themes/evil/theme.yaml:2: error: extends '/"


def _extends_up_and_out(pack, tmp_path, secret):
    _outside_theme(tmp_path, secret)
    _choose_theme(pack, "name: evil\nextends: ../../../outside-theme\n")
    return "themes/evil/theme.yaml:2: error: extends '../../../outside-theme' leads outside"


def _theme_name_link(pack, tmp_path, secret):
    (pack / "themes").mkdir()
    (pack / "themes" / "evil").symlink_to(_outside_theme(tmp_path, secret))
    with open(pack / "pack.yaml", "a", encoding="utf-8") as fh:
        fh.write("theme: evil\n")
    return (f"pack.yaml:{_pack_line(pack)}: error: theme 'evil' leads outside the pack folder "
            "(themes/evil is a symlink to ")


def _styles_folder_link(pack, tmp_path, secret):
    (pack / "styles").symlink_to(_outside_theme(tmp_path, secret) / "styles")
    return "styles: error: a symlink that leads outside the pack folder"


def _stylesheet_link(pack, tmp_path, secret):
    (pack / "styles").mkdir()
    (pack / "styles" / "exam.css").symlink_to(_outside_theme(tmp_path, secret) / "styles" /
                                              "base.css")
    return "styles/exam.css: error: a symlink that leads outside the pack folder"


def _font_link(pack, tmp_path, secret):
    font = tmp_path / "secret.ttf"
    shutil.copy(next((resource_dir() / "styles" / "fonts").glob("*.ttf")), font)
    theme = _choose_theme(pack, "name: evil\nsettings:\n  font_family: Evil\n  font_files:\n"
                                "    regular: fonts/evil.ttf\n")
    (theme / "fonts").mkdir()
    (theme / "fonts" / "evil.ttf").symlink_to(font)
    return ("themes/evil/theme.yaml:4: error: 'font_files': 'fonts/evil.ttf' leads outside the "
            "folder (themes/evil/fonts/evil.ttf is a symlink to ")


def _logo_link(pack, tmp_path, secret):
    theme = _choose_theme(pack, "name: evil\nsettings:\n  logo: images/logo.svg\n")
    (theme / "images").mkdir()
    (theme / "images" / "logo.svg").symlink_to(secret)
    return ("themes/evil/theme.yaml:3: error: 'logo': 'images/logo.svg' leads outside the folder "
            "(themes/evil/images/logo.svg is a symlink to ")


def _css_image_link(pack, tmp_path, secret):
    (pack / "images").mkdir()
    (pack / "images" / "bg.svg").symlink_to(secret)
    (pack / "styles").mkdir()
    (pack / "styles" / "base.css").write_text("body {\n  background: url(../images/bg.svg);\n}\n")
    return "styles/base.css:2: error: '../images/bg.svg' leads outside the pack's folder"


def _svg_drawing_a_file_outside(pack, tmp_path, secret):
    (pack / "images").mkdir()
    (pack / "images" / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10"><image xlink:href="file://{secret}" width="10" '
        'height="10"/></svg>\n')
    text = (pack / "exam.md").read_text(encoding="utf-8")
    (pack / "exam.md").write_text(text.replace("**Assess** the validity of this view.",
                                               "**Assess** this view.\n\n![A map](images/map.svg)"))
    return "exam.md:10: error: image 'images/map.svg' draws another file ('file://"


def _sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no room on the disk (as a hostile archive can hold)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.truncate(size)


def _huge_template(pack, tmp_path, secret):
    _sparse(pack / "templates" / "exam.html", 4 << 30)
    return "templates/exam.html: error: file is 4096 MB, over the 32 MB limit for one file"


def _huge_theme_manifest(pack, tmp_path, secret):
    _sparse(_choose_theme(pack) / "theme.yaml", 4 << 30)
    return "themes/evil/theme.yaml: error: file is 4096 MB, over the 32 MB limit for one file"


def _css_percent_encoded_climb(pack, tmp_path, secret):
    (pack / "styles").mkdir()
    (pack / "styles" / "base.css").write_text(
        "body {\n  background: url(..%2F..%2Fsecret.txt);\n}\n")
    return "styles/base.css:2: error: '..%2F..%2Fsecret.txt' leads outside the pack's folder"


JAIL_CASES = {
    "stylesheet url climbing with %2F": _css_percent_encoded_climb,
    "svg image drawing a file outside": _svg_drawing_a_file_outside,
    "template of 4 GB (sparse)": _huge_template,
    "theme.yaml of 4 GB (sparse)": _huge_theme_manifest,
    "theme templates folder linked to /": _templates_link_to_root,
    "theme template file linked out": _template_file_link,
    "pack templates folder linked out": _pack_templates_link,
    "extends an absolute path": _extends_absolute,
    "extends ../../..": _extends_up_and_out,
    "theme: NAME linked out": _theme_name_link,
    "pack styles folder linked out": _styles_folder_link,
    "one stylesheet linked out": _stylesheet_link,
    "font linked out": _font_link,
    "logo linked out": _logo_link,
    "stylesheet image linked out": _css_image_link,
}


def _run(args: list[str]):
    from typer.testing import CliRunner

    from revpack.cli import app

    return CliRunner().invoke(app, args)


@pytest.mark.parametrize("case", sorted(JAIL_CASES))
def test_a_path_leading_out_of_the_pack_is_one_located_error_in_check_and_build(
        case, make_pack, secret, tmp_path, monkeypatch):
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    expected = JAIL_CASES[case](pack, tmp_path, secret)
    monkeypatch.chdir(pack)
    out = tmp_path / "out"
    for args in (["check", "."], ["build", ".", "--edition", "complete", "-o", str(out)]):
        result = _run(args)
        errors = [line for line in result.output.splitlines() if ": error: " in line]
        assert result.exit_code == 1, (args, result.output)
        assert len(errors) == 1 and errors[0].startswith(expected), (args, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert "SECRET-MARKER" not in result.output
    assert not out.exists() or not list(out.rglob("*.pdf"))


def test_a_symlinked_out_folder_is_never_written_through(make_pack, tmp_path, monkeypatch):
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (pack / "out").symlink_to(elsewhere)
    monkeypatch.chdir(pack)
    for args in (["check"], ["build", "--edition", "complete"]):
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        errors = [line for line in result.output.splitlines() if ": error: " in line]
        assert errors == ["out: error: a symlink that leads outside the pack folder (to "
                          f"{elsewhere}); revpack will not write through it (delete it, or "
                          "choose another output folder with -o)"], result.output
    assert list(elsewhere.iterdir()) == []


def test_a_theme_named_on_the_command_line_inside_the_pack_is_checked_too(
        make_pack, secret, tmp_path, monkeypatch):
    """`--theme themes/evil` typed in a downloaded pack's folder is still the pack's theme."""
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    (pack / "themes").mkdir()
    (pack / "themes" / "evil").symlink_to(_outside_theme(tmp_path, secret))
    monkeypatch.chdir(pack)
    for theme in ("themes/evil", "evil"):
        result = _run(["build", ".", "--theme", theme, "--edition", "complete", "-o",
                       str(tmp_path / "out")])
        assert result.exit_code == 1, result.output
        assert result.output.strip().startswith(
            "themes/evil: error: a symlink that leads outside the pack folder (to "), result.output
    assert not (tmp_path / "out").exists()


def test_a_theme_folder_that_is_not_a_theme_is_a_usage_error(make_pack, tmp_path):
    result = _run(["build", str(make_pack()), "--theme", "/etc", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "revpack: error: '/etc' is not a theme: no theme.yaml in that folder" in result.output


def test_symlinks_that_stay_inside_the_pack_keep_working(make_pack, tmp_path):
    pack = make_pack({"treaties.md": None, "historiography.md": None, "timeline.md": None,
                      "shared/extra.css": 'h1::before { content: "INSIDE-MARKER "; }\n',
                      "shared/exam.html": '{% extends "!default/exam.html" %}\n'
                                          '{% block content %}LINKED-TEMPLATE{{ super() }}'
                                          '{% endblock %}\n'})
    (pack / "styles").mkdir()
    (pack / "styles" / "exam.css").symlink_to(pack / "shared" / "extra.css")
    (pack / "templates").mkdir()
    (pack / "templates" / "exam.html").symlink_to("../shared/exam.html")
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    text = pdftotext(result.out_dir / "exam-complete.pdf")
    assert "INSIDE-MARKER" in text and "LINKED-TEMPLATE" in text
    assert check(pack).diagnostics.errors == []


def test_a_template_that_is_not_utf8_says_so(make_pack):
    from revpack.build import html_for

    pack = make_pack({"templates/exam.html": b'{% extends "!default/exam.html" %}\n'
                                             b'{# caf\xe9 #}\n'})
    with pytest.raises(RevpackError) as excinfo:
        html_for(pack, "exam")
    (d,) = [d for d in excinfo.value.diagnostics if d.severity == "error"]
    assert d.location.path == pack / "templates" / "exam.html" and d.location.line == 2
    assert d.message == "template is not UTF-8 text (byte 0xE9)"


def test_the_fetcher_refuses_a_file_reached_through_a_symlinked_folder(secret, tmp_path):
    """The jail compares real paths: a folder inside the pack linked out does not count."""
    from revpack.pdf import Renderer

    root = tmp_path / "pack"
    root.mkdir()
    (root / "images").symlink_to(secret.parent)
    renderer = Renderer([root])
    with pytest.raises(RevpackError, match="refused to fetch"):
        renderer.render(f'<img src="images/{secret.name}" alt="x">', root, [], "exam-complete")


def test_the_stylesheet_loader_refuses_a_sheet_linked_out(secret, tmp_path):
    """WeasyPrint is given a sheet's text only after the jail has passed its real path."""
    from revpack.pdf import Renderer

    root = tmp_path / "pack"
    (root / "styles").mkdir(parents=True)
    sheet = tmp_path / "evil.css"
    sheet.write_text('h1::before { content: "SECRET-MARKER"; }\n', encoding="utf-8")
    (root / "styles" / "base.css").symlink_to(sheet)
    with pytest.raises(RevpackError) as excinfo:
        Renderer([root]).stylesheet(root / "styles" / "base.css")
    assert str(excinfo.value.diagnostics[0]).endswith(
        f"base.css: error: a symlink that leads outside the folder {root} (to {sheet}); "
        f"refused (copy the files into the folder {root} instead)")


def test_theme_check_reads_nothing_a_symlink_brings_in(secret, tmp_path):
    """`revpack theme check` goes through the same jail: the linked files are errors, and
    neither a CSS warning nor a template error quotes what they hold."""
    theme = tmp_path / "board"
    (theme / "styles").mkdir(parents=True)
    (theme / "templates").mkdir()
    (theme / "theme.yaml").write_text("name: board\ncontract: 1\n", encoding="utf-8")
    sheet = tmp_path / "evil.css"
    sheet.write_text("SECRET-MARKER-css: 1;\n", encoding="utf-8")
    (theme / "styles" / "base.css").symlink_to(sheet)
    (theme / "templates" / "exam.html").symlink_to(secret)
    result = _run(["theme", "check", str(theme)])
    assert result.exit_code == 1, result.output
    assert "SECRET-MARKER" not in result.output and "Traceback" not in result.output
    errors = sorted(line for line in result.output.splitlines()
                    if ": error: " in line and not line.startswith("revpack:"))
    assert len(errors) == 2, result.output
    assert errors[0].startswith(f"{theme}/styles/base.css: error: a symlink that leads outside")
    assert errors[1].startswith(f"{theme}/templates/exam.html: error: a symlink that leads "
                                "outside")


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_the_jail_reads_only_ordinary_files(kind, tmp_path):
    """A pipe would block the build for ever; it is refused without being read."""
    import os

    from revpack.jail import Jail

    path = tmp_path / "exam.html"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    with pytest.raises(RevpackError) as caught:
        Jail(roots=[tmp_path]).read_bytes(path)
    assert "not an ordinary file" in str(caught.value)


def test_a_font_over_the_read_limit_is_an_error_not_left_out(make_pack, tmp_path):
    """WeasyPrint would skip a font it cannot load with only a log line; check and build both
    refuse it, at the stylesheet's line."""
    pack = make_pack({"treaties.md": None, "historiography.md": None,
                      "styles/exam.css": '@font-face { font-family: Big; src: url(big.ttf) }\n'
                                         'body { font-family: Big }\n'})
    _sparse(pack / "styles" / "big.ttf", 4 << 30)
    for build in (False, True):
        errors = _errors(pack, build=build, out=tmp_path / "out")
        assert len(errors) == 1 and errors[0].startswith(f"{pack}/styles/exam.css:1: error: '")
        assert errors[0].endswith("big.ttf' is 4096 MB, over the 32 MB limit for one file "
                                  "revpack reads"), errors


LONG = "a" * 5000          # longer than any file name the system allows

LONG_NAMES = {
    "template": ("templates/exam.html", INCLUDE.replace("NAME", LONG + ".html"),
                 "templates/exam.html:3: error: template 'aaaa"),
    "stylesheet url": ("styles/exam.css", f"body {{ background: url({LONG}.png) }}\n",
                       "styles/exam.css:1: error: 'aaaa"),
    "theme name": ("pack.yaml", None, "pack.yaml:"),
}


@pytest.mark.parametrize("kind", sorted(LONG_NAMES))
def test_a_name_too_long_for_the_system_is_not_found_not_an_internal_error(
        kind, make_pack, tmp_path, monkeypatch):
    name, text, expected = LONG_NAMES[kind]
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    if text is None:
        with open(pack / name, "a", encoding="utf-8") as fh:
            fh.write(f"theme: {LONG}\n")
    else:
        (pack / name).parent.mkdir(exist_ok=True)
        (pack / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(pack)
    for args in (["check", "."], ["build", ".", "--edition", "complete", "-o",
                                  str(tmp_path / "out")]):
        result = _run(args)
        errors = [line for line in result.output.splitlines() if ": error: " in line]
        assert result.exit_code == 1, (args, result.output[:500])
        assert len(errors) == 1 and errors[0].startswith(expected), (args, result.output[:500])
        assert "internal error" not in result.output


def test_a_styles_folder_nested_1200_deep_is_walked_not_a_recursion_error(make_pack):
    """Folder walks (the stylesheet check, theme check, template lists) use jail.tree."""
    from revpack.jail import tree

    pack = make_pack({"treaties.md": None, "historiography.md": None})
    deep = pack / "styles"
    deep.mkdir()
    for _ in range(1200):         # one at a time: mkdir(parents=True) itself recurses
        deep = deep / "a"
        deep.mkdir()
    (deep / "x.css").write_text("body { color: black; }\n", encoding="utf-8")
    try:
        assert deep / "x.css" in tree(pack / "styles")
        assert _errors(pack) == []
    finally:                      # pytest's own clean-up of tmp_path recurses too
        (deep / "x.css").unlink()
        while deep != pack / "styles":
            deep.rmdir()
            deep = deep.parent
