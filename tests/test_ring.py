"""utils.ring: the ring of eight Gaussians and its measures (lectures 04 and 07)."""
import math

import pytest
import torch

from utils.ring import (CENTRES, check_points, modes_covered, ring_log_likelihood, sample_ring,
                        share_near_modes)


def test_centres_lie_on_a_circle_of_radius_two():
    assert CENTRES.shape == (8, 2)
    assert torch.allclose(CENTRES.norm(dim=1), torch.full((8,), 2.0))


def test_samples_cover_all_modes_and_sit_on_them():
    torch.manual_seed(0)
    points = sample_ring(4000)
    assert points.shape == (4000, 2)
    assert modes_covered(points) == 8
    assert share_near_modes(points) == 1.0


def test_same_draws_as_lecture_04_inline_code():
    torch.manual_seed(3)
    expected = CENTRES[torch.randint(0, 8, (50,))] + 0.02 * torch.randn(50, 2)
    torch.manual_seed(3)
    assert torch.equal(sample_ring(50), expected)


def test_generator_makes_draws_repeatable():
    a = sample_ring(10, generator=torch.Generator().manual_seed(1))
    b = sample_ring(10, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a, b)


def test_collapsed_and_blurred_samples_are_caught():
    torch.manual_seed(0)
    collapsed = CENTRES[0] + 0.02 * torch.randn(1000, 2)
    assert modes_covered(collapsed) == 1 and share_near_modes(collapsed) == 1.0
    origin = torch.zeros(1000, 2)                       # the average of all modes: on none
    assert modes_covered(origin) == 0 and share_near_modes(origin) == 0.0
    half = torch.cat([collapsed, origin])
    assert share_near_modes(half) == pytest.approx(0.5)


def test_true_log_likelihood_is_the_entropy_bound():
    torch.manual_seed(0)
    held_out = sample_ring(20000)
    # per point: -log 8 + 2 * (-1/2 log(2 pi e 0.02^2)), the negative entropy of the ring
    expected = -math.log(8) - math.log(2 * math.pi * math.e * 0.02 ** 2)
    assert ring_log_likelihood(held_out) == pytest.approx(expected, abs=0.03)
    assert ring_log_likelihood(torch.zeros(5, 2)) < -1000   # far from every mode


@pytest.mark.parametrize("bad", [torch.zeros(5, 3), torch.zeros(5), torch.zeros(0, 2)])
def test_wrong_shapes_are_clear_errors(bad):
    with pytest.raises(ValueError, match=r"\[n, 2\]"):
        modes_covered(bad)


def test_diverged_points_and_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="NaN"):
        share_near_modes(torch.tensor([[float("nan"), 0.0]]))
    with pytest.raises(TypeError, match="tensor"):
        check_points([[0.0, 0.0]])
    with pytest.raises(ValueError, match="whole number"):
        sample_ring(0)
