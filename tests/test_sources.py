"""The data source choice, the data folder and the one tensor cache every loader uses."""
import tempfile

import pytest
import torch

from utils import sources
from utils.sources import cached, data_root, resolve_source, save_atomic


def test_source_is_read_once_with_requested_and_mode(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    monkeypatch.delenv("COURSE_DATA", raising=False)
    assert resolve_source() == ("auto", "bundled")  # smoke never touches the network
    monkeypatch.setenv("COURSE_PROFILE", "cpu")
    assert resolve_source() == ("auto", "auto")
    monkeypatch.setenv("COURSE_DATA", " Download ")
    assert resolve_source() == ("download", "download")
    assert resolve_source("bundled") == ("bundled", "bundled")  # the argument wins


@pytest.mark.parametrize("bad, where", [("kaggle", "argument `source=`"), (3, None)])
def test_unknown_source_argument(bad, where):
    with pytest.raises((ValueError, TypeError), match="auto, download, bundled"):
        resolve_source(bad)


def test_save_atomic_never_leaves_half_a_file(tmp_path, monkeypatch):
    path = tmp_path / "cache" / "x.pt"
    save_atomic(torch.arange(3), path)
    real_save = torch.save

    def interrupted(obj, f):
        real_save(obj, f)
        with open(f, "r+b") as handle:
            handle.truncate(10)  # half written ...
        raise KeyboardInterrupt  # ... when the user pressed Ctrl-C

    monkeypatch.setattr(torch, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_atomic(torch.arange(5), path)
    assert torch.equal(torch.load(path, weights_only=True), torch.arange(3))  # old cache intact
    assert [p.name for p in path.parent.iterdir()] == ["x.pt"]  # no stray temporary file


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 truncated", b"not a torch file at all"])
def test_damaged_cache_is_reported_deleted_and_rebuilt(tmp_path, capsys, damage):
    path = tmp_path / "c.pt"
    path.write_bytes(damage)
    calls = []

    def build():
        calls.append(1)
        return torch.ones(2)

    assert torch.equal(cached(path, build), torch.ones(2)) and calls == [1]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "is damaged" in lines[0] and "rebuilding" in lines[0]
    assert torch.equal(cached(path, build), torch.ones(2)) and calls == [1]  # now read, not rebuilt
    assert capsys.readouterr().out == ""


def test_cache_with_wrong_content_is_rebuilt(tmp_path, capsys):
    path = tmp_path / "c.pt"
    torch.save({"something": "else"}, path)
    value = cached(path, lambda: torch.zeros(1), valid=lambda x: isinstance(x, torch.Tensor))
    assert torch.equal(value, torch.zeros(1)) and "unexpected content" in capsys.readouterr().out


def test_unwritable_data_folder_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "DATA_DIR", tmp_path / "data")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(PermissionError, match=r"\$COURSE_DATA_DIR .*Permission denied.*Set COURSE_DATA_DIR"):
        data_root()


def test_data_folder_that_is_a_file(tmp_path):
    f = tmp_path / "data"
    f.write_text("oops")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        data_root(f)
    with pytest.raises(PermissionError, match="Cannot write to the data folder.*as root="):
        data_root(f / "below")  # cannot create a folder inside a file


def test_data_folder_is_created(tmp_path):
    assert data_root(tmp_path / "a" / "b").is_dir()
