"""Nothing is lost: a failed build leaves the last good PDFs exactly as they were, and two builds
into one folder at the same time leave whole PDFs, all from one build or all from the other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import revpack
import revpack.pdf
from revpack.diagnostics import RevpackError

from .conftest import pdftotext

TEMPLATE_ERROR = "<p>{{ no_such_variable }}</p>\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def first_build(make_pack, tmp_path):
    """A small pack (timeline and exam) built once; returns (pack, output folder, file bytes)."""
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    assert sorted(p.name for p in result.out_dir.glob("*.pdf")) == [
        "exam-complete.pdf", "pack-complete.pdf", "timeline-complete.pdf"]
    return pack, result.out_dir, _snapshot(result.out_dir)


def _edit_timeline(pack: Path) -> None:
    text = (pack / "timeline.md").read_text(encoding="utf-8")
    (pack / "timeline.md").write_text(text.replace("# Timeline", "# Timeline, second draft"),
                                      encoding="utf-8")


def test_a_template_error_halfway_leaves_the_last_pdfs_untouched(first_build):
    pack, out_dir, before = first_build
    _edit_timeline(pack)              # the timeline renders (and differs) before the exam fails
    (pack / "templates").mkdir()
    (pack / "templates" / "exam.html").write_text(TEMPLATE_ERROR, encoding="utf-8")
    with pytest.raises(RevpackError) as exc:
        revpack.build(pack, out=out_dir.parent, editions=("complete",))
    assert "no_such_variable" in str(exc.value)
    assert _snapshot(out_dir) == before     # byte-identical, and no temporary files left behind


def test_a_render_failure_after_the_first_files_leaves_them_untouched(first_build, monkeypatch):
    pack, out_dir, before = first_build
    _edit_timeline(pack)
    real_render = revpack.pdf.Renderer.render
    calls = []

    def failing_render(self, html, base, stylesheets, label):
        calls.append(label)
        if len(calls) > 2:
            raise RevpackError(f"{label}: error: simulated failure")
        return real_render(self, html, base, stylesheets, label)

    monkeypatch.setattr(revpack.pdf.Renderer, "render", failing_render)
    with pytest.raises(RevpackError, match="simulated failure"):
        revpack.build(pack, out=out_dir.parent, editions=("complete",))
    assert len(calls) == 3
    assert _snapshot(out_dir) == before


def test_an_interrupted_build_leaves_the_last_pdfs_untouched(first_build, monkeypatch):
    pack, out_dir, before = first_build
    _edit_timeline(pack)
    real_write = revpack.pdf.Renderer.write
    written = []

    def interrupted_write(self, document, seed):
        written.append(seed)
        if len(written) == 2:
            raise KeyboardInterrupt
        return real_write(self, document, seed)

    monkeypatch.setattr(revpack.pdf.Renderer, "write", interrupted_write)
    with pytest.raises(KeyboardInterrupt):
        revpack.build(pack, out=out_dir.parent, editions=("complete",))
    assert _snapshot(out_dir) == before


def test_a_successful_rebuild_replaces_every_file(first_build):
    pack, out_dir, before = first_build
    _edit_timeline(pack)
    revpack.build(pack, out=out_dir.parent, editions=("complete",))
    after = _snapshot(out_dir)
    assert sorted(after) == sorted(before)
    assert after["timeline-complete.pdf"] != before["timeline-complete.pdf"]
    assert "second draft" in pdftotext(out_dir / "timeline-complete.pdf")


def test_two_builds_into_one_folder_at_once(make_pack, tmp_path):
    """Two processes build different versions of a pack into one output folder together."""
    packs = []
    for version in ("alpha", "beta"):
        pack = make_pack({"pack.yaml": _retitled(version), "treaties.md": None,
                          "historiography.md": None}, name=f"{version}/pack")
        packs.append(pack)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    procs = [subprocess.Popen([sys.executable, "-m", "revpack", "build", str(pack), "-o", str(out),
                               "--edition", "complete"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for pack in packs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    folder = out / "pack"
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["exam-complete.pdf", "pack-complete.pdf",
                                      "timeline-complete.pdf"]
    assert not [p for p in folder.iterdir() if p.suffix == ".tmp"]
    titles = set()
    for pdf in pdfs:
        reader = PdfReader(pdf)             # a whole file: it parses, every page included
        assert len(reader.pages) >= 1
        for page in reader.pages:
            page.extract_text()
        titles.add(reader.metadata.title.split("Mini pack ")[1].split()[0])
    assert len(titles) == 1, f"files from both builds were mixed: {titles}"


def _retitled(version: str) -> str:
    from .conftest import FIXTURES

    text = (FIXTURES / "mini" / "pack.yaml").read_text(encoding="utf-8")
    return text.replace('title: "Mini pack"', f'title: "Mini pack {version}"')
