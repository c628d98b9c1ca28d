"""RCB bytecode: the program model, the byte format, validation and the text listing.

The flat, relocatable file the compiler emits and the engines run (specification:
``docs/rcb-bytecode.md``), in one concept per module:

- `program` — the in-memory `Program` and its records, with patterns and names resolved;
- `layout` — every byte layout of the format, declared once;
- `rcbfile` — a file as stored (`RcbFile`), its bytes and their structural checks;
- `validate` — the rules that need the target: tiles, channels, locks, patterns, bounds;
- `codec` — `encode` a program to bytes, `decode` bytes to a program;
- `listing` — `disassemble` to text and `assemble` back to identical bytes (the ``rcbc disasm``
  and ``rcbc asm`` commands).

Every rule a file or program breaks raises `BytecodeError` with the byte offset and rule id.
"""

from rcbc.bytecode.codec import decode, encode, load
from rcbc.bytecode.errors import BytecodeError
from rcbc.bytecode.listing import ListingError, assemble, disassemble

__all__ = ["BytecodeError", "ListingError", "assemble", "decode", "disassemble", "encode", "load"]
