"""Speed benchmark: one table of ratios, every figure measured in this one run.

    python benchmarks/run.py [--repeat N] [--json FILE] [PACK_DIR]

Needs only Python, revpack and WeasyPrint. Every figure is a whole process (imports, font loading
and writing included), started the way a teacher starts it, and timed from outside; each is the
median of `--repeat` runs (default 1). Ratios, not seconds, are compared with targets, so the
table means the same on a fast and a slow (or busy) machine; the seconds are printed too.

Rows (each with its target):
- overhead: `revpack build --edition complete --no-cache` against a bare WeasyPrint script that
  lays out the same final HTML with the same stylesheets, writes the four handouts and joins the
  pack (the HTML is captured from revpack before timing starts);
- class set: the complete edition with a 30-name class list against the complete edition alone;
- jobs: a cold `--jobs 2` build of all editions against a cold `--jobs 1` build;
- no-change rebuild and one-edit rebuild (one word of one handout changed) against the cold
  build that filled the cache (a cache folder of this run's own, through XDG_CACHE_HOME);
- a warm `revpack watch`: from saving one edit to the rebuild being done, against the cold build;
- `revpack check` and `revpack --help` against `python -c pass` (no target: recorded, so that a
  slower start shows).

Options a revpack does not have yet (`--no-cache`, `--jobs`) are left out of its command lines,
and a row that cannot be measured says so, so that the script also measures older versions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The same 30 names as benchmarks/class_set.py (run as a script, this folder is on sys.path).
from class_set import NAMES  # noqa: E402

#: The bare WeasyPrint script: what revpack's build would cost with nothing of revpack's own.
BARE = r'''
import json, sys
from pathlib import Path
import weasyprint
folder = Path(sys.argv[1])
spec = json.loads((folder / "spec.json").read_text(encoding="utf-8"))
fonts = weasyprint.text.fonts.FontConfiguration()
sheets = {}
def sheet(s):
    key = json.dumps(s)
    if key not in sheets:
        sheets[key] = weasyprint.CSS(string=s["text"], base_url=s["base"], font_config=fonts)
    return sheets[key]
docs = {}
for d in spec["documents"]:
    html = (folder / d["html"]).read_text(encoding="utf-8")
    docs[d["label"]] = weasyprint.HTML(string=html, base_url=d["base"]).render(
        stylesheets=[sheet(s) for s in d["sheets"]], font_config=fonts,
        pdf_variant="pdf/ua-1", pdf_tags=True)
for label in spec["handouts"]:
    (folder / f"{label}.pdf").write_bytes(docs[label].write_pdf(pdf_variant="pdf/ua-1",
                                                                pdf_tags=True))
pages = []
for label in spec["pack"]:
    if len(pages) % 2:
        pages.append(docs[spec["blank"]].pages[0])
    pages.extend(docs[label].pages)
(folder / "pack.pdf").write_bytes(docs[spec["pack"][0]].copy(pages).write_pdf(
    pdf_variant="pdf/ua-1", pdf_tags=True))
'''


def capture_html(pack: Path, folder: Path) -> None:
    """The final HTML and stylesheets of each document of the complete edition, as revpack's
    build lays them out, written to `folder` for the bare script (not timed)."""
    sys.path.insert(0, str(ROOT / "src"))
    import revpack
    from revpack import pdf

    sources: dict[int, dict] = {}
    made: dict[str, dict] = {}
    original_sheet, original_string, original_render = (pdf.Renderer.stylesheet,
                                                         pdf.Renderer.css_string,
                                                         pdf.Renderer.render)

    def stylesheet(self, path):
        css = original_sheet(self, path)
        sources[id(css)] = {"text": Path(path).read_text(encoding="utf-8"), "base": str(path)}
        return css

    def css_string(self, text, base):
        css = original_string(self, text, base)
        sources[id(css)] = {"text": text, "base": str(base) + "/"}
        return css

    def render(self, html, base, stylesheets, label, max_pages=None):
        made[label] = {"html": html, "base": str(base) + "/",
                       "sheets": [sources[id(s)] for s in stylesheets]}
        return original_render(self, html, base, stylesheets, label, max_pages)

    pdf.Renderer.stylesheet, pdf.Renderer.css_string, pdf.Renderer.render = \
        stylesheet, css_string, render
    try:
        kwargs = {"no_cache": True} if "no_cache" in revpack.build.__code__.co_varnames else {}
        result = revpack.build(pack, out=folder / "out", editions=("complete",), **kwargs)
    finally:
        pdf.Renderer.stylesheet, pdf.Renderer.css_string, pdf.Renderer.render = \
            original_sheet, original_string, original_render
    handouts = [f"{name}-complete" for name in result.pack.handouts()]
    documents = []
    for n, (label, d) in enumerate(made.items()):
        (folder / f"{n}.html").write_text(d["html"], encoding="utf-8")
        documents.append({"label": label, "html": f"{n}.html", "base": d["base"],
                          "sheets": d["sheets"]})
    pack_parts = ["contents-complete"] + handouts + (["sources-complete"]
                                                     if "sources-complete" in made else [])
    (folder / "spec.json").write_text(json.dumps({
        "documents": documents, "handouts": handouts, "pack": pack_parts,
        "blank": "blank-complete"}), encoding="utf-8")
    (folder / "bare.py").write_text(BARE, encoding="utf-8")
    shutil.rmtree(folder / "out")


class Bench:
    def __init__(self, repeat: int, env: dict):
        self.repeat = repeat
        self.env = env
        help_text = self.run_text([*self.revpack, "build", "--help"])
        self.options = {o for o in ("--no-cache", "--jobs") if o in help_text}

    revpack = [sys.executable, "-m", "revpack"]

    def run_text(self, cmd: list[str]) -> str:
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
        return done.stdout + done.stderr

    def time(self, cmd: list[str], before=None, env: dict | None = None) -> float:
        """The median wall time of `cmd` (after `before()`, untimed, each time)."""
        times = []
        for _ in range(self.repeat):
            if before:
                before()
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env or self.env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr[-2000:]}")
        return statistics.median(times)

    def build(self, pack: Path, out: Path, *args: str, no_cache: bool = True) -> list[str]:
        cmd = [*self.revpack, "build", str(pack), "-o", str(out), *args]
        if no_cache and "--no-cache" in self.options:
            cmd.append("--no-cache")
        return cmd


def measure(pack: Path, repeat: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="revpack-bench-"))
    try:
        env = dict(os.environ, XDG_CACHE_HOME=str(tmp / "cache"),
                   PYTHONPATH=os.pathsep.join([str(ROOT / "src")] + [
                       p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        bench = Bench(repeat, env)
        rows = []
        seconds: dict[str, float] = {}

        def row(name, num, den, target, note=""):
            ratio = seconds[num] / seconds[den] if num in seconds and den in seconds else None
            rows.append({"row": name, "measured": num, "against": den, "ratio": ratio,
                         "target": target, "met": None if ratio is None or target is None
                         else ratio <= target, "note": note})

        # The bare WeasyPrint render of the same HTML.
        bare = tmp / "bare"
        bare.mkdir()
        capture_html(pack, bare)
        seconds["bare weasyprint"] = bench.time([sys.executable, str(bare / "bare.py"), str(bare)])
        seconds["build complete"] = bench.time(bench.build(pack, tmp / "o1", "--edition", "complete"))
        roster = tmp / "class.csv"
        roster.write_text("name,class\n" + "".join(f"{n},12B\n" for n in NAMES), encoding="utf-8")
        seconds["build complete + class set"] = bench.time(bench.build(
            pack, tmp / "o2", "--edition", "complete", "--class-list", str(roster)))
        jobs = "--jobs" in bench.options
        seconds["build all, serial"] = bench.time(bench.build(
            pack, tmp / "o3", *(["--jobs", "1"] if jobs else [])))
        if jobs:
            seconds["build all, --jobs 2"] = bench.time(bench.build(pack, tmp / "o4", "--jobs", "2"))

        # Rebuilds: a copy of the pack, a cache of its own, emptied before each cold build.
        copy = tmp / "pack"
        shutil.copytree(pack, copy, ignore=shutil.ignore_patterns("out"))
        handout = copy / "timeline.md"
        text = handout.read_text(encoding="utf-8")
        cached = bench.build(copy, tmp / "o5", no_cache=False)

        def empty_cache():
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            shutil.rmtree(tmp / "o5", ignore_errors=True)
            handout.write_text(text, encoding="utf-8")

        seconds["cold build (cache empty)"] = bench.time(cached, before=empty_cache)
        seconds["no-change rebuild"] = bench.time(cached)
        edits = iter(range(1, 10 ** 6))

        def edit():          # a different edit each time, so that no run finds it cached
            handout.write_text(text.replace("Petrograd", f"Petrograd (edit {next(edits)})", 1),
                               encoding="utf-8")

        seconds["one-edit rebuild"] = bench.time(cached, before=edit)

        if "watch" in bench.run_text([*bench.revpack, "--help"]):
            seconds["watch: one edit to PDF"] = watch_edit(bench, copy, tmp / "o6", handout,
                                                           text, edits)

        seconds["revpack check"] = bench.time([*bench.revpack, "check", str(pack)])
        seconds["revpack --help"] = bench.time([*bench.revpack, "--help"])
        seconds["python -c pass"] = bench.time([sys.executable, "-c", "pass"])

        row("build overhead (complete edition)", "build complete", "bare weasyprint", 1.10)
        row("30-name class set vs one pack", "build complete + class set", "build complete", 1.2)
        row("--jobs 2 vs serial (all editions)", "build all, --jobs 2", "build all, serial", 0.6,
            "" if jobs else "no --jobs option")
        row("no-change rebuild vs cold", "no-change rebuild", "cold build (cache empty)", 0.1)
        row("one-edit rebuild vs cold", "one-edit rebuild", "cold build (cache empty)", 0.5,
            "timeline.md: one word changed")
        row("watch: one edit to its PDF vs cold", "watch: one edit to PDF",
            "cold build (cache empty)", 0.2, "a warm `revpack watch`")
        # No target in the issue: recorded so that a regression shows.
        row("revpack check vs python -c pass", "revpack check", "python -c pass", None)
        row("revpack --help vs python -c pass", "revpack --help", "python -c pass", None)
        return {"pack": str(pack), "repeat": repeat, "cores": os.cpu_count(),
                "options": sorted(bench.options), "seconds": seconds, "rows": rows}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def watch_edit(bench: Bench, pack: Path, out: Path, handout: Path, text: str, edits) -> float:
    """The time from saving an edit to `revpack watch` saying the rebuild is done (the median
    of `bench.repeat` edits, after the first build)."""
    import signal

    # SIGINT back to its default in the child: a benchmark started in the background (`cmd &`)
    # ignores it, and the child would inherit that and never see the Ctrl-C below.
    proc = subprocess.Popen([*bench.revpack, "watch", str(pack), "-o", str(out), "--port", "0"],
                            env=bench.env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    times = []
    try:
        for line in proc.stderr:
            if "serving http" in line:
                break
        time.sleep(1.0)                              # the watcher is set up
        for _ in range(bench.repeat):
            handout.write_text(text.replace("Petrograd", f"Petrograd (edit {next(edits)})", 1),
                               encoding="utf-8")
            start = time.perf_counter()
            for line in proc.stderr:
                if "revpack watch: built" in line or "failed" in line:
                    break
            times.append(time.perf_counter() - start)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(120)
        except subprocess.TimeoutExpired:        # measured already: do not hang the benchmark
            print("revpack watch did not stop within 120 s of Ctrl-C; killed", file=sys.stderr)
            proc.kill()
            proc.wait()
    return statistics.median(times)


def table(result: dict) -> str:
    lines = ["| measure | ratio | target | met | seconds (measured / against) |",
             "|---|---|---|---|---|"]
    s = result["seconds"]
    for r in result["rows"]:
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        met = {True: "yes", False: "no", None: "–"}[r["met"]]
        secs = " / ".join(f"{s[k]:.2f}" if k in s else "–" for k in (r["measured"], r["against"]))
        note = f" ({r['note']})" if r["note"] else ""
        target = "none (recorded)" if r["target"] is None else f"≤ {r['target']:g}×"
        lines.append(f"| {r['row']}{note} | {ratio} | {target} | {met} | {secs} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", nargs="?", type=Path, default=ROOT / "content" /
                        "soviet-foreign-policy")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    result = measure(args.pack.resolve(), max(1, args.repeat))
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\n(written to {args.json})")


if __name__ == "__main__":
    main()
