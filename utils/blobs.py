"""The 3-feature blobs of lecture 02: two Gaussian blobs plus one feature of pure noise."""
from __future__ import annotations

import numbers

import numpy as np


def make_blobs_3d(n_samples: int = 500, random_state: int = 123):
    """Two Gaussian blobs in the first two features and uniform noise in the third, standardised.

    The first two features come from ``make_blobs(n_samples, n_features=2, centers=2,
    cluster_std=1, random_state=random_state)``; the third says nothing about the
    class. Returns ``X`` float32 ``[n, 3]`` and ``y`` int64 ``[n]`` as NumPy arrays.
    """
    from sklearn.datasets import make_blobs
    from sklearn.preprocessing import StandardScaler

    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 2:
        raise ValueError(f"n_samples must be a whole number, at least 2; got {n_samples!r}.")
    X, y = make_blobs(n_samples, n_features=2, centers=2, cluster_std=1,
                      random_state=random_state)
    noise = np.random.default_rng(random_state).uniform(size=(n_samples, 1))
    X = StandardScaler().fit_transform(np.hstack([X, noise]))
    return X.astype(np.float32), y.astype(np.int64)
