"""Run profiles, device choice and seeding.

One environment variable, ``COURSE_PROFILE``, decides how big every experiment in
the course is:

``smoke``
    seconds per notebook on two CPU cores; used by the tests.
``cpu``
    a laptop without a GPU; every notebook finishes in minutes and still teaches.
``full``
    a CUDA GPU or Apple MPS; the scale of the original lecture.
``auto`` (default)
    ``full`` when CUDA or MPS is available, otherwise ``cpu``.

Notebooks read sizes in place, so a reader sees all three values::

    EPOCHS = by_profile(smoke=1, cpu=5, full=20)
"""
from __future__ import annotations

import os
import random

import numpy as np
import torch

PROFILE_ENV = "COURSE_PROFILE"
PROFILES = ("smoke", "cpu", "full")


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
    """Pick the value for the active profile, e.g. ``by_profile(smoke=1, cpu=5, full=20)``."""
    return {"smoke": smoke, "cpu": cpu, "full": full}[get_profile()]


def is_real_run() -> bool:
    """True in the ``cpu`` and ``full`` profiles: training ran long enough to judge its result.

    Hidden asserts about what a lecture's experiment shows use it; ``smoke`` only checks
    that the code runs.
    """
    return get_profile() != "smoke"


def get_device(prefer: str | None = None) -> torch.device:
    """Choose CUDA, then Apple MPS, then the CPU.

    The original lecture set the device twice in a row, so on a machine with both
    checks the MPS line silently replaced the CUDA choice. Here the first available
    device wins. ``prefer`` (or ``$COURSE_DEVICE``) forces one, e.g. ``"cpu"``.
    """
    prefer = prefer or os.environ.get("COURSE_DEVICE")
    if prefer:
        device = torch.device(prefer)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError("COURSE_DEVICE asks for CUDA, but PyTorch sees no CUDA GPU.")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and PyTorch (all devices) for repeatable runs."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds CUDA and MPS generators


def setup(seed: int | None = 0) -> torch.device:
    """Print the profile and device once at the top of a notebook; return the device."""
    profile = get_profile()
    device = get_device()
    if seed is not None:
        seed_everything(seed)
    detail = ""
    if device.type == "cuda":
        detail = f" ({torch.cuda.get_device_name(device)})"
    print(f"profile: {profile} | device: {device.type}{detail} | torch {torch.__version__}")
    return device
