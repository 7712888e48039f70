"""Template helpers: takes a theme's settings, gives the functions and filters every template
may use (`tariff`, `question_number`, `total_line`, `label`, `css_string`: part of the template
contract, listed in docs/themes.md), and the contract names of a context (`context_names`).
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from . import labels

def contract_helpers(s: dict) -> tuple[dict, dict]:
    """(functions, filters) every template may use, for theme settings `s` (part of the contract).
    """
    _label_sets: dict = {}

    def words_of(ctx) -> dict:
        pack = ctx.get("pack")
        language = getattr(pack, "language", None) or (
            pack.get("language") if isinstance(pack, dict) else None) or "en"
        return _label_sets.setdefault(language, labels.label_set(language, s.get("labels")))

    @jinja2.pass_context
    def tariff(ctx, marks: int) -> str:
        """The marks in the theme's tariff format: tariff(25) gives "[25 marks]" or "(25)"."""
        fmt = s.get("tariff_format") or words_of(ctx)["tariff"]
        return str(fmt).replace("{marks}", str(marks)).replace(" ", "\u00a0")

    def question_number(n: int) -> str:
        """The question number as text in the theme's style: "01" when boxed, else "1"."""
        if s.get("question_number_style") == "boxed":
            return f"{n:02d}"
        return str(n)

    def total_line(number: int, marks: int) -> str:
        """The theme's "Total for Question" line for a question ("" when the theme has none)."""
        return str(s.get("total_line", "")).replace("{number}", str(number)) \
            .replace("{marks}", str(marks))

    def css_string(value) -> Markup:
        """Text made safe inside a CSS string: content: "{{ x | css_string }}"."""
        # The result is CSS, not HTML: marked safe so that autoescaping does not turn an
        # apostrophe into `&#39;` inside a <style> element, where entities are not decoded. It
        # cannot close the element: `<` and `>` are escaped as CSS, like quotes and line breaks.
        text = value.striptags() if isinstance(value, Markup) else str(value)
        return Markup("".join(ch if ch not in '"\\\n\r<>' and ord(ch) >= 32
                              else f"\\{ord(ch):x} " for ch in text))

    @jinja2.pass_context
    def label(ctx, key: str, *args, **kwargs) -> str:
        """A printed word in the pack's language: label("word_bank") gives "Word bank"
        (src/revpack/label_sets/; a theme's `labels:` setting overrides)."""
        return labels.lookup(words_of(ctx), key, *args, **kwargs)
    return ({"tariff": tariff, "question_number": question_number, "total_line": total_line,
             "label": label},
            {"css_string": css_string})


def install_contract_helpers(env, s: dict) -> None:
    """Functions and filters every template may use (part of the template contract)."""
    functions, filters = contract_helpers(s)
    env.filters.update(filters)
    env.globals.update(functions)


def context_names(value, prefix: str = "") -> set[str]:
    """The contract names of a context: `questions[].marks` for each mark of each question.

    `theme` and `kind_labels` are mappings by name and count as one variable each; a worksheet
    gap counts as the field it stands for.
    """
    names: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            names.add(name)
            if name not in ("theme", "kind_labels"):
                names |= context_names(item, name)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, dict):
                names |= context_names(item, prefix + "[]")
    return names
