"""Theme contract: takes the data the code itself uses, gives the reference part of docs/themes.md.

From themes.SETTINGS, html.CONTEXT and html.TEMPLATES (each kind's from the registry), the
templates' blocks and macros, the helpers' docstrings and the custom properties declared in
styles/, so the document cannot drift from the code (`revpack theme contract --check`).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from .diagnostics import RevpackError

GENERATED_START = "<!-- BEGIN GENERATED REFERENCE: revpack theme contract --write docs/themes.md -->"
GENERATED_END = "<!-- END GENERATED REFERENCE -->"


def template_blocks() -> dict[str, tuple[str, list[str]]]:
    """Each built-in template: (what it is for, the blocks it defines, in order)."""
    from jinja2 import nodes

    from .html import TEMPLATES, make_environment
    from .themes import default_theme

    theme = default_theme()
    env = make_environment([theme])
    out = {}
    for name, desc in TEMPLATES.items():
        source = (theme.templates / name).read_text(encoding="utf-8")
        tree = env.parse(source, name)
        out[name] = (desc, [b.name for b in tree.find_all(nodes.Block)])
    return out


def template_macros() -> list[tuple[str, str, str]]:
    """(name, arguments, description) of each macro in _macros.html."""
    from .themes import default_theme

    text = (default_theme().templates / "_macros.html").read_text(encoding="utf-8")
    found = []
    for m in re.finditer(r"\{#-?\s*((?:(?!\{#).)*?)\s*-?#\}\s*\{% macro (\w+)\((.*?)\)", text,
                         re.S):
        doc = re.sub(r"\s+", " ", m.group(1))
        found.append((m.group(2), m.group(3), doc))
    return found


def replace_generated(document: str, reference: str, path: Path | str = "docs/themes.md") -> str:
    start, end = document.find(GENERATED_START), document.find(GENERATED_END)
    if start < 0 or end < start:
        raise RevpackError(f"{path}: error: no generated-reference markers ({GENERATED_START} "
                           f"… {GENERATED_END})")
    return (document[:start] + GENERATED_START + "\n\n" + reference.strip("\n") + "\n\n"
            + document[end:])


def _yaml_value(value) -> str:
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if text == "...":
        text = "''"
    return text


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _code(value) -> str:
    if value in ("", None):
        return "(empty)"
    if isinstance(value, (list, dict)):
        return "`" + _yaml_value(value).replace("|", "\\|") + "`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{_md(value)}`"


def label_table() -> list[str]:
    """The Labels section: every label key with its words in each shipped language."""
    from .labels import SETS_DIR, shipped

    langs = ["en"] + sorted(p.stem for p in SETS_DIR.glob("*.yaml") if p.stem != "en")
    sets = {lang: shipped(lang) for lang in langs}
    out = ["### Label table", "",
           "Every word a template prints that is not the pack's own content is a label, printed "
           "with `{{ label(\"key\") }}` in the pack's `language` (its first part: `fr-CA` "
           "reads the French set). Change one with the `labels:` setting (in every language), "
           "or bring a language's words as `labels/<lang>.yaml` in your theme (keys as below; "
           "a key it leaves out keeps the shipped words, then English's). `{0}`, `{page}` and "
           "the like are filled in by revpack; keep them. The exam conventions the built-in "
           "theme sets (`turn_over`, `instructions`, ...) print in the pack's language unless "
           "your theme sets them.", "",
           "| Key | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
    for key, english in sets["en"].items():
        cells = [sets[lang].get(key, "") for lang in langs]
        out.append(f"| `{key}` | " + " | ".join(_md(c.replace(chr(10), " / ")) for c in cells)
                   + " |")
    return out + [""]


def contract_markdown() -> str:
    """The reference part of docs/themes.md, generated from the code."""
    from .html import CONTEXT, TEMPLATES, WEB_PAGES, contract_helpers
    from .styles import default_custom_properties, handout_sheets
    from .themes import CONTRACT_VERSION, MANIFEST_KEYS, SETTINGS, default_theme

    defaults = default_theme().settings
    out = [f"## Reference: template contract {CONTRACT_VERSION}", "",
           "Everything below is generated from revpack's code "
           "(`revpack theme contract`), so it always matches the version you have.", ""]

    out += ["### theme.yaml", "", "| Key | Meaning |", "|---|---|"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in MANIFEST_KEYS.items()]
    out.append("")

    out += ["### Settings", "",
            "Put these under `settings:` in theme.yaml. A setting you leave out keeps the value "
            "of the theme you extend. \"Custom property\" is the CSS variable the setting sets "
            "(for your stylesheets); \"Pack\" is where a pack's own pack.yaml can override it.",
            ""]
    group = None
    for spec in SETTINGS:
        if spec.group != group:
            group = spec.group
            out += [f"#### {group}", "", "| Setting | Default | Custom property | Pack | "
                    "What it does |", "|---|---|---|---|---|"]
        out.append(f"| `{spec.name}` | {_code(defaults.get(spec.name))} | "
                   f"{'`' + spec.css + '`' if spec.css else ''} | "
                   f"{'`' + spec.pack_key + '`' if spec.pack_key else ''} | {_md(spec.help)} |")
        nxt = SETTINGS.index(spec) + 1
        if nxt == len(SETTINGS) or SETTINGS[nxt].group != group:
            out.append("")

    out += label_table()
    out += ["### Custom properties", "",
            "Declared on `:root` by the built-in stylesheets; set them in your theme's "
            "`styles/base.css` (or change the matching setting).", "",
            "| Property | Default | What it is |", "|---|---|---|"]
    for name, value, comment in default_custom_properties():
        out.append(f"| `{name}` | `{_md(value)}` | {_md(comment)} |")
    out += ["", "### Stylesheets", "",
            "A theme's `styles/` may hold: " + ", ".join(f"`{n}`" for n in handout_sheets())
            + " (`base.css` for every handout, the others for their handout only), and "
            "`variant-large-print.css`, `variant-dyslexia-friendly.css` for those copies. "
            "Later sheets win: the default theme's, then the settings, then each theme's "
            "from the one extended to yours, then the pack's own `styles/`.", ""]

    out += ["### Templates and blocks", "",
            "| Template | What it is | Blocks you can override |", "|---|---|---|"]
    for name, (desc, blocks) in template_blocks().items():
        out.append(f"| `{name}` | {_md(desc)} | "
                   f"{', '.join('`' + b + '`' for b in blocks) or '—'} |")
    out += ["", "#### Macros in `_macros.html`", "",
            "Every template that extends `base.html` can call these as `ui.NAME(...)`.", "",
            "| Macro | What it draws |", "|---|---|"]
    for name, args, doc in template_macros():
        out.append(f"| `ui.{name}({_md(args)})` | {_md(doc)} |")
    out.append("")

    functions, filters = contract_helpers(defaults)
    out += ["### Functions and filters", "",
            "Besides Jinja's own filters and tests (such as `upper`, `join`, `length`, "
            "`default`, `is defined`):", "", "| Use | What it gives |", "|---|---|"]
    for name, fn in functions.items():
        params = ", ".join(p for p in inspect.signature(fn).parameters if p != "ctx")
        out.append(f"| `{name}({params})` | {_md(inspect.getdoc(fn))} |")
    for name, fn in filters.items():
        out.append(f"| `value \\| {name}` | {_md(inspect.getdoc(fn))} |")
    out.append("")

    out += ["### Variables", "",
            "A name with `[]` is a list: `questions[].marks` is `q.marks` inside "
            "`{% for q in questions %}`. \"(field)\" means the value may be a worksheet gap in "
            "the worksheet and answers editions: print it with `{{ ui.field(value) }}`.", "",
            "#### Every template but the web pages (" + " and ".join(f"`{n}`" for n in WEB_PAGES)
            + ")", "", "| Variable | What it holds |",
            "|---|---|"]
    common = CONTEXT["blank.html"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in common.items()]
    out.append("")
    # The web pages have contexts of their own, listed whole below.
    handouts = [n for n in TEMPLATES
                if n in CONTEXT and n != "blank.html" and n not in WEB_PAGES]
    shared = {k: v for k, v in CONTEXT[handouts[0]].items()
              if k not in common and all(k in CONTEXT[n] for n in handouts)}
    out += ["#### Every template but `blank.html` and the web pages", "",
            "| Variable | What it holds |",
            "|---|---|"]
    out += [f"| `{k}` | {_md(v)} |" for k, v in shared.items()]
    out.append("")
    for name in TEMPLATES:
        extra = {k: v for k, v in CONTEXT.get(name, {}).items()
                 if name in WEB_PAGES or (k not in common and k not in shared)}
        if not extra:
            continue
        out += [f"#### `{name}`", "", "| Variable | What it holds |", "|---|---|"]
        out += [f"| `{k}` | {_md(v)} |" for k, v in extra.items()]
        out.append("")
    return "\n".join(out)
