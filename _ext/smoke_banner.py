"""Sphinx extension: a build in the ``smoke`` profile says so on every page.

The smoke profile trains each model for a few steps, so that the tests run in seconds. A site
built in it shows numbers that mean nothing, and the sentences glued to them can be false
("it raised the PSNR from 9.4 dB to 6.7 dB"). It is for tests, never for publishing. When
``COURSE_PROFILE`` is ``smoke`` at build time (``make book``, the test suite), this extension puts
a banner at the top of every page (the book theme's ``announcement``).

Enabled in ``_config.yml``::

    sphinx:
      local_extensions:
        smoke_banner: _ext/

The student edition (tools/student_edition.py) writes the same banner into its own config.
"""
from __future__ import annotations

import os

BANNER = ("Smoke build: the models on these pages are barely trained, so the numbers and the "
          "sentences about them are not meaningful. Do not publish this build.")


def is_smoke() -> bool:
    return os.environ.get("COURSE_PROFILE", "").strip().lower() == "smoke"


def _mark(app, config) -> None:
    if is_smoke():
        options = dict(config.html_theme_options or {})
        options["announcement"] = BANNER
        config.html_theme_options = options


def setup(app):
    app.connect("config-inited", _mark)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
