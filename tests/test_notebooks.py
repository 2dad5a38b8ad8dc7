"""Conventions every lecture notebook follows (fast checks; tests/test_lectures_run.py executes them)."""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [ch["file"] for part in toc["parts"] for ch in part["chapters"]]


def test_every_lecture_is_in_the_toc_in_order():
    assert LECTURES, "no lecture notebooks found"
    listed = [f for f in _toc_files() if f.startswith("lectures/")]
    assert listed == [f"lectures/{p.stem}" for p in LECTURES]
    assert "instructors" in _toc_files(), "the instructors' guide belongs in the book"
    assert [p.name[:3] for p in LECTURES] == [f"{i:02d}_" for i in range(1, len(LECTURES) + 1)]


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_lecture_conventions(path):
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "strip outputs"
    hidden = [c for c in code if "remove-cell" in c["metadata"].get("tags", [])
              and re.search(r"\bassert\b|check_claim\(", "".join(c["source"]))]
    assert hidden, "needs a hidden (remove-cell) assert cell checking the lecture's outcome"
    source = "\n".join("".join(c["source"]) for c in code)
    assert not re.search(r"allow_errors|NBVAL_SKIP|raises-exception", source)
    assert "from utils import" in source and "setup()" in source


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_setup_cell_clones_the_configured_repository(path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    setup = "".join(_cells(path)[1]["source"])
    assert "google.colab" in setup
    assert f'REPO_URL = "{config["repository"]["url"]}"' in setup


def test_setup_cell_fetches_a_pinned_release_and_changes_no_colab_package():
    """On Colab the cell fetches one release (COURSE_REF, set by `make pin`), not whatever
    main holds later, and installs through tools/colab_install.py, which adds what Colab
    lacks and changes none of its packages (tests/test_colab.py runs it in a Colab stand-in)."""
    setup = "".join(_cells(LECTURES[0])[1]["source"])
    ref = re.search(r'^COURSE_REF = "([^"]+)"$', setup, re.M)
    assert ref, "the setup cell names the release it fetches: COURSE_REF = \"...\""
    assert re.search(r'"fetch".*REPO_URL, COURSE_REF', setup)
    assert "course/tools/colab_install.py" in setup and (ROOT / "tools/colab_install.py").exists()
    assert "pip" not in setup, "installs go through tools/colab_install.py"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_setup_cell_is_a_no_op_outside_colab(path, monkeypatch):
    """Outside Colab the first cell clones nothing, installs nothing, and finds `utils`."""
    import subprocess
    import sys

    def forbidden(*args, **kwargs):
        raise AssertionError(f"the setup cell ran a command outside Colab: {args}")

    monkeypatch.setattr(subprocess, "run", forbidden)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.chdir(path.parent)
    monkeypatch.setattr(sys, "path", list(sys.path))
    exec(compile("".join(_cells(path)[1]["source"]), str(path), "exec"), {})
    assert sys.path[0] == str(ROOT)
    assert not (path.parent / "course").exists()


def _text(cell):
    return "".join(cell["source"])


def _tags(cell):
    return cell["metadata"].get("tags", [])


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_lecture_opens_with_objectives_and_the_cpu_run(path):
    """3-5 learning objectives in the opening cell, and what the `cpu` run shows and costs."""
    opening = _text(_cells(path)[0])
    section = re.search(r"^## Learning objectives\n(.*?)(?=^## |\Z)", opening, re.M | re.S)
    assert section, f"{path.name}: the first cell needs a '## Learning objectives' section"
    bullets = re.findall(r"^- \S", section.group(1), re.M)
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} objectives (3-5 expected)"
    assert re.search(r"`cpu` profile", opening), f"{path.name}: say what the `cpu` run shows"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_one_collapsed_note_for_instructors(path):
    """Differences from the source course live in one collapsed note, tagged `instructors`."""
    notes = [c for c in _cells(path) if "instructors" in _tags(c)]
    assert len(notes) == 1, f"{path.name}: {len(notes)} cells tagged 'instructors' (1 expected)"
    note = _text(notes[0])
    assert notes[0]["cell_type"] == "markdown"
    assert note.startswith(":::{admonition} For instructors") and ":class: dropdown" in note


LEANING = re.compile(r"\bthe original\b|original lecture|source (course|lecture)|DSCI", re.I)


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_student_text_does_not_lean_on_the_source_course(path):
    """Students never saw the source course: only the instructors' note may speak of it."""
    for i, cell in enumerate(_cells(path)):
        if "instructors" in _tags(cell) or "remove-cell" in _tags(cell) or i == 1:
            continue
        found = LEANING.search(_text(cell))
        assert not found, f"{path.name} cell {i}: '{found.group(0)}' outside the instructors' note"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_every_exercise_has_a_solution(path):
    """The exercises close the lecture; each has a solution in cells tagged `solution`.

    Everything after the exercise list is a solution (prose in a dropdown, code in a
    collapsed `hide-cell`), so the student edition can drop those cells and still run.
    """
    cells = _cells(path)
    starts = [i for i, c in enumerate(cells)
              if c["cell_type"] == "markdown" and "## Exercises" in _text(c)]
    assert len(starts) == 1, f"{path.name}: one '## Exercises' section expected"
    listing = _text(cells[starts[0]]).split("## Exercises", 1)[1]
    exercises = set(re.findall(r"^(\d)\. ", listing, re.M))
    assert 2 <= len(exercises) <= 4, f"{path.name}: {len(exercises)} exercises"
    solved = set()
    for cell in cells[starts[0] + 1:]:
        assert "solution" in _tags(cell), f"{path.name}: untagged cell after the exercises"
        solved |= set(re.findall(r"Solution to exercise (\d)", _text(cell)))
        if cell["cell_type"] == "code" and "remove-cell" not in _tags(cell):
            assert "hide-cell" in _tags(cell), f"{path.name}: solution code must be collapsed"
        if cell["cell_type"] == "markdown":
            assert ":class: dropdown" in _text(cell), f"{path.name}: prose solutions collapse"
    assert solved == exercises, f"{path.name}: exercises {sorted(exercises)}, solved {sorted(solved)}"


def test_setup_cells_are_identical():
    """Every lecture starts with the same setup cell: one to read, one to fix."""
    setups = {_text(_cells(path)[1]) for path in LECTURES}
    assert len(setups) == 1, "the lectures' setup cells differ"


def test_landing_page_uses_the_configured_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert f"?repo={config['repository']['url']}" in (ROOT / "intro.md").read_text()
