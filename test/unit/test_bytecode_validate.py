"""`encode` checks every rule of spec section 6 before writing a byte (the decoder's side of each
rule is pinned by the corpus, test_bytecode_corpus.py); errors name the record, field, value and
limit, at the byte offset the field would have."""

import dataclasses

import pytest
from rcb_programs import corpus_generator

from rcbc.bytecode import BytecodeError, encode, load
from rcbc.bytecode.program import (
    ConfigureTile,
    DataEntry,
    DmaLock,
    DType,
    Pattern,
    Side,
    Tile,
    WriteParams,
)

BASE = corpus_generator().all_records()


def changed(**changes):
    records = list(BASE.records)
    for key in [k for k in changes if k.startswith("record")]:
        index = int(key[6:])
        records[index] = changes.pop(key)(records[index])
    return dataclasses.replace(BASE, records=tuple(records), **changes)


def refusal(program) -> BytecodeError:
    with pytest.raises(BytecodeError) as e:
        encode(program)
    return e.value


def test_a_pattern_past_its_tile_memory():
    e = refusal(changed(record5=lambda r: dataclasses.replace(r, dst_offset=0xFF80)))
    assert str(e) == (
        "byte 0x172: pattern-out-of-bounds: record 5 (dma_start): dst pattern extent 65664 at "
        "offset 0xff80 exceeds the 65536 bytes of compute tile (2,3)"
    )


def test_a_channel_the_tile_does_not_have():
    e = refusal(changed(record4=lambda r: dataclasses.replace(r, src_channel=7)))
    assert str(e) == (
        "byte 0x143: channel-out-of-range: record 4 (dma_start): src_channel 7 is out of range: "
        "interface tile (2,0) has 2 mm2s channels"
    )


def test_a_tile_outside_the_array():
    e = refusal(changed(record2=lambda r: ConfigureTile(Tile(40, 3))))
    assert (e.rule, e.offset) == ("tile-outside-array", 0x101)
    assert e.message == "record 2 (configure_tile): tile (40,3): column 40 is outside aie-ml's columns 0..37"


def test_a_lock_the_tile_does_not_have():
    e = refusal(changed(record5=lambda r: dataclasses.replace(r, acquires=(DmaLock(Side.SRC, 70, 1),))))
    assert e.message == (
        "record 5 (dma_start): acquires[0] id 70 is out of range: memory tile (2,1) has 64 locks"
    )


def test_a_write_params_naming_no_data_entry():
    e = refusal(changed(record3=lambda r: dataclasses.replace(r, entry="conv9.params")))
    assert str(e) == (
        "byte 0x128: unknown-entry: record 3 (write_params): entry 'conv9.params' is not a data "
        "entry of the program"
    )


def test_a_pattern_the_dma_cannot_walk():
    e = refusal(changed(record7=lambda r: dataclasses.replace(r, src_pattern=Pattern((4, 4), (6, 1)),
                                                                dst_pattern=Pattern.contiguous(16))))
    assert (e.rule, e.message) == (
        "pattern-granularity",
        "pattern 2 (record 7 src_pattern): strides[0] = 6 is not a multiple of 4 bytes",
    )


def test_overlapping_data_entries():
    moved = dataclasses.replace(BASE.data[1], offset=0)
    e = refusal(changed(data=(BASE.data[0], moved)))
    assert e.rule == "entry-overlap"


def test_a_data_entry_whose_payload_does_not_match_its_shape():
    short = DataEntry("conv1.weight", 0, DType.F32, (16, 4), bytes(64))
    e = refusal(changed(data=(short, BASE.data[1])))
    assert e.message == "data entry 0: size 64 is not the 256 bytes of f32[16,4]"


def test_parameters_written_past_a_memory_tile():
    e = refusal(changed(record3=lambda r: WriteParams(Tile(2, 1), 0x7FFF0, "pool.params")))
    assert e.message == (
        "record 3 (write_params): data entry 1 at 0x7fff0..0x80008 exceeds the 524288 bytes of "
        "memory tile (2,1)"
    )


def test_load_names_the_file(tmp_path):
    path = tmp_path / "prog.rcb"
    path.write_bytes(b"RCB\x01" + bytes(30))
    with pytest.raises(BytecodeError) as e:
        load(path)
    assert str(e.value) == f"{path}: byte 0x22: truncated: file has 34 bytes; the header alone is 64"
