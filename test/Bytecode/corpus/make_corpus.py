#!/usr/bin/env python3
"""Generate the RCB file corpus: valid files and one malformed file per rule of spec section 6.

    python test/Bytecode/corpus/make_corpus.py [OUTDIR]     # default: beside this script

writes

- ``valid/*.rcb``, files every loader must accept, each with its listing ``valid/*.lst``;
- ``malformed/*.rcb``, each breaking exactly one rule (the CRC is recomputed unless the CRC is the
  point), built from the valid ``all-records`` program by patching bytes or by encoding a changed
  program without validation;
- ``manifest.txt``: ``file rule offset  # what is wrong``, one line per malformed file, the rule id
  and the byte offset every loader must report (offsets in hex).

The C engine's tests read the same files and manifest. The output is deterministic; a pytest
(``test/unit/test_bytecode_corpus.py``) checks that this script reproduces the checked-in files.
"""

from __future__ import annotations

import dataclasses
import struct
import sys
from pathlib import Path
from typing import NamedTuple

from rcbc.bytecode import disassemble, encode
from rcbc.bytecode.codec import build
from rcbc.bytecode.layout import HEADER, SECTION_ENTRY, SectionKind, PatternType, ShapeType
from rcbc.bytecode.program import (
    Barrier,
    ConfigureTile,
    DataEntry,
    Direction,
    DmaLock,
    DmaStart,
    DType,
    End,
    IoBinding,
    IoDirection,
    Launch,
    Lock,
    LockAcquire,
    LockRelease,
    Pattern,
    Program,
    Side,
    Tile,
    Wait,
    WaitCore,
    WriteParams,
)
from rcbc.bytecode.rcbfile import CRC_OFFSET, crc32
from rcbc.kernels import library

SHIM, MEMTILE, CORE = Tile(2, 0), Tile(2, 1), Tile(2, 3)
CODE, PATTERNS, DIRECTORY, BINDINGS, STRINGS, IMAGE = SectionKind


def all_records() -> Program:
    """A small aie-ml program using every record kind: DDR -> memory tile -> compute tile,
    a global average pooling kernel, and the result back to DDR."""
    params = library.pack(
        "global_avgpool", dtype=0, in_addr=0x400, channels=4, height=4, width=4, out_addr=0xC00
    )
    return Program(
        "aie-ml",
        ddr_size=0x10000,
        records=(
            ConfigureTile(SHIM),
            ConfigureTile(MEMTILE),
            ConfigureTile(CORE),
            WriteParams(CORE, 0x800, "pool.params"),
            DmaStart(
                src=SHIM, src_channel=0, src_offset=0x100, src_pattern=Pattern.contiguous(256),
                dst=MEMTILE, dst_channel=0, dst_offset=0, dst_pattern=Pattern.contiguous(256),
                releases=(DmaLock(Side.DST, 0, 1),),
            ),
            DmaStart(
                src=MEMTILE, src_channel=0, src_offset=0, src_pattern=Pattern((4, 64), (64, 1)),
                dst=CORE, dst_channel=0, dst_offset=0x400, dst_pattern=Pattern.contiguous(256),
                acquires=(DmaLock(Side.SRC, 0, 1),),
                releases=(DmaLock(Side.DST, 0, 1), DmaLock(Side.SRC, 1, 1)),
            ),
            Launch(CORE, 4, 0x800, acquires=(Lock(0, 1),), releases=(Lock(1, 1),)),
            DmaStart(
                src=CORE, src_channel=0, src_offset=0xC00, src_pattern=Pattern.contiguous(16),
                dst=SHIM, dst_channel=0, dst_offset=0x200, dst_pattern=Pattern.contiguous(16),
                acquires=(DmaLock(Side.SRC, 1, 1),),
            ),
            Wait(SHIM, Direction.S2MM, 0),
            WaitCore(CORE),
            LockAcquire(MEMTILE, 1, 1),
            LockRelease(MEMTILE, 1, 1),
            Barrier(),
            End(),
        ),
        data=(
            DataEntry("conv1.weight", 0, DType.I8, (16, 4), bytes(range(64))),
            DataEntry("pool.params", 128, DType.U8, (len(params),), params),
        ),
        io=(
            IoBinding("x", IoDirection.INPUT, DType.F32, (1, 4, 4, 4), 0x100),
            IoBinding("y", IoDirection.OUTPUT, DType.F32, (1, 4), 0x200),
        ),
    )


def aie_binary_locks() -> Program:
    """The aie target: no memory tiles, 1-D patterns, binary locks."""
    return Program(
        "aie",
        ddr_size=0x1000,
        records=(
            ConfigureTile(SHIM),
            ConfigureTile(Tile(2, 1)),
            DmaStart(
                src=SHIM, src_channel=1, src_offset=0x40, src_pattern=Pattern.contiguous(64),
                dst=Tile(2, 1), dst_channel=1, dst_offset=0x400, dst_pattern=Pattern.contiguous(64),
                releases=(DmaLock(Side.DST, 15, 1),),
            ),
            LockAcquire(Tile(2, 1), 15, 1),
            End(),
        ),
        io=(IoBinding("x", IoDirection.INPUT, DType.I8, (64,), 0x40),),
    )


VALID = {
    "minimal": Program("aie-ml", 0, (End(),)),
    "all-records": all_records(),
    "aie-binary-locks": aie_binary_locks(),
    "host-dispatch": Program("aie-ml", 0, (Barrier(), End()), host_dispatch=True),
}


class Case(NamedTuple):
    name: str
    rule: str
    offset: int
    data: bytes
    note: str


BASE = VALID["all-records"]
BASE_BYTES = encode(BASE)
BASE_FILE = build(BASE)


def with_crc(data: bytes | bytearray) -> bytes:
    data = bytearray(data)
    data[CRC_OFFSET : CRC_OFFSET + 4] = crc32(data).to_bytes(4, "little")
    return bytes(data)


def patch(at: int, value: int | bytes, width: int = 1, data: bytes = BASE_BYTES, crc: bool = True) -> bytes:
    """`data` with the unsigned `width`-byte `value` (or the bytes `value`) written at `at`."""
    raw = value if isinstance(value, bytes) else value.to_bytes(width, "little")
    out = bytearray(data)
    out[at : at + len(raw)] = raw
    return with_crc(out) if crc else bytes(out)


def site(kind: SectionKind, index: int, field: str, delta: int = 0, rf=BASE_FILE) -> int:
    return rf.site(kind, index, field).offset + delta


def section(index: int, field: str) -> int:
    return HEADER.size + SECTION_ENTRY.size * index + SECTION_ENTRY.offset(field)


def header(field: str) -> int:
    return HEADER.offset(field)


def read(at: int, width: int = 4) -> int:
    return int.from_bytes(BASE_BYTES[at : at + width], "little")


def changed(kind: SectionKind, index: int, field: str, delta: int = 0, **changes) -> tuple[bytes, int]:
    """Bytes of the base program with `changes` (record index: new record, or data/io/ddr_size),
    encoded without validation, and the offset of `field` of entry `index` of `kind` in them."""
    records = list(BASE.records)
    for key in [k for k in changes if k.startswith("record")]:
        records[int(key[6:])] = changes.pop(key)
    program = dataclasses.replace(BASE, records=tuple(r for r in records if r is not None), **changes)
    rf = build(program)
    return rf.to_bytes(), site(kind, index, field, delta, rf)


def replace(index: int, **fields):
    return dataclasses.replace(BASE.records[index], **fields)


def cases() -> list[Case]:
    out: list[Case] = []

    def case(name: str, rule: str, data_offset: tuple[bytes, int], note: str) -> None:
        out.append(Case(name, rule, data_offset[1], data_offset[0], note))

    n = len(BASE_BYTES)
    code, patterns, directory, bindings, strings, image = (
        BASE_FILE.section_offset(k) for k in SectionKind
    )
    sizes = BASE_FILE.section_sizes()

    # -- header --------------------------------------------------------------------------------
    case("truncated-header", "truncated", (BASE_BYTES[:40], 40), "40 bytes, less than a header")
    case("truncated", "truncated", (BASE_BYTES[:-100], n - 100), "the last 100 bytes are missing")
    case("bad-magic", "bad-magic", (patch(0, b"RCB\x02"), 0), "magic RCB\\x02")
    case("newer-major", "newer-major", (patch(header("major"), 2, 2), 4), "major version 2")
    case("major-zero", "bad-version", (patch(header("major"), 0, 2), 4), "major version 0")
    longer = BASE_BYTES + bytes(64)
    case("trailing-bytes", "file-size", (with_crc(longer), 12), "64 bytes beyond the header's file size")
    case("crc-mismatch", "crc-mismatch", (patch(image + 1, 0xEE, crc=False), CRC_OFFSET),
         "a data image byte changed, CRC not updated")
    case("header-reserved", "nonzero-padding", (patch(21, 1), 21), "reserved header byte 21 is 1")
    case("unknown-target", "unknown-target", (patch(header("target"), 9, 2), 16), "target id 9")
    case("target-mismatch", "target-mismatch", (patch(header("columns"), 37), 18),
         "aie-ml with 37 columns")
    case("unknown-flags", "unknown-flags", (patch(header("flags"), 2, 4), 36), "flags 2, bit 1 undefined")

    # -- section table -------------------------------------------------------------------------
    case("section-table-outside-file", "section-outside-file",
         (patch(header("section_count"), 1000, 2), 40), "1000 sections do not fit the file")
    case("unknown-section", "unknown-section", (patch(section(2, "kind"), 9, 4), section(2, "kind")),
         "section kind 9")
    case("duplicate-section", "duplicate-section", (patch(section(1, "kind"), 1, 4), section(1, "kind")),
         "a second code section")
    case("misaligned-section", "misaligned-section",
         (patch(section(1, "offset"), patterns + 4, 4), section(1, "offset")),
         "the pattern table at a multiple of 4, not 64")
    case("section-outside-file", "section-outside-file",
         (patch(section(5, "offset"), -(-n // 64) * 64 + 64, 4), section(5, "offset")), "the data image starts past the end")
    case("section-size", "section-size", (patch(section(0, "size"), sizes[CODE][0] - 32, 4), section(0, "size")),
         "code size one record short of its count")
    case("string-count", "section-size",
         (patch(section(4, "count"), sizes[STRINGS][1] + 1, 4), section(4, "count")),
         "string table count one more than its strings")
    case("image-count", "section-size", (patch(section(5, "count"), 1, 4), section(5, "count")),
         "data image count 1")
    no_image = patch(section(5, "kind"), bytes(16), data=patch(header("section_count"), 5, 2, crc=False))
    case("missing-section", "missing-section", (no_image, 40), "5 sections: no data image")
    case("section-overlap", "section-overlap",
         (patch(section(1, "offset"), code + 64, 4), section(1, "offset")),
         "the pattern table starts inside the code")
    grown = patch(header("file_size"), n + 64, 4, data=BASE_BYTES + bytes(64))
    case("file-longer-than-sections", "file-size", (grown, 12), "64 bytes after the last section")
    gap = patterns + sizes[PATTERNS][0]
    assert gap < directory
    case("section-gap", "nonzero-padding", (patch(gap + 3, 0x5A), gap + 3),
         "a byte between the pattern table and the data directory")
    bigger = patch(section(5, "size"), sizes[IMAGE][0] + 64, 4,
                   data=patch(header("file_size"), n + 64, 4, data=BASE_BYTES + bytes(64), crc=False))
    case("image-size", "image-size", (bigger, section(5, "size")), "the data image 64 bytes past its last entry")
    case("image-gap", "nonzero-padding", (patch(image + 100, 1), image + 100),
         "a data image byte between two entries")

    # -- records, tables and strings as stored -------------------------------------------------
    case("unknown-opcode", "unknown-opcode", (patch(site(CODE, 12, "opcode"), 0x43), site(CODE, 12, "opcode")),
         "record 12 opcode 0x43")
    case("record-padding", "nonzero-padding", (patch(site(CODE, 4, "opcode", 7), 1), site(CODE, 4, "opcode", 7)),
         "dma_start padding byte 7")
    slot0, slot1 = site(CODE, 6, "acquires"), site(CODE, 6, "acquires", 2)
    case("lock-slot-order", "bad-lock-slot", (patch(slot0, bytes(2) + b"\0\1"), slot1),
         "launch acquire in slot 1 after an unused slot 0")
    case("lock-slot-side", "bad-lock-slot", (patch(site(CODE, 4, "releases"), 2), site(CODE, 4, "releases")),
         "dma_start release on side 2")
    case("lock-slot-padding", "nonzero-padding",
         (patch(site(CODE, 4, "releases", 4), 7), site(CODE, 4, "releases", 4)),
         "unused dma_start release slot with id 7")
    case("wait-direction", "bad-direction", (patch(site(CODE, 8, "direction"), 2), site(CODE, 8, "direction")),
         "wait direction 2")
    case("binding-direction", "bad-direction",
         (patch(site(BINDINGS, 0, "direction"), 2), site(BINDINGS, 0, "direction")), "binding direction 2")
    case("pattern-dims-field", "bad-pattern", (patch(site(PATTERNS, 0, "pattern"), 5, 4), site(PATTERNS, 0, "pattern")),
         "pattern dims 5")
    unused_size = site(PATTERNS, 0, "pattern", PatternType.SIZES + 12)
    case("pattern-padding", "nonzero-padding", (patch(unused_size, 4, 4), unused_size),
         "sizes[3] of a 1-D pattern")
    case("unknown-dtype", "unknown-dtype", (patch(site(DIRECTORY, 0, "dtype"), 0), site(DIRECTORY, 0, "dtype")),
         "dtype 0")
    case("shape-rank", "bad-shape", (patch(site(DIRECTORY, 0, "shape"), 5), site(DIRECTORY, 0, "shape")),
         "rank 5")
    unused_dim = site(BINDINGS, 1, "shape", ShapeType.DIMS + 12)
    case("shape-padding", "nonzero-padding", (patch(unused_dim, 1, 4), unused_dim), "shape[3] beyond rank 2")
    last = strings + sizes[STRINGS][0] - 1
    case("string-table-unterminated", "bad-string-table", (patch(last, ord("z")), last),
         "the string table's last byte is not NUL")
    case("string-not-utf8", "bad-string-table", (patch(strings, 0xFF), strings), "string 0 starts with 0xff")

    # -- tables and names ----------------------------------------------------------------------
    unnamed = dataclasses.replace(BASE, io=(BASE.io[0], dataclasses.replace(BASE.io[1], name="")))
    rf = build(unnamed)
    case("empty-string", "bad-string-table",
         (rf.to_bytes(), rf.section_offset(STRINGS) + rf.string_offsets()[rf.strings.index("")]),
         "an empty binding name")
    case("pattern-no-dims", "bad-pattern",
         changed(PATTERNS, 3, "pattern", record7=replace(7, dst_pattern=Pattern((), ()))), "a 0-dim pattern")
    case("pattern-zero-size", "bad-pattern",
         changed(PATTERNS, 3, "pattern", PatternType.SIZES, record7=replace(7, dst_pattern=Pattern((0, 16), (16, 1)))),
         "sizes[0] = 0")
    case("pattern-inner-size", "pattern-granularity",
         changed(PATTERNS, 3, "pattern", PatternType.SIZES, record7=replace(7, dst_pattern=Pattern.contiguous(18))),
         "innermost size 18")
    case("pattern-inner-stride", "pattern-granularity",
         changed(PATTERNS, 3, "pattern", PatternType.STRIDES, record7=replace(7, dst_pattern=Pattern((16,), (2,)))),
         "innermost stride 2")
    case("pattern-outer-stride", "pattern-granularity",
         changed(PATTERNS, 3, "pattern", PatternType.STRIDES,
                 record7=replace(7, dst_pattern=Pattern((2, 8), (10, 1)))),
         "strides[0] = 10")
    case("bad-string-ref", "bad-string-ref",
         (patch(site(DIRECTORY, 0, "name"), 1, 4), site(DIRECTORY, 0, "name")), "a name into the middle of a string")
    renamed = dataclasses.replace(BASE.data[1], name="conv1.weight")
    case("duplicate-name", "duplicate-name",
         changed(DIRECTORY, 1, "name", data=(BASE.data[0], renamed), record3=replace(3, entry="conv1.weight")),
         "two data entries named conv1.weight")
    case("shape-extent-zero", "bad-shape",
         changed(DIRECTORY, 1, "shape", ShapeType.DIMS,
                 data=(BASE.data[0], dataclasses.replace(BASE.data[1], shape=(0,), payload=b""))),
         "shape [0]")
    case("binding-size", "size-mismatch",
         (patch(site(BINDINGS, 0, "size"), 260, 4), site(BINDINGS, 0, "size")), "size 260 for f32[1,4,4,4]")
    case("misaligned-entry", "misaligned-entry",
         changed(DIRECTORY, 1, "offset", data=(BASE.data[0], dataclasses.replace(BASE.data[1], offset=96))),
         "data entry at 96")
    case("entry-overlap", "entry-overlap",
         changed(DIRECTORY, 1, "offset", data=(BASE.data[0], dataclasses.replace(BASE.data[1], offset=0))),
         "two data entries at 0")
    case("binding-overlaps-image", "binding-overlaps-image",
         changed(BINDINGS, 0, "offset", io=(dataclasses.replace(BASE.io[0], offset=0x80), BASE.io[1])),
         "the input at 0x80, inside the data image")
    case("outside-ddr", "outside-ddr", changed(BINDINGS, 1, "offset", ddr_size=0x208),
         "the output ends past ddr_size")

    # -- records -------------------------------------------------------------------------------
    case("tile-column", "tile-outside-array", changed(CODE, 2, "tile", record2=ConfigureTile(Tile(38, 3))),
         "configure_tile (38,3)")
    case("tile-row", "tile-outside-array", changed(CODE, 2, "tile", 1, record2=ConfigureTile(Tile(2, 11))),
         "configure_tile (2,11)")
    case("wrong-tile-kind", "wrong-tile-kind", changed(CODE, 6, "tile", 1, record6=replace(6, tile=MEMTILE)),
         "launch on a memory tile")
    case("params-on-interface", "wrong-tile-kind", changed(CODE, 3, "tile", 1, record3=replace(3, tile=SHIM)),
         "write_params to an interface tile")
    case("not-ddr-column", "not-ddr-column", changed(CODE, 4, "src", record4=replace(4, src=Tile(0, 0))),
         "DMA from interface tile (0,0)")
    case("channel-out-of-range", "channel-out-of-range",
         changed(CODE, 4, "src_channel", record4=replace(4, src_channel=2)), "mm2s channel 2 of an interface tile")
    case("pattern-index", "pattern-index-out-of-range",
         (patch(site(CODE, 4, "src_pattern"), 99, 2), site(CODE, 4, "src_pattern")), "pattern index 99 of 3")
    case("pattern-dims", "pattern-dims",
         changed(CODE, 5, "dst_pattern", record5=replace(5, dst_pattern=Pattern((1, 1, 4, 64), (0, 0, 64, 1)))),
         "a 4-D pattern on a compute tile")
    case("dma-offset-granularity", "pattern-granularity",
         changed(CODE, 5, "dst_offset", record5=replace(5, dst_offset=0x402)), "dst offset 0x402")
    case("pattern-out-of-bounds", "pattern-out-of-bounds",
         changed(CODE, 5, "dst_pattern", record5=replace(5, dst_offset=0xFF80)),
         "256 bytes at 0xff80 of a 64 KiB compute tile")
    case("dma-into-stack", "pattern-out-of-bounds",
         changed(CODE, 5, "dst_offset", record5=replace(5, dst_offset=0x100)), "dst offset in the stack")
    case("dma-past-ddr", "pattern-out-of-bounds",
         changed(CODE, 4, "src_pattern", record4=replace(4, src_offset=0xFF80)), "256 bytes at 0xff80 of 64 KiB DDR")
    case("pattern-size-mismatch", "pattern-size-mismatch",
         changed(CODE, 7, "dst_pattern", record7=replace(7, dst_pattern=Pattern.contiguous(32))), "16 bytes to 32")
    case("lock-id", "lock-out-of-range", changed(CODE, 10, "id", record10=LockAcquire(MEMTILE, 64, 1)),
         "lock 64 of a memory tile")
    case("dma-lock-id", "lock-out-of-range",
         changed(CODE, 5, "releases", 1, record5=replace(5, releases=(DmaLock(Side.DST, 16, 1),))),
         "lock 16 of a compute tile")
    case("lock-value", "lock-value-out-of-range", changed(CODE, 11, "value", record11=LockRelease(MEMTILE, 1, 64)),
         "release 64")
    case("lock-value-zero", "lock-value-out-of-range",
         changed(CODE, 10, "value", record10=LockAcquire(MEMTILE, 1, 0)), "acquire 0")
    case("entry-index", "entry-index-out-of-range",
         (patch(site(CODE, 3, "entry"), 7, 4), site(CODE, 3, "entry")), "data entry 7 of 2")
    case("misaligned-params", "misaligned-params",
         changed(CODE, 3, "offset", record3=replace(3, offset=0x802)), "write_params at 0x802")
    case("params-in-stack", "params-out-of-bounds",
         changed(CODE, 3, "offset", record3=replace(3, offset=0x100)), "write_params into the stack")
    case("params-past-memory", "params-out-of-bounds",
         changed(CODE, 6, "params", record6=replace(6, params=0xFFF0)), "launch parameter block past 64 KiB")
    case("unknown-kernel", "unknown-kernel", changed(CODE, 6, "kernel", record6=replace(6, kernel=99)),
         "kernel 99")
    case("end-not-last", "end-not-last", changed(CODE, 12, "opcode", record12=End()), "end before the last record")
    case("missing-end", "missing-end", changed(CODE, 12, "opcode", record13=None), "no end")
    empty = dataclasses.replace(BASE, records=())
    case("no-records", "missing-end", (build(empty).to_bytes(), build(empty).section_offset(CODE)),
         "no records at all")
    return out


def write(outdir: Path) -> None:
    for sub in ("valid", "malformed"):
        (outdir / sub).mkdir(parents=True, exist_ok=True)
        for old in (outdir / sub).glob("*.*"):
            old.unlink()
    for name, program in VALID.items():
        data = encode(program)
        (outdir / "valid" / f"{name}.rcb").write_bytes(data)
        (outdir / "valid" / f"{name}.lst").write_text(disassemble(data))
    lines = [
        "# RCB malformed-file corpus (generated by make_corpus.py; do not edit)",
        "# file  rule  offset  # what is wrong",
    ]
    for c in cases():
        (outdir / "malformed" / f"{c.name}.rcb").write_bytes(c.data)
        lines.append(f"malformed/{c.name}.rcb {c.rule} 0x{c.offset:x}  # {c.note}")
    (outdir / "manifest.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
