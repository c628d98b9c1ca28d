"""The rules of specification section 6 that need the target: names, tables, records, bounds.

`validate` checks an `RcbFile` — one read from bytes (whose structure `RcbFile.from_bytes` has
checked) or one the encoder just built — against its target (`rcbc.targets`) and the kernel
library (`rcbc.kernels.library`), in a fixed order: strings, patterns, data directory, bindings,
then every record in program order, each record's fields in order. The first broken rule
raises `BytecodeError` with the byte offset of the field at fault::

    byte 0x172: pattern-out-of-bounds: record 5 (dma_start): dst pattern extent 65664 at
    offset 0xff80 exceeds the 65536 bytes of compute tile (2,3)
"""

from __future__ import annotations

import math
from typing import Any

from rcbc import targets
from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.layout import MAX_DIMS, SECTION_ALIGN, SHAPE, PatternType, Ref, SectionKind, Site
from rcbc.bytecode.program import Direction, DType, Side, Tile
from rcbc.bytecode.rcbfile import RcbFile, owner
from rcbc.kernels import library

GRANULE = 4  # DMA granularity in bytes (spec section 2)
ALL_KINDS = ("interface", "memory", "compute")


def validate(rf: RcbFile) -> None:
    """Raise `BytecodeError` for the first rule of section 6 that `rf` breaks."""
    _Validator(rf).run()


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _shape_text(dtype: DType, shape: tuple[int, ...]) -> str:
    return f"{dtype}[{','.join(map(str, shape))}]"


class _RecordSite:
    """Field `field` of record `index`, as a `Site` only when an error needs one: a valid file,
    the usual case, never does, and finding a site costs more than the check."""

    __slots__ = ("rf", "index", "field")

    def __init__(self, rf: RcbFile, index: int, field: str):
        self.rf, self.index, self.field = rf, index, field

    def error(self, rule: str, message: str, delta: int = 0) -> BytecodeError:
        return self.rf.site(SectionKind.CODE, self.index, self.field).error(rule, message, delta)


class _Validator:
    def __init__(self, rf: RcbFile):
        self.rf = rf
        self.machine = targets.get(rf.target)
        self.names = dict(zip(rf.string_offsets(), rf.strings))

    def run(self) -> None:
        self.strings()
        self.patterns()
        self.tensors(SectionKind.DIRECTORY)
        self.tensors(SectionKind.BINDINGS)
        self.records()

    # -- tables ---------------------------------------------------------------------------------

    def strings(self) -> None:
        base = self.rf.section_offset(SectionKind.STRINGS)
        for i, (at, s) in enumerate(zip(self.rf.string_offsets(), self.rf.strings)):
            if not s or "\0" in s:
                problem = "is empty" if not s else "contains NUL"
                raise Site("string table", "", base + at).error(
                    "bad-string-table", f"string {i} {problem}; names are non-empty and NUL-free"
                )

    def patterns(self) -> None:
        for i, p in enumerate(self.rf.patterns):
            site = self.rf.site(SectionKind.PATTERNS, i, "pattern")
            site = site._replace(owner=site.owner + self.user(i))
            if not 1 <= p.dims <= MAX_DIMS:
                raise site.error("bad-pattern", f"dims = {p.dims}; a pattern has 1 to {MAX_DIMS}")
            for k, size in enumerate(p.sizes):
                if size < 1:
                    raise site.error("bad-pattern", f"sizes[{k}] is {size}; sizes are at least 1",
                                     PatternType.SIZES + 4 * k)
            last = p.dims - 1
            if p.sizes[last] % GRANULE:
                raise site.error(
                    "pattern-granularity",
                    f"innermost size {p.sizes[last]} is not a multiple of {GRANULE} bytes",
                    PatternType.SIZES + 4 * last,
                )
            if p.strides[last] != 1:
                raise site.error(
                    "pattern-granularity", f"innermost stride is {p.strides[last]}, not 1",
                    PatternType.STRIDES + 4 * last,
                )
            for k in range(last):
                if p.strides[k] % GRANULE:
                    raise site.error(
                        "pattern-granularity",
                        f"strides[{k}] = {p.strides[k]} is not a multiple of {GRANULE} bytes",
                        PatternType.STRIDES + 4 * k,
                    )

    def user(self, index: int) -> str:
        """`` (record 7 dst_pattern)``: the first record field naming pattern `index`, if any."""
        if not hasattr(self, "_users"):  # one pass over the records, not one per pattern
            self._users: dict[int, str] = {}
            for r, raw in enumerate(self.rf.records):
                for slot in raw.kind.layout.fields:
                    if isinstance(slot.type, Ref) and slot.type.table is SectionKind.PATTERNS:
                        self._users.setdefault(raw.values[slot.name], f" (record {r} {slot.name})")
        return self._users.get(index, "")

    def tensors(self, kind: SectionKind) -> None:
        """Data-directory entries or I/O bindings: names, shapes, sizes, places in DDR."""
        image_end = self.rf.image_size()
        rows = self.rf.directory if kind is SectionKind.DIRECTORY else self.rf.bindings
        seen: dict[str, int] = {}
        previous_end = 0
        for i, row in enumerate(rows):
            name_site = self.rf.site(kind, i, "name")
            name = self.names.get(row.name)
            if name is None:
                raise name_site.error(
                    "bad-string-ref",
                    f"name offset 0x{row.name:x} is not the start of a string of the "
                    f"{len(self.rf.string_table())}-byte string table",
                )
            if name in seen:
                raise name_site.error("duplicate-name", f"name '{name}' is also {owner(kind, seen[name])}'s")
            seen[name] = i
            shape_site = self.rf.site(kind, i, "shape")
            if len(row.shape) > MAX_DIMS:
                raise shape_site.error("bad-shape", f"rank {len(row.shape)} exceeds {MAX_DIMS}")
            for k, extent in enumerate(row.shape):
                if extent < 1:
                    raise shape_site.error("bad-shape", f"shape[{k}] is {extent}; extents are at least 1",
                                           SHAPE.DIMS + 4 * k)
            size = len(row.payload) if kind is SectionKind.DIRECTORY else row.size
            expected = math.prod(row.shape) * row.dtype.itemsize
            if size != expected:
                raise self.rf.site(kind, i, "size").error(
                    "size-mismatch",
                    f"size {size} is not the {expected} bytes of {_shape_text(row.dtype, row.shape)}",
                )
            at = self.rf.site(kind, i, "offset")
            span = f"0x{row.offset:x}..0x{row.offset + size:x}"
            if kind is SectionKind.DIRECTORY:
                if row.offset % SECTION_ALIGN:
                    raise at.error(
                        "misaligned-entry", f"offset 0x{row.offset:x} is not a multiple of {SECTION_ALIGN}"
                    )
                if row.offset < previous_end:
                    raise at.error(
                        "entry-overlap",
                        f"starts at 0x{row.offset:x}, before the end 0x{previous_end:x} of "
                        f"{owner(kind, i - 1)}; entries are in increasing, disjoint order",
                    )
                previous_end = row.offset + size
            elif row.offset < image_end:
                raise at.error(
                    "binding-overlaps-image",
                    f"{span} overlaps the data image, which ends at 0x{image_end:x}",
                )
            if row.offset + size > self.rf.ddr_size:
                raise at.error(
                    "outside-ddr", f"{span} ends past the program's DDR of {self.rf.ddr_size} bytes"
                )

    # -- records --------------------------------------------------------------------------------

    def records(self) -> None:
        records = self.rf.records
        if not records:
            raise Site("code section", "", self.rf.section_offset(SectionKind.CODE)).error(
                "missing-end", "there are no records; the last record must be end"
            )
        for i, raw in enumerate(records):
            getattr(self, raw.kind.name)(i, raw.values)
            if raw.kind.name == "end" and i != len(records) - 1:
                more = len(records) - 1 - i
                raise self.site(i, "opcode").error(
                    "end-not-last", f"end is followed by {more} more record{'s' * (more > 1)}"
                )
        if records[-1].kind.name != "end":
            raise self.site(len(records) - 1, "opcode").error(
                "missing-end", "the last record is not end"
            )

    def site(self, i: int, name: str) -> _RecordSite:
        return _RecordSite(self.rf, i, name)

    def configure_tile(self, i: int, v: dict[str, Any]) -> None:
        self.tile(i, "tile", v["tile"])

    def write_params(self, i: int, v: dict[str, Any]) -> None:
        kind = self.tile(i, "tile", v["tile"], ("memory", "compute"))
        index = v["entry"]
        if index >= len(self.rf.directory):
            raise self.site(i, "entry").error(
                "entry-index-out-of-range",
                f"entry {index} is not in the {len(self.rf.directory)}-entry data directory",
            )
        size = len(self.rf.directory[index].payload)
        self.block(i, "offset", v["tile"], kind, v["offset"], size, f"data entry {index}")

    def dma_start(self, i: int, v: dict[str, Any]) -> None:
        src = self.endpoint(i, v, "src", Direction.MM2S)
        dst = self.endpoint(i, v, "dst", Direction.S2MM)
        if src.byte_count != dst.byte_count:
            raise self.site(i, "dst_pattern").error(
                "pattern-size-mismatch",
                f"src pattern moves {src.byte_count} bytes but dst pattern moves {dst.byte_count}",
            )
        tiles = {Side.SRC: v["src"], Side.DST: v["dst"]}
        for field in ("acquires", "releases"):
            for j, lock in enumerate(v[field]):
                self.lock(i, field, 3 * j + 1, tiles[lock.side], lock.id, lock.value, f"{field}[{j}]")

    def launch(self, i: int, v: dict[str, Any]) -> None:
        tile = v["tile"]
        self.tile(i, "tile", tile, ("compute",))
        try:
            kernel = library.by_id(v["kernel"])
        except library.KernelError:
            known = ", ".join(f"{k.id} ({k.name})" for k in library.KERNELS)
            raise self.site(i, "kernel").error(
                "unknown-kernel", f"kernel id {v['kernel']} is not in the kernel library: {known}"
            ) from None
        self.block(i, "params", tile, "compute", v["params"], kernel.block_size,
                   f"the {kernel.block_size}-byte {kernel.name} parameter block")
        for field in ("acquires", "releases"):
            for j, lock in enumerate(v[field]):
                self.lock(i, field, 2 * j, tile, lock.id, lock.value, f"{field}[{j}]")

    def lock_acquire(self, i: int, v: dict[str, Any]) -> None:
        self.tile(i, "tile", v["tile"])
        self.lock(i, "id", 0, v["tile"], v["id"], v["value"], "lock")

    lock_release = lock_acquire

    def wait(self, i: int, v: dict[str, Any]) -> None:
        kind = self.tile(i, "tile", v["tile"])
        if kind == "interface":
            self.ddr_column(i, "tile", v["tile"])
        self.channel(i, "channel", v["tile"], kind, v["direction"], v["channel"])

    def wait_core(self, i: int, v: dict[str, Any]) -> None:
        self.tile(i, "tile", v["tile"], ("compute",))

    def barrier(self, i: int, v: dict[str, Any]) -> None:
        pass

    def end(self, i: int, v: dict[str, Any]) -> None:
        pass

    # -- checks shared by records ---------------------------------------------------------------

    def tile(self, i: int, field: str, tile: Tile, kinds: tuple[str, ...] = ALL_KINDS) -> str:
        """The kind of `tile`, which must be inside the array and of one of `kinds`."""
        site, m = self.site(i, field), self.machine
        if not 0 <= tile.col < m.columns:
            raise site.error(
                "tile-outside-array",
                f"{field} {tile}: column {tile.col} is outside {m.name}'s columns 0..{m.columns - 1}",
            )
        if not 0 <= tile.row < m.rows:
            raise site.error(
                "tile-outside-array",
                f"{field} {tile}: row {tile.row} is outside {m.name}'s rows 0..{m.rows - 1}", 1,
            )
        kind = m.kind_of(tile.row)
        if kind not in kinds:
            raise site.error(
                "wrong-tile-kind", f"{field} {tile} is {_a(kind)} tile, not {_a(' or '.join(kinds))} tile", 1
            )
        return kind

    def ddr_column(self, i: int, field: str, tile: Tile) -> None:
        if tile.col not in self.machine.ddr_columns:
            columns = ", ".join(map(str, self.machine.ddr_columns))
            raise self.site(i, field).error(
                "not-ddr-column",
                f"interface tile {tile} does not reach DDR; {self.machine.name}'s DDR columns are {columns}",
            )

    def channel(self, i: int, field: str, tile: Tile, kind: str, direction: Direction, channel: int) -> None:
        spec = self.machine.spec(kind)
        count = spec.mm2s_channels if direction is Direction.MM2S else spec.s2mm_channels
        if channel >= count:
            raise self.site(i, field).error(
                "channel-out-of-range",
                f"{field} {channel} is out of range: {kind} tile {tile} has {count} {direction} channels",
            )

    def memory(self, tile: Tile, kind: str) -> tuple[int, int, str]:
        """The usable byte range of the memory an endpoint on `tile` addresses, and its name."""
        if kind == "interface":
            return 0, self.rf.ddr_size, f"the program's DDR of {self.rf.ddr_size} bytes"
        size = self.machine.spec(kind).memory
        low = self.machine.stack_bytes if kind == "compute" else 0
        return low, size, f"the {size} bytes of {kind} tile {tile}"

    def below(self, site: Site | _RecordSite, tile: Tile, offset: int, low: int, rule: str) -> None:
        if offset < low:
            raise site.error(
                rule, f"{site.field} 0x{offset:x} is inside the {low}-byte stack at the bottom of "
                f"compute tile {tile}",
            )

    def block(self, i: int, field: str, tile: Tile, kind: str, offset: int, size: int, what: str) -> None:
        """A parameter block of `size` bytes at `offset` in the memory of `tile`."""
        site = self.site(i, field)
        if offset % GRANULE:
            raise site.error("misaligned-params", f"{field} 0x{offset:x} is not a multiple of {GRANULE}")
        low, high, memory = self.memory(tile, kind)
        self.below(site, tile, offset, low, "params-out-of-bounds")
        if offset + size > high:
            raise site.error(
                "params-out-of-bounds",
                f"{what} at 0x{offset:x}..0x{offset + size:x} exceeds {memory}",
            )

    def endpoint(self, i: int, v: dict[str, Any], side: str, direction: Direction):
        """Check one side of a `dma_start`; return its pattern."""
        tile = v[side]
        kind = self.tile(i, side, tile)
        if kind == "interface":
            self.ddr_column(i, side, tile)
        self.channel(i, f"{side}_channel", tile, kind, direction, v[f"{side}_channel"])
        pattern_site, index = self.site(i, f"{side}_pattern"), v[f"{side}_pattern"]
        if index >= len(self.rf.patterns):
            raise pattern_site.error(
                "pattern-index-out-of-range",
                f"{side}_pattern {index} is not in the {len(self.rf.patterns)}-entry pattern table",
            )
        pattern = self.rf.patterns[index]
        max_dims = self.machine.spec(kind).max_dims
        if pattern.dims > max_dims:
            raise pattern_site.error(
                "pattern-dims",
                f"{side} pattern {index} has {pattern.dims} dims but the DMA of {kind} tile {tile} "
                f"walks at most {max_dims}",
            )
        offset_site, offset = self.site(i, f"{side}_offset"), v[f"{side}_offset"]
        if offset % GRANULE:
            raise offset_site.error(
                "pattern-granularity", f"{side}_offset 0x{offset:x} is not a multiple of {GRANULE}"
            )
        low, high, memory = self.memory(tile, kind)
        self.below(offset_site, tile, offset, low, "pattern-out-of-bounds")
        extent = pattern.extent(offset)
        if extent > high:
            raise pattern_site.error(
                "pattern-out-of-bounds",
                f"{side} pattern extent {extent} at offset 0x{offset:x} exceeds {memory}",
            )
        return pattern

    def lock(self, i: int, field: str, delta: int, tile: Tile, lock_id: int, value: int, name: str) -> None:
        """Lock `lock_id` of `tile`, whose id byte is at `delta` in `field`, and the `value`
        acquired or released, in the byte after the id."""
        site = self.site(i, field)
        kind = self.machine.kind_of(tile.row)
        spec = self.machine.spec(kind)
        if not 0 <= lock_id < spec.locks:
            raise site.error(
                "lock-out-of-range",
                f"{name} id {lock_id} is out of range: {kind} tile {tile} has {spec.locks} locks",
                delta,
            )
        if not 1 <= value <= spec.max_lock_value:
            raise site.error(
                "lock-value-out-of-range",
                f"{name} value {value} is out of range 1..{spec.max_lock_value} of {kind} tile {tile}",
                delta + 1,
            )
