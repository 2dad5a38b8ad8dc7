"""The graded labs (otter-grader): fair grading, nothing leaks, and they run where we say.

`make labs` runs `otter assign` on every notebook of labs/ (tools/labs.py). These tests release
the labs into a temporary folder, then

- grade every lab's solution notebook, its student notebook and a set of other submissions in
  this process (the notebook's code cells, then the autograder's test files, public and hidden):
  valid answers written differently must score full marks, and each classic bug must lose points
  in its own question and only there (``SUBMISSIONS`` below);
- check that every test failure says what it got and what it expected;
- run one lab end to end with `otter run`, the command an instructor uses, without Docker;
- run one lab as a student on Colab would (a stand-in ``google.colab`` module and a Colab-like
  IPython shell): its setup cell clones the students' repository and the grader finds the tests.

    python tests/test_labs.py      # prints the grading table of every submission
"""
import ast
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
import student_edition  # noqa: E402
from otter.test_files import ExceptionTestFile  # noqa: E402

LABS = lab_tool.lab_notebooks()
SOLUTION_BLOCK = re.compile(r"#\s*BEGIN SOLUTION\b")
CASCADE = re.compile(r"does not exist: the (training )?cell .* (did not run|failed)")

# Other submissions: each is the lab's solution with a few edits, (regex, replacement) applied to
# its code cells (every regex must match: a stale edit is an error, not a silent pass).
# A "valid" submission must score full marks; a "bug" must lose points in the question named
# (and only there: points go to the question where the mistake is).
SUBMISSIONS = {
    "lab1_denoising": [
        ("valid: floor division by math.floor, 2-2-0 upsampling, max-pool encoder, torch.normal, "
         "model.zero_grad, float(loss)", "valid", [
            (r"def conv2d_out\(", "import math\n\n\ndef conv2d_out("),
            (r"return \(n \+ 2 \* p - k\) // s \+ 1", "return math.floor((n + 2 * p - k) / s) + 1"),
            (r"KERNEL, STRIDE, PADDING = 4, 2, 1", "KERNEL, STRIDE, PADDING = 2, 2, 0"),
            (r"(?s)self\.encoder = nn\.Sequential\(.*?\n        \)\n        self\.decoder = nn\.Sequential\(.*?\n        \)\n",
             "self.encoder = nn.Sequential(\n"
             "            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # [N, 16, 14, 14]\n"
             "            nn.Conv2d(16, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # [N, 4, 7, 7]\n"
             "        )\n"
             "        self.decoder = nn.Sequential(\n"
             "            nn.ConvTranspose2d(4, 16, 2, stride=2), nn.ReLU(),   # [N, 16, 14, 14]\n"
             "            nn.ConvTranspose2d(16, 1, 2, stride=2), nn.Sigmoid(),   # [N, 1, 28, 28]\n"
             "        )\n"),
            (r"return \(images \+ std \* torch\.randn_like\(images\)\)\.clamp\(0, 1\)",
             "return torch.clip(images + torch.normal(0.0, std, size=images.shape), 0.0, 1.0)"),
            (r"optimizer\.zero_grad\(\)", "model.zero_grad()"),
            (r"return loss\.item\(\)", "return float(loss)"),
        ], None),
        ("valid: linear bottleneck, 6-2-2 upsampling, zero_grad after the step", "valid", [
            (r"KERNEL, STRIDE, PADDING = 4, 2, 1", "KERNEL, STRIDE, PADDING = 6, 2, 2"),
            (r"(?s)self\.encoder = nn\.Sequential\(.*?\n        \)\n        self\.decoder = nn\.Sequential\(.*?\n        \)\n",
             "self.encoder = nn.Sequential(\n"
             "            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),   # [N, 8, 14, 14]\n"
             "            nn.Flatten(), nn.Linear(8 * 14 * 14, 64),              # [N, 64]\n"
             "        )\n"
             "        self.decoder = nn.Sequential(\n"
             "            nn.Linear(64, 8 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (8, 7, 7)),   # [N, 8, 7, 7]\n"
             "            nn.ConvTranspose2d(8, 8, 6, stride=2, padding=2), nn.ReLU(),     # [N, 8, 14, 14]\n"
             "            nn.ConvTranspose2d(8, 1, 6, stride=2, padding=2), nn.Sigmoid(),  # [N, 1, 28, 28]\n"
             "        )\n"),
            (r"    optimizer\.zero_grad\(\)\n((?:.*\n){3})", r"\1    optimizer.zero_grad()\n"),
        ], None),
        ("bug: train_step without optimizer.zero_grad()", "bug",
         [(r"\n *optimizer\.zero_grad\(\)", "")], "q4"),
        ("bug: true division in conv2d_out", "bug",
         [(r"return \(n \+ 2 \* p - k\) // s \+ 1", "return (n + 2 * p - k) / s + 1")], "q1"),
        ("bug: output_padding ignored", "bug",
         [(r" \+ output_padding  # SOLUTION", "  # SOLUTION")], "q1"),
        ("bug: noise not clipped to [0, 1]", "bug",
         [(r"\(images \+ std \* torch\.randn_like\(images\)\)\.clamp\(0, 1\)",
           "images + std * torch.randn_like(images)")], "q4"),
        ("bug: the autoencoder trained on clean inputs", "bug",
         [(r"loss_fn\(model\(noisy\), clean\)", "loss_fn(model(clean), clean)")], "q4"),
    ],
    "lab2_gan": [
        ("valid: class-based players, wider, two hidden layers; numpy means", "valid", [
            (r"G = nn\.Sequential\(.*\n", "class Generator(nn.Module):\n"
             "    def __init__(self):\n        super().__init__()\n"
             "        self.net = nn.Sequential(nn.Linear(LATENT_DIM, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))\n"
             "    def forward(self, z):\n        return self.net(z)\n\n\nG = Generator()\n"),
            (r"D = nn\.Sequential\(.*", "class Discriminator(nn.Module):\n"
             "    def __init__(self):\n        super().__init__()\n"
             "        self.net = nn.Sequential(nn.Linear(1, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))\n"
             "    def forward(self, x):\n        return torch.sigmoid(self.net(x))\n\n\nD = Discriminator()"),
            (r'd_real_end = sum\(history\["D_real"\]\[-200:\]\) / 200',
             'import numpy as np\nd_real_end = float(np.mean(history["D_real"][-200:]))'),
            (r'history\["D_fake"\]\.append\(out_fake\.mean\(\)\.item\(\)\)',
             'history["D_fake"].append(float(out_fake.mean()))'),
        ], None),
        ("valid: fresh fakes for the generator's step", "valid", [
            (r"update_G\(fake, D, loss_fn, optimizer_G\)",
             "update_G(G(torch.randn(batch_size, LATENT_DIM)), D, loss_fn, optimizer_G)"),
        ], None),
        ("bug: a Tanh at the generator's output", "bug",
         [(r"nn\.Linear\(16, 1\)\)  # SOLUTION", "nn.Linear(16, 1), nn.Tanh())  # SOLUTION")], "q1"),
        ("bug: a discriminator without a sigmoid", "bug",
         [(r", nn\.Sigmoid\(\)\)  # SOLUTION", ")  # SOLUTION")], "q1"),
        ("bug: the generator's step on detached fakes (G never learns)", "bug",
         [(r"update_G\(fake, D,", "update_G(fake.detach(), D,")], "q2"),
    ],
    "lab3_multi-input": [
        ("valid: table features first in torch.cat; accuracy divides by len(images)", "valid", [
            (r"torch\.cat\(\[self\.image_branch\(image\), self\.table_branch\(table\)\], dim=1\)",
             "torch.cat((self.table_branch(table), self.image_branch(image)), 1)"),
            (r"return \(predictions == targets\)\.float\(\)\.mean\(\)\.item\(\)",
             "return (predictions == targets).sum().item() / len(images)"),
        ], None),
        ("valid: dropout in the image branch", "valid",
         [(r"nn\.Linear\(16 \* 7 \* 7, 16\), nn\.ReLU\(\),",
           "nn.Dropout(0.25), nn.Linear(16 * 7 * 7, 16), nn.ReLU(),")], None),
        ("valid: sigmoid > 1/2, images.shape[0], .to(device)", "valid", [
            (r"predictions = \(model\(images, table\) > 0\)\.float\(\)",
             "predictions = (torch.sigmoid(model(images.to(device), table.to(device))) > 0.5).float()"),
            (r"return \(predictions == targets\)\.float\(\)\.mean\(\)\.item\(\)",
             "return float((predictions == targets).sum()) / images.shape[0]"),
        ], None),
        ("bug: train_epoch without optimizer.zero_grad()", "bug",
         [(r"\n *optimizer\.zero_grad\(\)", "")], "q3"),
        ("bug: a sigmoid in the head (with BCEWithLogitsLoss)", "bug",
         [(r"self\.head = nn\.Linear\(16 \+ 8, 1\)", "self.head = nn.Sequential(nn.Linear(16 + 8, 1), nn.Sigmoid())")],
         "q1"),
        ("bug: counts without biases; len() of the parameter list", "bug", [
            (r"conv_params = 8 \* \(1 \* 3 \* 3\) \+ 8", "conv_params = 8 * (1 * 3 * 3)"),
            (r"total_params = sum\(p\.numel\(\) for p in model\.parameters\(\)\)",
             "total_params = len(list(model.parameters()))"),
        ], "q2"),
        ("bug: train_epoch returns the sum of the batch losses", "bug",
         [(r"return sum\(losses\) / len\(losses\)", "return sum(losses)")], "q3"),
    ],
}


def _cells(path):
    return json.loads(Path(path).read_text())["cells"]


def _text(cell):
    return "".join(cell["source"])


def _test_cells(lab):
    """The test cells of a lab: (source, hidden)."""
    cells = [c for c in _cells(lab) if c["cell_type"] == "code"]
    tests = [_text(c) for c in cells if re.match(r"(# HIDDEN\n)?def test_", _text(c))]
    return [(source, source.startswith("# HIDDEN")) for source in tests]


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """Every lab released by otter assign (without its own test run: the tests below grade)."""
    out = tmp_path_factory.mktemp("labs")
    for lab in LABS:
        lab_tool.release(lab, out, check=False)
    return out


@contextlib.contextmanager
def _inside(folder):
    """Run in ``folder`` with a copy of sys.path, as a notebook opened there would."""
    cwd, path = os.getcwd(), list(sys.path)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
        sys.path[:] = path


def _run_in_process(notebook):
    """Execute a notebook's code cells in one namespace, skipping the grader's own cells and
    carrying on after a failing cell, as the autograder does; return the namespace."""
    env = {"__name__": "__main__"}
    with _inside(notebook.parent):
        for cell in _cells(notebook):
            source = _text(cell)
            if cell["cell_type"] != "code" or "import otter" in source or "grader." in source:
                continue
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    exec(compile(source, str(notebook), "exec"), env)
                except Exception:   # noqa: BLE001 - a student's failing cell must not stop grading
                    pass
    return env


def grade(notebook, autograder_zip, folder):
    """Every question's (points scored, points possible, failure messages), hidden tests included."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(folder / "autograder")
    env = _run_in_process(notebook)
    scores = {}
    for test_file in sorted((folder / "autograder" / "tests").glob("*.py")):
        tests = ExceptionTestFile.from_file(str(test_file))
        tests.run(env)
        failures = [r.message for r in tests.test_case_results if not r.passed]
        scores[tests.name] = (tests.score, tests.possible, failures)
    return scores


def submission(solution, edits, dest):
    """Write the solution notebook with ``edits`` applied to its code cells into ``dest``."""
    nb = json.loads(Path(solution).read_text())
    for pattern, replacement in edits:
        matched = 0
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["source"], n = re.subn(pattern, replacement, _text(cell))
                matched += n
        assert matched, f"the edit {pattern!r} matches nothing in {solution.name}: update SUBMISSIONS"
    dest.write_text(json.dumps(nb))
    return dest


def test_there_are_at_least_three_labs():
    assert len(LABS) >= 3
    assert set(SUBMISSIONS) == {lab.stem for lab in LABS}, "every lab has valid and buggy submissions"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_lab_is_in_otter_assign_format(lab):
    cells = _cells(lab)
    assert cells[0]["cell_type"] == "raw" and _text(cells[0]).startswith("# ASSIGNMENT CONFIG")
    config = _text(cells[0])
    for setting in ("- utils", "- requirements.txt", "files: true", "ok_format: false", "init_cell: false",
                    "export_cell: false"):
        assert setting in config, f"{lab.name}: the assignment config lacks {setting!r}"
    code = [_text(c) for c in cells if c["cell_type"] == "code"]
    setup, init = code[0], code[1]
    lecture = sorted((ROOT / "lectures").glob("*.ipynb"))[0]
    repo_line = re.search(r'(?m)^REPO_URL = ".*"$', _text(_cells(lecture)[1])).group(0)
    assert repo_line in setup, "labs clone the same repository as the lectures (make configure rewrites both)"
    assert f'LAB = "{lab.stem}"' in setup and 'LAB_DIR / "tests"' in init and "otter.Notebook(" in init
    assert code[-1].startswith('if "google.colab" in sys.modules:') and "grader.export(" in code[-1]
    questions = [c for c in cells if c["cell_type"] == "raw" and _text(c).startswith("# BEGIN QUESTION")]
    assert len(questions) >= 3
    tests = _test_cells(lab)
    assert sum(not hidden for _, hidden in tests) >= len(questions) <= sum(hidden for _, hidden in tests)


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_every_assert_of_a_test_explains_itself(lab):
    """A bare `AssertionError:` tells a student nothing: every assert carries a message, and every
    message of a failed comparison says what was expected."""
    for source, _ in _test_cells(lab):
        function = ast.parse(source.removeprefix("# HIDDEN\n")).body[0]
        for node in ast.walk(function):
            if isinstance(node, ast.Assert):
                assert node.msg is not None, f"{lab.name}, {function.name}: `{ast.unparse(node.test)}` has no message"
                message = ast.unparse(node.msg)
                assert "expected" in message or "still" in message or "not defined" in message \
                    or "does not exist" in message, f"{lab.name}, {function.name}: {message} says nothing expected"


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_solution_scores_full_marks_and_student_notebook_none(lab, released, tmp_path):
    result = released / lab.stem
    autograder = lab_tool.autograder_zip(result)
    solution = grade(result / "autograder" / lab.name, autograder, tmp_path / "s")
    assert solution and all(score == possible > 0 for score, possible, _ in solution.values()), solution
    student = grade(result / "student" / lab.name, autograder, tmp_path / "h")
    assert student.keys() == solution.keys()
    assert all(score == 0 for score, _, _ in student.values()), f"the handed-out notebook scores {student}"
    # what the blank handout is told: the unanswered question, never a crash inside a test
    for question, (_, _, failures) in student.items():
        for message in failures:
            assert "AssertionError" in message and ("expected" in message or "still" in message
                                                    or "not defined" in message or "does not exist" in message), \
                f"{question}: the blank handout gets {message}"


CASES = [(lab, name, kind, edits, question) for lab in LABS
         for name, kind, edits, question in SUBMISSIONS.get(lab.stem, [])]


@pytest.mark.parametrize("lab, name, kind, edits, question", CASES, ids=[f"{c[0].stem}: {c[1]}" for c in CASES])
def test_submissions_score_what_they_deserve(lab, name, kind, edits, question, released, tmp_path):
    result = released / lab.stem
    notebook = submission(result / "autograder" / lab.name, edits, result / "autograder" / f"{tmp_path.name}.ipynb")
    try:
        scores = grade(notebook, lab_tool.autograder_zip(result), tmp_path)
    finally:
        notebook.unlink()
    table = {q: f"{s:g}/{p:g}" for q, (s, p, _) in scores.items()}
    if kind == "valid":
        assert all(s == p for s, p, _ in scores.values()), f"a valid answer loses points: {table} {scores}"
        return
    assert scores[question][0] < scores[question][1], f"the bug ({name}) costs nothing in {question}: {table}"
    # a later question may lose points only when the bug stopped a cell it needs from running,
    # and then its message says so ("... does not exist: the cell ... did not run / failed")
    others = {q: v for q, v in scores.items() if q != question and v[0] < v[1]
              and not all(CASCADE.search(message) for message in v[2])}
    assert not others, f"the bug ({name}) in {question} also costs points in {sorted(others)}: {table} {others}"
    for message in scores[question][2]:
        assert "expected" in message, f"{question}: the message does not say what was expected: {message}"


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


def secrets(lab):
    """What must never reach a student: solution lines and the names of hidden tests."""
    hidden = {re.search(r"def (test_\w+)", source).group(1) for source, h in _test_cells(lab) if h}
    return _solution_lines(lab), hidden


@pytest.mark.parametrize("lab", LABS, ids=lambda p: p.stem)
def test_student_folder_holds_no_solution_and_no_hidden_test(lab, released):
    folder = released / lab.stem / "student"
    decoded = json.loads((folder / lab.name).read_text())
    everything = "\n".join(_text(c) for c in decoded["cells"]) + json.dumps(decoded["metadata"])
    tests = "\n".join(p.read_text() for p in sorted((folder / "tests").glob("*.py")))
    solution, hidden = secrets(lab)
    assert solution, "found no solution lines to look for"
    leaked = [line for line in solution if line in everything or line in tests]
    assert not leaked, f"solution text in the student folder: {leaked}"
    assert hidden and not any(name in everything + tests for name in hidden), "hidden tests leaked"
    public = [re.search(r"def (test_\w+)", s).group(1) for s, h in _test_cells(lab) if not h]
    assert all(name in tests for name in public), "the public tests travel with the handout, in tests/"
    # the handout is self-contained: the course's utils and the labs' requirements travel with it
    assert (folder / "utils" / "__init__.py").exists() and (folder / "requirements.txt").exists()
    assert "otter-grader" in (folder / "requirements.txt").read_text()
    assert "pip install -r requirements.txt" in (folder / "README.md").read_text()
    assert not list(folder.glob("*.zip"))


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


COLAB = """# a stand-in for Google Colab: the module its runtime imports, and its IPython shell's name
import sys, types
sys.modules.setdefault("google", types.ModuleType("google"))
sys.modules["google.colab"] = types.ModuleType("google.colab")
shell = get_ipython()
shell.__class__ = type("Shell", (type(shell),), {"__module__": "google.colab._shell"})
assert "google.colab" in str(get_ipython())
"""


def test_a_lab_runs_on_colab(released, tmp_path):
    """A student opens a lab on (simulated) Colab: the setup cell clones the students' repository,
    `grader.check` finds the public tests there, the check-all cell runs, and the hand-in cell
    asks for a download instead of calling otter's export (which refuses to run on Colab)."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat
    students = tmp_path / "students"
    url = students.as_uri()
    student_edition.write_sources(students, ROOT, repo=url, labs=released)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(students)]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "students"]):
        subprocess.run(git + command, check=True)
    # the students' repository holds every handout, and no solution line or hidden test of any lab
    public = "\n".join(p.read_text() for p in (students / "labs").rglob("*")
                       if p.suffix in (".ipynb", ".py", ".md") and "utils" not in p.parts)
    for lab in LABS:
        assert (students / "labs" / lab.stem / lab.name).exists()
        solution, hidden = secrets(lab)
        assert not [line for line in solution if line in public] and not [h for h in hidden if h in public]
    lab = next((p for p in LABS if "multi-input" in p.stem), LABS[0])
    # the solved notebook, as a student who answered everything would have it, on a bare runtime
    content = tmp_path / "content"
    content.mkdir()
    nb = nbformat.read(released / lab.stem / "autograder" / lab.name, as_version=4)
    for cell in nb.cells:
        cell.source = student_edition.rewrite_repo_url(cell.source, url)
    nb.cells.insert(0, nbformat.v4.new_code_cell(COLAB))
    nb.cells.append(nbformat.v4.new_code_cell('print("otter sees", grader.interpreter)'))
    env = dict(os.environ, COURSE_PROFILE="smoke", COURSE_PROGRESS="off")
    env.pop("JPY_SESSION_NAME", None)
    client = nbclient.NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(content)}})
    with _environment(env):
        client.execute()
    assert (content / "course" / "labs" / lab.stem / "tests").is_dir(), "the setup cell did not clone the lab"
    outputs = {i: "".join(o.get("text", "") + json.dumps(o.get("data", {})) for o in c.get("outputs", []))
               for i, c in enumerate(nb.cells) if c.cell_type == "code"}
    checks = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith("grader.check(")]
    assert checks and all("passed" in outputs[i] for i in checks), [outputs[i][:300] for i in checks]
    hand_in = max(i for i, c in enumerate(nb.cells) if "grader.export(" in c.source)
    assert "Download .ipynb" in outputs[hand_in]
    assert "otter sees IPythonInterpreter.COLAB" in outputs[max(outputs)], "otter did not take this for Colab"


@contextlib.contextmanager
def _environment(env):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main():
    """Print the grading table of every submission (the solution, the handout, SUBMISSIONS)."""
    import tempfile
    out = Path(tempfile.mkdtemp(prefix="labs-"))
    print("| lab | submission | score | per question |\n|---|---|---|---|")
    for lab in LABS:
        result = lab_tool.release(lab, out, check=False)
        autograder = lab_tool.autograder_zip(result)
        rows = [("reference solution", [], result / "autograder" / lab.name),
                ("blank handout", [], result / "student" / lab.name)]
        rows += [(name, edits, None) for name, _, edits, _ in SUBMISSIONS[lab.stem]]
        for k, (name, edits, notebook) in enumerate(rows):
            notebook = notebook or submission(result / "autograder" / lab.name, edits,
                                              result / "autograder" / f"submission{k}.ipynb")
            scores = grade(notebook, autograder, out / f"{lab.stem}-{k}")
            total = sum(s for s, _, _ in scores.values())
            possible = sum(p for _, p, _ in scores.values())
            per = ", ".join(f"{q} {s:g}/{p:g}" for q, (s, p, _) in scores.items())
            print(f"| {lab.stem} | {name} | {total:g}/{possible:g} | {per} |", flush=True)


if __name__ == "__main__":
    main()
