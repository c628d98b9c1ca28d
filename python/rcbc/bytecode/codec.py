"""Encoding a `Program` into RCB bytes and decoding bytes back into a `Program`.

    >>> from rcbc.bytecode import program as P
    >>> from rcbc.bytecode.codec import decode, encode
    >>> p = P.Program("aie-ml", ddr_size=0, records=(P.Barrier(), P.End()))
    >>> data = encode(p)
    >>> len(data), decode(data) == p
    (256, True)

`build` turns a program into its `RcbFile`: the pattern table in order of first use (records in
order, `src_pattern` before `dst_pattern`), deduplicated; the string table in order of first use
(data entries, then bindings), deduplicated; the data directory and the bindings in the program's
order; sections placed in kind order at 64-byte boundaries. Nothing depends on hashing, object
identity or time, so a program always gives the same bytes. `encode` validates the file
(`rcbc.bytecode.validate`) before producing bytes, so it never writes a file `decode` rejects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.layout import BY_CLASS, HOST_DISPATCH, MINOR, RECORD_SIZE, Ref, SectionKind
from rcbc.bytecode.program import DataEntry, IoBinding, Pattern, Program
from rcbc.bytecode.rcbfile import (
    FIRST_SECTION,
    BindingRow,
    DirectoryRow,
    RawRecord,
    RcbFile,
    owner,
    string_offsets,
)
from rcbc.bytecode.validate import validate


def build(program: Program) -> RcbFile:
    """The file of `program`, tables built and sections placed, not validated."""
    patterns: dict[Pattern, int] = {}
    entries = {}
    for i, entry in enumerate(program.data):
        entries.setdefault(entry.name, i)
    records = []
    for i, record in enumerate(program.records):
        kind = BY_CLASS[type(record)]
        values: dict[str, Any] = {}
        for slot in kind.layout.fields[1:]:
            value = getattr(record, slot.name)
            if isinstance(slot.type, Ref) and slot.type.table is SectionKind.PATTERNS:
                value = patterns.setdefault(value, len(patterns))
            elif isinstance(slot.type, Ref):
                if value not in entries:
                    base = FIRST_SECTION + RECORD_SIZE * i
                    raise kind.layout.site(base, owner(SectionKind.CODE, i, kind.name), slot.name).error(
                        "unknown-entry", f"entry '{value}' is not a data entry of the program"
                    )
                value = entries[value]
            values[slot.name] = value
        records.append(RawRecord(kind, values))
    strings: dict[str, None] = dict.fromkeys(t.name for t in (*program.data, *program.io))
    offsets = dict(zip(strings, string_offsets(tuple(strings))))
    rf = RcbFile(
        target=program.target,
        ddr_size=program.ddr_size,
        minor=MINOR,
        sections=(),
        records=tuple(records),
        patterns=tuple(patterns),
        directory=tuple(
            DirectoryRow(offsets[e.name], e.offset, e.dtype, e.shape, e.payload) for e in program.data
        ),
        bindings=tuple(
            BindingRow(offsets[b.name], b.offset, b.size, b.direction, b.dtype, b.shape)
            for b in program.io
        ),
        strings=tuple(strings),
        flags=HOST_DISPATCH if program.host_dispatch else 0,
    )
    return rf.placed()


def encode(program: Program) -> bytes:
    """The bytes of `program`; raises `BytecodeError` for a rule it breaks or a value that does
    not fit its field."""
    rf = build(program)
    validate(rf)
    return rf.to_bytes()


def resolve(rf: RcbFile) -> Program:
    """The program of a file, its table indices resolved (the inverse of `build`)."""
    names = dict(zip(rf.string_offsets(), rf.strings))
    records = []
    for raw in rf.records:
        values = dict(raw.values)
        for slot in raw.kind.layout.fields[1:]:
            if isinstance(slot.type, Ref) and slot.type.table is SectionKind.PATTERNS:
                values[slot.name] = rf.patterns[values[slot.name]]
            elif isinstance(slot.type, Ref):
                values[slot.name] = names[rf.directory[values[slot.name]].name]
        records.append(raw.kind.cls(**values))
    return Program(
        target=rf.target,
        ddr_size=rf.ddr_size,
        records=tuple(records),
        data=tuple(DataEntry(names[r.name], r.offset, r.dtype, r.shape, r.payload) for r in rf.directory),
        io=tuple(IoBinding(names[r.name], r.direction, r.dtype, r.shape, r.offset) for r in rf.bindings),
        host_dispatch=bool(rf.flags & HOST_DISPATCH),
    )


def decode(data: bytes, path: str | None = None) -> Program:
    """The program in `data`, after every check of specification section 6; a `BytecodeError`
    names `path` when given."""
    try:
        rf = RcbFile.from_bytes(data)
        validate(rf)
    except BytecodeError as e:
        e.path = path
        raise
    return resolve(rf)


def load(path: str | Path) -> Program:
    """The program in the file at `path`."""
    return decode(Path(path).read_bytes(), str(path))
