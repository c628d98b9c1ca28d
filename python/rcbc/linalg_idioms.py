"""The linalg idioms of the frontend's layers, recognised: what `convert-linalg-to-rhal` reads.

`rcbc.frontend` imports each PyTorch layer as a small, fixed pattern of linalg-on-tensors ops
(the table in `rcbc.frontend.coverage`). Each ``match_*`` function here starts at the op that
computes a layer and returns what the layer is, in the terms of the tensor-level rhal ops:
operands, window, bias, activation, and the value the layer's result replaces. Nothing here
builds IR. A function returns None when its op is not the start of its idiom, and raises
`Unsupported` when it is but a detail is outside what the kernels compute (a pad value other
than zero, a divisor other than the window size): the message says which detail, with its
numbers, and completes ``cannot lower '<op>' (...)``.

The bodies of ``linalg.generic`` ops are read as expression trees (`body_expression`), so each
elementwise idiom is one structural pattern::

    %2 = linalg.generic ... ins(%1 : tensor<1x64x56x56xf32>) outs(%0 : ...) {
    ^bb0(%in: f32, %out: f32):
      %3 = arith.cmpf ugt, %in, %cst : f32            # %cst = arith.constant 0.0 : f32
      %4 = arith.select %3, %in, %cst : f32
      linalg.yield %4 : f32
    }

is ``("arith.select", ("arith.cmpf", "ugt", Arg(0), 0.0), Arg(0), 0.0)``, a ReLU.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rcbc.dialects.rhal import dims, window_output_size
from rcbc.frontend.interface import WEIGHT
from rcbc.mlir import func, ir

CONV = "linalg.conv_2d_nchw_fchw"
DEPTHWISE_CONV = "linalg.depthwise_conv_2d_nchw_chw"
GROUPED_CONV = "linalg.conv_2d_ngchw_gfchw"
MAX_POOL = "linalg.pooling_nchw_max"
SUM_POOL = "linalg.pooling_nchw_sum"
MATMUL = "linalg.matmul"
GENERIC = "linalg.generic"

INF = math.inf


class Unsupported(Exception):
    """The op starts a layer idiom, but a detail of it is outside what rhal ops compute."""


# -- values -------------------------------------------------------------------------------------


def defining(value: ir.Value, name: str) -> ir.OpView | None:
    """The op named `name` that defines `value`, or None (another op, a block argument)."""
    owner = value.owner
    if isinstance(owner, ir.OpView) and owner.operation.name == name:
        return owner
    return None


def only_user(value: ir.Value, name: str) -> ir.OpView | None:
    """The op named `name` that is the one use of `value`, or None."""
    uses = list(value.uses)
    if len(uses) == 1 and uses[0].owner.operation.name == name:
        return uses[0].owner
    return None


def constant_number(value: ir.Value) -> float | int | None:
    """The number an ``arith.constant`` gives `value` (a scalar or a splat tensor), or None."""
    constant = defining(value, "arith.constant")
    if constant is None:
        return None
    attr = constant.value
    if isinstance(attr, ir.DenseElementsAttr) and attr.is_splat:
        attr = attr.get_splat_value()
    if isinstance(attr, (ir.FloatAttr, ir.IntegerAttr)):
        return attr.value
    return None


def weight_argument(value: ir.Value) -> str | None:
    """The weight-store name of `value` if it is an argument of its function with
    ``rcbc.weight``, else None."""
    if isinstance(value, ir.BlockArgument):
        function = value.owner.owner
        if isinstance(function, func.FuncOp) and "arg_attrs" in function.attributes:
            attrs = function.arg_attrs[value.arg_number]
            if WEIGHT in attrs:
                return ir.StringAttr(attrs[WEIGHT]).value
    return None


def weight_name(value: ir.Value, what: str) -> str:
    """The weight-store name of the `what` operand of a layer, which must be a weight."""
    name = weight_argument(value)
    if name is None:
        raise Unsupported(f"its {what} is not a weight argument (an argument with {WEIGHT})")
    return name


def layer_name(weight: str) -> str:
    """The layer a weight belongs to: its name without ``.weight``."""
    return weight.removesuffix(".weight")


def ints(attr: ir.Attribute) -> list[int]:
    """The integers of a dense integer elements or array attribute."""
    return [int(x) for x in attr]


def reassociation(op: ir.OpView) -> list[list[int]]:
    """The reassociation of a ``tensor.expand_shape`` or ``tensor.collapse_shape``."""
    return [[ir.IntegerAttr(i).value for i in group] for group in op.reassociation]


def iterator_types(generic: ir.OpView) -> list[str]:
    """The iterator types of a ``linalg.generic``: ``parallel`` or ``reduction``."""
    return [str(t).removeprefix("#linalg.iterator_type<").removesuffix(">")
            for t in generic.iterator_types]  # fmt: skip


def indexing_maps(generic: ir.OpView) -> list[ir.AffineMap]:
    """The indexing maps of a ``linalg.generic``, inputs then outputs."""
    return [ir.AffineMapAttr(m).value for m in generic.indexing_maps]


def fill_value(value: ir.Value) -> float | int | None:
    """The constant a ``linalg.fill`` fills `value` with, or None."""
    fill = defining(value, "linalg.fill")
    return None if fill is None else constant_number(fill.inputs[0])


def unpadded(value: ir.Value, pad_value: float, what: str) -> tuple[ir.Value, list[int]]:
    """`value` without its ``tensor.pad`` and the padding, [top, left, bottom, right]::

        %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
          tensor.yield %cst : f32                     # `pad_value`: 0.0, or -inf for max
        } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>

    `what` names the layer for messages.
    """
    pad = defining(value, "tensor.pad")
    if pad is None:
        return value, [0, 0, 0, 0]
    low, high = list(pad.static_low), list(pad.static_high)
    if low[:2] != [0, 0] or high[:2] != [0, 0]:
        raise Unsupported(
            f"its input is padded in the batch or channel dimensions (low {low}, high {high})"
        )
    body = pad.region.blocks[0].operations
    (yielded,) = body[len(body) - 1].operands
    found = constant_number(yielded)
    if found != pad_value:
        raise Unsupported(
            f"its input is padded with {found:g}; {what} absorbs padding with {pad_value:g} only"
            if found is not None
            else "its input is padded with a value that is not a constant"
        )
    return pad.source, [low[2], low[3], high[2], high[3]]


def fitted_padding(
    image: ir.Value,
    result: ir.Value,
    kernel: Sequence[int],
    strides: Sequence[int],
    dilations: Sequence[int],
    padding: Sequence[int],
) -> list[int]:
    """`padding` with its bottom and right cut, if need be, until the window gives the size
    of `result`.

    torch-mlir pads the input of a ``ceil_mode`` pooling by up to a stride more than PyTorch's
    last window needs, and the linalg op computes only the outputs PyTorch asks for; rhal ops
    derive their output size from the padding.
    """
    size, out = image.type.shape[2:], result.type.shape[2:]
    fitted = list(padding[:2])
    for axis in range(2):
        reach = (out[axis] - 1) * strides[axis] + dilations[axis] * (kernel[axis] - 1) + 1
        most = reach + strides[axis] - 1 - size[axis] - padding[axis]  # for `out` outputs
        fitted.append(max(0, min(padding[axis + 2], most)))
    full = window_output_size(size, kernel, strides, fitted, dilations)
    if full != list(out):
        raise Unsupported(
            f"it computes {dims(out)} outputs, fewer than the {dims(full)} its window takes "
            f"over the {dims(size)} input with padding {fitted}"
        )
    return fitted


# -- generic bodies -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """Leaf of a body expression: the element of tensor operand `index` of the generic."""

    index: int


Expr = Arg | float | int | tuple
"""A body value: an `Arg`, a constant, or ``(op name, *attributes, *operands)``; the
attributes are the predicate of ``arith.cmpf`` and the dimension of ``linalg.index``."""

_CMPF_PREDICATES = (
    "false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord",
    "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true",
)  # fmt: skip


class _Opaque:
    """Leaf of a value no idiom reads (the output of an elementwise op, a function argument)."""


def body_expression(generic: ir.OpView, leaves: dict[ir.Value, Expr]) -> Expr:
    """The value the body of `generic` yields, as an expression tree; `leaves` maps the
    block arguments it may read to their leaves."""
    trees: dict[ir.Value, Expr] = dict(leaves)

    def tree(value: ir.Value) -> Expr:
        if value in trees:
            return trees[value]
        number = constant_number(value)
        return _Opaque() if number is None else number

    for op in generic.regions[0].blocks[0].operations:
        name = op.operation.name
        if name == "linalg.yield":
            return tree(op.operands[0])
        attributes = ()
        if name == "arith.cmpf":
            attributes = (_CMPF_PREDICATES[ir.IntegerAttr(op.predicate).value],)
        elif name == "linalg.index":
            attributes = (ir.IntegerAttr(op.attributes["dim"]).value,)
        trees[op.result] = (name, *attributes, *map(tree, op.operands))
    raise AssertionError("a linalg.generic body ends with linalg.yield")


_NUMPY: dict[str, Callable[..., np.ndarray]] = {
    "arith.addi": np.add,
    "arith.subi": np.subtract,
    "arith.muli": np.multiply,
    "arith.minsi": np.minimum,
    "arith.maxsi": np.maximum,
    "arith.index_cast": np.asarray,
    "arith.sitofp": lambda x: np.asarray(x, dtype=np.float64),
}


def evaluate(expr: Expr, shape: Sequence[int]) -> np.ndarray | None:
    """`expr` at every position of an iteration space of `shape`, or None unless it is a
    constant or integer arithmetic on ``linalg.index`` (the position along a dimension).
    The result broadcasts to `shape`."""
    if isinstance(expr, (int, float)):
        return np.asarray(expr, dtype=np.float64)
    if not isinstance(expr, tuple):
        return None
    name, *operands = expr
    if name == "linalg.index":
        (dim,) = operands
        return np.arange(shape[dim]).reshape([-1 if d == dim else 1 for d in range(len(shape))])
    function = _NUMPY.get(name)
    values = [evaluate(operand, shape) for operand in operands]
    if function is None or any(v is None for v in values):
        return None
    return function(*values)


@dataclass(frozen=True)
class Elementwise:
    """A ``linalg.generic`` with parallel iterators that writes its one output without reading
    it. `inputs` are its tensor operands, `Arg(i)` in `expr`, and `broadcast` says which of
    them have an indexing map other than the identity; a rank-0 constant operand (``dense<6.0>
    : tensor<f32>`` indexed by ``-> ()``) is its number in `expr`, like a scalar constant."""

    op: ir.OpView
    inputs: tuple[ir.Value, ...]
    broadcast: tuple[bool, ...]
    expr: Expr

    @property
    def result(self) -> ir.Value:
        return self.op.results[0]


def elementwise(generic: ir.OpView) -> Elementwise | None:
    """`generic` as an `Elementwise`, or None if it is not one."""
    if any(t != "parallel" for t in iterator_types(generic)):
        return None
    maps = indexing_maps(generic)
    identity = ir.AffineMap.get_identity(maps[-1].n_dims)
    if len(generic.outputs) != 1 or maps[-1] != identity:
        return None
    leaves: dict[ir.Value, Expr] = {}
    inputs, broadcast = [], []
    arguments = generic.regions[0].blocks[0].arguments
    for argument, operand, indexing in zip(arguments, generic.inputs, maps):
        number = None if indexing.results else constant_number(operand)
        if number is None:
            leaves[argument] = Arg(len(inputs))
            inputs.append(operand)
            broadcast.append(indexing != identity)
        else:
            leaves[argument] = number
    expr = body_expression(generic, leaves)
    return Elementwise(generic, tuple(inputs), tuple(broadcast), expr)


# -- activations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """The activation a kernel applies last: `kind` is one of ``rhal.ACTIVATIONS``; a clamp
    keeps values in [`low`, `high`] (bounds may be infinite)."""

    kind: str = "none"
    low: float = 0.0
    high: float = 0.0

    @classmethod
    def clamp(cls, low: float, high: float) -> Activation:
        """Clamping to [low, high]; [0, inf) is a ReLU."""
        return cls("relu") if (low, high) == (0.0, INF) else cls("clamp", low, high)

    def _bounds(self) -> tuple[float, float] | None:
        if self.kind == "relu":
            return (0.0, INF)
        return (self.low, self.high) if self.kind == "clamp" else None

    def then(self, after: Activation) -> Activation | None:
        """This activation followed by `after`, if the kernels have one activation for it.

        Clamps compose into a clamp: a ReLU followed by min(x, 6) is ReLU6, clamp [0, 6].
        """
        if after.kind == "none":
            return self
        if self.kind == "none":
            return after
        first, second = self._bounds(), after._bounds()
        if first is None or second is None:
            return None
        low, high = (min(max(bound, second[0]), second[1]) for bound in first)
        return Activation.clamp(low, high)


SIGMOID = Activation("sigmoid")
HARDSWISH = Activation("hardswish")
RELU6 = Activation.clamp(0.0, 6.0)


def match_activation(ew: Elementwise) -> Activation | None:
    """The activation an elementwise op of one tensor input applies, if it is one.

    One side of a clamp (`relu`, and each of the two generics of `relu6` and `hardtanh`)::

        %4 = arith.cmpf ugt, %in, %cst : f32          # or ogt, olt, ult...: x > k or x < k
        %5 = arith.select %4, %in, %cst : f32         # picks x or k: max(x, k) or min(x, k)

    with %cst a scalar constant or a rank-0 constant input, and `sigmoid`::

        %3 = arith.negf %in : f32
        %4 = math.exp %3 : f32
        %5 = arith.addf %4, %cst : f32                # %cst = 1.0
        %6 = arith.divf %cst, %5 : f32
    """
    if len(ew.inputs) != 1 or ew.broadcast[0]:
        return None
    x = Arg(0)
    exp = ("math.exp", ("arith.negf", x))
    match ew.expr:
        case ("arith.select", ("arith.cmpf", predicate, a, b), chosen, other):
            return _clamp_side(x, predicate, a, b, chosen, other)
        case ("arith.divf", 1.0, ("arith.addf", 1.0, e) | ("arith.addf", e, 1.0)) if e == exp:
            return SIGMOID
    return None


def _clamp_side(
    x: Arg, predicate: str, a: Expr, b: Expr, chosen: Expr, other: Expr
) -> Activation | None:
    """``select(cmpf(predicate, a, b), chosen, other)`` as max(x, k) or min(x, k), if it is
    one of them."""
    if a == x and isinstance(b, float):
        bound, x_first = b, True
    elif b == x and isinstance(a, float):
        bound, x_first = a, False
    else:
        return None
    if predicate not in _ORDERINGS or {chosen, other} != {x, bound}:
        return None
    x_greater = (_ORDERINGS[predicate] == ">") == x_first  # the condition is x > k
    if x_greater == (chosen == x):
        return Activation.clamp(bound, INF)
    return Activation.clamp(-INF, bound)


_ORDERINGS = {
    **dict.fromkeys(("ogt", "oge", "ugt", "uge"), ">"),
    **dict.fromkeys(("olt", "ole", "ult", "ule"), "<"),
}


@dataclass(frozen=True)
class Hardswish:
    """The five generics of a hardswish of `input`; `result` is the last one's."""

    input: ir.Value
    result: ir.Value
    ops: tuple[ir.OpView, ...]  # the generics after the first


def match_hardswish(ew: Elementwise) -> Hardswish | None:
    """A hardswish, from its first generic: x * clamp(x + 3, 0, 6) / 6 as five generics::

        %2 = x + 3.0           -> %3 = max(%2, 0.0)      -> %4 = min(%3, 6.0)
        %5 = x * %4 (either order)                       -> %6 = %5 / 6.0

    Each intermediate result has one use, the next generic.
    """
    match ew.expr:
        case ("arith.addf", Arg(index=0), 3.0) | ("arith.addf", 3.0, Arg(index=0)):
            pass
        case _:
            return None
    if len(ew.inputs) != 1 or ew.broadcast[0]:
        return None
    x, value, clamp, ops = ew.inputs[0], ew.result, Activation(), []
    for _ in range(2):
        step = _next_elementwise(value)
        side = None if step is None else match_activation(step)
        clamp = None if side is None else clamp.then(side)
        if clamp is None:
            return None
        value = step.result
        ops.append(step.op)
    product = _next_elementwise(value)
    if clamp != RELU6 or product is None or set(product.inputs) != {x, value}:
        return None
    if product.expr not in (("arith.mulf", Arg(0), Arg(1)), ("arith.mulf", Arg(1), Arg(0))):
        return None
    quotient = _next_elementwise(product.result)
    if quotient is None or quotient.expr != ("arith.divf", Arg(0), 6.0):
        return None
    return Hardswish(x, quotient.result, (*ops, product.op, quotient.op))


def _next_elementwise(value: ir.Value) -> Elementwise | None:
    """The elementwise generic that is the one use of `value`, reading it as a full tensor."""
    user = only_user(value, GENERIC)
    ew = user and elementwise(user)
    if ew is None or any(broadcast for broadcast in ew.broadcast):
        return None
    return ew


# -- layers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conv:
    """A convolution layer: operands and window of ``rhal.conv2d``; `result` is the value it
    computes."""

    input: ir.Value
    weight: ir.Value
    bias: ir.Value | None
    layer: str
    strides: list[int]
    padding: list[int]
    dilations: list[int]
    groups: int
    result: ir.Value


def match_conv(op: ir.OpView) -> Conv:
    """A convolution, from its linalg op::

        %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] { ... 0.0 ... }
        %bias = linalg.broadcast ins(%b : tensor<64xf32>) outs(%0 : ...) dimensions = [0, 2, 3]
        %y = linalg.conv_2d_nchw_fchw {dilations = ..., strides = ...}
            ins(%padded, %w : ...) outs(%bias : ...)        # or outs of a linalg.fill of 0.0

    Depthwise (groups = C): ``linalg.depthwise_conv_2d_nchw_chw`` on the weight collapsed
    by ``tensor.collapse_shape %w [[0, 1], [2], [3]]``. Grouped: ``linalg.conv_2d_ngchw_gfchw``
    on ``tensor.expand_shape`` of input (``[[0], [1, 2], [3], [4]]``), weight (``[[0, 1], [2],
    [3], [4]]``) and accumulator, its result collapsed back by ``tensor.collapse_shape``.
    """
    name = op.operation.name
    image, weight = op.inputs
    accumulator = op.outputs[0]
    result, groups = op.results[0], 1
    if name == DEPTHWISE_CONV:
        weight = _reshaped(weight, "tensor.collapse_shape", [[0, 1], [2], [3]], "weight")
        groups = image.type.shape[1]
    elif name == GROUPED_CONV:
        groups = weight.type.shape[0]
        image = _reshaped(image, "tensor.expand_shape", [[0], [1, 2], [3], [4]], "input")
        weight = _reshaped(weight, "tensor.expand_shape", [[0, 1], [2], [3], [4]], "weight")
        collapse = only_user(result, "tensor.collapse_shape")
        if collapse is None or reassociation(collapse) != [[0], [1, 2], [3], [4]]:
            raise Unsupported(
                "its result is not collapsed back to NCHW by one tensor.collapse_shape"
            )
        expand = defining(accumulator, "tensor.expand_shape")
        accumulator = accumulator if expand is None else expand.src
        result = collapse.result
    layer = layer_name(weight_name(weight, "weight"))
    image, padding = unpadded(image, 0.0, "a convolution")
    strides, dilations = ints(op.attributes["strides"]), ints(op.attributes["dilations"])
    kernel = weight.type.shape[2:]
    padding = fitted_padding(image, result, kernel, strides, dilations, padding)
    bias = _bias(accumulator)
    if bias is not None:
        weight_name(bias, "bias")
    return Conv(image, weight, bias, layer, strides, padding, dilations, groups, result)


def _reshaped(value: ir.Value, name: str, groups: list[list[int]], what: str) -> ir.Value:
    """The source of the reshape `name` with reassociation `groups` that defines `value`."""
    reshape = defining(value, name)
    if reshape is None or reassociation(reshape) != groups:
        raise Unsupported(f"its {what} is not a {name} {groups} of a tensor")
    return reshape.src


def _bias(accumulator: ir.Value) -> ir.Value | None:
    """The bias a layer's accumulator starts from: a ``linalg.broadcast`` of a 1-D tensor
    along the channel dimension, or None for a ``linalg.fill`` of zero."""
    broadcast = defining(accumulator, "linalg.broadcast")
    if broadcast is not None:
        rank = accumulator.type.rank
        if list(broadcast.dimensions) != [d for d in range(rank) if d != 1]:
            raise Unsupported(
                f"its accumulator broadcasts along dimensions {list(broadcast.dimensions)}, "
                "not a bias per channel"
            )
        return broadcast.input
    value = fill_value(accumulator)
    if value != 0.0:
        raise Unsupported(
            "its accumulator is neither a bias broadcast nor a zero fill"
            if value is None
            else f"its accumulator starts at {value:g}, not 0 or a bias"
        )
    return None


@dataclass(frozen=True)
class Pool:
    """A pooling layer: operands and window of ``rhal.pool2d``; `result` is the value it
    computes."""

    input: ir.Value
    mode: str
    kernel: list[int]
    strides: list[int]
    padding: list[int]
    dilations: list[int]
    result: ir.Value


def match_pool(op: ir.OpView) -> Pool:
    """Max or average pooling, from its linalg op. Max::

        %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] { ... -inf ... }
        %init = linalg.fill ins(%cst_ninf : f32) outs(%0 : tensor<1x64x56x56xf32>)
        %window = tensor.empty() : tensor<3x3xf32>
        %y = linalg.pooling_nchw_max {dilations = ..., strides = ...}
            ins(%padded, %window : ...) outs(%init : ...)

    Average: ``linalg.pooling_nchw_sum`` from a zero fill over a zero-padded input, and one
    elementwise ``arith.divf`` of the sums: by the window size (`avg`), or by a divisor
    computed from ``linalg.index`` that counts the window's positions inside the image
    (`avg_valid`, PyTorch's ``count_include_pad=False``). The divisor is evaluated at every
    output position and compared with both.
    """
    image, window = op.inputs
    kernel = list(window.type.shape)
    strides, dilations = ints(op.attributes["strides"]), ints(op.attributes["dilations"])
    if op.operation.name == MAX_POOL:
        source, padding = unpadded(image, -INF, "max pooling")
        padding = fitted_padding(source, op.results[0], kernel, strides, dilations, padding)
        start = fill_value(op.outputs[0])
        if start != -INF:
            raise Unsupported(
                f"its accumulator starts at {start:g}, not -inf"
                if start is not None
                else "its accumulator is not a linalg.fill of -inf"
            )
        return Pool(source, "max", kernel, strides, padding, dilations, op.results[0])
    source, padding = unpadded(image, 0.0, "average pooling")
    padding = fitted_padding(source, op.results[0], kernel, strides, dilations, padding)
    if fill_value(op.outputs[0]) != 0.0:
        raise Unsupported("its accumulator is not a linalg.fill of 0")
    quotient = _next_elementwise(op.results[0])
    divisor = None
    if quotient is not None:
        match quotient.expr:
            case ("arith.divf", Arg(index=0), divisor_expr):
                divisor = evaluate(divisor_expr, quotient.result.type.shape)
    if divisor is None and math.prod(kernel) == 1:  # a 1x1 window: its sums are averages
        return Pool(source, "avg", kernel, strides, padding, dilations, op.results[0])
    if divisor is None:
        raise Unsupported("its sums are not divided by a divisor that depends only on position")
    shape = op.results[0].type.shape
    window_size = np.asarray(math.prod(kernel))
    inside = _positions_inside(source.type.shape[2:], shape[2:], kernel, strides, padding,
                               dilations)  # fmt: skip
    for mode, expected in (("avg", window_size), ("avg_valid", inside)):
        if np.array_equal(np.broadcast_to(divisor, shape), np.broadcast_to(expected, shape)):
            return Pool(source, mode, kernel, strides, padding, dilations, quotient.result)
    found = f"{divisor.item():g}" if divisor.size == 1 else "a divisor that varies by position"
    raise Unsupported(
        f"its window sums are divided by {found}, neither the window size {math.prod(kernel)} "
        "nor the count of window positions inside the image"
    )


def _positions_inside(
    image: Sequence[int],
    out: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    padding: Sequence[int],
    dilations: Sequence[int],
) -> np.ndarray:
    """How many positions of each output's window lie inside the `image` [H, W], as
    [OH, OW]; `padding` is [top, left, bottom, right]."""
    counts = []
    for axis in range(2):
        starts = np.arange(out[axis]) * strides[axis] - padding[axis]
        taps = starts[:, None] + np.arange(kernel[axis])[None, :] * dilations[axis]
        counts.append(((taps >= 0) & (taps < image[axis])).sum(axis=1))
    return np.outer(*counts)


@dataclass(frozen=True)
class GlobalAvgPool:
    """An adaptive average pooling to 1x1 of `input`; `result` is the value it computes."""

    input: ir.Value
    result: ir.Value


def match_global_avgpool(generic: ir.OpView) -> GlobalAvgPool | None:
    """Adaptive average pooling to 1x1: a reduction over H and W, then a division by H * W::

        %init = linalg.fill ins(%cst_0 : f32) outs(%0 : tensor<1x512x1x1xf32>)
        %sum = linalg.generic {indexing_maps = [(d0, d1, d2, d3) -> (d0, d1, d2, d3),
                                                (d0, d1, d2, d3) -> (d0, d1, 0, 0)],
                               iterator_types = ["parallel", "parallel", "reduction",
                                                 "reduction"]} ins(%x) outs(%init) {
          %s = arith.addf %in, %out : f32
        }
        %y = linalg.generic ... ins(%sum) ... { arith.divf %in, %cst_49 : f32 }

    Over a 1x1 image the sum is the mean: there is no division.
    """
    maps = [str(m) for m in indexing_maps(generic)]
    if iterator_types(generic) != ["parallel", "parallel", "reduction", "reduction"] or maps != [
        "(d0, d1, d2, d3) -> (d0, d1, d2, d3)",
        "(d0, d1, d2, d3) -> (d0, d1, 0, 0)",
    ]:
        return None
    arguments = generic.regions[0].blocks[0].arguments
    expr = body_expression(generic, {arguments[0]: Arg(0), arguments[1]: Arg(1)})
    if expr not in (("arith.addf", Arg(0), Arg(1)), ("arith.addf", Arg(1), Arg(0))):
        return None
    if fill_value(generic.outputs[0]) != 0.0:
        raise Unsupported("its sums do not start from a linalg.fill of 0")
    (image,) = generic.inputs
    _, _, height, width = image.type.shape
    quotient = _next_elementwise(generic.results[0])
    divisor = None
    if quotient is not None:
        match quotient.expr:
            case ("arith.divf", Arg(index=0), float(divisor)):
                pass
    if divisor is None and height * width == 1:
        return GlobalAvgPool(image, generic.results[0])  # the import folds a division by 1 away
    if divisor != height * width:
        found = "an expression" if divisor is None else f"{divisor:g}"
        raise Unsupported(
            f"its sums over {height}x{width} positions are divided by {found}, "
            f"not {height * width}"
        )
    return GlobalAvgPool(image, quotient.result)


@dataclass(frozen=True)
class Linear:
    """A fully connected layer without its bias: `input` [M, K] and `weight` [N, K]."""

    input: ir.Value
    weight: ir.Value
    layer: str


def match_linear(op: ir.OpView) -> Linear:
    """A linear layer's matmul; its bias is a later elementwise add (`match_bias_add`)::

        %t = linalg.transpose ins(%w : tensor<1000x512xf32>) outs(%0 : tensor<512x1000xf32>)
            permutation = [1, 0]
        %init = linalg.fill ins(%cst_0 : f32) outs(%1 : tensor<1x1000xf32>)
        %y = linalg.matmul ins(%x, %t : tensor<1x512xf32>, tensor<512x1000xf32>) outs(%init : ...)
    """
    lhs, rhs = op.inputs
    transpose = defining(rhs, "linalg.transpose")
    if transpose is None or list(transpose.permutation) != [1, 0]:
        raise Unsupported(
            "its right operand is not a linalg.transpose of a weight, as in a Linear layer"
        )
    layer = layer_name(weight_name(transpose.input, "weight"))
    if fill_value(op.outputs[0]) != 0.0:
        raise Unsupported("its accumulator is not a linalg.fill of 0")
    return Linear(lhs, transpose.input, layer)


# -- elementwise binary ops ---------------------------------------------------------------------


@dataclass(frozen=True)
class Binary:
    """An elementwise ``arith.addf`` or ``arith.mulf`` (`op`: add or mul) of `lhs` and `rhs`;
    `same_shape` if neither is broadcast."""

    op: str
    lhs: ir.Value
    rhs: ir.Value
    same_shape: bool


def match_binary(ew: Elementwise) -> Binary | None:
    """``arith.addf`` or ``arith.mulf`` of the op's two tensor inputs (residual adds, products,
    bias adds, batch norm's scale and shift)."""
    if len(ew.inputs) != 2:
        return None
    match ew.expr:
        case ("arith.addf" | "arith.mulf" as name, Arg(index=i), Arg(index=j)) if i != j:
            lhs, rhs = ew.inputs[i], ew.inputs[j]
            same = not any(ew.broadcast) and lhs.type == rhs.type
            return Binary(name.removeprefix("arith.").removesuffix("f"), lhs, rhs, same)
    return None


def match_bias_add(ew: Elementwise, binary: Binary) -> tuple[ir.Value, ir.Value] | None:
    """(matrix, bias) if `binary` adds a bias [N] to each row of a matrix [M, N]::

        %y = linalg.generic {indexing_maps = [(d0, d1) -> (d0, d1), (d0, d1) -> (d1),
                                              (d0, d1) -> (d0, d1)], ...}
            ins(%mm, %b : tensor<1x1000xf32>, tensor<1000xf32>) { arith.addf %in, %in_0 }
    """
    if binary.op != "add":
        return None
    maps = [str(m) for m in indexing_maps(ew.op)]
    if maps == ["(d0, d1) -> (d0, d1)", "(d0, d1) -> (d1)", "(d0, d1) -> (d0, d1)"]:
        return ew.inputs[0], ew.inputs[1]
    if maps == ["(d0, d1) -> (d1)", "(d0, d1) -> (d0, d1)", "(d0, d1) -> (d0, d1)"]:
        return ew.inputs[1], ew.inputs[0]
    return None


def explain(binary: Binary | None) -> str:
    """Why an elementwise op that is not an activation, a same-shape add or product, or a
    bias add cannot be lowered."""
    if binary is None:
        return "an elementwise op that is not an activation, residual add or bias"
    for value in (binary.rhs, binary.lhs):
        name, shape = weight_argument(value), value.type.shape
        if name is not None and len(shape) == 3 and shape[1:] == [1, 1]:
            what = "scale" if binary.op == "mul" else "shift"
            return (
                f"a per-channel {what} by weight '{name}' ({value.type}): a batch norm that "
                "is not folded into a convolution is not supported"
            )
    return (
        f"an elementwise {binary.op} of {binary.lhs.type} and {binary.rhs.type} broadcasts; "
        "rhal.eltwise takes same-shape operands"
    )
