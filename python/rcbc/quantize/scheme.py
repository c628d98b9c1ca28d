"""The int8 quantization scheme: how real tensors become int8 and int32, and back.

Activations are per tensor and asymmetric, `real = scale * (q - zero_point)` with q in
[-128, 127], the range always holding 0 exactly (padding and ReLU's floor). Weights are per
output channel and symmetric in [-127, 127] (zero point 0); a bias is int32 in units of
`in_scale * w_scale[o]`::

    >>> qp = QParams.from_range(0.0, 6.0)            # a ReLU6 output
    >>> qp.zero_point, round(qp.scale * 255, 6)
    (-128, 6.0)
    >>> quantize(np.array([0.0, 3.0, 6.0, 7.0]), qp)
    array([-128,    0,  127,  127], dtype=int8)
    >>> q, scales = quantize_weights(np.array([[0.5, -1.0], [0.02, 0.01]]))
    >>> q.tolist(), scales.tolist() == [1 / 127, 0.02 / 127]
    ([[64, -127], [127, 64]], True)

`quantize` rounds half away from zero, as the kernels do (`rcbc.kernels.fixed_point`); it is the
conversion of a program's input, so the simulation and a compiled program agree on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rcbc.kernels.fixed_point import multiplier

INT8_MIN, INT8_MAX = -128, 127
WEIGHT_MAX = 127  # symmetric weights: -128 is never used, so -w is always representable


@dataclass(frozen=True)
class QParams:
    """`real = scale * (q - zero_point)` for an int8 tensor."""

    scale: float
    zero_point: int

    @classmethod
    def from_range(cls, lo: float, hi: float) -> QParams:
        """The asymmetric int8 parameters covering `[lo, hi]` widened to hold 0."""
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        scale = (hi - lo) / (INT8_MAX - INT8_MIN) if hi > lo else 1.0
        zero_point = int(np.clip(_round(INT8_MIN - lo / scale), INT8_MIN, INT8_MAX))
        return cls(scale, zero_point)

    def clamp(self, lo: float, hi: float) -> tuple[int, int]:
        """The int8 bounds `(q_min, q_max)` of the real clamp `[lo, hi]` (may be infinite)."""

        def bound(real: float, saturated: int) -> int:
            if math.isinf(real):
                return saturated
            return int(np.clip(self.zero_point + _round(real / self.scale), INT8_MIN, INT8_MAX))

        return bound(lo, INT8_MIN), bound(hi, INT8_MAX)


def quantize(x: np.ndarray, qp: QParams) -> np.ndarray:
    """`x` as int8: `zero_point + round(x / scale)`, rounded half away from zero, saturated."""
    q = qp.zero_point + _round(np.asarray(x, np.float64) / qp.scale)
    return np.clip(q, INT8_MIN, INT8_MAX).astype(np.int8)


def dequantize(q: np.ndarray, qp: QParams) -> np.ndarray:
    """The real values of int8 `q`, as float32."""
    return (qp.scale * (np.asarray(q, np.float64) - qp.zero_point)).astype(np.float32)


def quantize_weights(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-output-channel symmetric int8 weights of `w` (axis 0) and their scales.

    A channel of zeros gets the scale 1.
    """
    w = np.asarray(w, np.float64)
    peak = np.abs(w.reshape(w.shape[0], -1)).max(axis=1)
    scales = np.where(peak > 0, peak / WEIGHT_MAX, 1.0)
    shape = (-1,) + (1,) * (w.ndim - 1)
    q = np.clip(_round(w / scales.reshape(shape)), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
    return q, scales


def quantize_bias(b: np.ndarray | None, in_scale: float, w_scales: np.ndarray) -> np.ndarray:
    """The int32 bias in units of `in_scale * w_scales` (zeros without a bias)."""
    if b is None:
        return np.zeros(len(w_scales), np.int32)
    q = _round(np.asarray(b, np.float64) / (in_scale * w_scales))
    return np.clip(q, -(2**31), 2**31 - 1).astype(np.int32)


def requant_table(reals: np.ndarray) -> np.ndarray:
    """The `[channels, 2]` int32 table of (multiplier, shift) of each real multiplier."""
    return np.array([multiplier(float(r)) for r in reals], np.int32).reshape(-1, 2)


def _round(x: np.ndarray | float) -> np.ndarray:
    """Round half away from zero."""
    return np.sign(x) * np.floor(np.abs(x) + 0.5)
