"""Labels: takes a language tag and a label key, gives the printed words in that language.

Every word a template prints that is not the pack's own content (Name, Word bank, ANSWER, the
edition names, column heads, ...) is a *label*, looked up by key with the `label()` template
function: `{{ label("word_bank") }}`, `{{ label("page_of", page, pages) }}`. The sets ship as
YAML in `label_sets/<language>.yaml` (en is the fallback for every key); a label may hold
`{0}`, `{1}` (positional) or `{name}` (keyword) placeholders.

The pack's `language` chooses the set by its primary subtag (`fr-CA` reads `fr.yaml`). A key
missing from that set falls back to English; a key English lacks is a template error naming it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

SETS_DIR = Path(__file__).parent / "label_sets"
FALLBACK = "en"


class UnknownLabel(ValueError):
    """A template asked for a label no set defines, or gave it the wrong placeholders."""


def primary(language: str) -> str:
    return (language or FALLBACK).split("-")[0].lower()


@lru_cache(maxsize=None)
def shipped(lang: str) -> dict:
    """The shipped set for a primary language subtag ({} when none ships)."""
    path = SETS_DIR / f"{lang}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def label_set(language: str, overrides: dict | None = None) -> dict:
    """Every label for `language`: English, then the language's shipped set, then `overrides`
    (a theme's)."""
    words = dict(shipped(FALLBACK))
    lang = primary(language)
    if lang != FALLBACK:
        words.update(shipped(lang))
    if overrides:
        words.update({str(k): str(v) for k, v in overrides.items()})
    return words


def lookup(words: dict, key: str, *args, **kwargs) -> str:
    if key not in words:
        raise UnknownLabel(f"unknown label '{key}' (the label keys are in "
                           "src/revpack/label_sets/en.yaml)")
    text = words[key]
    if args or kwargs:
        try:
            text = text.format(*args, **kwargs)
        except (IndexError, KeyError, ValueError) as exc:
            raise UnknownLabel(f"label '{key}' ({text!r}) does not take these values: {exc}")
    return text
