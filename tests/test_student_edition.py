"""The student edition removes exercise solutions from the pages and the downloadable notebooks."""
import json
import re
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


def test_student_sources_of_the_real_lectures_hold_no_solution(tmp_path):
    """Holds before and after every lecture follows the `solution` tag convention."""
    removed = student_edition.write_sources(tmp_path / "src", ROOT)
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
        # the student copy is still a lecture: it opens and sets up like the original
        assert student["cells"][:2] == original["cells"][:2]
    assert in_instructor_sources > 0, "the instructors' lectures should contain the solutions"
    config = yaml.safe_load((tmp_path / "src" / "_config.yml").read_text())
    assert config["title"].endswith("(student edition)")
    # launch buttons would open the repository's notebooks, solutions included
    assert not config["launch_buttons"]["colab_url"] and not config["launch_buttons"]["binderhub_url"]
    assert (tmp_path / "src" / "utils" / "__init__.py").exists()
    assert (tmp_path / "src" / "_toc.yml").exists() and (tmp_path / "src" / "intro.md").exists()
    assert not (tmp_path / "src" / "_build").exists() and not (tmp_path / "src" / "tests").exists()


def test_student_edition_for_a_students_repository_keeps_launch_buttons(tmp_path):
    student_edition.write_sources(tmp_path / "src", ROOT, repo="https://github.com/t/students")
    config = yaml.safe_load((tmp_path / "src" / "_config.yml").read_text())
    assert config["repository"]["url"] == "https://github.com/t/students"
    assert config["launch_buttons"]["colab_url"]
    setup = "".join(json.loads(next((tmp_path / "src" / "lectures").glob("*.ipynb")).read_text())
                    ["cells"][1]["source"])
    assert 'REPO_URL = "https://github.com/t/students"' in setup


def test_student_build_of_a_small_book_has_no_solution_text(tmp_path):
    """One real Jupyter Book build of a two-page book (no execution): pages and downloads."""
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(
        "title: Tiny course\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        "html:\n  use_download_button: true\nlaunch_buttons:\n  colab_url: https://colab.research.google.com\n"
        "repository:\n  url: https://github.com/t/tiny\n  branch: main\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: lectures/page\n")
    (book / "intro.md").write_text("# Tiny course\n\nThe landing page.\n")
    (book / "lectures").mkdir()
    (book / "lectures" / "page.ipynb").write_text(json.dumps(EXERCISE_PAGE, indent=1))
    src, out = tmp_path / "student" / "src", tmp_path / "student"
    student_edition.write_sources(src, book)
    html = student_edition.build(src, out, profile="smoke")
    page = (html / "lectures" / "page.html").read_text()
    download = (html / "_sources" / "lectures" / "page.ipynb").read_text()
    assert "Add two numbers" in page and "Some teaching" in page
    for text in (page, download):
        assert not SOLUTION.search(text)
        assert "Because addition commutes" not in text and "3 + 4" not in text
    assert "For instructors" not in page


@pytest.mark.book
def test_instructor_build_shows_the_solutions(html):
    """The instructors' site (the normal book build) keeps every solution, collapsed."""
    solved = [p for p in sorted((ROOT / "lectures").glob("*.ipynb"))
              if SOLUTION.search(_text(json.loads(p.read_text())))]
    assert solved
    for path in solved:
        assert SOLUTION.search((html / "lectures" / f"{path.stem}.html").read_text()), path.name
        assert SOLUTION.search((html / "_sources" / "lectures" / path.name).read_text()), path.name
