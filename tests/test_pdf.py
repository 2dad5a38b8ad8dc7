"""`make pdf` (tools/pdf.py): the whole book in one PDF, printed from the built site by headless
Chromium, with every page of the table of contents, animations as strips of frames, and a link
from the landing page. Skipped without Chromium unless ``COURSE_REQUIRE_BROWSER=1`` (CI)."""
import re
import shutil
import sys
from pathlib import Path

import pytest

import chromium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import pdf  # noqa: E402

ACTION, DETAIL = chromium.decide()


def test_toc_pages_are_the_books_pages_in_order():
    pages = pdf.toc_pages()
    assert pages[0] == "intro" and "references" in pages and "glossary" in pages
    lectures = [p for p in pages if p.startswith("lectures/")]
    assert lectures == sorted(lectures) and len(lectures) == len(list((ROOT / "lectures").glob("[0-9]*.ipynb")))
    assert all((ROOT / f"{p}.md").exists() or (ROOT / f"{p}.ipynb").exists() for p in pages)


def test_a_missing_site_is_a_clear_error(tmp_path, capsys):
    assert pdf.main(["--html", str(tmp_path / "nowhere")]) == 2
    assert "run `make book` first" in capsys.readouterr().err


@pytest.fixture(scope="module")
def printed(html, tmp_path_factory):
    if ACTION == "skip":
        pytest.skip(DETAIL)
    if ACTION == "fail":
        pytest.fail(DETAIL)
    site = tmp_path_factory.mktemp("site") / "html"    # a copy: the link goes into its landing page
    shutil.copytree(html, site)
    out = site.parent / "book.pdf"
    lines = []
    path, count, cut_off = pdf.print_book(site, out, log=lines.append)
    landing = pdf.link_from_landing_page(site, path, count)
    return site, path, count, lines, landing, cut_off


@pytest.mark.book
def test_the_pdf_has_every_page_of_the_book(printed):
    from pypdf import PdfReader

    site, path, count, lines, _, _ = printed
    reader = PdfReader(path)
    assert len(reader.pages) == count >= 60, f"{count} pages"
    titles = [item.title for item in reader.outline]
    pages = pdf.toc_pages()
    assert len(titles) == len(pages), titles
    starts = [reader.get_destination_page_number(item) for item in reader.outline]
    assert starts == sorted(starts) and starts[0] == 0 and len(set(starts)) == len(starts), starts
    # each page of the book starts on its bookmark's sheet, with its title (reading every sheet's
    # text takes pypdf ~20 s; the first sheet of each page is enough)
    text = " ".join(" ".join(reader.pages[k].extract_text().split()) for k in starts)
    for name, title in zip(pages, titles):
        wanted = " ".join(pdf._title(site / f"{name}.html").split())
        assert title == wanted
        heading = re.sub(r"^\d+\.\s*", "", wanted)   # the page shows "7. Variational..." as its title
        assert heading in text, f"{name}: its title {heading!r} is not in the PDF's text"
    assert any(t == "References" for t in titles)


@pytest.mark.book
def test_self_check_questions_print_without_their_answers(printed):
    """On paper the questions show; the cell's code (it holds the answers) and the feedback do not."""
    from browser import Browser

    site = printed[0]
    lecture = next(p for p in pdf.toc_pages() if p.startswith("lectures/"))
    with Browser(exe=DETAIL, width=pdf.PRINT_WIDTH) as browser:
        browser.open((site / f"{lecture}.html").resolve().as_uri())
        before = browser.run("document.querySelectorAll('.tag_self-check details').length")
        browser.run(pdf.PREPARE % {"frames": pdf.FRAMES})
        browser.call("Emulation.setEmulatedMedia", media="print")
        seen = browser.run("""(() => {
          const visible = e => e && e.getClientRects().length > 0;
          const block = document.querySelector('.tag_self-check');
          return {code: block.querySelectorAll('details, pre').length,
                  questions: Array.from(block.querySelectorAll('.self-check fieldset')).filter(visible).length,
                  feedback: Array.from(block.querySelectorAll('.self-check-feedback')).filter(visible).length,
                  text: block.innerText};
        })()""")
    assert before == 1, "the self-check cell's code is no longer a hidden (collapsed) cell"
    assert seen["code"] == 0 and "answer=" not in seen["text"], seen["text"][:300]
    assert 5 <= seen["questions"] <= 8 and seen["feedback"] == 0, seen


@pytest.mark.book
def test_nothing_is_cut_off_at_the_papers_edge(printed):
    """Laid out for A4 with the print style sheet: every code block, output, table, formula and
    figure fits the paper's width (long lines wrap; wide images shrink)."""
    cut_off = printed[-1]
    assert not cut_off, "wider than the paper:\n" + "\n".join(
        f"{page}: {'; '.join(items[:4])}" for page, items in cut_off.items())


@pytest.mark.book
def test_animations_are_printed_as_frames(printed):
    _, _, _, lines, _, _ = printed
    frames = [line for line in lines if "animation(s) as frames" in line]
    assert len(frames) >= 2, lines   # lectures 3 and 5


@pytest.mark.book
def test_the_landing_page_links_the_pdf(printed):
    site, path, count, _, landing, _ = printed
    text = landing.read_text()
    assert f'href="{pdf.NAME}"' in text and (site / pdf.NAME).stat().st_size == path.stat().st_size
    assert f"({count} pages" in text
    pdf.link_from_landing_page(site, path, count)            # a second run replaces the link
    assert landing.read_text().count('class="book-pdf"') == 1
