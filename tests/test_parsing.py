"""Parsing the pack format into the model, and the exact path:line messages for mistakes."""

from __future__ import annotations

import pytest

from revpack.build import check
from revpack.diagnostics import Diagnostics
from revpack.load import load_pack
from revpack.resources import bundled_pack

from .conftest import messages


def test_mini_pack_model(make_pack):
    diags = Diagnostics()
    pack = load_pack(make_pack(), diags)
    assert pack.manifest.title == "Mini pack"
    assert pack.manifest.language == "en-GB"
    phases = pack.timeline.phases
    assert [p.title for p in phases] == ["Isolation, 1917–1922", "Collective security, 1933–1938"]
    first = phases[0].events[0]
    assert first.loc.line == 7 and first.loc.path.name == "timeline.md"
    assert [e.kind for e in phases[0].events] == ["event", "conference", "treaty"]
    rapallo = pack.treaties.treaties[0]
    assert rapallo.parties == ["Germany", "Soviet Russia"]
    assert rapallo.loc.line == 3
    school = pack.historiography.schools[0]
    assert [(h.name, h.work, h.year) for h in school.historians] == [
        ("A. J. P. Taylor", "The Origins of the Second World War", 1961),
        ("G. Roberts", "The Unholy Alliance", 1989)]
    q1, q2 = pack.exam.questions
    assert (q1.number, q1.marks, q2.marks) == (1, 25, 4)
    assert [(lv.number, lv.low, lv.high) for lv in q1.mark_scheme.levels] == [(2, 13, 25), (1, 1, 12)]
    assert q2.sources[0].label == "Source A" and "Stalin" in q2.sources[0].provenance
    assert pack.exam.settings["time_allowed"] == "1 hour"


def test_events_out_of_order_warn_and_are_sorted(make_pack):
    diags = Diagnostics()
    pack = load_pack(make_pack(), diags)
    assert "timeline.md:9: warning: event dated 10 Apr – 19 May 1922 comes after 16 Apr 1922" \
        in diags.lines()[0].replace("\u00a0", " ")
    dates = [e.date for p in pack.timeline.phases for e in p.events]
    assert dates == sorted(dates)


def test_bundled_pack_is_clean_and_big_enough():
    result = check(bundled_pack(), strict=True)
    counts = result.counts()
    assert counts["events"] >= 40 and counts["treaties"] >= 12
    assert counts["schools"] >= 4 and counts["questions"] >= 8
    assert len(result.pack.timeline.phases) >= 4
    assert all(q.mark_scheme for q in result.pack.exam.questions)


def test_bundled_pack_avoids_the_mind_maps_errors():
    root = bundled_pack()
    text = "\n".join(p.read_text(encoding="utf-8") for p in root.glob("*.md"))
    assert "Litinov" not in text and "Litvinov" in text
    assert "J. P. Taylor" in text and " J. P. Taylor" not in text.replace("A. J. P. Taylor", "")
    pack = check(root).pack
    berlin = [t for t in pack.treaties.treaties if t.name.startswith("Treaty of Berlin")]
    assert berlin and berlin[0].date.format().endswith("1926")
    guarantees = [e.text for p in pack.timeline.phases for e in p.events
                  if "guarantee" in e.text.lower() and "Poland" in e.text]
    assert guarantees and not any("USSR guarantee" in g or "Soviet guarantee" in g
                                  for g in guarantees)


@pytest.mark.parametrize("files, expected", [
    ({"timeline.md": "# T\n\n## Phase\n\nSummary: s\n\n- **16 Aprl 1922** — x\n"},
     "timeline.md:7: error: bad date: 'Aprl' in '16 Aprl 1922' is not a day, month or year "
     "(dates look like 16 Apr 1922, Apr 1922, 1922, c. 1922, 1924–25, 1940s, Spring 1947 or "
     "44 BCE)"),
    ({"timeline.md": "# T\n\n## Empty phase\n\nSummary: s\n"},
     "timeline.md:3: error: phase 'Empty phase' has no events"),
    ({"treaties.md": "# T\n\n## Rapallo\n- Date: 16 Apr 1922\n- Partys: A; B\n- Terms: t\n"
                     "- Significance: s\n"},
     "treaties.md:5: error: unknown field 'Partys' (did you mean 'Parties'?)"),
    ({"treaties.md": "# T\n\n## Rapallo\n- Date: 16 Apr 1922\n- Terms: t\n- Significance: s\n"},
     "treaties.md:3: error: 'Rapallo' has no 'Parties' field (add a line '- Parties: ...')"),
    ({"exam.md": "# E\n\n## Q\n- Paper: x\n\n**Assess** this.\n"},
     "exam.md:3: error: question 'Q' has no tariff (add a line '- Marks: 25')"),
    ({"exam.md": "# E\n\n## Q\n- Marks: 4\n\n**Assess** this.\n"},
     "exam.md:3: warning: question 1 ('Q') has no mark scheme "
     "(add a '### Mark scheme' section for the answers edition)"),
    ({"timeline.md": "# T\n\n## P\n\nSummary: s\n\n- **1 Jan 1950** — x\n"},
     "timeline.md:7: warning: date 1 Jan 1950 is outside the pack's period 1917–39"),
    ({"pack.yaml": "title: t\nsubject: s\nlevel: l\nexam_board: e\nauthor: a\ncolour: red\n"},
     "pack.yaml:6: error: unknown setting 'colour' (expected one of:"),
])
def test_mistakes_are_reported_at_path_and_line(make_pack, files, expected):
    found = messages(make_pack(files))
    assert any(m.startswith(expected) for m in found), found


def test_every_mistake_in_a_file_is_reported_together(make_pack):
    pack = make_pack({"treaties.md": """\
        # T

        ## A
        - Date: 31 Feb 1922
        - Parties: x
        - Terms: t
        - Significance: s

        ## B
        - Date: 1922
        - Partiez: x
        - Terms: t
        - Significance: s
        """})
    found = [m for m in messages(pack) if "error" in m]
    # bad date and unknown field; the misspelt Parties is not reported missing as well
    assert len(found) == 2, found
    assert "did you mean 'Parties'?" in found[1]


def test_zero_mark_and_one_mark_bands_are_read(make_pack):
    """Boards print a 'nothing worthy of credit' band at 0 marks, and some one-mark bands."""
    pack_dir = make_pack({"exam.md": """\
        # E

        ## Q
        - Marks: 4

        **Analyse** this.

        ### Mark scheme
        - Level 3: 2–4 marks — Good.
        - Level 2: 1 mark — Some.
        - Level 0: 0 marks — Nothing worthy of credit.
        """})
    diags = Diagnostics()
    q = load_pack(pack_dir, diags).exam.questions[0]
    assert [(lv.number, lv.low, lv.high) for lv in q.mark_scheme.levels] == [
        (3, 2, 4), (2, 1, 1), (0, 0, 0)]
    assert q.mark_scheme.levels[-1].descriptor == "Nothing worthy of credit."
    assert not [m for m in messages(pack_dir) if "exam.md" in m]
    from revpack.build import html_for
    html = html_for(pack_dir, "exam", "answers").replace("\u00a0", " ").replace("&nbsp;", " ")
    assert "Level 0: 0 marks<" in html and "Level 2: 1 mark<" in html
    assert "Level 3: 2–4 marks<" in html and "0–0" not in html


# --- historians' works of every kind (issue 16, part 5) ------------------------------------------

@pytest.mark.parametrize("entry, name, kind, title, details", [
    ("A. J. P. Taylor, *The Origins of the Second World War* (1961)", "A. J. P. Taylor", "book",
     "The Origins of the Second World War", "(1961)"),
    ("Taylor, A. J. P., *The Origins* (1961; 2nd edn 1963)", "Taylor, A. J. P.", "book",
     "The Origins", "(1961; 2nd edn 1963)"),
    ('A. M. Schlesinger Jr., "Origins of the Cold War", *Foreign Affairs* (vol. 46, 1967)',
     "A. M. Schlesinger Jr.", "article", "Origins of the Cold War",
     "*Foreign Affairs* (vol. 46, 1967)"),
    ("J. Haslam, ‘Stalin’s fears’, *Journal of Modern History* 69 (1997)", "J. Haslam",
     "article", "Stalin’s fears", "*Journal of Modern History* 69 (1997)"),
    ("G. Roberts, 'Stalin's war', *Europe-Asia Studies* 47 (1995)", "G. Roberts", "article",
     "Stalin's war", "*Europe-Asia Studies* 47 (1995)"),
    ('R. Overy, "Germany and the Munich Crisis", in R. Boyce and E. M. Robertson (eds), '
     "*Paths to War* (1989)", "R. Overy", "chapter", "Germany and the Munich Crisis",
     "in R. Boyce and E. M. Robertson (eds), *Paths to War* (1989)"),
])
def test_a_historians_name_ends_where_the_work_begins(entry, name, kind, title, details):
    from revpack.handouts.historiography import split_work

    assert split_work(entry) == (name, kind, title, details)


def test_an_article_prints_only_its_name_in_bold_with_curly_quotes(make_pack):
    from revpack.build import html_for

    pack = make_pack({"historiography.md": (
        "# Historiography\n\n## Post-revisionists\n- Historians:\n"
        '  - J. L. Gaddis, "The Emerging Post-Revisionist Synthesis", *Diplomatic History* 7 '
        "(1983)\n"
        '  - R. Overy, "Germany and the Munich Crisis", in R. Boyce (ed.), *Paths to War* '
        "(1989)\n"
        "  - A. J. P. Taylor, *The Origins of the Second World War* (1961; 2nd edn 1963)\n"
        "- Argument: a.\n- Evidence: b.\n- Criticisms: c.\n")})
    html = html_for(pack, "historiography")
    assert '<span class="historian">J. L. Gaddis</span>, &ldquo;' in html
    assert '&rdquo;, <em><span class="nh">Diplomatic History</span></em> 7 (1983)</li>' in html
    assert '<span class="historian">R. Overy</span>, &ldquo;' in html and "(ed.), <em>" in html
    assert "</cite> (1961; 2nd edn 1963)</li>" in html
    assert '"The Emerging' not in html and "Synthesis\"" not in html


@pytest.mark.parametrize("entry, message", [
    ('G. Roberts, "The Soviet decision" (1989)',
     "a title in quotation marks is an article's or a chapter's: give its journal or book"),
    ('G. Roberts, "The Soviet decision, *J* 3 (1989)', "the title of G. Roberts's work opens a quotation mark but never closes it"),
    ("G. Roberts (1989)", "a historian needs a name and a work"),
    ('G. Roberts, "Title", *J* 3 (vol. three)', "'vol. three' is not a year"),
])
def test_bad_historian_entries_say_what_to_write(make_pack, entry, message):
    pack = make_pack({"historiography.md": (
        f"# H\n\n## S\n- Historians:\n  - {entry}\n- Argument: a.\n- Evidence: b.\n"
        "- Criticisms: c.\n")})
    assert any(f"historiography.md:5: error: {message}" in m for m in messages(pack))
