"""requirements.lock, what `make install` installs, satisfies the ranges in requirements.txt and
installs on every Python and platform the README promises.

When a range changes (a new package, a new bound), the first test fails until `make lock` has
refreshed the lock. The resolution test runs uv's resolver on the lock for each promised
Python and platform (metadata only: nothing is downloaded or installed), so a pin that has no
wheel for, or no release supporting, one of them fails here rather than on a student's laptop.
"""
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# What README.md promises: Python 3.10-3.13 (Colab runs 3.12) on Linux (and Windows through
# WSL, which is Linux) on x86-64 and ARM, and macOS 14 or newer on Apple silicon (PyTorch
# publishes no wheels for Intel Macs).
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
PLATFORMS = {"Linux x86-64": ("x86_64-manylinux_2_28", {}),
             "Linux ARM": ("aarch64-manylinux_2_28", {}),
             "macOS 14 Apple silicon": ("aarch64-apple-darwin", {"MACOSX_DEPLOYMENT_TARGET": "14.0"})}


def _requirements(path):
    """The requirements of ``path``, following ``-r other.txt``."""
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            yield from _requirements(path.parent / line[3:].strip())
        elif line:
            yield Requirement(line)


def _pins():
    """name -> [(version, marker)] of requirements.lock (one name may have a pin per Python)."""
    pins = {}
    for req in _requirements(ROOT / "requirements.lock"):
        spec = str(req.specifier)
        assert re.fullmatch(r"==[^,*]+", spec), f"requirements.lock: {req} is not an exact pin"
        pins.setdefault(canonicalize_name(req.name), []).append((spec[2:], req.marker))
    return pins


def test_lock_pins_every_requirement_within_its_range():
    pins = _pins()
    for req in _requirements(ROOT / "requirements.txt"):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in requirements.txt but not in the lock: run `make lock`"
        for version, _ in pins[name]:
            assert req.specifier.contains(version, prereleases=True), \
                f"the lock pins {req.name}=={version}, outside {req.specifier}: run `make lock`"


def test_requirements_are_split_by_use():
    """Colab and Binder install what the notebooks import, not the book, lab or test tools."""
    top = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
           if line.strip() and not line.startswith("#")]
    assert top == [f"-r requirements/{n}.txt" for n in ("notebooks", "book", "labs", "tests")]
    notebooks = {canonicalize_name(r.name) for r in _requirements(ROOT / "requirements/notebooks.txt")}
    assert {"torch", "torchvision", "torch-summary", "torchmetrics", "myst-nb"} <= notebooks
    assert not notebooks & {"jupyter-book", "jupyterlab", "otter-grader", "pytest", "nbval", "uv"}


def test_make_installs_the_lock_by_default():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^REQS\s*\?=\s*\$\(LOCK\)", makefile, re.M)
    assert re.search(r"^STAMP\s*:=.*\$\(REQS\)", makefile, re.M)  # reinstall when the lock changes
    assert "tools/lock.sh" in makefile


def test_readme_and_makefile_promise_the_pythons_tested_here():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(rf"^PY_MIN\s*:=\s*{PYTHONS[0]}$", makefile, re.M)
    assert re.search(rf"^PY_MAX\s*:=\s*{PYTHONS[-1]}$", makefile, re.M)
    assert f"Python {PYTHONS[0]}–{PYTHONS[-1]}" in (ROOT / "README.md").read_text()


def _uv():
    exe = Path(sys.executable).with_name("uv")
    return str(exe) if exe.exists() else shutil.which("uv")


NETWORK = re.compile(r"dns error|Failed to fetch|Could not connect|error sending request|"
                     r"tcp connect|Network is unreachable|timed out", re.I)


def _resolve(uv, python, platform, env):
    """Resolve the lock for one Python and platform. From uv's cache first (0.4 s instead of
    ~8 s of index requests; the pins are exact, so cached metadata answers the same question);
    from the index when the cache lacks something (a fresh machine, a changed lock)."""
    cmd = [uv, "pip", "compile", str(ROOT / "requirements.lock"), "--python-version", python,
           "--python-platform", platform, "--no-header", "--no-annotate", "--quiet"]

    def run(*extra):
        return subprocess.run(cmd + list(extra), capture_output=True, text=True, timeout=600,
                              env=dict(os.environ, **env))

    result = run("--offline")
    if result.returncode:
        online = run()
        if not (online.returncode and NETWORK.search(online.stderr)):
            result = online   # without a network, the cache's answer (and its error) stands
    return result


def test_lock_resolves_for_every_promised_python_and_platform():
    uv = _uv()
    if uv is None:
        pytest.skip("lock resolution skipped: uv is not installed (`make install` installs it)")
    jobs = [(python, name, *PLATFORMS[name]) for python in PYTHONS for name in PLATFORMS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: _resolve(uv, job[0], job[2], job[3]), jobs))
    if all(r.returncode and NETWORK.search(r.stderr) for r in results):
        pytest.skip("lock resolution skipped: no package index reachable and nothing cached")
    pins = _pins()
    for (python, name, _, _), result in zip(jobs, results):
        where = f"Python {python} on {name}"
        assert result.returncode == 0, f"the lock does not install on {where}:\n{result.stderr[-3000:]}"
        resolved = [Requirement(line) for line in result.stdout.splitlines()
                    if line.strip() and not line.startswith("#")]
        assert len(resolved) > 100, f"{where}: only {len(resolved)} packages resolved"
        for req in resolved:  # everything the lock pulls in is pinned by the lock itself
            versions = [v for v, _ in pins.get(canonicalize_name(req.name), [])]
            assert str(req.specifier)[2:] in versions, \
                f"{where} needs {req}, which the lock does not pin: run `make lock`"


def test_binder_installs_the_notebook_runtime_at_the_lock_versions_with_cpu_torch():
    """binder/ (the launch button's environment): the notebooks' packages only, the lock's
    versions, PyTorch's CPU wheels and no CUDA libraries; `make lock` writes it."""
    import yaml

    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime.removeprefix("python-") in PYTHONS
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    pins = _pins()
    binder = {}
    for line in lines:
        if line.strip() and not line.startswith(("#", "--")):
            req = Requirement(line)
            binder[canonicalize_name(req.name)] = str(req.specifier)[2:]
    assert not [n for n in binder if n.startswith(("nvidia-", "cuda-", "triton"))]
    for name, version in binder.items():
        assert version in [v for v, _ in pins.get(name, [])], \
            f"binder pins {name}=={version}, the lock does not: run `make lock`"
    for req in _requirements(ROOT / "requirements/notebooks.txt"):
        assert canonicalize_name(req.name) in binder, f"binder lacks {req.name}: run `make lock`"
    assert not {"jupyter-book", "otter-grader", "pytest", "uv"} & set(binder)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


def _make(*args, **kwargs):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(["make", *args], cwd=ROOT, capture_output=True, text=True, **kwargs)


def test_make_says_in_one_line_what_to_do_with_an_unsupported_python(tmp_path):
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18' && exit 0\nexit 1\n")
    old.chmod(0o755)
    result = _make("-s", "install", f"PYTHON={old}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode != 0 and not (tmp_path / "venv").exists()
    said = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(said) == 1, result.stdout
    assert "needs Python 3.10-3.13" in said[0] and "Python 3.9.18" in said[0]
    assert "PYTHON=python3.12" in said[0]


def test_make_install_torch_cpu_skips_the_cuda_libraries(tmp_path):
    result = _make("-n", "install", "TORCH=cpu", f"VENV={tmp_path / 'venv'}")
    assert "grep -vE '^(nvidia-|cuda-|triton)'" in result.stdout
    assert "--index-url https://download.pytorch.org/whl/cpu" in result.stdout
