"""Which PyTorch operators rcbc compiles, checked before anything is lowered.

`check_coverage` walks the graph `torch.export` made of the user's model (ATen operators as the
model calls them, before any decomposition) and raises one `UnsupportedOpsError` naming every
operator outside `SUPPORTED`, each with the line of Python that produced it::

    $ rcbc import --module my_model:build_model
    rcbc import: error: 2 operators of the model are not supported by rcbc:
      my_model.py:14: aten.gelu (layer blocks.0.act, 4 uses)
          x = self.act(self.conv(x))
      my_model.py:20: aten.adaptive_avg_pool2d: output 3x3 does not divide input 7x7, so the pooling windows are unequal
          x = F.adaptive_avg_pool2d(x, 3)
    supported: conv2d, batch norm, relu, relu6/hardtanh, sigmoid, hardswish, ...

A line of Python is the innermost ``forward`` line that ``torch.export`` recorded: the call of a
helper function, not the line inside it.

What the supported operators become in linalg-on-tensors (the IR the later lowering faces),
as imported by `rcbc.frontend.importer` (``test/Frontend/linalg-ops.py`` checks each of them):

==========================  ==================================================================
layer                       linalg-on-tensors
==========================  ==================================================================
conv2d                      ``linalg.conv_2d_nchw_fchw``; its init is ``linalg.broadcast`` of
                            the bias (``linalg.fill`` of 0 without bias); padding is a
                            ``tensor.pad`` of the input, dilation and stride are attributes
conv2d, depthwise           ``linalg.depthwise_conv_2d_nchw_chw`` (groups == in == out
                            channels) on the weight ``tensor.collapse_shape``-d to C x KH x KW
conv2d, grouped             ``linalg.conv_2d_ngchw_gfchw`` between ``tensor.expand_shape`` of
                            input, weight, bias and a ``tensor.collapse_shape`` of the result
                            (also depthwise with a channel multiplier)
batch norm after a conv     folded into the convolution's weight and bias (no ops)
other batch norm            per-channel scale and shift: ``linalg.generic`` ``arith.mulf``
                            then ``arith.addf``, weights broadcast from C x 1 x 1
relu                        ``linalg.generic`` ``arith.cmpf ugt`` + ``arith.select``
relu6, hardtanh             two ``linalg.generic``, each ``arith.cmpf`` + ``arith.select``
                            against a rank-0 tensor constant (``dense<6.0> : tensor<f32>``,
                            indexing map ``-> ()``): max with the lower, min with the upper
sigmoid                     ``linalg.generic``: ``arith.negf``, ``math.exp``, ``arith.addf``,
                            ``arith.divf``
hardswish                   five ``linalg.generic``: x + 3, clamp to 0, clamp to 6, times x,
                            divided by 6
max pooling                 ``tensor.pad`` (-inf) + ``linalg.fill`` (-inf) +
                            ``linalg.pooling_nchw_max``
average pooling             ``linalg.pooling_nchw_sum`` + ``linalg.generic`` ``arith.divf``;
                            with padding and ``count_include_pad=False`` the divisor is
                            computed per element from ``linalg.index``
adaptive average pooling    output 1 x 1: ``linalg.generic`` reduction (``arith.addf``) over
                            H and W, then ``arith.divf``; output dividing the input: as
                            average pooling
add, mul                    ``linalg.generic`` ``arith.addf`` / ``arith.mulf``, broadcasting
                            by indexing maps; with a Python scalar, the scalar is a constant
concat                      ``tensor.concat``
flatten                     ``tensor.collapse_shape``
linear                      ``linalg.transpose`` of the weight, ``linalg.fill`` 0,
                            ``linalg.matmul``, then ``linalg.generic`` ``arith.addf`` of the
                            bias
dropout                     nothing (identity in eval mode)
==========================  ==================================================================

Shared pieces: ``tensor.empty`` as destinations, ``arith.constant`` scalars, no
``dense_resource`` (weights are function arguments).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch.fx
from torch.export import ExportedProgram

from rcbc.frontend.errors import FrontendError
from rcbc.frontend.graph import SourceLocation, calling_module, op_name, source_location

SUPPORTED: dict[str, str] = {
    "aten.conv2d": "conv2d",
    "aten.batch_norm": "batch norm",
    "aten._native_batch_norm_legit_no_training": "batch norm",
    "aten.relu": "relu",
    "aten.relu_": "relu",
    "aten.relu6": "relu6/hardtanh",
    "aten.hardtanh": "relu6/hardtanh",
    "aten.hardtanh_": "relu6/hardtanh",
    "aten.sigmoid": "sigmoid",
    "aten.sigmoid_": "sigmoid",
    "aten.hardswish": "hardswish",
    "aten.hardswish_": "hardswish",
    "aten.max_pool2d": "max pooling",
    "aten.avg_pool2d": "average pooling",
    "aten.adaptive_avg_pool2d": "adaptive average pooling",
    "aten.add": "add",
    "aten.add_": "add",
    "aten.mul": "mul",
    "aten.mul_": "mul",
    "aten.cat": "concat",
    "aten.flatten": "flatten",
    "aten.view": "flatten",
    "aten.reshape": "flatten",
    "aten._unsafe_view": "flatten",
    "aten.linear": "linear",
    "aten.dropout": "dropout",
    "aten.dropout_": "dropout",
    "aten.feature_dropout": "dropout",
    "aten.feature_dropout_": "dropout",
    # What export makes of tensor constants and `.detach()`: identities.
    "aten.lift_fresh_copy": "identity",
    "aten.detach": "identity",
    "aten.detach_": "identity",
}
"""Supported ATen operators (without overload) and the layer kind each belongs to."""

STRUCTURAL = {"<built-in function getitem>"}
"""Graph plumbing that is never an operator of its own (picking one result of a node)."""


@dataclass(frozen=True)
class UnsupportedOp:
    """One use of an unsupported operator: why (if it is a supported one), where, which layer."""

    op: str
    reason: str | None
    location: SourceLocation | None
    module: str | None


class UnsupportedOpsError(FrontendError):
    """The model uses operators outside `SUPPORTED`; the message lists each one with its line.

    Uses of one operator from one line of Python (the same layer class used by many blocks) are
    listed once, with the first layer and the number of uses.
    """

    def __init__(self, ops: list[UnsupportedOp]):
        self.ops = ops
        uses: dict[tuple, list[UnsupportedOp]] = {}
        for op in ops:
            uses.setdefault((op.op, op.reason, op.location), []).append(op)
        lines = [_describe(same) for same in uses.values()]
        kinds = ", ".join(dict.fromkeys(kind for kind in SUPPORTED.values() if kind != "identity"))
        plural = len(lines) > 1
        super().__init__(
            f"{len(lines)} operator{'s' if plural else ''} of the model "
            f"{'are' if plural else 'is'} not supported by rcbc:\n"
            + "\n".join(f"  {line}" for line in lines)
            + f"\nsupported: {kinds}"
        )


def _describe(uses: list[UnsupportedOp]) -> str:
    """``file:line: op: reason (layer, uses)`` and the line of Python below it."""
    first = uses[0]
    where = f"{first.location}: " if first.location else ""
    why = f": {first.reason}" if first.reason else ""
    notes = [f"layer {first.module}"] if first.module else []
    if len(uses) > 1:
        notes.append(f"{len(uses)} uses")
    note = f" ({', '.join(notes)})" if notes else ""
    code = f"\n      {first.location.code}" if first.location else ""
    return f"{where}{first.op}{why}{note}{code}"


def check_coverage(program: ExportedProgram) -> None:
    """Raise `UnsupportedOpsError` listing every operator of `program` rcbc cannot compile."""
    unsupported = []
    for node in program.graph.nodes:
        name = op_name(node)
        if node.op != "call_function" or name in STRUCTURAL:
            continue
        if name not in SUPPORTED:
            reason = None
        elif (reason := _RESTRICTIONS.get(name, _unrestricted)(node)) is None:
            continue
        unsupported.append(UnsupportedOp(name, reason, source_location(node), calling_module(node)))
    if unsupported:
        raise UnsupportedOpsError(unsupported)


def _shape(node: torch.fx.Node) -> tuple[int, ...]:
    return tuple(node.meta["val"].shape)


def _check_adaptive_avg_pool(node: torch.fx.Node) -> str | None:
    """Only adaptive pooling that is plain average pooling: the output divides the input."""
    size = tuple(_shape(node.args[0])[-2:])
    output = tuple(_shape(node)[-2:])
    if all(i % o == 0 for i, o in zip(size, output)):
        return None
    return (
        f"output {output[0]}x{output[1]} does not divide input {size[0]}x{size[1]}, "
        "so the pooling windows are unequal"
    )


def _check_flatten(node: torch.fx.Node) -> str | None:
    """A reshape is supported when it only merges adjacent dimensions (a flatten)."""
    source, result = _shape(node.args[0]), _shape(node)
    if merges_adjacent_dims(source, result):
        return None
    shapes = " -> ".join("x".join(map(str, shape)) for shape in (source, result))
    return f"reshape {shapes} is not a flatten"


def merges_adjacent_dims(source: tuple[int, ...], result: tuple[int, ...]) -> bool:
    """Whether each `result` dimension is the product of a run of adjacent `source` ones."""
    dims = iter(source)
    for size in result:
        product = None
        for dim in dims:
            product = dim if product is None else product * dim
            if product >= size:
                break
        if product != size:
            return False
    return all(dim == 1 for dim in dims)


def _unrestricted(node: torch.fx.Node) -> None:
    return None


_RESTRICTIONS: dict[str, Callable[[torch.fx.Node], str | None]] = {
    "aten.adaptive_avg_pool2d": _check_adaptive_avg_pool,
    "aten.view": _check_flatten,
    "aten.reshape": _check_flatten,
    "aten._unsafe_view": _check_flatten,
}
