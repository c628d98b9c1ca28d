"""Input sources: a file as the user named it, its ``// -----`` chunks, and parsing a chunk.

MLIR's Python parser names every location ``"-"`` and counts lines from the start of the string
it is given. `parse_chunk` makes the IR of a chunk carry the user's file name and the line
numbers of the whole file instead, so that diagnostics, ``expected-error`` designators and
``--mlir-print-debuginfo`` all agree with ``mlir-opt``::

    source = read_source("model.mlir")
    for chunk in source.chunks(split=True):
        module = parse_chunk(chunk, context)   # locations: loc("model.mlir":<line>:<col>)
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

from rcbc.mlir import ir

SPLIT_MARKER = "// -----"
STDIN_NAME = "<stdin>"
PARSER_FILE_NAME = "-"  # the file name the bindings' parser gives every location


@dataclass(frozen=True)
class SourceFile:
    """The text of an input and the name diagnostics call it by."""

    name: str
    text: str

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line(self, number: int) -> str | None:
        """Line `number` (1-based) without its newline, or None past the end."""
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else None

    def chunks(self, split: bool) -> list[Chunk]:
        """The whole file as one chunk, or its pieces between ``// -----`` marker lines."""
        lines = self.lines
        if not split:
            return [Chunk(self, 1, lines)]
        chunks, start = [], 0
        for index, line in enumerate(lines):
            if line.strip() == SPLIT_MARKER:
                chunks.append(Chunk(self, start + 1, lines[start:index]))
                start = index + 1
        chunks.append(Chunk(self, start + 1, lines[start:]))
        return chunks


@dataclass(frozen=True)
class Chunk:
    """Consecutive lines of a source file, the first of them being line `first_line`."""

    source: SourceFile
    first_line: int
    lines: list[str]


def read_source(path: str) -> SourceFile:
    """The file at `path`, or standard input for ``-``. Raises OSError or UnicodeDecodeError."""
    if path == "-":
        return SourceFile(STDIN_NAME, sys.stdin.read())
    with open(path, encoding="utf-8") as f:
        return SourceFile(path, f.read())


def parse_chunk(chunk: Chunk, context: ir.Context) -> ir.Module:
    """The module in `chunk`, its locations naming the source file and its own line numbers.

    Raises MLIRError if the text does not parse or verify; the diagnostics then carry line
    numbers of the whole file but the parser's file name, which `source_name` maps.
    """
    padded = "\n" * (chunk.first_line - 1) + "\n".join(chunk.lines)
    module = ir.Module.parse(padded, context)
    _rename_locations(module.operation, chunk.source.name)
    return module


def source_name(file: str, source: SourceFile) -> str:
    """The name to show for a location's `file`: the parser's "-" is the source file."""
    return source.name if file == PARSER_FILE_NAME else file


def _rename_locations(root: ir.Operation, name: str) -> None:
    """Replace the parser's file name with `name` in every op and block-argument location."""

    def visit(op: ir.Operation) -> ir.WalkResult:
        op.location = _renamed(op.location, name)
        for region in op.regions:
            for block in region.blocks:
                for argument in block.arguments:
                    argument.set_location(_renamed(argument.location, name))
        return ir.WalkResult.ADVANCE

    root.walk(visit)


def _renamed(loc: ir.Location, name: str) -> ir.Location:
    context = loc.context
    if isinstance(loc, ir.FileLineColLoc):
        if loc.filename != PARSER_FILE_NAME:
            return loc
        return ir.Location.file(
            name, loc.start_line, loc.start_col, loc.end_line, loc.end_col, context=context
        )
    if isinstance(loc, ir.NameLoc):
        return ir.Location.name(loc.name_str, _renamed(loc.child_loc, name), context=context)
    if isinstance(loc, ir.CallSiteLoc):
        callee, caller = _renamed(loc.callee, name), _renamed(loc.caller, name)
        return ir.Location.callsite(callee, [caller], context=context)
    if isinstance(loc, ir.FusedLoc):
        parts = [_renamed(part, name) for part in loc.locations]
        return ir.Location.fused(parts, loc.metadata, context=context)
    return loc
