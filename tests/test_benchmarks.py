"""The benchmarks: DCGAN throughput runs (tiny, on the CPU) and the timings table's merge."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
TINY = ["--size", "8", "--channels", "4", "--batch-size", "4", "--images", "8",
        "--source-size", "16", "--steps", "2", "--warmup", "1", "--workers", "0"]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def throughput():
    return load("dcgan_throughput")


@pytest.fixture(scope="module")
def timings():
    return load("timings")


@pytest.fixture
def on_cpu(monkeypatch):
    """The CPU, one thread: tiny steps on several threads spend their time waiting for each other."""
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# --------------------------------------------------------------------------- throughput
def test_every_cpu_pipeline_and_flag_runs_with_the_shared_update_steps(
        throughput, on_cpu, tmp_path, monkeypatch):
    calls = {"D": 0, "G": 0}

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(throughput, "update_D", counted("D", throughput.update_D))
    monkeypatch.setattr(throughput, "update_G", counted("G", throughput.update_G))
    rc = throughput.main(TINY + ["--channels-last", "--bf16", "--fused-adam", "--ladder",
                                 "--limit", "--out", str(tmp_path)])
    assert rc == 0
    data = json.loads((tmp_path / "cpu.json").read_text())
    names = [r["name"] for r in data["results"]]
    assert names == ["reference", "course", "course +channels_last",
                     "course +channels_last +bf16", "course +channels_last +bf16 +fused_adam",
                     "limit +channels_last +bf16 +fused_adam"]
    for r in data["results"]:
        assert r["error"] is None and r["images_per_s"] > 0, r
    assert data["flops_per_step"] > 0
    assert set(data["summary"]) == {"best_course", "speedup_over_reference", "share_of_limit",
                                    "limit_compared_with"}
    assert data["summary"]["limit_compared_with"] == "course +channels_last +bf16 +fused_adam"
    # 6 runs of warm-up + timed steps, plus the one step whose operations are counted
    assert calls["D"] == calls["G"] == 6 * (1 + 2) + 1
    md = (tmp_path / "cpu.md").read_text()
    assert md.count("\n| **") == 6 and "the reference pipeline" in md


def test_course_batches_are_resident_and_channels_last(throughput, on_cpu, tmp_path):
    _, args = throughput.parse_args(TINY)
    folder = tmp_path / "faces"
    throughput.write_image_folder(folder, args.images, args.source_size)
    batches = throughput.course_batches(folder, args, torch.device("cpu"), True, tmp_path)
    real = next(batches)
    assert real.shape == (4, 3, 8, 8)  # [B, 3, S, S]
    assert real.is_contiguous(memory_format=torch.channels_last)
    assert -1.0 <= real.min() and real.max() <= 1.0
    batches.close()


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_cuda_graph_is_refused_clearly_without_cuda(throughput, on_cpu, capsys):
    with pytest.raises(SystemExit) as exit_info:
        throughput.main(TINY + ["--cuda-graph", "--no-save"])
    assert exit_info.value.code == 2
    assert "--cuda-graph needs a CUDA GPU" in capsys.readouterr().err


def test_compile_flag_is_planned_and_needs_a_compiler_on_the_cpu(
        throughput, on_cpu, capsys, monkeypatch):
    # compiling takes far longer than a unit test may; check the plan and the refusal
    assert throughput.main(TINY + ["--compile", "--bf16", "--ladder", "--limit", "--check"]) == 0
    planned = re.findall(r"would run: (.+)", capsys.readouterr().out)
    assert planned == ["reference", "course", "course +bf16", "course +bf16 +compile",
                       "limit +bf16 +compile"]
    monkeypatch.setattr(throughput.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit):
        throughput.main(TINY + ["--compile", "--check"])
    assert "needs a C++ compiler" in capsys.readouterr().err


def test_bad_arguments_are_refused(throughput, capsys):
    with pytest.raises(SystemExit):
        throughput.parse_args(["--images", "8", "--batch-size", "64"])
    assert "--images (8) must be at least --batch-size (64)" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        throughput.parse_args(["--steps", "0"])
    assert "--steps must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        throughput.parse_args(["--folder", "/no/such/folder"])
    assert "--folder /no/such/folder is not a folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- timings
OLD = """Measured on 2 CPU cores (x86_64), no GPU, 2026-11-23 (`make timings`); seconds per lecture.

| lecture | `smoke` | `cpu` |
|---|---:|---:|
| 01_a | 8 | 7 |
| 02_b | 14 | 16 |
| **all lectures** | **22** | **24** |
"""
GPU = "16 CPU cores (x86_64), GPU: NVIDIA H200; measured 2026-11-24"


def test_timings_merge_adds_a_column_and_keeps_the_others(timings):
    text = timings.merge_timings(OLD, {"01_a": {"full": 3.4}, "02_b": {"full": 5.2}}, GPU)
    assert "| lecture | `smoke` | `cpu` | `full` |" in text
    assert "| 01_a | 8 | 7 | 3 |" in text and "| 02_b | 14 | 16 | 5 |" in text
    # untouched columns keep their total (cells are rounded), the new one is summed
    assert "| **all lectures** | **22** | **24** | **9** |" in text
    assert "- `smoke`, `cpu`: 2 CPU cores (x86_64), no GPU; measured 2026-11-23." in text
    assert f"- `full`: {GPU}." in text
    # merging again reads the new layout back: nothing changes
    assert timings.merge_timings(text, {}, GPU) == text


def test_timings_merge_of_part_of_a_column_and_a_failure(timings):
    text = timings.merge_timings(OLD, {"02_b": {"full": timings.FAILED}}, GPU)
    assert "| 01_a | 8 | 7 | – |" in text and "| 02_b | 14 | 16 | failed |" in text
    assert text.splitlines()[6].endswith("| – |")  # no total for an incomplete column
    text = timings.merge_timings(text, {"01_a": {"cpu": 9.0}}, "elsewhere; measured 2026-11-25",
                                 lectures=["01_a"])
    assert "02_b" not in text and "| **all lectures** | **8** | **9** |\n" in text
    rows, notes, _ = timings.parse_timings(text)
    assert rows == {"01_a": {"smoke": 8.0, "cpu": 9.0}}
    assert notes["cpu"] == "elsewhere; measured 2026-11-25"


@pytest.mark.skipif(torch.cuda.is_available() or torch.backends.mps.is_available(),
                    reason="checks the refusal on a machine without a GPU")
def test_timings_refuses_the_full_profile_without_a_gpu(timings, capsys, tmp_path):
    with pytest.raises(SystemExit):
        timings.main(["--profiles", "full", "--out", str(tmp_path / "t.md")])
    assert "the full profile needs a CUDA GPU" in capsys.readouterr().err
    assert not (tmp_path / "t.md").exists()


def test_gpu_wheels_are_the_packages_installed_here():
    """The wheels carried to an offline GPU machine are packages this environment runs.

    requirements.txt has ranges, so a newer install may hold newer versions than the ones
    pinned in gpu_wheels.sh: that is a warning (refresh the pins), not a failure.
    """
    script = (ROOT / "benchmarks" / "gpu_wheels.sh").read_text()
    pins = re.findall(r"\b([A-Za-z][\w.-]*)==([\w.]+)", script.split("WHEELS=(")[1].split(")")[0])
    assert len(pins) > 30
    drift = []
    for name, pinned in pins:
        try:
            installed = version(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is listed in gpu_wheels.sh but not installed here")
        if installed != pinned:
            drift.append(f"{name}=={installed} (pinned {pinned})")
    if drift:
        warnings.warn("gpu_wheels.sh pins other versions than installed: " + ", ".join(drift))
