"""Image-to-image translation (lecture 8): the tasks, the second digit domain and the measures.

The networks (U-Net, PatchGAN, residual blocks) are taught in the lecture and written there.
What lives here is what a lab or a later lecture can reuse unchanged:

- :func:`hide_lower_half`: the paired task of lecture 8, completing the lower half of a digit;
- :func:`load_small_digits`: scikit-learn's 8x8 handwritten digits, scaled into MNIST's frame
  (a second, unpaired domain of digits for CycleGAN; 1,797 images, no download);
- :func:`psnr`: distortion of a set of outputs; :func:`frechet_distance` (from
  ``utils.digits``, re-exported here): their realism.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .digits import frechet_distance  # noqa: F401  (re-exported: lecture 08 imports it from here)
from .mnist import LabelledImages

HALF = 14  # rows 0-13 are the upper half of a 28x28 digit, rows 14-27 the lower half


def hide_lower_half(images: torch.Tensor, fill: float = 0.0) -> torch.Tensor:
    """A copy of ``images`` ``[N, C, 28, 28]`` with the lower 14 rows set to ``fill``."""
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or tuple(images.shape[2:]) != (28, 28):
        shape = list(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"hide_lower_half takes a batch of 28x28 images [N, C, 28, 28]; got {shape}.")
    hidden = images.clone()
    hidden[:, :, HALF:, :] = fill
    return hidden


def load_small_digits(train: bool = True, test_fraction: float = 0.25) -> LabelledImages:
    """scikit-learn's 8x8 digits as ``[N, 1, 28, 28]`` floats in ``[0, 1]``, in MNIST's frame.

    Each 8x8 image (values 0-16: the inked pixels of a 4x4 block of a 32x32 bitmap, counted)
    is enlarged to 20x20 with bilinear interpolation and padded by 4 pixels on every side, as
    MNIST centres its digits in a 20x20 box of a 28x28 image. The digits keep their blocky,
    thick style: a domain of their own. The split is fixed (the last ``test_fraction`` of the
    1,797 images is the test part); labels are int64.
    """
    from sklearn.datasets import load_digits

    if not isinstance(train, bool):
        raise TypeError(f"train must be True (training part) or False (test part); got {train!r}.")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1; got {test_fraction}.")
    data = load_digits()
    small = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0  # [1797, 1, 8, 8]
    large = F.interpolate(small, size=(20, 20), mode="bilinear", align_corners=False)  # [N, 1, 20, 20]
    images = F.pad(large, (4, 4, 4, 4)).clamp(0, 1)                                   # [N, 1, 28, 28]
    labels = torch.tensor(data.target, dtype=torch.long)
    n_train = int(round(len(labels) * (1 - test_fraction)))
    part = slice(0, n_train) if train else slice(n_train, None)
    return LabelledImages(images[part].contiguous(), labels[part].contiguous(), "sklearn")


def psnr(output: torch.Tensor, target: torch.Tensor, rows: slice = slice(None)) -> float:
    """Peak signal-to-noise ratio in dB, averaged over images; pixels in ``[0, 1]``.

    ``10 log10(1 / MSE)`` per image: higher means closer to the target, pixel by pixel.
    ``rows`` restricts it to part of the image, e.g. ``slice(14, None)`` for the lower half.
    """
    if output.shape != target.shape or output.dim() != 4:
        raise ValueError(f"psnr compares two batches [N, C, H, W] of the same shape; got "
                         f"{list(output.shape)} and {list(target.shape)}.")
    mse = ((output - target)[:, :, rows, :] ** 2).flatten(1).mean(1).clamp_min(1e-10)  # [N]
    return (10 * torch.log10(1 / mse)).mean().item()


__all__ = ["HALF", "hide_lower_half", "load_small_digits", "psnr", "frechet_distance"]
