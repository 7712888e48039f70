"""The guide's complete small pack (docs/authoring.md, section 10) works exactly as it says."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from revpack.cli import app

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"


def _example_files() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("\n## 10. ", 1)[1].split("\n## 11. ", 1)[0]
    return dict(re.findall(r"^### (\S+)\n+```\w*\n(.*?)^```$", section, re.S | re.M))


def test_the_guides_example_pack_checks_cleanly(tmp_path):
    files = _example_files()
    assert set(files) == {"pack.yaml", "timeline.md", "treaties.md", "historiography.md",
                          "exam.md"}
    pack = tmp_path / "collective-security"
    pack.mkdir()
    for name, body in files.items():
        (pack / name).write_text(body, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(pack)])
    claimed = re.search(r"The check should print `(ok: [^`]+)` and no warnings",
                        GUIDE.read_text(encoding="utf-8")).group(1)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == claimed        # and nothing else: no warnings
