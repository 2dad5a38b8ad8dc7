"""The digit classifier: the instrument the course measures generated and attacked digits with.

One small CNN, trained once per data source and run profile on the MNIST training split and
cached under ``DATA_DIR/cache``; its accuracy on the held-out test split travels with it. It
downloads no weights (there are none to download offline): the course trains what it measures
with. Lectures 04 and 06-09 use it through :func:`digit_classifier`.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .batching import TensorLoader
from .mnist import load_mnist
from .profile import get_device, get_profile
from .sources import cached, data_root

N_FEATURES = 128
_VERSION = 1


class DigitClassifier(nn.Module):
    """A small CNN for MNIST: images ``[N, 1, 28, 28]`` in ``[0, 1]`` -> 10 logits.

    ``features`` is everything but the last layer: a 128-number description of each image,
    the feature space the Fréchet distance is measured in.
    """

    num_features = N_FEATURES  # read by torchmetrics' FrechetInceptionDistance(feature=...)

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=2, padding=1),   # [N, 1, 28, 28] -> [N, 32, 14, 14]
            nn.ReLU(),
            nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1),  # -> [N, 64, 7, 7]
            nn.ReLU(),
            nn.Flatten(),                                           # -> [N, 3136]
            nn.Linear(64 * 7 * 7, N_FEATURES),                      # -> [N, 128]
            nn.ReLU(),
        )
        self.head = nn.Linear(N_FEATURES, 10)                       # -> [N, 10] logits
        self.accuracy = float("nan")  # on the held-out split; set by digit_classifier()

    def features(self, images: torch.Tensor) -> torch.Tensor:
        """The 128 features of each image: ``[N, 1, 28, 28]`` -> ``[N, 128]``."""
        return self.body(check_digit_images(images))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(images))

    @torch.no_grad()
    def probabilities(self, images: torch.Tensor, chunk: int = 2000) -> torch.Tensor:
        """Class probabilities ``[N, 10]``, computed in chunks on the classifier's device."""
        device = next(self.parameters()).device
        return torch.cat([F.softmax(self(images[i:i + chunk].to(device)), dim=1)
                          for i in range(0, len(images), chunk)])

    def predict(self, images: torch.Tensor) -> torch.Tensor:
        """The class each image is read as, ``[N]``."""
        return self.probabilities(images).argmax(dim=1)


class DigitFeatures(nn.Module):
    """The classifier's feature extractor as a module of its own, for torchmetrics.

    ``FrechetInceptionDistance(feature=DigitFeatures(classifier))`` measures in the
    classifier's 128-number feature space instead of Inception's (which needs downloaded
    weights and 299x299 colour images).
    """

    num_features = N_FEATURES

    def __init__(self, classifier: DigitClassifier):
        super().__init__()
        self.classifier = classifier

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier.features(images)


def check_digit_images(images) -> torch.Tensor:
    """``images`` as they are if they are float ``[N, 1, 28, 28]`` in ``[0, 1]``, else a clear error."""
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"The digit classifier takes a tensor of images [N, 1, 28, 28]; "
                        f"got {type(images).__name__}.")
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        hint = ""
        if images.dim() == 3 and tuple(images.shape[1:]) == (28, 28):
            hint = " Add the channel dimension: images.unsqueeze(1)."
        elif images.dim() == 2 and images.shape[1] == 784:
            hint = " Reshape flat images first: images.view(-1, 1, 28, 28)."
        elif images.dim() == 3 and tuple(images.shape) == (1, 28, 28):
            hint = " A single image needs a batch dimension: images.unsqueeze(0)."
        raise ValueError(f"The digit classifier takes images of shape [N, 1, 28, 28]; got "
                         f"{list(images.shape)}.{hint}")
    if not images.is_floating_point():
        raise TypeError(f"The digit classifier takes float images in [0, 1]; got {images.dtype}. "
                        f"Convert with images.float() / 255.")
    if images.numel():
        low, high = images.min().item(), images.max().item()
        if low < -1e-3 or high > 1 + 1e-3:
            hint = (" A tanh generator's output in [-1, 1] becomes (x + 1) / 2." if low >= -1 - 1e-3
                    and high <= 1 + 1e-3 else "")
            raise ValueError(f"The digit classifier takes pixels in [0, 1]; these range from "
                             f"{low:.3f} to {high:.3f}.{hint}")
    return images


def _train(train, test, steps: int, device: torch.device) -> tuple[dict, float]:
    with torch.random.fork_rng(devices=[]):  # the notebook's own random stream is left alone
        torch.manual_seed(0)
        model = DigitClassifier().to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loader = TensorLoader(train.images, train.labels, batch_size=128, shuffle=True,
                              device=device, seed=0)
        step = 0
        while step < steps:
            for images, labels in loader:
                optimizer.zero_grad()
                F.cross_entropy(model(images), labels).backward()
                optimizer.step()
                step += 1
                if step == steps:
                    break
    model.eval()
    accuracy = (model.predict(test.images).cpu() == test.labels).float().mean().item()
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    return state, accuracy


def digit_classifier(device: torch.device | str | None = None, source: str | None = None,
                     profile: str | None = None) -> DigitClassifier:
    """The course's digit classifier, trained on MNIST's training split, in eval mode.

    Trained once per data source (``torchvision`` or ``bundled``, see ``load_mnist``) and
    profile, then loaded from ``DATA_DIR/cache`` in a second. A damaged cache is rebuilt.
    Its held-out accuracy is ``.accuracy``. Its weights are frozen; gradients with respect
    to its input (adversarial attacks) still flow.
    """
    profile = profile or get_profile()
    steps = {"smoke": 300, "cpu": 1500, "full": 4000}.get(profile)
    if steps is None:
        raise ValueError(f"Unknown run profile {profile!r}: use smoke, cpu or full.")
    device = torch.device(device) if device is not None else get_device()
    train = load_mnist(train=True, source=source)
    # the test split from the same source (and no second network probe when offline)
    test = load_mnist(train=False, source="bundled" if train.source == "bundled" else source)
    path = data_root() / "cache" / f"digit_classifier_v{_VERSION}_{train.source}_{profile}.pt"
    keys = set(DigitClassifier().state_dict())

    def valid(value) -> bool:
        return (isinstance(value, dict) and set(value.get("state", {})) == keys
                and isinstance(value.get("accuracy"), float) and 0 <= value["accuracy"] <= 1)

    def build() -> dict:
        print(f"training the digit classifier once ({steps} steps on {len(train):,} digits); "
              f"later runs load it from {path.parent}")
        state, accuracy = _train(train, test, steps, device)
        return {"state": state, "accuracy": accuracy, "n_train": len(train), "n_test": len(test)}

    saved = cached(path, build, valid)
    model = DigitClassifier()
    model.load_state_dict(saved["state"])
    model.accuracy = saved["accuracy"]
    model.requires_grad_(False)
    print(f"digit classifier: {saved['accuracy']:.1%} of {saved['n_test']:,} held-out "
          f"{train.source} digits read correctly")
    return model.to(device).eval()


@torch.no_grad()
def frechet_distance(images: torch.Tensor, reference: torch.Tensor, classifier) -> float:
    """The Fréchet distance between two sets of digits in the digit classifier's features.

    Both sets are ``[N, 1, 28, 28]`` in ``[0, 1]`` (at least 2 images each; a few hundred or
    more for a stable estimate). 0 means the two sets' features have the same mean and
    covariance; it cannot see which image was produced from which input.
    """
    from torchmetrics.image.fid import FrechetInceptionDistance

    for name, batch in (("images", images), ("reference", reference)):
        check_digit_images(batch)
        if len(batch) < 2:
            raise ValueError(f"frechet_distance needs at least 2 {name}; got {len(batch)}.")
    device = next(classifier.parameters()).device
    fid = FrechetInceptionDistance(feature=DigitFeatures(classifier)).to(device)
    for chunk in reference.split(1000):
        fid.update(chunk.to(device), real=True)
    for chunk in images.split(1000):
        fid.update(chunk.to(device), real=False)
    return fid.compute().item()



__all__ = ["DigitClassifier", "DigitFeatures", "check_digit_images", "digit_classifier",
           "frechet_distance", "N_FEATURES"]
