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
        assert where != "revpack" or case["exit"] == 2 or case.get("unlocated"), line


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
