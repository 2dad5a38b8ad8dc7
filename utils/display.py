"""Small notebook conveniences: showing source code and progress bars."""
from __future__ import annotations

import inspect
import os

PROGRESS_ENV = "COURSE_PROGRESS"


def show_source(obj) -> None:
    """Display the source of a function or class from ``utils``, syntax-highlighted.

    Models that tests and benchmarks also use live once in ``utils/models.py``; the
    lecture shows their code in place with this helper, so students still read it.
    """
    from IPython.display import Markdown, display

    display(Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```"))


def progress(iterable=None, **kwargs):
    """A ``tqdm`` progress bar for long loops.

    Live notebooks get the widget bar of ``tqdm.auto``. When notebooks are executed
    unattended (book build, tests), ``$COURSE_PROGRESS=off`` turns bars off, since
    nobody watches them and each epoch prints a summary line anyway.
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("disable", os.environ.get(PROGRESS_ENV, "on").lower() in ("off", "0", "no"))
    kwargs.setdefault("leave", False)
    return tqdm(iterable, **kwargs)
