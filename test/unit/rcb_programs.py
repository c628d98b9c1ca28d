"""Seeded random RCB programs for the bytecode tests: valid by construction, on every target.

`random_program(seed)` draws a target, data entries, bindings and a run of records of every
kind whose fields respect the target's limits (tiles, channels, locks, pattern dims and bounds),
so that the encoder must accept it and every round trip must reproduce it.
"""

from __future__ import annotations

import math
import random

from rcbc import targets
from rcbc.bytecode.program import (
    Barrier,
    ConfigureTile,
    DataEntry,
    Direction,
    DmaLock,
    DmaStart,
    DType,
    End,
    IoBinding,
    IoDirection,
    Launch,
    Lock,
    LockAcquire,
    LockRelease,
    Pattern,
    Program,
    Side,
    Tile,
    Wait,
    WaitCore,
    WriteParams,
)
from rcbc.kernels import library

RECORDS = ("configure_tile", "write_params", "dma_start", "launch", "lock_acquire",
           "lock_release", "wait", "wait_core", "barrier")


def _align(n: int, to: int) -> int:
    return -(-n // to) * to


class _Draw:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.m = targets.get(self.rng.choice(targets.names()))
        self.kinds = [k for k in targets.TILE_KINDS if k != "memory" or self.m.memtile_rows]

    def tile(self, kinds=None) -> tuple[Tile, str]:
        kind = self.rng.choice(kinds or self.kinds)
        m, rng = self.m, self.rng
        if kind == "interface":
            return Tile(rng.choice(m.ddr_columns), 0), kind
        rows = range(1, m.first_compute_row) if kind == "memory" else range(m.first_compute_row, m.rows)
        return Tile(rng.randrange(m.columns), rng.choice(rows)), kind

    def memory(self, kind: str) -> tuple[int, int]:
        if kind == "interface":
            return 0, self.ddr_size
        return (self.m.stack_bytes if kind == "compute" else 0), self.m.spec(kind).memory

    def place(self, kind: str, span: int) -> int:
        """A 4-aligned offset at which `span` bytes fit the memory of a `kind` tile."""
        low, high = self.memory(kind)
        return low + 4 * self.rng.randrange((high - low - span) // 4 + 1)

    def pattern(self, max_dims: int) -> Pattern:
        rng = self.rng
        dims = rng.randint(1, max_dims)
        inner = 4 * rng.randint(1, 16)
        sizes, strides, extent = [inner], [1], inner
        for _ in range(dims - 1):
            size = rng.randint(1, 4)
            stride = rng.choice([0, _align(extent, 4) + 4 * rng.randint(0, 4)])
            sizes.insert(0, size)
            strides.insert(0, stride)
            extent += (size - 1) * stride
        return Pattern(sizes, strides)

    def locks(self, tiles: dict[Side, Tile] | Tile, count: int):
        out = []
        for _ in range(self.rng.randint(0, count)):
            side = self.rng.choice(list(tiles)) if isinstance(tiles, dict) else None
            tile = tiles[side] if side is not None else tiles
            spec = self.m.spec(self.m.kind_of(tile.row))
            lock_id, value = self.rng.randrange(spec.locks), self.rng.randint(1, spec.max_lock_value)
            out.append(DmaLock(side, lock_id, value) if side is not None else Lock(lock_id, value))
        return tuple(out)

    def record(self, name: str, data: list[DataEntry]):
        rng, m = self.rng, self.m
        if name == "configure_tile":
            return ConfigureTile(self.tile()[0])
        if name == "write_params" and data:
            entry = rng.choice(data)
            tile, kind = self.tile([k for k in self.kinds if k != "interface"])
            return WriteParams(tile, self.place(kind, entry.size), entry.name)
        if name == "dma_start":
            (src, src_kind), (dst, dst_kind) = self.tile(), self.tile()
            src_pattern = self.pattern(m.spec(src_kind).max_dims)
            count, inner = src_pattern.byte_count, src_pattern.sizes[-1]
            if m.spec(dst_kind).max_dims > 1 and rng.random() < 0.5:
                dst_pattern = Pattern((count // inner, inner), (inner + 4 * rng.randint(0, 2), 1))
            else:
                dst_pattern = Pattern.contiguous(count)
            return DmaStart(
                src=src, src_channel=rng.randrange(m.spec(src_kind).mm2s_channels),
                src_offset=self.place(src_kind, src_pattern.extent()), src_pattern=src_pattern,
                dst=dst, dst_channel=rng.randrange(m.spec(dst_kind).s2mm_channels),
                dst_offset=self.place(dst_kind, dst_pattern.extent()), dst_pattern=dst_pattern,
                acquires=self.locks({Side.SRC: src, Side.DST: dst}, 2),
                releases=self.locks({Side.SRC: src, Side.DST: dst}, 2),
            )
        if name == "launch":
            tile, _ = self.tile(["compute"])
            kernel = rng.choice(library.KERNELS)
            return Launch(tile, kernel.id, self.place("compute", kernel.block_size),
                          self.locks(tile, 4), self.locks(tile, 4))
        if name in ("lock_acquire", "lock_release"):
            tile, kind = self.tile()
            spec = m.spec(kind)
            cls = LockAcquire if name == "lock_acquire" else LockRelease
            return cls(tile, rng.randrange(spec.locks), rng.randint(1, spec.max_lock_value))
        if name == "wait":
            tile, kind = self.tile()
            direction = rng.choice(list(Direction))
            spec = m.spec(kind)
            count = spec.mm2s_channels if direction is Direction.MM2S else spec.s2mm_channels
            return Wait(tile, direction, rng.randrange(count))
        if name == "wait_core":
            return WaitCore(self.tile(["compute"])[0])
        return Barrier()

    def program(self) -> Program:
        rng = self.rng
        data, at = [], 0
        for i in range(rng.randint(0, 4)):
            dtype = rng.choice(list(DType))
            shape = tuple(rng.randint(1, 6) for _ in range(rng.randint(0, 4)))
            offset = _align(at, 64) + 64 * rng.randint(0, 2)
            payload = rng.randbytes(math.prod(shape) * dtype.itemsize)
            data.append(DataEntry(f"layer{i}.weight", offset, dtype, shape, payload))
            at = offset + len(payload)
        io = []
        for i, direction in enumerate(rng.sample(list(IoDirection) * 2, rng.randint(0, 3))):
            shape = tuple(rng.randint(1, 8) for _ in range(rng.randint(1, 4)))
            binding = IoBinding(f"{direction}{i}", direction, DType.F32, shape, _align(at, 64))
            io.append(binding)
            at = binding.offset + binding.size
        self.ddr_size = at + 4096 * rng.randint(1, 16)
        records = [self.record(rng.choice(RECORDS), data) for _ in range(rng.randint(0, 40))]
        return Program(self.m.name, self.ddr_size, (*records, End()), tuple(data), tuple(io))


def random_program(seed: int) -> Program:
    return _Draw(seed).program()


def corpus_generator():
    """The corpus generator module (test/Bytecode/corpus/make_corpus.py), for its programs."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "Bytecode" / "corpus" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
