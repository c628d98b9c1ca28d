"""The RCB listing: a readable text form of a file that assembles back to the same bytes.

`disassemble` prints every value an `RcbFile` holds — header, section placement, one line per
record with its index, the pattern table, the data directory with each entry's payload in hex,
the I/O bindings and the string table — and `assemble` parses that text back, so
``assemble(disassemble(f)) == f`` byte for byte for every file the decoder accepts. Derived
values (file size, CRC, section sizes and counts, record offsets, geometry) appear only in
comments, which run from ``;`` to the end of the line::

    rcb 1.0 target=aie-ml ddr_size=0x1000 flags=0x0
    section code offset=0xc0                 ; 96 bytes, 3 records
    ...
    code
         0 configure_tile tile=(2,3)                                     ; 0x0000c0
         1 dma_start src=(2,0) src_channel=0 src_offset=0x0 src_pattern=0 dst=(2,3)
           dst_channel=0 dst_offset=0x400 dst_pattern=0 acquires=[] releases=[dst.0:1]
    ...
    directory
         0 name="w" offset=0x0 size=64 dtype=i8 shape=[64]
           | 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617 18191a1b 1c1d1e1f

(a record is one line; it is wrapped above only to fit this page). Fields are written
``name=value``, in any order, all of them: integers in decimal or ``0x`` hexadecimal, tiles as
``(col,row)``, lock uses as ``[side.id:value,...]`` (``[id:value,...]`` for launch), shapes and
pattern sizes as ``[a,b,c]``, names as JSON strings (or ``@0x1c``, a string-table offset, for a
name that is not the first copy of its string). The leading index of a row is optional; when
given it must be the row's position. Section offsets are given, never computed: a listing
edited to hold more records must move the sections after the code.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from rcbc import targets
from rcbc.bytecode.codec import decode
from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.layout import (
    BINDING_ENTRY,
    BY_NAME,
    DIRECTORY_ENTRY,
    HOST_DISPATCH,
    MAJOR,
    PATTERN_ENTRY,
    RECORD_SIZE,
    Enumeration,
    FieldType,
    Layout,
    LockSlots,
    Ref,
    SectionKind,
    ShapeType,
    TileType,
    UInt,
)
from rcbc.bytecode.program import DmaLock, Lock, Pattern, Side, Tile
from rcbc.bytecode.rcbfile import (
    BindingRow,
    DirectoryRow,
    RawRecord,
    RcbFile,
    crc32,
    string_offsets,
)
from rcbc.bytecode.validate import validate
from rcbc.kernels import library

HEX_PER_LINE = 32  # payload bytes per line
BLOCKS = ("code", "patterns", "directory", "bindings", "strings")


class ListingError(ValueError):
    """A listing that does not parse, at a 1-based line."""

    def __init__(self, line: int, message: str, path: str | None = None):
        super().__init__(message)
        self.line, self.message, self.path = line, message, path

    def __str__(self) -> str:
        return f"{self.path or 'listing'}:{self.line}: {self.message}"


# -- values -------------------------------------------------------------------------------------


def _show(ftype: FieldType, value: Any) -> str:
    if isinstance(ftype, UInt):
        return f"0x{value:x}" if ftype.hex else str(value)
    if isinstance(ftype, Enumeration):
        return str(value)
    if isinstance(ftype, TileType):
        return f"({value.col},{value.row})"
    if isinstance(ftype, LockSlots):
        side = (lambda lock: f"{lock.side}.") if ftype.sided else (lambda lock: "")
        return "[" + ",".join(f"{side(lock)}{lock.id}:{lock.value}" for lock in value) + "]"
    if isinstance(ftype, ShapeType):
        return _show_list(value)
    raise TypeError(ftype)


def _show_list(values: tuple[int, ...]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


_INT = r"(?:0x[0-9a-fA-F]+|[0-9]+)"
_TILE = re.compile(rf"\(({_INT}),({_INT})\)$")
_LOCK = re.compile(rf"(?:(src|dst)\.)?({_INT}):({_INT})$")


def _int(text: str) -> int:
    if not re.fullmatch(_INT, text):
        raise ValueError(f"'{text}' is not an integer")
    return int(text, 0)


def _list(text: str) -> tuple[int, ...]:
    if not (text.startswith("[") and text.endswith("]")):
        raise ValueError(f"'{text}' is not a list [a,b,...]")
    inner = text[1:-1]
    return tuple(_int(t) for t in inner.split(",")) if inner else ()


def _read(ftype: FieldType, text: str) -> Any:
    if isinstance(ftype, UInt):
        return _int(text)
    if isinstance(ftype, Enumeration):
        return ftype.enum.parse(text)
    if isinstance(ftype, TileType):
        m = _TILE.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a tile (col,row)")
        return Tile(int(m[1], 0), int(m[2], 0))
    if isinstance(ftype, LockSlots):
        if not (text.startswith("[") and text.endswith("]")):
            raise ValueError(f"'{text}' is not a list of lock uses [...]")
        locks = []
        for item in filter(None, text[1:-1].split(",")):
            m = _LOCK.match(item)
            if not m or bool(m[1]) != ftype.sided:
                form = "side.id:value with side src or dst" if ftype.sided else "id:value"
                raise ValueError(f"'{item}' is not a lock use {form}")
            lock_id, value = int(m[2], 0), int(m[3], 0)
            locks.append(DmaLock(Side.parse(m[1]), lock_id, value) if ftype.sided else Lock(lock_id, value))
        return tuple(locks)
    if isinstance(ftype, ShapeType):
        return _list(text)
    raise TypeError(ftype)


# -- disassembler -------------------------------------------------------------------------------


def disassemble(data: bytes, verify: bool = True) -> str:
    """The listing of the file in `data`.

    Raises `BytecodeError` for a file whose structure is broken and, when `verify`, for one that
    breaks any other rule of the specification.
    """
    rf = RcbFile.from_bytes(data)
    if verify:
        validate(rf)
    return _format(rf, len(data), crc32(data))


def _format(rf: RcbFile, file_size: int, crc: int) -> str:
    m = targets.get(rf.target)
    out = [
        f"; RCB file: {file_size} bytes, CRC-32 0x{crc:08x}",
        _header_line(rf),
        f"; {m.name}: {m.columns} columns x {m.rows} rows, {m.memtile_rows} memory-tile rows",
        "",
    ]
    sizes = rf.section_sizes()
    for kind, offset in rf.sections:
        size, count = sizes[kind]
        counted = f", {count} {_COUNTED[kind][count != 1]}" if kind in _COUNTED else ""
        out.append(_comment(f"section {kind} offset=0x{offset:x}", f"{size} bytes{counted}"))
    names = _Names(rf)
    out += ["", "code"]
    base = rf.section_offset(SectionKind.CODE)
    for i, rec in enumerate(rf.records):
        names_in_order = [f.name for f in dataclasses.fields(rec.kind.cls)]
        text = " ".join([rec.kind.name, *_fields(rec.kind.layout, rec.values, names_in_order)])
        out.append(_comment(f"{i:6d} {text}", f"0x{base + RECORD_SIZE * i:06x}" + _note(rf, rec, names)))
    out += ["", "patterns"]
    for i, p in enumerate(rf.patterns):
        row = f"{i:6d} sizes={_show_list(p.sizes)} strides={_show_list(p.strides)}"
        out.append(_comment(row, f"{p.byte_count} bytes, extent {p.extent()}"))
    out += ["", "directory"]
    for i, row in enumerate(rf.directory):
        values = {**vars(row), "size": len(row.payload), "name": names.show(row.name)}
        out.append(f"{i:6d} " + " ".join(_fields(DIRECTORY_ENTRY, values)))
        for at in range(0, len(row.payload), HEX_PER_LINE):
            out.append("       | " + row.payload[at : at + HEX_PER_LINE].hex(" ", -4))
    out += ["", "bindings"]
    for i, row in enumerate(rf.bindings):
        values = {**vars(row), "name": names.show(row.name)}
        out.append(f"{i:6d} " + " ".join(_fields(BINDING_ENTRY, values)))
    out += ["", "strings"]
    for i, (at, s) in enumerate(zip(rf.string_offsets(), rf.strings)):
        out.append(_comment(f"{i:6d} {json.dumps(s)}", f"0x{at:04x}"))
    return "\n".join(out) + "\n"


_COUNTED = {
    SectionKind.CODE: ("record", "records"),
    SectionKind.PATTERNS: ("pattern", "patterns"),
    SectionKind.DIRECTORY: ("entry", "entries"),
    SectionKind.BINDINGS: ("binding", "bindings"),
    SectionKind.STRINGS: ("string", "strings"),
}


def _header_line(rf: RcbFile) -> str:
    line = f"rcb {MAJOR}.{rf.minor} target={rf.target} ddr_size=0x{rf.ddr_size:x} flags=0x{rf.flags:x}"
    return _comment(line, "host_dispatch") if rf.flags & HOST_DISPATCH else line


def _comment(text: str, note: str) -> str:
    return f"{text:<40} ; {note}"


def _fields(layout: Layout, values: dict[str, Any], names: list[str] | None = None) -> list[str]:
    """``name=value`` for the fields `names` (default: all, in byte order) of `layout`; string
    references are in `values` as the listing shows them."""
    out = []
    for name in [s.name for s in layout.fields] if names is None else names:
        ftype = layout.type(name)
        value = values[name]
        shown = value if isinstance(ftype, Ref) and ftype.table is SectionKind.STRINGS else _show(ftype, value)
        out.append(f"{name}={shown}")
    return out


def _note(rf: RcbFile, rec: RawRecord, names: "_Names") -> str:
    """What a record's comment adds to help a reader: names and sizes behind the indices."""
    v = rec.values
    if rec.kind.name == "write_params" and v["entry"] < len(rf.directory):
        return f" {names.text(rf.directory[v['entry']].name)}"
    if rec.kind.name == "launch":
        kernel = next((k for k in library.KERNELS if k.id == v["kernel"]), None)
        return f" {kernel.name}" if kernel else ""
    if rec.kind.name == "dma_start" and max(v["src_pattern"], v["dst_pattern"]) < len(rf.patterns):
        src, dst = rf.patterns[v["src_pattern"]], rf.patterns[v["dst_pattern"]]
        return f" {src.byte_count} bytes: {src} -> {dst}"
    return ""


class _Names:
    """String-table references as the listing writes them: the JSON string when the offset is
    the first copy of that string, else ``@0x..``."""

    def __init__(self, rf: RcbFile):
        self.first: dict[str, int] = {}
        self.by_offset = dict(zip(rf.string_offsets(), rf.strings))
        for at, s in self.by_offset.items():
            self.first.setdefault(s, at)

    def show(self, offset: int) -> str:
        s = self.by_offset.get(offset)
        return json.dumps(s) if s is not None and self.first[s] == offset else f"@0x{offset:x}"

    def text(self, offset: int) -> str:
        return self.by_offset.get(offset, f"@0x{offset:x}")


# -- assembler ----------------------------------------------------------------------------------

_LEXEME = re.compile(r'\s+|(;.*)|((?:[^\s";]|"(?:[^"\\]|\\.)*")+)')


def _tokens(line: str) -> list[str]:
    """The tokens of a line, up to a comment; quoted strings may hold spaces and ``;``."""
    if '"' not in line:
        return line.split(";", 1)[0].split()
    out, at = [], 0
    while at < len(line):
        m = _LEXEME.match(line, at)
        if m is None:
            raise ValueError(f"unterminated string: {line[at:]}")
        if m[1]:
            break
        if m[2]:
            out.append(m[2])
        at = m.end()
    return out


def assemble(text: str, verify: bool = True, path: str | None = None) -> bytes:
    """The bytes of a listing; `ListingError` for text that does not parse, `BytecodeError`
    when `verify` and the file breaks a rule of the specification."""
    rf = _Parser(path).parse(text)
    data = rf.to_bytes()
    if verify:
        decode(data, path)
    return data


class _Parser:
    def __init__(self, path: str | None):
        self.path = path
        self.header: dict[str, Any] | None = None
        self.sections: list[tuple[SectionKind, int]] = []
        self.rows: dict[str, list] = {block: [] for block in BLOCKS}
        self.block: str | None = None
        self.line = 0

    def error(self, message: str) -> ListingError:
        return ListingError(self.line, message, self.path)

    def parse(self, text: str) -> RcbFile:
        for self.line, line in enumerate(text.splitlines(), 1):
            try:
                tokens = _tokens(line)
                if tokens:
                    self.statement(tokens)
            except ValueError as e:
                if isinstance(e, ListingError):
                    raise
                raise self.error(str(e)) from None
        if self.header is None:
            raise ListingError(self.line, "no 'rcb' header line", self.path)
        return self.file()

    def statement(self, tokens: list[str]) -> None:
        head = tokens[0]
        if head == "rcb":
            self.header_line(tokens)
        elif head == "section":
            self.section_line(tokens)
        elif head in BLOCKS and len(tokens) == 1:
            self.block = head
        elif head == "|":
            if self.block != "directory" or not self.rows["directory"]:
                raise self.error("payload line '|' outside a data-directory entry")
            self.rows["directory"][-1]["payload"].append(bytes.fromhex(" ".join(tokens[1:])))
        elif self.block is None:
            raise self.error(f"'{head}' outside a block; expected rcb, section or one of {', '.join(BLOCKS)}")
        else:
            rows = self.rows[self.block]
            if re.fullmatch(r"[0-9]+", head):
                if int(head) != len(rows):
                    raise self.error(f"row index {head} is not this row's position {len(rows)} in {self.block}")
                tokens = tokens[1:]
            if not tokens:
                raise self.error(f"row {head} is empty")
            rows.append(getattr(self, "row_" + self.block)(tokens))

    def header_line(self, tokens: list[str]) -> None:
        if self.header is not None:
            raise self.error("a second 'rcb' header line")
        if len(tokens) < 2 or not re.fullmatch(r"([0-9]+)\.([0-9]+)", tokens[1]):
            raise self.error("expected 'rcb <major>.<minor> target=<name> ddr_size=<bytes> [flags=<bits>]'")
        major, minor = map(int, tokens[1].split("."))
        if major != MAJOR:
            raise self.error(f"version {tokens[1]}: this assembler writes major version {MAJOR}")
        fields = self.keywords(tokens[2:], ("target", "ddr_size"), optional=("flags",))
        self.header = {"minor": minor, "target": fields["target"], "ddr_size": _int(fields["ddr_size"]),
                       "flags": _int(fields.get("flags", "0"))}

    def section_line(self, tokens: list[str]) -> None:
        if len(tokens) < 2:
            raise self.error("expected 'section <kind> offset=<offset>'")
        kind = SectionKind.parse(tokens[1])
        self.sections.append((kind, _int(self.keywords(tokens[2:], ("offset",))["offset"])))

    def keywords(self, tokens: list[str], names, optional=()) -> dict[str, str]:
        """``name=value`` tokens, exactly one for each of `names`, at most one of `optional`."""
        fields: dict[str, str] = {}
        for token in tokens:
            name, eq, value = token.partition("=")
            if not eq:
                raise self.error(f"expected name=value, got '{token}'")
            if name not in names and name not in optional:
                raise self.error(f"unknown field '{name}'; expected {', '.join((*names, *optional))}")
            if name in fields:
                raise self.error(f"field '{name}' given twice")
            fields[name] = value
        missing = [n for n in names if n not in fields]
        if missing:
            raise self.error(f"missing field{'s' * (len(missing) > 1)} {', '.join(missing)}")
        return fields

    def values(self, layout: Layout, tokens: list[str]) -> dict[str, Any]:
        names = [s.name for s in layout.fields if s.name != "opcode"]
        fields = self.keywords(tokens, names)
        values = {}
        for name in names:
            ftype = layout.type(name)
            is_name = isinstance(ftype, Ref) and ftype.table is SectionKind.STRINGS
            values[name] = fields[name] if is_name else _read(ftype, fields[name])
        return values

    def checked(self, layout: Layout, values: dict[str, Any], what: str) -> None:
        """Refuse, at this line, a value that does not fit its field."""
        try:
            layout.pack({"opcode": 0, **values}, 0, what)
        except BytecodeError as e:
            raise self.error(e.message) from None

    def row_code(self, tokens: list[str]) -> RawRecord:
        kind = BY_NAME.get(tokens[0])
        if kind is None:
            raise self.error(f"unknown record '{tokens[0]}'; records are {', '.join(BY_NAME)}")
        values = self.values(kind.layout, tokens[1:])
        self.checked(kind.layout, values, f"record {len(self.rows['code'])} ({kind.name})")
        return RawRecord(kind, values)

    def row_patterns(self, tokens: list[str]) -> Pattern:
        fields = self.keywords(tokens, ("sizes", "strides"))
        pattern = Pattern(_list(fields["sizes"]), _list(fields["strides"]))
        self.checked(PATTERN_ENTRY, {"pattern": pattern}, f"pattern {len(self.rows['patterns'])}")
        return pattern

    def row_directory(self, tokens: list[str]) -> dict[str, Any]:
        return {**self.values(DIRECTORY_ENTRY, tokens), "payload": [], "line": self.line}

    def row_bindings(self, tokens: list[str]) -> dict[str, Any]:
        return {**self.values(BINDING_ENTRY, tokens), "line": self.line}

    def row_strings(self, tokens: list[str]) -> str:
        if len(tokens) != 1 or not tokens[0].startswith('"'):
            raise self.error("expected one JSON string")
        return json.loads(tokens[0])

    def file(self) -> RcbFile:
        strings = tuple(self.rows["strings"])
        first: dict[str, int] = {}
        for at, s in zip(string_offsets(strings), strings):
            first.setdefault(s, at)
        directory, bindings = [], []
        for i, row in enumerate(self.rows["directory"]):
            self.line, size = row.pop("line"), row.pop("size")
            row["name"] = self.name(row["name"], first)
            row["payload"] = b"".join(row["payload"])
            if size != len(row["payload"]):
                raise self.error(f"size {size} does not match the {len(row['payload'])}-byte payload that follows")
            self.checked(DIRECTORY_ENTRY, {**row, "size": size}, f"data entry {i}")
            directory.append(DirectoryRow(**row))
        for i, row in enumerate(self.rows["bindings"]):
            self.line = row.pop("line")
            row["name"] = self.name(row["name"], first)
            self.checked(BINDING_ENTRY, row, f"binding {i}")
            bindings.append(BindingRow(**row))
        return RcbFile(
            target=self.header["target"],
            ddr_size=self.header["ddr_size"],
            minor=self.header["minor"],
            flags=self.header["flags"],
            sections=tuple(self.sections),
            records=tuple(self.rows["code"]),
            patterns=tuple(self.rows["patterns"]),
            directory=tuple(directory),
            bindings=tuple(bindings),
            strings=strings,
        )

    def name(self, text: str, first: dict[str, int]) -> int:
        """The string-table offset a name written as a JSON string or ``@offset`` stands for."""
        if text.startswith("@"):
            return _int(text[1:])
        try:
            name = json.loads(text)
        except ValueError:
            name = None
        if not isinstance(name, str):
            raise self.error(f"name {text} is neither a JSON string nor @offset")
        if name not in first:
            raise self.error(f"name {text} is not in the string table")
        return first[name]
