"""The IR examples in the docstrings of the rcbc dialects parse and verify.

Docstrings show IR after ``::``. Module docstrings hold whole modules or programs; attribute
docstrings an attribute; rhal op examples may use the values of a small schedule (``%shim``,
``%core``, ``%a``, ``%full``, ...) without defining them (tensor-level examples are functions
that define their values); rcb record examples are placed in a program that declares
``@gap.params`` (unless they are a program).
"""

import re
import textwrap

import pytest

from rcbc.dialects import load_all, rcb, rhal
from rcbc.mlir import ir

TARGET = '#rhal.target<"aie-ml", 38, 11, 2, 65536, 524288, 28>'

# What rhal examples refer to. A builtin.module body is a graph region: order does not matter.
RHAL_VALUES = {
    "shim": '"rhal.tile"() {col = 2, row = 0, kind = "interface"} : () -> !rhal.tile_ref',
    "mem": '"rhal.tile"() {col = 2, row = 1, kind = "memory"} : () -> !rhal.tile_ref',
    "core": '"rhal.tile"() {col = 2, row = 3, kind = "compute"} : () -> !rhal.tile_ref',
    "x": '"rhal.ddr_buffer"() {sym_name = "x", role = "input", size = 4096, address = 0}'
    " : () -> !rhal.buffer_ref",
    "a": '"rhal.buffer"(%core) {sym_name = "a", size = 4096, address = 1024}'
    " : (!rhal.tile_ref) -> !rhal.buffer_ref",
    "b": '"rhal.buffer"(%core) {sym_name = "b", size = 64, address = 5120}'
    " : (!rhal.tile_ref) -> !rhal.buffer_ref",
    "p": '"rhal.buffer"(%core) {sym_name = "p", size = 24, address = 5184}'
    " : (!rhal.tile_ref) -> !rhal.buffer_ref",
    "full": '"rhal.lock"(%core) {id = 0, init = 0} : (!rhal.tile_ref) -> !rhal.lock_ref',
    "empty": '"rhal.lock"(%core) {id = 1, init = 1} : (!rhal.tile_ref) -> !rhal.lock_ref',
}
RHAL_NEEDS_CORE = {"a", "b", "p", "full", "empty"}
RCB_DECLARATION = (
    '"rcb.data"() {sym_name = "gap.params", address = 4160, size = 24,'
    " contents = array<i32: 0, 1024, 16, 8, 8, 5120>} : () -> ()"
)


def literal_blocks(doc: str | None) -> list[str]:
    """The literal blocks (introduced by ``::``) of a docstring, dedented."""
    lines = (doc or "").splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if line.rstrip().endswith("::"):
            indent = len(line) - len(line.lstrip())
            block = []
            for following in lines[i + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) <= indent:
                    break
                block.append(following)
            blocks.append(textwrap.dedent("\n".join(block)).strip())
    return blocks


def in_rhal_module(example: str) -> str:
    defined = set(re.findall(r"%(\w+)\s*[=:]", example))  # results and block arguments
    names = set(re.findall(r"%(\w+)", example)) - defined
    if names & RHAL_NEEDS_CORE:
        names.add("core")
    values = "\n".join(f"%{name} = {RHAL_VALUES[name]}" for name in sorted(names))
    return f"module attributes {{rhal.target = {TARGET}}} {{\n{values}\n{example}\n}}"


def in_rcb_program(example: str) -> str:
    if example.startswith('"rcb.program"'):
        return example
    declaration = "" if example.startswith('"rcb.data"') else RCB_DECLARATION
    end = "" if example.startswith('"rcb.end"') else '"rcb.end"() : () -> ()'
    body = "\n".join((declaration, example, end))
    return f'"rcb.program"() ({{\n{body}\n}}) {{target = {TARGET}}} : () -> ()'


def cases():
    dialects = ((rhal.Rhal, rhal, in_rhal_module), (rcb.Rcb, rcb, in_rcb_program))
    for dialect, module, wrap in dialects:
        for block in literal_blocks(module.__doc__):
            yield pytest.param("module", block, id=f"{dialect.name}")
        for attr in dialect.attributes:
            for block in literal_blocks(attr.__doc__):
                yield pytest.param("attribute", block, id=attr.attr_name)
        for op in dialect.operations:
            blocks = literal_blocks(op.__doc__)
            assert blocks, f"{op.OPERATION_NAME} has no IR example"
            for block in blocks:
                yield pytest.param("module", wrap(block), id=op.OPERATION_NAME)


@pytest.mark.parametrize("kind, text", list(cases()))
def test_example_verifies(kind, text):
    with ir.Context() as ctx, ir.Location.unknown():
        load_all(ctx)
        if kind == "attribute":
            ir.Attribute.parse(text)
        else:
            ir.Module.parse(text).operation.verify()
