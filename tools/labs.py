"""Release the graded labs: `make labs` (otter-grader's `otter assign` on every notebook in labs/).

Each lab in ``labs/`` is written once, in otter-grader's assignment format: questions, solutions
and public and hidden tests in one notebook. For each lab this tool

1. stages the notebook next to a copy of the course's ``utils`` package and of
   ``labs/requirements.txt`` (what the labs need: CPU PyTorch, otter-grader, mlxtend; not the
   book's tools), which the lab's ``# ASSIGNMENT CONFIG`` ships with the handout and into the
   autograder's environment;
2. runs ``otter assign``, which writes ``OUT/<lab>/student/`` (the notebook to hand out, without
   solutions or hidden tests, its public tests in ``tests/``, ``utils/`` and ``requirements.txt``) and ``OUT/<lab>/autograder/`` (the solution
   notebook and the autograder zip that ``otter run`` and ``otter grade`` take);
3. with ``--check`` (the default), lets otter assign execute the solution notebook against all
   of its tests, so a lab whose own solution fails is never released.

Then grade a submission without Docker: ``otter run -a OUT/<lab>/autograder/<lab>-autograder_*.zip
submission.ipynb`` (see instructors.md).
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABS = ROOT / "labs"


HANDOUT_README = """# {lab}

How to open this lab:

- **On a laptop:** in this folder, `pip install -r requirements.txt` (a CPU is enough), then
  `jupyter lab {lab}.ipynb`.
- **On the class JupyterHub:** open `{lab}.ipynb` in this folder.
- **On Colab:** open `labs/{lab}/{lab}.ipynb` from the course's students' repository; its first
  cell fetches this folder.

Keep `tests/` and `utils/` next to the notebook. Hand in the notebook (`.ipynb`), or the zip its
last cell makes.
"""


def lab_notebooks(folder: Path = LABS) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def stage(lab: Path, staging: Path) -> Path:
    """Copy ``lab`` with ``utils/`` and the labs' ``requirements.txt`` into ``staging``; return the staged notebook."""
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    shutil.copy(lab, staging / lab.name)
    shutil.copytree(ROOT / "utils", staging / "utils",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "figures.py"))
    shutil.copy(LABS / "requirements.txt", staging / "requirements.txt")
    return staging / lab.name


def autograder_zip(result: Path) -> Path:
    """The autograder archive otter assign wrote into ``result/autograder`` (its name has a timestamp)."""
    zips = sorted((result / "autograder").glob("*-autograder_*.zip"))
    if not zips:
        raise FileNotFoundError(f"no autograder zip in {result / 'autograder'}")
    return zips[-1]


def release(lab: Path, out: Path, check: bool = True) -> Path:
    """Run otter assign on one lab; return its result folder ``out/<lab stem>``."""
    from otter.assign import main as otter_assign

    result = out / lab.stem
    master = stage(lab, out / ".staging" / lab.stem)
    if result.exists():
        shutil.rmtree(result)
    otter_assign(str(master), str(result), no_pdfs=True, no_run_tests=not check)
    (result / "student" / "README.md").write_text(HANDOUT_README.format(lab=lab.stem))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "labs")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="do not execute the solutions against their tests")
    parser.add_argument("labs", nargs="*", type=Path, help="lab notebooks (default: all of labs/)")
    args = parser.parse_args(argv)
    labs = [p.resolve() for p in args.labs] or lab_notebooks()
    if not labs:
        print(f"labs: no notebooks in {LABS}", file=sys.stderr)
        return 2
    out = args.out.resolve()
    for lab in labs:
        print(f"labs: releasing {lab.name}", flush=True)
        result = release(lab, out, args.check)
        print(f"  student notebook: {result / 'student' / lab.name}")
        print(f"  autograder:       {autograder_zip(result)}")
    shutil.rmtree(out / ".staging", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
