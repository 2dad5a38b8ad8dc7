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
