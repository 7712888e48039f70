"""Black-and-white safety: every text colour in the built-in styles has at least 4.5:1 contrast
against every background it can sit on (white paper, table bands, answer boxes, the cream tint)."""

from __future__ import annotations

import re

from revpack.resources import resource_dir


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _css() -> str:
    return "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((resource_dir() / "styles").glob("*.css")))


def _variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", css))


def test_contrast_formula():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#777", "#fff"), 2) == 4.48


def test_every_text_colour_reads_on_every_background():
    css = _css()
    variables = _variables(css)
    text = set()
    for value in re.findall(r"(?<![\w-])color\s*:\s*([^;}]+)", css):
        value = value.strip()
        m = re.fullmatch(r"var\((--[\w-]+)\)", value)
        if m:
            text.add(variables[m.group(1)])
        elif value.startswith("#"):
            text.add(value)
    assert text, "found the text colours"
    backgrounds = {"#ffffff"} | {variables[v] for v in ("--band", "--zebra", "--answer-bg",
                                                         "--tint") if v in variables}
    assert "--tint" in variables and len(backgrounds) >= 4
    for fg in text:
        for bg in backgrounds:
            assert contrast(fg, bg) >= 4.5, (fg, bg, round(contrast(fg, bg), 2))
