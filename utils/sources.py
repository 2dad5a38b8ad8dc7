"""Where data comes from: the source choice, the network probe and the tensor cache.

``$COURSE_DATA`` chooses the source for every loader: ``auto`` (default: the real
source, the bundled fallback if it cannot be reached; in the ``smoke`` profile the
bundled data, so tests never touch the network), ``download`` (the real source or a
clear error) or ``bundled`` (the package-shipped fallback only).

Decoded data is cached once as tensors under ``DATA_DIR/cache`` by :func:`cached`,
the one cache every loader uses: written atomically, rebuilt when damaged.
"""
from __future__ import annotations

import numbers
import os
import socket
import tempfile
import threading
import urllib.parse
from pathlib import Path
from typing import Callable, NamedTuple

import torch

from .profile import get_profile

DATA_SOURCE_ENV = "COURSE_DATA"
DATA_SOURCES = ("auto", "download", "bundled")
DATA_DIR_ENV = "COURSE_DATA_DIR"
#: Where downloads and caches go: ``$COURSE_DATA_DIR`` or ``data/`` at the repository root.
DATA_DIR = Path(os.environ.get(DATA_DIR_ENV) or Path(__file__).resolve().parent.parent / "data")

_PROBE_SECONDS = 3.0


class Source(NamedTuple):
    """The source asked for (``requested``) and the one to use (``mode``)."""

    requested: str
    mode: str


def resolve_source(source: str | None = None) -> Source:
    """Read the source once: ``source``, else ``$COURSE_DATA``, else ``auto``.

    ``mode`` is ``requested`` except that ``auto`` means ``bundled`` in ``smoke``.
    """
    name = source if source is not None else os.environ.get(DATA_SOURCE_ENV, "auto")
    if not isinstance(name, str):
        raise TypeError(f"source must be a string ({', '.join(DATA_SOURCES)}); got {name!r}.")
    name = name.strip().lower() or "auto"
    if name not in DATA_SOURCES:
        where = "argument `source=`" if source is not None else f"${DATA_SOURCE_ENV}"
        raise ValueError(f"Unknown data source {name!r} in {where}. Use one of: "
                         f"{', '.join(DATA_SOURCES)} (e.g. `export {DATA_SOURCE_ENV}=bundled`).")
    mode = "bundled" if name == "auto" and get_profile() == "smoke" else name
    return Source(name, mode)


def data_root(root: str | Path | None = None) -> Path:
    """The folder for downloads and caches, created if needed; a clear error if unwritable."""
    folder = Path(root).expanduser() if root is not None else DATA_DIR
    where = f"root={str(folder)!r}" if root is not None else f"${DATA_DIR_ENV} ({folder})"
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"The data folder {where} is a file, not a folder. "
                                 f"Point {DATA_DIR_ENV} at a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        fix = ("Pass a folder you can write to as root=." if root is not None else
               f"Set {DATA_DIR_ENV} to a folder you can write to, e.g. "
               f"`export {DATA_DIR_ENV}=$HOME/course-data`.")
        raise PermissionError(f"Cannot write to the data folder {where}: {err.strerror or err}. "
                              f"{fix}") from None
    return folder


def host_reachable(url: str, timeout: float = _PROBE_SECONDS) -> bool:
    """True if a TCP connection to the host of ``url`` opens within ``timeout`` seconds.

    Runs in a daemon thread so that a slow DNS lookup cannot hold the caller longer
    than ``timeout``: an offline classroom falls back in seconds, never hangs.
    """
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def save_atomic(obj, path: Path) -> None:
    """``torch.save`` to a temporary file in the same folder, then rename it into place.

    An interrupted run (Ctrl-C, a killed kernel, a full disk) leaves at most a stray
    temporary file, never a half-written ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached(path: Path, build: Callable[[], object], valid: Callable[[object], bool] | None = None):
    """Load the tensors cached at ``path``, or ``build()`` them and cache them atomically.

    A cache that cannot be read (damaged, truncated, written by something else) or
    whose content fails ``valid`` is reported in one line, deleted and rebuilt.
    """
    if path.exists():
        try:
            value = torch.load(path, weights_only=True)
            if valid is not None and not valid(value):
                raise ValueError("unexpected content")
            return value
        except Exception as err:  # torch raises several types for a damaged file
            why = (str(err).strip().splitlines() or [""])[0][:100]
            print(f"cache {path} is damaged ({type(err).__name__}: {why}); deleting it and rebuilding")
            path.unlink(missing_ok=True)
    value = build()
    save_atomic(value, path)
    return value


def check_limit(limit) -> int | None:
    """``limit`` as given if it is ``None`` or a positive whole number, else a clear error."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, numbers.Integral):
        raise TypeError(f"limit must be a whole number of images or None; got {limit!r}.")
    if limit < 1:
        raise ValueError(f"limit must be at least 1 (or None for all images); got {limit}.")
    return int(limit)
