"""Sphinx extension: small repairs that make the built pages pass an accessibility audit
(axe-core, WCAG 2.2 A and AA; tests/test_accessibility.py runs it in light and dark mode).

The book's theme and its extensions write a few things that screen readers announce badly.
After the build, every HTML page is rewritten in place:

- buttons and toggles whose spoken name (``aria-label``) differs from the text they show
  (the search field shows "Search Ctrl+K" but is named "Search"; a hidden cell's toggle shows
  "Show code cell source" but is named "Toggle hidden content") are named by their visible text,
  as WCAG 2.5.3 asks: the label is dropped, so the name is the text;
- the colour-mode button's three icons carry titles ("Light", "Dark", ...) that are read as
  its text: they lose their titles and are hidden from screen readers, and the button keeps its
  name and tooltip "Color mode";
- bibliography entries use the deprecated DPUB role ``doc-biblioentry`` inside a list: they
  become list items (``listitem``), which is what the list requires.

Enabled in ``_config.yml``::

    sphinx:
      local_extensions:
        accessible_pages: _ext/

The site's keyboard support for plotly figures is ``_static/plotly-keys.js``.
"""
from __future__ import annotations

import re
from pathlib import Path

REPAIRS = [
    # search field: the visible text ("Search", "Ctrl", "K") becomes the name
    (re.compile(r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'), r"\1"),
    # hidden cells' toggles (MyST-NB): "Show code cell source" is the name, not "Toggle hidden content"
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # the colour-mode button: its icons' titles ("Light", "Dark", ...) are read as its text;
    # the button's own name and tooltip ("Color mode") stay
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")(?:\s+aria-hidden="true")?\s+title="[^"]*"'),
     r'\1 aria-hidden="true"'),
    # bibliography: entries of a role="list" are list items
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
]


def repair(text: str) -> str:
    """The page with the repairs above applied (idempotent)."""
    for pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    return text


def _repair_site(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = repair(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _repair_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
