"""The DCGAN generator and discriminator, used by lecture 5, the benchmark and the tests.

Built from two small blocks, following the DCGAN paper (Radford et al., 2016) and its PyTorch
reference implementation (pytorch/examples, ``dcgan``): an ``up_block`` doubles the size of the
generator's feature maps, a ``down_block`` halves the size of the discriminator's. Lecture 5
shows this source with ``show_source``.
"""
from __future__ import annotations

import math

from torch import nn


def up_block(in_ch: int, out_ch: int) -> nn.Sequential:
    """Generator block: ``[N, in_ch, s, s] -> [N, out_ch, 2s, 2s]``.

    Transposed convolution with kernel 4, stride 2, padding 1: (s - 1) * 2 - 2 + 4 = 2s.
    No bias: the batch norm right after it subtracts the mean and would cancel one.
    """
    return nn.Sequential(
        nn.ConvTranspose2d(in_ch, out_ch, kernel_size=4, stride=2, padding=1, bias=False),
        nn.BatchNorm2d(out_ch),
        nn.ReLU(inplace=True),
    )


def down_block(in_ch: int, out_ch: int, batch_norm: bool = True) -> nn.Sequential:
    """Discriminator block: ``[N, in_ch, s, s] -> [N, out_ch, s/2, s/2]``.

    Convolution with kernel 4, stride 2, padding 1: (s - 4 + 2) / 2 + 1 = s/2.
    ``batch_norm=False`` for the block that sees the images themselves.
    """
    layers = [nn.Conv2d(in_ch, out_ch, kernel_size=4, stride=2, padding=1, bias=False)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(out_ch))
    layers.append(nn.LeakyReLU(0.2, inplace=True))
    return nn.Sequential(*layers)


def n_blocks(image_size: int) -> int:
    """Size-changing blocks between 4x4 and ``image_size``: log2(size / 4), e.g. 4 for 64x64."""
    n = math.log2(image_size / 4) if image_size >= 8 else 0
    if n < 1 or n != int(n):
        raise ValueError(f"image_size must be a power of two from 8 up (8, 16, 32, 64, 128...); "
                         f"got {image_size}.")
    return int(n)


class Generator(nn.Module):
    """DCGAN generator: latent vector ``[N, latent_dim, 1, 1]`` -> image ``[N, 3, S, S]`` in [-1, 1].

    For 64x64 images with ``channels`` = ngf = 64, the layers of the PyTorch reference DCGAN
    (pytorch/examples), a half-width version of the DCGAN paper's LSUN generator, which has
    1024 channels at 4x4::

        z                             100 x  1 x  1
        project: ConvT k4 s1 p0  (ngf*8) x  4 x  4    512 channels
        up_block                 (ngf*4) x  8 x  8    256
        up_block                 (ngf*2) x 16 x 16    128
        up_block                  ngf    x 32 x 32     64
        ConvT k4 s2 p1 + tanh       3    x 64 x 64    no batch norm on the output

    Smaller images start narrower and have fewer up_blocks: 32x32 starts at (ngf*4) x 4 x 4.
    """

    def __init__(self, latent_dim: int = 100, image_size: int = 64, channels: int = 64):
        super().__init__()
        n = n_blocks(image_size)          # 4 for 64x64, 3 for 32x32, 2 for 16x16
        ngf = channels
        c = ngf * 2 ** (n - 1)            # channels at 4x4: ngf*8 for 64x64
        blocks = [nn.Sequential(          # project: [N, latent_dim, 1, 1] -> [N, c, 4, 4]
            nn.ConvTranspose2d(latent_dim, c, kernel_size=4, stride=1, padding=0, bias=False),
            nn.BatchNorm2d(c),
            nn.ReLU(inplace=True))]
        while c > ngf:                    # state size. c x s x s -> (c/2) x 2s x 2s
            blocks.append(up_block(c, c // 2))
            c //= 2
        self.main = nn.Sequential(
            *blocks,                                             # state size. ngf x S/2 x S/2
            nn.ConvTranspose2d(ngf, 3, 4, stride=2, padding=1, bias=False),  # 3 x S x S
            nn.Tanh(),                                           # pixels in [-1, 1]
        )
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

    For 64x64 images with ``channels`` = ndf = 64, the mirror image of the generator::

        image                               3    x 64 x 64
        down_block, no batch norm         ndf    x 32 x 32
        down_block                       (ndf*2) x 16 x 16
        down_block                       (ndf*4) x  8 x  8
        down_block                       (ndf*8) x  4 x  4
        Conv k4 s1 p0 + sigmoid             1    x  1 x  1    one probability per image
    """

    def __init__(self, image_size: int = 64, channels: int = 64):
        super().__init__()
        n = n_blocks(image_size)          # 4 for 64x64
        ndf = channels
        c = ndf
        blocks = [down_block(3, ndf, batch_norm=False)]  # state size. ndf x S/2 x S/2
        for _ in range(n - 1):            # state size. c x s x s -> (c*2) x s/2 x s/2
            blocks.append(down_block(c, c * 2))
            c *= 2
        self.main = nn.Sequential(
            *blocks,                                             # state size. c x 4 x 4
            nn.Conv2d(c, 1, kernel_size=4, stride=1, padding=0, bias=False),  # 1 x 1 x 1
            nn.Flatten(),                                        # [N, 1]
            nn.Sigmoid(),                                        # probability of "real"
        )
        self.image_size = image_size

    def forward(self, x):
        if x.dim() != 4 or x.shape[1:] != (3, self.image_size, self.image_size):
            raise ValueError(f"Discriminator expects images [N, 3, {self.image_size}, "
                             f"{self.image_size}]; got {list(x.shape)}.")
        return self.main(x)


def weights_init(m: nn.Module) -> None:
    """DCGAN initialisation. Normals are written N(mean, variance).

    Convolution weights ~ N(0, 0.02²), i.e. standard deviation 0.02: the DCGAN paper draws all
    weights this way. Batch-norm scales ~ N(1, 0.02²) and shifts 0: the rule of the PyTorch
    reference implementation (pytorch/examples, ``dcgan``), which we follow.
    Use with ``model.apply(weights_init)``, which calls it on every sub-module.
    """
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)
