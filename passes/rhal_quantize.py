"""rhal-quantize: make every layer compute in int8 with the quantized model's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from rcbc.bytecode.quantization import check_qparams, entry_names
from rcbc.frontend.interface import WEIGHT_STORE
from rcbc.frontend.weights import WeightStore
from rcbc.kernels.library import DType, kernel_for, quant_fields
from rcbc.lowering.ir_layers import (
    DTYPE_ATTR, QPARAMS_ATTR, QUANT_ATTR, compute_ops, io_values, layer_of, main_function, set_io_attribute,
)
from rcbc.mlir import ir
from rcbc.registry import ModulePass, option

QUANT_SUFFIX = "quant"  # <layer>.quant: rcbc.quantize.quantizer.QUANT_SUFFIX


class QuantizeError(Exception):
    def __init__(self, op: ir.Operation | ir.OpView, message: str):
        super().__init__(message)
        self.op, self.message = op, message


def quantize_layers(module: ir.Operation, store: Mapping[str, np.ndarray]) -> None:
    """Mark every compute op of `@main` int8 (`rhal.dtype = "i8"`) with its kernel's
    quantization fields (`rhal.quant`) from `<layer>.quant` of the quantized weight store
    (`rcbc.quantize.quantizer.QuantizedModel.weights`), and every input and output of `@main`
    with its scale and zero point (`rhal.qparams`) from `<name>.scale` and `<name>.zero_point`;
    `QuantizeError` at the op or the function otherwise."""
    function = main_function(module)
    if function is None:
        raise QuantizeError(module, "rhal-quantize: the module has no func.func @main")
    with module.context:
        _annotate(function, store)
        _annotate_io(function, store)


def _annotate(function, store: Mapping[str, np.ndarray]) -> None:
    i32 = ir.IntegerType.get_signless(32)
    for op in compute_ops(function):
        layer = layer_of(op)
        kernel = kernel_for(layer.kind, DType.I8)
        key = f"{layer.name}.{QUANT_SUFFIX}"
        if key not in store:
            raise QuantizeError(
                op, f"rhal-quantize: layer {layer.name} ({layer.kind}) is not in the quantized "
                    f"model: the weight store has no '{key}'")
        names = quant_fields(kernel.name)
        values = np.asarray(store[key]).ravel()
        if len(values) != len(names):
            raise QuantizeError(
                op, f"rhal-quantize: '{key}' holds {len(values)} values; {kernel.name} has "
                    f"{len(names)} quantization fields ({', '.join(names)})")
        op.attributes[DTYPE_ATTR] = ir.StringAttr.get("i8")
        op.attributes[QUANT_ATTR] = ir.DictAttr.get(
            {name: ir.IntegerAttr.get(i32, int(v)) for name, v in zip(names, values)})


def _annotate_io(function, store: Mapping[str, np.ndarray]) -> None:
    for io in io_values(function):
        values = []
        for key, dtype in zip(entry_names(io.name), (np.float32, np.int32)):
            if key not in store:
                raise QuantizeError(
                    function, f"rhal-quantize: {io.role} '{io.name}' is not in the quantized model: "
                              f"the weight store has no '{key}'")
            array = np.asarray(store[key])
            if array.dtype != dtype or array.size != 1:
                raise QuantizeError(
                    function, f"rhal-quantize: '{key}' is {array.dtype} of shape {list(array.shape)}; "
                              f"it must hold one {np.dtype(dtype)}")
            values.append(array.item())
        scale, zero_point = values
        problem = check_qparams(scale, zero_point)
        if problem:
            raise QuantizeError(function, f"rhal-quantize: {io.role} '{io.name}' of the quantized "
                                          f"model: {problem}")
        set_io_attribute(function, io, QPARAMS_ATTR, ir.DictAttr.get({
            "scale": ir.FloatAttr.get_f32(scale),
            "zero_point": ir.IntegerAttr.get(ir.IntegerType.get_signless(32), zero_point),
        }))


@dataclass(frozen=True)
class Quantize(ModulePass):
    """Make every tensor-level compute op of `@main` compute in int8.

    The quantized model travels in the weight store (``rcbc compile --precision int8`` writes
    it: `QuantizedModel.weights`): per layer ``<layer>.weight`` (int8), ``.bias`` (int32),
    ``.requant`` (int32 multiplier and shift per channel) and ``.quant``, the int8 kernel's
    zero points, residual multiplier and clamps; per input and output ``<name>.scale``
    (float32) and ``<name>.zero_point`` (int32). This pass records on each op its dtype and
    those fields; rhal-partition, rhal-place and the cost model read them from the op
    (int8 sizes, the int8 kernel and its parameter block, the quantized store's weights). On
    each input and output of ``@main`` it records the scale and zero point (``rhal.qparams``),
    which rhal-place stores in the program beside the binding (docs/rcb-bytecode.md,
    *Quantized I/O*).

    Before:

        func.func @main(%x: tensor<1x3x32x32xf32> {rcbc.input = "x"}, ...)
            -> (tensor<1x10xf32> {rcbc.output = "output"}) {
          %y = "rhal.conv2d"(%x, %w, %b) {layer = "stem.0", ...}

    After:

        func.func @main(%x: tensor<1x3x32x32xf32> {rcbc.input = "x",
                          rhal.qparams = {scale = 3.125000e-02 : f32, zero_point = -3 : i32}}, ...)
            -> (tensor<1x10xf32> {rcbc.output = "output",
                 rhal.qparams = {scale = 6.250000e-02 : f32, zero_point = -128 : i32}}) {
          %y = "rhal.conv2d"(%x, %w, %b) {layer = "stem.0", rhal.dtype = "i8",
              rhal.quant = {in_zp = -3 : i32, out_zp = -128 : i32, q_max = 127 : i32,
                            q_min = -128 : i32, res_mult = 0 : i32, res_shift = 0 : i32,
                            res_zp = 0 : i32}, ...}
    """

    argument: ClassVar[str] = "rhal-quantize"
    store_dir: str = option(".", "directory the module's rcbc.weight_store is relative to")
    weights: str = option("", "quantized weight store file, instead of the module's rcbc.weight_store")

    def run(self, module: ir.Operation) -> None:
        path = self.weights
        if not path:
            if WEIGHT_STORE not in module.attributes:
                self.fail(module, f"rhal-quantize: the module has no '{WEIGHT_STORE}' and no weights= was given")
            path = str(Path(self.store_dir) / ir.StringAttr(module.attributes[WEIGHT_STORE]).value)
        try:
            store = WeightStore.load(path)
        except Exception as e:  # WeightStoreError, OSError
            self.fail(module, f"rhal-quantize: cannot load the weight store {path}: {e}")
        try:
            quantize_layers(module, store)
        except QuantizeError as e:
            self.fail(e.op, e.message)
