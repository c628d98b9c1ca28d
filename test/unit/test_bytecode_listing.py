"""The listing: what `disassemble` prints, what `assemble` accepts, and its error messages."""

import dataclasses
from pathlib import Path

import pytest

from rcbc.bytecode import BytecodeError, ListingError, assemble, decode, disassemble
from rcbc.bytecode.codec import build
from rcbc.bytecode.program import LockRelease, Tile

CORPUS = Path(__file__).resolve().parents[2] / "test" / "Bytecode" / "corpus"
FILE = (CORPUS / "valid" / "all-records.rcb").read_bytes()
LISTING = disassemble(FILE)


def edited(old: str, new: str) -> str:
    assert old in LISTING, old
    return LISTING.replace(old, new, 1)


def line_of(text: str) -> int:
    """The 1-based line where `text` (without a leading newline) starts in the listing."""
    return LISTING[: LISTING.index(text) + text.startswith("\n")].count("\n") + 1


def test_indices_and_comments_are_optional_and_fields_may_come_in_any_order():
    lines = []
    for line in LISTING.splitlines():
        text = line.split(";")[0].strip()
        head, _, rest = text.partition(" ")
        if head.isdigit() and "=" in rest:
            name, *fields = rest.split()
            text = " ".join([name, *reversed(fields)]) if "=" not in name else " ".join(reversed(rest.split()))
        lines.append(text)
    assert assemble("\n".join(lines)) == FILE


def test_an_edited_value_is_assembled():
    data = assemble(edited("lock_release tile=(2,1) id=1 value=1", "lock_release tile=(2,1) id=1 value=3"))
    assert decode(data).records[11] == LockRelease(Tile(2, 1), 1, 3)


def test_a_name_that_is_not_the_first_copy_of_its_string_is_written_as_an_offset():
    # a valid file whose string table ends with a second "x", which binding 0 names
    rf = build(decode(FILE))
    second_x = len(rf.string_table())
    rf = dataclasses.replace(
        rf,
        strings=(*rf.strings, "x"),
        bindings=(dataclasses.replace(rf.bindings[0], name=second_x), *rf.bindings[1:]),
    ).placed()
    data = rf.to_bytes()
    decode(data)
    listing = disassemble(data)
    assert f"name=@0x{second_x:x} offset=0x100" in listing
    assert assemble(listing) == data


def test_disassembling_without_verification_shows_a_file_that_breaks_a_record_rule():
    broken = (CORPUS / "malformed" / "tile-column.rcb").read_bytes()
    with pytest.raises(BytecodeError, match="tile-outside-array"):
        disassemble(broken)
    listing = disassemble(broken, verify=False)
    assert "configure_tile tile=(38,3)" in listing
    assert assemble(listing, verify=False) == broken


def test_a_structurally_broken_file_cannot_be_listed():
    with pytest.raises(BytecodeError, match="crc-mismatch"):
        disassemble((CORPUS / "malformed" / "crc-mismatch.rcb").read_bytes(), verify=False)


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("     8 wait", "     8 wiat", "unknown record 'wiat'; records are configure_tile,"),
        ("id=1 value=1 ;", "id=1 ;", "missing field value"),
        ("barrier ", "barrier color=red ", "unknown field 'color'; expected "),
        ("tile=(2,3) offset=0x800", "tile=(2,3) tile=(2,3) offset=0x800",
         "field 'tile' given twice"),
        ("tile=(2,3) offset=0x800", "tile=2,3 offset=0x800", "'2,3' is not a tile (col,row)"),
        ("acquires=[src.0:1]", "acquires=[0:1]", "'0:1' is not a lock use side.id:value"),
        ("direction=s2mm", "direction=up", "unknown DMA direction 'up'; expected one of s2mm, mm2s"),
        ("    12 barrier", "    11 barrier", "row index 11 is not this row's position 12 in code"),
        ("offset=0x800 entry=1", "offset=0x100000000 entry=1",
         "record 3 (write_params): field offset = 4294967296 does not fit u32 (0..4294967295)"),
        ("lock_acquire tile=(2,1) id=1", "lock_acquire tile=(2,1) id=x1", "'x1' is not an integer"),
        ('name="x"', 'name="z"', 'name "z" is not in the string table'),
        ("size=24 dtype=u8", "size=28 dtype=u8", "size 28 does not match the 24-byte payload that follows"),
        ('"pool.params"   ', '"pool.params   ', "unterminated string"),
        ("section image offset=0x3c0", "section picture offset=0x3c0",
         "unknown section kind 'picture'; expected one of code, patterns, directory, bindings, strings, image"),
        ("rcb 1.0", "rcb 2.0", "version 2.0: this assembler writes major version 1"),
        ("\ncode\n", "\n", "'0' outside a block; expected rcb, section or one of code,"),
    ],
)
def test_listing_errors_name_the_line(old, new, message):
    with pytest.raises(ListingError) as e:
        assemble(edited(old, new), path="prog.lst")
    assert str(e.value).startswith(f"prog.lst:{line_of(old)}: {message}"), str(e.value)


def test_a_listing_needs_its_header_line():
    with pytest.raises(ListingError, match="listing:1: no 'rcb' header line"):
        assemble("code\n")


def test_a_listing_that_parses_is_still_validated():
    with pytest.raises(BytecodeError) as e:
        assemble(edited("configure_tile tile=(2,3)", "configure_tile tile=(2,30)"), path="prog.lst")
    assert str(e.value) == (
        "prog.lst: byte 0x102: tile-outside-array: record 2 (configure_tile): tile (2,30): "
        "row 30 is outside aie-ml's rows 0..10"
    )


def test_payload_lines_belong_to_a_data_entry():
    with pytest.raises(ListingError, match=r"listing:\d+: payload line '\|' outside a data-directory entry"):
        assemble(edited("\nbindings\n", "\nbindings\n | 00\n"))
