"""One PDF of the whole book, printed from the built site by headless Chromium (`make pdf`).

    python tools/pdf.py [--html _build/html] [--out _build/pdf/advanced-convolutional-models.pdf]
    python tools/pdf.py --book _build/student/src --html _build/student/_build/html \
        --out _build/student/advanced-convolutional-models.pdf     # the student edition

Every page of the table of contents is opened in Chromium (the network off), prepared for paper
and printed on A4; the pages are joined in the book's order, each with a bookmark. Prepared for
paper means:

- hidden cells, solutions and notes are opened: on paper nothing can be clicked open (but not
  the code of the self-check questions, which holds their answers: they print as questions);
- an animation becomes a strip of frames (up to six, the last one included), labelled;
- long code lines wrap instead of running off the page (``_static/print.css``), and a displayed
  formula wider than the column is set in a smaller type;
- whatever would still be cut off at the paper's edge is reported (``Printed.cut_off``).

The PDF is copied next to the site's pages, and the landing page gets a link to it. Standard
library plus ``pypdf`` and ``websocket-client`` (both in the requirements); Chromium from the system.
"""
from __future__ import annotations

import argparse
import datetime
import html as html_lib
import io
import re
import shutil
import sys
from pathlib import Path
from typing import NamedTuple

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import A4, MARGIN, BrowserError, in_browsers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAME = "advanced-convolutional-models.pdf"
FRAMES = 6   # an animation becomes at most this many frames on paper
LINK = re.compile(r'<p class="book-pdf">.*?</p>\s*', re.S)
# A4 less the margins, in CSS pixels (96 per inch): the width the printed article is laid out in
PRINT_WIDTH = round((A4[0] - 2 * MARGIN) * 96)


class Printed(NamedTuple):
    path: Path
    pages: int
    cut_off: dict   # page -> what would run off the paper's right edge (empty: nothing)


# A displayed formula cannot wrap: one wider than the printed column is set in a smaller type
# so that it fits (on screen it scrolls instead).
FIT_MATH = """(() => {
  const article = document.querySelector(".bd-article") || document.body;
  const width = article.clientWidth;
  let shrunk = 0;
  article.querySelectorAll("mjx-container[display]").forEach(m => {
    const wide = Math.max(m.scrollWidth, ...Array.from(m.children, c => c.getBoundingClientRect().width));
    if (wide > width) {
      m.style.fontSize = (parseFloat(getComputedStyle(m).fontSize) * 0.98 * width / wide) + "px";
      shrunk += 1;
    }
  });
  return shrunk;
})()"""

# With the print style sheet applied, at the paper's width: every code block, output, table,
# formula and figure that is wider than its box or than the article (it would be cut off).
CUT_OFF = """(() => {
  const article = document.querySelector(".bd-article") || document.body;
  const right = article.getBoundingClientRect().right;
  const found = [];
  article.querySelectorAll("pre, div.highlight, div.cell_output, div.output, table, img, svg.main-svg, "
                           + "mjx-container[display], .print-frames, .self-check").forEach(el => {
    if (!el.getClientRects().length) return;
    const box = el.getBoundingClientRect();
    const over = Math.max(el.scrollWidth - el.clientWidth, box.right - right);
    if (over > 2) {
      const text = (el.innerText || el.getAttribute("alt") || "").trim().split("\\n")[0].slice(0, 70);
      found.push(`${el.tagName.toLowerCase()}.${String(el.className.baseVal ?? el.className).split(" ")[0]}`
                 + ` +${Math.round(over)}px: ${text}`);
    }
  });
  return found;
})()"""

# Opens everything that is folded, and turns each animation player into a strip of frames.
PREPARE = """(() => {
  // not the code of the self-check questions: it holds their answers
  document.querySelectorAll("details").forEach(d => {
    if (d.closest(".tag_self-check")) d.remove(); else d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach(e => e.classList.remove("toggle-hidden"));
  document.querySelectorAll(".toggle-details__container, .toggle-details").forEach(e => {
    e.classList.remove("toggle-hidden"); e.style.display = ""; });
  let strips = 0;
  document.querySelectorAll("div.animation").forEach(player => {
    const img = player.querySelector("img[id^='_anim_img']");
    const anim = img && window["anim" + img.id.replace("_anim_img", "")];
    if (!anim || !anim.frames || !anim.frames.length) return;
    const n = anim.frames.length, picks = new Set();
    for (let k = 0; k < Math.min(%(frames)d, n); k++)
      picks.add(Math.round(k * (n - 1) / Math.max(1, Math.min(%(frames)d, n) - 1)));
    const strip = document.createElement("div");
    strip.className = "print-frames";
    [...picks].sort((a, b) => a - b).forEach(k => {
      const figure = document.createElement("figure");
      const frame = document.createElement("img");
      frame.src = anim.frames[k].src;
      frame.alt = `Frame ${k + 1} of ${n}. ` + (img.alt || "");
      const caption = document.createElement("figcaption");
      caption.textContent = `frame ${k + 1} of ${n}`;
      figure.append(frame, caption);
      strip.append(figure);
    });
    player.replaceWith(strip);
    strips += 1;
  });
  return strips;
})()"""


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's pages in reading order, as paths without suffix (``intro``, ``lectures/01_...``)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(str(entry["file"]).removesuffix(".md").removesuffix(".ipynb"))
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


def _title(page: Path) -> str:
    found = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
    title = html_lib.unescape(found.group(1)).strip() if found else page.stem
    return title.split(" — ")[0].strip()


def print_book(html: Path, out: Path, root: Path = ROOT, log=print) -> Printed:
    """Print every page of the book into ``out``; return the PDF's path, its page count and, per
    page, whatever would be cut off at the paper's edge."""
    from pypdf import PdfReader, PdfWriter

    pages = toc_pages(root)
    missing = [p for p in pages if not (html / f"{p}.html").exists()]
    if missing:
        raise FileNotFoundError(f"{html} lacks {', '.join(missing[:3])}...: build the site first "
                                f"(`make book`), then `make pdf`.")
    writer = PdfWriter()
    footer = ('<div style="font-size:8px; width:100%; padding:0 12mm; display:flex; '
              'justify-content:space-between; color:#444;"><span class="title"></span>'
              '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')
    def print_page(browser, name):
        """One page on paper: its PDF, how many animations became frames, what is cut off."""
        browser.open((html / f"{name}.html").resolve().as_uri())
        browser.color_scheme("light")
        strips = browser.run(PREPARE % {"frames": FRAMES})
        browser.call("Emulation.setEmulatedMedia", media="print")
        browser.run("new Promise(done => setTimeout(() => done(true), 200))", await_promise=True)
        browser.run(FIT_MATH)
        wide = browser.run(CUT_OFF)
        data = browser.pdf(displayHeaderFooter=True, headerTemplate="<span></span>",
                           footerTemplate=footer, marginBottom=0.6)
        browser.call("Emulation.setEmulatedMedia", media="")
        return data, strips, wide

    # two browsers print at once (one per core); the book is joined in its order
    printed = dict(zip(pages, in_browsers(print_page, pages, width=PRINT_WIDTH, height=1000)))
    cut_off = {}
    for name in pages:
        data, strips, wide = printed[name]
        if wide:
            cut_off[name] = wide
            log(f"  {name}: {len(wide)} element(s) wider than the paper: {wide[:2]}")
        reader = PdfReader(io.BytesIO(data))
        start = len(writer.pages)
        for sheet in reader.pages:
            writer.add_page(sheet)
        writer.add_outline_item(title=_title(html / f"{name}.html"), page_number=start)
        log(f"  {name}: {len(reader.pages)} pages" + (f", {strips} animation(s) as frames" if strips else ""))
    writer.add_metadata({"/Title": "Advanced Convolutional Models", "/Creator": "tools/pdf.py"})
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with open(partial, "wb") as stream:
        writer.write(stream)
    partial.replace(out)
    return Printed(out, len(writer.pages), cut_off)


def link_from_landing_page(html: Path, pdf: Path, pages: int, root: Path = ROOT) -> Path:
    """Copy the PDF into the site and put a link to it under the landing page's title."""
    shutil.copyfile(pdf, html / NAME)
    landing = html / f"{toc_pages(root)[0]}.html"
    text = LINK.sub("", landing.read_text(encoding="utf-8"))
    size = pdf.stat().st_size / 1e6
    today = datetime.date.today().isoformat()
    link = (f'<p class="book-pdf"><a href="{NAME}" download>Download the whole book as one PDF</a> '
            f'({pages} pages, {size:.0f} MB, printed from this site on {today}).</p>\n')
    text, found = re.subn(r"(<h1\b.*?</h1>\s*)", lambda m: m.group(1) + link, text, count=1, flags=re.S)
    if not found:
        raise ValueError(f"{landing} has no <h1> to put the PDF's link under")
    landing.write_text(text, encoding="utf-8")
    return landing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / NAME, help="the PDF to write")
    parser.add_argument("--book", type=Path, default=ROOT,
                        help="the book's sources, for its table of contents (the student edition: "
                             "_build/student/src)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        print(f"make pdf: no built site in {args.html}; run `make book` first.", file=sys.stderr)
        return 2
    try:
        print(f"printing {args.html} to {args.out}")
        pdf, pages, cut_off = print_book(args.html, args.out, root=args.book)
    except (BrowserError, FileNotFoundError) as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 2
    landing = link_from_landing_page(args.html, pdf, pages, root=args.book)
    print(f"wrote {pdf} ({pages} pages); {landing.name} links it")
    if cut_off:
        print(f"make pdf: on {len(cut_off)} page(s) something is wider than the paper (see above)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
