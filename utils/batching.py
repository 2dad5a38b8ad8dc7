"""TensorLoader: shuffled mini-batches sliced from tensors already on the training device."""
from __future__ import annotations

import numbers

import torch


class TensorLoader:
    """Mini-batches from tensors that already live on the training device.

    A ``DataLoader`` over a ``TensorDataset`` indexes and stacks examples one by one
    on the CPU. For data that fits on the GPU it is faster to move it there once and
    slice shuffled batches directly, which is all this does. Iterating yields tuples,
    like a ``DataLoader`` over a ``TensorDataset``::

        loader = TensorLoader(images, batch_size=32, shuffle=True, device=device)
        for (X_batch,) in loader: ...
    """

    def __init__(self, *tensors, batch_size: int, shuffle: bool = True, device=None,
                 drop_last: bool = False, seed: int | None = None):
        if not tensors:
            raise ValueError("TensorLoader needs at least one tensor.")
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number, at least 1; got {batch_size!r}.")
        self.tensors = tuple(torch.as_tensor(t) if device is None else torch.as_tensor(t).to(device)
                             for t in tensors)
        if any(t.ndim == 0 for t in self.tensors):
            raise ValueError("TensorLoader needs tensors with a first (example) dimension, not scalars.")
        sizes = {len(t) for t in self.tensors}
        if len(sizes) != 1:
            raise ValueError(f"all tensors must have the same length; got {sorted(sizes)}.")
        self.n = sizes.pop()
        if self.n == 0:
            raise ValueError("TensorLoader got empty tensors: there is nothing to batch.")
        if drop_last and self.n < batch_size:
            raise ValueError(f"drop_last=True with {self.n} examples and batch_size={batch_size} "
                             f"leaves no batch; use a smaller batch_size.")
        self.batch_size, self.shuffle, self.drop_last = int(batch_size), shuffle, drop_last
        self.generator = torch.Generator().manual_seed(seed) if seed is not None else None

    def __len__(self) -> int:
        full, rest = divmod(self.n, self.batch_size)
        return full if (self.drop_last or rest == 0) else full + 1

    def __iter__(self):
        order = (torch.randperm(self.n, generator=self.generator) if self.shuffle
                 else torch.arange(self.n))
        order = order.to(self.tensors[0].device)
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            yield tuple(t[idx] for t in self.tensors)
