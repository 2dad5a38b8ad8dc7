"""DCGAN training throughput: the original data pipeline vs the course's cached tensors.

(i)  original: ``ImageFolder`` of 128x128 images on disk, decoded and resized per batch
     (``Resize`` + ``ToTensor`` + ``Normalize``) by a ``DataLoader`` on the CPU;
(ii) course:   the same images decoded and resized once (``utils.load_faces``), kept on
     the training device as one tensor and sliced into batches (``TensorLoader``).

Same models, same batch size, same training step. Prints images/s, the share of each
step spent waiting for data, and the ratio. Run ``make bench`` or, e.g.::

    python benchmarks/dcgan_throughput.py --size 32 --channels 32 --steps 40
    python benchmarks/dcgan_throughput.py --size 64 --channels 64 --steps 200 --workers 8  # GPU
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from utils import TensorLoader, get_device, load_faces  # noqa: E402
from utils.models import Discriminator, Generator, weights_init  # noqa: E402


def write_image_folder(folder: Path, n_images: int, source_size: int = 128) -> None:
    """An ImageFolder tree ``folder/faces/*.png`` at the original lecture's 128x128."""
    from PIL import Image

    faces = load_faces(size=source_size).images  # [M, 3, 128, 128] uint8
    (folder / "faces").mkdir(parents=True, exist_ok=True)
    for i in range(n_images):
        img = faces[i % len(faces)].permute(1, 2, 0).numpy()
        Image.fromarray(img).save(folder / "faces" / f"{i:05d}.png")


def original_loader(folder: Path, size: int, batch_size: int, workers: int):
    from torchvision import datasets, transforms

    transform = transforms.Compose([transforms.Resize(size), transforms.ToTensor(),
                                    transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
    dataset = datasets.ImageFolder(folder, transform=transform)
    return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=True,
                                       num_workers=workers, drop_last=True,
                                       persistent_workers=workers > 0,
                                       pin_memory=torch.cuda.is_available())


def cached_loader(folder: Path, size: int, batch_size: int, device):
    faces = load_faces(size=size, folder=folder)  # decoded once, cached as uint8
    return TensorLoader(faces.to_float(device), batch_size=batch_size, shuffle=True, drop_last=True)


def batches(loader):
    while True:
        yield from loader


def measure(name, loader, device, args):
    """Train ``args.steps`` DCGAN steps; return images/s and the share spent waiting for data."""
    torch.manual_seed(0)
    G = Generator(100, args.size, args.channels).to(device).apply(weights_init)
    D = Discriminator(args.size, args.channels).to(device).apply(weights_init)
    if args.channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    criterion = nn.BCELoss()
    autocast = (torch.autocast(device.type, dtype=torch.bfloat16) if args.bf16 else nullcontext())
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    it = batches(loader)
    wait = total = 0.0
    images = 0
    for step in range(args.warmup + args.steps):
        sync()
        t0 = time.perf_counter()
        batch = next(it)
        real = batch[0].to(device, non_blocking=True)
        if args.channels_last:
            real = real.contiguous(memory_format=torch.channels_last)
        sync()
        t1 = time.perf_counter()
        b = len(real)
        ones, zeros = torch.ones(b, 1, device=device), torch.zeros(b, 1, device=device)
        with autocast:
            fake = G(torch.randn(b, 100, 1, 1, device=device))
            loss_D = (criterion(D(real).float(), ones) + criterion(D(fake.detach()).float(), zeros))
        opt_D.zero_grad(set_to_none=True)
        loss_D.backward()
        opt_D.step()
        with autocast:
            loss_G = criterion(D(fake).float(), ones)
        opt_G.zero_grad(set_to_none=True)
        loss_G.backward()
        opt_G.step()
        sync()
        t2 = time.perf_counter()
        if step >= args.warmup:
            wait += t1 - t0
            total += t2 - t0
            images += b
    rate = images / total
    print(f"{name:42s} {rate:9.0f} images/s   waiting for data: {100 * wait / total:5.1f}% of each step")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=32, help="training image size (pixels)")
    parser.add_argument("--channels", type=int, default=32, help="network width")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--images", type=int, default=1024, help="images in the on-disk folder")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="DataLoader workers for (i)")
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast (GPU)")
    args = parser.parse_args()

    device = get_device()
    print(f"device: {device.type}"
          + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else "")
          + f", {torch.get_num_threads()} CPU threads; {args.size}x{args.size} images, width "
            f"{args.channels}, batch {args.batch_size}, {args.steps} timed steps"
          + (", channels_last" if args.channels_last else "") + (", bf16" if args.bf16 else ""))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "extracted_faces"
        write_image_folder(folder, args.images)
        slow = measure(f"(i) ImageFolder + per-batch Resize ({args.workers} workers)",
                       original_loader(folder, args.size, args.batch_size, args.workers), device, args)
        fast = measure("(ii) cached tensor on the device",
                       cached_loader(folder, args.size, args.batch_size, device), device, args)
    print(f"speed-up of the cached pipeline: {fast / slow:.2f}x")


if __name__ == "__main__":
    main()
