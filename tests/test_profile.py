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


@pytest.mark.parametrize("value", ["gpu0", "gpu", "cuda0", "CUDA:x", "tpu", "cpu:0:1", "meta"])
def test_device_that_is_not_a_device_names_the_valid_ones(monkeypatch, value):
    monkeypatch.setenv("COURSE_DEVICE", value)
    with pytest.raises(ValueError, match=r"COURSE_DEVICE=.*not a device.*cpu, cuda, cuda:N .* or mps"):
        get_device()


def test_mps_without_mps_is_a_clear_error_like_cuda(monkeypatch):
    monkeypatch.setattr(torch.backends, "mps", _Backend(False))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for name, what in [("mps", "no MPS"), ("cuda", "no CUDA"), ("cuda:0", "no CUDA")]:
        monkeypatch.setenv("COURSE_DEVICE", name)
        with pytest.raises(RuntimeError, match=what):
            get_device()
    monkeypatch.setattr(torch.backends, "mps", _Backend(True))
    monkeypatch.setenv("COURSE_DEVICE", " MPS ")
    assert get_device().type == "mps"


def test_gpu_index_beyond_the_gpus_present(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setenv("COURSE_DEVICE", "cuda:5")
    with pytest.raises(RuntimeError, match="use cuda:0 to cuda:1"):
        get_device()
    monkeypatch.setenv("COURSE_DEVICE", "cuda:1")
    assert get_device() == torch.device("cuda:1")


def test_prefer_argument_is_checked_too():
    with pytest.raises(ValueError, match=r"get_device\(prefer\)='gpu0'"):
        get_device("gpu0")


@pytest.mark.parametrize("seed", [-1, 2**32, 1.5, "0"])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be"):
        seed_everything(seed)


def test_progress_variable_typo(monkeypatch):
    from utils import progress

    monkeypatch.setenv("COURSE_PROGRESS", "of")
    with pytest.raises(ValueError, match=r"COURSE_PROGRESS='of'.*on or off"):
        progress(range(3))
    monkeypatch.setenv("COURSE_PROGRESS", "off")
    assert list(progress(range(3))) == [0, 1, 2]


def test_show_source_needs_a_function_or_class():
    from utils import show_source

    with pytest.raises(TypeError, match="function or class"):
        show_source(3)


def test_by_profile_with_a_profile_typo(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoek")
    with pytest.raises(ValueError, match=r"'smoek' in \$COURSE_PROFILE.*smoke, cpu, full"):
        by_profile(smoke=1, cpu=2, full=3)


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


def test_setup_prints_numpy_scalars_as_plain_numbers(capsys):
    """MyST-NB's glue formats a number from its text form: `np.float64(0.5)` would not parse."""
    import numpy as np

    from utils import setup

    setup()
    assert repr(np.float64(0.25)) == "0.25" and repr(np.float32(0.5)) == "0.5"
    assert "profile:" in capsys.readouterr().out


def test_run_seed_from_the_environment(monkeypatch):
    from utils import run_seed
    monkeypatch.delenv("COURSE_SEED", raising=False)
    assert run_seed() == 0 and run_seed(5) == 5
    monkeypatch.setenv("COURSE_SEED", "2")
    assert run_seed() == 2 and run_seed(5) == 2
    monkeypatch.setenv("COURSE_SEED", "two")
    with pytest.raises(ValueError, match="whole number"):
        run_seed()
