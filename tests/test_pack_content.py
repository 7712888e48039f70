"""The bundled pack's content: the coverage an A-level or IB teacher expects, the fixes of the
content review (issue 12) staying fixed, and mark schemes, sources and bibliography that hold
together. Reads only the pack in the repository."""

from __future__ import annotations

import re

import pytest

from revpack.build import check
from revpack.dates import parse_date
from revpack.resources import bundled_pack


@pytest.fixture(scope="module")
def pack():
    return check(bundled_pack(), strict=True).pack


def events(pack):
    return [e for phase in pack.timeline.phases for e in phase.events]


def plain(text: str) -> str:
    """Markdown emphasis and non-breaking spaces out of the way, for comparing text."""
    return re.sub(r"[*_]", "", text).replace("\u00a0", " ")


@pytest.mark.parametrize("date, words", [
    # revolutionary diplomacy, 1917-18
    ("8 Nov 1917", "Decree on Peace"),
    ("Feb 1918", "annuls the state debts"),
    ("10 Feb 1918", "neither war nor peace"),
    ("23 Feb 1918", "Left Communists"),
    # the Comintern
    ("2–6 Mar 1919", "Comintern"),
    ("19 Jul – 7 Aug 1920", "Twenty-One Conditions"),
    ("17 Jul – 1 Sep 1928", "Third Period"),
    ("25 Jul – 20 Aug 1935", "Popular Front"),
    # the Polish-Soviet War
    ("Aug 1920", "Warsaw"),
    # China, Britain, the Far East
    ("26 Jan 1923", "Sun Yat-sen"),
    ("8 May 1923", "Curzon ultimatum"),
    ("12 Apr 1927", "Shanghai"),
    ("10 Jul – 22 Dec 1929", "Chinese Eastern Railway"),
    ("12 Mar 1936", "Mongolian"),
    # ideology
    ("Dec 1924", "Socialism in One Country"),
    ("Dec 1924", "capitalist encirclement"),
    # tests of collective security
    ("3 Oct 1935", "Abyssinia"),
    ("12–13 Mar 1938", "Anschluss"),
    ("17 Mar 1938", "Litvinov"),
    # Spain in depth
    ("23 Aug 1936", "Non-Intervention Agreement"),
    ("Oct 1936", "International Brigades"),
    ("Oct–Nov 1936", "gold"),
    ("May–Jun 1937", "POUM"),
    # the Winter War, to the Treaty of Moscow
    ("26 Nov 1939", "Mainila"),
    ("30 Nov 1939", "invades Finland"),
    ("14 Dec 1939", "expels the USSR"),
    ("12 Mar 1940", "Treaty of Moscow"),
])
def test_the_timeline_covers_what_the_exam_questions_need(pack, date, words):
    when = parse_date(date)
    assert any(e.date == when and words in plain(e.text) for e in events(pack)), (date, words)


def test_the_period_runs_to_the_treaty_of_moscow(pack):
    assert pack.manifest.period.year == 1917 and pack.manifest.period.end.year == 1940
    moscow = [t for t in pack.treaties.treaties if t.name == "Treaty of Moscow"]
    assert moscow and moscow[0].date == parse_date("12 Mar 1940")
    assert "Hanko" in moscow[0].terms and "Karelian Isthmus" in moscow[0].terms
    last = pack.timeline.phases[-1]
    assert "Winter War" in last.title and max(e.date for e in last.events) == parse_date("12 Mar 1940")


def test_review_errors_stay_fixed(pack):
    text = {plain(e.date.format()): plain(e.text) for e in events(pack)}
    # F1: Finland was never occupied; the pact's sphere was occupied only in part
    pact = next(t for t in pack.treaties.treaties if t.name.startswith("Nazi–Soviet"))
    assert "Finland resisted" in pact.significance
    # F2: no grain comparison with 1927/28, the year exports almost stopped
    assert not any("1927/28" in t for t in text.values())
    # F3: the USA withheld recognition; relations were never formally broken
    assert "withholds recognition" in text["6 Dec 1917"] and "breaks off" not in text["6 Dec 1917"]
    # F7: Soviet help to Czechoslovakia was due if France also helped, not "acts first"
    every = " ".join(plain(p.read_text(encoding="utf-8")) for p in bundled_pack().glob("*.md"))
    assert "acts first" not in every and "acting first" not in every
    # F12: the pact was signed in the early hours of 24 Aug, dated 23 Aug
    assert "24 Aug" in text["23 Aug 1939"]


def test_every_mark_scheme_has_a_zero_band_and_reaches_the_tariff(pack):
    for q in pack.exam.questions:
        levels = q.mark_scheme.levels
        assert (levels[-1].low, levels[-1].high) == (0, 0), q.label
        assert levels[0].high == q.marks, q.label


def test_ib_paper_1_questions_share_one_set_of_sources(pack):
    paper1 = [q for q in pack.exam.questions if q.paper.startswith("IB Paper 1")]
    assert len(paper1) >= 2
    shared: dict[str, tuple[str, str]] = {}
    for q in paper1:
        for s in q.sources:
            shared.setdefault(s.label, (s.provenance, s.text))
            assert shared[s.label] == (s.provenance, s.text), (q.label, s.label)
    assert sorted(shared) == ["Source A", "Source B", "Source C", "Source D"]


@pytest.mark.parametrize("code, time, total, tariffs, answer", [
    ("7042/2N", "2 hours 30 minutes", 80, [30, 25, 25, 25], "**two**"),   # 30 + two essays
    ("7042/1", "1 hour", 30, [30], "Question 1"),
    ("7041/2N", "45 minutes", 25, [25], "Question 1"),
    ("Paper 1", "1 hour", 24, [3, 2, 4, 6, 9], "**all**"),
    ("Paper 3", "2 hours 30 minutes", 45, [15, 15, 15], "**three**"),
])
def test_each_paper_is_one_board_paper_a_candidate_could_sit(pack, code, time, total, tariffs,
                                                               answer):
    """Issue 12 item 5: no paper mixes boards or components; its time, total and rubric are true."""
    paper = next(p for p in pack.exam.papers if code in p.code)
    assert (paper.time_allowed, paper.total_marks) == (time, total), paper.title
    assert [q.marks for q in paper.questions] == tariffs, paper.title
    board = "AQA" if paper.board.startswith("AQA") else "IB"
    assert all(q.paper.startswith(board) for q in paper.questions), paper.title
    assert any(answer in line for line in paper.instructions), paper.instructions


def test_papers_take_one_component_each(pack):
    assert len(pack.exam.papers) == 5
    for paper in pack.exam.papers:
        kinds = {re.sub(r", question .*", "", q.paper) for q in paper.questions}
        if paper.board.startswith("IB"):
            assert len(kinds) == 1, (paper.title, kinds)      # all Paper 1, or all Paper 3


def test_the_historiography_has_both_debates_and_credits_its_labels(pack):
    schools = pack.historiography.schools
    early = [s for s in schools if s.name.startswith("1917–33")]
    later = [s for s in schools if s.name.startswith("1933–39")]
    assert len(early) >= 2 and len(later) >= 4 and len(early) + len(later) == len(schools)
    names = {h.name for s in schools for h in s.historians}
    for historian in ("E. H. Carr", "A. B. Ulam", "T. J. Uldricks", "S. Pons", "G. Gorodetsky"):
        assert historian in names, historian
    intro = plain(pack.historiography.intro)
    assert "Roberts (1995)" in intro and "Uldricks" in intro


def test_the_bibliography_lists_every_historian_and_work_in_the_grid(pack):
    sources = plain(" ".join(pack.manifest.sources))
    for school in pack.historiography.schools:
        for h in school.historians:
            surname = h.name.split()[-1]
            work = plain(h.work).split(":")[0].rstrip(", ")
            assert surname in sources, h.name
            assert work in sources, (h.name, work)
