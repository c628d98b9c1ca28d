"""convert-rhal-to-rcb and rcb-emit-bytecode: their docstring examples, the data-image room
rhal-allocate leaves, and the summaries rcbc compile prints."""

import doctest
import re

import pytest

from rcbc import pipeline
from rcbc.bytecode import program as P
from rcbc.bytecode import summary
from rcbc.bytecode.codec import encode
from rcbc.context import make_context
from rcbc.mlir import ir
from rcbc.lowering.data_image import align, parameter_image_size
from rcbc.passes.convert_rhal_to_rcb import ConvertRhalToRcb
from rcbc.passes.rcb_emit_bytecode import EmitBytecode, hexdump
from test_doc_examples import literal_blocks


def run_pass(text: str, argument: str) -> str:
    with make_context() as context:
        module = ir.Module.parse(text)
        steps = pipeline.resolve(pipeline.parse_pipeline(f"builtin.module({argument})"))
        steps.build(context).run(module.operation)
        return str(module)


def ops(text: str) -> list[str]:
    """The generic-form ops of IR text, one string each, whitespace normalized, without the
    parts an example elides with ``...``."""
    flat = " ".join(text.split())
    return [m.group(0) for m in re.finditer(r'"rcb\.\w+"\(\) (\{[^{}]*\} )?: \(\) -> \(\)', flat)]


def test_convert_docstring_example_is_what_the_pass_does():
    before, after = literal_blocks(ConvertRhalToRcb.__doc__)
    output = ops(run_pass(before, "convert-rhal-to-rcb"))
    expected = ops(after)
    assert expected and expected == output


def test_emit_docstring_hex_lines_are_what_the_pass_prints(capsys):
    examples = literal_blocks(EmitBytecode.__doc__)
    program, dump = examples[1], examples[2]
    module = "module {\n" + program + "\n}"
    run_pass(module, "rcb-emit-bytecode{format=hex}")
    printed = capsys.readouterr().out.splitlines()
    for line in dump.splitlines():
        offset, _, rest = line.partition(": ")
        head, _, note = rest.partition(" ... ")
        match = next(p for p in printed if p.startswith(offset + ":"))
        assert match.split(": ", 1)[1].startswith(head) and match.endswith(note.split(" ", 1)[1])


@pytest.mark.parametrize(
    "blocks, size",
    [
        ([], 0),
        ([[1] * 6], 64),
        ([[1] * 6, [1] * 6], 64),
        ([[1] * 6, [2] * 30], 192),
        ([[0] * 16], 64),
    ],
)
def test_parameter_image_size_counts_each_distinct_block_once_at_64_bytes(blocks, size):
    assert parameter_image_size(blocks) == size


def test_the_room_allocation_leaves_holds_the_blocks_wherever_the_constants_end():
    """`rhal-allocate` puts I/O at align(constants_end + parameter_image_size); the blocks end
    at or before that, for every end of the constants."""
    blocks = [[1] * 30, [2] * 6, [3] * 9]
    for constants_end in range(0, 256, 4):
        at = constants_end
        for block in blocks:
            at = align(at) + 4 * len(block)
        assert at <= align(constants_end + parameter_image_size(blocks))


def test_hexdump_names_every_record_and_section():
    program = P.Program(
        "aie-ml", 64, (P.ConfigureTile(P.Tile(2, 3)), P.Barrier(), P.End()),
        data=(P.DataEntry("w", 0, P.DType.I8, (4,), bytes(range(4))),),
    )
    lines = hexdump(encode(program)).splitlines()
    notes = [line.split(" ; ")[1] for line in lines if " ; " in line]
    assert notes == [
        "header", "section table", "record 0 configure_tile", "record 1 barrier", "record 2 end",
        "directory", "strings", "image",
    ]
    assert lines[-1] == "0001c0: 00010203".ljust(79) + " ; image"


def test_summary_doctest():
    result = doctest.testmod(summary)
    assert result.attempted and not result.failed


def test_statistics_of_a_program():
    dma = P.DmaStart(
        src=P.Tile(2, 0), src_channel=0, src_offset=0, src_pattern=P.Pattern.contiguous(64),
        dst=P.Tile(2, 3), dst_channel=0, dst_offset=1024, dst_pattern=P.Pattern.contiguous(64),
    )
    program = P.Program(
        "aie-ml", 4096,
        (P.ConfigureTile(P.Tile(2, 0)), P.ConfigureTile(P.Tile(2, 3)), dma, dma, P.End()),
        data=(P.DataEntry("w", 0, P.DType.I8, (64,), bytes(64)),),
        io=(P.IoBinding("x", P.IoDirection.INPUT, P.DType.F32, (16,), 64),),
    )
    assert summary.statistics(program) == [
        "DDR: 4.1 kB (data image 64 B, I/O 64 B, arena and gaps 4.0 kB)",
        "records: 2 configure_tile, 2 dma_start, 1 end",
        "tiles configured: 1 compute, 1 interface",
        "kernel launches: none",
        "bytes moved by DMA: DDR -> compute 128 B",
    ]
