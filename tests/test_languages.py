"""Packs in other languages (issue 16, part 3): labels, month names and quotation marks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import revpack
from revpack.build import html_for
from revpack.dates import parse_date
from revpack.diagnostics import Diagnostics
from revpack.prose import ProseRenderer

from .conftest import pdftotext as _pdftotext

FRENCH = Path(__file__).parent / "fixtures" / "french"
NNBSP = "\u202f"


def pdftotext(path: Path) -> str:
    """The PDF's text, its lines joined (a column head may wrap), with its no-break spaces as
    pdftotext gives them (plain spaces); `seen` normalises the expected text the same way."""
    return " ".join(_pdftotext(path).split())


def seen(words: str) -> str:
    return words.replace(NNBSP, " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    out = tmp_path_factory.mktemp("fr")
    return revpack.build(FRENCH, out=out).out_dir


def test_a_french_pack_prints_french_labels_and_month_names(french):
    timeline = pdftotext(french / "timeline-answers.pdf")
    for words in ("Frise chronologique", "Nom", "Classe", f"Légende{NNBSP}:", "Traité ou accord",
                  f"RÉPONSE{NNBSP}:", "Banque de mots", "CORRIGÉ", "Page 1 sur 1",
                  "7 nov. 1917", "18 janv. 1919", "16 avr. 1922", "18 sept. 1934",
                  "2 mai 1935"):
        assert seen(words) in timeline, words
    for english in ("Word bank", "Page 1 of", "TEACHER COPY", "Key:", "Nov 1917", "Apr 1922"):
        assert english not in timeline, english
    treaties = pdftotext(french / "treaties-complete.pdf")
    for words in ("Date de signature", "Signataires", "Principales clauses", "Portée",
                  "16 avr. 1922", "24 avr. 1926"):
        assert seen(words) in treaties, words
    grid = pdftotext(french / "historiography-complete.pdf")
    assert "Courant historiographique et historiens" in grid and "Thèse principale" in grid
    exam = pdftotext(french / "exam-complete.pdf")
    for words in ("Consignes", "Informations", "Utilisez un stylo à encre noire.",
                  "[20 points]", f"Durée{NNBSP}:", "Tournez la page"):
        assert seen(words) in exam, words
    answers = pdftotext(french / "exam-answers.pdf")
    assert seen(f"Barème{NNBSP}: question 1 (20\u00a0points)") in answers
    assert "Éléments de réponse attendus" in answers and "Niveau et points" in answers
    pack = pdftotext(french / "pack-complete.pdf")
    assert "Sommaire" in pack and "Organisme certificateur" in pack and "Cours complet" in pack
    page = (french / "index.html").read_text(encoding="utf-8")
    assert "Cours complet" in page and "Fiche d’exercices" in page and "Corrigé" in page
    assert "Lire sur téléphone" not in page or "read-" in page


def test_french_quotes_and_colons_get_narrow_no_break_spaces(french):
    timeline = pdftotext(french / "timeline-complete.pdf")
    assert "« capitulation »" in timeline and "Munich :" in timeline
    html = html_for(FRENCH, "timeline")          # the spaces are U+202F, not plain ones
    assert f"«{NNBSP}capitulation{NNBSP}»" in html and f"Munich</span>{NNBSP}:" in html
    assert f"Légende{NNBSP}:" in html and f"Conférence{NNBSP}:" in html
    exam = html_for(FRENCH, "exam")
    assert f"«{NNBSP}La peur" in exam and f"soviétique.{NNBSP}»" in exam


@pytest.mark.parametrize("text, lang, expected", [
    ('Er sagte "nie wieder" und ging.', "de", "Er sagte „nie wieder“ und ging."),
    ('Dijo "nunca" y se fue.', "es-ES", "Dijo «nunca» y se fue."),
    ('He said "never" and left.', "en-GB", "He said “never” and left."),
    ('Il a dit "jamais" : fin !', "fr", f"Il a dit «{NNBSP}jamais{NNBSP}»{NNBSP}: fin{NNBSP}!"),
    ("« déjà » ; l'URSS ?", "fr-CA", f"«{NNBSP}déjà{NNBSP}»{NNBSP}; l’URSS{NNBSP}?"),
])
def test_quotation_marks_and_spacing_follow_the_language(text, lang, expected):
    html = ProseRenderer(Path("."), Diagnostics(), lang).render(text, None, inline=True)
    import html as html_mod
    assert html_mod.unescape(str(html)) == expected


def test_french_spacing_leaves_code_addresses_times_and_references_alone():
    text = ("À 10:30, voir <https://example.org/a?b=1> et `x : y` ; "
            "[lien](https://example.org/c?d) &amp; Cie.")
    html = str(ProseRenderer(Path("."), Diagnostics(), "fr").render(text, None, inline=True))
    assert "10:30" in html and 'href="https://example.org/a?b=1"' in html
    assert ">https://example.org/a?b=1</a>" in html and "<code>x : y</code>" in html
    assert 'href="https://example.org/c?d"' in html and "&amp; Cie" in html


def test_a_german_pack_prints_german_labels_quotes_and_dates(tmp_path):
    pack = tmp_path / "de"
    shutil.copytree(FRENCH, pack)
    yaml_text = (pack / "pack.yaml").read_text(encoding="utf-8")
    (pack / "pack.yaml").write_text(yaml_text.replace("fr-FR", "de-DE"), encoding="utf-8")
    (pack / "timeline.md").write_text(
        "# Zeitleiste\n\n## Isolation, 1917–1922\n\nSummary: Allein.\n\n"
        "- **3. März 1918** — Frieden von Brest-Litowsk: \"ein Diktat\". [treaty]\n"
        "- **16. April 1922** — Vertrag von Rapallo. [treaty]\n", encoding="utf-8")
    html = html_for(pack, "timeline", "answers")
    assert "3.\u00a0März\u00a01918" in html and "16.\u00a0Apr.\u00a01922" in html
    assert "&bdquo;ein <span class=\"nh\">Diktat</span>&ldquo;" in html_for(pack, "timeline")
    assert "Vertrag oder Abkommen" in html and "LEHRKRAFTEXEMPLAR" in html
    assert "Lösungen – LEHRKRAFTEXEMPLAR" in html


@pytest.mark.parametrize("text, iso", [
    ("11 février 1945", "1945-02-11"), ("3. März 1918", "1918-03-03"),
    ("3 de marzo de 1918", "1918-03-03"), ("1er mai 1935", "1935-05-01"),
    ("Dez. 1941", "1941-12"), ("août 1939", "1939-08"), ("diciembre de 1941", "1941-12"),
    ("11 Feb 1945", "1945-02-11"),
])
def test_month_names_are_read_in_french_german_spanish_and_english(text, iso):
    assert parse_date(text).iso() == iso


@pytest.mark.parametrize("lang, printed", [
    ("en-GB", "1\u00a0May\u00a01935"), ("fr", "1er\u00a0mai\u00a01935"),
    ("de-AT", "1.\u00a0Mai\u00a01935"), ("es", "1\u00a0may.\u00a01935"),
])
def test_dates_print_in_the_pack_language(lang, printed):
    assert parse_date("1 May 1935").format(lang) == printed
    assert parse_date("10–12 Sep 1934").format("de") == "10.–12.\u00a0Sept.\u00a01934"
