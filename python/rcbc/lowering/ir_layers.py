"""Reading the tensor-level rhal compute ops as `Layer`s, and the function that holds them.

    for op in compute_ops(module):
        layer = layer_of(op)          # kind, shapes, window, fusions of the op
    for io in io_values(function):    # the inputs and outputs of @main, by name
        io_attribute(function, io, QPARAMS_ATTR)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rcbc.dialects import rhal
from rcbc.frontend.interface import INPUT, OUTPUT, WEIGHT
from rcbc.kernels.library import Activation, EltwiseOp, PoolMode
from rcbc.lowering.layers import Layer
from rcbc.mlir import func, ir

BLOCK_ATTR = "rhal.block"  # array<i64: channels, rows, columns, input channels per launch>
COST_ATTR = "rhal.cost"  # modeled cycles and bytes of the chosen shape
STAGED_ATTR = "rhal.staged"  # unit: shared weight chunks go through memory tiles (rhal-place)
STAGED_INPUTS_ATTR = "rhal.staged_inputs"  # unit: shared input windows go through memory tiles
INPUT_STATIONARY_ATTR = "rhal.input_stationary"  # unit: a tile's blocks run spatial-major
DTYPE_ATTR = "rhal.dtype"  # "i8": the layer computes on int8 (rhal-quantize); absent: f32
QUANT_ATTR = "rhal.quant"  # an i8 layer's quantization fields of its kernel, {name = i32}
QPARAMS_ATTR = "rhal.qparams"  # an int8 program's input or output: {scale = f32, zero_point = i32}
COMPUTE_OPS = (rhal.Conv2dOp, rhal.Pool2dOp, rhal.GlobalAvgPoolOp, rhal.MatmulOp, rhal.EltwiseOp)
ACTIVATION_CODES = {
    "none": Activation.NONE,
    "relu": Activation.RELU,
    "clamp": Activation.CLAMP,
    "sigmoid": Activation.SIGMOID,
    "hardswish": Activation.HARDSWISH,
}
POOL_CODES = {"max": PoolMode.MAX, "avg": PoolMode.AVG, "avg_valid": PoolMode.AVG_VALID}
ELTWISE_CODES = {"copy": EltwiseOp.COPY, "add": EltwiseOp.ADD, "mul": EltwiseOp.MUL}


def main_function(module: ir.Operation) -> func.FuncOp | None:
    """The `func.func @main` of a module, or None."""
    for op in module.regions[0].blocks[0].operations:
        if isinstance(op, func.FuncOp) and op.sym_name.value == "main":
            return op
    return None


@dataclass(frozen=True)
class IoValue:
    """An input of `@main` (an argument that is not a weight) or an output (a result)."""

    name: str  # its rcbc.input or rcbc.output, else input<index> or output<index>
    role: str  # "input" or "output"
    index: int  # of the argument or the result

    @property
    def attrs_key(self) -> str:
        return "arg_attrs" if self.role == "input" else "res_attrs"


def io_values(function: func.FuncOp) -> list[IoValue]:
    """The inputs of `function`, then its outputs."""
    values = []
    for index in range(len(function.arguments)):
        attrs = _value_attrs(function, "arg_attrs", index)
        if WEIGHT not in attrs:
            name = ir.StringAttr(attrs[INPUT]).value if INPUT in attrs else f"input{index}"
            values.append(IoValue(name, "input", index))
    for index in range(len(function.type.results)):
        attrs = _value_attrs(function, "res_attrs", index)
        name = ir.StringAttr(attrs[OUTPUT]).value if OUTPUT in attrs else f"output{index}"
        values.append(IoValue(name, "output", index))
    return values


def weight_name(function: func.FuncOp, index: int) -> str | None:
    """The weight-store entry argument `index` is (its rcbc.weight), or None."""
    attrs = _value_attrs(function, "arg_attrs", index)
    return ir.StringAttr(attrs[WEIGHT]).value if WEIGHT in attrs else None


def io_attribute(function: func.FuncOp, io: IoValue, key: str) -> ir.Attribute | None:
    """The attribute `key` of the argument or result `io`, or None."""
    attrs = _value_attrs(function, io.attrs_key, io.index)
    return attrs[key] if key in attrs else None


def set_io_attribute(function: func.FuncOp, io: IoValue, key: str, value: ir.Attribute) -> None:
    """Set the attribute `key` of the argument or result `io` to `value`."""
    count = len(function.arguments) if io.role == "input" else len(function.type.results)
    attrs = [_value_attrs(function, io.attrs_key, i) for i in range(count)]
    entries = {named.name: named.attr for named in attrs[io.index]}
    attrs[io.index] = ir.DictAttr.get({**entries, key: value})
    function.attributes[io.attrs_key] = ir.ArrayAttr.get(attrs)


def _value_attrs(function: func.FuncOp, which: str, index: int) -> ir.DictAttr:
    if which not in function.attributes:
        return ir.DictAttr.get({})
    return ir.DictAttr(ir.ArrayAttr(function.attributes[which])[index])


def compute_ops(function: func.FuncOp) -> list[ir.OpView]:
    return [op for op in function.body.blocks[0].operations if isinstance(op, COMPUTE_OPS)]


def feature_map(value: ir.Value) -> tuple[int, int, int]:
    """A tensor as `[C, H, W]`: NCHW drops N (batch 1), [M, N] becomes [N, 1, 1]."""
    shape = list(ir.RankedTensorType(value.type).shape)
    if len(shape) == 4:
        return (shape[1], shape[2], shape[3])
    return (shape[-1], 1, 1)


def _pair(attr: ir.Attribute) -> tuple[int, int]:
    a, b = list(ir.DenseI64ArrayAttr(attr))[:2]
    return (a, b)


def _activation(op: ir.OpView) -> dict:
    return dict(
        activation=int(ACTIVATION_CODES[op.activation.value]),
        act_min=op.act_min.value,
        act_max=op.act_max.value,
    )


def layer_of(op: ir.OpView) -> Layer:
    """The `Layer` a tensor-level compute op computes, in the dtype the op says."""
    layer = _layer_of(op)
    if DTYPE_ATTR not in op.attributes:
        return layer
    quant = ()
    if QUANT_ATTR in op.attributes:
        quant = tuple((named.name, ir.IntegerAttr(named.attr).value)
                      for named in ir.DictAttr(op.attributes[QUANT_ATTR]))
    return replace(layer, dtype=ir.StringAttr(op.attributes[DTYPE_ATTR]).value, quant=quant)


def _layer_of(op: ir.OpView) -> Layer:
    name = op.layer.value
    in_shape, out_shape = feature_map(op.operands[0]), feature_map(op.result)
    if isinstance(op, rhal.Conv2dOp):
        weight = list(ir.RankedTensorType(op.weight.type).shape)
        groups = op.groups.value
        depthwise = groups > 1 and groups == in_shape[0] == out_shape[0]
        return Layer(
            name, "depthwise_conv2d" if depthwise else "conv2d", in_shape, out_shape,
            kernel=(weight[2], weight[3]), stride=_pair(op.strides), dilation=_pair(op.dilations),
            padding=_pair(op.padding), groups=1 if depthwise else groups,
            has_bias=op.bias is not None, has_residual=op.residual is not None, **_activation(op),
        )
    if isinstance(op, rhal.Pool2dOp):
        return Layer(
            name, "pool2d", in_shape, out_shape, kernel=_pair(op.kernel), stride=_pair(op.strides),
            dilation=_pair(op.dilations), padding=_pair(op.padding), mode=int(POOL_CODES[op.mode.value]),
        )
    if isinstance(op, rhal.GlobalAvgPoolOp):
        return Layer(name, "global_avgpool", in_shape, out_shape)
    if isinstance(op, rhal.MatmulOp):
        return Layer(name, "matmul", in_shape, out_shape, has_bias=op.bias is not None, **_activation(op))
    return Layer(
        name, "eltwise", in_shape, out_shape, has_second_input=op.b is not None,
        mode=int(ELTWISE_CODES[op.op.value]), **_activation(op),
    )
