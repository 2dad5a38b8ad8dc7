import pytest
import torch
from torch import nn

from utils.models import Discriminator, Generator, down_block, n_blocks, up_block, weights_init


def test_blocks_double_and_halve_the_size():
    x = torch.randn(2, 8, 5, 5)
    assert up_block(8, 4)(x).shape == (2, 4, 10, 10)
    assert down_block(8, 16)(torch.randn(2, 8, 10, 10)).shape == (2, 16, 5, 5)
    assert [type(m) for m in up_block(8, 4)] == [nn.ConvTranspose2d, nn.BatchNorm2d, nn.ReLU]
    assert [type(m) for m in down_block(3, 8, batch_norm=False)] == [nn.Conv2d, nn.LeakyReLU]
    assert all(m.bias is None for m in (up_block(8, 4)[0], down_block(8, 16)[0]))


@pytest.mark.parametrize("size, blocks", [(8, 1), (16, 2), (32, 3), (64, 4)])
def test_shapes_adapt_to_image_size(size, blocks):
    assert n_blocks(size) == blocks
    torch.manual_seed(0)
    G, D = Generator(20, size, 8), Discriminator(size, 8)
    images = G(torch.randn(3, 20))
    assert images.shape == (3, 3, size, size)
    assert images.abs().max() <= 1 and images.std() > 0  # tanh, not constant
    p = D(images)
    assert p.shape == (3, 1) and ((p > 0) & (p < 1)).all()
    # one block per doubling: the 4x4 projection plus (blocks - 1) up_blocks, then the output
    assert sum(isinstance(m, nn.ConvTranspose2d) for m in G.modules()) == blocks + 1
    assert sum(isinstance(m, nn.Conv2d) for m in D.modules()) == blocks + 1


def test_feature_map_sizes_follow_the_dcgan_paper_at_64px():
    G, D = Generator(100, 64, 64), Discriminator(64, 64)
    x, shapes = torch.randn(2, 100, 1, 1), []
    for block in G.main:
        x = block(x)
        shapes.append(tuple(x.shape[1:]))
    assert shapes[:4] == [(512, 4, 4), (256, 8, 8), (128, 16, 16), (64, 32, 32)]
    assert shapes[-1] == (3, 64, 64)
    shapes = []
    for block in D.main:
        x = block(x)
        shapes.append(tuple(x.shape[1:]))
    assert shapes[:4] == [(64, 32, 32), (128, 16, 16), (256, 8, 8), (512, 4, 4)]
    assert shapes[-1] == (1,)


def test_reference_parameter_counts_at_64px():
    """The PyTorch DCGAN reference (latent 100, 64 channels, 64x64 images)."""
    assert sum(p.numel() for p in Generator(100, 64, 64).parameters()) == 3_576_704
    assert sum(p.numel() for p in Discriminator(64, 64).parameters()) == 2_765_568


def test_no_batchnorm_on_generator_output_or_discriminator_input():
    G, D = Generator(10, 32, 8), Discriminator(32, 8)
    assert isinstance(G.main[-1], nn.Tanh) and isinstance(G.main[-2], nn.ConvTranspose2d)
    assert [type(m) for m in D.main[0]] == [nn.Conv2d, nn.LeakyReLU]
    assert isinstance(D.main[-1], nn.Sigmoid)


def test_weights_init_distributions():
    torch.manual_seed(0)
    G = Generator(100, 64, 64).apply(weights_init)
    convs = [m.weight for m in G.modules() if isinstance(m, nn.ConvTranspose2d)]
    assert abs(torch.cat([w.flatten() for w in convs]).std().item() - 0.02) < 0.001
    bns = [m for m in G.modules() if isinstance(m, nn.BatchNorm2d)]
    assert abs(torch.cat([b.weight for b in bns]).mean().item() - 1) < 0.01
    assert all(b.bias.abs().max() == 0 for b in bns)


@pytest.mark.parametrize("size", [0, 4, 12, 48, 100])
def test_unsupported_image_sizes_are_clear_errors(size):
    with pytest.raises(ValueError, match=f"power of two from 8 up.*got {size}"):
        Generator(10, size)
    with pytest.raises(ValueError, match="power of two from 8 up"):
        Discriminator(size)


def test_wrong_inputs_are_clear_errors():
    with pytest.raises(ValueError, match=r"latent vectors \[N, 10\]"):
        Generator(10, 16)(torch.randn(2, 11))
    with pytest.raises(ValueError, match=r"images \[N, 3, 16, 16\]"):
        Discriminator(16)(torch.randn(2, 1, 16, 16))
