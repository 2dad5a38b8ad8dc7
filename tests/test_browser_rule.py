"""The rule for the browser checks: run with Chromium, skip with one line without it,
fail without it when COURSE_REQUIRE_BROWSER=1 (CI). Tested with a fake PATH."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import chromium

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def fake_chromium(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    exe = folder / "chromium"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return folder


def test_runs_when_chromium_is_on_path(fake_chromium):
    assert chromium.decide(path=str(fake_chromium), env={}) == ("run", str(fake_chromium / "chromium"))
    required = {"COURSE_REQUIRE_BROWSER": "1"}
    assert chromium.decide(path=str(fake_chromium), env=required)[0] == "run"


def test_skips_with_one_line_without_chromium(tmp_path):
    action, line = chromium.decide(path=str(tmp_path), env={})
    assert action == "skip" and "apt-get install chromium" in line and "\n" not in line


def test_fails_without_chromium_when_required(tmp_path):
    action, line = chromium.decide(path=str(tmp_path), env={"COURSE_REQUIRE_BROWSER": "1"})
    assert action == "fail" and "COURSE_REQUIRE_BROWSER=1" in line and "apt-get install chromium" in line


def test_typo_in_the_variable_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="COURSE_REQUIRE_BROWSER='yse'"):
        chromium.decide(path=str(tmp_path), env={"COURSE_REQUIRE_BROWSER": "yse"})


def _pytest_without_chromium(tmp_path, **env):
    """Run the browser test module with a PATH that holds no Chromium."""
    empty = tmp_path / "empty-path"
    empty.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if k not in ("COURSE_REQUIRE_BROWSER",
                                                                 "COURSE_BUILT_HTML")}
    environ.update(PATH=str(empty), **env)
    cmd = [sys.executable, "-m", "pytest", str(TESTS / "test_site_browser.py"), "-q", "-x",
           # one quick test besides, as in a whole `make test` run
           f"{TESTS / 'test_browser_rule.py'}::test_skips_with_one_line_without_chromium"]
    return subprocess.run(cmd, cwd=TESTS.parent, env=environ, capture_output=True, text=True,
                          timeout=300)


def test_make_test_passes_and_says_so_without_chromium(tmp_path):
    result = _pytest_without_chromium(tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    skipped = [line for line in result.stdout.splitlines() if "browser checks skipped" in line]
    assert len(skipped) == 1 and "apt-get install chromium" in skipped[0], result.stdout[-3000:]


def test_ci_fails_without_chromium(tmp_path):
    result = _pytest_without_chromium(tmp_path, COURSE_REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "COURSE_REQUIRE_BROWSER=1 makes the browser checks mandatory" in result.stdout
    assert "jupyter-book" not in result.stdout  # failed at once, without building the book
