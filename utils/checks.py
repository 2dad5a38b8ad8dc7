"""Hidden checks that keep a lecture's text true, without stopping a student's experiment.

Every sentence of a lecture that states a measured result has a hidden cell (tag
``remove-cell``) that calls :func:`check_claim`. What happens when the claim fails depends
on where the notebook runs:

- **strict** (``make test``, ``make book``, ``make timings``, CI, or ``COURSE_CHECKS=strict``):
  an ``AssertionError``, so the published text can never contradict its own numbers;
- **friendly** (JupyterLab, Colab, anywhere else): one sentence saying what the text claims
  and what this run gave. A student who changed ``EPOCHS`` or ``NOISE`` keeps going.
"""
from __future__ import annotations

import os

CHECKS_ENV = "COURSE_CHECKS"
CHECK_MODES = ("strict", "friendly")


def checks_mode() -> str:
    """``strict`` or ``friendly``: ``$COURSE_CHECKS`` if set, else ``strict`` under CI, else friendly."""
    name = os.environ.get(CHECKS_ENV, "").strip().lower()
    if name:
        if name not in CHECK_MODES:
            raise ValueError(f"Unknown ${CHECKS_ENV}={name!r}. Use strict (a failed check is an "
                             f"error) or friendly (a failed check prints one sentence).")
        return name
    ci = os.environ.get("CI", "").strip().lower()
    return "strict" if ci not in ("", "0", "false", "no") else "friendly"


def check_claim(condition, claim: str, got=None) -> bool:
    """Check that ``claim``, a statement the text makes about this run, holds.

    ``condition`` is the test (truthy when the claim holds), ``claim`` the statement in a few
    words (``"the VAE's samples are read more confidently than the autoencoder's"``) and
    ``got`` what this run measured (``f"{vae:.2f} vs {ae:.2f}"``). Returns whether it held.
    """
    if not isinstance(claim, str) or not claim.strip():
        raise TypeError("check_claim needs the claim as a sentence, e.g. "
                        "check_claim(acc > 0.9, 'the classifier reads over 90% of digits', acc).")
    if bool(condition):
        return True
    measured = "" if got is None else f"; this run gave {got}"
    if checks_mode() == "strict":
        raise AssertionError(f"The text claims that {claim}{measured}. Fix the run or the text.")
    print(f"Note: the text claims that {claim}{measured}. That is expected when a setting "
          f"(epochs, noise, a seed, the data) was changed; the notebook carries on.")
    return False
