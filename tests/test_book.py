"""Build the book in the current profile (outputs from the lecture tests' cache) and inspect the pages."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pages(html):
    return sorted((html / "lectures").glob("*.html"))


@pytest.mark.book
def test_book_has_landing_page_and_one_page_per_lecture(html):
    assert (html / "index.html").exists() and (html / "intro.html").exists()
    lectures = sorted(p.stem for p in (ROOT / "lectures").glob("*.ipynb"))
    assert [p.stem for p in _pages(html)] == lectures


@pytest.mark.book
def test_pages_have_executed_outputs_and_no_errors(html):
    for page in _pages(html):
        text = page.read_text()
        assert "cell_output" in text, f"{page.name}: no executed outputs"
        assert "Traceback (most recent call last)" not in text, page.name
        assert not re.search(r'class="[^"]*\btraceback\b', text), page.name
        assert "IProgress not found" not in text, page.name
        for src in re.findall(r'<img [^>]*src="([^"]+)"', text):
            if not src.startswith(("http", "data:")):
                assert (page.parent / src).exists(), f"{page.name}: missing image {src}"


@pytest.mark.book
def test_plotly_figures_are_embedded(html):
    page = next(p for p in _pages(html) if p.name.startswith("02_"))
    text = page.read_text()
    assert "plotly-graph-div" in text and "Plotly.newPlot" in text
    assert re.search(r"plotly\.js v\d", text), "plotly.js itself must be embedded in the page"


@pytest.mark.book
def test_every_lecture_has_launch_and_download_buttons(html):
    import yaml

    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    slug = repo.removeprefix("https://github.com/")
    for page in _pages(html):
        text = page.read_text()
        colab = f"https://colab.research.google.com/github/{slug}/blob/main/lectures/{page.stem}.ipynb"
        assert colab in text, f"{page.name}: no Colab button"
        assert f"_sources/lectures/{page.stem}.ipynb" in text, f"{page.name}: no .ipynb download"
        assert (html / "_sources" / "lectures" / f"{page.stem}.ipynb").exists()
