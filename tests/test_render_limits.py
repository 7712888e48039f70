"""Hostile stylesheets and templates cannot hang or crash a build: each is a located error.

Column counts and widths no page can use are refused at their line before layout; a layout that
runs too long is stopped by a timer; whatever fails inside WeasyPrint's layout is an error about
the handout, not an internal error; an attached file from outside the pack is refused when the
PDF is written, with the handout named.
"""

from __future__ import annotations

import signal

import pytest

import revpack
from revpack.diagnostics import RevpackError

#: Only the timeline (or only one other handout): fast builds.
ONLY_TIMELINE = {"treaties.md": None, "historiography.md": None, "exam.md": None}


def _build_errors(pack, tmp_path) -> list:
    with pytest.raises(RevpackError) as excinfo:
        revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    assert not list((tmp_path / "out").rglob("*.pdf")) if (tmp_path / "out").exists() else True
    return [d for d in excinfo.value.diagnostics if d.severity == "error"]


def test_a_column_count_over_the_limit_is_refused_at_its_line(make_pack, tmp_path):
    pack = make_pack({**ONLY_TIMELINE, "styles/base.css": """\
        h1 {
          column-count: 13;
        }
        .fine { column-count: 12; column-width: 4em; columns: 12em 3; }
        """})
    (d,) = _build_errors(pack, tmp_path)
    assert (d.location.path, d.location.line, d.location.col) == (
        pack / "styles" / "base.css", 2, 17)
    assert d.message == "column-count: 13 asks for more columns than a page can hold"
    assert d.hint == "use at most 12; two or three columns suit most handouts"


def test_columns_shorthand_prefixes_and_narrow_columns_are_refused_anywhere(make_pack, tmp_path):
    pack = make_pack({**ONLY_TIMELINE, "styles/base.css": """\
        @media print {
          .a { columns: 8em 40; }
        }
        .b { column-width: 2px; column-gap: 0; }
        @supports (display: block) { .c { -weasy-column-count: 1000 } }
        .d { columns: 0.5cm; }
        """})
    errors = _build_errors(pack, tmp_path)
    assert [(d.location.line, d.location.col, d.message) for d in errors] == [
        (2, 21, "columns: 40 asks for more columns than a page can hold"),
        (4, 20, "column-width: 2px makes columns too narrow to hold text"),
        (5, 56, "-weasy-column-count: 1000 asks for more columns than a page can hold"),
        (6, 15, "columns: 0.5cm makes columns too narrow to hold text"),
    ]
    assert errors[1].hint == ("make them at least 4em wide, about 17mm, or set column-count: 2 "
                              "instead")


def test_a_failure_inside_the_layout_engine_is_a_located_error(make_pack, tmp_path):
    """A 3000px font on every element raises IndexError deep in WeasyPrint's page layout."""
    pack = make_pack({**ONLY_TIMELINE, "styles/base.css": "* { font-size: 3000px !important }\n"})
    (d,) = _build_errors(pack, tmp_path)
    assert d.location.path == pack / "timeline.md" and d.location.line == 0
    assert d.message.startswith("the timeline (complete edition) could not be laid out: the "
                                "layout engine failed (IndexError: ")
    assert "a stylesheet probably sets a size far too large or small" in d.hint


def test_a_layout_over_the_time_limit_is_stopped(make_pack, tmp_path, monkeypatch):
    """Four columns on the whole treaty table take WeasyPrint many seconds to balance: allowed by
    the stylesheet checks, stopped by the timer (here lowered to one second)."""
    from revpack import pdf

    monkeypatch.setattr(pdf, "LAYOUT_SECONDS", 1.0)
    handler = signal.getsignal(signal.SIGALRM)
    pack = make_pack({"timeline.md": None, "historiography.md": None, "exam.md": None,
                      "styles/base.css": "body { column-count: 4 }\n"})
    (d,) = _build_errors(pack, tmp_path)
    assert d.location.path == pack / "treaties.md"
    assert d.message == ("the treaty table (complete edition) could not be laid out in 1 second "
                         "and was stopped")
    assert "many or very narrow columns, huge sizes" in d.hint
    # The timer is gone and the previous handler is back.
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


@pytest.mark.parametrize("markup", [
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">the data</a>',
])
def test_an_attachment_from_outside_the_pack_is_refused_when_writing(make_pack, tmp_path, markup):
    """WeasyPrint fetches attached files only when it writes the PDF; the jailed fetcher refuses
    them, and the refusal names the handout instead of crashing."""
    pack = make_pack({"timeline.md": None, "treaties.md": None, "historiography.md": None,
                      "templates/exam.html": f"""\
        {{% extends "!default/exam.html" %}}
        {{% block content %}}{markup}{{{{ super() }}}}{{% endblock %}}
        """})
    (d,) = _build_errors(pack, tmp_path)
    assert d.location.path == pack / "exam.md"
    assert d.message == ("the exam paper (complete edition) could not be written: refused to "
                         "fetch 'file:///etc/passwd': revpack only reads files inside the pack "
                         "and theme folders, and nothing from the network")
    assert d.hint.startswith('a rel="attachment" link in the theme\'s templates names that file')
