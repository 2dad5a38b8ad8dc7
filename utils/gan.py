"""The two GAN update steps, taught in lecture 4 and reused by lecture 5 and the benchmark.

Written once, in the order lecture 4 explains them:

1. ``update_D``: the discriminator learns real -> 1 and fake -> 0. The fakes are detached,
   so this step computes no gradients for the generator.
2. ``update_G``: the generator learns to make the discriminator say 1 on its fakes
   ("flipped labels", the non-saturating loss).

Both work with a discriminator that outputs probabilities (``nn.BCELoss``) or logits
(``nn.BCEWithLogitsLoss``); ``loss_fn`` decides which.
"""
from __future__ import annotations

import torch


def update_D(real, fake, D, loss_fn, optimizer_D, real_label: float = 1.0):
    """One discriminator step on a batch of real and a batch of generated images.

    ``real_label`` below 1 (e.g. 0.9) is one-sided label smoothing. Returns the loss and
    D's outputs on the real and on the fake batch, detached, for book-keeping.
    """
    if not 0.0 <= real_label <= 1.0:
        raise ValueError(f"real_label is a BCE target and must lie in [0, 1]; got {real_label}.")
    optimizer_D.zero_grad()
    output_real = D(real)                        # [B, 1]
    output_fake = D(fake.detach())               # [B, 1]; detach: no gradient reaches G
    loss = (loss_fn(output_real, torch.full_like(output_real, real_label))
            + loss_fn(output_fake, torch.zeros_like(output_fake)))
    loss.backward()
    optimizer_D.step()
    return loss.detach(), output_real.detach(), output_fake.detach()


def update_G(fake, D, loss_fn, optimizer_G):
    """One generator step: the fakes, not detached, should make D answer "real" (label 1).

    Only ``optimizer_G`` steps; the gradients this leaves on D's parameters are cleared by
    the next ``update_D``. Returns the loss, detached.
    """
    optimizer_G.zero_grad()
    output = D(fake)                             # [B, 1]
    loss = loss_fn(output, torch.ones_like(output))
    loss.backward()
    optimizer_G.step()
    return loss.detach()
