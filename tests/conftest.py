"""Shared test set-up: the smoke profile and no progress bars.

Set before any notebook kernel starts, so the kernels the tests start inherit them too.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("COURSE_PROFILE", "smoke")
os.environ.setdefault("COURSE_PROGRESS", "off")
os.environ["COURSE_CHECKS"] = "strict"  # a lecture claim that the run does not back fails

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pytest_collection_modifyitems(config, items):
    """Run the slow book build last, after the unit tests and the notebooks."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "book: builds the Jupyter Book (slow; runs last)")


PROFILE = os.environ["COURSE_PROFILE"]
# One folder per profile, kept between runs: the jupyter cache skips unchanged notebooks,
# and keys on code only, so a cache must never be shared by two profiles.
BUILD = ROOT / "_build" / f"test-{PROFILE}"


@pytest.fixture(scope="session")
def html():
    """Build the book in the current profile; return its html folder.

    Lectures that tests/test_lectures_run.py executed are rendered from the execution cache;
    any other (a run of this fixture alone) is executed by the build.

    ``COURSE_BUILT_HTML=path/to/_build/html`` checks an existing build instead (while working
    on the checks themselves).
    """
    built = os.environ.get("COURSE_BUILT_HTML")
    if built:
        assert (Path(built) / "index.html").exists(), f"COURSE_BUILT_HTML={built} holds no built site"
        return Path(built)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "--path-output", str(BUILD), "-W", "-n", "--keep-going"]
    result = subprocess.run(cmd, env=dict(os.environ, COURSE_PROFILE=PROFILE),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return BUILD / "_build" / "html"
