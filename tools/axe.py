"""axe-core, the accessibility engine (Deque Systems, MPL-2.0), for the site's accessibility check.

``axe_source()`` returns the JavaScript of a pinned axe-core release: from the course's cache
(``data/cache/axe-core-<version>.min.js``) or, the first time, from the npm registry, checked
against the release's published sha512 before it is kept. No node or npm is needed.
``check_page(browser)`` runs it on the page a ``tools.browser.Browser`` has open and returns the
violations of the WCAG 2.x A and AA rules.

    python tools/axe.py fetch      # download it now (CI does this in `make test`)
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
SHA512 = "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def cache_file() -> Path:
    root = Path(os.environ.get("COURSE_DATA_DIR") or Path(__file__).resolve().parent.parent / "data")
    return root / "cache" / f"axe-core-{VERSION}.min.js"


def _download() -> bytes:
    try:
        with urllib.request.urlopen(URL, timeout=60) as reply:
            archive = reply.read()
    except OSError as error:
        raise RuntimeError(f"Could not download axe-core {VERSION} from {URL} ({error}). The accessibility "
                           f"check needs it once; with internet run `python tools/axe.py fetch`, or copy "
                           f"axe.min.js of that release to {cache_file()}.") from None
    digest = base64.b64encode(hashlib.sha512(archive).digest()).decode()
    if digest != SHA512:
        raise RuntimeError(f"The download of {URL} does not match the release's sha512 "
                           f"(got {digest[:16]}..., want {SHA512[:16]}...): not used.")
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        return tar.extractfile("package/axe.min.js").read()


def axe_source() -> str:
    """The JavaScript of axe-core ``VERSION``, downloaded once and cached."""
    path = cache_file()
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if text.startswith(f"/*! axe v{VERSION}") and len(text) > 100_000:
            return text
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
