"""Find and fix (handouts/findfix.py, handouts/findfix_facts.py): seeded statements, planted
errors that are really wrong, the editions, thin packs and bad settings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revpack.build import check
from revpack.dates import HistDate, Point, parse_date
from revpack.diagnostics import Diagnostics, Location
from revpack.handouts.findfix import sheet, words_for
from revpack.handouts.findfix_facts import (ALIASES, KINDS, norm, overlaps, same_thing, span,
                                            when_text, _alias_groups)
from revpack.html import Templating
from revpack.model import Event, Manifest, Pack, Phase, Timeline, Treaty, TreatyTable
from revpack.resources import bundled_pack

FIXTURES = Path(__file__).parent / "fixtures"


def loaded(folder: Path):
    checked = check(folder)
    return checked.pack, checked.diagnostics


@pytest.fixture(scope="module")
def bundled():
    return loaded(bundled_pack())[0]


def rows_of(pack, **findfix):
    if findfix:
        pack.manifest.settings["findfix"] = findfix
    else:
        pack.manifest.settings.pop("findfix", None)
    return sheet(pack, words_for(pack, {}))


def as_printed(rows):
    return [(when_text(r.when), r.text, r.planted.kind if r.planted else "") for r in rows]


# --- seeding ---------------------------------------------------------------------------------

def test_a_rebuild_gives_the_same_sheet(bundled, tmp_path):
    first, _, _ = rows_of(bundled)
    again = loaded(bundled_pack())[0]
    second, _, _ = rows_of(again)
    assert as_printed(first) == as_printed(second)
    html = [Templating(p, Diagnostics(), None).html("findfix", "worksheet") for p in (bundled, again)]
    assert html[0] == html[1]


def test_the_set_setting_changes_the_week(bundled):
    one, _, _ = rows_of(bundled, set=1)
    two, _, _ = rows_of(bundled, set=2)
    default, _, _ = rows_of(bundled)
    assert as_printed(one) == as_printed(default)      # set 1 is the default
    assert as_printed(one) != as_printed(two)
    assert {r.text for r in one} != {r.text for r in two}


def test_the_counts_follow_the_settings(bundled):
    rows, _, opts = rows_of(bundled, statements=10, errors=3)
    assert len(rows) == 10 and sum(1 for r in rows if r.planted) == 3 == opts["errors"]
    rows, _, _ = rows_of(bundled)
    assert len(rows) == 15 and sum(1 for r in rows if r.planted) == 6


# --- the four kinds of error, each really wrong --------------------------------------------------

def assert_really_wrong(planted, facts, aliases):
    fact = planted.fact
    assert planted.differs(facts)
    here = (when_text(planted.when), norm(planted.text))
    assert here not in {(when_text(f.when), norm(f.text)) for f in facts}
    if planted.kind == "date":
        assert planted.text == fact.text
        # Not the true date, and not a date on which the same sentence is true.
        for f in facts:
            if norm(f.text) == norm(fact.text):
                assert not overlaps(span(planted.when), f.span), (planted, f)
    else:
        assert planted.when == fact.when and norm(planted.text) != norm(fact.text)
    if planted.kind in ("name", "place"):
        assert not same_thing(planted.wrong, planted.right, aliases)
        assert norm(planted.wrong) not in norm(fact.text)
    if planted.kind == "swap":
        a, b = planted.right, planted.wrong
        assert not same_thing(a, b, aliases)
        assert not re.search(rf"{re.escape(a)}\s*(,|and|–|-)\s*(the\s+)?{re.escape(b)}",
                             fact.text)


def test_each_kind_of_error_appears_and_is_wrong(bundled):
    seen = {}
    for week in range(1, 9):
        rows, facts, _ = rows_of(bundled, set=week)
        for r in rows:
            if r.planted:
                assert_really_wrong(r.planted, facts, _alias_groups())
                seen.setdefault(r.planted.kind, r.planted)
    assert set(seen) == set(KINDS)
    # One sheet alone takes the four kinds in turn.
    rows, _, _ = rows_of(bundled)
    assert {r.planted.kind for r in rows if r.planted} == set(KINDS)


def test_a_swap_never_touches_symmetric_names(bundled):
    for week in range(1, 13):
        rows, _, _ = rows_of(bundled, set=week)
        for r in rows:
            if r.planted and r.planted.kind == "swap":
                a, b = r.planted.right, r.planted.wrong
                between = r.fact.text.split(a, 1)[1].split(b, 1)[0]
                assert not re.fullmatch(r"\s*(,|and|or|–|-)\s*(the\s*)?", between)
                assert not re.search(r"\b(with|between|mutual|both)\b", r.fact.text)


# --- the editions ----------------------------------------------------------------------------

def text_of(page: str) -> str:
    import html

    page = re.sub(r"<(td|th|p|div|dt|dd|li)\b", r" <\1", page)
    return html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\u2019", "'")


def test_the_answers_mark_every_error_and_correct_it(bundled):
    rows, _, opts = rows_of(bundled)
    templating = Templating(bundled, Diagnostics(), None)
    answers = templating.html("findfix", "answers")
    assert answers.count('class="ff-verdict ff-wrong"') == opts["errors"] == 6
    assert answers.count('class="ff-verdict ff-right"') == len(rows) - 6
    plain = text_of(answers)
    for r in rows:
        if r.planted:
            assert r.planted.right in plain and r.planted.wrong in plain
            assert norm(re.sub(r"[*_]", "", r.fact.text))[:40] in norm(plain)
    worksheet = text_of(templating.html("findfix", "worksheet"))
    assert "Right or wrong?" in worksheet and "Correction" in worksheet
    assert "ff-wrong" not in templating.html("findfix", "worksheet")
    for r in rows:        # the worksheet prints the planted statements, not the true ones
        assert norm(re.sub(r"[*_]", "", r.text))[:50] in norm(worksheet)


def test_the_complete_edition_is_the_true_statements(bundled):
    rows, _, _ = rows_of(bundled)
    complete = Templating(bundled, Diagnostics(), None).html("findfix", "complete")
    plain = norm(text_of(complete))
    assert "right or wrong?" not in plain and "correction" not in plain
    for r in rows:
        assert norm(re.sub(r"[*_]", "", r.fact.text))[:50] in plain
        if r.planted and r.planted.kind != "date":
            assert norm(re.sub(r"[*_]", "", r.planted.text)) not in plain


# --- thin packs --------------------------------------------------------------------------------

def test_a_pack_with_no_treaties_still_works(make_pack):
    folder = make_pack({"treaties.md": None}, base="cold-war")
    pack, diags = loaded(folder)
    assert "treaties" not in pack.content or pack.content.get("treaties") is None
    rows, facts, opts = rows_of(pack)
    assert rows and all(f.source == "event" for f in facts)
    assert opts["errors"] >= 1
    html = Templating(pack, diags, None).html("findfix", "answers")
    assert html.count("ff-wrong") >= 1


def test_a_thin_pack_gives_fewer_statements_and_a_warning_only_when_asked(make_pack):
    pack, diags = loaded(make_pack())            # the mini pack: five events, two treaties
    rows, _, opts = rows_of(pack)
    assert 0 < len(rows) < 15
    assert not [d for d in diags.items if "find-and-fix" in d.message]
    folder = make_pack({"pack.yaml": (FIXTURES / "mini" / "pack.yaml").read_text()
                        + "findfix:\n  statements: 12\n  errors: 5\n"}, name="asked")
    checked = check(folder)
    warned = [d for d in checked.diagnostics.warnings if "find-and-fix" in d.message]
    assert len(warned) == 1 and warned[0].location.path.name == "pack.yaml"
    assert warned[0].location.line == len((FIXTURES / "mini" / "pack.yaml").read_text()
                                          .splitlines()) + 1          # the 'findfix:' line
    assert "not the 12 and 5 asked for" in warned[0].message


def test_a_one_event_pack_builds_its_sheet_without_a_crash(make_pack):
    folder = make_pack({"treaties.md": None, "timeline.md":
                        "# Timeline\n\n## One phase\n\nSummary: One event.\n\n"
                        "- **16 Apr 1922** — The Treaty of Rapallo is signed. [treaty]\n"})
    pack, diags = loaded(folder)
    rows, _, _ = rows_of(pack)
    assert len(rows) == 1
    Templating(pack, diags, None).html("findfix", "worksheet")


@pytest.mark.parametrize("setting, message", [
    ("statements: 0", "'statements' should be a whole number from 1 to 40"),
    ("errors: many", "'errors' should be a whole number"),
    ("statements: 4\n  errors: 5", "'errors' (5) is more than 'statements' (4)"),
    ("weeks: 2", "unknown findfix option 'weeks'"),
    ("aliases: Peking", "'aliases' should be a list of groups"),
])
def test_bad_settings_are_located_errors(make_pack, setting, message):
    text = (FIXTURES / "mini" / "pack.yaml").read_text()
    folder = make_pack({"pack.yaml": text + f"findfix:\n  {setting}\n"})
    from revpack.diagnostics import RevpackError
    with pytest.raises(RevpackError) as exc:
        check(folder)
    found = [str(d) for d in exc.value.diagnostics if message in d.message]
    line = len(text.splitlines()) + 2 + ("more than" in message)
    assert found and f"pack.yaml:{line}:" in found[0], [str(d) for d in exc.value.diagnostics]


def test_aliases_keep_a_place_from_standing_in_for_itself():
    groups = _alias_groups([("Kolkata", "Calcutta")])
    assert same_thing("Peking", "beijing", groups) and same_thing("Calcutta", "Kolkata", groups)
    assert not same_thing("Paris", "Berlin", groups)


# --- the property: every planted statement differs from every true one -------------------------

STATES = ("Germany", "USSR", "Soviet Russia", "Britain", "United Kingdom", "France", "Poland",
          "Japan", "Italy", "Finland", "USA", "China")
PEOPLE = ("Litvinov", "Molotov", "Chicherin", "Ribbentrop", "Barthou", "Stalin")
PLACES = ("Moscow", "Berlin", "Paris", "London", "Peking", "Beijing", "Riga", "Prague",
          "Geneva", "Rome")
TREATIES = ("Treaty of Rapallo", "Treaty of Berlin", "Litvinov Protocol", "Munich Agreement",
            "Anti-Comintern Pact", "Nazi–Soviet Pact")
EVENT_FORMS = (
    "{a} invades {b}.", "{a} recognises {b}.", "{a} signs a pact with {b}.",
    "{a} and {b} sign a trade agreement in {place}.", "{p} is murdered in {place}.",
    "{p} takes over from {q} as Commissar.", "{a} breaks off relations with {b}.",
    "Italy joins the {t}.", "{a} proposes that {b} give guarantees to its neighbours.",
    "{p} arrives in {place} to join the talks.", "{a} follows {b} in recognising {c}.",
)


@st.composite
def dates(draw):
    year = draw(st.integers(1917, 1940))
    precision = draw(st.sampled_from(("day", "month", "year", "range")))
    month = draw(st.integers(1, 12))
    if precision == "year":
        return HistDate(Point(year))
    if precision == "month":
        return HistDate(Point(year, month))
    day = draw(st.integers(1, 28))
    if precision == "day":
        return HistDate(Point(year, month, day))
    end_month = draw(st.integers(month, 12))
    return HistDate(Point(year, month, day), Point(year, end_month, 28))


@st.composite
def packs(draw):
    loc = Location(Path("/nowhere/timeline.md"), 1)
    events = []
    texts = []
    for _ in range(draw(st.integers(0, 30))):
        a, b, c = draw(st.permutations(STATES))[:3]
        p, q = draw(st.permutations(PEOPLE))[:2]
        form = draw(st.sampled_from(EVENT_FORMS))
        text = form.format(a=a, b=b, c=c, p=p, q=q, place=draw(st.sampled_from(PLACES)),
                           t=draw(st.sampled_from(TREATIES)))
        if texts and draw(st.booleans()):
            text = draw(st.sampled_from(texts))       # the same sentence on another date
        texts.append(text)
        events.append(Event(draw(dates()), text, draw(st.sampled_from(("event", "treaty"))),
                            loc))
    treaties = []
    for name in draw(st.lists(st.sampled_from(TREATIES), unique=True, max_size=6)):
        parties = draw(st.lists(st.sampled_from(STATES), min_size=1, max_size=5, unique=True))
        place = draw(st.sampled_from(PLACES + ("", "London and Paris")))
        treaties.append(Treaty(name, draw(dates()), place, parties, "Terms.", "Why.", loc))
    manifest = Manifest("Random pack", "History", "A-level", "Board", "en", "Author",
                        period=parse_date("1917–1940"),
                        settings={"findfix": {"set": draw(st.integers(1, 50)),
                                              "statements": draw(st.integers(1, 25)),
                                              "errors": 0}})
    manifest.settings["findfix"]["errors"] = draw(
        st.integers(0, manifest.settings["findfix"]["statements"]))
    content = {"timeline": Timeline("Timeline", "", [Phase("All", "Summary.", events, loc)], {},
                                    loc)}
    if treaties:
        content["treaties"] = TreatyTable("Treaties", "", treaties, {}, loc)
    return Pack("random", Path("/nowhere"), manifest, content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packs())
def test_every_planted_statement_differs_from_every_true_one(pack):
    rows, facts, opts = sheet(pack, words_for(pack, {}))
    asked = pack.manifest.settings["findfix"]
    # Two statements about one treaty never share a sheet; statements of no treaty always can.
    assert min(asked["statements"], sum(1 for f in facts if not f.treaties)) <= len(rows) \
        <= min(asked["statements"], len(facts))
    assert opts["errors"] <= asked["errors"]
    true_statements = {(when_text(f.when), norm(f.text)) for f in facts}
    aliases = _alias_groups()
    for r in rows:
        if r.planted:
            assert (when_text(r.planted.when), norm(r.planted.text)) not in true_statements
            assert_really_wrong(r.planted, facts, aliases)
        else:
            assert (when_text(r.fact.when), norm(r.fact.text)) in true_statements
    assert len({norm(r.text) + when_text(r.when) for r in rows}) == len(rows)


def test_the_built_pdfs_hold_the_sheet_in_each_edition(built):
    from .conftest import pdftotext

    worksheet = pdftotext(built / "findfix-worksheet.pdf")
    answers = pdftotext(built / "findfix-answers.pdf")
    complete = pdftotext(built / "findfix-complete.pdf")
    assert len(re.findall(r"Right\s*/\s*Wrong", worksheet)) == 15 and "Correction" in worksheet
    assert answers.count("WRONG") == 6 and answers.count("True statement:") == 6
    assert not re.search(r"Right\s*/\s*Wrong", complete) and "WRONG" not in complete
    assert len(pdftotext(built / "findfix-worksheet.pdf").split("\f")) == \
        len(answers.split("\f"))                     # both editions paginate alike


def test_a_name_inside_a_longer_name_is_left_alone():
    from revpack.handouts.findfix_facts import find, first_sentence, part_of_longer_name

    text = "Nazi Germany and West Germany differ from Germany in Poland."
    assert find(("Germany", "West Germany", "Poland"), text) == ["West Germany", "Poland"]
    assert part_of_longer_name("Republican Spain falls.", 11, 16)
    assert not part_of_longer_name("The USSR invades Finland.", 4, 8)
    assert first_sentence("J. V. Stalin speaks. Then c. 1933 more.") == "J. V. Stalin speaks."


# --- the page audit on this kind alone: python -m pytest -m matrix tests/test_findfix.py --------

@pytest.mark.matrix
@pytest.mark.parametrize("paper", ("a4", "letter"))
@pytest.mark.parametrize("variant", ("standard", "large-print", "dyslexia-friendly"))
@pytest.mark.parametrize("folder", (bundled_pack(), FIXTURES / "cold-war"), ids=("bundled", "second"))
def test_matrix_findfix_pages(tmp_path, folder, variant, paper):
    """Each edition's pages pass the page audit (18 pt at least in large print), and the
    worksheet and the answers paginate alike."""
    from revpack.build import _Session

    from .audit import audit_pdf

    checked = check(folder)
    session = _Session(checked.pack, checked.diagnostics, None, None)
    pages, found = {}, []
    for edition in ("complete", "worksheet", "answers"):
        document = session.render("findfix", edition, variant, paper)[0]
        pdf = tmp_path / f"findfix-{edition}.pdf"
        pdf.write_bytes(session.renderer.write(document, pdf.name))
        pages[edition] = len(document.pages)
        found += audit_pdf(pdf, 18.0 if variant == "large-print" else 0.0, name=pdf.name)
    assert not found, "\n".join(map(str, found))
    assert pages["worksheet"] == pages["answers"]
