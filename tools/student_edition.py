"""The student edition of the book: the same site with the exercise solutions removed, not hidden.

    python tools/student_edition.py            # or: make student
    python tools/student_edition.py --no-build # only write the sources

Every solution cell of a lecture is tagged ``solution`` (prose in a "Solution to exercise N"
dropdown, code in ``hide-cell``/``remove-cell`` cells after the ``## Exercises`` cell) and nothing
else depends on them. This tool copies the book's sources to ``_build/student/src``, deletes those
cells from every notebook (and the collapsed notes tagged ``instructors``), and builds the copy
with Jupyter Book into ``_build/student/_build/html``. The site's download buttons then serve the
stripped notebooks.

The launch buttons (Colab, Binder, JupyterHub) of the instructors' site open the notebooks of the
repository, solutions included, so the student edition turns them off; ``--repo URL`` keeps them,
pointing at a repository where you published ``_build/student/src`` (a students' repository).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRIP_TAGS = ("solution", "instructors")
SOLUTION_TEXT = re.compile(r"Solution to exercise \d")
# never part of the book's sources
SKIP = ("_build", ".venv", ".venv-*", "venv", "data", ".git", ".github", ".ci", "tests", "labs", "benchmarks",
        "tools", ".pytest_cache", "__pycache__", ".ipynb_checkpoints", "*.egg-info")


def is_solution(cell: dict) -> bool:
    """A cell the student edition deletes: tagged ``solution``, or holding a solution by its text."""
    tags = cell.get("metadata", {}).get("tags", [])
    return any(tag in tags for tag in STRIP_TAGS) or bool(SOLUTION_TEXT.search("".join(cell["source"])))


def strip_notebook(nb: dict) -> tuple[dict, int]:
    """Return ``nb`` without its solution cells, and how many cells were removed."""
    kept = [cell for cell in nb["cells"] if not is_solution(cell)]
    removed = len(nb["cells"]) - len(kept)
    return dict(nb, cells=kept), removed


def strip_file(path: Path) -> int:
    """Strip one notebook in place, keeping the repository's JSON layout; return cells removed."""
    nb, removed = strip_notebook(json.loads(path.read_text()))
    if removed:
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return removed


def write_sources(dest: Path, root: Path = ROOT, repo: str | None = None) -> dict[str, int]:
    """Copy the book's sources to ``dest`` and strip every notebook; return cells removed per notebook."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*SKIP), symlinks=False)
    removed = {}
    for path in sorted(dest.rglob("*.ipynb")):
        removed[str(path.relative_to(dest))] = strip_file(path)
    config = dest / "_config.yml"
    text = config.read_text()
    if repo:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import configure
        configure.configure(dest, repo)
        text = config.read_text()
    else:
        # the launch buttons would open the repository's notebooks, solutions included
        for key in ("colab_url", "binderhub_url", "jupyterhub_url"):
            text = re.sub(rf"(?m)^(\s+{key}:)[ \t]*\S*", r'\1 ""', text)
    title = re.search(r"(?m)^title:\s*(.+)$", text)
    if title and "student edition" not in title.group(1):
        text = text.replace(title.group(0), f"title: {title.group(1).strip()} (student edition)", 1)
    config.write_text(text)
    return removed


def build(src: Path, out: Path, profile: str | None = None) -> Path:
    """Build the stripped copy with Jupyter Book (the book's own -W -n settings); return the html folder."""
    env = dict(os.environ)
    env.setdefault("COURSE_DATA_DIR", str(ROOT / "data"))   # share downloads with the main book
    env.setdefault("COURSE_PROGRESS", "off")
    if profile:
        env["COURSE_PROFILE"] = chosen = profile
    else:   # resolve `auto` the way the notebooks will
        chosen = subprocess.run([sys.executable, "-c", "from utils import get_profile; print(get_profile())"],
                                cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    env["COURSE_PROFILE"] = chosen
    # the execution cache keys on code only: drop it when the profile changes (as `make book` does)
    stamp = out / ".profile"
    if stamp.exists() and stamp.read_text().strip() != chosen:
        shutil.rmtree(out / "_build" / ".jupyter_cache", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    stamp.write_text(chosen + "\n")
    print(f"building the student edition in the '{chosen}' profile")
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(src), "--path-output", str(out), "-W", "-n", "--keep-going"],
                   env=env, check=True)
    return out / "_build" / "html"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student",
                        help="build folder (sources in OUT/src, site in OUT/_build/html)")
    parser.add_argument("--repo", default=None,
                        help="a students' repository holding OUT/src: keeps the launch buttons, pointed there")
    parser.add_argument("--profile", default=None, help="COURSE_PROFILE for executing the lectures")
    parser.add_argument("--no-build", action="store_true", help="write the stripped sources only")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    removed = write_sources(out / "src", ROOT, args.repo)
    for name, count in removed.items():
        print(f"  {name}: {count} solution/instructor cell{'s' if count != 1 else ''} removed")
    if args.no_build:
        print(f"student sources in {out / 'src'}")
        return 0
    html = build(out / "src", out, args.profile)
    print(f"open {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
