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
    assert out == "Mots/Worksheet"
