"""An RCB file as stored: header, section table and the decoded contents of each section.

`RcbFile` is the file one to one: records with their table indices, the pattern table, the data
directory with each entry's payload, the I/O bindings, the string table, and where each section
sits. ``RcbFile.from_bytes(f).to_bytes() == f`` for every file `from_bytes` accepts, because it
accepts only files in which every byte is either one of these values or a zero the format
requires (padding, unused slots, gaps between sections). That makes it the model both of the
listing (`rcbc.bytecode.listing`) and of the encoder's output (`rcbc.bytecode.codec`).

`from_bytes` checks what the model cannot represent — the header, the section table, padding,
enumeration codes, the string table's and the data image's shape — and names the byte offset and
rule of the first failure. What the model can represent but the specification forbids (a tile
outside the array, a pattern past its memory, ...) is checked by `rcbc.bytecode.validate`.
"""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from rcbc import targets
from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.layout import (
    BINDING_ENTRY,
    BY_OPCODE,
    DIRECTORY_ENTRY,
    ENTRY_SIZE,
    HEADER,
    HEADER_SIZE,
    KNOWN_FLAGS,
    MAJOR,
    MAGIC,
    PATTERN_ENTRY,
    RECORD_SIZE,
    SECTION_ALIGN,
    SECTION_ENTRY,
    TARGET_IDS,
    RecordKind,
    SectionKind,
    Site,
    first_nonzero,
)
from rcbc.bytecode.program import DType, IoDirection, Pattern

CRC_OFFSET = HEADER.offset("crc")


def align(n: int, to: int = SECTION_ALIGN) -> int:
    return -(-n // to) * to


def crc32(data: bytes) -> int:
    """The file's CRC: IEEE 802.3 CRC-32 of the whole file with the CRC field read as 0."""
    head = zlib.crc32(bytes(4), zlib.crc32(data[:CRC_OFFSET]))
    return zlib.crc32(data[CRC_OFFSET + 4 :], head)


def string_offsets(strings: tuple[str, ...]) -> list[int]:
    """Where each string starts in a string table of `strings`, each NUL-terminated."""
    offsets, at = [], 0
    for s in strings:
        offsets.append(at)
        at += len(s.encode()) + 1
    return offsets


@dataclass(frozen=True)
class RawRecord:
    """A record as stored: its kind and field values by name, references as integers."""

    kind: RecordKind
    values: dict[str, Any]


@dataclass(frozen=True)
class DirectoryRow:
    """A data-directory entry with its payload; `name` is an offset into the string table."""

    name: int
    offset: int
    dtype: DType
    shape: tuple[int, ...]
    payload: bytes = field(repr=False)


@dataclass(frozen=True)
class BindingRow:
    """An I/O-binding entry; `name` is an offset into the string table."""

    name: int
    offset: int
    size: int
    direction: IoDirection
    dtype: DType
    shape: tuple[int, ...]


FIRST_SECTION = align(HEADER_SIZE + SECTION_ENTRY.size * len(SectionKind))
"""Where the encoder places the first section (the code)."""


def owner(kind: SectionKind, index: int, record: str = "") -> str:
    """How messages name entry `index` of a section; records also by their kind's name."""
    if kind is SectionKind.CODE:
        return f"record {index} ({record})"
    return {
        SectionKind.PATTERNS: "pattern",
        SectionKind.DIRECTORY: "data entry",
        SectionKind.BINDINGS: "binding",
    }[kind] + f" {index}"


@dataclass(frozen=True)
class RcbFile:
    """Every value an RCB file stores; the rest of its bytes are derived or zero."""

    target: str
    ddr_size: int
    minor: int
    sections: tuple[tuple[SectionKind, int], ...]  # (kind, file offset), in section-table order
    records: tuple[RawRecord, ...]
    patterns: tuple[Pattern, ...]
    directory: tuple[DirectoryRow, ...]
    bindings: tuple[BindingRow, ...]
    strings: tuple[str, ...]
    flags: int = 0  # the header's flags (layout.KNOWN_FLAGS)

    # -- derived contents -----------------------------------------------------------------------

    def string_table(self) -> bytes:
        return b"".join(s.encode() + b"\0" for s in self.strings)

    def string_offsets(self) -> list[int]:
        return string_offsets(self.strings)

    def image_size(self) -> int:
        return max((row.offset + len(row.payload) for row in self.directory), default=0)

    def section_sizes(self) -> dict[SectionKind, tuple[int, int]]:
        """(size in bytes, count) of each section's contents."""
        counts = {
            SectionKind.CODE: len(self.records),
            SectionKind.PATTERNS: len(self.patterns),
            SectionKind.DIRECTORY: len(self.directory),
            SectionKind.BINDINGS: len(self.bindings),
        }
        sizes = {kind: (n * ENTRY_SIZE[kind], n) for kind, n in counts.items()}
        sizes[SectionKind.STRINGS] = (len(self.string_table()), len(self.strings))
        sizes[SectionKind.IMAGE] = (self.image_size(), 0)
        return sizes

    def placed(self) -> "RcbFile":
        """This file with its sections in kind order, each at the next 64-byte boundary."""
        at = FIRST_SECTION
        sections = []
        for kind, (size, _) in sorted(self.section_sizes().items()):
            sections.append((kind, at))
            at = align(at + size)
        return dataclasses.replace(self, sections=tuple(sections))

    # -- where things are -----------------------------------------------------------------------

    def section_offset(self, kind: SectionKind) -> int:
        return dict(self.sections).get(kind, 0)

    def site(self, kind: SectionKind, index: int, name: str) -> Site:
        """The site of field `name` of entry `index` of table `kind` (records included)."""
        layout = self.records[index].kind.layout if kind is SectionKind.CODE else _TABLES[kind]
        base = self.section_offset(kind) + index * layout.size
        record = self.records[index].kind.name if kind is SectionKind.CODE else ""
        return layout.site(base, owner(kind, index, record), name)

    # -- bytes ----------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The file's bytes; raises `BytecodeError` (``field-overflow``) for a value that does
        not fit its field."""
        if self.target not in TARGET_IDS:
            raise BytecodeError("unknown-target", HEADER.offset("target"), f"unknown target '{self.target}'")
        contents = {kind: self._pack(kind, self.section_offset(kind)) for kind in SectionKind}
        sizes = self.section_sizes()
        table_end = HEADER_SIZE + SECTION_ENTRY.size * len(self.sections)
        file_size = max([table_end] + [off + sizes[kind][0] for kind, off in self.sections])
        out = bytearray(file_size)
        for kind, off in self.sections:
            out[off : off + sizes[kind][0]] = contents[kind]
        machine = targets.get(self.target)
        header = {
            "magic": MAGIC,
            "major": MAJOR,
            "minor": self.minor,
            "crc": 0,
            "file_size": file_size,
            "target": TARGET_IDS[self.target],
            **_geometry(machine),
            "ddr_size": self.ddr_size,
            "flags": self.flags,
            "section_count": len(self.sections),
        }
        out[:HEADER_SIZE] = HEADER.pack(header, 0, "header")
        for i, (kind, off) in enumerate(self.sections):
            at = HEADER_SIZE + SECTION_ENTRY.size * i
            size, count = sizes[kind]
            entry = {"kind": kind, "offset": off, "size": size, "count": count}
            out[at : at + SECTION_ENTRY.size] = SECTION_ENTRY.pack(entry, at, f"section {i}")
        out[CRC_OFFSET : CRC_OFFSET + 4] = crc32(out).to_bytes(4, "little")
        return bytes(out)

    def _pack(self, kind: SectionKind, base: int) -> bytes:
        if kind is SectionKind.STRINGS:
            return self.string_table()
        if kind is SectionKind.IMAGE:
            image = bytearray(self.image_size())
            for row in self.directory:
                image[row.offset : row.offset + len(row.payload)] = row.payload
            return bytes(image)
        if kind is SectionKind.CODE:
            return b"".join(
                rec.kind.layout.pack(
                    {"opcode": rec.kind.opcode, **rec.values}, base + RECORD_SIZE * i, owner(kind, i, rec.kind.name)
                )
                for i, rec in enumerate(self.records)
            )
        layout = _TABLES[kind]
        return b"".join(
            layout.pack(_row_values(kind, row), base + layout.size * i, owner(kind, i))
            for i, row in enumerate(self._rows(kind))
        )

    def _rows(self, kind: SectionKind) -> tuple:
        return {
            SectionKind.PATTERNS: self.patterns,
            SectionKind.DIRECTORY: self.directory,
            SectionKind.BINDINGS: self.bindings,
        }[kind]

    @classmethod
    def from_bytes(cls, data: bytes) -> "RcbFile":
        """The file in `data`; raises `BytecodeError` for the first structural rule it breaks."""
        return _Reader(bytes(data)).read()


_TABLES = {
    SectionKind.PATTERNS: PATTERN_ENTRY,
    SectionKind.DIRECTORY: DIRECTORY_ENTRY,
    SectionKind.BINDINGS: BINDING_ENTRY,
}


def _row_values(kind: SectionKind, row: Any) -> dict[str, Any]:
    if kind is SectionKind.PATTERNS:
        return {"pattern": row}
    if kind is SectionKind.DIRECTORY:
        return {**vars(row), "size": len(row.payload)}
    return vars(row)


def _geometry(machine: targets.Target) -> dict[str, int]:
    """The header's copy of the target's geometry."""
    return {
        "columns": machine.columns,
        "rows": machine.rows,
        "memtile_rows": machine.memtile_rows,
        "tile_memory": machine.compute.memory,
        "memtile_memory": machine.memory.memory if machine.memory else 0,
    }


class _Section(NamedTuple):
    offset: int
    size: int
    count: int
    entry: int  # file offset of its section-table entry


class _Reader:
    """The structural checks of a file, in the order the specification lists them."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self) -> RcbFile:
        header = self.header()
        sections = self.section_table(header)
        records = self.records(sections[SectionKind.CODE])
        patterns = self.table(SectionKind.PATTERNS, sections[SectionKind.PATTERNS])
        directory = self.table(SectionKind.DIRECTORY, sections[SectionKind.DIRECTORY])
        bindings = self.table(SectionKind.BINDINGS, sections[SectionKind.BINDINGS])
        strings = self.strings(sections[SectionKind.STRINGS])
        image = self.image(directory, sections[SectionKind.IMAGE])
        return RcbFile(
            target=header["target"],
            ddr_size=header["ddr_size"],
            minor=header["minor"],
            sections=tuple((kind, section.offset) for kind, section in sections.items()),
            records=records,
            patterns=tuple(v["pattern"] for v in patterns),
            directory=tuple(
                DirectoryRow(
                    v["name"], v["offset"], v["dtype"], v["shape"], image[v["offset"] : v["offset"] + v["size"]]
                )
                for v in directory
            ),
            bindings=tuple(BindingRow(**v) for v in bindings),
            strings=strings,
            flags=header["flags"],
        )

    def header(self) -> dict[str, Any]:
        data, n = self.data, len(self.data)
        if n < HEADER_SIZE:
            raise BytecodeError("truncated", n, f"file has {n} bytes; the header alone is {HEADER_SIZE}")
        magic = HEADER.read(data, 0, "magic")
        if magic != MAGIC:
            raise BytecodeError("bad-magic", 0, f"magic is {magic!r}, not {MAGIC!r}")
        major = HEADER.read(data, 0, "major")
        if major > MAJOR:
            raise BytecodeError(
                "newer-major", HEADER.offset("major"),
                f"major version {major} is newer than {MAJOR}, the newest this loader reads",
            )
        if major < MAJOR:
            raise BytecodeError("bad-version", HEADER.offset("major"), f"major version {major} does not exist")
        size = HEADER.read(data, 0, "file_size")
        if n < size:
            raise BytecodeError("truncated", n, f"file has {n} bytes but its header says {size}")
        if n > size:
            raise BytecodeError(
                "file-size", HEADER.offset("file_size"), f"file has {n} bytes but its header says {size}"
            )
        stored, actual = HEADER.read(data, 0, "crc"), crc32(data)
        if stored != actual:
            raise BytecodeError(
                "crc-mismatch", CRC_OFFSET, f"CRC-32 is 0x{stored:08x} but the file's is 0x{actual:08x}"
            )
        header = HEADER.unpack(data, 0, "header")
        names = {v: k for k, v in TARGET_IDS.items()}
        if header["target"] not in names:
            known = ", ".join(f"{v} ({k})" for k, v in TARGET_IDS.items())
            raise BytecodeError(
                "unknown-target", HEADER.offset("target"),
                f"target id {header['target']} is not one of {known}",
            )
        header["target"] = names[header["target"]]
        for name, expected in _geometry(targets.get(header["target"])).items():
            if header[name] != expected:
                raise BytecodeError(
                    "target-mismatch", HEADER.offset(name),
                    f"header: {name} is {header[name]} but target {header['target']} has {expected}",
                )
        if header["flags"] & ~KNOWN_FLAGS:
            raise BytecodeError(
                "unknown-flags", HEADER.offset("flags"),
                f"flags are 0x{header['flags']:x}; version {MAJOR}.x defines 0x{KNOWN_FLAGS:x}",
            )
        return header

    def section_table(self, header: dict[str, Any]) -> dict[SectionKind, _Section]:
        """Each section, in section-table order, after checking the table."""
        data, file_size, count = self.data, header["file_size"], header["section_count"]
        table_end = HEADER_SIZE + SECTION_ENTRY.size * count
        if table_end > file_size:
            raise BytecodeError(
                "section-outside-file", HEADER.offset("section_count"),
                f"a section table of {count} entries ends at 0x{table_end:x}, "
                f"past the end of the {file_size}-byte file",
            )
        sections: dict[SectionKind, _Section] = {}
        for i in range(count):
            at = HEADER_SIZE + SECTION_ENTRY.size * i
            e = SECTION_ENTRY.unpack(data, at, f"section {i}")
            kind, off, size = e["kind"], e["offset"], e["size"]
            site = SECTION_ENTRY.site(at, f"section {i} ({kind})", "offset")
            if kind in sections:
                raise site.error("duplicate-section", f"a {kind} section is already listed", -4)
            if off % SECTION_ALIGN:
                raise site.error("misaligned-section", f"offset 0x{off:x} is not a multiple of {SECTION_ALIGN}")
            if off > file_size:
                raise site.error("section-outside-file", f"offset 0x{off:x} is past the end of the {file_size}-byte file")
            if off + size > file_size:
                raise site.error(
                    "section-outside-file",
                    f"{size} bytes at 0x{off:x} end past the end of the {file_size}-byte file", 4,
                )
            if kind in ENTRY_SIZE and size != e["count"] * ENTRY_SIZE[kind]:
                raise site.error(
                    "section-size",
                    f"size {size} is not count {e['count']} x {ENTRY_SIZE[kind]}-byte entries", 4,
                )
            if kind is SectionKind.IMAGE and e["count"]:
                raise site.error("section-size", f"count is {e['count']}; the data image's is 0", 8)
            sections[kind] = _Section(off, size, e["count"], at)
        for kind in SectionKind:
            if kind not in sections:
                raise BytecodeError("missing-section", HEADER.offset("section_count"), f"the file has no {kind} section")
        spans = sorted(  # by offset, then table order
            (s.offset, s.entry, s.offset + s.size, kind) for kind, s in sections.items() if s.size
        )
        end, last = table_end, "header and section table"
        for start, at, stop, kind in spans:
            if start < end:
                raise BytecodeError(
                    "section-overlap", at + SECTION_ENTRY.offset("offset"),
                    f"section {kind} at 0x{start:x}..0x{stop:x} overlaps the {last}, which ends at 0x{end:x}",
                )
            self.zeros(end, start, "between sections")
            end, last = stop, f"{kind} section"
        last_end = max([table_end] + [s.offset + s.size for s in sections.values()])
        if file_size != last_end:
            raise BytecodeError(
                "file-size", HEADER.offset("file_size"),
                f"header says {file_size} bytes but the last section ends at {last_end}",
            )
        self.zeros(end, file_size, "after the last section")
        return sections

    def zeros(self, start: int, stop: int, where: str) -> None:
        stray = first_nonzero(self.data, start, stop)
        if stray is not None:
            raise BytecodeError(
                "nonzero-padding", stray, f"byte {where} is 0x{self.data[stray]:02x}, not 0"
            )

    def records(self, code: _Section) -> tuple[RawRecord, ...]:
        records = []
        for i in range(code.count):
            at = code.offset + RECORD_SIZE * i
            opcode = self.data[at]
            kind = BY_OPCODE.get(opcode)
            if kind is None:
                raise BytecodeError("unknown-opcode", at, f"record {i}: opcode 0x{opcode:02x} is not defined")
            values = kind.layout.unpack(self.data, at, f"record {i} ({kind.name})")
            del values["opcode"]
            records.append(RawRecord(kind, values))
        return tuple(records)

    def table(self, kind: SectionKind, section: _Section) -> list[dict[str, Any]]:
        layout = _TABLES[kind]
        return [
            layout.unpack(self.data, section.offset + layout.size * i, owner(kind, i))
            for i in range(section.count)
        ]

    def strings(self, section: _Section) -> tuple[str, ...]:
        off, size = section.offset, section.size
        raw = self.data[off : off + size]
        if raw and raw[-1]:
            raise BytecodeError("bad-string-table", off + size - 1, "the string table does not end with NUL")
        strings, start = [], 0
        for part in raw.split(b"\0")[:-1]:
            try:
                strings.append(part.decode())
            except UnicodeDecodeError as e:
                raise BytecodeError(
                    "bad-string-table", off + start,
                    f"string {len(strings)}: byte {e.start} is not valid UTF-8",
                ) from None
            start += len(part) + 1
        if len(strings) != section.count:
            index = (section.entry - HEADER_SIZE) // SECTION_ENTRY.size
            raise BytecodeError(
                "section-size", section.entry + SECTION_ENTRY.offset("count"),
                f"section {index} ({SectionKind.STRINGS}): count is {section.count} "
                f"but the table holds {len(strings)} strings",
            )
        return tuple(strings)

    def image(self, directory: list[dict[str, Any]], section: _Section) -> bytes:
        """The data image, after checking that it ends where its last entry ends and that every
        byte outside the entries is 0."""
        off, size = section.offset, section.size
        end = max((v["offset"] + v["size"] for v in directory), default=0)
        if size != end:
            raise BytecodeError(
                "image-size", section.entry + SECTION_ENTRY.offset("size"),
                f"the data image is {size} bytes but its last entry ends at {end}",
            )
        covered = 0
        for start, stop in sorted((v["offset"], v["offset"] + v["size"]) for v in directory):
            self.zeros(off + covered, off + max(start, covered), "of the data image outside its entries")
            covered = max(covered, stop)
        return self.data[off : off + size]
