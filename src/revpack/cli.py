"""CLI: takes command-line arguments, gives calls into `revpack.build` and readable output.

Thin on purpose: it parses options, shows progress and diagnostics, and maps `RevpackError` to an
exit code (1 for content, theme or render errors; 2 for usage). No traceback is shown unless
`--debug` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .build import EDITIONS
from .build import build as build_pack
from .build import check as check_pack
from .console import out, report, run, state
from .diagnostics import RevpackError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Printable revision packs from Markdown: timeline, treaty table, historiography grid "
         "and exam practice pages.\n\nExample: revpack build content/soviet-foreign-policy",
)

_state = state          # --debug, read by run()
_out, _report, _run = out, report, run


def _version(value: bool) -> None:
    if value:
        _out(f"revpack {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback on internal errors."),
) -> None:
    """Printable revision packs from Markdown.

    Example: revpack build content/soviet-foreign-policy -o out
    """
    _state["debug"] = debug


@app.command()
def build(
    pack_dir: Optional[Path] = typer.Argument(
        None, help="The pack folder (holding pack.yaml). Default: the current folder if it "
                   "holds a pack.yaml, otherwise the bundled example pack."),
    out: Optional[Path] = typer.Option(None, "-o", "--out",
                                       help="Output folder (default ./out); PDFs go to OUT/<pack>/."),
    edition: str = typer.Option("all", "--edition",
                                help="complete, worksheet, answers or all."),
    theme: Optional[str] = typer.Option(None, "--theme", help="Theme name or folder."),
    paper: Optional[str] = typer.Option(None, "--paper", help="a4 or letter (default a4)."),
    variant: str = typer.Option("standard", "--variant",
                                help="standard, large-print or dyslexia-friendly."),
    booklet: bool = typer.Option(False, "--booklet",
                                 help="Also write a booklet of each pack: A5 pages imposed on A4 "
                                      "(A4 on A3 for large-print and dyslexia-friendly copies)."),
    class_list: Optional[Path] = typer.Option(
        None, "--class-list", help="CSV (name[,class][,variant]) or one name per line: writes "
                                   "class-<edition>.pdf with a named copy per student."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
    html: bool = typer.Option(False, "--html",
                              help="Also write a reading version of each handout for phones "
                                   "(read-<handout>.html, complete edition), linked from index.html."),
) -> None:
    """Build the handouts and the combined pack as PDFs.

    Example: revpack build content/soviet-foreign-policy -o out --edition worksheet
    """
    from .diagnostics import UsageError
    def body():
        if edition == "all":
            editions = EDITIONS
        elif edition in EDITIONS:
            editions = (edition,)
        else:
            raise UsageError(f"unknown edition '{edition}' "
                             "(choose complete, worksheet, answers or all)")
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task("loading the pack", total=None)

            def on_step(name: str) -> None:
                # A step is a handout being rendered, or "waiting for another build into …".
                progress.update(task, description=name if name.startswith("waiting ")
                                else f"rendering {name}")

            staged = []

            def on_file(w) -> None:
                # Listed as soon as it is made; it is put in place when the whole build succeeds.
                staged.append(w)
                progress.console.print(f"  {_rel(w.path)}  {_pages(w.pages)}  {_size(w.size)}",
                                       markup=False, highlight=False, soft_wrap=True)

            try:
                result = build_pack(pack_dir, out, editions=editions, theme=theme,
                                         paper=paper, variant=variant, booklet=booklet,
                                         class_list=class_list, strict=strict, html=html,
                                         on_file=on_file,
                                         on_step=on_step)
            except RevpackError:
                if staged:
                    progress.console.print("  (not written: the build stopped, so the PDFs "
                                           "already in the output folder are left as they were)",
                                           markup=False, highlight=False, soft_wrap=True)
                raise
        _report(result.diagnostics)
        _out(f"revpack: wrote {len(result.files)} PDFs in {_rel(result.out_dir)}")

    _run(body)


@app.command()
def check(
    pack_dir: Optional[Path] = typer.Argument(None, help="The pack folder (default as for build)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
) -> None:
    """Check a pack for mistakes without rendering anything.

    Example: revpack check content/soviet-foreign-policy
    """
    def body():
        result = check_pack(pack_dir, strict=strict)
        _report(result.diagnostics.items)
        _out("ok: " + result.summary())

    _run(body)


def _interactive() -> bool:
    """Someone at a terminal to answer questions (a script or a pipe never waits for one)."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
def new(
    path: Path = typer.Argument(..., help="The folder to create (it must be new or empty)."),
    title: Optional[str] = typer.Option(None, "--title", help="The pack's title."),
    level: Optional[str] = typer.Option(None, "--level", help="The level, as A-level or GCSE."),
    board: Optional[str] = typer.Option(None, "--board", help="The exam board, as AQA."),
    language: Optional[str] = typer.Option(None, "--language",
                                           help="A language tag, as en-GB, fr or de."),
) -> None:
    """Start a new pack: pack.yaml and every handout file, each a small commented example
    that passes `revpack check`. Asks for what is not given when run in a terminal; from a
    script it uses defaults and never waits.

    Example: revpack new my-pack --title "Weimar Germany" --level GCSE --board AQA
    """
    from .scaffold import DEFAULTS, check_language, new_pack

    def body():
        given = {"title": title, "level": level, "board": board, "language": language}
        asking = _interactive()
        values = {}
        for key, value in given.items():
            if value is None and asking:
                value = typer.prompt(f"{key.capitalize()}", default=DEFAULTS[key])
            values[key] = value if value is not None else DEFAULTS[key]
        check_language(values["language"])
        written = new_pack(path, **values)
        _out(f"revpack: wrote {len(written)} files in {_rel(path)}; next: revpack check {_rel(path)}")

    _run(body)


@app.command("import")
def import_map(
    map_file: Path = typer.Argument(..., metavar="MAP",
                                    help="A mind map or outline: Coggle Markdown or text export, "
                                         "FreeMind or Freeplane .mm, OPML, or an indented "
                                         "text or Markdown outline."),
    out: Optional[Path] = typer.Option(None, "-o", "--out", metavar="PACK",
                                       help="The pack folder to write (new or empty; default: "
                                            "a folder named after the map)."),
) -> None:
    """Turn a mind map into a pack skeleton that builds, with import-report.md saying where
    every node went and what to check.

    Example: revpack import my-map.mm -o my-pack
    """
    from .importer import import_map as run_import

    def body():
        result = run_import(map_file, out)
        nodes = "1 node" if result.node_count == 1 else f"{result.node_count} nodes"
        _out(f"revpack: read {nodes} ({result.format_name}); wrote "
             f"{_rel(result.pack_dir)}: {result.summary()}")
        _out(f"revpack: {result.attention} to check: see {_rel(result.report_path)}")

    _run(body)


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _pages(n: int) -> str:
    return "1 page" if n == 1 else f"{n} pages"


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MB"


from .theme_cli import theme_app  # noqa: E402  (the `revpack theme ...` commands)

app.add_typer(theme_app, name="theme", help="Create, adapt and check themes (how the handouts "
              "look, which exam conventions they follow).\n\nExample: revpack theme new myboard "
              "--from aqa-style")


def main() -> None:
    app()
