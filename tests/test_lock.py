"""requirements.lock, what `make install` installs, must satisfy the ranges in requirements.txt.

When requirements.txt changes (a new package, a new range), this fails until `make lock`
has refreshed the lock.
"""
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _lines(name):
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line


def test_lock_pins_every_requirement_within_its_range():
    pins = {}
    for line in _lines("requirements.lock"):
        req = Requirement(line)
        spec = str(req.specifier)
        assert re.fullmatch(r"==[^,*]+", spec), f"requirements.lock: {line!r} is not an exact pin"
        pins[canonicalize_name(req.name)] = spec[2:]
    for line in _lines("requirements.txt"):
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in requirements.txt but not in the lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"the lock pins {req.name}=={pins[name]}, outside {req.specifier}: run `make lock`"


def test_make_installs_the_lock_by_default():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^REQS\s*\?=\s*\$\(LOCK\)", makefile, re.M)
    assert re.search(r"^STAMP\s*:=.*\$\(REQS\)", makefile, re.M)  # reinstall when the lock changes
    assert "tools/lock.sh" in makefile
