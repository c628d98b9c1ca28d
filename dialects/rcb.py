"""The `rcb` dialect: the final, fully lowered linear program of runtime control blocks.

One `rcb.program` holds the whole inference: first the DDR data declarations (`rcb.data`,
`rcb.io`), then the records, in the order the engine executes them, then `rcb.end`. There are
no branches and no SSA values; every field is a plain integer, string or integer array, and each
op mirrors one record of the bytecode:

    ==================  ==============================================================
    rcb.configure_tile  claim a tile: its locks become 0, its memory undefined
    rcb.write_params    copy a data-image entry into a tile's memory
    rcb.dma_start       issue an n-d transfer: MM2S of one tile to S2MM of another
    rcb.launch          issue a kernel to the core of a compute tile
    rcb.wait            wait until a DMA queue's issued transfers completed
    rcb.wait_core       wait until a core's issued kernels completed
    rcb.lock_acquire    the controller acquires a lock (waits for its value)
    rcb.lock_release    the controller releases a lock
    rcb.barrier         wait until everything issued so far completed
    rcb.end             the last record
    ==================  ==============================================================

The semantics are those of ``docs/rcb-bytecode.md`` sections 1-3. Tiles are addressed by (col,
row); a DMA endpoint on an interface tile addresses DDR. Lock uses travel as flattened (col,
row, id, value) quads. A minimal program::

    "rcb.program"() ({
      "rcb.io"() {address = 0 : i64, direction = "input", dtype = "i8",
                  shape = array<i64: 4096>, sym_name = "x"} : () -> ()
      "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
      "rcb.lock_release"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64}
          : () -> ()
      "rcb.barrier"() : () -> ()
      "rcb.end"() : () -> ()
    }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64,
                              524288 : i64, 28 : i64>} : () -> ()

The Python verifiers check every record on its own against the program's target: coordinates
inside the array, tile kinds right for the record, channels, pattern dimensions and
granularity, lock ids and values in range, and addresses inside the memories (above a compute
tile's stack). Field widths of the byte layout are the encoder's to check.

The target is a `#rhal.target` (rcb runs on the RHAL). Its IRDL constraint is `any`, so that
``rcb.irdl.mlir`` does not refer to the rhal dialect, and the program's verifier checks it.
IRDL has no traits: MLIR tools that load only the IRDL parse rcb records but not a whole
`rcb.program`, as they do not know that `rcb.end` is a terminator.
"""

from collections.abc import Sequence

from rcbc.dialects.common import (
    DenseArray,
    Invalid,
    Machine,
    Pattern,
    Tile,
    build,
    check_channel,
    check_ddr_address,
    check_fits,
    check_lock_id,
    check_lock_place,
    check_lock_value,
    check_same_bytes,
    check_word_multiple,
    expect_kind,
    i32_array,
    i64,
    i64_array,
    int_array,
    kernel_named,
    one_of,
    verify_region_invariants,
)
from rcbc.dialects.rhal import DMA_DIRECTIONS, TargetAttr
from rcbc.mlir import ext, ir

IO_DIRECTIONS = ("input", "output")
IO_DTYPES = ("u8", "i8", "i16", "i32", "bf16", "f32")
IMAGE_ALIGNMENT = 64
"""Entries of the data image start at multiples of this (``docs/rcb-bytecode.md`` section 5)."""
MAX_RANK = 4


class Rcb(ext.Dialect, name="rcb"):
    """Runtime control blocks: a linear program of records for the bare-metal engine."""


# -- verifier helpers ---------------------------------------------------------------------------


def enclosing_program(op: ir.OpView) -> "ProgramOp":
    parent = op.operation.parent
    if parent is None or parent.name != ProgramOp.OPERATION_NAME:
        raise Invalid(f"expects parent op '{ProgramOp.OPERATION_NAME}'")
    return parent.opview


def program_machine(op: ir.OpView) -> Machine:
    """The machine of the program that holds `op`."""
    return enclosing_program(op).machine()


def check_lock_quads(
    machine: Machine, attr: ir.Attribute, field: str, allowed: Sequence[Tile]
) -> None:
    """Check a flattened list of (col, row, id, value) lock uses on the `allowed` tiles."""
    values = int_array(attr, field)
    if len(values) % 4:
        raise Invalid(
            f"'{field}' must hold (col, row, id, value) quads, got {len(values)} integers"
        )
    for col, row, lock_id, value in zip(*[iter(values)] * 4):
        tile = machine.tile(col, row)
        check_lock_place(tile, allowed, f"'{field}'")
        check_lock_id(tile, lock_id)
        check_lock_value(tile, value, f"'{field}' value")


# -- ops ----------------------------------------------------------------------------------------


HOST_DISPATCH_ATTR = "rcb.host_dispatch"
"""On an `rcb.program`: the program models the host-dispatched flow (unit attribute)."""


class RcbOp(Rcb.Operation):
    """Base of the rcb ops: `check()` raises `Invalid` for what IRDL cannot verify."""

    verify_region_invariants = verify_region_invariants

    def check(self) -> None:
        pass


class ProgramOp(RcbOp, name="program", traits=[ir.IsIsolatedFromAboveTrait]):
    """A whole RCB program for one target.

    Its single block holds data declarations (`rcb.data`, `rcb.io`) with unique names first,
    then records, and ends with `rcb.end`, its terminator; nothing but rcb ops::

        "rcb.program"() ({
          "rcb.barrier"() : () -> ()
          "rcb.end"() : () -> ()
        }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64,
                                  524288 : i64, 28 : i64>} : () -> ()

    A unit attribute ``rcb.host_dispatch`` (`HOST_DISPATCH_ATTR`) makes it a host-dispatched
    program: every barrier and the end are a round trip to the host (the header's flag bit 0,
    which the timing model charges; bytecode spec section 4).
    """

    target: ext.Any
    body: ext.Region

    def machine(self) -> Machine:
        target = self.target
        if not isinstance(target, TargetAttr):
            raise Invalid(f"'target' must be a #rhal.target, got {target}")
        return target.machine()

    def check(self) -> None:
        machine = self.machine()
        if len(self.body.blocks) != 1:
            raise Invalid(f"body must have one block, got {len(self.body.blocks)}")
        declarations = {}
        in_records = False
        for op in self.body.blocks[0].operations:
            if not isinstance(op, RcbOp) or isinstance(op, ProgramOp):
                raise Invalid(f"body may hold only rcb records and declarations, got '{op.name}'")
            if isinstance(op, (DataOp, IoOp)):
                if in_records:
                    raise Invalid(f"declaration @{op.sym_name.value} follows the first record")
                if op.sym_name.value in declarations:
                    raise Invalid(f"declaration @{op.sym_name.value} is declared twice")
                declarations[op.sym_name.value] = op
            else:
                in_records = True
                if isinstance(op, WriteParamsOp):
                    op.check_entry(machine, declarations)

    def declarations(self):
        """The `rcb.data` and `rcb.io` ops at the head of the body."""
        for op in self.body.blocks[0].operations:
            if not isinstance(op, (DataOp, IoOp)):
                return
            yield op


class DataOp(RcbOp, name="data"):
    """A DDR data entry of `size` bytes at `address`.

    `contents` is inline data (``array<i32: ...>`` or ``array<f32: ...>``, e.g. a kernel
    parameter block or an int8 input's scale, exactly `size` bytes) or the name of a
    weight-store entry (a string): both are entries of the data image, at a multiple of 64
    bytes. `unit` contents declare memory the program only writes (the activation arena),
    outside the image::

        "rcb.data"() {address = 4160 : i64, contents = array<i32: 0, 1024, 16, 8, 8, 5120>,
                      size = 24 : i64, sym_name = "gap.params"} : () -> ()
        "rcb.data"() {address = 8192 : i64, contents = "conv1.weight", size = 9408 : i64,
                      sym_name = "conv1.weight"} : () -> ()
        "rcb.data"() {address = 32768 : i64, contents, size = 65536 : i64, sym_name = "arena"}
            : () -> ()
    """

    sym_name: ir.StringAttr
    address: ir.IntegerAttr
    size: ir.IntegerAttr
    contents: ext.Any

    def check(self) -> None:
        enclosing_program(self)
        check_ddr_address(self.address.value, "data")
        size = self.size.value
        if size < 1:
            raise Invalid(f"size {size} is not positive")
        contents = self.contents
        if not isinstance(contents, ir.UnitAttr) and self.address.value % IMAGE_ALIGNMENT:
            raise Invalid(
                f"data-image entry address {self.address.value} is not a multiple of "
                f"{IMAGE_ALIGNMENT}"
            )
        if isinstance(contents, (ir.DenseI32ArrayAttr, ir.DenseF32ArrayAttr)):
            if 4 * len(contents) != size:
                raise Invalid(f"inline contents hold {4 * len(contents)} bytes, not {size}")
        elif isinstance(contents, ir.StringAttr):
            if not contents.value:
                raise Invalid("weight entry name is empty")
        elif not isinstance(contents, ir.UnitAttr):
            raise Invalid(
                f"'contents' must be array<i32>, array<f32>, a weight entry name or unit, got "
                f"{contents}"
            )


class IoOp(RcbOp, name="io"):
    """A program input or output: a dense row-major tensor of rank 0 to 4 in DDR at `address`::

        "rcb.io"() {address = 0 : i64, direction = "input", dtype = "f32",
                    shape = array<i64: 1, 3, 224, 224>, sym_name = "x"} : () -> ()
    """

    sym_name: ir.StringAttr
    direction: one_of(*IO_DIRECTIONS)
    address: ir.IntegerAttr
    shape: DenseArray
    dtype: one_of(*IO_DTYPES)

    def check(self) -> None:
        enclosing_program(self)
        check_ddr_address(self.address.value, self.direction.value)
        shape = int_array(self.shape, "shape")
        if len(shape) > MAX_RANK:
            raise Invalid(f"shape has rank {len(shape)}; at most {MAX_RANK} dims are encodable")
        for dim, extent in enumerate(shape):
            if extent < 1:
                raise Invalid(f"shape extent {extent} in dim {dim} is not positive")


class ConfigureTileOp(RcbOp, name="configure_tile"):
    """Claim a tile for the program: its locks become 0 and its memory undefined.

    Locks that start above 0 get a `rcb.lock_release` after this record::

        "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr

    def check(self) -> None:
        program_machine(self).tile(self.col.value, self.row.value)


class WriteParamsOp(RcbOp, name="write_params"):
    """Copy the data-image entry `entry` (an `rcb.data` with contents) into the memory of a
    compute or memory tile at `address`, as the controller's memory-mapped writes::

        "rcb.write_params"() {address = 6144 : i64, col = 2 : i64, entry = "gap.params",
                              row = 3 : i64} : () -> ()
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr
    address: ir.IntegerAttr
    entry: ir.StringAttr

    def check(self) -> None:
        tile = program_machine(self).tile(self.col.value, self.row.value)
        expect_kind(tile, ("compute", "memory"), "parameters")

    def check_entry(self, machine: Machine, declarations: dict[str, ir.OpView]) -> None:
        """Check the entry against the program's declarations; the program calls this for all
        its records at once (a lookup per record would make verification quadratic)."""
        tile = machine.tile(self.col.value, self.row.value)
        name = self.entry.value
        entry = declarations.get(name)
        try:
            if not isinstance(entry, DataOp):
                raise Invalid(f"entry @{name} is not an 'rcb.data' of this program")
            if isinstance(entry.contents, ir.UnitAttr):
                raise Invalid(f"entry @{name} has no contents in the data image")
            check_word_multiple(self.address.value, f"entry @{name} address")
            check_fits(tile, self.address.value, entry.size.value, f"entry @{name}")
        except Invalid as e:
            raise Invalid(str(e), self) from None


_DMA_SIDE_FIELDS = {
    prefix: tuple(f"{prefix}_{name}" for name in ("col", "row", "channel", "address", "sizes", "strides"))
    for prefix in ("src", "dst")
}
"""The fields of each side of an `rcb.dma_start`, by prefix."""


class DmaStartOp(RcbOp, name="dma_start"):
    """Issue an n-d DMA transfer from one tile's MM2S channel to another tile's S2MM channel.

    Each side is a tile, a channel, a base address (in the tile's memory, or in DDR when the
    tile is an interface tile) and a byte pattern applied at it (sizes and strides, outermost
    first, with the rules of `#rhal.pattern`). The transfer starts once it holds the
    `acquires` and applies the `releases` when done, both flattened (col, row, id, value) quads
    of locks on its two tiles::

        "rcb.dma_start"() {acquires = array<i64: 2, 3, 1, 1>, dst_address = 1024 : i64,
                           dst_channel = 0 : i64, dst_col = 2 : i64, dst_row = 3 : i64,
                           dst_sizes = array<i64: 64, 64>, dst_strides = array<i64: 64, 1>,
                           releases = array<i64: 2, 3, 0, 1>, src_address = 0 : i64,
                           src_channel = 0 : i64, src_col = 2 : i64, src_row = 0 : i64,
                           src_sizes = array<i64: 4096>, src_strides = array<i64: 1>}
            : () -> ()
    """

    src_col: ir.IntegerAttr
    src_row: ir.IntegerAttr
    src_channel: ir.IntegerAttr
    src_address: ir.IntegerAttr
    src_sizes: DenseArray
    src_strides: DenseArray
    dst_col: ir.IntegerAttr
    dst_row: ir.IntegerAttr
    dst_channel: ir.IntegerAttr
    dst_address: ir.IntegerAttr
    dst_sizes: DenseArray
    dst_strides: DenseArray
    acquires: DenseArray
    releases: DenseArray

    def check(self) -> None:
        machine = program_machine(self)
        src_tile, src = self._endpoint(machine, "src", "source", "mm2s")
        dst_tile, dst = self._endpoint(machine, "dst", "destination", "s2mm")
        check_same_bytes(src, dst)
        check_lock_quads(machine, self.acquires, "acquires", (src_tile, dst_tile))
        check_lock_quads(machine, self.releases, "releases", (src_tile, dst_tile))

    def _endpoint(self, machine: Machine, prefix: str, what: str, direction: str):
        """Check one side of the transfer; return its tile and pattern."""
        attributes = self.operation.attributes
        names = _DMA_SIDE_FIELDS[prefix]
        col, row, channel, address = (attributes[name].value for name in names[:4])
        sizes, strides = (tuple(int_array(attributes[name], name)) for name in names[4:])
        tile = machine.tile(col, row)
        check_channel(tile, direction, channel, what)
        pattern = Pattern(address, sizes, strides)
        pattern.check(tile, what)
        if tile.kind == "interface":
            machine.check_ddr_port(tile, what)
        else:
            check_fits(tile, address, pattern.end - address, f"{what} pattern")
        return tile, pattern


class LaunchOp(RcbOp, name="launch"):
    """Issue kernel `kernel` (of `rcbc.kernels.library`) to the core of a compute tile, its
    parameter block at `params_address` in the tile's memory.

    Lock semantics as for `rcb.dma_start`, with every lock on the kernel's tile::

        "rcb.launch"() {acquires = array<i64: 2, 3, 0, 1>, col = 2 : i64,
                        kernel = "global_avgpool", params_address = 6144 : i64,
                        releases = array<i64: 2, 3, 1, 1>, row = 3 : i64} : () -> ()
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr
    kernel: ir.StringAttr
    params_address: ir.IntegerAttr
    acquires: DenseArray
    releases: DenseArray

    def check(self) -> None:
        machine = program_machine(self)
        tile = machine.tile(self.col.value, self.row.value)
        expect_kind(tile, ("compute",), "kernel")
        kernel = kernel_named(self.kernel.value)
        block = f"'{kernel.name}' parameter block"
        check_word_multiple(self.params_address.value, f"{block} address")
        check_fits(tile, self.params_address.value, kernel.block_size, block)
        check_lock_quads(machine, self.acquires, "acquires", (tile,))
        check_lock_quads(machine, self.releases, "releases", (tile,))


class WaitOp(RcbOp, name="wait"):
    """Wait until the transfers issued to a DMA channel of a tile have completed::

        "rcb.wait"() {channel = 0 : i64, col = 2 : i64, direction = "s2mm", row = 0 : i64}
            : () -> ()
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr
    direction: one_of(*DMA_DIRECTIONS)
    channel: ir.IntegerAttr

    def check(self) -> None:
        machine = program_machine(self)
        tile = machine.tile(self.col.value, self.row.value)
        check_channel(tile, self.direction.value, self.channel.value, "wait")
        if tile.kind == "interface":
            machine.check_ddr_port(tile, "wait")


class WaitCoreOp(RcbOp, name="wait_core"):
    """Wait until the kernels issued to the core of a compute tile have completed::

        "rcb.wait_core"() {col = 2 : i64, row = 3 : i64} : () -> ()
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr

    def check(self) -> None:
        tile = program_machine(self).tile(self.col.value, self.row.value)
        expect_kind(tile, ("compute",), "core wait")


class ControllerLockOp(RcbOp):
    """Base of `rcb.lock_acquire` and `rcb.lock_release`: the controller's use of a lock."""

    col: ir.IntegerAttr
    row: ir.IntegerAttr
    id: ir.IntegerAttr
    value: ir.IntegerAttr

    def check(self) -> None:
        tile = program_machine(self).tile(self.col.value, self.row.value)
        check_lock_id(tile, self.id.value)
        check_lock_value(tile, self.value.value, "lock value")


class LockAcquireOp(ControllerLockOp, name="lock_acquire"):
    """Acquire `value` from lock `id` of a tile: wait until it holds that much, subtract it::

        "rcb.lock_acquire"() {col = 2 : i64, id = 1 : i64, row = 3 : i64, value = 1 : i64}
            : () -> ()
    """


class LockReleaseOp(ControllerLockOp, name="lock_release"):
    """Release `value` to lock `id` of a tile (add it to the lock's value)::

        "rcb.lock_release"() {col = 2 : i64, id = 0 : i64, row = 3 : i64, value = 1 : i64}
            : () -> ()
    """


class BarrierOp(RcbOp, name="barrier"):
    """Wait until everything issued so far has completed::

        "rcb.barrier"() : () -> ()
    """

    def check(self) -> None:
        enclosing_program(self)


class EndOp(RcbOp, name="end", traits=[ir.IsTerminatorTrait]):
    """The end of the program: the terminator of `rcb.program`'s body::

        "rcb.end"() : () -> ()
    """

    def check(self) -> None:
        enclosing_program(self)


# -- builders -----------------------------------------------------------------------------------


def _quads(uses: Sequence[tuple[int, int, int, int]]) -> ir.Attribute:
    return i64_array([v for quad in uses for v in quad])


def program(target: TargetAttr) -> ProgramOp:
    """``rcb.program`` with an empty body block; build into ``ir.InsertionPoint(op.body.blocks[0])``
    and finish with `end()`."""
    op = ProgramOp(target=target)
    op.body.blocks.append()
    return op


def data(
    sym_name: str, address: int, size: int, contents: Sequence[int] | ir.Attribute | str | None
) -> DataOp:
    """``rcb.data``; `contents` is a list of int32 words, an ``array<i32>`` or ``array<f32>``
    attribute, a weight entry name, or None."""
    if contents is None:
        attr = ir.UnitAttr.get()
    elif isinstance(contents, str):
        attr = ir.StringAttr.get(contents)
    elif isinstance(contents, ir.Attribute):
        attr = contents
    else:
        attr = i32_array(contents)
    return DataOp(
        sym_name=ir.StringAttr.get(sym_name), address=i64(address), size=i64(size), contents=attr
    )


def io(sym_name: str, direction: str, address: int, shape: Sequence[int], dtype: str) -> IoOp:
    """``rcb.io``: a program input or output tensor in DDR."""
    return IoOp(
        sym_name=ir.StringAttr.get(sym_name),
        direction=ir.StringAttr.get(direction),
        address=i64(address),
        shape=i64_array(shape),
        dtype=ir.StringAttr.get(dtype),
    )


def configure_tile(col: int, row: int) -> ConfigureTileOp:
    """``rcb.configure_tile``: claim tile (col, row)."""
    return build(ConfigureTileOp, col=i64(col), row=i64(row))


def write_params(col: int, row: int, address: int, entry: str) -> WriteParamsOp:
    """``rcb.write_params``: copy data entry `entry` to `address` of tile (col, row)."""
    return build(
        WriteParamsOp,
        col=i64(col), row=i64(row), address=i64(address), entry=ir.StringAttr.get(entry)
    )


def dma_start(
    *,
    src: tuple[int, int],
    src_channel: int,
    src_address: int,
    src_sizes: Sequence[int],
    src_strides: Sequence[int],
    dst: tuple[int, int],
    dst_channel: int,
    dst_address: int,
    dst_sizes: Sequence[int],
    dst_strides: Sequence[int],
    acquires: Sequence[tuple[int, int, int, int]] = (),
    releases: Sequence[tuple[int, int, int, int]] = (),
) -> DmaStartOp:
    """``rcb.dma_start``; `src`/`dst` are (col, row), lock uses (col, row, id, value) quads."""
    return build(
        DmaStartOp,
        src_col=i64(src[0]),
        src_row=i64(src[1]),
        src_channel=i64(src_channel),
        src_address=i64(src_address),
        src_sizes=i64_array(src_sizes),
        src_strides=i64_array(src_strides),
        dst_col=i64(dst[0]),
        dst_row=i64(dst[1]),
        dst_channel=i64(dst_channel),
        dst_address=i64(dst_address),
        dst_sizes=i64_array(dst_sizes),
        dst_strides=i64_array(dst_strides),
        acquires=_quads(acquires),
        releases=_quads(releases),
    )


def launch(
    col: int,
    row: int,
    kernel: str,
    params_address: int,
    acquires: Sequence[tuple[int, int, int, int]] = (),
    releases: Sequence[tuple[int, int, int, int]] = (),
) -> LaunchOp:
    """``rcb.launch``; lock uses are (col, row, id, value) quads."""
    return build(
        LaunchOp,
        col=i64(col),
        row=i64(row),
        kernel=ir.StringAttr.get(kernel),
        params_address=i64(params_address),
        acquires=_quads(acquires),
        releases=_quads(releases),
    )


def wait(col: int, row: int, direction: str, channel: int) -> WaitOp:
    """``rcb.wait`` for DMA channel `channel` (`direction` "mm2s" or "s2mm") of (col, row)."""
    return build(
        WaitOp,
        col=i64(col), row=i64(row), direction=ir.StringAttr.get(direction), channel=i64(channel)
    )


def wait_core(col: int, row: int) -> WaitCoreOp:
    """``rcb.wait_core`` for the kernels of compute tile (col, row)."""
    return build(WaitCoreOp, col=i64(col), row=i64(row))


def lock_acquire(col: int, row: int, id: int, value: int) -> LockAcquireOp:
    """``rcb.lock_acquire``."""
    return build(LockAcquireOp, col=i64(col), row=i64(row), id=i64(id), value=i64(value))


def lock_release(col: int, row: int, id: int, value: int) -> LockReleaseOp:
    """``rcb.lock_release``."""
    return build(LockReleaseOp, col=i64(col), row=i64(row), id=i64(id), value=i64(value))


def barrier() -> BarrierOp:
    """``rcb.barrier``."""
    return BarrierOp()


def end() -> EndOp:
    """``rcb.end``."""
    return EndOp()
