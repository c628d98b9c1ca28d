"""rhal-verify: check a scheduled rhal program as a whole before it is flattened."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from rcbc.dialects import rhal
from rcbc.lowering.ir_layers import main_function
from rcbc.lowering.liveness import liveness
from rcbc.mlir import ir
from rcbc.registry import ModulePass


@dataclass(frozen=True)
class Verify(ModulePass):
    """Check what no single op's verifier can: the program as a whole.

    Each op already checks its own numbers (coordinates, kinds, channels, lock ids and values,
    pattern dimensions and extents, buffers inside their memory). This pass checks, across ops:

    - every buffer has an address, and buffers alive at the same time (from their definition to
      the first barrier after their last use, as `rhal-allocate` counts) do not share bytes;
    - every tile buffer and every DDR activation is written, by a DMA or a kernel issued
      earlier, before anything reads it (weights, parameter blocks and inputs are written by the
      loader).

    (A tile cannot use more locks than it has: each `rhal.lock` checks its id against the count.)

    Races between concurrent accesses are the executors' to find: they follow the synchronization
    this pass cannot simulate. A violation is an error at the offending op with the numbers:

        'rhal.kernel' op rhal-verify: reads buffer @conv/in0@(2,3) (bytes 1024..1600 of compute
        tile (2,3)) before anything writes it
    """

    argument: ClassVar[str] = "rhal-verify"

    def run(self, module: ir.Operation) -> None:
        if rhal.TARGET_ATTR not in module.attributes:
            self.fail(module, "rhal-verify: the module has no rhal.target; run rhal-set-target first")
        function = main_function(module)
        if function is None:
            self.fail(module, "rhal-verify: the module has no func.func @main")
        ops = list(function.body.blocks[0].operations)
        self.check_overlaps(ops)
        self.check_written_before_read(ops)

    def check_overlaps(self, ops: list[ir.OpView]) -> None:
        by_memory = defaultdict(list)  # memory -> [(address, buffer)]
        for item in liveness(ops):
            address = item.op.address
            if not isinstance(address, ir.IntegerAttr):
                self.fail(item.op, f"rhal-verify: buffer {_name(item.op)} has no address; run rhal-allocate first")
            by_memory[_memory(item.op)].append((address.value, item))
        for memory, items in by_memory.items():
            items.sort(key=lambda start_item: start_item[0])
            for i, (a_start, a) in enumerate(items):
                for j in range(i + 1, len(items)):
                    b_start, b = items[j]
                    if b_start >= a_start + a.size:
                        break
                    if a.first <= b.last and b.first <= a.last:
                        self.emit_error(
                            b.op,
                            f"rhal-verify: buffer {_name(b.op)} (bytes {b_start}..{b_start + b.size}) "
                            f"overlaps buffer {_name(a.op)} (bytes {a_start}..{a_start + a.size}) of "
                            f"{memory} while both are alive",
                        )

    def check_written_before_read(self, ops: list[ir.OpView]) -> None:
        written: set[ir.Value] = set()
        for op in ops:
            if isinstance(op, rhal.DdrBufferOp) and op.role.value in ("constant", "input"):
                written.add(op.result)
            elif isinstance(op, rhal.DmaOp):
                src, dst = op.operands[0], op.operands[1]
                self.require(op, src, written)
                written.add(dst)
            elif isinstance(op, rhal.KernelOp):
                reads = {a.what for a in op.accesses() if not a.writes}
                _, buffers, _, _ = rhal.operand_groups(op)
                bound = list(zip(op.binding_names(), buffers))
                for name, buffer in bound:
                    if name == rhal.PARAMS_BINDING:
                        continue  # the controller writes it when it issues the kernel
                    if name in reads:
                        self.require(op, buffer, written)
                for name, buffer in bound:
                    if name == "out_addr":
                        written.add(buffer)

    def require(self, op: ir.OpView, buffer: ir.Value, written: set[ir.Value]) -> None:
        if buffer not in written:
            owner = buffer.owner
            start = ir.IntegerAttr(owner.address).value
            self.emit_error(
                op,
                f"rhal-verify: reads buffer {_name(owner)} (bytes {start}..{start + owner.size.value} "
                f"of {_memory(owner)}) before anything writes it",
            )
            written.add(buffer)  # one error per buffer


def _name(op: ir.OpView) -> str:
    return "@" + op.sym_name.value


def _memory(op: ir.OpView) -> str:
    if isinstance(op, rhal.DdrBufferOp):
        return "DDR"
    tile = op.tile.owner
    return f"{tile.kind.value} tile ({tile.col.value},{tile.row.value})"
