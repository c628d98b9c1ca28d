"""rhal-quantize: make every layer compute in int8 with the quantized model's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from rcbc.frontend.interface import WEIGHT_STORE
from rcbc.frontend.weights import WeightStore
from rcbc.kernels.library import DType, kernel_for, quant_fields
from rcbc.lowering.ir_layers import DTYPE_ATTR, QUANT_ATTR, compute_ops, layer_of, main_function
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
    (`rcbc.quantize.quantizer.QuantizedModel.weights`); `QuantizeError` at the op otherwise."""
    function = main_function(module)
    if function is None:
        raise QuantizeError(module, "rhal-quantize: the module has no func.func @main")
    with module.context:
        _annotate(function, store)


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


@dataclass(frozen=True)
class Quantize(ModulePass):
    """Make every tensor-level compute op of `@main` compute in int8.

    The quantized model travels in the weight store (``rcbc compile --precision int8`` writes
    it: `QuantizedModel.weights`): per layer ``<layer>.weight`` (int8), ``.bias`` (int32),
    ``.requant`` (int32 multiplier and shift per channel) and ``.quant``, the int8 kernel's
    zero points, residual multiplier and clamps. This pass records on each op its dtype and
    those fields; rhal-partition, rhal-place and the cost model read them from the op
    (int8 sizes, the int8 kernel and its parameter block, the quantized store's weights).

    Before:

        %y = "rhal.conv2d"(%x, %w, %b) {layer = "stem.0", ...}

    After:

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
