"""Models used in more than one place (a lecture, the benchmarks, the tests).

Lecture 5 shows this source in place with ``show_source``, so there is one
definition and students still read it.
"""
from __future__ import annotations

import math

from torch import nn


def _doublings(image_size: int) -> int:
    """How many times 4x4 must double to reach ``image_size`` (a power of two >= 8)."""
    n = math.log2(image_size / 4) if image_size >= 8 else -1
    if n != int(n) or n < 1:
        raise ValueError(f"image_size must be a power of two from 8 up (8, 16, 32, 64, 128...); "
                         f"got {image_size}.")
    return int(n)


class Generator(nn.Module):
    """DCGAN generator: latent vector ``[N, latent_dim, 1, 1]`` -> image ``[N, 3, S, S]`` in [-1, 1].

    A transposed convolution turns the 1x1 latent "image" into 4x4 feature maps; each
    further block doubles the size (kernel 4, stride 2, padding 1: (n - 1) * 2 - 2 + 4 = 2n)
    and halves the channels, until the last block makes 3 channels at ``image_size``.
    """

    def __init__(self, latent_dim: int = 100, image_size: int = 64, channels: int = 64):
        super().__init__()
        n = _doublings(image_size)
        width = channels * 2 ** (n - 1)  # channels at 4x4: 512 for 64x64 images
        layers = [  # [N, latent_dim, 1, 1] -> [N, width, 4, 4]
            nn.ConvTranspose2d(latent_dim, width, kernel_size=4, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True),
        ]
        for _ in range(n - 1):  # [N, width, s, s] -> [N, width // 2, 2s, 2s]
            layers += [nn.ConvTranspose2d(width, width // 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(width // 2),
                       nn.ReLU(inplace=True)]
            width //= 2
        layers += [nn.ConvTranspose2d(width, 3, 4, 2, 1, bias=False),  # -> [N, 3, S, S]
                   nn.Tanh()]                                          # no batch norm here
        self.main = nn.Sequential(*layers)
        self.latent_dim, self.image_size = latent_dim, image_size

    def forward(self, z):
        if z.dim() == 2:                  # accept [N, latent_dim] too
            z = z[:, :, None, None]       # -> [N, latent_dim, 1, 1]
        if z.dim() != 4 or z.shape[1:] != (self.latent_dim, 1, 1):
            raise ValueError(f"Generator expects latent vectors [N, {self.latent_dim}] or "
                             f"[N, {self.latent_dim}, 1, 1]; got {list(z.shape)}.")
        return self.main(z)


class Discriminator(nn.Module):
    """DCGAN discriminator: image ``[N, 3, S, S]`` -> probability of "real" ``[N, 1]``.

    Strided convolutions (kernel 4, stride 2, padding 1) halve the size down to 4x4;
    batch norm everywhere except on the input layer; LeakyReLU(0.2); a last 4x4
    convolution gives one number per image and a sigmoid turns it into a probability.
    """

    def __init__(self, image_size: int = 64, channels: int = 64):
        super().__init__()
        n = _doublings(image_size)
        layers = [nn.Conv2d(3, channels, 4, 2, 1, bias=False),  # [N, 3, S, S] -> [N, c, S/2, S/2]
                  nn.LeakyReLU(0.2, inplace=True)]              # no batch norm on the input layer
        width = channels
        for _ in range(n - 1):  # [N, w, s, s] -> [N, 2w, s/2, s/2]
            layers += [nn.Conv2d(width, width * 2, 4, 2, 1, bias=False),
                       nn.BatchNorm2d(width * 2),
                       nn.LeakyReLU(0.2, inplace=True)]
            width *= 2
        layers += [nn.Conv2d(width, 1, 4, 1, 0, bias=False),  # [N, w, 4, 4] -> [N, 1, 1, 1]
                   nn.Flatten(),                               # -> [N, 1]
                   nn.Sigmoid()]
        self.main = nn.Sequential(*layers)
        self.image_size = image_size

    def forward(self, x):
        if x.dim() != 4 or x.shape[1:] != (3, self.image_size, self.image_size):
            raise ValueError(f"Discriminator expects images [N, 3, {self.image_size}, "
                             f"{self.image_size}]; got {list(x.shape)}.")
        return self.main(x)


def weights_init(m: nn.Module) -> None:
    """DCGAN initialisation: conv weights ~ N(0, 0.02); batch norm weight ~ N(1, 0.02), bias 0.

    Use with ``model.apply(weights_init)``, which calls it on every sub-module.
    """
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)
