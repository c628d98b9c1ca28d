"""Buffer lives in a scheduled rhal program, as allocation and verification count them.

A buffer lives from its definition (placement defines a buffer where its life begins) to the
first barrier after its last use: a DMA or kernel runs after it is issued, and only a barrier
says it has finished. Positions are indices in issue order::

    for item in liveness(ops):
        item.op, item.size, item.first, item.last
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rcbc.dialects import rhal
from rcbc.mlir import ir


@dataclass
class Live:
    op: ir.OpView  # rhal.buffer or rhal.ddr_buffer
    size: int
    first: int
    last: int


def liveness(ops: list[ir.OpView]) -> list[Live]:
    """The life of every buffer defined in `ops`."""
    live: dict[ir.Value, Live] = {}
    for index, op in enumerate(ops):
        if isinstance(op, (rhal.BufferOp, rhal.DdrBufferOp)):
            live[op.result] = Live(op, op.size.value, index, index)
        for operand in op.operands:
            if operand in live:
                live[operand].last = index
    barriers = [i for i, op in enumerate(ops) if isinstance(op, rhal.BarrierOp)] + [len(ops)]
    for item in live.values():
        item.last = barriers[bisect.bisect_left(barriers, item.last)]
    return list(live.values())
