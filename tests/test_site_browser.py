"""Load every page of the built site in headless Chromium with the network off, as a reader
in a classroom without internet would.

Fails on a broken local link or image, math left as raw TeX, a plotly figure that did not
draw, an animation that does not play, a resource from an external host, an image without
a meaningful alt text, a Python traceback on the page, or a code block or output that a
reader would have to scroll sideways in a 1280×800 window (collapsed cells opened). A screenshot of each page goes to
``_build/screenshots/`` (a build artefact). Two browsers (one per core) visit the pages over
the DevTools protocol (tools/browser.py). Without Chromium the checks are skipped with one
line; ``COURSE_REQUIRE_BROWSER=1`` (set by CI) makes them mandatory (see ``chromium.py``).
"""
import base64
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

import chromium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from browser import FLAGS as NETWORK_OFF  # noqa: E402
from browser import in_browsers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
ACTION, DETAIL = chromium.decide()
if ACTION == "skip":
    pytest.skip(DETAIL, allow_module_level=True)

# the network is off (tools/browser.py: no host name resolves, every http(s) request goes to a
# proxy that does not exist; file:// pages are unaffected); the search test uses the command line
FLAGS = [*NETWORK_OFF, "--virtual-time-budget=8000"]
# resources a page needs to render (links to other sites are fine: a reader follows them)
RESOURCE = re.compile(r'<(script|img|iframe|source|embed|video|audio)\b[^>]*?\bsrc="([^"]+)"'
                      r'|<link\b(?=[^>]*\brel="(?:stylesheet|preload|modulepreload|icon)")[^>]*?'
                      r'\bhref="([^"]+)"')
MATH = 'class="math notranslate nohighlight"'
# Presses Play on every animation player, waits, and returns where each slider got to.
PLAY = """(async () => {
  document.querySelectorAll('button[title="Play"]').forEach(b => b.click());
  await new Promise(done => setTimeout(done, 3000));
  return Array.from(document.querySelectorAll("input.anim-slider"), s => Number(s.value));
})()"""


# Opens every collapsed cell and dropdown, then lists each code block, output or table that
# is wider than its box (it would scroll sideways, or be cut off) and the page itself if wider
# than the window.
MEASURE = """(async () => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  await new Promise(done => setTimeout(done, 300));
  const wide = [];
  const blocks = "pre, div.highlight, div.cell_input, div.cell_output, div.output, " +
                 "div.cell_output table, div.pst-scrollable-table-container, article table";
  document.querySelectorAll(blocks).forEach(el => {
    if (!el.getClientRects().length) return;
    const over = el.scrollWidth - el.clientWidth;
    if (over > 1) {
      const text = (el.innerText || "").split("\\n").sort((a, b) => b.length - a.length)[0] || "";
      wide.push(el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0] +
                " +" + over + "px: " + text.trim().slice(0, 90));
    }
  });
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth + 1) wide.push("the page +" + (page.scrollWidth - window.innerWidth) + "px");
  return wide;
})()"""
WINDOW = (1280, 800)


@pytest.fixture(scope="session")  # session, like `html`, so it is set up first and fails fast
def exe():
    if ACTION == "fail":
        pytest.fail(DETAIL)
    return DETAIL


def _run(exe, url, *args, profile):
    cmd = [exe, *FLAGS, f"--user-data-dir={profile}", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _render(browser, page):
    """The page's static HTML, its DOM after JavaScript ran, and the slider positions after Play."""
    browser.open(page.as_uri())
    dom = browser.run("document.documentElement.outerHTML")
    browser.call("Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=2400, deviceScaleFactor=1,
                 mobile=False)
    shot = browser.call("Page.captureScreenshot", format="png")["data"]
    (SHOTS / f"{page.stem}.png").write_bytes(base64.b64decode(shot))
    browser.call("Emulation.setDeviceMetricsOverride", width=WINDOW[0], height=WINDOW[1], deviceScaleFactor=1,
                 mobile=False)
    text = page.read_text()
    played = browser.run(PLAY, await_promise=True) if "anim-slider" in text else []
    return page, text, dom, played


@pytest.fixture(scope="module")
def rendered(exe, html):
    """For each page: static HTML, the DOM after the browser ran its JavaScript, the played sliders."""
    pages = [html / "intro.html", html / "search.html", *sorted((html / "lectures").glob("*.html"))]
    SHOTS.mkdir(parents=True, exist_ok=True)
    return in_browsers(_render, pages, exe=exe, width=WINDOW[0], height=WINDOW[1])


def _without_inline_js(text):
    return re.sub(r"(<script[^>]*>).*?</script>", r"\1</script>", text, flags=re.S)


def _local_targets(page, text):
    for attr, url in re.findall(r'<(?:a|img|link|script)\b[^>]*?\b(href|src)="([^"]+)"',
                                 _without_inline_js(text)):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme or url.startswith(("#", "//", "mailto:", "data:")):
            continue
        yield url, (page.parent / urllib.parse.unquote(parts.path)).resolve()


def _visible_text(dom):
    """The text a reader sees: no scripts, styles, code blocks or tags."""
    dom = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", dom)


@pytest.mark.book
def test_pages_render_in_a_browser(rendered):
    for page, _, dom, _ in rendered:
        assert "</html>" in dom and len(dom) > 1000, f"{page.name}: the browser rendered nothing"
        assert "Traceback (most recent call last)" not in dom, page.name


@pytest.mark.book
def test_no_broken_local_links_or_images(rendered):
    for page, text, _, _ in rendered:
        broken = [url for url, target in _local_targets(page, text) if not target.exists()]
        assert not broken, f"{page.name}: broken local links/images {broken[:5]}"


@pytest.mark.book
def test_nothing_is_loaded_from_another_host(rendered):
    for page, text, dom, _ in rendered:
        for html_text in (text, dom):  # as built, and after scripts added their own tags
            for match in RESOURCE.finditer(_without_inline_js(html_text)):
                url = next(g for g in match.groups()[1:] if g)
                assert not re.match(r"(https?:)?//", url), f"{page.name} needs {url} from the network"


@pytest.mark.book
def test_math_is_typeset_offline(rendered):
    pages_with_math = 0
    for page, text, dom, _ in rendered:
        wanted = text.count(MATH)
        if not wanted:
            continue
        pages_with_math += 1
        assert re.search(r'<script[^>]*src="[^"]*_static/mathjax/[^"]+"', text), \
            f"{page.name}: MathJax is not served by the site"
        typeset = dom.count("<mjx-container")
        assert typeset >= wanted, f"{page.name}: {typeset} of {wanted} formulas typeset"
        raw = re.findall(r".{0,30}(?:\\\(|\\\)|\\\[|\\\]|\$\$).{0,30}", _visible_text(dom))
        assert not raw, f"{page.name}: raw TeX on the page: {raw[:3]}"
    assert pages_with_math >= 3


@pytest.mark.book
def test_plotly_figures_render(rendered):
    pages_with_plots = 0
    for page, text, dom, _ in rendered:
        wanted = text.count('class="plotly-graph-div"')
        if wanted:
            pages_with_plots += 1
            drawn = len(re.findall(r'class="[^"]*js-plotly-plot[^"]*"', dom))
            assert drawn >= wanted and 'class="main-svg"' in dom, f"{page.name}: plotly did not draw"
    assert pages_with_plots >= 1


@pytest.mark.book
def test_animations_load_and_play(rendered):
    pages_with_animations = 0
    for page, text, dom, played in rendered:
        ids = re.findall(r'<img id="(_anim_img\w+)"', text)
        if ids:
            pages_with_animations += 1
        for anim in ids:
            assert re.search(rf'<img id="{anim}"[^>]*src="data:image/png;base64,', dom), \
                f"{page.name}: animation {anim} shows no frame"
        positions = played
        assert len(positions) == len(ids), f"{page.name}: the players did not start"
        assert all(p > 0 for p in positions), f"{page.name}: pressing Play did not advance {positions}"
    assert pages_with_animations >= 2  # lectures 3 and 5


def _bad_alt(tag):
    alt = re.search(r'\balt="([^"]*)"', tag)
    if alt is None or not alt.group(1).strip():
        return "no alt text"
    value = alt.group(1).strip()
    if "/" in value or re.search(r"\.(png|jpe?g|gif|svg|webp)\b", value, re.I):
        return f"alt text is a path: {value!r}"
    return None


@pytest.mark.book
def test_every_lecture_image_has_a_meaningful_alt_text(rendered):
    for page, text, _, _ in rendered:
        if page.parent.name != "lectures":
            continue
        bad = [(problem, tag[:120]) for tag in re.findall(r"<img\b[^>]*>", text)
               if (problem := _bad_alt(tag))]
        assert not bad, f"{page.name}: {len(bad)} image(s) without a meaningful alt text: {bad[:3]}"


@pytest.mark.book
def test_screenshots_were_taken(rendered):
    for page, _, _, _ in rendered:
        shot = SHOTS / f"{page.stem}.png"
        assert shot.exists() and shot.stat().st_size > 10_000, f"no screenshot of {page.name}"


@pytest.mark.book
def test_no_code_block_or_output_scrolls_sideways(exe, html):
    """At 1280×800 every code block, output and table fits the page (on every page)."""
    pages = [p for p in sorted(html.rglob("*.html"))
             if not p.name.startswith("_") and "_static" not in p.parts and "_sources" not in p.parts
             and 'http-equiv="Refresh"' not in p.read_text()]  # index.html only redirects
    assert len(pages) >= 8
    def measure(browser, page):
        browser.open(page.as_uri())
        return page, browser.run(MEASURE, await_promise=True)

    found = in_browsers(measure, pages, exe=exe, width=WINDOW[0], height=WINDOW[1])
    wide = {str(page.relative_to(html)): items for page, items in found if items}
    assert not wide, "needs sideways scrolling at 1280x800:\n" + "\n".join(
        f"{name}: {len(items)}: " + "; ".join(items[:4]) for name, items in wide.items())


@pytest.mark.book
def test_search_finds_lecture_pages(exe, html, tmp_path):
    url = (html / "search.html").as_uri() + "?q=discriminator"
    dom = _run(exe, url, "--dump-dom", profile=tmp_path).stdout
    hits = re.findall(r'<li[^>]*>\s*<a[^>]*href="([^"]*lectures/[^"]+)"', dom)
    assert any("04_gan-theory" in h for h in hits), f"search found {hits[:5]}"
