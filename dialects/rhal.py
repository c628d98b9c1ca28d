"""The `rhal` dialect: the hardware resources of a tile array, still structured.

rhal is what partitioning, placement, allocation and DMA scheduling work on. It has two levels.
The tensor level is where ``convert-linalg-to-rhal`` puts a model: one op per layer, on
``tensor<...xf32>`` values, each computed by one kernel of ``docs/kernels.md`` with its fusions
(bias, residual, activation) as operands and attributes: `rhal.conv2d`, `rhal.pool2d`,
`rhal.global_avgpool`, `rhal.matmul` and `rhal.eltwise`. The hardware level names

- the target (`#rhal.target`, carried as ``rhal.target`` by the enclosing module),
- tiles by (col, row) and kind (`rhal.tile`),
- buffers of bytes in a tile's memory (`rhal.buffer`) or in DDR (`rhal.ddr_buffer`),
- locks, the counting semaphores of a tile (`rhal.lock`),
- n-d DMA transfers between buffers (`rhal.dma`, with `#rhal.pattern` access patterns),
- kernel invocations on a compute tile (`rhal.kernel`),
- and what the controller does between them (`rhal.wait`, `rhal.wait_core`, `rhal.acquire`,
  `rhal.release`, `rhal.barrier`).

The order of the ops in a block is the issue order of the schedule. Ops print in MLIR's generic
form (the only form `mlir.dialects.ext` offers); types and attributes print pretty::

    module attributes {rhal.target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64,
                                                  65536 : i64, 524288 : i64, 28 : i64>} {
      %core = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
          : () -> !rhal.tile_ref
      %a = "rhal.buffer"(%core) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"}
          : (!rhal.tile_ref) -> !rhal.buffer_ref
    }

The machine is that of ``docs/rcb-bytecode.md`` section 1. Memories are DDR (one flat byte
address space per program: data image, I/O and activation arena), memory tiles and compute tiles
(whose first `stack_bytes` are reserved); interface (shim) tiles have none, so a DMA endpoint on
an interface tile means DDR. A transfer runs MM2S on the source port tile's channel, then the
stream, then S2MM on the destination port tile's channel, and moves whole 4-byte words. Locks
are counting semaphores local to a tile: acquire(v) waits until the value is at least v and
subtracts v, release(v) adds v. A transfer or kernel may carry acquires (all taken before it
starts) and releases (applied when it completes).

IRDL checks the structure; the Python verifiers (`check`) check everything that needs numbers:
coordinates inside the array, kinds, buffers inside their tile's memory, pattern dimensions,
granularity and extents, channel and lock ranges. Verifiers that need the geometry find the
target on the nearest enclosing op with a ``rhal.target`` attribute; what concerns several ops
at once (overlapping buffers, lock id clashes, BD counts, neighbour access) is left to the
``rhal-verify`` pass.
"""

import functools
import struct
from collections.abc import Sequence

from rcbc import targets
from rcbc.kernels import library
from rcbc.dialects.common import (
    ATTRIBUTE_CACHE_SIZE,
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
    check_lock_values,
    check_same_bytes,
    check_word_multiple,
    expect_kind,
    i32_array,
    i64,
    i64_array,
    int_array,
    kernel_named,
    one_of,
    operand_groups,
    optional_int,
    strings,
    verify_region_invariants,
)
from rcbc.mlir import ext, ir

TARGET_ATTR = "rhal.target"
PARAMS_BINDING = "params"  # the `rhal.kernel` binding of the parameter block's buffer


BUFFER_ROLES = ("constant", "input", "output", "scratch")
DMA_DIRECTIONS = ("mm2s", "s2mm")


class Rhal(ext.Dialect, name="rhal"):
    """Hardware resources of a tile array: tiles, buffers, locks, DMA transfers, kernels."""


# -- types and attributes -----------------------------------------------------------------------


class TileRefType(Rhal.Type, name="tile_ref"):
    """A tile of the array, as produced by `rhal.tile`: ``!rhal.tile_ref``."""


class BufferRefType(Rhal.Type, name="buffer_ref"):
    """A buffer, as produced by `rhal.buffer` or `rhal.ddr_buffer`: ``!rhal.buffer_ref``.

    The size lives on the defining op, not in the type: IRDL binds one type to all values of a
    variadic operand, so `rhal.kernel` could not take buffers of different sizes otherwise.
    """


class LockRefType(Rhal.Type, name="lock_ref"):
    """A lock of a tile, as produced by `rhal.lock`: ``!rhal.lock_ref``."""


class TargetAttr(Rhal.Attribute, name="target"):
    """The target device and tile budget of a program.

    ``#rhal.target<name, columns, rows, memtile_rows, tile_memory, memtile_memory, tiles>``:
    `name` is a target of `rcbc.targets`; `rows` include the interface row 0, rows
    1..memtile_rows hold memory tiles and the rest compute tiles; memories are in bytes (0 for
    memory tiles on targets without them); `tiles` is the compute-tile budget. Verifiers check
    the geometry against the registry::

        #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64, 524288 : i64, 28 : i64>
    """

    name: ir.StringAttr
    columns: ir.IntegerAttr
    rows: ir.IntegerAttr
    memtile_rows: ir.IntegerAttr
    tile_memory: ir.IntegerAttr
    memtile_memory: ir.IntegerAttr
    tiles: ir.IntegerAttr

    def machine(self) -> Machine:
        """The machine this attribute describes; `Invalid` if it disagrees with the registry."""
        return _machine(self)


@functools.lru_cache(maxsize=16)
def _machine(attr: TargetAttr) -> Machine:
    name, *numbers = (p.maybe_downcast().value for p in attr.params)
    columns, rows, memtile_rows, tile_memory, memtile_memory, tiles = numbers
    return Machine.describe(
        name,
        columns=columns,
        rows=rows,
        memtile_rows=memtile_rows,
        tile_memory=tile_memory,
        memtile_memory=memtile_memory,
        tiles=tiles,
    )


class PatternAttr(Rhal.Attribute, name="pattern"):
    """An n-d byte access pattern of a DMA transfer: ``#rhal.pattern<offset, sizes, strides>``.

    It visits byte ``offset + sum(i_k * strides[k])`` of its buffer for every index ``0 <= i_k
    < sizes[k]``, outermost dimension first, in row-major order; it moves ``prod(sizes)`` bytes
    and its extent, one past the highest byte it touches, is ``offset + sum((sizes[k] - 1) *
    strides[k]) + 1``. Sizes and strides are ``array<i64>`` of equal length 1..4 (further
    limited by the port's tile kind), sizes >= 1, strides >= 0, offset >= 0; DMAs move 4-byte
    words, so the innermost stride is 1 and the offset, the innermost size and the outer strides
    are multiples of 4. Four rows of 16 bytes out of a buffer 64 bytes wide::

        #rhal.pattern<0 : i64, array<i64: 4, 16>, array<i64: 64, 1>>
    """

    offset: ir.IntegerAttr
    sizes: DenseArray
    strides: DenseArray

    def pattern(self, what: str) -> Pattern:
        """The pattern as integers (element types checked; `Pattern.check` checks the rest)."""
        pattern = _pattern(self)
        if pattern is None:
            _, sizes, strides = self.params
            int_array(sizes.maybe_downcast(), f"{what} pattern sizes")
            int_array(strides.maybe_downcast(), f"{what} pattern strides")
        return pattern


@functools.lru_cache(maxsize=ATTRIBUTE_CACHE_SIZE)
def _pattern(attr: PatternAttr) -> Pattern | None:
    """The `Pattern` of a pattern attribute; None if its sizes or strides are not array<i64>."""
    offset, sizes, strides = (p.maybe_downcast() for p in attr.params)
    try:
        return Pattern(offset.value, tuple(int_array(sizes, "")), tuple(int_array(strides, "")))
    except Invalid:
        return None


def target(name: str, tiles: int) -> TargetAttr:
    """The `#rhal.target` of the registry's target `name` with a budget of `tiles`."""
    t = targets.get(name)
    numbers = (
        t.columns,
        t.rows,
        t.memtile_rows,
        t.compute.memory,
        t.memory.memory if t.memory else 0,
        tiles,
    )
    return TargetAttr.get(ir.StringAttr.get(t.name), *map(i64, numbers))


def pattern(offset: int, sizes: Sequence[int], strides: Sequence[int]) -> PatternAttr:
    """A `#rhal.pattern` from Python integers."""
    return PatternAttr.get(i64(offset), i64_array(sizes), i64_array(strides))


# -- verifier helpers ---------------------------------------------------------------------------


def enclosing_machine(op: ir.OpView) -> Machine:
    """The machine described by the nearest enclosing ``rhal.target``."""
    parent = op.operation.parent
    while parent is not None:
        if TARGET_ATTR in parent.attributes:
            attr = parent.attributes[TARGET_ATTR]
            if not isinstance(attr, TargetAttr):
                raise Invalid(
                    f"'{TARGET_ATTR}' of '{parent.name}' must be a #rhal.target, got {attr}"
                )
            return attr.machine()
        parent = parent.parent
    raise Invalid(f"needs a target: no enclosing op has a '{TARGET_ATTR}' attribute")


def defining_op(value: ir.Value, kinds: tuple[type, ...], what: str):
    """The op of one of `kinds` that defines `value`."""
    owner = value.owner
    if not isinstance(owner, kinds):
        names = " or ".join(f"'{k.OPERATION_NAME}'" for k in kinds)
        raise Invalid(f"{what} must be defined by {names}")
    return owner


def tile_of(machine: Machine, value: ir.Value, what: str) -> Tile:
    """The tile a ``!rhal.tile_ref`` operand refers to."""
    op = defining_op(value, (TileOp,), what)
    return machine.tile(op.col.value, op.row.value)


def buffer_name(op: "BufferOp | DdrBufferOp") -> str:
    return f"@{op.sym_name.value}"


def check_buffer(op: "BufferOp | DdrBufferOp") -> tuple[int, int | None]:
    """Check what tile and DDR buffers share; return their size and address (None if unset)."""
    size = op.size.value
    if size < 1:
        raise Invalid(f"buffer size {size} is not positive")
    address = optional_int(op.address)
    if address is not None:
        check_word_multiple(address, "buffer address")
    return size, address


class TileRefs:
    """The tiles one op's verifier meets, each ``!rhal.tile_ref`` value looked up once: a
    transfer or kernel names the same few tiles as ports, buffer homes and lock tiles."""

    def __init__(self, machine: Machine):
        self.machine = machine
        self.tiles: dict[ir.Value, Tile] = {}

    def tile(self, value: ir.Value, what: str) -> Tile:
        """The tile a ``!rhal.tile_ref`` value refers to (`tile_of`)."""
        tile = self.tiles.get(value)
        if tile is None:
            tile = self.tiles[value] = tile_of(self.machine, value, what)
        return tile

    def lock_tile(self, value: ir.Value, what: str) -> Tile:
        """The tile of the lock a ``!rhal.lock_ref`` value refers to (`lock_tile`)."""
        return self.tile(defining_op(value, (LockOp,), what).tile, "lock tile")


def check_lock_uses(
    tiles: TileRefs,
    locks: Sequence[ir.Value],
    values: ir.Attribute,
    field: str,
    allowed: Sequence[Tile],
    what: str,
) -> None:
    """Check the acquires (or releases) of a transfer or kernel: each lock sits on an `allowed`
    tile, and `values` pairs it with an amount in 1..max lock value."""
    amounts = int_array(values, field)
    check_lock_values(len(locks), amounts, field)
    for lock, amount in zip(locks, amounts):
        tile = tiles.lock_tile(lock, f"{what} lock")
        check_lock_place(tile, allowed, what)
        check_lock_value(tile, amount, f"{what} value")


def lock_tile(machine: Machine, value: ir.Value, what: str) -> Tile:
    """The tile of the lock a ``!rhal.lock_ref`` operand refers to."""
    return tile_of(machine, defining_op(value, (LockOp,), what).tile, "lock tile")


# -- ops ----------------------------------------------------------------------------------------


class RhalOp(Rhal.Operation):
    """Base of the rhal ops: `check()` raises `Invalid` for what IRDL cannot verify."""

    verify_region_invariants = verify_region_invariants

    def check(self) -> None:
        pass


class TileOp(RhalOp, name="tile", traits=[ext.Pure]):
    """A tile of the array, by coordinates and kind.

    (col, row) is inside the array and `kind` (interface, memory or compute) is the kind of
    `row` on the target. Several ops may name the same tile; verifiers compare coordinates::

        %core = "rhal.tile"() {col = 2 : i64, kind = "compute", row = 3 : i64}
            : () -> !rhal.tile_ref
    """

    col: ir.IntegerAttr
    row: ir.IntegerAttr
    kind: one_of(*targets.TILE_KINDS)
    result: ext.Result[TileRefType[()]] = ext.infer_result()

    def check(self) -> None:
        tile = enclosing_machine(self).tile(self.col.value, self.row.value)
        if tile.kind != self.kind.value:
            raise Invalid(
                f"tile ({tile.col},{tile.row}) is a {tile.kind} tile, not {self.kind.value}"
            )


class BufferOp(RhalOp, name="buffer"):
    """A buffer of `size` bytes in the memory of a compute or memory tile.

    `address` is its byte offset in the tile's memory once allocated, `unit` before. An
    allocated buffer is word aligned and lies in the tile's memory, above a compute tile's
    stack::

        %a = "rhal.buffer"(%core) {address = 1024 : i64, size = 4096 : i64, sym_name = "a"}
            : (!rhal.tile_ref) -> !rhal.buffer_ref
        %b = "rhal.buffer"(%mem) {address, size = 8192 : i64, sym_name = "b"}
            : (!rhal.tile_ref) -> !rhal.buffer_ref
    """

    tile: ext.Operand[TileRefType]
    sym_name: ir.StringAttr
    size: ir.IntegerAttr
    address: ir.IntegerAttr | ir.UnitAttr
    result: ext.Result[BufferRefType[()]] = ext.infer_result()

    def check(self) -> None:
        size, address = check_buffer(self)
        tile = tile_of(enclosing_machine(self), self.tile, "tile operand")
        expect_kind(tile, ("compute", "memory"), "buffer")
        if address is not None:
            check_fits(tile, address, size, "buffer")


class DdrBufferOp(RhalOp, name="ddr_buffer"):
    """A buffer of `size` bytes in DDR, the program's flat off-chip address space.

    `role` says what the bytes are: `constant` (weights and parameters; `sym_name` names the
    weight-store entry), `input`, `output`, or `scratch` (activations). `address` is the word
    aligned byte offset once allocated, `unit` before::

        %w = "rhal.ddr_buffer"() {address = 0 : i64, role = "constant", size = 9408 : i64,
                                  sym_name = "conv1.weight"} : () -> !rhal.buffer_ref
    """

    sym_name: ir.StringAttr
    role: one_of(*BUFFER_ROLES)
    size: ir.IntegerAttr
    address: ir.IntegerAttr | ir.UnitAttr
    result: ext.Result[BufferRefType[()]] = ext.infer_result()

    def check(self) -> None:
        _, address = check_buffer(self)
        if address is not None:
            check_ddr_address(address, "buffer")


class LockOp(RhalOp, name="lock"):
    """Lock `id` of a tile, a counting semaphore, with its value at the start of the program.

    `id` is below the lock count of the tile's kind, `init` in 0..max lock value::

        %full = "rhal.lock"(%core) {id = 0 : i64, init = 0 : i64}
            : (!rhal.tile_ref) -> !rhal.lock_ref
    """

    tile: ext.Operand[TileRefType]
    id: ir.IntegerAttr
    init: ir.IntegerAttr
    result: ext.Result[LockRefType[()]] = ext.infer_result()

    def check(self) -> None:
        tile = tile_of(enclosing_machine(self), self.tile, "tile operand")
        check_lock_id(tile, self.id.value)
        check_lock_value(tile, self.init.value, "initial value", minimum=0)


class DmaOp(RhalOp, name="dma"):
    """An n-d DMA transfer from buffer `src` to buffer `dst`.

    The bytes leave through MM2S channel `src_channel` of tile `src_port` and arrive through
    S2MM channel `dst_channel` of tile `dst_port`. A port is the buffer's own tile for a tile
    buffer, and an interface tile of a DDR column for a DDR buffer. Each side walks its
    `#rhal.pattern` (at most 3 dims on compute and interface tiles, 4 on memory tiles) inside
    its buffer, and both move the same number of bytes. The transfer starts once every lock of
    `acquires` is acquired by its amount in `acquire_values`, and releases `releases` by
    `release_values` when done; every lock is on one of the two port tiles::

        "rhal.dma"(%x, %a, %shim, %core, %empty, %full) {
            acquire_values = array<i64: 1>, dst_channel = 0 : i64,
            dst_pattern = #rhal.pattern<0 : i64, array<i64: 64, 64>, array<i64: 64, 1>>,
            operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 1>, release_values = array<i64: 1>,
            src_channel = 0 : i64,
            src_pattern = #rhal.pattern<0 : i64, array<i64: 4096>, array<i64: 1>>}
            : (!rhal.buffer_ref, !rhal.buffer_ref, !rhal.tile_ref, !rhal.tile_ref,
               !rhal.lock_ref, !rhal.lock_ref) -> ()
    """

    src: ext.Operand[BufferRefType]
    dst: ext.Operand[BufferRefType]
    src_port: ext.Operand[TileRefType]
    dst_port: ext.Operand[TileRefType]
    acquires: Sequence[ext.Operand[LockRefType]]
    releases: Sequence[ext.Operand[LockRefType]]
    src_pattern: PatternAttr
    dst_pattern: PatternAttr
    src_channel: ir.IntegerAttr
    dst_channel: ir.IntegerAttr
    acquire_values: DenseArray
    release_values: DenseArray

    def check(self) -> None:
        tiles = TileRefs(enclosing_machine(self))
        [src], [dst], [src_port], [dst_port], acquires, releases = operand_groups(self)
        src_port, src = self._endpoint(tiles, "source", src, src_port, self.src_pattern)
        dst_port, dst = self._endpoint(tiles, "destination", dst, dst_port, self.dst_pattern)
        check_channel(src_port, "mm2s", self.src_channel.value, "source")
        check_channel(dst_port, "s2mm", self.dst_channel.value, "destination")
        check_same_bytes(src, dst)
        ports = (src_port, dst_port)
        check_lock_uses(tiles, acquires, self.acquire_values, "acquire_values", ports, "acquired")
        check_lock_uses(tiles, releases, self.release_values, "release_values", ports, "released")

    @staticmethod
    def _endpoint(
        tiles: TileRefs, what: str, buffer_value: ir.Value, port_value: ir.Value, attr: PatternAttr
    ) -> tuple[Tile, Pattern]:
        """Check one side of the transfer; return its port tile and pattern."""
        buffer = defining_op(buffer_value, (BufferOp, DdrBufferOp), f"{what} buffer")
        port = tiles.tile(port_value, f"{what} port")
        if isinstance(buffer, BufferOp):
            home = tiles.tile(buffer.tile, "buffer tile")
            if home.coords != port.coords:
                raise Invalid(
                    f"{what} port {port} is not the tile of buffer {buffer_name(buffer)}, {home}"
                )
        elif not tiles.machine.reaches_ddr(port):
            tiles.machine.check_ddr_port(port, f"{what} port of DDR buffer {buffer_name(buffer)}")
        pattern = attr.pattern(what)
        pattern.check(port, what)
        if pattern.end > buffer.size.value:
            raise Invalid(
                f"{what} pattern reaches byte {pattern.end - 1} of buffer {buffer_name(buffer)}, "
                f"which has {buffer.size.value} bytes"
            )
        return port, pattern


class KernelOp(RhalOp, name="kernel"):
    """An invocation of kernel `kernel` on a compute tile.

    `kernel` names a kernel of `rcbc.kernels.library` (``docs/kernels.md``), which gives its id
    at encode time; `params` is its parameter block, one 32-bit word per field of the kernel.
    `buffers` are the compute-tile buffers it reads and writes, on its own tile or a neighbour
    the target lets the core reach (``rhal-verify`` checks which). `bindings` says what each
    buffer is, in order: an address field of the kernel (``in_addr``, ``out_addr``, ...), whose
    word in `params` holds the buffer's address once it is allocated, or ``params``, the buffer
    the controller writes the parameter block into when it issues the kernel. Lock semantics as
    for `rhal.dma`, with every lock on the kernel's tile::

        "rhal.kernel"(%core, %p, %a, %b, %full, %empty) {
            acquire_values = array<i64: 1>, bindings = ["params", "in_addr", "out_addr"],
            kernel = "global_avgpool", operandSegmentSizes = array<i32: 1, 3, 1, 1>,
            params = array<i32: 0, 1024, 64, 8, 8, 5120>, release_values = array<i64: 1>}
            : (!rhal.tile_ref, !rhal.buffer_ref, !rhal.buffer_ref, !rhal.buffer_ref,
               !rhal.lock_ref, !rhal.lock_ref) -> ()
    """

    tile: ext.Operand[TileRefType]
    buffers: Sequence[ext.Operand[BufferRefType]]
    acquires: Sequence[ext.Operand[LockRefType]]
    releases: Sequence[ext.Operand[LockRefType]]
    kernel: ir.StringAttr
    bindings: ir.ArrayAttr
    params: DenseArray
    acquire_values: DenseArray
    release_values: DenseArray

    def check(self) -> None:
        tiles = TileRefs(enclosing_machine(self))
        [tile], buffers, acquires, releases = operand_groups(self)
        tile = tiles.tile(tile, "tile operand")
        expect_kind(tile, ("compute",), "kernel")
        kernel = kernel_named(self.kernel.value)
        params = int_array(self.params, "params", bits=32)
        if len(params) != len(kernel.fields):
            raise Invalid(
                f"'params' has {len(params)} words but kernel '{kernel.name}' takes "
                f"{len(kernel.fields)}: {', '.join(kernel.fields)}"
            )
        owners = []
        for index, value in enumerate(buffers):
            buffer = defining_op(value, (BufferOp,), f"buffer operand #{index}")
            home = tiles.tile(buffer.tile, "buffer tile")
            if home.kind != "compute":
                expect_kind(home, ("compute",), f"kernel buffer {buffer_name(buffer)}")
            owners.append(buffer)
        check_lock_uses(tiles, acquires, self.acquire_values, "acquire_values", [tile], "acquired")
        check_lock_uses(tiles, releases, self.release_values, "release_values", [tile], "released")
        self._check_bindings(kernel, params, owners)

    def binding_names(self) -> tuple[str | None, ...]:
        """What each buffer is (`bindings` as strings; None for an element that is not one)."""
        return strings(self.bindings)

    def accesses(self) -> tuple[library.Access, ...]:
        """The tile memory a launch reads and writes (`library.accesses` of its parameter
        block), decoded once per distinct kernel and block: many launches share one."""
        return _accesses(self.kernel, self.params)

    def _check_bindings(self, kernel, params: list[int], buffers: list[BufferOp]) -> None:
        """Each buffer binds one address field or the parameter block, each at most once."""
        names = self.binding_names()
        if None in names:
            raise Invalid(f"'bindings' must hold strings, got {self.bindings}")
        if len(names) != len(buffers):
            raise Invalid(
                f"'bindings' names {len(names)} buffers but the kernel has {len(buffers)}"
            )
        address_fields = _address_fields(kernel)
        seen = set()
        for name, buffer in zip(names, buffers):
            if name != PARAMS_BINDING and name not in address_fields:
                raise Invalid(
                    f"binding '{name}' is neither '{PARAMS_BINDING}' nor an address field of "
                    f"kernel '{kernel.name}' ({', '.join(address_fields)})"
                )
            if name in seen:
                raise Invalid(f"binding '{name}' names two buffers")
            seen.add(name)
            address = optional_int(buffer.address)
            if name == PARAMS_BINDING:
                if buffer.size.value < 4 * len(kernel.fields):
                    raise Invalid(
                        f"parameter buffer {buffer_name(buffer)} of {buffer.size.value} bytes is "
                        f"smaller than the {4 * len(kernel.fields)}-byte block of '{kernel.name}'"
                    )
            elif address is not None and params[kernel.fields.index(name)] != address:
                raise Invalid(
                    f"'params' word {name} is {params[kernel.fields.index(name)]} but its buffer "
                    f"{buffer_name(buffer)} is at address {address}"
                )
        if PARAMS_BINDING not in seen:
            raise Invalid(
                f"no buffer is bound to '{PARAMS_BINDING}': the kernel needs one for its "
                f"parameter block"
            )


@functools.cache
def _address_fields(kernel: library.Kernel) -> tuple[str, ...]:
    """The fields of a kernel's parameter block that hold a buffer's address."""
    return tuple(f for f in kernel.fields if f.endswith("_addr"))


@functools.lru_cache(maxsize=ATTRIBUTE_CACHE_SIZE)
def _accesses(kernel: ir.StringAttr, params: ir.Attribute) -> tuple[library.Access, ...]:
    """`KernelOp.accesses` of a kernel name and parameter block."""
    kernel = library.by_name(kernel.value)
    words = int_array(params, "params", bits=32)
    block = struct.pack(f"<{len(words)}i", *words)
    return tuple(library.accesses(kernel.id, library.unpack(kernel.id, block)))


class WaitOp(RhalOp, name="wait"):
    """The controller waits until the transfers issued to a DMA channel have completed::

        "rhal.wait"(%shim) {channel = 0 : i64, direction = "s2mm"} : (!rhal.tile_ref) -> ()
    """

    tile: ext.Operand[TileRefType]
    direction: one_of(*DMA_DIRECTIONS)
    channel: ir.IntegerAttr

    def check(self) -> None:
        machine = enclosing_machine(self)
        tile = tile_of(machine, self.tile, "tile operand")
        check_channel(tile, self.direction.value, self.channel.value, "wait")
        if tile.kind == "interface":
            machine.check_ddr_port(tile, "wait")


class WaitCoreOp(RhalOp, name="wait_core"):
    """The controller waits until the kernels issued to a compute tile have completed::

        "rhal.wait_core"(%core) : (!rhal.tile_ref) -> ()
    """

    tile: ext.Operand[TileRefType]

    def check(self) -> None:
        tile = tile_of(enclosing_machine(self), self.tile, "tile operand")
        expect_kind(tile, ("compute",), "core wait")


class HostLockOp(RhalOp):
    """Base of `rhal.acquire` and `rhal.release`: the controller's own use of a lock."""

    lock: ext.Operand[LockRefType]
    value: ir.IntegerAttr

    def check(self) -> None:
        tile = lock_tile(enclosing_machine(self), self.lock, "lock operand")
        check_lock_value(tile, self.value.value, "lock value")


class AcquireOp(HostLockOp, name="acquire"):
    """The controller acquires `value` from a lock: it waits until the lock holds that much::

        "rhal.acquire"(%full) {value = 1 : i64} : (!rhal.lock_ref) -> ()
    """


class ReleaseOp(HostLockOp, name="release"):
    """The controller releases `value` to a lock::

        "rhal.release"(%empty) {value = 1 : i64} : (!rhal.lock_ref) -> ()
    """


class BarrierOp(RhalOp, name="barrier"):
    """The controller waits until everything issued so far has completed::

        "rhal.barrier"() : () -> ()
    """


# -- tensor-level compute ops -------------------------------------------------------------------

ACTIVATIONS = tuple(a.name.lower() for a in library.Activation)
"""What `activation` may be, the kernels' activation codes: none, relu, clamp, sigmoid,
hardswish. `clamp` keeps values in [`act_min`, `act_max`] (ReLU6, hardtanh); the bounds are
not used otherwise."""

POOL_MODES = tuple(m.name.lower() for m in library.PoolMode)
"""`rhal.pool2d` modes: max, avg (divides by the window size, PyTorch's
``count_include_pad=True``) and avg_valid (by the window's positions inside the image)."""

ELTWISE_OPS = tuple(o.name.lower() for o in library.EltwiseOp)
"""`rhal.eltwise` operations: copy, add, mul."""


def dims(shape: Sequence[int]) -> str:
    """A shape as MLIR writes it: ``1x64x56x56``."""
    return "x".join(map(str, shape))


def f32_tensor_shape(value: ir.Value, what: str, rank: int | None = None) -> list[int]:
    """The shape of a static tensor of f32 (of `rank`, if given)."""
    t = value.type
    if (
        not isinstance(t, ir.RankedTensorType)
        or not isinstance(t.element_type, ir.F32Type)
        or not t.has_static_shape
        or (rank is not None and t.rank != rank)
    ):
        kind = f"rank-{rank} tensor" if rank is not None else "tensor"
        raise Invalid(f"{what} must be a static {kind} of f32, got {t}")
    return list(t.shape)


def sized_array(attr: ir.Attribute, field: str, length: int, minimum: int) -> list[int]:
    """The `length` integers of an ``array<i64>`` field, each at least `minimum` (0 or 1)."""
    values = int_array(attr, field)
    if len(values) != length:
        raise Invalid(f"'{field}' has {len(values)} values, expected {length}")
    for value in values:
        if value < minimum:
            raise Invalid(
                f"'{field}' value {value} is {'negative' if minimum == 0 else 'not positive'}"
            )
    return values


def window_output_size(
    size: Sequence[int],
    kernel: Sequence[int],
    strides: Sequence[int],
    padding: Sequence[int],
    dilations: Sequence[int],
) -> list[int]:
    """The output [OH, OW] of a sliding window over an input of `size` [H, W]: PyTorch's and
    the kernels' ``(H + top + bottom - dil_h * (KH - 1) - 1) / stride_h + 1``, likewise OW.
    `padding` is [top, left, bottom, right]."""
    pads = (padding[0] + padding[2], padding[1] + padding[3])
    return [
        (n + pad - d * (k - 1) - 1) // s + 1
        for n, k, s, d, pad in zip(size, kernel, strides, dilations, pads)
    ]


def window_output(
    op: "Conv2dOp | Pool2dOp", input: Sequence[int], channels: int, kernel: Sequence[int]
) -> list[int]:
    """The result shape of sliding-window op `op` on `input` [N, C, H, W] with `channels`
    outputs and a `kernel` [KH, KW] window; checks its window attributes and that the window
    fits the padded input."""
    n, _, h, w = input
    strides = sized_array(op.strides, "strides", 2, 1)
    padding = sized_array(op.padding, "padding", 4, 0)
    dilations = sized_array(op.dilations, "dilations", 2, 1)
    out = window_output_size((h, w), kernel, strides, padding, dilations)
    if min(out) < 1:
        top, left, bottom, right = padding
        raise Invalid(
            f"a {dims(kernel)} window with dilations {dims(dilations)} does not fit the "
            f"{h}x{w} input padded to {h + top + bottom}x{w + left + right}"
        )
    return [n, channels, *out]


def window_text(op: "Conv2dOp | Pool2dOp", kernel: Sequence[int]) -> str:
    """The window of sliding-window op `op`, for messages."""
    strides, padding, dilations = (
        ", ".join(map(str, int_array(attr, field)))
        for attr, field in ((op.strides, "strides"), (op.padding, "padding"),
                            (op.dilations, "dilations"))
    )
    return (
        f"a {dims(kernel)} window with strides [{strides}], padding [{padding}] and "
        f"dilations [{dilations}]"
    )


class TensorOp(RhalOp, traits=[ext.Pure]):
    """Base of the tensor-level ops: one layer of the model, named by `layer` (its weights'
    name in the weight store without ``.weight``, or a name made for a layer without
    weights)."""

    layer: ir.StringAttr

    def check(self) -> None:
        if not self.layer.value:
            raise Invalid("'layer' is empty")
        self.check_shapes()

    def check_shapes(self) -> None:
        raise NotImplementedError

    def check_result(self, expected: Sequence[int], computed_from: str) -> None:
        """Check that the result is a tensor of f32 of shape `expected`."""
        result = f32_tensor_shape(self.result, "result", len(expected))
        if result != list(expected):
            raise Invalid(
                f"result is {dims(result)}, expected {dims(expected)} from {computed_from}"
            )


class ActivationOp(TensorOp):
    """Base of the ops that end with an activation: `rhal.conv2d`, `rhal.matmul`,
    `rhal.eltwise`."""

    activation: one_of(*ACTIVATIONS)
    act_min: ir.FloatAttr
    act_max: ir.FloatAttr

    def check(self) -> None:
        super().check()
        for field in ("act_min", "act_max"):
            attr = getattr(self, field)
            if not isinstance(attr.type, ir.F32Type):
                raise Invalid(f"'{field}' must be an f32 attribute, got {attr}")
        low, high = self.act_min.value, self.act_max.value
        if self.activation.value == "clamp" and not low <= high:
            raise Invalid(f"clamp bounds act_min = {low} and act_max = {high} are not ordered")


class Conv2dOp(ActivationOp, name="conv2d"):
    """A 2-D convolution of an NCHW `input` by a `weight` in PyTorch's [O, I/groups, KH, KW]
    layout, with the fusions of the conv2d and depthwise_conv2d kernels.

    The result is [N, O, OH, OW], ``OH = (H + top + bottom - dil_h * (KH - 1) - 1) / stride_h
    + 1`` (likewise OW). `padding` is [top, left, bottom, right] of zeros, `groups` divides the
    input and output channels (depthwise: groups == C_in == C_out). The optional `bias` [O] is
    added, then the optional `residual` (shaped as the result), then `activation` is applied::

        func.func @conv(%x: tensor<1x64x56x56xf32>, %w: tensor<64x64x3x3xf32>,
                        %b: tensor<64xf32>, %r: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
          %y = "rhal.conv2d"(%x, %w, %b, %r) {
              act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu",
              dilations = array<i64: 1, 1>, groups = 1 : i64, layer = "layer1.0.conv2",
              operandSegmentSizes = array<i32: 1, 1, 1, 1>, padding = array<i64: 1, 1, 1, 1>,
              strides = array<i64: 1, 1>}
              : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>,
                 tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
          return %y : tensor<1x64x56x56xf32>
        }
    """

    input: ext.Operand[ir.RankedTensorType]
    weight: ext.Operand[ir.RankedTensorType]
    strides: DenseArray
    padding: DenseArray
    dilations: DenseArray
    groups: ir.IntegerAttr
    result: ext.Result[ir.RankedTensorType]
    bias: ext.Operand[ir.RankedTensorType] | None = None
    residual: ext.Operand[ir.RankedTensorType] | None = None

    def check_shapes(self) -> None:
        input = f32_tensor_shape(self.input, "input", 4)
        weight = f32_tensor_shape(self.weight, "weight", 4)
        channels, (out_channels, per_group, *kernel) = input[1], weight
        groups = self.groups.value
        if groups < 1:
            raise Invalid(f"groups {groups} is not positive")
        if channels % groups or out_channels % groups:
            raise Invalid(
                f"{channels} input and {out_channels} output channels are not both divisible "
                f"by {groups} groups"
            )
        if per_group * groups != channels:
            raise Invalid(
                f"weight {dims(weight)} has {per_group} input channels per group, but "
                f"{channels} input channels in {groups} groups need {channels // groups}"
            )
        expected = window_output(self, input, out_channels, kernel)
        self.check_result(expected, f"input {dims(input)} and {window_text(self, kernel)}")
        if self.bias is not None:
            (length,) = f32_tensor_shape(self.bias, "bias", 1)
            if length != out_channels:
                raise Invalid(f"bias has {length} elements for {out_channels} output channels")
        if self.residual is not None:
            residual = f32_tensor_shape(self.residual, "residual", 4)
            if residual != expected:
                raise Invalid(
                    f"residual is {dims(residual)}, but the result is {dims(expected)}"
                )


class Pool2dOp(TensorOp, name="pool2d"):
    """Max or average pooling of an NCHW `input` over a `kernel` [KH, KW] window.

    Strides, padding [top, left, bottom, right] and dilations as for `rhal.conv2d`; positions
    in the padding are ignored by `max`, count as zeros for `avg` (the divisor is KH * KW) and
    are left out of the divisor for `avg_valid`::

        func.func @pool(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32> {
          %y = "rhal.pool2d"(%x) {
              dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, layer = "pool2d.0",
              mode = "max", padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
              : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
          return %y : tensor<1x64x56x56xf32>
        }
    """

    input: ext.Operand[ir.RankedTensorType]
    mode: one_of(*POOL_MODES)
    kernel: DenseArray
    strides: DenseArray
    padding: DenseArray
    dilations: DenseArray
    result: ext.Result[ir.RankedTensorType]

    def check_shapes(self) -> None:
        input = f32_tensor_shape(self.input, "input", 4)
        kernel = sized_array(self.kernel, "kernel", 2, 1)
        expected = window_output(self, input, input[1], kernel)
        self.check_result(expected, f"input {dims(input)} and {window_text(self, kernel)}")


class GlobalAvgPoolOp(TensorOp, name="global_avgpool"):
    """The mean over H and W of each channel of an NCHW `input`, into [N, C, 1, 1] (adaptive
    average pooling to 1x1)::

        func.func @gap(%x: tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32> {
          %y = "rhal.global_avgpool"(%x) {layer = "global_avgpool.0"}
              : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
          return %y : tensor<1x512x1x1xf32>
        }
    """

    input: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]

    def check_shapes(self) -> None:
        n, c, _, _ = input = f32_tensor_shape(self.input, "input", 4)
        self.check_result([n, c, 1, 1], f"input {dims(input)}")


class MatmulOp(ActivationOp, name="matmul"):
    """A fully connected layer: `input` [M, K] times the transpose of `weight` [N, K]
    (PyTorch's `Linear` layout), plus the optional `bias` [N], then `activation`; [M, N]::

        func.func @fc(%x: tensor<1x512xf32>, %w: tensor<1000x512xf32>, %b: tensor<1000xf32>)
            -> tensor<1x1000xf32> {
          %y = "rhal.matmul"(%x, %w, %b) {
              act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "none", layer = "fc",
              operandSegmentSizes = array<i32: 1, 1, 1>}
              : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
          return %y : tensor<1x1000xf32>
        }
    """

    input: ext.Operand[ir.RankedTensorType]
    weight: ext.Operand[ir.RankedTensorType]
    result: ext.Result[ir.RankedTensorType]
    bias: ext.Operand[ir.RankedTensorType] | None = None

    def check_shapes(self) -> None:
        m, k = f32_tensor_shape(self.input, "input", 2)
        n, weight_k = f32_tensor_shape(self.weight, "weight", 2)
        if weight_k != k:
            raise Invalid(
                f"input {m}x{k} and weight {n}x{weight_k} disagree on K: {k} vs {weight_k}"
            )
        self.check_result([m, n], f"input {m}x{k} and weight {n}x{k}")
        if self.bias is not None:
            (length,) = f32_tensor_shape(self.bias, "bias", 1)
            if length != n:
                raise Invalid(f"bias has {length} elements for {n} outputs")


class EltwiseOp(ActivationOp, name="eltwise"):
    """`op` (copy, add or mul) of same-shape tensors `a` and `b` (copy: `a` only), then
    `activation`. Operands do not broadcast::

        func.func @add(%a: tensor<1x64x56x56xf32>, %b: tensor<1x64x56x56xf32>)
            -> tensor<1x64x56x56xf32> {
          %y = "rhal.eltwise"(%a, %b) {
              act_max = 0.0 : f32, act_min = 0.0 : f32, activation = "relu",
              layer = "eltwise.0", op = "add", operandSegmentSizes = array<i32: 1, 1>}
              : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
          return %y : tensor<1x64x56x56xf32>
        }
    """

    a: ext.Operand[ir.RankedTensorType]
    op: one_of(*ELTWISE_OPS)
    result: ext.Result[ir.RankedTensorType]
    b: ext.Operand[ir.RankedTensorType] | None = None

    def check_shapes(self) -> None:
        shape = f32_tensor_shape(self.a, "operand 'a'")
        op = self.op.value
        if op == "copy" and self.b is not None:
            raise Invalid("'copy' takes one operand, but 'b' is given")
        if op != "copy":
            if self.b is None:
                raise Invalid(f"'{op}' needs operand 'b'")
            other = f32_tensor_shape(self.b, "operand 'b'")
            if other != shape:
                raise Invalid(
                    f"operands are {dims(shape)} and {dims(other)}; rhal.eltwise does not "
                    "broadcast"
                )
        self.check_result(shape, f"operands of {dims(shape)}")


# -- builders -----------------------------------------------------------------------------------


def _address(value: int | None) -> ir.Attribute:
    return ir.UnitAttr.get() if value is None else i64(value)


def _locks(uses: Sequence[tuple[ir.Value, int]]) -> tuple[list[ir.Value], ir.Attribute]:
    return [lock for lock, _ in uses], i64_array(value for _, value in uses)


def tile(col: int, row: int, kind: str) -> ir.Value:
    """``rhal.tile``: the tile at (col, row), of `kind`."""
    return TileOp(col=i64(col), row=i64(row), kind=ir.StringAttr.get(kind)).result


def buffer(tile: ir.Value, size: int, sym_name: str, address: int | None = None) -> ir.Value:
    """``rhal.buffer``: `size` bytes in the memory of `tile`, at `address` once allocated."""
    return BufferOp(
        tile=tile, sym_name=ir.StringAttr.get(sym_name), size=i64(size), address=_address(address)
    ).result


def ddr_buffer(size: int, sym_name: str, role: str, address: int | None = None) -> ir.Value:
    """``rhal.ddr_buffer``: `size` bytes of DDR in `role`, at `address` once allocated."""
    return DdrBufferOp(
        sym_name=ir.StringAttr.get(sym_name),
        role=ir.StringAttr.get(role),
        size=i64(size),
        address=_address(address),
    ).result


def lock(tile: ir.Value, id: int, init: int = 0) -> ir.Value:
    """``rhal.lock``: lock `id` of `tile`, starting at `init`."""
    return LockOp(tile=tile, id=i64(id), init=i64(init)).result


def dma(
    *,
    src: ir.Value,
    dst: ir.Value,
    src_port: ir.Value,
    dst_port: ir.Value,
    src_pattern: PatternAttr,
    dst_pattern: PatternAttr,
    src_channel: int,
    dst_channel: int,
    acquires: Sequence[tuple[ir.Value, int]] = (),
    releases: Sequence[tuple[ir.Value, int]] = (),
) -> DmaOp:
    """``rhal.dma``; `acquires` and `releases` are (lock, value) pairs."""
    acquire_locks, acquire_values = _locks(acquires)
    release_locks, release_values = _locks(releases)
    return build(
        DmaOp,
        [src, dst, src_port, dst_port, acquire_locks, release_locks],
        src_pattern=src_pattern,
        dst_pattern=dst_pattern,
        src_channel=i64(src_channel),
        dst_channel=i64(dst_channel),
        acquire_values=acquire_values,
        release_values=release_values,
    )


def with_locks(
    op: DmaOp | KernelOp,
    acquires: Sequence[tuple[ir.Value, int]],
    releases: Sequence[tuple[ir.Value, int]],
) -> DmaOp | KernelOp:
    """A copy of transfer or kernel `op` whose lock uses are `acquires` and `releases`, (lock,
    value) pairs, in place of its own; built at the current insertion point, `op` unchanged.

    Its other operands and attributes are `op`'s as they are, not decoded and built again."""
    operation = op.operation
    attributes = dict(operation.attributes.items())
    *segments, _, _ = int_array(attributes["operandSegmentSizes"], "operandSegmentSizes", bits=32)
    operands = list(operation.operands[: sum(segments)])
    operands += [lock for lock, _ in acquires]
    operands += [lock for lock, _ in releases]
    attributes["operandSegmentSizes"] = i32_array([*segments, len(acquires), len(releases)])
    attributes["acquire_values"] = i64_array([value for _, value in acquires])
    attributes["release_values"] = i64_array([value for _, value in releases])
    return ir.Operation.create(op.OPERATION_NAME, operands=operands, attributes=attributes).opview


def kernel(
    *,
    tile: ir.Value,
    kernel: str,
    params: Sequence[int] = (),
    buffers: Sequence[tuple[str, ir.Value]] = (),
    acquires: Sequence[tuple[ir.Value, int]] = (),
    releases: Sequence[tuple[ir.Value, int]] = (),
) -> KernelOp:
    """``rhal.kernel``; `buffers` are (binding, buffer) pairs, `acquires` and `releases`
    (lock, value) pairs."""
    acquire_locks, acquire_values = _locks(acquires)
    release_locks, release_values = _locks(releases)
    return build(
        KernelOp,
        [tile, [buffer for _, buffer in buffers], acquire_locks, release_locks],
        kernel=ir.StringAttr.get(kernel),
        bindings=ir.ArrayAttr.get([ir.StringAttr.get(name) for name, _ in buffers]),
        params=i32_array(params),
        acquire_values=acquire_values,
        release_values=release_values,
    )


def wait(tile: ir.Value, direction: str, channel: int) -> WaitOp:
    """``rhal.wait`` for DMA channel `channel` (`direction` "mm2s" or "s2mm") of `tile`."""
    return build(WaitOp, [tile], direction=ir.StringAttr.get(direction), channel=i64(channel))


def wait_core(tile: ir.Value) -> WaitCoreOp:
    """``rhal.wait_core`` for the kernels of compute tile `tile`."""
    return build(WaitCoreOp, [tile])


def acquire(lock: ir.Value, value: int) -> AcquireOp:
    """``rhal.acquire``: the controller acquires `value` from `lock`."""
    return build(AcquireOp, [lock], value=i64(value))


def release(lock: ir.Value, value: int) -> ReleaseOp:
    """``rhal.release``: the controller releases `value` to `lock`."""
    return build(ReleaseOp, [lock], value=i64(value))


def barrier() -> BarrierOp:
    """``rhal.barrier``: wait for everything issued so far."""
    return build(BarrierOp)


def _f32_tensor(shape: Sequence[int]) -> ir.RankedTensorType:
    return ir.RankedTensorType.get(list(shape), ir.F32Type.get())


def activation_attributes(
    activation: str, act_min: float = 0.0, act_max: float = 0.0
) -> dict[str, ir.Attribute]:
    """The `activation`, `act_min` and `act_max` attributes of an op that ends with one."""
    return {
        "activation": ir.StringAttr.get(activation),
        "act_min": ir.FloatAttr.get_f32(act_min),
        "act_max": ir.FloatAttr.get_f32(act_max),
    }


def _window(
    strides: Sequence[int], padding: Sequence[int], dilations: Sequence[int]
) -> dict[str, ir.Attribute]:
    return {
        "strides": i64_array(strides),
        "padding": i64_array(padding),
        "dilations": i64_array(dilations),
    }


def conv2d(
    input: ir.Value,
    weight: ir.Value,
    *,
    layer: str,
    strides: Sequence[int] = (1, 1),
    padding: Sequence[int] = (0, 0, 0, 0),
    dilations: Sequence[int] = (1, 1),
    groups: int = 1,
    bias: ir.Value | None = None,
    residual: ir.Value | None = None,
    activation: str = "none",
    act_min: float = 0.0,
    act_max: float = 0.0,
) -> ir.Value:
    """``rhal.conv2d``; the result type follows from the operands and the window."""
    shape, (out_channels, _, *kernel) = input.type.shape, weight.type.shape
    out = window_output_size(shape[2:], kernel, strides, padding, dilations)
    return Conv2dOp(
        input=input,
        weight=weight,
        bias=bias,
        residual=residual,
        groups=i64(groups),
        layer=ir.StringAttr.get(layer),
        result=_f32_tensor([shape[0], out_channels, *out]),
        **_window(strides, padding, dilations),
        **activation_attributes(activation, act_min, act_max),
    ).result


def pool2d(
    input: ir.Value,
    *,
    mode: str,
    kernel: Sequence[int],
    layer: str,
    strides: Sequence[int] = (1, 1),
    padding: Sequence[int] = (0, 0, 0, 0),
    dilations: Sequence[int] = (1, 1),
) -> ir.Value:
    """``rhal.pool2d`` in `mode` (max, avg or avg_valid) over a `kernel` [KH, KW] window."""
    shape = input.type.shape
    out = window_output_size(shape[2:], kernel, strides, padding, dilations)
    return Pool2dOp(
        input=input,
        mode=ir.StringAttr.get(mode),
        kernel=i64_array(kernel),
        layer=ir.StringAttr.get(layer),
        result=_f32_tensor([*shape[:2], *out]),
        **_window(strides, padding, dilations),
    ).result


def global_avgpool(input: ir.Value, *, layer: str) -> ir.Value:
    """``rhal.global_avgpool``: [N, C, H, W] to [N, C, 1, 1]."""
    n, c, _, _ = input.type.shape
    return GlobalAvgPoolOp(
        input=input, layer=ir.StringAttr.get(layer), result=_f32_tensor([n, c, 1, 1])
    ).result


def matmul(
    input: ir.Value,
    weight: ir.Value,
    *,
    layer: str,
    bias: ir.Value | None = None,
    activation: str = "none",
    act_min: float = 0.0,
    act_max: float = 0.0,
) -> ir.Value:
    """``rhal.matmul``: [M, K] by a weight [N, K] into [M, N]."""
    return MatmulOp(
        input=input,
        weight=weight,
        bias=bias,
        layer=ir.StringAttr.get(layer),
        result=_f32_tensor([input.type.shape[0], weight.type.shape[0]]),
        **activation_attributes(activation, act_min, act_max),
    ).result


def eltwise(
    op: str,
    a: ir.Value,
    b: ir.Value | None = None,
    *,
    layer: str,
    activation: str = "none",
    act_min: float = 0.0,
    act_max: float = 0.0,
) -> ir.Value:
    """``rhal.eltwise`` `op` (copy, add or mul) of `a` (and `b`), shaped as `a`."""
    return EltwiseOp(
        a=a,
        b=b,
        op=ir.StringAttr.get(op),
        layer=ir.StringAttr.get(layer),
        result=a.type,
        **activation_attributes(activation, act_min, act_max),
    ).result
