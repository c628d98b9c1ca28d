"""Quantized I/O: the scale and zero point of an int8 binding, as two entries of the data image.

An `i8` input or output `x` is quantized when the data directory holds ``x.scale`` (f32, one
element, positive and finite) and ``x.zero_point`` (i32, one element, in [-128, 127]): its
values stand for ``scale * (q - zero_point)`` (``docs/rcb-bytecode.md``, section 5, *Quantized
I/O*). Engines copy the two entries to DDR like any other and never read them; a host quantizes
real inputs and dequantizes outputs with them, so that an int8 program needs nothing beside its
file::

    >>> qp = binding_qparams(program, program.io[0])   # QParams(scale=0.0309, zero_point=0)
    >>> x8 = quantize(image, qp)                      # rcbc.quantize.scheme

`rcbc compile --precision int8` writes them for its input and output (rhal-quantize reads them
from the quantized weight store, under the same names).
"""

from __future__ import annotations

import math

import numpy as np

from rcbc.bytecode.program import NUMPY_DTYPES, DataEntry, DType, IoBinding, Program
from rcbc.quantize.scheme import INT8_MAX, INT8_MIN, QParams


class QuantizationError(ValueError):
    """An int8 binding's quantization entries are malformed; the message names the entry."""


def entry_names(binding: str) -> tuple[str, str]:
    """The data entries of `binding`'s scale and zero point."""
    return f"{binding}.scale", f"{binding}.zero_point"


def check_qparams(scale: float, zero_point: int) -> str | None:
    """What makes `scale` and `zero_point` no int8 tensor's parameters, or None."""
    problems = []
    if not (math.isfinite(scale) and scale > 0):
        problems.append(f"the scale {scale} is not positive and finite")
    if not INT8_MIN <= zero_point <= INT8_MAX:
        problems.append(f"the zero point {zero_point} is outside the int8 range [{INT8_MIN}, {INT8_MAX}]")
    return "; ".join(problems) or None


def missing_qparams(binding: IoBinding) -> str:
    """The message for an int8 `binding` whose program holds no parameters for it."""
    names = " and ".join(f"'{name}'" for name in entry_names(binding.name))
    return (f"the program takes int8 {binding.direction.name.lower()} '{binding.name}' but holds no "
            f"scale and zero point for it (data entries {names})")


def binding_qparams(program: Program, binding: IoBinding) -> QParams | None:
    """The quantization of `binding`, or None if the program holds none (a float binding, or
    an int8 one without the entries)."""
    if binding.dtype is not DType.I8:
        return None
    entries = {entry.name: entry for entry in program.data}
    scale_name, zero_point_name = entry_names(binding.name)
    scale, zero_point = entries.get(scale_name), entries.get(zero_point_name)
    what = f"int8 {binding.direction.name.lower()} '{binding.name}'"
    if scale is None and zero_point is None:
        return None
    if scale is None or zero_point is None:
        present, missing = ((scale_name, zero_point_name) if zero_point is None
                            else (zero_point_name, scale_name))
        raise QuantizationError(f"{what} has the data entry '{present}' but not '{missing}'")
    qparams = QParams(float(_single(scale, DType.F32, what)), int(_single(zero_point, DType.I32, what)))
    problem = check_qparams(qparams.scale, qparams.zero_point)
    if problem:
        raise QuantizationError(f"{what}: {problem} (data entries '{scale_name}' and '{zero_point_name}')")
    return qparams


def _single(entry: DataEntry, dtype: DType, what: str):
    """The one value of `entry`, which must hold one `dtype`."""
    if entry.dtype is not dtype or math.prod(entry.shape) != 1:
        raise QuantizationError(
            f"data entry '{entry.name}' of {what} is {entry.dtype.name.lower()} "
            f"{list(entry.shape)}; it must hold one {dtype.name.lower()}")
    return np.frombuffer(entry.payload, dtype=NUMPY_DTYPES[dtype])[0]
