"""Install what the course's notebooks import into a ready-made runtime (Colab) without
changing any package that is already installed.

The setup cell of every lecture runs it on Colab, right after fetching the course:

    python course/tools/colab_install.py

A lab's setup cell adds the grader: ``python course/tools/colab_install.py otter-grader``
(extra requirements after the options, at the lock's versions; ``--requirements`` picks
another list than ``requirements/notebooks.txt``). The rules:

- a requirement of ``requirements/notebooks.txt`` whose package is installed, at any version,
  is left alone: Colab's own torch, numpy, ipykernel, ipywidgets... (a version outside the
  course's range is reported in one line, not changed);
- a missing one is installed at the version ``requirements.lock`` pins (where the lock's
  marker applies), with ``--no-deps``; so are the dependencies it lacks, level by level.
  pip is only ever given names that are not installed, so it cannot upgrade or downgrade
  anything, even where the runtime's own packages disagree with each other (``pip check``);
- ``myst-nb`` is installed without its dependencies: the notebooks only call
  ``myst_nb.glue``, which needs IPython, nbformat and docutils, not Sphinx or a new
  Jupyter stack. A module it still lacks is installed on its own, the same way;
- afterwards the installed versions are compared with those before: any change is an error.

Standard library only (it runs before anything is installed); ``packaging`` is used when the
runtime has it (Colab does) to read version ranges and markers.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.metadata as metadata
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# installed without their dependencies (see above), then checked by importing
NO_DEPS = {"myst-nb": "from myst_nb import glue"}
# the package that provides a module, where the names differ
PACKAGE_OF = {"yaml": "pyyaml", "PIL": "pillow", "sklearn": "scikit-learn"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(path: Path) -> list[str]:
    """The requirement lines of ``path``, following ``-r other.txt``, comments dropped."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            lines += requirements(path.parent / line[3:].strip())
        elif line:
            lines.append(line)
    return lines


def name_of(requirement: str) -> str:
    return canonical(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def installed() -> dict[str, str]:
    """name -> version of every distribution this Python sees."""
    importlib.invalidate_caches()
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(canonical(name), dist.version)
    return found


def _applies(line: str) -> bool:
    """Whether the environment marker after ';' holds here (True without packaging)."""
    if ";" not in line:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:
        return True
    return Marker(line.split(";", 1)[1]).evaluate()


def lock_pins(lock: Path) -> dict[str, str]:
    """name -> ``name==version`` of the lock's pins whose markers hold here."""
    pins = {}
    if lock.exists():
        for line in requirements(lock):
            if _applies(line):
                pins[name_of(line)] = line.split(";", 1)[0].strip()
    return pins


def outside_range(requirement: str, version: str) -> bool:
    try:
        from packaging.requirements import Requirement
    except ImportError:
        return False
    return not Requirement(requirement).specifier.contains(version, prereleases=True)


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", *args], check=True)


def dependencies(name: str) -> list[str]:
    """The requirements (without extras' ones) of the installed distribution ``name``,
    as ``name<specifier>``, where their markers hold here."""
    deps = []
    importlib.invalidate_caches()
    for line in metadata.distribution(name).requires or []:
        try:
            from packaging.requirements import Requirement
        except ImportError:  # without packaging: skip every requirement with a marker
            if ";" not in line:
                deps.append(line)
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            deps.append(f"{req.name}{req.specifier}")
    return deps


def missing_module(check: str) -> str | None:
    """The module ``check`` fails to import, or None when it runs."""
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    if result.returncode == 0:
        return None
    found = re.search(r"No module named '([\w.]+)'", result.stderr)
    if not found:
        raise RuntimeError(f"`{check}` fails:\n{result.stderr[-2000:]}")
    return found.group(1).split(".")[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements" / "notebooks.txt")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--dry-run", action="store_true", help="say what would be installed")
    parser.add_argument("extra", nargs="*", help="more requirements, e.g. otter-grader (labs)")
    args = parser.parse_args(argv)

    before = installed()
    pins = lock_pins(args.lock)
    wanted, kept = [], []
    for req in requirements(args.requirements) + args.extra:
        if not _applies(req):
            continue
        name = name_of(req)
        if name in before:
            if outside_range(req.split(";", 1)[0], before[name]):
                kept.append(f"{name} {before[name]}")
            continue
        wanted.append(pins.get(name, req.split(";", 1)[0].strip()))
    if kept:
        print(f"keeping this runtime's {', '.join(kept)} (the course is tested with "
              f"the ranges in {args.requirements.name}; most things still work)")
    if not wanted:
        print("every package the notebooks need is already installed")
        return 0
    print(f"installing {' '.join(wanted)}" + (" (dry run)" if args.dry_run else ""))
    if args.dry_run:
        return 0

    # Only names that are not installed are ever given to pip, each with --no-deps, so pip
    # cannot upgrade or downgrade anything; the dependencies they lack are added level by
    # level the same way (at the lock's versions), except for NO_DEPS packages, which get
    # only the modules their import needs.
    level, seen = wanted, set(before)
    while level:
        pip("--no-deps", *level)
        seen |= {name_of(req) for req in level}
        following = []
        for req in level:
            if name_of(req) in NO_DEPS:
                continue
            for dep in dependencies(name_of(req)):
                name = name_of(dep)
                if name not in seen and name not in {name_of(f) for f in following}:
                    following.append(pins.get(name, dep))
        level = following
    for name, check in NO_DEPS.items():
        if name not in {name_of(w) for w in wanted}:
            continue
        for _ in range(10):  # add what the import still lacks, one module at a time
            module = missing_module(check)
            if module is None:
                break
            package = PACKAGE_OF.get(module, module)
            if canonical(package) in seen:
                raise RuntimeError(f"`{check}` lacks {module}, but {package} is installed")
            print(f"{name} needs the module {module}: installing {package}")
            pip("--no-deps", pins.get(canonical(package), package))
            seen.add(canonical(package))

    after = installed()
    changed = [f"{n} {before[n]} -> {after.get(n, 'removed')}"
               for n in before if after.get(n) != before[n]]
    if changed:
        print("error: the install changed packages of this runtime: " + ", ".join(changed),
              file=sys.stderr)
        return 1
    added = sorted(set(after) - set(before))
    print(f"added {len(added)} package(s), changed none: {' '.join(added)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
