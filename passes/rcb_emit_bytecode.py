"""rcb-emit-bytecode: the final pass; encodes the `rcb.program` as an RCB file."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import ClassVar, Literal

from rcbc.bytecode import disassemble
from rcbc.bytecode.from_ir import EmitError, emit, find_program, weight_store
from rcbc.bytecode.layout import HEADER_SIZE, RECORD_SIZE, SectionKind
from rcbc.bytecode.rcbfile import RcbFile
from rcbc.mlir import ir
from rcbc.registry import ModulePass, option

HEX_LINE = RECORD_SIZE
"""Bytes per line of the hex dump: one line per record in the code section."""


def hexdump(data: bytes) -> str:
    """The bytes of an RCB file, 32 to a line in 4-byte groups, each line commented with what it
    holds: the header, the section table, one record per line of the code, then the first line
    of each other section::

        000000: 52434201 0000...                                        ; header
        0000c0: 01020000 00000000 ...                                   ; record 0 configure_tile
    """
    rf = RcbFile.from_bytes(data)
    starts = {offset: kind for kind, offset in rf.sections}
    code = rf.section_offset(SectionKind.CODE)
    lines = []
    for at in range(0, len(data), HEX_LINE):
        line = f"{at:06x}: " + data[at : at + HEX_LINE].hex(" ", -4)
        if at == 0:
            note = "header"
        elif at == HEADER_SIZE:
            note = "section table"
        elif code <= at < code + RECORD_SIZE * len(rf.records):
            index = (at - code) // RECORD_SIZE
            note = f"record {index} {rf.records[index].kind.name}"
        else:
            note = str(starts.get(at, ""))
        lines.append(f"{line:<79} ; {note}" if note else line)
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class EmitBytecode(ModulePass):
    """Encode the module's `rcb.program` as an RCB file (``docs/rcb-bytecode.md``).

    The last pass of the pipeline. It reads the one `rcb.program` of the module into a
    `rcbc.bytecode.program.Program` (`rcbc.bytecode.from_ir`), taking each weight's bytes from
    the weight store, and encodes it; the encoder checks every rule of the specification first.
    The module is left unchanged. The store is the module's ``rcbc.weight_store`` attribute, a
    file name relative to the IR file, resolved against `store-dir`; `weights` names a store
    file directly instead. A program without weights needs no store.

    Like MLIR's printing passes, it writes its result beside the IR rather than into it: with
    `output`, the file's bytes go there and nothing is printed; without it, the listing (as
    ``rcbc disasm`` prints it, so it assembles back with ``rcbc asm``) or, with ``format=hex``,
    an annotated hex dump (one record per line) goes to stdout, ahead of the IR that
    ``rcbc-opt`` prints afterwards (``-o /dev/null`` drops the IR)::

        rcbc-opt prog.rcb.mlir --rcb-emit-bytecode='output=prog.rcb' -o /dev/null
        rcbc-opt prog.rcb.mlir --rcb-emit-bytecode -o /dev/null          # the listing

    For the program::

        "rcb.program"() ({
          "rcb.configure_tile"() {col = 2 : i64, row = 3 : i64} : () -> ()
          "rcb.end"() : () -> ()
        }) {target = #rhal.target<"aie-ml", 38 : i64, 11 : i64, 2 : i64, 65536 : i64,
                                  524288 : i64, 28 : i64>} : () -> ()

    ``--rcb-emit-bytecode=format=hex`` prints (header and section table elided)::

        0000c0: 01020300 00000000 00000000 00000000 ... 00000000 ; record 0 configure_tile
        0000e0: ff000000 00000000 00000000 00000000 ... 00000000 ; record 1 end

    An error — a weight missing from the store or of the wrong size, a record the encoder
    rejects (a DDR transfer past the program's DDR, a value too wide for its field) — is
    reported at the rcb op concerned, with the rule and the numbers.
    """

    argument: ClassVar[str] = "rcb-emit-bytecode"
    output: str = option("", "write the RCB file here instead of printing (default: print)")
    format: Literal["listing", "hex"] = option("listing", "what to print without output")
    store_dir: str = option(".", "directory the module's rcbc.weight_store is relative to")
    weights: str = option("", "weight store file, instead of the module's rcbc.weight_store")

    def run(self, module: ir.Operation) -> None:
        try:
            store = weight_store(module, self.store_dir, self.weights or None)
            _, data = emit(find_program(module), store)
        except EmitError as e:
            self.fail(e.op, f"rcb-emit-bytecode: {e.message}")
        if self.output:
            try:
                with open(self.output, "wb") as f:
                    f.write(data)
            except OSError as e:
                self.fail(module, f"rcb-emit-bytecode: cannot write {self.output}: {e.strerror}")
            return
        sys.stdout.write(disassemble(data) if self.format == "listing" else hexdump(data))
        sys.stdout.flush()
