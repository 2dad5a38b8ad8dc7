"""Draw every diagram and animation in ``images/``.

A build tool, not part of ``utils``: it sets matplotlib's file backend when imported.
Run ``make figures`` (or ``python -m tools.figures [name ...]`` from the repository
root) to redraw them; the results are committed so the book builds without this
step. Each function below writes one file and returns its path.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"
FIGURES = {}

if str(ROOT) not in sys.path:  # also runs as `python tools/figures.py`
    sys.path.insert(0, str(ROOT))
from utils.plotting import BLUE, GREEN, GREY, ORANGE  # noqa: E402


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


def _node(ax, x, y, text, color, w=1.9, h=0.9, fontsize=10):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.08",
                                fc=color, alpha=0.25, ec=color, lw=1.5))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, lw=1.4,
                                 color="black"))


@figure
def gan_diagram() -> Path:
    """A GAN: the generator turns noise into fakes; the discriminator scores real vs fake."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    _node(ax, 0.2, 1.6, "random noise\nz ~ N(0, I)", GREY, w=1.6)
    _node(ax, 2.6, 1.6, "Generator G\n(transposed convs)", GREEN, w=2.2)
    _node(ax, 5.0, 1.6, "fake image\nG(z)", GREEN, w=1.5)
    _node(ax, 5.0, -0.2, "real image x\n(training data)", BLUE, w=1.5)
    _node(ax, 7.4, 0.7, "Discriminator D\n(CNN)", ORANGE)
    _node(ax, 9.6, 0.7, "D(·) = P(real)\n1: real   0: fake", GREY, w=1.7)
    _arrow(ax, (1.05, 1.6), (1.6, 1.6))
    _arrow(ax, (3.6, 1.6), (4.2, 1.6))
    _arrow(ax, (5.8, 1.5), (6.4, 0.95))
    _arrow(ax, (5.8, -0.1), (6.4, 0.45))
    _arrow(ax, (8.4, 0.7), (8.7, 0.7))
    ax.annotate("", xy=(2.6, 2.15), xytext=(7.4, 1.25),
                arrowprops={"arrowstyle": "-|>", "color": ORANGE, "lw": 1.2, "ls": "--",
                            "connectionstyle": "arc3,rad=0.35"})
    ax.text(5.0, 2.85, "D's gradients tell G how to look more real", ha="center", fontsize=9,
            color=ORANGE, style="italic")
    ax.set_xlim(-0.8, 10.6)
    ax.set_ylim(-0.9, 3.2)
    ax.axis("off")
    return _save(fig, "gan_diagram.png")


def _grid(ax, x0, y0, n, fill, cell=1.0, colors=None, ec="black"):
    """Draw an ``n x n`` grid of squares with its lower-left corner at (x0, y0)."""
    for i in range(n):
        for j in range(n):
            color = colors[i][j] if colors is not None else fill
            ax.add_patch(plt.Rectangle((x0 + j * cell, y0 + (n - 1 - i) * cell), cell, cell,
                                       fc=color, ec=ec, lw=0.8))


def _box(ax, x0, y0, n_top, i, j, size, color, lw=3):
    """Outline a ``size x size`` window whose top-left cell is (i, j) in a grid."""
    ax.add_patch(plt.Rectangle((x0 + j, y0 + n_top - i - size), size, size, fill=False,
                               ec=color, lw=lw, zorder=5))


def _conv_gif(name: str, n: int, kernel: int, stride: int, padding: int = 0, transposed=False):
    """Animate a convolution (or transposed convolution) on an ``n x n`` input.

    Convolution: the kernel window slides over the padded input; each position makes
    one output cell. Transposed: each input cell scales the whole kernel and adds it
    into a window of the output; windows are ``stride`` apart and overlaps add up
    (drawn without output cropping, so use ``padding=0`` for transposed ones).
    """
    if transposed and padding:
        raise ValueError("transposed animations are drawn without padding")
    from matplotlib.animation import FuncAnimation, PillowWriter

    if transposed:
        out = (n - 1) * stride - 2 * padding + kernel
        full = (n - 1) * stride + kernel  # before cropping `padding` from each side
        positions = [(i, j) for i in range(n) for j in range(n)]
    else:
        full = n + 2 * padding
        out = (n - kernel + 2 * padding) // stride + 1
        positions = [(i, j) for i in range(out) for j in range(out)]
    left_n = n if transposed else full
    right_n = full if transposed else out
    gap = 2.5
    fig, ax = plt.subplots(figsize=(0.55 * (left_n + right_n + gap) + 0.5, 0.55 * max(left_n, right_n) + 1.0))

    def draw(frame):
        ax.clear()
        ax.set_xlim(-0.3, left_n + gap + right_n + 0.3)
        ax.set_ylim(-0.3, max(left_n, right_n) + 1.2)
        ax.set_aspect("equal")
        ax.axis("off")
        i, j = positions[frame]
        if transposed:
            _grid(ax, 0, 0, n, BLUE + "55")
            counts = [[0] * full for _ in range(full)]
            for (a, b) in positions[: frame + 1]:
                for u in range(kernel):
                    for v in range(kernel):
                        counts[a * stride + u][b * stride + v] += 1
            shades = ["white", GREEN + "55", GREEN + "99", GREEN + "DD", GREEN]
            colors = [[shades[min(c, 4)] for c in row] for row in counts]
            x0 = n + gap
            _grid(ax, x0, 0, full, None, colors=colors)
            _box(ax, 0, 0, n, i, j, 1, ORANGE)
            _box(ax, x0, 0, full, i * stride, j * stride, kernel, ORANGE)
            ax.text(n / 2, n + 0.4, f"input {n}x{n}", ha="center")
            ax.text(x0 + full / 2, full + 0.4, f"output {out}x{out} (darker: more overlaps)", ha="center")
        else:
            colors = [["#DDDDDD" if (r < padding or c < padding or r >= n + padding or c >= n + padding)
                       else BLUE + "55" for c in range(full)] for r in range(full)]
            _grid(ax, 0, 0, full, None, colors=colors)
            done = {(a, b) for (a, b) in positions[: frame + 1]}
            ocolors = [[GREEN if (r, c) in done else "white" for c in range(out)] for r in range(out)]
            x0 = full + gap
            _grid(ax, x0, 0, out, None, colors=ocolors)
            _box(ax, 0, 0, full, i * stride, j * stride, kernel, ORANGE)
            _box(ax, x0, 0, out, i, j, 1, ORANGE)
            label = f"input {n}x{n}" + (f", padding {padding}" if padding else "")
            ax.text(full / 2, full + 0.4, label, ha="center")
            ax.text(x0 + out / 2, out + 0.4, f"output {out}x{out}", ha="center")
        kind = "transposed convolution" if transposed else "convolution"
        fig.suptitle(f"{kind}: kernel {kernel}x{kernel}, stride {stride}, padding {padding}", fontsize=11)
        return []

    anim = FuncAnimation(fig, draw, frames=len(positions), interval=700)
    IMAGES.mkdir(exist_ok=True)
    path = IMAGES / name
    anim.save(path, writer=PillowWriter(fps=1.4), dpi=72)
    plt.close(fig)
    return path


# the four convolution animations of lecture 3
_CONV_GIFS = {
    "conv_padded": dict(n=5, kernel=3, stride=1, padding=1),
    "conv_strided_padded": dict(n=5, kernel=3, stride=2, padding=1),
    "transposed_strided": dict(n=3, kernel=3, stride=2, transposed=True),
    "transposed_unstrided": dict(n=2, kernel=3, stride=1, transposed=True),
}
for _name, _settings in _CONV_GIFS.items():
    FIGURES[_name] = functools.partial(_conv_gif, f"{_name}.gif", **_settings)


def main(names=None) -> None:
    names = names or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise SystemExit(f"Unknown figure(s) {unknown}; choose from {sorted(FIGURES)}")
    for name in names:
        print("wrote", FIGURES[name]().relative_to(IMAGES.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
