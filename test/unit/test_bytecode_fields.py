"""The encoder refuses every value that does not fit its field, naming it (rule field-overflow).

One case per field type of `rcbc.bytecode.layout`, packed at a known file offset; and the
refusals that reach `encode` (the ones validation does not catch first).
"""

import pytest

from rcbc.bytecode import BytecodeError, encode
from rcbc.bytecode.layout import (
    BINDING_ENTRY,
    BY_NAME,
    DIRECTORY_ENTRY,
    PATTERN_ENTRY,
)
from rcbc.bytecode.program import (
    Direction,
    DmaLock,
    DmaStart,
    DType,
    End,
    IoDirection,
    Lock,
    Pattern,
    Program,
    Side,
    Tile,
)

BASE = 0x100  # where the structure is packed, as if in a file

DMA = dict(
    src=Tile(2, 0), src_channel=0, dst=Tile(2, 3), dst_channel=0, src_offset=0, dst_offset=1024,
    src_pattern=0, dst_pattern=0, acquires=(), releases=(),
)
LAUNCH = dict(tile=Tile(2, 3), kernel=1, params=2048, acquires=(), releases=())
WAIT = dict(tile=Tile(2, 0), direction=Direction.MM2S, channel=0)
ENTRY = dict(name=0, offset=0, size=4, dtype=DType.F32, shape=(1,))
BINDING = dict(name=0, offset=0, size=4, direction=IoDirection.INPUT, dtype=DType.F32, shape=(1,))

CASES = [
    # (id, layout, good values, changed field and value, offset of the field, message)
    ("u8", BY_NAME["dma_start"].layout, DMA, ("src_channel", 256), 3,
     "record 9 (dma_start): field src_channel = 256 does not fit u8 (0..255)"),
    ("negative", BY_NAME["dma_start"].layout, DMA, ("dst_channel", -1), 6,
     "field dst_channel = -1 does not fit u8"),
    ("u16", BY_NAME["launch"].layout, LAUNCH, ("kernel", 65536), 4,
     "field kernel = 65536 does not fit u16 (0..65535)"),
    ("u32", BY_NAME["dma_start"].layout, DMA, ("src_offset", 2**32), 8,
     "record 9 (dma_start): field src_offset = 4294967296 does not fit u32 (0..4294967295)"),
    ("pattern-ref", BY_NAME["dma_start"].layout, DMA, ("dst_pattern", 70000), 18,
     "field dst_pattern = 70000 does not fit u16"),
    ("tile-col", BY_NAME["launch"].layout, LAUNCH, ("tile", Tile(256, 3)), 1,
     "field tile col = 256 does not fit u8"),
    ("tile-row", BY_NAME["launch"].layout, LAUNCH, ("tile", Tile(2, 300)), 2,
     "field tile row = 300 does not fit u8"),
    ("lock-count", BY_NAME["dma_start"].layout, DMA, ("acquires", (DmaLock(Side.SRC, 0, 1),) * 3), 20,
     "3 acquires do not fit: the record holds at most 2"),
    ("lock-id", BY_NAME["dma_start"].layout, DMA, ("releases", (DmaLock(Side.DST, 0, 1), DmaLock(Side.DST, 256, 1))), 30,
     "field releases[1] id = 256 does not fit u8"),
    ("lock-value", BY_NAME["launch"].layout, LAUNCH, ("acquires", (Lock(1, 1000),)), 13,
     "field acquires[0] value = 1000 does not fit u8"),
    ("lock-side", BY_NAME["dma_start"].layout, DMA, ("acquires", (DmaLock(2, 0, 1),)), 20,
     "acquires[0] side 2 is not a lock side"),
    ("enum", BY_NAME["wait"].layout, WAIT, ("direction", 1), 3, "field direction = 1 is not a DMA direction"),
    ("shape-rank", DIRECTORY_ENTRY, ENTRY, ("shape", (1, 1, 1, 1, 1)), 14,
     "data entry 9: shape of rank 5 does not fit: at most 4 dims"),
    ("shape-dim", BINDING_ENTRY, BINDING, ("shape", (1, 2**32)), 20,
     "field shape[1] = 4294967296 does not fit u32"),
    ("string-ref", BINDING_ENTRY, BINDING, ("name", 2**32), 0, "field name = 4294967296 does not fit u32"),
]


@pytest.mark.parametrize("layout, values, change, offset, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_value_that_does_not_fit_its_field_is_refused(layout, values, change, offset, message):
    layout.pack({"opcode": 0, **values}, BASE, "ok")  # the good values fit
    owner = "data entry 9" if layout is DIRECTORY_ENTRY else f"record 9 ({layout.name})"
    with pytest.raises(BytecodeError) as e:
        layout.pack({"opcode": 0, **values, change[0]: change[1]}, BASE, owner)
    assert e.value.rule in ("field-overflow", "bad-direction", "bad-lock-slot")
    assert e.value.offset == BASE + offset
    assert message in e.value.message


@pytest.mark.parametrize(
    "pattern, offset, message",
    [
        (Pattern((1,) * 5, (1,) * 5), 0, "pattern 9: pattern of 5 dims does not fit: at most 4"),
        (Pattern((4, 2**32), (4, 1)), 8, "field sizes[1] = 4294967296 does not fit u32"),
        (Pattern((4, 4), (2**33, 1)), 20, "field strides[0] = 8589934592 does not fit u32"),
    ],
)
def test_a_pattern_that_does_not_fit_its_entry_is_refused(pattern, offset, message):
    with pytest.raises(BytecodeError) as e:
        PATTERN_ENTRY.pack({"pattern": pattern}, BASE, "pattern 9")
    assert (e.value.rule, e.value.offset) == ("field-overflow", BASE + offset)
    assert message in e.value.message


def test_encode_refuses_a_ddr_size_beyond_u32():
    with pytest.raises(BytecodeError) as e:
        encode(Program("aie-ml", 2**32, (End(),)))
    assert (e.value.rule, e.value.offset) == ("field-overflow", 32)
    assert str(e.value) == (
        "byte 0x20: field-overflow: header: field ddr_size = 4294967296 does not fit u32 (0..4294967295)"
    )


def test_encode_refuses_more_lock_uses_than_a_record_holds():
    three = tuple(DmaLock(Side.DST, i, 1) for i in range(3))
    move = DmaStart(
        src=Tile(2, 0), src_channel=0, src_offset=0, src_pattern=Pattern.contiguous(64),
        dst=Tile(2, 3), dst_channel=0, dst_offset=1024, dst_pattern=Pattern.contiguous(64),
        releases=three,
    )
    with pytest.raises(BytecodeError) as e:
        encode(Program("aie-ml", 4096, (move, End())))
    assert str(e.value) == (
        "byte 0xda: field-overflow: record 0 (dma_start): 3 releases do not fit: the record holds at most 2"
    )
