"""The byte layout of RCB version 1, declared once for the encoder, the decoder and the listing.

Every fixed-size structure of a file — the header, a section-table entry, each kind of record, a
pattern, a data-directory entry, an I/O binding — is a `Layout`: named fields of a few types at
natural alignment, with explicit padding, zero-filled to the structure's size::

    RecordKind(0x40, "wait", Wait, [("tile", TILE), ("direction", DIRECTION), ("channel", U8)])

is the whole definition of the 32-byte `wait` record: opcode at byte 0, col and row at 1 and 2,
direction at 3, channel at 4, zeros up to 31. `Layout.pack` refuses a value that does not fit its
field (rule ``field-overflow``, never silent truncation); `Layout.unpack` refuses nonzero padding,
unknown enumeration codes and unrepresentable composites, naming the byte offset of the field.
Which values are *allowed* beyond what fits (tiles inside the array, channels, locks, bounds) is
`rcbc.bytecode.validate`'s business.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.program import (
    Barrier,
    Code,
    ConfigureTile,
    Direction,
    DmaLock,
    DmaStart,
    DType,
    End,
    IoDirection,
    Launch,
    Lock,
    LockAcquire,
    LockRelease,
    Pattern,
    Side,
    Tile,
    Wait,
    WaitCore,
    WriteParams,
)

MAGIC = b"RCB\x01"
MAJOR = 1
MINOR = 0
HEADER_SIZE = 64
SECTION_ALIGN = 64  # sections and data entries start at multiples of this
MAX_DIMS = 4  # dimensions a pattern entry or a tensor shape can hold
TARGET_IDS = {"aie-ml": 1, "aie": 2, "npu1": 3, "npu2": 4}


class SectionKind(Code):
    """Section kinds, in the order the encoder places them."""

    what = enum.nonmember("section kind")
    CODE = 1
    PATTERNS = 2
    DIRECTORY = 3
    BINDINGS = 4
    STRINGS = 5
    IMAGE = 6


class Site(NamedTuple):
    """Where a field lives: the structure it belongs to (named for messages) and its offset.
    (A named tuple: decoding makes one per field of every record.)"""

    owner: str  # "record 12 (dma_start)", "pattern 3", "header"
    field: str
    offset: int  # of the field, in the file

    def error(self, rule: str, message: str, delta: int = 0) -> BytecodeError:
        return BytecodeError(rule, self.offset + delta, f"{self.owner}: {message}")


def fit(value: Any, width: int, site: Site, name: str | None = None, delta: int = 0) -> int:
    """`value` if it is an integer that fits an unsigned field of `width` bytes."""
    top = (1 << (8 * width)) - 1
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise site.error(
            "field-overflow",
            f"field {name or site.field} = {value!r} does not fit u{8 * width} (0..{top})",
            delta,
        )
    return value


def _u8(value: int) -> bytes:
    return bytes((value,))


def first_nonzero(data: bytes, start: int = 0, stop: int | None = None) -> int | None:
    """Index of the first nonzero byte of ``data[start:stop]``, or None."""
    part = data[start:stop]
    rest = part.lstrip(b"\0")
    return start + len(part) - len(rest) if rest else None


# -- field types --------------------------------------------------------------------------------


class FieldType:
    """How a value is stored: `size` bytes made of unsigned integers at the `parts`' deltas."""

    size: int
    parts: tuple[tuple[int, int], ...]  # (delta, width) of each integer, for the alignment check

    def pack(self, value: Any, site: Site) -> bytes:
        raise NotImplementedError

    def unpack(self, data: bytes, site: Site) -> Any:
        raise NotImplementedError


_FORMATS = {1: "<B", 2: "<H", 4: "<I"}


class UInt(FieldType):
    """An unsigned little-endian integer; `hex` ones (addresses) are listed in hexadecimal."""

    def __init__(self, width: int, hex: bool = False):
        self.size, self.hex = width, hex
        self.parts = ((0, width),)

    def pack(self, value: int, site: Site) -> bytes:
        return struct.pack(_FORMATS[self.size], fit(value, self.size, site))

    def unpack(self, data: bytes, site: Site) -> int:
        return struct.unpack(_FORMATS[self.size], data)[0]


class Ref(UInt):
    """An index into the pattern table or the data directory, or an offset into the string
    table (`table` says which)."""

    def __init__(self, width: int, table: SectionKind):
        super().__init__(width)
        self.table = table


class Bytes(FieldType):
    def __init__(self, size: int):
        self.size = size
        self.parts = tuple((i, 1) for i in range(size))

    def pack(self, value: bytes, site: Site) -> bytes:
        assert len(value) == self.size, (site, value)
        return value

    def unpack(self, data: bytes, site: Site) -> bytes:
        return data


class Enumeration(FieldType):
    """A `Code` enumeration; an unknown code breaks `rule`."""

    def __init__(self, enum: type[Code], rule: str, width: int = 1):
        self.enum, self.rule, self.size = enum, rule, width
        self.parts = ((0, width),)

    def pack(self, value: Code, site: Site) -> bytes:
        if not isinstance(value, self.enum):
            raise site.error(self.rule, f"field {site.field} = {value!r} is not a {self.enum.what}")
        return struct.pack(_FORMATS[self.size], int(value))

    def unpack(self, data: bytes, site: Site) -> Code:
        code = struct.unpack(_FORMATS[self.size], data)[0]
        try:
            return self.enum(code)
        except ValueError:
            known = ", ".join(f"{int(m)} ({m})" for m in self.enum)
            raise site.error(self.rule, f"{site.field} code {code} is not one of {known}") from None


class TileType(FieldType):
    """A tile as `col u8, row u8`."""

    size = 2
    parts = ((0, 1), (1, 1))

    def pack(self, value: Tile, site: Site) -> bytes:
        col = fit(value.col, 1, site, f"{site.field} col")
        row = fit(value.row, 1, site, f"{site.field} row", delta=1)
        return bytes((col, row))

    def unpack(self, data: bytes, site: Site) -> Tile:
        return Tile(data[0], data[1])


class LockSlots(FieldType):
    """`count` lock uses, each `(side u8,) id u8, value u8`; value 0 marks an unused slot.

    Used slots come first; an unused slot is all zeros. The value is the tuple of used slots:
    `DmaLock`s when `sided`, `Lock`s otherwise.
    """

    def __init__(self, count: int, sided: bool):
        self.count, self.sided = count, sided
        self.slot = 3 if sided else 2
        self.size = count * self.slot
        self.parts = tuple((i, 1) for i in range(self.size))

    def pack(self, value: Sequence[Lock | DmaLock], site: Site) -> bytes:
        if len(value) > self.count:
            raise site.error(
                "field-overflow",
                f"{len(value)} {site.field} do not fit: the record holds at most {self.count}",
            )
        out = bytearray(self.size)
        for j, lock in enumerate(value):
            at = j * self.slot
            name = f"{site.field}[{j}]"
            if self.sided:
                if not isinstance(lock.side, Side):
                    raise site.error("bad-lock-slot", f"{name} side {lock.side!r} is not a {Side.what}", at)
                out[at] = int(lock.side)
                at += 1
            out[at] = fit(lock.id, 1, site, f"{name} id", at)
            out[at + 1] = fit(lock.value, 1, site, f"{name} value", at + 1)
        return bytes(out)

    def unpack(self, data: bytes, site: Site) -> tuple[Lock | DmaLock, ...]:
        locks: list[Lock | DmaLock] = []
        unused = None
        for j in range(self.count):
            at = j * self.slot
            raw = data[at : at + self.slot]
            if raw[-1] == 0:
                stray = first_nonzero(raw)
                if stray is not None:
                    raise site.error(
                        "nonzero-padding",
                        f"{site.field}[{j}] is unused (value 0) but holds byte 0x{raw[stray]:02x}; "
                        "an unused lock slot is all zeros",
                        at + stray,
                    )
                unused = j if unused is None else unused
                continue
            if unused is not None:
                raise site.error(
                    "bad-lock-slot", f"{site.field}[{j}] is used after unused slot {unused}; used slots come first", at
                )
            if not self.sided:
                locks.append(Lock(raw[0], raw[1]))
                continue
            if raw[0] not in (Side.SRC, Side.DST):
                raise site.error(
                    "bad-lock-slot", f"{site.field}[{j}] side {raw[0]} is neither 0 (src) nor 1 (dst)", at
                )
            locks.append(DmaLock(Side(raw[0]), raw[1], raw[2]))
        return tuple(locks)


class ShapeType(FieldType):
    """A tensor shape as `rank u8, pad u8, dims u32[4]`; dims beyond the rank are 0."""

    DIMS = 2  # delta of dims[0]
    size = 2 + 4 * MAX_DIMS
    parts = ((0, 1), (1, 1)) + tuple((2 + 4 * k, 4) for k in range(MAX_DIMS))

    def pack(self, value: Sequence[int], site: Site) -> bytes:
        if len(value) > MAX_DIMS:
            raise site.error(
                "field-overflow", f"shape of rank {len(value)} does not fit: at most {MAX_DIMS} dims"
            )
        dims = [fit(d, 4, site, f"shape[{k}]", self.DIMS + 4 * k) for k, d in enumerate(value)]
        dims += [0] * (MAX_DIMS - len(dims))
        return struct.pack(f"<BB{MAX_DIMS}I", len(value), 0, *dims)

    def unpack(self, data: bytes, site: Site) -> tuple[int, ...]:
        rank, pad, *dims = struct.unpack(f"<BB{MAX_DIMS}I", data)
        if rank > MAX_DIMS:
            raise site.error("bad-shape", f"rank {rank} exceeds {MAX_DIMS}")
        if pad:
            raise site.error("nonzero-padding", f"padding byte after the rank is 0x{pad:02x}", 1)
        for k in range(rank, MAX_DIMS):
            if dims[k]:
                raise site.error(
                    "nonzero-padding",
                    f"shape[{k}] = {dims[k]} is beyond rank {rank}; unused dims are 0",
                    self.DIMS + 4 * k,
                )
        return tuple(dims[:rank])


class PatternType(FieldType):
    """An access pattern as `dims u32, sizes u32[4], strides u32[4]`; unused dims are 0."""

    SIZES = 4  # delta of sizes[0]
    STRIDES = 4 + 4 * MAX_DIMS  # delta of strides[0]
    size = 4 + 8 * MAX_DIMS
    parts = tuple((4 * k, 4) for k in range(1 + 2 * MAX_DIMS))

    def pack(self, value: Pattern, site: Site) -> bytes:
        if value.dims > MAX_DIMS:
            raise site.error(
                "field-overflow", f"pattern of {value.dims} dims does not fit: at most {MAX_DIMS}"
            )
        pad = [0] * (MAX_DIMS - value.dims)
        sizes = [fit(s, 4, site, f"sizes[{k}]", self.SIZES + 4 * k) for k, s in enumerate(value.sizes)]
        strides = [
            fit(s, 4, site, f"strides[{k}]", self.STRIDES + 4 * k) for k, s in enumerate(value.strides)
        ]
        return struct.pack(f"<{1 + 2 * MAX_DIMS}I", value.dims, *sizes, *pad, *strides, *pad)

    def unpack(self, data: bytes, site: Site) -> Pattern:
        dims, *words = struct.unpack(f"<{1 + 2 * MAX_DIMS}I", data)
        if dims > MAX_DIMS:
            raise site.error("bad-pattern", f"dims = {dims} exceeds {MAX_DIMS}")
        sizes, strides = words[:MAX_DIMS], words[MAX_DIMS:]
        for name, values, delta in (("sizes", sizes, self.SIZES), ("strides", strides, self.STRIDES)):
            for k in range(dims, MAX_DIMS):
                if values[k]:
                    raise site.error(
                        "nonzero-padding",
                        f"{name}[{k}] = {values[k]} is beyond the pattern's {dims} dims; "
                        "unused dims are 0",
                        delta + 4 * k,
                    )
        return Pattern(tuple(sizes[:dims]), tuple(strides[:dims]))


U8, U16, U32 = UInt(1), UInt(2), UInt(4)
ADDR = UInt(4, hex=True)
TILE = TileType()
SHAPE = ShapeType()
PATTERN = PatternType()
DTYPE = Enumeration(DType, "unknown-dtype")
DIRECTION = Enumeration(Direction, "bad-direction")
IO_DIRECTION = Enumeration(IoDirection, "bad-direction")
SECTION_KIND = Enumeration(SectionKind, "unknown-section", width=4)
PATTERN_REF = Ref(2, SectionKind.PATTERNS)
ENTRY_REF = Ref(4, SectionKind.DIRECTORY)
STRING_REF = Ref(4, SectionKind.STRINGS)
DMA_LOCKS = LockSlots(2, sided=True)
CORE_LOCKS = LockSlots(4, sided=False)


# -- layouts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One field of a layout; `name` None is padding of `size` zero bytes."""

    offset: int
    name: str | None
    type: FieldType | None
    size: int


class Layout:
    """A fixed-size structure: fields (name, type) and padding (a byte count), in byte order."""

    def __init__(self, name: str, size: int, items: Sequence[tuple[str, FieldType] | int]):
        self.name, self.size = name, size
        slots, offset = [], 0
        for item in items:
            if isinstance(item, int):
                slots.append(Slot(offset, None, None, item))
                offset += item
                continue
            field_name, ftype = item
            for delta, width in ftype.parts:
                assert (offset + delta) % width == 0, f"{name}.{field_name} is misaligned"
            slots.append(Slot(offset, field_name, ftype, ftype.size))
            offset += ftype.size
        assert offset <= size, f"{name} needs {offset} bytes, more than {size}"
        if offset < size:
            slots.append(Slot(offset, None, None, size - offset))
        self.slots = tuple(slots)
        self.fields = tuple(s for s in slots if s.name is not None)
        self._by_name = {s.name: s for s in self.fields}

    def offset(self, name: str) -> int:
        return self._by_name[name].offset

    def type(self, name: str) -> FieldType:
        return self._by_name[name].type

    def site(self, base: int, owner: str, name: str) -> Site:
        return Site(owner, name, base + self.offset(name))

    def pack(self, values: Mapping[str, Any], base: int, owner: str) -> bytes:
        """The bytes of the structure at file offset `base`; raises for a value that does not fit."""
        out = bytearray(self.size)
        for s in self.fields:
            out[s.offset : s.offset + s.size] = s.type.pack(values[s.name], Site(owner, s.name, base + s.offset))
        return bytes(out)

    def unpack(self, data: bytes, base: int, owner: str) -> dict[str, Any]:
        """The field values of the structure at `base`, checked in byte order."""
        values = {}
        for s in self.slots:
            raw = data[base + s.offset : base + s.offset + s.size]
            if s.name is None:
                stray = first_nonzero(raw)
                if stray is not None:
                    raise BytecodeError(
                        "nonzero-padding",
                        base + s.offset + stray,
                        f"{owner}: padding byte {s.offset + stray} is 0x{raw[stray]:02x}, not 0",
                    )
                continue
            values[s.name] = s.type.unpack(raw, Site(owner, s.name, base + s.offset))
        return values

    def read(self, data: bytes, base: int, name: str) -> Any:
        """One field, unchecked (for the header fields a loader looks at first)."""
        s = self._by_name[name]
        return s.type.unpack(data[base + s.offset : base + s.offset + s.size], self.site(base, self.name, name))


HEADER = Layout(
    "header",
    HEADER_SIZE,
    [
        ("magic", Bytes(4)),
        ("major", U16),
        ("minor", U16),
        ("crc", U32),
        ("file_size", U32),
        ("target", U16),
        ("columns", U8),
        ("rows", U8),
        ("memtile_rows", U8),
        3,
        ("tile_memory", U32),
        ("memtile_memory", U32),
        ("ddr_size", ADDR),
        ("flags", U32),
        ("section_count", U16),
    ],
)

HOST_DISPATCH = 0x1
"""Header flag bit 0: the program models a host-dispatched flow, in which every `barrier` and the
`end` return control to the host, which dispatches what follows (specification section 4)."""
KNOWN_FLAGS = HOST_DISPATCH

SECTION_ENTRY = Layout(
    "section", 16, [("kind", SECTION_KIND), ("offset", ADDR), ("size", U32), ("count", U32)]
)

PATTERN_ENTRY = Layout("pattern", 36, [("pattern", PATTERN)])

DIRECTORY_ENTRY = Layout(
    "data entry",
    32,
    [("name", STRING_REF), ("offset", ADDR), ("size", U32), 1, ("dtype", DTYPE), ("shape", SHAPE)],
)

BINDING_ENTRY = Layout(
    "binding",
    32,
    [
        ("name", STRING_REF),
        ("offset", ADDR),
        ("size", U32),
        ("direction", IO_DIRECTION),
        ("dtype", DTYPE),
        ("shape", SHAPE),
    ],
)

RECORD_SIZE = 32


class RecordKind:
    """One kind of record: its opcode, its name, its `program` dataclass and its layout.

    The layout's field names are the dataclass's fields; references (`Ref`) stand for a
    `Pattern` or a data entry name there.
    """

    def __init__(self, opcode: int, name: str, cls: type, items: Sequence[tuple[str, FieldType] | int]):
        self.opcode, self.name, self.cls = opcode, name, cls
        self.layout = Layout(name, RECORD_SIZE, [("opcode", U8), *items])


RECORD_KINDS = (
    RecordKind(0x01, "configure_tile", ConfigureTile, [("tile", TILE)]),
    RecordKind(
        0x02, "write_params", WriteParams, [("tile", TILE), 1, ("offset", ADDR), ("entry", ENTRY_REF)]
    ),
    RecordKind(
        0x10,
        "dma_start",
        DmaStart,
        [
            ("src", TILE),
            ("src_channel", U8),
            ("dst", TILE),
            ("dst_channel", U8),
            1,
            ("src_offset", ADDR),
            ("dst_offset", ADDR),
            ("src_pattern", PATTERN_REF),
            ("dst_pattern", PATTERN_REF),
            ("acquires", DMA_LOCKS),
            ("releases", DMA_LOCKS),
        ],
    ),
    RecordKind(
        0x20,
        "launch",
        Launch,
        [
            ("tile", TILE),
            1,
            ("kernel", U16),
            2,
            ("params", ADDR),
            ("acquires", CORE_LOCKS),
            ("releases", CORE_LOCKS),
        ],
    ),
    RecordKind(0x30, "lock_acquire", LockAcquire, [("tile", TILE), ("id", U8), ("value", U8)]),
    RecordKind(0x31, "lock_release", LockRelease, [("tile", TILE), ("id", U8), ("value", U8)]),
    RecordKind(0x40, "wait", Wait, [("tile", TILE), ("direction", DIRECTION), ("channel", U8)]),
    RecordKind(0x41, "wait_core", WaitCore, [("tile", TILE)]),
    RecordKind(0x42, "barrier", Barrier, []),
    RecordKind(0xFF, "end", End, []),
)

BY_OPCODE = {k.opcode: k for k in RECORD_KINDS}
BY_NAME = {k.name: k for k in RECORD_KINDS}
BY_CLASS = {k.cls: k for k in RECORD_KINDS}

TABLE_ENTRIES = {
    SectionKind.PATTERNS: PATTERN_ENTRY,
    SectionKind.DIRECTORY: DIRECTORY_ENTRY,
    SectionKind.BINDINGS: BINDING_ENTRY,
}
ENTRY_SIZE = {SectionKind.CODE: RECORD_SIZE, **{k: v.size for k, v in TABLE_ENTRIES.items()}}
"""Bytes per entry of the sections made of fixed-size entries."""
