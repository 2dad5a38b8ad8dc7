"""Run profiles, device choice and seeding.

One environment variable, ``COURSE_PROFILE``, decides how big every experiment in
the course is:

``smoke``
    seconds per notebook on two CPU cores; used by the tests.
``cpu``
    a laptop without a GPU; every notebook finishes in minutes and still teaches.
``full``
    a CUDA GPU or Apple MPS; full scale (64x64 faces, all MNIST eights, long runs).
``auto`` (default)
    ``full`` when CUDA or MPS is available, otherwise ``cpu``.

Notebooks read sizes in place, so a reader sees all three values::

    EPOCHS = by_profile(smoke=1, cpu=5, full=20)
"""
from __future__ import annotations

import numbers
import os
import random
import re

import numpy as np
import torch

PROFILE_ENV = "COURSE_PROFILE"
PROFILES = ("smoke", "cpu", "full")
DEVICE_ENV = "COURSE_DEVICE"
SEED_ENV = "COURSE_SEED"
_DEVICE_PATTERN = re.compile(r"(cpu|mps|cuda(:\d+)?)")


def accelerator_available() -> bool:
    """True when PyTorch sees a CUDA GPU or an Apple MPS device."""
    mps = getattr(torch.backends, "mps", None)
    return torch.cuda.is_available() or bool(mps and mps.is_available())


def get_profile() -> str:
    """The active run profile: ``smoke``, ``cpu`` or ``full``.

    Read from ``$COURSE_PROFILE`` every time it is called, so a notebook or test can
    change it. ``auto`` (or unset) resolves to ``full`` with an accelerator, else ``cpu``.
    """
    name = os.environ.get(PROFILE_ENV, "auto").strip().lower() or "auto"
    if name == "auto":
        return "full" if accelerator_available() else "cpu"
    if name not in PROFILES:
        raise ValueError(
            f"Unknown run profile {name!r} in ${PROFILE_ENV}. "
            f"Use one of: {', '.join(PROFILES)} or auto "
            f"(e.g. `export {PROFILE_ENV}=cpu`)."
        )
    return name


def by_profile(*, smoke, cpu, full):
    """Pick the value for the active profile, e.g. ``by_profile(smoke=1, cpu=5, full=20)``.

    All three values are required, by name, so every notebook shows every size.
    """
    return {"smoke": smoke, "cpu": cpu, "full": full}[get_profile()]


def is_real_run() -> bool:
    """True in the ``cpu`` and ``full`` profiles: training ran long enough to judge its result.

    Hidden asserts about what a lecture's experiment shows use it; ``smoke`` only checks
    that the code runs.
    """
    return get_profile() != "smoke"


def _forced_device(name: str, origin: str) -> torch.device:
    """The device ``name`` asks for (cpu, cuda, cuda:N or mps), if this machine has it."""
    wanted = name.strip().lower()
    if not _DEVICE_PATTERN.fullmatch(wanted):
        raise ValueError(f"{origin}={name!r} is not a device. Valid values: cpu, cuda, cuda:N "
                         f"(N = GPU index, e.g. cuda:0) or mps; unset it to choose automatically.")
    device = torch.device(wanted)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(f"{origin}={name!r} asks for CUDA, but PyTorch sees no CUDA GPU. "
                               f"Use cpu, or unset it to choose automatically.")
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            raise RuntimeError(f"{origin}={name!r} asks for GPU {device.index}, but PyTorch sees "
                               f"{count} CUDA GPU(s): use cuda:0 to cuda:{count - 1}.")
    if device.type == "mps":
        mps = getattr(torch.backends, "mps", None)
        if not (mps is not None and mps.is_available()):
            raise RuntimeError(f"{origin}={name!r} asks for Apple MPS, but PyTorch sees no MPS "
                               f"device. Use cpu, or unset it to choose automatically.")
    return device


def get_device(prefer: str | None = None) -> torch.device:
    """Choose CUDA, then Apple MPS, then the CPU.

    One choice, made once: code that sets the device twice in a row, CUDA first and then
    ``'mps' if mps.is_available() else 'cpu'``, puts training on the CPU of an NVIDIA
    machine without MPS. Here the first available device wins. ``prefer`` (or ``$COURSE_DEVICE``) forces one: ``cpu``, ``cuda``,
    ``cuda:N`` or ``mps``; asking for one this machine lacks is a clear error.
    """
    if prefer:
        return _forced_device(str(prefer), "get_device(prefer)")
    if os.environ.get(DEVICE_ENV, "").strip():
        return _forced_device(os.environ[DEVICE_ENV], f"${DEVICE_ENV}")
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (all devices) for repeatable runs."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1; got {seed!r}.")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds CUDA and MPS generators


def run_seed(default: int = 0) -> int:
    """The seed of this run: ``$COURSE_SEED`` if set (to repeat a lecture with seeds 0, 1, 2), else ``default``.

    Code that re-seeds in the middle of a lecture uses it, ``torch.manual_seed(run_seed() + 1)``,
    so that one variable changes every random choice of the run.
    """
    value = os.environ.get(SEED_ENV, "").strip()
    if not value:
        return default
    try:
        seed = int(value)
    except ValueError:
        raise ValueError(f"${SEED_ENV}={value!r} is not a whole number; use e.g. "
                         f"`export {SEED_ENV}=1`, or unset it for the lecture's own seed.") from None
    if not 0 <= seed < 2**31:
        raise ValueError(f"${SEED_ENV} must be from 0 to 2**31 - 1; got {seed}.")
    return seed


def setup(seed: int | None = 0) -> torch.device:
    """Print the profile and device once at the top of a notebook; return the device.

    It also makes NumPy print its scalars as plain numbers (``0.96``, not NumPy 2's
    ``np.float64(0.96)``): easier to read in outputs, and the form MyST-NB's ``glue``
    needs to format a number in the text (``{glue:text}`name:.2f```).
    """
    if int(np.__version__.split(".")[0]) >= 2:
        np.set_printoptions(legacy="1.25")
    profile = get_profile()
    device = get_device()
    if seed is not None:
        seed = run_seed(seed)
        seed_everything(seed)
    detail = ""
    if device.type == "cuda":
        detail = f" ({torch.cuda.get_device_name(device)})"
    shown = "" if seed is None or seed == 0 else f" | seed {seed}"
    print(f"profile: {profile} | device: {device.type}{detail}{shown} | torch {torch.__version__}")
    return device
