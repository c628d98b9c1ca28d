"""Memories of the machine, with the bookkeeping that makes an executor a proof.

A `Memory` holds bytes and, for every range of them, the access that last wrote it and the
accesses that read it since (one per agent, the latest). An access is checked against that
history before it happens, with the happens-before relation of the bytecode spec (section 3):

- reading bytes no one wrote (undefined) is an error;
- a read must happen after the write it sees, a write after every earlier read and write of the
  same bytes; otherwise the two accesses race, and the error names both records.

Clocks are vector clocks over agents: `Stamp(agent, epoch)` happens before an access with clock
`c` iff `c[agent] >= epoch`. Bookkeeping is kept per 4-byte word range (the DMA granularity).

    >>> m = Memory("tile (2,3)", 64)
    >>> m.write(0, np.arange(4, dtype=np.float32).view(np.uint8), Stamp(1, 1, 7), {1: 1})
    >>> m.read(0, 8, Stamp(2, 1, 9), {1: 1, 2: 1}).view(np.float32)
    array([0., 1.], dtype=float32)
    >>> try:
    ...     m.read(8, 8, Stamp(2, 1, 9), {2: 1})
    ... except AccessError as e:
    ...     print(e)
    record 9 reads bytes [8,16) of tile (2,3) concurrently with record 7, which writes them
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

Clock = dict[int, int]


class AccessError(Exception):
    """A read of undefined bytes, a race, or an access outside a memory."""


@dataclass(frozen=True)
class Stamp:
    """One access: the agent that made it, its epoch on that agent, the record it executes."""

    agent: int
    epoch: int
    record: int

    def before(self, clock: Clock) -> bool:
        return clock.get(self.agent, 0) >= self.epoch


@dataclass
class _Segment:
    start: int
    end: int
    writer: Stamp | None
    readers: dict[int, Stamp] = field(default_factory=dict)


INITIAL = Stamp(agent=-1, epoch=0, record=-1)  # the loader: before everything


class Memory:
    """A byte-addressed memory of `size` bytes, initially undefined."""

    def __init__(self, name: str, size: int):
        self.name = name
        self.size = size
        self.data = np.zeros(size, dtype=np.uint8)
        self.reset()

    def reset(self) -> None:
        """Every byte becomes undefined again (a tile being reconfigured)."""
        self._starts = [0]
        self._segments = [_Segment(0, self.size, None)]

    # -- data -------------------------------------------------------------------------------

    def read(self, offset: int, size: int, stamp: Stamp, clock: Clock) -> np.ndarray:
        """The bytes `[offset, offset+size)` (a view), after checking the read is ordered."""
        self._check_bounds(offset, size, stamp)
        for seg in self._split(offset, offset + size):
            if seg.writer is None:
                raise AccessError(
                    f"record {stamp.record} reads bytes [{seg.start},{seg.end}) of {self.name}, "
                    f"which nothing wrote before"
                )
            if not seg.writer.before(clock):
                raise AccessError(self._race(stamp, "reads", seg, seg.writer, "writes"))
            seg.readers[stamp.agent] = stamp
        return self.data[offset : offset + size]

    def write(self, offset: int, data: np.ndarray, stamp: Stamp, clock: Clock) -> None:
        """Store `data` (bytes) at `offset`, after checking the write is ordered."""
        size = data.nbytes
        self._check_bounds(offset, size, stamp)
        for seg in self._split(offset, offset + size):
            if seg.writer not in (None, stamp) and not seg.writer.before(clock):
                raise AccessError(self._race(stamp, "writes", seg, seg.writer, "writes"))
            for reader in seg.readers.values():
                if reader.agent != stamp.agent and not reader.before(clock):
                    raise AccessError(self._race(stamp, "writes", seg, reader, "reads"))
            seg.writer = stamp
            seg.readers = {}
        self.data[offset : offset + size] = data.view(np.uint8).ravel()
        self._merge_around(offset, offset + size)

    def read_pattern(
        self, offset: int, sizes: Sequence[int], strides: Sequence[int], stamp: Stamp, clock: Clock
    ) -> np.ndarray:
        """The bytes an n-d pattern visits, in visiting order (a copy), each run checked."""
        starts, run = pattern_runs(offset, sizes, strides)
        self._check_bounds(int(starts.min()), int(starts.max()) + run - int(starts.min()), stamp)
        for start in starts.tolist():
            self.read(start, run, stamp, clock)
        return self.data[(starts[:, None] + np.arange(run)).ravel()]

    def write_pattern(
        self, offset: int, sizes: Sequence[int], strides: Sequence[int], data: np.ndarray,
        stamp: Stamp, clock: Clock,
    ) -> None:
        """Store `data` (bytes, in visiting order) through an n-d pattern, each run checked."""
        starts, run = pattern_runs(offset, sizes, strides)
        chunks = data.view(np.uint8).reshape(len(starts), run)
        for start, chunk in zip(starts.tolist(), chunks):
            self.write(start, chunk, stamp, clock)

    def load(self, offset: int, data: bytes | np.ndarray) -> None:
        """Initial contents (the data image, inputs): defined from the start of the run."""
        self.write(offset, np.frombuffer(bytes(data), dtype=np.uint8) if isinstance(data, bytes) else data,
                   INITIAL, {})

    # -- bookkeeping ------------------------------------------------------------------------

    def _check_bounds(self, offset: int, size: int, stamp: Stamp) -> None:
        if offset < 0 or offset + size > self.size:
            raise AccessError(
                f"record {stamp.record} accesses bytes [{offset},{offset + size}) outside "
                f"{self.name} of {self.size} bytes"
            )

    def _race(self, stamp: Stamp, verb: str, seg: _Segment, other: Stamp, other_verb: str) -> str:
        return (
            f"record {stamp.record} {verb} bytes [{seg.start},{seg.end}) of {self.name} "
            f"concurrently with record {other.record}, which {other_verb} them"
        )

    def _split_at(self, pos: int) -> int:
        """Index of the segment starting at `pos`, splitting the one containing it if needed."""
        i = bisect.bisect_right(self._starts, pos) - 1
        seg = self._segments[i]
        if seg.start == pos:
            return i
        tail = _Segment(pos, seg.end, seg.writer, dict(seg.readers))
        seg.end = pos
        self._segments.insert(i + 1, tail)
        self._starts.insert(i + 1, pos)
        return i + 1

    def _split(self, start: int, end: int) -> list[_Segment]:
        """The segments exactly covering `[start, end)`."""
        first = self._split_at(start)
        last = self._split_at(end) if end < self.size else len(self._segments)
        return self._segments[first:last]

    def _merge_around(self, start: int, end: int) -> None:
        """Merge neighbouring segments with the same history, keeping the map small."""
        i = max(bisect.bisect_right(self._starts, start) - 2, 0)
        while i + 1 < len(self._segments) and self._segments[i].start < end:
            a, b = self._segments[i], self._segments[i + 1]
            if a.writer == b.writer and a.readers == b.readers:
                a.end = b.end
                del self._segments[i + 1]
                del self._starts[i + 1]
            else:
                i += 1


def pattern_runs(offset: int, sizes: Sequence[int], strides: Sequence[int]) -> tuple[np.ndarray, int]:
    """Start offsets of the contiguous runs an n-d pattern visits, in order, and the run length.

    Dimensions that continue the run contiguously are merged into it, so a block of whole rows
    is one run per channel::

        >>> pattern_runs(100, sizes=(2, 3, 8), strides=(64, 8, 1))
        (array([100, 164]), 24)
    """
    sizes, strides = list(sizes), list(strides)
    run = 1
    while sizes and strides[-1] == run:
        run *= sizes.pop()
        strides.pop()
    starts = np.full((1,), offset, dtype=np.int64)
    for size, stride in zip(sizes, strides):
        starts = (starts[:, None] + np.arange(size, dtype=np.int64) * stride).ravel()
    return starts, run
