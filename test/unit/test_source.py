"""Input sources: splitting at `// -----`, and parsing a chunk with the file's names and lines."""

from __future__ import annotations

import io

import pytest

from rcbc.mlir import ir
from rcbc.source import SourceFile, parse_chunk, read_source, source_name

TEXT = """func.func @a() {
  return
}
// -----
func.func @b() {
  return
}
  // -----  
// ------
func.func @c() {
  return
}"""


def test_chunks_without_splitting_is_the_whole_file():
    (chunk,) = SourceFile("x.mlir", TEXT).chunks(split=False)
    assert (chunk.first_line, "\n".join(chunk.lines)) == (1, TEXT)


def test_chunks_split_at_marker_lines():
    chunks = SourceFile("x.mlir", TEXT).chunks(split=True)
    assert [(c.first_line, len(c.lines)) for c in chunks] == [(1, 3), (5, 3), (9, 4)]
    assert chunks[2].lines[0] == "// ------"  # not a marker: six dashes


def test_marker_lines_at_the_ends_give_empty_chunks():
    chunks = SourceFile("x.mlir", "// -----\nop\n// -----").chunks(split=True)
    assert [c.lines for c in chunks] == [[], ["op"], []]


def test_line():
    source = SourceFile("x.mlir", "a\nb\n")
    assert [source.line(n) for n in (0, 1, 2, 3, 4)] == [None, "a", "b", "", None]


def test_read_source_from_a_file_and_stdin(tmp_path, monkeypatch):
    path = tmp_path / "in.mlir"
    path.write_text("module {}\n")
    assert read_source(str(path)) == SourceFile(str(path), "module {}\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("from stdin"))
    assert read_source("-") == SourceFile("<stdin>", "from stdin")
    with pytest.raises(FileNotFoundError):
        read_source(str(tmp_path / "missing.mlir"))


def test_source_name_maps_the_parsers_name():
    source = SourceFile("model.mlir", "")
    assert source_name("-", source) == "model.mlir"
    assert source_name("other.py", source) == "other.py"


def printed_with_locations(module: ir.Module) -> str:
    return module.operation.get_asm(enable_debug_info=True)


def test_parse_chunk_locations_name_the_file_with_its_line_numbers():
    source = SourceFile("dir/x.mlir", TEXT)
    with ir.Context() as context:
        module = parse_chunk(source.chunks(split=True)[1], context)
        text = printed_with_locations(module)
    assert 'loc("dir/x.mlir":5:1)' in text  # func.func @b
    assert 'loc("dir/x.mlir":6:3)' in text  # its return
    assert '"-"' not in text


def test_parse_chunk_renames_nested_locations_and_block_arguments():
    text = (
        "func.func @f(%a: i32) -> i32 {\n"
        '  %0 = arith.addi %a, %a : i32 loc(fused["n"("-":9:9), callsite("-":1:1 at "k":2:2)])\n'
        "  return %0 : i32\n"
        "}"
    )
    with ir.Context() as context:
        module = parse_chunk(SourceFile("y.mlir", text).chunks(split=False)[0], context)
        func = module.body.operations[0]
        argument = func.regions[0].blocks[0].arguments[0]
        assert str(argument.location) == 'loc("y.mlir":1:14)'
        addi = func.regions[0].blocks[0].operations[0]
        assert str(addi.location) == (
            'loc(fused["n"("y.mlir":9:9), callsite("y.mlir":1:1 at "k":2:2)])'
        )


def test_parse_chunk_errors_carry_the_files_line_numbers():
    source = SourceFile("x.mlir", "// -----\n\nfunc.func @f() {\n  bogus\n}")
    with ir.Context() as context:
        with pytest.raises(ir.MLIRError) as e:
            parse_chunk(source.chunks(split=True)[1], context)
    (diagnostic,) = e.value.error_diagnostics
    assert str(diagnostic.location) == 'loc("-":4:3)'
