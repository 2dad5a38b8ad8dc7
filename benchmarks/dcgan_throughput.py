"""DCGAN training throughput: the reference data pipeline, the course's, and the step's limit.

Every run trains the same DCGAN (``utils.models``) with the same update steps
(``utils.update_D`` / ``utils.update_G``), batch size and number of steps; only the way
batches arrive and the way the step executes change:

reference  the pipeline of pytorch/examples ``dcgan/main.py``: an ``ImageFolder`` of JPEG
           files decoded per batch (``Resize`` + ``CenterCrop`` + ``ToTensor`` +
           ``Normalize``) by a ``DataLoader`` with 2 workers, float32, plain Adam, and the
           losses and mean outputs read with ``.item()`` after every step for its log line.
course     the same images decoded and resized once (``utils.load_faces``), resident on
           the training device as one tensor, sliced into batches (``TensorLoader``).
           Flags make its step faster: ``--channels-last``, ``--bf16`` (autocast),
           ``--fused-adam``, ``--compile`` (``torch.compile``) and ``--cuda-graph`` (the
           whole step captured once and replayed; CUDA only). ``--ladder`` adds the flags
           one at a time, so each one's share shows.
limit      (``--limit``) the fastest step on one resident batch, without a loader: on CUDA
           the captured step replayed back to back (no Python between steps), on a CPU the
           same step called in a loop. How close the course comes to it says how much is
           left to gain outside the kernels themselves.

Prints a table of images/s and writes it (Markdown and JSON) under ``--out``, named after
the device, so a GPU run can be committed. ``make bench`` runs a small CPU version::

    python benchmarks/dcgan_throughput.py --size 32 --channels 32 --steps 40
    python benchmarks/dcgan_throughput.py --size 64 --channels 64 --batch-size 64 --steps 200 \\
        --images 2048 --channels-last --bf16 --fused-adam --compile --cuda-graph --ladder --limit
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from utils import TensorLoader, get_device, load_faces, update_D, update_G  # noqa: E402
from utils.models import Discriminator, Generator, weights_init  # noqa: E402

LATENT_DIM = 100
FLAGS = ("channels_last", "bf16", "fused_adam", "compile", "cuda_graph")  # ladder order
CUDA_ONLY = ("cuda_graph",)


@dataclass
class Config:
    """One measured run: a data pipeline and the flags of its training step."""

    pipeline: str                      # "reference", "course" or "limit"
    flags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return " ".join([self.pipeline, *(f"+{f}" for f in self.flags)])

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass
class Result:
    name: str
    pipeline: str
    flags: list[str]
    images_per_s: float | None = None
    seconds: float | None = None
    data_wait_share: float | None = None
    tflops: float | None = None
    error: str | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- data
def write_image_folder(folder: Path, n_images: int, source_size: int) -> None:
    """An ``ImageFolder`` tree ``folder/faces/*.jpg`` of ``n_images`` JPEG files.

    The faces are the 100 that scikit-image ships (``utils.load_faces(source="bundled")``:
    nothing to download), repeated up to ``n_images`` and written at ``source_size``
    pixels, like the original data's 128x128 JPEGs.
    """
    from PIL import Image

    faces = load_faces(size=source_size, source="bundled").images  # [M, 3, S, S] uint8
    (folder / "faces").mkdir(parents=True, exist_ok=True)
    for i in range(n_images):
        img = faces[i % len(faces)].permute(1, 2, 0).numpy()  # [S, S, 3]
        Image.fromarray(img).save(folder / "faces" / f"{i:05d}.jpg", quality=95)


def forever(loader):
    while True:
        yield from loader


def reference_batches(folder: Path, args, device):
    """Batches as ``dcgan/main.py`` makes them: decoded and resized per batch on the CPU."""
    from torchvision import datasets, transforms

    transform = transforms.Compose([transforms.Resize(args.size), transforms.CenterCrop(args.size),
                                    transforms.ToTensor(),
                                    transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
    dataset = datasets.ImageFolder(folder, transform=transform)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                                         num_workers=args.workers, drop_last=True,
                                         persistent_workers=args.workers > 0,
                                         pin_memory=device.type == "cuda")
    for real, _label in forever(loader):
        yield real.to(device, non_blocking=True)  # [B, 3, S, S]


def course_batches(folder: Path, args, device, channels_last: bool, cache_root: Path):
    """Batches sliced from the whole data set, decoded once and resident on ``device``."""
    faces = load_faces(size=args.size, folder=folder, root=cache_root)
    images = faces.to_float(device)  # [N, 3, S, S] in [-1, 1]
    if channels_last:
        # store [N, S, S, 3]: a slice of it, viewed as [B, 3, S, S], is already channels_last
        images = images.permute(0, 2, 3, 1).contiguous()
    loader = TensorLoader(images, batch_size=args.batch_size, shuffle=True, drop_last=True, seed=0)
    for (real,) in forever(loader):
        yield real.permute(0, 3, 1, 2) if channels_last else real  # [B, 3, S, S]


# --------------------------------------------------------------------------- the step
class Autocast(nn.Module):
    """Runs ``model`` under bfloat16 autocast; the output is cast back to float32.

    The loss then runs outside autocast (CUDA autocast refuses ``BCELoss``) in float32.
    ``cache_enabled=False``: the weight-cast cache must be off inside a CUDA graph.
    """

    def __init__(self, model: nn.Module, device_type: str):
        super().__init__()
        self.model, self.device_type = model, device_type

    def forward(self, x):
        with torch.autocast(self.device_type, dtype=torch.bfloat16, cache_enabled=False):
            return self.model(x).float()


def build(cfg: Config, args, device):
    """The training step of ``cfg`` (it takes a batch of real images) and its two optimisers."""
    torch.manual_seed(0)
    G = Generator(LATENT_DIM, args.size, args.channels).to(device).apply(weights_init)
    D = Discriminator(args.size, args.channels).to(device).apply(weights_init)
    if cfg.has("channels_last"):
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
    adam = dict(lr=2e-4, betas=(0.5, 0.999))
    if cfg.has("fused_adam"):
        adam["fused"] = True
    if cfg.has("cuda_graph"):
        adam["capturable"] = True  # Adam's step count stays on the GPU, inside the graph
    opt_G = torch.optim.Adam(G.parameters(), **adam)
    opt_D = torch.optim.Adam(D.parameters(), **adam)
    if cfg.has("bf16"):
        G, D = Autocast(G, device.type), Autocast(D, device.type)
    if cfg.has("compile"):
        G, D = torch.compile(G), torch.compile(D)
    loss_fn = nn.BCELoss()
    batch_size = args.batch_size

    def step(real):
        z = torch.randn(batch_size, LATENT_DIM, 1, 1, device=device)  # [B, 100, 1, 1]
        fake = G(z)                                                   # [B, 3, S, S]
        loss_D, out_real, out_fake = update_D(real, fake, D, loss_fn, opt_D)
        loss_G = update_G(fake, D, loss_fn, opt_G)
        return loss_D, loss_G, out_real, out_fake

    return step, (opt_D, opt_G)


def capture(step, optimizers, static_real, warmup: int):
    """Capture one whole training step as a CUDA graph (after ``warmup`` eager steps).

    Warm-up runs on a side stream, as CUDA graph capture requires; it also creates
    Adam's state and triggers ``torch.compile``'s compilation before the capture. The
    gradients are set to ``None`` first, so the captured backward passes allocate them
    from the graph's own memory. Replaying the graph reruns every kernel of the step,
    reading ``static_real``.
    """
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(warmup):
            step(static_real)
    torch.cuda.current_stream().wait_stream(side)
    for optimizer in optimizers:
        optimizer.zero_grad(set_to_none=True)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        outputs = step(static_real)
    return graph, outputs


def count_flops(args, device) -> float:
    """Floating-point operations of one float32 training step (forward and backward of G and D)."""
    from torch.utils.flop_counter import FlopCounterMode

    step, _ = build(Config("course"), args, device)
    real = torch.randn(args.batch_size, 3, args.size, args.size, device=device)
    with FlopCounterMode(display=False) as counter:
        step(real)
    return float(counter.get_total_flops())


def sync(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def measure(cfg: Config, batches, args, device, flops_per_step: float) -> Result:
    """Train ``args.steps`` timed steps (after warm-up) and return the images per second."""
    step, optimizers = build(cfg, args, device)
    warmup = max(args.warmup, 3 if cfg.has("compile") or cfg.has("cuda_graph") else 0)
    resident = cfg.pipeline == "limit"  # one batch on the device, no loader
    static_real = graph = None
    if resident or cfg.has("cuda_graph"):
        static_real = next(batches).clone()  # [B, 3, S, S], the input a graph reads
    if cfg.has("cuda_graph"):
        graph, _ = capture(step, optimizers, static_real, warmup)
    else:
        for _ in range(warmup):
            step(static_real if resident else next(batches))
    sync(device)

    wait = 0.0
    start = time.perf_counter()
    for _ in range(args.steps):
        if not resident:
            t = time.perf_counter()
            real = next(batches)
            wait += time.perf_counter() - t
        if graph is not None:
            if not resident:
                static_real.copy_(real)
            graph.replay()
            continue
        loss_D, loss_G, out_real, out_fake = step(static_real if resident else real)
        if cfg.pipeline == "reference":  # main.py reads these for its log line every step
            loss_D.item(), loss_G.item(), out_real.mean().item(), out_fake.mean().item()
    sync(device)
    seconds = time.perf_counter() - start
    rate = args.steps * args.batch_size / seconds
    return Result(cfg.name, cfg.pipeline, list(cfg.flags), images_per_s=rate, seconds=seconds,
                  data_wait_share=None if resident else wait / seconds,
                  tflops=flops_per_step * args.steps / seconds / 1e12)


# --------------------------------------------------------------------------- plan and report
def plan(args) -> list[Config]:
    """The runs, in order: reference, course (plain), course with the flags, limit."""
    flags = tuple(f for f in FLAGS if getattr(args, f))
    configs = [Config("reference"), Config("course")]
    if args.ladder:
        configs += [Config("course", flags[:i]) for i in range(1, len(flags) + 1)]
    elif flags:
        configs.append(Config("course", flags))
    if args.limit:
        configs.append(Config("limit", flags))
    return configs


def device_label(device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple MPS"
    threads = torch.get_num_threads()
    return f"CPU ({platform.machine()}, {threads} thread{'s' if threads != 1 else ''})"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


DESCRIPTIONS = {
    "reference": "ImageFolder + Resize + CenterCrop + ToTensor + Normalize per batch, "
                 "DataLoader ({workers} workers), float32, `.item()` every step",
    "course": "decoded once, resident on the device, TensorLoader",
    "limit": "one resident batch, {how}",
}


def describe(result: Result, args, device) -> str:
    how = ("the captured step replayed back to back" if "cuda_graph" in result.flags
           else "the step called in a loop")
    text = DESCRIPTIONS[result.pipeline].format(workers=args.workers, how=how)
    flags = ", ".join(f"`{f}`" for f in result.flags)
    return f"**{result.pipeline}**: {text}" + (f"; {flags}" if flags else "")


def summary(results: list[Result]) -> dict:
    """The fastest course run against the reference, and the limit against the course run
    with the same flags (the step it replays, fed by the loader)."""
    ok = [r for r in results if r.images_per_s]
    ref = next((r for r in ok if r.pipeline == "reference"), None)
    best = max((r for r in ok if r.pipeline == "course"), key=lambda r: r.images_per_s, default=None)
    limit = next((r for r in ok if r.pipeline == "limit"), None)
    out = {"best_course": best.name if best else None}
    if ref and best:
        out["speedup_over_reference"] = best.images_per_s / ref.images_per_s
    same = limit and next((r for r in ok if r.pipeline == "course" and r.flags == limit.flags), None)
    if same:
        out["limit_compared_with"] = same.name
        out["share_of_limit"] = same.images_per_s / limit.images_per_s
    return out


def report(results: list[Result], args, device, command: str, flops_per_step: float) -> str:
    ref = next((r for r in results if r.name == "reference" and r.images_per_s), None)
    data = (f"the image folder `{args.folder}`" if args.folder else
            f"{args.images} JPEG files of {args.source_size}x{args.source_size} pixels "
            f"(the 100 LFW faces that scikit-image ships, repeated)")
    load = ""
    if hasattr(os, "getloadavg"):  # other work on the machine slows the CPU runs
        load = f" Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end."
    lines = [f"# DCGAN training throughput: {device_label(device)}", "",
             f"Measured {time.strftime('%Y-%m-%d')} with PyTorch {torch.__version__}, "
             f"Python {platform.python_version()}.{load} Command:", "", f"    {command}", "",
             f"{args.size}x{args.size} images, network width {args.channels}, batch "
             f"{args.batch_size}, {args.steps} timed steps after the warm-up; "
             f"{flops_per_step / 1e9:.2f} GFLOP per step (float32 count, forward and backward "
             f"of G and D). Every run trains the same models with `utils.update_D` and "
             f"`utils.update_G`. Data: {data}.", "",
             "| run | images/s | vs reference | waiting for data | TFLOP/s |",
             "|---|---:|---:|---:|---:|"]
    for r in results:
        if r.error:
            lines.append(f"| {describe(r, args, device)} | failed: {r.error} | | | |")
            continue
        ratio = f"{r.images_per_s / ref.images_per_s:.2f}x" if ref else "–"
        wait = "–" if r.data_wait_share is None else f"{100 * r.data_wait_share:.0f}%"
        lines.append(f"| {describe(r, args, device)} | {r.images_per_s:,.0f} | {ratio} | {wait} "
                     f"| {r.tflops:.3g} |")
    s = summary(results)
    lines.append("")
    if "speedup_over_reference" in s:
        lines.append(f"Fastest course run (`{s['best_course']}`): "
                     f"**{s['speedup_over_reference']:.2f}x** the reference pipeline.")
    if "share_of_limit" in s:
        lines.append(f"`{s['limit_compared_with']}` reaches **{100 * s['share_of_limit']:.0f}%** "
                     f"of the limit run (the same step on one resident batch, without a loader).")
    lines.append("")
    lines.append("'Waiting for data' is the time the training loop spent blocked on the next "
                 "batch (on a GPU the queued kernels may still run meanwhile).")
    return "\n".join(lines) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=32, help="training image size (pixels)")
    parser.add_argument("--channels", type=int, default=32, help="network width")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--images", type=int, default=1024, help="images in the on-disk folder")
    parser.add_argument("--folder", type=Path,
                        help="an existing ImageFolder of faces (e.g. CelebA) to read instead of "
                             "writing --images JPEG files")
    parser.add_argument("--source-size", type=int, default=128,
                        help="pixels of the JPEG files on disk (the original data: 128)")
    parser.add_argument("--steps", type=int, default=40, help="timed steps per run")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before each run")
    parser.add_argument("--workers", type=int, default=2,
                        help="DataLoader workers of the reference pipeline (main.py: 2)")
    fast = parser.add_argument_group("flags of the course pipeline's step")
    fast.add_argument("--channels-last", action="store_true", help="NHWC memory format")
    fast.add_argument("--bf16", action="store_true", help="bfloat16 autocast")
    fast.add_argument("--fused-adam", action="store_true", help="Adam(fused=True)")
    fast.add_argument("--compile", action="store_true", help="torch.compile both networks")
    fast.add_argument("--cuda-graph", action="store_true",
                      help="capture the whole step as a CUDA graph and replay it (CUDA only)")
    parser.add_argument("--ladder", action="store_true",
                        help="one course run per flag, adding them one at a time")
    parser.add_argument("--limit", action="store_true",
                        help="add the limit run: the step on one resident batch, no loader")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results",
                        help="folder for <device>.md and <device>.json")
    parser.add_argument("--no-save", action="store_true", help="print only, write no files")
    parser.add_argument("--check", action="store_true",
                        help="check the flags against this machine, print the runs, run nothing")
    args = parser.parse_args(argv)
    for name in ("size", "channels", "batch_size", "images", "steps", "source_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.folder is not None and not args.folder.is_dir():
        parser.error(f"--folder {args.folder} is not a folder")
    if args.images < args.batch_size:
        parser.error(f"--images ({args.images}) must be at least --batch-size ({args.batch_size})")
    return parser, args


def check_flags(parser, args, device) -> None:
    """Refuse, with a clear message, the flags this machine cannot run."""
    if args.cuda_graph and device.type != "cuda":
        parser.error(f"--cuda-graph needs a CUDA GPU, but the device is {device.type!r}. "
                     f"Drop --cuda-graph here; on a CUDA machine it captures the whole step.")
    if args.compile:
        if not torch._dynamo.is_dynamo_supported():
            parser.error(f"--compile: torch.compile does not support this Python "
                         f"({platform.python_version()}) with PyTorch {torch.__version__}.")
        if device.type == "cpu" and not any(shutil.which(c) for c in ("g++", "c++", "clang++")):
            parser.error("--compile on the CPU needs a C++ compiler (g++ or clang++) on PATH.")
    if args.bf16 and device.type == "cuda" and not torch.cuda.is_bf16_supported():
        parser.error(f"--bf16: {torch.cuda.get_device_name(device)} has no bfloat16 support.")
    if args.fused_adam and device.type not in ("cuda", "cpu", "mps"):
        parser.error(f"--fused-adam is not available on {device.type!r}.")


def main(argv=None) -> int:
    parser, args = parse_args(argv)
    device = get_device()
    check_flags(parser, args, device)
    configs = plan(args)
    command = "python benchmarks/dcgan_throughput.py " + " ".join(sys.argv[1:] if argv is None else argv)
    print(f"device: {device_label(device)}; {args.size}x{args.size} images, width {args.channels}, "
          f"batch {args.batch_size}, {args.steps} timed steps per run")
    if args.check:
        for cfg in configs:
            print("would run:", cfg.name)
        return 0
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # as main.py does

    flops = count_flops(args, device)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder
        if folder is None:
            folder = Path(tmp) / "faces"
            write_image_folder(folder, args.images, args.source_size)
        for cfg in configs:
            if cfg.pipeline == "reference":
                batches = reference_batches(folder, args, device)
            else:
                batches = course_batches(folder, args, device, cfg.has("channels_last"), Path(tmp))
            try:
                result = measure(cfg, batches, args, device, flops)
            except Exception as err:  # one failing flag must not lose the other runs
                traceback.print_exc()
                result = Result(cfg.name, cfg.pipeline, list(cfg.flags),
                                error=f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")
            finally:
                batches.close()  # stops the DataLoader's workers
            results.append(result)
            rate = f"{result.images_per_s:10,.0f} images/s" if result.images_per_s else result.error
            print(f"{cfg.name:58s} {rate}", flush=True)

    text = report(results, args, device, command, flops)
    print()
    print(text)
    if not args.no_save:
        args.out.mkdir(parents=True, exist_ok=True)
        stem = args.out / slug(device_label(device) if device.type != "cpu" else "cpu")
        stem.with_suffix(".md").write_text(text)
        payload = {"device": device_label(device), "torch": torch.__version__,
                   "date": time.strftime("%Y-%m-%d"), "command": command,
                   "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                   "flops_per_step": flops, "results": [asdict(r) for r in results],
                   "summary": summary(results)}
        stem.with_suffix(".json").write_text(json.dumps(payload, indent=1) + "\n")
        print("wrote", stem.with_suffix(".md"), "and", stem.with_suffix(".json"))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
