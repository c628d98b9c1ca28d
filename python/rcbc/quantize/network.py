"""The layers of a model as the compiler makes them, read from its folded export.

`read_network` walks the ATen graph of a model exported with BatchNorm folded
(`rcbc.frontend.importer.export_folded`) and groups its operators into `Layer`s the way
convert-linalg-to-rhal groups the linalg they lower to: one layer per kernel launch of the
library, with the same fusions and the same names, so a layer's quantization parameters can be
looked up by the name of its rhal op:

- a convolution (dense, depthwise, grouped) or a Linear layer is a layer named after its
  weight (``layer1.0.conv2``); max, average and adaptive average pooling are ``pool2d.N`` or
  ``global_avgpool.N``; adds and products of two same-shape tensors, and activations that
  cannot fuse, are ``eltwise.N`` (N counts the layers of a kind in program order);
- an activation (ReLU, ReLU6, hardtanh: clamps, which compose) fuses into the conv, matmul or
  eltwise layer computing its input when nothing else reads that input;
- an add fuses into the convolution computing one side (the left one first) as its residual
  when that convolution has no residual or activation yet and nothing else reads its result;
  the fused layer takes the add's place in program order (after the residual's producer);
- flatten, reshape, dropout and detach are views: their value is their input's.

Values are named after the graph node computing them; a fused layer's output is its last node::

    >>> program, _ = export_folded(torchvision.models.resnet18(), (torch.zeros(1, 3, 64, 64),))
    >>> net = read_network(program)
    >>> conv = net.layers[3]
    >>> conv.name, conv.kind, conv.inputs, conv.clamp
    ('layer1.0.conv2', 'conv2d', ('relu__1', 'max_pool2d'), (0.0, inf))

Operators without an int8 kernel (sigmoid, hardswish, concatenation, adds and products with a
constant or broadcast operand) raise one `FrontendError` naming each.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import torch.fx
from torch.export import ExportedProgram
from torch.export.graph_signature import InputKind

from rcbc.frontend.errors import FrontendError
from rcbc.frontend.graph import calling_module, op_name, source_location
from rcbc.kernels.library import EltwiseOp, PoolMode

VIEWS = {"aten.flatten", "aten.view", "aten.reshape", "aten._unsafe_view", "aten.dropout",
         "aten.dropout_", "aten.feature_dropout", "aten.feature_dropout_", "aten.detach",
         "aten.detach_", "aten.lift_fresh_copy", "aten.clone", "aten.contiguous"}
"""Operators whose result is their input's values."""

CLAMPS = {"aten.relu", "aten.relu_", "aten.relu6", "aten.hardtanh", "aten.hardtanh_"}
FUSES_ACTIVATION = {"conv2d", "depthwise_conv2d", "matmul", "eltwise"}

Clamp = tuple[float, float]


@dataclass
class Layer:
    """One kernel's worth of a model: what it reads, computes and produces, in real numbers.

    Shapes are per image: `[C, H, W]`, or `[N]` for a matmul's output. `inputs` are value names:
    `(x,)`, `(x, residual)` for a convolution with a residual, `(a, b)` for an eltwise add or
    product. `clamp` is the fused activation, None for none.
    """

    name: str
    kind: str  # conv2d | depthwise_conv2d | pool2d | global_avgpool | matmul | eltwise
    inputs: tuple[str, ...]
    output: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    weight: np.ndarray | None = None
    bias: np.ndarray | None = None
    kernel: tuple[int, int] = (1, 1)
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int] = (0, 0)  # top, left
    dilation: tuple[int, int] = (1, 1)
    groups: int = 1
    mode: int = 0  # PoolMode or EltwiseOp
    clamp: Clamp | None = None
    residual: bool = False


@dataclass
class Network:
    """A model's layers in program order, its input and output values, and its views."""

    input: str
    input_shape: tuple[int, ...]
    output: str
    layers: list[Layer] = field(default_factory=list)
    views: dict[str, str] = field(default_factory=dict)  # a view's value -> the value it shows

    def source(self, value: str) -> str:
        """The value `value` shows: itself unless it is a view."""
        while value in self.views:
            value = self.views[value]
        return value


def read_network(program: ExportedProgram) -> Network:
    """The layers of `program`, an export of a model with BatchNorm folded, batch 1."""
    return _Reader(program).read()


def compose(first: Clamp | None, then: Clamp | None) -> Clamp | None:
    """The clamp `first` followed by `then`: one clamp (None is no clamp)."""
    if first is None or then is None:
        return first or then
    return tuple(min(max(bound, then[0]), then[1]) for bound in first)


class _Reader:
    def __init__(self, program: ExportedProgram):
        self.program = program
        signature = program.graph_signature
        self.state = {
            spec.arg.name: spec.target
            for spec in signature.input_specs
            if spec.kind in (InputKind.PARAMETER, InputKind.BUFFER, InputKind.CONSTANT_TENSOR)
        }
        inputs = [s.arg.name for s in signature.input_specs if s.kind == InputKind.USER_INPUT]
        if len(inputs) != 1:
            raise FrontendError(f"int8 quantization needs a model of one input, not {len(inputs)}")
        self.producer: dict[str, Layer] = {}  # a node name -> the layer whose output it is
        self.counts: Counter[str] = Counter()
        self.unsupported: list[str] = []
        node = next(n for n in program.graph.nodes if n.name == inputs[0])
        self.network = Network(inputs[0], _shape(node), "")

    def read(self) -> Network:
        for node in self.program.graph.nodes:
            if node.op == "call_function" and op_name(node) != "<built-in function getitem>":
                self.visit(node)
            elif node.op == "output":
                results = node.args[0]
                if len(results) != 1:
                    raise FrontendError(
                        f"int8 quantization needs a model of one output, not {len(results)}"
                    )
                self.network.output = self.network.source(results[0].name)
        if self.unsupported:
            lines = list(dict.fromkeys(self.unsupported))
            raise FrontendError(
                f"{len(lines)} operators of the model have no int8 kernel:\n  " + "\n  ".join(lines)
            )
        return self.network

    def visit(self, node: torch.fx.Node) -> None:
        op = op_name(node)
        if op in VIEWS:
            self.network.views[node.name] = self.network.source(node.args[0].name)
        elif op == "aten.conv2d":
            self.conv(node)
        elif op == "aten.linear":
            self.linear(node)
        elif op in CLAMPS:
            self.activation(node, op)
        elif op in ("aten.add", "aten.add_", "aten.mul", "aten.mul_"):
            self.binary(node, EltwiseOp.ADD if op.startswith("aten.add") else EltwiseOp.MUL)
        elif op in ("aten.max_pool2d", "aten.avg_pool2d", "aten.adaptive_avg_pool2d"):
            self.pool(node, op)
        else:
            self.refuse(node, "no int8 kernel computes it")

    # -- layers ------------------------------------------------------------------------------

    def add(self, node: torch.fx.Node, layer: Layer) -> None:
        self.network.layers.append(layer)
        self.producer[node.name] = layer

    def name(self, kind: str) -> str:
        index = self.counts[kind]
        self.counts[kind] += 1
        return f"{kind}.{index}"

    def weight(self, node: torch.fx.Node | None) -> tuple[str, np.ndarray] | None:
        """The state name and value of a weight argument."""
        if node is None:
            return None
        target = self.state[node.name]
        tensor = self.program.state_dict.get(target)
        if tensor is None:
            tensor = self.program.constants[target]
        return target, tensor.detach().cpu().numpy()

    def conv(self, node: torch.fx.Node) -> None:
        x, w, b = (_arg(node, i, name, None) for i, name in enumerate(("input", "weight", "bias")))
        stride, padding, dilation = (
            _pair(_arg(node, i, name, default))
            for i, name, default in ((3, "stride", 1), (4, "padding", 0), (5, "dilation", 1))
        )
        groups = _arg(node, 6, "groups", 1)
        if isinstance(padding[0], str):
            return self.refuse(node, f"padding '{padding[0]}'")
        weight_name, weight = self.weight(w)
        out_c, in_c = weight.shape[0], weight.shape[1] * groups
        depthwise = groups > 1 and groups == in_c == out_c
        self.add(node, Layer(
            weight_name.removesuffix(".weight"), "depthwise_conv2d" if depthwise else "conv2d",
            (self.network.source(x.name),), node.name, _shape(x), _shape(node), weight=weight,
            bias=None if b is None else self.weight(b)[1], kernel=tuple(weight.shape[2:]),
            stride=stride, padding=padding, dilation=dilation, groups=groups,
        ))

    def linear(self, node: torch.fx.Node) -> None:
        x, w, b = (_arg(node, i, name, None) for i, name in enumerate(("input", "weight", "bias")))
        if len(_shape(x)) != 1:
            return self.refuse(node, f"a Linear layer on a {len(_shape(x)) + 1}-d input")
        weight_name, weight = self.weight(w)
        self.add(node, Layer(
            weight_name.removesuffix(".weight"), "matmul", (self.network.source(x.name),),
            node.name, _shape(x), _shape(node), weight=weight,
            bias=None if b is None else self.weight(b)[1],
        ))

    def activation(self, node: torch.fx.Node, op: str) -> None:
        x = node.args[0]
        if op.startswith("aten.relu6"):
            clamp = (0.0, 6.0)
        elif op.startswith("aten.hardtanh"):
            clamp = (float(_arg(node, 1, "min_val", -1.0)), float(_arg(node, 2, "max_val", 1.0)))
        else:
            clamp = (0.0, math.inf)
        producer = self.producer.get(x.name)
        if producer is not None and producer.kind in FUSES_ACTIVATION and len(x.users) == 1:
            producer.clamp = compose(producer.clamp, clamp)
            producer.output = node.name
            self.producer[node.name] = producer
            return
        source = self.network.source(x.name)
        self.add(node, Layer(
            self.name("eltwise"), "eltwise", (source,), node.name, _shape(x), _shape(node),
            mode=EltwiseOp.COPY, clamp=clamp,
        ))

    def binary(self, node: torch.fx.Node, op: EltwiseOp) -> None:
        a, b = node.args[:2]
        tensors = isinstance(a, torch.fx.Node) and isinstance(b, torch.fx.Node)
        if not tensors or _shape(a) != _shape(b):
            return self.refuse(node, "an operand is a constant or is broadcast")
        if node.kwargs.get("alpha", 1) != 1:
            return self.refuse(node, f"alpha {node.kwargs['alpha']}")
        if op is EltwiseOp.ADD:
            for conv, residual in ((a, b), (b, a)):
                producer = self.producer.get(conv.name)
                if (
                    producer is not None
                    and producer.kind in ("conv2d", "depthwise_conv2d")
                    and not producer.residual
                    and producer.clamp is None
                    and len(conv.users) == 1
                ):
                    producer.inputs += (self.network.source(residual.name),)
                    producer.residual = True
                    producer.output = node.name
                    self.network.layers.remove(producer)  # it runs where the add is
                    self.add(node, producer)
                    return
        sources = (self.network.source(a.name), self.network.source(b.name))
        self.add(node, Layer(
            self.name("eltwise"), "eltwise", sources, node.name, _shape(a), _shape(node), mode=op
        ))

    def pool(self, node: torch.fx.Node, op: str) -> None:
        x = node.args[0]
        in_shape, out_shape = _shape(x), _shape(node)
        if op == "aten.adaptive_avg_pool2d":
            if out_shape[1:] == (1, 1):
                self.add(node, Layer(
                    self.name("global_avgpool"), "global_avgpool", (self.network.source(x.name),),
                    node.name, in_shape, out_shape,
                ))
                return
            kernel = stride = (in_shape[1] // out_shape[1], in_shape[2] // out_shape[2])
            padding, dilation, mode = (0, 0), (1, 1), PoolMode.AVG
        else:
            kernel = _pair(_arg(node, 1, "kernel_size", None))
            stride = _pair(_arg(node, 2, "stride", None) or kernel)
            padding = _pair(_arg(node, 3, "padding", 0))
            if op == "aten.max_pool2d":
                dilation, mode = _pair(_arg(node, 4, "dilation", 1)), PoolMode.MAX
            else:
                dilation = (1, 1)
                if _arg(node, 4, "ceil_mode", False) or _arg(node, 6, "divisor_override", None):
                    return self.refuse(node, "ceil_mode or divisor_override")
                include_pad = _arg(node, 5, "count_include_pad", True)
                mode = PoolMode.AVG if include_pad else PoolMode.AVG_VALID
        self.add(node, Layer(
            self.name("pool2d"), "pool2d", (self.network.source(x.name),), node.name, in_shape,
            out_shape, kernel=kernel, stride=stride, padding=padding, dilation=dilation, mode=mode,
        ))

    def refuse(self, node: torch.fx.Node, why: str) -> None:
        where = source_location(node)
        layer = calling_module(node)
        self.unsupported.append(
            f"{where}: " * (where is not None) + f"{op_name(node)}: {why}"
            + f" (layer {layer})" * bool(layer)
        )


def _arg(node: torch.fx.Node, index: int, name: str, default):
    return node.args[index] if len(node.args) > index else node.kwargs.get(name, default)


def _pair(value) -> tuple:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return tuple(values * 2) if len(values) == 1 else tuple(values)


def _shape(node: torch.fx.Node) -> tuple[int, ...]:
    """The shape of one image of `node`'s value (batch 1 dropped)."""
    shape = tuple(node.meta["val"].shape)
    if not shape or shape[0] != 1:
        raise FrontendError(f"int8 quantization needs batch 1; {node.name} has shape {list(shape)}")
    return shape[1:]
