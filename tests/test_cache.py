"""The cache of rendered PDFs: hits are byte-identical, one change invalidates exactly what
depends on it, damaged entries are rebuilt, the size limit holds, and a no-change rebuild writes
nothing. Behaviour only: no test here is timed (speed is benchmarks/run.py's)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import revpack
from revpack import cache as cache_mod
from revpack.cache import Cache, NoCache, default_folder, open_cache

from .conftest import FIXTURES

HANDOUTS = ("timeline", "treaties", "historiography", "exam")


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


@pytest.fixture
def pack(tmp_path):
    import shutil
    root = tmp_path / "pack"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def build(pack, out, store, **kw):
    return revpack.build(pack, out=out, cache=store, editions=("complete", "worksheet"), **kw)


def test_hit_is_byte_identical_to_a_cold_build_and_to_no_cache(pack, tmp_path):
    store = Cache(tmp_path / "c")
    cold = build(pack, tmp_path / "o1", store)
    assert sorted(cold.rendered) == sorted(f.path.name for f in cold.files)
    warm = build(pack, tmp_path / "o2", store)
    assert warm.rendered == []                      # every file from the cache
    plain = build(pack, tmp_path / "o3", False)
    assert pdfs(cold.out_dir) == pdfs(warm.out_dir) == pdfs(plain.out_dir)
    made = len(revpack.check(pack).pack.handouts()) + 1          # each handout it has, and the pack
    assert len(pdfs(cold.out_dir)) == 2 * made
    assert [f.pages for f in cold.files] == [f.pages for f in warm.files]


def test_no_change_rebuild_writes_nothing(pack, tmp_path):
    store = Cache(tmp_path / "c")
    first = build(pack, tmp_path / "o", store)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in first.out_dir.iterdir()}
    folder = first.out_dir.stat().st_ino
    again = build(pack, tmp_path / "o", store)
    assert again.unchanged and again.rendered == []
    assert first.out_dir.stat().st_ino == folder            # not swapped for a new folder
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in first.out_dir.iterdir()} == before
    # A file missing from the output folder is a change: written again, from the cache.
    (first.out_dir / "timeline-complete.pdf").unlink()
    third = build(pack, tmp_path / "o", store)
    assert not third.unchanged and third.rendered == []
    assert (first.out_dir / "timeline-complete.pdf").is_file()


def test_one_content_edit_rerenders_only_what_depends_on_it(pack, tmp_path):
    store = Cache(tmp_path / "c")
    build(pack, tmp_path / "o", store)
    path = pack / "treaties.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Neutrality if", "Neutrality whenever", 1),
                    encoding="utf-8")
    assert "Neutrality whenever" in path.read_text(encoding="utf-8")
    again = build(pack, tmp_path / "o", store)
    assert sorted(again.rendered) == ["pack-complete.pdf", "pack-worksheet.pdf",
                                      "treaties-complete.pdf", "treaties-worksheet.pdf"]


def test_an_option_the_code_or_a_stylesheet_invalidates_everything_it_touches(
        pack, tmp_path, monkeypatch):
    store = Cache(tmp_path / "c")
    first = build(pack, tmp_path / "o", store)
    everything = sorted(f.path.name for f in first.files)
    # Another paper: new keys for every file.
    letter = build(pack, tmp_path / "o2", store, paper="letter")
    assert sorted(letter.rendered) == everything
    # A stylesheet of the pack's own (the pack layer of the theme chain).
    (pack / "styles").mkdir()
    (pack / "styles" / "base.css").write_text("h1 { letter-spacing: 0.01em; }\n",
                                              encoding="utf-8")
    styled = build(pack, tmp_path / "o3", store)
    assert sorted(styled.rendered) == everything
    # revpack's own code (or WeasyPrint's version): a different code digest.
    monkeypatch.setattr(cache_mod, "code_digest", lambda: "another revpack")
    monkeypatch.setattr("revpack.keys.code_digest", lambda: "another revpack")
    recoded = build(pack, tmp_path / "o4", store)
    assert sorted(recoded.rendered) == everything


def test_a_template_change_invalidates_its_handout(pack, tmp_path):
    store = Cache(tmp_path / "c")
    build(pack, tmp_path / "o", store)
    from revpack.resources import resource_dir
    (pack / "templates").mkdir()
    source = (resource_dir() / "templates" / "exam.html").read_text(encoding="utf-8")
    (pack / "templates" / "exam.html").write_text(source.replace("</main>", "<!-- x --></main>", 1)
                                                  if "</main>" in source else source + "\n",
                                                  encoding="utf-8")
    again = build(pack, tmp_path / "o", store)
    assert "exam-complete.pdf" in again.rendered and "pack-complete.pdf" in again.rendered


def test_a_damaged_entry_is_rebuilt_never_copied(pack, tmp_path):
    store = Cache(tmp_path / "c")
    cold = build(pack, tmp_path / "o1", store)
    entries = sorted(p for p in (tmp_path / "c").rglob("*") if p.is_file()
                     and not p.name.startswith("."))
    assert len(entries) == len(cold.files)
    truncated, flipped = entries[0], entries[1]
    truncated.write_bytes(truncated.read_bytes()[:-100])
    raw = bytearray(flipped.read_bytes())
    raw[-50] ^= 0xFF                                    # same size, one byte changed
    flipped.write_bytes(bytes(raw))
    again = build(pack, tmp_path / "o2", store)
    assert len(again.rendered) == 2 and store.corrupt == 2
    assert pdfs(again.out_dir) == pdfs(cold.out_dir)
    third = build(pack, tmp_path / "o3", Cache(tmp_path / "c"))   # repaired: all hits now
    assert third.rendered == []


def test_size_limit_evicts_the_oldest(tmp_path):
    store = Cache(tmp_path / "c", limit_mb=0.25)        # 262144 bytes
    for n in range(5):
        store.put(f"{n:064x}", bytes([n]) * 100_000, 1)
        path = store._path(f"{n:064x}")
        os.utime(path, ns=(n * 10 ** 9, n * 10 ** 9))      # older first
    store.evict()
    assert store.size() <= 262144
    assert [store.get(f"{n:064x}") is not None for n in range(5)] == [False, False, False,
                                                                       True, True]
    assert store.get(f"{4:064x}") == (bytes([4]) * 100_000, 1)


def test_the_cache_folder_follows_xdg_cache_home_and_never_sits_in_out(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_folder().is_relative_to(tmp_path / "xdg")
    assert isinstance(open_cache(True, tmp_path / "elsewhere"), Cache)
    assert isinstance(open_cache(True, tmp_path / "xdg"), NoCache)     # out/ holds the cache
    assert isinstance(open_cache(False, tmp_path / "elsewhere"), NoCache)


def test_cli_caches_by_default_and_no_cache_bypasses(pack, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from revpack.cli import app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()
    args = ["build", str(pack), "-o", str(tmp_path / "o"), "--edition", "complete", "--jobs", "1"]
    first = runner.invoke(app, args + ["--no-cache"])
    assert first.exit_code == 0, first.output
    assert not (tmp_path / "xdg").exists()              # --no-cache: nothing stored
    second = runner.invoke(app, args)
    made = len(revpack.check(pack).pack.handouts()) + 1
    assert second.exit_code == 0 and f"wrote {made} PDFs" in second.output
    assert any((tmp_path / "xdg").rglob("*"))
    third = runner.invoke(app, args)
    assert third.exit_code == 0 and "nothing changed" in third.output, third.output


def test_a_build_without_libharfbuzz_subset_says_so(pack, tmp_path, monkeypatch):
    import ctypes.util

    from typer.testing import CliRunner

    from revpack.cli import app

    args = ["build", str(pack), "-o", str(tmp_path / "o"), "--edition", "answers", "--jobs", "1"]
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    missing = CliRunner().invoke(app, args + ["--no-cache"])
    assert missing.exit_code == 0 and "libharfbuzz-subset0" in missing.output
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"lib{name}.so.0")
    present = CliRunner().invoke(app, args + ["--no-cache"])
    assert present.exit_code == 0 and "libharfbuzz" not in present.output
