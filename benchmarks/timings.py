"""Execute every lecture in the given profiles and time it: ``make timings``.

Runs headless, without Jupyter Book: it needs only PyTorch and what the lectures import,
plus nbclient, nbformat and ipykernel to execute notebooks (on a machine without network,
carry them as wheels: ``benchmarks/gpu_wheels.sh``). Updates ``timings.md`` (a table
included by the landing page): the profiles it runs replace their columns, the other
columns stay, and a note under the table names the machine of each column. With
``--keep DIR`` it also writes the executed notebooks, so their outputs can be read::

    python benchmarks/timings.py --profiles smoke cpu --keep _build/timings
    python benchmarks/timings.py --profiles full --lectures 05     # on a GPU machine

A lecture that fails is recorded as ``failed`` (its notebook is kept, with the error,
when ``--keep`` is given) and the exit status is 1.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURES = sorted((ROOT / "lectures").glob("*.ipynb"))
PROFILE_ORDER = ("smoke", "cpu", "full")
FAILED = "failed"
TOTAL = "**all lectures**"


# --------------------------------------------------------------------------- timings.md
def parse_timings(text: str) -> tuple[dict, dict, dict]:
    """Read a ``timings.md``: ``({lecture: {profile: seconds or "failed"}}, notes, totals)``.

    ``notes[profile]`` says on what machine and when its column was measured;
    ``totals[profile]`` is the total row's cell as written (the cells are rounded, so a
    column that is not re-measured keeps its total rather than a sum of rounded cells).
    Also reads the older layout, whose first line ``Measured on MACHINE, DATE (...``
    covered every column.
    """
    rows: dict[str, dict] = {}
    notes: dict[str, str] = {}
    totals: dict[str, str] = {}
    profiles: list[str] = []
    legacy = None
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"Measured on (.+), (\d{4}-\d{2}-\d{2}) \(", line)
        if m:
            legacy = f"{m.group(1)}; measured {m.group(2)}"
            continue
        m = re.match(r"- ((?:`\w+`(?:, )?)+): (.+)\.$", line)
        if m:
            for p in re.findall(r"`(\w+)`", m.group(1)):
                notes[p] = m.group(2)
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "lecture":
            profiles = [c.strip("`") for c in cells[1:]]
        elif cells[0] == TOTAL:
            totals.update(zip(profiles, cells[1:]))
        elif set(cells[0]) <= set("-:") or not profiles:
            continue
        else:
            row = rows.setdefault(cells[0], {})
            for p, c in zip(profiles, cells[1:]):
                if c == FAILED:
                    row[p] = FAILED
                elif c not in ("", "–", "-"):
                    row[p] = float(c)
    if legacy:
        for p in profiles:
            notes.setdefault(p, legacy)
    return rows, notes, totals


def _order(profiles) -> list[str]:
    known = [p for p in PROFILE_ORDER if p in profiles]
    return known + sorted(p for p in profiles if p not in PROFILE_ORDER)


def _cell(value) -> str:
    if value is None:
        return "–"
    return value if value == FAILED else f"{value:.0f}"


def format_timings(rows: dict, notes: dict, totals: dict | None = None) -> str:
    """The Markdown of ``timings.md``: one column per profile, a total, a note per machine.

    A profile's total is taken from ``totals`` when given there, else summed.
    """
    totals = totals or {}
    profiles = _order({p for times in rows.values() for p in times})
    lines = ["Seconds per lecture, the kernel start included (`make timings`, which runs "
             "`benchmarks/timings.py`).", "",
             "| lecture | " + " | ".join(f"`{p}`" for p in profiles) + " |",
             "|---|" + "---:|" * len(profiles)]
    for stem in sorted(rows):
        lines.append(f"| {stem} | " + " | ".join(_cell(rows[stem].get(p)) for p in profiles) + " |")
    total_cells = []
    for p in profiles:
        values = [times.get(p) for times in rows.values()]
        complete = all(isinstance(v, float) for v in values)
        total_cells.append(totals.get(p) or (f"**{sum(values):.0f}**" if complete else "–"))
    lines.append(f"| {TOTAL} | " + " | ".join(total_cells) + " |")
    lines.append("")
    by_note: dict[str, list[str]] = {}
    for p in profiles:
        by_note.setdefault(notes.get(p, "machine not recorded"), []).append(p)
    for note, ps in by_note.items():
        lines.append("- " + ", ".join(f"`{p}`" for p in ps) + f": {note}.")
    return "\n".join(lines) + "\n"


def merge_timings(old_text: str | None, new_rows: dict, note: str,
                  lectures: list[str] | None = None) -> str:
    """``timings.md`` with the new measurements merged in.

    ``new_rows`` is ``{lecture: {profile: seconds or "failed"}}``; each profile it holds
    gets ``note`` (machine and date) and a new total. Cells and profiles it does not hold
    are kept. ``lectures``, if given, drops rows of lectures that no longer exist.
    """
    rows, notes, totals = parse_timings(old_text or "")
    for stem, times in new_rows.items():
        rows.setdefault(stem, {}).update(times)
        for p in times:
            notes[p] = note
            totals.pop(p, None)
    if lectures is not None and set(rows) - set(lectures):
        rows = {stem: times for stem, times in rows.items() if stem in lectures}
        totals = {}  # rows are gone: sum again
    return format_timings(rows, notes, totals)


# --------------------------------------------------------------------------- running
def machine() -> str:
    import torch

    cpu = f"{os.cpu_count()} CPU cores ({platform.machine()})"
    if torch.cuda.is_available():
        return f"{cpu}, GPU: {torch.cuda.get_device_name(0)}"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return f"{cpu}, Apple MPS"
    return f"{cpu}, no GPU"


def missing_packages() -> list[str]:
    """The packages needed to execute notebooks that this Python cannot import."""
    import importlib.util

    return [m for m in ("nbformat", "nbclient", "jupyter_client", "ipykernel")
            if importlib.util.find_spec(m) is None]


def run(path: Path, profile: str, keep: Path | None) -> float | str:
    """Execute one notebook in ``profile``; its seconds, or ``"failed"``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    os.environ.update(COURSE_PROFILE=profile, COURSE_PROGRESS="off", COURSE_CHECKS="strict")
    os.environ.pop("MPLBACKEND", None)  # the kernel must use its inline backend
    client = NotebookClient(nb, timeout=3600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
        result: float | str = time.perf_counter() - start
    except CellExecutionError as err:
        print(f"{path.stem} failed in the {profile} profile:\n{err}", file=sys.stderr)
        result = FAILED
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, keep / f"{path.stem}.{profile}.ipynb")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", nargs="+", default=["smoke", "cpu"], choices=PROFILE_ORDER)
    parser.add_argument("--lectures", nargs="*", help="stems or prefixes, e.g. 03 (default: all)")
    parser.add_argument("--keep", type=Path, help="folder for the executed notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "timings.md",
                        help="the table to update (created if missing)")
    args = parser.parse_args(argv)
    lectures = [p for p in LECTURES
                if not args.lectures or any(p.stem.startswith(s) for s in args.lectures)]
    if not lectures:
        parser.error(f"no lecture matches {args.lectures}; lectures: "
                     + ", ".join(p.stem for p in LECTURES))
    if "full" in args.profiles:
        sys.path.insert(0, str(ROOT))
        from utils import accelerator_available

        if not accelerator_available():
            parser.error("the full profile needs a CUDA GPU or Apple MPS, and PyTorch sees "
                         "neither here; time smoke and cpu on this machine.")
    missing = missing_packages()
    if missing:
        parser.error(f"executing notebooks needs {', '.join(missing)}, which this Python "
                     f"({sys.executable}) cannot import. Install them (pip install -r "
                     f"requirements.txt), or offline, carry the wheels that "
                     f"benchmarks/gpu_wheels.sh downloads (see benchmarks/README.md).")

    note = f"{machine()}; measured {time.strftime('%Y-%m-%d')}"
    rows: dict[str, dict] = {}
    for path in lectures:
        for profile in args.profiles:
            result = run(path, profile, args.keep)
            rows.setdefault(path.stem, {})[profile] = result
            shown = result if result == FAILED else f"{result:7.1f} s"
            print(f"{path.stem:40s} {profile:6s} {shown}", flush=True)
            # write after every lecture: a run cut short still keeps what it measured
            old = args.out.read_text() if args.out.exists() else None
            args.out.write_text(merge_timings(old, {path.stem: {profile: result}}, note,
                                              [p.stem for p in LECTURES]))
    print("wrote", args.out)
    return 1 if any(v == FAILED for times in rows.values() for v in times.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
