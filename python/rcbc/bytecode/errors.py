"""The one error of the bytecode module: a file (or a program being encoded) breaks a rule.

Every `BytecodeError` names the byte offset in the file of the field at fault, a short stable rule
id from the specification (``docs/rcb-bytecode.md`` section 6) and a message with the record, the
field, the value and the limit::

    prog.rcb: byte 0x172: pattern-out-of-bounds: record 5 (dma_start): dst pattern extent 65664
    at offset 0xff80 exceeds the 65536 bytes of compute tile (2,3)

The rule ids are a contract: the C engine reports the same ones for the malformed-file corpus
under ``test/Bytecode/corpus``.
"""

from __future__ import annotations


class BytecodeError(ValueError):
    """A broken rule of the RCB format, at a byte offset of the file."""

    def __init__(self, rule: str, offset: int, message: str, path: str | None = None):
        super().__init__(message)
        self.rule = rule
        self.offset = offset
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = f"byte 0x{self.offset:x}: {self.rule}: {self.message}"
        return f"{self.path}: {where}" if self.path else where
