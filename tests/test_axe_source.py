"""tools/axe.py: where the accessibility check's engine comes from, and what happens when it
cannot be fetched or its cached copy is damaged (no network needed: the fetchers are replaced)."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import axe  # noqa: E402

ENGINE = b"/*! axe v4.99.0 */" + b" " * 200_000


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    return tmp_path / "cache" / "axe-core.min.js"


def _fail(*_):
    raise OSError("no route to host")


def test_npm_first_then_pypi_and_the_copy_is_kept(cache, monkeypatch):
    monkeypatch.setattr(axe, "_from_npm", _fail)
    monkeypatch.setattr(axe, "_from_pypi", lambda: ENGINE)
    assert axe.axe_source().startswith("/*! axe v4.99.0")
    assert cache.read_bytes() == ENGINE
    monkeypatch.setattr(axe, "_from_pypi", _fail)          # cached now: no download needed
    assert axe.axe_source().startswith("/*! axe v4.99.0")


def test_a_damaged_copy_is_fetched_again(cache, monkeypatch):
    cache.parent.mkdir(parents=True)
    cache.write_text("<html>captive portal</html>")
    monkeypatch.setattr(axe, "_from_npm", lambda: ENGINE)
    assert axe.axe_source().startswith("/*! axe v4.99.0") and cache.read_bytes() == ENGINE


def test_no_source_is_a_clear_error_and_writes_nothing(cache, monkeypatch):
    monkeypatch.setattr(axe, "_from_npm", _fail)
    monkeypatch.setattr(axe, "_from_pypi", lambda: b"not javascript")
    with pytest.raises(RuntimeError, match="python tools/axe.py fetch") as error:
        axe.axe_source()
    assert "npm: no route to host" in str(error.value) and "pypi: not axe-core" in str(error.value)
    assert not cache.exists()


def test_a_download_that_does_not_match_its_hash_is_refused(monkeypatch):
    class Reply:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"tampered archive"

    monkeypatch.setattr(axe.urllib.request, "urlopen", lambda *a, **k: Reply())
    with pytest.raises(OSError, match="sha512"):
        axe._from_npm()
