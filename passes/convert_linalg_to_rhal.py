"""convert-linalg-to-rhal: one tensor-level rhal op per layer of the imported linalg."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from rcbc import linalg_idioms as idioms
from rcbc.dialects import rhal
from rcbc.dialects.common import int_array
from rcbc.linalg_idioms import Activation, Unsupported
from rcbc.lowering.ir_layers import COMPUTE_OPS
from rcbc.mlir import func, ir
from rcbc.registry import ModulePass, option

RESHAPES = {"tensor.collapse_shape", "tensor.expand_shape"}
CONCAT = "tensor.concat"
KEPT = RESHAPES | {CONCAT, "arith.constant", "func.return"}
"""Ops that stay beside the rhal ops: reshapes are views (flatten), a concatenation along the
channels is where its operands' layers write (rhal-place), constants still used."""

OPERAND_PLUMBING = {"tensor.empty", "linalg.fill", "linalg.broadcast", "linalg.transpose",
                    "tensor.pad"}
"""Ops that only prepare an operand of a layer; when that layer is not lowered, its error
covers them."""

FUSES_ACTIVATION = (rhal.Conv2dOp, rhal.MatmulOp, rhal.EltwiseOp)
"""The ops that end with an activation."""


@dataclass(frozen=True)
class ConvertLinalgToRhal(ModulePass):
    """Replace each layer of the frontend's linalg by one tensor-level rhal op.

    Walks each function of the module (the frontend makes one, ``@main``) in program order and
    recognises the linalg idioms of `rcbc.frontend.coverage` (`rcbc.linalg_idioms` matches
    them): convolutions (plain, depthwise, grouped; zero ``tensor.pad`` becomes `padding`, a
    bias ``linalg.broadcast`` the `bias` operand) become `rhal.conv2d`; max and average pooling
    (-inf or zero pad absorbed, and cut to what the outputs read as ``ceil_mode`` pads more;
    divisor by window size or by positions inside the image) `rhal.pool2d`; adaptive average pooling to 1x1 `rhal.global_avgpool`; a Linear layer's
    transpose, matmul and bias add `rhal.matmul` on the weight as stored.

    Elementwise ops fuse into their producer (unless `fuse` is false, as for the baseline
    schedule) when it is a conv2d, matmul or eltwise op whose result has no other use: an activation (ReLU, ReLU6 and hardtanh as a clamp, sigmoid, the
    five generics of hardswish) sets its `activation`; a residual add becomes the `residual`
    operand of a convolution without activation; anything else becomes `rhal.eltwise` (copy
    with an activation, add, mul). Layers without weights are named by kind and position
    (``pool2d.0``, ``eltwise.3``).

    A ``tensor.concat`` along the channels stays: rhal-place has each operand's layer write its
    slice of the concatenation's buffer. So that every operand is a layer's result used only
    there, any other operand (an input, a value used elsewhere) first becomes an `rhal.eltwise`
    copy.

    What is left afterwards is only rhal ops, ``tensor.collapse_shape``/``expand_shape`` views,
    channel concatenations and ``func.return``. Any other op left gets one error naming it and why, and the pass fails;
    the ops that only prepare an operand of such an op are covered by its error.

    Before (ResNet-18's first block, abridged)::

        %padded = tensor.pad %8 low[0, 0, 1, 1] high[0, 0, 1, 1] { tensor.yield %cst : f32 }
        %bias = linalg.broadcast ins(%arg5 : tensor<64xf32>) outs(%3 : tensor<1x64x56x56xf32>)
            dimensions = [0, 2, 3]
        %9 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>,
                                       strides = dense<1> : vector<2xi64>}
            ins(%padded, %arg4 : ...) outs(%bias : tensor<1x64x56x56xf32>)
        %10 = linalg.generic ... ins(%9, %6 : ...) { arith.addf %in, %in_38 : f32 }
        %11 = linalg.generic ... ins(%10 : ...) { arith.cmpf ugt ... arith.select ... }

    After::

        %11 = "rhal.conv2d"(%8, %arg4, %arg5, %6) {act_max = 0.0 : f32, act_min = 0.0 : f32,
            activation = "relu", dilations = array<i64: 1, 1>, groups = 1 : i64,
            layer = "layer1.0.conv2", operandSegmentSizes = array<i32: 1, 1, 1, 1>,
            padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (...) -> ...
    """

    argument: ClassVar[str] = "convert-linalg-to-rhal"
    fuse: bool = option(True, "fuse activations and residual adds into the op producing their "
                        "input (false: each becomes an rhal.eltwise layer of its own)")

    def run(self, module: ir.Operation) -> None:
        for op in module.regions[0].blocks[0].operations:
            if isinstance(op, func.FuncOp) and len(op.regions[0].blocks):
                _FunctionLowering(self, op.regions[0].blocks[0]).run()


class _FunctionLowering:
    """The lowering of one function body: the walk, then dead-op cleanup, then diagnostics."""

    def __init__(self, pass_: ConvertLinalgToRhal, block: ir.Block):
        self.pass_ = pass_
        self.block = block
        self.dead: set[ir.Operation] = set()  # replaced, or used only by dead ops
        self.reasons: dict[ir.Operation, str] = {}
        self.counts: Counter[str] = Counter()

    def run(self) -> None:
        batched = next((op for op in self.block.operations if op.operation.name in _LOWERINGS
                        and _batch(op) != 1), None)
        if batched is not None:  # one error for the model: every layer has the batch
            self.pass_.emit_error(
                batched,
                f"{self.pass_.argument}: batch {_batch(batched)}: a program computes one image per "
                "run; compile for batch 1 and run it once per image (rcbc run does so for an input "
                "holding a batch)")
            return
        for op in list(self.block.operations):
            lower = _LOWERINGS.get(op.operation.name)
            if lower is None or op.operation in self.dead:
                continue
            try:
                with ir.InsertionPoint(op), op.location:
                    lower(self, op)
            except Unsupported as e:
                self.reasons[op.operation] = str(e)
        self.erase_dead_ops()
        self.report()

    # -- rewriting ----------------------------------------------------------------------------

    def replace(self, old: ir.Value, new: ir.Value) -> None:
        """Replace the result `old` of a layer's last op by `new`; the ops of the layer are
        dead from then on, and not visited."""
        assert old.type == new.type, f"{new.type} replaces {old.type}"
        old.replace_all_uses_with(new)
        dying = [old.owner]
        while dying:
            op = dying.pop()
            self.dead.add(op.operation)
            for operand in op.operands:
                producer = operand.owner
                if (
                    isinstance(producer, ir.OpView)
                    and producer.operation not in self.dead
                    and not any(self.live_uses(result) for result in producer.results)
                ):
                    dying.append(producer)

    def live_uses(self, value: ir.Value) -> list[ir.OpView]:
        """The ops that use `value` and are not dead."""
        return [use.owner for use in value.uses if use.owner.operation not in self.dead]

    def name(self, kind: str) -> str:
        """A name for the next layer of `kind` without weights: ``pool2d.0``, ``pool2d.1``..."""
        index = self.counts[kind]
        self.counts[kind] += 1
        return f"{kind}.{index}"

    def erase_dead_ops(self) -> None:
        """Erase what the layers replaced: every op whose results are unused, last first."""
        for op in reversed(list(self.block.operations)):
            if len(op.results) and not any(len(list(r.uses)) for r in op.results):
                op.erase()

    def report(self) -> None:
        """One error for each op left that is not an rhal op or kept."""
        left = [
            op
            for op in self.block.operations
            if not op.operation.name.startswith("rhal.")
            and (op.operation.name not in KEPT or op.operation in self.reasons)
        ]
        unlowered = {op.operation for op in left}

        def feeds_only_unlowered(op: ir.OpView) -> bool:
            """Whether every use of `op` is by an unlowered op, or through reshapes."""
            return all(
                use.owner.operation in unlowered
                or (use.owner.operation.name in RESHAPES and feeds_only_unlowered(use.owner))
                for result in op.results
                for use in result.uses
            )

        for op in left:
            name = op.operation.name
            if name in OPERAND_PLUMBING and feeds_only_unlowered(op):
                continue
            reason = self.reasons.get(op.operation, "no rhal op computes it")
            self.pass_.emit_error(op, f"{self.pass_.argument}: cannot lower '{name}' ({reason})")

    # -- layers -------------------------------------------------------------------------------

    def conv(self, op: ir.OpView) -> None:
        conv = idioms.match_conv(op)
        value = rhal.conv2d(
            conv.input,
            conv.weight,
            bias=conv.bias,
            layer=conv.layer,
            strides=conv.strides,
            padding=conv.padding,
            dilations=conv.dilations,
            groups=conv.groups,
        )
        self.replace(conv.result, value)

    def pool(self, op: ir.OpView) -> None:
        pool = idioms.match_pool(op)
        value = rhal.pool2d(
            pool.input,
            mode=pool.mode,
            kernel=pool.kernel,
            layer=self.name("pool2d"),
            strides=pool.strides,
            padding=pool.padding,
            dilations=pool.dilations,
        )
        self.replace(pool.result, value)

    def linear(self, op: ir.OpView) -> None:
        linear = idioms.match_linear(op)
        self.replace(op.results[0], rhal.matmul(linear.input, linear.weight, layer=linear.layer))

    def generic(self, op: ir.OpView) -> None:
        pool = idioms.match_global_avgpool(op)
        if pool is not None:
            value = rhal.global_avgpool(pool.input, layer=self.name("global_avgpool"))
            self.replace(pool.result, value)
            return
        ew = idioms.elementwise(op)
        if ew is None:
            raise Unsupported("neither elementwise nor a global average pooling")
        hardswish = idioms.match_hardswish(ew)
        if hardswish is not None:
            self.activate(hardswish.input, idioms.HARDSWISH, hardswish.result, (op, *hardswish.ops))
            return
        activation = idioms.match_activation(ew)
        if activation is not None:
            self.activate(ew.inputs[0], activation, ew.result, (op,))
            return
        binary = idioms.match_binary(ew)
        if binary is not None and binary.same_shape:
            self.add_or_multiply(binary, ew.result)
            return
        bias_add = None if binary is None else idioms.match_bias_add(ew, binary)
        if bias_add is not None:
            self.add_bias(*bias_add, ew.result)
            return
        raise Unsupported(idioms.explain(binary))

    # -- fusion -------------------------------------------------------------------------------

    def activate(
        self, x: ir.Value, activation: Activation, result: ir.Value, idiom: tuple[ir.OpView, ...]
    ) -> None:
        """Apply `activation` to `x`, giving `result`; the `idiom` ops compute it.

        Fused into the op defining `x` if that op ends with an activation, no op outside the
        idiom reads `x`, and the two activations compose into one; else an `rhal.eltwise` copy.
        """
        producer = x.owner
        inside = {op.operation for op in idiom}
        if self.pass_.fuse and isinstance(producer, FUSES_ACTIVATION) and all(
            user.operation in inside for user in self.live_uses(x)
        ):
            current = Activation(
                producer.activation.value, producer.act_min.value, producer.act_max.value
            )
            fused = current.then(activation)
            if fused is not None:
                attributes = rhal.activation_attributes(fused.kind, fused.low, fused.high)
                for key, attribute in attributes.items():
                    producer.attributes[key] = attribute
                self.replace(result, x)
                return
        value = rhal.eltwise(
            "copy",
            x,
            layer=self.name("eltwise"),
            activation=activation.kind,
            act_min=activation.low,
            act_max=activation.high,
        )
        self.replace(result, value)

    def add_or_multiply(self, binary: idioms.Binary, result: ir.Value) -> None:
        """A same-shape add or product: a residual fused into the convolution computing one
        side, if it has no other use and no residual or activation yet; else `rhal.eltwise`."""
        if binary.op == "add" and self.pass_.fuse:
            for conv, residual in ((binary.lhs, binary.rhs), (binary.rhs, binary.lhs)):
                producer = conv.owner
                if (
                    isinstance(producer, rhal.Conv2dOp)
                    and producer.residual is None
                    and producer.activation.value == "none"
                    and len(self.live_uses(conv)) == 1
                ):
                    value = rhal.conv2d(
                        producer.input,
                        producer.weight,
                        bias=producer.bias,
                        residual=residual,
                        layer=producer.layer.value,
                        strides=int_array(producer.strides, "strides"),
                        padding=int_array(producer.padding, "padding"),
                        dilations=int_array(producer.dilations, "dilations"),
                        groups=producer.groups.value,
                    )
                    self.replace(result, value)
                    return
        value = rhal.eltwise(binary.op, binary.lhs, binary.rhs, layer=self.name("eltwise"))
        self.replace(result, value)

    def concat(self, op: ir.OpView) -> None:
        """A concatenation along the channels stays; an operand that is not a layer's result
        used only here is copied by an `rhal.eltwise` first."""
        rank = len(ir.RankedTensorType(op.result.type).shape)
        dim = ir.IntegerAttr(op.attributes["dim"]).value
        if dim != 1 or rank not in (2, 4):
            raise Unsupported(f"a concatenation along dimension {dim} of rank-{rank} tensors; only "
                              "channels (dimension 1 of [N, C, H, W] or [N, C]) are supported")
        for index, operand in enumerate(op.operands):
            if not (isinstance(operand.owner, COMPUTE_OPS) and len(self.live_uses(operand)) == 1):
                op.operands[index] = rhal.eltwise("copy", operand, layer=self.name("eltwise"))

    def add_bias(self, matrix: ir.Value, bias: ir.Value, result: ir.Value) -> None:
        """A Linear layer's bias, added to the result of its matmul."""
        producer = matrix.owner
        if not (
            isinstance(producer, rhal.MatmulOp)
            and producer.bias is None
            and producer.activation.value == "none"
            and len(self.live_uses(matrix)) == 1
        ):
            raise Unsupported(
                f"a bias add of {bias.type} to a value that is not the result of a Linear "
                "layer's matmul used only here"
            )
        idioms.weight_name(bias, "bias")
        value = rhal.matmul(producer.input, producer.weight, bias=bias, layer=producer.layer.value)
        self.replace(result, value)


def _batch(op: ir.OpView) -> int:
    """The batch of the tensor `op` computes ([N, C, H, W] or [N, C]); 1 for other ranks."""
    shape = ir.RankedTensorType(op.results[0].type).shape
    return shape[0] if len(shape) in (2, 4) else 1


_LOWERINGS = {
    idioms.CONV: _FunctionLowering.conv,
    idioms.DEPTHWISE_CONV: _FunctionLowering.conv,
    idioms.GROUPED_CONV: _FunctionLowering.conv,
    idioms.MAX_POOL: _FunctionLowering.pool,
    idioms.SUM_POOL: _FunctionLowering.pool,
    idioms.MATMUL: _FunctionLowering.linear,
    idioms.GENERIC: _FunctionLowering.generic,
    CONCAT: _FunctionLowering.concat,
}
