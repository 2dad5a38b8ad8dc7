"""The digit classifier, the instrument lectures 04 and 06-09 measure digits with."""
import pytest
import torch

from utils import DigitFeatures, digit_classifier, load_mnist
from utils.digits import DigitClassifier, check_digit_images


@pytest.fixture(scope="module")
def classifier():
    return digit_classifier("cpu", source="bundled", profile="smoke")


def test_trained_once_then_loaded_and_accurate(classifier, capsys):
    assert classifier.accuracy > 0.85  # 300 steps on the 4,000 bundled digits
    again = digit_classifier("cpu", source="bundled", profile="smoke")
    assert "training the digit classifier" not in capsys.readouterr().out  # loaded from the cache
    test = load_mnist(train=False, source="bundled")
    assert torch.equal(again.predict(test.images[:50]), classifier.predict(test.images[:50]))
    assert again.accuracy == classifier.accuracy


def test_shapes_features_and_frozen_weights(classifier):
    images = load_mnist(train=False, source="bundled", limit=8).images   # [8, 1, 28, 28]
    assert classifier(images).shape == (8, 10)
    assert classifier.features(images).shape == (8, 128)
    assert DigitFeatures(classifier)(images).shape == (8, 128)
    assert classifier.probabilities(images).sum(1).allclose(torch.ones(8))
    assert not any(p.requires_grad for p in classifier.parameters())
    x = images.clone().requires_grad_(True)                             # attacks need input gradients
    classifier(x).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


@pytest.mark.parametrize("bad, message", [
    (torch.rand(4, 28, 28), "unsqueeze\\(1\\)"),
    (torch.rand(4, 784), "view\\(-1, 1, 28, 28\\)"),
    (torch.rand(4, 3, 32, 32), "\\[N, 1, 28, 28\\]"),
    (torch.rand(4, 1, 28, 28) * 2 - 1, "\\(x \\+ 1\\) / 2"),
    (torch.randint(0, 255, (4, 1, 28, 28)), "float"),
])
def test_bad_images_get_a_clear_error(bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        check_digit_images(bad)


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="smoke, cpu or full"):
        digit_classifier("cpu", source="bundled", profile="huge")


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch, capsys):
    import utils.digits as digits
    monkeypatch.setattr(digits, "data_root", lambda: tmp_path)
    monkeypatch.setattr(digits, "_train", lambda *a: (DigitClassifier().state_dict(), 0.5))
    digits.digit_classifier("cpu", source="bundled", profile="smoke")
    [path] = (tmp_path / "cache").glob("digit_classifier_*.pt")
    path.write_bytes(b"not a checkpoint")
    model = digits.digit_classifier("cpu", source="bundled", profile="smoke")
    out = capsys.readouterr().out
    assert "damaged" in out and out.count("training the digit classifier") == 2
    assert model.accuracy == 0.5
