"""Settings: takes the option mappings of pack.yaml and of handout front matter, gives checked values.

A typed schema in the spirit of MkDocs' config: every unknown key or bad value is reported at its
`path:line`, with the valid choices named, and defaults fill what the author left out. Handout
front matter overrides pack.yaml, which overrides the defaults here.
"""

from __future__ import annotations

from typing import Callable

from .diagnostics import Diagnostics, Located, Location, did_you_mean, show

HANDOUTS = ("timeline", "treaties", "historiography", "exam")

#: What a worksheet may blank, per handout.
BLANKABLE = {
    "timeline": ("dates", "events", "mix"),
    "treaties": ("date", "parties", "terms", "significance", "place"),
    "historiography": ("argument", "evidence", "criticisms"),
    "exam": (),
}

WORKSHEET_DEFAULTS = {
    "timeline": {"blank": "mix", "proportion": 0.5, "word_bank": True},
    "treaties": {"blank": ["terms", "significance"], "proportion": 1.0, "word_bank": False},
    "historiography": {"blank": ["argument", "evidence"], "proportion": 1.0, "word_bank": False},
    "exam": {},
}

#: Exam-page options. A question gets `lines_per_mark` answer lines for each of its first
#: SHORT_ANSWER_MARKS marks, `long_lines_per_mark` for each further mark, and never fewer than
#: `min_lines` (views.answer_lines_for).
SHORT_ANSWER_MARKS = 10
EXAM_DEFAULTS = {
    "time_allowed": "",
    "lines_per_mark": 2.5,
    "long_lines_per_mark": 1.0,
    "min_lines": 6,
    "line_style": "solid",
    "instructions": [
        "Use black ink or black ball-point pen.",
        "Answer **all** questions in the spaces provided.",
        "Do all rough work on this paper and cross through any work you do not want marked.",
    ],
    "information": [
        "The marks for each question are shown in brackets.",
        "Answer lines are a guide: continue on lined paper if you need more space.",
    ],
}

#: How copies print (pack.yaml's `print:`). `tint: false` prints dyslexia-friendly copies on white,
#: for a teacher who prints on cream paper or on a mono laser.
PRINT_DEFAULTS = {"tint": True}

SECTIONS = ("worksheet", "exam", "print")

LocFn = Callable[[tuple], Location]


def _check_worksheet(handout: str, data, path: tuple, loc: LocFn, diags: Diagnostics) -> dict:
    out = dict(WORKSHEET_DEFAULTS[handout])
    if not isinstance(data, dict):
        diags.error(loc(path), f"'{'.'.join(path)}' should be a group of settings "
                    "(blank, proportion, word_bank)")
        return out
    choices = BLANKABLE[handout]
    for key, value in data.items():
        here = path + (key,)
        if key == "blank":
            values = value if isinstance(value, list) else [value]
            if handout == "timeline" and (len(values) != 1 or not isinstance(values[0], str)):
                diags.error(loc(here), "timeline 'blank' takes one of: dates, events, mix")
                continue
            bad = [v for v in values if not isinstance(v, str) or v not in choices]
            for v in bad:
                diags.error(loc(here), f"unknown blanking option '{show(v, 40)}' for the {handout}",
                            did_you_mean(str(v), choices))
            if not bad:
                out["blank"] = values[0] if handout == "timeline" else list(values)
        elif key == "proportion":
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not 0 < value <= 1:
                diags.error(loc(here), f"'proportion' should be a number above 0 and at most 1, "
                            f"not {show(value, 40)}", "for example 0.5 blanks half the items")
            else:
                out["proportion"] = float(value)
        elif key == "word_bank":
            if not isinstance(value, bool):
                diags.error(loc(here), f"'word_bank' should be true or false, not "
                            f"'{show(value, 40)}'")
            else:
                out["word_bank"] = value
        else:
            diags.error(loc(here), f"unknown worksheet option '{show(key, 40)}'",
                        did_you_mean(str(key), ("blank", "proportion", "word_bank")))
    return out


def _check_exam(data, path: tuple, loc: LocFn, diags: Diagnostics) -> dict:
    out: dict = {}
    if not isinstance(data, dict):
        diags.error(loc(path), "'exam' should be a group of settings")
        return out
    for key, value in data.items():
        here = path + (key,)
        if key not in EXAM_DEFAULTS:
            diags.error(loc(here), f"unknown exam option '{show(key, 40)}'", did_you_mean(str(key),
                                                                               tuple(EXAM_DEFAULTS)))
        elif key in ("lines_per_mark", "long_lines_per_mark") and (isinstance(value, bool) or
                not isinstance(value, (int, float)) or not 0 <= value <= 10):
            diags.error(loc(here), f"'{key}' should be a number from 0 to 10, not "
                        f"{show(value, 40)}")
        elif key == "min_lines" and (isinstance(value, bool) or not isinstance(value, int)
                                     or not 0 <= value <= 200):
            diags.error(loc(here), "'min_lines' should be a whole number from 0 to 200, not "
                        f"{show(value, 40)}")
        elif key == "line_style" and value not in ("solid", "dotted"):
            diags.error(loc(here), f"unknown line style '{show(value, 40)}'",
                        did_you_mean(str(value), ("solid", "dotted")))
        elif key in ("instructions", "information") and (
                not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            diags.error(loc(here), f"'{key}' should be a list of lines of text",
                        "start each line with '- '")
        elif key == "time_allowed" and not isinstance(value, str):
            diags.error(loc(here), f"'time_allowed' should be text, not {show(value, 30)}",
                        'put it in double quotes, as time_allowed: "1 hour 30 minutes"')
        elif key in ("instructions", "information"):
            # Each line remembers where it was written, for messages about its Markdown.
            out[key] = [Located(v, loc(here + (i,))) for i, v in enumerate(value)]
        else:
            out[key] = value
    return out


def check_pack_settings(settings: dict, loc: Callable[[str], Location], diags: Diagnostics) -> None:
    """Check pack.yaml's `worksheet:` and `exam:` sections in place (bad values are dropped)."""
    def key_loc(path: tuple) -> Location:
        return loc(path)

    if "worksheet" in settings:
        ws = settings["worksheet"]
        checked = {}
        if not isinstance(ws, dict):
            diags.error(key_loc(("worksheet",)), "'worksheet' should list handouts: "
                        "timeline, treaties, historiography")
        else:
            for handout, data in ws.items():
                if handout not in HANDOUTS or handout == "exam":
                    diags.error(key_loc(("worksheet", handout)),
                                f"unknown handout '{show(handout, 40)}'",
                                did_you_mean(str(handout), HANDOUTS[:3]))
                    continue
                checked[handout] = _check_worksheet(handout, data, ("worksheet", handout),
                                                    key_loc, diags)
                # Keep only the keys the author gave, so front matter can still override.
                checked[handout] = {k: checked[handout][k] for k in data if k in checked[handout]} \
                    if isinstance(data, dict) else {}
        settings["worksheet"] = checked
    if "exam" in settings:
        settings["exam"] = _check_exam(settings["exam"], ("exam",), key_loc, diags)
    if "print" in settings:
        settings["print"] = _check_print(settings["print"], ("print",), key_loc, diags)


def _check_print(data, path: tuple, loc: LocFn, diags: Diagnostics) -> dict:
    if not isinstance(data, dict):
        diags.error(loc(path), "'print' should be a group of settings (tint)")
        return {}
    out = {}
    for key, value in data.items():
        here = path + (key,)
        if key not in PRINT_DEFAULTS:
            diags.error(loc(here), f"unknown print option '{show(key, 40)}'",
                        did_you_mean(str(key), tuple(PRINT_DEFAULTS)))
        elif not isinstance(value, bool):
            diags.error(loc(here), f"'{key}' should be true or false, not '{show(value, 40)}'")
        else:
            out[key] = value
    return out


def print_options(pack_settings: dict) -> dict:
    """Defaults, then pack.yaml's `print:`."""
    return {**PRINT_DEFAULTS, **pack_settings.get("print", {})}


def check_handout_settings(handout: str, front: dict, loc_of: Callable[[tuple], Location],
                           diags: Diagnostics) -> dict:
    """Check one handout's front matter; returns only the keys the author gave, checked."""
    out: dict = {}
    allowed = ("title", "worksheet") + (tuple(EXAM_DEFAULTS) if handout == "exam" else ()) \
        + (("significance_label",) if handout == "treaties" else ())
    exam_part = {}
    for key, value in front.items():
        if key not in allowed:
            diags.error(loc_of((key,)), f"unknown setting '{show(key, 40)}' for the {handout}",
                        did_you_mean(str(key), allowed))
        elif key in ("title", "significance_label"):
            if not isinstance(value, str):
                diags.error(loc_of((key,)), f"'{key}' should be text")
            else:
                out[key] = value
        elif key == "worksheet":
            if handout == "exam":
                diags.error(loc_of((key,)), "exam pages are not blanked in worksheets; "
                            "remove 'worksheet' here")
            elif isinstance(value, dict):
                checked = _check_worksheet(handout, value, (key,), loc_of, diags)
                out["worksheet"] = {k: checked[k] for k in value if k in checked}
            else:
                _check_worksheet(handout, value, (key,), loc_of, diags)
        else:
            exam_part[key] = value
    if exam_part:
        out.update(_check_exam(exam_part, (), loc_of, diags))
    return out


def worksheet_options(handout: str, pack_settings: dict, handout_settings: dict) -> dict:
    """Defaults, then pack.yaml's `worksheet.<handout>`, then the handout's own front matter."""
    out = dict(WORKSHEET_DEFAULTS[handout])
    out.update(pack_settings.get("worksheet", {}).get(handout, {}))
    out.update(handout_settings.get("worksheet", {}))
    return out


def exam_options(pack_settings: dict, handout_settings: dict, theme_settings: dict | None = None
                 ) -> dict:
    """Defaults, then the theme's, then pack.yaml's `exam:`, then exam.md's front matter."""
    out = dict(EXAM_DEFAULTS)
    out.update({k: v for k, v in (theme_settings or {}).items()
                if k in ("lines_per_mark", "line_style", "instructions", "information")})
    out.update(pack_settings.get("exam", {}))
    out.update({k: v for k, v in handout_settings.items() if k in EXAM_DEFAULTS})
    return out
