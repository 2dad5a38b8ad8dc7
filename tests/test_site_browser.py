"""Load every page of the built site in headless Chromium, as a reader would.

Fails on a broken local link or image, a plotly figure that did not render, an
animation that did not load its frames, or a Python traceback on the page. A
screenshot of each page goes to ``_build/screenshots/`` (a build artefact).
Needs Debian's ``chromium`` (``apt-get install chromium``); set
``COURSE_SKIP_BROWSER=1`` to skip these checks on a machine without it.
"""
import os
import re
import shutil
import subprocess
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=8000"]


def _chromium():
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)
    if exe is None:
        if os.environ.get("COURSE_SKIP_BROWSER") == "1":
            pytest.skip("COURSE_SKIP_BROWSER=1 and no chromium installed")
        pytest.fail("The browser checks need Chromium: `apt-get install chromium` "
                    "(or set COURSE_SKIP_BROWSER=1 to skip them on this machine).")
    return exe


def _run(exe, page, *args, tmp):
    cmd = [exe, *FLAGS, f"--user-data-dir={tmp / page.stem}", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def rendered(html, tmp_path_factory):
    """For each page: the static HTML and the DOM after the browser ran its JavaScript."""
    exe = _chromium()
    tmp = tmp_path_factory.mktemp("chromium")
    pages = [html / "intro.html", html / "search.html", *sorted((html / "lectures").glob("*.html"))]
    SHOTS.mkdir(parents=True, exist_ok=True)

    def render(page):
        dom = _run(exe, page, "--dump-dom", tmp=tmp).stdout
        _run(exe, page, f"--screenshot={SHOTS / (page.stem + '.png')}", "--window-size=1280,2400",
             tmp=tmp)
        return page, page.read_text(), dom

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(render, pages))


def _local_targets(page, text):
    text = re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", text, flags=re.S)  # inline JS
    for attr, url in re.findall(r'<(?:a|img|link|script)\b[^>]*?\b(href|src)="([^"]+)"', text):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme or url.startswith(("#", "//", "mailto:", "data:")):
            continue
        yield url, (page.parent / urllib.parse.unquote(parts.path)).resolve()


@pytest.mark.book
def test_pages_render_in_a_browser(rendered):
    for page, _, dom in rendered:
        assert "</html>" in dom and len(dom) > 1000, f"{page.name}: the browser rendered nothing"
        assert "Traceback (most recent call last)" not in dom, page.name


@pytest.mark.book
def test_no_broken_local_links_or_images(rendered):
    for page, text, _ in rendered:
        broken = [url for url, target in _local_targets(page, text) if not target.exists()]
        assert not broken, f"{page.name}: broken local links/images {broken[:5]}"


@pytest.mark.book
def test_plotly_figures_render(rendered):
    pages_with_plots = 0
    for page, text, dom in rendered:
        wanted = text.count('class="plotly-graph-div"')
        if wanted:
            pages_with_plots += 1
            drawn = len(re.findall(r'class="[^"]*js-plotly-plot[^"]*"', dom))
            assert drawn >= wanted and 'class="main-svg"' in dom, f"{page.name}: plotly did not draw"
    assert pages_with_plots >= 1


@pytest.mark.book
def test_animations_load_their_frames(rendered):
    pages_with_animations = 0
    for page, text, dom in rendered:
        ids = re.findall(r'<img id="(_anim_img\w+)"', text)
        if ids:
            pages_with_animations += 1
        for anim in ids:
            assert re.search(rf'<img id="{anim}"[^>]*src="data:image/png;base64,', dom), \
                f"{page.name}: animation {anim} shows no frame"
    assert pages_with_animations >= 2  # lectures 3 and 5


@pytest.mark.book
def test_screenshots_were_taken(rendered):
    for page, _, _ in rendered:
        shot = SHOTS / f"{page.stem}.png"
        assert shot.exists() and shot.stat().st_size > 10_000, f"no screenshot of {page.name}"


@pytest.mark.book
def test_search_finds_lecture_pages(html, tmp_path):
    exe = _chromium()
    url = (html / "search.html").as_uri() + "?q=discriminator"
    cmd = [exe, *FLAGS, f"--user-data-dir={tmp_path}", "--dump-dom", url]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    hits = re.findall(r'<li[^>]*>\s*<a[^>]*href="([^"]*lectures/[^"]+)"', dom)
    assert any("04_gan-theory" in h for h in hits), f"search found {hits[:5]}"
