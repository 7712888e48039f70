"""`revpack new`: a new pack folder with every handout file, commented, that checks and builds."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

import revpack
from revpack import cli, handouts
from revpack.build import check
from revpack.handouts import ContentFile
from revpack.scaffold import new_pack

from .conftest import messages

runner = CliRunner()


def test_every_registered_file_is_written_commented_and_the_pack_checks_clean(tmp_path):
    pack = tmp_path / "pack"
    written = new_pack(pack)
    names = {p.name for p in written}
    assert names == {"pack.yaml"} | {f.file for f in handouts.content_files()}
    for f in handouts.content_files():
        assert "<!--" in (pack / f.file).read_text(encoding="utf-8"), f.file
    assert (pack / "pack.yaml").read_text(encoding="utf-8").count("\n#") >= 4
    assert messages(pack) == []          # no error, no warning
    counts = check(pack).counts()
    assert counts["events"] >= 1 and counts["treaties"] == 1 and counts["schools"] == 1
    assert counts["questions"] == 2 and counts["terms"] == 1 and counts["people"] == 1


def test_the_new_pack_builds(tmp_path):
    pack = tmp_path / "pack"
    new_pack(pack, title="Weimar Germany")
    result = revpack.build(pack, out=tmp_path / "out", editions=("complete",))
    names = {w.path.name for w in result.files}
    assert "pack-complete.pdf" in names and "exam-complete.pdf" in names


def test_a_new_kind_brings_its_own_starter(tmp_path):
    extra = ContentFile("sayings", "sayings.md", lambda parsed, diags: None,
                        starter="# Sayings\n\n<!-- one per line -->\n")
    handouts.register(extra)
    try:
        new_pack(tmp_path / "pack")
    finally:
        handouts.unregister("sayings")
    assert (tmp_path / "pack" / "sayings.md").read_text() == extra.starter


def test_from_a_script_it_takes_options_and_defaults_and_never_asks(tmp_path):
    pack = tmp_path / "p"
    # CliRunner's stdin is not a terminal: no prompt may wait for input.
    result = runner.invoke(cli.app, ["new", str(pack), "--title", "Weimar: crisis, 1918–1933",
                                     "--language", "fr"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Weimar: crisis, 1918–1933" and data["language"] == "fr"
    assert data["level"] == "A-level" and data["exam_board"] == "Any board"
    assert "revpack check" in result.output


def test_in_a_terminal_it_asks_for_what_is_not_given(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    pack = tmp_path / "p"
    result = runner.invoke(cli.app, ["new", str(pack), "--board", "OCR"],
                           input="The Tudors\nGCSE\n\n")
    assert result.exit_code == 0, result.output
    assert "Title" in result.output and "Level" in result.output and "Board" not in result.output
    data = yaml.safe_load((pack / "pack.yaml").read_text(encoding="utf-8"))
    assert (data["title"], data["level"], data["exam_board"], data["language"]) == \
        ("The Tudors", "GCSE", "OCR", "en-GB")


@pytest.mark.parametrize("existing", ["file", "folder"])
def test_it_refuses_a_folder_that_is_not_empty(tmp_path, existing):
    target = tmp_path / "p"
    if existing == "file":
        target.write_text("mine")
    else:
        target.mkdir()
        (target / "timeline.md").write_text("my own timeline")
    result = runner.invoke(cli.app, ["new", str(target)])
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    if existing == "folder":
        assert (target / "timeline.md").read_text() == "my own timeline"
        assert not (target / "pack.yaml").exists()


def test_an_empty_folder_is_fine_and_a_bad_language_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    assert runner.invoke(cli.app, ["new", str(tmp_path / "empty")]).exit_code == 0
    result = runner.invoke(cli.app, ["new", str(tmp_path / "x"), "--language", "French!"])
    assert result.exit_code == 2 and "not a language tag" in result.output
    assert not (tmp_path / "x").exists()


def test_comments_on_lines_of_their_own_are_skipped_anywhere(make_pack):
    pack = make_pack({"timeline.md": "# T\n\n## Phase\nSummary: s\n<!-- a note\n- **1920** — not"
                      " an event -->\n- **1921** — An event.\n<!-- one line -->\n"})
    assert not [m for m in messages(pack) if m.startswith("timeline.md")]
    assert check(pack).counts()["events"] == 1


def test_a_comment_with_text_after_it_or_never_closed_is_still_text(make_pack):
    pack = make_pack({"timeline.md": "# T\n\n## Phase\nSummary: s\n- **1921** — An event.\n"
                      "<!-- note --> text\n"})
    assert any("unexpected paragraph" in m for m in messages(pack))
    pack = make_pack({"timeline.md": "# T\n\n## Phase\nSummary: s\n- **1921** — An event.\n"
                      "<!-- never closed\n"}, name="pack2")
    assert any("unexpected paragraph" in m for m in messages(pack))


def test_both_commands_have_help_with_an_example():
    for command in ("new", "import"):
        result = runner.invoke(cli.app, [command, "--help"])
        assert result.exit_code == 0 and "Example: revpack " + command in result.output


def test_a_failed_write_leaves_no_half_written_pack(tmp_path, monkeypatch):
    from pathlib import Path

    from revpack.diagnostics import RevpackError

    real = Path.write_text
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(RevpackError) as exc:
        new_pack(tmp_path / "pack")
    assert "No space left on device" in str(exc.value.diagnostics[0])
    assert list(tmp_path.iterdir()) == []
