"""`revpack watch`: builds, serves the output folder on 127.0.0.1 with the live-reload script,
rebuilds after an edit (only what it touched), shows a failed build's error while keeping the
last good PDFs, and stops cleanly. Behaviour only: the waits have generous deadlines and no
test asserts a speed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("watchfiles", reason="the revpack[watch] extra is not installed")

from revpack.watch import SCRIPT, STATUS, Watch  # noqa: E402

from .conftest import FIXTURES  # noqa: E402


def wait_for(condition, seconds: float = 240.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.2)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.fixture
def pack(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(FIXTURES / "mini", root)
    return root


def test_watch_rebuilds_after_an_edit_and_keeps_the_last_good_pdfs(pack, tmp_path):
    lines: list[str] = []
    w = Watch(pack, tmp_path / "out", port=0, log=lines.append, editions=("complete",))
    thread = threading.Thread(target=w.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: w.server is not None and w.builds == 1)
        assert w.url.startswith("http://127.0.0.1:")
        page = get(w.url).decode("utf-8")
        assert SCRIPT in page and "pack-complete.pdf" in page
        assert json.loads(get(w.url + STATUS[1:])) == {"build": 1, "error": ""}
        pdf = w.folder / "treaties-complete.pdf"
        first = pdf.read_bytes()
        assert get(w.url + "treaties-complete.pdf") == first
        time.sleep(1.0)                 # let the watcher settle before the first edit

        path = pack / "treaties.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Neutrality if", "Neutrality whenever", 1), encoding="utf-8")
        wait_for(lambda: w.builds == 2)
        assert pdf.read_bytes() != first
        made = len(list(w.folder.glob("*.pdf")))       # every handout the pack has, and the pack
        assert any(f"built: 2 of {made} PDFs" in line for line in lines), lines  # treaties, pack
        good = pdf.read_bytes()

        (pack / "pack.yaml").write_text("title: [unclosed\n", encoding="utf-8")
        wait_for(lambda: w.error != "")
        assert "pack.yaml" in w.error
        assert json.loads(get(w.url + STATUS[1:]))["error"] == w.error
        assert pdf.read_bytes() == good                       # the last good PDFs stay
        assert get(w.url + "treaties-complete.pdf") == good
    finally:
        w.stop()
        thread.join(60)
    assert not thread.is_alive()
    leftovers = [p.name for p in (tmp_path / "out").iterdir() if ".new-" in p.name
                 or ".old-" in p.name]
    assert leftovers == []


def test_ctrl_c_stops_the_command_cleanly(pack, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "revpack", "watch", str(pack), "-o",
                             str(tmp_path / "out"), "--edition", "answers", "--port", "0"],
                            env=env, stderr=subprocess.PIPE, text=True,
                            # as from a terminal: a test run started in the background (`&`)
                            # ignores SIGINT, and the child would inherit that
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if "serving http://127.0.0.1:" in line:
                break
        assert any("serving" in line for line in seen), seen
        proc.send_signal(signal.SIGINT)
        rest = proc.stderr.read()
        assert proc.wait(60) == 0, rest
        assert "stopped" in rest and "Traceback" not in rest
    finally:
        if proc.poll() is None:
            proc.kill()
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert names and all(".new-" not in n and ".old-" not in n for n in names), names


def test_a_warm_rebuild_lays_out_only_the_edited_handout_byte_identically(pack, tmp_path,
                                                                          monkeypatch):
    import collections

    import revpack
    from revpack import pdf
    from revpack.watch import Warm

    labels = collections.Counter()
    original = pdf.Renderer.render

    def render(self, html, base, sheets, label, max_pages=None):
        labels[label] += 1
        return original(self, html, base, sheets, label, max_pages)

    monkeypatch.setattr(pdf.Renderer, "render", render)
    warm = Warm()
    options = dict(editions=("complete", "worksheet"), cache=True, warm=warm)
    revpack.build(pack, out=tmp_path / "o", **options)
    assert labels["timeline-complete"] == 1 and labels["treaties-worksheet"] >= 1
    path = pack / "treaties.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Neutrality if", "Neutrality whenever", 1), encoding="utf-8")
    labels.clear()
    again = revpack.build(pack, out=tmp_path / "o", **options)
    handouts = {label for label in labels if label.split("-")[0] in
                ("timeline", "treaties", "historiography", "exam")}
    assert handouts == {"treaties-complete", "treaties-worksheet", "treaties-answers"} \
        or handouts == {"treaties-complete", "treaties-worksheet"}
    cold = revpack.build(pack, out=tmp_path / "cold", editions=("complete", "worksheet"))
    made = {f.path.name: f.path.read_bytes() for f in again.files}
    assert made == {f.path.name: f.path.read_bytes() for f in cold.files}
