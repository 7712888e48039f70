"""Shared fixtures: one build of the bundled pack per test session, and small pack helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from revpack.diagnostics import Diagnostics, RevpackError
from revpack.load import load_pack
from revpack.resources import bundled_pack

FIXTURES = Path(__file__).parent / "fixtures"


def pdftotext(path: Path, first: int | None = None, last: int | None = None,
              layout: bool = False) -> str:
    cmd = ["pdftotext", "-q"]
    if layout:
        cmd.append("-layout")
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def page_texts(path: Path) -> list[str]:
    """The text of each page, split on form feeds."""
    pages = pdftotext(path).split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def messages(pack_dir) -> list[str]:
    """Every diagnostic for a pack, with paths relative to the pack folder."""
    diags = Diagnostics()
    try:
        load_pack(pack_dir, diags)
    except RevpackError as exc:
        return [str(d) for d in exc.diagnostics]
    cwd = os.getcwd()
    os.chdir(pack_dir)
    try:
        return diags.lines()
    finally:
        os.chdir(cwd)


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Every test gets an empty cache folder of its own (XDG_CACHE_HOME, which subprocesses
    inherit too): no test reads what another rendered, nor the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The bundled pack built once, all editions: returns the output folder."""
    import revpack

    out = tmp_path_factory.mktemp("out")
    result = revpack.build(bundled_pack(), out=out)
    return result.out_dir


@pytest.fixture
def make_pack(tmp_path):
    """Write a small pack from {filename: text}; missing files default to a valid mini pack."""
    def make(files: dict[str, str | bytes] | None = None, base: str = "mini",
             name: str = "pack") -> Path:
        root = tmp_path / name
        if base:
            shutil.copytree(FIXTURES / base, root)
        else:
            root.mkdir(parents=True)
        for fname, text in (files or {}).items():
            path = root / fname
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink()
            elif isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root
    return make


def pytest_collection_modifyitems(items):
    """Under `-n N --dist loadgroup` (as .ci/run runs the matrix), the matrix tests that share one
    build (pack, copy, paper) go to one worker, so each build is made once."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("matrix") and params:
            key = "-".join(str(params.get(k, "")) for k in ("pack", "variant", "paper"))
            item.add_marker(pytest.mark.xdist_group(key))
