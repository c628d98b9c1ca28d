"""Byte-exact encodings of every record kind and of a whole minimal file (spec sections 4–5)."""

import pytest

from rcbc.bytecode import decode, encode
from rcbc.bytecode.program import (
    Barrier,
    ConfigureTile,
    DataEntry,
    Direction,
    DmaLock,
    DmaStart,
    DType,
    End,
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
from rcbc.bytecode.rcbfile import FIRST_SECTION

CORE, SHIM = Tile(2, 3), Tile(2, 0)

GOLDEN = [
    # opcode, col, row
    (ConfigureTile(CORE), "01 0203 00" + "00" * 28),
    # opcode, col, row, pad, offset u32 = 0x800, entry u32 = 0
    (WriteParams(CORE, 0x800, "p"), "02 0203 00 00080000 00000000" + "00" * 20),
    (
        DmaStart(
            src=SHIM, src_channel=1, src_offset=0x1000, src_pattern=Pattern((16, 64), (128, 1)),
            dst=CORE, dst_channel=0, dst_offset=0x400, dst_pattern=Pattern.contiguous(1024),
            acquires=(DmaLock(Side.DST, 0, 1),),
            releases=(DmaLock(Side.SRC, 1, 2), DmaLock(Side.DST, 3, 1)),
        ),
        # opcode; src col row channel; dst col row channel; pad; src offset; dst offset;
        # src pattern 0, dst pattern 1; acquires (dst 0 1)(unused); releases (src 1 2)(dst 3 1)
        "10 020001 020300 00 00100000 00040000 0000 0100 010001 000000 000102 010301",
    ),
    (
        Launch(CORE, 4, 0x800, acquires=(Lock(0, 1), Lock(2, 1)), releases=(Lock(1, 1),)),
        # opcode; col row; pad; kernel u16; pad u16; params; 4 acquires; 4 releases; pad
        "20 0203 00 0400 0000 00080000 0001 0201 0000 0000 0101 0000 0000 0000 00000000",
    ),
    (LockAcquire(CORE, 5, 2), "30 0203 05 02" + "00" * 27),
    (LockRelease(CORE, 5, 2), "31 0203 05 02" + "00" * 27),
    (Wait(SHIM, Direction.MM2S, 1), "40 0200 01 01" + "00" * 27),
    (WaitCore(CORE), "41 0203" + "00" * 29),
    (Barrier(), "42" + "00" * 31),
    (End(), "ff" + "00" * 31),
]

PROGRAM = Program(
    "aie-ml", 0x10000, tuple(r for r, _ in GOLDEN),
    data=(DataEntry("p", 0, DType.U8, (24,), bytes(24)),),
)


@pytest.mark.parametrize("index", range(len(GOLDEN)), ids=[type(r).__name__ for r, _ in GOLDEN])
def test_record_encoding(index):
    data = encode(PROGRAM)
    at = FIRST_SECTION + 32 * index
    assert data[at : at + 32].hex() == GOLDEN[index][1].replace(" ", "")


def test_every_opcode_has_a_golden_encoding():
    from rcbc.bytecode.layout import RECORD_KINDS

    assert {type(r) for r, _ in GOLDEN} == {k.cls for k in RECORD_KINDS}


MINIMAL = (
    # header: magic, major 1, minor 0, CRC, file size 256, target 1 (aie-ml), 38 columns,
    # 11 rows, 2 memory-tile rows, reserved, 65536, 524288, ddr_size 0, flags 0, 6 sections
    "52434201 0100 0000 0cc214ec 00010000 0100 26 0b 02 000000 00000100 00000800 00000000"
    " 00000000 0600" + "00" * 22
    # section table: kind, offset, size, count: the code at 192 (one record), the other
    # sections empty at 256, the file's end
    + " 01000000 c0000000 20000000 01000000"
    + "".join(f" 0{k}000000 00010000 00000000 00000000" for k in range(2, 7))
    + "00" * 32  # up to the code at 192
    + " ff" + "00" * 31  # end
    + "00" * 32  # up to the next multiple of 64, where the empty sections sit
)


def test_minimal_file_is_byte_exact():
    program = Program("aie-ml", 0, (End(),))
    data = encode(program)
    assert data.hex() == MINIMAL.replace(" ", "")
    assert decode(data) == program
