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


#: The timeline's kinds of event, in legend order, and their label keys.
MARKERS = ("event", "treaty", "conference", "war")


def kind_title(words: dict, name: str, fallback: str = "") -> str:
    """A handout kind's printed title ("Timeline"): the label `kind_<name>`, else `fallback`
    (the kind's own English title, for a kind whose author added no label)."""
    return words.get(f"kind_{name}", fallback or name.replace("-", " ").title())


def lines(words: dict, key: str) -> list[str]:
    """A label that holds one item a line (exam_instructions), as a list."""
    return [line.strip() for line in lookup(words, key).splitlines() if line.strip()]


def edition_label(words: dict, edition: str) -> str:
    return lookup(words, f"edition_{edition}")


def variant_label(words: dict, variant: str) -> str:
    return lookup(words, "variant_" + variant.replace("-", "_"))


def check_overrides(data, where: str) -> tuple[dict, list[str]]:
    """A theme's labels (its `labels:` setting or a `labels/<lang>.yaml`): (the good ones,
    problems). Keys must be English's; values text."""
    if not isinstance(data, dict):
        return {}, [f"an unreadable group of labels in {where}: write one 'key: words' a line"]
    known = shipped(FALLBACK)
    good, problems = {}, []
    for key, value in data.items():
        if str(key) not in known:
            import difflib
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            problems.append(f"unknown label '{key}' in {where}" +
                            (f" (did you mean '{close[0]}'?)" if close else
                             " (the label keys are in src/revpack/label_sets/en.yaml)"))
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.append(f"label '{key}' in {where} should be text")
        else:
            good[str(key)] = str(value)
    return good, problems


def theme_overrides(chain, language: str, settings: dict) -> dict:
    """Every theme's labels for `language`, most general theme first: each theme's
    `labels/<lang>.yaml` (lang the primary subtag), then the merged `labels:` setting."""
    from .diagnostics import RevpackError

    words: dict = {}
    lang = primary(language)
    for theme in reversed(list(chain or [])):
        root = getattr(theme, "root", None)
        path = Path(root) / "labels" / f"{lang}.yaml" if root else None
        if path is None or not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise RevpackError(diagnostics=[_problem(path, f"not a readable label set: "
                                                           f"{str(exc).splitlines()[0]}")]) from None
        good, problems = check_overrides(data, path.name)
        if problems:
            raise RevpackError(diagnostics=[_problem(path, p) for p in problems])
        words.update(good)
    extra = settings.get("labels") if settings else None
    if isinstance(extra, dict):
        words.update({str(k): str(v) for k, v in extra.items()})
    return words


def _problem(path: Path, message: str):
    """A Diagnostic at the line of `path` that names the label the message quotes."""
    import re

    from .diagnostics import Diagnostic, Location

    line = 1
    m = re.search(r"label '([^']*)'", message)
    if m:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.split(":")[0].strip().strip("'\"") == m.group(1):
                line = number
                break
    return Diagnostic(Location(path, line), "error", message)


def localised_settings(settings: dict, chain, words: dict) -> dict:
    """The theme settings with the printed words the built-in theme sets (its English
    `turn_over`, `instructions`, ...) replaced by the pack's language's; a theme's own stay."""
    from .themes import setting_owner

    builtin = chain[-1] if chain else None
    own = {
        "tariff_format": words["tariff"],
        "examiner_margin_label": words["examiner_only"],
        "candidate_fields": [words["name"], words["class"], words["date"]],
        "instructions": lines(words, "exam_instructions"),
        "information": lines(words, "exam_information"),
        "turn_over": words["turn_over"],
        "end_of_questions": words["end_of_questions"],
    }
    out = dict(settings)
    for key, value in own.items():
        if key in out and builtin is not None and setting_owner(chain, key) is builtin \
                and getattr(builtin, "name", "") == "default":
            out[key] = value
    return out
