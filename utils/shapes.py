"""Output sizes of convolutions and transposed convolutions (lectures 3, 5 and 6)."""
from __future__ import annotations


def conv_out(n: int, k: int, s: int = 1, p: int = 0) -> int:
    """Side of a ``Conv2d`` output: floor((n - k + 2p) / s) + 1 for input side ``n``."""
    if min(n, k, s) < 1 or p < 0:
        raise ValueError(f"conv_out needs n, k, s >= 1 and p >= 0; got n={n}, k={k}, s={s}, p={p}.")
    return (n - k + 2 * p) // s + 1


def conv_transpose_out(n: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0) -> int:
    """Side of a ``ConvTranspose2d`` output: (n - 1) * s - 2p + k + output_padding."""
    if min(n, k, s) < 1 or p < 0 or not 0 <= output_padding < s:
        raise ValueError("conv_transpose_out needs n, k, s >= 1, p >= 0 and "
                         f"0 <= output_padding < s; got n={n}, k={k}, s={s}, p={p}, "
                         f"output_padding={output_padding}.")
    return (n - 1) * s - 2 * p + k + output_padding
