"""convert-rhal-to-rcb: flatten a scheduled rhal program into one linear `rcb.program`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, NamedTuple

from rcbc.bytecode.program import DType
from rcbc.dialects import rcb, rhal
from rcbc.dialects.common import int_array, operand_groups, optional_int
from rcbc.frontend.interface import ENTRY_FUNCTION
from rcbc.mlir import func, ir
from rcbc.lowering.data_image import IMAGE_ALIGNMENT, align
from rcbc.registry import ModulePass, option

CONTENTS_ATTR = "rcbc.contents"
"""On a constant `rhal.ddr_buffer`: its bytes inline, ``array<i32>`` or ``array<f32>`` (a
value the lowering made, such as an int8 input's scale)."""
SHAPE_ATTR = "rcbc.shape"
"""On an input or output `rhal.ddr_buffer`: the tensor's shape, ``array<i64>``."""
DTYPE_ATTR = "rcbc.dtype"
"""On an input or output `rhal.ddr_buffer`: the element type, one of `rcb.IO_DTYPES`."""

class _Record(NamedTuple):
    """An rcb op to build: its builder, the builder's arguments and the rhal op it comes from."""

    build: Callable[..., Any]
    kwargs: dict[str, Any]
    location: ir.Location


@dataclass
class _Plan:
    """What the program will hold, in order, before any IR is built."""

    declarations: list[tuple[int, str, _Record]] = field(default_factory=list)  # (address, name)
    prologue: list[_Record] = field(default_factory=list)  # configure_tile, initial releases
    records: list[_Record] = field(default_factory=list)


@dataclass(frozen=True)
class ConvertRhalToRcb(ModulePass):
    """Flatten a scheduled rhal program into one `rcb.program`.

    The input is what ``rhal-place``, ``rhal-allocate`` and ``rhal-schedule-dma`` produce: a
    module with ``rhal.target`` and ``rcbc.weight_store`` attributes whose ``func.func @main``
    holds, in issue order, the resources (`rhal.tile`, `rhal.ddr_buffer`, `rhal.buffer`,
    `rhal.lock`), all buffers allocated, and the schedule (`rhal.dma`, `rhal.kernel`,
    `rhal.wait`, `rhal.wait_core`, `rhal.acquire`, `rhal.release`, `rhal.barrier`). The pass
    replaces ``@main`` by one `rcb.program` for the module's target holding, in order:

    1. the DDR declarations, by address: an `rcb.data` per constant (a weight-store entry named
       by the buffer's ``sym_name``, or inline values from a ``rcbc.contents = array<i32: ...>``
       or ``array<f32: ...>`` attribute), an `rcb.data` per distinct kernel parameter block
       (inline, named ``<kernel>.params.<n>`` in order of first use), an `rcb.io` per input and
       output (shape and element type from the buffer's ``rcbc.shape`` and ``rcbc.dtype``
       attributes), and an `rcb.data` without contents per scratch buffer (the activation arena);
    2. `rcb.configure_tile` for every tile the program uses (compute, memory and interface tiles,
       in the order of their `rhal.tile` ops), then an `rcb.lock_release` for every lock whose
       initial value is above 0 — configuration sets a tile's locks to 0;
    3. the schedule in issue order: `rhal.kernel` becomes `rcb.write_params` (its parameter block
       into its ``params`` buffer, when the controller issues it) and `rcb.launch`; `rhal.dma`
       becomes `rcb.dma_start`, each side's address being its buffer's address plus its pattern's
       offset, on the port tile; lock operands become (col, row, id, value) quads; the waits,
       the controller's acquires and releases and the barrier map one to one;
    4. `rcb.end`.

    **The data image** is the prefix of the program's DDR space the loader fills from the file.
    Allocation's addresses are kept as they are: each constant stays where ``rhal-allocate`` put
    it, which must be a multiple of 64 (the image's alignment). The parameter blocks follow the
    last constant, each at the next multiple of 64 (`rcbc.lowering.data_image.parameter_image_size` says how much room
    they take), and the image ends where the last of them ends. Inputs, outputs and scratch
    buffers must lie at or above that end: the format puts the I/O buffers and the arena after
    the image.

    With `host-dispatch`, the program is marked ``rcb.host_dispatch``: it models the flow in
    which a host driver dispatches the work between barriers (one layer), each barrier and the
    end a round trip to the host (the baseline of ``rcbc compile --baseline``).

    Every problem is an error at the rhal op concerned, with its numbers: a buffer without an
    address, a constant that is not 64-aligned or overlaps another, an I/O or scratch buffer
    inside the data image, an input without its shape, a parameter buffer on another tile than
    its kernel, a lock declared twice with different initial values, an op that is not part of
    a scheduled program.

    Before::

        module attributes {rcbc.weight_store = "gap.rcbw", rhal.target = #rhal.target<"aie-ml",
            38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>} {
          func.func @main() {
            %shim = "rhal.tile"() {col = 2 : i64, kind = "interface", row = 0 : i64}
                : () -> !rhal.tile_ref
            %core = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
                : () -> !rhal.tile_ref
            %x = "rhal.ddr_buffer"() {address = 64 : i64, rcbc.dtype = "f32",
                rcbc.shape = array<i64: 1, 16, 8, 8>, role = "input", size = 4096 : i64,
                sym_name = "x"} : () -> !rhal.buffer_ref
            %a = "rhal.buffer"(%core) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"}
                : (!rhal.tile_ref) -> !rhal.buffer_ref
            %b = "rhal.buffer"(%core) {address = 5120 : i64, size = 64 : i64, sym_name = "b"}
                : (!rhal.tile_ref) -> !rhal.buffer_ref
            %p = "rhal.buffer"(%core) {address = 5184 : i64, size = 24 : i64, sym_name = "p"}
                : (!rhal.tile_ref) -> !rhal.buffer_ref
            %full = "rhal.lock"(%core) {id = 0 : i64, init = 0 : i64}
                : (!rhal.tile_ref) -> !rhal.lock_ref
            "rhal.dma"(%x, %a, %shim, %core, %full) {acquire_values = array<i64>,
                dst_channel = 0 : i64, dst_pattern = #rhal.pattern<0 : i64, array<i64: 4096>,
                array<i64: 1>>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>,
                release_values = array<i64: 1>, src_channel = 0 : i64,
                src_pattern = #rhal.pattern<0 : i64, array<i64: 4096>, array<i64: 1>>}
                : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref,
                   !rhal.lock_ref) -> ()
            "rhal.kernel"(%core, %p, %a, %b, %full) {acquire_values = array<i64: 1>,
                bindings = ["params", "in_addr", "out_addr"], kernel = "global_avgpool",
                operandSegmentSizes = array<i32: 1, 3, 1, 0>,
                params = array<i32: 0, 1024, 16, 8, 8, 5120>, release_values = array<i64>}
                : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref,
                   !rhal.lock_ref) -> ()
            "rhal.wait_core"(%core) : (!rhal.tile_ref) -> ()
            func.return
          }
        }

    After (``--convert-rhal-to-rcb``)::

        module attributes {rcbc.weight_store = "gap.rcbw", rhal.target = #rhal.target<...>} {
          "rcb.program"() ({
            "rcb.data"() {address = 0 : i64, contents = array<i32: 0, 1024, 16, 8, 8, 5120>,
                          size = 24 : i64, sym_name = "global_avgpool.params.0"} : () -> ()
            "rcb.io"() {address = 64 : i64, direction = "input", dtype = "f32",
                        shape = array<i64: 1, 16, 8, 8>, sym_name = "x"} : () -> ()
            "rcb.configure_tile"() {col = 2 : i64, row = 0 : i64} : () -> ()
            "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
            "rcb.dma_start"() {acquires = array<i64>, dst_address = 1024 : i64,
                dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 3 : i64,
                dst_sizes = array<i64: 4096>, dst_strides = array<i64: 1>,
                releases = array<i64: 2, 3, 0, 1>, src_address = 64 : i64,
                src_channel = 0 : i64, src_col = 2 : i64, src_row = 0 : i64,
                src_sizes = array<i64: 4096>, src_strides = array<i64: 1>} : () -> ()
            "rcb.write_params"() {address = 5184 : i64, col = 2 : i64,
                                  entry = "global_avgpool.params.0", row = 3 : i64} : () -> ()
            "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64,
                kernel = "global_avgpool", params_address = 5184 : i64,
                releases = array<i64>, row = 3 : i64} : () -> ()
            "rcb.wait_core"() {col = 2 : i64, row = 3 : i64} : () -> ()
            "rcb.end"() : () -> ()
          }) {target = #rhal.target<"aie-ml", ...>} : () -> ()
        }
    """

    argument: ClassVar[str] = "convert-rhal-to-rcb"
    host_dispatch: bool = option(False, "mark the program host-dispatched: each barrier and the "
                                 "end are a host round trip")

    def run(self, module: ir.Operation) -> None:
        target = _attribute(module, rhal.TARGET_ATTR)
        if not isinstance(target, rhal.TargetAttr):
            self.fail(module, f"{self.argument}: the module has no '{rhal.TARGET_ATTR}' attribute")
        main = self._main(module)
        plan = _Flattener(self).flatten(main.regions[0].blocks[0])
        if getattr(self, "_failed", False):
            return
        with ir.InsertionPoint(main), main.location:
            program = rcb.program(target)
            if self.host_dispatch:
                program.attributes[rcb.HOST_DISPATCH_ATTR] = ir.UnitAttr.get()
        with ir.InsertionPoint(program.body.blocks[0]):
            declarations = [r for _, _, r in sorted(plan.declarations, key=lambda d: d[:2])]
            for record in (*declarations, *plan.prologue, *plan.records):
                with record.location:
                    record.build(**record.kwargs)
            with main.location:
                rcb.end()
        main.erase()

    def _main(self, module: ir.Operation) -> func.FuncOp:
        for op in module.regions[0].blocks[0].operations:
            if isinstance(op, func.FuncOp) and op.name.value == ENTRY_FUNCTION:
                if len(op.regions[0].blocks) != 1 or op.type.inputs or op.type.results:
                    self.fail(
                        op,
                        f"convert-rhal-to-rcb: @{ENTRY_FUNCTION} must have one block, no "
                        f"arguments and no results, as a scheduled program does",
                    )
                return op
        self.fail(
            module,
            f"convert-rhal-to-rcb: the module has no func.func @{ENTRY_FUNCTION} holding a "
            f"scheduled rhal program",
        )


class _Flattener:
    """One conversion: checks the resources, lays out DDR and lists the records."""

    def __init__(self, pass_: ConvertRhalToRcb):
        self.pass_ = pass_
        self.plan = _Plan()
        self.tiles: dict[tuple[int, int], ir.Location] = {}  # used tiles, in rhal.tile order
        self.locks: dict[tuple[int, int, int], tuple[int, rhal.LockOp]] = {}
        self.params: dict[ir.Attribute, str] = {}  # distinct parameter blocks -> entry name
        self.names: set[str] = set()  # DDR declarations
        self.constants_end = 0
        # What records read of the resources, by SSA value (and pattern attribute), computed
        # once each: ResNet-18's 117,000 records name a few hundred resources.
        self.coords: dict[ir.Value, dict[str, int]] = {}  # tile -> {col, row}
        self.lock_ids: dict[ir.Value, tuple[int, int, int]] = {}  # lock -> (col, row, id)
        self.addresses: dict[ir.Value, int | None] = {}  # buffer -> address
        self.patterns: dict[ir.Attribute, tuple[int, tuple[int, ...], tuple[int, ...]]] = {}

    def error(self, op, message: str) -> None:
        self.pass_.emit_error(op, f"{ConvertRhalToRcb.argument}: {message}")

    def flatten(self, block: ir.Block) -> _Plan:
        constants, others, kernels, schedule = [], [], [], []
        for op in block.operations:
            if isinstance(op, rhal.TileOp):
                coords = self.coords[op.result] = {"col": op.col.value, "row": op.row.value}
                if any(True for _ in op.result.uses):
                    self.tiles.setdefault((coords["col"], coords["row"]), op.location)
            elif isinstance(op, rhal.DdrBufferOp):
                self.addresses[op.result] = optional_int(op.address)
                self.ddr_buffer(op, constants, others)
            elif isinstance(op, rhal.BufferOp):
                self.addresses[op.result] = optional_int(op.address)
                self.buffer(op)
            elif isinstance(op, rhal.LockOp):
                tile = self.coords[op.tile]
                self.lock_ids[op.result] = (tile["col"], tile["row"], op.id.value)
                self.lock(op)
            elif isinstance(op, _SCHEDULE_OPS):
                schedule.append(op)
                if isinstance(op, rhal.KernelOp):
                    kernels.append(op)
            elif not isinstance(op, func.ReturnOp):
                self.error(
                    op,
                    f"'{op.name}' is not part of a scheduled rhal program (tiles, buffers, "
                    f"locks, transfers, kernels, waits, lock uses, barriers)",
                )
        image_end = self.layout_image(constants, kernels)
        self.check_above_image(others, image_end)
        self.prologue()
        for op in schedule:
            self.schedule(op)
        return self.plan

    # -- resources ------------------------------------------------------------------------------

    def buffer(self, op: rhal.BufferOp) -> None:
        if optional_int(op.address) is None:
            tile = op.tile.owner
            where = f"{tile.kind.value} tile ({tile.col.value},{tile.row.value})"
            self.unallocated(op, f"buffer @{op.sym_name.value} of {op.size.value} bytes on {where}")

    def unallocated(self, op, what: str) -> None:
        self.error(op, f"{what} has no address; run rhal-allocate first")

    def ddr_buffer(self, op: rhal.DdrBufferOp, constants: list, others: list) -> None:
        name, role, size = op.sym_name.value, op.role.value, op.size.value
        address = optional_int(op.address)
        if name in self.names:
            self.error(op, f"a DDR buffer named @{name} is declared twice")
            return
        self.names.add(name)
        if address is None:
            self.unallocated(op, f"{role} DDR buffer @{name} of {size} bytes")
        elif role == "constant":
            constants.append(op)
        else:
            others.append(op)
            if role == "scratch":
                self.declare(op, rcb.data, sym_name=name, address=address, size=size, contents=None)
            else:
                self.io(op, name, role, address, size)

    def io(self, op: rhal.DdrBufferOp, name: str, role: str, address: int, size: int) -> None:
        shape, dtype = _attribute(op, SHAPE_ATTR), _attribute(op, DTYPE_ATTR)
        what = f"{role} DDR buffer @{name}"
        if not isinstance(shape, ir.DenseI64ArrayAttr):
            self.error(op, f"{what} needs its tensor shape as '{SHAPE_ATTR} = array<i64: ...>'")
            return
        if not isinstance(dtype, ir.StringAttr) or dtype.value not in rcb.IO_DTYPES:
            got = f"; got {dtype}" if dtype is not None else ""
            dtypes = ", ".join(rcb.IO_DTYPES)
            self.error(op, f"{what} needs its element type as '{DTYPE_ATTR}', one of {dtypes}{got}")
            return
        shape = list(shape)
        if len(shape) > rcb.MAX_RANK or min(shape, default=1) < 1:
            self.error(
                op,
                f"{what} has shape {shape}; an I/O tensor has rank 0 to {rcb.MAX_RANK} and "
                f"positive extents",
            )
            return
        nbytes = math.prod(shape) * DType.parse(dtype.value).itemsize
        if size not in (nbytes, -(-nbytes // 4) * 4):  # int8 buffers may end in a padded word
            dims = "x".join(map(str, shape))
            self.error(
                op, f"{what} holds {size} bytes but its {dtype.value} tensor of shape {dims} has "
                f"{nbytes}"
            )
            return
        self.declare(
            op, rcb.io, sym_name=name, direction=role, address=address, shape=shape,
            dtype=dtype.value,
        )

    def lock(self, op: rhal.LockOp) -> None:
        tile = op.tile.owner
        key = (tile.col.value, tile.row.value, op.id.value)
        init = op.init.value
        first = self.locks.setdefault(key, (init, op))[0]
        if first != init:
            self.error(
                op,
                f"lock {key[2]} of {tile.kind.value} tile ({key[0]},{key[1]}) is declared twice, "
                f"with initial values {first} and {init}",
            )

    def declare(self, op, build, **kwargs) -> None:
        """Declare DDR memory: `build` is `rcb.data` or `rcb.io`, `kwargs` its arguments."""
        key = (kwargs["address"], kwargs["sym_name"])
        self.plan.declarations.append((*key, _Record(build, kwargs, op.location)))

    # -- the data image -------------------------------------------------------------------------

    def layout_image(self, constants: list[rhal.DdrBufferOp], kernels: list[rhal.KernelOp]) -> int:
        """Declare the constants where allocation put them and the parameter blocks after them;
        return the end of the data image."""
        end, last = 0, ""
        for op in sorted(constants, key=lambda c: (c.address.value, c.sym_name.value)):
            name, address, size = op.sym_name.value, op.address.value, op.size.value
            if address % IMAGE_ALIGNMENT:
                self.error(
                    op,
                    f"constant @{name} is at DDR address {address}, which is not a multiple of "
                    f"{IMAGE_ALIGNMENT}: data-image entries are {IMAGE_ALIGNMENT}-byte aligned",
                )
            elif address < end:
                self.error(
                    op,
                    f"constant @{name} at DDR [{address}, {address + size}) overlaps constant "
                    f"{last}",
                )
            elif (contents := self.constant_contents(op, name, size)) is not None:
                self.declare(
                    op, rcb.data, sym_name=name, address=address, size=size, contents=contents
                )
                end, last = address + size, f"@{name} at [{address}, {address + size})"
        self.constants_end = end
        for op in kernels:
            if op.params not in self.params:  # attributes are uniqued: one per distinct block
                words = int_array(op.params, "params", bits=32)
                name = self.params[op.params] = self.parameter_name(op.kernel.value)
                at, size = align(end), 4 * len(words)
                self.declare(op, rcb.data, sym_name=name, address=at, size=size, contents=words)
                end = at + size
        return end

    def constant_contents(
        self, op: rhal.DdrBufferOp, name: str, size: int
    ) -> ir.Attribute | str | None:
        """A constant's contents: its inline array, or else its weight-store name; None after
        an error."""
        contents = _attribute(op, CONTENTS_ATTR)
        if contents is None:
            return name
        what = f"'{CONTENTS_ATTR}' of constant @{name}"
        if not isinstance(contents, (ir.DenseI32ArrayAttr, ir.DenseF32ArrayAttr)):
            self.error(op, f"{what} must be array<i32> or array<f32>, got {contents}")
        elif 4 * len(contents) != size:
            self.error(op, f"{what} holds {4 * len(contents)} bytes but the buffer has {size}")
        else:
            return contents
        return None

    def parameter_name(self, kernel: str) -> str:
        """``<kernel>.params.<n>``, the first such name not taken."""
        n = sum(1 for name in self.params.values() if name.startswith(f"{kernel}.params."))
        while f"{kernel}.params.{n}" in self.names:
            n += 1
        name = f"{kernel}.params.{n}"
        self.names.add(name)
        return name

    def check_above_image(self, others: list[rhal.DdrBufferOp], image_end: int) -> None:
        blocks = len(self.params)
        for op in others:
            if op.address.value < image_end:
                self.error(
                    op,
                    f"{op.role.value} DDR buffer @{op.sym_name.value} at address "
                    f"{op.address.value} lies inside the data image, which ends at {image_end} "
                    f"(constants up to {self.constants_end}, then {blocks} parameter "
                    f"block{'s' * (blocks != 1)}): rhal-allocate must place inputs, outputs and "
                    f"scratch at or above {image_end}",
                )

    # -- records --------------------------------------------------------------------------------

    def prologue(self) -> None:
        """Claim every tile used, then give locks their initial values."""
        for (col, row), location in self.tiles.items():
            self.plan.prologue.append(_Record(rcb.configure_tile, dict(col=col, row=row), location))
        for (col, row, lock_id), (init, op) in self.locks.items():
            if init > 0:
                release = dict(col=col, row=row, id=lock_id, value=init)
                self.plan.prologue.append(_Record(rcb.lock_release, release, op.location))

    def add(self, op, build, **kwargs) -> None:
        self.plan.records.append(_Record(build, kwargs, op.location))

    def schedule(self, op) -> None:
        if isinstance(op, rhal.DmaOp):
            self.dma(op)
        elif isinstance(op, rhal.KernelOp):
            self.kernel(op)
        elif isinstance(op, rhal.WaitOp):
            direction, channel = op.direction.value, op.channel.value
            self.add(op, rcb.wait, **self.coords[op.tile], direction=direction, channel=channel)
        elif isinstance(op, rhal.WaitCoreOp):
            self.add(op, rcb.wait_core, **self.coords[op.tile])
        elif isinstance(op, (rhal.AcquireOp, rhal.ReleaseOp)):
            build = rcb.lock_acquire if isinstance(op, rhal.AcquireOp) else rcb.lock_release
            col, row, lock_id = self.lock_ids[op.lock]
            self.add(op, build, col=col, row=row, id=lock_id, value=op.value.value)
        elif isinstance(op, rhal.BarrierOp):
            self.add(op, rcb.barrier)

    def dma(self, op: rhal.DmaOp) -> None:
        [src], [dst], [src_port], [dst_port], acquires, releases = operand_groups(op)
        attributes = op.operation.attributes
        sides = {}
        for side, direction, buffer, port_value in (("src", "mm2s", src, src_port),
                                                    ("dst", "s2mm", dst, dst_port)):
            address = self.addresses[buffer]
            channel = optional_int(attributes[f"{side}_channel"])
            port = self.coords[port_value]
            if channel is None:
                self.error(
                    op,
                    f"the transfer from @{src.owner.sym_name.value} to "
                    f"@{dst.owner.sym_name.value} has no {direction.upper()} channel on tile "
                    f"({port['col']},{port['row']}); run rhal-schedule-dma first",
                )
                return
            if address is None:  # reported at the buffer
                return
            offset, sizes, strides = self.pattern(attributes[f"{side}_pattern"], side)
            sides.update({
                side: (port["col"], port["row"]),
                f"{side}_channel": channel,
                f"{side}_address": address + offset,
                f"{side}_sizes": sizes,
                f"{side}_strides": strides,
            })
        self.add(
            op, rcb.dma_start, **sides,
            acquires=self.quads(acquires, attributes["acquire_values"]),
            releases=self.quads(releases, attributes["release_values"]),
        )

    def pattern(self, attr: rhal.PatternAttr, side: str) -> tuple:
        """(offset, sizes, strides) of a `#rhal.pattern`."""
        if attr not in self.patterns:
            pattern = attr.pattern(side)
            self.patterns[attr] = (pattern.offset, pattern.sizes, pattern.strides)
        return self.patterns[attr]

    def quads(self, locks: Sequence[ir.Value], values: ir.Attribute) -> list[tuple[int, ...]]:
        """(col, row, id, value) of each lock use."""
        return [(*self.lock_ids[lock], value) for lock, value in zip(locks, int_array(values, "values"))]

    def kernel(self, op: rhal.KernelOp) -> None:
        [tile_value], buffers, acquires, releases = operand_groups(op)
        if any(self.addresses[b] is None for b in buffers):
            return  # reported at the buffer
        params = buffers[op.binding_names().index(rhal.PARAMS_BINDING)].owner
        tile, home = self.coords[tile_value], self.coords[params.tile]
        if home != tile:
            self.error(
                op,
                f"parameter buffer @{params.sym_name.value} is on tile ({home['col']},"
                f"{home['row']}), not on the kernel's tile ({tile['col']},{tile['row']}): a core "
                f"reads its parameter block from its own memory",
            )
            return
        address = params.address.value
        attributes = op.operation.attributes
        entry = self.params[attributes["params"]]
        self.add(op, rcb.write_params, **tile, address=address, entry=entry)
        self.add(
            op, rcb.launch, **tile, kernel=attributes["kernel"].value, params_address=address,
            acquires=self.quads(acquires, attributes["acquire_values"]),
            releases=self.quads(releases, attributes["release_values"]),
        )


_SCHEDULE_OPS = (
    rhal.DmaOp, rhal.KernelOp, rhal.WaitOp, rhal.WaitCoreOp, rhal.AcquireOp, rhal.ReleaseOp,
    rhal.BarrierOp,
)


def _attribute(op: ir.OpView | ir.Operation, name: str) -> ir.Attribute | None:
    """The attribute `name` of `op`, or None."""
    attributes = op.operation.attributes
    return attributes[name] if name in attributes else None
