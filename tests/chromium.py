"""Finding Chromium for the browser checks, and the rule that runs, skips or fails them.

- Chromium on ``PATH``: the checks run.
- No Chromium: they are skipped with one line saying how to enable them.
- No Chromium and ``COURSE_REQUIRE_BROWSER=1`` (CI sets it): they fail, so CI can
  never skip them silently.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from browser import NAMES, find_chromium  # noqa: E402,F401  (one list of names for tests and tools)

REQUIRE_ENV = "COURSE_REQUIRE_BROWSER"
SKIP_LINE = ("browser checks skipped: no Chromium on PATH. To run them: "
             "`sudo apt-get install chromium` (Debian/Ubuntu), then `make test` again.")
MISSING_LINE = (f"{REQUIRE_ENV}=1 makes the browser checks mandatory, but no Chromium is on PATH "
                f"(looked for {', '.join(NAMES)}). Install it: `apt-get install chromium`.")
_YES, _NO = ("1", "yes", "true", "on"), ("", "0", "no", "false", "off")


def browser_required(env=None) -> bool:
    """True when ``$COURSE_REQUIRE_BROWSER`` says the checks must run; a typo is an error."""
    value = (os.environ if env is None else env).get(REQUIRE_ENV, "").strip().lower()
    if value not in _YES + _NO:
        raise ValueError(f"{REQUIRE_ENV}={value!r} is not understood; use 1 (the browser checks "
                         f"must run) or 0 (run them when Chromium is installed).")
    return value in _YES


def decide(path: str | None = None, env=None) -> tuple[str, str]:
    """``("run", executable)``, ``("skip", SKIP_LINE)`` or ``("fail", MISSING_LINE)``."""
    required = browser_required(env)
    exe = find_chromium(path)
    if exe:
        return "run", exe
    return ("fail", MISSING_LINE) if required else ("skip", SKIP_LINE)
