"""The command line through Typer's CliRunner: help, version, check, build and exit codes."""

from __future__ import annotations

import re

from pypdf import PdfReader
from typer.testing import CliRunner

from revpack import __version__
from revpack.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"revpack {__version__}"


def test_every_command_has_help_with_an_example():
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, args
        assert "Example: revpack" in result.output, args


def test_check_reports_counts(make_pack):
    result = runner.invoke(app, ["check", str(make_pack())])
    assert result.exit_code == 0
    assert "ok: 5 events, 2 treaties, 1 school, 2 questions" in result.output


def test_check_defaults_to_the_bundled_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0
    assert "ok: " in result.output and "questions" in result.output


def test_content_error_exits_1_without_traceback(make_pack):
    pack = make_pack({"treaties.md": "# T\n\n## A\n- Date: 32 Jan 1922\n- Parties: x\n"
                                     "- Terms: t\n- Significance: s\n"})
    result = runner.invoke(app, ["check", str(pack)])
    assert result.exit_code == 1
    assert "treaties.md:4: error: bad date" in result.output
    assert "Traceback" not in result.output


def test_usage_error_exits_2(make_pack, tmp_path):
    result = runner.invoke(app, ["build", str(make_pack()), "--edition", "draft",
                                 "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "unknown edition 'draft'" in result.output


def test_missing_pack_folder(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "pack folder not found" in result.output


def test_build_writes_and_lists_files(make_pack, tmp_path, monkeypatch):
    pack = make_pack()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", str(pack), "--edition", "complete"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "pack"
    from revpack.build import check
    kinds = list(check(pack).pack.handouts())
    assert kinds[:4] == ["timeline", "treaties", "historiography", "exam"]
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        [f"{k}-complete.pdf" for k in kinds] + ["pack-complete.pdf"])
    # Each file is listed as it is made, with its pages and size; then the summary.
    listed = re.findall(r"^  out/pack/(\S+\.pdf)  (\d+) pages?  \d+ KB$", result.output, re.M)
    assert sorted(name for name, _ in listed) == sorted(p.name for p in out.glob("*.pdf"))
    assert all(int(n) == len(PdfReader(out / name).pages) for name, n in listed)
    assert result.output.rstrip().endswith(f"revpack: wrote {len(kinds) + 1} PDFs in out/pack")


def test_build_in_a_pack_folder_builds_that_pack(make_pack, monkeypatch, tmp_path):
    pack = make_pack()
    monkeypatch.chdir(pack)
    result = runner.invoke(app, ["build", "--edition", "worksheet"])
    assert result.exit_code == 0, result.output
    assert (pack / "out" / "pack" / "timeline-worksheet.pdf").is_file()
    # out/ inside the pack is never read as content: a second build still succeeds.
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0


def test_out_into_the_pack_folder_is_refused(make_pack):
    pack = make_pack()
    result = runner.invoke(app, ["build", str(pack), "-o", str(pack.parent)])
    assert result.exit_code == 2
    assert "would write into the pack folder" in result.output


def test_out_naming_a_file_is_a_usage_error(make_pack, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["build", str(make_pack()), "-o", str(target)])
    assert result.exit_code == 2
    assert "is a file, not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"


def test_an_unknown_theme_on_the_command_line_is_a_usage_error(make_pack, tmp_path):
    result = runner.invoke(app, ["build", str(make_pack()), "-o", str(tmp_path / "o"),
                                 "--theme", "nosuch"])
    assert result.exit_code == 2
    assert "unknown theme 'nosuch' (available: default, aqa-style, edexcel-style" in result.output
