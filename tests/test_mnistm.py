"""MNIST-M-style digits (utils/mnistm.py): digits blended with patches of colour photographs."""
import pytest
import torch

from utils import load_mnist
from utils.mnist import LabelledImages
from utils.mnistm import blend_with_photos, load_photos, make_mnistm


@pytest.fixture(scope="module")
def photos():
    return load_photos()


def test_photos_are_colour_images_in_unit_range(photos):
    assert len(photos) == 6
    for photo in photos:
        assert photo.dim() == 3 and photo.shape[0] == 3 and min(photo.shape[1:]) >= 28
        assert photo.dtype == torch.float32 and 0 <= photo.min() and photo.max() <= 1
    assert torch.equal(load_photos()[0], photos[0])                       # the cache gives the same
    assert torch.equal(load_photos(["astronaut"])[0], photos[0])          # uncached path agrees


def test_blend_is_the_absolute_difference_of_a_patch_and_the_digit():
    photo = torch.rand(3, 40, 50)
    digits = torch.rand(5, 1, 28, 28)
    out = blend_with_photos(digits, [photo], seed=3)                      # [5, 3, 28, 28]
    assert out.shape == (5, 3, 28, 28) and 0 <= out.min() and out.max() <= 1
    # a black digit shows the patch itself: find it in the photograph
    shown = blend_with_photos(torch.zeros(1, 1, 28, 28), [photo], seed=3)[0]
    hits = [(r, c) for r in range(40 - 27) for c in range(50 - 27)
            if torch.equal(photo[:, r:r + 28, c:c + 28], shown)]
    assert len(hits) == 1
    # a white digit inverts it: |patch - 1| = 1 - patch
    white = blend_with_photos(torch.ones(1, 1, 28, 28), [photo], seed=3)[0]
    assert torch.allclose(white, 1 - shown)


def test_same_seed_same_images_other_seed_other_patches(photos):
    digits = load_mnist(train=False, source="bundled", limit=16)
    a, b = make_mnistm(digits, photos, seed=0), make_mnistm(digits, photos, seed=0)
    c = make_mnistm(digits, photos, seed=1)
    assert isinstance(a, LabelledImages) and a.source == "mnistm-bundled"
    assert a.images.shape == (16, 3, 28, 28) and torch.equal(a.labels, digits.labels)
    assert torch.equal(a.images, b.images) and not torch.equal(a.images, c.images)


@pytest.mark.parametrize("bad, error, message", [
    (torch.rand(4, 28, 28), ValueError, "unsqueeze\\(1\\)"),
    (torch.rand(4, 3, 28, 28), ValueError, "\\[N, 1, 28, 28\\]"),
    (torch.randint(0, 255, (4, 1, 28, 28)), TypeError, "float"),
    (torch.rand(4, 1, 28, 28) * 255, ValueError, "\\[0, 1\\]"),
    (torch.rand(0, 1, 28, 28), ValueError, "no digits"),
    ([[0.0]], TypeError, "tensor"),
])
def test_bad_digits_get_a_clear_error(bad, error, message):
    with pytest.raises(error, match=message):
        blend_with_photos(bad, [torch.rand(3, 32, 32)])


@pytest.mark.parametrize("photos, message", [
    ([], "at least one"),
    ([torch.rand(32, 32)], "\\[3, H, W\\]"),
    ([torch.rand(3, 20, 64)], "smaller than"),
])
def test_bad_photos_get_a_clear_error(photos, message):
    with pytest.raises(ValueError, match=message):
        blend_with_photos(torch.rand(2, 1, 28, 28), photos)


def test_unknown_photo_and_wrong_dataset_are_clear_errors():
    with pytest.raises(ValueError, match="Unknown photograph 'moon_landing'"):
        load_photos(["moon_landing"])
    with pytest.raises(ValueError, match="not an 8-bit colour image"):
        load_photos(["camera"])                                           # skimage's grey cameraman
    with pytest.raises(TypeError, match="load_mnist"):
        make_mnistm(torch.rand(2, 1, 28, 28))
