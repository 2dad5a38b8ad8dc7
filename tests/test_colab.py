"""A lecture's first cell on a Colab runtime: it changes none of Colab's packages, and the
lecture then runs.

The stand-in runtime is a virtual environment holding Colab's versions of the packages its
kernel runs on (COLAB_PINS, installed from the package index), a stand-in ``google.colab``
module imported at kernel start (as Colab does), and every other package of the course's
environment made visible by symlinks (torch and friends are not installed twice), except
those Colab lacks (COLAB_LACKS). The course is fetched from a git repository holding this
working tree, through git's ``insteadOf`` (no network), exactly as the cell fetches it on Colab.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LECTURE = ROOT / "lectures" / "01_generative-vs-discriminative.ipynb"
# the kernel stack of a Colab runtime, which a naive `pip install -r requirements.txt` upgraded
COLAB_PINS = ["ipykernel==6.17.1", "ipywidgets==7.7.1", "jupyter-client==7.4.9",
              "tornado==6.4.2", "notebook==6.5.7", "ipython==7.34.0"]
# what a Colab runtime lacks of requirements/notebooks.txt (tools/colab_install.py adds them)
COLAB_LACKS = {"myst-nb", "torch-summary", "torchmetrics", "lightning-utilities"}
OFFLINE = re.compile(r"Could not find a version|No matching distribution|Failed to establish|"
                     r"Temporary failure in name resolution|Network is unreachable", re.I)


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _versions(python):
    code = ("import importlib.metadata as m, json; print(json.dumps({d.metadata['Name']: d.version"
            " for d in m.distributions() if d.metadata['Name']}))")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return {_canonical(k): v for k, v in json.loads(out.stdout).items()}


def _share(site, sim_site, present):
    """Symlink every distribution of ``site`` that the stand-in lacks, except COLAB_LACKS."""
    linked = set()
    for dist in metadata.distributions(path=[str(site)]):
        name = _canonical(dist.metadata["Name"] or "")
        if not name or name in present or name in COLAB_LACKS or dist.files is None:
            continue
        tops = {Path(str(f)).parts[0] for f in dist.files}
        for top in tops:
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            target = sim_site / top
            if (site / top).exists() and not os.path.lexists(target):
                target.symlink_to(site / top)
        linked.add(name)
    return linked


def _stand_in_runtime(base):
    """The stand-in Colab environment, built once under ``base`` and reused: Colab's kernel
    stack from the package index, the course environment's other packages by symlink."""
    sim = base / "venv"
    python = sim / "bin" / "python"
    ready = base / "ready.json"
    if not ready.exists():
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(sim)], check=True)
        # the venv's own old setuptools would contradict torch's requirement; Colab's does not
        subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", "setuptools"], check=True)
        result = subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                                 "--disable-pip-version-check", *COLAB_PINS],
                                capture_output=True, text=True)
        if result.returncode and OFFLINE.search(result.stderr):
            pytest.skip("Colab simulation skipped: no package index reachable for Colab's versions")
        assert result.returncode == 0, result.stderr[-3000:]
        ready.write_text(json.dumps(_versions(python)))
    own = json.loads(ready.read_text())
    sim_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
    # a previous run's additions go; links to packages the course environment no longer has go
    added = sorted(set(_versions(python)) - set(own) - _linked_names(sim_site))
    if added:
        subprocess.run([str(python), "-m", "pip", "uninstall", "-q", "-y", *added], check=True)
    for link in sim_site.iterdir():
        if link.is_symlink() and not link.exists():
            link.unlink()
    _share(Path(sysconfig.get_paths()["purelib"]), sim_site, set(own))
    return sim, python


def _linked_names(sim_site):
    return {_canonical(p.name.split("-")[0]) for p in sim_site.glob("*.dist-info") if p.is_symlink()}


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """(python of the stand-in runtime, kernel environment, folder like Colab's /content)."""
    tmp = tmp_path_factory.mktemp("colab")
    key = hashlib.sha256(f"{COLAB_PINS} {sys.version} {sys.prefix}".encode()).hexdigest()[:12]
    sim, python = _stand_in_runtime(ROOT / "_build" / f"colab-sim-{key}")

    standin = tmp / "colab-standin" / "google" / "colab"
    standin.mkdir(parents=True)
    (standin.parent / "__init__.py").write_text("")
    (standin / "__init__.py").write_text('"""Stand-in for Colab\'s module (tests/test_colab.py)."""\n')

    # the course as a git repository: this working tree (committed or not), one commit
    repo = tmp / "origin"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    setup = "".join(json.loads(LECTURE.read_text())["cells"][1]["source"])
    ref = re.search(r'^COURSE_REF = "([^"]+)"$', setup, re.M).group(1)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run(git[:5] + ["init", "-q", str(repo)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "release"], check=True)
    if re.fullmatch(r"[0-9a-f]{7,40}", ref):
        pytest.skip(f"COURSE_REF is the commit {ref}; the stand-in repository cannot hold it")
    subprocess.run(git + ["branch" if ref == "main" else "tag", "-f", ref], check=True)

    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    gitconfig = tmp / "gitconfig"
    gitconfig.write_text(f'[url "{repo.as_uri()}"]\n\tinsteadOf = {url}\n'
                         '[protocol "file"]\n\tallow = always\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(PYTHONPATH=str(standin.parent.parent), GIT_CONFIG_GLOBAL=str(gitconfig),
               GIT_CONFIG_NOSYSTEM="1", COURSE_PROFILE="smoke", COURSE_PROGRESS="off",
               COURSE_CHECKS="strict", PATH=f"{sim / 'bin'}{os.pathsep}{os.environ['PATH']}")
    content = tmp / "content"
    content.mkdir()
    return python, env, content


def test_first_cell_changes_no_colab_package_and_the_lecture_runs(colab, tmp_path):
    python, env, content = colab
    before = _versions(python)
    assert before["ipykernel"] == "6.17.1" and "torch" in before and "myst-nb" not in before

    kernels = tmp_path / "kernels" / "colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.exec_lines=['import google.colab']"],
        "display_name": "Colab stand-in", "language": "python", "env": env}))
    nb = nbformat.read(LECTURE, as_version=4)
    os.environ["JUPYTER_PATH"] = str(tmp_path)
    try:
        client = NotebookClient(nb, kernel_name="colab", timeout=600,
                                resources={"metadata": {"path": str(content)}})
        client.execute()
    finally:
        os.environ.pop("JUPYTER_PATH")

    after = _versions(python)
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"the first cell changed Colab's packages: {changed}"
    added = set(after) - set(before)
    assert COLAB_LACKS <= added, f"added {sorted(added)}"
    assert (content / "course" / ".colab-ready").exists()
    assert subprocess.run(["git", "-C", str(content / "course"), "status", "--porcelain"],
                          capture_output=True, text=True).stdout.strip() in ("", "?? .colab-ready")


def test_colab_install_gives_pip_only_missing_names_without_dependencies(monkeypatch, capsys):
    """Unit test of tools/colab_install.py with a pretend runtime: nothing installed is ever
    handed to pip, every call is --no-deps, versions come from the lock, myst-nb's
    dependencies are not followed, and a lab's extra requirement is added the same way."""
    sys.path.insert(0, str(ROOT / "tools"))
    import colab_install

    lock = colab_install.lock_pins(ROOT / "requirements.lock")
    runtime = {n: "0.1" for n in ["torch", "torchvision", "numpy", "pandas", "scikit-learn",
                                  "scikit-image", "mlxtend", "pillow", "matplotlib", "plotly",
                                  "tqdm", "ipywidgets", "ipykernel", "packaging", "ipython",
                                  "nbformat", "docutils", "typing-extensions"]}
    state = dict(runtime)
    calls = []

    def pip(*args):
        calls.append(args)
        for req in args[1:]:
            state[colab_install.name_of(req)] = req.split("==")[1] if "==" in req else "1"

    deps = {"torchmetrics": ["numpy>1.20", "torch>=2.0", "lightning-utilities>=0.15",
                             "packaging>17"],
            "lightning-utilities": ["packaging>=22", "typing-extensions"],
            "otter-grader": ["fica>=0.4"], "fica": [], "torch-summary": []}
    monkeypatch.setattr(colab_install, "installed", lambda: dict(state))
    monkeypatch.setattr(colab_install, "pip", pip)
    monkeypatch.setattr(colab_install, "dependencies", lambda name: deps[name])
    monkeypatch.setattr(colab_install, "missing_module", lambda check: None)
    assert colab_install.main(["otter-grader"]) == 0
    assert all(call[0] == "--no-deps" for call in calls)
    named = [colab_install.name_of(r) for call in calls for r in call[1:]]
    assert not set(named) & set(runtime), f"pip was given installed packages: {named}"
    assert sorted(named) == ["fica", "lightning-utilities", "myst-nb", "otter-grader",
                             "torch-summary", "torchmetrics"]
    for call in calls:
        for req in call[1:]:
            assert req == lock[colab_install.name_of(req)], f"{req} is not the lock's pin"
    assert {n: state[n] for n in runtime} == runtime
    assert "keeping this runtime's" in capsys.readouterr().out  # 0.1 is outside the ranges
