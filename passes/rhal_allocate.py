"""rhal-allocate: addresses for every buffer, reusing memory by liveness."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from rcbc.dialects import rhal
from rcbc.dialects.common import i32_array, i64, int_array, operand_groups
from rcbc.kernels import library
from rcbc.lowering.data_image import IMAGE_ALIGNMENT, align, parameter_image_size
from rcbc.lowering.ir_layers import main_function
from rcbc.lowering.liveness import Live, liveness
from rcbc.mlir import ir
from rcbc.registry import ModulePass

MEMORY_ATTR = "rhal.memory"  # peaks the allocation reached, for reports
TILE_ALIGNMENT = 16  # a 128-bit load of the core
DDR_ORDER = ("constant", "input", "output", "scratch")


def first_fit(items: list[Live], base: int, alignment: int) -> tuple[dict[int, int], int]:
    """Addresses for `items` (by index) such that items live at the same time do not overlap;
    each goes to the lowest aligned address free during its whole life. Returns the addresses
    and the end of the highest item."""
    placed: list[tuple[int, int, int, int]] = []  # first, last, start, end
    addresses = {}
    peak = base
    for index in sorted(range(len(items)), key=lambda i: (items[i].first, -items[i].size)):
        item = items[index]
        busy = sorted((start, end) for first, last, start, end in placed
                      if first <= item.last and item.first <= last)
        address = align(base, alignment)
        for start, end in busy:
            if address + item.size <= start:
                break
            address = max(address, align(end, alignment))
        addresses[index] = address
        placed.append((item.first, item.last, address, address + item.size))
        peak = max(peak, address + item.size)
    return addresses, peak


@dataclass(frozen=True)
class Allocate(ModulePass):
    """Give every buffer an address: tile memories above the core stack, memory tiles, and DDR.

    A buffer lives from its first to its last use in issue order; buffers that live at the same
    time get disjoint bytes, so the slots of successive layers share a tile's memory. Every
    kernel's parameter block then gets the addresses of the buffers its `bindings` name. DDR
    holds the data image first (constants, 64-byte aligned as the bytecode's data image requires,
    then room for the distinct parameter blocks, which `convert-rhal-to-rcb` puts there), then
    the inputs and outputs, then the activation arena, reused by liveness. The peaks are
    recorded on the module as `rhal.memory`. Buffers that do not fit are an error naming the
    tile and the bytes.

    Before:

        %in0 = "rhal.buffer"(%t0) {address, size = 9216 : i64, sym_name = "conv/in0@(2,3)"}

    After:

        %in0 = "rhal.buffer"(%t0) {address = 1024 : i64, size = 9216 : i64, sym_name = "conv/in0@(2,3)"}
        module attributes {rhal.memory = {arena_bytes = 1605632 : i64, ddr_bytes = 2557952 : i64,
                                          tile_peak_bytes = 62336 : i64}, ...}
    """

    argument: ClassVar[str] = "rhal-allocate"

    def run(self, module: ir.Operation) -> None:
        if rhal.TARGET_ATTR not in module.attributes:
            self.fail(module, "rhal-allocate: the module has no rhal.target; run rhal-set-target first")
        machine = rhal.TargetAttr(module.attributes[rhal.TARGET_ATTR]).machine()
        function = main_function(module)
        if function is None:
            self.fail(module, "rhal-allocate: the module has no func.func @main")
        ops = list(function.body.blocks[0].operations)
        live = liveness(ops)
        by_memory: dict[object, list[Live]] = defaultdict(list)
        for item in live:
            if isinstance(item.op, rhal.BufferOp):
                tile = item.op.tile.owner
                by_memory[(tile.col.value, tile.row.value)].append(item)
            else:
                by_memory[("ddr", item.op.role.value)].append(item)
        tile_peak = 0
        for key in sorted(k for k in by_memory if k[0] != "ddr"):
            tile_peak = max(tile_peak, self.allocate_tile(machine.target, key, by_memory[key]))
        kernels = [op for op in ops if isinstance(op, rhal.KernelOp)]
        for op in kernels:
            self.bind(op)
        ddr_end, arena = 0, 0
        for role in DDR_ORDER:
            items = by_memory.get(("ddr", role), [])
            if role != "scratch":  # the data image and I/O live the whole run
                for item in items:
                    item.first, item.last = 0, len(ops)
            addresses, end = first_fit(items, ddr_end, IMAGE_ALIGNMENT)
            for index, address in addresses.items():
                items[index].op.attributes["address"] = i64(address)
            if role == "scratch":
                arena = end - ddr_end
            ddr_end = max(ddr_end, end)
            if role == "constant":  # the parameter blocks close the data image
                ddr_end += parameter_image_size(int_array(op.params, "params", bits=32) for op in kernels)
        module.attributes[MEMORY_ATTR] = ir.DictAttr.get({
            "ddr_bytes": i64(ddr_end), "arena_bytes": i64(arena), "tile_peak_bytes": i64(tile_peak),
        })

    def allocate_tile(self, target, key: tuple[int, int], items: list[Live]) -> int:
        col, row = key
        kind = target.kind_of(row)
        base = target.stack_bytes if kind == "compute" else 0
        capacity = target.spec(kind).memory
        addresses, end = first_fit(items, base, TILE_ALIGNMENT)
        if end > capacity:
            worst = max(items, key=lambda i: addresses[items.index(i)] + i.size)
            self.fail(
                worst.op,
                f"rhal-allocate: buffers live at the same time on {kind} tile ({col},{row}) need "
                f"{end - base} bytes, but it has {capacity - base}"
                + (f" above its {base}-byte stack" if base else ""),
            )
        for index, address in addresses.items():
            items[index].op.attributes["address"] = i64(address)
        return end

    @staticmethod
    def bind(op: rhal.KernelOp) -> None:
        """Write the address of every bound buffer into its field of the parameter block."""
        kernel = library.by_name(op.kernel.value)
        words = int_array(op.params, "params", bits=32)
        _, buffers, _, _ = operand_groups(op)
        for name, buffer in zip(op.binding_names(), buffers):
            if name != rhal.PARAMS_BINDING:
                words[kernel.fields.index(name)] = buffer.owner.address.value
        op.attributes["params"] = i32_array(words)
