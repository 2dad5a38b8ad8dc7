"""A lecture's self-check questions in a real JupyterLab: the student runs the cell (Shift+Enter),
the questions appear, and picking an option shows its feedback. JupyterLab runs on this machine
(127.0.0.1) and headless Chromium drives it over the DevTools protocol; no other host is reached.
Skipped without Chromium unless ``COURSE_REQUIRE_BROWSER=1`` (CI)."""
import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import chromium

ROOT = Path(__file__).resolve().parent.parent
SHOT = ROOT / "_build" / "screenshots" / "jupyterlab-self-check.png"
sys.path.insert(0, str(ROOT / "tools"))
from browser import Browser  # noqa: E402

ACTION, DETAIL = chromium.decide()
if ACTION == "skip":
    pytest.skip(DETAIL, allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"JupyterLab: {what} within {seconds} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if ACTION == "fail":
        pytest.fail(DETAIL)
    folder = tmp_path_factory.mktemp("lab")
    lecture = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))[0]
    cell = next(c for c in json.loads(lecture.read_text())["cells"]
                if "self-check" in c["metadata"].get("tags", []))
    source = f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + "".join(cell["source"])
    (folder / "check.ipynb").write_text(json.dumps({
        "cells": [{"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": None,
                   "outputs": [], "source": source}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    port, token = _free_port(), secrets.token_hex(8)
    jupyter = Path(sys.executable).with_name("jupyter")
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.token={token}",
         f"--ServerApp.root_dir={folder}", "--allow-root", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, JUPYTER_NO_CONFIG="1"))
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def up():
        try:
            return no_proxy.open(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2).status == 200
        except OSError:
            return False

    try:
        _wait(up, 60, "the server did not answer")
        yield f"http://127.0.0.1:{port}/lab/tree/check.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


ANSWER = """(() => {
  const q = document.querySelector('.jp-OutputArea .self-check fieldset');
  const feedback = q.querySelector('.self-check-feedback');
  q.querySelector('input[data-verdict=wrong]').click();
  const wrong = feedback.textContent;
  q.querySelector('input[data-verdict=right]').click();
  return [wrong, feedback.textContent];
})()"""


def _run_the_cell_and_answer(browser, lab):
    """Open the notebook, press Shift+Enter in its cell, pick a wrong and then the right option."""
    browser.open(lab, settle=False)
    editor = ".jp-Notebook .jp-Cell .cm-content"
    _wait(lambda: browser.run(f"!!document.querySelector('{editor}')"), 90, "the notebook did not open")
    time.sleep(2)   # the editor takes keys once the notebook has settled (the kernel may still start)
    browser.run(f"document.querySelector('{editor}').click()")
    browser.press("Enter", "Enter", 13, modifiers=8)                  # Shift+Enter: run the cell
    shown = "document.querySelectorAll('.jp-OutputArea .self-check fieldset').length"
    count = _wait(lambda: browser.run(shown), 90, "the questions did not appear")
    return count, browser.run(ANSWER)


def test_self_check_gives_feedback_in_jupyterlab(lab):
    with Browser(exe=DETAIL, loopback=True, timeout=90) as browser:
        try:
            count, seen = _run_the_cell_and_answer(browser, lab)
        finally:   # what the page showed, kept for a failure
            shot = browser.call("Page.captureScreenshot", format="png")["data"]
            SHOT.parent.mkdir(exist_ok=True)
            SHOT.write_bytes(base64.b64decode(shot))
    assert 5 <= count <= 8
    assert seen[0].startswith("Not this one.") and seen[1].startswith("Right."), seen
