"""Theme settings: takes a theme's `settings:`, gives them checked, each problem at its line.

`SETTINGS` is the one description of every theme setting: the manifest checker
(`check_settings`), the CSS custom properties (styles.py), `revpack theme new` and the generated
reference in docs/themes.md all read it, so they cannot disagree. themes.py re-exports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .diagnostics import Diagnostics, Location, did_you_mean
from .jail import inside, symlink_note

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")


# --- the settings schema -------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One theme setting: what it holds, how it is checked and which custom property it sets."""

    name: str
    group: str
    kind: str            # text, colour, length, font, choice, bool, number, lines, fields, file, fonts
    help: str
    css: str = ""        # the CSS custom property it sets ("" when none)
    choices: tuple = ()
    example: object = None   # shown, commented out, by `revpack theme new` when the default is empty
    pack_key: str = ""   # where a pack may override it (documentation only)


SETTINGS: tuple[Setting, ...] = (
    # Branding
    Setting("brand_name", "Branding", "text",
            "School, department or exam board name. Shown at the left of the running header "
            "(unless the pack sets `school:`) and at the top of exam covers.",
            css="--brand-name", example="Northfield Academy History Department",
            pack_key="school"),
    Setting("logo", "Branding", "file",
            "An image inside the theme, such as `images/logo.png` (PNG, JPEG, SVG or GIF). Shown "
            "at the top of each handout's first page and on exam covers.",
            example="images/logo.png", pack_key="logo"),
    Setting("cover_text", "Branding", "text",
            "One line printed on the exam cover, such as \"Do not open this booklet until you are "
            "told to do so.\"", css="--cover-text",
            example="Do not turn over until you are told to do so."),
    # Colours and type
    Setting("accent_colour", "Colours and type", "colour",
            "The one accent colour (title rule, cover bands). Keep a contrast of at least 4.5:1 "
            "on white.", css="--accent"),
    Setting("text_colour", "Colours and type", "colour", "Body text.", css="--text"),
    Setting("muted_colour", "Colours and type", "colour",
            "Secondary text: running header and footer, provenance lines.", css="--muted"),
    Setting("rule_colour", "Colours and type", "colour",
            "Answer lines, write-in gaps and the header rule.", css="--rule"),
    Setting("band_colour", "Colours and type", "colour",
            "The light band behind table headers (keep it light: 10–15 % grey).", css="--band"),
    Setting("font_family", "Colours and type", "font",
            "The body font's family name. Bring the font files with `font_files`, or use a font "
            "installed on the computer.", css="--font-body", example="Board Sans"),
    Setting("heading_font_family", "Colours and type", "font",
            "The headings' font family (default: the body font).", css="--font-heading"),
    Setting("font_files", "Colours and type", "fonts",
            "Font files inside the theme for `font_family`, by style: `regular`, `bold`, "
            "`italic`, `bold_italic` (TTF, OTF, WOFF or WOFF2).",
            example={"regular": "fonts/BoardSans-Regular.ttf",
                     "bold": "fonts/BoardSans-Bold.ttf"}),
    Setting("body_size", "Colours and type", "length",
            "Body text size, such as `11pt` (10.5–12 pt reads best).", css="--body-size"),
    # Exam conventions
    Setting("question_number_style", "Exam conventions", "choice",
            "How question numbers look: `plain`, `bold`, or `boxed` (two digits in boxes, "
            "`0 1`).", choices=("plain", "bold", "boxed")),
    Setting("tariff_format", "Exam conventions", "text",
            "How a question's marks are written; `{marks}` is replaced by the number. "
            "Examples: `[{marks} marks]`, `({marks})`, `[{marks}]`."),
    Setting("total_line", "Exam conventions", "text",
            "A line after each question's answer space, or empty for none; `{number}` and "
            "`{marks}` are replaced. Example: `(Total for Question {number} = {marks} marks)`."),
    Setting("line_style", "Exam conventions", "choice",
            "Answer lines: `solid` or `dotted`.", choices=("solid", "dotted"),
            pack_key="exam.line_style"),
    Setting("lines_per_mark", "Exam conventions", "number",
            "Answer lines per mark (a question never gets fewer than the pack's `min_lines`).",
            pack_key="exam.lines_per_mark"),
    Setting("line_spacing", "Exam conventions", "length",
            "Distance between answer lines, such as `8.5mm` (exam answer books use 8–9 mm).",
            css="--write-line"),
    Setting("examiner_margin", "Exam conventions", "bool",
            "`true` gives question pages a ruled margin column on the right for the examiner; "
            "answer lines stop short of it."),
    Setting("examiner_margin_label", "Exam conventions", "text",
            "The heading of the examiner's margin column.", css="--examiner-label"),
    Setting("candidate_fields", "Exam conventions", "fields",
            "The candidate-details boxes, in order. Each is a label, or `{label: ..., boxes: N}` "
            "for N single-character boxes (as for a centre number), optionally with "
            "`stamp: name` or `stamp: class` to receive the student's name or class in class "
            "sets (default: the first field gets the name, a field labelled Class the class)."),
    Setting("instructions", "Exam conventions", "lines",
            "The Instructions list on the exam front. Markdown: `**all**` is bold. "
            "`{total_marks}` and `{time_allowed}` are replaced.", pack_key="exam.instructions"),
    Setting("information", "Exam conventions", "lines",
            "The Information list on the exam front, as `instructions`.",
            pack_key="exam.information"),
    Setting("turn_over", "Exam conventions", "text",
            "Printed at the foot of every exam page but the last (empty for none).",
            css="--turn-over"),
    Setting("end_of_questions", "Exam conventions", "text",
            "Printed after the last question."),
    Setting("cover", "Exam conventions", "bool",
            "`true` puts the candidate boxes, paper details, instructions and information on a "
            "front cover page of their own, as a real paper has; `false` puts them above the "
            "first question."),
    Setting("examiner_grid", "Exam conventions", "bool",
            "`true` adds a \"For examiner's use\" table of questions and marks to the cover."),
    # Labels
    Setting("labels", "Labels", "labels",
            "Printed words to change, by label key (the keys and their English, French, German "
            "and Spanish words are in the Label table below), such as `word_bank: Useful words`. "
            "They apply in every language; a theme's `labels/<lang>.yaml` (`labels/fr.yaml`) "
            "changes or adds one language's words.", example={"word_bank": "Useful words"}),
)
SETTING_NAMES = tuple(s.name for s in SETTINGS)
_BY_NAME = {s.name: s for s in SETTINGS}

_COLOUR = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{1}|[0-9a-fA-F]{3}|[0-9a-fA-F]{5})?|[a-zA-Z]{3,20}"
                     r"|(rgb|rgba|hsl|hsla)\(\s*[0-9.%]+\s*(,\s*[0-9.%]+\s*){2,3}\)")
_LENGTH = re.compile(r"\d{1,3}(\.\d{1,3})?(pt|mm|cm|in|px|em|rem|pc)")
_FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")


def check_settings(settings: dict, loc: Callable[[tuple], Location], diags: Diagnostics,
                   root: Path | None = None) -> dict:
    """Check a theme's settings (unknown names, bad values) in place; returns the good ones.

    With `root`, `logo` and `font_files` must name files inside that folder.
    """
    good: dict = {}
    for key, value in settings.items():
        here = ("settings", key)
        spec = _BY_NAME.get(str(key))
        if spec is None:
            diags.error(loc(here), f"unknown theme setting '{key}'",
                        did_you_mean(str(key), SETTING_NAMES))
            continue
        problem = _check_value(spec, value)
        if problem:
            diags.error(loc(here), f"'{key}' {problem}")
            continue
        if root is not None and spec.kind in ("file", "fonts") and value:
            files = value.values() if isinstance(value, dict) else [value]
            suffixes = IMAGE_SUFFIXES if spec.kind == "file" else FONT_SUFFIXES
            bad = False
            for rel in files:
                why = file_problem(root, str(rel), suffixes) or (
                    spec.kind == "file" and picture_problem(root, str(rel)))
                if why:
                    diags.error(loc(here), f"'{key}': {why}")
                    bad = True
            if bad:
                continue
        good[key] = value
    return good


def _check_value(spec: Setting, value) -> str:
    """What is wrong with a value ("" when nothing)."""
    k = spec.kind
    if k in ("text",):
        if not isinstance(value, str):
            return "should be text (put it in quotes)"
        if k == "text" and spec.name == "tariff_format" and "{marks}" not in value:
            return "should contain {marks}, where the number of marks goes"
        if len(value) > 300:
            return "is too long (at most 300 characters)"
    elif k == "colour":
        if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
            return f"should be a colour such as \"#1f4e79\", not {value!r}"
    elif k == "length":
        if not isinstance(value, str) or not _LENGTH.fullmatch(value.strip()):
            return f"should be a length such as \"11pt\" or \"8.5mm\", not {value!r}"
    elif k == "font":
        if not isinstance(value, str) or (value and not _FONT.fullmatch(value.strip())):
            return "should be a font family name (letters, digits, spaces and hyphens)"
    elif k == "choice":
        if value not in spec.choices:
            return f"should be one of {', '.join(spec.choices)}, not {value!r}"
    elif k == "bool":
        if not isinstance(value, bool):
            return f"should be true or false, not {value!r}"
    elif k == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
            return f"should be a number from 0 to 10, not {value!r}"
    elif k == "lines":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "should be a list of lines of text"
    elif k == "fields":
        if not isinstance(value, list) or not value:
            return "should be a list of field labels"
        for item in value:
            if isinstance(item, str):
                continue
            if not isinstance(item, dict) or not isinstance(item.get("label"), str) or \
                    set(item) - {"label", "boxes", "stamp"}:
                return "items should be labels, or {label: ..., boxes: N, stamp: name|class}"
            boxes = item.get("boxes", 0)
            if isinstance(boxes, bool) or not isinstance(boxes, int) or not 0 <= boxes <= 20:
                return "'boxes' should be a whole number from 0 to 20"
            if item.get("stamp", "") not in ("", "name", "class"):
                return "'stamp' should be name or class"
    elif k == "labels":
        from .labels import check_overrides

        problems = check_overrides(value, "labels")[1]
        if problems:
            return "has " + problems[0].replace(" in labels", "")
    elif k == "file":
        if not isinstance(value, str):
            return "should be a file name inside the theme, such as images/logo.png"
    elif k == "fonts":
        if not isinstance(value, dict) or set(value) - set(FONT_STYLES) or \
                not all(isinstance(v, str) for v in value.values()):
            return f"should map styles ({', '.join(FONT_STYLES)}) to font files in the theme"
    return ""


def file_problem(root: Path, rel: str, suffixes: tuple[str, ...]) -> str:
    """Why `rel` is not a usable file inside `root` ("" when it is)."""
    # Any 'scheme:' (http:, data:, C:) is an address, not a file name.
    if not rel or "://" in rel or rel.startswith(("/", "\\")) \
            or re.match(r"[A-Za-z][\w+.-]*:", rel):
        return f"'{rel}' should be a file name inside the folder, such as images/logo.png"
    path = Path(root) / rel
    try:
        if not inside(path, root) or inside(root, path):
            return f"'{rel}' leads outside the folder{symlink_note(path, root)}"
        if not path.is_file():
            return f"'{rel}' not found"
    except OSError as exc:      # a name too long for the system, say
        return f"'{rel}' cannot be opened ({exc.strerror or exc})"
    if path.suffix.lower() not in suffixes:
        return f"'{rel}' should be one of: {', '.join(suffixes)}"
    return ""


def picture_problem(root: Path, rel: str) -> str:
    """Why the picture file `rel` (already found inside `root`) cannot be printed ("" if it can)."""
    from .images import image_problem

    why = image_problem((Path(root) / rel).resolve())
    return f"'{rel}' {why}" if why else ""
