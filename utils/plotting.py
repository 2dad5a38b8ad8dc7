"""Plots shared by the lectures: the palette, scatters, digit pairs and training curves.

Matplotlib for static figures, plotly for interactive 3-D scatters. Image grids and
animations live in :mod:`utils.animation`.
"""
from __future__ import annotations

import re
import sys

import matplotlib.pyplot as plt
import numpy as np
import torch

__all__ = [
    "BLUE", "ORANGE", "GREEN", "GREY", "configure_plotly",
    "plot_scatter_3d", "plot_scatter_2d", "plot_noisy_images", "plot_image_pair", "plot_history",
    # the names of the course's first version, kept for existing notebooks
    "plot_scatter3D", "plot_scatter2D", "plot_eights", "plot_eight_pair",
]


# one palette for every figure of the course (lectures and the diagrams in images/)
BLUE, ORANGE, GREEN, GREY = "#4C72B0", "#DD8452", "#55A868", "#8C8C8C"


def _offline_notebook_renderer():
    """plotly's ``notebook`` renderer without the MathJax 2 that it loads from a CDN.

    The course's figures hold no LaTeX, and the book serves its own MathJax, so the
    page needs nothing from another host (it also works offline).
    """
    from plotly.io.base_renderers import NotebookRenderer

    class OfflineNotebookRenderer(NotebookRenderer):
        def to_mimebundle(self, fig_dict):
            bundle = super().to_mimebundle(fig_dict)
            bundle["text/html"] = re.sub(r'<script[^>]*src="[^"]*MathJax[^"]*"[^>]*>\s*</script>', "",
                                         bundle["text/html"])
            return bundle

    return OfflineNotebookRenderer()


def configure_plotly() -> str:
    """Pick a plotly renderer that works where the notebook runs.

    Colab has its own renderer. Elsewhere ``plotly_mimetype+course_notebook`` stores both
    the plotly JSON (JupyterLab) and HTML that embeds plotly.js, so figures also appear
    in the static book (with plotly 6 the default renderer leaves them blank there);
    ``course_notebook`` is plotly's ``notebook`` renderer minus its MathJax from a CDN.
    """
    import plotly.io as pio

    if "google.colab" in sys.modules:
        pio.renderers.default = "colab"
    else:
        if "course_notebook" not in pio.renderers:
            pio.renderers["course_notebook"] = _offline_notebook_renderer()
        pio.renderers.default = "plotly_mimetype+course_notebook"
    return pio.renderers.default


def _numpy(x, name: str) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    x = np.asarray(x)
    if x.dtype == object:
        raise ValueError(f"{name} must be numeric, got an array of Python objects.")
    return x


def _points(X, y, dims: int, name: str):
    X = _numpy(X, name)
    if X.ndim != 2 or X.shape[1] != dims:
        hint = f" Select {dims} columns, e.g. X[:, :{dims}]." if X.ndim == 2 else ""
        raise ValueError(f"{name} must have shape [n_samples, {dims}], got {list(X.shape)}.{hint}")
    if y is not None:
        y = _numpy(y, "y").reshape(-1)
        if len(y) != len(X):
            raise ValueError(f"y has {len(y)} labels but X has {len(X)} rows; they must match.")
    return X, y


def _images(x, name: str) -> np.ndarray:
    """Accept ``[N, 1, H, W]``, ``[N, H, W]``, ``[1, H, W]`` or ``[H, W]``; return ``[N, H, W]``."""
    x = _numpy(x, name)
    if x.ndim == 2:
        x = x[None]
    elif x.ndim == 4 and x.shape[1] == 1:
        x = x[:, 0]
    elif x.ndim == 4:
        raise ValueError(f"{name} must be single-channel images [N, 1, H, W]; got {x.shape[1]} "
                         f"channels in shape {list(x.shape)}.")
    if x.ndim != 3:
        raise ValueError(f"{name} must be grey images shaped [N, 1, H, W], [N, H, W] or [H, W]; "
                         f"got shape {list(x.shape)}.")
    return x


def plot_scatter_3d(X, y=None, title: str = "", labels=("X1", "X2", "X3"), size: int = 3):
    """Interactive 3-D scatter of ``X [n, 3]`` coloured by ``y``; returns the plotly figure."""
    import plotly.graph_objects as go

    X, y = _points(X, y, 3, "X")
    configure_plotly()
    classes = [None] if y is None else np.unique(y)
    fig = go.Figure()
    for c in classes:
        pts = X if c is None else X[y == c]
        fig.add_trace(go.Scatter3d(x=pts[:, 0], y=pts[:, 1], z=pts[:, 2], mode="markers",
                                   marker={"size": size}, name="points" if c is None else f"class {c}"))
    fig.update_layout(title=title, height=480, margin={"l": 0, "r": 0, "b": 0, "t": 40},
                      scene={"xaxis_title": labels[0], "yaxis_title": labels[1],
                             "zaxis_title": labels[2]})
    return fig


def plot_scatter_2d(X, y=None, title: str = "", labels=("Z1", "Z2"), ax=None):
    """Scatter ``X [n, 2]`` coloured by ``y`` on ``ax`` (a new figure if none); returns ``ax``."""
    X, y = _points(X, y, 2, "X")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    if y is None:
        ax.scatter(X[:, 0], X[:, 1], s=12)
    else:
        for c in np.unique(y):
            ax.scatter(X[y == c, 0], X[y == c, 1], s=12, label=f"class {c}")
        ax.legend(loc="best", fontsize=8)
    ax.set(title=title, xlabel=labels[0], ylabel=labels[1])
    return ax


def plot_noisy_images(X, noise: float = 0.5, n: int = 8, seed: int = 0):
    """Show ``n`` images from ``X`` (top) over the same images plus Gaussian noise (bottom).

    The noise is ``noise * randn`` clipped to ``[0, 1]``, as in the denoising lecture.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number of images, at least 1; got {n!r}.")
    if not noise >= 0:
        raise ValueError(f"noise must be a standard deviation >= 0; got {noise!r}.")
    imgs = _images(X, "X")[:n]
    if len(imgs) == 0:
        raise ValueError("X holds no images to plot.")
    rng = np.random.default_rng(seed)
    noisy = np.clip(imgs + noise * rng.standard_normal(imgs.shape), 0, 1)
    fig, axes = plt.subplots(2, len(imgs), figsize=(1.3 * len(imgs), 2.9), squeeze=False)
    for j in range(len(imgs)):
        axes[0, j].imshow(imgs[j], cmap="gray", vmin=0, vmax=1)
        axes[1, j].imshow(noisy[j], cmap="gray", vmin=0, vmax=1)
    for ax in axes.ravel():
        ax.axis("off")
    axes[0, 0].set_title("original", loc="left", fontsize=9)
    axes[1, 0].set_title(f"+ {noise} x noise", loc="left", fontsize=9)
    plt.tight_layout()
    return fig


def plot_image_pair(input, output, titles=("input", "output")):
    """Show one input image next to the model's output for it."""
    a, b = _images(input, "input"), _images(output, "output")
    if len(a) != 1 or len(b) != 1:
        raise ValueError(f"plot_image_pair shows one image each; got {len(a)} input and {len(b)} "
                         f"output images. Index one, e.g. plot_image_pair(x[0], y[0]).")
    fig, axes = plt.subplots(1, 2, figsize=(4, 2.2))
    for ax, img, title in zip(axes, (a[0], b[0]), titles):
        ax.imshow(img, cmap="gray", vmin=0, vmax=1)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    plt.tight_layout()
    return fig


def plot_history(history: dict, xlabel: str = "epoch", title: str = "", ax=None, logy=False):
    """Plot training curves: ``history`` maps a name to a list of values per step."""
    if not isinstance(history, dict) or not history or any(len(v) == 0 for v in history.values()):
        raise ValueError("history must map each curve's name to a non-empty list of values.")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.2))
    for name, values in history.items():
        values = [float(v) for v in values]
        ax.plot(range(1, len(values) + 1), values, marker="o" if len(values) < 30 else None,
                ms=3, label=name)
    ax.set(xlabel=xlabel, title=title)
    if logy:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


# Aliases: the helper names of the course's first version. Instructors' notebooks call
# them with these signatures: plot_scatter3D(X, y), plot_scatter2D(X, y),
# plot_eights(X, noise), plot_eight_pair(input, output).
plot_scatter3D = plot_scatter_3d
plot_scatter2D = plot_scatter_2d
plot_eights = plot_noisy_images
plot_eight_pair = plot_image_pair
