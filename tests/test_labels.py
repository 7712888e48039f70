"""Labels: the printed words of the templates come from label sets by key (revpack.labels)."""

import pytest

from revpack import labels
from revpack.html import contract_helpers


def test_english_is_the_fallback_and_placeholders_fill():
    words = labels.label_set("xx-YY")
    assert labels.lookup(words, "word_bank") == "Word bank"
    words = dict(words, page_of="Page {0} of {1}")
    assert labels.lookup(words, "page_of", 2, 5) == "Page 2 of 5"


def test_a_theme_overrides_a_label():
    words = labels.label_set("en-GB", {"word_bank": "Useful words"})
    assert labels.lookup(words, "word_bank") == "Useful words"


def test_an_unknown_key_names_itself_and_where_keys_live():
    with pytest.raises(labels.UnknownLabel, match="unknown label 'word_bnak'.*en.yaml"):
        labels.lookup(labels.label_set("en"), "word_bnak")


def test_the_template_function_reads_the_pack_language():
    import jinja2

    functions, _ = contract_helpers({"labels": {"word_bank": "Mots"}})
    env = jinja2.Environment()
    env.globals.update(functions)
    out = env.from_string('{{ label("word_bank") }}/{{ label("edition_worksheet") }}').render(
        pack={"language": "fr"})
    assert out == "Mots/Fiche d’exercices"


# --- the shipped sets, themes' labels, English unchanged (issue 16, part 3) ----------------------

import re
import string
from pathlib import Path

import yaml

from revpack.build import html_for
from revpack.diagnostics import Diagnostics, RevpackError
from revpack.themes import check_settings

FIXTURES = Path(__file__).parent / "fixtures"


#: Placeholders a language may use instead of English's: the edition's name as written
#: (German nouns keep their capital) and the handout's name as written.
ALTERNATES = {"download_group": {"edition"}, "skip_to": {"0"}}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


@pytest.mark.parametrize("lang", sorted(p.stem for p in labels.SETS_DIR.glob("*.yaml")
                                        if p.stem != "en"))
def test_every_shipped_set_has_every_english_key_with_its_placeholders(lang):
    english, other = labels.shipped("en"), labels.shipped(lang)
    assert set(other) == set(english), (set(english) ^ set(other))
    for key, words in english.items():
        assert _fields(other[key]) <= _fields(words) | ALTERNATES.get(key, set()), key
        assert other[key].strip(), key
    assert lang in ("fr", "de", "es")


def test_french_punctuation_has_a_narrow_no_break_space_before_it():
    for key, words in labels.shipped("fr").items():
        assert not re.search(r"[ \u00a0][;:?!»]|«[ \u00a0]", words), (key, words)


def test_a_theme_label_file_adds_a_language_and_the_setting_overrides_it(tmp_path):
    theme = tmp_path / "t"
    (theme / "labels").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: t\nextends: default\ncontract: 1\nsettings:\n"
                                      "  labels:\n    key: Clé des signes\n", encoding="utf-8")
    (theme / "labels" / "fr.yaml").write_text("word_bank: Mots utiles\nkey: Légende\n",
                                              encoding="utf-8")
    (theme / "labels" / "de.yaml").write_text("word_bank: Nützliche Wörter\n", encoding="utf-8")
    pack = tmp_path / "p"
    import shutil
    shutil.copytree(FIXTURES / "french", pack)
    html = html_for(pack, "timeline", "worksheet", theme=str(theme))
    assert "Mots utiles" in html and "Clé des signes\u202f:" in html and "Nützliche" not in html


def test_a_bad_key_in_a_theme_label_file_is_reported_at_its_line(tmp_path):
    theme = tmp_path / "t"
    (theme / "labels").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: t\nextends: default\ncontract: 1\n", encoding="utf-8")
    (theme / "labels" / "fr.yaml").write_text("key: Légende\nword_bnak: Mots\n", encoding="utf-8")
    with pytest.raises(RevpackError) as excinfo:
        html_for(FIXTURES / "french", "timeline", theme=str(theme))
    text = str(excinfo.value.diagnostics[0])
    assert text.startswith(f"{theme / 'labels' / 'fr.yaml'}:2: error: unknown label 'word_bnak'")
    assert "did you mean 'word_bank'?" in text


def test_theme_yaml_accepts_labels_and_names_an_unknown_key():
    diags = Diagnostics()
    good = check_settings({"labels": {"word_bank": "Useful words"}}, lambda key: None, diags)
    assert good == {"labels": {"word_bank": "Useful words"}} and not diags.lines()
    check_settings({"labels": {"wordbank": "x"}}, lambda key: None, diags)
    assert "'labels' has unknown label 'wordbank' (did you mean 'word_bank'?)" in \
        " ".join(diags.lines())


def test_an_english_pack_prints_the_english_words_as_before():
    """English is unchanged: the words the templates printed before labels, by handout."""
    expected = {
        "timeline": ["Key:", "Treaty or agreement", "Complete notes", "Name", "Class", "Date"],
        "treaties": ["Date signed", "Parties", "Key terms", "Significance"],
        "historiography": ["School of thought and historians", "Core argument",
                           "Evidence cited", "Criticisms"],
        "exam": ["Instructions", "Use black ink or black ball-point pen.", "Information",
                 "[25\u00a0marks]", "END OF QUESTIONS"],
    }
    for handout, words in expected.items():
        html = html_for(FIXTURES / "mini", handout, "complete")
        for w in words:
            assert w in html, (handout, w)
        answers = html_for(FIXTURES / "mini", handout, "answers")
        assert "Answers – TEACHER COPY" in answers and " · TEACHER COPY" in answers
    worksheet = html_for(FIXTURES / "mini", "timeline", "worksheet")
    assert "Word bank" in worksheet
    exam = html_for(FIXTURES / "mini", "exam", "answers")
    assert "Mark scheme: question 1 (" in exam and "Level and marks" in exam
