"""utils.translation: the tasks, the second digit domain and the measures of lecture 08."""
import math

import pytest
import torch

from utils import digit_classifier, load_mnist
from utils.translation import HALF, frechet_distance, hide_lower_half, load_small_digits, psnr


@pytest.fixture(scope="module")
def classifier():
    return digit_classifier("cpu", source="bundled", profile="smoke")


def test_hide_lower_half_blanks_only_the_lower_rows():
    images = torch.rand(5, 1, 28, 28)
    hidden = hide_lower_half(images, fill=-1.0)
    assert hidden.shape == images.shape
    assert torch.equal(hidden[:, :, :HALF], images[:, :, :HALF])
    assert (hidden[:, :, HALF:] == -1).all()
    assert not (images[:, :, HALF:] == -1).any()          # the input is left alone


@pytest.mark.parametrize("bad", [torch.rand(28, 28), torch.rand(4, 28, 28), torch.rand(4, 1, 32, 32)])
def test_hide_lower_half_rejects_other_shapes(bad):
    with pytest.raises(ValueError, match=r"\[N, C, 28, 28\]"):
        hide_lower_half(bad)


def test_small_digits_in_mnist_frame():
    train, test = load_small_digits(train=True), load_small_digits(train=False)
    assert len(train) + len(test) == 1797 and len(test) == 449
    assert train.images.shape[1:] == (1, 28, 28) and train.images.dtype == torch.float32
    assert 0 <= train.images.min() and train.images.max() <= 1
    assert train.images[:, :, :4].abs().sum() == 0 and train.images[:, :, :, -4:].abs().sum() == 0
    assert set(train.labels.tolist()) == set(range(10)) and train.labels.dtype == torch.long
    assert train.source == "sklearn"


def test_small_digits_clear_errors():
    with pytest.raises(TypeError, match="True"):
        load_small_digits(train="yes")
    with pytest.raises(ValueError, match="between 0 and 1"):
        load_small_digits(test_fraction=1.5)


def test_psnr_values_and_errors():
    target = torch.zeros(3, 1, 28, 28)
    output = torch.full_like(target, 0.1)                  # MSE 0.01 -> 20 dB
    assert psnr(output, target) == pytest.approx(20.0, abs=1e-4)
    output[:, :, :HALF] = 0.0
    assert psnr(output, target, slice(HALF, None)) == pytest.approx(20.0, abs=1e-4)
    assert psnr(output, target, slice(0, HALF)) > 90       # identical rows: capped, not infinite
    assert math.isfinite(psnr(target, target))
    with pytest.raises(ValueError, match="same shape"):
        psnr(torch.zeros(3, 1, 28, 28), torch.zeros(2, 1, 28, 28))


def test_frechet_distance_real_vs_real_and_vs_noise(classifier):
    test = load_mnist(train=False, source="bundled")
    train = load_mnist(train=True, source="bundled")
    torch.manual_seed(0)
    real = frechet_distance(train.images[torch.randperm(len(train))[:500]], test.images[:500], classifier)
    noise = frechet_distance(torch.rand(500, 1, 28, 28), test.images[:500], classifier)
    assert 0 <= real < noise


def test_frechet_distance_clear_errors(classifier):
    images = torch.rand(10, 1, 28, 28)
    with pytest.raises(ValueError, match="at least 2"):
        frechet_distance(images[:1], images, classifier)
    with pytest.raises(ValueError, match=r"\[N, 1, 28, 28\]"):
        frechet_distance(torch.rand(10, 28, 28), images, classifier)
    with pytest.raises(ValueError, match=r"\(x \+ 1\) / 2"):
        frechet_distance(images * 2 - 1, images, classifier)
