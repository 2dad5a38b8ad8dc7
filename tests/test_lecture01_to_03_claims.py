"""Lectures 01-03: glued numbers are defined, and corrected statements do not come back.

Fast static checks (no execution); tests/test_lectures_run.py runs the notebooks and their hidden asserts.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LECTURES = {p.stem[:2]: p for p in sorted((ROOT / "lectures").glob("0[123]_*.ipynb"))}
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`:]+)(?::[^`]*)?`")
GLUE_CALL = re.compile(r"""\bglue\(\s*(f?)(["'])(.+?)\2""")


def _cells(number):
    return json.loads(LECTURES[number].read_text())["cells"]


def _markdown(number, students_only=False):
    """The lecture's markdown; `students_only` leaves out the instructors' note."""
    return "\n".join("".join(c["source"]) for c in _cells(number) if c["cell_type"] == "markdown"
                     and not (students_only and "instructors" in c["metadata"].get("tags", [])))


def _glued_patterns(number):
    """A regex per `glue(...)` call in a code cell; f-string fields match any name part."""
    patterns = []
    for cell in _cells(number):
        if cell["cell_type"] != "code":
            continue
        for is_f, _, name in GLUE_CALL.findall("".join(cell["source"])):
            if is_f:
                parts = re.split(r"\{[^}]*\}", name)
                patterns.append(re.compile(".+".join(map(re.escape, parts)) + "$"))
            else:
                patterns.append(re.compile(re.escape(name) + "$"))
    return patterns


def test_the_three_lectures_are_there():
    assert sorted(LECTURES) == ["01", "02", "03"]


@pytest.mark.parametrize("number", ["01", "02", "03"])
def test_every_glued_name_is_glued_in_a_code_cell(number):
    patterns = _glued_patterns(number)
    used = set(GLUE_ROLE.findall(_markdown(number)))
    assert used, f"lecture {number} glues no numbers into its prose"
    missing = sorted(name for name in used if not any(p.match(name) for p in patterns))
    assert not missing, f"lecture {number}: glued in prose but never glue()d: {missing}"


@pytest.mark.parametrize("number", ["01", "02", "03"])
def test_glue_roles_are_well_formed(number):
    """`{glue:text}`name:.2f`` exactly; a stray brace or a missing role breaks the build."""
    text = _markdown(number)
    assert not re.search(r"\{glue(?::text)?\}`[^`]*\}`", text)
    assert not re.search(r"(?<!\})`\w+:\.\d+f`", text), "a format spec without {glue:text}"


def test_lecture02_does_not_claim_the_code_drops_the_noise():
    text = _markdown("02", students_only=True)
    assert not re.search(r"keep \$?X_?1\$? and \$?X_?2\$? and drop", text)
    assert "informative plane" not in text
    # what it says instead: the code keeps the noise, and scaling decides
    assert "**the noise**" in text and "Scaling decides what counts as signal" in text


def test_lecture01_llm_answer_names_the_chain_rule():
    text = _markdown("01", students_only=True)
    assert "chain rule" in text and r"\prod_{i=1}^{n} p(t_i \mid" in text


def test_lecture03_states_overlap_and_reduce_correctly():
    text = _markdown("03", students_only=True)
    assert "sit next to each other" not in text
    assert "overlap by two cells" in text
    assert not re.search(r"\bavoids?\b[^.]*checkerboard|checkerboard[^.]*\bavoids?\b", text)
    assert "**reduce**" in text and "Odena et al., 2016" in text
