"""The students' repository and its site: `make student` (the public half of a two-repository release).

    python tools/student_edition.py --repo https://github.com/YOU/YOUR-COURSE-students
    python tools/student_edition.py --no-build      # only write the students' repository

A class keeps two repositories (instructors.md, section 1):

- the **instructors' repository** (private): this one, with the exercise solutions in the
  lectures, the labs with their solutions and hidden tests, the tools and the tests;
- the **students' repository** (public), which this tool writes into ``OUT/src``, ready to be
  pushed: the lectures without their solution cells and notes for instructors, the graded labs
  as handed out (``labs/<lab>/``: the notebook, its public tests, ``utils/`` and a slim
  ``requirements.txt``; released by ``tools/labs.py``), ``utils/``, the book's pages without the
  guide for instructors, and a students' README and Makefile.

Everything a student can reach points at the students' repository, never at this one: the
site's repository, issue and launch buttons (``_config.yml``), the JupyterHub (nbgitpuller) link
on the landing page, and ``REPO_URL`` in the setup cell of every lecture and lab, which on Colab
clones the course. ``--repo`` names that repository; without it the tool uses this repository's
address with ``-students`` appended, and says so. A last scan refuses to finish if any file of the
students' repository holds a solution, a hidden test, a note for instructors or this
repository's address.

Then the site is built from ``OUT/src`` with Jupyter Book into ``OUT/_build/html``. A build in the
``smoke`` profile (barely trained models, numbers that mean nothing) carries a banner on every
page saying so: never publish one.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))   # the site's Sphinx extensions
import configure  # noqa: E402  (standard library only)

STRIP_TAGS = ("solution", "instructors")
SOLUTION_TEXT = re.compile(r"Solution to exercise \d")
# never part of the students' repository: builds, caches, the instructors' tools, tests, labs
# (as written, with solutions; their handouts are added from a release), and instructors' files
SKIP = ("_build", ".venv", ".venv-*", "venv", "data", ".git", ".github", ".ci", "tests", "labs", "benchmarks",
        "tools", ".pytest_cache", "__pycache__", ".ipynb_checkpoints", "*.egg-info",
        "instructors.md", "Makefile", "README.md", "pytest.ini", "ALT_TEXT_KEY.txt", "shared")
# what must never reach a student, whatever the file
SECRETS = (re.compile(r"Solution to exercise \d"), re.compile(r"#\s*(BEGIN|END) (SOLUTION|QUESTION|TESTS)\b"),
           re.compile(r"(?m)^\s*# HIDDEN\b"), re.compile(r"For instructors: differences"),
           re.compile(r"#\s*ASSIGNMENT CONFIG"))
from smoke_banner import BANNER as SMOKE_BANNER  # noqa: E402  (the instructors' site shows the same)
REPO_LINE = re.compile(r"""(?m)^([ \t]*REPO_URL[ \t]*=[ \t]*)(["'])([^"'\n]*)\2""")
RUN_SECTION = re.compile(r"(?ms)^## How to run the lectures\n.*?(?=^## )")


def is_solution(cell: dict) -> bool:
    """A cell the student edition deletes: tagged ``solution``, or holding a solution by its text."""
    tags = cell.get("metadata", {}).get("tags", [])
    return any(tag in tags for tag in STRIP_TAGS) or bool(SOLUTION_TEXT.search("".join(cell["source"])))


def strip_notebook(nb: dict) -> tuple[dict, int]:
    """Return ``nb`` without its solution cells, and how many cells were removed."""
    kept = [cell for cell in nb["cells"] if not is_solution(cell)]
    removed = len(nb["cells"]) - len(kept)
    return dict(nb, cells=kept), removed


def rewrite_repo_url(source: str, url: str) -> str:
    """Point every ``REPO_URL = "..."`` line of a cell's source at ``url`` (the rest stays as it is)."""
    return REPO_LINE.sub(lambda m: f'{m.group(1)}"{url}"', source)


def explain_missing_utils(source: str, url: str) -> str:
    """Wrap a lecture's setup cell so that, opened outside the course (a downloaded notebook), it
    says what it needs instead of failing with a bare ``StopIteration``."""
    if re.search(r"(?m)^\s*[%!]", source):      # IPython magics cannot be indented into a try block
        return source
    body = "\n".join(("    " + line) if line.strip() else line for line in source.splitlines())
    return (f"try:\n{body}\nexcept StopIteration:   # no utils/ here or above\n"
            f"    raise RuntimeError(\"This notebook needs the course's `utils` folder, and there is none here \"\n"
            f"                       \"or above this folder. Open it inside a copy of the course (git clone {url}), \"\n"
            f"                       \"or open it in Colab, where this cell fetches the course.\") from None")


def _write_notebook(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def student_notebook(path: Path, url: str, lecture: bool) -> int:
    """Strip one notebook in place and point its setup cell at ``url``; return cells removed."""
    nb, removed = strip_notebook(json.loads(path.read_text()))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if REPO_LINE.search(source):
            source = rewrite_repo_url(source, url)
            if lecture:
                source = explain_missing_utils(source, url)
            cell["source"] = source.splitlines(keepends=True)
    _write_notebook(path, nb)
    return removed


def students_url(instructors_url: str) -> str:
    """The students' repository by default: the instructors' address with ``-students`` appended."""
    return instructors_url.rstrip("/").removesuffix(".git") + "-students"


def _config(text: str, url: str, branch: str | None, smoke: bool) -> str:
    text, _ = configure._sub(configure._CONFIG_URL, url, text)
    if branch:
        text, _ = configure._sub(configure._CONFIG_BRANCH, branch, text)
    title = re.search(r"(?m)^title:\s*(.+)$", text)
    if title and "student edition" not in title.group(1):
        text = text.replace(title.group(0), f"title: {title.group(1).strip()} (student edition)", 1)
    text = re.sub(r"(?m)^[ \t]+announcement:.*\n", "", text)
    if smoke:
        banner = f"  announcement: {json.dumps(SMOKE_BANNER)}\n"
        text, n = re.subn(r"(?m)^html:[ \t]*\n", lambda m: m.group(0) + banner, text, count=1)
        if not n:
            text += f"\nhtml:\n{banner}"
    return text


def _toc(text: str) -> str:
    """The table of contents without the guide for instructors."""
    import yaml

    toc = yaml.safe_load(text)

    def keep(entries):
        return [e for e in entries if not str(e.get("file", "")).startswith("instructors")]

    if "parts" in toc:
        for part in toc["parts"]:
            part["chapters"] = keep(part.get("chapters", []))
        toc["parts"] = [part for part in toc["parts"] if part["chapters"]]
    if "chapters" in toc:
        toc["chapters"] = keep(toc["chapters"])
    return ("# Table of contents of the student edition (written by tools/student_edition.py)\n"
            + yaml.safe_dump(toc, sort_keys=False))


def _how_to_run(url: str, branch: str, labs: bool) -> str:
    name = configure.repo_name(url)
    text = f"""## How to run the lectures

**In Colab:** use the rocket button at the top of a lecture and choose Colab. The notebook's
first cell downloads the course's small `utils` package and the few packages Colab lacks; it
keeps Colab's own PyTorch. Switch the runtime to a GPU for the full-size experiments.

**On a class JupyterHub:** your instructor shares a link that copies the course into your home
folder (and updates it on later clicks without overwriting your work). It has this form, with
the hub's address in place of `HUB`:

```text
https://HUB/hub/user-redirect/git-pull
    ?repo={url}
    &branch={branch}
    &urlpath=lab/tree/{name}/lectures
```

**On your laptop** (Python 3.11, Linux or macOS):

```bash
git clone {url}
cd {name}
make lab     # creates .venv, installs requirements.txt, opens JupyterLab on lectures/
```

A notebook needs the course's `utils` folder: run it inside this copy of the course. A single
downloaded notebook says so in its first cell.

"""
    if labs:
        text += """**Graded labs** are in the folder `labs/` of the course, one folder per lab: the notebook, its
public tests, `utils/` and a short `requirements.txt`. They run on the JupyterHub, on a laptop and
in Colab; the notebook says how to hand it in.

"""
    return text


def _intro(text: str, url: str, branch: str, labs: bool = False) -> str:
    if not RUN_SECTION.search(text):
        raise ValueError("intro.md has no '## How to run the lectures' section (followed by another "
                         "'## ' section) for the student edition to rewrite")
    text = RUN_SECTION.sub(lambda m: _how_to_run(url, branch, labs), text, count=1)
    # the paragraph that sends readers to the guide for instructors
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(p for p in paragraphs if "instructors.md" not in p).rstrip("\n") + "\n"


README = """# {title} (students' repository)

The lectures of the course, without the exercise solutions, and its graded labs as handed out.
The course's site is built from this repository; it says how to run everything.

- `lectures/`: the lecture notebooks; open them in JupyterLab (`make lab`) or in Colab.
- `labs/`: one folder per graded lab (the notebook, its public tests, `utils/` and a slim
  `requirements.txt`). Open the notebook inside its folder; it says how to hand it in.
- `utils/`: the course's small helper package that every notebook imports.

    make lab     # creates .venv, installs requirements.txt, opens JupyterLab on lectures/
    make book    # builds the site into _build/html

This repository is generated from the instructors' copy of the course by `make student`; changes
made here are overwritten by the next release.
"""

MAKEFILE = """# The students' copy of the course (generated by the instructors' `make student`).
PYTHON ?= python3
BIN    := .venv/bin

.PHONY: install lab book
install: .venv/.installed
.venv/.installed: requirements.txt
\ttest -x $(BIN)/python || $(PYTHON) -m venv .venv
\t$(BIN)/python -m pip install --quiet -r requirements.txt
\ttouch $@

lab: install
\t$(BIN)/jupyter lab lectures/

book: install
\t$(BIN)/jupyter-book build .
"""


def add_labs(dest: Path, labs: Path, root: Path = ROOT) -> list[str]:
    """Copy the handouts of a labs release (``labs/<lab>/student`` of ``tools/labs.py``) into
    ``dest/labs``; return the labs' names."""
    names = []
    for student in sorted(labs.glob("*/student")):
        name = student.parent.name
        shutil.copytree(student, dest / "labs" / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.zip"))
        names.append(name)
    if not names:
        raise FileNotFoundError(f"no released lab (a folder <lab>/student) in {labs}: run `make labs` first")
    shutil.copy(root / "labs" / "requirements.txt", dest / "labs" / "requirements.txt")
    return names


def write_sources(dest: Path, root: Path = ROOT, repo: str | None = None, labs: Path | None = None,
                  smoke: bool = False, branch: str | None = None) -> dict[str, int]:
    """Write the students' repository into ``dest``; return the cells removed per notebook.

    ``repo`` is the students' repository (default: :func:`students_url` of this one), ``labs`` a
    folder released by ``tools/labs.py`` whose handouts go to ``dest/labs``; ``smoke`` marks
    every page of the site as a smoke build.
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*SKIP), symlinks=False)
    instructors_url = configure.current_url(root)
    url = (repo or students_url(instructors_url)).rstrip("/")
    if url.removesuffix(".git") == instructors_url.removesuffix(".git"):
        raise ValueError(f"the students' repository must not be the instructors' ({instructors_url}): "
                         "students would reach the solutions and hidden tests through it")
    if labs is not None:
        add_labs(dest, labs, root)
    removed = {}
    for path in sorted(dest.rglob("*.ipynb")):
        relative = path.relative_to(dest)
        removed[str(relative)] = student_notebook(path, url, lecture=relative.parts[0] == "lectures")
    config = dest / "_config.yml"
    config_text = config.read_text()
    branch = branch or configure._CONFIG_BRANCH.search(config_text).group(2)
    config.write_text(_config(config_text, url, branch, smoke))
    if (dest / "_toc.yml").exists():
        (dest / "_toc.yml").write_text(_toc((dest / "_toc.yml").read_text()))
    if (dest / "intro.md").exists():
        (dest / "intro.md").write_text(_intro((dest / "intro.md").read_text(), url, branch, labs is not None))
    title = re.search(r"(?m)^title:\s*(.+)$", config_text)
    (dest / "README.md").write_text(README.format(title=title.group(1).strip() if title else "The course"))
    (dest / "Makefile").write_text(MAKEFILE)
    check_public(dest, instructors_url)
    return removed


def check_public(dest: Path, instructors_url: str) -> None:
    """Refuse a students' repository that holds anything only instructors may see: a solution or
    instructors' cell, a solution or hidden-test marker, or the instructors' repository address."""
    problems = []
    for path in sorted(p for p in dest.rglob("*") if p.is_file()):
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        name = path.relative_to(dest)
        if path.suffix == ".ipynb":
            for cell in json.loads(text)["cells"]:
                tags = cell.get("metadata", {}).get("tags", [])
                if any(tag in tags for tag in STRIP_TAGS):
                    problems.append(f"{name}: a cell tagged {tags}")
        problems += [f"{name}: {pattern.pattern!r}" for pattern in SECRETS if pattern.search(text)]
        if re.search(re.escape(instructors_url.removesuffix(".git")) + r"(?![A-Za-z0-9._~/-])", text):
            problems.append(f"{name}: the instructors' repository address {instructors_url}")
    if problems:
        raise ValueError("the students' repository would expose what only instructors may see:\n  "
                         + "\n  ".join(problems))


def _profile(profile: str | None) -> str:
    """The profile the lectures will run in (``auto`` resolved the way the notebooks resolve it)."""
    if profile:
        return profile
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-c", "from utils import get_profile; print(get_profile())"],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()


def build(src: Path, out: Path, profile: str | None = None) -> Path:
    """Build the students' repository with Jupyter Book (the book's own -W -n settings); return the html folder."""
    env = dict(os.environ)
    env.setdefault("COURSE_DATA_DIR", str(ROOT / "data"))   # share downloads with the main book
    env.setdefault("COURSE_PROGRESS", "off")
    env["COURSE_PROFILE"] = chosen = _profile(profile)
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


def release_labs(out: Path, check: bool = True) -> Path:
    """Release every lab (``tools/labs.py``, in the smoke profile like ``make labs``) into ``out``."""
    import labs as lab_tool

    saved = os.environ.get("COURSE_PROFILE")
    os.environ["COURSE_PROFILE"] = "smoke"   # otter assign runs each solution once against its tests
    try:
        for lab in lab_tool.lab_notebooks():
            print(f"releasing {lab.name}", flush=True)
            lab_tool.release(lab, out, check)
    finally:
        shutil.rmtree(out / ".staging", ignore_errors=True)
        if saved is None:
            os.environ.pop("COURSE_PROFILE", None)
        else:
            os.environ["COURSE_PROFILE"] = saved
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "student",
                        help="output folder (the students' repository in OUT/src, the site in OUT/_build/html)")
    parser.add_argument("--repo", default=None,
                        help="https address of the students' repository (default: this one's + '-students')")
    parser.add_argument("--branch", default=None, help="its branch (default: the branch in _config.yml)")
    parser.add_argument("--labs", type=Path, default=None,
                        help="a folder released by tools/labs.py (default: release the labs now)")
    parser.add_argument("--no-labs", action="store_true", help="leave the graded labs out")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="release the labs without running their solutions against their tests")
    parser.add_argument("--profile", default=None, help="COURSE_PROFILE for executing the lectures")
    parser.add_argument("--no-build", action="store_true", help="write the students' repository only")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    try:
        repo = configure.normalise_url(args.repo) if args.repo else None
    except configure.ConfigureError as error:
        print(f"student_edition: {error}", file=sys.stderr)
        return 2
    if repo is None:
        repo = students_url(configure.current_url(ROOT))
        print(f"students' repository: {repo} (the default; choose it with REPO=... / --repo)")
    labs = None
    if not args.no_labs:
        labs = args.labs.resolve() if args.labs else release_labs(out / "labs", args.check)
    profile = None if args.no_build else _profile(args.profile)
    removed = write_sources(out / "src", ROOT, repo, labs, smoke=profile == "smoke", branch=args.branch)
    for name, count in removed.items():
        if count:
            print(f"  {name}: {count} solution/instructor cell{'s' if count != 1 else ''} removed")
    print(f"the students' repository is in {out / 'src'}: push it to {repo}")
    if args.no_build:
        return 0
    if profile == "smoke":
        print("note: a smoke build is for tests; every page says so. Publish a cpu or full build.")
    html = build(out / "src", out, profile)
    print(f"open {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
