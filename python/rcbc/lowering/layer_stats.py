"""Per-layer figures of a compiled schedule: the plan `rhal-partition` chose and the traffic
`rhal-place` made of it. ``rcbc compile --stats`` prints them as a table.

    plans = layer_plans(module)                  # after rhal-partition: shapes, modeled cycles
    stats = LayerStats(plans, *layer_traffic(module))    # after rhal-place: what moves
    lines = stats.table(clock_hz=target.clock_hz)

The plan's cycles are the cost model's (modeled); the traffic is counted from the placed
transfers, so it is what the program really moves. A placed tile buffer is named
``<layer>/<role><slot>@(<col>,<row>)`` (`rhal-place`); every transfer and launch belongs to the
layer of the tile buffers it touches.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from rcbc.dialects import rhal
from rcbc.lowering.ir_layers import BLOCK_ATTR, COST_ATTR, compute_ops, layer_of, main_function
from rcbc.mlir import ir

LEVELS = ("ddr", "memtile", "tile")  # where the other end of a tile buffer's transfer is


@dataclass(frozen=True)
class LayerPlan:
    """A layer's block shape and its modeled cost on the budget."""

    name: str
    kind: str
    block: tuple[int, int, int]  # output channels, rows, columns
    chunk: int  # input channels per launch
    compute_cycles: int
    transfer_cycles: int
    cycles: int


@dataclass
class LayerTraffic:
    """What the placed schedule of one layer launches and moves."""

    launches: int = 0
    tiles: set[tuple[int, int]] = field(default_factory=set)
    bytes: collections.Counter = field(default_factory=collections.Counter)  # by LEVELS
    weight_bytes: int = 0  # of `bytes["ddr"]`, read from constant DDR buffers


def layer_plans(module: ir.Operation) -> list[LayerPlan]:
    """The partitioned layers of `module` in program order."""
    function = main_function(module)
    plans = []
    for op in compute_ops(function) if function is not None else []:
        layer = layer_of(op)
        *block, chunk = list(ir.DenseI64ArrayAttr(op.attributes[BLOCK_ATTR]))
        cost = ir.DictAttr(op.attributes[COST_ATTR])
        cycles = {k: ir.IntegerAttr(cost[k]).value for k in ("compute_cycles", "transfer_cycles", "cycles")}
        plans.append(LayerPlan(layer.name, layer.kind, tuple(block), chunk, **cycles))
    return plans


def layer_traffic(module: ir.Operation) -> tuple[dict[str, LayerTraffic], int]:
    """Launches, tiles and bytes moved of each layer of a placed `module`, by layer name; and
    the bytes of the model's weights (its constant DDR buffers)."""
    traffic: dict[str, LayerTraffic] = collections.defaultdict(LayerTraffic)
    weights = 0
    function = main_function(module)
    for op in function.body.blocks[0].operations if function is not None else []:
        if isinstance(op, rhal.DdrBufferOp) and op.role.value == "constant":
            weights += op.size.value
        elif isinstance(op, rhal.KernelOp):
            [tile], buffers, _, _ = rhal.operand_groups(op)
            layer = traffic[_layer(buffers[0])]
            layer.launches += 1
            layer.tiles.add((tile.owner.col.value, tile.owner.row.value))
        elif isinstance(op, rhal.DmaOp):
            [src], [dst], _, _, _, _ = rhal.operand_groups(op)
            # Counted at the level of its farther end: a staged weight chunk's DDR -> memory
            # tile transfer at "ddr", its memory tile -> compute tile ones at "memtile".
            other, tile_side = sorted((src, dst), key=lambda b: LEVELS.index(_level(b)))
            layer = traffic[_layer(tile_side)]
            nbytes = rhal.PatternAttr(op.src_pattern).pattern("source").bytes
            layer.bytes[_level(other)] += nbytes
            if isinstance(other.owner, rhal.DdrBufferOp) and other.owner.role.value == "constant":
                layer.weight_bytes += nbytes
    return dict(traffic), weights


def _layer(buffer: ir.Value) -> str:
    return buffer.owner.sym_name.value.rsplit("/", 1)[0]


def _level(buffer: ir.Value) -> str:
    owner = buffer.owner
    if isinstance(owner, rhal.DdrBufferOp):
        return "ddr"
    return "memtile" if owner.tile.owner.kind.value == "memory" else "tile"


@dataclass(frozen=True)
class LayerStats:
    """The plan and traffic of every layer, and the bytes of the model's weights."""

    plans: list[LayerPlan]
    traffic: dict[str, LayerTraffic]
    weight_bytes: int

    def table(self, clock_hz: float) -> list[str]:
        """The lines of ``rcbc compile --stats``'s per-layer table, the total bytes moved per
        level, and the weight bytes read from DDR against their floor (each weight read once)."""
        lines = [
            "per layer: block shape and the busiest tile's compute and transfer time (modeled, "
            "cost model); launches, tiles and bytes (counted in the program)",
            f"{'layer':<24} {'kind':<16} {'block CxHxW/chunk':>18} {'launches':>8} {'tiles':>5} "
            f"{'DDR':>9} {'memtile':>8} {'tile':>8} {'compute us':>10} {'transfer us':>11}",
        ]
        total, weights = collections.Counter(), 0
        for plan in self.plans:
            t = self.traffic.get(plan.name, LayerTraffic())
            total.update(t.bytes)
            weights += t.weight_bytes
            block = "x".join(map(str, plan.block)) + f"/{plan.chunk}"
            moved = " ".join(f"{_mb(t.bytes[level]):>{w}}" for level, w in zip(LEVELS, (9, 8, 8)))
            lines.append(
                f"{plan.name:<24} {plan.kind:<16} {block:>18} {t.launches:>8} {len(t.tiles):>5} "
                f"{moved} {plan.compute_cycles / clock_hz * 1e6:>10.1f} "
                f"{plan.transfer_cycles / clock_hz * 1e6:>11.1f}"
            )
        lines.append("bytes moved, all layers: " + ", ".join(f"{level} {_mb(total[level])}" for level in LEVELS))
        if self.weight_bytes:
            lines.append(
                f"weights read from DDR: {_mb(weights)}, {weights / self.weight_bytes:.2f}x the floor "
                f"of {_mb(self.weight_bytes)} (the model's weights, each read once)"
            )
        return lines


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"
