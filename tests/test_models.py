import pytest
import torch
from torch import nn

from utils.models import Discriminator, Generator, weights_init


@pytest.mark.parametrize("size", [8, 16, 32, 64])
def test_shapes_adapt_to_image_size(size):
    G, D = Generator(20, size, 8), Discriminator(size, 8)
    images = G(torch.randn(3, 20))
    assert images.shape == (3, 3, size, size)
    assert images.abs().max() <= 1  # tanh
    p = D(images)
    assert p.shape == (3, 1) and ((p > 0) & (p < 1)).all()


def test_reference_parameter_counts_at_64px():
    """The PyTorch DCGAN reference (latent 100, 64 channels, 64x64 images)."""
    assert sum(p.numel() for p in Generator(100, 64, 64).parameters()) == 3_576_704
    assert sum(p.numel() for p in Discriminator(64, 64).parameters()) == 2_765_568


def test_no_batchnorm_on_generator_output_or_discriminator_input():
    G, D = Generator(10, 32, 8), Discriminator(32, 8)
    assert isinstance(G.main[-1], nn.Tanh) and isinstance(G.main[-2], nn.ConvTranspose2d)
    assert isinstance(D.main[0], nn.Conv2d) and isinstance(D.main[1], nn.LeakyReLU)


def test_weights_init_distributions():
    torch.manual_seed(0)
    G = Generator(100, 64, 64).apply(weights_init)
    convs = [m.weight for m in G.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert abs(torch.cat([w.flatten() for w in convs]).std().item() - 0.02) < 0.001
    bns = [m for m in G.modules() if isinstance(m, nn.BatchNorm2d)]
    assert abs(torch.cat([b.weight for b in bns]).mean().item() - 1) < 0.01
    assert all(b.bias.abs().max() == 0 for b in bns)


def test_wrong_shapes_are_clear_errors():
    with pytest.raises(ValueError, match="power of two"):
        Generator(10, 48)
    with pytest.raises(ValueError, match=r"latent vectors \[N, 10\]"):
        Generator(10, 16)(torch.randn(2, 11))
    with pytest.raises(ValueError, match=r"images \[N, 3, 16, 16\]"):
        Discriminator(16)(torch.randn(2, 1, 16, 16))
