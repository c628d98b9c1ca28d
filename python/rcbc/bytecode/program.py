"""The in-memory RCB program: what a file means, with every table index resolved.

A `Program` is a target, the DDR size it needs, its records in execution order, the entries of
its data image and its I/O bindings. Records carry their access patterns and the names of their
data entries, not table indices: the encoder builds the pattern table, the string table and the
data directory, and the decoder resolves them back, so ``decode(encode(p)) == p``::

    >>> from rcbc.bytecode.program import *
    >>> weights = DataEntry("w", offset=0, dtype=DType.I8, shape=(64,), payload=bytes(64))
    >>> move = DmaStart(
    ...     src=Tile(2, 0), src_channel=0, src_offset=0, src_pattern=Pattern.contiguous(64),
    ...     dst=Tile(2, 3), dst_channel=0, dst_offset=1024, dst_pattern=Pattern.contiguous(64),
    ...     releases=(DmaLock(Side.DST, 0, 1),))
    >>> p = Program("aie-ml", ddr_size=4096, records=(ConfigureTile(Tile(2, 3)), move, End()),
    ...             data=(weights,))
    >>> p.entry("w").size, move.dst_pattern.extent(move.dst_offset)
    (64, 1088)

The dataclasses are frozen and compare by value; sequences given as lists are stored as tuples.
Field names are those of the specification (``docs/rcb-bytecode.md``) and of the listing.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Union

from rcbc import targets


def _freeze(obj: object, *names: str) -> None:
    """Store the named sequence fields of a frozen dataclass as tuples."""
    for name in names:
        object.__setattr__(obj, name, tuple(getattr(obj, name)))


class Code(enum.IntEnum):
    """An enumeration stored as a small integer code; listed by its lower-case name.

    `what` names the enumeration in messages.
    """

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Code":
        try:
            return cls[text.upper()]
        except KeyError:
            known = ", ".join(str(m) for m in cls)
            raise ValueError(f"unknown {cls.what} '{text}'; expected one of {known}") from None


class DType(Code):
    """Element type of a data entry or an I/O binding."""

    what = enum.nonmember("dtype")
    U8 = 1
    I8 = 2
    I16 = 3
    I32 = 4
    BF16 = 5
    F32 = 6

    @property
    def itemsize(self) -> int:
        return _ITEMSIZE[self]


_ITEMSIZE = {DType.U8: 1, DType.I8: 1, DType.I16: 2, DType.I32: 4, DType.BF16: 2, DType.F32: 4}
NUMPY_DTYPES = {DType.U8: "u1", DType.I8: "i1", DType.I16: "<i2", DType.I32: "<i4", DType.F32: "<f4"}
"""The numpy dtype of each element type that has one (bf16 has none), as numpy spells it."""


class Direction(Code):
    """A DMA channel direction: stream to memory, or memory to stream."""

    what = enum.nonmember("DMA direction")
    S2MM = 0
    MM2S = 1


class IoDirection(Code):
    what = enum.nonmember("I/O direction")
    INPUT = 0
    OUTPUT = 1


class Side(Code):
    """The tile of a `dma_start` whose lock a `DmaLock` uses."""

    what = enum.nonmember("lock side")
    SRC = 0
    DST = 1


@dataclass(frozen=True)
class Tile:
    col: int
    row: int

    def __str__(self) -> str:
        return f"({self.col},{self.row})"


@dataclass(frozen=True)
class Pattern:
    """An n-d byte access pattern, outermost dimension first (spec section 2).

    Applied at a base `offset`, it visits ``offset + sum(i[k] * strides[k])`` for every index
    vector ``0 <= i[k] < sizes[k]`` in row-major order.
    """

    sizes: tuple[int, ...]
    strides: tuple[int, ...]

    def __post_init__(self) -> None:
        _freeze(self, "sizes", "strides")
        if len(self.sizes) != len(self.strides):
            raise ValueError(f"pattern has {len(self.sizes)} sizes but {len(self.strides)} strides")

    @classmethod
    def contiguous(cls, nbytes: int) -> "Pattern":
        return cls((nbytes,), (1,))

    @property
    def dims(self) -> int:
        return len(self.sizes)

    @property
    def byte_count(self) -> int:
        return math.prod(self.sizes)

    def extent(self, offset: int = 0) -> int:
        """One past the highest byte the pattern touches when applied at `offset`."""
        return offset + sum((s - 1) * st for s, st in zip(self.sizes, self.strides)) + 1

    def __str__(self) -> str:
        sizes = "x".join(map(str, self.sizes))
        return f"{sizes} by {','.join(map(str, self.strides))}"


@dataclass(frozen=True)
class Lock:
    """A lock use of a kernel launch: lock `id` of the kernel's tile, acquired or released by
    `value` (at least 1)."""

    id: int
    value: int


@dataclass(frozen=True)
class DmaLock:
    """A lock use of a DMA transfer: lock `id` of its source or destination tile."""

    side: Side
    id: int
    value: int


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigureTile:
    """Claim a tile for the program: its locks become 0, its memory undefined."""

    tile: Tile


@dataclass(frozen=True)
class WriteParams:
    """Copy data entry `entry` into the memory of `tile` at `offset`."""

    tile: Tile
    offset: int
    entry: str


@dataclass(frozen=True)
class DmaStart:
    """Queue a transfer from an `mm2s` channel of `src` to an `s2mm` channel of `dst`.

    An endpoint on an interface tile (row 0) addresses DDR. The lock uses are taken (acquires)
    before the transfer starts and applied (releases) when it completes.
    """

    src: Tile
    src_channel: int
    src_offset: int
    src_pattern: Pattern
    dst: Tile
    dst_channel: int
    dst_offset: int
    dst_pattern: Pattern
    acquires: tuple[DmaLock, ...] = ()
    releases: tuple[DmaLock, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "acquires", "releases")


@dataclass(frozen=True)
class Launch:
    """Queue kernel `kernel` (an id of `rcbc.kernels.library`) on the core of a compute tile,
    with its parameter block at tile offset `params`."""

    tile: Tile
    kernel: int
    params: int
    acquires: tuple[Lock, ...] = ()
    releases: tuple[Lock, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "acquires", "releases")


@dataclass(frozen=True)
class LockAcquire:
    """Block the controller until lock `id` of `tile` holds `value`, then subtract it."""

    tile: Tile
    id: int
    value: int


@dataclass(frozen=True)
class LockRelease:
    """Add `value` to lock `id` of `tile`."""

    tile: Tile
    id: int
    value: int


@dataclass(frozen=True)
class Wait:
    """Block the controller until every task issued to one DMA queue has completed."""

    tile: Tile
    direction: Direction
    channel: int


@dataclass(frozen=True)
class WaitCore:
    """Block the controller until every kernel issued to the core of `tile` has completed."""

    tile: Tile


@dataclass(frozen=True)
class Barrier:
    """Block the controller until every task issued so far has completed."""


@dataclass(frozen=True)
class End:
    """The last record: the run is over once every task has completed."""


Record = Union[
    ConfigureTile, WriteParams, DmaStart, Launch, LockAcquire, LockRelease, Wait, WaitCore,
    Barrier, End,
]


# -- data image and bindings --------------------------------------------------------------------


@dataclass(frozen=True)
class DataEntry:
    """A named tensor of the data image, at `offset` in the image and in DDR."""

    name: str
    offset: int
    dtype: DType
    shape: tuple[int, ...]
    payload: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _freeze(self, "shape")
        object.__setattr__(self, "payload", bytes(self.payload))

    @property
    def size(self) -> int:
        return len(self.payload)


@dataclass(frozen=True)
class IoBinding:
    """A program input or output: a dense row-major tensor at `offset` in DDR."""

    name: str
    direction: IoDirection
    dtype: DType
    shape: tuple[int, ...]
    offset: int

    def __post_init__(self) -> None:
        _freeze(self, "shape")

    @property
    def size(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


@dataclass(frozen=True)
class Program:
    """A whole RCB program for one target. `host_dispatch` marks a program that models the
    host-dispatched flow: each barrier and the end are a round trip to the host (the header's
    flag bit 0; the timing model charges it, the functional result is the same)."""

    target: str
    ddr_size: int
    records: tuple[Record, ...]
    data: tuple[DataEntry, ...] = ()
    io: tuple[IoBinding, ...] = ()
    host_dispatch: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "records", "data", "io")

    @property
    def machine(self) -> targets.Target:
        """The target description (`rcbc.targets`) the program is for."""
        return targets.get(self.target)

    def entry(self, name: str) -> DataEntry:
        for entry in self.data:
            if entry.name == name:
                return entry
        raise KeyError(f"no data entry '{name}'")

    def binding(self, name: str) -> IoBinding:
        for binding in self.io:
            if binding.name == name:
                return binding
        raise KeyError(f"no I/O binding '{name}'")
