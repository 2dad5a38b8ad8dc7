"""Image grids and animations (``to_jshtml`` players that also play on the static site)."""
from __future__ import annotations

import html
import re

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import animation

from .plotting import _numpy

DEFAULT_ALT = "Animation of {n} frames; use the player's buttons to step through them."
# the player's icons come from Font Awesome on a CDN; text symbols need no other host
_ICONS = {"fa-minus": "\u2212", "fa-fast-backward": "\u21e4", "fa-step-backward": "\u25c2",
          "fa-play fa-flip-horizontal": "\u25c0", "fa-pause": "\u2016", "fa-play": "\u25b6",
          "fa-step-forward": "\u25b8", "fa-fast-forward": "\u21e5", "fa-plus": "+"}


def _grid(images, nrow: int, value_range) -> torch.Tensor:
    """One ``make_grid`` image ``[3, H, W]`` in [0, 1] from a batch ``[N, C, H, W]``."""
    from torchvision.utils import make_grid

    images = torch.as_tensor(images).detach().cpu().float()
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"images must be a batch [N, C, H, W] with C = 1 or 3; "
                         f"got shape {list(images.shape)}.")
    if len(images) == 0:
        raise ValueError("images holds no images to show.")
    if isinstance(nrow, bool) or not isinstance(nrow, int) or nrow < 1:
        raise ValueError(f"nrow (images per row) must be a whole number, at least 1; got {nrow!r}.")
    lo, hi = value_range
    if not lo < hi:
        raise ValueError(f"value_range must be (low, high) with low < high; got {value_range}.")
    return make_grid(((images - lo) / (hi - lo)).clamp(0, 1), nrow=nrow, padding=2, pad_value=1.0)


def show_grid(images, nrow: int = 8, title: str = "", ax=None, value_range=None):
    """Show a batch ``[N, C, H, W]`` (C = 1 or 3) as one image grid.

    ``value_range=(-1, 1)`` rescales tanh outputs for display; the default assumes
    ``[0, 1]``.
    """
    grid = _grid(images, nrow, value_range or (0, 1))
    if ax is None:
        rows = (len(images) - 1) // nrow + 1
        _, ax = plt.subplots(figsize=(min(12, 1.1 * nrow), 1.1 * rows + 0.4))
    ax.imshow(grid.permute(1, 2, 0).numpy())
    ax.set_title(title)
    ax.axis("off")
    return ax


def grid_frame(images, nrow: int = 8, value_range=(0, 1)) -> np.ndarray:
    """One animation frame ``[H, W, 3]`` in [0, 1] from a batch ``[N, C, H, W]``.

    ``value_range=(-1, 1)`` rescales tanh outputs. Used with :func:`animate_frames`.
    """
    return _grid(images, nrow, value_range).permute(1, 2, 0).numpy()


def animate_frames(frames, interval: int = 400, titles=None, figsize=(6, 3), cmap="gray",
                   alt: str | None = None):
    """Turn a list of images ``[H, W]`` or ``[H, W, 3]`` into an animation.

    Returns ``IPython.display.HTML`` built with ``to_jshtml()``: the player is plain
    JavaScript with the frames embedded, so it plays in JupyterLab and on the static site.
    ``alt`` describes the animation for screen readers (one sentence saying what it
    shows); the default only says that it is an animation and how many frames it has.
    """
    from IPython.display import HTML

    frames = [_numpy(f, "frame") for f in frames]
    if not frames:
        raise ValueError("animate_frames needs at least one frame.")
    if any(f.ndim not in (2, 3) for f in frames):
        raise ValueError("each frame must be an image [H, W] or [H, W, 3].")
    if titles is not None and len(titles) != len(frames):
        raise ValueError(f"titles has {len(titles)} entries for {len(frames)} frames; give one "
                         f"title per frame (or none).")
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval <= 0:
        raise ValueError(f"interval must be a positive number of milliseconds; got {interval!r}.")
    alt = DEFAULT_ALT.format(n=len(frames)) if alt is None else str(alt).strip()
    if not alt:
        raise ValueError("alt must describe the animation (one sentence), not be empty.")
    fig, ax = plt.subplots(figsize=figsize)
    ax.axis("off")
    im = ax.imshow(frames[0], cmap=cmap, vmin=0, vmax=1)
    title = ax.set_title(titles[0] if titles else "")

    def draw(i):
        im.set_data(frames[i])
        if titles:
            title.set_text(titles[i])
        return (im, title)

    anim = animation.FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
    player = anim.to_jshtml(default_mode="once")
    plt.close(fig)
    return HTML(_offline(_with_alt(player, alt)))


def _offline(player: str) -> str:
    """Drop the player's Font Awesome stylesheet (a CDN) and draw its icons as text."""
    player = re.sub(r'<link[^>]*font-awesome[^>]*>\s*', "", player)
    for icon, symbol in _ICONS.items():
        player = player.replace(f'<i class="fa {icon}"></i>', f'<span aria-hidden="true">{symbol}</span>')
    return player


def _with_alt(player: str, alt: str) -> str:
    """Give the player's ``<img id="_anim_img...">`` an ``alt`` attribute (escaped)."""
    escaped = html.escape(alt, quote=True)

    def add_alt(match: re.Match) -> str:
        return f'<img id="{match.group(1)}" alt="{escaped}"'

    patched, count = re.subn(r'<img id="(_anim_img\w+)"', add_alt, player)
    # the frame slider: a screen reader announces it as "Frame", and its position as a number
    patched, sliders = re.subn(r'<input id="(_anim_slider\w+)"', r'<input id="\1" aria-label="Frame"', patched)
    if count != 1 or sliders != 1:
        raise RuntimeError("matplotlib's to_jshtml() player changed: found no single <img> to "
                           "give an alt text, or no single frame slider to name; update utils/animation.py.")
    return patched
