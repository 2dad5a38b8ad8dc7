"""check_claim: strict under make test, make book and CI; one friendly sentence elsewhere."""
import pytest

from utils import check_claim
from utils.checks import checks_mode


def test_strict_raises_with_claim_and_measurement(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS", "strict")
    assert check_claim(True, "it works") is True
    with pytest.raises(AssertionError, match="the loss fell; this run gave 0.9 -> 1.2"):
        check_claim(False, "the loss fell", "0.9 -> 1.2")


def test_friendly_prints_one_sentence_and_carries_on(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_CHECKS", "friendly")
    assert check_claim(0.4 > 0.9, "the classifier reads over 90% of digits", 0.4) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "over 90% of digits" in out and "0.4" in out


@pytest.mark.parametrize("env, ci, mode", [("", "", "friendly"), ("", "true", "strict"),
                                           ("friendly", "true", "friendly"), ("strict", "", "strict"),
                                           ("", "false", "friendly")])
def test_mode_from_environment(monkeypatch, env, ci, mode):
    monkeypatch.setenv("COURSE_CHECKS", env)
    monkeypatch.setenv("CI", ci)
    assert checks_mode() == mode


def test_bad_mode_and_missing_claim_are_clear_errors(monkeypatch):
    monkeypatch.setenv("COURSE_CHECKS", "loud")
    with pytest.raises(ValueError, match="strict .* or friendly"):
        checks_mode()
    with pytest.raises(TypeError, match="claim as a sentence"):
        check_claim(True, "")


def test_the_test_suite_runs_strict():
    import os
    assert os.environ["COURSE_CHECKS"] == "strict"
