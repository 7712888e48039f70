"""Console: takes a command's body, gives its output lines and its exit code.

Shared by `revpack ...` (cli.py) and `revpack theme ...` (theme_cli.py), so that neither imports
the other: a `RevpackError` becomes its diagnostics on stderr and exit code 1 (content, theme or
render errors) or 2 (usage); an internal error is one line, with a traceback only under --debug.
"""

from __future__ import annotations

import sys

import typer

from .diagnostics import RevpackError

state = {"debug": False}


def out(text: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def report(diagnostics) -> None:
    for d in diagnostics:
        out(str(d), err=True)


def run(func):
    """Run a command body, turning errors into messages and exit codes."""
    try:
        return func()
    except RevpackError as exc:
        report(exc.diagnostics)
        n = sum(1 for d in exc.diagnostics if d.severity == "error")
        if n > 1:
            out(f"revpack: {n} errors", err=True)
        raise typer.Exit(exc.exit_code)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        out("revpack: interrupted", err=True)
        raise typer.Exit(130)
    except (SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # an internal error: one line, unless --debug
        # BaseException: some libraries' errors (WeasyPrint's FatalURLFetchingError) are not
        # Exceptions, and must not escape as a traceback either.
        if state["debug"]:
            raise
        from .diagnostics import show

        out(f"revpack: internal error: {type(exc).__name__}: {show(exc, 200)}. This is a bug in "
             "revpack; please report it, with the output of the same command run with --debug.",
             err=True)
        raise typer.Exit(1)
