"""The two GAN update steps of utils/gan.py (taught in lecture 4, reused by lecture 5)."""
import pytest
import torch
from torch import nn

from utils import update_D, update_G


def _players(seed=0):
    torch.manual_seed(seed)
    G = nn.Linear(1, 1)                                   # z: [N, 1] -> x: [N, 1]
    D = nn.Sequential(nn.Linear(1, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))   # -> logit
    return (G, D, torch.optim.Adam(G.parameters(), lr=1e-2),
            torch.optim.Adam(D.parameters(), lr=1e-2))


def _copy(module):
    return [p.detach().clone() for p in module.parameters()]


def _same(module, params):
    return all(torch.equal(p, q) for p, q in zip(module.parameters(), params))


def test_update_D_learns_to_separate_real_from_fake():
    G, D, _, opt_D = _players()
    bce = nn.BCEWithLogitsLoss()
    real, fake = torch.full((64, 1), 2.0), torch.full((64, 1), -2.0)
    first, *_ = update_D(real, fake, D, bce, opt_D)
    for _ in range(100):
        loss, out_real, out_fake = update_D(real, fake, D, bce, opt_D)
    assert loss < first / 10
    assert torch.sigmoid(out_real).min() > 0.9 and torch.sigmoid(out_fake).max() < 0.1
    assert out_real.shape == out_fake.shape == (64, 1)
    assert not (loss.requires_grad or out_real.requires_grad or out_fake.requires_grad)


def test_update_D_leaves_the_generator_alone():
    G, D, _, opt_D = _players()
    before_G, before_D = _copy(G), _copy(D)
    update_D(torch.randn(32, 1) + 3, G(torch.rand(32, 1)), D, nn.BCEWithLogitsLoss(), opt_D)
    assert _same(G, before_G)
    assert all(p.grad is None for p in G.parameters())    # the fakes were detached
    assert not _same(D, before_D)


def test_update_D_uses_real_label_as_the_target_for_real_data():
    G, D, _, _ = _players()
    bce = nn.BCEWithLogitsLoss()
    real, fake = torch.randn(16, 1), torch.randn(16, 1)
    with torch.no_grad():
        expected = bce(D(real), torch.full((16, 1), 0.9)) + bce(D(fake), torch.zeros(16, 1))
        plain = bce(D(real), torch.ones(16, 1)) + bce(D(fake), torch.zeros(16, 1))
    frozen = torch.optim.SGD(D.parameters(), lr=0.0)      # the loss is computed before the step
    loss, _, _ = update_D(real, fake, D, bce, frozen, real_label=0.9)
    assert torch.isclose(loss, expected) and not torch.isclose(loss, plain)


@pytest.mark.parametrize("bad", [1.5, -0.1])
def test_update_D_rejects_a_real_label_outside_0_1(bad):
    G, D, _, opt_D = _players()
    with pytest.raises(ValueError, match="real_label"):
        update_D(torch.randn(4, 1), torch.randn(4, 1), D, nn.BCEWithLogitsLoss(), opt_D, real_label=bad)


def test_update_G_moves_only_the_generator_toward_what_D_calls_real():
    G, D, opt_G, opt_D = _players()
    bce = nn.BCEWithLogitsLoss()
    for _ in range(100):                                   # D learns: real near 3, fakes near 0
        update_D(torch.randn(64, 1) * 0.1 + 3, torch.rand(64, 1) * 0.1, D, bce, opt_D)
    before_D = _copy(D)
    z = torch.rand(64, 1)
    with torch.no_grad():
        expected = bce(D(G(z)), torch.ones(64, 1))
        start = G(z).mean()
    loss = update_G(G(z), D, bce, opt_G)
    assert torch.isclose(loss, expected) and not loss.requires_grad
    assert _same(D, before_D)                               # only optimizer_G stepped
    for _ in range(50):
        update_G(G(z), D, bce, opt_G)
    with torch.no_grad():
        assert G(z).mean() > start + 0.2                    # the fakes moved toward the data


def test_update_steps_work_with_a_sigmoid_output_and_BCELoss():
    G, D, opt_G, opt_D = _players()
    D_prob = nn.Sequential(D, nn.Sigmoid())
    loss_D, out_real, out_fake = update_D(torch.randn(8, 1), G(torch.rand(8, 1)), D_prob,
                                          nn.BCELoss(), opt_D)
    loss_G = update_G(G(torch.rand(8, 1)), D_prob, nn.BCELoss(), opt_G)
    assert 0 <= out_real.min() and out_real.max() <= 1
    assert torch.isfinite(loss_D) and torch.isfinite(loss_G)
