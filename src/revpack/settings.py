"""Settings: takes the option mappings of pack.yaml and of handout front matter, gives checked values.

A typed schema in the spirit of MkDocs' config: every unknown key or bad value is reported at its
`path:line`, with the valid choices named, and defaults fill what the author left out. Handout
front matter overrides pack.yaml, which overrides the defaults. Each kind of handout declares
its own (`handouts/<kind>.py`: worksheet defaults, what may be blanked, its own section); the
checks shared by every kind are here.
"""

from __future__ import annotations

from typing import Callable

from .diagnostics import Diagnostics, Location, did_you_mean, show

#: How copies print (pack.yaml's `print:`). `tint: false` prints dyslexia-friendly copies on white,
#: for a teacher who prints on cream paper or on a mono laser.
PRINT_DEFAULTS = {"tint": True}


def sections() -> tuple[str, ...]:
    """pack.yaml's settings sections: `worksheet:`, each kind's own (`exam:`), `print:`."""
    from .handouts import sections as kind_sections

    return ("worksheet",) + tuple(sec.name for sec in kind_sections()) + ("print",)


LocFn = Callable[[tuple], Location]


def _check_worksheet(handout: str, data, path: tuple, loc: LocFn, diags: Diagnostics) -> dict:
    from .handouts import kind

    k = kind(handout)
    out = dict(k.worksheet)
    if not isinstance(data, dict):
        diags.error(loc(path), f"'{'.'.join(path)}' should be a group of settings "
                    "(blank, proportion, word_bank)")
        return out
    choices = k.blankable
    for key, value in data.items():
        here = path + (key,)
        if key == "blank":
            values = value if isinstance(value, list) else [value]
            if k.blank_one and (len(values) != 1 or not isinstance(values[0], str)):
                diags.error(loc(here), f"{handout} 'blank' takes one of: {', '.join(choices)}")
                continue
            bad = [v for v in values if not isinstance(v, str) or v not in choices]
            for v in bad:
                diags.error(loc(here), f"unknown blanking option '{show(v, 40)}' for the {handout}",
                            did_you_mean(str(v), choices))
            if not bad:
                out["blank"] = values[0] if k.blank_one else list(values)
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


def check_pack_settings(settings: dict, loc: Callable[[str], Location], diags: Diagnostics) -> None:
    """Check pack.yaml's `worksheet:`, `print:` and each kind's own section in place (bad values
    are dropped)."""
    from .handouts import blankable_kinds, sections as kind_sections

    def key_loc(path: tuple) -> Location:
        return loc(path)

    if "worksheet" in settings:
        ws = settings["worksheet"]
        checked = {}
        blankable = tuple(k.name for k in blankable_kinds())
        if not isinstance(ws, dict):
            diags.error(key_loc(("worksheet",)), "'worksheet' should list handouts: "
                        + ", ".join(blankable))
        else:
            for handout, data in ws.items():
                if handout not in blankable:
                    diags.error(key_loc(("worksheet", handout)),
                                f"unknown handout '{show(handout, 40)}'",
                                did_you_mean(str(handout), blankable))
                    continue
                checked[handout] = _check_worksheet(handout, data, ("worksheet", handout),
                                                    key_loc, diags)
                # Keep only the keys the author gave, so front matter can still override.
                checked[handout] = {k: checked[handout][k] for k in data if k in checked[handout]} \
                    if isinstance(data, dict) else {}
        settings["worksheet"] = checked
    for section in kind_sections():
        if section.name in settings:
            settings[section.name] = section.check(settings[section.name], (section.name,),
                                                   key_loc, diags)
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
    from .handouts import kind

    k = kind(handout)
    out: dict = {}
    own = tuple(k.section.defaults) if k.section else ()
    allowed = ("title", "worksheet") + own + k.front_matter
    section_part = {}
    for key, value in front.items():
        if key not in allowed:
            diags.error(loc_of((key,)), f"unknown setting '{show(key, 40)}' for the {handout}",
                        did_you_mean(str(key), allowed))
        elif key == "title" or key in k.front_matter:
            if not isinstance(value, str):
                diags.error(loc_of((key,)), f"'{key}' should be text")
            else:
                out[key] = value
        elif key == "worksheet":
            if k.worksheet is None:
                diags.error(loc_of((key,)), f"{handout} pages are not blanked in worksheets; "
                            "remove 'worksheet' here")
            elif isinstance(value, dict):
                checked = _check_worksheet(handout, value, (key,), loc_of, diags)
                out["worksheet"] = {k: checked[k] for k in value if k in checked}
            else:
                _check_worksheet(handout, value, (key,), loc_of, diags)
        else:
            section_part[key] = value
    if section_part:
        out.update(k.section.check(section_part, (), loc_of, diags))
    return out


def worksheet_options(handout: str, pack_settings: dict, handout_settings: dict) -> dict:
    """Defaults, then pack.yaml's `worksheet.<handout>`, then the handout's own front matter."""
    from .handouts import kind

    out = dict(kind(handout).worksheet)
    out.update(pack_settings.get("worksheet", {}).get(handout, {}))
    out.update(handout_settings.get("worksheet", {}))
    return out
