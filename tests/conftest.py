"""Shared test set-up: the smoke profile and no progress bars.

Set before any notebook kernel starts, so nbval's kernels inherit them too.
"""
import os
import sys
from pathlib import Path

os.environ.setdefault("COURSE_PROFILE", "smoke")
os.environ.setdefault("COURSE_PROGRESS", "off")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pytest_collection_modifyitems(config, items):
    """Run the slow book build last, after the unit tests and the notebooks."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "book: builds the Jupyter Book (slow; runs last)")
