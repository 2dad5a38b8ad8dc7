import pytest
import torch

from utils import profile
from utils.profile import by_profile, get_device, get_profile, seed_everything


@pytest.mark.parametrize("name", ["smoke", "cpu", "full", " CPU "])
def test_named_profiles(monkeypatch, name):
    monkeypatch.setenv("COURSE_PROFILE", name)
    assert get_profile() == name.strip().lower()


def test_by_profile_picks_active_value(monkeypatch):
    for name, expected in [("smoke", 1), ("cpu", 5), ("full", 20)]:
        monkeypatch.setenv("COURSE_PROFILE", name)
        assert by_profile(smoke=1, cpu=5, full=20) == expected


def test_by_profile_needs_all_three_by_name():
    with pytest.raises(TypeError):
        by_profile(1, 5, 20)
    with pytest.raises(TypeError):
        by_profile(smoke=1, cpu=5)


def test_unknown_profile_lists_valid_ones(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="smoke, cpu, full"):
        get_profile()


@pytest.mark.parametrize("accelerator, expected", [(True, "full"), (False, "cpu")])
def test_auto_profile_follows_accelerator(monkeypatch, accelerator, expected):
    monkeypatch.setenv("COURSE_PROFILE", "auto")
    monkeypatch.setattr(profile, "accelerator_available", lambda: accelerator)
    assert get_profile() == expected
    monkeypatch.delenv("COURSE_PROFILE")
    assert get_profile() == expected


class _Backend:
    def __init__(self, available):
        self.available = available

    def is_available(self):
        return self.available


@pytest.mark.parametrize("cuda, mps, expected", [
    (True, True, "cuda"),   # the original lecture's bug picked MPS here
    (True, False, "cuda"),
    (False, True, "mps"),
    (False, False, "cpu"),
])
def test_device_order_cuda_mps_cpu(monkeypatch, cuda, mps, expected):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends, "mps", _Backend(mps))
    assert get_device().type == expected


def test_device_override(monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    with pytest.raises(RuntimeError, match="no CUDA"):
        get_device()


def test_seed_everything_repeats_draws():
    seed_everything(3)
    a = torch.randn(4), torch.randint(0, 100, (3,))
    seed_everything(3)
    b = torch.randn(4), torch.randint(0, 100, (3,))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])


def test_setup_prints_profile_and_device(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert profile.setup().type == "cpu"
    assert "profile: smoke | device: cpu" in capsys.readouterr().out
