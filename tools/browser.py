"""Headless Chromium, driven over the DevTools protocol: open a page of the built site, run
JavaScript in it, switch it to dark mode, print it to PDF.

`make pdf` (tools/pdf.py) and the browser checks (tests/test_accessibility.py) use it. It starts
the Chromium that is installed (Debian's ``chromium``; never a downloaded one) with the network
off: a page of the course must work in a classroom without internet. Standard library plus
``websocket-client`` (installed with Jupyter).
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio", "--font-render-hinting=none",
         # the network is off: no host name resolves and every http(s) request goes to a proxy
         # that does not exist; file:// pages are unaffected
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"]
A4, MARGIN = (8.27, 11.69), 0.5     # inches: the paper and the margins `pdf()` prints with
# waits for what draws after the load event: MathJax, web fonts, plotly, a last layout pass
SETTLE = """(async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  await new Promise(done => setTimeout(done, 300));
  return true;
})()"""


class BrowserError(RuntimeError):
    """Chromium could not be started, or did not do what it was asked."""


def find_chromium(path: str | None = None) -> str | None:
    """The first Chromium-like executable on ``path`` (default ``$PATH``), or None."""
    for name in NAMES:
        exe = shutil.which(name, path=path)
        if exe:
            return exe
    return None


class Browser:
    """One headless Chromium with one tab. Use it in a ``with`` block::

        with Browser() as browser:
            browser.open(Path("_build/html/intro.html").resolve().as_uri())
            title = browser.run("document.title")
    """

    def __init__(self, exe: str | None = None, width: int = 1280, height: int = 800,
                 timeout: float = 60, loopback: bool = False):
        self.exe = exe or find_chromium()
        if not self.exe:
            raise BrowserError("No Chromium on PATH. Install it (`sudo apt-get install chromium` on "
                               "Debian/Ubuntu); the course never downloads a browser.")
        self.width, self.height, self.timeout = width, height, timeout
        # loopback=True: a server on this machine (127.0.0.1, e.g. JupyterLab) can be reached;
        # every other host stays unreachable
        self.flags = FLAGS if not loopback else [
            f for f in FLAGS if not f.startswith(("--host-resolver-rules", "--proxy-server"))
        ] + ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        self._id = 0
        self.events: list[dict] = []

    # ---- start and stop ----
    def __enter__(self) -> "Browser":
        import websocket  # websocket-client, a dependency of jupyter_server

        self._profile = tempfile.mkdtemp(prefix="course-chromium-")
        self._process = subprocess.Popen(
            [self.exe, *self.flags, f"--user-data-dir={self._profile}", "--remote-debugging-port=0",
             f"--window-size={self.width},{self.height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = self._wait_for_port()
            no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            with no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
                targets = json.load(reply)
            page = next(t for t in targets if t.get("type") == "page")
            self._ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=self.timeout,
                                                   suppress_origin=True)
            self.call("Page.enable")
            self.call("Runtime.enable")
            self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                      deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_for_port(self) -> int:
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrowserError(f"{self.exe} exited at start (code {self._process.returncode}).")
            if port_file.exists():
                text = port_file.read_text().split()
                if text:
                    return int(text[0])
            time.sleep(0.05)
        raise BrowserError(f"{self.exe} did not open its DevTools port within 30 s.")

    def __exit__(self, *exc):
        ws = getattr(self, "_ws", None)
        if ws is not None:
            try:
                ws.close()
            except Exception:
                pass
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)
        return False

    # ---- the protocol ----
    def call(self, method: str, timeout: float | None = None, **params) -> dict:
        """Send one DevTools command and return its result (events that arrive meanwhile are kept)."""
        self._id += 1
        self._ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self._receive(deadline, f"{method}")
            if message.get("id") == self._id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self.events.append(message)

    def _receive(self, deadline: float, waiting_for: str) -> dict:
        import websocket

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"Chromium did not answer {waiting_for} in time.")
        self._ws.settimeout(remaining)
        try:
            return json.loads(self._ws.recv())
        except websocket.WebSocketTimeoutException:
            raise BrowserError(f"Chromium did not answer {waiting_for} in time.") from None

    def wait_event(self, name: str, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for k, event in enumerate(self.events):
                if event.get("method") == name:
                    return self.events.pop(k)
            self.events.append(self._receive(deadline, name))

    # ---- what the checks and the PDF need ----
    def open(self, url: str, settle: bool = True) -> None:
        """Load ``url`` and wait until it has drawn (math typeset, fonts loaded)."""
        self.events.clear()
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.wait_event("Page.loadEventFired")
        if settle:
            self.run(SETTLE, await_promise=True)

    def run(self, expression: str, await_promise: bool = False):
        """Evaluate JavaScript in the page and return its value (JSON-like values only)."""
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=await_promise,
                           returnByValue=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript failed: {text}")
        return result.get("result", {}).get("value")

    def add_script(self, source: str) -> None:
        """Run ``source`` in the page now (a library such as axe-core)."""
        self.call("Runtime.evaluate", expression=source, returnByValue=False)

    def color_scheme(self, mode: str) -> None:
        """Show the page in ``light`` or ``dark`` mode: the media query, and the theme's own switch."""
        if mode not in ("light", "dark"):
            raise ValueError(f"mode is 'light' or 'dark', not {mode!r}")
        self.call("Emulation.setEmulatedMedia",
                  features=[{"name": "prefers-color-scheme", "value": mode}])
        # then wait for the theme's colour transitions to end: a check mid-way sees neither mode
        self.run(f"""(async () => {{
          const root = document.documentElement;
          root.dataset.theme = '{mode}'; root.dataset.mode = '{mode}';
          try {{ localStorage.setItem('theme', '{mode}'); localStorage.setItem('mode', '{mode}'); }}
          catch (e) {{}}
          await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
          const finite = document.getAnimations().filter(a => a.effect &&
            a.effect.getComputedTiming().endTime !== Infinity);
          await Promise.all(finite.map(a => a.finished.catch(() => null)));
          return root.dataset.theme;
        }})()""", await_promise=True)

    def press(self, key: str, code: str, key_code: int, modifiers: int = 0) -> None:
        """Press and release one key as a keyboard does: the page sees keydown, keypress (with the
        key's text: Enter types a carriage return) and keyup. ``modifiers``: 8 is Shift."""
        typed = "\r" if key == "Enter" else key if len(key) == 1 else ""
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=key_code,
                      modifiers=modifiers, text=typed if kind == "keyDown" else "")

    def pdf(self, **options) -> bytes:
        """The page printed to PDF (A4, backgrounds, no header or footer unless ``options`` say)."""
        settings = dict(printBackground=True, paperWidth=A4[0], paperHeight=A4[1],
                        marginTop=MARGIN, marginBottom=MARGIN, marginLeft=MARGIN, marginRight=MARGIN,
                        displayHeaderFooter=False, preferCSSPageSize=False)
        settings.update(options)
        result = self.call("Page.printToPDF", timeout=120, **settings)
        return base64.b64decode(result["data"])


def in_browsers(visit, items, workers: int = 2, **options) -> list:
    """``visit(browser, item)`` for every item, spread over ``workers`` browsers working at once
    (one per core; ``options`` go to each ``Browser``); the results come back in the items' order."""
    from concurrent.futures import ThreadPoolExecutor

    items = list(items)
    parts = [items[k::workers] for k in range(workers)]

    def run(part):
        if not part:
            return []
        with Browser(**options) as browser:
            return [visit(browser, item) for item in part]

    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(run, parts))
    results = [None] * len(items)
    for k, part in enumerate(done):
        results[k::workers] = part
    return results


__all__ = ["A4", "MARGIN", "Browser", "BrowserError", "FLAGS", "NAMES", "find_chromium", "in_browsers"]
