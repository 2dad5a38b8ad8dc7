"""Copy lecture 01's setup cell (cell 1) into every other lecture (cell 1), so all lectures
start with the same cell (tests/test_notebooks.py checks it). The labs have a setup cell of
their own (it fetches the students' repository and otter-grader), so they are left alone. Only that cell's source changes; the rest of each file stays
byte for byte. Usage: python tools/sync_setup_cells.py [course root]
"""
import json
import sys
from pathlib import Path


def sync(root: Path) -> list[Path]:
    lectures = sorted((root / "lectures").glob("*.ipynb"))
    source = json.loads(lectures[0].read_text())["cells"][1]["source"]
    changed = []
    for path in lectures[1:]:
        nb = json.loads(path.read_text())
        cell = nb["cells"][1]
        if cell["source"] != source:
            cell["source"] = source
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
            changed.append(path)
    return changed


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    for path in sync(root):
        print(f"synced the setup cell of {path.relative_to(root)}")
