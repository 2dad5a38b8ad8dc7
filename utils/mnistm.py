"""MNIST-M-style digits: MNIST digits blended with patches of colour photographs.

Ganin and Lempitsky (2015) built MNIST-M to test domain adaptation: each MNIST digit is
blended with a random patch of a colour photograph, taking the absolute difference of the
patch and the digit in every colour channel, ``|patch - digit|``. The strokes keep their
shape but take the inverted colours of the photograph, and the background is the photograph
itself. The photographs here are the ones that scikit-image and scikit-learn ship, so the
set builds offline in a fraction of a second; lecture 09 uses it as the target domain.
"""
from __future__ import annotations

import numbers

import numpy as np
import torch

from .mnist import LabelledImages
from .sources import cached, data_root

#: The photographs used by default: ``skimage.data`` functions and scikit-learn sample images.
SKIMAGE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
SKLEARN_PHOTOS = ("china.jpg", "flower.jpg")
PATCH = 28
_VERSION = 1


def _read_photo(name: str, sklearn_images: dict) -> torch.Tensor:
    """One photograph as a uint8 tensor ``[3, H, W]``, decoded from the package that ships it."""
    from skimage import data as skdata

    if name in SKLEARN_PHOTOS:
        if not sklearn_images:
            from sklearn.datasets import load_sample_images

            bunch = load_sample_images()
            sklearn_images.update({f.replace("\\", "/").rsplit("/", 1)[-1]: im
                                   for f, im in zip(bunch.filenames, bunch.images)})
        array = sklearn_images[name]
    elif isinstance(name, str) and not name.startswith("_") and callable(getattr(skdata, name, None)):
        array = getattr(skdata, name)()
    else:
        raise ValueError(f"Unknown photograph {name!r}: use a colour image of skimage.data "
                         f"(e.g. {', '.join(SKIMAGE_PHOTOS)}) or one of {', '.join(SKLEARN_PHOTOS)}.")
    array = np.asarray(array)
    if array.ndim != 3 or array.shape[2] < 3 or array.dtype != np.uint8:
        raise ValueError(f"Photograph {name!r} is not an 8-bit colour image (shape {array.shape}, "
                         f"{array.dtype}); choose a colour one, e.g. {', '.join(SKIMAGE_PHOTOS)}.")
    return torch.as_tensor(array[:, :, :3].copy()).permute(2, 0, 1).contiguous()


def load_photos(names=SKIMAGE_PHOTOS + SKLEARN_PHOTOS) -> list[torch.Tensor]:
    """The named colour photographs as float tensors ``[3, H, W]`` in ``[0, 1]``.

    A name is a function of ``skimage.data`` (``"astronaut"``) or one of scikit-learn's
    sample images (``"china.jpg"``, ``"flower.jpg"``). Both ship with their packages; the
    decoded pixels are cached once under ``DATA_DIR/cache``.
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise ValueError("load_photos needs at least one photograph name, e.g. ['astronaut'].")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"photograph names are strings, e.g. 'astronaut'; got {name!r}.")
    sklearn_images: dict = {}
    if names == list(SKIMAGE_PHOTOS + SKLEARN_PHOTOS):     # the default set: decoded once, cached
        path = data_root() / "cache" / f"mnistm_photos_v{_VERSION}.pt"

        def valid(value) -> bool:
            return (isinstance(value, list) and len(value) == len(names) and all(
                isinstance(t, torch.Tensor) and t.dtype == torch.uint8 and t.dim() == 3
                and t.shape[0] == 3 for t in value))

        photos = cached(path, lambda: [_read_photo(n, sklearn_images) for n in names], valid)
    else:
        photos = [_read_photo(n, sklearn_images) for n in names]
    return [photo.float() / 255 for photo in photos]


def _check_digits(digits) -> torch.Tensor:
    if not isinstance(digits, torch.Tensor):
        raise TypeError(f"blend_with_photos takes a tensor of digits [N, 1, 28, 28]; got "
                        f"{type(digits).__name__}.")
    if digits.dim() != 4 or tuple(digits.shape[1:]) != (1, PATCH, PATCH):
        hint = " Add the channel dimension: digits.unsqueeze(1)." if (
            digits.dim() == 3 and tuple(digits.shape[1:]) == (PATCH, PATCH)) else ""
        raise ValueError(f"blend_with_photos takes grey digits of shape [N, 1, 28, 28]; got "
                         f"{list(digits.shape)}.{hint}")
    if not digits.is_floating_point():
        raise TypeError(f"blend_with_photos takes float digits in [0, 1]; got {digits.dtype}. "
                        f"Convert with digits.float() / 255.")
    if len(digits) == 0:
        raise ValueError("blend_with_photos got no digits (N = 0).")
    low, high = digits.min().item(), digits.max().item()
    if low < -1e-3 or high > 1 + 1e-3:
        raise ValueError(f"blend_with_photos takes pixels in [0, 1]; these range from {low:.3f} "
                         f"to {high:.3f}.")
    return digits


def blend_with_photos(digits: torch.Tensor, photos: list[torch.Tensor] | None = None,
                      seed: int = 0) -> torch.Tensor:
    """Colour versions ``[N, 3, 28, 28]`` of grey digits ``[N, 1, 28, 28]``, as in MNIST-M.

    Each digit gets a random 28x28 patch of a random photograph (``photos``, default
    :func:`load_photos`), and every channel becomes ``|patch - digit|``: where the digit is
    dark the photograph shows through, where it is bright the colours are inverted.
    ``seed`` fixes which patches are drawn, so the same call gives the same images.
    """
    digits = _check_digits(digits)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number; got {seed!r}.")
    photos = load_photos() if photos is None else list(photos)
    if not photos:
        raise ValueError("blend_with_photos needs at least one photograph.")
    for i, photo in enumerate(photos):
        if not isinstance(photo, torch.Tensor) or photo.dim() != 3 or photo.shape[0] != 3:
            got = list(photo.shape) if isinstance(photo, torch.Tensor) else type(photo).__name__
            raise ValueError(f"photograph {i} must be a tensor [3, H, W]; got {got}.")
        if photo.shape[1] < PATCH or photo.shape[2] < PATCH:
            raise ValueError(f"photograph {i} is {photo.shape[1]}x{photo.shape[2]}, smaller than "
                             f"the {PATCH}x{PATCH} patches it must give.")
    generator = torch.Generator().manual_seed(int(seed))
    n = len(digits)
    which = torch.randint(len(photos), (n,), generator=generator)     # a photograph per digit
    out = torch.empty(n, 3, PATCH, PATCH)
    offsets = torch.arange(PATCH)
    for p, photo in enumerate(photos):
        idx = (which == p).nonzero().squeeze(1)
        if len(idx) == 0:
            continue
        top = torch.randint(photo.shape[1] - PATCH + 1, (len(idx),), generator=generator)
        left = torch.randint(photo.shape[2] - PATCH + 1, (len(idx),), generator=generator)
        rows = (top[:, None] + offsets)[:, :, None]                    # [n_p, 28, 1]
        cols = (left[:, None] + offsets)[:, None, :]                   # [n_p, 1, 28]
        patches = photo[:, rows, cols].permute(1, 0, 2, 3)             # [n_p, 3, 28, 28]
        out[idx] = (patches - digits[idx].cpu()).abs()                 # |patch - digit| per channel
    return out.to(digits.device)


def make_mnistm(digits: LabelledImages, photos: list[torch.Tensor] | None = None,
                seed: int = 0) -> LabelledImages:
    """An MNIST-M-style dataset from a set of MNIST digits: same labels, colour images.

    ``digits`` is what :func:`utils.load_mnist` returns; the result holds images
    ``[N, 3, 28, 28]`` in ``[0, 1]`` and the same labels, with ``source`` naming both.
    """
    if not isinstance(digits, LabelledImages):
        raise TypeError(f"make_mnistm takes the digits load_mnist returns (LabelledImages); got "
                        f"{type(digits).__name__}. For a bare tensor use blend_with_photos.")
    images = blend_with_photos(digits.images, photos, seed=seed)
    return LabelledImages(images, digits.labels.clone(), f"mnistm-{digits.source}")


__all__ = ["load_photos", "blend_with_photos", "make_mnistm", "SKIMAGE_PHOTOS", "SKLEARN_PHOTOS"]
