"""The integer arithmetic of the int8 kernels: exact, so every implementation agrees bit for bit.

A real multiplier `M > 0` is a pair `(m, s)` of integers, `M ~ m / 2**s`, with `m` in
`[2**30, 2**31)` (31 significant bits, the Q31 mantissa of gemmlowp and TFLite) and the right
shift `s` in `[0, 62]`; `(0, 0)` is the multiplier 0. `rescale(x, m, s)` is
`round(x * m / 2**s)` computed exactly: the product in int64 (|x| < 2**31, so it fits), then one
rounding, half away from zero. There is no second rounding (TFLite's
SaturatingRoundingDoublingHighMul followed by RoundingDivideByPOT rounds twice)::

    >>> multiplier(0.75)
    (1610612736, 31)
    >>> rescale(np.array([5, -5, 2, -2]), 1610612736, 31)   # 3.75, -3.75, 1.5, -1.5
    array([ 4, -4,  2, -2])

Accumulators are int32 and wrap modulo 2**32 (`wrap_i32`); averages divide exactly with
`round_div`. `rcbc.kernels.reference` and the C engine's kernels use exactly these rules.
"""

from __future__ import annotations

import math

import numpy as np

MAX_SHIFT = 62
"""The largest right shift of a multiplier: |x * m| < 2**62 leaves room for the rounding."""


def multiplier(real: float) -> tuple[int, int]:
    """The `(m, s)` nearest to `real`, with `m` in `[2**30, 2**31)` and `s` in `[0, 62]`.

    Multipliers below 2**-32 round every int32 to 0 and give `(0, 0)`; `real` must be
    finite, non-negative and below 2**30.
    """
    if not (math.isfinite(real) and 0 <= real < 2.0**30):
        raise ValueError(f"a requantization multiplier must lie in [0, 2**30), not {real}")
    mantissa, exponent = math.frexp(real)  # real = mantissa * 2**exponent, mantissa in [0.5, 1)
    m, s = round(mantissa * 2**31), 31 - exponent
    if m == 2**31:
        m, s = 2**30, s - 1
    if m == 0 or s > MAX_SHIFT:
        return 0, 0
    return m, s


def round_shift(p: np.ndarray, s: np.ndarray | int) -> np.ndarray:
    """`p / 2**s` rounded half away from zero, for int64 `p` with |p| < 2**62 and `s` in [0, 62]."""
    p = np.asarray(p, dtype=np.int64)
    s = np.asarray(s, dtype=np.int64)
    half = np.left_shift(np.int64(1), s) >> 1
    magnitude = (np.abs(p) + half) >> s
    return np.where(p < 0, -magnitude, magnitude)


def rescale(x: np.ndarray, m: np.ndarray | int, s: np.ndarray | int) -> np.ndarray:
    """`round(x * m / 2**s)`, half away from zero, exactly (int64 result); |x| < 2**31."""
    return round_shift(np.asarray(x, dtype=np.int64) * np.asarray(m, dtype=np.int64), s)


def round_div(a: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """`a / n` rounded half away from zero, for integers `a` and positive `n`."""
    a = np.asarray(a, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    magnitude = (2 * np.abs(a) + n) // (2 * n)
    return np.where(a < 0, -magnitude, magnitude)


def wrap_i32(x: np.ndarray) -> np.ndarray:
    """`x` modulo 2**32 as int32 (two's complement), as an int32 accumulator keeps it."""
    return np.asarray(x, dtype=np.int64).astype(np.int32)
