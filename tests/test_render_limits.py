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


# --- templates: what they build is bounded (issue 10, item 2) -----------------------------------

import os
import random
import resource
import subprocess
import sys
from pathlib import Path

#: Templates that try to take the machine's memory, each stopped at its line 2.
GROWTH = {
    "center filter": "{{ 'x'|center(10**9) }}",
    "str method": "{{ 'x'.ljust(10**9) }}",
    "format width": "{{ '%1000000000s'|format('x') }}{{ '{:>1000000000}'.format('x') }}",
    "append loop": "{% set l = [] %}{% for i in range(100000) %}{% for j in range(100000) %}"
                   "{{ l.append(j) or '' }}{% endfor %}{% endfor %}",
    "extend doubling": "{% set l = [1] %}{% for i in range(99) %}{{ l.extend(l) or '' }}"
                       "{% endfor %}",
    "~ doubling": "{% set ns = namespace(s='x') %}{% for i in range(99) %}"
                  "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "+ doubling": "{% set ns = namespace(s='x') %}{% for i in range(99) %}"
                  "{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "block doubling": "{% set ns = namespace(s='x') %}{% for i in range(99) %}{% set s %}"
                      "{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = s %}{% endfor %}",
    "endless output": "{% for i in range(100000) %}{% for j in range(100000) %}"
                      "xxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
    "batch fill": "{{ [1]|batch(10**9, 'x')|list|length }}",
    "power": "{% set ns = namespace(n=10) %}{% for i in range(99) %}{% set ns.n = ns.n ** 10 %}"
             "{% endfor %}",
    "lipsum": "{{ lipsum(10**7) }}",
    # Each piece is within the sandbox's sizes; the memory cap stops the whole.
    "many large pieces": "{% set l = [] %}{% for i in range(100000) %}"
                         "{{ l.append('x' * 999990 ~ i) or '' }}{% endfor %}",
}


def _growth_pack(make_pack, body: str, name: str = "pack") -> Path:
    return make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None,
                      "templates/timeline.html": '{% extends "!default/timeline.html" %}\n'
                                                 "{% block content %}" + body +
                                                 "{% endblock %}\n"}, name=name)


@pytest.mark.parametrize("case", sorted(GROWTH))
def test_a_template_that_grows_without_end_is_stopped_at_its_line(make_pack, case):
    from revpack.build import html_for

    pack = _growth_pack(make_pack, GROWTH[case])
    with pytest.raises(RevpackError) as excinfo:
        html_for(pack, "timeline")
    (d,) = [d for d in excinfo.value.diagnostics if d.severity == "error"]
    assert (d.location.path, d.location.line) == (pack / "templates" / "timeline.html", 2)
    assert d.message.startswith(("refused by the sandbox: ", "template used more than 512 MB")), \
        d.message


@pytest.mark.parametrize("case, message", [
    ("center filter", "the center filter would make 1,000,000,000 characters, over the limit of "
                      "1,000,000"),
    ("append loop", "append() would make 100,001 items, over the limit of 100,000"),
    ("~ doubling", "'~' would make 1,048,576 characters, over the limit of 1,000,000"),
    ("power", "'**' would make 33,220 bits, over the limit of 10,000"),
])
def test_the_sandbox_says_what_would_have_been_too_large(make_pack, case, message):
    from revpack.build import html_for

    with pytest.raises(RevpackError) as excinfo:
        html_for(_growth_pack(make_pack, GROWTH[case]), "timeline")
    assert [d.message for d in excinfo.value.diagnostics if d.severity == "error"] == [
        "refused by the sandbox: " + message]


def _limited_to_2_gb():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux's RLIMIT_AS")
@pytest.mark.parametrize("case", sorted(GROWTH))
def test_growth_templates_stop_under_a_2_gb_address_space_limit(make_pack, case):
    """Each growth template, in `revpack check` run under `ulimit -v` 2 GB: the located error
    and exit 1, never a crash from running out of memory."""
    src = Path(__file__).resolve().parent.parent / "src"
    env = dict(os.environ, PYTHONPATH=str(src))
    pack = _growth_pack(make_pack, GROWTH[case])
    run = subprocess.run([sys.executable, "-m", "revpack", "check", str(pack)], env=env,
                         capture_output=True, text=True, preexec_fn=_limited_to_2_gb,
                         timeout=120)
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert run.returncode == 1, run.stderr[-2000:]
    assert len(errors) == 1 and errors[0].startswith(
        f"{pack / 'templates' / 'timeline.html'}:2: error: "), errors


def test_the_memory_cap_is_lifted_after_the_render(make_pack):
    from revpack.build import html_for

    before = resource.getrlimit(resource.RLIMIT_AS)
    pack = _growth_pack(make_pack, GROWTH["many large pieces"])
    with pytest.raises(RevpackError, match="template used more than 512 MB of memory"):
        html_for(pack, "timeline")
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    # WeasyPrint, later in the same process, is not capped: a whole build works.
    result = revpack.build(make_pack(name="plain"), out=Path(pack).parent / "out",
                           editions=("complete",))
    assert (result.out_dir / "pack-complete.pdf").exists()


def test_a_runaway_loop_in_base_html_is_stopped_once_for_every_handout(make_pack, monkeypatch):
    """Every handout extends base.html, and check renders each in every edition: the time limit
    is shared, and once it is spent the other renders fail at once with the same error."""
    from revpack import html
    from revpack.build import check

    calls = []
    render = html._render
    monkeypatch.setattr(html, "_render", lambda *a: calls.append(a[1]) or render(*a))
    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 0.5)
    pack = make_pack({"templates/base.html": """\
        {% extends "!default/base.html" %}
        {% block title %}{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}
        """})
    with pytest.raises(RevpackError) as excinfo:
        check(pack)
    (d,) = [d for d in excinfo.value.diagnostics if d.severity == "error"]
    assert (d.location.path, d.location.line) == (pack / "templates" / "base.html", 2)
    assert d.message == "template took more than 0.5 seconds to render and was stopped"
    assert calls == ["timeline.html"]


# --- very long words, and what a stopped layout blames (issue 10, item 4) ------------------------

def _word(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


def test_a_very_long_word_lays_out_and_prints_whole(make_pack, tmp_path):
    """WeasyPrint takes time growing with the square of an unbreakable word's length (4,000
    letters: over a minute) and lets it run off the page; break points inside it fix both."""
    from tests.conftest import pdftotext

    word = _word(1500)
    pack = make_pack({**ONLY_TIMELINE, "timeline.md": f"""\
        # Timeline

        ## Isolation, 1917–1922

        Summary: {_word(300, 2)} stands outside.

        - **7 Nov 1917** — Bolsheviks {word} seize power.
        """})
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    text = pdftotext(result.out_dir / "timeline-complete.pdf")
    joined = "".join(text.split()).replace("\u2010", "").replace("-", "")
    assert word in joined and _word(300, 2) in joined


def test_break_points_go_only_into_long_runs_of_text():
    from revpack.prose import break_long_words

    long = "a" * 45 + "&amp;" + "b" * 30
    page = (f'<p title="{"t" * 80}">{long} short words</p><style>{"c" * 80}</style>'
            f'<title>{"d" * 80}</title><!-- {"e" * 80} --><td>{"f" * 61}</td>')
    out = break_long_words(page)
    assert out.replace("<wbr>", "") == page
    assert out.count("<wbr>") == 3 + 3
    assert "&amp;" in out and "<wbr>" not in out[:out.index(">")]
    assert break_long_words("<p>" + "x" * 60 + "</p>") == "<p>" + "x" * 60 + "</p>"


def test_a_stylesheet_over_the_size_limit_is_refused_at_its_file(make_pack, tmp_path):
    from revpack.build import check

    rule = "* :not(.x) :nth-child(2n+1) * { color: #123; }\n"
    pack = make_pack({**ONLY_TIMELINE, "styles/base.css": rule * (140_000 // len(rule))})
    expected = ("stylesheet is 137 KB, over the 128 KB limit for stylesheets", pack / "styles" /
                "base.css")
    (d,) = _build_errors(pack, tmp_path)
    assert (d.message, d.location.path) == expected
    with pytest.raises(RevpackError) as excinfo:          # check refuses what build refuses
        check(pack)
    assert [(d.message, d.location.path) for d in excinfo.value.diagnostics
            if d.severity == "error"] == [expected]


def test_a_layout_stopped_without_a_stylesheet_of_the_pack_names_the_content(make_pack, tmp_path,
                                                                            monkeypatch):
    from revpack import pdf

    monkeypatch.setattr(pdf, "LAYOUT_SECONDS", 0.01)
    pack = make_pack(ONLY_TIMELINE)
    (d,) = _build_errors(pack, tmp_path)
    # Stopped in the handout's own text, or (on a busy machine, later) in its running header,
    # which prints the pack's title from pack.yaml: either way, a file of the pack.
    assert d.location.path in (pack / "timeline.md", pack / "pack.yaml")
    assert d.message == ("the timeline (complete edition) could not be laid out in 0.01 seconds "
                         "and was stopped")
    assert "stylesheet" not in d.hint and "something in this file" in d.hint


def test_a_stopped_layout_names_the_line_of_the_text_it_was_laying_out(tmp_path):
    from revpack.diagnostics import Location
    from revpack.pdf import _stopped_at

    path = tmp_path / "timeline.md"
    path.write_text("# Timeline\n\n- **1922** — Rapallo signed.\n- **1926** — Berlin signed.\n",
                    encoding="utf-8")

    class Box:
        text = "Berlin signed."

    def laying_out(box):
        raise KeyboardInterrupt      # stands in for the timer

    try:
        laying_out(Box())
    except KeyboardInterrupt as exc:
        assert _stopped_at(Location(path), exc) == Location(path, 4)
