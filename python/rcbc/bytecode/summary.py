"""What a program holds, in figures: the file's sections, the DDR layout, records and tiles.

    >>> from rcbc.bytecode import program as P
    >>> p = P.Program("aie-ml", ddr_size=4096, records=(P.Barrier(), P.End()))
    >>> sections(p).split(", ")[:3]
    ['code 64 B (2 records)', 'patterns 0 B (0)', 'directory 0 B (0 entries)']

Everything here is read from the program alone (`rcbc compile` prints it for the program it
wrote); nothing is modeled or measured.
"""

from __future__ import annotations

import collections

from rcbc.bytecode import program as P
from rcbc.bytecode.codec import build
from rcbc.bytecode.layout import BY_CLASS, SectionKind
from rcbc.kernels import library

_SECTIONS = {  # name, and what its entries are called (singular, plural) if it counts them
    SectionKind.CODE: ("code", ("record", "records")),
    SectionKind.PATTERNS: ("patterns", ("", "")),
    SectionKind.DIRECTORY: ("directory", ("entry", "entries")),
    SectionKind.BINDINGS: ("bindings", ("", "")),
    SectionKind.STRINGS: ("strings", None),
    SectionKind.IMAGE: ("data image", None),
}


def size(n: float) -> str:
    """A byte count for people: ``812 B``, ``9.4 kB``, ``11.7 MB``."""
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def sections(program: P.Program) -> str:
    """The size of each section of the program's file, and its count of entries."""
    parts = []
    for kind, (nbytes, count) in sorted(build(program).section_sizes().items()):
        name, counted = _SECTIONS[kind]
        if counted is None:
            parts.append(f"{name} {size(nbytes)}")
        else:
            noun = counted[count != 1]
            parts.append(f"{name} {size(nbytes)} ({count}{' ' * bool(noun)}{noun})")
    return ", ".join(parts)


def statistics(program: P.Program) -> list[str]:
    """Lines describing the program: DDR layout, records by kind, tiles, kernels, transfers."""
    m = program.machine
    image = max((e.offset + e.size for e in program.data), default=0)
    io = sum(b.size for b in program.io)
    records = collections.Counter(BY_CLASS[type(r)].name for r in program.records)
    tiles = collections.Counter(
        m.kind_of(r.tile.row) for r in program.records if isinstance(r, P.ConfigureTile)
    )
    kernels = collections.Counter(
        library.by_id(r.kernel).name for r in program.records if isinstance(r, P.Launch)
    )
    moved = collections.Counter()
    for r in program.records:
        if isinstance(r, P.DmaStart):
            route = f"{m.kind_of(r.src.row)} -> {m.kind_of(r.dst.row)}"
            moved[route] += r.src_pattern.byte_count
    lines = [
        f"DDR: {size(program.ddr_size)} (data image {size(image)}, I/O {size(io)}, "
        f"arena and gaps {size(program.ddr_size - image - io)})",
        "records: " + _counts(records),
        "tiles configured: " + (_counts(tiles) or "none"),
        "kernel launches: " + (_counts(kernels) or "none"),
    ]
    if moved:
        routes = ", ".join(
            f"{route.replace('interface', 'DDR')} {size(n)}" for route, n in sorted(moved.items())
        )
        lines.append(f"bytes moved by DMA: {routes}")
    return lines


def _counts(counter: collections.Counter) -> str:
    """``3 dma_start, 1 end``: most frequent first."""
    ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n} {name}" for name, n in ordered)
