"""`revpack import`: mind maps and outlines in every format to a pack skeleton that checks and
builds, with a report accounting for every node; hostile XML refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import revpack
from revpack import cli
from revpack.build import check
from revpack.diagnostics import RevpackError
from revpack.importer import import_map, read_file
from revpack.importer import mdoutline, textoutline
from revpack.importer.finddates import find_dates
from revpack.importer.plan import make_plan
from revpack.importer.tree import MapTree

from .conftest import FIXTURES, messages

MAPS = FIXTURES / "import"
SEED = MAPS / "seed-soviet-foreign-policy.txt"
runner = CliRunner()

FORMATS = {
    "seed-soviet-foreign-policy.txt": "indented text outline",
    "weimar-outline.txt": "indented text outline",
    "coggle-outline.md": "Markdown outline",
    "headings-outline.md": "Markdown outline",
    "freemind.mm": "FreeMind/Freeplane .mm map",
    "freeplane.mm": "FreeMind/Freeplane .mm map",
    "coggle.mm": "FreeMind/Freeplane .mm map",
    "cold-war.opml": "OPML outline",
}


def _errors(pack: Path) -> list[str]:
    return [m for m in messages(pack) if ": error: " in m]


def _report_rows(pack: Path) -> list[list[str]]:
    text = (pack / "import-report.md").read_text(encoding="utf-8")
    table = text.split("## Every node", 1)[1]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            for line in table.splitlines() if re.match(r"\| \d+ \|", line)]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_imports_to_a_pack_that_checks(name, tmp_path):
    result = import_map(MAPS / name, tmp_path / "pack")
    assert result.format_name == FORMATS[name]
    assert _errors(tmp_path / "pack") == []
    assert result.plan.events, "every fixture has dated nodes"
    rows = _report_rows(tmp_path / "pack")
    assert len(rows) == result.node_count
    assert all(r[3] and "nowhere" not in r[3] for r in rows), rows


def test_format_is_detected_from_content_not_extension(tmp_path):
    for src, renamed, expected in (("cold-war.opml", "map.txt", "OPML outline"),
                                   ("freemind.mm", "map.md", "FreeMind/Freeplane .mm map"),
                                   ("coggle-outline.md", "map.txt", "Markdown outline"),
                                   ("weimar-outline.txt", "map.opml", "indented text outline")):
        shutil.copy(MAPS / src, tmp_path / renamed)
        assert read_file(tmp_path / renamed).format_name == expected, src


def test_the_seed_map_imports_every_dated_node_as_an_event(tmp_path):
    result = import_map(SEED, tmp_path / "pack")
    pack = tmp_path / "pack"
    assert result.node_count == 56
    plan = result.plan
    debate = next(n for n in result.tree.roots[0].children if "debate" in n.text)
    in_debate = {n.id for n in debate.walk()}
    dated = [n for n in result.tree.nodes()[1:] if find_dates(n.text) and n.id not in in_debate]
    assert len(dated) >= 25
    event_nodes = {e.node.id for e in plan.events}
    assert {n.id for n in dated} <= event_nodes
    timeline = (pack / "timeline.md").read_text(encoding="utf-8")
    assert "- **Nov 1932** — Franco-Soviet non-agression pact signed [treaty]" in timeline
    assert "- **1920–25** — Troops withdrawn from Russia" in timeline
    assert "- **1917** — Bolshevik Revolution" in timeline      # a date-only node takes its child
    assert "- **3 Sep 1939** — Britain and France declared war on Germany [war]" in timeline
    counts = check(pack).counts()
    assert counts["events"] == len(plan.events) and counts["schools"] == 4
    assert _errors(pack) == []
    text = (pack / "treaties.md").read_text(encoding="utf-8")
    assert "## Treaty of Rapallo\n- Date: 1922\n" in text
    assert "## Franco-Soviet Pact\n- Date: 1935\n" in text       # its own date, not the node's
    hg = (pack / "historiography.md").read_text(encoding="utf-8")
    assert "## Collective security school" in hg and "## Germanist view" in hg
    assert "  - J. P. Taylor, *The Origins of the Second World War*" in hg


def test_the_seed_report_accounts_for_every_node_and_asks_for_checks(tmp_path):
    import_map(SEED, tmp_path / "pack")
    rows = _report_rows(tmp_path / "pack")
    assert [int(r[0]) for r in rows] == list(range(1, 57))
    assert all("nowhere" not in r[3] for r in rows)
    report = (tmp_path / "pack" / "import-report.md").read_text(encoding="utf-8")
    assert "mind maps often hold mistakes" in report and "- [ ] Check every date" in report
    eye = report.split("## Needs your eye", 1)[1].split("## Not carried over")[0]
    assert "two dates (Sep 1938, 1935)" in eye
    assert "no year in the map: 3 Sep 1939" in eye
    assert "no date found" in eye and "not allowed to join LoN" in eye
    notes = (tmp_path / "pack" / "map-notes.md").read_text(encoding="utf-8")
    assert "Secret German military training" in notes and "(map line 10)" in notes


def test_the_seed_pack_builds_at_once(tmp_path):
    pack = tmp_path / "pack"
    import_map(SEED, pack)
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    names = {w.path.name for w in result.files}
    assert {"timeline-complete.pdf", "treaties-complete.pdf", "historiography-complete.pdf",
            "pack-complete.pdf"} <= names


def test_links_and_bold_survive_images_empty_nodes_and_cross_links_are_reported(tmp_path):
    import_map(MAPS / "coggle-outline.md", tmp_path / "md")
    timeline = (tmp_path / "md" / "timeline.md").read_text(encoding="utf-8")
    assert "**Yalta Conference**" in timeline
    assert "[United Nations](https://www.un.org/en/about-us/history-of-the-un)" in timeline
    assert "- **4–11 Feb 1945** —" in timeline and "- **1948–49** — Berlin Blockade" in timeline
    report = (tmp_path / "md" / "import-report.md").read_text(encoding="utf-8")
    assert "image not carried over: https://example.org/big-three.png" in report
    assert "empty node (its children are kept)" in report
    assert "a treaty with no date" in report and "Warsaw Pact" in report
    assert "Warsaw Pact formed" in (tmp_path / "md" / "treaties.md").read_text(encoding="utf-8")

    import_map(MAPS / "freemind.mm", tmp_path / "mm")
    report = (tmp_path / "mm" / "import-report.md").read_text(encoding="utf-8")
    assert "cross-link to “[Provisional Government formed]" in report
    notes = (tmp_path / "mm" / "map-notes.md").read_text(encoding="utf-8")
    assert "[Provisional Government formed](https://en.wikipedia.org/wiki/" in notes

    import_map(MAPS / "freeplane.mm", tmp_path / "fp")
    timeline = (tmp_path / "fp" / "timeline.md").read_text(encoding="utf-8")
    assert "- **24 Oct 1929** — Black Thursday on [Wall Street](https://example.org/wall-street)" \
        in timeline
    report = (tmp_path / "fp" / "import-report.md").read_text(encoding="utf-8")
    assert "image not carried over: images/dow.png" in report
    assert "About 9,000 banks failed" in (tmp_path / "fp" / "map-notes.md").read_text()

    import_map(MAPS / "cold-war.opml", tmp_path / "opml")
    timeline = (tmp_path / "opml" / "timeline.md").read_text(encoding="utf-8")
    assert "- **1 Aug 1975** — **Helsinki Accords**" in timeline
    assert "title: \"Détente, 1969–1979\"" in (tmp_path / "opml" / "pack.yaml").read_text()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE map [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<map><node TEXT="&lol3;"/></map>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE opml [
<!ENTITY xxe SYSTEM "file://{secret}">
]>
<opml version="2.0"><body><outline text="1917 &xxe;"/></body></opml>
"""


@pytest.mark.parametrize("name", ["laughs.mm", "xxe.opml"])
def test_hostile_xml_is_refused_with_a_clear_message(name, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = tmp_path / name
    path.write_text(BILLION_LAUGHS if name == "laughs.mm" else XXE.format(secret=secret))
    result = runner.invoke(cli.app, ["import", str(path), "-o", str(tmp_path / "pack")])
    assert result.exit_code == 1
    assert f"{name}:3: error: the map declares " in result.output
    assert ("billion laughs" if name == "laughs.mm" else "external XML entity") in result.output
    assert "TOP SECRET" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "pack").exists()


def test_bad_files_are_located_errors_not_tracebacks(tmp_path):
    cases = {"broken.mm": b"<map><node TEXT='a'>\n<node TEXT='b'>\n</map>\n",
             "doc.xmind": b"PK\x03\x04rest of a zip",
             "latin1.txt": "Révolution\n\t1917".encode("latin-1"),
             "other.xml": b"<svg><g/></svg>"}
    expected = {"broken.mm": "broken.mm:3: error: the map is not well-formed XML",
                "doc.xmind": "doc.xmind: error: this is a zip file",
                "latin1.txt": "latin1.txt:1: error: the map is not UTF-8 text",
                "other.xml": "other.xml:1: error: XML, but neither"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(cli.app, ["import", str(tmp_path / name), "-o",
                                         str(tmp_path / f"out-{name}")])
        assert result.exit_code == 1, name
        assert expected[name] in result.output, result.output
        assert "Traceback" not in result.output


def test_it_refuses_a_folder_that_is_not_empty_and_defaults_to_the_maps_name(tmp_path,
                                                                            monkeypatch):
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "timeline.md").write_text("mine")
    result = runner.invoke(cli.app, ["import", str(SEED), "-o", str(tmp_path / "pack")])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (tmp_path / "pack" / "timeline.md").read_text() == "mine"
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, ["import", str(MAPS / "coggle.mm")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "coggle" / "import-report.md").is_file()
    assert "4 events, 2 phases" in result.output


def test_a_map_with_no_dates_still_gives_a_pack_that_checks(tmp_path):
    (tmp_path / "ideas.txt").write_text("Ideas\n\tLiberty\n\tEquality\n")
    result = import_map(tmp_path / "ideas.txt", tmp_path / "pack")
    assert not result.plan.events and len(result.plan.notes) == 2
    assert _errors(tmp_path / "pack") == []


# --- the outline readers never fail, and every node lands somewhere -----------------------------

_LINE = st.tuples(
    st.text(" \t", max_size=6),
    st.sampled_from(["", "- ", "* ", "1. ", "# ", "## ", "• "]),
    st.lists(st.sampled_from(["1917", "Nov 1932", "1920 - 1925", "3 September", "treaty",
                              "Pact of 1935", "**bold**", "[a](b)", "![i](x.png)", "debate",
                              "views", "c. 1933", "—", "-", "|", "[war]", "#", "text", "J. Smith",
                              "(Book)", "‘quoted’", "<!--", "-->", "2-6 March 1919", "1999/00"]),
             max_size=6).map(" ".join))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=25))
def test_fuzz_outline_readers_place_every_node(lines):
    text = "\n".join(indent + mark + body for indent, mark, body in lines)
    for reader in (textoutline, mdoutline):
        tree = reader.read(text, Path("fuzz.txt"))
        assert isinstance(tree, MapTree)
        if reader is textoutline:
            assert len(tree.nodes()) == sum(1 for line in text.split("\n") if line.strip())
        if not tree.roots:
            continue
        plan = make_plan(tree)
        for node in tree.nodes():
            assert plan.placements.get(node.id), (node.text, plan.placements)
        for event in plan.events:
            assert event.date.text and event.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, min_size=1, max_size=15))
def test_fuzz_any_outline_gives_a_pack_with_no_errors(lines):
    import tempfile

    text = "\n".join(indent + mark + body for indent, mark, body in lines)
    if not text.strip():
        return
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "map.txt").write_text(text, encoding="utf-8")
        try:
            import_map(Path(tmp) / "map.txt", Path(tmp) / "pack")
        except RevpackError as exc:     # only a map of nothing but rules ('- - -')
            assert "the map has no nodes" in str(exc.diagnostics[0])
            return
        assert _errors(Path(tmp) / "pack") == []


def test_a_map_too_deep_is_refused_at_its_line(tmp_path):
    (tmp_path / "deep.txt").write_text("\n".join("\t" * i + f"level {i}" for i in range(150)))
    result = runner.invoke(cli.app, ["import", str(tmp_path / "deep.txt"), "-o",
                                     str(tmp_path / "pack")])
    assert result.exit_code == 1
    assert "deep.txt:101: error: the map is nested more than 100 levels deep" in result.output


def test_the_guide_gives_the_seed_maps_numbers_right(tmp_path):
    from revpack.importer.report import counts

    guide = (Path(__file__).resolve().parents[1] / "docs" / "import.md").read_text("utf-8")
    m = re.search(r"its (\d+) nodes give 1 title, (\d+) events in (\d+)\s+phases \((\d+) of them "
                  r"also proposed as treaties\), (\d+) historiography schools and (\d+) notes; "
                  r"the report\s+lists (\d+) nodes to check", guide)
    assert m, "docs/import.md states the seed map's numbers"
    result = import_map(SEED, tmp_path / "pack")
    c = counts(result.plan)
    assert tuple(int(x) for x in m.groups()) == (
        result.node_count, c["events"], c["phases"], c["treaties"], c["schools"], c["notes"],
        c["to check"])


@pytest.mark.parametrize("text, date, rest", [
    ("November 1932 - Franco-Soviet non-agression pact signed", "Nov 1932",
     "Franco-Soviet non-agression pact signed"),
    ("1920 - 1925 troops withdrawn", "1920–25", "troops withdrawn"),
    ("1919-20 soviet russia is not invited", "1919–20", "soviet russia is not invited"),
    ("December 1933- Litinov argued", "Dec 1933", "Litinov argued"),
    ("Nazi-Soviet Non-Aggression Pact, August 1939", "Aug 1939",
     "Nazi-Soviet Non-Aggression Pact"),
    ("23 August 1939, announced", "23 Aug 1939", "announced"),
    ("August 23, 1939 pact", "23 Aug 1939", "pact"),
    ("2-6 March 1919 Comintern founded", "2–6 Mar 1919", "Comintern founded"),
    ("May - June 1939 talks", "May–Jun 1939", "talks"),
    ("c. 1933 famine", "c. 1933", "famine"),
    ("**24 October 1929** Black Thursday", "24 Oct 1929", "Black Thursday"),
    ("Revolutions of 1848", "1848", None),                    # kept whole
    ("Munich 29 September 1938, Sudetenland", "29 Sep 1938", None),
])
def test_dates_in_node_text_are_found_and_normalised(text, date, rest):
    from revpack.importer.finddates import without

    found = find_dates(text)
    assert found[0].text == date
    assert without(text, found[0].start, found[0].end) == rest


@pytest.mark.parametrize("text", ["Diplomatic tensions 1920s", "1,000 troops", "£1850 loan",
                                  "3 September", "31 February 1920", "page 12"])
def test_what_is_not_a_date_is_not_taken_for_one(text):
    assert find_dates(text) == []


def test_a_windows_export_with_a_bom_and_crlf_reads_like_any_other(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    (tmp_path / "map.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    tree = read_file(tmp_path / "map.txt")
    assert tree.format_name == "indented text outline" and len(tree.nodes()) == 56
    assert tree.roots[0].text == "Soviet Foreign Policy under Stalin"
