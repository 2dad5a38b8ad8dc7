"""Every lecture executes without error, its hidden asserts included (`smoke` in `make test`).

Each notebook is executed once, here, and its outputs are stored in the execution cache of
the test build; the book build (tests/test_book.py, run last) then renders those outputs
instead of executing every lecture a second time. The cache keys on the notebook's code
only, so these tests always execute: a change in `utils` must not hide behind a cached run.

The lectures run two at a time, one kernel per core, each kernel single-threaded
(``OMP_NUM_THREADS=1``): on two cores that takes about half as long as one after another.
"""
import os
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution

from conftest import BUILD, ROOT

LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))


def _execute(path):
    notebook = nbformat.read(path, as_version=4)
    return notebook, single_nb_execution(notebook, cwd=str(path.parent), timeout=1800,
                                         allow_errors=False)


@pytest.fixture(scope="module")
def executed():
    """Every lecture executed, two kernels at a time: {path: (notebook, result)}."""
    saved = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"      # the kernels started now inherit it
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(zip(LECTURES, pool.map(_execute, LECTURES)))
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_lecture_executes(path, executed):
    notebook, result = executed[path]
    assert result.err is None, f"{path.name} failed:\n{result.exc_string[-6000:]}"
    cache = get_cache(str(BUILD / "_build" / ".jupyter_cache"))
    cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path),
                                              data={"execution_seconds": result.time}),
                                check_validity=False, overwrite=True)
