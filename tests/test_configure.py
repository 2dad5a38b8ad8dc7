"""`make configure REPO=...`: a fork names its own repository everywhere, in one command."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import configure  # noqa: E402

NEW = "https://github.com/some-teacher/gans-spring-term"


@pytest.fixture
def fork(tmp_path):
    """A copy of every file that holds the repository URL."""
    for name in ("_config.yml", "intro.md", "README.md", "instructors.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, tmp_path / name)
    for folder in ("lectures", "labs"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, tmp_path / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return tmp_path


def _setup_cell(path):
    """Cell 1 of a lecture; the first code cell of a lab (its cell 0 is otter's config)."""
    cells = json.loads(path.read_text())["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


def _notebooks(root):
    return sorted((root / "lectures").glob("*.ipynb")) + sorted((root / "labs").glob("*.ipynb"))


def test_configure_rewrites_every_place_and_the_consistency_checks_hold(fork, capsys):
    old = yaml.safe_load((fork / "_config.yml").read_text())["repository"]["url"]
    before = {p: p.read_text() for p in _notebooks(fork)}
    assert configure.main(["--repo", NEW + ".git/", "--root", str(fork)]) == 0
    printed = capsys.readouterr().out
    assert "_config.yml" in printed and "intro.md" in printed

    config = yaml.safe_load((fork / "_config.yml").read_text())
    assert config["repository"]["url"] == NEW
    # the same checks tests/test_notebooks.py makes on the real book
    for path in _notebooks(fork):
        assert f'REPO_URL = "{NEW}"' in _setup_cell(path), path.name
        # nothing else in the notebook changed, byte for byte
        assert path.read_text() == before[path].replace(f'REPO_URL = \\"{old}\\"',
                                                        f'REPO_URL = \\"{NEW}\\"')
        assert f"lectures/{path.name}" in printed or f"labs/{path.name}" in printed
    intro = (fork / "intro.md").read_text()
    assert f"?repo={NEW}" in intro
    assert "lab/tree/gans-spring-term/" in intro, "nbgitpuller clones into a folder named after the repo"
    for name in ("intro.md", "README.md", "instructors.md", "_config.yml"):
        if (fork / name).exists():
            assert old not in (fork / name).read_text(), f"{name} still names {old}"


def test_configure_is_idempotent(fork, capsys):
    configure.main(["--repo", NEW, "--root", str(fork)])
    snapshot = {p: p.read_bytes() for p in fork.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert configure.main(["--repo", NEW, "--root", str(fork)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert snapshot == {p: p.read_bytes() for p in fork.rglob("*") if p.is_file()}


def test_configure_sets_the_branch_of_the_site_and_the_hub_link(fork):
    configure.configure(fork, NEW, branch="spring-2027")
    assert yaml.safe_load((fork / "_config.yml").read_text())["repository"]["branch"] == "spring-2027"
    assert "&branch=spring-2027" in (fork / "intro.md").read_text()


def test_pin_sets_the_release_the_setup_cells_fetch_and_nothing_else(fork, capsys):
    before = {p: p.read_text() for p in _notebooks(fork)}
    old = configure.current_url(fork)
    assert configure.main(["--ref", "v2027.1", "--root", str(fork)]) == 0
    assert "v2027.1" in capsys.readouterr().out
    assert configure.current_url(fork) == old  # no URL given: the URL stays
    for path in _notebooks(fork):
        text = path.read_text()
        if "COURSE_REF = " in before[path]:
            assert 'COURSE_REF = "v2027.1"' in _setup_cell(path), path.name
            ref = re.search(r'COURSE_REF = \\"([^"\\]*)\\"', before[path]).group(1)
            assert text == before[path].replace(f'COURSE_REF = \\"{ref}\\"',
                                                'COURSE_REF = \\"v2027.1\\"')
        else:
            assert text == before[path]
    assert configure.main(["--ref", "v2027.1", "--root", str(fork)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert configure.main(["--ref=-bad", "--root", str(fork)]) == 2


def test_make_pin_names_the_checked_out_tag_or_commit():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "pin"], cwd=ROOT, capture_output=True, text=True)
    assert "git describe --tags --exact-match" in result.stdout and "--ref" in result.stdout


def test_the_real_checkout_is_already_consistent():
    """The shipped repository: configuring it with its own URL changes nothing."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert configure.plan(ROOT, url) == {}


@pytest.mark.parametrize("bad", ["", "github.com/me/repo", "http://github.com/me/repo",
                                 "git@github.com:me/repo.git", "https://github.com/me",
                                 "https://github.com/me/repo/tree/main", "https://github.com/me/re po",
                                 "https://github.com/me/repo?tab=readme"])
def test_configure_rejects_what_is_not_a_repository_url(fork, bad, capsys):
    before = (fork / "_config.yml").read_text()
    assert configure.main(["--repo", bad, "--root", str(fork)]) == 2
    assert "configure:" in capsys.readouterr().err
    assert (fork / "_config.yml").read_text() == before


def test_other_https_git_hosts_are_accepted():
    assert configure.normalise_url("https://gitlab.com/dept/ml/gan-course.git") == \
        "https://gitlab.com/dept/ml/gan-course.git"
    assert configure.repo_name("https://gitlab.com/dept/ml/gan-course.git") == "gan-course"


def test_make_configure_without_repo_says_how(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-s", "configure", "REPO="], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "make configure REPO=https://github.com/OWNER/REPO" in result.stdout + result.stderr
