"""Watch: takes a pack folder and build options, gives a rebuild on every saved change and a live
preview of the output folder on http://127.0.0.1:PORT/.

One warm process: imports and fonts are loaded once (`Warm`), every rebuild goes through
the cache (cache.py), and the last build's layouts of the handouts a change did not touch are
reused for the combined packs, so only what a change touches is laid out again. Changes are seen with
watchfiles (the `revpack[watch]` extra), in the pack folder and the theme folders outside it;
the output folder, hidden files and editors' temporary files are ignored. The output folder is
served by a small threaded HTTP server bound to 127.0.0.1 only; every HTML page it serves gets a
script that asks `/__revpack/status` once a second and reloads the page after each good build,
or shows the build's error on the page. A failed build changes nothing in the output folder
(output.py's staging), so the last good PDFs stay. Ctrl-C (or `stop`) ends the watch and the
server; a build it interrupts removes its staging folder, so no temporary file is left.
"""

from __future__ import annotations

import html as html_mod
import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .diagnostics import RevpackError, UsageError

STATUS = "/__revpack/status"
SCRIPT = "/__revpack/live.js"

LIVE_JS = """(function () {
  var seen = null;
  function show(error) {
    var box = document.getElementById("revpack-error");
    if (!error) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "revpack-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;padding:1em;" +
        "max-height:50vh;overflow:auto;background:#8b0000;color:#fff;font:14px/1.4 monospace;" +
        "white-space:pre-wrap;z-index:99999";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed (the PDFs here are from the last good build):\\n\\n"
      + error;
  }
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen !== null && s.build !== seen && !s.error) { location.reload(); return; }
        seen = s.build; show(s.error);
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""" % {"status": STATUS}


class Watch:
    """The state of one watch: the builds so far, the last error, the server's address."""

    def __init__(self, pack_dir: Path | None, out: Path | None = None, port: int = 8000,
                 log: Callable[[str], None] = print, **options):
        from .build import default_pack_dir

        self.warm = Warm()              # one renderer, and the last build's layouts
        self.pack_dir = Path(pack_dir) if pack_dir else default_pack_dir()
        self.out = Path(out or Path.cwd() / "out")
        self.port = port
        self.log = log
        self.options = dict(options, cache=options.get("cache", True))
        self.builds = 0                 # good builds so far
        self.error = ""                 # the last build's error, "" after a good one
        self.folder: Path | None = None
        self.stop_event = threading.Event()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/" if self.server else ""

    def rebuild(self) -> bool:
        """One build; its error (if any) goes to the log and the page, the old PDFs stay."""
        from .build import build
        from .diagnostics import display_path

        try:
            result = build(self.pack_dir, out=self.out, warm=self.warm, **self.options)
        except RevpackError as exc:
            self.error = "\n".join(str(d) for d in exc.diagnostics) or str(exc)
            self.log(self.error)
            self.log("revpack watch: the build failed; the last good PDFs stay. Waiting for a "
                     "change…")
            return False
        self.folder = result.out_dir
        self.error = ""
        self.builds += 1
        made = len(result.rendered)
        self.log(f"revpack watch: {'nothing changed' if result.unchanged else 'built'}: "
                 f"{made} of {len(result.files)} PDFs laid out in {display_path(result.out_dir)}")
        return True

    def serve(self) -> None:
        """Start the HTTP server on 127.0.0.1 (in a thread)."""
        from .output import slugify

        if self.folder is None:
            self.folder = self.out / (slugify(self.pack_dir.resolve().name) or "pack")
        handler = partial(_Handler, watch=self)
        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        except OSError as exc:
            raise UsageError(f"cannot serve on 127.0.0.1:{self.port} ({exc.strerror or exc}); "
                             "choose another port with --port") from None
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def watched(self) -> list[Path]:
        """The pack folder, and the theme folders outside revpack and the pack."""
        from .resources import resource_dir
        from .themes import theme_chain
        from .load import load_pack
        from .diagnostics import Diagnostics

        folders = [self.pack_dir.resolve()]
        try:
            pack = load_pack(self.pack_dir, Diagnostics())
            theme = self.options.get("theme") or (pack.manifest.theme if pack else None)
            if theme:
                for layer in theme_chain(theme, self.pack_dir):
                    root = Path(layer.root).resolve()
                    if not any(root == f or f in root.parents for f in folders) \
                            and resource_dir() not in root.parents:
                        folders.append(root)
        except RevpackError:
            pass
        return folders

    def run(self) -> None:
        """Build, serve, then rebuild on every change until Ctrl-C or `stop()`."""
        try:
            from watchfiles import DefaultFilter, watch
        except ImportError:
            raise UsageError("revpack watch needs watchfiles: pip install 'revpack[watch]'") \
                from None
        out = self.out.resolve()

        class _Filter(DefaultFilter):
            def __call__(self, change, path: str) -> bool:
                p = Path(path)
                return (super().__call__(change, path) and p != out and out not in p.parents
                        and not any(part.startswith(".") for part in p.parts[-2:]))

        try:
            self.rebuild()
            self.serve()
            folders = self.watched()
            self.log(f"revpack watch: serving {self.url} (Ctrl-C to stop)")
            for changes in watch(*folders, watch_filter=_Filter(),
                                 stop_event=self.stop_event, debounce=300, rust_timeout=500):
                names = sorted({Path(p).name for _, p in changes})
                self.log(f"revpack watch: changed: {', '.join(names[:5])}"
                         + (" …" if len(names) > 5 else ""))
                self.rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        """End the watch and the server (from any thread, any number of times)."""
        self.stop_event.set()
        server, self.server = self.server, None
        if server is not None:
            server.shutdown()
            server.server_close()


class _Handler(SimpleHTTPRequestHandler):
    """The output folder, with the live-reload script in every HTML page and the status."""

    def __init__(self, *args, watch: Watch, **kwargs):
        self.watch = watch
        super().__init__(*args, directory=str(watch.folder), **kwargs)

    def log_message(self, format, *args):      # quiet: the terminal is for the builds
        pass

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == STATUS:
            return self._send(json.dumps({"build": self.watch.builds,
                                          "error": self.watch.error}).encode(),
                              "application/json")
        if path == SCRIPT:
            return self._send(LIVE_JS.encode(), "text/javascript")
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" or not target.exists():
            if target.is_file():
                page = target.read_text(encoding="utf-8", errors="replace")
            elif path in ("/", "/index.html"):
                page = ("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>revpack "
                        "watch</title><body><p>No good build yet.</p>"
                        f"<pre>{html_mod.escape(self.watch.error)}</pre></body></html>")
            else:
                return self.send_error(404)
            tag = f'<script src="{SCRIPT}"></script>'
            page = page.replace("</body>", tag + "</body>", 1) if "</body>" in page \
                else page + tag
            return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()


class Warm:
    """What one process keeps between builds (`revpack watch`): one renderer (fonts and
    stylesheets loaded once) per theme chain, and the last build's handout layouts by cache key
    (keys.py), which a serial build reuses for the handouts an edit did not touch."""

    def __init__(self):
        self._renderers: dict[tuple, object] = {}
        self._layouts: dict[str, tuple] = {}
        self._next: dict[str, tuple] = {}

    def begin(self, keys) -> "Warm":
        self.keys = keys
        self._layouts, self._next = {**self._layouts, **self._next}, {}
        return self

    def attach(self, session) -> "Warm":
        self.session = session
        return self

    def renderer(self, chain):
        from .pdf import Renderer
        from .themes import jail_of

        roots = tuple(str(t.root) for t in chain)
        if roots not in self._renderers:
            self._renderers = {roots: Renderer(jail_of(chain))}    # only the latest chain
        return self._renderers[roots]

    def layout(self, name: str, edition: str, variant: str, paper: str):
        """(document, HTML) of one handout: the last build's when its key is unchanged."""
        key = self.keys.handout(name, edition, variant, paper)
        if key not in self._layouts:
            self._layouts[key] = self.session.render(name, edition, variant, paper)
        self._next[key] = self._layouts[key]
        return self._next[key]

    def end(self) -> None:
        """Keep only the layouts the last build used."""
        self._layouts, self._next = self._next, {}
