"""Draw every diagram and animation in ``images/``.

Run ``make figures`` (or ``python -m utils.figures [name ...]``) to redraw them; the
results are committed so the book builds without this step. Each function below
writes one file and returns its path.
"""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

IMAGES = Path(__file__).resolve().parent.parent / "images"
FIGURES = {}

BLUE, ORANGE, GREEN, GREY = "#4C72B0", "#DD8452", "#55A868", "#8C8C8C"


def figure(func):
    """Register a drawing function under its name."""
    FIGURES[func.__name__] = func
    return func


def _save(fig, name: str) -> Path:
    IMAGES.mkdir(exist_ok=True)
    path = IMAGES / name
    fig.savefig(path, dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return path


def _layer(ax, x, n, color, r=0.22, spread=0.75):
    """Draw ``n`` neurons in a column at ``x``; return their centres."""
    ys = [(i - (n - 1) / 2) * spread for i in range(n)]
    for y in ys:
        ax.add_patch(plt.Circle((x, y), r, color=color, ec="black", lw=1, zorder=3))
    return [(x, y) for y in ys]


def _connect(ax, a, b):
    for (x0, y0) in a:
        for (x1, y1) in b:
            ax.plot([x0, x1], [y0, y1], color=GREY, lw=0.8, zorder=1)


@figure
def autoencoder_diagram() -> Path:
    """The 3-2-3 autoencoder of lecture 2: encoder, bottleneck (code), decoder."""
    fig, ax = plt.subplots(figsize=(7, 3.6))
    inp = _layer(ax, 0, 3, BLUE)
    code = _layer(ax, 2.2, 2, GREEN)
    out = _layer(ax, 4.4, 3, ORANGE)
    _connect(ax, inp, code)
    _connect(ax, code, out)
    for x, text in [(0, "input x\n3 features"), (2.2, "code z\n2 numbers"),
                    (4.4, "output x̂\n≈ input")]:
        ax.text(x, -1.2, text, ha="center", va="top", fontsize=10)
    for x0, x1, text, color in [(-0.5, 2.6, "encoder", BLUE), (1.8, 4.9, "decoder", ORANGE)]:
        ax.add_patch(FancyBboxPatch((x0, 1.35), x1 - x0, 0.45, boxstyle="round,pad=0.05",
                                    fc=color, alpha=0.18, ec=color))
        ax.text((x0 + x1) / 2, 1.575, text, ha="center", va="center", fontsize=11)
    ax.text(2.2, -2.35, "training target: the input itself,  loss = MSE(x̂, x)",
            ha="center", fontsize=10, style="italic")
    ax.set_xlim(-1, 5.4)
    ax.set_ylim(-2.6, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return _save(fig, "autoencoder_diagram.png")


@figure
def logo() -> Path:
    """The course logo and favicon: a 3x3 kernel sliding from an image to a new one."""
    import numpy as np

    rng = np.random.default_rng(8)
    fig, ax = plt.subplots(figsize=(3, 3))
    cells = rng.uniform(0.15, 1.0, size=(5, 5))
    ax.imshow(cells, cmap="Blues", extent=(0, 5, 0, 5), vmin=0, vmax=1.2)
    ax.add_patch(plt.Rectangle((1, 1), 3, 3, fill=False, ec=ORANGE, lw=5))
    for k in range(6):
        ax.plot([k, k], [0, 5], color="white", lw=2)
        ax.plot([0, 5], [k, k], color="white", lw=2)
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 5)
    ax.axis("off")
    path = _save(fig, "logo.png")
    from PIL import Image

    Image.open(path).convert("RGB").resize((64, 64)).save(IMAGES / "favicon.png")
    return path


def main(names=None) -> None:
    names = names or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise SystemExit(f"Unknown figure(s) {unknown}; choose from {sorted(FIGURES)}")
    for name in names:
        print("wrote", FIGURES[name]().relative_to(IMAGES.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
