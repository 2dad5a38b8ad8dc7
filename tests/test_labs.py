"""The graded labs (otter-grader): solutions pass, handed-out notebooks fail, nothing leaks.

`make labs` runs `otter assign` on every notebook of labs/ (tools/labs.py). These tests release
the labs into a temporary folder, then grade

- every lab's solution notebook and its student notebook in this process (the notebook's code
  cells, then the autograder's test files, public and hidden): fast, no kernel start;
- one lab end to end with `otter run`, the command an instructor uses, without Docker.
"""
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
pytest.importorskip("otter", reason="otter-grader is not installed (pip install -r requirements.txt)")
import labs as lab_tool  # noqa: E402
from otter.test_files import ExceptionTestFile  # noqa: E402

LABS = lab_tool.lab_notebooks()
SOLUTION_BLOCK = re.compile(r"#\s*BEGIN SOLUTION\b")


def _cells(path):
    return json.loads(Path(path).read_text())["cells"]


def _text(cell):
    return "".join(cell["source"])


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Every lab released by otter assign (without its own test run: the tests below grade)."""
    out = tmp_path_factory.mktemp("labs")
    for lab in LABS:
        lab_tool.release(lab, out, check=False)
    return out


def _run_in_process(notebook, monkeypatch):
    """Execute a notebook's code cells in one namespace, skipping otter's own cells and
    carrying on after a failing cell, as the autograder does; return the namespace."""
    monkeypatch.chdir(notebook.parent)
    monkeypatch.setattr(sys, "path", list(sys.path))
    env = {"__name__": "__main__"}
    for cell in _cells(notebook):
        source = _text(cell)
        if cell["cell_type"] != "code" or "import otter" in source or source.startswith("grader."):
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(source, str(notebook), "exec"), env)
            except Exception:   # noqa: BLE001 - a student's failing cell must not stop grading
                pass
    return env


def _grade(notebook, autograder_zip, monkeypatch, tmp_path):
    """Score of every question: (points scored, points possible), hidden tests included."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(tmp_path / "autograder")
    env = _run_in_process(notebook, monkeypatch)
    scores = {}
    for test_file in sorted((tmp_path / "autograder" / "tests").glob("*.py")):
        tests = ExceptionTestFile.from_file(str(test_file))
        tests.run(env)
        scores[tests.name] = (tests.score, tests.possible)
    return scores


def test_there_are_at_least_three_labs():
    assert len(LABS) >= 3


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_lab_is_in_otter_assign_format(lab):
    cells = _cells(lab)
    assert cells[0]["cell_type"] == "raw" and _text(cells[0]).startswith("# ASSIGNMENT CONFIG")
    config = _text(cells[0])
    assert "- utils" in config and "ok_format: false" in config
    lecture = sorted((ROOT / "lectures").glob("*.ipynb"))[0]
    setup = [c for c in cells if c["cell_type"] == "code"][0]
    assert _text(setup) == _text(_cells(lecture)[1]), "labs start with the lectures' setup cell"
    questions = [c for c in cells if c["cell_type"] == "raw" and _text(c).startswith("# BEGIN QUESTION")]
    assert len(questions) >= 3
    tests = [c for c in cells if c["cell_type"] == "code" and _text(c).lstrip().startswith("def test_")]
    hidden = [c for c in cells if c["cell_type"] == "code" and _text(c).startswith("# HIDDEN")]
    assert len(tests) >= len(questions) and len(hidden) >= len(questions), "public and hidden tests"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_solution_scores_full_marks_and_student_notebook_none(lab, released, monkeypatch, tmp_path):
    result = released / lab.stem
    autograder = lab_tool.autograder_zip(result)
    solution = _grade(result / "autograder" / lab.name, autograder, monkeypatch, tmp_path / "s")
    assert solution and all(score == possible > 0 for score, possible in solution.values()), solution
    student = _grade(result / "student" / lab.name, autograder, monkeypatch, tmp_path / "h")
    assert student.keys() == solution.keys()
    assert all(score == 0 for score, _ in student.values()), f"the handed-out notebook scores {student}"


def _solution_lines(lab):
    """The lines of a lab that only its solution contains (marked or inside a solution block)."""
    lines, inside_block, inside_cells, elsewhere = set(), False, False, []
    for cell in _cells(lab):
        text = _text(cell)
        if cell["cell_type"] == "raw":
            inside_cells = {"# BEGIN SOLUTION": True, "# END SOLUTION": False}.get(text.strip(), inside_cells)
            continue
        if not inside_cells:
            elsewhere.append(text)
            continue
        for line in text.splitlines():
            if line.strip().startswith("# END SOLUTION"):
                inside_block = False
            elif inside_block or line.rstrip().endswith("# SOLUTION"):
                lines.add(line.replace("# SOLUTION", "").strip())
            elif SOLUTION_BLOCK.match(line.strip()):
                inside_block = True
    elsewhere = "\n".join(elsewhere)
    return {line for line in lines if len(line) >= 12 and line not in elsewhere}


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_student_notebook_holds_no_solution_and_no_hidden_test(lab, released):
    student_file = released / lab.stem / "student" / lab.name
    student = student_file.read_text()
    decoded = json.loads(student)
    everything = "\n".join(_text(c) for c in decoded["cells"]) + json.dumps(decoded["metadata"])
    solution = _solution_lines(lab)
    assert solution, "found no solution lines to look for"
    leaked = [line for line in solution if line in everything]
    assert not leaked, f"solution text in the student notebook: {leaked}"
    hidden = [re.search(r"def (test_\w+)", _text(c)).group(1) for c in _cells(lab)
              if c["cell_type"] == "code" and _text(c).startswith("# HIDDEN")]
    public = [re.search(r"def (test_\w+)", _text(c)).group(1) for c in _cells(lab)
              if c["cell_type"] == "code" and _text(c).lstrip().startswith("def test_")]
    assert hidden and not any(name in everything for name in hidden), "hidden tests leaked"
    assert all(name in everything for name in public), "public tests travel with the notebook"
    # the handout is self-contained: the course's utils travel with it
    assert (student_file.parent / "utils" / "__init__.py").exists()
    assert not list(student_file.parent.glob("*.zip"))


def test_otter_run_grades_without_docker(released, tmp_path):
    """`otter run`, the command instructors.md gives for grading: a lab's solution, full marks.

    (The handed-out notebooks scoring nothing is checked in process above; one kernel is enough
    to show that the autograder zip, with its copy of `utils`, grades without Docker.)
    """
    otter = Path(sys.executable).with_name("otter")
    lab = next((p for p in LABS if "multi-input" in p.stem), LABS[0])
    result = released / lab.stem
    run = subprocess.run([str(otter), "run", "--no-logo", "-a", str(lab_tool.autograder_zip(result)),
                          "-o", str(tmp_path), str(result / "autograder" / lab.name)],
                         capture_output=True, text=True, env=dict(os.environ, COURSE_PROFILE="smoke"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    tests = json.loads((tmp_path / "results.json").read_text())["tests"]
    scores = [(t["score"], t["max_score"]) for t in tests if "max_score" in t]
    assert scores and all(score == possible > 0 for score, possible in scores), scores
