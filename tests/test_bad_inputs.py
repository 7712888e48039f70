"""The bad-input corpus: every broken or hostile pack in tests/bad_inputs/ gives exactly its message.

Each case is a folder `tests/bad_inputs/<case>/` with a `case.yaml` (what is wrong, the command,
the exact diagnostic lines and the exit code) and, usually, a `pack/` folder holding only the
files that differ from the clean pack in `tests/bad_inputs/_base/`. Files that cannot sensibly
live in git (binary, BOM, CRLF, other encodings, symlinks, unreadable files, pipes, files over
2 MB) are made at run time from the case's `generate:` list.

The CLI runs in-process (Typer's CliRunner) with the working folder set to the case's pack
folder, so paths in messages are relative to it, exactly as a teacher would see them.

To see what a case prints now (after changing a message on purpose):

    python tests/test_bad_inputs.py [CASE ...]
"""

from __future__ import annotations

import builtins
import contextlib
import os
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from revpack.cli import app

CORPUS = Path(__file__).parent / "bad_inputs"
BASE = CORPUS / "_base"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yaml").is_file())


def load_case(name: str) -> dict:
    return yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))


def materialise(name: str, case: dict, root: Path) -> Path:
    """Lay the case's pack out under `root`; returns the pack folder."""
    pack = root / "pack"
    if case.get("base", "base") == "base":
        shutil.copytree(BASE, pack)
    else:
        pack.mkdir(parents=True)
    overlay = CORPUS / name / "pack"
    if overlay.is_dir():
        shutil.copytree(overlay, pack, dirs_exist_ok=True)
    for rel in case.get("remove", []):
        (pack / rel).unlink()
    for spec in case.get("generate", []):
        _generate(pack, spec)
    return pack


def _generate(pack: Path, spec: dict) -> None:
    path = pack / spec["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if "symlink" in spec:
        path.unlink(missing_ok=True)
        path.symlink_to(spec["symlink"])
    elif spec.get("fifo"):
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    elif spec.get("folder"):
        path.unlink(missing_ok=True)
        path.mkdir()
    elif "hex" in spec:
        path.write_bytes(bytes.fromhex(spec["hex"]))
    elif "repeat" in spec:
        text = spec.get("prefix", "") + "".join(spec["repeat"].replace("{n}", str(n))
                                                for n in range(spec["times"])) \
            + spec.get("suffix", "")
        path.write_text(text, encoding="utf-8")
    elif "text" in spec:
        path.write_bytes(spec["text"].encode(spec.get("encoding", "utf-8")))
    else:                                   # transform the file already there
        data = path.read_text(encoding="utf-8")
        if spec.get("tabs"):
            data = data.replace("\n  ", "\n\t")
        if spec.get("crlf"):
            data = data.replace("\n", "\r\n")
        raw = data.encode("utf-8")
        if spec.get("bom"):
            raw = b"\xef\xbb\xbf" + raw
        path.write_bytes(raw)
    if spec.get("unreadable"):
        path.chmod(0)


@contextlib.contextmanager
def _unreadable(paths: list[Path]):
    """Make `paths` unreadable for revpack even to root, who ignores file permissions."""
    import revpack.source as source

    targets = {os.path.abspath(p) for p in paths}
    real_open = builtins.open

    def fake_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) in targets:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    source.open = fake_open
    try:
        yield
    finally:
        del source.open


def run_case(name: str, root: Path) -> tuple[int, list[str], str]:
    """(exit code, stderr lines, stdout) of a case, run with `root` as scratch space."""
    case = load_case(name)
    pack = materialise(name, case, root)
    args = [case.get("command", "check"), case.get("pack", ".")] + case.get("args", [])
    if args[0] == "build":
        if "-o" not in args:
            args += ["-o", str(root / "out")]
        if "--edition" not in args:
            args += ["--edition", "complete"]
    unreadable = [pack / s["path"] for s in case.get("generate", []) if s.get("unreadable")]
    cwd = os.getcwd()
    os.chdir(pack)
    try:
        with _unreadable(unreadable):
            result = CliRunner().invoke(app, args, catch_exceptions=False)
    finally:
        os.chdir(cwd)
        for p in unreadable:
            p.chmod(0o644)
    # Absolute paths (the scratch folder) are shown as <tmp>, so expectations stay fixed.
    lines = [line.rstrip().replace(str(root), "<tmp>") for line in result.stderr.splitlines()
             if line.strip()]
    return result.exit_code, lines, result.stdout.replace(str(root), "<tmp>")


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_case(name, tmp_path):
    case = load_case(name)
    code, stderr, stdout = run_case(name, tmp_path)
    expected = [line for line in (case.get("stderr") or "").splitlines() if line.strip()]
    assert stderr == expected
    assert code == case["exit"]
    if "stdout" in case:
        assert stdout.strip() == case["stdout"].strip()
    assert "Traceback" not in stdout and "internal error" not in "\n".join(stderr)


@pytest.mark.parametrize("name", CASES)
def test_every_message_is_located_and_one_line(name, tmp_path):
    """Each diagnostic names a file (with a line, unless the whole file is meant) or a usage."""
    case = load_case(name)
    for line in (case.get("stderr") or "").splitlines():
        if not line.strip() or line.startswith("revpack: ") and line.endswith(" errors"):
            continue
        where, severity, message = (line.split(": ", 2) + ["", ""])[:3]
        assert severity in ("error", "warning"), line
        assert where and message, line
        assert where != "revpack" or case["exit"] == 2, line


# --- bounded time -------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "[" * 19_000,                      # unclosed links: Markdown alone takes minutes on these
    "![" * 9_000,
    "[x](" * 4_500,
    "<a " * 6_000,                     # unclosed tags
    "1. " * 6_000,                     # lists nested thousands deep
    "> " * 9_000,
], ids=["brackets", "images", "links", "tags", "lists", "quotes"])
def test_pathological_markdown_is_checked_in_bounded_time(body, tmp_path):
    import time

    from revpack.build import check
    from revpack.diagnostics import RevpackError

    pack = materialise("_base", {}, tmp_path)
    text = (pack / "exam.md").read_text(encoding="utf-8")
    (pack / "exam.md").write_text(text.replace("**Analyse** the value of Source A.",
                                               "**Analyse** Source A. " + body), encoding="utf-8")
    start = time.perf_counter()
    try:
        check(pack)
    except RevpackError as exc:
        assert [d.message for d in exc.diagnostics] == [
            "this text is nested too deeply to print (lists, quotations or brackets inside one "
            "another, hundreds of levels deep)"]
    assert time.perf_counter() - start < 10


def test_a_runaway_handout_stops_at_the_page_limit(tmp_path, monkeypatch):
    """Layout stops as soon as the limit is passed, rather than laying out every page first."""
    import time

    import revpack
    import revpack.pdf
    from revpack.diagnostics import RevpackError

    pack = materialise("_base", {"remove": ["timeline.md", "historiography.md", "exam.md"]},
                       tmp_path)
    treaties = "".join(f"## Treaty {n}\n- Date: {1 + n % 28} Apr 1922\n- Parties: A; B\n"
                       f"- Terms: {'Long terms. ' * 20}\n- Significance: s\n\n" for n in range(150))
    (pack / "treaties.md").write_text("# Treaties\n\n" + treaties, encoding="utf-8")
    monkeypatch.setattr(revpack.pdf, "MAX_PAGES", 3)
    pages_made = []
    import weasyprint.layout.page as page_module

    real = page_module.make_page

    def counting_make_page(*args, **kwargs):
        pages_made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(page_module, "make_page", counting_make_page)
    start = time.perf_counter()
    with pytest.raises(RevpackError) as exc:
        revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    assert [str(d) for d in exc.value.diagnostics] == [
        f"{pack / 'treaties.md'}: error: the treaty table (complete edition) runs to more than 3 "
        "pages, the limit for one handout (is some content repeated or runaway? Split long "
        "handouts between packs)"]
    assert len(pages_made) <= 5          # the whole table would be dozens of pages
    assert time.perf_counter() - start < 60
    assert not (tmp_path / "out").exists()


# --- not content: the system, the command line and names --------------------------------------

_PANGO_MISSING = """
import sys
import cffi

real_dlopen = cffi.FFI.dlopen


def dlopen(self, name, flags=0):
    if "pango" in str(name).lower():
        raise OSError(f"cannot load library '{name}': {name}: cannot open shared object file")
    return real_dlopen(self, name, flags)


cffi.FFI.dlopen = dlopen
sys.argv = ["revpack"] + sys.argv[1:]
from revpack.cli import main
main()
"""


def _python(code: str, *args: str, cwd: Path | None = None):
    import subprocess

    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_missing_pango_gives_one_paragraph_with_install_commands(tmp_path):
    pack = materialise("_base", {}, tmp_path)
    result = _python(_PANGO_MISSING, "build", str(pack), "-o", str(tmp_path / "out"),
                     "--edition", "complete")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("revpack: error: revpack needs the Pango text library")
    for command in ("Debian/Ubuntu: sudo apt install libpango-1.0-0 libpangoft2-1.0-0",
                    "macOS (Homebrew): brew install pango",
                    "Windows: install MSYS2", "pacman -S mingw-w64-x86_64-pango"):
        assert command in message
    assert "(detail: cannot load library 'libpango" in message  # for whoever helps
    assert "Traceback" not in result.stderr + result.stdout
    assert "-----" not in result.stdout                      # WeasyPrint's own notice is hidden
    assert not (tmp_path / "out").exists()


def test_check_works_without_pango_because_it_never_loads_weasyprint(tmp_path):
    pack = materialise("_base", {}, tmp_path)
    result = _python(_PANGO_MISSING, "check", str(pack))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 4 events, 2 treaties, 1 school, 2 questions"


def test_check_does_not_import_weasyprint(tmp_path):
    pack = materialise("_base", {}, tmp_path)
    code = ("import sys\nfrom revpack.cli import app\ntry:\n    app(['check', sys.argv[1]])\n"
            "except SystemExit as exc:\n    status = exc.code\n"
            "print(status, 'weasyprint' in sys.modules)")
    result = _python(code, str(pack))
    assert result.stdout.split()[-2:] == ["0", "False"], result.stdout + result.stderr


def test_an_internal_error_is_one_line_asking_for_a_report(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr("revpack.cli.check_pack", broken)
    result = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "revpack: internal error: ZeroDivisionError: division by zero second line. This is a bug "
        "in revpack; please report it, with the output of the same command run with --debug."]
    with pytest.raises(ZeroDivisionError):
        CliRunner().invoke(app, ["--debug", "check", str(tmp_path)], catch_exceptions=False)


@pytest.mark.parametrize("name, slug", [
    ("Year 13 Pack", "year-13-pack"),
    ("../../etc", "etc"),
    ("../../../etc/passwd", "etc-passwd"),
    ("/absolute/path", "absolute-path"),
    ("..", ""),
    ("C:\\Users\\teacher", "c-users-teacher"),
    ("Révolution française, 1789–1799", "révolution-française-1789-1799"),
    ("Ålborg Øresund", "ålborg-øresund"),
    ("Революция", "революция"),                  # other scripts are kept, so names stay apart
    ("日本の歴史", "日本の歴史"),
    ("ａ／ｂ．ｃ", "a-b-c"),                         # full-width slash and dot are separators too
    ("\u202egnp.exe", "gnp-exe"),               # no invisible or direction controls
    ("—…¡!", ""),
    ("name\x00with\nnul", "name-with-nul"),
    ("CON", "con-1"),
    ("a" * 200, "a" * 80),
    ("x" * 79 + "-yz", "x" * 79),
])
def test_names_from_content_are_slugified_without_traversal(name, slug):
    from revpack.output import slugify

    result = slugify(name)
    assert result == slug
    assert "/" not in result and "\\" not in result and ".." not in result


def test_a_pack_folder_with_no_usable_name_still_gets_an_output_folder(tmp_path):
    from revpack.load import pack_slug

    assert pack_slug(tmp_path / "—!") == "pack"
    assert pack_slug(tmp_path / "日本") == "日本"
    assert pack_slug(tmp_path / "Soviet Policy (draft)") == "soviet-policy-draft"


if __name__ == "__main__":
    import tempfile

    for name in sys.argv[1:] or CASES:
        with tempfile.TemporaryDirectory() as tmp:
            code, stderr, stdout = run_case(name, Path(tmp))
        print(f"== {name}  exit {code}")
        for line in stderr:
            print("  " + line)
        if stdout.strip():
            print("  stdout: " + stdout.strip().replace("\n", "\n          "))
