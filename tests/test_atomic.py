"""Nothing is lost: a failed, interrupted or killed build leaves the last good PDFs exactly as they
were; two builds into one folder at the same time leave whole PDFs, all from one build or all from
the other; files of other editions stay; two packs never share an output folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import revpack
import revpack.pdf
from revpack.cli import app
from revpack.diagnostics import RevpackError
from revpack.output import MARKER, Staging, tidy

from .conftest import pdftotext

TEMPLATE_ERROR = "<p>{{ no_such_variable }}</p>\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _pdfs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf")) if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    """What a build may leave beside OUT/pack/: only its lock."""
    return sorted(p.name for p in out.iterdir() if p.name not in ("pack", ".pack.lock"))


def _revpack(*args: str, strace: list[str] | None = None, **kwargs):
    """`revpack ARGS` in a new process (under `strace ARGS` if given); PYTHONPATH is kept, so it
    runs the code under test. No .pyc writes: their renames would count as the build's."""
    env = dict(os.environ, PYTHONWARNINGS="ignore", PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "revpack", *args]
    return subprocess.run((["strace", "-f", "-qq", "-o", os.devnull] + strace if strace else [])
                          + command, capture_output=True, text=True, env=env, timeout=600,
                          **kwargs)


@pytest.fixture
def first_build(make_pack, tmp_path):
    """A small pack (timeline and exam) built once; returns (pack, output folder, file bytes)."""
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    made = {p.name for p in result.out_dir.glob("*.pdf")}
    assert {"exam-complete.pdf", "pack-complete.pdf", "timeline-complete.pdf"} <= made
    # Beside them only kinds made from the timeline (the find-and-fix sheet), no treaty table.
    assert {f"{k}-complete.pdf" for k in revpack.check(pack).pack.handouts()} | \
        {"pack-complete.pdf"} == made and "treaties-complete.pdf" not in made
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


def test_a_rebuild_of_one_edition_keeps_the_files_of_the_others(first_build):
    pack, out_dir, before = first_build
    (out_dir / "notes.txt").write_text("the teacher's own file", encoding="utf-8")
    _edit_timeline(pack)
    revpack.build(pack, out=out_dir.parent, editions=("worksheet",))
    after = _snapshot(out_dir)
    for name in ("exam-complete.pdf", "pack-complete.pdf", "timeline-complete.pdf"):
        assert after[name] == before[name]
    assert after["notes.txt"] == b"the teacher's own file"
    assert "second draft" in pdftotext(out_dir / "timeline-worksheet.pdf")
    assert after[MARKER] == f"{pack.resolve().name}\n".encode()
    assert _leftovers(out_dir.parent) == []


def test_two_builds_into_one_folder_at_once(make_pack, tmp_path):
    """Two processes build the same pack, on A4 and on Letter, into one output folder together."""
    pack = make_pack({"treaties.md": None, "historiography.md": None})
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    procs = [subprocess.Popen([sys.executable, "-m", "revpack", "build", str(pack), "-o", str(out),
                               "--edition", "complete", "--paper", paper], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
             for paper in ("a4", "letter")]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    folder = out / "pack"
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["exam-complete.pdf", "findfix-complete.pdf",
                                      "pack-complete.pdf", "timeline-complete.pdf"]
    assert _leftovers(out) == []
    widths = set()
    for pdf in pdfs:
        reader = PdfReader(pdf)             # a whole file: it parses, every page included
        assert len(reader.pages) >= 1
        for page in reader.pages:
            page.extract_text()
            widths.add(round(float(page.mediabox.width)))
    assert len(widths) == 1, f"files from both builds were mixed: page widths {widths}"


# --- killed builds: strace kills the build at each rename of its commit ---------------------

needs_strace = pytest.mark.skipif(shutil.which("strace") is None,
                                  reason="needs strace (apt install strace) to kill a build at "
                                         "a chosen system call")


@pytest.fixture
def two_builds(first_build, tmp_path):
    """Build A (first_build) and build B (the pack retitled), each PDF different: returns
    (pack, A's output folder, A's PDFs, B's PDFs)."""
    pack, out_dir, _ = first_build
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    (pack / "pack.yaml").write_text(text.replace('title: "Mini pack"', 'title: "Mini pack B"'),
                                    encoding="utf-8")
    new = _pdfs(revpack.build(pack, out=tmp_path / "known-b", editions=("complete",)).out_dir)
    old = _pdfs(out_dir)
    assert sorted(new) == sorted(old) and all(new[n] != old[n] for n in new)
    return pack, out_dir, old, new


@needs_strace
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2-exchange", "two-step"])
def test_a_build_killed_at_any_rename_leaves_all_old_or_all_new_pdfs(two_builds, tmp_path,
                                                                     exchange):
    """SIGKILL on entering the Nth rename, for every N, until a build gets through. With
    renameat2 refused (as on an old kernel), the two-step swap runs: between its steps the folder
    may be missing, and the next build puts the old one back before anything else."""
    pack, out_dir, old, new = two_builds
    renames = "rename,renameat" if not exchange else "rename,renameat,renameat2"
    refuse = [] if exchange else ["-e", "inject=renameat2:error=ENOSYS"]
    states = []
    for n in range(1, 12):
        out = tmp_path / f"out-{n}"
        shutil.copytree(out_dir, out / "pack")
        # --no-cache: writing cache entries (renames too) would shift which rename is killed.
        run = _revpack("build", str(pack), "-o", str(out), "--edition", "complete", "--no-cache",
                       strace=refuse + ["-e", f"inject={renames}:signal=SIGKILL:when={n}"])
        if run.returncode == 0:
            assert _pdfs(out / "pack") == new and _leftovers(out) == []
            break
        assert run.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), run.stderr
        if not (out / "pack").exists():
            assert not exchange
            states.append("none")
            tidy(out, "pack")                  # what the next build does first, under the lock
        found = _pdfs(out / "pack")
        assert found in (old, new), f"killed at rename {n}: a mix of two builds"
        states.append("old" if found == old else "new")
        tidy(out, "pack")
        assert _leftovers(out) == [] and _pdfs(out / "pack") == found
    else:
        pytest.fail("the build was still killed at its 11th rename")
    assert "old" in states                   # it was killed at least once, before the swap
    assert ("none" in states) == (not exchange)


@needs_strace
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_while_writing_removes_the_staging_folder(first_build, signum):
    pack, out_dir, before = first_build
    _edit_timeline(pack)
    # fsync is called only when a PDF is written: the signal comes with the build's first file.
    run = _revpack("build", str(pack), "-o", str(out_dir.parent), "--edition", "complete",
                   strace=["-e", f"inject=fsync:signal={signum.name}:when=1"])
    assert run.returncode in (-signum, 128 + signum), run.stderr
    assert "Traceback" not in run.stderr
    assert _snapshot(out_dir) == before
    assert _leftovers(out_dir.parent) == []


@needs_strace
def test_what_a_killed_build_left_is_removed_by_the_next_build(first_build):
    pack, out_dir, before = first_build
    run = _revpack("build", str(pack), "-o", str(out_dir.parent), "--edition", "complete",
                   strace=["-e", "inject=fsync:signal=SIGKILL:when=2"])
    assert run.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), run.stderr
    assert [n.split("-")[0] for n in _leftovers(out_dir.parent)] == [".pack.new"]
    assert _snapshot(out_dir) == before
    revpack.build(pack, out=out_dir.parent, editions=("worksheet",))
    assert _leftovers(out_dir.parent) == []


# --- where the output goes: names, folders, other packs, other users --------------------------

def test_an_output_name_taken_by_a_folder_is_a_located_error(first_build):
    pack, out_dir, before = first_build
    (out_dir / "exam-complete.pdf").unlink()
    (out_dir / "exam-complete.pdf").mkdir()
    (out_dir / "exam-complete.pdf" / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(pack), "-o", str(out_dir.parent),
                                      "--edition", "complete"])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"{out_dir / 'exam-complete.pdf'}: error: a folder (or other non-file) has "
                      "this name, so the build cannot put its PDF here (move or rename it, or "
                      "build into another folder with -o)"]
    assert "internal error" not in result.output
    assert (out_dir / "exam-complete.pdf" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert _pdfs(out_dir) == {n: b for n, b in before.items()
                              if n.endswith(".pdf") and n != "exam-complete.pdf"}
    assert _leftovers(out_dir.parent) == []


def test_pack_folders_named_in_other_scripts_get_their_own_output_folders(make_pack, tmp_path):
    packs = [make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None},
                       name=name) for name in ("Революция", "Война")]
    dirs = [revpack.build(p, out=tmp_path / "out", editions=("complete",)).out_dir for p in packs]
    assert [d.name for d in dirs] == ["революция", "война"]
    assert all(sorted(_pdfs(d)) == ["findfix-complete.pdf", "pack-complete.pdf",
                                    "timeline-complete.pdf"] for d in dirs)


def test_two_packs_whose_names_give_one_slug_never_overwrite_each_other(make_pack, tmp_path):
    first = make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None},
                      name="a/Pack!")
    second = make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None},
                       name="b/pack")
    out_dir = revpack.build(first, out=tmp_path / "out", editions=("complete",)).out_dir
    before = _snapshot(out_dir)
    with pytest.raises(RevpackError) as exc:
        revpack.build(second, out=tmp_path / "out", editions=("complete",))
    assert exc.value.exit_code == 2
    assert [str(d) for d in exc.value.diagnostics] == [
        f"{out_dir}: error: this folder holds the PDFs of another pack, '{first.name}'; building "
        f"{second} here would replace them (two pack folders with names that give the same "
        f"output name) (build into another folder with -o, or delete {out_dir} if that pack's "
        "PDFs are no longer wanted)"]
    assert _snapshot(out_dir) == before


def test_a_pack_moved_to_another_folder_still_rebuilds_its_own_pdfs(make_pack, tmp_path):
    pack = make_pack({"treaties.md": None, "historiography.md": None, "exam.md": None},
                     name="history")
    out_dir = revpack.build(pack, out=tmp_path / "out", editions=("complete",)).out_dir
    moved = tmp_path / "elsewhere" / "history"
    moved.parent.mkdir()
    pack.rename(moved)
    assert revpack.build(moved, out=tmp_path / "out", editions=("complete",)).out_dir == out_dir
    assert str(tmp_path) not in (out_dir / MARKER).read_text(encoding="utf-8")


def _as_nobody(folder: Path, pack: Path) -> list[str]:
    """Replace the timeline PDF as a second teacher would, acting as the user nobody (root can
    take another user's identity for a while): returns the error lines, [] when it worked."""
    import contextlib
    import ctypes, errno, fcntl, pwd  # noqa: F401,E401  (nobody may not read the library here)

    os.setgroups([])
    os.setegid(65534)
    os.seteuid(65534)
    try:
        with Staging(folder, pack) as staging:
            staging.add("timeline-complete.pdf", b"%PDF-1.7 from the second teacher")
            staging.commit()
        return []
    except RevpackError as exc:
        assert exc.exit_code == 1
        return [str(d) for d in exc.diagnostics]
    finally:
        os.seteuid(0)
        os.setegid(0)
        with contextlib.suppress(OSError):
            os.setgroups([0])


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to act as a second user (nobody)")
def test_a_second_user_builds_into_a_shared_folder(make_pack):
    """The first teacher's lock (0644) no longer stops the second; what does stop them (a lock
    or folder only its owner may use) is one located line, not an internal error."""
    shared = Path(tempfile.mkdtemp(prefix="revpack-shared-"))
    try:
        shared.chmod(0o755)
        pack = shared / "pack"
        shutil.copytree(Path(__file__).parent / "fixtures" / "mini", pack)
        out = shared / "out"
        with Staging(out / "pack", pack) as staging:       # the first teacher (root)
            staging.add("timeline-complete.pdf", b"%PDF-1.7 from the first teacher")
            staging.commit()
        lock = out / ".pack.lock"
        assert lock.stat().st_mode & 0o777 == 0o644
        out.chmod(0o777)
        (out / "pack").chmod(0o755)
        assert _as_nobody(out / "pack", pack) == [
            f"{out / 'pack'}: error: this folder belongs to root and you may not change the "
            "files in it (ask them to let the group write to it (chmod -R g+w), or build into "
            "another folder with -o)"]
        (out / "pack").chmod(0o777)                         # a shared, writable folder
        assert _as_nobody(out / "pack", pack) == []
        assert (out / "pack" / "timeline-complete.pdf").read_bytes().endswith(b"second teacher")
        assert (out / "pack").stat().st_mode & 0o777 == 0o777
        lock.chmod(0o600)
        assert _as_nobody(out / "pack", pack) == [
            f"{lock}: error: cannot open this lock file: it belongs to root, who alone may read "
            "it (ask them to delete it (it holds nothing), or build into another folder with -o)"]
    finally:
        shutil.rmtree(shared)
