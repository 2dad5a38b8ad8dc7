"""Face images: your ImageFolder, else LFW via scikit-learn, else scikit-image's 100 faces."""
from __future__ import annotations

import hashlib
import numbers
import os
from functools import partial
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import TensorDataset

from .sources import DATA_SOURCE_ENV, cached, check_limit, data_root, host_reachable, resolve_source

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
        if not lo < hi:
            raise ValueError(f"value_range must be (low, high) with low < high; got {value_range}.")
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
    files = [p for p in folder.rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime_ns for p in files), default=0)
    text = f"{folder.resolve()}|{len(files)}|{newest}"
    return hashlib.md5(text.encode()).hexdigest()[:10]


def _face_folder(folder) -> Path | None:
    """The face folder named by ``folder=`` or ``$COURSE_FACES_DIR``; it must exist."""
    named = folder if folder is not None else (os.environ.get(FACES_DIR_ENV) or None)
    if named is None:
        return None
    path = Path(named).expanduser()
    if not path.is_dir():
        origin = "folder=" if folder is not None else f"${FACES_DIR_ENV}"
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise FileNotFoundError(
            f"Face folder {path} (from {origin}) {what}. Expected an ImageFolder layout: "
            f"{path}/<class>/<image>.jpg. Fix the path, or unset {FACES_DIR_ENV} to use LFW "
            f"or the bundled faces.")
    return path


def _is_faces(x, size: int) -> bool:
    """True for a uint8 tensor ``[N, 3, size, size]``: what a face cache must hold."""
    return (isinstance(x, torch.Tensor) and x.dtype == torch.uint8 and x.ndim == 4
            and tuple(x.shape[1:]) == (3, size, size))


def load_faces(size: int = 64, source: str | None = None, folder: str | Path | None = None,
               limit: int | None = None, root: str | Path | None = None) -> FaceImages:
    """Face images, decoded and resized once, cached as uint8 ``[N, 3, size, size]``.

    Sources, in the order ``auto`` tries them:

    1. ``folder`` (or ``$COURSE_FACES_DIR``): any folder in ``ImageFolder`` layout, such
       as a Kaggle "Extracted Faces" folder of 128x128 face crops;
    2. Labeled Faces in the Wild in colour via ``sklearn.datasets.fetch_lfw_people``
       (13,233 faces, downloaded once, about 200 MB);
    3. offline: the 100 real LFW faces that scikit-image ships (25x25 grey).

    ``source="download"`` insists on LFW, ``"bundled"`` takes the offline faces. The
    decoded tensor is cached in ``root/cache``, so later calls take milliseconds and
    training never resizes images per batch.
    """
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 4:
        raise ValueError(f"size must be a whole number of pixels, at least 4 (e.g. 32 or 64); "
                         f"got {size!r}.")
    size, limit = int(size), check_limit(limit)
    src = resolve_source(source)  # read once: `requested` for the folder, `mode` for the rest
    root = data_root(root)

    # a folder you name is used in every profile, unless you ask for the bundled faces
    face_folder = _face_folder(folder) if src.requested != "bundled" else None
    if face_folder is not None:
        name, tag = "folder", f"folder-{_folder_fingerprint(face_folder)}"
        kind = f"image folder {face_folder}"
        build = partial(_faces_from_folder, face_folder, size, limit)
    elif src.mode != "bundled" and (
            (root / "lfw" / "lfw_home" / "lfw_funneled").exists() or host_reachable(LFW_URL)):
        name = tag = "lfw"
        kind = "Labeled Faces in the Wild (scikit-learn)"
        build = partial(_faces_from_lfw, root, size, limit)
    elif src.mode == "download":
        raise RuntimeError(
            f"Labeled Faces in the Wild cannot be downloaded: {LFW_URL} is not reachable. "
            f"Connect to the internet, pass folder= (or set {FACES_DIR_ENV}) to a face folder, "
            f"or set {DATA_SOURCE_ENV}=bundled to use the offline faces.")
    else:
        why = "bundled data requested" if src.mode == "bundled" else "no network, no face folder"
        name = tag = "bundled"
        kind = f"100 real LFW faces bundled with scikit-image ({why})"
        build = partial(_faces_bundled, size, limit)

    cache = root / "cache" / f"faces-{tag}-{size}px-{limit or 'all'}.pt"
    images = cached(cache, build, valid=partial(_is_faces, size=size))
    hint = "; with internet, LFW (13,233 colour faces) is used" if name == "bundled" else ""
    print(f"faces: {kind}, {len(images):,} images at {size}x{size}{hint}")
    return FaceImages(images, name)
