"""axe-core, the accessibility engine (Deque Systems, MPL-2.0), for the site's accessibility check.

``axe_source()`` returns the JavaScript of a pinned axe-core release: from the course's cache
(``data/cache/axe-core.min.js``) or, the first time, from the npm registry, checked against the
release's published sha512 before it is kept (no node or npm is needed). Where only PyPI can be
reached, the same engine comes from a pinned wheel that bundles it (axe-playwright-python, whose
``axe.min.js`` is axe-core 4.12; sha256 checked; only that file is used, nothing is installed).
``check_page(browser)`` runs it on the page a ``tools.browser.Browser`` has open and returns the
violations of the WCAG 2.x A and AA rules.

    python tools/axe.py fetch      # download it now (CI does this in `make test`)
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
SHA512 = "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
# the fallback: a wheel on PyPI that carries axe.min.js (its dependencies are not needed)
WHEEL = "axe-playwright-python==0.1.8"
WHEEL_SHA256 = "fdd263c998388f1a8e67cad02677e612d946248bd44d163be5e8650ea31f95f8"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def cache_file() -> Path:
    root = Path(os.environ.get("COURSE_DATA_DIR") or Path(__file__).resolve().parent.parent / "data")
    return root / "cache" / "axe-core.min.js"


def _is_axe(code: bytes) -> bool:
    return code.startswith(b"/*! axe v4.") and len(code) > 100_000


def _from_npm() -> bytes:
    with urllib.request.urlopen(URL, timeout=60) as reply:
        archive = reply.read()
    digest = base64.b64encode(hashlib.sha512(archive).digest()).decode()
    if digest != SHA512:
        raise OSError(f"{URL} does not match the release's sha512 (got {digest[:16]}...)")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return tar.extractfile("package/axe.min.js").read()


def _from_pypi() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                              "--dest", folder, WHEEL], capture_output=True, text=True, timeout=300)
        wheels = list(Path(folder).glob("*.whl"))
        if run.returncode != 0 or len(wheels) != 1:
            raise OSError(f"pip download {WHEEL} failed: {run.stderr.strip()[-300:]}")
        if hashlib.sha256(wheels[0].read_bytes()).hexdigest() != WHEEL_SHA256:
            raise OSError(f"{wheels[0].name} does not match its pinned sha256")
        with zipfile.ZipFile(wheels[0]) as wheel:
            return wheel.read("axe_playwright_python/axe.min.js")


def _download() -> bytes:
    errors = []
    for label in ("npm", "pypi"):
        fetch = globals()[f"_from_{label}"]
        try:
            code = fetch()
        except (OSError, KeyError, tarfile.TarError, zipfile.BadZipFile, subprocess.SubprocessError) as error:
            errors.append(f"{label}: {error}")
            continue
        if _is_axe(code):
            return code
        errors.append(f"{label}: not axe-core")
    raise RuntimeError(f"Could not download axe-core ({'; '.join(errors)}). The accessibility check "
                       f"needs it once: with internet run `python tools/axe.py fetch`, or copy an "
                       f"axe.min.js of axe-core 4.x to {cache_file()}.")


def axe_source() -> str:
    """The JavaScript of axe-core (``VERSION``, or the PyPI fallback's), downloaded once and cached."""
    path = cache_file()
    if path.exists():
        if _is_axe(path.read_bytes()):
            return path.read_text(encoding="utf-8")
        # a damaged or partial copy: fetch it again (the bad copy is replaced atomically below)
    code = _download()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(code)
    partial.replace(path)
    return code.decode("utf-8")


# runs axe on the whole document and keeps what a report needs of each violation
RUN = """(async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: %s},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300),
                              html: n.html.slice(0, 160)}))
  }));
})()"""


def check_page(browser) -> list[dict]:
    """The WCAG A/AA violations axe finds on the page ``browser`` has open (every impact)."""
    import json

    if not browser.run("typeof window.axe !== 'undefined'"):
        browser.add_script(axe_source())
    return browser.run(RUN % json.dumps(TAGS), await_promise=True)


def blocking(violations: list[dict]) -> list[dict]:
    """Only the serious and critical ones."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict], limit: int = 3) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])} element(s)")
        lines += [f"      {n['target']}: {n['summary'].splitlines()[-1] if n['summary'] else n['html']}"
                  for n in v["nodes"][:limit]]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["fetch"]:
        axe_source()
        print(f"axe-core {VERSION}: {cache_file()}")
    else:
        print(__doc__)
