"""The face loaders, tested offline on small folders written in their on-disk layouts."""
import numpy as np
import pytest
import torch
from PIL import Image

from utils import faces as faces_module
from utils import load_faces


def _save_jpeg(path, size=(40, 30), seed=0):
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, size=(size[1], size[0], 3), dtype=np.uint8)).save(path)


@pytest.fixture
def image_folder(tmp_path):
    """An ImageFolder tree like the original lecture's 'Extracted Faces': class sub-folders."""
    folder = tmp_path / "faces"
    for c, person in enumerate(["alice", "bob"]):
        (folder / person).mkdir(parents=True)
        for i in range(3):
            _save_jpeg(folder / person / f"{i}.jpg", seed=10 * c + i)
    (folder / "bob" / ".DS_Store").write_bytes(b"\0")  # junk a Mac leaves: ignored
    return folder


def test_folder_is_decoded_once_into_a_uint8_cache(image_folder, tmp_path, capsys):
    faces = load_faces(size=16, folder=image_folder, root=tmp_path, source="auto")
    assert faces.source == "folder" and faces.images.shape == (6, 3, 16, 16)
    assert faces.images.dtype == torch.uint8
    assert "image folder" in capsys.readouterr().out
    cached = list((tmp_path / "cache").glob("faces-folder-*-16px-all.pt"))
    assert len(cached) == 1
    again = load_faces(size=16, folder=image_folder, root=tmp_path)
    assert torch.equal(again.images, faces.images)
    x = faces.to_float()
    assert x.dtype == torch.float32 and -1 <= x.min() and x.max() <= 1
    expected = faces.images[0].float() / 127.5 - 1  # Normalize((0.5,)*3, (0.5,)*3) after ToTensor
    assert torch.allclose(x[0], expected, atol=1e-6)


def test_folder_without_class_subfolders_explains_the_layout(tmp_path):
    flat = tmp_path / "flat"
    flat.mkdir()
    _save_jpeg(flat / "a.jpg")
    with pytest.raises(ValueError, match=r"no class sub-folders.*1 image file.*<class>/<image>"):
        load_faces(folder=flat, root=tmp_path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist.*ImageFolder layout"):
        load_faces(folder=tmp_path / "nowhere", root=tmp_path)


def test_faces_dir_variable_pointing_nowhere_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_FACES_DIR", str(tmp_path / "typo"))
    with pytest.raises(FileNotFoundError, match=r"from \$COURSE_FACES_DIR\) does not exist"):
        load_faces(size=8, root=tmp_path)
    # asking for the bundled faces ignores the folder
    assert load_faces(size=8, source="bundled", root=tmp_path).source == "bundled"


def test_empty_folder_and_empty_class_folders(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no class sub-folders"):
        load_faces(size=8, folder=empty, root=tmp_path)
    (empty / "people").mkdir()
    with pytest.raises(ValueError, match="No image files found"):
        load_faces(size=8, folder=empty, root=tmp_path)


def test_folder_argument_that_is_a_file(tmp_path):
    f = tmp_path / "faces.zip"
    f.write_bytes(b"PK")
    with pytest.raises(FileNotFoundError, match="is a file, not a folder"):
        load_faces(size=8, folder=f, root=tmp_path)


def test_damaged_face_cache_is_rebuilt(tmp_path, capsys):
    first = load_faces(size=8, source="bundled", limit=5, root=tmp_path)
    cache = next((tmp_path / "cache").glob("faces-bundled-8px-5.pt"))
    cache.write_bytes(cache.read_bytes()[:50])  # a write cut short by Ctrl-C
    again = load_faces(size=8, source="bundled", limit=5, root=tmp_path)
    assert torch.equal(first.images, again.images)
    out = capsys.readouterr().out
    assert out.count("is damaged") == 1 and "rebuilding" in out
    torch.save(torch.zeros(2, 3, 4, 4), cache)  # a file that loads but holds the wrong thing
    assert torch.equal(load_faces(size=8, source="bundled", limit=5, root=tmp_path).images, first.images)
    assert "unexpected content" in capsys.readouterr().out


def test_to_float_rejects_an_empty_range(tmp_path):
    faces = load_faces(size=8, source="bundled", limit=2, root=tmp_path)
    with pytest.raises(ValueError, match="low < high"):
        faces.to_float(value_range=(1, 1))


def test_corrupt_image_is_named(image_folder, tmp_path):
    bad = image_folder / "alice" / "broken.jpg"
    bad.write_bytes(b"this is not a jpeg")
    with pytest.raises(ValueError, match=r"Cannot read image .*broken\.jpg"):
        load_faces(size=8, folder=image_folder, root=tmp_path)


def test_non_image_file_is_named(image_folder, tmp_path):
    (image_folder / "alice" / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match=r"notes\.txt is not an image file"):
        load_faces(size=8, folder=image_folder, root=tmp_path)


def test_lfw_path_reads_sklearn_layout_offline(tmp_path, monkeypatch, capsys):
    """A tiny LFW in scikit-learn's on-disk layout; nothing is downloaded."""
    monkeypatch.setenv("COURSE_PROFILE", "cpu")
    monkeypatch.setattr(faces_module, "host_reachable", lambda *a, **k: pytest.fail("no probe needed"))
    lfw_home = tmp_path / "lfw" / "lfw_home"
    for name in ["pairsDevTrain.txt", "pairsDevTest.txt", "pairs.txt"]:
        (lfw_home / name).parent.mkdir(parents=True, exist_ok=True)
        (lfw_home / name).write_text("1\n")
    for p, person in enumerate(["Ada_Lovelace", "Alan_Turing"]):
        folder = lfw_home / "lfw_funneled" / person
        folder.mkdir(parents=True)
        for i in range(2):
            _save_jpeg(folder / f"{person}_{i + 1:04d}.jpg", size=(250, 250), seed=p * 2 + i)
    faces = load_faces(size=32, root=tmp_path)
    assert faces.source == "lfw" and faces.images.shape == (4, 3, 32, 32)
    assert faces.images.float().std() > 10  # real pixel content, not zeros
    assert "Labeled Faces in the Wild" in capsys.readouterr().out


def test_offline_falls_back_to_bundled_faces(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_PROFILE", "cpu")
    monkeypatch.delenv("COURSE_FACES_DIR", raising=False)
    monkeypatch.setattr(faces_module, "host_reachable", lambda *a, **k: False)
    faces = load_faces(size=32, root=tmp_path)
    assert faces.source == "bundled" and faces.images.shape == (100, 3, 32, 32)
    # grey faces repeated over three channels
    assert torch.equal(faces.images[:, 0], faces.images[:, 1])
    assert "no network" in capsys.readouterr().out
    with pytest.raises(RuntimeError, match="COURSE_DATA=bundled"):
        load_faces(size=32, root=tmp_path, source="download")


@pytest.mark.parametrize("size", [2, 0, -64, 32.5, "64"])
def test_bad_size(tmp_path, size):
    with pytest.raises(ValueError, match="size"):
        load_faces(size=size, source="bundled", root=tmp_path)
