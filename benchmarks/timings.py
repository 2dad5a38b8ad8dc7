"""Execute every lecture in the given profiles and time it: ``make timings``.

Writes ``timings.md`` (a table included by the landing page) and, with ``--keep DIR``,
the executed notebooks, so their outputs can be read::

    python benchmarks/timings.py --profiles smoke cpu --keep _build/timings
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))


def machine() -> str:
    import torch

    cpu = f"{os.cpu_count()} CPU cores ({platform.machine()})"
    if torch.cuda.is_available():
        return f"{cpu}, GPU: {torch.cuda.get_device_name(0)}"
    return f"{cpu}, no GPU"


def run(path: Path, profile: str, keep: Path | None) -> float:
    nb = nbformat.read(path, as_version=4)
    os.environ.update(COURSE_PROFILE=profile, COURSE_PROGRESS="off")
    os.environ.pop("MPLBACKEND", None)  # the kernel must use its inline backend
    client = NotebookClient(nb, timeout=3600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, keep / f"{path.stem}.{profile}.ipynb")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", nargs="+", default=["smoke", "cpu"])
    parser.add_argument("--lectures", nargs="*", help="stems or prefixes, e.g. 03 (default: all)")
    parser.add_argument("--keep", type=Path, help="folder for the executed notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "timings.md")
    args = parser.parse_args()
    lectures = [p for p in LECTURES if not args.lectures or any(p.stem.startswith(s) for s in args.lectures)]
    rows = {}
    for path in lectures:
        for profile in args.profiles:
            seconds = run(path, profile, args.keep)
            rows.setdefault(path.stem, {})[profile] = seconds
            print(f"{path.stem:40s} {profile:6s} {seconds:7.1f} s", flush=True)
    lines = [f"Measured on {machine()}, {time.strftime('%Y-%m-%d')} (`make timings`); "
             "seconds per lecture, the kernel start included.", "",
             "| lecture | " + " | ".join(f"`{p}`" for p in args.profiles) + " |",
             "|---|" + "---:|" * len(args.profiles)]
    for stem, times in rows.items():
        lines.append(f"| {stem} | " + " | ".join(f"{times[p]:.0f}" for p in args.profiles) + " |")
    totals = [sum(t[p] for t in rows.values()) for p in args.profiles]
    lines.append("| **all lectures** | " + " | ".join(f"**{t:.0f}**" for t in totals) + " |")
    args.out.write_text("\n".join(lines) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
