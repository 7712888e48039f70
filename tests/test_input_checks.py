"""Input checks: keys set twice in YAML, repeated or unreadable timeline phases, class-list headers."""

from __future__ import annotations

import re

import textwrap
from pathlib import Path

import pytest

from revpack.blocks import load_yaml, yaml_key_lines
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.roster import read_class_list
from revpack.source import SourceFile
from revpack.themes import read_theme, theme_chain

from .conftest import FIXTURES, messages

MANIFEST = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
TIMELINE = (FIXTURES / "mini" / "timeline.md").read_text(encoding="utf-8")


def _yaml(text: str, first_line: int = 1) -> tuple[dict, list[str]]:
    text = textwrap.dedent(text)
    src = SourceFile(Path("settings.yaml"), text)
    diags = Diagnostics()
    data = load_yaml(text, src, diags, first_line=first_line)
    return data, [str(d) for d in diags.items]


# --- keys set twice ------------------------------------------------------------------------------

def test_a_key_set_twice_is_an_error_at_the_second():
    data, lines = _yaml("""\
        title: First
        subject: History
        title: Second
        """)
    assert lines == ["settings.yaml:3: error: 'title' is set twice (also at line 1) "
                     "(keep one of them)"]
    assert data == {"title": "Second", "subject": "History"}     # the rest is still read


def test_nested_keys_set_twice_are_each_reported_and_located_at_the_value_kept():
    text = textwrap.dedent("""\
        worksheet:
          blank: dates
          proportion: 0.5
          blank: events
        paper: a4
        paper: letter
        """)
    data, lines = _yaml(text, first_line=2)
    assert lines == [
        "settings.yaml:5: error: 'blank' is set twice (also at line 3) (keep one of them)",
        "settings.yaml:7: error: 'paper' is set twice (also at line 6) (keep one of them)",
    ]
    assert data["worksheet"]["blank"] == "events"
    # Later messages about a value point at the line of the value that was kept.
    key_lines = yaml_key_lines(text, first_line=2)
    assert key_lines[("worksheet", "blank")] == 5 and key_lines[("paper",)] == 7


def test_a_key_set_twice_forgets_what_its_first_value_held():
    key_lines = yaml_key_lines("worksheet:\n  blank: dates\nworksheet:\n  proportion: 1\n")
    assert key_lines[("worksheet",)] == 3
    assert ("worksheet", "blank") not in key_lines


def test_keys_equal_as_values_are_the_same_key_but_a_merge_may_be_overridden():
    data, lines = _yaml("""\
        levels:
          1: low
          01: also low
        base:
          <<: {size: 10}
          size: 12
        """)
    assert lines == ["settings.yaml:3: error: '01' is set twice (also at line 2) "
                     "(keep one of them)"]
    assert data["base"] == {"size": 12}


def test_pack_yaml_title_twice(make_pack):
    pack = make_pack({"pack.yaml": MANIFEST + "title: \"Soviet foreign policy\"\n"})
    line = MANIFEST.count("\n") + 1
    assert f"pack.yaml:{line}: error: 'title' is set twice (also at line 1) (keep one of them)" \
        in messages(pack)


def test_pack_yaml_with_a_key_twice_still_says_what_is_missing(make_pack):
    text = MANIFEST.replace("author: Test author\n", "").replace("level: A-level\n",
                                                                   "level: A-level\nlevel: AS\n")
    assert "author" not in text
    lines = messages(make_pack({"pack.yaml": text}))
    assert "pack.yaml:4: error: 'level' is set twice (also at line 3) (keep one of them)" in lines
    assert any("error: pack.yaml is missing 'author'" in line for line in lines), lines


def test_a_later_error_about_a_setting_given_twice_cites_the_value_read(make_pack):
    pack = make_pack({"pack.yaml": MANIFEST + "language: \"not a tag!\"\n"})
    line = MANIFEST.count("\n") + 1
    lines = messages(pack)
    assert f"pack.yaml:{line}: error: 'not a tag!' is not a language tag " \
           "(for example en-GB, en-US or fr)" in lines, lines


def test_front_matter_key_twice(make_pack):
    pack = make_pack({"timeline.md": "---\nworksheet:\n  proportion: 0.5\n  proportion: 0.25\n"
                                     "---\n" + TIMELINE})
    assert "timeline.md:4: error: 'proportion' is set twice (also at line 3) " \
           "(keep one of them)" in messages(pack)


def test_theme_manifest_key_twice(tmp_path):
    root = tmp_path / "t"
    root.mkdir()
    (root / "theme.yaml").write_text("name: t\nsettings:\n  accent_colour: \"#7a1f2b\"\n"
                                     "  accent_colour: \"#1f2b7a\"\n", encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        theme_chain(str(root), None)
    text = "\n".join(str(d) for d in excinfo.value.diagnostics)
    assert "theme.yaml:4: error: 'accent_colour' is set twice (also at line 3) " \
           "(keep one of them)" in text
    diags = Diagnostics()
    assert read_theme(root, diags) is None
    assert [d.location.line for d in diags.errors] == [4]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_yaml_lines_are_counted_as_an_editor_shows_them(separator):
    """PyYAML (YAML 1.1) breaks lines at U+2028, U+2029 and U+0085; editors do not."""
    text = f'title: "A{separator}B" # note{separator}\nworksheet:\n  blank: dates\n  blank: events\n'
    data, lines = _yaml(text)
    assert lines == ["settings.yaml:4: error: 'blank' is set twice (also at line 3) "
                     "(keep one of them)"]
    assert yaml_key_lines(text) == {("title",): 1, ("worksheet",): 2, ("worksheet", "blank"): 4}


def test_yaml_lines_break_at_cr_and_crlf_too():
    assert yaml_key_lines("a: 1\r\nb: 2\rc: 3\nd: 4\n") == {
        ("a",): 1, ("b",): 2, ("c",): 3, ("d",): 4}


@pytest.mark.parametrize("value, message", [
    ("2001-13-40", "'2001-13-40' cannot be read (month must be in 1..12)"),
    ("!!bool maybe", "'maybe' cannot be read"),
    ("!!int abc", "'abc' cannot be read (invalid literal for int() with base 10: 'abc')"),
    ("0x" + "f" * 50, "a number here is too long to read"),
])
def test_a_value_python_cannot_hold_is_an_error_at_its_line(value, message):
    data, lines = _yaml(f"title: T\nsubtitle: {value}\n")
    hint = "numbers in settings are short, as 0.5 or 12" if "number" in message \
        else "put text in double quotes"
    assert (data, lines) == ({}, [f"settings.yaml:2: error: {message} ({hint})"])


@pytest.mark.parametrize("value, message", [
    ("9" * 5000, "a number here is too long to read (numbers in settings are short, as 0.5 or 12)"),
    ("0x" + "f" * 5000, "a number here is too long to read (numbers in settings are short, "
                        "as 0.5 or 12)"),
    ("[" * 5000 + "]" * 5000, "settings are nested more than 20 levels deep (no setting needs "
                              "more than three)"),
    ("{a: " * 5000 + "}" * 5000, "settings are nested more than 20 levels deep (no setting "
                                 "needs more than three)"),
])
def test_a_theme_manifest_python_cannot_hold_is_a_located_error(tmp_path, value, message):
    root = tmp_path / "t"
    root.mkdir()
    (root / "theme.yaml").write_text(f"name: t\nsettings:\n  accent_colour: {value}\n",
                                     encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        theme_chain(str(root), None)
    assert [str(d) for d in excinfo.value.diagnostics] == [
        f"{root / 'theme.yaml'}:3: error: {message}"]


# --- timeline phases -----------------------------------------------------------------------------

def test_a_phase_heading_given_twice_is_reported_at_the_second(make_pack):
    timeline = TIMELINE + ("\n## Isolation,  1917–1922\n\nSummary: Still outside.\n\n"
                           "- **16 Oct 1925** — Locarno treaties signed without the USSR.\n")
    line = TIMELINE.count("\n") + 2
    lines = messages(make_pack({"timeline.md": timeline}))
    assert f"timeline.md:{line}: error: duplicate phase (also at line 3) (delete one of them, " \
           "or correct it if it should differ)" in lines, lines


def test_a_phase_whose_events_all_fail_is_not_also_said_to_have_none(make_pack):
    timeline = TIMELINE + ("\n## The Great Terror, 1936–1938\n\nSummary: Purges.\n\n"
                           "- **31 Sep 1937** — Purge of the diplomatic corps.\n"
                           "- Litvinov sidelined, with no date.\n"
                           "\n## Empty, 1939\n\nSummary: Nothing yet.\n")
    lines = messages(make_pack({"timeline.md": timeline}))
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 3, lines
    assert "bad date: Sep 1937 has no day 31" in errors[0]
    assert "an event needs a bold date first" in errors[1]
    # A phase with no items at all is still reported.
    assert "phase 'Empty, 1939' has no events" in errors[2]
    assert not any("'The Great Terror, 1936–1938' has no events" in line for line in lines)


# --- class lists ---------------------------------------------------------------------------------

HINT = "(to use columns, name them in the first row: name, class, variant, separated by commas)"


def _class_list(tmp_path, text: str) -> tuple[list[str], list[str]]:
    path = tmp_path / "class.csv"
    path.write_bytes(text.encode("utf-8"))
    diags = Diagnostics()
    students = read_class_list(path, diags)
    return [s.name for s in students], [str(d).replace(str(tmp_path) + "/", "")
                                        for d in diags.items]


@pytest.mark.parametrize("first", ["nom,classe", "Name;Class", "name\tclass"])
def test_a_first_line_that_looks_like_columns_is_warned_about(tmp_path, first):
    names, lines = _class_list(tmp_path, f"{first}\nAnn Lee\n")
    assert len(names) == 2
    assert lines == [f"class.csv:1: warning: the first line is read as a student's name {HINT}"]


def test_the_warning_is_at_the_first_line_with_a_name(tmp_path):
    names, lines = _class_list(tmp_path, "\r\nnom,classe\r\nA,B\r\n")
    assert names == ["nom,classe", "A,B"]
    assert lines == ["class.csv:1: warning: blank line skipped",
                     f"class.csv:2: warning: the first line is read as a student's name {HINT}"]


def test_a_folder_given_as_a_class_list_is_a_usage_error_and_writes_nothing(tmp_path):
    import revpack

    (tmp_path / "12B").mkdir()
    with pytest.raises(RevpackError) as excinfo:
        revpack.build(FIXTURES / "mini", out=tmp_path / "out", editions=("complete",),
                      class_list=tmp_path / "12B")
    assert excinfo.value.exit_code == 2
    assert [str(d) for d in excinfo.value.diagnostics] == [
        f"{tmp_path / '12B'}: error: this is a folder, not a class list (give the class list's "
        "file, such as 12B.csv: a CSV with a name column, or one name a line)"]
    assert not (tmp_path / "out").exists()


def test_an_oversized_class_list_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import revpack.roster

    monkeypatch.setattr(revpack.roster, "MAX_FILE_BYTES", 100)
    path = tmp_path / "class.csv"
    path.write_text("Ann Lee\n" * 20, encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        read_class_list(path, Diagnostics())
    assert excinfo.value.exit_code == 2
    assert [str(d) for d in excinfo.value.diagnostics] == [
        f"{path}: error: the class list is over the 100 bytes limit for a class list "
        "(a class set holds at most 500 names)"]


# --- images --------------------------------------------------------------------------------------

def test_a_damaged_picture_a_theme_stylesheet_uses_stops_the_build_and_keeps_the_old_pdfs(
        make_pack, tmp_path):
    """WeasyPrint would leave the picture out with only a log line; the build stops instead, at
    the stylesheet's line (as `revpack check` does)."""
    import revpack

    pack = make_pack({
        "pack.yaml": MANIFEST + "theme: house\n",
        "themes/house/theme.yaml": "name: house\n",
        "themes/house/styles/base.css": "body { background: url(../images/paper.png) }\n",
        "themes/house/images/paper.png": b"\x89PNG\r\n\x1a\n" + b"not really a picture",
    })
    out = tmp_path / "out"
    (out / "pack").mkdir(parents=True)
    (out / "pack" / "timeline-complete.pdf").write_bytes(b"%PDF- an earlier build")
    with pytest.raises(RevpackError) as excinfo:
        revpack.build(pack, out=out, editions=("complete",))
    assert excinfo.value.exit_code == 1
    # The image's path is shortened in the message when long (as under a deep tmp folder).
    errors = [str(d) for d in excinfo.value.diagnostics if d.severity == "error"]
    assert len(errors) == 1, errors
    head, _, rest = errors[0].partition(" error: image '")
    assert head == f"{pack / 'themes/house/styles/base.css'}:1:"
    shown, why = re.fullmatch(r"(.*?)(?:'|…) (is damaged.*)", rest).groups()
    assert str(pack / "themes/house/images/paper.png").startswith(shown)
    assert why == ("is damaged, cut short or not a PNG, JPEG or GIF picture; open it in an "
                   "image editor and save it again as PNG or JPEG")
    assert sorted(p.name for p in (out / "pack").iterdir()) == ["timeline-complete.pdf"]
    assert (out / "pack" / "timeline-complete.pdf").read_bytes() == b"%PDF- an earlier build"


def test_an_image_over_the_byte_limit_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    import revpack.images

    monkeypatch.setattr(revpack.images, "MAX_IMAGE_BYTES", 1024)
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff" * 2048)
    assert revpack.images.image_problem(path) == (
        "is 2 KB, over the 1 KB limit for an image; make it smaller: a handout needs at most "
        "300 dpi, about 2,500 pixels across a page")


def test_a_message_echoing_a_huge_value_stays_one_short_line():
    from revpack.diagnostics import Diagnostic, Location

    url = "data:image/png;base64," + "A" * 1_900_000
    line = str(Diagnostic(Location(Path("timeline.md"), 7), "error",
                          f"image '{url}' is a 'data:' address", f"not '{url}'"))
    assert len(line) < 400
    assert line == (f"timeline.md:7: error: image '{url[:98]}… is a 'data:' address "
                    f"(not '{url[:98]}…")
