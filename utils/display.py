"""Small notebook conveniences: showing source code and progress bars."""
from __future__ import annotations

import inspect
import os

PROGRESS_ENV = "COURSE_PROGRESS"
_ON, _OFF = ("on", "1", "yes", "true"), ("off", "0", "no", "false")


def progress_enabled() -> bool:
    """``$COURSE_PROGRESS``: on (default) or off; anything else is a clear error."""
    value = os.environ.get(PROGRESS_ENV, "on").strip().lower() or "on"
    if value not in _ON + _OFF:
        raise ValueError(f"${PROGRESS_ENV}={value!r} is not understood. Use on or off "
                         f"(also: {', '.join(_ON[1:] + _OFF[1:])}).")
    return value in _ON


def show_source(obj) -> None:
    """Display the source of a function or class from ``utils``, syntax-highlighted.

    Models that tests and benchmarks also use live once in ``utils/models.py``; the
    lecture shows their code in place with this helper, so students still read it.
    """
    from IPython.display import Markdown, display

    if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismethod(obj)):
        raise TypeError(f"show_source shows a function or class, e.g. show_source(update_D); "
                        f"got {type(obj).__name__}.")
    display(Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```"))


def progress(iterable=None, **kwargs):
    """A ``tqdm`` progress bar for long loops.

    Live notebooks get the widget bar of ``tqdm.auto``. When notebooks are executed
    unattended (book build, tests), ``$COURSE_PROGRESS=off`` turns bars off, since
    nobody watches them and each epoch prints a summary line anyway.
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("disable", not progress_enabled())
    kwargs.setdefault("leave", False)
    return tqdm(iterable, **kwargs)
