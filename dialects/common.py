"""What the `rhal` and `rcb` dialects share: the verifier protocol and the machine checks.

Both dialects describe the machine of ``docs/rcb-bytecode.md`` section 1 on a target of
`rcbc.targets`: tiles addressed by (col, row) whose kind follows from the row, per-kind memories
(the first `stack_bytes` of a compute tile reserved), DMA channels, counting-semaphore locks and
n-d byte access patterns. Their Python verifiers, the part of verification IRDL cannot express,
are written against the `Machine`, `Tile` and `Pattern` views below and report through
`Invalid`::

    class TileOp(RhalOp, name="tile"):
        def check(self):
            tile = enclosing_machine(self).tile(self.col.value, self.row.value)
            ...                       # Machine.tile raises Invalid outside the array

`verify_region_invariants`, the hook `mlir.dialects.ext` calls, turns an `Invalid` into one
error at the op, worded like MLIR's `emitOpError`: ``'rhal.tile' op tile (40,3) is outside
...``. Every message names the numbers involved, and every one has a case in the dialects'
``invalid.mlir``.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rcbc import targets
from rcbc.kernels import library
from rcbc.mlir import ir

DMA_GRANULARITY = 4
"""DMAs move whole 32-bit words: offsets, innermost sizes and outer strides are multiples."""


class Invalid(Exception):
    """A verifier finding: the message of the error reported at the op being verified, or at
    `at`, an op nested in it (a check the parent makes for all its ops at once)."""

    def __init__(self, message: str, at=None):
        super().__init__(message)
        self.at = at


def verify_region_invariants(op) -> bool:
    """The ext verifier hook of every rcbc op: run ``op.check()`` and report an `Invalid`.

    Hooked as ``verify_region_invariants``, which MLIR runs after the op's IRDL constraints
    (and after its nested ops), so `check` may rely on the structure IRDL guarantees; the
    ``verify_invariants`` hook would run before them. Assigned on each dialect's op base class,
    as nanobind classes take no mixins. Never print an op from a verifier: printing verifies,
    and so would recurse.
    """
    try:
        op.check()
    except Invalid as e:
        where = op if e.at is None else e.at
        where.location.emit_error(f"'{where.OPERATION_NAME}' op {e}")
        return False
    return True


# -- IRDL constraints ---------------------------------------------------------------------------


class DenseArray(ir.Attribute):
    """IRDL constraint: a builtin dense array (``array<i64: 1, 2>``).

    The bindings' `DenseI64ArrayAttr` cannot be an ext field constraint; this names the
    attribute's base instead. Verifiers check the element type (`int_array`).
    """

    attr_name = "builtin.dense_array"


def one_of(*values: str):
    """IRDL constraint: a string attribute holding one of `values` (an enumeration)."""
    return functools.reduce(operator.or_, (ir.StringAttr[v] for v in values))


# -- attribute values ---------------------------------------------------------------------------


ATTRIBUTE_CACHE_SIZE = 1 << 16
"""Attributes whose decoded values the verifiers and passes remember. Attributes are uniqued
per context, so one decoded value serves every op holding the attribute; verifying a program
after each pass would otherwise decode the same few attributes hundreds of thousands of times."""


@functools.lru_cache(maxsize=ATTRIBUTE_CACHE_SIZE)
def _integers(attr: ir.Attribute, bits: int) -> tuple[int, ...] | None:
    kind = ir.DenseI64ArrayAttr if bits == 64 else ir.DenseI32ArrayAttr
    return tuple(attr) if isinstance(attr, kind) else None


def int_array(attr: ir.Attribute, field: str, bits: int = 64) -> list[int]:
    """The integers of an ``array<i64>`` (or, with bits=32, ``array<i32>``) attribute."""
    values = _integers(attr, bits)
    if values is None:
        raise Invalid(f"'{field}' must be array<i{bits}>, got {attr}")
    return list(values)


@functools.lru_cache(maxsize=ATTRIBUTE_CACHE_SIZE)
def strings(attr: ir.Attribute) -> tuple[str | None, ...]:
    """The strings of an array attribute (``["a", "b"]``), None for an element that is not one."""
    return tuple(ir.StringAttr(a).value if isinstance(a, ir.StringAttr) else None for a in attr)


def build(op_class: type, operands: Sequence[ir.Value | Sequence[ir.Value]] = (), **attributes: ir.Attribute):
    """An op of ext class `op_class` at the current insertion point: `operands` in definition
    order (a list for a variadic one), the attributes by name.

    The same op the class's generated constructor builds, without its signature binding, which
    costs more than creating the op: builders of ops a program has by the ten thousand use this.
    """
    if op_class._ODS_OPERAND_SEGMENTS:
        groups = [[o] if isinstance(o, ir.Value) else list(o) for o in operands]
        attributes["operandSegmentSizes"] = ir.DenseI32ArrayAttr.get([len(g) for g in groups])
        operands = [value for group in groups for value in group]
    return ir.Operation.create(op_class.OPERATION_NAME, operands=list(operands), attributes=attributes).opview


def operand_groups(op: ir.OpView) -> list[list[ir.Value]]:
    """The operands of an op with variadic operands, one list per operand definition, split by
    its ``operandSegmentSizes`` (read once, where each generated accessor reads it again)."""
    operands = list(op.operation.operands)
    groups, start = [], 0
    for size in int_array(op.operation.attributes["operandSegmentSizes"], "operandSegmentSizes", bits=32):
        groups.append(operands[start : start + size])
        start += size
    return groups


def optional_int(attr: ir.Attribute) -> int | None:
    """The value of an ``IntegerAttr | UnitAttr`` field: None while unassigned (``unit``)."""
    return attr.value if isinstance(attr, ir.IntegerAttr) else None


def i64(value: int) -> ir.IntegerAttr:
    """``value : i64``, the integer of every rcbc op field."""
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), value)


def i64_array(values: Iterable[int]) -> ir.Attribute:
    """``array<i64: ...>`` for an op builder.

    Returned as a plain `ir.Attribute`: the ext builders test attributes for truth, and would
    take an empty (falsy) array for a missing attribute.
    """
    return ir.Attribute(ir.DenseI64ArrayAttr.get(list(values)))


def i32_array(values: Iterable[int]) -> ir.Attribute:
    """``array<i32: ...>`` for an op builder (a plain `ir.Attribute`, as `i64_array`)."""
    return ir.Attribute(ir.DenseI32ArrayAttr.get(list(values)))


# -- the machine --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """One tile of the target: coordinates, kind, the resources of that kind, and the stack
    reserved at the bottom of its memory (compute tiles; 0 for the others)."""

    col: int
    row: int
    kind: targets.TileKindName
    spec: targets.TileKind
    stack: int

    @property
    def coords(self) -> tuple[int, int]:
        return (self.col, self.row)

    def __str__(self) -> str:
        return f"{self.kind} tile ({self.col},{self.row})"


@dataclass(frozen=True)
class Machine:
    """A target description checked against the registry: the `Target` and the tile budget."""

    target: targets.Target
    tiles: int

    @classmethod
    def describe(
        cls,
        name: str,
        *,
        columns: int,
        rows: int,
        memtile_rows: int,
        tile_memory: int,
        memtile_memory: int,
        tiles: int,
    ) -> Machine:
        """The machine a `#rhal.target` describes, if it agrees with `rcbc.targets`."""
        try:
            target = targets.get(name)
        except targets.UnknownTarget as e:
            raise Invalid(str(e)) from None
        expected = {
            "columns": target.columns,
            "rows": target.rows,
            "memtile_rows": target.memtile_rows,
            "tile_memory": target.compute.memory,
            "memtile_memory": target.memory.memory if target.memory else 0,
        }
        given = {
            "columns": columns,
            "rows": rows,
            "memtile_rows": memtile_rows,
            "tile_memory": tile_memory,
            "memtile_memory": memtile_memory,
        }
        for field, value in given.items():
            if value != expected[field]:
                raise Invalid(
                    f"#rhal.target has {field} = {value}, but target '{name}' has "
                    f"{expected[field]}"
                )
        if not 1 <= tiles <= target.compute_tiles:
            raise Invalid(
                f"tile budget {tiles} is not in 1..{target.compute_tiles}, the compute tiles "
                f"of '{name}'"
            )
        return cls(target, tiles)

    def tile(self, col: int, row: int) -> Tile:
        """The tile at (col, row); outside the array is `Invalid`."""
        known = self._tiles.get((col, row))
        if known is not None:
            return known
        tile = self._tiles[(col, row)] = self._describe_tile(col, row)
        return tile

    @functools.cached_property
    def _tiles(self) -> dict[tuple[int, int], Tile]:
        return {}

    def _describe_tile(self, col: int, row: int) -> Tile:
        t = self.target
        if not t.contains(col, row):
            raise Invalid(
                f"tile ({col},{row}) is outside the {t.columns}x{t.rows} array of '{t.name}'"
            )
        kind = t.kind_of(row)
        return Tile(col, row, kind, t.spec(kind), t.stack_bytes if kind == "compute" else 0)

    def reaches_ddr(self, tile: Tile) -> bool:
        """Whether `tile` is an interface tile whose DMA reaches DDR (`check_ddr_port` says
        why not)."""
        return tile.kind == "interface" and tile.col in self.target.ddr_columns

    def check_ddr_port(self, tile: Tile, what: str) -> None:
        """Check that `tile` is an interface tile whose DMA reaches DDR."""
        if tile.kind != "interface":
            raise Invalid(f"{what} must be an interface tile to reach DDR, not a {tile}")
        if tile.col not in self.target.ddr_columns:
            columns = ", ".join(map(str, self.target.ddr_columns))
            raise Invalid(
                f"{what} {tile} does not reach DDR; the DDR columns of '{self.target.name}' "
                f"are {columns}"
            )


# -- checks -------------------------------------------------------------------------------------


def expect_kind(tile: Tile, kinds: Iterable[str], what: str) -> None:
    """Check that `what` sits on a tile of one of `kinds`."""
    kinds = tuple(kinds)
    if tile.kind not in kinds:
        raise Invalid(f"{what} must be on a {' or '.join(kinds)} tile, not on {tile}")


def check_fits(tile: Tile, address: int, size: int, what: str) -> None:
    """Check that bytes [address, address + size) lie in the usable memory of `tile`."""
    if address < 0:
        raise Invalid(f"{what} address {address} is negative")
    if address + size > tile.spec.memory:
        raise Invalid(
            f"{what} of {size} bytes at address {address} does not fit {tile}: "
            f"{tile.spec.memory} bytes"
        )
    if address < tile.stack:
        raise Invalid(f"{what} at address {address} overlaps the {tile.stack}-byte stack of {tile}")


def check_word_multiple(value: int, what: str) -> None:
    """Check that an offset, size or stride is a whole number of 4-byte words."""
    if value % DMA_GRANULARITY:
        raise Invalid(f"{what} {value} is not a multiple of the {DMA_GRANULARITY}-byte word")


def check_ddr_address(address: int, what: str) -> None:
    """Check a byte offset in the program's DDR space (whose size the encoder computes)."""
    if address < 0:
        raise Invalid(f"{what} DDR address {address} is negative")


def check_channel(tile: Tile, direction: str, channel: int, what: str) -> None:
    """Check a DMA channel number; direction is "mm2s" or "s2mm"."""
    count = tile.spec.mm2s_channels if direction == "mm2s" else tile.spec.s2mm_channels
    if not 0 <= channel < count:
        raise Invalid(
            f"{what} channel {channel} is out of range: {tile} has {count} "
            f"{direction.upper()} channels"
        )


def check_lock_id(tile: Tile, lock_id: int) -> None:
    if not 0 <= lock_id < tile.spec.locks:
        raise Invalid(f"lock id {lock_id} is out of range: {tile} has {tile.spec.locks} locks")


def check_lock_value(tile: Tile, value: int, what: str, *, minimum: int = 1) -> None:
    """Check a lock amount: 1..max to acquire or release, 0..max as an initial value."""
    if not minimum <= value <= tile.spec.max_lock_value:
        raise Invalid(
            f"{what} {value} is out of range {minimum}..{tile.spec.max_lock_value} "
            f"for a lock of {tile}"
        )


def check_lock_place(tile: Tile, allowed: Sequence[Tile], what: str) -> None:
    """Check that a lock used by a transfer or kernel is on one of the op's own tiles."""
    for a in allowed:
        if a.col == tile.col and a.row == tile.row:
            return
    places = {a.coords: f"({a.col},{a.row})" for a in allowed}
    raise Invalid(f"{what} lock is on {tile}, not on {' or '.join(places.values())}")


def check_lock_values(count: int, values: list[int], field: str) -> None:
    """Check that a value array pairs one value with each lock of a lock list."""
    if len(values) != count:
        raise Invalid(f"'{field}' has {len(values)} values for {count} locks")


@dataclass(frozen=True)
class Pattern:
    """An n-d byte access pattern (``docs/rcb-bytecode.md`` section 2).

    It visits byte ``offset + sum(i_k * strides[k])`` for every index ``0 <= i_k < sizes[k]``,
    outermost dimension first, in row-major order of the indices.
    """

    offset: int
    sizes: tuple[int, ...]
    strides: tuple[int, ...]

    MAX_DIMS = 4

    @property
    def bytes(self) -> int:
        """The number of bytes the pattern moves."""
        return math.prod(self.sizes)

    @property
    def end(self) -> int:
        """The extent: one past the highest byte the pattern touches."""
        return self.offset + sum((s - 1) * st for s, st in zip(self.sizes, self.strides)) + 1

    def check(self, tile: Tile, what: str) -> None:
        """Check the pattern's shape, its word granularity, and that `tile`'s DMA walks it."""
        dims = len(self.sizes)
        if dims != len(self.strides):
            raise Invalid(f"{what} pattern has {dims} sizes but {len(self.strides)} strides")
        if not 1 <= dims <= self.MAX_DIMS:
            raise Invalid(f"{what} pattern has {dims} dims; 1 to {self.MAX_DIMS} are allowed")
        if dims > tile.spec.max_dims:
            raise Invalid(
                f"{what} pattern has {dims} dims but the DMA of {tile} walks at most "
                f"{tile.spec.max_dims}"
            )
        if self.offset < 0:
            raise Invalid(f"{what} pattern offset {self.offset} is negative")
        for dim, (size, stride) in enumerate(zip(self.sizes, self.strides)):
            if size < 1:
                raise Invalid(f"{what} pattern size {size} in dim {dim} is not positive")
            if stride < 0:
                raise Invalid(f"{what} pattern stride {stride} in dim {dim} is negative")
        if self.strides[-1] != 1:
            raise Invalid(f"{what} pattern has innermost stride {self.strides[-1]}, not 1")
        check_word_multiple(self.offset, f"{what} pattern offset")
        check_word_multiple(self.sizes[-1], f"{what} pattern innermost size")
        for dim, stride in enumerate(self.strides[:-1]):
            check_word_multiple(stride, f"{what} pattern stride in dim {dim}")


def kernel_named(name: str) -> library.Kernel:
    """The kernel of the library called `name`."""
    try:
        return library.by_name(name)
    except library.KernelError as e:
        raise Invalid(str(e)) from None


def check_same_bytes(src: Pattern, dst: Pattern) -> None:
    if src.bytes != dst.bytes:
        raise Invalid(
            f"source pattern moves {src.bytes} bytes but destination pattern moves {dst.bytes}"
        )
