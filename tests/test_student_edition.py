"""The students' repository and site (tools/student_edition.py): no solutions, no hidden tests, no
notes for instructors, and every link, button and setup cell points at the students' repository."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402

SOLUTION = re.compile(r"Solution to exercise \d")


def _cell(kind, text, tags=()):
    cell = {"cell_type": kind, "id": f"c{abs(hash((kind, text))) % 10**8}",
            "metadata": {"tags": list(tags)} if tags else {}, "source": text}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _notebook(*cells):
    return {"cells": list(cells), "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}}


EXERCISE_PAGE = _notebook(
    _cell("markdown", "# A page\n\nSome teaching."),
    _cell("code", "x = 2 + 2  # [1]\nprint(x)"),
    _cell("markdown", ":::{admonition} For instructors: differences from the source course\n"
                      ":class: dropdown\nA note.\n:::", ["instructors"]),
    _cell("markdown", "## Summary\n\n- four"),
    _cell("markdown", "## Exercises\n\n1. Add two numbers.\n2. Explain why."),
    _cell("code", "# Solution to exercise 1\ny = 3 + 4\nprint('seven', y)", ["hide-cell", "solution"]),
    _cell("code", "assert y == 7", ["remove-cell", "solution"]),
    _cell("markdown", ":::{admonition} Solution to exercise 2\n:class: dropdown\n"
                      "Because addition commutes.\n:::", ["solution"]),
)


def _text(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def test_strip_removes_every_solution_cell_and_keeps_the_rest():
    stripped, removed = student_edition.strip_notebook(EXERCISE_PAGE)
    assert removed == 4   # three solution cells and the instructors' note
    assert not SOLUTION.search(_text(stripped))
    assert not any("solution" in c["metadata"].get("tags", []) for c in stripped["cells"])
    assert "Because addition commutes" not in _text(stripped) and "3 + 4" not in _text(stripped)
    # the lecture and the exercise list stay, in order
    assert [c["source"] for c in stripped["cells"]] == [
        c["source"] for c in EXERCISE_PAGE["cells"] if c["source"].startswith(("# A", "x =", "## S", "## E"))]
    # the instructors' source is untouched
    assert len(SOLUTION.findall(_text(EXERCISE_PAGE))) == 2


STUDENTS = "https://github.com/t/students"


def test_student_sources_of_the_real_lectures_hold_no_solution(tmp_path):
    """Holds before and after every lecture follows the `solution` tag convention."""
    removed = student_edition.write_sources(tmp_path / "src", ROOT, repo=STUDENTS)
    lectures = sorted((ROOT / "lectures").glob("*.ipynb"))
    assert lectures
    in_instructor_sources = 0
    for path in lectures:
        original = json.loads(path.read_text())
        student = json.loads((tmp_path / "src" / "lectures" / path.name).read_text())
        expected = sum(student_edition.is_solution(c) for c in original["cells"])
        assert removed[f"lectures/{path.name}"] == expected
        assert len(student["cells"]) == len(original["cells"]) - expected
        for cell in student["cells"]:
            tags = cell["metadata"].get("tags", [])
            assert "solution" not in tags and "instructors" not in tags, path.name
            assert not SOLUTION.search("".join(cell["source"])), f"{path.name}: solution text left"
        in_instructor_sources += len(SOLUTION.findall(_text(original)))
        # the student copy is still a lecture: it opens like the original, and its setup cell
        # clones the students' repository
        assert student["cells"][0] == original["cells"][0]
        setup = "".join(student["cells"][1]["source"])
        assert f'REPO_URL = "{STUDENTS}"' in setup
    assert in_instructor_sources > 0, "the instructors' lectures should contain the solutions"
    config = yaml.safe_load((tmp_path / "src" / "_config.yml").read_text())
    assert config["title"].endswith("(student edition)")
    assert config["repository"]["url"] == STUDENTS
    assert (tmp_path / "src" / "utils" / "__init__.py").exists()
    assert (tmp_path / "src" / "_toc.yml").exists() and (tmp_path / "src" / "intro.md").exists()
    for instructors_only in ("_build", "tests", "tools", "labs", "benchmarks", "instructors.md", "pytest.ini"):
        assert not (tmp_path / "src" / instructors_only).exists(), instructors_only


def _released_labs(tmp_path):
    """A stand-in for tools/labs.py's output: one lab folder with a handout and public tests."""
    student = tmp_path / "released" / "lab9_demo" / "student"
    (student / "tests").mkdir(parents=True)
    (student / "tests" / "q1.py").write_text("OK_FORMAT = False\nname = 'q1'\n")
    lab = _notebook(_cell("markdown", "# Lab 9"), _cell("code", 'REPO_URL = "https://example.org/old/course"\nLAB = "lab9_demo"'))
    (student / "lab9_demo.ipynb").write_text(json.dumps(lab, indent=1))
    return tmp_path / "released"


def test_nothing_a_student_reaches_holds_a_secret_or_the_instructors_repository(tmp_path):
    """The students' repository is everything a student reaches: the site's buttons, the hub link
    and every setup cell's clone point at it, and it holds no solution, hidden test or note for
    instructors. Its own scan refuses a repository that would."""
    src = tmp_path / "src"
    student_edition.write_sources(src, ROOT, repo=STUDENTS, labs=_released_labs(tmp_path))
    instructors = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    # every place a student reaches points at the students' repository
    config = yaml.safe_load((src / "_config.yml").read_text())
    assert config["repository"]["url"] == STUDENTS
    intro = (src / "intro.md").read_text()
    assert f"?repo={STUDENTS}" in intro and "lab/tree/students/lectures" in intro
    assert "instructors.md" not in intro and "For instructors" not in (src / "_toc.yml").read_text()
    assert "rocket button" in intro and config["launch_buttons"]["colab_url"], "the Colab route the intro names exists"
    notebooks = sorted(src.rglob("*.ipynb"))
    assert any(p.parts[-3] == "labs" for p in notebooks), "the lab handouts are in the students' repository"
    for path in notebooks:
        sources = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
        urls = [m.group(3) for s in sources for m in student_edition.REPO_LINE.finditer(s)]
        assert urls and set(urls) == {STUDENTS}, f"{path.relative_to(src)} clones {urls}"
    for path in (p for p in src.rglob("*") if p.is_file() and p.suffix in (".md", ".yml", ".ipynb", ".py", ".txt")):
        text = path.read_text()
        assert instructors not in text, f"{path.relative_to(src)} names the instructors' repository"
        assert not SOLUTION.search(text) and "# HIDDEN" not in text and "BEGIN SOLUTION" not in text, path
    # the scan at the end of write_sources catches what slips through
    (src / "lectures" / "leak.md").write_text("# HIDDEN\ndef test_q1_secret(): ...\n")
    with pytest.raises(ValueError, match="only instructors"):
        student_edition.check_public(src, instructors)
    with pytest.raises(ValueError, match="must not be the instructors'"):
        student_edition.write_sources(tmp_path / "again", ROOT, repo=instructors)


def test_default_students_repository_and_smoke_banner(tmp_path):
    student_edition.write_sources(tmp_path / "src", ROOT, smoke=True)
    config = yaml.safe_load((tmp_path / "src" / "_config.yml").read_text())
    instructors = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert config["repository"]["url"] == instructors + "-students"
    assert "Smoke build" in config["html"]["announcement"]
    for name, folder in config["sphinx"]["local_extensions"].items():   # the site builds from it
        assert (tmp_path / "src" / folder / f"{name}.py").exists(), f"{folder}{name}.py is missing"
    student_edition.write_sources(tmp_path / "cpu", ROOT, repo=STUDENTS)
    assert "announcement" not in yaml.safe_load((tmp_path / "cpu" / "_config.yml").read_text())["html"]


def test_a_downloaded_lecture_says_what_it_needs(tmp_path):
    """Outside the course, the setup cell raises a sentence, not a bare StopIteration."""
    student_edition.write_sources(tmp_path / "src", ROOT, repo=STUDENTS)
    lecture = sorted((tmp_path / "src" / "lectures").glob("*.ipynb"))[0]
    setup = "".join(json.loads(lecture.read_text())["cells"][1]["source"])
    alone = tmp_path / "downloads"
    alone.mkdir()
    run = subprocess.run([sys.executable, "-c", setup], cwd=alone, capture_output=True, text=True)
    assert run.returncode != 0 and "needs the course's `utils` folder" in run.stderr, run.stderr[-2000:]
    assert STUDENTS in run.stderr and "StopIteration" not in run.stderr.splitlines()[-1]
    inside = subprocess.run([sys.executable, "-c", setup + "\nimport utils"], cwd=tmp_path / "src" / "lectures",
                            capture_output=True, text=True)
    assert inside.returncode == 0, inside.stderr[-2000:]


def test_student_build_of_a_small_book_has_no_solution_text(tmp_path):
    """One real Jupyter Book build of a two-page book (no execution): pages and downloads."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(
        "title: Tiny course\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        "html:\n  use_download_button: true\n  use_repository_button: true\nlaunch_buttons:\n  colab_url: https://colab.research.google.com\n"
        "repository:\n  url: https://github.com/t/tiny\n  branch: main\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: lectures/page\n")
    (book / "intro.md").write_text("# Tiny course\n\nThe landing page.\n\n## How to run the lectures\n\n"
                                   "Run them on https://github.com/t/tiny.\n\n## Profiles\n\nsmoke, cpu.\n")
    (book / "lectures").mkdir()
    (book / "lectures" / "page.ipynb").write_text(json.dumps(EXERCISE_PAGE, indent=1))
    src, out = tmp_path / "student" / "src", tmp_path / "student"
    student_edition.write_sources(src, book, repo=STUDENTS, smoke=True)
    html = student_edition.build(src, out, profile="smoke")
    page = (html / "lectures" / "page.html").read_text()
    download = (html / "_sources" / "lectures" / "page.ipynb").read_text()
    assert "Add two numbers" in page and "Some teaching" in page
    for text in (page, download):
        assert not SOLUTION.search(text)
        assert "Because addition commutes" not in text and "3 + 4" not in text
    assert "For instructors" not in page
    assert "Smoke build" in page, "a smoke build says so on every page"
    assert STUDENTS in page and "github.com/t/tiny" not in page, "the buttons point at the students' repository"


@pytest.mark.book
def test_instructor_build_shows_the_solutions(html):
    """The instructors' site (the normal book build) keeps every solution, collapsed."""
    solved = [p for p in sorted((ROOT / "lectures").glob("*.ipynb"))
              if SOLUTION.search(_text(json.loads(p.read_text())))]
    assert solved
    for path in solved:
        assert SOLUTION.search((html / "lectures" / f"{path.stem}.html").read_text()), path.name
        assert SOLUTION.search((html / "_sources" / "lectures" / path.name).read_text()), path.name


def test_smoke_banner_extension_marks_smoke_builds_only(monkeypatch):
    import smoke_banner

    class Config:
        html_theme_options = {"repository_url": "x"}

    for profile, marked in (("smoke", True), ("cpu", False), ("full", False)):
        monkeypatch.setenv("COURSE_PROFILE", profile)
        config = Config()
        smoke_banner._mark(None, config)
        assert ("announcement" in config.html_theme_options) == marked, profile
        assert config.html_theme_options["repository_url"] == "x"


def test_smoke_banner_extension_in_a_real_build(tmp_path):
    """The line the book's _config.yml needs (`local_extensions: {smoke_banner: _ext/}`), in a
    one-page book built with Jupyter Book in the smoke profile."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(
        "title: Tiny\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        f"sphinx:\n  local_extensions:\n    smoke_banner: {ROOT / '_ext'}\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (book / "intro.md").write_text("# Tiny\n\nA page.\n")
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run([str(jb), "build", str(book), "-W", "-n"], capture_output=True, text=True,
                         env=dict(os.environ, COURSE_PROFILE="smoke"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Smoke build" in (book / "_build" / "html" / "intro.html").read_text()


@pytest.mark.book
def test_a_smoke_site_says_so_on_every_page(html):
    """The test suite builds in the smoke profile: its pages must carry the banner."""
    if os.environ.get("COURSE_PROFILE") != "smoke":
        pytest.skip("the banner shows in smoke builds only")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "smoke_banner" in config.get("sphinx", {}).get("local_extensions", {}), \
        "_config.yml: add `sphinx: local_extensions: {smoke_banner: _ext/}` (_ext/smoke_banner.py)"
    pages = [html / "intro.html", html / "instructors.html", *sorted((html / "lectures").glob("*.html"))]
    assert len(pages) >= 11
    for page in pages:   # index.html only redirects to intro.html
        assert "Smoke build" in page.read_text(), page.name
