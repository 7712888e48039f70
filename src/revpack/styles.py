"""Styles: takes the theme chain, theme settings, paper size and variant, gives each handout's CSS.

The cascade for a handout, first to last: the default theme's `base.css` and `<handout>.css`,
then the theme settings as CSS custom properties, then the same files from each theme layer up to
the pack's own `styles/`, then the variant's `variant-<name>.css` from every layer, then the paper
size. Later sheets win, so a theme only writes what it changes.
"""

from __future__ import annotations

PAPER_SIZES = {"a4": "A4", "letter": "letter", "a5": "A5", "half-letter": "5.5in 8.5in"}
VARIANTS = ("standard", "large-print", "dyslexia-friendly")


class Stylesheets:
    """The CSS cascade for one paper size; `for_handout` gives one handout's list of sheets."""

    def __init__(self, renderer, chain, theme_settings: dict, paper: str):
        self.renderer = renderer
        self.chain = chain
        self.cache: dict[tuple[str, str], list] = {}
        size = PAPER_SIZES[paper]
        props = {
            "--accent": theme_settings.get("accent_colour"),
            "--font-body": _font_stack(theme_settings.get("font_family")),
        }
        custom = "".join(f"{k}: {v};" for k, v in props.items() if v)
        base = chain[-1].root
        self.settings_css = renderer.css_string(f":root {{ {custom} }}", base)
        self.paper_css = renderer.css_string(
            f"@page {{ size: {size}; }} @page landscape {{ size: {size} landscape; }}", base)

    def for_handout(self, handout: str, variant: str = "standard") -> list:
        key = (handout, variant)
        if key not in self.cache:
            sheets = []
            layers = list(reversed(self.chain))          # default first, pack overrides last
            for i, theme in enumerate(layers):
                sheets += self._sheets(theme, ("base.css", f"{handout}.css"))
                if i == 0:
                    sheets.append(self.settings_css)
            if variant != "standard":
                for theme in layers:
                    sheets += self._sheets(theme, (f"variant-{variant}.css",))
            self.cache[key] = sheets + [self.paper_css]
        return self.cache[key]

    def _sheets(self, theme, names) -> list:
        if theme.styles is None:
            return []
        return [self.renderer.stylesheet(theme.styles / n) for n in names
                if (theme.styles / n).is_file()]


def _font_stack(family) -> str:
    if not family:
        return ""
    return f'"{family}", "Revpack Sans", "DejaVu Sans", sans-serif'
