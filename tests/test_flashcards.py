"""Flashcards: cards per sheet, mirrored backs (measured in the PDF), the deck setting, too-long
cards, the self-test list, and packs without a glossary or people."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

import revpack
from revpack.build import check
from revpack.diagnostics import RevpackError
from revpack.handouts.flashcards import first_sentence

from .conftest import FIXTURES, messages, page_texts

COLD_WAR = FIXTURES / "cold-war"
#: The mini pack, with the cold-war pack's glossary and people, and only a timeline besides.
SMALL = {"glossary.md": (COLD_WAR / "glossary.md").read_text(encoding="utf-8"),
         "people.md": (COLD_WAR / "people.md").read_text(encoding="utf-8"),
         "exam.md": None, "treaties.md": None, "historiography.md": None}


def flat(pages: list[str]) -> str:
    """Page texts as one line, with plain apostrophes (the PDFs set typographic ones)."""
    return " ".join(" ".join(pages).split()).replace("\u2019", "'")


def build(pack: Path, out: Path, **options) -> Path:
    return revpack.build(pack, out=out, **options).out_dir


def grid(page) -> tuple[list[float], list[float]]:
    """The x of the vertical cut lines and the y of the horizontal ones (PDF points)."""
    xs = sorted({round(v, 1) for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.5
                 for v in (ln["x0"],)})
    ys = sorted({round(v, 1) for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.5
                 for v in (ln["top"],)})
    xs = [x for i, x in enumerate(xs) if not i or x - xs[i - 1] > 2]
    ys = [y for i, y in enumerate(ys) if not i or y - ys[i - 1] > 2]
    return xs, ys


def cards_on(page) -> dict[int, tuple[float, float, float, float]]:
    """{card number: (x0, top, x1, bottom)} of each card on a page, from its cut lines: the
    vertical and horizontal lines make a grid, and a card's number is the first word in its cell."""
    xs, ys = grid(page)
    words = page.extract_words()
    out = {}
    for x0, x1 in zip(xs, xs[1:]):
        for top, bottom in zip(ys, ys[1:]):
            inside = sorted((w for w in words if x0 < w["x0"] < x1 and top < w["top"] < bottom),
                            key=lambda w: (round(w["top"]), w["x0"]))
            if inside and inside[0]["text"].isdigit():
                out[int(inside[0]["text"])] = (x0, top, x1, bottom)
    return out


@pytest.fixture(scope="module")
def small_built(tmp_path_factory):
    """The small pack's flashcards, complete edition, standard and large print."""
    from .conftest import FIXTURES as fixtures
    import shutil

    root = tmp_path_factory.mktemp("fc") / "pack"
    shutil.copytree(fixtures / "mini", root)
    for name, text in SMALL.items():
        if text is None:
            (root / name).unlink()
        else:
            (root / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    standard = build(root, out, editions=("complete",))
    build(root, out, editions=("complete",), variant="large-print")
    letter = build(root, tmp_path_factory.mktemp("letter"), editions=("complete",),
                   paper="letter")
    (letter / "flashcards-complete.pdf").rename(standard / "flashcards-complete-letter.pdf")
    return root, standard


def test_eight_cards_a_sheet_and_four_in_large_print(small_built):
    root, out = small_built
    checked = check(root)
    total = len(checked.pack.content["flashcards"].cards)
    assert total > 8            # more than one sheet
    for name, per_sheet in (("flashcards-complete.pdf", 8),
                            ("flashcards-complete-large-print.pdf", 4),
                            ("flashcards-complete-letter.pdf", 8)):
        with pdfplumber.open(out / name) as pdf:
            sheets = -(-total // per_sheet)
            assert len(pdf.pages) == 2 * sheets, name        # a page of fronts, a page of backs
            found = [cards_on(page) for page in pdf.pages]
            # Every sheet has a full grid of cut lines: the last is filled with blank cards.
            for page in pdf.pages:
                xs, ys = grid(page)
                assert (len(xs) - 1) * (len(ys) - 1) == per_sheet, name
            assert total % per_sheet == 0 or len(found[-1]) < per_sheet
        for i, cards in enumerate(found):
            sheet = i // 2
            expected = set(range(sheet * per_sheet + 1, min(total, (sheet + 1) * per_sheet) + 1))
            assert set(cards) == expected, (name, i)


def test_each_back_sits_behind_its_front_for_long_edge_duplex(small_built):
    _, out = small_built
    for name in ("flashcards-complete.pdf", "flashcards-complete-large-print.pdf",
                 "flashcards-complete-letter.pdf"):
        with pdfplumber.open(out / name) as pdf:
            width = pdf.pages[0].width
            assert width == pytest.approx(612 if "letter" in name else 595.3, abs=0.5)
            for fronts_page, backs_page in zip(pdf.pages[::2], pdf.pages[1::2]):
                fronts, backs = cards_on(fronts_page), cards_on(backs_page)
                assert set(fronts) == set(backs) and fronts
                columns = {round(f[0]) for f in fronts.values()}
                for number, (x0, top, x1, bottom) in fronts.items():
                    bx0, btop, bx1, bbottom = backs[number]
                    # Turned over on the long edge, x runs the other way: mirrored x, same y.
                    assert bx0 == pytest.approx(width - x1, abs=1.0), (name, number)
                    assert bx1 == pytest.approx(width - x0, abs=1.0), (name, number)
                    assert (btop, bbottom) == pytest.approx((top, bottom), abs=1.0)
                if len(columns) > 1:                       # the columns really do swap
                    first = min(fronts)
                    assert backs[first][0] != pytest.approx(fronts[first][0], abs=1.0)


def test_in_the_combined_pack_each_sheet_starts_on_an_odd_page(small_built):
    """Printed double-sided, a front page (odd) and its back page (the next) share a leaf."""
    _, out = small_built
    for name in ("pack-complete.pdf", "pack-complete-large-print.pdf"):
        pages = page_texts(out / name)
        fronts = [n for n, text in enumerate(pages, 1) if re.search(r"of \d+: fronts\.", text)]
        assert fronts and all(n % 2 == 1 for n in fronts), (name, fronts)
        assert all(re.search(r"of \d+: backs\.", pages[n]) for n in fronts), name


def test_card_text_is_front_then_back(small_built):
    root, out = small_built
    pages = page_texts(out / "flashcards-complete.pdf")
    glossary = check(root).pack.content["glossary"]
    first = glossary.terms[0]
    assert first.term in pages[0] and first.term not in pages[1]
    assert " ".join(first.definition.split()[:4]) in flat(pages[1:2])
    assert "fronts" in pages[0] and "backs" in pages[1]


def test_deck_order_setting_is_respected(make_pack):
    pack = make_pack({**SMALL, "pack.yaml": (FIXTURES / "mini" / "pack.yaml").read_text()
                      + "flashcards:\n  decks: [people, events, terms]\n"})
    cards = check(pack).pack.content["flashcards"]
    assert [name for name, _ in cards.decks] == ["people", "events", "terms"]
    numbers = [c.number for c in cards.cards]
    assert numbers == list(range(1, len(numbers) + 1))
    events = dict(cards.decks)["events"]
    assert events[0].back.replace("\xa0", " ") == "**7 Nov 1917**" and "Bolsheviks" in events[0].front


def test_default_decks_are_terms_then_people(make_pack):
    cards = check(make_pack(SMALL)).pack.content["flashcards"]
    assert [name for name, _ in cards.decks] == ["terms", "people"]


@pytest.mark.parametrize("decks, expected", [
    ("[terms, peple]", "pack.yaml:11: error: unknown deck 'peple' (did you mean 'people'?)"),
    ("[terms, terms]", "pack.yaml:11: error: the terms deck is listed twice"),
    ("{a: 1}", "pack.yaml:11: error: 'decks' should be a list of decks"),
])
def test_deck_setting_is_validated_at_its_line(make_pack, decks, expected):
    base = (FIXTURES / "mini" / "pack.yaml").read_text()
    assert base.count("\n") == 9            # so flashcards: is line 10, decks: line 11
    pack = make_pack({**SMALL, "pack.yaml": base + f"flashcards:\n  decks: {decks}\n"})
    found = messages(pack)
    assert any(m.startswith(expected) for m in found), found


def test_unknown_flashcards_option_suggests(make_pack):
    base = (FIXTURES / "mini" / "pack.yaml").read_text()
    pack = make_pack({**SMALL, "pack.yaml": base + "flashcards:\n  deks: [terms]\n"})
    assert any("pack.yaml:11: error: unknown flashcards option 'deks' (did you mean 'decks'?)"
               in m for m in messages(pack))


def test_a_deck_whose_file_is_missing_is_an_error(make_pack):
    base = (FIXTURES / "mini" / "pack.yaml").read_text()
    pack = make_pack({"pack.yaml": base + "flashcards:\n  decks: [dates, terms]\n"})
    found = messages(pack)
    assert any(m.startswith("pack.yaml:11: error: the terms deck needs glossary.md")
               for m in found), found


def test_too_long_card_is_an_error_naming_the_card(make_pack, tmp_path):
    long = " ".join(["a very long definition that goes on"] * 30)
    glossary = "# Key terms\n\n- **Short**: a short one.\n- **Windbag**: " + long + ".\n"
    files = {k: v for k, v in SMALL.items() if k != "people.md"}
    pack = make_pack({**files, "glossary.md": glossary})
    with pytest.raises(RevpackError) as exc:
        build(pack, tmp_path / "out", editions=("complete",))
    text = [str(d) for d in exc.value.diagnostics]
    assert len(text) == 1, text
    assert re.search(r"glossary\.md:4: error: flashcard 2 \('Windbag', terms deck\) does not fit "
                     r"its card: its back needs \d+ mm of \d+ mm \(shorten the definition in "
                     r"glossary\.md from 210 words to about \d+\)", text[0]), text[0]
    assert not (tmp_path / "out" / "pack").exists()      # nothing written


def test_worksheet_and_answers_are_a_self_test_list(make_pack, tmp_path):
    out = build(make_pack(SMALL), tmp_path / "out", editions=("worksheet", "answers"))
    worksheet = flat(page_texts(out / "flashcards-worksheet.pdf"))
    answers = flat(page_texts(out / "flashcards-answers.pdf"))
    glossary = (COLD_WAR / "glossary.md").read_text(encoding="utf-8")
    term, definition = re.search(r"^- \*\*(.+?)\*\*:\s*(.+)$", glossary, re.M).groups()
    opening = " ".join(re.sub(r"[*_]", "", definition).split()[:3])
    assert "self-test" in worksheet and term in worksheet and opening not in worksheet
    assert term in answers and opening in answers
    with pdfplumber.open(out / "flashcards-worksheet.pdf") as pdf:
        assert not cards_on(pdf.pages[0])                 # a list, not card sheets


def test_blanking_fronts_hides_the_fronts(make_pack, tmp_path):
    base = (FIXTURES / "mini" / "pack.yaml").read_text()
    pack = make_pack({**SMALL, "pack.yaml": base + "worksheet:\n  flashcards:\n    blank: fronts\n"})
    out = build(pack, tmp_path / "out", editions=("worksheet",))
    text = flat(page_texts(out / "flashcards-worksheet.pdf"))
    glossary = (COLD_WAR / "glossary.md").read_text(encoding="utf-8")
    term, definition = re.search(r"^- \*\*(.+?)\*\*:\s*(.+)$", glossary, re.M).groups()
    assert " ".join(re.sub(r"[*_]", "", definition).split()[:3]) in text
    assert f" {term} " not in text


def test_pack_without_glossary_or_people_has_no_flashcards_and_no_warning(make_pack):
    pack = make_pack({"exam.md": None, "treaties.md": None, "historiography.md": None})
    checked = check(pack)
    assert "flashcards" not in checked.pack.handouts()
    # The mini pack's one warning (an event out of date order) is its own, not a new one.
    assert [m for m in checked.diagnostics.lines() if "timeline.md:9:" not in m] == []


def test_timeline_only_deck_builds_without_warnings(make_pack, tmp_path):
    base = (FIXTURES / "mini" / "pack.yaml").read_text()
    pack = make_pack({"pack.yaml": base + "flashcards:\n  decks: [dates]\n",
                      "exam.md": None, "treaties.md": None, "historiography.md": None})
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",), html=True)
    assert [str(d) for d in result.diagnostics if "timeline.md:9:" not in str(d)] == []
    pages = page_texts(result.out_dir / "flashcards-complete.pdf")
    assert len(pages) == 2 and "7 Nov 1917" in pages[0]
    assert "Bolsheviks seize power" in " ".join(pages[1].split())
    # On a phone the cards are a list of fronts and backs, not sheets to cut out.
    reading = (result.out_dir / "read-flashcards.html").read_text(encoding="utf-8")
    assert ".card-sheet { display: none; }" in reading
    assert re.search(r'class="card-list">.*7&nbsp;Nov&nbsp;1917|class="card-list">.*7\xa0Nov'
                     r'\xa01917', reading, re.S)


def test_booklets_leave_the_cards_out_but_keep_the_self_test(make_pack, tmp_path):
    pack = make_pack(SMALL)
    from revpack.build import booklet_pages
    import io
    from pypdf import PdfReader

    complete = " ".join(PdfReader(io.BytesIO(booklet_pages(pack, "complete"))).pages[i]
                        .extract_text() for i in range(2))
    assert "Flashcards" not in complete and "Timeline" in complete   # the contents page
    worksheet = PdfReader(io.BytesIO(booklet_pages(pack, "worksheet")))
    assert any("self-test" in p.extract_text() for p in worksheet.pages)


@pytest.mark.parametrize("text, first", [
    ("Treaty of Rapallo with Germany.", "Treaty of Rapallo with Germany."),
    ("Lenin dies. Stalin rises.", "Lenin dies."),
    ("A. J. P. Taylor publishes. Uproar follows.", "A. J. P. Taylor publishes."),
    ("Troops land at c. 5 ports. Then more.", "Troops land at c. 5 ports."),
])
def test_first_sentence(text, first):
    assert first_sentence(text) == first


def test_the_contract_lists_exactly_the_variables_the_template_receives(make_pack):
    from revpack.diagnostics import Diagnostics
    from revpack.html import CONTEXT, Templating

    from .test_themes import context_names

    templating = Templating(check(make_pack(SMALL)).pack, Diagnostics(), None)
    got = set()
    for edition in ("complete", "worksheet", "answers"):
        got |= context_names(templating.context("flashcards", edition))
    assert got == set(CONTEXT["flashcards.html"])
