"""The ring of eight Gaussians: a 2-D task on which generative models are measured.

Lecture 04 trains GANs on it to show mode collapse; lecture 07 trains a GAN, a VAE, a
diffusion model and a normalising flow on it and compares them with the same measures:

- :func:`modes_covered`: how many of the 8 clusters receive at least 2% of the samples
  within 0.3 of their centre (lecture 04's measure of mode collapse);
- :func:`share_near_modes`: the share of samples within 0.3 of some centre (how sharp the
  samples are: a model that blurs its clusters puts points between them).
"""
from __future__ import annotations

import math

import torch

N_MODES = 8
RADIUS = 2.0       # the centres lie on a circle of radius 2
STD = 0.02         # each cluster is a Gaussian with this standard deviation
NEAR = 0.3         # "near a mode": within this distance of its centre

CENTRES = torch.tensor([[RADIUS * math.cos(2 * math.pi * k / N_MODES),
                         RADIUS * math.sin(2 * math.pi * k / N_MODES)]
                        for k in range(N_MODES)])  # [8, 2]


def sample_ring(n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points from 8 Gaussians (std 0.02) on a circle of radius 2: ``[n, 2]``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"sample_ring(n) needs a whole number of points n >= 1; got {n!r}.")
    modes = torch.randint(0, N_MODES, (n,), generator=generator)
    return CENTRES[modes] + STD * torch.randn(n, 2, generator=generator)


def check_points(points) -> torch.Tensor:
    """``points`` as a float CPU tensor ``[n, 2]``, else a clear error."""
    if not isinstance(points, torch.Tensor):
        raise TypeError(f"ring measures take a tensor of points [n, 2]; got {type(points).__name__}.")
    if points.dim() != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"ring measures take points of shape [n, 2] with n >= 1; got "
                         f"{list(points.shape)}.")
    points = points.detach().float().cpu()
    if not torch.isfinite(points).all():
        raise ValueError("some points are NaN or infinite: the model that made them diverged.")
    return points


def modes_covered(points: torch.Tensor, radius: float = NEAR, min_share: float = 0.02) -> int:
    """How many of the 8 modes get at least ``min_share`` of the points within ``radius``."""
    points = check_points(points)
    distance, nearest = torch.cdist(points, CENTRES).min(dim=1)       # [n], [n]
    counts = torch.bincount(nearest[distance < radius], minlength=N_MODES)  # [8]
    return int((counts >= min_share * len(points)).sum())


def share_near_modes(points: torch.Tensor, radius: float = NEAR) -> float:
    """The share of points within ``radius`` of some mode's centre (1.0: all on the clusters)."""
    points = check_points(points)
    distance = torch.cdist(points, CENTRES).min(dim=1).values          # [n]
    return float((distance < radius).float().mean())


def ring_log_likelihood(points: torch.Tensor) -> float:
    """The mean log-density (nats per point) of ``points`` under the true ring distribution.

    The ceiling for any model's held-out log-likelihood (about 2.9 nats on held-out data).
    """
    points = check_points(points)
    squared = torch.cdist(points, CENTRES) ** 2                         # [n, 8]
    log_component = -squared / (2 * STD ** 2) - math.log(2 * math.pi * STD ** 2)
    return float((torch.logsumexp(log_component, dim=1) - math.log(N_MODES)).mean())


__all__ = ["CENTRES", "N_MODES", "NEAR", "STD", "check_points", "modes_covered",
           "ring_log_likelihood", "sample_ring", "share_near_modes"]
