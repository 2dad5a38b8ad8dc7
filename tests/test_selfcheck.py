"""Self-check questions (utils/selfcheck.py): clear errors for a badly written question, HTML that
gives feedback without a server, and in every lecture one block of 5-8 questions between the
summary and the exercises, kept in the student edition."""
import ast
import html
import json
import re
import sys
from pathlib import Path

import pytest

from utils.selfcheck import Question, SelfCheck, self_check

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import student_edition  # noqa: E402


def _q(**change):
    args = dict(text="Which is `right`?", options=["this one", "that one", "neither"], answer=0,
                why=["It is.", "It is not.", "One of them is."])
    args.update(change)
    return Question(**args)


@pytest.mark.parametrize("change, message", [
    (dict(text=" "), "needs its text"),
    (dict(options=["only one"], why=["x"]), "give 2-5 options"),
    (dict(options=["a", "a", "b"]), "same text"),
    (dict(options=["a", "", "b"]), "non-empty strings"),
    (dict(answer=3), "index of the right option, 0-2"),
    (dict(answer=True), "index of the right option"),
    (dict(why=["one", "two"]), "one explanation per option"),
])
def test_a_badly_written_question_gets_a_clear_error(change, message):
    with pytest.raises(ValueError, match=message):
        _q(**change)


def test_self_check_needs_questions():
    with pytest.raises(ValueError, match="list of Question"):
        self_check([])
    with pytest.raises(ValueError, match="list of Question"):
        self_check(["What is 2 + 2?"])


def test_html_has_one_radio_group_per_question_and_the_feedback_for_each_option():
    check = self_check([_q(), _q(text="Second <question> & more?", answer=2)])
    page = check._repr_html_()
    assert page.count("<fieldset>") == 2 and page.count('type="radio"') == 6
    assert len(set(re.findall(r'name="([^"]+)"', page))) == 2            # one group per question
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))                                     # ids are unique
    inputs = re.findall(r'<input[^>]*\bid="([^"]+)"', page)
    assert len(inputs) == 6 and all(f'<label for="{i}">' in page for i in inputs)  # each labelled
    assert "Second &lt;question&gt; &amp; more?" in page                  # text is escaped
    assert "<code>right</code>" in page                                  # `code` is code
    verdicts = re.findall(r'<input[^>]*data-verdict="(right|wrong)"', page)
    assert verdicts == ["right", "wrong", "wrong", "wrong", "wrong", "right"]
    feedback = [html.unescape(f) for f in re.findall(r'data-feedback="([^"]*)"', page)]
    assert feedback[0] == "Right. It is." and feedback[1] == "Not this one. It is not."
    assert 'role="status"' in page and "onchange=" in page
    assert "<script" not in page and "http" not in page                  # nothing to run or fetch
    assert self_check([_q()]).key == self_check([_q()]).key              # stable across builds


def test_text_form_shows_questions_and_options_but_not_the_answers():
    text = repr(self_check([_q()]))
    assert "1. Which is `right`?" in text and "a) this one" in text and "c) neither" in text
    assert "It is." not in text and "Right" not in text


# ---- the lectures ----

def _cells(path):
    return json.loads(path.read_text())["cells"]


def _self_check_cells(cells):
    return [i for i, c in enumerate(cells) if "self-check" in c["metadata"].get("tags", [])]


def _questions(cell) -> SelfCheck:
    """Run the cell's code (it only builds the questions) and return what its last line shows."""
    tree = ast.parse("".join(cell["source"]))
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), "the self-check cell ends with self_check([...])"
    namespace = {}
    exec(compile(tree, "self-check", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "self-check", "eval"), namespace)


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem[:2])
def test_every_lecture_ends_its_main_text_with_5_to_8_questions(path):
    cells = _cells(path)
    found = _self_check_cells(cells)
    assert len(found) == 1, f"{path.name}: one code cell tagged self-check, found {len(found)}"
    at = found[0]
    cell = cells[at]
    assert cell["cell_type"] == "code" and "hide-input" in cell["metadata"]["tags"]
    assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True   # JupyterLab hides it too
    heading = "".join(cells[at - 1]["source"])
    assert cells[at - 1]["cell_type"] == "markdown" and heading.startswith("## Check yourself")
    starts = ["".join(c["source"]).lstrip()[:14] for c in cells]
    summary = next(i for i, s in enumerate(starts) if s.startswith("## Summary"))
    exercises = next(i for i, s in enumerate(starts) if s.startswith("## Exercises"))
    assert summary < at < exercises, f"{path.name}: the questions go after the summary, before the exercises"
    check = _questions(cell)
    assert 5 <= len(check.questions) <= 8, f"{path.name}: {len(check.questions)} questions"
    answers = [q.answer for q in check.questions]
    assert len(set(answers)) > 1, f"{path.name}: the right option is always number {answers[0] + 1}"


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem[:2])
def test_the_student_edition_keeps_the_questions(path):
    stripped, _ = student_edition.strip_notebook(json.loads(path.read_text()))
    assert len(_self_check_cells(stripped["cells"])) == 1
