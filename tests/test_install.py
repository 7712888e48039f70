"""A non-editable install into a fresh virtual environment builds the bundled pack from elsewhere.

This proves the wheel carries the built-in theme (templates/, styles/) and the bundled pack.
The new venv sees the libraries of the Python running the tests (a .pth file naming its
site-packages folders), so the test downloads nothing and works however pytest was installed:
in a venv, for the user, or system-wide. revpack itself is installed from this checkout, not
editable, and is found first.
"""

from __future__ import annotations

import os
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_pip_install_then_build_from_another_folder(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    _see_running_libraries(py)
    pip = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                          "--ignore-installed", "--quiet", str(REPO)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    where = subprocess.run([str(py), "-c", "import revpack; print(revpack.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, env=env)
    assert str(env_dir) in where.stdout, where.stdout + where.stderr
    run = subprocess.run([str(env_dir / "bin" / "revpack"), "build", "--edition", "complete"],
                         cwd=elsewhere, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    out = elsewhere / "out" / "soviet-foreign-policy"
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        f"{h}-complete.pdf" for h in ("timeline", "treaties", "historiography", "exam",
                                                  "organiser", "flashcards", "findfix", "pack"))
    assert all(p.stat().st_size > 10_000 for p in out.glob("*.pdf"))


def _see_running_libraries(py: Path) -> None:
    """Let the venv of `py` import what the running Python can (WeasyPrint, hatchling…),
    after its own packages. Not --system-site-packages: that is the base Python's folder, which
    lacks them when pytest runs from a venv."""
    here = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
            *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        here.append(site.getusersitepackages())
    theirs = subprocess.run([str(py), "-c", "import sysconfig; "
                             "print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    folders = [f for f in dict.fromkeys(here) if os.path.isdir(f)]
    Path(theirs, "_running_python.pth").write_text("\n".join(folders) + "\n", encoding="utf-8")


def test_every_imported_library_is_a_declared_dependency():
    """The venv above reuses installed libraries, so it cannot notice a missing declaration:
    check the source's imports against pyproject.toml instead."""
    import ast
    import re
    import sys
    import tomllib
    from importlib.metadata import packages_distributions

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    # The core dependencies, and the extras that optional features import (never `test`).
    extras = declared["project"].get("optional-dependencies", {})
    wanted = declared["project"]["dependencies"] + [
        d for extra, deps in extras.items() if extra != "test" for d in deps]
    names = {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-")
             for d in wanted}
    dists = packages_distributions()
    imported = set()
    for path in (REPO / "src" / "revpack").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported - set(sys.stdlib_module_names) if m != "revpack"}
    assert {"weasyprint", "jinja2", "markdown", "typer", "yaml", "pypdf"} <= third_party
    missing = {m: dists.get(m) for m in third_party
               if not {d.lower().replace("_", "-") for d in dists.get(m, [m])} & names}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
