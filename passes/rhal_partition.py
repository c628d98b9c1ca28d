"""rhal-partition: choose each layer's block shape with the cost model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from rcbc.dialects import rhal
from rcbc.lowering import blocking, tiles
from rcbc.lowering.ir_layers import (
    BLOCK_ATTR, COST_ATTR, INPUT_STATIONARY_ATTR, STAGED_ATTR, STAGED_INPUTS_ATTR, compute_ops, layer_of,
    main_function,
)
from rcbc.lowering.layers import Layer
from rcbc.mlir import ir
from rcbc.registry import ModulePass, option


@dataclass(frozen=True)
class Partition(ModulePass):
    """Choose, per layer, the block shape whose double-buffered working set fits a tile.

    For every tensor-level compute op of `@main`, the shape (output channels x rows x columns,
    and the input channels one launch sums) is the cheapest under `rcbc.lowering.blocking`'s
    cost model on the module's target and tile budget: the busiest tile's compute and
    transfers, off-chip traffic and the controller's dispatch, whichever is slowest. The choice
    and its modeled cost are recorded on the op; a layer whose smallest block does not fit is an
    error naming its footprint. With `stage-weights` (`stage-inputs`), on a target with memory
    tiles, the model also costs each shape with the weight chunks (input windows) several tiles
    load staged in memory tiles (`rcbc.lowering.blocking`), and a layer staged that way says so
    with `rhal.staged` (`rhal.staged_inputs`), which `rhal-place` follows. Staging reads every
    shared chunk from DDR once, but a memory tile sends it to its loads one after another, so it
    pays only where DDR bandwidth limits a layer.

    A tile keeps what consecutive blocks of its run share: channel-major, its weight chunk.
    Where every output channel reads the same input (a convolution of one group), the model
    also costs the blocks spatial-major, each input window loaded once per tile for the blocks
    of all its channels and each block's weights loaded in turn; a layer run that way, where
    it spares enough DDR traffic to be clearly faster, is marked `rhal.input_stationary`.

    Before:

        %y = "rhal.conv2d"(%x, %w, %b) {layer = "layer1.0.conv1", ...}

    After:

        %y = "rhal.conv2d"(%x, %w, %b) {layer = "layer1.0.conv1",
            rhal.block = array<i64: 16, 8, 28, 1>,
            rhal.cost = {compute_cycles = 256904 : i64, cycles = 288960 : i64,
                         ddr_bytes = 1376256 : i64, transfer_cycles = 285824 : i64}, ...}
    """

    argument: ClassVar[str] = "rhal-partition"
    stage_weights: bool = option(False, "cost shapes with their shared weight chunks staged in "
                                 "memory tiles too, and stage them where that is faster")
    stage_inputs: bool = option(False, "cost shapes with their shared input windows staged in "
                                "memory tiles too, and stage them where that is faster")

    def run(self, module: ir.Operation) -> None:
        if rhal.TARGET_ATTR not in module.attributes:
            self.fail(module, "rhal-partition: the module has no rhal.target; run rhal-set-target first")
        machine = rhal.TargetAttr(module.attributes[rhal.TARGET_ATTR]).machine()
        function = main_function(module)
        if function is None:
            self.fail(module, "rhal-partition: the module has no func.func @main")
        placement = tiles.select(machine.target, machine.tiles)
        channels = len(placement.ports) * machine.target.interface.mm2s_channels
        # Layers alike but for their names (ResNet's repeated blocks) get the same choice.
        choices: dict[Layer, blocking.BlockChoice] = {}
        for op in compute_ops(function):
            layer = layer_of(op)
            alike = replace(layer, name="")
            choice = choices.get(alike)
            if choice is None:
                try:
                    choice = choices[alike] = blocking.choose(layer, machine.target, machine.tiles,
                                                              channels, self.stage_weights,
                                                              self.stage_inputs)
                except blocking.NoFit as e:
                    self.emit_error(op, f"rhal-partition: {e}")
                    continue
            op.attributes[BLOCK_ATTR] = ir.DenseI64ArrayAttr.get([*choice.shape, choice.chunk])
            op.attributes[COST_ATTR] = ir.DictAttr.get({
                name: ir.IntegerAttr.get(ir.IntegerType.get_signless(64), round(value))
                for name, value in (
                    ("cycles", choice.cycles),
                    ("compute_cycles", choice.compute_cycles),
                    ("transfer_cycles", choice.transfer_cycles),
                    ("ddr_bytes", choice.ddr_bytes),
                )
            })
            if choice.staged:
                op.attributes[STAGED_ATTR] = ir.UnitAttr.get()
            if choice.input_stationary:
                op.attributes[INPUT_STATIONARY_ATTR] = ir.UnitAttr.get()
            if choice.staged_inputs:
                op.attributes[STAGED_INPUTS_ATTR] = ir.UnitAttr.get()
