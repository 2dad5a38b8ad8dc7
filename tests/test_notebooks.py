"""Conventions every lecture notebook follows (fast checks; nbval executes them)."""
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
    assert _toc_files() == [f"lectures/{p.stem}" for p in LECTURES]
    assert [p.name[:3] for p in LECTURES] == [f"{i:02d}_" for i in range(1, len(LECTURES) + 1)]


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.stem)
def test_lecture_conventions(path):
    cells = _cells(path)
    code = [c for c in cells if c["cell_type"] == "code"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "strip outputs"
    hidden = [c for c in code if "remove-cell" in c["metadata"].get("tags", [])
              and "assert" in "".join(c["source"])]
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


def test_colab_install_line_names_only_real_requirements():
    """The Colab cell installs requirements.txt minus torch/torchvision (Colab's own stay)."""
    setup = "".join(_cells(LECTURES[0])[1]["source"])
    pattern = re.search(r're\.match\(r"(.+?)", r\)', setup).group(1)
    reqs = [r.split("#")[0].strip() for r in (ROOT / "requirements.txt").read_text().splitlines()]
    reqs = [r for r in reqs if r]
    kept = [r for r in reqs if not re.match(pattern, r)]
    dropped = sorted(set(reqs) - set(kept))
    assert [r.split("<")[0].split(">")[0] for r in dropped] == ["torch", "torchvision"]
    assert any(r.startswith("torch-summary") for r in kept)


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


def test_exercises_close_every_lecture():
    """Each lecture ends with 2-4 exercises; code solutions are cells, so nbval runs them."""
    for path in LECTURES:
        text = "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")
        section = text.split("## Exercises", 1)
        assert len(section) == 2, f"{path.name}: no Exercises section"
        numbered = re.findall(r"^(\d)\. ", section[1].split("##")[0], flags=re.M)
        assert 2 <= len(set(numbered)) <= 4, f"{path.name}: {len(set(numbered))} exercises"
        solution_cells = [c for c in _cells(path) if c["cell_type"] == "code"
                          and "hide-cell" in c["metadata"].get("tags", [])]
        has_dropdown = ":class: dropdown" in section[1]
        assert solution_cells or has_dropdown, f"{path.name}: solutions must be collapsed"


def test_landing_page_uses_the_configured_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert f"?repo={config['repository']['url']}" in (ROOT / "intro.md").read_text()
