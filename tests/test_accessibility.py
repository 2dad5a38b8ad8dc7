"""Accessibility of the built site, checked by machine in headless Chromium (tools/browser.py),
the network off:

- axe-core (tools/axe.py; WCAG 2.0-2.2 A and AA rules) on every page, in light and in dark
  mode: no serious or critical violation;
- every lecture's self-check questions answer with feedback (a wrong and a right pick);
- a plotly figure and an animation player work from the keyboard alone;
- figures keep the contrast of their text in dark mode (they stay on a light background).

Without Chromium the checks are skipped with one line; ``COURSE_REQUIRE_BROWSER=1`` (set by CI)
makes them mandatory (see ``chromium.py``), and then axe-core must be fetched too.
"""
import sys
from pathlib import Path

import pytest

import chromium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import axe  # noqa: E402
from browser import Browser, in_browsers  # noqa: E402
from pdf import toc_pages  # noqa: E402

ACTION, DETAIL = chromium.decide()
if ACTION == "skip":
    pytest.skip(DETAIL, allow_module_level=True)

LECTURES = [p for p in toc_pages() if p.startswith("lectures/")]


@pytest.fixture(scope="module")
def browser():
    if ACTION == "fail":
        pytest.fail(DETAIL)
    with Browser(exe=DETAIL) as b:
        yield b


@pytest.fixture(scope="module")
def axe_ready():
    try:
        return axe.axe_source()
    except RuntimeError as error:
        if chromium.browser_required():
            pytest.fail(str(error))
        pytest.skip(str(error))


def _url(html, name):
    return (html / f"{name}.html").resolve().as_uri()


def _pages():
    return [*toc_pages(), "search"]


def _audit(browser, html, name):
    """axe-core's serious and critical findings on one page: {"page (mode)": description}."""
    problems = {}
    browser.open(_url(html, name))
    for mode in ("light", "dark"):
        browser.color_scheme(mode)
        found = axe.blocking(axe.check_page(browser))
        if found:
            problems[f"{name} ({mode})"] = axe.describe(found)
    return problems


@pytest.mark.book
def test_axe_finds_no_serious_problem_on_any_page_in_light_or_dark_mode(html, axe_ready):
    found = in_browsers(lambda browser, name: _audit(browser, html, name), _pages(), exe=DETAIL)
    problems = {page: text for per_page in found for page, text in per_page.items()}
    assert not problems, "axe-core: serious or critical violations\n" + "\n".join(
        f"{page}:\n{text}" for page, text in problems.items())


ANSWER = """(() => {
  const question = document.querySelector(".self-check fieldset");
  if (!question) return null;
  const feedback = question.querySelector(".self-check-feedback");
  const seen = {before: feedback.textContent};
  question.querySelector("input[data-verdict=wrong]").click();
  seen.wrong = feedback.textContent;
  question.querySelector("input[data-verdict=right]").click();
  seen.right = feedback.textContent;
  seen.live = feedback.getAttribute("role");
  seen.questions = document.querySelectorAll(".self-check fieldset").length;
  return seen;
})()"""


@pytest.mark.book
@pytest.mark.parametrize("name", LECTURES, ids=lambda n: n.split("/")[-1][:2])
def test_self_check_gives_feedback_on_the_page(browser, html, name):
    browser.open(_url(html, name), settle=False)
    seen = browser.run(ANSWER)
    assert seen, f"{name}: no self-check questions on the page"
    assert 5 <= seen["questions"] <= 8
    assert seen["before"] == ""
    assert seen["wrong"].startswith("Not this one.") and len(seen["wrong"]) > 20, seen
    assert seen["right"].startswith("Right.") and len(seen["right"]) > 10, seen
    assert seen["live"] == "status"      # a screen reader announces the feedback


@pytest.mark.book
def test_a_plotly_figure_works_from_the_keyboard(browser, html):
    pages = [n for n in _pages() if 'class="plotly-graph-div"' in (html / f"{n}.html").read_text()]
    assert pages, "no page has a plotly figure any more: update this test"
    browser.open(_url(html, pages[0]))
    info = browser.run("""(() => { const gd = document.querySelector('.plotly-graph-div');
        gd.focus(); return {focused: document.activeElement === gd, label: gd.getAttribute('aria-label'),
        hint: (() => { const h = document.querySelector('.plotly-keys-hint'); if (!h) return false;
          const r = h.getBoundingClientRect(), box = h.parentElement.getBoundingClientRect();
          return r.height > 10 && r.top >= box.top && r.bottom <= box.bottom + 1; })(),
        three: !!gd._fullLayout.scene}; })()""")
    assert info["focused"] and "arrow keys" in info["label"] and info["hint"], info
    view = ("(() => { const l = document.querySelector('.plotly-graph-div')._fullLayout;"
            " return JSON.stringify(l.scene ? l.scene.camera.eye : [l.xaxis.range, l.yaxis.range]); })()")
    wait = "new Promise(done => setTimeout(() => done(true), 300))"
    first = browser.run(view)
    browser.press("ArrowRight", "ArrowRight", 39)
    browser.run(wait, await_promise=True)
    turned = browser.run(view)
    browser.press("-", "Minus", 189)
    browser.run(wait, await_promise=True)
    zoomed = browser.run(view)
    browser.press("0", "Digit0", 48)
    browser.run(wait, await_promise=True)
    back = browser.run(view)
    assert turned != first and zoomed != turned, (first, turned, zoomed)
    assert back == first, (first, back)


@pytest.mark.book
def test_an_animation_player_works_from_the_keyboard(browser, html):
    pages = [n for n in LECTURES if "anim-slider" in (html / f"{n}.html").read_text()]
    assert pages, "no page has an animation any more: update this test"
    browser.open(_url(html, pages[0]))
    controls = browser.run("""Array.from(document.querySelectorAll('div.animation')[0]
        .querySelectorAll('button, input')).map(e => ({tag: e.tagName, name: e.getAttribute('aria-label')
        || (e.labels && e.labels[0] && e.labels[0].textContent) || '', tab: e.tabIndex}))""")
    assert len(controls) >= 10 and all(c["name"].strip() and c["tab"] >= 0 for c in controls), controls
    before = browser.run("document.querySelector('input.anim-slider').value")
    browser.run("document.querySelector('div.animation button[aria-label=\"Next frame\"]').focus()")
    browser.press("Enter", "Enter", 13)
    after = browser.run("document.querySelector('input.anim-slider').value")
    assert int(after) == int(before) + 1, (before, after)


def _luminance(rgb):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _through(css_filter, value):
    """A grey level in [0, 1] after the CSS filter's brightness() and contrast() steps."""
    import re

    for step, amount in re.findall(r"(brightness|contrast)\(([\d.]+)\)", css_filter):
        amount = float(amount)
        value = value * amount if step == "brightness" else (value - 0.5) * amount + 0.5
        value = min(1.0, max(0.0, value))
    return value


@pytest.mark.book
def test_figure_text_keeps_its_contrast_in_dark_mode(browser, html):
    """Figures are black text on an opaque white background (test_plotting checks both). In dark
    mode the theme dims every image with a CSS filter and puts it on a light grey: the text must
    still reach 4.5:1 (WCAG AA) through that filter, and on that grey."""
    checked = 0
    for name in LECTURES[:3]:
        browser.open(_url(html, name))
        browser.color_scheme("dark")
        shown = browser.run("""Array.from(document.querySelectorAll('.bd-article img'))
            .filter(i => i.getClientRects().length)
            .map(i => [getComputedStyle(i).filter, getComputedStyle(i).backgroundColor])""")
        for css_filter, colour in shown:
            white = _luminance([_through(css_filter, 1.0)] * 3)
            black = _luminance([_through(css_filter, 0.0)] * 3)
            assert (white + 0.05) / (black + 0.05) >= 4.5, f"{name}: figure text through {css_filter}"
            rgb = [float(v) / 255 for v in colour[colour.index("(") + 1:-1].split(",")][:3]
            assert (_luminance(rgb) + 0.05) / (black + 0.05) >= 4.5, f"{name}: figures on {colour}"
            checked += 1
    assert checked >= 5
